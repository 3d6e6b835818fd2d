import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { outcomeRating, pupilOutcome } from '../db/schema/index.ts';

/** A pupil's non-academic outcomes and their ratings at reviews: one school's. */

export type OutcomeRow = typeof pupilOutcome.$inferSelect;
export type RatingRow = typeof outcomeRating.$inferSelect;

/** The pupil's outcomes (those still rated first, then ended ones), each with its ratings, oldest first. */
export async function outcomesOfPupil(db: Executor, schoolId: string, pupilId: string) {
  const outcomes = await db
    .select()
    .from(pupilOutcome)
    .where(and(eq(pupilOutcome.schoolId, schoolId), eq(pupilOutcome.pupilId, pupilId)))
    .orderBy(asc(pupilOutcome.startedOn), asc(pupilOutcome.area), asc(pupilOutcome.createdAt));
  const ratings =
    outcomes.length === 0
      ? []
      : await db
          .select()
          .from(outcomeRating)
          .where(
            and(
              eq(outcomeRating.schoolId, schoolId),
              inArray(
                outcomeRating.outcomeId,
                outcomes.map((o) => o.id),
              ),
            ),
          )
          .orderBy(asc(outcomeRating.ratedOn), asc(outcomeRating.createdAt));
  return { outcomes, ratings };
}

export async function openOutcomesOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select()
    .from(pupilOutcome)
    .where(
      and(
        eq(pupilOutcome.schoolId, schoolId),
        eq(pupilOutcome.pupilId, pupilId),
        isNull(pupilOutcome.endedOn),
      ),
    )
    .orderBy(asc(pupilOutcome.startedOn), asc(pupilOutcome.area));
}

export async function insertOutcome(db: Executor, values: typeof pupilOutcome.$inferInsert) {
  await db.insert(pupilOutcome).values(values);
}

export async function insertRatings(db: Executor, values: (typeof outcomeRating.$inferInsert)[]) {
  if (values.length > 0) await db.insert(outcomeRating).values(values);
}
