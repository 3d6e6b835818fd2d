import { academicYearStartOf } from './calendar.ts';
import { addDays, compareIsoDates, formatDate, type IsoDate, parseIsoDate } from './dates.ts';
import type { SchoolRequestStatus, TopUpOutcome } from './ehc.ts';
import { addFractions, fraction, multiply, roundHalfUp } from './provision-costs.ts';

/*
 * High-needs top-up funding (element 3; docs/adr/0036): the rules of a school's application and of the
 * local authority's decision, pure. A school funds additional support up to its threshold (usually
 * £6,000 a year) from its notional SEN budget; above it, it may ask the local authority for top-up
 * funding for a period. The authority agrees (all or in part) a year's amount for a period, perhaps in
 * one of its bands and with conditions, or refuses; the school sees the funding beside the costs and is
 * reminded before it ends.
 */

/** The most a year's top-up may be, asked or agreed (a sum no primary pupil's support comes near). */
export const TOP_UP_MAX_PENCE = 10_000_000;
/** A period of funding asked for or agreed runs at most this long (a plan is reviewed long before). */
export const TOP_UP_MAX_PERIOD_DAYS = 3 * 366;
/** The school is reminded this many days before the funding ends: six weeks. */
export const TOP_UP_REMINDER_DAYS = 42;

export interface FieldProblem {
  field: string;
  message: string;
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
  );
}

/** The problems of a period of funding (the first and last day, both included), in plain English. */
export function periodProblems(
  from: IsoDate | null,
  to: IsoDate | null,
  names: { from: string; to: string },
  required: boolean,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (required && !from) problems.push({ field: names.from, message: 'Enter the date the funding starts' });
  if (required && !to) problems.push({ field: names.to, message: 'Enter the date the funding ends' });
  if (from && to) {
    if (compareIsoDates(to, from) < 0)
      problems.push({
        field: names.to,
        message: 'The date the funding ends must be after the date it starts',
      });
    else if (daysBetween(from, to) > TOP_UP_MAX_PERIOD_DAYS)
      problems.push({ field: names.to, message: 'The funding can run for three years at most' });
  }
  return problems;
}

/** The problems of an amount of a year's funding, in pence (already read from what was typed). */
export function amountProblems(amountPence: number | null, field: string, required: boolean): FieldProblem[] {
  if (amountPence === null)
    return required ? [{ field, message: 'Enter the amount of top-up funding a year, like £4,500' }] : [];
  if (!Number.isSafeInteger(amountPence) || amountPence <= 0)
    return [{ field, message: 'The amount must be more than £0' }];
  if (amountPence > TOP_UP_MAX_PENCE) return [{ field, message: 'The amount must be £100,000 or less' }];
  return [];
}

/** What an application must hold before it is sent: the amount, the period and the school's case. */
export function readyToSend(application: {
  amountPence: number | null;
  periodFrom: IsoDate | null;
  periodTo: IsoDate | null;
  rationale: string | null;
}): FieldProblem[] {
  return [
    ...amountProblems(application.amountPence, 'amount', true),
    ...periodProblems(
      application.periodFrom,
      application.periodTo,
      { from: 'periodFrom', to: 'periodTo' },
      true,
    ),
    ...(application.rationale?.trim()
      ? []
      : [
          {
            field: 'rationale',
            message: 'Say why the plan is efficient and likely to succeed before sending the application',
          },
        ]),
  ];
}

/** The amount a school would ask for: what the year's provision costs above the threshold, or nothing. */
export function suggestedAmount(yearCostPence: number, thresholdPence: number): number | null {
  const above = yearCostPence - thresholdPence;
  return above > 0 ? above : null;
}

export interface DecisionInput {
  outcome: TopUpOutcome;
  decidedOn: IsoDate;
  amountPence: number | null;
  fundedFrom: IsoDate | null;
  fundedUntil: IsoDate | null;
}

/**
 * The earliest day a decision may fund from: the start (1 September) of the academic year in which the
 * application was received. An authority may backdate funding to the start of that year, no further.
 */
export function earliestFundedFrom(receivedOn: IsoDate): IsoDate {
  return `${academicYearStartOf(receivedOn)}-09-01` as IsoDate;
}

/**
 * The problems of the local authority's decision: a decision to fund (all or in part) needs a year's
 * amount and the period it runs; a refusal has neither. It is dated on or after the day the application
 * was received, and not in the future. The funding starts no earlier than the start of the academic
 * year the application was received in. Funding agreed in part is less than was asked, or for less time.
 */
