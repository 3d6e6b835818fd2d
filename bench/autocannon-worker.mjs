/**
 * autocannon in a process of its own (when wrk is not installed): `connections` clients, each sending
 * its next request as soon as the last one answered, for `seconds`. Prints the figures as JSON.
 */
import autocannon from 'autocannon';

const { url, cookie, connections, seconds } = JSON.parse(process.argv[2]);
const result = await autocannon({ url, connections, duration: seconds, headers: { cookie } });
process.stdout.write(
  JSON.stringify({
    perSecond: result.requests.total / result.duration,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  }),
);
