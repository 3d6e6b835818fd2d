import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { pupil, registerEntry, registerReview, registerReviewSkip, schoolClass } from '../db/schema/index.ts';
import type { AccessScope } from '../domain/access.ts';
import type { NeedCode } from '../domain/census.ts';
import type { RegisterChangeKind, RegisterReviewOutcome, SenStage } from '../domain/register.ts';
import { listColumns, type PupilFilters, pupilFilterConditions } from './pupils.ts';

export type RegisterEntryInsert = typeof registerEntry.$inferInsert;
export type RegisterReviewInsert = typeof registerReview.$inferInsert;

export async function insertRegisterEntries(db: Executor, values: RegisterEntryInsert[]): Promise<void> {
  for (let i = 0; i < values.length; i += 500)
    await db.insert(registerEntry).values(values.slice(i, i + 500));
}

export async function insertRegisterReviews(db: Executor, values: RegisterReviewInsert[]): Promise<void> {
  for (let i = 0; i < values.length; i += 500)
    await db.insert(registerReview).values(values.slice(i, i + 500));
}

/** The pupils left until later in this term's register review. */
export async function skippedInTerm(db: Executor, schoolId: string, termStart: string): Promise<Set<string>> {
  const rows = await db
    .select({ pupilId: registerReviewSkip.pupilId })
    .from(registerReviewSkip)
    .where(and(eq(registerReviewSkip.schoolId, schoolId), eq(registerReviewSkip.termStart, termStart)));
  return new Set(rows.map((r) => r.pupilId));
}

export async function insertSkip(db: Executor, values: typeof registerReviewSkip.$inferInsert) {
  await db.insert(registerReviewSkip).values(values).onConflictDoNothing();
}

export async function registerReviewsOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select()
    .from(registerReview)
    .where(and(eq(registerReview.schoolId, schoolId), eq(registerReview.pupilId, pupilId)))
    .orderBy(desc(registerReview.reviewedOn), desc(registerReview.recordedAt));
}

/** Pupils at monitoring, SEN support or EHC plan within the scope, with the dates the SENCo needs. */
export async function registerList(
  db: Executor,
  scope: AccessScope,
  filters: PupilFilters,
  academicYearStart: number,
) {
  const conditions = pupilFilterConditions(
    scope,
    'register',
    { ...filters, listedOnly: true },
    academicYearStart,
  );
  return db
    .select({
      ...listColumns(academicYearStart, scope.schoolId),
      admissionDate: pupil.admissionDate,
      stageSince: sql<
        string | null
      >`(select max(${registerEntry.effectiveDate})::text from ${registerEntry} where ${registerEntry.schoolId} = ${pupil.schoolId} and ${registerEntry.pupilId} = ${pupil.id} and ${registerEntry.changeKind} <> 'needs_changed')`,
      lastReviewedOn: sql<
        string | null
      >`(select max(${registerReview.reviewedOn})::text from ${registerReview} where ${registerReview.schoolId} = ${pupil.schoolId} and ${registerReview.pupilId} = ${pupil.id})`,
    })
    .from(pupil)
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(...conditions))
    .orderBy(asc(pupil.surname), asc(pupil.forename), asc(pupil.id));
}

export type RegisterListRow = Awaited<ReturnType<typeof registerList>>[number];

/** The record fragments this repository owns (see pupil-record.ts): register history and reviews. */
export interface RegisterEntryItem {
  effectiveDate: string;
  fromStage: SenStage;
  stage: SenStage;
  primaryNeed: NeedCode | null;
  secondaryNeed: NeedCode | null;
  changeKind: RegisterChangeKind;
  reason: string;
  decidedByName: string;
  source: 'register' | 'concern' | 'register_review' | 'ctf';
}
export const registerHistoryFragment = {
  section: 'register' as const,
  json: sql<RegisterEntryItem[] | string>`select json_agg(json_build_object(
    'effectiveDate', ${registerEntry.effectiveDate}, 'fromStage', ${registerEntry.fromStage}, 'stage', ${registerEntry.stage},
    'primaryNeed', ${registerEntry.primaryNeed}, 'secondaryNeed', ${registerEntry.secondaryNeed},
    'changeKind', ${registerEntry.changeKind}, 'reason', ${registerEntry.reason}, 'decidedByName', ${registerEntry.decidedByName},
    'source', ${registerEntry.source})
    order by ${registerEntry.effectiveDate} desc, ${registerEntry.recordedAt} desc)
    from ${registerEntry} where ${registerEntry.schoolId} = ${pupil.schoolId} and ${registerEntry.pupilId} = ${pupil.id}`,
};

export interface RegisterReviewItem {
  reviewedOn: string;
  outcome: RegisterReviewOutcome;
  fromStage: SenStage;
  toStage: SenStage;
  reason: string;
  reviewedByName: string;
}
export const registerReviewsFragment = {
  section: 'register' as const,
  json: sql<RegisterReviewItem[] | string>`select json_agg(json_build_object(
    'reviewedOn', ${registerReview.reviewedOn}, 'outcome', ${registerReview.outcome}, 'fromStage', ${registerReview.fromStage},
    'toStage', ${registerReview.toStage}, 'reason', ${registerReview.reason}, 'reviewedByName', ${registerReview.reviewedByName})
    order by ${registerReview.reviewedOn} desc, ${registerReview.recordedAt} desc)
    from ${registerReview} where ${registerReview.schoolId} = ${pupil.schoolId} and ${registerReview.pupilId} = ${pupil.id}`,
};
