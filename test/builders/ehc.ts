import type { Executor } from '../../src/db/client.ts';
import type { ehcRequest } from '../../src/db/schema/index.ts';
import type { IsoDate } from '../../src/domain/dates.ts';
import { insertRecommendationUses } from '../../src/repositories/agencies.ts';
import { insertReviews, saveProfile, setTargetOutcomes } from '../../src/repositories/plans.ts';
import { setMeasures } from '../../src/repositories/provision.ts';
import { insertRegisterEntries } from '../../src/repositories/register.ts';
import type { PackRequest } from '../../src/services/ehc/pack.ts';
import { buildAgency, buildConsent, buildReferral, buildReport } from './agencies.ts';
import { uuid } from './common.ts';
import { buildPlan } from './plans.ts';
import { buildIntervention, buildProvisionGroup } from './provision.ts';
import { buildParent, buildPupil } from './pupils.ts';

/*
 * A pupil with two years of SEN support behind them (today 20 November 2026, the tests' date): on the
 * register at monitoring from November 2024 and at SEN support from January 2025; three support plans
 * reviewed (spring 2025, summer 2025, summer 2026) and a fourth in place; a reading intervention with
 * sessions and entry and exit measures, and a language group running now with an entry measure only; a
 * referral to an educational psychologist with a report whose recommendations were used; a one-page
 * profile; a parent. The evidence an EHC needs assessment request is made from.
 */

export interface PupilWithHistory {
  schoolId: string;
  pupilId: string;
  parentId: string;
  planIds: string[];
  reviewIds: string[];
  memberIds: { reading: string; language: string };
  groupIds: { reading: string; language: string };
  referralId: string;
  reportId: string;
  recommendationIds: string[];
}

const weekly = (from: IsoDate, count: number): IsoDate[] => {
  const out: IsoDate[] = [];
  const start = new Date(`${from}T12:00:00Z`);
  for (let i = 0; i < count; i++)
    out.push(new Date(start.getTime() + i * 7 * 86_400_000).toISOString().slice(0, 10));
  return out;
};

