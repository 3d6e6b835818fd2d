import { addDays, compareIsoDates, formatDate, type IsoDate, parseIsoDate, toIsoDate } from './dates.ts';
import type { AdviceSource, CaseDecisionKind, EhcStage, ExceptionGround } from './ehc.ts';
import { dayNumber } from './school-days.ts';

/*
 * The statutory clock of an EHC needs assessment (SEND Regulations 2014, SI 2014/1530; docs/adr/0036):
 * a pure function of the dates entered once on a case. Every deadline runs in calendar days from a date
 * an officer recorded; nothing here is stored, so correcting a date corrects every deadline.
 *
 *   reg 5(1)   notify the parents of the decision whether to assess: within 6 weeks of receiving the request
 *   reg 8(1)   each body asked for advice gives it within 6 weeks of the day it was asked
 *   reg 10(1)  notify the parents of a decision not to issue a plan: within 16 weeks of the request
 *   reg 13(1)  the draft plan gives the parents at least 15 days, beginning with the day it is served,
 *              to comment and ask for a school: the plan cannot be finalised before those days end
 *   reg 13(2)  the final plan: within 20 weeks of the request
 *
 * The exceptions (the time limit need not be met when it is impractical because of them):
 *   regs 5(4), 10(4), 13(3): (a) advice asked of a school in the period beginning one week before it
 *   closes for 4 continuous weeks or more and ending one week before it reopens; (b) the same for an
 *   early years provider; (c) exceptional personal circumstances of the child or parent; (d) the child or
 *   parent away from the authority's area for 4 continuous weeks or more.
 *   reg 8(2): (a) exceptional circumstances and (b) absence of 4 weeks or more during the 6 weeks of the
 *   advice (and a missed appointment, which the officer notes on the advice). A school's closure is not
 *   an exception to the advice's own 6 weeks.
 *
 * How the dates are read:
 *  - "notify" is the day the parents were told: a decision made in time but told late misses reg 5(1)
 *    (and reg 10(1)); the decision's own date is shown beside it;
 *  - periods are calendar days, as the regulations count them: 6 weeks is 42 days from the day received
 *    (received 15 July, due 26 August); a period ending on a Saturday or Sunday is not stretched to the
 *    Monday; the parents' 15 days include the day the draft is served, so the final plan may be issued
 *    from the 16th day, and the clock names a draft served too late to fit within the 20 weeks;
 *  - the windows of ground (a) include their first and last days.
 *
 * Ground (a) is found, not recorded: from the closures the asked school recorded (`school_closure`), and
 * for a year in which it recorded none of 4 weeks or more, the usual summer holiday (22 July – 31
 * August, as school-days.ts). The other grounds are recorded by the officer with their dates.
 */

export const WEEKS = 7;
export const DECIDE_DAYS = 6 * WEEKS;
export const ADVICE_DAYS = 6 * WEEKS;
export const NOT_ISSUE_DAYS = 16 * WEEKS;
export const FINAL_DAYS = 20 * WEEKS;
/** At least 15 days for the parents' comments, beginning with the day the draft is served (reg 13(1)). */
export const COMMENT_DAYS = 15;
/** A closure (or an absence) counts when it lasts 4 continuous weeks or more. */
export const LONG_CLOSURE_DAYS = 4 * WEEKS;
/** The usual summer holiday (month, day) inclusive, used for a year a school recorded no long closure. */
export const USUAL_SUMMER = { first: [7, 22], last: [8, 31] } as const;

export type DeadlineKind = 'decide' | 'advice' | 'not_issue' | 'comments' | 'final';

export const DEADLINE_LABELS: Record<DeadlineKind, { label: string; regulation: string }> = {
  decide: { label: 'Tell the parents whether the authority will assess', regulation: 'regulation 5(1)' },
  advice: { label: 'Advice', regulation: 'regulation 8(1)' },
  not_issue: {
    label: 'Decide whether to issue a plan (a decision not to issue told to the parents)',
    regulation: 'regulation 10(1)',
  },
  comments: {
    label: 'The parents’ 15 days to comment on the draft plan and ask for a school',
    regulation: 'regulation 13(1)',
  },
  final: { label: 'Issue the final EHC plan', regulation: 'regulation 13(2)' },
};

/** Which grounds can excuse each deadline (regs 5(4), 8(2), 10(4), 13(3)); the comment period has none. */
export const GROUNDS_EXCUSING: Record<DeadlineKind, readonly ExceptionGround[]> = {
  decide: ['school_closure', 'early_years_closure', 'personal_circumstances', 'absence'],
  advice: ['personal_circumstances', 'absence'],
  not_issue: ['school_closure', 'early_years_closure', 'personal_circumstances', 'absence'],
  comments: [],
  final: ['school_closure', 'early_years_closure', 'personal_circumstances', 'absence'],
};

