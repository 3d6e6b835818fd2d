import { and, asc, desc, eq, inArray, isNull, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  agencyReport,
  appUser,
  concern,
  groupMember,
  intervention,
  membershipRole,
  planTarget,
  provisionGroup,
  pupil,
  pupilAction,
  pupilShare,
  referral,
  referralConsent,
  referralEvent,
  schoolClass,
  supportPlan,
} from '../db/schema/index.ts';
import type { AccessScope } from '../domain/access.ts';
import type { ServiceKind } from '../domain/agencies.ts';
import type { IsoDate } from '../domain/dates.ts';
import { EHC_ADVICE_WEEKS, type ReferralStatus } from '../domain/referrals.ts';
import { matchedReaches, reachColumns, sectionCondition } from './access.ts';
import type { ReferralInsert } from './agencies.ts';
import { parseJson } from './sessions.ts';

/*
 * Referrals to outside agencies (docs/adr/0033) as the school's pages read them: one referral with the
 * reaches that include its pupil (the policy decides what the reader may do), its steps, consents and
 * reports; the school's list in one query with the reader's reach compiled in; what is late, for the
 * nightly reminder; and the pupil page's fragment.
 */

export type ReferralRow = typeof referral.$inferSelect;
export type ConsentRow = typeof referralConsent.$inferSelect;

/**
 * The day a referral's report is due, in SQL (domain/referrals.ts reportDueOn): as the service said, else
 * six weeks after sending for advice asked for an EHC needs assessment.
 */
export const reportDueSql = sql<
  string | null
>`coalesce(${referral.reportDueOn}, case when ${referral.forEhcAssessment} then ${referral.sentOn} + ${EHC_ADVICE_WEEKS * 7}::int end)`;

/**
 * What is late on `today`, in SQL (domain/referrals.ts lateness, kept in step by referrals.test.ts):
 * 'report' when the report is past due, else 'response' when a sent referral had no answer by the day
 * the service said; null otherwise (not yet sent, report in, or ended).
 */
export function lateKindSql(today: IsoDate | SQLWrapper): SQL<'report' | 'response' | null> {
  return sql<'report' | 'response' | null>`case
    when ${referral.status} in ('sent', 'waiting_list', 'accepted', 'seen') and ${reportDueSql} < ${today}::date then 'report'
    when ${referral.status} = 'sent' and ${referral.respondBy} < ${today}::date then 'response'
    else null end`;
}

/** The consents of the referral in the row, as JSON: each referral has few. */
const consentsJson = sql<string | ConsentSummary[]>`(select coalesce(json_agg(json_build_object(
    'givenOn', ${referralConsent.givenOn}, 'validUntil', ${referralConsent.validUntil},
    'withdrawnOn', ${referralConsent.withdrawnOn}, 'coversReferral', ${referralConsent.coversReferral},
    'coversSharing', ${referralConsent.coversSharing}) order by ${referralConsent.givenOn}), '[]'::json)
  from ${referralConsent} where ${referralConsent.schoolId} = ${referral.schoolId} and ${referralConsent.referralId} = ${referral.id})`;

export interface ConsentSummary {
  givenOn: IsoDate;
  validUntil: IsoDate | null;
  withdrawnOn: IsoDate | null;
  coversReferral: boolean;
  coversSharing: boolean;
}

export async function insertReferral(db: Executor, row: ReferralInsert) {
  await db.insert(referral).values(row);
}

/**
 * One referral of the school with its pupil's name and class and the reaches that include the pupil;
 * `lock` takes the referral row for a change. Null when it is not a referral of this school.
 */
export async function findReferral(
  db: Executor,
  scope: AccessScope,
  referralId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({
      referral,
      forename: pupil.forename,
      surname: pupil.surname,
      dateOfBirth: pupil.dateOfBirth,
      leftOn: pupil.leftOn,
      senStage: pupil.senStage,
      className: schoolClass.name,
      ...reachColumns(scope),
    })
    .from(referral)
    .innerJoin(pupil, and(eq(pupil.schoolId, referral.schoolId), eq(pupil.id, referral.pupilId)))
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(referral.schoolId, scope.schoolId), eq(referral.id, referralId), isNull(pupil.erasedAt)))
    .limit(1);
  const rows = await (options.lock ? query.for('update', { of: referral }) : query);
  const row = rows[0] as (Record<string, unknown> & { referral: ReferralRow }) | undefined;
  if (!row) return null;
  return {
    referral: row.referral,
    pupil: {
      id: row.referral.pupilId,
      forename: row.forename as string,
      surname: row.surname as string,
      dateOfBirth: row.dateOfBirth as string,
      leftOn: row.leftOn as string | null,
      senStage: row.senStage as string,
    },
    className: row.className as string | null,
    reaches: matchedReaches(scope, row),
  };
}

