import { randomUUID } from 'node:crypto';
import type { Executor } from '../../src/db/client.ts';
import { academicYearStartOf, ncYearFromDateOfBirth } from '../../src/domain/calendar.ts';
import { addDays, type IsoDate } from '../../src/domain/dates.ts';
import type { CeaseReason, PlanSections, ReviewDecision } from '../../src/domain/ehc-plan.ts';
import {
  type AnnualReviewReport,
  buildAnnualReviewReport,
  type ReviewedPlan,
  type ReviewRecord,
  reviewedPlanFromSections,
} from '../../src/domain/ehc-review.ts';
import { insertAnnualReview, insertReviewDecision } from '../../src/repositories/ehc-reviews.ts';
import { TODAY } from './common.ts';
import { buildFinalPlan } from './ehc-plans.ts';

/**
 * A review held and fully recorded against a plan's sections: invitations with two weeks' notice, the
 * advice circulated, both sets of views, every outcome and every item of provision reviewed, and a
 * recommendation (keep unless told). Tests change a copy to leave something out.
 */
export function exampleHeldReview(
  plan: ReviewedPlan,
  options: { id?: string; meetingOn?: IsoDate; dueOn?: IsoDate; recommendation?: ReviewDecision } = {},
): ReviewRecord {
  const meetingOn = options.meetingOn ?? TODAY;
  const recommendation = options.recommendation ?? 'keep';
  return {
    id: options.id ?? randomUUID(),
    dueOn: options.dueOn ?? addDays(meetingOn, 20),
    meetingOn,
    meetingTime: '2:30pm',
    meetingPlace: 'The SENCo’s room',
    phaseTransfer: false,
    nextSchool: null,
    invitations: [
      {
        id: 'inv-parent',
        invitee: 'parent',
        name: 'Alex Parent',
        how: 'letter',
        sentOn: addDays(meetingOn, -21),
      },
      {
        id: 'inv-pupil',
        invitee: 'pupil',
        name: 'The child',
        how: 'in_person',
        sentOn: addDays(meetingOn, -21),
      },
      {
        id: 'inv-la',
        invitee: 'local_authority',
        name: 'Casey Caseworker',
        how: 'email',
        sentOn: addDays(meetingOn, -21),
      },
    ],
    advice: [
      {
        id: 'adv-salt',
        from: 'Speech and language therapy',
        askedOn: addDays(meetingOn, -42),
        receivedOn: addDays(meetingOn, -20),
        circulatedOn: addDays(meetingOn, -16),
      },
    ],
    pupilViews: 'I like the trains club. Reading is still hard.',
    parentViews: 'He is happier at school and has a friend now.',
    attendees: [
      { id: 'att-parent', invitee: 'parent', name: 'Alex Parent' },
      { id: 'att-senco', invitee: 'school', name: 'Sam Senco' },
    ],
    outcomeReviews: plan.outcomes.map((o, i) => ({
      outcomeId: o.id,
      progress: i === 0 ? 'on_track' : 'some',
      evidence: `Observed in lessons this term (outcome ${i + 1}).`,
    })),
    provisionReviews: plan.provision.map((p, i) => ({
      provisionId: p.id,
      delivery: i === 0 ? 'partly' : 'as_specified',
      comment: i === 0 ? 'Two sessions a week in the spring term while the assistant was away.' : '',
    })),
    proposedChanges:
      recommendation === 'amend'
        ? [{ section: 'f', text: 'Add a weekly session with the speech and language therapist.' }]
        : [],
    recommendation,
    recommendationReasons:
      recommendation === 'keep'
        ? 'The outcomes are still right and the provision is meeting his needs.'
        : recommendation === 'amend'
          ? 'His language needs more direct therapy than the plan specifies.'
          : 'His needs are now met without a plan.',
  };
}

/**
 * An annual review held, its report sent into the local authority on this installation: the school's
 * `ehc_annual_review` (status sent, the report kept as sent) and the authority's `ehc_review_decision`
 * (the received copy, not yet decided). Builds a final plan when none is given.
 */
