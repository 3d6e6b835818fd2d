import { academicYearLabel, academicYearStartOf, ageOn, termOf } from './calendar.ts';
import {
  addDays,
  addYears,
  compareIsoDates,
  daysInMonth,
  formatDate,
  type IsoDate,
  isRealDate,
  parseIsoDate,
  toIsoDate,
} from './dates.ts';
import type { YearGroupRange } from './school.ts';
import { dayNumber, schoolDaysBetween } from './school-days.ts';

/*
 * The timetable of an EHC plan's annual review (SEND Regulations 2014, regs 2, 18–22; DOMAIN.md
 * "EHC needs assessment and plans"; docs/adr/0038): when a review falls due, the notice its invitations
 * and advice need, when the report is due, the local authority's decision and an amended plan, and a
 * phase transfer's date worked back. Pure: dates in, dates out.
 *
 *   s44(1), reg 2   the plan reviewed within 12 months of its issue, then of the last review meeting
 *                   (for a child under five, every 3 to 6 months should be considered: Code 9.178)
 *   reg 20(4)       invitations at least two weeks before the meeting
 *   reg 20(3)       advice asked for, and circulated to everyone invited at least two weeks before it
 *   reg 20(7)-(8)   the report sent to the local authority within two weeks of the meeting
 *   reg 20(10)      the authority's decision (keep, amend, cease) within four weeks of the meeting, the
 *                   proposed amendments sent with it
 *   reg 22(3)       the amended final plan within eight weeks of the proposed amendments: twelve weeks
 *                   of the meeting in all (R (L, M and P) v Devon County Council [2022] EWHC 493 (Admin))
 *   reg 18          a phase transfer: the review and the amended plan, naming the next school, by 15
 *                   February of the year of transfer (31 March from secondary school to post-16)
 *
 * Periods are calendar days, as the regulations count them; a period running through the school
 * holidays is not stretched (the school days in it are counted, so a page can warn). The termly list to
 * head teachers goes at least two weeks before the term starts (Code 9.171).
 */

export const WEEK_DAYS = 7;
/** Invitations and advice: at least two weeks before the meeting. */
export const NOTICE_DAYS = 2 * WEEK_DAYS;
/** The school's report to the local authority: within two weeks after the meeting. */
export const REPORT_DAYS = 2 * WEEK_DAYS;
/** The authority's decision: within four weeks of the meeting. */
export const DECISION_DAYS = 4 * WEEK_DAYS;
/** The amended final plan: within eight weeks of the proposed amendments… */
export const AMENDED_PLAN_DAYS = 8 * WEEK_DAYS;
/** …and twelve weeks of the meeting in all. */
export const AMENDMENT_TOTAL_DAYS = 12 * WEEK_DAYS;
/** A phase transfer's meeting: held in time for the twelve weeks to end by the deadline. */
export const PHASE_TRANSFER_WORK_BACK_DAYS = AMENDMENT_TOTAL_DAYS;
/** The termly list of reviews due, to each head teacher at least two weeks before the term starts. */
export const TERMLY_LIST_NOTICE_DAYS = 2 * WEEK_DAYS;

/**
 * The last day of the twelve months that begin on `from` (the day the plan was issued, or the day of
 * the last review meeting): a review is due within them. Twelve months from 1 March end on the last day
 * of February; from 29 February, on 28 February the next year (there is no 29 February to end before).
 */
export function twelveMonthsEnd(from: IsoDate): IsoDate {
  const { year, month, day } = parseIsoDate(from);
  if (month === 2 && day === 29 && !isRealDate(year + 1, 2, 29)) return addYears(from, 1);
  return addDays(addYears(from, 1), -1);
}

/** The same day `months` months on; a day the month lacks falls on its last day (31 August + 6 → 28 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return toIsoDate(y, m, Math.min(day, daysInMonth(y, m)));
}

/** The last day of the `months` months that begin on `from` (as twelveMonthsEnd, for any number). */
export function monthsEnd(from: IsoDate, months: number): IsoDate {
  const { day } = parseIsoDate(from);
  const on = addMonths(from, months);
  // From the 29th–31st of a month, a shorter month ends the period on its own last day.
  if (parseIsoDate(on).day < day) return on;
  return addDays(on, -1);
}