export const EXCEPTION_REGULATIONS: Record<ExceptionGround, string> = {
  school_closure: 'regulations 5(4)(a), 10(4)(a), 13(3)(a)',
  early_years_closure: 'regulations 5(4)(b), 10(4)(b), 13(3)(b)',
  personal_circumstances: 'regulations 5(4)(c), 8(2)(a), 10(4)(c), 13(3)(c)',
  absence: 'regulations 5(4)(d), 8(2)(b), 10(4)(d), 13(3)(d)',
};

/**
 * Where a deadline stands:
 *  - met: done on or before its day; late: done after it, with no exception to excuse it;
 *  - due: not done and its day not passed; overdue: its day passed, not done, no exception;
 *  - excused: late or overdue, and an exception excuses it;
 *  - running / given / breached: the parents' comment period (still running; given in full; the final
 *    plan issued before it ended);
 *  - not_applicable: the case went another way (not assessed, no plan, withdrawn).
 */
export type DeadlineStatus =
  | 'met'
  | 'late'
  | 'due'
  | 'overdue'
  | 'excused'
  | 'running'
  | 'given'
  | 'breached'
  | 'not_applicable';

export const DEADLINE_STATUS_LABELS: Record<DeadlineStatus, string> = {
  met: 'Met',
  late: 'Missed',
  due: 'Due',
  overdue: 'Overdue',
  excused: 'Excused',
  running: 'Running',
  given: 'Given in full',
  breached: 'Cut short',
  not_applicable: 'Not needed',
};

export interface ClockDecision {
  kind: CaseDecisionKind;
  decidedOn: IsoDate;
  /** When the parents were told (the regulations' "notify"); the deadline is met on this day. */
  parentsToldOn: IsoDate | null;
}

export interface ClockAdvice {
  id: string;
  source: AdviceSource;
  askedOf: string;
  /** The school asked (its closures are ground (a)); null for any other body or a school not on OpenSEND. */
  schoolId: string | null;
  requestedOn: IsoDate | null;
  receivedOn: IsoDate | null;
  alreadyHeld: boolean;
}

export interface ClockException {
  id: string;
  ground: ExceptionGround;
  startsOn: IsoDate;
  endsOn: IsoDate | null;
}

export interface ClockClosure {
  schoolId: string;
  firstDay: IsoDate;
  lastDay: IsoDate;
}

export interface ClockInput {
  receivedOn: IsoDate;
  decisions: readonly ClockDecision[];
  advice: readonly ClockAdvice[];
  exceptions: readonly ClockException[];
  /** The closures of the schools asked for advice (any others are ignored). */
  closures: readonly ClockClosure[];
  draftSentOn: IsoDate | null;
  finalIssuedOn: IsoDate | null;
  /** A withdrawn (or otherwise closed) request: nothing more is due. */
  withdrawn?: boolean;
}

/** An exception as the clock applies it: recorded by the officer, or found from a school's closure. */
export interface AppliedException {
  /** The recorded exception's id, or `closure:<adviceId>` for one found from a closure. */
  key: string;
  ground: ExceptionGround;
  found: boolean;
  /** The recorded dates, or for a closure, the window in which asking the school is an exception. */
  from: IsoDate;
  to: IsoDate | null;
  /** For a found closure: the advice asked in the window, and the closure itself. */
  adviceId?: string;
  closure?: { firstDay: IsoDate; lastDay: IsoDate; usual: boolean };
  /** Why it excuses nothing, when it does not (an absence shorter than four weeks). */
  notAGround?: string;
  /** The keys of the deadlines it excuses. */
  excuses: string[];
}

export interface Deadline {
  /** `decide`, `advice:<id>`, `not_issue`, `comments`, `final`. */
  key: string;
  kind: DeadlineKind;
  label: string;
  regulation: string;
  /** The last day (for the comment period, its last day: the plan may be final from the next). */
  dueOn: IsoDate | null;
  doneOn: IsoDate | null;
  status: DeadlineStatus;
  /** Keys of the exceptions that apply to it (whether or not it was then met). */
  exceptions: string[];
  /** A plain-English note: "decided on 3 March; the parents not yet told". */
  note: string | null;
  /** Open (due, overdue or excused and not done) and counting. */
  open: boolean;
  adviceId?: string;
}

