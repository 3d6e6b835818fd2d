import type { AreaOfNeed } from './census.ts';
import { addDays, formatDate, type IsoDate } from './dates.ts';
import { type CostModel, type DelivererKind, type MeasureKind, measureNeedsName } from './provision.ts';
import { formatPence, LIMITS } from './provision-costs.ts';
import {
  dayNumber,
  type HalfTerm,
  halfTermOf,
  isSchoolDay,
  previousHalfTerm,
  schoolDaysBetween,
} from './school-days.ts';

/**
 * The rules of the provision map that a form alone cannot check: what an intervention, a group, a
 * membership and a session must be. Each problem names the field it belongs to and says, in plain
 * English, what to do.
 */
export interface Problem {
  field: string;
  message: string;
}

export interface InterventionInput {
  name: string;
  area: AreaOfNeed;
  description: string | null;
  evidenceBase: string | null;
  usualDeliverer: DelivererKind;
  usualGroupSize: number;
  sessionsPerWeek: number;
  minutesPerSession: number;
  costModel: CostModel;
  /** Pence; for every cost model but staff time. */
  fixedCostPence: number | null;
  measureKind: MeasureKind;
  measureName: string | null;
}

const FIXED_COST_MESSAGES: Record<Exclude<CostModel, 'staff_time'>, string> = {
  per_pupil: 'Enter the cost per pupil for a year',
  per_term: 'Enter the cost per term',
  agency: 'Enter the agency’s charge per session',
};

const within = (v: number, r: { min: number; max: number }) =>
  Number.isInteger(v) && v >= r.min && v <= r.max;

export function sessionProblems(input: { sessionsPerWeek: number; minutesPerSession: number }): Problem[] {
  const problems: Problem[] = [];
  if (!within(input.sessionsPerWeek, LIMITS.sessionsPerWeek))
    problems.push({ field: 'sessionsPerWeek', message: 'Enter from 1 to 10 sessions a week' });
  if (!within(input.minutesPerSession, LIMITS.minutesPerSession))
    problems.push({
      field: 'minutesPerSession',
      message: 'Enter the minutes of each session, from 5 to 180',
    });
  return problems;
}

export function fixedCostProblem(model: CostModel, pence: number | null): Problem | null {
  if (model === 'staff_time') return null;
  if (pence === null) return { field: 'fixedCost', message: FIXED_COST_MESSAGES[model] };
  if (!within(pence, LIMITS.fixedCostPence))
    return {
      field: 'fixedCost',
      message: `Enter a cost from £0.01 to ${formatPence(LIMITS.fixedCostPence.max)}`,
    };
  return null;
}

export function interventionProblems(input: InterventionInput): Problem[] {
  const problems: Problem[] = [];
  if (!within(input.usualGroupSize, LIMITS.groupSize))
    problems.push({ field: 'usualGroupSize', message: 'Enter a usual group size from 1 to 30' });
  problems.push(...sessionProblems(input));
  const cost = fixedCostProblem(input.costModel, input.fixedCostPence);
  if (cost) problems.push(cost);
  if (measureNeedsName(input.measureKind) && !input.measureName)
    problems.push({
      field: 'measureName',
      message: 'Enter the name of the assessment, like Boxall Profile or SDQ total difficulties',
    });
  return problems;
}

/** Why an hourly rate cannot be right, naming whose rate it is ("for a teaching assistant"). */
export function hourlyRateProblem(pence: number | null, whoInText: string): string | null {
  if (pence === null) return `Enter the hourly rate for ${whoInText}, like 16.50`;
  if (!within(pence, LIMITS.hourlyPence))
    return `Enter an hourly rate for ${whoInText} from £0.01 to £200.00`;
  return null;
}

export interface GroupDates {
  startDate: IsoDate;
  endDate: IsoDate | null;
}

export function groupProblems(
  input: GroupDates & { sessionsPerWeek: number; minutesPerSession: number },
): Problem[] {
  const problems: Problem[] = [];
  if (input.endDate && input.endDate < input.startDate)
    problems.push({ field: 'endDate', message: 'The end date must be the same as or after the start date' });
  problems.push(...sessionProblems(input));
  return problems;
}

/** Why a pupil cannot join a group on a date, or null. */
export function joiningProblem(group: GroupDates, joinedOn: IsoDate): string | null {
  if (joinedOn < group.startDate)
    return `The group starts on ${formatDate(group.startDate)}: enter a joining date from then`;
  if (group.endDate && joinedOn > group.endDate)
    return `The group ends on ${formatDate(group.endDate)}: enter a joining date up to then`;
  return null;
}

/** Why a pupil cannot leave a group on a date, or null. */
export function leavingProblem(group: GroupDates, joinedOn: IsoDate, leftOn: IsoDate): string | null {
  if (leftOn < joinedOn) return `They joined on ${formatDate(joinedOn)}: enter a leaving date from then`;
  if (group.endDate && leftOn > group.endDate)
    return `The group ends on ${formatDate(group.endDate)}: enter a leaving date up to then`;
  return null;
}

/** Do two spells in a group share a day? (A pupil is in a group once at a time.) */
export function spellsOverlap(
  a: { joinedOn: IsoDate; leftOn: IsoDate | null },
  b: { joinedOn: IsoDate; leftOn: IsoDate | null },
): boolean {
  return (a.leftOn === null || b.joinedOn <= a.leftOn) && (b.leftOn === null || a.joinedOn <= b.leftOn);
}

