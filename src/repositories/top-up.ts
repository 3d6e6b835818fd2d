import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  organisationCase,
  planTarget,
  pupil,
  pupilAction,
  schoolClass,
  supportPlan,
  topUpApplication,
  topUpDecision,
} from '../db/schema/index.ts';
import type { AccessScope } from '../domain/access.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { SchoolRequestStatus, TopUpOutcome } from '../domain/ehc.ts';
import { TOP_UP_REMINDER_DAYS } from '../domain/top-up.ts';
import { sectionCondition } from './access.ts';

/*
 * High-needs top-up funding (docs/adr/0036): the school's applications (the school's rows, by its key)
 * and the local authority's decisions on them (the organisation's rows, by its key), linked by the
 * case's id, never by a foreign key across owners. The school reads the decision on its own
 * application by the organisation and case its application names.
 */

export type TopUpApplicationRow = typeof topUpApplication.$inferSelect;
export type TopUpDecisionRow = typeof topUpDecision.$inferSelect;

export async function insertTopUpApplication(db: Executor, row: typeof topUpApplication.$inferInsert) {
  await db.insert(topUpApplication).values(row);
}

export async function findTopUpApplication(
  db: Executor,
  schoolId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<TopUpApplicationRow | null> {
  const query = db
    .select()
    .from(topUpApplication)
    .where(and(eq(topUpApplication.schoolId, schoolId), eq(topUpApplication.id, id)))
    .limit(1);
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

/** The application being written for a pupil (one at a time), or null. */
export async function draftTopUpOfPupil(db: Executor, schoolId: string, pupilId: string) {
  const rows = await db
    .select({ id: topUpApplication.id })
    .from(topUpApplication)
    .where(
      and(
        eq(topUpApplication.schoolId, schoolId),
        eq(topUpApplication.pupilId, pupilId),
        eq(topUpApplication.status, 'draft'),
      ),
    )
    .limit(1);
  return rows[0]?.id ?? null;
}

/** Change an application at the version the user saw; false when someone else changed it first. */
export async function updateTopUpApplication(
  db: Executor,
  schoolId: string,
  id: string,
  version: number,
  set: Partial<typeof topUpApplication.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(topUpApplication)
    .set({ ...set, version: sql`${topUpApplication.version} + 1` })
    .where(
      and(
        eq(topUpApplication.schoolId, schoolId),
        eq(topUpApplication.id, id),
        eq(topUpApplication.version, version),
      ),
    )
    .returning({ id: topUpApplication.id });
  return rows.length > 0;
}

/** The pupil's support plan an application rests on: the one in place (or being reviewed), else the newest. */
export async function currentPlanOfPupil(db: Executor, schoolId: string, pupilId: string) {
  const rows = await db
    .select()
    .from(supportPlan)
    .where(and(eq(supportPlan.schoolId, schoolId), eq(supportPlan.pupilId, pupilId)))
    .orderBy(
      sql`case ${supportPlan.status} when 'active' then 0 when 'in_review' then 1 when 'closed' then 2 else 3 end`,
      desc(supportPlan.cycle),
    )
    .limit(1);
  const plan = rows[0];
  if (!plan) return null;
  const targets = await db
    .select()
    .from(planTarget)
    .where(and(eq(planTarget.schoolId, schoolId), eq(planTarget.planId, plan.id)))
    .orderBy(asc(planTarget.position));
  return { plan, targets };
}

/** An open "consider high-needs top-up funding" decision of a review about this pupil, or null. */
export async function findOpenTopUpAction(db: Executor, schoolId: string, pupilId: string, actionId: string) {
  const rows = await db
    .select()
    .from(pupilAction)
    .where(
      and(
        eq(pupilAction.schoolId, schoolId),
        eq(pupilAction.pupilId, pupilId),
        eq(pupilAction.id, actionId),
        eq(pupilAction.kind, 'top_up_funding'),
        eq(pupilAction.status, 'open'),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

// The local authority's decision

export async function findTopUpDecision(
  db: Executor,
  organisationId: string,
  caseId: string,
  options: { lock?: boolean } = {},
): Promise<TopUpDecisionRow | null> {
  const query = db
    .select()
    .from(topUpDecision)
    .where(and(eq(topUpDecision.organisationId, organisationId), eq(topUpDecision.caseId, caseId)))
    .limit(1);
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

export async function insertTopUpDecision(db: Executor, row: typeof topUpDecision.$inferInsert) {
  await db.insert(topUpDecision).values(row);
}

/** Change the decision at the version the officer saw; false when someone else changed it first. */
export async function updateTopUpDecision(
  db: Executor,
  organisationId: string,
  id: string,
  version: number,
  set: Partial<typeof topUpDecision.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(topUpDecision)
    .set({ ...set, version: sql`${topUpDecision.version} + 1` })
    .where(
      and(
        eq(topUpDecision.organisationId, organisationId),
        eq(topUpDecision.id, id),
        eq(topUpDecision.version, version),
      ),
    )
    .returning({ id: topUpDecision.id });
  return rows.length > 0;
}

/** Where a top-up case stands at the authority (received, decided, withdrawn), and whether it is closed. */
export async function setTopUpCaseStage(
  db: Executor,
  organisationId: string,
  caseId: string,
  set: { stage: 'received' | 'decided' | 'withdrawn'; closedOn: IsoDate | null; closedReason: string | null },
) {
  await db
    .update(organisationCase)
    .set({ ...set, version: sql`${organisationCase.version} + 1` })
    .where(
      and(
        eq(organisationCase.organisationId, organisationId),
        eq(organisationCase.id, caseId),
        eq(organisationCase.kind, 'top_up_funding'),
      ),
    );
}

/** The decisions on a school's applications, by application id (read by the ids the applications name). */
export async function decisionsOfApplications(
  db: Executor,
  applications: readonly Pick<TopUpApplicationRow, 'id' | 'organisationId' | 'caseId'>[],
) {
  const linked = applications.filter((a) => a.organisationId && a.caseId);
  if (linked.length === 0) return new Map<string, TopUpDecisionRow>();
  const rows = await db
    .select()
    .from(topUpDecision)
    .where(
      inArray(
        topUpDecision.caseId,
        linked.map((a) => a.caseId as string),
      ),
    );
  const byCase = new Map(rows.map((r) => [`${r.organisationId}:${r.caseId}`, r]));
  const found = new Map<string, TopUpDecisionRow>();
  for (const a of linked) {
    const d = byCase.get(`${a.organisationId}:${a.caseId}`);
    if (d) found.set(a.id, d);
  }
  return found;
}

/** A pupil's applications, newest first. */
export async function topUpApplicationsOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select()
    .from(topUpApplication)
    .where(and(eq(topUpApplication.schoolId, schoolId), eq(topUpApplication.pupilId, pupilId)))
    .orderBy(desc(topUpApplication.createdAt));
}

/**
 * The pupil record's fragment (see pupil-record.ts): the pupil's applications, where each stands, and
 * the local authority's decision on each (read by the organisation and case the application names).
 */
export interface TopUpItem {
  id: string;
  status: SchoolRequestStatus;
  amountPence: number | null;
  periodFrom: IsoDate | null;
  periodTo: IsoDate | null;
  sentAt: string | null;
  sentHow: string | null;
  createdAt: string;
  decision: {
    outcome: TopUpOutcome;
    decidedOn: IsoDate;
    amountPence: number | null;
    band: string | null;
    fundedFrom: IsoDate | null;
    fundedUntil: IsoDate | null;
  } | null;
}

export const topUpFragment = {
  section: 'ehc' as const,
  json: sql<TopUpItem[] | string>`select json_agg(json_build_object(
    'id', ${topUpApplication.id}, 'status', ${topUpApplication.status},
    'amountPence', ${topUpApplication.amountPence}, 'periodFrom', ${topUpApplication.periodFrom},
    'periodTo', ${topUpApplication.periodTo}, 'sentAt', ${topUpApplication.sentAt},
    'sentHow', ${topUpApplication.sentHow}, 'createdAt', ${topUpApplication.createdAt},
    'decision', (select json_build_object('outcome', d.outcome, 'decidedOn', d.decided_on,
        'amountPence', d.amount_pence, 'band', d.band, 'fundedFrom', d.funded_from, 'fundedUntil', d.funded_until)
      from ${topUpDecision} d where d.organisation_id = ${topUpApplication.organisationId}
        and d.case_id = ${topUpApplication.caseId})
    ) order by ${topUpApplication.createdAt} desc)
    from ${topUpApplication} where ${topUpApplication.schoolId} = ${pupil.schoolId}
      and ${topUpApplication.pupilId} = ${pupil.id}`,
};

/**
 * Funding agreed by the local authority that ends within six weeks of `today` (and has not ended) and
 * whose school has not been reminded of this ending: the school, its application and the decision.
 */
export async function endingTopUpsToRemind(db: Executor, today: IsoDate) {
  return db
    .select({
      organisationId: topUpDecision.organisationId,
      decisionId: topUpDecision.id,
      fundedUntil: topUpDecision.fundedUntil,
      schoolId: topUpApplication.schoolId,
      applicationId: topUpApplication.id,
    })
    .from(topUpDecision)
    .innerJoin(
      topUpApplication,
      and(
        eq(topUpApplication.organisationId, topUpDecision.organisationId),
        eq(topUpApplication.caseId, topUpDecision.caseId),
      ),
    )
    .innerJoin(
      pupil,
      and(eq(pupil.schoolId, topUpApplication.schoolId), eq(pupil.id, topUpApplication.pupilId)),
    )
    .where(
      and(
        inArray(topUpDecision.outcome, ['agreed', 'agreed_in_part']),
        sql`${topUpDecision.fundedUntil} >= ${today}::date`,
        sql`${topUpDecision.fundedUntil} <= ${today}::date + ${TOP_UP_REMINDER_DAYS}::int`,
        sql`${topUpDecision.endRemindedFor} is distinct from ${topUpDecision.fundedUntil}`,
        isNull(pupil.leftOn),
        isNull(pupil.erasedAt),
      ),
    )
    .orderBy(asc(topUpApplication.schoolId), asc(topUpDecision.id));
}

/**
 * Record that the school was reminded of this ending; false when it already was (another run got there
 * first: the row lock makes the second wait, then find the ending already recorded).
 */
export async function markTopUpEndReminded(
  db: Executor,
  organisationId: string,
  decisionId: string,
  fundedUntil: IsoDate,
): Promise<boolean> {
  const rows = await db
    .update(topUpDecision)
    .set({ endRemindedFor: fundedUntil })
    .where(
      and(
        eq(topUpDecision.organisationId, organisationId),
        eq(topUpDecision.id, decisionId),
        eq(topUpDecision.fundedUntil, fundedUntil),
        sql`${topUpDecision.endRemindedFor} is distinct from ${fundedUntil}::date`,
      ),
    )
    .returning({ id: topUpDecision.id });
  return rows.length > 0;
}

/** The pupil record's fragment of open "consider high-needs top-up funding" decisions of reviews. */
export const topUpReviewActionsFragment = {
  section: 'ehc' as const,
  json: sql<
    { id: string; notes: string | null; createdAt: string }[] | string
  >`select json_agg(json_build_object('id', ${pupilAction.id}, 'notes', ${pupilAction.notes},
    'createdAt', ${pupilAction.createdAt}) order by ${pupilAction.createdAt} desc)
    from ${pupilAction} where ${pupilAction.schoolId} = ${pupil.schoolId} and ${pupilAction.pupilId} = ${pupil.id}
    and ${pupilAction.kind} = 'top_up_funding' and ${pupilAction.status} = 'open'`,
};

/**
 * The school's applications for top-up funding (the SENCo's list), limited to the pupils whose EHC work
 * the reader may see: being written first, then waiting for a decision, then newest; each with the local
 * authority's decision (read by the organisation and case the application names). One statement.
 */
export async function listTopUpApplications(db: Executor, scope: AccessScope, limit: number) {
  const rows = await db
    .select({
      id: topUpApplication.id,
      pupilId: topUpApplication.pupilId,
      forename: pupil.forename,
      surname: pupil.surname,
      className: schoolClass.name,
      status: topUpApplication.status,
      amountPence: topUpApplication.amountPence,
      periodFrom: topUpApplication.periodFrom,
      periodTo: topUpApplication.periodTo,
      sentAt: topUpApplication.sentAt,
      sentHow: topUpApplication.sentHow,
      withdrawnOn: topUpApplication.withdrawnOn,
      createdAt: topUpApplication.createdAt,
      outcome: topUpDecision.outcome,
      decidedOn: topUpDecision.decidedOn,
      decidedAmountPence: topUpDecision.amountPence,
      band: topUpDecision.band,
      fundedFrom: topUpDecision.fundedFrom,
      fundedUntil: topUpDecision.fundedUntil,
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(topUpApplication)
    .innerJoin(
      pupil,
      and(eq(pupil.schoolId, topUpApplication.schoolId), eq(pupil.id, topUpApplication.pupilId)),
    )
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .leftJoin(
      topUpDecision,
      and(
        eq(topUpDecision.organisationId, topUpApplication.organisationId),
        eq(topUpDecision.caseId, topUpApplication.caseId),
      ),
    )
    .where(
      and(
        eq(topUpApplication.schoolId, scope.schoolId),
        isNull(pupil.erasedAt),
        sectionCondition(scope, 'ehc'),
      ),
    )
    .orderBy(
      sql`(${topUpApplication.status} = 'draft') desc`,
      sql`(${topUpApplication.status} = 'sent' and ${topUpDecision.caseId} is null) desc`,
      desc(topUpApplication.createdAt),
      asc(topUpApplication.id),
    )
    .limit(limit);
  return { total: rows[0]?.total ?? 0, rows: rows.map(({ total: _, ...r }) => r) };
}
export type TopUpListRow = Awaited<ReturnType<typeof listTopUpApplications>>['rows'][number];

/** The applications of these pupils with the decision on each (for the prompt to apply): one statement. */
export async function applicationFactsOfPupils(db: Executor, schoolId: string, pupilIds: readonly string[]) {
  if (pupilIds.length === 0) return [];
  return db
    .select({
      pupilId: topUpApplication.pupilId,
      status: topUpApplication.status,
      sentAt: topUpApplication.sentAt,
      outcome: topUpDecision.outcome,
      fundedFrom: topUpDecision.fundedFrom,
      fundedUntil: topUpDecision.fundedUntil,
    })
    .from(topUpApplication)
    .leftJoin(
      topUpDecision,
      and(
        eq(topUpDecision.organisationId, topUpApplication.organisationId),
        eq(topUpDecision.caseId, topUpApplication.caseId),
      ),
    )
    .where(
      and(
        eq(topUpApplication.schoolId, schoolId),
        inArray(topUpApplication.pupilId, [...pupilIds]),
        inArray(topUpApplication.status, ['sent']),
      ),
    );
}
