import type { Capability, Level, Section } from './access.ts';
import { addDays, type IsoDate } from './dates.ts';
import { slipsOverdueIfSentBy } from './letters.ts';
import { PLAN_ACTION_LEVELS } from './plans.ts';
import { openCheckDueDates } from './target-checks.ts';

/**
 * The SENCo's day: lists of work waiting, each a count that opens the pupils in it. The dashboard
 * shows them for the whole school to whoever reaches the whole school in the list's section; "my
 * pupils" shows them for a person's own pupils (their classes, their assigned pupils).
 */
export const WORK_LISTS = [
  'reviews_due',
  'reviews_overdue',
  'plans_not_shared',
  'old_drafts',
  'target_checks_due',
  'concerns_waiting',
  'no_plan',
  'slips_outstanding',
  'parents_want_to_talk',
  'referrals_late',
  'referrals_awaiting_consent',
  'annual_reviews_due',
  'annual_review_reports_to_send',
] as const;
export type WorkList = (typeof WORK_LISTS)[number];

export const WORK_LIST_LABELS: Record<WorkList, string> = {
  reviews_due: 'Plan reviews due in the next two weeks',
  reviews_overdue: 'Plan reviews overdue',
  plans_not_shared: 'Plans in place not yet shared with parents',
  old_drafts: 'Draft plans started more than two weeks ago',
  target_checks_due: 'Half-termly target checks due or overdue',
  concerns_waiting: 'Concerns waiting for review',
  no_plan: 'Pupils on the SEN register without a plan in place',
  slips_outstanding: 'Signed slips not back three weeks after the letter',
  parents_want_to_talk: 'Parents who said online they want to talk about a letter (last four weeks)',
  referrals_late: 'Referrals late: the agency’s answer or report is overdue',
  referrals_awaiting_consent: 'Referrals waiting for consent',
  annual_reviews_due: 'Annual reviews of EHC plans due in the next six weeks or overdue, not yet started',
  annual_review_reports_to_send: 'Annual review reports to send to the local authority',
};

/** What the date beside each pupil in a list is. */
export const WORK_LIST_DATE_LABELS: Record<WorkList, string | null> = {
  reviews_due: 'Review date',
  reviews_overdue: 'Review date',
  plans_not_shared: 'Agreed on',
  old_drafts: 'Started on',
  target_checks_due: 'Check due by',
  concerns_waiting: 'Raised on',
  no_plan: null,
  slips_outstanding: 'Letter sent on',
  parents_want_to_talk: 'Asked on',
  referrals_late: 'Due on',
  referrals_awaiting_consent: 'Started on',
  annual_reviews_due: 'Review due by',
  annual_review_reports_to_send: 'Report due by',
};

/** The record section a list is about (its pupils are those the actor reaches in it). */
export const WORK_LIST_SECTIONS: Record<WorkList, Section> = {
  reviews_due: 'plans',
  reviews_overdue: 'plans',
  plans_not_shared: 'plans',
  old_drafts: 'plans',
  target_checks_due: 'plans',
  concerns_waiting: 'concerns',
  no_plan: 'plans',
  slips_outstanding: 'letters',
  parents_want_to_talk: 'letters',
  referrals_late: 'agencies',
  referrals_awaiting_consent: 'agencies',
  annual_reviews_due: 'ehc',
  annual_review_reports_to_send: 'ehc',
};

/**
 * The level of the list's section a pupil's row needs: what the list asks for is done at that level
 * (the plan's policy asks the same: PLAN_ACTION_LEVELS), so a list counts only the pupils whose row its
 * reader can act on. A class teacher who delivers a group works with its pupils from other classes, but
 * writes only their own class's plans: the other pupils' target checks, reviews and sharing are not
 * theirs to count. Concerns and letters are listed for those who may open them.
 */
export const WORK_LIST_LEVELS: Record<WorkList, Level> = {
  reviews_due: PLAN_ACTION_LEVELS.edit,
  reviews_overdue: PLAN_ACTION_LEVELS.edit,
  plans_not_shared: PLAN_ACTION_LEVELS.recordShared,
  old_drafts: PLAN_ACTION_LEVELS.edit,
  target_checks_due: PLAN_ACTION_LEVELS.recordTargetCheck,
  concerns_waiting: 'read',
  no_plan: PLAN_ACTION_LEVELS.start,
  slips_outstanding: 'read',
  // Calling a parent back is for those who write the pupil's letters (the office, the SENCo, the head).
  parents_want_to_talk: 'write',
  // Chasing the agency is the SENCo's (they manage referrals); consent forms come back to the office too.
  referrals_late: 'write',
  referrals_awaiting_consent: 'contribute',
  // Annual reviews are arranged and sent by those who run them (policies/annual-review.ts).
  annual_reviews_due: 'write',
  annual_review_reports_to_send: 'write',
};

/** A list shown only where the school's settings use what it counts (half-termly target checks). */
export const WORK_LIST_SETTINGS: Partial<Record<WorkList, 'halfTermlyTargetChecks'>> = {
  target_checks_due: 'halfTermlyTargetChecks',
};

/** A capability a list also needs on the school-wide dashboard (reviewing concerns is the SENCo's). */
export const WORK_LIST_CAPABILITIES: Partial<Record<WorkList, Capability>> = {
  concerns_waiting: 'concern.review',
};

/**
 * The provision lists on the SENCo's dashboard: groups and pupils, not a list of pupils in a record
 * section, so they are counted here and acted on in the provision pages.
 */
export const PROVISION_LISTS = [
  'groups_unchecked',
  'groups_without_exit_measures',
  'over_threshold',
] as const;
export type ProvisionList = (typeof PROVISION_LISTS)[number];

export const PROVISION_LIST_LABELS: Record<ProvisionList, string> = {
  groups_unchecked: 'Groups with no half-termly check for the last half-term',
  groups_without_exit_measures: 'Groups ended without exit measures',
  over_threshold:
    'Pupils over the high-needs threshold with no top-up funding agreed or asked for: consider a high-needs top-up application',
};

/** Whoever manages the school's provision sees its lists on the dashboard. */
export const PROVISION_LISTS_CAPABILITY: Capability = 'provision.manage';

export function isWorkList(value: unknown): value is WorkList {
  return typeof value === 'string' && (WORK_LISTS as readonly string[]).includes(value);
}

/** The dates the lists are worked out from, on `today`. */
export function workListDates(today: IsoDate) {
  return {
    today,
    /** Reviews on or before this day are due in the next two weeks. */
    dueBy: addDays(today, 14),
    /** Drafts started before this day are older than two weeks. */
    draftsStartedBefore: addDays(today, -14),
    /** EHC plans whose annual review falls due on or before this day: six weeks to give notice and hold it. */
    annualReviewsDueBy: addDays(today, 42),
    /** A parent's "I would like to talk about this" on or after this day is listed (four weeks). */
    talkAskedSince: addDays(today, -28),
    /** Letters sent on or before this day whose slip is not back are chased. */
    slipsSentBy: slipsOverdueIfSentBy(today),
    /** The due dates a plan's open half-termly target check can have (target-checks.ts). */
    checkDueDates: openCheckDueDates(today),
  };
}
export type WorkListDates = ReturnType<typeof workListDates>;
