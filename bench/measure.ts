import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Database } from '../src/db/client.ts';
import { createServices } from '../src/services/index.ts';
import { buildApp } from '../src/web/app.ts';

export interface Figures {
  median: number;
  p95: number;
}

export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** A running OpenSEND on a loopback port, signed in as the first school's SENCo. */
export async function signedInServer(database: Database, email: string, password: string) {
  const app = await buildApp(createServices(database), {
    sessionSecret: 'bench-secret-that-is-long-enough-0123456789',
    logLevel: 'silent',
    signInRateLimit: 100000,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      jar.set(k!, v.join('='));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const page = await fetch(`${base}/sign-in`);
  keep(page);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const signIn = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password, returnTo: '/' }),
  });
  keep(signIn);
  if (signIn.status !== 303) throw new Error(`bench sign-in failed: ${signIn.status}`);
  const get = async (path: string) => {
    const r = await fetch(`${base}${path}`, { headers: { cookie: cookie() } });
    const body = await r.text();
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    return body;
  };
  return { app, base, get, cookie };
}

/**
 * Latency of one page on several servers, interleaved in rounds so that drift on the machine
 * (autovacuum, checkpoints, JIT warm-up) falls on all of them alike.
 */
export async function interleavedLatency(
  gets: ((path: string) => Promise<string>)[],
  paths: string[],
  rounds = 6,
  perRound = 50,
): Promise<Figures[]> {
  const times: number[][] = gets.map(() => []);
  for (let i = 0; i < gets.length; i++) for (let w = 0; w < 30; w++) await gets[i]!(paths[i]!);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < gets.length; i++) {
      for (let n = 0; n < perRound; n++) {
        const t = performance.now();
        await gets[i]!(paths[i]!);
        times[i]!.push(performance.now() - t);
      }
    }
  }
  return times.map((list) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
  });
}

/**
 * Responses per second for `clients` concurrent clients over `seconds`, from a worker thread so that
 * the load generator does not share the server's event loop.
 */
export async function throughput(url: string, cookie = '', clients = 20, seconds = 5): Promise<number> {
  const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
    workerData: { url, cookie, clients, seconds },
  });
  const result = await new Promise<{ perSecond: number; failed: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  if (result.failed > 0) throw new Error(`${result.failed} requests to ${url} failed during the load test`);
  return result.perSecond;
}
