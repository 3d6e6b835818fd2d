import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The load generators, each in a process of its own so it takes no time from the server's event loop. */

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function wrkPath(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

// BENCH_GENERATOR=autocannon uses autocannon even where wrk is installed.
const WRK = process.env.BENCH_GENERATOR === 'autocannon' ? null : wrkPath();
/** Which closed-loop generator `closedLoop` uses: wrk where installed, otherwise autocannon. */
export const CLOSED_LOOP_GENERATOR = WRK ? 'wrk' : 'autocannon';

export interface ClosedLoopResult {
  perSecond: number;
  /** Responses received. */
  requests: number;
  /** Responses other than 200, and connection errors or timeouts. */
  errors: number;
}

/**
 * Responses per second from `connections` clients, each sending its next request as soon as the last
 * one answered, for `seconds`.
 */
export async function closedLoop(
  url: string,
  cookie: string,
  connections = 20,
  seconds = 10,
): Promise<ClosedLoopResult> {
  if (WRK) {
    const out = await run(WRK, [
      '-t1',
      `-c${connections}`,
      `-d${seconds}s`,
      '--timeout',
      '10s',
      ...(cookie ? ['-H', `Cookie: ${cookie}`] : []),
      url,
    ]);
    const perSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
    const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
    if (!Number.isFinite(perSecond)) throw new Error(`could not read wrk's output:\n${out}`);
    return { perSecond, requests, errors: non2xx + socketErrors };
  }
  const worker = fileURLToPath(new URL('./autocannon-worker.mjs', import.meta.url));
  const out = await run(process.execPath, [worker, JSON.stringify({ url, cookie, connections, seconds })]);
  return JSON.parse(out) as ClosedLoopResult;
}

export interface MixedPage {
  name: string;
  /** Paths to take in turn (several pupils' pages, say). */
  paths: string[];
  /** Share of the requests, relative to the other pages' weights. */
  weight: number;
}

export interface PageLatency {
  requests: number;
  errors: number;
  /** How many failed each way: a status other than 200, or a connection error. */
  problems: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * A fixed rate of requests across pages (open loop: Poisson arrivals, each request starting when it is
 * due whether or not earlier ones have answered), for `seconds` after `warmupSeconds` not counted.
 */
export async function openLoop(options: {
  base: string;
  cookie: string;
  pages: MixedPage[];
  rate: number;
  seconds: number;
  warmupSeconds: number;
  seed?: number;
}): Promise<Record<string, PageLatency>> {
  const worker = fileURLToPath(new URL('./open-loop-worker.mjs', import.meta.url));
  const out = await run(process.execPath, [worker, JSON.stringify({ seed: 20260101, ...options })]);
  return JSON.parse(out) as Record<string, PageLatency>;
}
