import { describe, expect, it } from 'vitest';
import { examplePlanSections } from '../../test/builders/ehc-plans.ts';
import { exampleHeldReview } from '../../test/builders/ehc-reviews.ts';
import {
  buildAnnualReviewReport,
  provisionRef,
  REPORT_FORMAT,
  REPORT_VERSION,
  type ReviewRecord,
  recommendationSummary,
  reportProblems,
  reviewedPlanFromSections,
  reviewedPlanFromSummary,
} from './ehc-review.ts';

const sections = examplePlanSections({ id: 'school-1', name: 'Brookfield Primary', urn: '100001' });
const plan = reviewedPlanFromSections({
  localAuthority: 'Northshire Council',
  planId: 'plan-1',
  planVersion: 1,
  issuedOn: '2025-12-01',
  lastReviewOn: null,
  sections,
});
const child = { upn: 'A123456789012', forename: 'Sam', surname: 'Brown', birthDate: '2018-05-10', ncYear: 3 };
const school = { name: 'Brookfield Primary', urn: '100001', laCode: '999' };
const build = (review: ReviewRecord) =>
  buildAnnualReviewReport({
    review,
    plan,
    child,
    school,
    completedBy: { name: 'Sam Senco', role: 'SENCo' },
    preparedOn: '2026-11-25',
  });

describe('the plan under review', () => {
  it('takes the outcomes of E and every item of provision in F, G, H1 and H2 in order', () => {
    expect(plan.outcomes.map((o) => o.id)).toEqual(['outcome-instructions', 'outcome-play']);
    expect(plan.provision.map((p) => [p.id, p.section])).toEqual([
      ['prov-salt', 'f'],
      ['prov-visuals', 'f'],
      ['prov-social', 'f'],
      ['prov-audiology', 'g'],
    ]);
  });
  it('from a summary of another authority’s plan, takes its outcomes and provision as section F', () => {
    const fromSummary = reviewedPlanFromSummary({
      id: 'summary-1',
      localAuthorityName: 'Westshire',
      issuedOn: '2025-06-01',
      lastReviewOn: null,
      outcomes: [{ id: 'o1', text: 'Read a book' }],
      provision: [{ id: 'p1', what: 'Reading', who: 'TA', frequency: 'Daily', duration: '20 minutes' }],
    });
    expect(fromSummary).toMatchObject({ source: 'summary', planVersion: null, localAuthority: 'Westshire' });
    expect(fromSummary.provision[0]).toMatchObject({ id: 'p1', section: 'f' });
  });
});

describe('what stops a report going', () => {
  it('nothing, for a review fully recorded', () => {
    expect(reportProblems(exampleHeldReview(plan), plan)).toEqual([]);
  });
  it('the meeting date, and who came', () => {
    const review = { ...exampleHeldReview(plan), meetingOn: null, attendees: [] };
    expect(reportProblems(review, plan).map((p) => p.field)).toEqual(['meetingOn', 'attendees']);
  });
  it('an outcome with no progress recorded, or progress with no evidence', () => {
    const held = exampleHeldReview(plan);
    const review = {
      ...held,
      outcomeReviews: [{ outcomeId: 'outcome-instructions', progress: 'on_track' as const, evidence: '  ' }],
    };
    expect(reportProblems(review, plan)).toEqual([
      { field: 'evidence-outcome-instructions', message: 'Give the evidence of progress toward outcome 1' },
      { field: 'outcome-outcome-play', message: 'Record the progress toward outcome 2' },
    ]);
  });
  it('an item of provision not said to be delivered or not', () => {
    const held = exampleHeldReview(plan);
    const review = { ...held, provisionReviews: held.provisionReviews.slice(1) };
    expect(reportProblems(review, plan)).toEqual([
      {
        field: 'provision-prov-salt',
        message:
          'Say whether F1 (A speech and language programme set by the speech and language therapist, delivered one to one) was delivered as the plan specifies',
      },
    ]);
  });
  it('a recommendation, its reasons, and for an amendment the changes proposed', () => {
    const held = exampleHeldReview(plan);
    expect(reportProblems({ ...held, recommendation: null }, plan).map((p) => p.field)).toEqual([
      'recommendation',
    ]);
    expect(reportProblems({ ...held, recommendationReasons: '' }, plan).map((p) => p.field)).toEqual([
      'recommendationReasons',
    ]);
    const amend = exampleHeldReview(plan, { recommendation: 'amend' });
    expect(reportProblems(amend, plan)).toEqual([]);
    expect(reportProblems({ ...amend, proposedChanges: [] }, plan).map((p) => p.field)).toEqual([
      'proposedChanges',
    ]);
  });
  it('the next school, for a phase transfer review', () => {
    const held = { ...exampleHeldReview(plan), phaseTransfer: true };
    expect(reportProblems(held, plan).map((p) => p.field)).toEqual(['nextSchool']);
    expect(reportProblems({ ...held, nextSchool: 'Northshire Academy' }, plan)).toEqual([]);
  });
});

