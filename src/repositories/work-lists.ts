import { and, asc, eq, inArray, isNull, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client.ts';
import {
  concern,
  ehcAnnualReview,
  ehcPlan,
  letter,
  letterReply,
  planTargetCheck,
  pupil,
  referral,
  referralConsent,
  schoolClass,
  supportPlan,
} from '../db/schema/index.ts';
import { type AccessScope, type Level, personalReachesFor, type Section } from '../domain/access.ts';
import { REPORT_DAYS } from '../domain/ehc-review-clock.ts';
import { CHECK_MARGIN_DAYS } from '../domain/target-checks.ts';
import {
  WORK_LIST_LEVELS,
  WORK_LIST_SECTIONS,
  type WorkList,
  type WorkListDates,
} from '../domain/work-lists.ts';
import { reachCondition, type SqlScope, sectionCondition } from './access.ts';
import { lateKindSql, reportDueSql } from './referrals.ts';
import { parseJson } from './sessions.ts';

/*
 * The SENCo's work lists (domain/work-lists.ts), bounded by the school and by the pupils the actor
 * reaches, each on an index of its table (support_plan_status_idx, concern_status_idx,
 * letter_slip_idx, pupil_stage_idx). Each list says once what it counts (`listSource`): a list page is
 * one query for its first rows and its total (a window count), and the dashboard's counts of every list
 * are one statement, built once for each set of roles and prepared.
 */

/** A person's own pupils whose `section` they may see: through their classes and assignments only. */
export function personalCondition(scope: SqlScope, section: Section, level: Level = 'read'): SQL {
  const reaches = personalReachesFor(scope.roles, section, level);
  if (reaches.length === 0) return sql`false`;
  return and(eq(pupil.schoolId, scope.schoolId), or(...reaches.map((r) => reachCondition(scope, r)))) as SQL;
}

/**
 * Which pupils a list covers: the actor's reach in the list's section at the level its work needs
 * (WORK_LIST_LEVELS), school-wide or their own. The list's count and its page both use it.
 */
export function pupilsCovered(scope: SqlScope, list: WorkList, mine: boolean): SQL {
  const section = WORK_LIST_SECTIONS[list];
  const level = WORK_LIST_LEVELS[list];
  return mine ? personalCondition(scope, section, level) : sectionCondition(scope, section, level);
}

export interface WorkListRow {
  pupilId: string;
  forename: string;
  surname: string;
  className: string | null;
  /** The date that puts the pupil on the list (review date, date raised, date sent…). */
  date: string | null;
  /** The plan, concern or letter the row is about. */
  recordId: string | null;
  total: number;
}

/**
 * The dates a list compares with: values, or placeholders of a prepared statement. The due dates of
 * target checks go as one array (`{2026-10-19,…}`), so the statement is the same however many there are.
 */
type ListDates = { [K in Exclude<keyof WorkListDates, 'checkDueDates'>]: WorkListDates[K] | SQLWrapper } & {
  checkDueDates: string | SQLWrapper;
};

const dateArray = (dates: readonly string[]) => `{${dates.join(',')}}`;

/**
 * The due date of a plan's open half-termly target check (domain/target-checks.ts' targetCheckStatus,
 * in SQL): the latest half-term check point that has opened, clear of the plan's first and last two
 * weeks; null when none has.
 */
function openTargetCheck(dates: ListDates): SQL<string | null> {
  return sql<string | null>`(select max(p.d) from unnest(${dates.checkDueDates}::date[]) as p(d)
    where p.d >= ${supportPlan.startDate} + ${CHECK_MARGIN_DAYS}::int and p.d <= ${supportPlan.reviewDate} - ${CHECK_MARGIN_DAYS}::int)`;
}

interface ListSource {
  /** The table the list's rows come from (the pupil table itself for a list of pupils). */
  table: PgTable;
  /** How its rows join their pupil (none when the rows are pupils). */
  pupilJoin: SQL | null;
  /** What puts a row on the list, besides the pupil being on roll and covered. */
  where: SQL[];
  date: SQL<string | null>;
  recordId: SQL<string | null> | PgColumn;
  order: SQL[];
}

/** What each list counts: its rows, what puts them on it, the date shown and the order. */
function listSource(list: WorkList, schoolId: string | SQLWrapper, dates: ListDates): ListSource {
  const plans = (where: SQL[], date: SQL<string | null>, order: SQL): ListSource => ({
    table: supportPlan,
    pupilJoin: and(eq(pupil.schoolId, supportPlan.schoolId), eq(pupil.id, supportPlan.pupilId)) as SQL,
    where: [eq(supportPlan.schoolId, schoolId), ...where],
    date,
    recordId: sql<string | null>`${supportPlan.id}`,
    order: [order, asc(pupil.surname), asc(pupil.id)],
  });
  switch (list) {
    case 'reviews_due':
      return plans(
        [
          eq(supportPlan.status, 'active'),
          sql`${supportPlan.reviewDate} >= ${dates.today}`,
          sql`${supportPlan.reviewDate} <= ${dates.dueBy}`,
        ],
        sql`${supportPlan.reviewDate}::text`,
        asc(supportPlan.reviewDate),
      );
    case 'reviews_overdue':
      return plans(
        [
          inArray(supportPlan.status, ['active', 'in_review']),
          sql`${supportPlan.reviewDate} < ${dates.today}`,
        ],
        sql`${supportPlan.reviewDate}::text`,
        asc(supportPlan.reviewDate),
      );
    case 'plans_not_shared':
      return plans(
        [eq(supportPlan.status, 'active'), isNull(supportPlan.sharedWithParentsOn)],
        sql`${supportPlan.agreedOn}::text`,
        asc(supportPlan.agreedOn),
      );
    case 'old_drafts':
      return plans(
        [eq(supportPlan.status, 'draft'), sql`${supportPlan.createdAt} < ${dates.draftsStartedBefore}::date`],
        sql`(${supportPlan.createdAt} at time zone 'Europe/London')::date::text`,
        asc(supportPlan.createdAt),
      );
    case 'target_checks_due': {
      const due = openTargetCheck(dates);
      return plans(
        [
          eq(supportPlan.status, 'active'),
          sql`${supportPlan.reviewDate} > ${dates.today}`,
          sql`${due} is not null`,
          sql`not exists (select 1 from ${planTargetCheck} where ${planTargetCheck.schoolId} = ${supportPlan.schoolId} and ${planTargetCheck.planId} = ${supportPlan.id} and ${planTargetCheck.dueOn} = ${due})`,
        ],
        sql`${due}::text`,
        sql`${due} asc`,
      );
    }
    case 'concerns_waiting':
      return {
        table: concern,
        pupilJoin: and(eq(pupil.schoolId, concern.schoolId), eq(pupil.id, concern.pupilId)) as SQL,
        where: [eq(concern.schoolId, schoolId), eq(concern.status, 'open')],
        date: sql<string | null>`${concern.concernDate}::text`,
        recordId: concern.id,
        order: [asc(concern.concernDate), asc(pupil.surname), asc(concern.id)],
      };
    case 'no_plan':
      return {
        table: pupil,
        pupilJoin: null,
        where: [
          inArray(pupil.senStage, ['sen_support', 'ehc_plan']),
          sql`not exists (select 1 from ${supportPlan} where ${supportPlan.schoolId} = ${pupil.schoolId} and ${supportPlan.pupilId} = ${pupil.id} and ${supportPlan.status} in ('active', 'in_review'))`,
        ],
        date: sql<string | null>`null`,
        recordId: sql<string | null>`null`,
        order: [asc(pupil.surname), asc(pupil.forename), asc(pupil.id)],
      };
    case 'slips_outstanding':
      return {
        table: letter,
        pupilJoin: and(eq(pupil.schoolId, letter.schoolId), eq(pupil.id, letter.pupilId)) as SQL,
        where: [
          eq(letter.schoolId, schoolId),
          eq(letter.slipExpected, true),
          isNull(letter.slipReturnedOn),
          sql`${letter.sentOn} <= ${dates.slipsSentBy}`,
        ],
        date: sql<string | null>`${letter.sentOn}::text`,
        recordId: letter.id,
        order: [asc(letter.sentOn), asc(pupil.surname), asc(letter.id)],
      };
    case 'parents_want_to_talk':
      // A parent said online they would like to talk about a letter, in the last four weeks (docs/adr/0039).
      return {
        table: letterReply,
        pupilJoin: and(eq(pupil.schoolId, letterReply.schoolId), eq(pupil.id, letterReply.pupilId)) as SQL,
        where: [
          eq(letterReply.schoolId, schoolId),
          eq(letterReply.reply, 'want_to_talk'),
          sql`${letterReply.repliedAt} >= ${dates.talkAskedSince}::date`,
        ],
        date: sql<string | null>`(${letterReply.repliedAt} at time zone 'Europe/London')::date::text`,
        recordId: letterReply.letterId,
        order: [asc(letterReply.repliedAt), asc(pupil.surname), asc(letterReply.id)],
      };
    case 'referrals_late': {
      // domain/referrals.ts lateness, in SQL (repositories/referrals.ts): the report, else the answer.
      const late = lateKindSql(dates.today);
      const due = sql<
        string | null
      >`(case when ${late} = 'report' then ${reportDueSql} else ${referral.respondBy} end)`;
      return {
        table: referral,
        pupilJoin: and(eq(pupil.schoolId, referral.schoolId), eq(pupil.id, referral.pupilId)) as SQL,
        where: [
          eq(referral.schoolId, schoolId),
          inArray(referral.status, ['sent', 'waiting_list', 'accepted', 'seen']),
          sql`${late} is not null`,
        ],
        date: sql<string | null>`${due}::text`,
        recordId: referral.id,
        order: [sql`${due} asc`, asc(pupil.surname), asc(referral.id)],
      };
    }
    case 'annual_reviews_due':
      // The authority's final plans of the school's pupils due for review within six weeks (or overdue),
      // with no review of the plan being arranged or held, nor sent since the plan's last review.
      return {
        table: ehcPlan,
        pupilJoin: and(eq(pupil.schoolId, ehcPlan.schoolId), eq(pupil.id, ehcPlan.pupilId)) as SQL,
        where: [
          eq(ehcPlan.schoolId, schoolId),
          eq(ehcPlan.status, 'final'),
          sql`${ehcPlan.reviewDueOn} <= ${dates.annualReviewsDueBy}::date`,
          sql`not exists (select 1 from ${ehcAnnualReview} where ${ehcAnnualReview.schoolId} = ${ehcPlan.schoolId}
            and ${ehcAnnualReview.pupilId} = ${ehcPlan.pupilId} and ${ehcAnnualReview.planId} = ${ehcPlan.id}
            and (${ehcAnnualReview.status} in ('arranging', 'held') or (${ehcAnnualReview.status} = 'sent'
              and ${ehcAnnualReview.meetingOn} > coalesce(${ehcPlan.lastReviewOn}, ${ehcPlan.startedOn}))))`,
        ],
        date: sql<string | null>`${ehcPlan.reviewDueOn}::text`,
        recordId: sql<string | null>`${ehcPlan.id}`,
        order: [asc(ehcPlan.reviewDueOn), asc(pupil.surname), asc(ehcPlan.id)],
      };
    case 'annual_review_reports_to_send':
      // Reviews whose meeting is held and whose report has not gone: due two weeks after the meeting.
      return {
        table: ehcAnnualReview,
        pupilJoin: and(
          eq(pupil.schoolId, ehcAnnualReview.schoolId),
          eq(pupil.id, ehcAnnualReview.pupilId),
        ) as SQL,
        where: [eq(ehcAnnualReview.schoolId, schoolId), eq(ehcAnnualReview.status, 'held')],
        date: sql<string | null>`(${ehcAnnualReview.meetingOn} + ${REPORT_DAYS}::int)::text`,
        recordId: ehcAnnualReview.id,
        order: [asc(ehcAnnualReview.meetingOn), asc(pupil.surname), asc(ehcAnnualReview.id)],
      };
    case 'referrals_awaiting_consent':
      // Resting on consent, not yet sent, and no consent in force today (none, ended, or not yet begun).
      return {
        table: referral,
        pupilJoin: and(eq(pupil.schoolId, referral.schoolId), eq(pupil.id, referral.pupilId)) as SQL,
        where: [
          eq(referral.schoolId, schoolId),
          inArray(referral.status, ['drafted', 'awaiting_consent']),
          eq(referral.lawfulBasis, 'consent'),
          sql`not exists (select 1 from ${referralConsent} where ${referralConsent.schoolId} = ${referral.schoolId} and ${referralConsent.referralId} = ${referral.id}
            and ${referralConsent.coversReferral} and ${referralConsent.givenOn} <= ${dates.today}::date
            and (${referralConsent.validUntil} is null or ${referralConsent.validUntil} >= ${dates.today}::date)
            and (${referralConsent.withdrawnOn} is null or ${referralConsent.withdrawnOn} > ${dates.today}::date))`,
        ],
        date: sql<string | null>`(${referral.createdAt} at time zone 'Europe/London')::date::text`,
        recordId: referral.id,
        order: [asc(referral.createdAt), asc(pupil.surname), asc(referral.id)],
      };
  }
}

const onRoll = (schoolId: string | SQLWrapper, covered: SQL) => [
  eq(pupil.schoolId, schoolId),
  isNull(pupil.leftOn),
  covered,
];

/** One work list for a school: its total and its first `limit` pupils (the most urgent first). */
export async function workList(
  db: Executor,
  schoolId: string,
  list: WorkList,
  covered: SQL,
  dates: WorkListDates,
  limit: number,
): Promise<{ total: number; rows: WorkListRow[] }> {
  const source = listSource(list, schoolId, { ...dates, checkDueDates: dateArray(dates.checkDueDates) });
  const columns = {
    pupilId: pupil.id,
    forename: pupil.forename,
    surname: pupil.surname,
    className: schoolClass.name,
    total: sql<number>`(count(*) over ())::int`,
    date: source.date,
    recordId: source.recordId as SQL<string | null>,
  };
  const from = db.select(columns).from(source.table);
  const joined = source.pupilJoin ? from.innerJoin(pupil, source.pupilJoin) : from;
  const rows = await joined
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(...source.where, ...onRoll(schoolId, covered)))
    .orderBy(...source.order)
    .limit(limit);
  return { total: rows[0]?.total ?? 0, rows };
}

