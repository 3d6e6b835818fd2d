import { formatDate, type IsoDate } from './dates.ts';
import {
  itemRef,
  OUTCOME_PROGRESS,
  type OutcomeProgress,
  PLAN_SECTION_SHORT,
  type PlanSectionKey,
  type PlanSections,
  PROVISION_DELIVERY,
  type ProposedChange,
  type ProvisionDelivery,
  REVIEW_DECISIONS,
  REVIEW_INVITEES,
  type ReviewDecision,
  type ReviewInvitee,
} from './ehc-plan.ts';
import { noticeGiven, reportDueOn } from './ehc-review-clock.ts';

/*
 * A school's annual review of an EHC plan as data (docs/adr/0038): what the school records as it
 * arranges and holds the review, and the report it sends the local authority, built from the review and
 * the plan reviewed. The report is an open, versioned format: the JSON Schema in
 * docs/schemas/annual-review-report.v1.schema.json describes exactly `AnnualReviewReport`, and every
 * report the tests build is validated against it. The plan reviewed is the authority's (its final
 * version on this installation) or the school's summary of a plan from another authority.
 */

export const REPORT_FORMAT = 'opensend.annual-review-report';
export const REPORT_VERSION = '1.0.0';

/** How an invitation went. */
export const INVITATION_HOW = {
  letter: 'Letter',
  email: 'Email',
  phone: 'Telephone',
  in_person: 'In person',
} as const;
export type InvitationHow = keyof typeof INVITATION_HOW;

/** Someone invited to the review (reg 20(3)): who, their name, how and when. */
export interface ReviewInvitation {
  id: string;
  invitee: ReviewInvitee;
  name: string;
  how: InvitationHow;
  sentOn: IsoDate | null;
}

/** Advice asked for the review: of whom, when asked, received, and circulated to those invited. */
export interface ReviewAdvice {
  id: string;
  from: string;
  askedOn: IsoDate | null;
  receivedOn: IsoDate | null;
  circulatedOn: IsoDate | null;
}

/** Someone who came to the meeting. */
export interface ReviewAttendee {
  id: string;
  invitee: ReviewInvitee;
  name: string;
}

/** An outcome of section E as the meeting reviewed it. */
export interface OutcomeReview {
  outcomeId: string;
  progress: OutcomeProgress | null;
  evidence: string;
}

/** An item of provision as the meeting reviewed it: delivered as the plan specifies or not. */
export interface ProvisionReview {
  provisionId: string;
  delivery: ProvisionDelivery | null;
  comment: string;
}

/** The outcomes and provision of the plan under review, whichever kind of plan it is. */
export interface ReviewedPlan {
  source: 'local_authority' | 'summary';
  /** The authority's name (the organisation, or the one the summary names). */
  localAuthority: string;
  planId: string;
  /** The final version reviewed (the authority's plan); null for a summary. */
  planVersion: number | null;
  issuedOn: IsoDate;
  lastReviewOn: IsoDate | null;
  outcomes: { id: string; text: string; by: IsoDate | null }[];
  provision: {
    id: string;
    section: 'f' | 'g' | 'h1' | 'h2';
    what: string;
    who: string;
    frequency: string;
    duration: string;
  }[];
}

/** The plan under review from the authority's final version. */
export function reviewedPlanFromSections(plan: {
  localAuthority: string;
  planId: string;
  planVersion: number;
  issuedOn: IsoDate;
  lastReviewOn: IsoDate | null;
  sections: PlanSections;
}): ReviewedPlan {
  const provision: ReviewedPlan['provision'] = [];
  for (const section of ['f', 'g', 'h1', 'h2'] as const)
    for (const p of plan.sections[section].provision)
      provision.push({
        id: p.id,
        section,
        what: p.what,
        who: p.who,
        frequency: p.frequency,
        duration: p.duration,
      });
  return {
    source: 'local_authority',
    localAuthority: plan.localAuthority,
    planId: plan.planId,
    planVersion: plan.planVersion,
    issuedOn: plan.issuedOn,
    lastReviewOn: plan.lastReviewOn,
    outcomes: plan.sections.e.outcomes.map((o) => ({ id: o.id, text: o.text, by: o.by })),
    provision,
  };
}

/** The plan under review from the school's summary of a plan from another authority. */
export function reviewedPlanFromSummary(summary: {
  id: string;
  localAuthorityName: string;
  issuedOn: IsoDate;
  lastReviewOn: IsoDate | null;
  outcomes: { id: string; text: string }[];
  provision: { id: string; what: string; who: string; frequency: string; duration: string }[];
}): ReviewedPlan {
  return {
    source: 'summary',
    localAuthority: summary.localAuthorityName,
    planId: summary.id,
    planVersion: null,
    issuedOn: summary.issuedOn,
    lastReviewOn: summary.lastReviewOn,
    outcomes: summary.outcomes.map((o) => ({ id: o.id, text: o.text, by: null })),
    provision: summary.provision.map((p) => ({ ...p, section: 'f' as const })),
  };
}

