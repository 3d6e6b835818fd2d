import { termOf, termStart } from './calendar.ts';
import { addDays, compareIsoDates, formatDate, type IsoDate, toIsoDate } from './dates.ts';
import { CEASE_REASONS, type CeaseReason, REVIEW_DECISIONS, type ReviewDecision } from './ehc-plan.ts';
import {
  amendedPlanDueOn,
  DECISION_DAYS,
  DUE_BAND_LABELS,
  type DueBand,
  decisionDueOn,
  dueBand,
  termEnd,
  termlyListDueOn,
  twelveMonthsEnd,
} from './ehc-review-clock.ts';

export { amendedPlanDueOn, DUE_BAND_LABELS, type DueBand, decisionDueOn, dueBand };

/*
 * The local authority's side of an EHC plan's annual review (SEND Regulations 2014 regs 20–22; DOMAIN.md
 * "EHC needs assessment and plans"; docs/adr/0038): which reviews fall due when (overdue, this term,
 * next term), the termly list each head teacher is sent at least two weeks before a term starts, and the
 * rules of a decision to keep, amend or cease a plan. Pure: dates in, dates out.
 */

/** A term of the school year as the house counts them (calendar.ts: 1 September, 1 January, 1 April). */
export interface Term {
  startsOn: IsoDate;
  endsOn: IsoDate;
  label: string;
}

/** The term `date` falls in, with its last day (the day before the next term starts). */
export function termAround(date: IsoDate): Term {
  return { startsOn: termStart(date), endsOn: termEnd(date), label: termOf(date).label };
}

/** The first day of the term after the one `date` falls in. */
export function nextTermStart(date: IsoDate): IsoDate {
  const { term, academicYearStart } = termOf(date);
  if (term === 'autumn') return toIsoDate(academicYearStart + 1, 1, 1);
  if (term === 'spring') return toIsoDate(academicYearStart + 1, 4, 1);
  return toIsoDate(academicYearStart + 1, 9, 1);
}

/** The term after the one `date` falls in. */
export function termAfter(date: IsoDate): Term {
  return termAround(nextTermStart(date));
}

/**
 * The termly list to head teachers: the Code of Practice (9.171) asks the authority to send each head, at
 * least two weeks before a term starts, the list of the reviews due that term. OpenSEND sends it from
 * four weeks before the term starts; a list not sent by then (the server was off) is still sent until the
 * term starts, and is late.
 */
export const TERM_LIST_OPENS_DAYS = 28;

/** The term whose list may be sent on `today`, or null outside the four weeks before a term. */
export function termListDue(today: IsoDate): (Term & { sendBy: IsoDate; late: boolean }) | null {
  const startsOn = nextTermStart(today);
  if (compareIsoDates(today, addDays(startsOn, -TERM_LIST_OPENS_DAYS)) < 0) return null;
  const sendBy = termlyListDueOn(startsOn);
  return { ...termAround(startsOn), sendBy, late: compareIsoDates(today, sendBy) > 0 };
}

/** What a decision to keep the plan moves on: the last review is the meeting; the next due in twelve months. */
export function keptPlanDates(meetingOn: IsoDate): { lastReviewOn: IsoDate; reviewDueOn: IsoDate } {
  return { lastReviewOn: meetingOn, reviewDueOn: twelveMonthsEnd(meetingOn) };
}

export interface DecisionInput {
  decision: string | null;
  decidedOn: IsoDate | null;
  reasons: string | null;
  ceaseReason: string | null;
}

export interface DecisionProblem {
  field: 'decision' | 'decidedOn' | 'reasons' | 'ceaseReason';
  message: string;
}

const isKey = <T extends object>(o: T, k: unknown): k is keyof T & string =>
  typeof k === 'string' && Object.hasOwn(o, k);

/**
 * What is wrong with a decision on a review: it is one of keep, amend or cease; made on or after the
 * meeting and not in the future; to amend or cease it gives the reasons (the parents are told them with
 * their right of appeal); to cease it gives SEN2's reason.
 */
export function decisionProblems(
  input: DecisionInput,
  context: { meetingOn: IsoDate; today: IsoDate },
): DecisionProblem[] {
  const problems: DecisionProblem[] = [];
  if (!isKey(REVIEW_DECISIONS, input.decision))
    problems.push({ field: 'decision', message: 'Choose whether to keep, amend or cease the plan' });
  if (!input.decidedOn) problems.push({ field: 'decidedOn', message: 'Enter the date of the decision' });
  else if (compareIsoDates(input.decidedOn, context.today) > 0)
    problems.push({ field: 'decidedOn', message: 'The date of the decision must be today or in the past' });
  else if (compareIsoDates(input.decidedOn, context.meetingOn) < 0)
    problems.push({
      field: 'decidedOn',
      message: `The date of the decision must be on or after the review meeting (${formatDate(context.meetingOn)})`,
    });
  if ((input.decision === 'amend' || input.decision === 'cease') && !input.reasons)
    problems.push({
      field: 'reasons',
      message:
        input.decision === 'cease'
          ? 'Give the reasons for ceasing the plan: the parents are told them with their right of appeal'
          : 'Give the reasons for amending the plan: they go to the parents with the proposed amendments',
    });
  if (input.decision === 'cease' && !isKey(CEASE_REASONS, input.ceaseReason))
    problems.push({ field: 'ceaseReason', message: 'Choose why the plan ceases' });
  return problems;
}

/** A decision the rules accept, typed. */
export function acceptedDecision(
  input: DecisionInput,
): { decision: ReviewDecision; ceaseReason: CeaseReason | null } | null {
  if (!isKey(REVIEW_DECISIONS, input.decision)) return null;
  const ceaseReason =
    input.decision === 'cease' && isKey(CEASE_REASONS, input.ceaseReason) ? input.ceaseReason : null;
  return { decision: input.decision, ceaseReason };
}

/** Whether the decision was made within the four weeks, for the page's words. */
export function decisionOnTime(meetingOn: IsoDate, decidedOn: IsoDate): boolean {
  return compareIsoDates(decidedOn, addDays(meetingOn, DECISION_DAYS)) <= 0;
}
