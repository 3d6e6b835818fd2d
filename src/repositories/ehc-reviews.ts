import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { ehcAnnualReview, ehcReviewDecision } from '../db/schema/index.ts';

/*
 * Annual reviews of EHC plans (docs/adr/0038): the school's review, read by its school id, and the
 * local authority's copy of its report (ehc_review_decision), inserted when the school sends it into an
 * authority on this installation. A review is never read across schools.
 */

export type AnnualReviewRow = typeof ehcAnnualReview.$inferSelect;
export type AnnualReviewInsert = typeof ehcAnnualReview.$inferInsert;
export type ReviewDecisionRow = typeof ehcReviewDecision.$inferSelect;

export async function insertAnnualReview(db: Executor, row: AnnualReviewInsert) {
  await db.insert(ehcAnnualReview).values(row);
}

export async function insertReviewDecision(db: Executor, row: typeof ehcReviewDecision.$inferInsert) {
  await db.insert(ehcReviewDecision).values(row);
}

/** One of the school's reviews, or null. */
export async function findAnnualReview(db: Executor, schoolId: string, reviewId: string) {
  const [row] = await db
    .select()
    .from(ehcAnnualReview)
    .where(and(eq(ehcAnnualReview.schoolId, schoolId), eq(ehcAnnualReview.id, reviewId)));
  return row ?? null;
}

/** A pupil's reviews, newest first. */
export async function reviewsOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select()
    .from(ehcAnnualReview)
    .where(and(eq(ehcAnnualReview.schoolId, schoolId), eq(ehcAnnualReview.pupilId, pupilId)))
    .orderBy(desc(ehcAnnualReview.dueOn), desc(ehcAnnualReview.createdAt));
}

/** The school's reviews being arranged, held (report to send) or sent and waiting for the authority. */
export async function openReviewsOfSchool(db: Executor, schoolId: string) {
  return db
    .select()
    .from(ehcAnnualReview)
    .where(
      and(
        eq(ehcAnnualReview.schoolId, schoolId),
        inArray(ehcAnnualReview.status, ['arranging', 'held', 'sent']),
      ),
    )
    .orderBy(asc(ehcAnnualReview.dueOn));
}

/**
 * Saves part of a review when its version is still `version` (a stale save changes nothing); returns
 * whether it saved.
 */
export async function updateAnnualReview(
  db: Executor,
  schoolId: string,
  reviewId: string,
  version: number,
  values: Partial<AnnualReviewInsert>,
): Promise<boolean> {
  const rows = await db
    .update(ehcAnnualReview)
    .set({ ...values, version: sql`${ehcAnnualReview.version} + 1` })
    .where(
      and(
        eq(ehcAnnualReview.schoolId, schoolId),
        eq(ehcAnnualReview.id, reviewId),
        eq(ehcAnnualReview.version, version),
      ),
    )
    .returning({ id: ehcAnnualReview.id });
  return rows.length === 1;
}

/** The authority's decisions on a school's reviews, by the reviews' ids (what the school sees of them). */
export async function decisionsOfReviews(db: Executor, schoolId: string, reviewIds: readonly string[]) {
  if (reviewIds.length === 0) return [];
  return db
    .select({
      id: ehcReviewDecision.id,
      organisationId: ehcReviewDecision.organisationId,
      annualReviewId: ehcReviewDecision.annualReviewId,
      decision: ehcReviewDecision.decision,
      decidedOn: ehcReviewDecision.decidedOn,
      reasons: ehcReviewDecision.reasons,
      receivedOn: ehcReviewDecision.receivedOn,
    })
    .from(ehcReviewDecision)
    .where(
      and(
        eq(ehcReviewDecision.schoolId, schoolId),
        inArray(ehcReviewDecision.annualReviewId, [...reviewIds]),
      ),
    );
}