export function decisionProblems(
  d: DecisionInput,
  context: {
    today: IsoDate;
    receivedOn: IsoDate;
    asked: { amountPence: number | null; periodFrom: IsoDate | null; periodTo: IsoDate | null };
  },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (compareIsoDates(d.decidedOn, context.today) > 0)
    problems.push({ field: 'decidedOn', message: 'The date of the decision must be today or in the past' });
  else if (compareIsoDates(d.decidedOn, context.receivedOn) < 0)
    problems.push({
      field: 'decidedOn',
      message: 'The date of the decision must be on or after the day the application was received',
    });
  if (d.outcome === 'refused') {
    if (d.amountPence !== null)
      problems.push({ field: 'amount', message: 'Leave the amount empty when the application is refused' });
    if (d.fundedFrom || d.fundedUntil)
      problems.push({
        field: 'fundedFrom',
        message: 'Leave the dates empty when the application is refused',
      });
    return problems;
  }
  problems.push(...amountProblems(d.amountPence, 'amount', true));
  problems.push(
    ...periodProblems(d.fundedFrom, d.fundedUntil, { from: 'fundedFrom', to: 'fundedUntil' }, true),
  );
  const earliest = earliestFundedFrom(context.receivedOn);
  if (d.fundedFrom && compareIsoDates(d.fundedFrom, earliest) < 0)
    problems.push({
      field: 'fundedFrom',
      message: `The funding cannot start before the start of the school year the application was received in: ${formatDate(earliest)} or later`,
    });
  const { asked } = context;
  if (
    d.outcome === 'agreed_in_part' &&
    problems.length === 0 &&
    asked.amountPence !== null &&
    d.amountPence !== null &&
    d.amountPence >= asked.amountPence &&
    !(
      asked.periodFrom &&
      asked.periodTo &&
      d.fundedFrom &&
      d.fundedUntil &&
      daysBetween(d.fundedFrom, d.fundedUntil) < daysBetween(asked.periodFrom, asked.periodTo)
    )
  )
    problems.push({
      field: 'amount',
      message:
        'Funding agreed in part is less than the school asked for, or for a shorter time: otherwise choose “Agreed”',
    });
  return problems;
}

export interface AgreedFunding {
  amountPence: number;
  from: IsoDate;
  until: IsoDate;
}

/**
 * The top-up funding that falls in a year (an academic or financial year): each agreement's year amount
 * for the share of the year's days it covers, exact, rounded once, half a penny up.
 */
export function fundingInYear(
  agreed: readonly AgreedFunding[],
  year: { from: IsoDate; to: IsoDate },
): number {
  const yearDays = daysBetween(year.from, year.to) + 1;
  let total = fraction(0);
  for (const a of agreed) {
    const from = compareIsoDates(a.from, year.from) > 0 ? a.from : year.from;
    const until = compareIsoDates(a.until, year.to) < 0 ? a.until : year.to;
    if (compareIsoDates(until, from) < 0) continue;
    const days = daysBetween(from, until) + 1;
    const share = multiply(fraction(a.amountPence), fraction(days, yearDays));
    total = addFractions(total, share);
  }
  return roundHalfUp(total);
}

/**
 * The year's costs against the threshold and the funding agreed for it: what the school meets itself
 * (up to the threshold), what is above it, the top-up that falls in the year, and what above the
 * threshold is still not funded (never below nothing).
 */
export function fundingAgainstCost(input: {
  costPence: number;
  thresholdPence: number;
  fundedPence: number;
}): { abovePence: number; fundedPence: number; unfundedPence: number } {
  const abovePence = Math.max(0, input.costPence - input.thresholdPence);
  return {
    abovePence,
    fundedPence: input.fundedPence,
    unfundedPence: Math.max(0, abovePence - input.fundedPence),
  };
}

/** The day the school is reminded of funding that ends on `until`: six weeks before. */
export function reminderDay(until: IsoDate): IsoDate {
  return addDays(until, -TOP_UP_REMINDER_DAYS);
}

/** Whether funding ending on `until` is due its reminder today: within six weeks, not yet ended. */
export function endingSoon(until: IsoDate, today: IsoDate): boolean {
  return compareIsoDates(today, reminderDay(until)) >= 0 && compareIsoDates(today, until) <= 0;
}

/** An application as far as the prompt to apply cares: where it stands and the decision on it. */
export interface ApplicationFacts {
  status: SchoolRequestStatus;
  sentOn: IsoDate | null;
  decision: { outcome: TopUpOutcome; fundedFrom: IsoDate | null; fundedUntil: IsoDate | null } | null;
}

export type TopUpInHand = { kind: 'agreed'; until: IsoDate } | { kind: 'sent'; on: IsoDate } | null;

/**
 * Why a pupil whose costs pass the threshold needs no prompt to apply for top-up funding: funding is
 * agreed that has not ended (running now, or agreed to start soon; the latest end), or an application is
 * sent and waits for the authority's decision (the latest sent). Null when neither: then the prompt
 * stands (funding ended or refused, an application being written or withdrawn).
 */
export function topUpInHand(applications: readonly ApplicationFacts[], today: IsoDate): TopUpInHand {
  let until: IsoDate | null = null;
  let sentOn: IsoDate | null = null;
  for (const a of applications) {
    const d = a.decision;
    if (
      d &&
      d.outcome !== 'refused' &&
      d.fundedUntil &&
      compareIsoDates(today, d.fundedUntil) <= 0 &&
      (!until || compareIsoDates(d.fundedUntil, until) > 0)
    )
      until = d.fundedUntil;
    if (a.status === 'sent' && !d && a.sentOn && (!sentOn || compareIsoDates(a.sentOn, sentOn) > 0))
      sentOn = a.sentOn;
  }
  if (until) return { kind: 'agreed', until };
  if (sentOn) return { kind: 'sent', on: sentOn };
  return null;
}

/** What stands in place of the prompt to apply: "Top-up agreed to 31 August 2027", "Application sent 3 March 2027". */
export function topUpInHandText(inHand: TopUpInHand): string | null {
  if (!inHand) return null;
  return inHand.kind === 'agreed'
    ? `Top-up agreed to ${formatDate(inHand.until)}`
    : `Application for top-up funding sent ${formatDate(inHand.on)}`;
}
