import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  ehcAnnualReview,
  ehcPlan,
  ehcPlanVersion,
  ehcRequest,
  familyView,
  supportPlan,
} from '../db/schema/index.ts';
import type { FamilyViewAbout } from '../domain/family.ts';

/*
 * Parents' views in their own words (docs/adr/0039), and the records they are about, found through the
 * child (school and pupil): never by an id alone.
 */

export type FamilyViewRow = typeof familyView.$inferSelect;

/** Every parent's views on one record, oldest first. */
export function viewsOn(
  db: Executor,
  schoolId: string,
  pupilId: string,
  about: FamilyViewAbout,
  subjectId: string,
) {
  return db
    .select()
    .from(familyView)
    .where(
      and(
        eq(familyView.schoolId, schoolId),
        eq(familyView.pupilId, pupilId),
        eq(familyView.about, about),
        eq(familyView.subjectId, subjectId),
      ),
    )
    .orderBy(asc(familyView.givenAt));
}

/** Which of these records this account has given views on already. */
export async function subjectsWithViewsBy(
  db: Executor,
  schoolId: string,
  userId: string,
  subjectIds: readonly string[],
): Promise<Set<string>> {
  if (subjectIds.length === 0) return new Set();
  const rows = await db
    .select({ subjectId: familyView.subjectId })
    .from(familyView)
    .where(
      and(
        eq(familyView.schoolId, schoolId),
        eq(familyView.givenBy, userId),
        inArray(familyView.subjectId, [...subjectIds]),
      ),
    );
  return new Set(rows.map((r) => r.subjectId));
}

/** One parent's own views on one record. */
export async function viewOf(
  db: Executor,
  schoolId: string,
  about: FamilyViewAbout,
  subjectId: string,
  userId: string,
): Promise<FamilyViewRow | null> {
  const [row] = await db
    .select()
    .from(familyView)
    .where(
      and(
        eq(familyView.schoolId, schoolId),
        eq(familyView.about, about),
        eq(familyView.subjectId, subjectId),
        eq(familyView.givenBy, userId),
      ),
    );
  return row ?? null;
}

export async function insertView(db: Executor, row: typeof familyView.$inferInsert) {
  await db.insert(familyView).values(row);
}

/** A parent's views changed, if nobody changed them since `version` (null: someone did). */
export async function updateView(db: Executor, schoolId: string, id: string, version: number, body: string) {
  const [row] = await db
    .update(familyView)
    .set({ body, updatedAt: sql`now()`, version: sql`${familyView.version} + 1` })
    .where(and(eq(familyView.schoolId, schoolId), eq(familyView.id, id), eq(familyView.version, version)))
    .returning({ version: familyView.version });
  return row ?? null;
}

/** The support plan of a child the family may see (agreed: in place, being reviewed or closed). */
export async function sharedPlanOfChild(db: Executor, schoolId: string, pupilId: string, planId: string) {
  const [row] = await db
    .select({
      id: supportPlan.id,
      status: supportPlan.status,
      reviewDate: supportPlan.reviewDate,
      cycle: supportPlan.cycle,
    })
    .from(supportPlan)
    .where(
      and(
        eq(supportPlan.schoolId, schoolId),
        eq(supportPlan.pupilId, pupilId),
        eq(supportPlan.id, planId),
        inArray(supportPlan.status, ['active', 'in_review', 'closed']),
      ),
    );
  return row ?? null;
}

