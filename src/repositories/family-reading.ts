import { and, asc, desc, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  auditEvent,
  ehcPlan,
  ehcPlanVersion,
  letter,
  organisation,
  planReview,
  planTarget,
  supportPlan,
} from '../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';
import { letterAddressedTo } from './family.ts';

/*
 * What a parent reads of their child's record (docs/adr/0039), always found through the child (the
 * school and pupil of a live link, never an id alone), and only what is shared with families: a
 * support plan once agreed (never a draft, never the notes), letters sent, the EHC plan versions the
 * local authority sent to the parents or issued. Each query selects the parent-facing columns only.
 * And the read receipts staff see: the `family.read` rows of one record, by its index.
 */

/** The columns of a support plan a parent reads: the plan as agreed, not the SENCo's working fields. */
const familyPlanColumns = {
  id: supportPlan.id,
  cycle: supportPlan.cycle,
  status: supportPlan.status,
  desiredOutcomes: supportPlan.desiredOutcomes,
  qualityFirst: supportPlan.qualityFirst,
  interventions: supportPlan.interventions,
  taSupport: supportPlan.taSupport,
  resources: supportPlan.resources,
  parentPupilContribution: supportPlan.parentPupilContribution,
  parentsSupportAtHome: supportPlan.parentsSupportAtHome,
  startDate: supportPlan.startDate,
  reviewDate: supportPlan.reviewDate,
  agreedOn: supportPlan.agreedOn,
};
export type FamilyPlanRow = {
  [K in keyof typeof familyPlanColumns]: (typeof supportPlan.$inferSelect)[K];
};

/** A plan shared with families: agreed and put in place (in place, being reviewed, or closed by its review). */
const agreed = and(
  inArray(supportPlan.status, ['active', 'in_review', 'closed']),
  isNotNull(supportPlan.agreedOn),
);

/** The child's agreed plans, newest first: the one in place (if any) and the earlier ones. */
export async function agreedPlansOf(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select(familyPlanColumns)
    .from(supportPlan)
    .where(and(eq(supportPlan.schoolId, schoolId), eq(supportPlan.pupilId, pupilId), agreed))
    .orderBy(desc(supportPlan.cycle));
}

/** One of the child's agreed plans, or null (a draft, another child's plan, no plan). */
export async function agreedPlanOf(db: Executor, schoolId: string, pupilId: string, planId: string) {
  const [row] = await db
    .select(familyPlanColumns)
    .from(supportPlan)
    .where(
      and(
        eq(supportPlan.schoolId, schoolId),
        eq(supportPlan.pupilId, pupilId),
        eq(supportPlan.id, planId),
        agreed,
      ),
    )
    .limit(1);
  return row ?? null;
}

/** A plan's targets in the plan's words, with how they are worked on and (after the review) how they went. */
export async function familyTargetsOf(db: Executor, schoolId: string, planId: string) {
  return db
    .select({
      id: planTarget.id,
      position: planTarget.position,
      target: planTarget.target,
      achievementCriteria: planTarget.achievementCriteria,
      resourcesAndTechniques: planTarget.resourcesAndTechniques,
      classStrategies: planTarget.classStrategies,
      outcome: planTarget.outcome,
    })
    .from(planTarget)
    .where(and(eq(planTarget.schoolId, schoolId), eq(planTarget.planId, planId)))
    .orderBy(asc(planTarget.position));
}

/** A plan's review as families read it: when, the progress, the decision and the views recorded. */
export async function familyReviewOf(db: Executor, schoolId: string, planId: string) {
  const [row] = await db
    .select({
      heldOn: planReview.heldOn,
      progress: planReview.progress,
      decision: planReview.decision,
      extendedTo: planReview.extendedTo,
      pupilViews: planReview.pupilViews,
      parentsViews: planReview.parentsViews,
    })
    .from(planReview)
    .where(and(eq(planReview.schoolId, schoolId), eq(planReview.planId, planId)))
    .orderBy(desc(planReview.heldOn))
    .limit(1);
  return row ?? null;
}

/** The reviews of several plans (the list of earlier plans), by plan. */
export async function familyReviewsOf(db: Executor, schoolId: string, planIds: readonly string[]) {
  if (planIds.length === 0) return [];
  return db
    .select({
      planId: planReview.planId,
      heldOn: planReview.heldOn,
      progress: planReview.progress,
      decision: planReview.decision,
    })
    .from(planReview)
    .where(and(eq(planReview.schoolId, schoolId), inArray(planReview.planId, [...planIds])));
}

const familyLetterColumns = {
  id: letter.id,
  kind: letter.kind,
  body: letter.body,
  slip: letter.slip,
  recipients: letter.recipients,
  pupilAsSent: letter.pupilAsSent,
  sentOn: letter.sentOn,
  sentVia: letter.sentVia,
  sentByName: letter.sentByName,
  slipExpected: letter.slipExpected,
  slipReturnedOn: letter.slipReturnedOn,
};

/** The letters sent about the child (dated today or before), newest first. */
export async function sentLettersOf(
  db: Executor,
  schoolId: string,
  pupilId: string,
  today: IsoDate,
  carerIds: readonly string[],
) {
  return db
    .select(familyLetterColumns)
    .from(letter)
    .where(
      and(
        eq(letter.schoolId, schoolId),
        eq(letter.pupilId, pupilId),
        lte(letter.sentOn, today),
        letterAddressedTo(carerIds),
      ),
    )
    .orderBy(desc(letter.sentOn), desc(letter.createdAt));
}