describe('the report', () => {
  it('is built from the review and the plan: each outcome and item of provision with what the meeting said', () => {
    const review = exampleHeldReview(plan, { meetingOn: '2026-11-20', recommendation: 'amend' });
    const report = build(review);
    expect(report).toMatchObject({
      format: REPORT_FORMAT,
      version: REPORT_VERSION,
      reviewId: review.id,
      plan: { source: 'local_authority', planId: 'plan-1', planVersion: 1 },
      meeting: { meetingOn: '2026-11-20', reportDueOn: '2026-12-04' },
      phaseTransfer: null,
      recommendation: { decision: 'amend', decisionLabel: 'Amend the plan' },
    });
    expect(report.outcomes.map((o) => [o.outcomeId, o.progress, o.progressLabel])).toEqual([
      ['outcome-instructions', 'on_track', 'On track to be achieved by the date set'],
      ['outcome-play', 'some', 'Some progress, but not on track'],
    ]);
    expect(report.provision[0]).toMatchObject({ provisionId: 'prov-salt', delivery: 'partly', section: 'f' });
    expect(report.provision[3]).toMatchObject({ provisionId: 'prov-audiology', section: 'g' });
    expect(report.proposedChanges).toEqual([
      {
        section: 'f',
        sectionLabel: 'Section F',
        text: 'Add a weekly session with the speech and language therapist.',
      },
    ]);
    expect(recommendationSummary(report)).toBe('Amend the plan: 1 change proposed');
  });
  it('says which invitations gave less than two weeks’ notice and which advice was circulated late', () => {
    const held = exampleHeldReview(plan, { meetingOn: '2026-12-20' });
    const review: ReviewRecord = {
      ...held,
      invitations: [
        { id: 'i1', invitee: 'parent', name: 'Alex Parent', how: 'letter', sentOn: '2026-12-06' },
        { id: 'i2', invitee: 'health', name: 'Dr Lee', how: 'email', sentOn: '2026-12-10' },
        { id: 'i3', invitee: 'agency', name: 'Outreach', how: 'phone', sentOn: null },
      ],
      advice: [
        { id: 'a1', from: 'EP', askedOn: '2026-11-01', receivedOn: '2026-12-09', circulatedOn: '2026-12-09' },
      ],
    };
    const report = build(review);
    expect(report.invitations.map((i) => [i.noticeDays, i.enoughNotice])).toEqual([
      [14, true],
      [10, false],
      [null, false],
    ]);
    expect(report.advice[0]?.circulatedInTime).toBe(false);
    expect(report.meeting.reportDueOn).toBe('2027-01-03');
  });
  it('refuses to build from a review that is not ready', () => {
    expect(() => build({ ...exampleHeldReview(plan), recommendation: null })).toThrow(/not ready to report/);
  });
});

describe('provisionRef', () => {
  it('numbers an item within its own section, as the plan does', () => {
    const provision = [{ section: 'f' }, { section: 'f' }, { section: 'g' }, { section: 'h2' }] as const;
    expect([0, 1, 2, 3].map((i) => provisionRef(provision, i))).toEqual(['F1', 'F2', 'G1', 'H2-1']);
  });
});