export interface CaseClock {
  deadlines: Deadline[];
  exceptions: AppliedException[];
  /** The open deadline with the earliest day (the caseload's order), or null. */
  next: Deadline | null;
  overdue: number;
  dueThisWeek: number;
  /** The last day a draft can be served and still leave the parents 15 days before the 20-week day. */
  draftDueBy: IsoDate | null;
  /** The first day the final plan may be issued (the day after the comment period), once a draft is sent. */
  finalFrom: IsoDate | null;
  stage: EhcStage;
}

/** Days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return dayNumber(b) - dayNumber(a);
}

const within = (d: IsoDate, from: IsoDate, to: IsoDate | null) =>
  compareIsoDates(d, from) >= 0 && (to === null || compareIsoDates(d, to) <= 0);

const overlaps = (aFrom: IsoDate, aTo: IsoDate | null, bFrom: IsoDate, bTo: IsoDate) =>
  compareIsoDates(aFrom, bTo) <= 0 && (aTo === null || compareIsoDates(aTo, bFrom) >= 0);

/** The day after the parents' 15 days (beginning with the day the draft is served) end. */
export function commentPeriodEnds(draftServedOn: IsoDate): IsoDate {
  return addDays(draftServedOn, COMMENT_DAYS - 1);
}

export function earliestFinalDay(draftServedOn: IsoDate): IsoDate {
  return addDays(draftServedOn, COMMENT_DAYS);
}

/** The long closures (4 weeks or more) of a school that matter to advice asked on a day. */
export function longClosuresFor(
  closures: readonly ClockClosure[],
  schoolId: string | null,
  askedOn: IsoDate,
): { firstDay: IsoDate; lastDay: IsoDate; usual: boolean }[] {
  const year = parseIsoDate(askedOn).year;
  const own = closures.filter((c) => schoolId !== null && c.schoolId === schoolId);
  const result: { firstDay: IsoDate; lastDay: IsoDate; usual: boolean }[] = [];
  // A year in which the school recorded any closure is the school's own: its long closures count, and
  // the usual summer does not (a school that records a shorter summer is taken at its word).
  for (const y of [year - 1, year, year + 1]) {
    const recorded = own.filter((c) => parseIsoDate(c.firstDay).year === y);
    if (recorded.length > 0) {
      for (const c of recorded)
        if (daysBetween(c.firstDay, c.lastDay) + 1 >= LONG_CLOSURE_DAYS)
          result.push({ firstDay: c.firstDay, lastDay: c.lastDay, usual: false });
    } else
      result.push({
        firstDay: toIsoDate(y, USUAL_SUMMER.first[0], USUAL_SUMMER.first[1]),
        lastDay: toIsoDate(y, USUAL_SUMMER.last[0], USUAL_SUMMER.last[1]),
        usual: true,
      });
  }
  return result;
}

/**
 * Ground (a): the window in which asking a school for advice is an exception — from one week before
 * its first closed day to one week before the day it reopens (the day after its last closed day).
 */
export function closureWindow(closure: { firstDay: IsoDate; lastDay: IsoDate }): {
  from: IsoDate;
  to: IsoDate;
} {
  return { from: addDays(closure.firstDay, -WEEKS), to: addDays(addDays(closure.lastDay, 1), -WEEKS) };
}

function latest<T extends { decidedOn: IsoDate }>(rows: readonly T[]): T | null {
  let found: T | null = null;
  for (const r of rows) if (!found || compareIsoDates(r.decidedOn, found.decidedOn) >= 0) found = r;
  return found;
}

/** Where the case stands, from its decisions and dates. */
export function stageOf(input: ClockInput): EhcStage {
  if (input.withdrawn) return 'withdrawn';
  if (input.finalIssuedOn) return 'plan_issued';
  const whether = latest(input.decisions.filter((d) => d.kind === 'assess' || d.kind === 'not_assess'));
  const issue = latest(input.decisions.filter((d) => d.kind === 'issue_plan' || d.kind === 'not_issue_plan'));
  if (issue?.kind === 'not_issue_plan') return 'not_issuing';
  if (input.draftSentOn) return 'draft_sent';
  if (issue?.kind === 'issue_plan') return 'drafting';
  if (whether?.kind === 'assess') return 'assessing';
  if (whether?.kind === 'not_assess') return 'not_assessing';
  return 'received';
}

