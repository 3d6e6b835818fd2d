import { and, asc, eq, getTableName, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client.ts';
import {
  auditEvent,
  ctfExport,
  pupil,
  pupilSearchTerm,
  retentionReview,
  school,
  storedFile,
  subjectAccessRequest,
} from '../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';
import { RECORD_KIND_NAMES, type RecordKindName } from '../domain/records.ts';
import { RECORD_TABLES } from './records.ts';

export type RetentionReviewRow = typeof retentionReview.$inferSelect;

/** Every school's id (the nightly review goes through them one by one). */
export async function allSchoolIds(db: Executor): Promise<string[]> {
  const rows = await db.select({ id: school.id }).from(school).orderBy(asc(school.id));
  return rows.map((r) => r.id);
}

/**
 * The school's leavers, not erased, born on or before `bornOnOrBefore` (the first filter of the rule),
 * with what the rule needs: ever on the SEN register here, and the file names of the Common Transfer
 * Files that took them.
 */
export async function retentionCandidates(
  db: Executor,
  schoolId: string,
  bornOnOrBefore: IsoDate,
  pupilIds?: string[],
) {
  return db
    .select({
      id: pupil.id,
      dateOfBirth: pupil.dateOfBirth,
      leftOn: pupil.leftOn,
      // Column names written out with their table: inside a select, drizzle names a column without it.
      everOnSenRegister: sql<boolean>`(pupil.sen_stage in ('sen_support', 'ehc_plan') or exists (select 1 from register_entry re
        where re.school_id = pupil.school_id and re.pupil_id = pupil.id and re.stage in ('sen_support', 'ehc_plan')))`,
      ctfFileNames: sql<string[]>`(select coalesce(jsonb_agg(c.file_name), '[]'::jsonb) from ctf_export c
        where c.school_id = pupil.school_id and c.pupil_ids @> jsonb_build_array(pupil.id::text))`,
    })
    .from(pupil)
    .where(
      and(
        eq(pupil.schoolId, schoolId),
        isNotNull(pupil.leftOn),
        isNull(pupil.erasedAt),
        lte(pupil.dateOfBirth, bornOnOrBefore),
        pupilIds ? inArray(pupil.id, pupilIds) : undefined,
      ),
    );
}

export async function retentionReviewsOfSchool(db: Executor, schoolId: string) {
  return db.select().from(retentionReview).where(eq(retentionReview.schoolId, schoolId));
}

export async function insertRetentionReviews(db: Executor, rows: (typeof retentionReview.$inferInsert)[]) {
  if (rows.length > 0) await db.insert(retentionReview).values(rows).onConflictDoNothing();
}

/** Refresh a listed review's rule and date (the school's years changed, a CTF was recorded). */
export async function refreshRetentionReview(
  db: Executor,
  schoolId: string,
  id: string,
  values: Pick<RetentionReviewRow, 'basis' | 'keptUntil'> & Partial<RetentionReviewRow>,
) {
  await db
    .update(retentionReview)
    .set({ ...values, version: sql`${retentionReview.version} + 1` })
    .where(and(eq(retentionReview.schoolId, schoolId), eq(retentionReview.id, id)));
}

export async function removeRetentionReviews(db: Executor, schoolId: string, ids: string[]) {
  if (ids.length > 0)
    await db
      .delete(retentionReview)
      .where(and(eq(retentionReview.schoolId, schoolId), inArray(retentionReview.id, ids)));
}

/** The reviews of the school, with the pupil's name, date of birth and leaving date; waiting first. */
export async function retentionList(db: Executor, schoolId: string) {
  return db
    .select({
      id: retentionReview.id,
      pupilId: retentionReview.pupilId,
      forename: pupil.forename,
      surname: pupil.surname,
      dateOfBirth: pupil.dateOfBirth,
      leftOn: pupil.leftOn,
      basis: retentionReview.basis,
      keptUntil: retentionReview.keptUntil,
      listedOn: retentionReview.listedOn,
      status: retentionReview.status,
      keepReason: retentionReview.keepReason,
      lookAgainOn: retentionReview.lookAgainOn,
      decidedByName: retentionReview.decidedByName,
      version: retentionReview.version,
    })
    .from(retentionReview)
    .innerJoin(
      pupil,
      and(eq(pupil.schoolId, retentionReview.schoolId), eq(pupil.id, retentionReview.pupilId)),
    )
    .where(and(eq(retentionReview.schoolId, schoolId), isNull(pupil.erasedAt)))
    .orderBy(asc(retentionReview.status), asc(retentionReview.keptUntil), asc(pupil.surname));
}

export async function findRetentionReview(
  db: Executor,
  schoolId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<RetentionReviewRow | null> {
  const query = db
    .select()
    .from(retentionReview)
    .where(and(eq(retentionReview.schoolId, schoolId), eq(retentionReview.id, id)));
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

/** Change a review if it is still at `version`: false when someone else changed it first. */
export async function updateRetentionReview(
  db: Executor,
  schoolId: string,
  id: string,
  version: number,
  values: Partial<typeof retentionReview.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(retentionReview)
    .set({ ...values, version: sql`${retentionReview.version} + 1` })
    .where(
      and(
        eq(retentionReview.schoolId, schoolId),
        eq(retentionReview.id, id),
        eq(retentionReview.version, version),
      ),
    )
    .returning({ id: retentionReview.id });
  return rows.length > 0;
}

/** How many of the school's records past retention wait for a decision. */
export async function retentionWaiting(db: Executor, schoolId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(retentionReview)
    .where(and(eq(retentionReview.schoolId, schoolId), eq(retentionReview.status, 'waiting')));
  return rows[0]?.n ?? 0;
}

/** The school's erased records (tombstones): id, when they left, when erased and by whom. */
export async function erasedRecords(db: Executor, schoolId: string, limit = 200) {
  return db
    .select({
      id: pupil.id,
      leftOn: pupil.leftOn,
      erasedAt: pupil.erasedAt,
      erasedByName: pupil.erasedByName,
    })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), isNotNull(pupil.erasedAt)))
    .orderBy(sql`${pupil.erasedAt} desc`)
    .limit(limit);
}

