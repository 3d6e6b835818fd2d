import { and, asc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  ehcPlan,
  ehcPlanVersion,
  ehcReviewDecision,
  ehcReviewTermList,
  membershipRole,
  organisationCase,
  pupil,
  school,
} from '../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';

/*
 * The local authority's side of annual reviews (docs/adr/0038): its plans by the day their review falls
 * due, the reports received waiting for a decision, the amendments under way, and its decisions. Read by
 * the organisation's key and the plan's review-due index, in a few statements for the whole authority.
 * The child's name is the authority's own copy (what the school sent with the request), never the
 * school's pupil row.
 */

export type ReviewDecisionRow = typeof ehcReviewDecision.$inferSelect;

/** The plan's columns a list needs, with the child's name, the school's and the caseworker's. */
const PLAN_SUMMARY = {
  planId: ehcPlan.id,
  caseId: ehcPlan.caseId,
  schoolId: ehcPlan.schoolId,
  pupilId: ehcPlan.pupilId,
  status: ehcPlan.status,
  finalVersion: ehcPlan.finalVersion,
  latestVersion: ehcPlan.latestVersion,
  startedOn: ehcPlan.startedOn,
  lastReviewOn: ehcPlan.lastReviewOn,
  reviewDueOn: ehcPlan.reviewDueOn,
  schoolName: school.name,
  forename: sql<string | null>`${organisationCase.received}->'child'->>'forename'`,
  surname: sql<string | null>`${organisationCase.received}->'child'->>'surname'`,
  birthDate: sql<string | null>`${organisationCase.received}->'child'->>'birthDate'`,
  caseworkerUserId: organisationCase.caseworkerUserId,
  caseworkerName: appUser.name,
};

/** The plan's own columns a decision's page needs beyond the list's. */
const PLAN_MORE = {
  version: ehcPlan.version,
  ceasedOn: ehcPlan.ceasedOn,
  ceaseReason: ehcPlan.ceaseReason,
  upn: ehcPlan.upn,
};

function planQuery(db: Executor) {
  return db
    .select({ ...PLAN_SUMMARY, ...PLAN_MORE })
    .from(ehcPlan)
    .innerJoin(
      organisationCase,
      and(
        eq(organisationCase.organisationId, ehcPlan.organisationId),
        eq(organisationCase.id, ehcPlan.caseId),
      ),
    )
    .innerJoin(school, eq(school.id, ehcPlan.schoolId))
    .leftJoin(appUser, eq(appUser.id, organisationCase.caseworkerUserId));
}

/** The organisation's final plans whose review falls due on or before `dueBy` (overdue ones too). */
export async function plansDueBy(db: Executor, organisationId: string, dueBy: IsoDate) {
  return planQuery(db)
    .where(
      and(
        eq(ehcPlan.organisationId, organisationId),
        eq(ehcPlan.status, 'final'),
        lte(ehcPlan.reviewDueOn, dueBy),
      ),
    )
    .orderBy(asc(ehcPlan.reviewDueOn), asc(ehcPlan.id));
}

/**
 * The organisation's final plans of children who may be in a year of phase transfer: born in these
 * windows, or placed in a year group by their school. The child's date of birth and year group are the
 * school's (their pupil row, as the school's own reviews page reads them), else the authority's own copy
 * of the request. The caller works out which are in a year of transfer.
 */
export async function finalPlansBornBetween(
  db: Executor,
  organisationId: string,
  windows: readonly { from: IsoDate; to: IsoDate }[],
) {
  if (windows.length === 0) return [];
  const received = sql<string | null>`(${organisationCase.received}->'child'->>'birthDate')`;
  const born = sql<
    string | null
  >`coalesce(${pupil.dateOfBirth}::text, case when ${received} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then ${received} end)`;
  return db
    .select({
      ...PLAN_SUMMARY,
      birthDate: born,
      ncYearOverride: pupil.ncYearOverride,
      rolledOverTo: school.rolledOverTo,
      lowestNcYear: school.lowestNcYear,
      highestNcYear: school.highestNcYear,
    })
    .from(ehcPlan)
    .innerJoin(
      organisationCase,
      and(
        eq(organisationCase.organisationId, ehcPlan.organisationId),
        eq(organisationCase.id, ehcPlan.caseId),
      ),
    )
    .innerJoin(school, eq(school.id, ehcPlan.schoolId))
    .leftJoin(pupil, and(eq(pupil.schoolId, ehcPlan.schoolId), eq(pupil.id, ehcPlan.pupilId)))
    .leftJoin(appUser, eq(appUser.id, organisationCase.caseworkerUserId))
    .where(
      and(
        eq(ehcPlan.organisationId, organisationId),
        eq(ehcPlan.status, 'final'),
        or(
          sql`${pupil.ncYearOverride} is not null`,
          ...windows.map((w) => sql`${born} between ${w.from} and ${w.to}`),
        ),
      ),
    )
    .orderBy(asc(ehcPlan.id));
}

