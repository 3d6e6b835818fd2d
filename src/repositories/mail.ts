import { and, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { outboundMail } from '../db/schema/index.ts';

export type OutboundMailRow = typeof outboundMail.$inferSelect;

export async function insertMail(
  db: Executor,
  values: Pick<OutboundMailRow, 'id' | 'toAddress' | 'subject' | 'body' | 'kind'> & {
    schoolId?: string | null;
    organisationId?: string | null;
    /** Family mail: the school's record of the parent or carer it went to. */
    parentCarerId?: string | null;
  },
): Promise<void> {
  await db.insert(outboundMail).values(values);
}

export async function findMail(db: Executor, id: string): Promise<OutboundMailRow | null> {
  const rows = await db.select().from(outboundMail).where(eq(outboundMail.id, id));
  return rows[0] ?? null;
}

export async function markMailSent(db: Executor, id: string): Promise<void> {
  await db
    .update(outboundMail)
    .set({ status: 'sent', sentAt: sql`now()`, lastError: null, attempts: sql`${outboundMail.attempts} + 1` })
    .where(eq(outboundMail.id, id));
}

export async function markMailAttemptFailed(db: Executor, id: string, error: string, final: boolean) {
  await db
    .update(outboundMail)
    .set({
      lastError: error.slice(0, 1000),
      attempts: sql`${outboundMail.attempts} + 1`,
      ...(final ? { status: 'failed' as const } : {}),
    })
    .where(eq(outboundMail.id, id));
}

/** A school's or an organisation's outbox, newest first. */
export async function listMail(
  db: Executor,
  owner: { schoolId: string } | { organisationId: string },
  limit = 200,
): Promise<OutboundMailRow[]> {
  const where: SQL =
    'schoolId' in owner
      ? eq(outboundMail.schoolId, owner.schoolId)
      : and(eq(outboundMail.organisationId, owner.organisationId), isNull(outboundMail.schoolId))!;
  return db.select().from(outboundMail).where(where).orderBy(desc(outboundMail.createdAt)).limit(limit);
}

/** Mail sent before `before` is forgotten; mail not sent stays until someone has seen to it. */
export async function removeSentMail(db: Executor, before: Date): Promise<number> {
  const rows = await db
    .delete(outboundMail)
    .where(and(eq(outboundMail.status, 'sent'), sql`${outboundMail.sentAt} < ${before.toISOString()}`))
    .returning({ id: outboundMail.id });
  return rows.length;
}

/** Jobs for mail still queued with no job left to send it (it waited for a mail server); how many. */
export async function queueJobsForWaitingMail(
  db: Executor,
  kind: string,
  maxAttempts: number,
): Promise<number> {
  const result = await db.execute(sql`
    insert into job (id, kind, payload, school_id, organisation_id, max_attempts)
    select gen_random_uuid(), ${kind}, jsonb_build_object('mailId', m.id), m.school_id, m.organisation_id,
      ${maxAttempts}
    from outbound_mail m
    where m.status = 'queued'
      and not exists (select 1 from job j where j.kind = ${kind}
        and j.payload ->> 'mailId' = m.id::text and j.finished_at is null and j.failed_at is null)
    returning id`);
  return (result as unknown as { rows: unknown[] }).rows.length;
}