/** What the school holds of a review, as the report needs it. */
export interface ReviewRecord {
  id: string;
  dueOn: IsoDate;
  meetingOn: IsoDate | null;
  meetingTime: string | null;
  meetingPlace: string | null;
  phaseTransfer: boolean;
  nextSchool: string | null;
  invitations: ReviewInvitation[];
  advice: ReviewAdvice[];
  pupilViews: string | null;
  parentViews: string | null;
  attendees: ReviewAttendee[];
  outcomeReviews: OutcomeReview[];
  provisionReviews: ProvisionReview[];
  proposedChanges: ProposedChange[];
  recommendation: ReviewDecision | null;
  recommendationReasons: string | null;
}

/** The annual review report: what the school sends the local authority, as JSON (and, for people, PDF). */
export interface AnnualReviewReport {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  reviewId: string;
  preparedOn: IsoDate;
  child: {
    upn: string;
    forename: string;
    surname: string;
    birthDate: IsoDate;
    ncYear: number;
  };
  school: { name: string; urn: string | null; laCode: string | null };
  plan: {
    source: 'local_authority' | 'summary';
    localAuthority: string;
    planId: string;
    planVersion: number | null;
    issuedOn: IsoDate;
    lastReviewOn: IsoDate | null;
  };
  meeting: {
    dueOn: IsoDate;
    meetingOn: IsoDate;
    time: string | null;
    place: string | null;
    /** The report's last day: two weeks after the meeting. */
    reportDueOn: IsoDate;
  };
  phaseTransfer: { nextSchool: string | null } | null;
  invitations: {
    invitee: ReviewInvitee;
    inviteeLabel: string;
    name: string;
    how: InvitationHow;
    sentOn: IsoDate | null;
    noticeDays: number | null;
    enoughNotice: boolean;
  }[];
  advice: {
    from: string;
    askedOn: IsoDate | null;
    receivedOn: IsoDate | null;
    circulatedOn: IsoDate | null;
    circulatedInTime: boolean;
  }[];
  attendees: { invitee: ReviewInvitee; inviteeLabel: string; name: string }[];
  views: { child: string | null; parents: string | null };
  outcomes: {
    outcomeId: string;
    text: string;
    by: IsoDate | null;
    progress: OutcomeProgress;
    progressLabel: string;
    evidence: string;
  }[];
  provision: {
    provisionId: string;
    section: 'f' | 'g' | 'h1' | 'h2';
    what: string;
    who: string;
    frequency: string;
    duration: string;
    delivery: ProvisionDelivery;
    deliveryLabel: string;
    comment: string;
  }[];
  proposedChanges: { section: PlanSectionKey; sectionLabel: string; text: string }[];
  recommendation: { decision: ReviewDecision; decisionLabel: string; reasons: string };
  completedBy: { name: string; role: string | null };
}

/** A problem that stops the report going, by the field it belongs to (the page links to it). */
export interface ReportProblem {
  field: string;
  message: string;
}

const blank = (s: string | null | undefined) => s === null || s === undefined || s.trim() === '';

/** An item of provision as the plan numbers it within its section: "F2", "H2-1". */
export function provisionRef(
  provision: readonly { section: ReviewedPlan['provision'][number]['section'] }[],
  index: number,
) {
  const section = provision[index]!.section;
  return itemRef(section, provision.slice(0, index).filter((p) => p.section === section).length);
}

/**
 * What is missing before the report can go: the meeting held, each outcome and each item of provision
 * reviewed, a recommendation with its reasons, and for an amendment the changes proposed. Empty when
 * it can go.
 */
export function reportProblems(review: ReviewRecord, plan: ReviewedPlan): ReportProblem[] {
  const problems: ReportProblem[] = [];
  if (!review.meetingOn) problems.push({ field: 'meetingOn', message: 'Enter the date of the meeting' });
  if (review.attendees.length === 0)
    problems.push({ field: 'attendees', message: 'Record who came to the meeting' });
  for (const [i, o] of plan.outcomes.entries()) {
    const r = review.outcomeReviews.find((x) => x.outcomeId === o.id);
    if (!r?.progress)
      problems.push({ field: `outcome-${o.id}`, message: `Record the progress toward outcome ${i + 1}` });
    else if (blank(r.evidence))
      problems.push({
        field: `evidence-${o.id}`,
        message: `Give the evidence of progress toward outcome ${i + 1}`,
      });
  }
  for (const [i, p] of plan.provision.entries()) {
    const r = review.provisionReviews.find((x) => x.provisionId === p.id);
    if (!r?.delivery)
      problems.push({
        field: `provision-${p.id}`,
        message: `Say whether ${provisionRef(plan.provision, i)} (${p.what}) was delivered as the plan specifies`,
      });
  }
  if (!review.recommendation)
    problems.push({
      field: 'recommendation',
      message: 'Choose whether to recommend keeping, amending or ceasing the plan',
    });
  else if (blank(review.recommendationReasons))
    problems.push({ field: 'recommendationReasons', message: 'Give the reasons for the recommendation' });
  if (review.recommendation === 'amend' && review.proposedChanges.length === 0)
    problems.push({
      field: 'proposedChanges',
      message: 'Propose the changes to the plan that the amendment should make',
    });
  if (review.phaseTransfer && blank(review.nextSchool))
    problems.push({
      field: 'nextSchool',
      message: 'Enter the school the child will move to, or the one the parents prefer',
    });
  return problems;
}

