import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { pupilVoice } from '../db/schema/family.ts';
import { supportPlan } from '../db/schema/plans.ts';
import type { PupilVoiceKind } from '../domain/family.ts';
import type { PupilVoiceAnswers } from '../domain/pupil-voice.ts';
import { insertMany } from './bulk.ts';

/** The pupil's own voice (`pupil_voice`): their one-page profile and their views before a review. */

export type PupilVoiceRow = typeof pupilVoice.$inferSelect;

const listed = {
  id: pupilVoice.id,
  kind: pupilVoice.kind,
  planId: pupilVoice.planId,
  planCycle: supportPlan.cycle,
  planStatus: supportPlan.status,
  answers: pupilVoice.answers,
  writtenWith: pupilVoice.writtenWith,
  recordedByName: pupilVoice.recordedByName,
  createdAt: pupilVoice.createdAt,
  updatedAt: pupilVoice.updatedAt,
  version: pupilVoice.version,
};

/** Everything a pupil has written, newest first, with the plan a review's views are for. */
export function voicesOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select(listed)
    .from(pupilVoice)
    .leftJoin(
      supportPlan,
      and(eq(supportPlan.schoolId, pupilVoice.schoolId), eq(supportPlan.id, pupilVoice.planId)),
    )
    .where(and(eq(pupilVoice.schoolId, schoolId), eq(pupilVoice.pupilId, pupilId)))
    .orderBy(desc(pupilVoice.createdAt), desc(pupilVoice.id));
}

export type PupilVoiceListed = Awaited<ReturnType<typeof voicesOfPupil>>[number];

/** One of a pupil's writings, found through the pupil (never by its id alone). */
export async function findPupilVoice(db: Executor, schoolId: string, pupilId: string, id: string) {
  const rows = await db
    .select(listed)
    .from(pupilVoice)
    .leftJoin(
      supportPlan,
      and(eq(supportPlan.schoolId, pupilVoice.schoolId), eq(supportPlan.id, pupilVoice.planId)),
    )
    .where(and(eq(pupilVoice.schoolId, schoolId), eq(pupilVoice.pupilId, pupilId), eq(pupilVoice.id, id)))
    .limit(1);
  return rows[0] ?? null;
}

/** The pupil's views for the review of one plan, if written. */
export async function reviewViewsOfPlan(db: Executor, schoolId: string, pupilId: string, planId: string) {
  const rows = await db
    .select(listed)
    .from(pupilVoice)
    .leftJoin(
      supportPlan,
      and(eq(supportPlan.schoolId, pupilVoice.schoolId), eq(supportPlan.id, pupilVoice.planId)),
    )
    .where(
      and(
        eq(pupilVoice.schoolId, schoolId),
        eq(pupilVoice.pupilId, pupilId),
        eq(pupilVoice.kind, 'review_views'),
        eq(pupilVoice.planId, planId),
      ),
    )
    .orderBy(desc(pupilVoice.createdAt))
    .limit(1);
  return rows[0] ?? null;
}

/** What a plan shows in the pupil's own words: their latest profile and their views for its review (one query). */
export async function pupilVoiceForPlan(db: Executor, schoolId: string, pupilId: string, planId: string) {
  const rows = await db
    .select(listed)
    .from(pupilVoice)
    .leftJoin(
      supportPlan,
      and(eq(supportPlan.schoolId, pupilVoice.schoolId), eq(supportPlan.id, pupilVoice.planId)),
    )
    .where(
      and(
        eq(pupilVoice.schoolId, schoolId),
        eq(pupilVoice.pupilId, pupilId),
        sql`(${pupilVoice.kind} = 'one_page_profile' or ${pupilVoice.planId} = ${planId})`,
      ),
    )
    .orderBy(desc(pupilVoice.createdAt), desc(pupilVoice.id));
  return {
    profile: rows.find((r) => r.kind === 'one_page_profile') ?? null,
    reviewViews: rows.find((r) => r.kind === 'review_views') ?? null,
  };
}

export async function insertPupilVoice(
  db: Executor,
  values: {
    schoolId: string;
    id: string;
    pupilId: string;
    kind: PupilVoiceKind;
    planId: string | null;
    answers: PupilVoiceAnswers;
    writtenWith: string | null;
    recordedBy: string | null;
    recordedByName: string;
    createdAt?: Date;
    updatedAt?: Date;
  },
): Promise<void> {
  await db.insert(pupilVoice).values(values);
}

/** Change what the pupil wrote, with optimistic locking: false when someone else saved first. */
export async function updatePupilVoice(
  db: Executor,
  schoolId: string,
  pupilId: string,
  id: string,
  expectedVersion: number,
  values: { answers: PupilVoiceAnswers; writtenWith: string | null },
): Promise<boolean> {
  const rows = await db
    .update(pupilVoice)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${pupilVoice.version} + 1` })
    .where(
      and(
        eq(pupilVoice.schoolId, schoolId),
        eq(pupilVoice.pupilId, pupilId),
        eq(pupilVoice.id, id),
        eq(pupilVoice.version, expectedVersion),
      ),
    )
    .returning({ v: pupilVoice.version });
  return rows.length === 1;
}

/** A plan of this pupil, for choosing which review the views are for. */
export async function planOfPupil(db: Executor, schoolId: string, pupilId: string, planId: string) {
  const rows = await db
    .select({ id: supportPlan.id, cycle: supportPlan.cycle, status: supportPlan.status })
    .from(supportPlan)
    .where(
      and(eq(supportPlan.schoolId, schoolId), eq(supportPlan.pupilId, pupilId), eq(supportPlan.id, planId)),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** The demo's writings, in one statement. */
export async function insertPupilVoices(
  db: Executor,
  rows: (typeof pupilVoice.$inferInsert)[],
): Promise<void> {
  await insertMany(db, pupilVoice, rows);
}

/** Whether a writing with this id is this school's (whichever pupil's): a refusal names what was asked for. */
export async function pupilVoiceIsOfSchool(db: Executor, schoolId: string, id: string): Promise<boolean> {
  const rows = await db
    .select({ id: pupilVoice.id })
    .from(pupilVoice)
    .where(and(eq(pupilVoice.schoolId, schoolId), eq(pupilVoice.id, id)))
    .limit(1);
  return rows.length === 1;
}
