import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { job } from '../db/schema/index.ts';

export type JobRow = typeof job.$inferSelect;

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

export interface NewJob {
  id: string;
  kind: string;
  payload?: Record<string, unknown>;
  schoolId?: string | null;
  organisationId?: string | null;
  /** The job is enqueued once for this key, however many times or instances ask. */
  dedupeKey?: string | null;
  runAt?: Date;
  maxAttempts?: number;
}

/** Enqueue jobs (in the caller's transaction); a job whose dedupe key is taken is not added again. */
export async function insertJobs(db: Executor, jobs: NewJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const rows = await db
    .insert(job)
    .values(
      jobs.map((j) => ({
        id: j.id,
        kind: j.kind,
        payload: j.payload ?? {},
        schoolId: j.schoolId ?? null,
        organisationId: j.organisationId ?? null,
        dedupeKey: j.dedupeKey ?? null,
        ...(j.runAt ? { runAt: j.runAt } : {}),
        ...(j.maxAttempts ? { maxAttempts: j.maxAttempts } : {}),
      })),
    )
    .onConflictDoNothing({ target: job.dedupeKey })
    .returning({ id: job.id });
  return rows.length;
}

/**
 * Take the next due job for this worker, or null: the row is locked while it is chosen and skipped by
 * every other worker doing the same (FOR UPDATE SKIP LOCKED), then leased to this worker until
 * `leaseMs` from now. A job whose lease ran out (its worker died) is due again.
 */
export async function claimJob(
  db: Executor,
  workerId: string,
  leaseMs: number,
  kinds: readonly string[],
): Promise<JobRow | null> {
  const rows = await db.execute(sql`
    update ${job} set locked_by = ${workerId},
      locked_until = now() + make_interval(secs => ${leaseMs / 1000}),
      attempts = ${job.attempts} + 1
    where ${job.id} = (
      select ${job.id} from ${job}
      where ${job.finishedAt} is null and ${job.failedAt} is null and ${job.runAt} <= now()
        and (${job.lockedUntil} is null or ${job.lockedUntil} < now())
        and ${job.kind} = any(${sql.param(kinds as string[])}::text[])
      order by ${job.runAt}
      limit 1
      for update skip locked)
    returning ${job.id} as id`);
  const id = rowsOf<{ id: string }>(rows)[0]?.id;
  if (!id) return null;
  const claimed = await db.select().from(job).where(eq(job.id, id));
  return claimed[0] ?? null;
}

/** The job is done: kept with the time it finished. Only by the worker that holds it. */
export async function finishJob(db: Executor, id: string, workerId: string): Promise<boolean> {
  const rows = await db
    .update(job)
    .set({ finishedAt: sql`now()`, lockedBy: null, lockedUntil: null, lastError: null })
    .where(and(eq(job.id, id), eq(job.lockedBy, workerId), isNull(job.finishedAt)))
    .returning({ id: job.id });
  return rows.length > 0;
}

/** The attempt failed: due again after `retryInMs`, or failed for good once out of attempts. */
export async function failJob(
  db: Executor,
  id: string,
  workerId: string,
  error: string,
  retryInMs: number,
): Promise<'retry' | 'failed' | null> {
  const rows = await db.execute(sql`
    update ${job} set locked_by = null, locked_until = null, last_error = ${error.slice(0, 2000)},
      run_at = now() + make_interval(secs => ${retryInMs / 1000}),
      failed_at = case when ${job.attempts} >= ${job.maxAttempts} then now() else null end
    where ${job.id} = ${id} and ${job.lockedBy} = ${workerId} and ${job.finishedAt} is null
    returning (failed_at is not null) as failed`);
  const row = rowsOf<{ failed: boolean }>(rows)[0];
  if (!row) return null;
  return row.failed ? 'failed' : 'retry';
}

export async function findJob(db: Executor, id: string): Promise<JobRow | null> {
  const rows = await db.select().from(job).where(eq(job.id, id));
  return rows[0] ?? null;
}

/** Jobs that failed for good, newest first: for whoever runs the server to see. */
export async function failedJobs(db: Executor, limit = 50): Promise<JobRow[]> {
  return db
    .select()
    .from(job)
    .where(sql`${job.failedAt} is not null`)
    .orderBy(sql`${job.failedAt} desc`)
    .limit(limit);
}

/**
 * Forget jobs that finished before `finishedBefore`, and those that failed for good before
 * `failedBefore` (kept longer, for whoever runs the server to see).
 */
export async function removeOldJobs(
  db: Executor,
  cutoffs: { finishedBefore: Date; failedBefore: Date },
): Promise<number> {
  const rows = await db
    .delete(job)
    .where(
      sql`${job.finishedAt} < ${cutoffs.finishedBefore.toISOString()} or ${job.failedAt} < ${cutoffs.failedBefore.toISOString()}`,
    )
    .returning({ id: job.id });
  return rows.length;
}