/** The child's plan in place or being reviewed (one at most). */
export async function currentPlanOfChild(db: Executor, schoolId: string, pupilId: string) {
  const [row] = await db
    .select({ id: supportPlan.id, status: supportPlan.status, reviewDate: supportPlan.reviewDate })
    .from(supportPlan)
    .where(
      and(
        eq(supportPlan.schoolId, schoolId),
        eq(supportPlan.pupilId, pupilId),
        inArray(supportPlan.status, ['active', 'in_review']),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** The school's request for an EHC needs assessment for the child (the school's own, not a parent's). */
export async function ehcRequestOfChild(db: Executor, schoolId: string, pupilId: string, requestId: string) {
  const [row] = await db
    .select({ id: ehcRequest.id, status: ehcRequest.status, requestedBy: ehcRequest.requestedBy })
    .from(ehcRequest)
    .where(
      and(eq(ehcRequest.schoolId, schoolId), eq(ehcRequest.pupilId, pupilId), eq(ehcRequest.id, requestId)),
    );
  return row ?? null;
}

export function ehcRequestsBeingWritten(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({ id: ehcRequest.id, status: ehcRequest.status })
    .from(ehcRequest)
    .where(
      and(eq(ehcRequest.schoolId, schoolId), eq(ehcRequest.pupilId, pupilId), eq(ehcRequest.status, 'draft')),
    );
}

export async function annualReviewOfChild(db: Executor, schoolId: string, pupilId: string, reviewId: string) {
  const [row] = await db
    .select({
      id: ehcAnnualReview.id,
      status: ehcAnnualReview.status,
      dueOn: ehcAnnualReview.dueOn,
      meetingOn: ehcAnnualReview.meetingOn,
    })
    .from(ehcAnnualReview)
    .where(
      and(
        eq(ehcAnnualReview.schoolId, schoolId),
        eq(ehcAnnualReview.pupilId, pupilId),
        eq(ehcAnnualReview.id, reviewId),
      ),
    );
  return row ?? null;
}

export function annualReviewsBeingPrepared(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({
      id: ehcAnnualReview.id,
      status: ehcAnnualReview.status,
      dueOn: ehcAnnualReview.dueOn,
      meetingOn: ehcAnnualReview.meetingOn,
    })
    .from(ehcAnnualReview)
    .where(
      and(
        eq(ehcAnnualReview.schoolId, schoolId),
        eq(ehcAnnualReview.pupilId, pupilId),
        inArray(ehcAnnualReview.status, ['arranging', 'held']),
      ),
    );
}

/**
 * The child's EHC plan (the authority's, naming this school's pupil) and its newest version the
 * authority sent to the parents, if any.
 */
export async function ehcPlanOfChild(db: Executor, schoolId: string, pupilId: string, planId: string) {
  const [plan] = await db
    .select({ organisationId: ehcPlan.organisationId, id: ehcPlan.id, status: ehcPlan.status })
    .from(ehcPlan)
    .where(and(eq(ehcPlan.schoolId, schoolId), eq(ehcPlan.pupilId, pupilId), eq(ehcPlan.id, planId)));
  if (!plan) return null;
  const [version] = await db
    .select({
      id: ehcPlanVersion.id,
      number: ehcPlanVersion.number,
      stage: ehcPlanVersion.stage,
      sentOn: ehcPlanVersion.sentOn,
      commentsDueOn: ehcPlanVersion.commentsDueOn,
    })
    .from(ehcPlanVersion)
    .where(
      and(
        eq(ehcPlanVersion.organisationId, plan.organisationId),
        eq(ehcPlanVersion.planId, plan.id),
        inArray(ehcPlanVersion.stage, ['sent', 'issued']),
      ),
    )
    .orderBy(desc(ehcPlanVersion.number))
    .limit(1);
  return { plan, version: version ?? null };
}

/** The child's EHC plans with a version with the parents now (for the list of views invited). */
export function ehcDraftsWithParents(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({ planId: ehcPlan.id, versionId: ehcPlanVersion.id, commentsDueOn: ehcPlanVersion.commentsDueOn })
    .from(ehcPlan)
    .innerJoin(
      ehcPlanVersion,
      and(eq(ehcPlanVersion.organisationId, ehcPlan.organisationId), eq(ehcPlanVersion.planId, ehcPlan.id)),
    )
    .where(
      and(
        eq(ehcPlan.schoolId, schoolId),
        eq(ehcPlan.pupilId, pupilId),
        eq(ehcPlanVersion.stage, 'sent'),
        isNull(ehcPlan.ceasedOn),
      ),
    );
}