export async function eventsOfReferral(db: Executor, schoolId: string, referralId: string) {
  return db
    .select()
    .from(referralEvent)
    .where(and(eq(referralEvent.schoolId, schoolId), eq(referralEvent.referralId, referralId)))
    .orderBy(asc(referralEvent.happenedOn), asc(referralEvent.createdAt));
}

export async function consentsOfReferral(db: Executor, schoolId: string, referralId: string) {
  return db
    .select()
    .from(referralConsent)
    .where(and(eq(referralConsent.schoolId, schoolId), eq(referralConsent.referralId, referralId)))
    .orderBy(asc(referralConsent.givenOn), asc(referralConsent.createdAt));
}

export async function findConsent(db: Executor, schoolId: string, referralId: string, consentId: string) {
  const rows = await db
    .select()
    .from(referralConsent)
    .where(
      and(
        eq(referralConsent.schoolId, schoolId),
        eq(referralConsent.referralId, referralId),
        eq(referralConsent.id, consentId),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** The reports an agency sent back on this referral (their titles and dates; reading one is its own page). */
export async function reportsOfReferral(db: Executor, schoolId: string, referralId: string) {
  return db
    .select({
      id: agencyReport.id,
      title: agencyReport.title,
      authorName: agencyReport.authorName,
      writtenOn: agencyReport.writtenOn,
    })
    .from(agencyReport)
    .where(and(eq(agencyReport.schoolId, schoolId), eq(agencyReport.referralId, referralId)))
    .orderBy(desc(agencyReport.writtenOn));
}

export async function insertEvent(db: Executor, row: typeof referralEvent.$inferInsert) {
  await db.insert(referralEvent).values(row);
}

export async function insertConsent(db: Executor, row: typeof referralConsent.$inferInsert) {
  await db.insert(referralConsent).values(row);
}

/** Change a referral with optimistic locking: false when its version moved on. */
export async function updateReferral(
  db: Executor,
  schoolId: string,
  referralId: string,
  expectedVersion: number,
  values: Partial<ReferralInsert>,
): Promise<boolean> {
  const rows = await db
    .update(referral)
    .set({ ...values, version: sql`${referral.version} + 1` })
    .where(
      and(
        eq(referral.schoolId, schoolId),
        eq(referral.id, referralId),
        eq(referral.version, expectedVersion),
      ),
    )
    .returning({ id: referral.id });
  return rows.length === 1;
}

export async function withdrawConsentRow(
  db: Executor,
  schoolId: string,
  consentId: string,
  values: { withdrawnOn: IsoDate; withdrawnNote: string | null; withdrawnByName: string },
) {
  await db
    .update(referralConsent)
    .set({ ...values, version: sql`${referralConsent.version} + 1` })
    .where(
      and(
        eq(referralConsent.schoolId, schoolId),
        eq(referralConsent.id, consentId),
        isNull(referralConsent.withdrawnOn),
      ),
    );
}

/** End every live share made for this referral; the ids of those ended. */
export async function endSharesOfReferral(
  db: Executor,
  schoolId: string,
  referralId: string,
  endedBy: string,
): Promise<string[]> {
  const rows = await db
    .update(pupilShare)
    .set({ endedAt: sql`now()`, endedBy, version: sql`${pupilShare.version} + 1` })
    .where(
      and(
        eq(pupilShare.schoolId, schoolId),
        eq(pupilShare.referralId, referralId),
        isNull(pupilShare.endedAt),
      ),
    )
    .returning({ id: pupilShare.id });
  return rows.map((r) => r.id);
}

/** An open action of a review about this pupil ("involve a specialist agency"), or null. */
export async function findOpenAction(db: Executor, schoolId: string, pupilId: string, actionId: string) {
  const rows = await db
    .select()
    .from(pupilAction)
    .where(
      and(
        eq(pupilAction.schoolId, schoolId),
        eq(pupilAction.pupilId, pupilId),
        eq(pupilAction.id, actionId),
        eq(pupilAction.kind, 'involve_agency'),
        eq(pupilAction.status, 'open'),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

export async function markActionDone(db: Executor, schoolId: string, actionId: string) {
  await db
    .update(pupilAction)
    .set({ status: 'done' })
    .where(and(eq(pupilAction.schoolId, schoolId), eq(pupilAction.id, actionId)));
}

/**
 * What the school has tried with a pupil: their current plan (in place or in review), else their last,
 * with its targets; and every provision group they were in, with its time and dates.
 */
export async function triedSources(db: Executor, schoolId: string, pupilId: string) {
  const plans = await db
    .select()
    .from(supportPlan)
    .where(and(eq(supportPlan.schoolId, schoolId), eq(supportPlan.pupilId, pupilId)))
    .orderBy(desc(supportPlan.cycle))
    .limit(5);
  const plan = plans.find((p) => p.status === 'active' || p.status === 'in_review') ?? plans[0] ?? null;
  const targets = plan
    ? await db
        .select({ target: planTarget.target, outcome: planTarget.outcome })
        .from(planTarget)
        .where(and(eq(planTarget.schoolId, schoolId), eq(planTarget.planId, plan.id)))
        .orderBy(asc(planTarget.position))
    : [];
  const groups = await db
    .select({
      interventionName: intervention.name,
      groupName: provisionGroup.name,
      sessionsPerWeek: provisionGroup.sessionsPerWeek,
      minutesPerSession: provisionGroup.minutesPerSession,
      from: groupMember.joinedOn,
      leftOn: groupMember.leftOn,
      endDate: provisionGroup.endDate,
    })
    .from(groupMember)
    .innerJoin(
      provisionGroup,
      and(eq(provisionGroup.schoolId, groupMember.schoolId), eq(provisionGroup.id, groupMember.groupId)),
    )
    .innerJoin(
      intervention,
      and(
        eq(intervention.schoolId, provisionGroup.schoolId),
        eq(intervention.id, provisionGroup.interventionId),
      ),
    )
    .where(and(eq(groupMember.schoolId, schoolId), eq(groupMember.pupilId, pupilId)))
    .orderBy(asc(groupMember.joinedOn))
    .limit(20);
  return { plan: plan ? { ...plan, targets } : null, groups };
}

export interface ReferralFilters {
  status?: ReferralStatus | undefined;
  serviceKind?: ServiceKind | undefined;
  lateOnly?: boolean | undefined;
  pupilId?: string | undefined;
}

/**
 * The school's referrals whose pupils the reader reaches in the agencies section, newest first, with
 * each one's lateness and consents; one query (its total by a window count).
 */
export async function listReferrals(
  db: Executor,
  scope: AccessScope,
  filters: ReferralFilters,
  today: IsoDate,
  page: { limit: number; offset: number },
) {
  const late = lateKindSql(today);
  const conditions: SQL[] = [
    eq(referral.schoolId, scope.schoolId),
    isNull(pupil.erasedAt),
    sectionCondition(scope, 'agencies'),
  ];
  if (filters.status) conditions.push(eq(referral.status, filters.status));
  if (filters.serviceKind) conditions.push(eq(referral.serviceKind, filters.serviceKind));
  if (filters.pupilId) conditions.push(eq(referral.pupilId, filters.pupilId));
  if (filters.lateOnly) conditions.push(sql`${late} is not null`);
  const rows = await db
    .select({
      id: referral.id,
      pupilId: referral.pupilId,
      forename: pupil.forename,
      surname: pupil.surname,
      className: schoolClass.name,
      agencyName: referral.agencyName,
      serviceKind: referral.serviceKind,
      status: referral.status,
      lawfulBasis: referral.lawfulBasis,
      sentOn: referral.sentOn,
      respondBy: referral.respondBy,
      reportDueOn: sql<string | null>`${reportDueSql}::text`,
      createdAt: referral.createdAt,
      late,
      consents: consentsJson,
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(referral)
    .innerJoin(pupil, and(eq(pupil.schoolId, referral.schoolId), eq(pupil.id, referral.pupilId)))
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(...conditions))
    .orderBy(desc(referral.createdAt), asc(referral.id))
    .limit(page.limit)
    .offset(page.offset);
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map(({ total: _, ...r }) => ({ ...r, consents: parseJson(r.consents) })),
  };
}

/** Every school's referrals late on `today` not yet reminded of for this lateness (the nightly job). */
export async function lateReferralsToRemind(db: Executor, today: IsoDate) {
  const late = lateKindSql(today);
  const key = sql<string>`${late} || ':' || (case when ${late} = 'report' then ${reportDueSql} else ${referral.respondBy} end)::text`;
  return db
    .select({ schoolId: referral.schoolId, id: referral.id, key })
    .from(referral)
    .innerJoin(pupil, and(eq(pupil.schoolId, referral.schoolId), eq(pupil.id, referral.pupilId)))
    .where(
      and(
        inArray(referral.status, ['sent', 'waiting_list', 'accepted', 'seen']),
        sql`${late} is not null`,
        isNull(pupil.leftOn),
        isNull(pupil.erasedAt),
        or(isNull(referral.lateRemindedFor), sql`${referral.lateRemindedFor} <> ${key}`),
      ),
    )
    .orderBy(asc(referral.schoolId), asc(referral.id));
}

/**
 * Record that a referral's lateness was reminded; false when it already was (another run of the
 * reminder got there first: the row lock makes the second wait, then find the key already set).
 */
export async function markReminded(db: Executor, schoolId: string, referralId: string, key: string) {
  const rows = await db
    .update(referral)
    .set({ lateRemindedFor: key })
    .where(
      and(
        eq(referral.schoolId, schoolId),
        eq(referral.id, referralId),
        sql`${referral.lateRemindedFor} is distinct from ${key}`,
      ),
    )
    .returning({ id: referral.id });
  return rows.length > 0;
}

/** The record fragment this repository owns (see pupil-record.ts): the pupil's referrals. */
export interface ReferralItem {
  id: string;
  agencyName: string;
  serviceKind: ServiceKind;
  status: ReferralStatus;
  lawfulBasis: string;
  sentOn: string | null;
  respondBy: string | null;
  reportDueOn: string | null;
  forEhcAssessment: boolean;
  createdAt: string;
  consents: ConsentSummary[];
  events: { status: ReferralStatus; happenedOn: string; note: string | null; byName: string }[];
}
export const referralsFragment = {
  section: 'agencies' as const,
  json: sql<ReferralItem[] | string>`select json_agg(json_build_object(
    'id', ${referral.id}, 'agencyName', ${referral.agencyName}, 'serviceKind', ${referral.serviceKind},
    'status', ${referral.status}, 'lawfulBasis', ${referral.lawfulBasis}, 'sentOn', ${referral.sentOn},
    'respondBy', ${referral.respondBy}, 'reportDueOn', ${referral.reportDueOn},
    'forEhcAssessment', ${referral.forEhcAssessment}, 'createdAt', ${referral.createdAt},
    'consents', ${consentsJson},
    'events', (select coalesce(json_agg(json_build_object('status', ${referralEvent.status},
        'happenedOn', ${referralEvent.happenedOn}, 'note', ${referralEvent.note}, 'byName', ${referralEvent.byName})
        order by ${referralEvent.happenedOn}, ${referralEvent.createdAt}), '[]'::json)
      from ${referralEvent} where ${referralEvent.schoolId} = ${referral.schoolId} and ${referralEvent.referralId} = ${referral.id}))
    order by ${referral.createdAt} desc, ${referral.id})
    from ${referral} where ${referral.schoolId} = ${pupil.schoolId} and ${referral.pupilId} = ${pupil.id}`,
};

/** The pupil's open "involve a specialist agency" actions from reviews, for the pupil page's section. */
export const agencyActionsFragment = {
  section: 'agencies' as const,
  json: sql<
    { id: string; notes: string | null; createdAt: string; createdByName: string }[] | string
  >`select json_agg(json_build_object(
    'id', ${pupilAction.id}, 'notes', ${pupilAction.notes}, 'createdAt', ${pupilAction.createdAt},
    'createdByName', ${pupilAction.createdByName}) order by ${pupilAction.createdAt} desc)
    from ${pupilAction} where ${pupilAction.schoolId} = ${pupil.schoolId} and ${pupilAction.pupilId} = ${pupil.id}
    and ${pupilAction.kind} = 'involve_agency' and ${pupilAction.status} = 'open'`,
};

/** The SENCos of a school who can sign in: whom the reminder of late referrals goes to. */
export async function sencoEmailsOf(db: Executor, schoolId: string): Promise<string[]> {
  const rows = await db
    .select({ email: appUser.email })
    .from(membershipRole)
    .innerJoin(appUser, eq(appUser.id, membershipRole.userId))
    .where(
      and(
        eq(membershipRole.schoolId, schoolId),
        eq(membershipRole.role, 'senco'),
        isNull(appUser.disabledAt),
      ),
    )
    .orderBy(asc(appUser.email));
  return rows.map((r) => r.email);
}

/** A concern of this pupil at this school (what a referral started from), or null. */
export async function concernOfPupil(db: Executor, schoolId: string, pupilId: string, concernId: string) {
  const rows = await db
    .select({
      id: concern.id,
      outcome: concern.outcome,
      agency: concern.agency,
      concernDate: concern.concernDate,
      interventionsTried: concern.interventionsTried,
    })
    .from(concern)
    .where(and(eq(concern.schoolId, schoolId), eq(concern.pupilId, pupilId), eq(concern.id, concernId)))
    .limit(1);
  return rows[0] ?? null;
}

/** The referrals started from a concern (newest first): the concern's page links to them. */
export async function referralsOfConcern(db: Executor, schoolId: string, concernId: string) {
  return db
    .select({ id: referral.id, agencyName: referral.agencyName, status: referral.status })
    .from(referral)
    .where(and(eq(referral.schoolId, schoolId), eq(referral.concernId, concernId)))
    .orderBy(desc(referral.createdAt), referral.id);
}