/** When the next review is due: twelve months from the last review meeting, or from the plan's issue. */
export function reviewDueOn(plan: { issuedOn: IsoDate; lastReviewOn: IsoDate | null }): IsoDate {
  return twelveMonthsEnd(plan.lastReviewOn ?? plan.issuedOn);
}

/**
 * A child under five: the law asks for a review within twelve months, and the Code asks that a review
 * every three to six months be considered. Null for a child of five or more on the day counted from.
 */
export function underFiveReview(
  dateOfBirth: IsoDate,
  from: IsoDate,
): { threeMonthsOn: IsoDate; sixMonthsOn: IsoDate; note: string } | null {
  if (ageOn(dateOfBirth, from) >= 5) return null;
  const threeMonthsOn = monthsEnd(from, 3);
  const sixMonthsOn = monthsEnd(from, 6);
  return {
    threeMonthsOn,
    sixMonthsOn,
    note: `The child is under five: consider a review every 3 to 6 months, the next by ${formatDate(sixMonthsOn)}`,
  };
}

/** The last day invitations can go out (and advice be circulated) to give two weeks' notice of a meeting. */
export function noticeBy(meetingOn: IsoDate): IsoDate {
  return addDays(meetingOn, -NOTICE_DAYS);
}

/** Days of notice given by something sent on `sentOn` for a meeting on `meetingOn`, and whether enough. */
export function noticeGiven(
  sentOn: IsoDate,
  meetingOn: IsoDate,
): { days: number; enough: boolean; warning: string | null } {
  const days = dayNumber(meetingOn) - dayNumber(sentOn);
  const enough = days >= NOTICE_DAYS;
  return {
    days,
    enough,
    warning: enough
      ? null
      : `Less than two weeks’ notice: sent ${days < 0 ? 'after the meeting' : `${days} day${days === 1 ? '' : 's'} before it`}; it should have gone by ${formatDate(noticeBy(meetingOn))}`,
  };
}

/** The last day the school's report can reach the local authority: two weeks after the meeting. */
export function reportDueOn(meetingOn: IsoDate): IsoDate {
  return addDays(meetingOn, REPORT_DAYS);
}

/** The last day of the authority's decision on the review: four weeks after the meeting. */
export function decisionDueOn(meetingOn: IsoDate): IsoDate {
  return addDays(meetingOn, DECISION_DAYS);
}

/**
 * The last day of the amended final plan: eight weeks after the proposed amendments were sent, and
 * never later than twelve weeks after the meeting (the two together: 4 + 8). Until the amendments are
 * sent, the twelve weeks.
 */
export function amendedPlanDueOn(meetingOn: IsoDate, amendmentsSentOn: IsoDate | null = null): IsoDate {
  const twelveWeeks = addDays(meetingOn, AMENDMENT_TOTAL_DAYS);
  if (!amendmentsSentOn) return twelveWeeks;
  const eightWeeks = addDays(amendmentsSentOn, AMENDED_PLAN_DAYS);
  return compareIsoDates(eightWeeks, twelveWeeks) < 0 ? eightWeeks : twelveWeeks;
}

/** The last day the termly list of reviews due can reach a head teacher: two weeks before the term starts. */
export function termlyListDueOn(termStartsOn: IsoDate): IsoDate {
  return addDays(termStartsOn, -TERMLY_LIST_NOTICE_DAYS);
}

// ---------------------------------------------------------------------------------------------------
// Terms: where a review's due date falls (overdue, this term, next term, later).

/** The last day of the term a date falls in (31 December, 31 March, 31 August). */
export function termEnd(date: IsoDate): IsoDate {
  const { term, academicYearStart } = termOf(date);
  if (term === 'autumn') return toIsoDate(academicYearStart, 12, 31);
  if (term === 'spring') return toIsoDate(academicYearStart + 1, 3, 31);
  return toIsoDate(academicYearStart + 1, 8, 31);
}

export type DueBand = 'overdue' | 'this_term' | 'next_term' | 'later';
export const DUE_BAND_LABELS: Record<DueBand, string> = {
  overdue: 'Overdue',
  this_term: 'Due this term',
  next_term: 'Due next term',
  later: 'Due later',
};

