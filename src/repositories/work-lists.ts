import { and, asc, eq, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { concern, letter, planTargetCheck, pupil, schoolClass, supportPlan } from '../db/schema/index.ts';
import { type AccessScope, type Level, personalReachesFor, type Section } from '../domain/access.ts';
import { CHECK_MARGIN_DAYS } from '../domain/target-checks.ts';
import type { WorkList, WorkListDates } from '../domain/work-lists.ts';
import { reachCondition, sectionCondition } from './access.ts';

/*
 * The SENCo's work lists (domain/work-lists.ts): one query per list, bounded by the school and by the
 * pupils the actor reaches, each on an index of its table (support_plan_status_idx, concern_status_idx,
 * letter_slip_idx, pupil_stage_idx). The total comes with the first rows (a window count), so the
 * dashboard's counts and a list page cost one query each.
 */

/** A person's own pupils whose `section` they may see: through their classes and assignments only. */
export function personalCondition(scope: AccessScope, section: Section, level: Level = 'read'): SQL {
  const reaches = personalReachesFor(scope.roles, section, level);
  if (reaches.length === 0) return sql`false`;
  return and(eq(pupil.schoolId, scope.schoolId), or(...reaches.map((r) => reachCondition(scope, r)))) as SQL;
}

/** Which pupils a list covers: the actor's reach in the list's section, school-wide or their own. */
export function pupilsCovered(scope: AccessScope, section: Section, mine: boolean): SQL {
  return mine ? personalCondition(scope, section) : sectionCondition(scope, section);
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

const pupilColumns = {
  pupilId: pupil.id,
  forename: pupil.forename,
  surname: pupil.surname,
  className: schoolClass.name,
  total: sql<number>`(count(*) over ())::int`,
};

const classJoin = and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId));

/** One work list for a school: its total and its first `limit` pupils (the most urgent first). */
export async function workList(
  db: Executor,
  schoolId: string,
  list: WorkList,
  covered: SQL,
  dates: WorkListDates,
  limit: number,
): Promise<{ total: number; rows: WorkListRow[] }> {
  const onRoll = [eq(pupil.schoolId, schoolId), isNull(pupil.leftOn), covered];
  const planJoin = and(eq(pupil.schoolId, supportPlan.schoolId), eq(pupil.id, supportPlan.pupilId));
  const plans = (where: SQL[], date: SQL<string | null>, order: SQL) =>
    db
      .select({ ...pupilColumns, date, recordId: sql<string | null>`${supportPlan.id}` })
      .from(supportPlan)
      .innerJoin(pupil, planJoin)
      .leftJoin(schoolClass, classJoin)
      .where(and(eq(supportPlan.schoolId, schoolId), ...where, ...onRoll))
      .orderBy(order, asc(pupil.surname), asc(pupil.id))
      .limit(limit);
  let rows: WorkListRow[];
  switch (list) {
    case 'reviews_due':
      rows = await plans(
        [
          eq(supportPlan.status, 'active'),
          sql`${supportPlan.reviewDate} >= ${dates.today}`,
          lte(supportPlan.reviewDate, dates.dueBy),
        ],
        sql`${supportPlan.reviewDate}::text`,
        asc(supportPlan.reviewDate),
      );
      break;
    case 'reviews_overdue':
      rows = await plans(
        [
          inArray(supportPlan.status, ['active', 'in_review']),
          sql`${supportPlan.reviewDate} < ${dates.today}`,
        ],
        sql`${supportPlan.reviewDate}::text`,
        asc(supportPlan.reviewDate),
      );
      break;
    case 'plans_not_shared':
      rows = await plans(
        [eq(supportPlan.status, 'active'), isNull(supportPlan.sharedWithParentsOn)],
        sql`${supportPlan.agreedOn}::text`,
        asc(supportPlan.agreedOn),
      );
      break;
    case 'old_drafts':
      rows = await plans(
        [eq(supportPlan.status, 'draft'), sql`${supportPlan.createdAt} < ${dates.draftsStartedBefore}::date`],
        sql`(${supportPlan.createdAt} at time zone 'Europe/London')::date::text`,
        asc(supportPlan.createdAt),
      );
      break;
    case 'target_checks_due': {
      const due = openTargetCheck(dates);
      rows = await plans(
        [
          eq(supportPlan.status, 'active'),
          sql`${supportPlan.reviewDate} > ${dates.today}`,
          sql`${due} is not null`,
          sql`not exists (select 1 from ${planTargetCheck} where ${planTargetCheck.schoolId} = ${supportPlan.schoolId} and ${planTargetCheck.planId} = ${supportPlan.id} and ${planTargetCheck.dueOn} = ${due})`,
        ],
        sql`${due}::text`,
        sql`${due} asc`,
      );
      break;
    }
    case 'concerns_waiting':
      rows = await db
        .select({
          ...pupilColumns,
          date: sql<string | null>`${concern.concernDate}::text`,
          recordId: concern.id,
        })
        .from(concern)
        .innerJoin(pupil, and(eq(pupil.schoolId, concern.schoolId), eq(pupil.id, concern.pupilId)))
        .leftJoin(schoolClass, classJoin)
        .where(and(eq(concern.schoolId, schoolId), eq(concern.status, 'open'), ...onRoll))
        .orderBy(asc(concern.concernDate), asc(pupil.surname), asc(concern.id))
        .limit(limit);
      break;
    case 'no_plan':
      rows = await db
        .select({ ...pupilColumns, date: sql<string | null>`null`, recordId: sql<string | null>`null` })
        .from(pupil)
        .leftJoin(schoolClass, classJoin)
        .where(
          and(
            inArray(pupil.senStage, ['sen_support', 'ehc_plan']),
            sql`not exists (select 1 from ${supportPlan} where ${supportPlan.schoolId} = ${pupil.schoolId} and ${supportPlan.pupilId} = ${pupil.id} and ${supportPlan.status} in ('active', 'in_review'))`,
            ...onRoll,
          ),
        )
        .orderBy(asc(pupil.surname), asc(pupil.forename), asc(pupil.id))
        .limit(limit);
      break;
    case 'slips_outstanding':
      rows = await db
        .select({ ...pupilColumns, date: sql<string | null>`${letter.sentOn}::text`, recordId: letter.id })
        .from(letter)
        .innerJoin(pupil, and(eq(pupil.schoolId, letter.schoolId), eq(pupil.id, letter.pupilId)))
        .leftJoin(schoolClass, classJoin)
        .where(
          and(
            eq(letter.schoolId, schoolId),
            eq(letter.slipExpected, true),
            isNull(letter.slipReturnedOn),
            lte(letter.sentOn, dates.slipsSentBy),
            ...onRoll,
          ),
        )
        .orderBy(asc(letter.sentOn), asc(pupil.surname), asc(letter.id))
        .limit(limit);
      break;
  }
  return { total: rows[0]?.total ?? 0, rows };
}

/**
 * The due date of a plan's open half-termly target check (domain/target-checks.ts' targetCheckStatus,
 * in SQL): the latest half-term check point that has opened, clear of the plan's first and last two
 * weeks; null when none has.
 */
function openTargetCheck(dates: WorkListDates): SQL<string | null> {
  const opened = sql.join(
    dates.checkDueDates.map((d) => sql`(${d}::date)`),
    sql`, `,
  );
  return sql<string | null>`(select max(p.d) from (values ${opened}) as p(d)
    where p.d >= ${supportPlan.startDate} + ${CHECK_MARGIN_DAYS}::int and p.d <= ${supportPlan.reviewDate} - ${CHECK_MARGIN_DAYS}::int)`;
}