export async function findErasedRecord(db: Executor, schoolId: string, pupilId: string) {
  const rows = await db
    .select({
      id: pupil.id,
      leftOn: pupil.leftOn,
      erasedAt: pupil.erasedAt,
      erasedByName: pupil.erasedByName,
    })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), eq(pupil.id, pupilId), isNotNull(pupil.erasedAt)));
  return rows[0] ?? null;
}

/** Kinds whose rows belong to one pupil (erased with them), besides the pupil row and the audit trail. */
type ErasedKind = Exclude<RecordKindName, 'pupil' | 'audit_event'>;

/**
 * The kinds of record held about one pupil, in an order they can be deleted in: a table that points
 * at another (a plan's target at its plan) comes before it, read from the schema's foreign keys, so a
 * new kind in the registry is placed by its own keys.
 */
export function pupilKindsInDeleteOrder(): ErasedKind[] {
  const kinds = RECORD_KIND_NAMES.filter(
    (k): k is ErasedKind => k !== 'pupil' && k !== 'audit_event' && RECORD_TABLES[k].pupilId !== null,
  );
  const nameOf = (t: PgTable) => getTableName(t);
  const refs = new Map<string, Set<string>>(
    kinds.map((k) => {
      const t = RECORD_TABLES[k].table;
      return [
        nameOf(t),
        new Set(getTableConfig(t).foreignKeys.map((fk) => nameOf(fk.reference().foreignTable))),
      ];
    }),
  );
  const ordered: ErasedKind[] = [];
  const left = new Set(kinds);
  while (left.size > 0) {
    // A kind goes when no kind still to go points at it.
    const next = [...left].find(
      (k) =>
        ![...left].some(
          (o) => o !== k && refs.get(nameOf(RECORD_TABLES[o].table))!.has(nameOf(RECORD_TABLES[k].table)),
        ),
    );
    if (!next) throw new Error('The kinds of record point at each other in a circle');
    ordered.push(next);
    left.delete(next);
  }
  return ordered;
}

/**
 * How many records of each kind are held about the pupil (what an erasure deletes), their files, and
 * the Common Transfer Files sent for several pupils that name them (stripped of them): one query.
 */
export async function pupilRecordCounts(db: Executor, schoolId: string, pupilId: string) {
  const kinds = pupilKindsInDeleteOrder();
  const parts = kinds.map((kind) => {
    const t = RECORD_TABLES[kind];
    return sql`select ${kind}::text as kind, count(*)::int as n from ${sql.identifier(getTableName(t.table))} where ${sql.identifier(t.ownerId.name)} = ${schoolId} and ${sql.identifier(t.pupilId!.name)} = ${pupilId}`;
  });
  parts.push(
    sql`select 'subject_access_export' as kind, count(*)::int as n from ${subjectAccessRequest} where ${subjectAccessRequest.schoolId} = ${schoolId} and ${subjectAccessRequest.pupilId} = ${pupilId} and ${subjectAccessRequest.fileId} is not null`,
    sql`select 'ctf_export' as kind, count(*)::int as n from ${ctfExport} where ${ctfExport.schoolId} = ${schoolId} and ${ctfExport.pupilIds} @> jsonb_build_array(${pupilId}::text)`,
  );
  const result = await db.execute(sql.join(parts, sql` union all `));
  const rows = (result as unknown as { rows: { kind: string; n: number | string }[] }).rows;
  const n = (kind: string) => Number(rows.find((r) => r.kind === kind)?.n ?? 0);
  const records: Partial<Record<RecordKindName, number>> = {};
  for (const kind of kinds) records[kind] = n(kind);
  return {
    records,
    files: n('stored_file') + n('subject_access_export'),
    sharedCtfs: n('ctf_export'),
  };
}

