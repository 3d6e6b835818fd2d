import { academicYearLabel } from './calendar.ts';
import type { IsoDate } from './dates.ts';
import { HALF_TERM_LABELS, type HalfTermName, halfTermOf, halfTermsOf } from './school-days.ts';

/**
 * The half-termly pupil progress meeting (seed 001: "At each half termly pupil progress meeting, each
 * child is discussed between the class teacher, SENCO, assessment lead and head teacher"): one for each
 * class each half term, prepared by OpenSEND, then held and recorded with a decision for each child
 * discussed and the action it gives someone.
 */

/** What a meeting decided about one child (the schema's `progress_meeting_pupil.decision`). */
export type MeetingDecision =
  | 'concern'
  | 'provision_change'
  | 'referral'
  | 'trajectory_change'
  | 'no_action'
  | 'other';

export const MEETING_DECISIONS = [
  'concern',
  'provision_change',
  'referral',
  'trajectory_change',
  'no_action',
  'other',
] as const satisfies readonly MeetingDecision[];

export const MEETING_DECISION_LABELS: Record<MeetingDecision, string> = {
  concern: 'Concern raised',
  provision_change: 'Provision changed',
  referral: 'Referral to an outside agency',
  trajectory_change: 'Expected trajectory changed',
  no_action: 'No action',
  other: 'Other',
};

export function isMeetingDecision(value: unknown): value is MeetingDecision {
  return typeof value === 'string' && (MEETING_DECISIONS as readonly string[]).includes(value);
}

/** The seed's four at the meeting: the roles offered as those present (school roles). */
export const MEETING_ROLES = ['class_teacher', 'senco', 'assessment_lead', 'head_teacher'] as const;
export type MeetingRole = (typeof MEETING_ROLES)[number];

const HALF_TERM_NAMES: readonly HalfTermName[] = [
  'autumn1',
  'autumn2',
  'spring1',
  'spring2',
  'summer1',
  'summer2',
];

/** A half term as the meetings name it: the academic year (its starting calendar year) and 1..6. */
export interface MeetingHalfTerm {
  academicYear: number;
  halfTerm: number;
  label: string;
  from: IsoDate;
  to: IsoDate;
}

function meetingHalfTermOf(academicYear: number, halfTerm: number): MeetingHalfTerm {
  const span = halfTermsOf(academicYear)[halfTerm - 1];
  if (!span) throw new Error(`No half term ${halfTerm}`);
  return { academicYear, halfTerm, label: span.label, from: span.from, to: span.to };
}

/** The half term a date falls in (the school's usual half terms, domain/school-days.ts). */
export function meetingHalfTerm(date: IsoDate): MeetingHalfTerm {
  const span = halfTermOf(date);
  return meetingHalfTermOf(span.academicYearStart, HALF_TERM_NAMES.indexOf(span.name) + 1);
}

/** "Autumn 2 2026/27". */
export function halfTermLabel(academicYear: number, halfTerm: number): string {
  const name = HALF_TERM_NAMES[halfTerm - 1];
  return name ? `${HALF_TERM_LABELS[name]} ${academicYearLabel(academicYear)}` : `Half term ${halfTerm}`;
}

/** The half term before this one (the summer's second half before an autumn's first). */
export function previousMeetingHalfTerm(h: { academicYear: number; halfTerm: number }): MeetingHalfTerm {
  return h.halfTerm > 1
    ? meetingHalfTermOf(h.academicYear, h.halfTerm - 1)
    : meetingHalfTermOf(h.academicYear - 1, 6);
}

/**
 * The half terms that have begun by `today`, newest first, `count` of them (the current one first):
 * meetings are prepared for these and no later ones.
 */
export function halfTermsUpTo(today: IsoDate, count: number): MeetingHalfTerm[] {
  const out: MeetingHalfTerm[] = [];
  let h = meetingHalfTerm(today);
  for (let i = 0; i < count; i++) {
    out.push(h);
    h = previousMeetingHalfTerm(h);
  }
  return out;
}

/** Whether a meeting's half term may be prepared on `today`: the current half term or one before it. */
export function mayPrepareFor(today: IsoDate, h: { academicYear: number; halfTerm: number }): boolean {
  const now = meetingHalfTerm(today);
  return (
    h.academicYear < now.academicYear || (h.academicYear === now.academicYear && h.halfTerm <= now.halfTerm)
  );
}

export interface DecisionInput {
  decision: MeetingDecision;
  notes: string | null;
  actionOwnerId: string | null;
  actionDueOn: IsoDate | null;
}

/**
 * What is wrong with one child's decision, field by field: an action has an owner and a date it is due
 * by, both or neither, not before the meeting; "no action" gives no one an action; "other" and any
 * action say what in the notes.
 */
export function decisionProblems(
  d: DecisionInput,
  heldOn: IsoDate | null,
): { field: 'notes' | 'owner' | 'due'; message: string }[] {
  const problems: { field: 'notes' | 'owner' | 'due'; message: string }[] = [];
  const hasAction = d.actionOwnerId !== null || d.actionDueOn !== null;
  if (d.decision === 'no_action' && hasAction) {
    problems.push({
      field: 'owner',
      message:
        'A decision of no action gives no one an action: clear who and when, or choose another decision',
    });
    return problems;
  }
  if (d.actionOwnerId && !d.actionDueOn)
    problems.push({ field: 'due', message: 'Enter the date the action is due by' });
  if (!d.actionOwnerId && d.actionDueOn)
    problems.push({ field: 'owner', message: 'Choose who will do the action' });
  if (d.actionDueOn && heldOn && d.actionDueOn < heldOn)
    problems.push({ field: 'due', message: 'The action cannot be due before the meeting was held' });
  if (!d.notes && (d.decision === 'other' || hasAction))
    problems.push({ field: 'notes', message: 'Enter what was decided and what is to be done' });
  return problems;
}

/** An action is overdue once its due date has passed and it is not done. */
export function actionOverdue(a: { actionDueOn: IsoDate | null; actionDoneAt: Date | null }, today: IsoDate) {
  return !a.actionDoneAt && a.actionDueOn !== null && a.actionDueOn < today;
}

/**
 * The order the prepared list discusses the class in: pupils below their trajectory in any subject
 * first (most subjects below first), then by name.
 */
export function meetingOrder<T extends { belowIn: number; surname: string; forename: string }>(
  pupils: readonly T[],
): T[] {
  return [...pupils].sort(
    (a, b) =>
      Number(b.belowIn > 0) - Number(a.belowIn > 0) ||
      b.belowIn - a.belowIn ||
      a.surname.localeCompare(b.surname) ||
      a.forename.localeCompare(b.forename),
  );
}