/** Where a review due on `dueOn` stands on `today`. */
export function dueBand(dueOn: IsoDate, today: IsoDate): DueBand {
  if (compareIsoDates(dueOn, today) < 0) return 'overdue';
  const thisEnd = termEnd(today);
  if (compareIsoDates(dueOn, thisEnd) <= 0) return 'this_term';
  return compareIsoDates(dueOn, termEnd(addDays(thisEnd, 1))) <= 0 ? 'next_term' : 'later';
}

// ---------------------------------------------------------------------------------------------------
// Phase transfer (reg 18).

export type PhaseTransferKind = 'early_years_to_school' | 'infant_to_junior' | 'to_secondary' | 'to_post16';
export const PHASE_TRANSFER_LABELS: Record<PhaseTransferKind, string> = {
  early_years_to_school: 'From early years to school (into Reception)',
  infant_to_junior: 'From infant school to junior school',
  to_secondary: 'To secondary school',
  to_post16: 'From secondary school to post-16 education',
};

/**
 * Whether a pupil in `ncYear` at a school teaching `range` is in a year of transfer to the next phase,
 * and which: a nursery child going into Reception; Year 2 at an infant school (its oldest year is Year 2);
 * Year 6 (or the oldest year of a middle school) going to secondary school; Year 11 going to post-16.
 * Null otherwise (Year 6 at an all-through school moves on within the school and is still a transfer to
 * secondary education; Year 2 at a primary school is not).
 */
export function phaseTransferKind(ncYear: number, range: YearGroupRange): PhaseTransferKind | null {
  if (ncYear === -1) return 'early_years_to_school';
  if (ncYear === 2 && range.highest === 2) return 'infant_to_junior';
  if (ncYear === 6) return 'to_secondary';
  if (ncYear >= 4 && ncYear <= 8 && range.lowest >= 4 && ncYear === range.highest) return 'to_secondary';
  if (ncYear === 11) return 'to_post16';
  return null;
}

export interface PhaseTransfer {
  kind: PhaseTransferKind;
  label: string;
  /** The September the child moves (the start of the next academic year). */
  movesOn: IsoDate;
  /** The review held and the amended plan, naming the next school, issued by this day. */
  deadline: IsoDate;
  /** The last day the review meeting can be held for the twelve weeks to end by the deadline. */
  meetingBy: IsoDate;
  /** Invitations (and the advice circulated) by this day, for that meeting. */
  invitationsBy: IsoDate;
  note: string;
}

/**
 * A phase transfer in the academic year beginning in September of `academicYearStart`: the deadline
 * (15 February of the calendar year of transfer, 31 March for secondary to post-16), worked back to the
 * day the review meeting must be held by (the deadline less the twelve weeks of a review and its
 * amendment) and the day its invitations must go out.
 */
export function phaseTransfer(kind: PhaseTransferKind, academicYearStart: number): PhaseTransfer {
  const year = academicYearStart + 1;
  const deadline = kind === 'to_post16' ? toIsoDate(year, 3, 31) : toIsoDate(year, 2, 15);
  const meetingBy = addDays(deadline, -PHASE_TRANSFER_WORK_BACK_DAYS);
  return {
    kind,
    label: PHASE_TRANSFER_LABELS[kind],
    movesOn: toIsoDate(year, 9, 1),
    deadline,
    meetingBy,
    invitationsBy: noticeBy(meetingBy),
    note:
      `A move in September ${year}: the plan reviewed and amended, naming the next school, by ` +
      `${formatDate(deadline)}; hold the review meeting by ${formatDate(meetingBy)} ` +
      `(invitations by ${formatDate(noticeBy(meetingBy))})`,
  };
}

/** The phase transfer of a pupil this academic year, or null when they are not in a year of transfer. */
export function phaseTransferOf(
  ncYear: number,
  range: YearGroupRange,
  today: IsoDate,
  academicYearStart: number = academicYearStartOf(today),
): PhaseTransfer | null {
  const kind = phaseTransferKind(ncYear, range);
  return kind ? phaseTransfer(kind, academicYearStart) : null;
}

/** The autumn term, when the school is told which of its pupils transfer next September. */
export function isAutumn(today: IsoDate): boolean {
  return termOf(today).term === 'autumn';
}

// ---------------------------------------------------------------------------------------------------
// One review's timetable, step by step.

