import { addDays, compareIsoDates, formatDate, type IsoDate, todayInEngland } from './dates.ts';
import type { FamilyViewAbout } from './family.ts';

/*
 * When a parent's views are invited online (docs/adr/0039), one rule per kind of record. Views are
 * asked for while they can still shape what the school or the authority writes, and closed, with a plain
 * message, once the record has moved on: paper and a conversation with the school stay open always.
 */

/** A support plan's review: views are invited from four weeks before the review date until it is recorded. */
export const PLAN_REVIEW_VIEWS_WEEKS = 4;

export type ViewsWindow = { open: true; until: IsoDate | null } | { open: false; message: string };

const closed = (message: string): ViewsWindow => ({ open: false, message });

/**
 * Before a support plan's review: the plan in place from four weeks before its review date, or as soon as
 * the school begins the review, until the review is recorded (the plan closes, or is extended with a new date).
 */
export function planReviewWindow(
  plan: { status: string; reviewDate: IsoDate | null },
  today: IsoDate,
): ViewsWindow {
  if (plan.status !== 'active' && plan.status !== 'in_review')
    return closed('The review of this plan has happened. Your views are no longer asked for online.');
  // The school has begun the review: views are wanted now, whatever the date.
  if (plan.status === 'in_review') return { open: true, until: plan.reviewDate };
  if (!plan.reviewDate) return closed('The school has not set a date to review this plan yet.');
  const opens = addDays(plan.reviewDate, -7 * PLAN_REVIEW_VIEWS_WEEKS);
  if (compareIsoDates(today, opens) < 0)
    return closed(
      `You can give your views from ${formatDate(opens)}. That is ${PLAN_REVIEW_VIEWS_WEEKS} weeks before the review on ${formatDate(plan.reviewDate)}.`,
    );
  return { open: true, until: plan.reviewDate };
}

/** On a draft EHC plan: only the version sent to the parents, until the last day of their 15 days. */
export function ehcDraftWindow(
  version: { stage: string; commentsDueOn: IsoDate | null } | null,
  today: IsoDate,
): ViewsWindow {
  if (!version || version.stage !== 'sent')
    return closed('There is no draft EHC plan waiting for your comments.');
  if (version.commentsDueOn && compareIsoDates(today, version.commentsDueOn) > 0)
    return closed(
      `The time to comment on this draft ended on ${formatDate(version.commentsDueOn)}. You can still contact the local authority.`,
    );
  return { open: true, until: version.commentsDueOn };
}

/** For a request for an EHC needs assessment: while the school is still writing it. */
export function ehcRequestWindow(request: { status: string }): ViewsWindow {
  if (request.status === 'draft') return { open: true, until: null };
  if (request.status === 'sent')
    return closed(
      'The school has sent the request to the local authority. Your views are no longer asked for online.',
    );
  return closed('The school stopped this request. Your views are no longer asked for online.');
}

/** For an annual review of an EHC plan: while the school prepares it, until its report is sent. */
export function annualReviewWindow(review: { status: string; meetingOn: IsoDate | null }): ViewsWindow {
  if (review.status === 'arranging' || review.status === 'held')
    return { open: true, until: review.meetingOn };
  if (review.status === 'sent')
    return closed(
      'The school has sent the report of this review to the local authority. Your views are no longer asked for online.',
    );
  return closed('This review was cancelled. Your views are no longer asked for online.');
}

/** How staff see a parent's views: "In Anna Nowak's own words (given online on 3 May 2027)". */
export function ownWordsLabel(name: string, givenAt: Date): string {
  return `In ${name}’s own words (given online on ${formatDate(todayInEngland(givenAt))})`;
}

/** The text for a review's parents' views field, from the views given online, so nothing is typed twice. */
export function viewsForTheRecord(
  views: readonly { givenByName: string; body: string; givenAt: Date }[],
): string {
  return views.map((v) => `${ownWordsLabel(v.givenByName, v.givenAt)}:\n${v.body}`).join('\n\n');
}

/** Long enough for about 300 words; two parents' views fit in a review's parents' views field (4,000). */
export const VIEWS_MAX_LENGTH = 1800;

export const isFamilyViewAbout = (v: unknown): v is FamilyViewAbout =>
  v === 'plan_review' || v === 'ehc_request' || v === 'ehc_draft' || v === 'annual_review';