export async function buildPupilWithHistory(
  db: Executor,
  options: { schoolId?: string; forename?: string; surname?: string; classId?: string } = {},
): Promise<PupilWithHistory> {
  const pupil = await buildPupil(db, {
    ...(options.schoolId ? { schoolId: options.schoolId } : {}),
    ...(options.classId ? { classId: options.classId } : {}),
    forename: options.forename ?? 'Rosa',
    surname: options.surname ?? 'Martinez',
    dateOfBirth: '2017-06-14',
    stage: 'sen_support',
    primaryNeed: 'SPLD',
    secondaryNeed: 'SLCN',
    pupilPremium: true,
    eal: true,
    attendancePercent: 93.5,
    medicalNotes: 'Wears glasses for reading',
  });
  const schoolId = pupil.schoolId;
  const pupilId = pupil.id;
  const parent = await buildParent(db, pupil, { name: 'Lucia Martinez', relationship: 'Mother' });

  await insertRegisterEntries(db, [
    {
      schoolId,
      id: uuid(),
      pupilId,
      effectiveDate: '2024-11-04',
      fromStage: 'none',
      stage: 'monitoring',
      primaryNeed: 'SPLD',
      changeKind: 'added_to_monitoring',
      reason: 'Slow progress in phonics despite quality-first teaching',
      decidedByName: 'Sam Senco',
      source: 'register',
    },
    {
      schoolId,
      id: uuid(),
      pupilId,
      effectiveDate: '2025-01-06',
      fromStage: 'monitoring',
      stage: 'sen_support',
      primaryNeed: 'SPLD',
      secondaryNeed: 'SLCN',
      changeKind: 'moved_to_sen_support',
      reason: 'Reading age two years behind; a plan agreed with her mother',
      decidedByName: 'Sam Senco',
      source: 'register',
    },
  ]);

  // Three reviewed plans, then the plan in place now.
  const cycles = [
    { start: '2025-01-06', review: '2025-03-28', progress: 'less_than_expected', decision: 'new_plan' },
    { start: '2025-04-21', review: '2025-07-11', progress: 'less_than_expected', decision: 'involve_agency' },
    { start: '2025-09-08', review: '2026-07-10', progress: 'no_progress', decision: 'ehc_request' },
  ] as const;
  const planIds: string[] = [];
  const reviewIds: string[] = [];
  for (const [i, c] of cycles.entries()) {
    const plan = await buildPlan(db, {
      schoolId,
      pupilId,
      status: 'closed',
      startDate: c.start,
      reviewDate: c.review,
      agreedOn: c.start,
      closedAt: new Date(`${c.review}T15:00:00Z`),
      closedByName: 'Sam Senco',
      needAreas: ['cognition_and_learning', 'communication_and_interaction'],
      strengths: 'Kind, creative, loves drawing',
      areasOfConcern: 'Decoding and spelling; following spoken instructions',
      desiredOutcomes: 'To read a short book on her own',
      qualityFirst: 'Word mats and visual timetable',
      interventions: 'Daily reading with an adult',
      parentsViews: i === 0 ? 'We read together at home every night; she gets upset when stuck.' : null,
      pupilViews: i === 0 ? 'I like stories but words jump about.' : null,
      targets: [`Read ${20 + i * 10} high-frequency words`, 'Blend three-letter words'],
    });
    await setTargetOutcomes(db, schoolId, [
      {
        targetId: plan.targetIds[0]!,
        outcome: 'partly_achieved',
        evidence: 'Reads most of them on a good day',
      },
      {
        targetId: plan.targetIds[1]!,
        outcome: 'not_achieved',
        evidence: 'Still guesses from the first letter',
      },
    ]);
    const reviewId = uuid();
    await insertReviews(db, [
      {
        schoolId,
        id: reviewId,
        planId: plan.id,
        pupilId,
        heldOn: c.review,
        attendees: 'Sam Senco, Lucia Martinez, class teacher',
        pupilViews: `Review ${i + 1}: reading is hard but I like the group.`,
        parentsViews: `Review ${i + 1}: we are worried she is falling further behind.`,
        progress: c.progress,
        decision: c.decision,
        decisionNotes: i === 2 ? 'Little progress after three cycles; request an EHC needs assessment' : null,
        reviewedByName: 'Sam Senco',
      },
    ]);
    planIds.push(plan.id);
    reviewIds.push(reviewId);
  }
  const current = await buildPlan(db, {
    schoolId,
    pupilId,
    status: 'active',
    startDate: '2026-09-07',
    reviewDate: '2026-12-04',
    needAreas: ['cognition_and_learning'],
    areasOfConcern: 'Reading age of 6y 2m at 9; spelling; working memory',
    targets: ['Read 40 high-frequency words'],
  });
  planIds.push(current.id);

  // A reading intervention that ran and ended, measured on entry and exit; a language group running now.
  const reading = await buildIntervention(db, {
    schoolId,
    name: 'Reading catch-up',
    area: 'cognition_and_learning',
    measureKind: 'age_months',
  });
  const readingGroup = await buildProvisionGroup(db, {
    schoolId,
    interventionId: reading.id,
    pupilIds: [pupilId],
    name: 'Reading catch-up, one to one',
    deliverer: { name: 'Tia Assistant' },
    delivererKind: 'teaching_assistant',
    startDate: '2025-01-13',
    endDate: '2025-07-18',
    sessionsPerWeek: 3,
    minutesPerSession: 20,
    sessions: weekly('2025-01-13', 20),
  });
  await setMeasures(db, schoolId, readingGroup.memberIds[0]!, 1, {
    entryMeasure: 74,
    entryMeasuredOn: '2025-01-13',
    exitMeasure: 79,
    exitMeasuredOn: '2025-07-14',
  });
  const language = await buildIntervention(db, {
    schoolId,
    name: 'Language for learning',
    area: 'communication_and_interaction',
    measureKind: 'standardised_score',
  });
  const languageGroup = await buildProvisionGroup(db, {
    schoolId,
    interventionId: language.id,
    pupilIds: [pupilId],
    name: 'Language group',
    deliverer: { name: 'Northshire Speech and Language Therapy' },
    delivererKind: 'specialist',
    startDate: '2025-09-08',
    sessionsPerWeek: 2,
    minutesPerSession: 30,
    sessions: weekly('2025-09-08', 30),
  });
  await setMeasures(db, schoolId, languageGroup.memberIds[0]!, 1, {
    entryMeasure: 78,
    entryMeasuredOn: '2025-09-08',
    exitMeasure: null,
    exitMeasuredOn: null,
  });

  // An educational psychologist's involvement, with a report whose advice went into the plan.
  const ep = await buildAgency(db, schoolId, {
    name: 'Northshire Educational Psychology Service',
    serviceKind: 'educational_psychology',
  });
  const referral = await buildReferral(db, pupil, {
    agency: ep,
    serviceKind: 'educational_psychology',
    question: 'What lies behind Rosa’s slow progress in reading, and what would help?',
    status: 'report_received',
    sentOn: '2025-07-21',
    forEhcAssessment: false,
  });
  await buildConsent(
    db,
    { schoolId, id: referral.id, pupilId },
    { givenByName: 'Lucia Martinez', givenOn: '2025-07-18' },
  );
  const { report, recommendations } = await buildReport(
    db,
    { schoolId, id: referral.id, pupilId, agencyName: ep.name },
    {
      writtenOn: '2026-05-12',
      authorRole: 'Educational psychologist',
      recommendations: [
        { area: 'cognition_and_learning', kind: 'target', text: 'Read 40 high-frequency words by sight' },
        { area: 'cognition_and_learning', kind: 'strategy', text: 'Overlearning with short daily practice' },
        {
          area: 'cognition_and_learning',
          kind: 'further_assessment',
          text: 'Assess working memory in a year',
        },
      ],
    },
  );
  await insertRecommendationUses(db, [
    {
      schoolId,
      id: uuid(),
      recommendationId: recommendations[0]!.id,
      pupilId,
      usedAs: 'target',
      planId: current.id,
      planTargetId: current.targetIds[0]!,
      usedByName: 'Sam Senco',
    },
  ]);
  await saveProfile(db, schoolId, pupilId, 0, {
    likeAndAdmire: 'Rosa is kind and funny, and a wonderful artist',
    importantToMe: 'My cat Luna, drawing, my big sister',
    howToSupportMe: 'Give me time to answer; show me as well as tell me',
    updatedBy: null as unknown as string, // no member of staff: written by the builder
    updatedByName: 'Sam Senco',
  });
  return {
    schoolId,
    pupilId,
    parentId: parent.id,
    planIds,
    reviewIds,
    memberIds: { reading: readingGroup.memberIds[0]!, language: languageGroup.memberIds[0]! },
    groupIds: { reading: readingGroup.id, language: languageGroup.id },
    referralId: referral.id,
    reportId: report.id,
    recommendationIds: recommendations.map((r) => r.id),
  };
}

/**
 * The parts of a request the pack is made with, for tests (and the bench) that need no stored request:
 * a school's request with no contact, nothing left out, no consent, unless given.
 */
export function packRequest(overrides: Partial<PackRequest> = {}): PackRequest {
  return {
    id: uuid(),
    requestedBy: 'school',
    parentRequestNote: null,
    coveringStatement: null,
    leftOut: [],
    adviceSufficient: [],
    contactName: null,
    contactRole: null,
    contactEmail: null,
    contactPhone: null,
    consentParentId: null,
    consentOn: null,
    consentHow: null,
    consentNote: null,
    createdByName: 'Sam Senco',
    ...overrides,
  } satisfies Partial<typeof ehcRequest.$inferSelect>;
}
