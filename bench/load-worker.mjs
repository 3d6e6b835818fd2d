import { parentPort, workerData } from 'node:worker_threads';

/** A load generator in its own thread: `clients` concurrent loops for `seconds`, counting responses. */
const { url, cookie, clients, seconds } = workerData;
let done = 0;
let failed = 0;
const until = Date.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (Date.now() < until) {
      const r = await fetch(url, { headers: { cookie } });
      await r.arrayBuffer();
      if (r.status === 200) done++;
      else failed++;
    }
  }),
);
parentPort?.postMessage({ perSecond: done / seconds, failed });