const placeholder = (name: string) => sql.placeholder(name);

/** How many rows each list has: one statement for all of them, its values placeholders. */
function countsQuery(
  db: Executor,
  roles: AccessScope['roles'],
  lists: readonly WorkList[],
  mine: boolean,
  name: string,
) {
  const scope: SqlScope = { schoolId: placeholder('schoolId'), userId: placeholder('userId'), roles };
  const dates: ListDates = {
    today: placeholder('today'),
    dueBy: placeholder('dueBy'),
    draftsStartedBefore: placeholder('draftsStartedBefore'),
    annualReviewsDueBy: placeholder('annualReviewsDueBy'),
    slipsSentBy: placeholder('slipsSentBy'),
    talkAskedSince: placeholder('talkAskedSince'),
    checkDueDates: placeholder('checkDueDates'),
  };
  const counts = lists.map((list) => {
    const source = listSource(list, scope.schoolId, dates);
    const covered = pupilsCovered(scope, list, mine);
    const join = source.pupilJoin ? sql` join ${pupil} on ${source.pupilJoin}` : sql``;
    return sql`'${sql.raw(list)}', (select count(*)::int from ${source.table}${join} where ${and(...source.where, ...onRoll(scope.schoolId, covered))})`;
  });
  return db
    .select({
      counts: sql<Record<WorkList, number> | string>`json_build_object(${sql.join(counts, sql`, `)})`,
    })
    .from(sql`(select 1) as one`)
    .prepare(name);
}

const countQueries = new WeakMap<Executor, Map<string, ReturnType<typeof countsQuery>>>();
let preparedCount = 0;

/**
 * How many rows each of `lists` has for this actor (school-wide, or their own pupils when `mine`): one
 * statement, prepared once for each set of roles and lists.
 */
export async function workListCounts(
  db: Executor,
  scope: AccessScope,
  lists: readonly WorkList[],
  mine: boolean,
  dates: WorkListDates,
): Promise<Record<WorkList, number>> {
  if (lists.length === 0) return {} as Record<WorkList, number>;
  const key = `${[...scope.roles].sort().join(',')}|${mine}|${lists.join(',')}`;
  let queries = countQueries.get(db);
  if (!queries) {
    queries = new Map();
    countQueries.set(db, queries);
  }
  let query = queries.get(key);
  if (!query) {
    query = countsQuery(db, scope.roles, lists, mine, `work_list_counts_${++preparedCount}`);
    queries.set(key, query);
  }
  const rows = await query.execute({
    schoolId: scope.schoolId,
    userId: scope.userId,
    ...dates,
    checkDueDates: dateArray(dates.checkDueDates),
  });
  return parseJson(rows[0]!.counts);
}