/** One letter sent about the child, or null (another child's, not yet sent, none). */
export async function sentLetterOf(
  db: Executor,
  schoolId: string,
  pupilId: string,
  letterId: string,
  today: IsoDate,
  carerIds: readonly string[],
) {
  const [row] = await db
    .select(familyLetterColumns)
    .from(letter)
    .where(
      and(
        eq(letter.schoolId, schoolId),
        eq(letter.pupilId, pupilId),
        eq(letter.id, letterId),
        lte(letter.sentOn, today),
        letterAddressedTo(carerIds),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * The versions of the child's EHC plans the local authority sent to the parents or issued, newest
 * first (never one it is still writing), with the plan and the authority. Read by the plan's school
 * and pupil (the school the child is at), by its index.
 */
export async function ehcVersionsForFamily(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({
      organisationId: ehcPlan.organisationId,
      planId: ehcPlan.id,
      planStatus: ehcPlan.status,
      ceasedOn: ehcPlan.ceasedOn,
      reviewDueOn: ehcPlan.reviewDueOn,
      authorityName: organisation.name,
      upn: ehcPlan.upn,
      versionId: ehcPlanVersion.id,
      number: ehcPlanVersion.number,
      stage: ehcPlanVersion.stage,
      reason: ehcPlanVersion.reason,
      sentOn: ehcPlanVersion.sentOn,
      commentsDueOn: ehcPlanVersion.commentsDueOn,
      issuedOn: ehcPlanVersion.issuedOn,
    })
    .from(ehcPlan)
    .innerJoin(
      ehcPlanVersion,
      and(eq(ehcPlanVersion.organisationId, ehcPlan.organisationId), eq(ehcPlanVersion.planId, ehcPlan.id)),
    )
    .innerJoin(organisation, eq(organisation.id, ehcPlan.organisationId))
    .where(
      and(
        eq(ehcPlan.schoolId, schoolId),
        eq(ehcPlan.pupilId, pupilId),
        inArray(ehcPlanVersion.stage, ['sent', 'issued']),
      ),
    )
    .orderBy(desc(ehcPlan.createdAt), desc(ehcPlanVersion.number));
}
export type FamilyEhcVersion = Awaited<ReturnType<typeof ehcVersionsForFamily>>[number];

/** The sections of one version of the child's plan, sent to the parents or issued; null otherwise. */
export async function ehcVersionSections(
  db: Executor,
  schoolId: string,
  pupilId: string,
  key: { organisationId: string; planId: string; number: number },
) {
  const [row] = await db
    .select({ sections: ehcPlanVersion.sections })
    .from(ehcPlanVersion)
    .innerJoin(
      ehcPlan,
      and(eq(ehcPlan.organisationId, ehcPlanVersion.organisationId), eq(ehcPlan.id, ehcPlanVersion.planId)),
    )
    .where(
      and(
        eq(ehcPlanVersion.organisationId, key.organisationId),
        eq(ehcPlanVersion.planId, key.planId),
        eq(ehcPlanVersion.number, key.number),
        inArray(ehcPlanVersion.stage, ['sent', 'issued']),
        eq(ehcPlan.schoolId, schoolId),
        eq(ehcPlan.pupilId, pupilId),
      ),
    )
    .limit(1);
  return row?.sections ?? null;
}

/** The records a read receipt is kept for. */
export type FamilyReadRecord = 'plan' | 'letter' | 'ehc_plan_version';

export interface FamilyRead {
  userId: string;
  /** The parent as the school knows them (their parent-carer record), else their account's name. */
  name: string;
  relationship: string | null;
  firstReadAt: Date;
  lastReadAt: Date;
  times: number;
}

/**
 * Who of the parents read one record, and when (first and last), from the `family.read` rows of the
 * school's trail: found by the record's id on a partial index of those rows alone, so the answer does
 * not slow as the pupil's trail grows.
 */
export async function familyReadsOf(
  db: Executor,
  schoolId: string,
  pupilId: string,
  record: FamilyReadRecord,
  id: string,
): Promise<FamilyRead[]> {
  const result = await db.execute(sql`
    select r.user_id as "userId", r.first_read as "firstReadAt", r.last_read as "lastReadAt", r.times,
      coalesce(pc.name, u.name) as name, pc.relationship
    from (
      select ${auditEvent.userId} as user_id, min(${auditEvent.occurredAt}) as first_read,
        max(${auditEvent.occurredAt}) as last_read, count(*)::int as times
      from ${auditEvent}
      where ${auditEvent.schoolId} = ${schoolId} and ${auditEvent.action} = 'family.read'
        and (${auditEvent.detail}->>'id') = ${id} and ${auditEvent.detail}->>'record' = ${record}
        and ${auditEvent.pupilId} = ${pupilId}
      group by ${auditEvent.userId}
    ) r
    left join app_user u on u.id = r.user_id
    left join lateral (
      select c.name, c.relationship from parent_account a
      join parent_carer c on c.school_id = a.school_id and c.id = a.parent_carer_id
      where a.school_id = ${schoolId} and a.pupil_id = ${pupilId} and a.user_id = r.user_id
      order by a.ended_at is null desc, a.created_at desc limit 1
    ) pc on true
    order by r.first_read`);
  const rows = (result as unknown as { rows: Record<string, unknown>[] }).rows;
  return rows.map((r) => ({
    userId: String(r.userId),
    name: String(r.name ?? 'A parent or carer'),
    relationship: r.relationship == null ? null : String(r.relationship),
    firstReadAt: new Date(r.firstReadAt as string),
    lastReadAt: new Date(r.lastReadAt as string),
    times: Number(r.times),
  }));
}
