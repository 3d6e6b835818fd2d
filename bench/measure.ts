import { fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Database } from '../src/db/client.ts';
import { createServices } from '../src/services/index.ts';
import { buildApp } from '../src/web/app.ts';
import { latestSignInCode } from '../test/sign-in-code.ts';

export interface Figures {
  median: number;
  p95: number;
}

export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** Sign in at a running OpenSEND: the session's cookie, and a GET that fails on anything but 200. */
export async function signIn(
  base: string,
  email: string,
  password: string,
  /** For a parent or professional on a new device: the code emailed to them (read from the outbox). */
  codeOf?: () => Promise<string>,
) {
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
  const signedIn = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, email, password, returnTo: '/' }),
  });
  keep(signedIn);
  if (signedIn.status !== 303) throw new Error(`bench sign-in failed: ${signedIn.status}`);
  if (signedIn.headers.get('location')?.startsWith('/sign-in/code')) {
    if (!codeOf) throw new Error('bench sign-in asked for a code by email, and none can be read');
    const codePage = await fetch(`${base}/sign-in/code`, { headers: { cookie: cookie() } });
    const codeToken = /name="_csrf" value="([^"]+)"/.exec(await codePage.text())?.[1] ?? '';
    const entered = await fetch(`${base}/sign-in/code`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: codeToken, code: await codeOf() }),
    });
    keep(entered);
    if (entered.status !== 303) throw new Error(`bench sign-in code refused: ${entered.status}`);
  }
  const get = async (path: string) => {
    const r = await fetch(`${base}${path}`, { headers: { cookie: cookie() } });
    const body = await r.text();
    if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
    return body;
  };
  return { get, cookie };
}

/** A running OpenSEND in this process on a loopback port, signed in. */
export async function signedInServer(database: Database, email: string, password: string) {
  const app = await buildApp(createServices(database), {
    sessionSecret: 'bench-secret-that-is-long-enough-0123456789',
    logLevel: 'silent',
    signInRateLimit: 100000,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    app,
    base,
    ...(await signIn(base, email, password, () => latestSignInCode(database, email))),
  };
}

export interface ServerProcess {
  base: string;
  /** Statements the server has sent to PostgreSQL since it started. */
  roundTrips(): Promise<number>;
  /** Processor time the server's process has used since it started, in milliseconds. */
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

/** One of server.ts's servers in a child process of its own. */
export async function serverProcess(
  kind: 'opensend' | 'floor' | 'bare',
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env, BENCH_SERVER: kind },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const next = () =>
    new Promise<Record<string, number>>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the ${kind} server ended (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as Record<string, number>);
      });
    });
  const { port } = await next();
  return {
    base: `http://127.0.0.1:${port}`,
    async roundTrips() {
      const reply = next();
      child.send('roundTrips');
      return (await reply).roundTrips!;
    },
    async cpuMs() {
      const reply = next();
      child.send('cpu');
      return (await reply).cpuMs!;
    },
    async close() {
      child.send('close');
      await exited;
    },
  };
}

/**
 * The process id of the PostgreSQL server at `url` when it runs on this machine (the parent of the
 * backend that answers), else null.
 */
export async function postmasterPid(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const status = readFileSync(`/proc/${backend}/status`, 'utf8');
    return Number(/PPid:\s+(\d+)/.exec(status)?.[1]) || null;
  } catch {
    return null; // another machine (no such process here)
  } finally {
    await client.end();
  }
}

/**
 * Processor time used so far by one PostgreSQL server's processes, in milliseconds (0 when it runs
 * elsewhere): the postmaster's own, that of its backends and workers now running, and that of those
 * that have ended (the postmaster's children's times, counted when it reaps them). Other PostgreSQL
 * servers on the machine are not counted, nor lost when a backend ends.
 */
export function postgresCpuMs(postmaster: number | null): number {
  if (!postmaster) return 0;
  const tick = 100; // Linux reports processor time in hundredths of a second
  const fieldsOf = (pid: string | number) =>
    readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  let total = 0;
  try {
    const own = fieldsOf(postmaster);
    // utime, stime, cutime, cstime (fields 14 to 17 of /proc/<pid>/stat)
    total += [11, 12, 13, 14].reduce((sum, i) => sum + Number(own[i]), 0);
  } catch {
    return 0;
  }
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const fields = fieldsOf(pid);
      if (Number(fields[1]) !== postmaster) continue; // field 4: the parent's pid
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return (total * 1000) / tick;
}

/** Statements a page costs: the server's count over `n` requests made one after another, divided by n. */
export async function roundTripsPerRequest(
  server: ServerProcess,
  get: (path: string) => Promise<unknown>,
  path: string,
  n = 20,
): Promise<number> {
  await get(path);
  const before = await server.roundTrips();
  for (let i = 0; i < n; i++) await get(path);
  return ((await server.roundTrips()) - before) / n;
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