/**
 * The report from the review and the plan reviewed. Throws when `reportProblems` is not empty (the
 * service checks it first and says what is missing).
 */
export function buildAnnualReviewReport(input: {
  review: ReviewRecord;
  plan: ReviewedPlan;
  child: AnnualReviewReport['child'];
  school: AnnualReviewReport['school'];
  completedBy: AnnualReviewReport['completedBy'];
  preparedOn: IsoDate;
}): AnnualReviewReport {
  const { review, plan } = input;
  const problems = reportProblems(review, plan);
  if (problems.length > 0 || !review.meetingOn || !review.recommendation)
    throw new Error(`The review is not ready to report: ${problems.map((p) => p.message).join('; ')}`);
  const meetingOn = review.meetingOn;
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    reviewId: review.id,
    preparedOn: input.preparedOn,
    child: input.child,
    school: input.school,
    plan: {
      source: plan.source,
      localAuthority: plan.localAuthority,
      planId: plan.planId,
      planVersion: plan.planVersion,
      issuedOn: plan.issuedOn,
      lastReviewOn: plan.lastReviewOn,
    },
    meeting: {
      dueOn: review.dueOn,
      meetingOn,
      time: review.meetingTime,
      place: review.meetingPlace,
      reportDueOn: reportDueOn(meetingOn),
    },
    phaseTransfer: review.phaseTransfer ? { nextSchool: review.nextSchool } : null,
    invitations: review.invitations.map((i) => {
      const notice = i.sentOn ? noticeGiven(i.sentOn, meetingOn) : null;
      return {
        invitee: i.invitee,
        inviteeLabel: REVIEW_INVITEES[i.invitee],
        name: i.name,
        how: i.how,
        sentOn: i.sentOn,
        noticeDays: notice?.days ?? null,
        enoughNotice: notice?.enough ?? false,
      };
    }),
    advice: review.advice.map((a) => ({
      from: a.from,
      askedOn: a.askedOn,
      receivedOn: a.receivedOn,
      circulatedOn: a.circulatedOn,
      circulatedInTime: a.circulatedOn !== null && noticeGiven(a.circulatedOn, meetingOn).enough,
    })),
    attendees: review.attendees.map((a) => ({
      invitee: a.invitee,
      inviteeLabel: REVIEW_INVITEES[a.invitee],
      name: a.name,
    })),
    views: { child: review.pupilViews || null, parents: review.parentViews || null },
    outcomes: plan.outcomes.map((o) => {
      const r = review.outcomeReviews.find((x) => x.outcomeId === o.id) as OutcomeReview;
      const progress = r.progress as OutcomeProgress;
      return {
        outcomeId: o.id,
        text: o.text,
        by: o.by,
        progress,
        progressLabel: OUTCOME_PROGRESS[progress],
        evidence: r.evidence,
      };
    }),
    provision: plan.provision.map((p) => {
      const r = review.provisionReviews.find((x) => x.provisionId === p.id) as ProvisionReview;
      const delivery = r.delivery as ProvisionDelivery;
      return {
        provisionId: p.id,
        section: p.section,
        what: p.what,
        who: p.who,
        frequency: p.frequency,
        duration: p.duration,
        delivery,
        deliveryLabel: PROVISION_DELIVERY[delivery],
        comment: r.comment,
      };
    }),
    proposedChanges: review.proposedChanges.map((c) => ({
      section: c.section,
      sectionLabel: PLAN_SECTION_SHORT[c.section],
      text: c.text,
    })),
    recommendation: {
      decision: review.recommendation,
      decisionLabel: REVIEW_DECISIONS[review.recommendation],
      reasons: review.recommendationReasons ?? '',
    },
    completedBy: input.completedBy,
  };
}

/** One line saying what the review recommends, for lists ("Amend the plan: 3 changes proposed"). */
export function recommendationSummary(report: AnnualReviewReport): string {
  const n = report.proposedChanges.length;
  return n > 0
    ? `${report.recommendation.decisionLabel}: ${n} change${n === 1 ? '' : 's'} proposed`
    : report.recommendation.decisionLabel;
}

/** "Meeting on 20 December 2026; report due by 3 January 2027". */
export function meetingSummary(report: AnnualReviewReport): string {
  return `Meeting on ${formatDate(report.meeting.meetingOn)}; report due by ${formatDate(report.meeting.reportDueOn)}`;
}
