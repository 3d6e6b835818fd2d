import { randomUUID } from 'node:crypto';
import type { Executor } from '../../src/db/client.ts';
import { addDays, type IsoDate } from '../../src/domain/dates.ts';
import type { CeaseReason, ReviewDecision } from '../../src/domain/ehc-plan.ts';
import { insertReviewDecision } from '../../src/repositories/ehc-review-decisions.ts';
import { TODAY } from './common.ts';

/**
 * The local authority's record of an annual review of one of its plans (`ehc_review_decision`): the
 * school's report received (its copy as the school sent it), waiting for the authority's decision unless
 * given one. As the school's "Send to the local authority" makes it: the meeting, the day it came, and
 * the report naming the recommendation.
 */
export async function buildReviewDecision(
  db: Executor,
  plan: { organisationId: string; planId: string; caseId: string },
  pupil: { schoolId: string },
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
  const recommendation = options.recommendation ?? 'keep';
  await insertReviewDecision(db, {
    organisationId: plan.organisationId,
    id,
    planId: plan.planId,
    caseId: plan.caseId,
    schoolId: pupil.schoolId,
    annualReviewId: options.annualReviewId === undefined ? randomUUID() : options.annualReviewId,
    meetingOn,
    receivedOn: options.receivedOn ?? addDays(meetingOn, 7),
    received: options.received ?? {
      format: 'opensend.annual-review-report',
      meeting: { on: meetingOn, attendees: ['Sam Senco (SENCo)', 'Kasia Kowalski (parent)'] },
      outcomes: [
        {
          outcomeId: 'outcome-instructions',
          text: 'Sam will follow three-part classroom instructions without help in 8 of 10 observed lessons.',
          progress: 'on_track',
          evidence: 'Observed in 6 of 10 lessons this term.',
        },
      ],
      provision: [
        {
          provisionId: 'prov-salt',
          what: 'A speech and language programme, delivered one to one',
          delivery: 'as_specified',
          note: 'Three sessions a week all year.',
        },
      ],
      proposedChanges:
        recommendation === 'amend' ? [{ section: 'f', text: 'Add a social skills group.' }] : [],
      recommendation,
      recommendationReasons: 'The plan meets Sam’s needs.',
    },
    decision: options.decision ?? null,
    decidedOn: options.decision ? (options.decidedOn ?? addDays(meetingOn, 14)) : null,
    reasons: options.reasons ?? null,
    ceaseReason: options.ceaseReason ?? null,
    amendmentVersion: options.amendmentVersion ?? null,
    decidedByName: options.decision ? 'Casey Caseworker' : null,
  });
  return { decisionId: id, meetingOn };
}
