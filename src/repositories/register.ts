import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { pupil, registerEntry, registerReview, schoolClass } from '../db/schema.ts';
import type { PupilScope } from '../services/actor.ts';
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
  scope: PupilScope,
  filters: PupilFilters,
  academicYearStart: number,
) {
  const conditions = pupilFilterConditions(scope, { ...filters, listedOnly: true }, academicYearStart);
  return db
    .select({
      ...listColumns(academicYearStart),
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