export function ehcClock(input: ClockInput, today: IsoDate): CaseClock {
  const received = input.receivedOn;
  const stage = stageOf(input);
  const whether = latest(input.decisions.filter((d) => d.kind === 'assess' || d.kind === 'not_assess'));
  const issue = latest(input.decisions.filter((d) => d.kind === 'issue_plan' || d.kind === 'not_issue_plan'));
  const notAssessing = whether?.kind === 'not_assess';
  const notIssuing = issue?.kind === 'not_issue_plan';

  // The exceptions: each recorded one, and one found for each piece of advice asked of a school in a
  // closure's window.
  const applied: AppliedException[] = [];
  for (const e of input.exceptions) {
    const tooShort =
      e.ground === 'absence' &&
      e.endsOn !== null &&
      daysBetween(e.startsOn, e.endsOn) + 1 < LONG_CLOSURE_DAYS;
    applied.push({
      key: e.id,
      ground: e.ground,
      found: false,
      from: e.startsOn,
      to: e.endsOn,
      ...(tooShort
        ? {
            notAGround:
              'An absence of less than four weeks is not a ground (it must be 4 continuous weeks or more)',
          }
        : {}),
      excuses: [],
    });
  }
  for (const a of input.advice) {
    if (a.alreadyHeld || !a.requestedOn || a.source !== 'school') continue;
    const asked = a.requestedOn;
    const closure = longClosuresFor(input.closures, a.schoolId, asked).find((c) => {
      const w = closureWindow(c);
      return within(asked, w.from, w.to);
    });
    if (!closure) continue;
    const w = closureWindow(closure);
    applied.push({
      key: `closure:${a.id}`,
      ground: 'school_closure',
      found: true,
      from: w.from,
      to: w.to,
      adviceId: a.id,
      closure,
      excuses: [],
    });
  }

  /** The exceptions that apply to a deadline running from `from` to `due`. */
  function applying(kind: DeadlineKind, key: string, from: IsoDate, due: IsoDate): string[] {
    const keys: string[] = [];
    for (const e of applied) {
      if (e.notAGround || !GROUNDS_EXCUSING[kind].includes(e.ground)) continue;
      // A found closure: the advice was asked in the window, on or before the deadline's day.
      // A recorded one: its dates overlap the deadline's period.
      const asked = e.found ? input.advice.find((a) => a.id === e.adviceId)?.requestedOn : null;
      const applies = e.found
        ? asked != null && compareIsoDates(asked, due) <= 0 && compareIsoDates(asked, from) >= 0
        : overlaps(e.from, e.to, from, due);
      if (applies) {
        keys.push(e.key);
        e.excuses.push(key);
      }
    }
    return keys;
  }

  const deadlines: Deadline[] = [];
  function statusOf(due: IsoDate, done: IsoDate | null, exceptions: string[]): DeadlineStatus {
    if (done) return compareIsoDates(done, due) <= 0 ? 'met' : exceptions.length > 0 ? 'excused' : 'late';
    if (compareIsoDates(today, due) <= 0) return 'due';
    return exceptions.length > 0 ? 'excused' : 'overdue';
  }
  function push(
    kind: DeadlineKind,
    key: string,
    from: IsoDate,
    due: IsoDate,
    done: IsoDate | null,
    note: string | null,
    label = DEADLINE_LABELS[kind].label,
    adviceId?: string,
  ) {
    const exceptions = applying(kind, key, from, due);
    const status = input.withdrawn && !done ? 'not_applicable' : statusOf(due, done, exceptions);
    deadlines.push({
      key,
      kind,
      label,
      regulation: DEADLINE_LABELS[kind].regulation,
      dueOn: due,
      doneOn: done,
      status,
      exceptions,
      note,
      open: !done && status !== 'not_applicable',
      ...(adviceId ? { adviceId } : {}),
    });
  }
  function notNeeded(kind: DeadlineKind, key: string, due: IsoDate | null, note: string) {
    deadlines.push({
      key,
      kind,
      label: DEADLINE_LABELS[kind].label,
      regulation: DEADLINE_LABELS[kind].regulation,
      dueOn: due,
      doneOn: null,
      status: 'not_applicable',
      exceptions: [],
      note,
      open: false,
    });
  }

  // Reg 5(1): the decision whether to assess, told to the parents within 6 weeks of receipt.
  const decideDue = addDays(received, DECIDE_DAYS);
  push(
    'decide',
    'decide',
    received,
    decideDue,
    whether?.parentsToldOn ?? null,
    whether && !whether.parentsToldOn
      ? `Decided on ${formatDate(whether.decidedOn)}; the parents not yet told`
      : null,
  );

  // Reg 8(1): each piece of advice asked, within 6 weeks of asking.
  for (const a of input.advice) {
    const label = `Advice from ${a.askedOf}`;
    if (a.alreadyHeld || !a.requestedOn) {
      deadlines.push({
        key: `advice:${a.id}`,
        kind: 'advice',
        label,
        regulation: DEADLINE_LABELS.advice.regulation,
        dueOn: null,
        doneOn: a.receivedOn,
        status: 'not_applicable',
        exceptions: [],
        note: 'Already given, recent and sufficient: not sought again (regulation 6(4))',
        open: false,
        adviceId: a.id,
      });
      continue;
    }
    push(
      'advice',
      `advice:${a.id}`,
      a.requestedOn,
      addDays(a.requestedOn, ADVICE_DAYS),
      a.receivedOn,
      null,
      label,
      a.id,
    );
  }

  // Reg 10(1): a decision not to issue, told to the parents within 16 weeks of receipt.
  const notIssueDue = addDays(received, NOT_ISSUE_DAYS);
  if (notAssessing) notNeeded('not_issue', 'not_issue', notIssueDue, 'The authority decided not to assess');
  else if (issue?.kind === 'issue_plan' || (!notIssuing && (input.draftSentOn || input.finalIssuedOn)))
    notNeeded('not_issue', 'not_issue', notIssueDue, 'The authority decided to issue a plan');
  else
    push(
      'not_issue',
      'not_issue',
      received,
      notIssueDue,
      notIssuing ? (issue?.parentsToldOn ?? null) : null,
      notIssuing && !issue?.parentsToldOn
        ? `Decided on ${formatDate(issue?.decidedOn)}; the parents not yet told`
        : null,
    );

  // Reg 13(1): the parents' 15 days, beginning with the day the draft is served.
  const finalDue = addDays(received, FINAL_DAYS);
  const draftDueBy = addDays(finalDue, -COMMENT_DAYS);
  let finalFrom: IsoDate | null = null;
  if (input.draftSentOn) {
    const ends = commentPeriodEnds(input.draftSentOn);
    finalFrom = earliestFinalDay(input.draftSentOn);
    const breached = input.finalIssuedOn !== null && compareIsoDates(input.finalIssuedOn, ends) <= 0;
    deadlines.push({
      key: 'comments',
      kind: 'comments',
      label: DEADLINE_LABELS.comments.label,
      regulation: DEADLINE_LABELS.comments.regulation,
      dueOn: ends,
      doneOn: null,
      status: breached ? 'breached' : compareIsoDates(today, ends) <= 0 ? 'running' : 'given',
      exceptions: [],
      note:
        `Served on ${formatDate(input.draftSentOn)}; the final plan may be issued from ${formatDate(finalFrom)}` +
        (compareIsoDates(finalFrom, finalDue) > 0
          ? `, after the 20 weeks end on ${formatDate(finalDue)}: the draft was served too late for them`
          : ''),
      open: false,
    });
  }

  // Reg 13(2): the final plan within 20 weeks of receipt.
  if (notAssessing) notNeeded('final', 'final', finalDue, 'The authority decided not to assess');
  else if (notIssuing) notNeeded('final', 'final', finalDue, 'The authority decided not to issue a plan');
  else
    push(
      'final',
      'final',
      received,
      finalDue,
      input.finalIssuedOn,
      input.draftSentOn || input.finalIssuedOn
        ? null
        : `Serve the draft plan by ${formatDate(draftDueBy)} to leave the parents their 15 days`,
    );

  const open = deadlines.filter((d) => d.open && d.dueOn !== null);
  const next =
    open.length === 0
      ? null
      : open.reduce((a, b) => (compareIsoDates(b.dueOn as IsoDate, a.dueOn as IsoDate) < 0 ? b : a));
  const weekEnd = addDays(today, 6);
  return {
    deadlines,
    exceptions: applied,
    next,
    overdue: deadlines.filter((d) => d.open && d.status === 'overdue').length,
    dueThisWeek: deadlines.filter(
      (d) => d.open && d.status === 'due' && within(d.dueOn as IsoDate, today, weekEnd),
    ).length,
    draftDueBy: input.draftSentOn || input.finalIssuedOn || notAssessing || notIssuing ? null : draftDueBy,
    finalFrom,
    stage,
  };
}

/** SEN2's 20-week measure for one plan: issued within 20 weeks, and whether an exception applied. */
export function twentyWeekOutcome(clock: CaseClock): { within: boolean; exception: boolean } | null {
  const final = clock.deadlines.find((d) => d.kind === 'final');
  if (!final?.doneOn || !final.dueOn) return null;
  return { within: compareIsoDates(final.doneOn, final.dueOn) <= 0, exception: final.exceptions.length > 0 };
}
