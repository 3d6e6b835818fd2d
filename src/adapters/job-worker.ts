import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Database } from '../db/client.ts';
import { claimJob, failJob, finishJob, insertJobs } from '../repositories/jobs.ts';
import type { JobHandler, RecurringJob } from '../services/kernel/ports.ts';

export type { RecurringJob } from '../services/kernel/ports.ts';

/**
 * The one job worker of an app instance (started by main.ts): it takes due jobs one at a time, runs
 * each kind's handler, and marks the job done, or due again later with a longer wait each time, or
 * failed once out of attempts. Several instances on one PostgreSQL each run a worker; a job is only
 * ever held by one of them (FOR UPDATE SKIP LOCKED, then a lease), and a job whose worker died is
 * taken again when its lease ends, so a handler must be idempotent: running it twice does no harm.
 */

export interface JobWorkerOptions {
  workerId?: string;
  /** How often to look for due work when there is none. */
  pollMs?: number;
  /** How long after `start` the first look is (a server's start is not slowed by its chores). */
  firstPollMs?: number;
  /** How long a claimed job is this worker's before another may take it. */
  leaseMs?: number;
  /** The wait before attempt n+1 after n failures. */
  backoffMs?: (attempts: number) => number;
  recurring?: RecurringJob[];
  now?: () => Date;
  log?: (message: string, error?: unknown) => void;
}

/** 30 s, 1 min, 2 min … up to 6 hours, with a little jitter so retries of many jobs spread out. */
export function defaultBackoffMs(attempts: number): number {
  const base = Math.min(6 * 3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.9 + Math.random() * 0.2));
}

export function createJobWorker(
  database: Database,
  handlers: Record<string, JobHandler>,
  options: JobWorkerOptions = {},
) {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const pollMs = options.pollMs ?? 5_000;
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const backoffMs = options.backoffMs ?? defaultBackoffMs;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const kinds = Object.keys(handlers);
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;

  /** The period each recurring job was last enqueued for by this worker: asked again only when it changes. */
  const enqueuedFor = new Map<string, string>();

  async function enqueueRecurring(): Promise<void> {
    const at = now();
    const due = (options.recurring ?? [])
      .map((r) => ({ id: randomUUID(), kind: r.kind, payload: r.payload ?? {}, dedupeKey: r.periodKey(at) }))
      .filter((j) => enqueuedFor.get(j.kind) !== j.dedupeKey);
    if (due.length === 0) return;
    await insertJobs(database.db, due);
    for (const j of due) enqueuedFor.set(j.kind, j.dedupeKey);
  }

  /** Take and run one due job; false when there was none. */
  async function runOne(): Promise<boolean> {
    const job = await claimJob(database.db, workerId, leaseMs, kinds);
    if (!job) return false;
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`No handler for jobs of kind ${job.kind}`);
      await handler(job);
      await finishJob(database.db, job.id, workerId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const outcome = await failJob(database.db, job.id, workerId, message, backoffMs(job.attempts));
      log(
        outcome === 'failed'
          ? `Job ${job.kind} ${job.id} failed for good after ${job.attempts} attempts: ${message}`
          : `Job ${job.kind} ${job.id} failed (attempt ${job.attempts}), to be tried again: ${message}`,
        error,
      );
    }
    return true;
  }

  /** Run due jobs until none is left (tests, and the command line). */
  async function drain(limit = 1_000): Promise<number> {
    await enqueueRecurring();
    let ran = 0;
    while (ran < limit && (await runOne())) ran++;
    return ran;
  }

  /** Wait `ms`, or less if poked or stopped. */
  function pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
      timer.unref?.();
    });
  }

  async function run(): Promise<void> {
    if (options.firstPollMs) {
      await pause(options.firstPollMs);
      wake = null;
    }
    while (running) {
      try {
        await drain();
      } catch (error) {
        log('The job worker could not reach the database; it will try again', error);
      }
      if (!running) break;
      await pause(pollMs);
      wake = null;
    }
  }

  return {
    workerId,
    runOne,
    drain,
    /** Start looking for work every `pollMs`. */
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Look for work now rather than at the next poll (after enqueuing something urgent). */
    poke() {
      if (timer) clearTimeout(timer);
      wake?.();
    },
    /** Stop taking jobs and wait for the one in hand to finish. */
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}

export type JobWorker = ReturnType<typeof createJobWorker>;
