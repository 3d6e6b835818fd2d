import { addDays, type IsoDate } from './dates.ts';
import { isSchoolDay, schoolDaysBetween } from './school-days.ts';

/**
 * The complaints log, as the DfE's guidance for school complaints and the school's SEND policy set it
 * out (seed 001: "Any complaints should first be raised with the SENCo, then … the Head teacher and
 * finally … the SEND Governor"). A concern resolved informally is kept apart from a formal complaint; a
 * formal complaint moves through three stages, each answered in writing within a number of school days.
 */

// The same unions as db/schema/progress.ts (which names the columns' types).
export type ComplaintKind = 'concern' | 'formal';
export type ComplaintStage = 'senco' | 'head_teacher' | 'governors_panel';
export type ComplaintStatus = 'open' | 'closed';
export type ComplaintOutcome = 'resolved' | 'upheld' | 'partly_upheld' | 'not_upheld' | 'withdrawn';

export const COMPLAINT_KINDS = ['concern', 'formal'] as const satisfies readonly ComplaintKind[];
export const COMPLAINT_KIND_LABELS: Record<ComplaintKind, string> = {
  concern: 'Informal concern (complaint)',
  formal: 'Formal complaint',
};

/** The stages in order: the SENCo, then the head teacher, then a panel of governors. */
export const COMPLAINT_STAGES = [
  'senco',
  'head_teacher',
  'governors_panel',
] as const satisfies readonly ComplaintStage[];
/** Each stage's usual holder: the school may choose another (a complaint about the SENCo goes to the head). */
export const COMPLAINT_STAGE_LABELS: Record<ComplaintStage, string> = {
  senco: 'Stage 1 (usually the SENCo)',
  head_teacher: 'Stage 2 (usually the head teacher)',
  governors_panel: 'Stage 3: the governors’ panel',
};

/** Who a stage goes to, in a sentence: "take it to the head teacher". */
export const COMPLAINT_STAGE_HOLDERS: Record<ComplaintStage, string> = {
  senco: 'the SENCo',
  head_teacher: 'the head teacher',
  governors_panel: 'the governors’ panel',
};

export const COMPLAINT_OUTCOMES = [
  'resolved',
  'upheld',
  'partly_upheld',
  'not_upheld',
  'withdrawn',
] as const satisfies readonly ComplaintOutcome[];
export const COMPLAINT_OUTCOME_LABELS: Record<ComplaintOutcome, string> = {
  resolved: 'Resolved',
  upheld: 'Upheld',
  partly_upheld: 'Partly upheld',
  not_upheld: 'Not upheld',
  withdrawn: 'Withdrawn',
};

/** School days a stage has for its written response, counted from the day after it starts. */
export const RESPONSE_SCHOOL_DAYS = 15;

/** The rule, in words, for the screens. */
export const RESPONSE_RULE = `A response is due within ${RESPONSE_SCHOOL_DAYS} school days of a stage starting (the day it starts is not counted; weekends and the usual school holidays are not school days).`;

/** The date `days` school days after `from` (from itself not counted). */
export function addSchoolDays(from: IsoDate, days: number): IsoDate {
  let date = from;
  let left = days;
  while (left > 0) {
    date = addDays(date, 1);
    if (isSchoolDay(date)) left--;
  }
  return date;
}

/** When the response to a stage that started on `startedOn` is due. */
export function responseDueOn(startedOn: IsoDate): IsoDate {
  return addSchoolDays(startedOn, RESPONSE_SCHOOL_DAYS);
}

/** The stage after this one, or null after the governors' panel. */
export function nextStage(stage: ComplaintStage): ComplaintStage | null {
  const i = COMPLAINT_STAGES.indexOf(stage);
  return COMPLAINT_STAGES[i + 1] ?? null;
}

export interface StageDates {
  responseDueOn: IsoDate;
  respondedOn: IsoDate | null;
}

/** A stage's response is overdue when it has not been sent and its due date has passed. */
export function isResponseOverdue(stage: StageDates, today: IsoDate): boolean {
  return stage.respondedOn === null && today > stage.responseDueOn;
}

/** How the response deadline reads on screen: "Due 11 December 2026: 3 school days left", "Overdue by 2 school days". */
export function responseDueText(stage: StageDates, today: IsoDate, format: (d: IsoDate) => string): string {
  if (stage.respondedOn) return `Response sent ${format(stage.respondedOn)}`;
  if (today > stage.responseDueOn) {
    const late = schoolDaysBetween(addDays(stage.responseDueOn, 1), today);
    return `Overdue: the response was due ${format(stage.responseDueOn)}${late > 0 ? ` (${late} school ${late === 1 ? 'day' : 'days'} ago)` : ''}`;
  }
  const left = schoolDaysBetween(addDays(today, 1), stage.responseDueOn);
  return `Due ${format(stage.responseDueOn)}: ${left} school ${left === 1 ? 'day' : 'days'} left`;
}

/**
 * Why a complaint cannot be escalated, or null: only an open formal complaint, whose current stage has
 * been answered (the complainant is unhappy with the response), and not past the governors' panel.
 */
export function escalationProblem(c: {
  kind: ComplaintKind;
  status: ComplaintStatus;
  stage: ComplaintStage;
  stageResponded: boolean;
}): string | null {
  if (c.status === 'closed') return 'This complaint is closed: it cannot go to another stage';
  if (c.kind !== 'formal')
    return 'An informal concern has no stages: record it as a formal complaint instead';
  if (!nextStage(c.stage))
    return 'The governors’ panel is the last stage: close the complaint with its outcome';
  if (!c.stageResponded) return 'Record the response to this stage before it goes to the next';
  return null;
}

/** Why an outcome cannot be recorded for this kind, or null: a formal complaint is upheld or not; a concern is resolved. */
export function outcomeProblem(kind: ComplaintKind, outcome: ComplaintOutcome): string | null {
  if (kind === 'concern' && !['resolved', 'withdrawn'].includes(outcome))
    return 'An informal concern is closed as resolved or withdrawn';
  if (kind === 'formal' && outcome === 'resolved')
    return 'Say whether the formal complaint was upheld, partly upheld, not upheld or withdrawn';
  return null;
}

/** The role who handles a stage: the SENCo, the head teacher, the SEN governor for the panel. */
export const STAGE_HANDLER_ROLE: Record<ComplaintStage, 'senco' | 'head_teacher' | 'sen_governor'> = {
  senco: 'senco',
  head_teacher: 'head_teacher',
  governors_panel: 'sen_governor',
};
