import { and, asc, desc, eq, getTableName, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { appUser, auditEvent, auditEventPupil, pupil, subjectAccessRequest } from '../db/schema/index.ts';
import type { RecordKindName } from '../domain/records.ts';
import { RECORD_TABLES } from './records.ts';

export type SubjectAccessRow = typeof subjectAccessRequest.$inferSelect;

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

export async function insertSubjectAccessRequest(
  db: Executor,
  values: typeof subjectAccessRequest.$inferInsert,
) {
  await db.insert(subjectAccessRequest).values(values);
}

export async function insertSubjectAccessRequests(
  db: Executor,
  rows: (typeof subjectAccessRequest.$inferInsert)[],
) {
  if (rows.length > 0) await db.insert(subjectAccessRequest).values(rows);
}

export async function findSubjectAccessRequest(
  db: Executor,
  schoolId: string,
  id: string,
): Promise<SubjectAccessRow | null> {
  const rows = await db
    .select()
    .from(subjectAccessRequest)
    .where(and(eq(subjectAccessRequest.schoolId, schoolId), eq(subjectAccessRequest.id, id)));
  return rows[0] ?? null;
}

/** The school's requests not yet released, soonest due first, with the pupil's name. */
export async function openSubjectAccessRequests(db: Executor, schoolId: string) {
  return db
    .select({
      id: subjectAccessRequest.id,
      pupilId: subjectAccessRequest.pupilId,
      forename: pupil.forename,
      surname: pupil.surname,
      requesterName: subjectAccessRequest.requesterName,
      receivedOn: subjectAccessRequest.receivedOn,
      dueOn: subjectAccessRequest.dueOn,
      status: subjectAccessRequest.status,
    })
    .from(subjectAccessRequest)
    .innerJoin(
      pupil,
      and(eq(pupil.schoolId, subjectAccessRequest.schoolId), eq(pupil.id, subjectAccessRequest.pupilId)),
    )
    .where(and(eq(subjectAccessRequest.schoolId, schoolId), ne(subjectAccessRequest.status, 'released')))
    .orderBy(asc(subjectAccessRequest.dueOn));
}

export async function subjectAccessRequestsOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select()
    .from(subjectAccessRequest)
    .where(and(eq(subjectAccessRequest.schoolId, schoolId), eq(subjectAccessRequest.pupilId, pupilId)))
    .orderBy(desc(subjectAccessRequest.receivedOn));
}

/** Change a request if it is still at `version`: false when someone else changed it first. */
export async function updateSubjectAccessRequest(
  db: Executor,
  schoolId: string,
  id: string,
  version: number,
  values: Partial<typeof subjectAccessRequest.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(subjectAccessRequest)
    .set({ ...values, version: sql`${subjectAccessRequest.version} + 1` })
    .where(
      and(
        eq(subjectAccessRequest.schoolId, schoolId),
        eq(subjectAccessRequest.id, id),
        eq(subjectAccessRequest.version, version),
      ),
    )
    .returning({ id: subjectAccessRequest.id });
  return rows.length > 0;
}

/** Columns that say nothing about the person (keys, versions, the audit chain's links, file bytes). */
const NOT_GIVEN_OUT = new Set([
  'school_id',
  'owner_id',
  'owner_kind',
  'version',
  'hash',
  'chain_seq',
  'shown_pupils_digest',
  'bytes',
]);

/**
 * Every row of one kind of record held about a pupil, as the database holds it (column names as
 * stored), oldest first where the kind has a creation time.
 */
export async function pupilRowsOfKind(
  db: Executor,
  schoolId: string,
  pupilId: string,
  kind: Exclude<RecordKindName, 'audit_event'>,
): Promise<Record<string, unknown>[]> {
  const t = RECORD_TABLES[kind];
  const name = sql.identifier(getTableName(t.table));
  const where =
    kind === 'ctf_export'
      ? sql`school_id = ${schoolId} and pupil_ids @> ${JSON.stringify([pupilId])}::jsonb`
      : t.pupilId
        ? sql`${sql.identifier(t.ownerId.name)} = ${schoolId} and ${sql.identifier(t.pupilId.name)} = ${pupilId}`
        : sql`false`;
  const hasCreatedAt = Object.values(t.table).some(
    (c) => typeof c === 'object' && c !== null && (c as { name?: string }).name === 'created_at',
  );
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(
      sql`select * from ${name} where ${where}${hasCreatedAt ? sql` order by created_at` : sql``}`,
    ),
  );
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !NOT_GIVEN_OUT.has(k))));
}

/** Who has seen or changed the pupil's record, and when (from the audit trail), oldest first. */
export async function pupilRecordViews(db: Executor, schoolId: string, pupilId: string) {
  const shown = db
    .select({ eventId: auditEventPupil.eventId })
    .from(auditEventPupil)
    .where(and(eq(auditEventPupil.schoolId, schoolId), eq(auditEventPupil.pupilId, pupilId)));
  return db
    .select({
      occurredAt: auditEvent.occurredAt,
      name: appUser.name,
      role: auditEvent.role,
      action: auditEvent.action,
    })
    .from(auditEvent)
    .leftJoin(appUser, eq(appUser.id, auditEvent.userId))
    .where(
      and(
        eq(auditEvent.schoolId, schoolId),
        sql`(${auditEvent.pupilId} = ${pupilId} or ${auditEvent.id} in ${shown})`,
      ),
    )
    .orderBy(asc(auditEvent.occurredAt), asc(auditEvent.id));
}

/** The other pupils of the school, by name: to find notes that name them. */
export async function otherPupilNames(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({ id: pupil.id, forename: pupil.forename, surname: pupil.surname })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), ne(pupil.id, pupilId), isNull(pupil.erasedAt)));
}

/** How many of the school's requests are not yet released, how many of them are overdue, and the next due. */
export async function subjectAccessDue(db: Executor, schoolId: string, today: string) {
  const rows = await db
    .select({
      open: sql<number>`count(*)::int`,
      overdue: sql<number>`count(*) filter (where ${subjectAccessRequest.dueOn} < ${today})::int`,
      nextDue: sql<string | null>`min(${subjectAccessRequest.dueOn})::text`,
    })
    .from(subjectAccessRequest)
    .where(and(eq(subjectAccessRequest.schoolId, schoolId), ne(subjectAccessRequest.status, 'released')));
  return rows[0] ?? { open: 0, overdue: 0, nextDue: null };
}