const DECISION_SUMMARY = {
  decisionId: ehcReviewDecision.id,
  meetingOn: ehcReviewDecision.meetingOn,
  receivedOn: ehcReviewDecision.receivedOn,
  decision: ehcReviewDecision.decision,
  decidedOn: ehcReviewDecision.decidedOn,
  amendmentVersion: ehcReviewDecision.amendmentVersion,
  decisionSchoolId: ehcReviewDecision.schoolId,
  /** The proposed amendments: the day they went to the parents (the eight weeks run from it). */
  amendmentSentOn: ehcPlanVersion.sentOn,
};

function decisionQuery(db: Executor) {
  return db
    .select({ ...PLAN_SUMMARY, ...DECISION_SUMMARY })
    .from(ehcReviewDecision)
    .innerJoin(
      ehcPlan,
      and(
        eq(ehcPlan.organisationId, ehcReviewDecision.organisationId),
        eq(ehcPlan.id, ehcReviewDecision.planId),
      ),
    )
    .innerJoin(
      organisationCase,
      and(
        eq(organisationCase.organisationId, ehcPlan.organisationId),
        eq(organisationCase.id, ehcPlan.caseId),
      ),
    )
    .innerJoin(school, eq(school.id, ehcPlan.schoolId))
    .leftJoin(appUser, eq(appUser.id, organisationCase.caseworkerUserId))
    .leftJoin(
      ehcPlanVersion,
      and(
        eq(ehcPlanVersion.organisationId, ehcReviewDecision.organisationId),
        eq(ehcPlanVersion.planId, ehcReviewDecision.planId),
        eq(ehcPlanVersion.number, ehcReviewDecision.amendmentVersion),
      ),
    );
}

/**
 * The reports received and waiting for the authority's decision, and the decisions to amend whose
 * amended plan is not yet issued: the work between a review meeting and its outcome.
 */
export async function decisionsUnderWay(db: Executor, organisationId: string) {
  return decisionQuery(db)
    .where(
      and(
        eq(ehcReviewDecision.organisationId, organisationId),
        eq(ehcPlan.organisationId, organisationId),
        or(
          isNull(ehcReviewDecision.decision),
          and(
            eq(ehcReviewDecision.decision, 'amend'),
            sql`${ehcPlan.status} <> 'ceased'`,
            or(
              isNull(ehcReviewDecision.amendmentVersion),
              isNull(ehcPlan.finalVersion),
              lt(ehcPlan.finalVersion, ehcReviewDecision.amendmentVersion),
            ),
          ),
        ),
      ),
    )
    .orderBy(asc(ehcReviewDecision.meetingOn), asc(ehcReviewDecision.id));
}

