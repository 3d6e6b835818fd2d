/**
 * An open-loop load generator in a process of its own: requests start on a fixed schedule (Poisson
 * arrivals at `rate` per second from a seeded generator, each to a page drawn by weight), whether or
 * not earlier ones have answered, so a slow server is measured as its users would feel it. Latency runs
 * from the moment a request was due to the end of its response. Prints the figures as JSON.
 */
import http from 'node:http';

const config = JSON.parse(process.argv[2]);
const { base, cookie, pages, rate, seconds, warmupSeconds, seed } = config;

let state = seed >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const totalWeight = pages.reduce((sum, p) => sum + p.weight, 0);
const schedule = [];
for (let t = 0; t < (warmupSeconds + seconds) * 1000; ) {
  t += (-Math.log(1 - random()) / rate) * 1000;
  const pick = random() * totalWeight;
  let sum = 0;
  const page =
    pages.find((p) => {
      sum += p.weight;
      return pick < sum;
    }) ?? pages.at(-1);
  schedule.push({ at: t, page: page.name, path: page.paths[schedule.length % page.paths.length] });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
const url = new URL(base);
const results = Object.fromEntries(pages.map((p) => [p.name, { times: [], errors: 0, problems: {} }]));
const start = performance.now() + 200;
let next = 0;
let pending = 0;

function send(item) {
  const due = start + item.at;
  const counted = item.at >= warmupSeconds * 1000;
  pending++;
  let finished = false;
  const done = (problem) => {
    if (finished) return;
    finished = true;
    pending--;
    if (counted) {
      const r = results[item.page];
      if (!problem) r.times.push(performance.now() - due);
      else {
        r.errors++;
        r.problems[problem] = (r.problems[problem] ?? 0) + 1;
      }
    }
  };
  const req = http.get(
    { host: url.hostname, port: url.port, path: item.path, agent, headers: { cookie }, timeout: 10_000 },
    (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode === 200 ? null : `status ${res.statusCode}`));
      res.on('error', (error) => done(error.code ?? error.message));
    },
  );
  req.on('timeout', () => req.destroy(new Error('timed out')));
  req.on('error', (error) => done(error.code ?? error.message));
}

await new Promise((resolve) => {
  const tick = () => {
    const now = performance.now();
    while (next < schedule.length && start + schedule[next].at <= now) send(schedule[next++]);
    if (next < schedule.length) setTimeout(tick, Math.max(0, start + schedule[next].at - performance.now()));
    else {
      const wait = () => (pending === 0 ? resolve() : setTimeout(wait, 20));
      wait();
    }
  };
  setTimeout(tick, 200);
});
agent.destroy();

const percentile = (sorted, p) =>
  sorted.length
    ? sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))]
    : NaN;
const out = {};
for (const [name, r] of Object.entries(results)) {
  const sorted = r.times.sort((a, b) => a - b);
  out[name] = {
    requests: sorted.length + r.errors,
    errors: r.errors,
    problems: r.problems,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}
process.stdout.write(JSON.stringify(out));
