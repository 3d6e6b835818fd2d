import { academicYearStartOf } from './calendar.ts';
import { addDays, type IsoDate } from './dates.ts';
import { type HalfTerm, halfTermsOf, isSchoolDay } from './school-days.ts';

/**
 * Half-termly target checks (a school setting: seed 000 "Class teachers will review and update IEPs at
 * least half termly", DOMAIN.md "half-termly target updates in some schools"). Between a plan's start and its review, at the end of each half-term it runs
 * through, the class teacher (or the SENCo) says how each target is going — on track, some progress,
 * not yet — with a short note. The check is dated, kept on the plan beside each target, printed with
 * it, and read again at the review.
 *
 * When a check falls due:
 *  - at the end of each half-term: its last school day (school-days.ts' usual holidays), the day it is
 *    "due by";
 *  - it can be recorded from two weeks before that day, and is overdue after it;
 *  - not for a half-term ending within two weeks of the plan's start (too soon to say) or of its review
 *    date (the review looks at every target itself), and none once the review date has come.
 * A check not recorded before the next one opens is left unrecorded: each check says how the targets
 * stood at the end of its half-term, and the next one is what is due.
 */

export const CHECK_PROGRESS = ['on_track', 'some_progress', 'not_yet'] as const;
export type CheckProgress = (typeof CHECK_PROGRESS)[number];
export const CHECK_PROGRESS_LABELS: Record<CheckProgress, string> = {
  on_track: 'On track',
  some_progress: 'Some progress',
  not_yet: 'Not yet',
};

/** One target's line in a check, with the target's words as they were when checked. */
export interface TargetCheckItem {
  targetId: string;
  position: number;
  target: string;
  progress: CheckProgress;
  note: string | null;
}

/** A check can be recorded from this many days before it is due. */
export const CHECK_OPENS_DAYS_BEFORE = 14;
/** No check for a half-term ending this close to the plan's start or its review. */
export const CHECK_MARGIN_DAYS = 14;

export interface TargetCheckPoint {
  /** The last school day of the half-term: the check is due by it (and keyed by it). */
  dueOn: IsoDate;
  /** The first day the check can be recorded. */
  opensOn: IsoDate;
  halfTerm: HalfTerm;
}

/** The last school day of a half-term (its last weekday outside the usual holidays). */
export function lastSchoolDayOf(halfTerm: HalfTerm): IsoDate {
  let day = halfTerm.to;
  while (!isSchoolDay(day) && day > halfTerm.from) day = addDays(day, -1);
  return day;
}

function pointOf(halfTerm: HalfTerm): TargetCheckPoint {
  const dueOn = lastSchoolDayOf(halfTerm);
  return { dueOn, opensOn: addDays(dueOn, -CHECK_OPENS_DAYS_BEFORE), halfTerm };
}

/** Every half-term's check point whose due date falls from `from` to `to`, in order. */
export function checkPointsBetween(from: IsoDate, to: IsoDate): TargetCheckPoint[] {
  if (to < from) return [];
  const points: TargetCheckPoint[] = [];
  for (let year = academicYearStartOf(from); year <= academicYearStartOf(to); year++) {
    for (const h of halfTermsOf(year)) {
      const point = pointOf(h);
      if (point.dueOn >= from && point.dueOn <= to) points.push(point);
    }
  }
  return points;
}

/** A plan's check points: the half-terms it runs through, clear of its first and last two weeks. */
export function targetCheckPoints(plan: {
  startDate: IsoDate | null;
  reviewDate: IsoDate | null;
}): TargetCheckPoint[] {
  if (!plan.startDate || !plan.reviewDate) return [];
  return checkPointsBetween(
    addDays(plan.startDate, CHECK_MARGIN_DAYS),
    addDays(plan.reviewDate, -CHECK_MARGIN_DAYS),
  );
}

export type TargetCheckState = 'none' | 'upcoming' | 'due' | 'overdue' | 'done';

export interface TargetCheckStatus {
  state: TargetCheckState;
  /** The check that can be recorded now (due, overdue or done), if any. */
  current: TargetCheckPoint | null;
  /** The plan's next check after the current one (or its first, before any is open). */
  next: TargetCheckPoint | null;
}

/**
 * Where a plan in place stands with its checks on `today`, given the due dates of the checks already
 * recorded. The current check is the last of the plan's check points that has opened; it is done once
 * recorded, due until its date, overdue after. No check is owed on or after the review date.
 */
export function targetCheckStatus(
  plan: { startDate: IsoDate | null; reviewDate: IsoDate | null },
  recorded: readonly IsoDate[],
  today: IsoDate,
): TargetCheckStatus {
  const points = targetCheckPoints(plan);
  if (points.length === 0 || !plan.reviewDate || today >= plan.reviewDate) {
    return { state: 'none', current: null, next: null };
  }
  const open = points.filter((p) => p.opensOn <= today);
  const current = open.at(-1) ?? null;
  const next = points[open.length] ?? null;
  if (!current) return { state: 'upcoming', current: null, next };
  if (recorded.includes(current.dueOn)) return { state: 'done', current, next };
  return { state: today <= current.dueOn ? 'due' : 'overdue', current, next };
}

export const TARGET_CHECK_STATE_LABELS: Record<'due' | 'overdue', string> = {
  due: 'Half-termly target check due',
  overdue: 'Half-termly target check overdue',
};

/**
 * The due dates a plan's current check can have on `today`, for the dashboard's list (worked out in
 * SQL from these and each plan's dates, as targetCheckStatus does): every half-term's check point that
 * has opened, back over a year (a plan's review is within a year of its start).
 */
export function openCheckDueDates(today: IsoDate): IsoDate[] {
  return checkPointsBetween(addDays(today, -380), addDays(today, CHECK_OPENS_DAYS_BEFORE)).map(
    (p) => p.dueOn,
  );
}
