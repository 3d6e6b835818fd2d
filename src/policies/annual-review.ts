import { atLeast, type SectionAccess } from '../domain/access.ts';
import type { AnnualReviewStatus } from '../domain/ehc-plan.ts';
import type { PolicyActor } from './kernel.ts';

/*
 * Who may do what with a school's annual review of an EHC plan (docs/adr/0038). The pupil's `ehc`
 * section gives the floor: at write (the SENCo and the head, at the whole school) the review is
 * arranged, recorded, sent and cancelled, and its report read and downloaded; at read (a class teacher
 * of the pupil's class, a teaching assistant assigned to the pupil) only that a review exists, when it
 * is and where it stands, never the report (it holds the parents' views and every outcome's evidence).
 * The office, governors and officers (through the school's pages) see nothing of it. A leaver's reviews
 * are read-only, and a review sent or cancelled is kept as it was.
 */

export interface AnnualReviewActions {
  /** That it exists, when, where it stands. */
  read: boolean;
  /** The record in full: invitations, advice, views, the meeting, the report. */
  readReport: boolean;
  /** Arrange it: the meeting, invitations, advice, phase transfer. */
  arrange: boolean;
  /** Record the meeting: views, who came, each outcome and item of provision, changes, recommendation. */
  recordMeeting: boolean;
  /** Send the report to the local authority (or mark it as sent). */
  send: boolean;
  cancel: boolean;
}

export interface AnnualReviewContext {
  access: SectionAccess;
  /** The pupil has left the school. */
  left: boolean;
}

export function annualReviewActions(
  actor: PolicyActor,
  review: { status: AnnualReviewStatus },
  context: AnnualReviewContext,
): AnnualReviewActions {
  const staff = actor.kind === 'staff';
  const writes = staff && atLeast(context.access.ehc, 'write');
  const open = writes && !context.left && (review.status === 'arranging' || review.status === 'held');
  return {
    read: staff && atLeast(context.access.ehc, 'read'),
    readReport: writes,
    arrange: open,
    recordMeeting: open,
    send: open && review.status === 'held',
    cancel: open,
  };
}

/** Whether an actor may start a review of a pupil's plan (the pupil page's and the list's link). */
export function startAnnualReviewAction(
  actor: PolicyActor,
  pupil: { leftOn: string | null },
  context: { access: SectionAccess },
): boolean {
  return actor.kind === 'staff' && atLeast(context.access.ehc, 'write') && pupil.leftOn === null;
}
