import type { Level } from './access.ts';
import { effectiveNcYear } from './calendar.ts';
import { AREAS_OF_NEED, type AreaOfNeed, type NeedCode } from './census.ts';
import { addDays, formatDate, type IsoDate, parseIsoDate, todayInEngland, toIsoDate } from './dates.ts';
import type { SenStage } from './register.ts';

/**
 * Support plans: one turn of Assess, Plan, Do, Review (seed 000 Appendices B and C, seed 004 "SEN
 * Support Plan"). The school names the plan; the rules are the same whatever it is called.
 */

export const PLAN_STATUSES = ['draft', 'active', 'in_review', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  draft: 'Draft',
  active: 'In place',
  in_review: 'Being reviewed',
  closed: 'Closed',
};

/** Seed 000's numbered areas: 1 C&I, 2 C&L, 3 SEMH, 4 sensory and physical. */
export function areaNumber(area: AreaOfNeed): number {
  return AREAS_OF_NEED.indexOf(area) + 1;
}

export const TARGET_OUTCOMES = ['achieved', 'partly_achieved', 'not_achieved'] as const;
export type TargetOutcome = (typeof TARGET_OUTCOMES)[number];
export const TARGET_OUTCOME_LABELS: Record<TargetOutcome, string> = {
  achieved: 'Achieved',
  partly_achieved: 'Partly achieved',
  not_achieved: 'Not achieved',
};

export const PROGRESS_JUDGEMENTS = [
  'better_than_expected',
  'as_expected',
  'less_than_expected',
  'no_progress',
] as const;
export type ProgressJudgement = (typeof PROGRESS_JUDGEMENTS)[number];
export const PROGRESS_LABELS: Record<ProgressJudgement, string> = {
  better_than_expected: 'Better than expected',
  as_expected: 'As expected',
  less_than_expected: 'Less than expected',
  no_progress: 'No progress',
};

/** What a review decides (seed 001 and DOMAIN.md "Review"). */
export const REVIEW_DECISIONS = [
  'new_plan',
  'extend',
  'monitoring',
  'leave_register',
  'involve_agency',
  'top_up_funding',
  'ehc_request',
] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export const REVIEW_DECISION_LABELS: Record<ReviewDecision, string> = {
  new_plan: 'Write a new plan (targets not met are carried into it)',
  extend: 'Stay on SEN support with this plan, extended to a new review date',
  monitoring: 'Move to the monitoring list (the plan closes)',
  leave_register: 'Leave the SEN register (the plan closes)',
  involve_agency: 'Involve a specialist agency, and write a new plan',
  top_up_funding: 'Consider high-needs top-up funding, and write a new plan',
  ehc_request: 'Request an EHC needs assessment, and write a new plan',
};

/** Decisions that start the next cycle: a new draft with the targets not yet met carried into it. */
export function decisionStartsNewPlan(d: ReviewDecision): boolean {
  return d === 'new_plan' || d === 'involve_agency' || d === 'top_up_funding' || d === 'ehc_request';
}

/** Decisions recorded as actions for later work (agencies, funding, EHC). */
export function decisionAction(
  d: ReviewDecision,
): 'involve_agency' | 'top_up_funding' | 'ehc_request' | null {
  return d === 'involve_agency' || d === 'top_up_funding' || d === 'ehc_request' ? d : null;
}

/** The stage a decision moves the pupil to, if it moves them. */
export function decisionStage(d: ReviewDecision): 'monitoring' | 'none' | null {
  if (d === 'monitoring') return 'monitoring';
  if (d === 'leave_register') return 'none';
  return null;
}

/** A target carries into the next plan when it was not fully achieved (or not judged). */
export function carriesForward(outcome: TargetOutcome | null): boolean {
  return outcome !== 'achieved';
}

export type ReviewInterval = 'termly' | 'half_termly';

/** The default review date for a plan starting on `start`: a term (about 12 weeks) or half a term (6). */
export function defaultReviewDate(start: IsoDate, interval: ReviewInterval): IsoDate {
  return addDays(start, interval === 'termly' ? 12 * 7 : 6 * 7);
}