export type ReviewStepKind = 'meeting' | 'invitations' | 'advice' | 'report' | 'decision' | 'amended_plan';
export const REVIEW_STEP_LABELS: Record<ReviewStepKind, { label: string; regulation: string }> = {
  meeting: { label: 'Hold the review meeting', regulation: 'section 44(1); regulation 2' },
  invitations: { label: 'Send the invitations (two weeks’ notice)', regulation: 'regulation 20(4)' },
  advice: { label: 'Circulate the advice (two weeks before)', regulation: 'regulation 20(3)' },
  report: { label: 'Send the report to the local authority', regulation: 'regulation 20(7)' },
  decision: { label: 'The local authority decides: keep, amend or cease', regulation: 'regulation 20(10)' },
  amended_plan: { label: 'The amended final plan', regulation: 'regulation 22(3)' },
};

export type ReviewStepStatus = 'met' | 'late' | 'due' | 'overdue' | 'waiting';
export const REVIEW_STEP_STATUS_LABELS: Record<ReviewStepStatus, string> = {
  met: 'Done in time',
  late: 'Done late',
  due: 'Due',
  overdue: 'Overdue',
  waiting: 'Not yet',
};

export interface ReviewStep {
  kind: ReviewStepKind;
  label: string;
  regulation: string;
  dueOn: IsoDate | null;
  doneOn: IsoDate | null;
  status: ReviewStepStatus;
  note: string | null;
}

export interface ReviewTimetableInput {
  dueOn: IsoDate;
  meetingOn: IsoDate | null;
  /** The meeting took place (the record is held), not only planned. */
  held: boolean;
  /** The last invitation sent, and the day the advice was circulated. */
  invitationsSentOn: IsoDate | null;
  adviceCirculatedOn: IsoDate | null;
  reportSentOn: IsoDate | null;
  decidedOn?: IsoDate | null;
  decision?: 'keep' | 'amend' | 'cease' | null;
  amendmentsSentOn?: IsoDate | null;
  amendedPlanIssuedOn?: IsoDate | null;
}

/** Each step of a review with its last day and where it stands on `today`. */
export function reviewTimetable(input: ReviewTimetableInput, today: IsoDate): ReviewStep[] {
  const status = (due: IsoDate | null, done: IsoDate | null): ReviewStepStatus => {
    if (!due) return done ? 'met' : 'waiting';
    if (done) return compareIsoDates(done, due) <= 0 ? 'met' : 'late';
    return compareIsoDates(today, due) <= 0 ? 'due' : 'overdue';
  };
  const step = (
    kind: ReviewStepKind,
    dueOn: IsoDate | null,
    doneOn: IsoDate | null,
    note: string | null = null,
  ) => ({
    kind,
    ...REVIEW_STEP_LABELS[kind],
    dueOn,
    doneOn,
    status: status(dueOn, doneOn),
    note,
  });
  const m = input.meetingOn;
  const steps: ReviewStep[] = [step('meeting', input.dueOn, input.held ? m : null)];
  steps.push(step('invitations', m ? noticeBy(m) : null, input.invitationsSentOn));
  steps.push(step('advice', m ? noticeBy(m) : null, input.adviceCirculatedOn));
  if (m && input.held) {
    const due = reportDueOn(m);
    const schoolDays = schoolDaysBetween(addDays(m, 1), due);
    steps.push(
      step(
        'report',
        due,
        input.reportSentOn,
        schoolDays < 10
          ? `The two weeks fall partly in the usual school holidays (${schoolDays} school day${schoolDays === 1 ? '' : 's'}); they are not extended`
          : null,
      ),
    );
    steps.push(step('decision', decisionDueOn(m), input.decidedOn ?? null));
    if (input.decision === 'amend')
      steps.push(
        step(
          'amended_plan',
          amendedPlanDueOn(m, input.amendmentsSentOn ?? null),
          input.amendedPlanIssuedOn ?? null,
        ),
      );
  } else {
    steps.push(step('report', null, null, 'Two weeks after the meeting'));
  }
  // Waiting steps before their time: a step with no day yet is neither due nor overdue.
  return steps.map((s) => (s.dueOn === null && !s.doneOn ? { ...s, status: 'waiting' as const } : s));
}

/** "2026/27" phase transfers: the academic year label of the transfer list. */
export function transferYearLabel(today: IsoDate): string {
  return academicYearLabel(academicYearStartOf(today));
}