export async function buildSentAnnualReview(
  db: Executor,
  pupil: {
    schoolId: string;
    id: string;
    upn: string;
    forename?: string;
    surname?: string;
    dateOfBirth?: string;
  },
  organisationId: string,
  options: {
    plan?: { planId: string; caseId: string; sections: PlanSections; issuedOn?: IsoDate };
    meetingOn?: IsoDate;
    recommendation?: ReviewDecision;
    school?: { name: string; urn: string | null };
    localAuthority?: string;
  } = {},
): Promise<{
  reviewId: string;
  decisionId: string;
  planId: string;
  caseId: string;
  meetingOn: IsoDate;
  report: AnnualReviewReport;
}> {
  const meetingOn = options.meetingOn ?? TODAY;
  const plan =
    options.plan ??
    (await buildFinalPlan(db, pupil, organisationId, {
      issuedOn: addDays(meetingOn, -340),
      ...(options.school ? { school: options.school } : {}),
    }));
  const issuedOn = options.plan?.issuedOn ?? addDays(meetingOn, -340);
  const reviewed = reviewedPlanFromSections({
    localAuthority: options.localAuthority ?? 'The local authority',
    planId: plan.planId,
    planVersion: 1,
    issuedOn,
    lastReviewOn: null,
    sections: plan.sections,
  });
  const reviewId = randomUUID();
  const review = exampleHeldReview(reviewed, {
    id: reviewId,
    meetingOn,
    ...(options.recommendation ? { recommendation: options.recommendation } : {}),
  });
  const dateOfBirth = pupil.dateOfBirth ?? '2018-05-10';
  const sentOn = addDays(meetingOn, 7);
  const report = buildAnnualReviewReport({
    review,
    plan: reviewed,
    child: {
      upn: pupil.upn,
      forename: pupil.forename ?? 'Pupil',
      surname: pupil.surname ?? 'Testname',
      birthDate: dateOfBirth,
      ncYear: ncYearFromDateOfBirth(dateOfBirth, academicYearStartOf(meetingOn)),
    },
    school: { name: options.school?.name ?? 'The school', urn: options.school?.urn ?? null, laCode: null },
    completedBy: { name: 'Sam Senco', role: 'SENCo' },
    preparedOn: sentOn,
  });
  const decisionId = randomUUID();
  await insertAnnualReview(db, {
    schoolId: pupil.schoolId,
    id: reviewId,
    pupilId: pupil.id,
    status: 'sent',
    organisationId,
    planId: plan.planId,
    planVersion: 1,
    dueOn: review.dueOn,
    meetingOn,
    meetingTime: review.meetingTime,
    meetingPlace: review.meetingPlace,
    invitations: review.invitations,
    advice: review.advice,
    pupilViews: review.pupilViews,
    parentViews: review.parentViews,
    attendees: review.attendees,
    outcomeReviews: review.outcomeReviews,
    provisionReviews: review.provisionReviews,
    proposedChanges: review.proposedChanges,
    recommendation: review.recommendation,
    recommendationReasons: review.recommendationReasons,
    sentAt: new Date(`${sentOn}T10:00:00Z`),
    sentByName: 'Sam Senco',
    sentHow: 'opensend',
    sentReport: report,
    decisionId,
    createdByName: 'Sam Senco',
  });
  await insertReviewDecision(db, {
    organisationId,
    id: decisionId,
    planId: plan.planId,
    caseId: plan.caseId,
    schoolId: pupil.schoolId,
    annualReviewId: reviewId,
    meetingOn,
    receivedOn: sentOn,
    received: report,
  });
  return { reviewId, decisionId, planId: plan.planId, caseId: plan.caseId, meetingOn, report };
}

/**
 * The local authority's record of an annual review of one of its plans (`ehc_review_decision`) alone: the
 * school's report as received (built as the school builds it, from the plan's sections), waiting for the
 * authority's decision unless given one. For the authority's side without the school's review row.
 */
export async function buildReviewDecision(
  db: Executor,
  plan: { organisationId: string; planId: string; caseId: string; sections: PlanSections },
  pupil: { schoolId: string; upn: string; forename?: string; surname?: string },
  options: {
    meetingOn?: IsoDate;
    receivedOn?: IsoDate;
    annualReviewId?: string | null;
    received?: unknown;
    recommendation?: ReviewDecision;
    decision?: ReviewDecision;
    decidedOn?: IsoDate;
    reasons?: string;
    ceaseReason?: CeaseReason;
    amendmentVersion?: number;
  } = {},
) {
  const id = randomUUID();
  const meetingOn = options.meetingOn ?? addDays(TODAY, -10);
  const receivedOn = options.receivedOn ?? addDays(meetingOn, 7);
  const reviewed = reviewedPlanFromSections({
    localAuthority: 'The local authority',
    planId: plan.planId,
    planVersion: 1,
    issuedOn: addDays(meetingOn, -340),
    lastReviewOn: null,
    sections: plan.sections,
  });
  const review = exampleHeldReview(reviewed, {
    meetingOn,
    ...(options.recommendation ? { recommendation: options.recommendation } : {}),
  });
  const report = buildAnnualReviewReport({
    review,
    plan: reviewed,
    child: {
      upn: pupil.upn,
      forename: pupil.forename ?? 'Pupil',
      surname: pupil.surname ?? 'Testname',
      birthDate: '2018-05-10',
      ncYear: ncYearFromDateOfBirth('2018-05-10', academicYearStartOf(meetingOn)),
    },
    school: { name: 'The school', urn: null, laCode: null },
    completedBy: { name: 'Sam Senco', role: 'SENCo' },
    preparedOn: receivedOn,
  });
  await insertReviewDecision(db, {
    organisationId: plan.organisationId,
    id,
    planId: plan.planId,
    caseId: plan.caseId,
    schoolId: pupil.schoolId,
    annualReviewId: options.annualReviewId === undefined ? randomUUID() : options.annualReviewId,
    meetingOn,
    receivedOn,
    received: options.received ?? report,
    decision: options.decision ?? null,
    decidedOn: options.decision ? (options.decidedOn ?? addDays(meetingOn, 14)) : null,
    reasons: options.reasons ?? null,
    ceaseReason: options.ceaseReason ?? null,
    amendmentVersion: options.amendmentVersion ?? null,
    decidedByName: options.decision ? 'Casey Caseworker' : null,
  });
  return { decisionId: id, meetingOn, report };
}
