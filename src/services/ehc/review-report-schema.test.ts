import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { examplePlanSections } from '../../../test/builders/ehc-plans.ts';
import { exampleHeldReview } from '../../../test/builders/ehc-reviews.ts';
import {
  OUTCOME_PROGRESS,
  PLAN_SECTION_KEYS,
  PROVISION_DELIVERY,
  REVIEW_DECISIONS,
  REVIEW_INVITEES,
} from '../../domain/ehc-plan.ts';
import {
  type AnnualReviewReport,
  buildAnnualReviewReport,
  INVITATION_HOW,
  REPORT_FORMAT,
  REPORT_VERSION,
  reviewedPlanFromSections,
  reviewedPlanFromSummary,
} from '../../domain/ehc-review.ts';
import { assertReportFollowsSchema, reportSchemaProblems } from './review-report-schema.ts';

/*
 * The published JSON Schema of the annual review report (docs/schemas/annual-review-report.v1.schema.json)
 * against the report's shape in code: the codes are the domain's own, every field is required, and the
 * schema is strict, so a change to the report that the schema does not follow fails here.
 */

const schema = JSON.parse(
  readFileSync(new URL('../../../docs/schemas/annual-review-report.v1.schema.json', import.meta.url), 'utf8'),
);
const defs = schema.$defs;

const sections = examplePlanSections({ id: 'school-1', name: 'Brookfield Primary', urn: '100001' });
const plan = reviewedPlanFromSections({
  localAuthority: 'Northshire Council',
  planId: 'plan-1',
  planVersion: 2,
  issuedOn: '2025-12-01',
  lastReviewOn: '2025-11-01',
  sections,
});
function exampleReport(recommendation: 'keep' | 'amend' | 'cease' = 'amend'): AnnualReviewReport {
  return buildAnnualReviewReport({
    review: {
      ...exampleHeldReview(plan, { recommendation }),
      phaseTransfer: true,
      nextSchool: 'Northshire Academy',
    },
    plan,
    child: { upn: 'A123456789012', forename: 'Sam', surname: 'Brown', birthDate: '2015-05-10', ncYear: 6 },
    school: { name: 'Brookfield Primary', urn: '100001', laCode: '999' },
    completedBy: { name: 'Sam Senco', role: null },
    preparedOn: '2026-11-25',
  });
}

describe('the schema and the domain', () => {
  it('lists the domain’s own codes', () => {
    expect(defs.invitee.enum).toEqual(Object.keys(REVIEW_INVITEES));
    expect(defs.progress.enum).toEqual(Object.keys(OUTCOME_PROGRESS));
    expect(defs.delivery.enum).toEqual(Object.keys(PROVISION_DELIVERY));
    expect(defs.decision.enum).toEqual(Object.keys(REVIEW_DECISIONS));
    expect(defs.section.enum).toEqual(PLAN_SECTION_KEYS);
    expect(defs.invitation.properties.how.enum).toEqual(Object.keys(INVITATION_HOW));
    expect(schema.properties.format.const).toBe(REPORT_FORMAT);
    expect(REPORT_VERSION).toMatch(new RegExp(schema.properties.version.pattern));
  });
  it('requires every field of the report, at the top and in each part', () => {
    const report = exampleReport();
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(report).sort());
    expect([...schema.required].sort()).toEqual(Object.keys(report).sort());
    for (const part of [
      'child',
      'school',
      'plan',
      'meeting',
      'views',
      'recommendation',
      'completedBy',
    ] as const)
      expect([...schema.properties[part].required].sort(), part).toEqual(Object.keys(report[part]).sort());
    expect([...defs.invitation.required].sort()).toEqual(Object.keys(report.invitations[0] ?? {}).sort());
    expect([...defs.advice.required].sort()).toEqual(Object.keys(report.advice[0] ?? {}).sort());
    expect([...schema.properties.outcomes.items.required].sort()).toEqual(
      Object.keys(report.outcomes[0] ?? {}).sort(),
    );
    expect([...schema.properties.provision.items.required].sort()).toEqual(
      Object.keys(report.provision[0] ?? {}).sort(),
    );
  });
});

describe('a report against the schema', () => {
  it('each recommendation, and a review of another authority’s plan, follow it', () => {
    for (const r of ['keep', 'amend', 'cease'] as const)
      expect(reportSchemaProblems(exampleReport(r))).toEqual([]);
    const summary = reviewedPlanFromSummary({
      id: 'summary-1',
      localAuthorityName: 'Westshire',
      issuedOn: '2025-06-01',
      lastReviewOn: null,
      outcomes: [{ id: 'o1', text: 'Read a book' }],
      provision: [{ id: 'p1', what: 'Reading', who: 'TA', frequency: 'Daily', duration: '20 minutes' }],
    });
    const report = buildAnnualReviewReport({
      review: exampleHeldReview(summary),
      plan: summary,
      child: { upn: 'A123456789012', forename: 'Sam', surname: 'Brown', birthDate: '2015-05-10', ncYear: 6 },
      school: { name: 'Brookfield Primary', urn: null, laCode: null },
      completedBy: { name: 'Sam Senco', role: 'SENCo' },
      preparedOn: '2026-11-25',
    });
    expect(() => assertReportFollowsSchema(report)).not.toThrow();
  });
  it('is strict: a field too many, a field missing, a wrong code or a bad date fails', () => {
    const report = exampleReport();
    expect(reportSchemaProblems({ ...report, extra: 1 })).toEqual(['/ must NOT have additional properties']);
    const { views: _views, ...missing } = report;
    expect(reportSchemaProblems(missing)).toEqual(["/ must have required property 'views'"]);
    const wrong = structuredClone(report);
    (wrong.outcomes[0] as { progress: string }).progress = 'great';
    expect(reportSchemaProblems(wrong)).toEqual([
      '/outcomes/0/progress must be equal to one of the allowed values',
    ]);
    const badDate = structuredClone(report);
    badDate.meeting.meetingOn = '20/11/2026';
    expect(reportSchemaProblems(badDate)[0]).toMatch(/^\/meeting\/meetingOn must match pattern/);
    expect(() => assertReportFollowsSchema(badDate)).toThrow(/does not follow its schema/);
  });
});
