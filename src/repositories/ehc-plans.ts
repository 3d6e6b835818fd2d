import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  type ehcAnnualReview,
  ehcPlan,
  ehcPlanSummary,
  ehcPlanVersion,
  type ehcReviewDecision,
} from '../db/schema/index.ts';

/*
 * EHC plans and their annual reviews (docs/adr/0038): the plan and its versions are the local
 * authority's, read by its organisation id; the school reads its pupils' final plans through the plan's
 * school and pupil (the school the child is at), never another school's.
 */

export type EhcPlanRow = typeof ehcPlan.$inferSelect;
export type EhcPlanVersionRow = typeof ehcPlanVersion.$inferSelect;
export type EhcPlanSummaryRow = typeof ehcPlanSummary.$inferSelect;
export type EhcAnnualReviewRow = typeof ehcAnnualReview.$inferSelect;
export type EhcReviewDecisionRow = typeof ehcReviewDecision.$inferSelect;

export async function insertPlan(db: Executor, row: typeof ehcPlan.$inferInsert) {
  await db.insert(ehcPlan).values(row);
}

export async function insertPlanVersion(db: Executor, row: typeof ehcPlanVersion.$inferInsert) {
  await db.insert(ehcPlanVersion).values(row);
}

/** One of the organisation's plans, or null. */
export async function findPlan(db: Executor, organisationId: string, planId: string) {
  const [row] = await db
    .select()
    .from(ehcPlan)
    .where(and(eq(ehcPlan.organisationId, organisationId), eq(ehcPlan.id, planId)));
  return row ?? null;
}

/** The plan the case led to, or null. */
export async function planOfCase(db: Executor, organisationId: string, caseId: string) {
  const [row] = await db
    .select()
    .from(ehcPlan)
    .where(and(eq(ehcPlan.organisationId, organisationId), eq(ehcPlan.caseId, caseId)));
  return row ?? null;
}

/** Every version of a plan, newest first. */
export async function versionsOfPlan(db: Executor, organisationId: string, planId: string) {
  return db
    .select()
    .from(ehcPlanVersion)
    .where(and(eq(ehcPlanVersion.organisationId, organisationId), eq(ehcPlanVersion.planId, planId)))
    .orderBy(desc(ehcPlanVersion.number));
}

/** One version of a plan by its number, or null. */
export async function planVersion(db: Executor, organisationId: string, planId: string, number: number) {
  const [row] = await db
    .select()
    .from(ehcPlanVersion)
    .where(
      and(
        eq(ehcPlanVersion.organisationId, organisationId),
        eq(ehcPlanVersion.planId, planId),
        eq(ehcPlanVersion.number, number),
      ),
    );
  return row ?? null;
}

/**
 * The final (or ceased) plans of a school's pupils, with the version now final: what the school sees.
 * A plan is the school's to see when the child's pupil row is at that school.
 */
export async function finalPlansOfPupils(db: Executor, schoolId: string, pupilIds: readonly string[]) {
  if (pupilIds.length === 0) return [];
  return db
    .select({ plan: ehcPlan, version: ehcPlanVersion })
    .from(ehcPlan)
    .innerJoin(
      ehcPlanVersion,
      and(
        eq(ehcPlanVersion.organisationId, ehcPlan.organisationId),
        eq(ehcPlanVersion.planId, ehcPlan.id),
        eq(ehcPlanVersion.number, ehcPlan.finalVersion),
      ),
    )
    .where(
      and(
        eq(ehcPlan.schoolId, schoolId),
        inArray(ehcPlan.pupilId, [...pupilIds]),
        inArray(ehcPlan.status, ['final', 'ceased']),
      ),
    );
}

/** The school's summaries of plans from other authorities for a pupil, current first. */
export async function summariesOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select()
    .from(ehcPlanSummary)
    .where(and(eq(ehcPlanSummary.schoolId, schoolId), eq(ehcPlanSummary.pupilId, pupilId)))
    .orderBy(ehcPlanSummary.endedOn, desc(ehcPlanSummary.issuedOn));
}

/** A pupil's current summary (not ended), or null. */
export async function currentSummaryOfPupil(db: Executor, schoolId: string, pupilId: string) {
  const [row] = await db
    .select()
    .from(ehcPlanSummary)
    .where(
      and(
        eq(ehcPlanSummary.schoolId, schoolId),
        eq(ehcPlanSummary.pupilId, pupilId),
        isNull(ehcPlanSummary.endedOn),
      ),
    )
    .orderBy(desc(ehcPlanSummary.issuedOn))
    .limit(1);
  return row ?? null;
}