/** Was a member in the group on a day? */
export function memberOn(m: { joinedOn: IsoDate; leftOn: IsoDate | null }, day: IsoDate): boolean {
  return m.joinedOn <= day && (m.leftOn === null || m.leftOn >= day);
}

/** Why a session cannot be recorded on this date, or null. */
export function sessionDateProblem(group: GroupDates, heldOn: IsoDate, today: IsoDate): string | null {
  if (heldOn > today) return 'The date of the session must be today or in the past';
  if (heldOn < group.startDate)
    return `The group started on ${formatDate(group.startDate)}: enter a date from then`;
  if (group.endDate && heldOn > group.endDate)
    return `The group ended on ${formatDate(group.endDate)}: enter a date up to then`;
  return null;
}

/** How many sessions a day a group can hold: one, or two for a group meeting more than five times a week. */
export function sessionsADay(sessionsPerWeek: number): number {
  return Math.max(1, Math.ceil(sessionsPerWeek / 5));
}

/** Why the group's dates cannot change to these, given what is recorded in it, or null. */
export function groupDatesProblems(
  dates: GroupDates,
  recorded: {
    firstJoined: IsoDate | null;
    lastLeft: IsoDate | null;
    firstSession: IsoDate | null;
    lastSession: IsoDate | null;
  },
): Problem[] {
  const problems: Problem[] = [];
  if (recorded.firstJoined && dates.startDate > recorded.firstJoined)
    problems.push({
      field: 'startDate',
      message: `A pupil joined on ${formatDate(recorded.firstJoined)}: the group must start by then`,
    });
  else if (recorded.firstSession && dates.startDate > recorded.firstSession)
    problems.push({
      field: 'startDate',
      message: `A session was held on ${formatDate(recorded.firstSession)}: the group must start by then`,
    });
  if (dates.endDate) {
    const last = [recorded.lastLeft, recorded.lastSession]
      .filter((d): d is IsoDate => d !== null)
      .sort()
      .at(-1);
    if (last && dates.endDate < last)
      problems.push({
        field: 'endDate',
        message: `${recorded.lastSession === last ? 'A session was held' : 'A pupil was in the group'} on ${formatDate(last)}: the group must end on or after then`,
      });
  }
  return problems;
}

// The half-termly check.

export interface CheckState {
  thisHalfTerm: HalfTerm;
  lastHalfTerm: HalfTerm;
  /** A check has been recorded since the start of this half-term. */
  checkedThisHalfTerm: boolean;
  /** The group ran for two weeks or more last half-term and has had no check since it began. */
  missedLastHalfTerm: boolean;
}

/** Ten school days: a group must have run this long in a half-term for its check to be due. */
export const DAYS_BEFORE_A_CHECK_IS_DUE = 10;

export function checkState(group: GroupDates, checkDates: readonly IsoDate[], today: IsoDate): CheckState {
  const thisHalfTerm = halfTermOf(today);
  const lastHalfTerm = previousHalfTerm(today);
  const from = group.startDate > lastHalfTerm.from ? group.startDate : lastHalfTerm.from;
  const endOfLast = group.endDate && group.endDate < lastHalfTerm.to ? group.endDate : lastHalfTerm.to;
  const ranLast = schoolDaysBetween(from, endOfLast) >= DAYS_BEFORE_A_CHECK_IS_DUE;
  return {
    thisHalfTerm,
    lastHalfTerm,
    checkedThisHalfTerm: checkDates.some((d) => d >= thisHalfTerm.from && d <= today),
    missedLastHalfTerm: ranLast && !checkDates.some((d) => d >= lastHalfTerm.from && d <= today),
  };
}

/** A group has ended when its last day is before today. */
export function hasEnded(group: { endDate: IsoDate | null }, today: IsoDate): boolean {
  return group.endDate !== null && group.endDate < today;
}

/** The Monday of a date's week. */
export function weekStartOf(date: IsoDate): IsoDate {
  const weekday = (dayNumber(date) + 3) % 7; // 1 January 1970 was a Thursday: Monday is 0
  return addDays(date, -weekday);
}

/** The first school day on or after a date (a weekday outside the usual holidays, school-days.ts). */
export function schoolDayFrom(date: IsoDate): IsoDate {
  let day = date;
  for (let i = 0; i < 366 && !isSchoolDay(day); i++) day = addDays(day, 1);
  return day;
}

/**
 * When a group's next session is due. A group has no set days, only so many sessions a week, so: on
 * the next school day (today, or its start date) while this week's sessions are not all held, else on
 * the first school day of next week; never a second time on a day that already had its session (for
 * a group meeting once a day). Null when the group has ended or ends before then.
 */
export function nextSessionDue(
  group: { startDate: IsoDate; endDate: IsoDate | null; sessionsPerWeek: number },
  held: { thisWeek: number; last: IsoDate | null },
  today: IsoDate,
): IsoDate | null {
  if (hasEnded(group, today)) return null;
  let day = schoolDayFrom(group.startDate > today ? group.startDate : today);
  if (held.last !== null && held.last >= day && sessionsADay(group.sessionsPerWeek) === 1) {
    day = schoolDayFrom(addDays(held.last, 1));
  }
  const thisWeek = weekStartOf(today);
  if (weekStartOf(day) === thisWeek && held.thisWeek >= group.sessionsPerWeek) {
    day = schoolDayFrom(addDays(thisWeek, 7));
  }
  return group.endDate !== null && day > group.endDate ? null : day;
}