/** How a plan stands against its review date, on `today`. */
export type ReviewState = 'not_due' | 'due_soon' | 'due' | 'overdue';
export function reviewState(reviewDate: IsoDate | null, today: IsoDate): ReviewState {
  if (!reviewDate) return 'not_due';
  if (reviewDate < today) return 'overdue';
  if (reviewDate === today) return 'due';
  return reviewDate <= addDays(today, 14) ? 'due_soon' : 'not_due';
}

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = {
  not_due: 'Review not yet due',
  due_soon: 'Review due soon',
  due: 'Review due today',
  overdue: 'Review overdue',
};

/** The lifecycle: which moves are allowed. */
export function canMove(from: PlanStatus, to: PlanStatus): boolean {
  return (
    (from === 'draft' && to === 'active') ||
    (from === 'active' && to === 'in_review') ||
    (from === 'in_review' && to === 'closed') ||
    (from === 'in_review' && to === 'active') || // a review that extends the plan
    (from === 'draft' && to === 'closed') // a draft abandoned
  );
}

export interface PlanDates {
  startDate: IsoDate | null;
  reviewDate: IsoDate | null;
}

/** Problems with a plan's dates, in plain English, by field. */
export function planDateProblems(p: PlanDates): { field: 'startDate' | 'reviewDate'; message: string }[] {
  const problems: { field: 'startDate' | 'reviewDate'; message: string }[] = [];
  if (p.startDate && p.reviewDate && p.reviewDate <= p.startDate) {
    problems.push({ field: 'reviewDate', message: 'The review date must be after the start date' });
  }
  if (p.startDate && p.reviewDate) {
    const start = parseIsoDate(p.startDate);
    const limit = toIsoDate(start.year + 1, start.month, Math.min(start.day, 28));
    if (p.reviewDate > limit) {
      problems.push({
        field: 'reviewDate',
        message: `The review date must be within a year of the start date (by ${formatDate(limit)})`,
      });
    }
  }
  return problems;
}

/** What a plan needs before it can be agreed and put in place. */
export function readinessProblems(
  plan: PlanDates & { desiredOutcomes: string | null; agreedOn: IsoDate | null },
  targets: { target: string }[],
  maxTargets: number,
): string[] {
  const problems: string[] = [];
  if (targets.length === 0) problems.push('Add at least one target');
  if (targets.length > maxTargets) problems.push(`A plan can hold at most ${maxTargets} targets`);
  if (!plan.desiredOutcomes?.trim()) problems.push('Enter the desired outcomes');
  if (!plan.startDate) problems.push('Enter the start date');
  if (!plan.reviewDate) problems.push('Enter the review date');
  if (!plan.agreedOn) problems.push('Enter when the plan was agreed');
  return problems;
}

/** A note may be changed by its author on the day it was written only; after that a correction is a new note. */
export function noteIsEditable(
  note: { writtenOn: IsoDate; authorId: string | null },
  userId: string,
  today: IsoDate,
) {
  return note.authorId === userId && note.writtenOn === today;
}

/**
 * The day a closed plan closed: the day of the review that closed it (not one that extended it), or
 * the day it was closed (a draft closed unused); null while it is open.
 */
export function planClosedOn(
  plan: { status: PlanStatus; closedAt: Date | string | null },
  review: { decision: ReviewDecision; heldOn: IsoDate } | null,
): IsoDate | null {
  if (plan.status !== 'closed') return null;
  if (review && review.decision !== 'extend') return review.heldOn;
  return plan.closedAt ? todayInEngland(new Date(plan.closedAt)) : null;
}

/**
 * The days a closed plan was in place, from its start (or the day it was written, for one never
 * started) to the day it closed; null for a plan still open, whose provision is today's.
 */
export function closedPlanPeriod(
  plan: {
    status: PlanStatus;
    closedAt: Date | string | null;
    startDate: IsoDate | null;
    createdAt: Date | string;
  },
  review: { decision: ReviewDecision; heldOn: IsoDate } | null,
): { from: IsoDate; to: IsoDate } | null {
  const to = planClosedOn(plan, review);
  if (!to) return null;
  const from = plan.startDate ?? todayInEngland(new Date(plan.createdAt));
  return { from: from < to ? from : to, to };
}

/**
 * The level of a pupil's plans section each thing done with a plan needs: the plan's policy asks for it
 * before it offers the action, and "my pupils" counts a plan in a work list only for someone with it
 * (work-lists.ts), so a count never leads to a plan its reader cannot act on. Reviewing also needs the
 * SENCo's or head's capability.
 */
