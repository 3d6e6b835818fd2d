import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { ehcAnnualReview, ehcPlan, ehcPlanSummary, ehcReviewDecision, pupil } from '../db/schema/index.ts';

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

const pupilColumns = {
  pupilId: pupil.id,
  forename: pupil.forename,
  surname: pupil.surname,
  dateOfBirth: pupil.dateOfBirth,
  ncYearOverride: pupil.ncYearOverride,
  classId: pupil.classId,
};

/**
 * The plans a school's pupils on roll hold: the authority's final plans (the child's pupil row at this
 * school) and the school's current summaries of plans from other authorities, with the pupil's name and
 * birth date (their year group and any phase transfer). What the school's list of reviews reads.
 */
export async function plansOfSchool(db: Executor, schoolId: string) {
  const [plans, summaries] = await Promise.all([
    db
      .select({
        ...pupilColumns,
        organisationId: ehcPlan.organisationId,
        planId: ehcPlan.id,
        startedOn: ehcPlan.startedOn,
        lastReviewOn: ehcPlan.lastReviewOn,
        reviewDueOn: ehcPlan.reviewDueOn,
      })
      .from(ehcPlan)
      .innerJoin(pupil, and(eq(pupil.schoolId, ehcPlan.schoolId), eq(pupil.id, ehcPlan.pupilId)))
      .where(and(eq(ehcPlan.schoolId, schoolId), eq(ehcPlan.status, 'final'), isNull(pupil.leftOn))),
    db
      .select({
        ...pupilColumns,
        summaryId: ehcPlanSummary.id,
        localAuthorityName: ehcPlanSummary.localAuthorityName,
        issuedOn: ehcPlanSummary.issuedOn,
        lastReviewOn: ehcPlanSummary.lastReviewOn,
      })
      .from(ehcPlanSummary)
      .innerJoin(
        pupil,
        and(eq(pupil.schoolId, ehcPlanSummary.schoolId), eq(pupil.id, ehcPlanSummary.pupilId)),
      )
      .where(
        and(eq(ehcPlanSummary.schoolId, schoolId), isNull(ehcPlanSummary.endedOn), isNull(pupil.leftOn)),
      ),
  ]);
  return { plans, summaries };
}

/** Each pupil's latest review that was not cancelled (one row a pupil), for the school's list. */
export async function latestReviewsOfSchool(db: Executor, schoolId: string) {
  return db
    .selectDistinctOn([ehcAnnualReview.pupilId])
    .from(ehcAnnualReview)
    .where(and(eq(ehcAnnualReview.schoolId, schoolId), ne(ehcAnnualReview.status, 'cancelled')))
    .orderBy(ehcAnnualReview.pupilId, desc(ehcAnnualReview.dueOn), desc(ehcAnnualReview.createdAt));
}

/** The review of a pupil being arranged or held (at most one), or null. */
export async function openReviewOfPupil(db: Executor, schoolId: string, pupilId: string) {
  const [row] = await db
    .select()
    .from(ehcAnnualReview)
    .where(
      and(
        eq(ehcAnnualReview.schoolId, schoolId),
        eq(ehcAnnualReview.pupilId, pupilId),
        inArray(ehcAnnualReview.status, ['arranging', 'held']),
      ),
    );
  return row ?? null;
}

/** The school's summary of another authority's plan, by id, or null. */
export async function findSummary(db: Executor, schoolId: string, summaryId: string) {
  const [row] = await db
    .select()
    .from(ehcPlanSummary)
    .where(and(eq(ehcPlanSummary.schoolId, schoolId), eq(ehcPlanSummary.id, summaryId)));
  return row ?? null;
}

/** The summary's last review moves on when the school sends a review of it (its own record). */
export async function setSummaryLastReview(db: Executor, schoolId: string, summaryId: string, on: string) {
  await db
    .update(ehcPlanSummary)
    .set({ lastReviewOn: on, version: sql`${ehcPlanSummary.version} + 1` })
    .where(and(eq(ehcPlanSummary.schoolId, schoolId), eq(ehcPlanSummary.id, summaryId)));
}