export interface ErasedCounts {
  records: Partial<Record<RecordKindName, number>>;
  files: number;
}

/**
 * Delete every record held about a pupil, found through the registry of record kinds; strip the pupil
 * from records that stay for other pupils' sake (a Common Transfer File sent for several); delete the
 * files kept for them (and the exports made for their subject access requests); and make the pupil
 * row a tombstone with no name, date of birth, UPN or contact. The audit trail is not touched: it is
 * append-only, and names the pupil by id only. In the caller's transaction.
 */
export async function erasePupil(
  db: Executor,
  schoolId: string,
  pupilId: string,
  by: { userId: string; name: string; at: Date },
): Promise<ErasedCounts> {
  const counts: ErasedCounts = { records: {}, files: 0 };
  // The exports of the pupil's subject access requests are kept without the pupil's id: find them first.
  const exports = await db
    .select({ fileId: subjectAccessRequest.fileId })
    .from(subjectAccessRequest)
    .where(
      and(
        eq(subjectAccessRequest.schoolId, schoolId),
        eq(subjectAccessRequest.pupilId, pupilId),
        isNotNull(subjectAccessRequest.fileId),
      ),
    );
  for (const kind of pupilKindsInDeleteOrder()) {
    const t = RECORD_TABLES[kind];
    const result = await db.execute(
      sql`delete from ${sql.identifier(getTableName(t.table))} where ${sql.identifier(t.ownerId.name)} = ${schoolId} and ${sql.identifier(t.pupilId!.name)} = ${pupilId} returning 1 as gone`,
    );
    const n = (result as unknown as { rows: unknown[] }).rows.length;
    if (n > 0) counts.records[kind] = n;
    if (kind === 'stored_file') counts.files += n;
  }
  const exportIds = exports.flatMap((e) => (e.fileId ? [e.fileId] : []));
  if (exportIds.length > 0) {
    const gone = await db
      .delete(storedFile)
      .where(and(eq(storedFile.ownerId, schoolId), inArray(storedFile.id, exportIds)))
      .returning({ id: storedFile.id });
    counts.files += gone.length;
  }
  // A Common Transfer File sent for several pupils stays (its number is the school's sequence): without this one.
  const stripped = await db
    .update(ctfExport)
    .set({ pupilIds: sql`${ctfExport.pupilIds} - ${pupilId}::text` })
    .where(
      and(
        eq(ctfExport.schoolId, schoolId),
        sql`${ctfExport.pupilIds} @> jsonb_build_array(${pupilId}::text)`,
      ),
    )
    .returning({ id: ctfExport.id });
  if (stripped.length > 0) counts.records.ctf_export = stripped.length;
  await db
    .update(pupil)
    .set({
      ...TOMBSTONE,
      upn: `erased-${pupilId}`,
      erasedAt: by.at,
      erasedBy: by.userId,
      erasedByName: by.name,
      version: sql`${pupil.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(pupil.schoolId, schoolId), eq(pupil.id, pupilId)));
  // After the row is changed: a trigger keeps the search terms of a pupil's names (the placeholders').
  await db
    .delete(pupilSearchTerm)
    .where(and(eq(pupilSearchTerm.schoolId, schoolId), eq(pupilSearchTerm.pupilId, pupilId)));
  return counts;
}

/**
 * What a tombstone holds in place of the pupil: placeholders where a column needs a value (the same for
 * every tombstone, so they say nothing about the pupil), nothing elsewhere. The date they left stays,
 * which keeps the tombstone off the roll.
 */
export const TOMBSTONE = {
  forename: 'Erased',
  surname: 'record',
  preferredName: null,
  dateOfBirth: '1900-01-01',
  sex: 'female',
  classId: null,
  ncYearOverride: null,
  admissionDate: null,
  pupilPremium: false,
  freeSchoolMeals: false,
  lookedAfter: false,
  previouslyLookedAfter: false,
  eal: false,
  serviceChild: false,
  youngCarer: false,
  medicalCondition: false,
  medicalNotes: null,
  attendancePercent: null,
  misId: null,
  destination: null,
  destinationUrn: null,
  senStage: 'none',
  primaryNeed: null,
  secondaryNeed: null,
} as const satisfies Partial<typeof pupil.$inferInsert>;

/** The pupil a review was about, when someone has already erased their record through it (its audit row). */
export async function erasedThroughReview(db: Executor, schoolId: string, reviewId: string) {
  const rows = await db
    .select({ pupilId: auditEvent.pupilId })
    .from(auditEvent)
    .where(
      and(
        eq(auditEvent.schoolId, schoolId),
        eq(auditEvent.action, 'retention.erased'),
        sql`${auditEvent.detail}->>'reviewId' = ${reviewId}`,
      ),
    )
    .limit(1);
  return rows[0]?.pupilId ?? null;
}