export const PLAN_ACTION_LEVELS = {
  start: 'write',
  edit: 'write',
  agree: 'write',
  recordShared: 'write',
  closeDraft: 'write',
  recordTargetCheck: 'write',
  review: 'write',
  addNote: 'contribute',
  read: 'read',
} as const satisfies Record<string, Level>;

/** A pupil's cycles in order, as the time line on their page shows them. */
export interface PlanCycle {
  id: string;
  cycle: number;
  status: PlanStatus;
  startDate: IsoDate | null;
  reviewDate: IsoDate | null;
}
export function cyclesInOrder<T extends PlanCycle>(plans: T[]): T[] {
  return [...plans].sort((a, b) => a.cycle - b.cycle);
}

/**
 * Capitals said as a word, not letter by letter, in the names schools give their plans: "a SEND Support
 * Plan", "a SENCo Plan", "a SALT Plan" (speech and language therapy), "an ELSA Plan" (an emotional
 * literacy support assistant's). Any other word in capitals is taken as letters said one by one.
 */
const SAID_AS_WORDS = new Set(['SEND', 'SENCO', 'SENDCO', 'NASEN', 'SALT', 'ELSA', 'PEEP']);

/**
 * The school's name for its plans with "a" or "an" before it, as said aloud: "an IEP", "an SEN
 * Support Plan" (letters spoken one by one), "a SEND Support Plan" (said as a word), "a Pupil
 * Provision Plan", "a One Plan".
 */
export function withArticle(planName: string): string {
  const name = planName.trim();
  const first = name.split(/\s+/)[0] ?? '';
  const spelledOut = /^[A-Z]{2,}$/.test(first) && !SAID_AS_WORDS.has(first);
  const an = spelledOut
    ? /^[AEFHILMNORSX]/.test(first)
    : /^[aeiou]/i.test(first) && !/^(one|once|uni|use|usu|eu)/i.test(first);
  return `${an ? 'an' : 'a'} ${name}`;
}

/** A bank entry written for any pupil ("X will…") made about this one ("Kit will…"). */
export function personalise(text: string, name: string): string {
  return text.replace(/\bX\b/g, name);
}

/** Notes in time order under each target, and those about the plan as a whole. */
export function notesByTarget<N extends { targetId: string | null; writtenOn: IsoDate }>(
  notes: readonly N[],
): { byTarget: Map<string, N[]>; planWide: N[] } {
  const byTarget = new Map<string, N[]>();
  const planWide: N[] = [];
  for (const n of notes) {
    if (n.targetId === null) planWide.push(n);
    else byTarget.set(n.targetId, [...(byTarget.get(n.targetId) ?? []), n]);
  }
  return { byTarget, planWide };
}

/**
 * The pupil as a plan describes them (seed 000 Appendices B and C: "Year", "Level of SEN"): year group,
 * class, SEN stage and needs. A plan still open shows them as they are now; a closed plan keeps them
 * as they were while it was in place (taken as it closes, before a review's decision moves the pupil).
 */
export interface PlanPupilSnapshot {
  ncYear: number;
  /** The school teaches the pupil out of their year group (an override of the NC year). */
  outOfYearGroup: boolean;
  className: string | null;
  senStage: SenStage;
  primaryNeed: NeedCode | null;
  secondaryNeed: NeedCode | null;
}

/** The pupil as they are on `today`: their year group by the school's rules (its override, its roll-over). */
export function pupilSnapshot(
  p: {
    dateOfBirth: IsoDate;
    ncYearOverride: number | null;
    className: string | null;
    senStage: SenStage;
    primaryNeed: NeedCode | null;
    secondaryNeed: NeedCode | null;
  },
  today: IsoDate,
  rolledOverTo: number | null,
): PlanPupilSnapshot {
  return {
    ncYear: effectiveNcYear(p.dateOfBirth, p.ncYearOverride, today, rolledOverTo),
    outOfYearGroup: p.ncYearOverride !== null,
    className: p.className,
    senStage: p.senStage,
    primaryNeed: p.primaryNeed,
    secondaryNeed: p.secondaryNeed,
  };
}