/** One of the organisation's review decisions, or null. */
export async function findReviewDecision(
  db: Executor,
  organisationId: string,
  id: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select()
    .from(ehcReviewDecision)
    .where(and(eq(ehcReviewDecision.organisationId, organisationId), eq(ehcReviewDecision.id, id)));
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

/** The plan of a decision with its summary (names, school, caseworker), or null. */
export async function planSummary(db: Executor, organisationId: string, planId: string) {
  const [row] = await planQuery(db).where(
    and(eq(ehcPlan.organisationId, organisationId), eq(ehcPlan.id, planId)),
  );
  return row ?? null;
}

/** Every decision on a plan's reviews, newest meeting first. */
export async function decisionsOfPlan(db: Executor, organisationId: string, planId: string) {
  return db
    .select()
    .from(ehcReviewDecision)
    .where(and(eq(ehcReviewDecision.organisationId, organisationId), eq(ehcReviewDecision.planId, planId)))
    .orderBy(sql`${ehcReviewDecision.meetingOn} desc`, asc(ehcReviewDecision.id));
}

/** Record the decision, if the row is still at `version`: false when someone else saved first. */
export async function saveDecision(
  db: Executor,
  key: { organisationId: string; id: string; version: number },
  values: Pick<
    typeof ehcReviewDecision.$inferInsert,
    'decision' | 'decidedOn' | 'reasons' | 'ceaseReason' | 'amendmentVersion' | 'decidedBy' | 'decidedByName'
  >,
) {
  const rows = await db
    .update(ehcReviewDecision)
    .set({ ...values, version: sql`${ehcReviewDecision.version} + 1` })
    .where(
      and(
        eq(ehcReviewDecision.organisationId, key.organisationId),
        eq(ehcReviewDecision.id, key.id),
        eq(ehcReviewDecision.version, key.version),
      ),
    )
    .returning({ id: ehcReviewDecision.id });
  return rows.length > 0;
}

/** The plan after a decision: its review dates moved on, or ceased. */
export async function updatePlanAfterDecision(
  db: Executor,
  key: { organisationId: string; id: string },
  values: Pick<
    typeof ehcPlan.$inferInsert,
    'lastReviewOn' | 'reviewDueOn' | 'status' | 'ceasedOn' | 'ceaseReason' | 'remindedFor'
  >,
) {
  await db
    .update(ehcPlan)
    .set({ ...values, version: sql`${ehcPlan.version} + 1` })
    .where(and(eq(ehcPlan.organisationId, key.organisationId), eq(ehcPlan.id, key.id)));
}

/** The organisations (local authorities) holding final plans: the termly lists and reminders go through them. */
export async function organisationsWithFinalPlans(db: Executor) {
  const rows = await db
    .selectDistinct({ organisationId: ehcPlan.organisationId })
    .from(ehcPlan)
    .where(eq(ehcPlan.status, 'final'));
  return rows.map((r) => r.organisationId);
}

/**
 * For the termly list: per school, how many of the organisation's final plans fall due for review in
 * the term (from `from` to `to`) and how many are already overdue on `today`.
 */
export async function termCountsBySchool(
  db: Executor,
  organisationId: string,
  term: { from: IsoDate; to: IsoDate },
  today: IsoDate,
) {
  return db
    .select({
      schoolId: ehcPlan.schoolId,
      due: sql<number>`count(*) filter (where ${ehcPlan.reviewDueOn} >= ${term.from})::int`,
      overdue: sql<number>`count(*) filter (where ${ehcPlan.reviewDueOn} < ${today})::int`,
    })
    .from(ehcPlan)
    .where(
      and(
        eq(ehcPlan.organisationId, organisationId),
        eq(ehcPlan.status, 'final'),
        lte(ehcPlan.reviewDueOn, term.to),
      ),
    )
    .groupBy(ehcPlan.schoolId);
}

/** Claim a school's termly list: true the first time, once per school and term, whoever runs at once. */
export async function claimTermList(db: Executor, row: typeof ehcReviewTermList.$inferInsert) {
  const rows = await db
    .insert(ehcReviewTermList)
    .values(row)
    .onConflictDoNothing()
    .returning({ schoolId: ehcReviewTermList.schoolId });
  return rows.length > 0;
}

/** The termly lists an organisation sent for a term, by school. */
export async function termListsSent(db: Executor, organisationId: string, termStartsOn: IsoDate) {
  return db
    .select()
    .from(ehcReviewTermList)
    .where(
      and(
        eq(ehcReviewTermList.organisationId, organisationId),
        eq(ehcReviewTermList.termStartsOn, termStartsOn),
      ),
    );
}

/** The school's head teachers' addresses (accounts not turned off). */
export async function headTeacherEmailsOf(db: Executor, schoolId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ email: appUser.email })
    .from(membershipRole)
    .innerJoin(appUser, eq(appUser.id, membershipRole.userId))
    .where(
      and(
        eq(membershipRole.schoolId, schoolId),
        eq(membershipRole.role, 'head_teacher'),
        isNull(appUser.disabledAt),
      ),
    )
    .orderBy(asc(appUser.email));
  return rows.map((r) => r.email);
}

/** Claim the reminder of a plan's deadline: true once per deadline key, whoever runs at the same time. */
export async function claimPlanReminder(db: Executor, organisationId: string, planId: string, key: string) {
  const rows = await db
    .update(ehcPlan)
    .set({ remindedFor: key })
    .where(
      and(
        eq(ehcPlan.organisationId, organisationId),
        eq(ehcPlan.id, planId),
        or(isNull(ehcPlan.remindedFor), sql`${ehcPlan.remindedFor} <> ${key}`),
      ),
    )
    .returning({ id: ehcPlan.id });
  return rows.length > 0;
}

/** Organisations with review decisions under way held by a caseworker (the nightly reminder). */
export async function organisationsWithDecisionsUnderWay(db: Executor) {
  const rows = await db
    .selectDistinct({ organisationId: ehcReviewDecision.organisationId })
    .from(ehcReviewDecision)
    .where(or(isNull(ehcReviewDecision.decision), eq(ehcReviewDecision.decision, 'amend')));
  return rows.map((r) => r.organisationId);
}
