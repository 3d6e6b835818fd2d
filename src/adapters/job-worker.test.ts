import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPostgresDatabase, freshDatabase, freshPostgresDatabase } from '../../test/db.ts';
import { type Database, openPostgres } from '../db/client.ts';
import { job } from '../db/schema/index.ts';
import { findJob, insertJobs } from '../repositories/jobs.ts';
import type { JobHandler } from '../services/kernel/ports.ts';
import { createJobWorker } from './job-worker.ts';

const noWait = () => 0;

describe('the job worker', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  const enqueue = (kind: string, n: number, extra: { maxAttempts?: number } = {}) => {
    const ids = Array.from({ length: n }, () => randomUUID());
    return insertJobs(
      database.db,
      ids.map((id, i) => ({ id, kind, payload: { n: i }, ...extra })),
    ).then(() => ids);
  };

  it('runs a job once and keeps it as finished', async () => {
    const seen: string[] = [];
    const [id] = await enqueue('test.once', 1);
    const worker = createJobWorker(database, { 'test.once': async (j) => void seen.push(j.id) });
    expect(await worker.drain()).toBe(1);
    expect(await worker.drain()).toBe(0);
    expect(seen).toEqual([id]);
    const row = await findJob(database.db, id!);
    expect(row?.finishedAt).toBeInstanceOf(Date);
    expect(row?.attempts).toBe(1);
    expect(row?.lockedBy).toBeNull();
  });

  it('tries a failing job again with backoff and finishes it when it works, clearing the error', async () => {
    let calls = 0;
    const [id] = await enqueue('test.flaky', 1);
    const waits: number[] = [];
    const worker = createJobWorker(
      database,
      {
        'test.flaky': async () => {
          calls++;
          if (calls < 3) throw new Error(`refused ${calls}`);
        },
      },
      {
        backoffMs: (n) => {
          waits.push(n);
          return 0;
        },
      },
    );
    await worker.drain();
    expect(calls).toBe(3);
    expect(waits).toEqual([1, 2]);
    const row = await findJob(database.db, id!);
    expect(row).toMatchObject({ attempts: 3, lastError: null, failedAt: null });
    expect(row?.finishedAt).toBeInstanceOf(Date);
  });

  it('waits the backoff before trying again', async () => {
    const [id] = await enqueue('test.later', 1);
    const worker = createJobWorker(
      database,
      { 'test.later': async () => Promise.reject(new Error('not yet')) },
      { backoffMs: () => 3_600_000 },
    );
    expect(await worker.drain()).toBe(1);
    const row = await findJob(database.db, id!);
    expect(row?.lastError).toBe('not yet');
    expect(row!.runAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect(await worker.drain()).toBe(0);
  });

  it('gives up after the job’s last attempt and keeps it, failed, with the reason', async () => {
    const [id] = await enqueue('test.broken', 1, { maxAttempts: 2 });
    const log: string[] = [];
    const worker = createJobWorker(
      database,
      { 'test.broken': async () => Promise.reject(new Error('always')) },
      { backoffMs: noWait, log: (m) => void log.push(m) },
    );
    expect(await worker.drain()).toBe(2);
    const row = await findJob(database.db, id!);
    expect(row?.failedAt).toBeInstanceOf(Date);
    expect(row?.finishedAt).toBeNull();
    expect(row?.lastError).toBe('always');
    expect(log.at(-1)).toMatch(/failed for good after 2 attempts: always/);
  });

  it('takes again a job whose worker stopped holding it when its lease ran out', async () => {
    const [id] = await enqueue('test.lease', 1);
    const seen: string[] = [];
    const handler: JobHandler = async (j) => void seen.push(j.id);
    const dead = createJobWorker(database, { 'test.lease': () => new Promise(() => {}) }, { leaseMs: 50 });
    void dead.runOne(); // claims the job and never finishes it
    await new Promise((r) => setTimeout(r, 200));
    const alive = createJobWorker(database, { 'test.lease': handler });
    expect(await alive.drain()).toBe(1);
    expect(seen).toEqual([id]);
    expect((await findJob(database.db, id!))?.attempts).toBe(2);
  });

  it('enqueues a recurring job once per period, however many workers ask', async () => {
    const recurring = [{ kind: 'test.daily', periodKey: () => 'test.daily:2026-12-06' }];
    const runs: string[] = [];
    const handlers = { 'test.daily': async (j: { id: string }) => void runs.push(j.id) };
    const a = createJobWorker(database, handlers, { recurring });
    const b = createJobWorker(database, handlers, { recurring });
    await Promise.all([a.drain(), b.drain(), a.drain()]);
    expect(runs).toHaveLength(1);
    const rows = await database.db.select().from(job).where(eq(job.kind, 'test.daily'));
    expect(rows.map((r) => r.dedupeKey)).toEqual(['test.daily:2026-12-06']);
  });

  it('runs only the kinds it has a handler for', async () => {
    const [id] = await enqueue('test.elsewhere', 1);
    const worker = createJobWorker(database, { 'test.other': async () => {} });
    expect(await worker.drain()).toBe(0);
    expect((await findJob(database.db, id!))?.attempts).toBe(0);
  });

  it('stops when asked, after the job in hand', async () => {
    const [id] = await enqueue('test.started', 1);
    const worker = createJobWorker(database, { 'test.started': async () => {} }, { pollMs: 10 });
    worker.start();
    await expect
      .poll(async () => (await findJob(database.db, id!))?.finishedAt, { timeout: 5000 })
      .toBeInstanceOf(Date);
    await worker.stop();
  });
});

describe('two workers on one database', () => {
  it('run each of 300 jobs exactly once', async () => {
    const url = process.env.DATABASE_URL;
    // On PostgreSQL: two app instances, each with its own pool of connections to one database.
    // On PGlite (one process, one connection): two workers in the same process, interleaved.
    const created = url ? await freshPostgresDatabase(url) : null;
    const first = created ? await openPostgres(created.url, 5) : await freshDatabase();
    const second = created ? await openPostgres(created.url, 5) : first;
    try {
      const ids = Array.from({ length: 300 }, () => randomUUID());
      await insertJobs(
        first.db,
        ids.map((id) => ({ id, kind: 'test.count' })),
      );
      const ran = new Map<string, string[]>();
      const handler =
        (worker: string): JobHandler =>
        async (j) => {
          ran.set(j.id, [...(ran.get(j.id) ?? []), worker]);
          await new Promise((r) => setTimeout(r, Math.random() * 3));
        };
      const a = createJobWorker(first, { 'test.count': handler('a') }, { workerId: 'a' });
      const b = createJobWorker(second, { 'test.count': handler('b') }, { workerId: 'b' });
      const counts = await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
      expect(counts.reduce((x, y) => x + y, 0)).toBe(300);
      expect([...ran.keys()].sort()).toEqual([...ids].sort());
      expect([...ran.values()].filter((workers) => workers.length !== 1)).toEqual([]);
      // Both took a share of the work.
      const byA = [...ran.values()].filter((w) => w[0] === 'a').length;
      expect(byA).toBeGreaterThan(0);
      expect(byA).toBeLessThan(300);
      const unfinished = (await first.db.select().from(job)).filter((r) => !r.finishedAt);
      expect(unfinished).toEqual([]);
    } finally {
      if (second !== first) await second.close();
      await first.close();
      if (created && url) await dropPostgresDatabase(url, created.name);
    }
  });
});
