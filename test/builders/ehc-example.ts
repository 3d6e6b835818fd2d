import {
  type EvidencePack,
  type PackPlan,
  type PackProvision,
  type PackReport,
  type PackReview,
  packChecks,
} from '../../src/domain/ehc-pack.ts';

/*
 * An evidence pack made by hand, with no database (domain/ehc-pack.ts): for the unit tests of the
 * checks, the schema, the document model and the PDF.
 */

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const review = (n: number, views = true): PackReview => ({
  key: `review:${id(n)}`,
  reviewedOn: '2026-03-27',
  progress: 'Less than expected',
  outcome: 'Less than expected',
  decisions: ['Write a new plan (targets not met are carried into it)'],
  pupilViews: views ? 'I like the group' : null,
  parentViews: views ? 'We are worried' : null,
});

const plan = (n: number, reviewed: PackReview | null): PackPlan => ({
  key: `plan:${id(n)}`,
  cycle: n,
  startedOn: '2026-01-05',
  reviewDueOn: '2026-03-27',
  closedOn: reviewed ? '2026-03-27' : null,
  status: reviewed ? 'Closed' : 'In place',
  needAreas: ['cognition_and_learning'],
  about: [],
  targets: [{ text: 'Read 20 words', area: null, source: null, outcome: null, evidence: null }],
  strategies: [],
  review: reviewed,
  earlierReviews: [],
});

const provision = (n: number, options: Partial<PackProvision> = {}): PackProvision => ({
  key: `provision:${id(n)}`,
  intervention: 'Reading catch-up',
  area: 'cognition_and_learning',
  groupName: 'Reading, one to one',
  deliveredBy: 'Tia Assistant',
  from: '2026-01-12',
  to: '2026-03-20',
  minutesPerWeek: 60,
  groupSize: 1,
  sessionsHeld: 30,
  sessionsAttended: 28,
  costPence: 40_000,
  impact: { measure: 'Standardised score', entry: '78', exit: '84', change: 'Up 6 points' },
  ...options,
});

const report = (n: number, serviceKind: PackReport['serviceKind']): PackReport => ({
  key: `report:${id(n)}`,
  service: 'Northshire Educational Psychology Service',
  serviceKind,
  author: 'Jo Carter, educational psychologist',
  writtenOn: '2026-05-12',
  title: 'Psychological advice',
  summary: null,
  sufficient: false,
  recommendations: [],
});

/** A pack that has everything LAs commonly expect (tests take things away from it). */
export function examplePack(): EvidencePack {
  const pack: EvidencePack = {
    format: 'opensend.ehc-request-pack',
    version: '1.0.0',
    requestId: id(99),
    preparedOn: '2026-11-20',
    requestedBy: 'school',
    parentRequest: null,
    completedBy: { name: 'Sam Senco', role: 'SENCo', email: null, phone: null },
    checklist: [],
    child: {
      upn: 'A123456789012',
      forename: 'Rosa',
      surname: 'Martinez',
      preferredName: null,
      birthDate: '2017-06-14',
      sex: 'F',
      ncYear: 5,
      senProvision: 'sen_support',
      senTypes: [{ senType: 'SPLD', senTypeRank: 1 }],
      contextFactors: [],
      attendancePercent: 95,
      medicalNotes: null,
    },
    school: {
      name: 'Oakfield Primary',
      urn: '100001',
      laCode: '999',
      senco: 'Sam Senco',
      localAuthority: null,
    },
    intervention: {
      registerHistory: [{ stage: 'sen_support', from: '2025-01-06', to: null, needs: ['SPLD'] }],
      plans: [plan(1, review(11)), plan(2, review(12)), plan(3, null)],
      provision: [provision(21)],
      costs: { academicYear: '2026/27', totalPence: 40_000, thresholdPence: 600_000, aboveThreshold: false },
    },
    need: {
      referrals: [
        {
          service: 'Northshire Educational Psychology Service',
          serviceKind: 'educational_psychology',
          question: 'Why is reading slow?',
          sentOn: '2025-07-21',
          status: 'Report received',
          reports: [report(31, 'educational_psychology')],
        },
      ],
      otherReports: [],
      summary: 'Decoding',
    },
    parentsViews: [
      { key: `views:${id(11)}:parents`, givenOn: '2026-03-27', context: 'Review of plan 1', text: 'Worried' },
    ],
    childsViews: {
      profile: { key: 'profile', likeAndAdmire: 'Kind', importantToMe: null, howToSupportMe: null },
      views: [
        { key: `views:${id(11)}:child`, givenOn: '2026-03-27', context: 'Review of plan 1', text: 'OK' },
      ],
    },
    moreInformation: { coveringStatement: null, leftOutCount: 0 },
    consent: {
      parentName: 'Lucia Martinez',
      relationship: 'Mother',
      givenOn: '2026-11-18',
      how: 'signed_form',
      note: null,
    },
  };
  return { ...pack, checklist: packChecks(pack) };
}

/** The pieces of the example, to vary it. */
export const examplePackParts = { id, review, plan, provision, report };
