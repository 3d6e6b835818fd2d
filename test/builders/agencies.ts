import type { Executor } from '../../src/db/client.ts';
import type { RecommendationKind } from '../../src/domain/agencies.ts';
import type { AreaOfNeed } from '../../src/domain/census.ts';
import {
  type AgencyInsert,
  insertAgencies,
  insertAgencyReports,
  insertRecommendations,
  insertReferralConsents,
  insertReferralEvents,
  insertReferrals,
  type ReferralConsentInsert,
  type ReferralInsert,
} from '../../src/repositories/agencies.ts';
import { uuid } from './common.ts';

/**
 * A service in a directory: the school's own list by default, or an organisation's list for its
 * schools (ownerKind 'organisation').
 */
export async function buildAgency(db: Executor, ownerId: string, options: Partial<AgencyInsert> = {}) {
  const row = {
    id: uuid(),
    ownerKind: 'school' as const,
    name: 'Northshire Speech and Language Therapy',
    serviceKind: 'speech_and_language_therapy' as const,
    email: 'salt@northshire.example',
    howToRefer: 'The referral form, by secure email',
    needsFromSchool: 'The support plan and a note of what has been tried',
    typicalWaitWeeks: 12,
    updatedByName: 'Test builder',
    ...options,
    ownerId,
  } satisfies AgencyInsert;
  await insertAgencies(db, [row]);
  return row;
}

/**
 * A referral of a pupil to a service, drafted, resting on consent, with no consent recorded yet
 * (traits: its status and dates, what it shares). Builds the service in the school's list unless given one.
 */
export async function buildReferral(
  db: Executor,
  pupil: { schoolId: string; id: string },
  options: Partial<ReferralInsert> & { agency?: { ownerId: string; id: string; name: string } } = {},
) {
  const { agency: given, ...rest } = options;
  const service = given ?? (await buildAgency(db, pupil.schoolId));
  const row = {
    id: uuid(),
    agencyOwnerId: service.ownerId,
    agencyId: service.id,
    agencyName: service.name,
    serviceKind: 'speech_and_language_therapy' as const,
    question: 'Why does Kit find it hard to follow spoken instructions in class?',
    tried: 'Visual timetable; instructions chunked; Talk Boost group for 10 weeks',
    shareSections: ['register', 'plans'] as ReferralInsert['shareSections'],
    lawfulBasis: 'consent' as const,
    status: 'drafted' as const,
    createdByName: 'Test builder',
    ...rest,
    schoolId: pupil.schoolId,
    pupilId: pupil.id,
  } satisfies ReferralInsert;
  await insertReferrals(db, [row]);
  await insertReferralEvents(db, [
    {
      schoolId: pupil.schoolId,
      id: uuid(),
      referralId: row.id,
      pupilId: pupil.id,
      status: 'drafted',
      happenedOn: '2026-10-05',
      byName: row.createdByName,
    },
  ]);
  return row;
}

/** Consent to a referral and sharing, given by a parent in person (traits: dates, what it covers, withdrawal). */
export async function buildConsent(
  db: Executor,
  referral: { schoolId: string; id: string; pupilId: string },
  options: Partial<ReferralConsentInsert> = {},
) {
  const row = {
    id: uuid(),
    givenBy: 'parent' as const,
    givenByName: 'Sarah Ahmed',
    how: 'in_person' as const,
    givenOn: '2026-10-05',
    coversReferral: true,
    coversSharing: true,
    recordedByName: 'Test builder',
    ...options,
    schoolId: referral.schoolId,
    referralId: referral.id,
    pupilId: referral.pupilId,
  } satisfies ReferralConsentInsert;
  await insertReferralConsents(db, [row]);
  return row;
}

/** A report back on a referral with its recommendations (by default three, one of each of the first kinds). */
export async function buildReport(
  db: Executor,
  referral: { schoolId: string; id: string; pupilId: string; agencyName: string },
  options: {
    writtenOn?: string;
    authorRole?: string | null;
    recommendations?: { area?: AreaOfNeed | null; kind: RecommendationKind; text: string }[];
  } = {},
) {
  const report = {
    schoolId: referral.schoolId,
    id: uuid(),
    referralId: referral.id,
    pupilId: referral.pupilId,
    agencyName: referral.agencyName,
    authorName: 'Jo Carter',
    authorRole: options.authorRole === undefined ? 'Speech and language therapist' : options.authorRole,
    title: 'Speech and language assessment',
    writtenOn: options.writtenOn ?? '2026-11-20',
    submittedBy: 'school' as const,
    uploadedByName: 'Test builder',
  };
  await insertAgencyReports(db, [report]);
  const items = options.recommendations ?? [
    {
      area: 'communication_and_interaction' as const,
      kind: 'strategy' as const,
      text: 'Give one instruction at a time, with a picture',
    },
    {
      area: 'communication_and_interaction' as const,
      kind: 'target' as const,
      text: 'Follow a two-step instruction in class 4 times out of 5',
    },
    {
      area: 'communication_and_interaction' as const,
      kind: 'provision' as const,
      text: 'Language group, three times a week for 20 minutes',
    },
  ];
  const recommendations = items.map((r, i) => ({
    schoolId: referral.schoolId,
    id: uuid(),
    reportId: report.id,
    pupilId: referral.pupilId,
    position: i + 1,
    area: r.area ?? null,
    kind: r.kind,
    text: r.text,
    createdByName: 'Test builder',
  }));
  await insertRecommendations(db, recommendations);
  return { report, recommendations };
}
