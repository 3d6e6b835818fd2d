import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctfBytes } from '../../test/builders/ctf.ts';
import {
  buildAgency,
  buildConcern,
  buildConsent,
  buildFinalPlan,
  buildLetter,
  buildOfficer,
  buildParent,
  buildParentAccount,
  buildPlan,
  buildProvisionGroup,
  buildPupil,
  buildReceivedCase,
  buildReferral,
  buildReport,
  buildReviewDecision,
  buildSentAnnualReview,
  buildWorld,
  misCsv,
  misRowFor,
  sendTopUp,
  TODAY,
  type World,
} from '../../test/builders/index.ts';
import { Client, testApp } from '../../test/client.ts';
import { freshDatabase } from '../../test/db.ts';
import { reportPdf } from '../../test/report-files.ts';
import type { Database } from '../db/client.ts';
import { subjectAccessZip } from '../documents/subject-access.ts';
import {
  atLeast,
  type Capability,
  hasCapability,
  kindOfRoles,
  type Level,
  personalReachesFor,
  type Reach,
  type Role,
  reachesFor,
  type Section,
  sectionAccess,
} from '../domain/access.ts';
import type { Services } from '../services/index.ts';
import { dashboardLists } from '../services/work-lists/index.ts';

/*
 * The authorisation matrix, generated from the grant table in domain/access.ts: every route, as every
 * role, as a person with two roles, and signed out. Each route says what it needs (a capability, a
 * section of the record at a level, for which pupil); the status each person should get is worked out
 * from their roles' grants and which of their reaches include that pupil. A new role, section or grant
 * changes the expectations here without editing this file; a new route must be added (a test fails
 * until it is).
 */

type Who =
  | 'out'
  | 'senco'
  | 'head'
  | 'teacher'
  | 'ta'
  | 'office'
  | 'governor'
  | 'assessmentLead'
  | 'officer'
  | 'teacherTa'
  | 'parent'
  | 'professional';
const EVERYONE: Who[] = [
  'out',
  'senco',
  'head',
  'teacher',
  'ta',
  'office',
  'governor',
  'assessmentLead',
  'officer',
  'teacherTa',
  'parent',
  'professional',
];

const ROLES: Record<Exclude<Who, 'out'>, Role[]> = {
  senco: ['senco'],
  head: ['head_teacher'],
  teacher: ['class_teacher'],
  ta: ['teaching_assistant'],
  office: ['office'],
  governor: ['sen_governor'],
  assessmentLead: ['assessment_lead'],
  officer: ['caseworker', 'manager'],
  teacherTa: ['class_teacher', 'teaching_assistant'],
  parent: ['parent'],
  professional: ['agency_professional'],
};

type PupilKey = 'A' | 'K' | 'E' | 'other';

/** The world's facts: who teaches which class, who is assigned which pupil (see test/builders/world.ts). */
/** A subject access request about Kit whose export has been produced (so it can be downloaded). */
async function producedSubjectAccess(services: Services, w: World): Promise<string> {
  const id = await services.subjectAccess.record(w.senco.actor, w.pupilK.id, {
    requester: 'parent',
    requesterName: 'Kasia Kowalski',
    receivedOn: TODAY,
    notes: null,
  });
  const data = await services.subjectAccess.gather(w.senco.actor, id);
  await services.subjectAccess.saveExport(w.senco.actor, id, data.version, await subjectAccessZip(data));
  return id;
}

/** A leaver long gone, past the retention date, listed by the nightly review. */
async function listedForRetention(services: Services, database: Database, w: World): Promise<string> {
  const gone = await buildPupil(database.db, {
    schoolId: w.school.id,
    surname: 'Longgone',
    dateOfBirth: '2000-03-03',
    leftOn: '2012-07-20',
  });
  await services.retention.review();
  const list = await services.retention.list(w.senco.actor);
  return list.waiting.find((r) => r.pupilId === gone.id)!.id;
}

/** A service of the school's list and one of its local authority's, each with a professional. */
async function directoryIds(services: Services, w: World) {
  const service = {
    name: 'Speech and language',
    serviceKind: 'speech_and_language_therapy' as const,
    contactName: null,
    email: null,
    phone: null,
    website: null,
    address: null,
    howToRefer: null,
    needsFromSchool: null,
    typicalWaitWeeks: null,
  };
  const pro = { name: 'Sam Therapist', jobTitle: null, email: null };
  const agency = await services.agencies.addAgency(w.senco.actor, service);
  const orgAgency = await services.organisationAgencies.addAgency(w.officer.actor, service);
  return {
    agency,
    agencyProfessional: await services.agencies.addProfessional(w.senco.actor, agency, pro),
    orgAgency,
    orgProfessional: await services.organisationAgencies.addProfessional(w.officer.actor, orgAgency, pro),
  };
}

/** Kit's referral with the world's psychologist invited and a report sent back; another whose sharing ends. */
async function referralsForTheMatrix(services: Services, database: Database, w: World) {
  const made = await buildReferral(database.db, w.pupilK, { status: 'sent', sentOn: '2026-10-10' });
  await buildConsent(database.db, made);
  const invite = (referralId: string) =>
    services.professionals.invite(w.senco.actor, referralId, {
      agencyProfessionalId: null,
      name: 'Priya Psychologist',
      email: w.professional.email,
      sharedUntil: '2027-02-12',
      version: 1,
    });
  await invite(made.id);
  const { reportId } = await services.professionals.sendReport(w.professional.actor, made.id, {
    title: 'Assessment of Kit’s speech and language',
    writtenOn: TODAY,
    summary: null,
    file: { name: 'report.pdf', bytes: await reportPdf() },
    recommendations: [{ area: 'communication_and_interaction', kind: 'strategy', text: 'Visual prompts' }],
  });
  const ending = await buildReferral(database.db, w.pupilK, { status: 'accepted' });
  await buildConsent(database.db, ending);
  await invite(ending.id);
  return { referralK: made.id, reportK: reportId, referralEnd: ending.id };
}

/**
 * Kit's and another school's pupil's costly one-to-one support (over the threshold); Kit's first
 * application sent into the local authority's caseload, his second being written; the other school's too.
 */
async function topUpsForTheMatrix(services: Services, database: Database, w: World) {
  const ready = {
    amountPence: 450_000,
    periodFrom: '2026-12-01',
    periodTo: '2027-08-31',
    rationale: 'The support is working',
  };
  const draftFor = async (actor: typeof w.senco.actor, pupil: { schoolId: string; id: string }) => {
    await buildProvisionGroup(database.db, {
      schoolId: pupil.schoolId,
      pupilIds: [pupil.id],
      name: 'One-to-one speech and language',
      delivererKind: 'external',
      sessionsPerWeek: 5,
      minutesPerSession: 120,
      startDate: '2026-09-07',
    });
    const { topUpId } = await services.topUp.start(actor, pupil.id, { pupilActionId: null });
    await services.topUp.save(actor, topUpId, 1, ready);
    return topUpId;
  };
  const first = await draftFor(w.senco.actor, w.pupilK);
  await sendTopUp(services, w.senco.actor, first, 2);
  const sent = await services.topUp.view(w.senco.actor, first);
  const { topUpId: topUpK } = await services.topUp.start(w.senco.actor, w.pupilK.id, { pupilActionId: null });
  return {
    topUpK,
    topUpOther: await draftFor(w.otherSenco.actor, w.otherPupil),
    topUpCase: sent.application.caseId!,
  };
}

function reachesOf(who: Exclude<Who, 'out'>, pupil: PupilKey): Set<Reach> {
  if (pupil === 'other' || who === 'officer') return new Set();
  const reaches = new Set<Reach>(['school']);
  const classOf = { A: 'A', K: 'A', E: 'B' }[pupil];
  if (who === 'teacher' && classOf === 'A') reaches.add('classes_taught');
  if (who === 'teacherTa' && classOf === 'B') reaches.add('classes_taught');
  if (who === 'ta' && pupil === 'E') reaches.add('pupils_assigned');
  if (who === 'teacherTa' && pupil === 'A') reaches.add('pupils_assigned');
  return reaches;
}

type Need =
  | { kind: 'public'; status: number; signedIn?: number }
  | { kind: 'signed-in'; ok: number }
  /** An officer's page; with a capability, only officers whose roles give it (else 403). */
  | { kind: 'organisation'; ok: number; capability?: Capability }
  /**
   * A page whose answer the policy of its record decides beyond the grant table (a referral's manager,
   * a report's readers, the professional of a referral): the status for each person, signed in.
   */
  | { kind: 'custom'; status: (who: Exclude<Who, 'out'>) => number }
  /** A page for one kind of person acting for themselves: a parent's children, a professional's shares. */
  | { kind: 'person'; as: 'parent' | 'professional'; ok: number }
  | {
      kind: 'school';
      capability?: Capability;
      section?: Section;
      level?: Level;
      /** For a page about one pupil: which one. */
      pupil?: PupilKey;
      /** A concern raised by the class teacher about Kit, seen also by its raiser. */
      concern?: boolean;
      /** A page of work lists: open to whoever reaches the whole school in any of these sections. */
      wholeSchoolIn?: Section[];
      /** A page about a person's own pupils: open to whoever reaches pupils of their own in any of these. */
      ownPupilsIn?: Section[];
      /** A provision group of Eli's delivered by the teaching assistant: seen by managers and its deliverer. */
      group?: boolean;
      /** The id in the path is another school's record: whoever may use the page gets "not found". */
      foreign?: boolean;
      /** A page for every member of staff (the directory of outside agencies): 403 for anyone else. */
      staff?: boolean;
      /** The status an allowed person gets (200 page, 400 empty form shown again, 303 done). */
      ok: number;
    };

interface Case {
  method: 'GET' | 'POST';
  route: string;
  path: (ids: Ids) => string;
  need: Need;
}

interface Ids {
  /** The complaints log: a formal complaint naming Kit, one about the head teacher, another school's. */
  complaintK: string;
  complaintAboutHead: string;
  complaintOther: string;
  /** Staff training: a record, a training plan item and a SENCO appointment, each also another school's. */
  trainingRecord: string;
  trainingRecordOther: string;
  planItem: string;
  planItemOther: string;
  appointment: string;
  appointmentOther: string;
  /** The other school's SENCo (a member of staff of another school). */
  otherSenco: string;
  A: string;
  K: string;
  E: string;
  other: string;
  parent: string;
  concern: string;
  teacherB: string;
  letter: string;
  template: string;
  intervention: string;
  group: string;
  member: string;
  /** Support plans: Kit's plan in place and his next one in draft, Eli's in place, another school's. */
  planK: string;
  planKDraft: string;
  planE: string;
  planOther: string;
  /** An upload of pupils whose columns are still to be chosen. */
  import: string;
  ctfImport: string;
  ctfExport: string;
  /** A subject access request about Kit, its export produced. */
  subjectAccess: string;
  /** A leaver past the retention date, listed by the nightly review. */
  retentionReview: string;
  /** A recommendation of a report on Kit, on Eli, and on another school's pupil. */
  recommendationK: string;
  recommendationE: string;
  recommendationOther: string;
  classA: string;
  otherClass: string;
  /** An assessment subject of the school (reading, by default). */
  subject: string;
  /** Year 4 Oak's progress meeting (Kit's decision: a concern to raise), and another school's. */
  meetingA: string;
  meetingOther: string;
  /** A service of the school's own list with a professional, and one of the local authority's list. */
  agency: string;
  agencyProfessional: string;
  orgAgency: string;
  orgProfessional: string;
  /** A referral of Kit to a service of the school's list, drafted, with his mother's consent and its signed form. */
  referralDraft: string;
  consentK: string;

  /** Kit's referral, sent, its professional invited (the world's psychologist), a report sent back with a file. */
  referralK: string;
  reportK: string;
  /** Another referral of Kit's whose sharing the SENCo ends. */
  referralEnd: string;
  /**
   * The world's authority's case about Kit (received from the school, advice asked, an open-ended
   * exception), another authority's case, and another school's closure.
   */
  caseK: string;
  caseOther: string;
  adviceK: string;
  exceptionK: string;
  closureOther: string;
  planWriting: string;
  planSent: string;
  planFinal: string;
  ehcPlanOther: string;
  /** Kit's application for top-up funding being written (an earlier one sent, its case at the LA), another school's. */
  topUpK: string;
  topUpOther: string;
  /** A draft SEN information report of the school's, and one of another school's. */
  schoolReport: string;
  schoolReportOther: string;
  topUpCase: string;
  /** Kit's request for an EHC needs assessment, being written; and one of another school's pupil. */
  ehcRequestK: string;
  ehcRequestOther: string;
  /** The family's door: Kit's referral waiting for consent with his mother's consent withdrawn, and her change of contact details. */
  familyReferral: string;
  familyConsentWithdrawn: string;
  contactChangeK: string;
  /** Kit's plan from another local authority as the school recorded it, and one of another school's pupil. */
  ehcSummaryK: string;
  ehcSummaryOther: string;
  /** The world's authority's record of Kit's annual review (waiting for its decision), and another authority's. */
  reviewDecisionK: string;
  reviewDecisionOther: string;
  /** Kit's annual review being arranged, an earlier one sent to the authority, and another school's. */
  annualReviewK: string;
  annualReviewKSent: string;
  annualReviewOther: string;
  /**
   * Kit's mother's second child (an EHC plan issued, an earlier support plan closed, a letter sent), for
   * what a parent reads; each of that child's records asked for through Kit is not found.
   */
  familyChild: string;
  familyPlan: string;
  familyLetter: string;
  familyEhcPlan: string;
}

/** Who may do what with Kit's referral and its report (policies/agencies.ts): the matrix's expectations. */
const managesReferral = (who: Exclude<Who, 'out'>) => (who === 'senco' || who === 'head' ? 0 : 403);
const readsReportK = (who: Exclude<Who, 'out'>) =>
  ({ senco: 0, head: 0, teacher: 0, professional: 0, teacherTa: 404 })[who as string] ?? 403;
const ok = (status: number, rule: (who: Exclude<Who, 'out'>) => number) => (who: Exclude<Who, 'out'>) =>
  rule(who) || status;
const onlyProfessional = (who: Exclude<Who, 'out'>) => (who === 'professional' ? 0 : 403);

const referralCases = (): Case[] => {
  const k = (ok: number, level?: 'read' | 'contribute' | 'write') =>
    ({ kind: 'school', section: 'agencies', ...(level ? { level } : {}), pupil: 'K', ok }) as Need;
  return [
    {
      method: 'GET',
      route: '/referrals',
      path: () => '/referrals',
      need: { kind: 'school', section: 'agencies', ok: 200 },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/referrals/new',
      path: (i) => `/pupils/${i.K}/referrals/new`,
      need: k(200, 'write'),
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/referrals/new',
      path: (i) => `/pupils/${i.K}/referrals/new`,
      need: k(400, 'write'),
    },
    {
      method: 'GET',
      route: '/referrals/:referralId',
      path: (i) => `/referrals/${i.referralDraft}`,
      need: k(200),
    },
    {
      method: 'GET',
      route: '/referrals/:referralId/edit',
      path: (i) => `/referrals/${i.referralDraft}/edit`,
      need: k(200, 'write'),
    },
    {
      method: 'POST',
      route: '/referrals/:referralId/edit',
      path: (i) => `/referrals/${i.referralDraft}/edit`,
      need: k(400, 'write'),
    },
    {
      method: 'GET',
      route: '/referrals/:referralId/step',
      path: (i) => `/referrals/${i.referralDraft}/step`,
      need: k(200, 'write'),
    },
    {
      method: 'POST',
      route: '/referrals/:referralId/step',
      path: (i) => `/referrals/${i.referralDraft}/step`,
      need: k(400, 'write'),
    },
    {
      method: 'GET',
      route: '/referrals/:referralId/consents/new',
      path: (i) => `/referrals/${i.referralDraft}/consents/new`,
      need: k(200, 'contribute'),
    },
    {
      method: 'POST',
      route: '/referrals/:referralId/consents/new',
      path: (i) => `/referrals/${i.referralDraft}/consents/new`,
      need: k(400, 'contribute'),
    },
    {
      method: 'GET',
      route: '/referrals/:referralId/consents/:consentId/withdraw',
      path: (i) => `/referrals/${i.referralDraft}/consents/${i.consentK}/withdraw`,
      need: k(200, 'contribute'),
    },
    {
      method: 'POST',
      route: '/referrals/:referralId/consents/:consentId/withdraw',
      path: (i) => `/referrals/${i.referralDraft}/consents/${i.consentK}/withdraw`,
      need: k(400, 'contribute'),
    },
    {
      method: 'GET',
      route: '/referrals/:referralId/consents/:consentId/form',
      path: (i) => `/referrals/${i.referralDraft}/consents/${i.consentK}/form`,
      need: k(200),
    },
  ];
};

/** Kit's request for an EHC needs assessment, being written (policies/ehc.ts): the matrix's expectations. */
const ehcRequestCases = (): Case[] => {
  const k = (ok: number, level?: 'read' | 'write') =>
    ({ kind: 'school', section: 'ehc', ...(level ? { level } : {}), pupil: 'K', ok }) as Need;
  const at = (tail: string) => (i: Ids) => `/ehc-requests/${i.ehcRequestK}${tail}`;
  return [
    {
      method: 'GET',
      route: '/ehc-requests',
      path: () => '/ehc-requests',
      need: { kind: 'school', section: 'ehc', ok: 200 },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/ehc-requests/new',
      path: (i) => `/pupils/${i.K}/ehc-requests/new`,
      need: k(200, 'write'),
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/ehc-requests/new',
      path: (i) => `/pupils/${i.K}/ehc-requests/new`,
      need: k(400, 'write'),
    },
    // A class teacher of Kit sees that the request exists and where it stands (not the pack): the
    // page, and the page again when a save without its fields is refused (the save itself is refused).
    { method: 'GET', route: '/ehc-requests/:ehcRequestId', path: at(''), need: k(200) },
    { method: 'POST', route: '/ehc-requests/:ehcRequestId', path: at(''), need: k(400) },
    {
      method: 'GET',
      route: '/ehc-requests/:ehcRequestId/consent',
      path: at('/consent'),
      need: k(200, 'write'),
    },
    {
      method: 'POST',
      route: '/ehc-requests/:ehcRequestId/consent',
      path: at('/consent'),
      need: k(400, 'write'),
    },
    { method: 'GET', route: '/ehc-requests/:ehcRequestId/send', path: at('/send'), need: k(200, 'write') },
    { method: 'POST', route: '/ehc-requests/:ehcRequestId/send', path: at('/send'), need: k(400, 'write') },
    {
      method: 'GET',
      route: '/ehc-requests/:ehcRequestId/withdraw',
      path: at('/withdraw'),
      need: k(200, 'write'),
    },
    {
      method: 'POST',
      route: '/ehc-requests/:ehcRequestId/withdraw',
      path: at('/withdraw'),
      need: k(400, 'write'),
    },
    {
      method: 'GET',
      route: '/ehc-requests/:ehcRequestId/pack.pdf',
      path: at('/pack.pdf'),
      need: k(200, 'write'),
    },
    {
      method: 'GET',
      route: '/ehc-requests/:ehcRequestId/pack.json',
      path: at('/pack.json'),
      need: k(200, 'write'),
    },
    // Another school's request: "not found" for whoever may use the page.
    {
      method: 'GET',
      route: '/ehc-requests/:ehcRequestId',
      path: (i) => `/ehc-requests/${i.ehcRequestOther}`,
      need: { kind: 'school', section: 'ehc', foreign: true, ok: 200 },
    },
  ];
};

/**
 * The school's side of an EHC plan (policies/ehc.ts `pupilEhcPlanActions`): Eli's final plan is read by
 * the SENCo, the head and the teacher of his class (the matrix's teacher-and-assistant), not by his
 * assistant or another class's teacher ("not found": they reach the EHC section, not this plan); Kit's
 * plan from another authority likewise by his class's teacher. The office, governors and everyone not
 * on the staff are refused.
 */
const ehcPlanSchoolCases = (): Case[] => {
  const readsPlanOf =
    (pupil: 'E' | 'K', status: number) =>
    (who: Exclude<Who, 'out'>): number => {
      if (who === 'senco' || who === 'head') return status;
      if (who === 'teacher') return pupil === 'K' ? status : 404;
      if (who === 'teacherTa') return pupil === 'E' ? status : 404;
      if (who === 'ta') return 404;
      return 403;
    };
  // Eli's assistant contributes to his plan and may not write its targets.
  const writesPlanOfE = (status: number) => (who: Exclude<Who, 'out'>) =>
    who === 'ta' ? 403 : readsPlanOf('E', status)(who);
  const foreign = (who: Exclude<Who, 'out'>) =>
    ['senco', 'head', 'teacher', 'ta', 'teacherTa'].includes(who) ? 404 : 403;
  const custom = (status: (who: Exclude<Who, 'out'>) => number): Need => ({ kind: 'custom', status });
  const writesK = (ok: number): Need => ({ kind: 'school', section: 'ehc', level: 'write', pupil: 'K', ok });
  return [
    {
      method: 'GET',
      route: '/pupils/:pupilId/ehc-plan',
      path: (i) => `/pupils/${i.E}/ehc-plan`,
      need: custom(readsPlanOf('E', 200)),
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/ehc-plan.pdf',
      path: (i) => `/pupils/${i.E}/ehc-plan.pdf`,
      need: custom(readsPlanOf('E', 200)),
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/ehc-plan',
      path: (i) => `/pupils/${i.other}/ehc-plan`,
      need: custom(foreign),
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/ehc-plan/summary/new',
      path: (i) => `/pupils/${i.K}/ehc-plan/summary/new`,
      need: writesK(200),
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/ehc-plan/summary/new',
      path: (i) => `/pupils/${i.K}/ehc-plan/summary/new`,
      need: writesK(400),
    },
    {
      method: 'GET',
      route: '/ehc-plan-summaries/:summaryId',
      path: (i) => `/ehc-plan-summaries/${i.ehcSummaryK}`,
      need: custom(readsPlanOf('K', 200)),
    },
    // Ending it without the form's version: the page again, for whoever reads it (the end itself is the SENCo's).
    {
      method: 'POST',
      route: '/ehc-plan-summaries/:summaryId',
      path: (i) => `/ehc-plan-summaries/${i.ehcSummaryK}`,
      need: custom(readsPlanOf('K', 400)),
    },
    {
      method: 'GET',
      route: '/ehc-plan-summaries/:summaryId/plan.pdf',
      path: (i) => `/ehc-plan-summaries/${i.ehcSummaryK}/plan.pdf`,
      need: custom(readsPlanOf('K', 200)),
    },
    {
      method: 'GET',
      route: '/ehc-plan-summaries/:summaryId',
      path: (i) => `/ehc-plan-summaries/${i.ehcSummaryOther}`,
      need: custom(foreign),
    },
    {
      method: 'GET',
      route: '/ehc-plan-summaries/:summaryId/plan.pdf',
      path: (i) => `/ehc-plan-summaries/${i.ehcSummaryOther}/plan.pdf`,
      need: custom(foreign),
    },
    // Where Eli's targets are written: whoever writes his plan and reads his EHC plan.
    {
      method: 'GET',
      route: '/plans/:planId/ehc-outcomes',
      path: (i) => `/plans/${i.planE}/ehc-outcomes`,
      need: custom(writesPlanOfE(200)),
    },
    {
      method: 'POST',
      route: '/plans/:planId/ehc-outcomes',
      path: (i) => `/plans/${i.planE}/ehc-outcomes`,
      need: custom(writesPlanOfE(400)),
    },
    {
      method: 'GET',
      route: '/provision/ehc-plans',
      path: () => '/provision/ehc-plans',
      need: { kind: 'school', section: 'ehc', level: 'write', ok: 200 },
    },
    {
      method: 'POST',
      route: '/provision/ehc-plans',
      path: () => '/provision/ehc-plans',
      need: { kind: 'school', section: 'ehc', level: 'write', ok: 400 },
    },
  ];
};

/** Kit's annual reviews (policies/annual-review.ts): the matrix's expectations. */
const annualReviewCases = (): Case[] => {
  const k = (ok: number, level?: 'read' | 'write') =>
    ({ kind: 'school', section: 'ehc', ...(level ? { level } : {}), pupil: 'K', ok }) as Need;
  const at = (tail: string) => (i: Ids) => `/annual-reviews/${i.annualReviewK}${tail}`;
  const sent = (tail: string) => (i: Ids) => `/annual-reviews/${i.annualReviewKSent}${tail}`;
  return [
    {
      method: 'GET',
      route: '/annual-reviews',
      path: () => '/annual-reviews',
      need: { kind: 'school', section: 'ehc', level: 'write', ok: 200 },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/annual-reviews/new',
      path: (i) => `/pupils/${i.K}/annual-reviews/new`,
      need: k(200, 'write'),
    },
    // Kit's review is already being arranged: a second is refused with the form shown again.
    {
      method: 'POST',
      route: '/pupils/:pupilId/annual-reviews/new',
      path: (i) => `/pupils/${i.K}/annual-reviews/new`,
      need: k(400, 'write'),
    },
    // A class teacher of Kit sees that the review exists and when (not its record).
    { method: 'GET', route: '/annual-reviews/:annualReviewId', path: at(''), need: k(200) },
    { method: 'POST', route: '/annual-reviews/:annualReviewId', path: at(''), need: k(400) },
    {
      method: 'GET',
      route: '/annual-reviews/:annualReviewId/meeting',
      path: at('/meeting'),
      need: k(200, 'write'),
    },
    {
      method: 'POST',
      route: '/annual-reviews/:annualReviewId/meeting',
      path: at('/meeting'),
      need: k(400, 'write'),
    },
    {
      method: 'GET',
      route: '/annual-reviews/:annualReviewId/send',
      path: at('/send'),
      need: k(200, 'write'),
    },
    {
      method: 'POST',
      route: '/annual-reviews/:annualReviewId/send',
      path: at('/send'),
      need: k(400, 'write'),
    },
    {
      method: 'GET',
      route: '/annual-reviews/:annualReviewId/cancel',
      path: at('/cancel'),
      need: k(200, 'write'),
    },
    {
      method: 'POST',
      route: '/annual-reviews/:annualReviewId/cancel',
      path: at('/cancel'),
      need: k(400, 'write'),
    },
    {
      method: 'GET',
      route: '/annual-reviews/:annualReviewId/report.pdf',
      path: sent('/report.pdf'),
      need: k(200, 'write'),
    },
    {
      method: 'GET',
      route: '/annual-reviews/:annualReviewId/report.json',
      path: sent('/report.json'),
      need: k(200, 'write'),
    },
    // Another school's review: "not found" for whoever may use the page.
    {
      method: 'GET',
      route: '/annual-reviews/:annualReviewId',
      path: (i) => `/annual-reviews/${i.annualReviewOther}`,
      need: { kind: 'school', section: 'ehc', foreign: true, ok: 200 },
    },
  ];
};

/** Kit's plan with a review sent and another being arranged; another school's pupil's plan and review. */
async function annualReviewsForTheMatrix(services: Services, database: Database, w: World) {
  const plan = await buildFinalPlan(database.db, w.pupilK, w.officer.organisationId, {
    issuedOn: '2025-12-01',
  });
  const sent = await buildSentAnnualReview(database.db, w.pupilK, w.officer.organisationId, {
    plan,
    meetingOn: '2026-11-02',
  });
  const otherPlan = await buildFinalPlan(database.db, w.otherPupil, w.officer.organisationId, {
    issuedOn: '2025-12-01',
  });
  return {
    annualReviewK: await services.annualReviews.start(w.senco.actor, w.pupilK.id),
    annualReviewKSent: sent.reviewId,
    annualReviewOther: (
      await buildSentAnnualReview(database.db, w.otherPupil, w.officer.organisationId, { plan: otherPlan })
    ).reviewId,
  };
}

/** What Kit's mother reaches online: a referral waiting for consent (her consent already withdrawn), a change of her details. */
async function familyAreasForTheMatrix(services: Services, database: Database, w: World) {
  const made = await buildReferral(database.db, w.pupilK, { status: 'awaiting_consent' });
  const consent = await buildConsent(database.db, made, {
    parentCarerId: w.parentK.id,
    givenByName: w.parentK.name,
    withdrawnOn: TODAY,
    withdrawnByName: w.parentK.name,
  });
  const contactChangeK = await services.contactChanges.ask(w.parent.actor, w.pupilK.id, {
    phone: '07700 900 321',
    email: null,
    note: null,
  });
  return { familyReferral: made.id, familyConsentWithdrawn: consent.id, contactChangeK };
}

/** A parent's own pages for Kit (the parent: ok), and the office's list of changes of contact details. */
const familyAreaCases = (): Case[] => {
  const parentOnly = (ok: number): Need => ({ kind: 'person', as: 'parent', ok });
  const decider = (ok: number): Need => ({
    kind: 'custom',
    status: (who) =>
      kindOfRoles(ROLES[who]) === 'staff' && reachesFor(ROLES[who], 'identity', 'write').includes('school')
        ? ok
        : 403,
  });
  const views = (route: string, path: (i: Ids) => string): Case[] => [
    { method: 'GET', route, path, need: parentOnly(200) },
    { method: 'POST', route, path, need: parentOnly(400) },
  ];
  return [
    {
      method: 'GET',
      route: '/children/:pupilId/views',
      path: (i) => `/children/${i.K}/views`,
      need: parentOnly(200),
    },
    ...views('/children/:pupilId/plans/:planId/views', (i) => `/children/${i.K}/plans/${i.planK}/views`),
    ...views(
      '/children/:pupilId/ehc/requests/:ehcRequestId/views',
      (i) => `/children/${i.K}/ehc/requests/${i.ehcRequestK}/views`,
    ),
    ...views(
      '/children/:pupilId/ehc/annual-reviews/:annualReviewId/views',
      (i) => `/children/${i.K}/ehc/annual-reviews/${i.annualReviewK}/views`,
    ),
    // An EHC plan of another child: not found for the parent.
    ...(['GET', 'POST'] as const).map(
      (method): Case => ({
        method,
        route: '/children/:pupilId/ehc/plans/:ehcPlanId/views',
        path: (i) => `/children/${i.K}/ehc/plans/${i.planSent}/views`,
        need: { kind: 'custom', status: (who) => (who === 'parent' ? 404 : 403) },
      }),
    ),
    {
      method: 'GET',
      route: '/children/:pupilId/consent',
      path: (i) => `/children/${i.K}/consent`,
      need: parentOnly(200),
    },
    ...views(
      '/children/:pupilId/referrals/:referralId',
      (i) => `/children/${i.K}/referrals/${i.familyReferral}`,
    ),
    ...views(
      '/children/:pupilId/consent/:consentId/withdraw',
      (i) => `/children/${i.K}/consent/${i.familyConsentWithdrawn}/withdraw`,
    ),
    ...views('/children/:pupilId/contact', (i) => `/children/${i.K}/contact`),
    { method: 'GET', route: '/contact-changes', path: () => '/contact-changes', need: decider(200) },
    {
      method: 'GET',
      route: '/contact-changes/:contactChangeId',
      path: (i) => `/contact-changes/${i.contactChangeK}`,
      need: decider(200),
    },
    {
      method: 'POST',
      route: '/contact-changes/:contactChangeId',
      path: (i) => `/contact-changes/${i.contactChangeK}`,
      need: decider(400),
    },
  ];
};

/** The complaints log and staff training (issue 18): records of this school and of another. */
async function complaintsAndTrainingForTheMatrix(services: Services, w: World) {
  const complaintOf = async (actor: typeof w.senco.actor, pupilId: string | null, about: string[]) =>
    services.complaints.create(actor, {
      kind: 'formal',
      receivedOn: '2026-11-02',
      complainantName: 'A parent',
      complainantRelationship: null,
      pupilId,
      summary: 'Sessions missed',
      aboutUserIds: about,
      handledBy: null,
    });
  const course = {
    course: 'Zones of Regulation',
    completedOn: '2026-10-05',
    hours: 2,
    area: 'social_emotional_and_mental_health' as const,
    provider: null,
    notes: null,
  };
  await services.training.record(w.senco.actor, [w.teacherB.actor.userId], course);
  await services.training.record(w.otherSenco.actor, [w.otherSenco.actor.userId], course);
  const recordOf = async (actor: typeof w.senco.actor) =>
    (await services.training.school(actor)).records[0]!.id;
  const item = {
    title: 'Attention Autism',
    area: 'communication_and_interaction' as const,
    audience: null,
    term: 'spring' as const,
    status: 'planned' as const,
    notes: null,
  };
  const appointment = (actor: typeof w.senco.actor, userId: string) =>
    services.training.recordSencoAppointment(actor, {
      userId,
      appointedOn: '2025-09-01',
      qualification: 'npq_senco',
      startedOn: null,
      achievedOn: null,
      provider: null,
      endedOn: null,
    });
  return {
    complaintK: await complaintOf(w.senco.actor, w.pupilK.id, []),
    complaintAboutHead: await complaintOf(w.senco.actor, null, [w.head.actor.userId]),
    complaintOther: await complaintOf(w.otherSenco.actor, w.otherPupil.id, []),
    trainingRecord: await recordOf(w.senco.actor),
    trainingRecordOther: await recordOf(w.otherSenco.actor),
    planItem: await services.training.addPlanItem(w.senco.actor, item),
    planItemOther: await services.training.addPlanItem(w.otherSenco.actor, item),
    appointment: await appointment(w.head.actor, w.senco.actor.userId),
    appointmentOther: await appointment(w.otherSenco.actor, w.otherSenco.actor.userId),
    otherSenco: w.otherSenco.actor.userId,
  };
}

/**
 * The complaints log (complaints.manage) and staff training (training.manage): a page and its form for
 * this school's record; another school's record is not found; a complaint about the head teacher is not
 * found for her, though she manages complaints.
 */
const complaintsAndTrainingCases = (): Case[] => {
  const school = (capability: Capability, ok: number, foreign = false): Need => ({
    kind: 'school',
    capability,
    ok,
    ...(foreign ? { foreign } : {}),
  });
  const form = (route: string, path: (i: Ids) => string, capability: Capability, foreign = false): Case[] => [
    { method: 'GET', route, path, need: school(capability, 200, foreign) },
    // An empty form: shown again with its messages.
    { method: 'POST', route, path, need: school(capability, 400, foreign) },
  ];
  const complaintPages = (key: 'complaintK' | 'complaintOther'): Case[] => {
    const foreign = key === 'complaintOther';
    const at = (tail: string) => (i: Ids) => `/complaints/${i[key]}${tail}`;
    return [
      {
        method: 'GET',
        route: '/complaints/:complaintId',
        path: at(''),
        need: school('complaints.manage', 200, foreign),
      },
      ...form('/complaints/:complaintId/edit', at('/edit'), 'complaints.manage', foreign),
      ...form('/complaints/:complaintId/respond', at('/respond'), 'complaints.manage', foreign),
      ...form('/complaints/:complaintId/escalate', at('/escalate'), 'complaints.manage', foreign),
      ...form('/complaints/:complaintId/close', at('/close'), 'complaints.manage', foreign),
    ];
  };
  const trainingPages = (foreign: boolean): Case[] => {
    const pick = (own: keyof Ids, other: keyof Ids) => (i: Ids) => i[foreign ? other : own];
    const record = pick('trainingRecord', 'trainingRecordOther');
    const item = pick('planItem', 'planItemOther');
    const appointment = pick('appointment', 'appointmentOther');
    return [
      {
        method: 'GET',
        route: '/training/staff/:staffId',
        path: (i) => `/training/staff/${foreign ? i.otherSenco : i.teacherB}`,
        need: school('training.manage', 200, foreign),
      },
      ...form(
        '/training/records/:trainingId/edit',
        (i) => `/training/records/${record(i)}/edit`,
        'training.manage',
        foreign,
      ),
      ...form(
        '/training/records/:trainingId/delete',
        (i) => `/training/records/${record(i)}/delete`,
        'training.manage',
        foreign,
      ),
      ...form(
        '/training/plan/:planItemId/edit',
        (i) => `/training/plan/${item(i)}/edit`,
        'training.manage',
        foreign,
      ),
      ...form(
        '/training/senco/:appointmentId/edit',
        (i) => `/training/senco/${appointment(i)}/edit`,
        'training.manage',
        foreign,
      ),
    ];
  };
  const leader = (ok: number) => (who: Exclude<Who, 'out'>) =>
    who === 'head'
      ? 404
      : kindOfRoles(ROLES[who]) === 'staff' && hasCapability(ROLES[who], 'complaints.manage')
        ? ok
        : 403;
  return [
    {
      method: 'GET',
      route: '/complaints',
      path: () => '/complaints',
      need: school('complaints.manage', 200),
    },
    ...form('/complaints/new', () => '/complaints/new', 'complaints.manage'),
    ...complaintPages('complaintK'),
    ...complaintPages('complaintOther'),
    // About the head teacher: not found for her, as if it did not exist.
    {
      method: 'GET',
      route: '/complaints/:complaintId',
      path: (i) => `/complaints/${i.complaintAboutHead}`,
      need: { kind: 'custom', status: leader(200) },
    },
    {
      method: 'POST',
      route: '/complaints/:complaintId/respond',
      path: (i) => `/complaints/${i.complaintAboutHead}/respond`,
      need: { kind: 'custom', status: leader(400) },
    },
    { method: 'GET', route: '/training', path: () => '/training', need: school('training.manage', 200) },
    ...form('/training/new', () => '/training/new', 'training.manage'),
    ...form('/training/plan/new', () => '/training/plan/new', 'training.manage'),
    ...form('/training/senco/new', () => '/training/senco/new', 'training.manage'),
    ...trainingPages(false),
    ...trainingPages(true),
  ];
};

const p = (key: PupilKey) => (i: Ids) => i[key];
/**
 * Termly attainment: a class's grid is its teachers' and whoever writes every pupil's progress; a
 * teacher of another class is told it is not found; anyone whose roles write no pupil's progress is
 * refused.
 */
const gridStatus = (ok: number) => (who: Exclude<Who, 'out'>) => {
  const roles = ROLES[who];
  const reaches = reachesFor(roles, 'progress', 'write');
  if (kindOfRoles(roles) !== 'staff' || reaches.length === 0) return 403;
  return reaches.includes('school') || who === 'teacher' ? ok : 404;
};
const attainmentCases = (): Case[] => {
  const progressWrite = (ok: number): Need => ({ kind: 'school', section: 'progress', level: 'write', ok });
  const manage = (ok: number): Need => ({ kind: 'school', capability: 'progress.manage', ok });
  const k = (ok: number, level: Level = 'read'): Need => ({
    kind: 'school',
    section: 'progress',
    level,
    pupil: 'K',
    ok,
  });
  return [
    { method: 'GET', route: '/progress', path: () => '/progress', need: progressWrite(200) },
    {
      method: 'GET',
      route: '/progress/below-trajectory',
      path: () => '/progress/below-trajectory',
      need: progressWrite(200),
    },
    {
      method: 'GET',
      route: '/classes/:classId/attainment',
      path: (i) => `/classes/${i.classA}/attainment`,
      need: { kind: 'custom', status: gridStatus(200) },
    },
    // Nothing typed: nothing to save, and back to the grid.
    {
      method: 'POST',
      route: '/classes/:classId/attainment',
      path: (i) => `/classes/${i.classA}/attainment`,
      need: { kind: 'custom', status: gridStatus(303) },
    },
    {
      method: 'GET',
      route: '/classes/:classId/attainment',
      path: (i) => `/classes/${i.otherClass}/attainment`,
      need: { kind: 'school', section: 'progress', level: 'write', foreign: true, ok: 404 },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/progress',
      path: (i) => `/pupils/${i.K}/progress`,
      need: k(200),
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/progress/:subjectId/trajectory',
      path: (i) => `/pupils/${i.K}/progress/${i.subject}/trajectory`,
      need: k(200, 'write'),
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/progress/:subjectId/trajectory',
      path: (i) => `/pupils/${i.K}/progress/${i.subject}/trajectory`,
      need: k(400, 'write'),
    },
    { method: 'GET', route: '/progress/import', path: () => '/progress/import', need: manage(200) },
    // No file: the form is shown again.
    { method: 'POST', route: '/progress/import', path: () => '/progress/import', need: manage(400) },
    { method: 'GET', route: '/progress/subjects', path: () => '/progress/subjects', need: manage(200) },
    {
      method: 'GET',
      route: '/progress/subjects/new',
      path: () => '/progress/subjects/new',
      need: manage(200),
    },
    {
      method: 'POST',
      route: '/progress/subjects/new',
      path: () => '/progress/subjects/new',
      need: manage(400),
    },
    {
      method: 'GET',
      route: '/progress/subjects/:subjectId',
      path: (i) => `/progress/subjects/${i.subject}`,
      need: manage(200),
    },
    {
      method: 'POST',
      route: '/progress/subjects/:subjectId',
      path: (i) => `/progress/subjects/${i.subject}`,
      need: manage(400),
    },
    {
      method: 'GET',
      route: '/progress/subjects/:subjectId/archive',
      path: (i) => `/progress/subjects/${i.subject}/archive`,
      need: manage(200),
    },
    {
      method: 'POST',
      route: '/progress/subjects/:subjectId/archive',
      path: (i) => `/progress/subjects/${i.subject}/archive`,
      need: manage(400),
    },
  ];
};

const CASES: Case[] = [
  ...complaintsAndTrainingCases(),
  ...attainmentCases(),
  ...familyAreaCases(),
  ...referralCases(),
  ...ehcRequestCases(),
  ...ehcPlanSchoolCases(),
  ...annualReviewCases(),
  { method: 'GET', route: '/healthz', path: () => '/healthz', need: { kind: 'public', status: 200 } },
  { method: 'GET', route: '/setup', path: () => '/setup', need: { kind: 'public', status: 404 } },
  { method: 'POST', route: '/setup', path: () => '/setup', need: { kind: 'public', status: 404 } },
  {
    method: 'GET',
    route: '/sign-in',
    path: () => '/sign-in',
    need: { kind: 'public', status: 200, signedIn: 303 },
  },
  { method: 'POST', route: '/sign-in', path: () => '/sign-in', need: { kind: 'public', status: 400 } },
  // The code by email at a new device, and the first password from its link: without a sign-in waiting
  // for its code (or a link that works), back to sign in, or "this link no longer works".
  {
    method: 'GET',
    route: '/sign-in/code',
    path: () => '/sign-in/code',
    need: { kind: 'public', status: 303, signedIn: 303 },
  },
  {
    method: 'POST',
    route: '/sign-in/code',
    path: () => '/sign-in/code',
    need: { kind: 'public', status: 303 },
  },
  {
    method: 'GET',
    route: '/sign-in/set-password',
    path: () => `/sign-in/set-password?token=${'x'.repeat(43)}`,
    need: { kind: 'public', status: 404 },
  },
  {
    method: 'POST',
    route: '/sign-in/set-password',
    path: () => '/sign-in/set-password',
    need: { kind: 'public', status: 404 },
  },
  {
    method: 'GET',
    route: '/account/devices',
    path: () => '/account/devices',
    need: { kind: 'signed-in', ok: 200 },
  },
  {
    method: 'POST',
    route: '/account/devices',
    path: () => '/account/devices',
    need: { kind: 'signed-in', ok: 303 },
  },
  // Outside agencies: the professional of a referral, and the reports back.
  {
    method: 'GET',
    route: '/referrals/:referralId/invite',
    path: (i) => `/referrals/${i.referralK}/invite`,
    need: { kind: 'custom', status: ok(200, managesReferral) },
  },
  {
    method: 'POST',
    route: '/referrals/:referralId/invite',
    path: (i) => `/referrals/${i.referralK}/invite`,
    need: { kind: 'custom', status: ok(400, managesReferral) },
  },
  {
    method: 'POST',
    route: '/referrals/:referralId/share/end',
    path: (i) => `/referrals/${i.referralEnd}/share/end`,
    need: { kind: 'custom', status: ok(303, managesReferral) },
  },
  {
    method: 'GET',
    route: '/referrals/:referralId/reports/new',
    path: (i) => `/referrals/${i.referralK}/reports/new`,
    need: { kind: 'custom', status: ok(200, managesReferral) },
  },
  {
    method: 'POST',
    route: '/referrals/:referralId/reports/new',
    path: (i) => `/referrals/${i.referralK}/reports/new`,
    need: { kind: 'custom', status: ok(400, managesReferral) },
  },
  {
    method: 'GET',
    route: '/reports/:reportId',
    path: (i) => `/reports/${i.reportK}`,
    need: { kind: 'custom', status: ok(200, readsReportK) },
  },
  {
    method: 'GET',
    route: '/reports/:reportId/file',
    path: (i) => `/reports/${i.reportK}/file`,
    need: { kind: 'custom', status: ok(200, readsReportK) },
  },
  {
    method: 'GET',
    route: '/shared/referrals/:referralId',
    path: (i) => `/shared/referrals/${i.referralK}`,
    need: { kind: 'custom', status: ok(200, onlyProfessional) },
  },
  {
    method: 'GET',
    route: '/shared/referrals/:referralId/report',
    path: (i) => `/shared/referrals/${i.referralK}/report`,
    need: { kind: 'custom', status: ok(200, onlyProfessional) },
  },
  {
    method: 'POST',
    route: '/shared/referrals/:referralId/report',
    path: (i) => `/shared/referrals/${i.referralK}/report`,
    need: { kind: 'custom', status: ok(400, onlyProfessional) },
  },
  { method: 'GET', route: '/choose', path: () => '/choose', need: { kind: 'signed-in', ok: 200 } },
  { method: 'POST', route: '/choose', path: () => '/choose', need: { kind: 'signed-in', ok: 400 } },
  { method: 'GET', route: '/account', path: () => '/account', need: { kind: 'signed-in', ok: 200 } },
  {
    method: 'GET',
    route: '/account/password',
    path: () => '/account/password',
    need: { kind: 'signed-in', ok: 200 },
  },
  {
    method: 'POST',
    route: '/account/password',
    path: () => '/account/password',
    need: { kind: 'signed-in', ok: 400 },
  },
  {
    method: 'GET',
    route: '/account/email',
    path: () => '/account/email',
    need: { kind: 'signed-in', ok: 200 },
  },
  {
    method: 'POST',
    route: '/account/email',
    path: () => '/account/email',
    need: { kind: 'signed-in', ok: 400 },
  },
  {
    method: 'GET',
    route: '/account/email/code',
    path: () => '/account/email/code',
    need: { kind: 'signed-in', ok: 200 },
  },
  {
    method: 'POST',
    route: '/account/email/code',
    path: () => '/account/email/code',
    need: { kind: 'signed-in', ok: 400 },
  },
  {
    method: 'POST',
    route: '/invitations/:schoolId/:invitationId',
    path: (i) => `/invitations/${i.other}/${randomUUID()}`,
    need: { kind: 'signed-in', ok: 404 },
  },
  {
    method: 'GET',
    route: '/resume/:heldFormId',
    path: () => `/resume/${randomUUID()}`,
    need: { kind: 'signed-in', ok: 404 },
  },
  {
    method: 'POST',
    route: '/resume/:heldFormId/discard',
    path: () => `/resume/${randomUUID()}/discard`,
    need: { kind: 'signed-in', ok: 404 },
  },
  { method: 'GET', route: '/', path: () => '/', need: { kind: 'school', ok: 200 } },
  {
    method: 'GET',
    route: '/organisation',
    path: () => '/organisation',
    need: { kind: 'organisation', ok: 200 },
  },
  {
    method: 'GET',
    route: '/children',
    path: () => '/children',
    need: { kind: 'person', as: 'parent', ok: 200 },
  },
  {
    method: 'GET',
    route: '/children/:pupilId',
    path: (i) => `/children/${i.K}`,
    need: { kind: 'person', as: 'parent', ok: 200 },
  },
  // A parent's replies to letters, their concerns and the emails they choose (Kit's mother; Kit's letter).
  {
    method: 'GET',
    route: '/children/:pupilId/letters/:letterId',
    path: (i) => `/children/${i.K}/letters/${i.letter}`,
    need: { kind: 'person', as: 'parent', ok: 200 },
  },
  {
    method: 'GET',
    route: '/children/:pupilId/letters/:letterId/reply',
    path: (i) => `/children/${i.K}/letters/${i.letter}/reply`,
    need: { kind: 'person', as: 'parent', ok: 200 },
  },
  {
    method: 'POST',
    route: '/children/:pupilId/letters/:letterId/reply',
    path: (i) => `/children/${i.K}/letters/${i.letter}/reply`,
    need: { kind: 'person', as: 'parent', ok: 400 },
  },
  {
    method: 'GET',
    route: '/children/:pupilId/concerns',
    path: (i) => `/children/${i.K}/concerns`,
    need: { kind: 'person', as: 'parent', ok: 200 },
  },
  {
    method: 'GET',
    route: '/children/:pupilId/concerns/new',
    path: (i) => `/children/${i.K}/concerns/new`,
    need: { kind: 'person', as: 'parent', ok: 200 },
  },
  {
    method: 'POST',
    route: '/children/:pupilId/concerns/new',
    path: (i) => `/children/${i.K}/concerns/new`,
    need: { kind: 'person', as: 'parent', ok: 400 },
  },
  {
    method: 'GET',
    route: '/account/mail',
    path: () => '/account/mail',
    need: { kind: 'person', as: 'parent', ok: 200 },
  },
  {
    method: 'POST',
    route: '/account/mail',
    path: () => '/account/mail',
    need: { kind: 'person', as: 'parent', ok: 400 },
  },
  {
    method: 'GET',
    route: '/shared',
    path: () => '/shared',
    need: { kind: 'person', as: 'professional', ok: 200 },
  },
  {
    method: 'GET',
    route: '/pupils',
    path: () => '/pupils',
    need: { kind: 'school', section: 'identity', ok: 200 },
  },
  {
    method: 'GET',
    route: '/pupils/find',
    path: () => '/pupils/find?q=ev',
    need: { kind: 'school', section: 'directory', ok: 200 },
  },
  {
    method: 'GET',
    route: '/pupils/find',
    path: () => '/pupils/find',
    need: { kind: 'school', section: 'directory', ok: 200 },
  },
  {
    method: 'GET',
    route: '/pupils/new',
    path: () => '/pupils/new',
    need: { kind: 'school', section: 'identity', level: 'write', ok: 200 },
  },
  {
    method: 'POST',
    route: '/pupils/new',
    path: () => '/pupils/new',
    need: { kind: 'school', section: 'identity', level: 'write', ok: 400 },
  },
  ...(['A', 'K', 'E', 'other'] as PupilKey[])
    .map(
      (key): Case => ({
        method: 'GET',
        route: '/pupils/:pupilId',
        path: p(key),
        need: { kind: 'school', section: 'identity', pupil: key, ok: 200 },
      }),
    )
    .map((c) => ({ ...c, path: (i: Ids) => `/pupils/${c.path(i)}` })),
  ...(['K', 'other'] as PupilKey[]).flatMap((key): Case[] => [
    {
      method: 'GET',
      route: '/pupils/:pupilId/edit',
      path: (i) => `/pupils/${i[key]}/edit`,
      need: { kind: 'school', section: 'identity', level: 'write', pupil: key, ok: 200 },
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/edit',
      path: (i) => `/pupils/${i[key]}/edit`,
      need: { kind: 'school', section: 'identity', level: 'write', pupil: key, ok: 400 },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/register',
      path: (i) => `/pupils/${i[key]}/register`,
      need: { kind: 'school', section: 'register', level: 'write', pupil: key, ok: 200 },
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/register',
      path: (i) => `/pupils/${i[key]}/register`,
      need: { kind: 'school', section: 'register', level: 'write', pupil: key, ok: 400 },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/audit',
      path: (i) => `/pupils/${i[key]}/audit`,
      need: { kind: 'school', section: 'audit', pupil: key, ok: 200 },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/concerns/new',
      path: (i) => `/pupils/${i[key]}/concerns/new`,
      need: { kind: 'school', capability: 'concern.raise', section: 'directory', pupil: key, ok: 200 },
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/concerns/new',
      path: (i) => `/pupils/${i[key]}/concerns/new`,
      need: { kind: 'school', capability: 'concern.raise', section: 'directory', pupil: key, ok: 400 },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/concerns/record',
      path: (i) => `/pupils/${i[key]}/concerns/record`,
      need: {
        kind: 'school',
        capability: 'concern.review',
        section: 'concerns',
        level: 'write',
        pupil: key,
        ok: 200,
      },
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/concerns/record',
      path: (i) => `/pupils/${i[key]}/concerns/record`,
      need: {
        kind: 'school',
        capability: 'concern.review',
        section: 'concerns',
        level: 'write',
        pupil: key,
        ok: 400,
      },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/parents/new',
      path: (i) => `/pupils/${i[key]}/parents/new`,
      need: { kind: 'school', section: 'identity', level: 'write', pupil: key, ok: 200 },
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/parents/new',
      path: (i) => `/pupils/${i[key]}/parents/new`,
      need: { kind: 'school', section: 'identity', level: 'write', pupil: key, ok: 400 },
    },
    {
      method: 'GET',
      route: '/register/review/:pupilId',
      path: (i) => `/register/review/${i[key]}`,
      need: {
        kind: 'school',
        capability: 'register.review',
        section: 'register',
        level: 'write',
        pupil: key,
        ok: 200,
      },
    },
    {
      method: 'POST',
      route: '/register/review/:pupilId',
      path: (i) => `/register/review/${i[key]}`,
      need: {
        kind: 'school',
        capability: 'register.review',
        section: 'register',
        level: 'write',
        pupil: key,
        ok: 400,
      },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/leave',
      path: (i) => `/pupils/${i[key]}/leave`,
      need: {
        kind: 'school',
        capability: 'pupils.transfer',
        section: 'identity',
        level: 'write',
        pupil: key,
        ok: 200,
      },
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/leave',
      path: (i) => `/pupils/${i[key]}/leave`,
      need: {
        kind: 'school',
        capability: 'pupils.transfer',
        section: 'identity',
        level: 'write',
        pupil: key,
        ok: 400,
      },
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/staff',
      path: (i) => `/pupils/${i[key]}/staff`,
      need: {
        kind: 'school',
        capability: 'staff.manage',
        section: 'provision',
        level: 'write',
        pupil: key,
        ok: 303,
      },
    },
  ]),
  {
    method: 'GET',
    route: '/pupils/:pupilId/parents/:parentId/edit',
    path: (i) => `/pupils/${i.K}/parents/${i.parent}/edit`,
    need: { kind: 'school', section: 'identity', level: 'write', pupil: 'K', ok: 200 },
  },
  {
    method: 'POST',
    route: '/pupils/:pupilId/parents/:parentId/edit',
    path: (i) => `/pupils/${i.K}/parents/${i.parent}/edit`,
    need: { kind: 'school', section: 'identity', level: 'write', pupil: 'K', ok: 400 },
  },
  // Getting in (docs/adr/0039): /join for anyone; the school's family page, invitations and ending access.
  { method: 'GET', route: '/join', path: () => '/join', need: { kind: 'public', status: 200 } },
  { method: 'POST', route: '/join', path: () => '/join', need: { kind: 'public', status: 400 } },
  {
    method: 'POST',
    route: '/join/new-account',
    path: () => '/join/new-account',
    need: { kind: 'public', status: 400, signedIn: 303 },
  },
  {
    method: 'POST',
    route: '/join/sign-in',
    path: () => '/join/sign-in',
    need: { kind: 'public', status: 400, signedIn: 303 },
  },
  {
    method: 'POST',
    route: '/join/link',
    path: () => '/join/link',
    need: { kind: 'public', status: 303, signedIn: 400 },
  },
  {
    method: 'GET',
    route: '/pupils/:pupilId/family',
    path: (i) => `/pupils/${i.K}/family`,
    need: { kind: 'school', section: 'identity', pupil: 'K', ok: 200 },
  },
  {
    method: 'GET',
    route: '/pupils/:pupilId/parents/:parentId/invite',
    path: (i) => `/pupils/${i.K}/parents/${i.parent}/invite`,
    need: { kind: 'school', section: 'identity', level: 'write', pupil: 'K', ok: 200 },
  },
  {
    method: 'POST',
    route: '/pupils/:pupilId/parents/:parentId/invite',
    path: (i) => `/pupils/${i.K}/parents/${i.parent}/invite`,
    need: { kind: 'school', section: 'identity', level: 'write', pupil: 'K', ok: 400 },
  },
  {
    // An invitation that does not exist: not found.
    method: 'GET',
    route: '/pupils/:pupilId/parents/:parentId/invitations/:parentInvitationId',
    path: (i) => `/pupils/${i.K}/parents/${i.parent}/invitations/${randomUUID()}`,
    need: { kind: 'school', section: 'identity', level: 'write', pupil: 'K', ok: 404 },
  },
  {
    // A letter of an invitation that does not exist: not found.
    method: 'GET',
    route: '/pupils/:pupilId/parents/:parentId/invitations/:parentInvitationId/letter.pdf',
    path: (i) => `/pupils/${i.K}/parents/${i.parent}/invitations/${randomUUID()}/letter.pdf`,
    need: { kind: 'school', section: 'identity', level: 'write', pupil: 'K', ok: 404 },
  },
  {
    method: 'GET',
    route: '/pupils/:pupilId/parents/:parentId/end-access',
    path: (i) => `/pupils/${i.K}/parents/${i.parent}/end-access`,
    need: { kind: 'school', section: 'identity', level: 'write', pupil: 'K', ok: 200 },
  },
  {
    // An unknown parent of a pupil the actor may change: not found (Kit's mother keeps her access).
    method: 'POST',
    route: '/pupils/:pupilId/parents/:parentId/end-access',
    path: (i) => `/pupils/${i.K}/parents/${randomUUID()}/end-access`,
    need: { kind: 'school', section: 'identity', level: 'write', pupil: 'K', ok: 404 },
  },
  {
    // An unknown parent of a pupil the actor may change: not found.
    method: 'POST',
    route: '/pupils/:pupilId/parents/:parentId/remove',
    path: (i) => `/pupils/${i.K}/parents/${randomUUID()}/remove`,
    need: { kind: 'school', section: 'identity', level: 'write', pupil: 'K', ok: 404 },
  },
  {
    method: 'POST',
    route: '/pupils/:pupilId/staff/:staffId/remove',
    path: (i) => `/pupils/${i.K}/staff/${randomUUID()}/remove`,
    need: { kind: 'school', capability: 'staff.manage', ok: 404 },
  },
  {
    method: 'GET',
    route: '/register',
    path: () => '/register',
    need: { kind: 'school', section: 'register', ok: 200 },
  },
  {
    method: 'GET',
    route: '/register.csv',
    path: () => '/register.csv',
    need: { kind: 'school', capability: 'register.export', section: 'register', ok: 200 },
  },
  {
    method: 'GET',
    route: '/register/print',
    path: () => '/register/print',
    need: { kind: 'school', capability: 'register.export', section: 'register', ok: 200 },
  },
  {
    method: 'GET',
    route: '/register/review',
    path: () => '/register/review',
    need: { kind: 'school', capability: 'register.review', section: 'register', level: 'write', ok: 200 },
  },
  {
    method: 'GET',
    route: '/figures',
    path: () => '/figures',
    need: { kind: 'school', capability: 'counts.view', ok: 200 },
  },
  // The school's SEN reports: read by those who read them (the SEN governor, the assessment lead),
  // written and published by the SENCo and the head; another school's report is not found.
  {
    method: 'GET',
    route: '/school-reports',
    path: () => '/school-reports',
    need: { kind: 'school', capability: 'reports.read', ok: 200 },
  },
  // Drafting one: the list of reports with its "Draft" buttons, for those who write them.
  {
    method: 'GET',
    route: '/school-reports/new',
    path: () => '/school-reports/new',
    need: { kind: 'school', capability: 'reports.write', ok: 200 },
  },
  {
    method: 'POST',
    route: '/school-reports/new',
    path: () => '/school-reports/new',
    need: { kind: 'school', capability: 'reports.write', ok: 400 },
  },
  ...(['schoolReport', 'schoolReportOther'] as const).flatMap((key): Case[] => {
    const foreign = key === 'schoolReportOther';
    const read = (ok: number) => ({
      kind: 'school' as const,
      capability: 'reports.read' as const,
      foreign,
      ok,
    });
    const write = (ok: number) => ({
      kind: 'school' as const,
      capability: 'reports.write' as const,
      foreign,
      ok,
    });
    const at = (tail: string) => (i: Ids) => `/school-reports/${i[key]}${tail}`;
    return [
      { method: 'GET', route: '/school-reports/:schoolReportId', path: at(''), need: read(200) },
      { method: 'GET', route: '/school-reports/:schoolReportId/edit', path: at('/edit'), need: write(200) },
      // No version sent: the form is shown again.
      { method: 'POST', route: '/school-reports/:schoolReportId/edit', path: at('/edit'), need: write(400) },
      {
        method: 'GET',
        route: '/school-reports/:schoolReportId/publish',
        path: at('/publish'),
        need: write(200),
      },
      {
        method: 'POST',
        route: '/school-reports/:schoolReportId/publish',
        path: at('/publish'),
        need: write(400),
      },
      {
        method: 'GET',
        route: '/school-reports/:schoolReportId/website',
        path: at('/website'),
        need: read(200),
      },
      {
        method: 'GET',
        route: '/school-reports/:schoolReportId/website.html',
        path: at('/website.html'),
        need: read(200),
      },
      { method: 'GET', route: '/school-reports/:schoolReportId/pdf', path: at('/pdf'), need: read(200) },
    ];
  }),
  {
    method: 'GET',
    route: '/concerns',
    path: () => '/concerns',
    need: { kind: 'school', capability: 'concern.raise', ok: 200 },
  },
  {
    method: 'GET',
    route: '/concerns/:concernId',
    path: (i) => `/concerns/${i.concern}`,
    need: { kind: 'school', capability: 'concern.raise', concern: true, ok: 200 },
  },
  {
    method: 'GET',
    route: '/concerns/:concernId/review',
    path: (i) => `/concerns/${i.concern}/review`,
    need: {
      kind: 'school',
      capability: 'concern.review',
      section: 'concerns',
      level: 'write',
      pupil: 'K',
      ok: 200,
    },
  },
  {
    method: 'POST',
    route: '/concerns/:concernId/review',
    path: (i) => `/concerns/${i.concern}/review`,
    need: {
      kind: 'school',
      capability: 'concern.review',
      section: 'concerns',
      level: 'write',
      pupil: 'K',
      ok: 400,
    },
  },
  {
    method: 'GET',
    route: '/staff',
    path: () => '/staff',
    need: { kind: 'school', capability: 'staff.manage', ok: 200 },
  },
  {
    method: 'GET',
    route: '/staff/new',
    path: () => '/staff/new',
    need: { kind: 'school', capability: 'staff.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/staff/new',
    path: () => '/staff/new',
    need: { kind: 'school', capability: 'staff.manage', ok: 400 },
  },
  {
    method: 'GET',
    route: '/staff/:staffId',
    path: (i) => `/staff/${i.teacherB}`,
    need: { kind: 'school', capability: 'staff.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/staff/:staffId',
    path: (i) => `/staff/${i.teacherB}`,
    need: { kind: 'school', capability: 'staff.manage', ok: 400 },
  },
  {
    method: 'GET',
    route: '/staff/:staffId/password',
    path: (i) => `/staff/${i.teacherB}/password`,
    need: { kind: 'school', capability: 'staff.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/staff/:staffId/password',
    path: (i) => `/staff/${i.teacherB}/password`,
    need: { kind: 'school', capability: 'staff.manage', ok: 400 },
  },
  {
    method: 'POST',
    route: '/staff/:staffId/sign-in',
    path: () => `/staff/${randomUUID()}/sign-in`,
    need: { kind: 'school', capability: 'staff.manage', ok: 404 },
  },
  {
    method: 'POST',
    route: '/staff/:staffId/remove',
    path: () => `/staff/${randomUUID()}/remove`,
    need: { kind: 'school', capability: 'staff.manage', ok: 404 },
  },
  {
    method: 'POST',
    route: '/staff/invitations/:invitationId/withdraw',
    path: () => `/staff/invitations/${randomUUID()}/withdraw`,
    need: { kind: 'school', capability: 'staff.manage', ok: 404 },
  },
  // Classes and the school year
  {
    method: 'GET',
    route: '/classes',
    path: () => '/classes',
    need: { kind: 'school', capability: 'classes.manage', ok: 200 },
  },
  {
    method: 'GET',
    route: '/classes/new',
    path: () => '/classes/new',
    need: { kind: 'school', capability: 'classes.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/classes/new',
    path: () => '/classes/new',
    need: { kind: 'school', capability: 'classes.manage', ok: 400 },
  },
  ...(['classA', 'otherClass'] as const).flatMap((key): Case[] => {
    const foreign = key === 'otherClass';
    const need = (ok: number) => ({
      kind: 'school' as const,
      capability: 'classes.manage' as const,
      foreign,
      ok,
    });
    return [
      { method: 'GET', route: '/classes/:classId', path: (i) => `/classes/${i[key]}`, need: need(200) },
      // Nothing chosen: the form is shown again.
      { method: 'POST', route: '/classes/:classId', path: (i) => `/classes/${i[key]}`, need: need(400) },
      {
        method: 'GET',
        route: '/classes/:classId/pupils',
        path: (i) => `/classes/${i[key]}/pupils`,
        need: need(200),
      },
      {
        method: 'POST',
        route: '/classes/:classId/pupils',
        path: (i) => `/classes/${i[key]}/pupils`,
        need: need(400),
      },
      {
        method: 'GET',
        route: '/classes/:classId/edit',
        path: (i) => `/classes/${i[key]}/edit`,
        need: need(200),
      },
      {
        method: 'POST',
        route: '/classes/:classId/edit',
        path: (i) => `/classes/${i[key]}/edit`,
        need: need(400),
      },
      {
        method: 'GET',
        route: '/classes/:classId/archive',
        path: (i) => `/classes/${i[key]}/archive`,
        need: need(200),
      },
      // Year 4 Oak still has pupils: archiving is refused with a message.
      {
        method: 'POST',
        route: '/classes/:classId/archive',
        path: (i) => `/classes/${i[key]}/archive`,
        need: need(400),
      },
    ];
  }),
  ...(['K', 'other'] as PupilKey[]).flatMap((key): Case[] => [
    {
      method: 'GET',
      route: '/pupils/:pupilId/class',
      path: (i) => `/pupils/${i[key]}/class`,
      need: { kind: 'school', capability: 'classes.manage', section: 'directory', pupil: key, ok: 200 },
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/class',
      path: (i) => `/pupils/${i[key]}/class`,
      need: { kind: 'school', capability: 'classes.manage', section: 'directory', pupil: key, ok: 400 },
    },
  ]),
  {
    method: 'GET',
    route: '/school',
    path: () => '/school',
    need: { kind: 'school', capability: 'school.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/school',
    path: () => '/school',
    need: { kind: 'school', capability: 'school.manage', ok: 400 },
  },
  {
    method: 'GET',
    route: '/school/roll-over',
    path: () => '/school/roll-over',
    need: { kind: 'school', capability: 'school.manage', ok: 200 },
  },
  {
    method: 'GET',
    route: '/school/roll-over/preview',
    path: () => '/school/roll-over/preview',
    need: { kind: 'school', capability: 'school.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/school/roll-over/preview',
    path: () => '/school/roll-over/preview',
    need: { kind: 'school', capability: 'school.manage', ok: 400 },
  },
  {
    method: 'GET',
    route: '/ctf/import',
    path: () => '/ctf/import',
    need: { kind: 'school', capability: 'pupils.import', section: 'register', level: 'write', ok: 200 },
  },
  {
    method: 'POST',
    route: '/ctf/import',
    path: () => '/ctf/import',
    need: { kind: 'school', capability: 'pupils.import', section: 'register', level: 'write', ok: 400 },
  },
  {
    method: 'GET',
    route: '/ctf/import/:importId',
    path: (i) => `/ctf/import/${i.ctfImport}`,
    need: { kind: 'school', capability: 'pupils.import', section: 'register', level: 'write', ok: 200 },
  },
  {
    method: 'POST',
    route: '/ctf/import/:importId',
    path: (i) => `/ctf/import/${i.ctfImport}`,
    need: { kind: 'school', capability: 'pupils.import', section: 'register', level: 'write', ok: 400 },
  },
  {
    method: 'POST',
    route: '/ctf/import/:importId/discard',
    // An upload that exists nowhere: the file the other cases use stays as it is.
    path: () => `/ctf/import/${randomUUID()}/discard`,
    need: { kind: 'school', capability: 'pupils.import', section: 'register', level: 'write', ok: 404 },
  },
  {
    method: 'GET',
    route: '/ctf/export',
    path: () => '/ctf/export',
    need: { kind: 'school', capability: 'pupils.transfer', section: 'register', ok: 200 },
  },
  {
    method: 'POST',
    route: '/ctf/export',
    path: () => '/ctf/export',
    need: { kind: 'school', capability: 'pupils.transfer', section: 'register', ok: 400 },
  },
  {
    method: 'GET',
    route: '/ctf/exports/:ctfExportId',
    path: (i) => `/ctf/exports/${i.ctfExport}`,
    need: { kind: 'school', capability: 'pupils.transfer', section: 'register', ok: 200 },
  },
  {
    method: 'GET',
    route: '/ctf/exports/:ctfExportId/file',
    path: (i) => `/ctf/exports/${i.ctfExport}/file`,
    need: { kind: 'school', capability: 'pupils.transfer', section: 'register', ok: 200 },
  },
  {
    method: 'GET',
    route: '/subject-access',
    path: () => '/subject-access',
    need: { kind: 'school', capability: 'subject_access.manage', ok: 200 },
  },
  ...(['K', 'other'] as PupilKey[]).flatMap((key): Case[] =>
    (['GET', 'POST'] as const).map((method) => ({
      method,
      route: '/pupils/:pupilId/subject-access/new',
      path: (i: Ids) => `/pupils/${i[key]}/subject-access/new`,
      need: {
        kind: 'school',
        capability: 'subject_access.manage',
        section: 'identity',
        pupil: key,
        ok: method === 'GET' ? 200 : 400,
      },
    })),
  ),
  ...(
    [
      ['GET', '/subject-access/:subjectAccessId', '', 200],
      ['POST', '/subject-access/:subjectAccessId/produce', '/produce', 400],
      ['GET', '/subject-access/:subjectAccessId/export', '/export', 200],
      ['GET', '/subject-access/:subjectAccessId/release', '/release', 200],
      ['POST', '/subject-access/:subjectAccessId/release', '/release', 400],
    ] as const
  ).map(
    ([method, route, tail, ok]): Case => ({
      method,
      route,
      path: (i) => `/subject-access/${i.subjectAccess}${tail}`,
      need: { kind: 'school', capability: 'subject_access.manage', ok },
    }),
  ),
  {
    method: 'GET',
    route: '/retention',
    path: () => '/retention',
    need: { kind: 'school', capability: 'records.retention', ok: 200 },
  },
  ...(
    [
      ['GET', '/retention/:retentionReviewId/erase', '/erase', 200],
      ['POST', '/retention/:retentionReviewId/erase', '/erase', 400],
      ['GET', '/retention/:retentionReviewId/keep', '/keep', 200],
      ['POST', '/retention/:retentionReviewId/keep', '/keep', 400],
    ] as const
  ).map(
    ([method, route, tail, ok]): Case => ({
      method,
      route,
      path: (i) => `/retention/${i.retentionReview}${tail}`,
      need: { kind: 'school', capability: 'records.retention', ok },
    }),
  ),
  {
    // Kit's record is not erased: whoever may ask is told so (not found); no one else may ask.
    method: 'GET',
    route: '/retention/erased/:pupilId',
    path: (i) => `/retention/erased/${i.K}`,
    need: { kind: 'school', capability: 'records.retention', ok: 404 },
  },
  ...(['GET', 'POST'] as const).map(
    (method): Case => ({
      method,
      route: '/settings/retention',
      path: () => '/settings/retention',
      need: { kind: 'school', capability: 'settings.manage', ok: method === 'GET' ? 200 : 400 },
    }),
  ),
  {
    method: 'GET',
    route: '/audit',
    path: () => '/audit',
    need: { kind: 'school', capability: 'audit.school', ok: 200 },
  },
  {
    method: 'GET',
    route: '/settings',
    path: () => '/settings',
    need: { kind: 'school', capability: 'settings.manage', ok: 200 },
  },
  {
    method: 'GET',
    route: '/settings/outbox',
    path: () => '/settings/outbox',
    need: { kind: 'school', capability: 'settings.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/settings/outbox/test',
    path: () => '/settings/outbox/test',
    need: { kind: 'school', capability: 'settings.manage', ok: 303 },
  },
  // Letters to parents (a letter about Kit, produced by the office) and their templates.
  ...(['K', 'other'] as PupilKey[]).flatMap((key): Case[] => [
    {
      method: 'GET',
      route: '/pupils/:pupilId/letters/new',
      path: (i) => `/pupils/${i[key]}/letters/new`,
      need: { kind: 'school', section: 'letters', level: 'write', pupil: key, ok: 200 },
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/letters/new',
      path: (i) => `/pupils/${i[key]}/letters/new`,
      need: { kind: 'school', section: 'letters', level: 'write', pupil: key, ok: 400 },
    },
    {
      method: 'POST',
      route: '/register/review/:pupilId/skip',
      path: (i) => `/register/review/${i[key]}/skip`,
      need: {
        kind: 'school',
        capability: 'register.review',
        section: 'register',
        level: 'write',
        pupil: key,
        ok: 303,
      },
    },
  ]),
  ...(['/letters/:letterId', '/letters/:letterId/print', '/letters/:letterId/pdf'] as const).map(
    (route): Case => ({
      method: 'GET',
      route,
      path: (i) => route.replace(':letterId', i.letter),
      need: { kind: 'school', section: 'letters', pupil: 'K', ok: 200 },
    }),
  ),
  {
    method: 'GET',
    route: '/letters/:letterId/slip',
    path: (i) => `/letters/${i.letter}/slip`,
    need: { kind: 'school', section: 'letters', level: 'write', pupil: 'K', ok: 200 },
  },
  {
    method: 'POST',
    route: '/letters/:letterId/slip',
    path: (i) => `/letters/${i.letter}/slip`,
    need: { kind: 'school', section: 'letters', level: 'write', pupil: 'K', ok: 400 },
  },
  ...(['GET', 'POST'] as const).flatMap((method): Case[] => [
    {
      method,
      route: '/settings/letters/:templateId',
      path: (i) => `/settings/letters/${i.template}`,
      need: { kind: 'school', capability: 'settings.manage', ok: method === 'GET' ? 200 : 400 },
    },
    {
      method,
      route: '/settings/letters/new',
      path: () => '/settings/letters/new',
      need: { kind: 'school', capability: 'settings.manage', ok: method === 'GET' ? 200 : 400 },
    },
  ]),
  // The SENCo's day: the dashboard and "my pupils".
  {
    method: 'GET',
    route: '/dashboard',
    path: () => '/dashboard?list=reviews_due',
    // Open to those with a list of the whole school's work (an unknown or closed list shows their first).
    need: {
      kind: 'custom',
      status: (who) => (dashboardLists({ roles: ROLES[who], schoolId: 'school' }).length > 0 ? 200 : 403),
    },
  },
  {
    method: 'GET',
    route: '/my-pupils',
    path: () => '/my-pupils?list=no_plan',
    need: { kind: 'school', ownPupilsIn: ['plans', 'concerns', 'letters'], ok: 200 },
  },
  {
    method: 'GET',
    route: '/provision',
    path: () => '/provision',
    need: { kind: 'school', section: 'provision', ok: 200 },
  },
  {
    method: 'GET',
    route: '/provision/interventions',
    path: () => '/provision/interventions',
    need: { kind: 'school', section: 'provision', ok: 200 },
  },
  {
    method: 'GET',
    route: '/provision/interventions/new',
    path: () => '/provision/interventions/new',
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/provision/interventions/new',
    path: () => '/provision/interventions/new',
    need: { kind: 'school', capability: 'provision.manage', ok: 400 },
  },
  {
    method: 'GET',
    route: '/provision/interventions/:interventionId/edit',
    path: (i) => `/provision/interventions/${i.intervention}/edit`,
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/provision/interventions/:interventionId/edit',
    path: (i) => `/provision/interventions/${i.intervention}/edit`,
    need: { kind: 'school', capability: 'provision.manage', ok: 400 },
  },
  {
    method: 'POST',
    route: '/provision/interventions/:interventionId/archive',
    path: () => `/provision/interventions/${randomUUID()}/archive`,
    need: { kind: 'school', capability: 'provision.manage', ok: 404 },
  },
  {
    method: 'GET',
    route: '/provision/rates',
    path: () => '/provision/rates',
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/provision/rates',
    path: () => '/provision/rates',
    need: { kind: 'school', capability: 'provision.manage', ok: 400 },
  },
  {
    method: 'GET',
    route: '/provision/groups/new',
    path: () => '/provision/groups/new',
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/provision/groups/new',
    path: () => '/provision/groups/new',
    need: { kind: 'school', capability: 'provision.manage', ok: 400 },
  },
  {
    method: 'GET',
    route: '/provision/groups/:groupId',
    path: (i) => `/provision/groups/${i.group}`,
    need: { kind: 'school', section: 'provision', group: true, ok: 200 },
  },
  {
    method: 'GET',
    route: '/provision/groups/:groupId/edit',
    path: (i) => `/provision/groups/${i.group}/edit`,
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/provision/groups/:groupId/edit',
    path: (i) => `/provision/groups/${i.group}/edit`,
    need: { kind: 'school', capability: 'provision.manage', ok: 400 },
  },
  {
    method: 'GET',
    route: '/provision/groups/:groupId/pupils',
    path: (i) => `/provision/groups/${i.group}/pupils`,
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/provision/groups/:groupId/pupils',
    path: (i) => `/provision/groups/${i.group}/pupils`,
    need: { kind: 'school', capability: 'provision.manage', ok: 400 },
  },
  {
    method: 'GET',
    route: '/provision/groups/:groupId/pupils/:memberId/leave',
    path: (i) => `/provision/groups/${i.group}/pupils/${i.member}/leave`,
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'POST',
    route: '/provision/groups/:groupId/pupils/:memberId/leave',
    path: (i) => `/provision/groups/${i.group}/pupils/${i.member}/leave`,
    need: { kind: 'school', capability: 'provision.manage', ok: 400 },
  },
  {
    method: 'GET',
    route: '/provision/groups/:groupId/sessions/new',
    path: (i) => `/provision/groups/${i.group}/sessions/new`,
    need: { kind: 'school', section: 'provision', group: true, ok: 200 },
  },
  {
    method: 'POST',
    route: '/provision/groups/:groupId/sessions/new',
    path: (i) => `/provision/groups/${i.group}/sessions/new`,
    need: { kind: 'school', section: 'provision', group: true, ok: 400 },
  },
  {
    method: 'GET',
    route: '/provision/groups/:groupId/measures',
    path: (i) => `/provision/groups/${i.group}/measures`,
    need: { kind: 'school', section: 'provision', group: true, ok: 200 },
  },
  {
    method: 'POST',
    route: '/provision/groups/:groupId/measures',
    path: (i) => `/provision/groups/${i.group}/measures`,
    need: { kind: 'school', section: 'provision', group: true, ok: 400 },
  },
  {
    method: 'GET',
    route: '/provision/groups/:groupId/checks/new',
    path: (i) => `/provision/groups/${i.group}/checks/new`,
    need: { kind: 'school', section: 'provision', group: true, ok: 200 },
  },
  {
    method: 'POST',
    route: '/provision/groups/:groupId/checks/new',
    path: (i) => `/provision/groups/${i.group}/checks/new`,
    need: { kind: 'school', section: 'provision', group: true, ok: 400 },
  },
  {
    method: 'GET',
    route: '/provision/map',
    path: () => '/provision/map',
    need: { kind: 'school', section: 'provision', ok: 200 },
  },
  {
    method: 'GET',
    route: '/provision/map.csv',
    path: () => '/provision/map.csv',
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'GET',
    route: '/provision/map/print',
    path: () => '/provision/map/print',
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'GET',
    route: '/provision/map.pdf',
    path: () => '/provision/map.pdf',
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'GET',
    route: '/provision/register',
    path: () => '/provision/register',
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'GET',
    route: '/provision/effectiveness',
    path: () => '/provision/effectiveness',
    need: { kind: 'school', capability: 'provision.manage', ok: 200 },
  },
  {
    method: 'GET',
    route: '/provision/figures',
    path: () => '/provision/figures',
    need: { kind: 'school', capability: 'counts.view', ok: 200 },
  },
  ...planCases(),
  ...directoryCases(),
  ...recommendationCases(),
  ...caseloadCases(),
  ...reviewDecisionCases(),
  ...ehcPlanCases(),
  ...familyReadingCases(),
  ...topUpCases(),
  ...progressMeetingCases(),
  {
    method: 'GET',
    route: '/import/pupils',
    path: () => '/import/pupils',
    need: { kind: 'school', capability: 'pupils.import', ok: 200 },
  },
  {
    method: 'POST',
    route: '/import/pupils',
    path: () => '/import/pupils',
    need: { kind: 'school', capability: 'pupils.import', ok: 400 },
  },
  {
    method: 'GET',
    route: '/import/pupils/:importId',
    path: (i) => `/import/pupils/${i.import}`,
    need: { kind: 'school', capability: 'pupils.import', ok: 200 },
  },
  {
    method: 'POST',
    route: '/import/pupils/:importId',
    path: (i) => `/import/pupils/${i.import}`,
    need: { kind: 'school', capability: 'pupils.import', ok: 400 },
  },
  {
    method: 'GET',
    route: '/import/pupils/:importId/columns',
    path: (i) => `/import/pupils/${i.import}/columns`,
    need: { kind: 'school', capability: 'pupils.import', ok: 200 },
  },
  {
    method: 'POST',
    route: '/import/pupils/:importId/columns',
    path: (i) => `/import/pupils/${i.import}/columns`,
    need: { kind: 'school', capability: 'pupils.import', ok: 400 },
  },
  {
    method: 'POST',
    route: '/import/pupils/:importId/discard',
    path: () => `/import/pupils/${randomUUID()}/discard`,
    need: { kind: 'school', capability: 'pupils.import', ok: 404 },
  },
];

/** Support plans: each route for a plan the actor's school holds and for another school's. */
function planCases(): Case[] {
  type PlanKey = 'planK' | 'planKDraft' | 'planE' | 'planOther';
  const pupilOf: Record<PlanKey, PupilKey> = { planK: 'K', planKDraft: 'K', planE: 'E', planOther: 'other' };
  const plan = (
    key: PlanKey,
    method: 'GET' | 'POST',
    suffix: string,
    level: Level,
    ok: number,
    capability?: Capability,
  ): Case => ({
    method,
    route: `/plans/:planId${suffix.replace(/\/[0-9a-f-]{36}/, '/:noteId')}`,
    path: (i) => `/plans/${i[key]}${suffix}`,
    need: {
      kind: 'school',
      section: 'plans',
      level,
      pupil: pupilOf[key],
      ok,
      ...(capability ? { capability } : {}),
    },
  });
  const inPlace = (['planK', 'planOther'] as const).flatMap((key): Case[] => [
    plan(key, 'GET', '', 'read', 200),
    plan(key, 'GET', '/print', 'read', 200),
    plan(key, 'GET', '/pdf', 'read', 200),
    plan(key, 'GET', '/notes', 'contribute', 200),
    plan(key, 'POST', '/notes', 'contribute', 400),
    plan(key, 'GET', '/shared', 'write', 200),
    plan(key, 'POST', '/shared', 'write', 400),
    plan(key, 'GET', '/start-review', 'write', 200, 'plans.review'),
    plan(key, 'POST', '/start-review', 'write', 400, 'plans.review'),
    plan(key, 'GET', '/review', 'write', 200, 'plans.review'),
    plan(key, 'POST', '/review', 'write', 400, 'plans.review'),
    // The school does not use half-termly target checks here: the form says so.
    plan(key, 'GET', '/target-check', 'write', 400),
    plan(key, 'POST', '/target-check', 'write', 400),
  ]);
  const draft = (['planKDraft', 'planOther'] as const).flatMap((key): Case[] => [
    plan(key, 'GET', '/edit', 'write', 200),
    plan(key, 'POST', '/edit', 'write', 400),
    plan(key, 'GET', '/agree', 'write', 200),
    plan(key, 'POST', '/agree', 'write', 400),
    plan(key, 'GET', '/close', 'write', 200),
    plan(key, 'POST', '/close', 'write', 400),
  ]);
  const teachingAssistant = [
    plan('planE', 'GET', '', 'read', 200),
    plan('planE', 'GET', '/notes', 'contribute', 200),
    plan('planE', 'POST', '/notes', 'contribute', 400),
  ];
  // A note nobody has: not found for anyone who may correct notes at all.
  const note = (['GET', 'POST'] as const).map(
    (method): Case => ({
      method,
      route: '/plans/:planId/notes/:noteId/correct',
      path: (i) => `/plans/${i.planK}/notes/${randomUUID()}/correct`,
      need: { kind: 'school', section: 'plans', level: 'contribute', ok: 404 },
    }),
  );
  const pupilPages = (['K', 'other'] as PupilKey[]).flatMap((key): Case[] => [
    {
      method: 'GET',
      route: '/pupils/:pupilId/plans/new',
      path: (i) => `/pupils/${i[key]}/plans/new`,
      need: { kind: 'school', section: 'plans', level: 'write', pupil: key, ok: 200 },
    },
    {
      // Kit has a draft already: starting returns it rather than making a second.
      method: 'POST',
      route: '/pupils/:pupilId/plans/new',
      path: (i) => `/pupils/${i[key]}/plans/new`,
      need: { kind: 'school', section: 'plans', level: 'write', pupil: key, ok: 303 },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/profile',
      path: (i) => `/pupils/${i[key]}/profile`,
      need: { kind: 'school', section: 'plans', level: 'write', pupil: key, ok: 200 },
    },
    {
      method: 'POST',
      route: '/pupils/:pupilId/profile',
      path: (i) => `/pupils/${i[key]}/profile`,
      need: { kind: 'school', section: 'plans', level: 'write', pupil: key, ok: 400 },
    },
    // The pupil's own words: read with their plans, written by an adult who works with them on their plans.
    {
      method: 'GET',
      route: '/pupils/:pupilId/voice',
      path: (i) => `/pupils/${i[key]}/voice`,
      need: { kind: 'school', section: 'plans', level: 'read', pupil: key, ok: 200 },
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/voice/new',
      path: (i) => `/pupils/${i[key]}/voice/new?kind=one_page_profile`,
      need: { kind: 'school', section: 'plans', level: 'contribute', pupil: key, ok: 200 },
    },
    {
      // Nothing answered: the form comes back with its message.
      method: 'POST',
      route: '/pupils/:pupilId/voice/new',
      path: (i) => `/pupils/${i[key]}/voice/new?kind=one_page_profile`,
      need: { kind: 'school', section: 'plans', level: 'contribute', pupil: key, ok: 400 },
    },
    ...(['GET', 'POST'] as const).map(
      (method): Case => ({
        // A writing nobody has: not found for anyone who may write the pupil's words at all.
        method,
        route: '/pupils/:pupilId/voice/:pupilVoiceId/edit',
        path: (i) => `/pupils/${i[key]}/voice/${randomUUID()}/edit`,
        need: { kind: 'school', section: 'plans', level: 'contribute', pupil: key, ok: 404 },
      }),
    ),
  ]);
  const settings: Case[] = [
    {
      method: 'GET',
      route: '/settings/plans',
      path: () => '/settings/plans',
      need: { kind: 'school', capability: 'settings.manage', ok: 200 },
    },
    {
      method: 'POST',
      route: '/settings/plans',
      path: () => '/settings/plans',
      need: { kind: 'school', capability: 'settings.manage', ok: 400 },
    },
    {
      method: 'GET',
      route: '/settings/bank',
      path: () => '/settings/bank',
      need: { kind: 'school', capability: 'settings.manage', ok: 200 },
    },
    {
      method: 'POST',
      route: '/settings/bank/:bankEntryId/hide',
      path: () => `/settings/bank/${randomUUID()}/hide`,
      need: { kind: 'school', capability: 'settings.manage', ok: 404 },
    },
  ];
  return [...inPlace, ...draft, ...teachingAssistant, ...note, ...pupilPages, ...settings];
}

/** The directory of outside agencies: the school's (staff read, its keepers change) and the authority's. */
function directoryCases(): Case[] {
  const school = (
    method: 'GET' | 'POST',
    route: string,
    path: (i: Ids) => string,
    need: Partial<Extract<Need, { kind: 'school' }>> & { ok: number },
  ): Case => ({
    method,
    route,
    path,
    need: { kind: 'school', ...need },
  });
  const manage = { capability: 'agencies.manage' as const };
  const org = (
    method: 'GET' | 'POST',
    route: string,
    path: (i: Ids) => string,
    ok: number,
    keeps = true,
  ): Case => ({
    method,
    route,
    path,
    need: { kind: 'organisation', ok, ...(keeps ? { capability: 'organisation.directory' as const } : {}) },
  });
  const a = (i: Ids) => `/agencies/${i.agency}`;
  const ap = (i: Ids) => `/agencies/${i.agency}/professionals/${i.agencyProfessional}`;
  const o = (i: Ids) => `/organisation/agencies/${i.orgAgency}`;
  const op = (i: Ids) => `/organisation/agencies/${i.orgAgency}/professionals/${i.orgProfessional}`;
  return [
    school('GET', '/agencies', () => '/agencies', { staff: true, ok: 200 }),
    school('GET', '/agencies/new', () => '/agencies/new', { ...manage, ok: 200 }),
    school('POST', '/agencies/new', () => '/agencies/new', { ...manage, ok: 400 }),
    // The school's list has services already: its keepers are sent back to it with the message.
    school('POST', '/agencies/starter', () => '/agencies/starter', { ...manage, ok: 303 }),
    school('GET', '/agencies/figures', () => '/agencies/figures', { capability: 'counts.view', ok: 200 }),
    school('GET', '/agencies/:agencyId', a, { staff: true, ok: 200 }),
    // The local authority's service: every member of staff reads it, and nobody at a school changes it.
    school('GET', '/agencies/:agencyId', (i) => `/agencies/${i.orgAgency}`, { staff: true, ok: 200 }),
    school('GET', '/agencies/:agencyId/edit', (i) => `/agencies/${i.orgAgency}/edit`, { ...manage, ok: 403 }),
    school('GET', '/agencies/:agencyId/edit', (i) => `${a(i)}/edit`, { ...manage, ok: 200 }),
    school('POST', '/agencies/:agencyId/edit', (i) => `${a(i)}/edit`, { ...manage, ok: 400 }),
    // Sent with no version: back to the form with the message.
    school('POST', '/agencies/:agencyId/archive', (i) => `${a(i)}/archive`, { ...manage, ok: 303 }),
    school('GET', '/agencies/:agencyId/professionals/new', (i) => `${a(i)}/professionals/new`, {
      ...manage,
      ok: 200,
    }),
    school('POST', '/agencies/:agencyId/professionals/new', (i) => `${a(i)}/professionals/new`, {
      ...manage,
      ok: 400,
    }),
    school('GET', '/agencies/:agencyId/professionals/:agencyProfessionalId', ap, { ...manage, ok: 200 }),
    school('POST', '/agencies/:agencyId/professionals/:agencyProfessionalId', ap, { ...manage, ok: 400 }),
    school(
      'POST',
      '/agencies/:agencyId/professionals/:agencyProfessionalId/archive',
      (i) => `${ap(i)}/archive`,
      {
        ...manage,
        ok: 303,
      },
    ),
    org('GET', '/organisation/agencies', () => '/organisation/agencies', 200, false),
    org('GET', '/organisation/agencies/figures', () => '/organisation/agencies/figures', 200, false),
    org('GET', '/organisation/agencies/new', () => '/organisation/agencies/new', 200),
    org('POST', '/organisation/agencies/new', () => '/organisation/agencies/new', 400),
    org('GET', '/organisation/agencies/:agencyId', o, 200, false),
    // A school's own service is not the authority's.
    org('GET', '/organisation/agencies/:agencyId', (i) => `/organisation/agencies/${i.agency}`, 404, false),
    org('GET', '/organisation/agencies/:agencyId/edit', (i) => `${o(i)}/edit`, 200),
    org('POST', '/organisation/agencies/:agencyId/edit', (i) => `${o(i)}/edit`, 400),
    org('POST', '/organisation/agencies/:agencyId/archive', (i) => `${o(i)}/archive`, 303),
    org('GET', '/organisation/agencies/:agencyId/professionals/new', (i) => `${o(i)}/professionals/new`, 200),
    org(
      'POST',
      '/organisation/agencies/:agencyId/professionals/new',
      (i) => `${o(i)}/professionals/new`,
      400,
    ),
    org('GET', '/organisation/agencies/:agencyId/professionals/:agencyProfessionalId', op, 200),
    org('POST', '/organisation/agencies/:agencyId/professionals/:agencyProfessionalId', op, 400),
    org(
      'POST',
      '/organisation/agencies/:agencyId/professionals/:agencyProfessionalId/archive',
      (i) => `${op(i)}/archive`,
      303,
    ),
  ];
}

/**
 * A recommendation of an outside agency: advice for the plan, read by those who read the pupil's plans
 * (the office records consent and reads no recommendation); its forms posted empty are shown again. A
 * new group started from one is for those who manage provision; another school's is "not found".
 */
function recommendationCases(): Case[] {
  const keyOf = { K: 'recommendationK', E: 'recommendationE', other: 'recommendationOther' } as const;
  const use = (['K', 'E', 'other'] as const).flatMap((key): Case[] =>
    (['GET', 'POST'] as const).map((method) => ({
      method,
      route: '/recommendations/:recommendationId/use',
      path: (i) => `/recommendations/${i[keyOf[key]]}/use`,
      need: {
        kind: 'school',
        section: 'plans',
        pupil: key,
        ok: method === 'GET' ? 200 : 400,
      },
    })),
  );
  const newGroup = (['K', 'other'] as const).map(
    (key): Case => ({
      method: 'GET',
      route: '/provision/groups/new',
      path: (i) => `/provision/groups/new?recommendationId=${i[keyOf[key]]}`,
      need: {
        kind: 'school',
        capability: 'provision.manage',
        ok: 200,
        ...(key === 'other' ? { foreign: true } : {}),
      },
    }),
  );
  return [...use, ...newGroup];
}

/**
 * The local authority's caseload: every officer reads it (the matrix's officer is a caseworker and a
 * manager, so changes too); everyone else is refused; another authority's case is not found.
 */
function caseloadCases(): Case[] {
  const org = (method: 'GET' | 'POST', route: string, path: (i: Ids) => string, ok: number): Case => ({
    method,
    route,
    path,
    need: { kind: 'organisation', ok },
  });
  const k = (i: Ids) => `/organisation/cases/${i.caseK}`;
  const o = (i: Ids) => `/organisation/cases/${i.caseOther}`;
  return [
    org('GET', '/organisation/cases', () => '/organisation/cases', 200),
    org('GET', '/organisation/cases/:caseId', k, 200),
    org('GET', '/organisation/cases/:caseId', o, 404),
    // A form sent empty is shown again with its messages.
    org('GET', '/organisation/cases/:caseId/decisions/new', (i) => `${k(i)}/decisions/new`, 200),
    org('POST', '/organisation/cases/:caseId/decisions/new', (i) => `${k(i)}/decisions/new`, 400),
    org('POST', '/organisation/cases/:caseId/decisions/new', (i) => `${o(i)}/decisions/new`, 404),
    org('GET', '/organisation/cases/:caseId/advice/new', (i) => `${k(i)}/advice/new`, 200),
    org('POST', '/organisation/cases/:caseId/advice/new', (i) => `${k(i)}/advice/new`, 400),
    org('GET', '/organisation/cases/:caseId/advice/:adviceId', (i) => `${k(i)}/advice/${i.adviceK}`, 200),
    org('POST', '/organisation/cases/:caseId/advice/:adviceId', (i) => `${k(i)}/advice/${i.adviceK}`, 400),
    // Kit's advice under another authority's case id: not found.
    org('GET', '/organisation/cases/:caseId/advice/:adviceId', (i) => `${o(i)}/advice/${i.adviceK}`, 404),
    org('GET', '/organisation/cases/:caseId/exceptions/new', (i) => `${k(i)}/exceptions/new`, 200),
    org('POST', '/organisation/cases/:caseId/exceptions/new', (i) => `${k(i)}/exceptions/new`, 400),
    org(
      'GET',
      '/organisation/cases/:caseId/exceptions/:exceptionId/end',
      (i) => `${k(i)}/exceptions/${i.exceptionK}/end`,
      200,
    ),
    org(
      'POST',
      '/organisation/cases/:caseId/exceptions/:exceptionId/end',
      (i) => `${k(i)}/exceptions/${i.exceptionK}/end`,
      400,
    ),
    org('GET', '/organisation/cases/:caseId/dates', (i) => `${k(i)}/dates`, 200),
    org('POST', '/organisation/cases/:caseId/dates', (i) => `${k(i)}/dates`, 400),
    org('POST', '/organisation/cases/:caseId/dates', (i) => `${o(i)}/dates`, 404),
    // Kit's case came with its pack as data, and no PDF.
    org('GET', '/organisation/cases/:caseId/received.json', (i) => `${k(i)}/received.json`, 200),
    org('GET', '/organisation/cases/:caseId/received.json', (i) => `${o(i)}/received.json`, 404),
    org('GET', '/organisation/cases/:caseId/received.pdf', (i) => `${k(i)}/received.pdf`, 404),
    org('GET', '/organisation/figures/sen2', () => '/organisation/figures/sen2', 200),
    // The SEN2 return names every child it holds: officers whose roles give sen2.return only.
    {
      method: 'GET',
      route: '/organisation/sen2',
      path: () => '/organisation/sen2?year=2027',
      need: { kind: 'organisation', ok: 200, capability: 'sen2.return' },
    },
    {
      method: 'GET',
      route: '/organisation/sen2/sen2.xml',
      path: () => '/organisation/sen2/sen2.xml',
      need: { kind: 'organisation', ok: 200, capability: 'sen2.return' },
    },
    {
      method: 'GET',
      route: '/settings/closures',
      path: () => '/settings/closures',
      need: { kind: 'school', capability: 'settings.manage', ok: 200 },
    },
    {
      method: 'POST',
      route: '/settings/closures',
      path: () => '/settings/closures',
      need: { kind: 'school', capability: 'settings.manage', ok: 400 },
    },
    {
      method: 'POST',
      route: '/settings/closures/:closureId/remove',
      path: (i) => `/settings/closures/${i.closureOther}/remove`,
      need: { kind: 'school', capability: 'settings.manage', foreign: true, ok: 303 },
    },
  ];
}

/**
 * The authority's annual reviews: every officer reads the reviews due and a report received (the matrix's
 * officer is a caseworker, so decides too: an empty form is shown again); everyone else is refused;
 * another authority's decision is not found.
 */
function reviewDecisionCases(): Case[] {
  const org = (method: 'GET' | 'POST', route: string, path: (i: Ids) => string, ok: number): Case => ({
    method,
    route,
    path,
    need: { kind: 'organisation', ok },
  });
  const route = '/organisation/reviews/:reviewDecisionId';
  return [
    org('GET', '/organisation/reviews', () => '/organisation/reviews', 200),
    org('GET', route, (i) => `/organisation/reviews/${i.reviewDecisionK}`, 200),
    org('GET', route, (i) => `/organisation/reviews/${i.reviewDecisionOther}`, 404),
    org('POST', route, (i) => `/organisation/reviews/${i.reviewDecisionK}`, 400),
    org('POST', route, (i) => `/organisation/reviews/${i.reviewDecisionOther}`, 404),
  ];
}

/** Kit's plan at the world's authority with a report received, and the other school's pupil's at another. */
async function reviewDecisionIds(database: Database, w: World) {
  const plan = await buildFinalPlan(database.db, w.pupilK, w.officer.organisationId, {
    issuedOn: '2025-11-25',
  });
  const { decisionId: reviewDecisionK } = await buildReviewDecision(database.db, plan, w.pupilK, {
    meetingOn: '2026-11-10',
  });
  const elsewhere = await buildOfficer(database.db);
  const theirs = await buildFinalPlan(database.db, w.otherPupil, elsewhere.organisationId, {
    issuedOn: '2025-11-25',
  });
  const { decisionId: reviewDecisionOther } = await buildReviewDecision(database.db, theirs, w.otherPupil, {
    meetingOn: '2026-11-10',
  });
  return { reviewDecisionK, reviewDecisionOther };
}

/**
 * The local authority's EHC plans: every officer reads them (the matrix's officer is a caseworker, so
 * writes too); school staff, parents and professionals are refused; another authority's plan is not
 * found. A form is shown for the plan in the state it needs (a version being written, one sent to the
 * parents, a final plan); sent empty it is shown again with its messages.
 */
function ehcPlanCases(): Case[] {
  const org = (method: 'GET' | 'POST', route: string, path: (i: Ids) => string, ok: number): Case => ({
    method,
    route,
    path,
    need: { kind: 'organisation', ok },
  });
  const p =
    (key: 'planWriting' | 'planSent' | 'planFinal' | 'ehcPlanOther', tail = '') =>
    (i: Ids) =>
      `/organisation/plans/${i[key]}${tail}`;
  const R = '/organisation/plans/:ehcPlanId';
  return [
    // Kit's case has no decision to assess yet: the form shows, and starting is refused with a message.
    org('GET', '/organisation/cases/:caseId/plan/new', (i) => `/organisation/cases/${i.caseK}/plan/new`, 200),
    org(
      'POST',
      '/organisation/cases/:caseId/plan/new',
      (i) => `/organisation/cases/${i.caseK}/plan/new`,
      400,
    ),
    org(
      'POST',
      '/organisation/cases/:caseId/plan/new',
      (i) => `/organisation/cases/${i.caseOther}/plan/new`,
      404,
    ),
    org('GET', R, p('planWriting'), 200),
    org('GET', R, p('ehcPlanOther'), 404),
    org('GET', `${R}/section`, p('planWriting', '/section?section=f'), 200),
    org('POST', `${R}/section`, p('planWriting', '/section?section=f'), 400),
    org('GET', `${R}/section`, p('ehcPlanOther', '/section?section=f'), 404),
    org('GET', `${R}/send`, p('planWriting', '/send'), 200),
    org('POST', `${R}/send`, p('planWriting', '/send'), 400),
    org('POST', `${R}/send`, p('ehcPlanOther', '/send'), 404),
    org('GET', `${R}/comments`, p('planSent', '/comments'), 200),
    org('POST', `${R}/comments`, p('planSent', '/comments'), 400),
    org('GET', `${R}/issue`, p('planSent', '/issue'), 200),
    org('POST', `${R}/issue`, p('planSent', '/issue'), 400),
    org('POST', `${R}/issue`, p('ehcPlanOther', '/issue'), 404),
    org('GET', `${R}/amend`, p('planFinal', '/amend'), 200),
    org('POST', `${R}/amend`, p('planFinal', '/amend'), 400),
    org('POST', `${R}/amend`, p('ehcPlanOther', '/amend'), 404),
    org('GET', `${R}/cease`, p('planFinal', '/cease'), 200),
    org('POST', `${R}/cease`, p('planFinal', '/cease'), 400),
    org('POST', `${R}/cease`, p('ehcPlanOther', '/cease'), 404),
    org('GET', `${R}/versions`, p('planWriting', '/versions?from=1&to=2'), 200),
    org('GET', `${R}/versions`, p('ehcPlanOther', '/versions'), 404),
    org('GET', `${R}/plan.pdf`, p('planFinal', '/plan.pdf'), 200),
    org('GET', `${R}/plan.pdf`, p('ehcPlanOther', '/plan.pdf'), 404),
  ];
}

/**
 * What a parent reads (the family's door): their own child's plan, earlier plans, letters and EHC plan,
 * for the parent only (staff are refused: these are the family's pages); a record of another child, at
 * the same school (Eli's plan, Kit's letter through his sibling) or of the other school, is not found.
 */
function familyReadingCases(): Case[] {
  const parent = (route: string, path: (i: Ids) => string, ok: number): Case => ({
    method: 'GET',
    route,
    path,
    need: { kind: 'person', as: 'parent', ok },
  });
  const C = '/children/:pupilId';
  return [
    // The child's first page, which leads to each of these.
    parent(C, (i) => `/children/${i.familyChild}`, 200),
    parent(C, (i) => `/children/${i.other}`, 404),
    parent(`${C}/plan`, (i) => `/children/${i.K}/plan`, 200),
    parent(`${C}/plan`, (i) => `/children/${i.familyChild}/plan`, 200),
    parent(`${C}/plan`, (i) => `/children/${i.A}/plan`, 404),
    parent(`${C}/plan`, (i) => `/children/${i.other}/plan`, 404),
    parent(`${C}/plans`, (i) => `/children/${i.familyChild}/plans`, 200),
    parent(`${C}/plans`, (i) => `/children/${i.E}/plans`, 404),
    parent(`${C}/plans/:planId`, (i) => `/children/${i.familyChild}/plans/${i.familyPlan}`, 200),
    parent(`${C}/plans/:planId`, (i) => `/children/${i.K}/plans/${i.familyPlan}`, 404),
    parent(`${C}/plans/:planId`, (i) => `/children/${i.K}/plans/${i.planKDraft}`, 404),
    parent(`${C}/plans/:planId`, (i) => `/children/${i.familyChild}/plans/${i.planE}`, 404),
    parent(`${C}/plans/:planId`, (i) => `/children/${i.familyChild}/plans/${i.planOther}`, 404),
    parent(`${C}/letters`, (i) => `/children/${i.K}/letters`, 200),
    parent(`${C}/letters`, (i) => `/children/${i.other}/letters`, 404),
    parent(`${C}/letters/:letterId`, (i) => `/children/${i.K}/letters/${i.letter}`, 200),
    parent(`${C}/letters/:letterId`, (i) => `/children/${i.familyChild}/letters/${i.letter}`, 404),
    parent(`${C}/letters/:letterId`, (i) => `/children/${i.K}/letters/${i.familyLetter}`, 404),
    parent(
      `${C}/letters/:letterId/letter.pdf`,
      (i) => `/children/${i.K}/letters/${i.letter}/letter.pdf`,
      200,
    ),
    parent(
      `${C}/letters/:letterId/letter.pdf`,
      (i) => `/children/${i.K}/letters/${i.familyLetter}/letter.pdf`,
      404,
    ),
    parent(`${C}/ehc`, (i) => `/children/${i.familyChild}/ehc`, 200),
    parent(`${C}/ehc`, (i) => `/children/${i.E}/ehc`, 404),
    parent(
      `${C}/ehc/plans/:ehcPlanId`,
      (i) => `/children/${i.familyChild}/ehc/plans/${i.familyEhcPlan}`,
      200,
    ),
    parent(
      `${C}/ehc/plans/:ehcPlanId`,
      (i) => `/children/${i.familyChild}/ehc/plans/${i.familyEhcPlan}?version=1`,
      200,
    ),
    parent(
      `${C}/ehc/plans/:ehcPlanId`,
      (i) => `/children/${i.familyChild}/ehc/plans/${i.familyEhcPlan}?version=9`,
      404,
    ),
    parent(`${C}/ehc/plans/:ehcPlanId`, (i) => `/children/${i.K}/ehc/plans/${i.familyEhcPlan}`, 404),
    parent(`${C}/ehc/plans/:ehcPlanId`, (i) => `/children/${i.familyChild}/ehc/plans/${i.planSent}`, 404),
    parent(`${C}/ehc/plans/:ehcPlanId`, (i) => `/children/${i.familyChild}/ehc/plans/${i.ehcPlanOther}`, 404),
  ];
}

/** Kit's mother's second child at the school, with the records a parent reads. */
async function familyReadingForTheMatrix(database: Database, w: World) {
  const { db } = database;
  const child = await buildPupil(db, {
    schoolId: w.school.id,
    stage: 'ehc_plan',
    primaryNeed: 'ASD',
    forename: 'Kai',
  });
  const carer = await buildParent(db, child, { name: 'Kasia Kowalski', relationship: 'Mother' });
  await buildParentAccount(db, [{ ...carer, pupilId: child.id }], { userId: w.parent.actor.userId });
  const plan = await buildPlan(db, { pupilId: child.id, schoolId: w.school.id, status: 'closed' });
  const letter = await buildLetter(db, { pupil: child });
  const ehc = await buildFinalPlan(db, child, w.officer.organisationId, { issuedOn: '2026-02-02' });
  return { familyChild: child.id, familyPlan: plan.id, familyLetter: letter.id, familyEhcPlan: ehc.planId };
}

/** Plans of the world's authority (one being amended, one with the parents, one final) and another's. */
async function ehcPlansForTheMatrix(services: Services, database: Database, w: World) {
  const at = (schoolId: string) => buildPupil(database.db, { schoolId });
  const writing = await buildFinalPlan(database.db, w.pupilE, w.officer.organisationId, {
    issuedOn: '2025-11-01',
  });
  await services.ehcPlans.startAmendment(w.officer.actor, writing.planId, { reason: 'annual_review' });
  const sent = await buildFinalPlan(database.db, await at(w.school.id), w.officer.organisationId, {
    issuedOn: '2025-11-01',
  });
  await services.ehcPlans.startAmendment(w.officer.actor, sent.planId, { reason: 'other_amendment' });
  await services.ehcPlans.sendVersion(w.officer.actor, sent.planId, { sentOn: '2026-11-02' });
  const final = await buildFinalPlan(database.db, await at(w.school.id), w.officer.organisationId);
  const elsewhere = await buildOfficer(database.db);
  const other = await buildFinalPlan(database.db, w.otherPupil, elsewhere.organisationId);
  return {
    planWriting: writing.planId,
    planSent: sent.planId,
    planFinal: final.planId,
    ehcPlanOther: other.planId,
  };
}

/** The cases of the caseload's routes: Kit's at the world's authority, another authority's, a closure elsewhere. */
async function caseloadIds(services: Services, database: Database, w: World) {
  const { caseId: caseK } = await buildReceivedCase(database.db, w.pupilK, w.officer.organisationId, {
    receivedOn: '2026-10-01',
  });
  const elsewhere = await buildOfficer(database.db);
  const { caseId: caseOther } = await buildReceivedCase(database.db, w.otherPupil, elsewhere.organisationId);
  const { adviceId } = await services.caseload.askAdvice(w.officer.actor, caseK, {
    version: 1,
    source: 'health',
    askedOf: 'Community paediatrics',
    schoolId: null,
    requestedOn: '2026-10-05',
    alreadyHeld: false,
    receivedOn: null,
    note: null,
  });
  const { exceptionId } = await services.caseload.recordException(w.officer.actor, caseK, {
    version: 2,
    ground: 'personal_circumstances',
    startsOn: '2026-10-10',
    endsOn: null,
    note: 'A family bereavement',
  });
  const { closureId } = await services.closures.add(w.otherSenco.actor, {
    firstDay: '2027-07-22',
    lastDay: '2027-08-31',
    note: null,
  });
  return { caseK, caseOther, adviceK: adviceId, exceptionK: exceptionId, closureOther: closureId };
}

/**
 * High-needs top-up funding: the school's application is built, sent and withdrawn by those who write
 * the pupil's EHC work (a class teacher or an assistant who reads it sees only its standing on the
 * pupil's page); another school's application is "not found"; its forms posted empty are shown again.
 * The local authority's decision is an officer's page (a caseworker records it; school staff are refused).
 */
function topUpCases(): Case[] {
  const k = (ok: number): Need => ({ kind: 'school', section: 'ehc', level: 'write', pupil: 'K', ok });
  const foreign = (ok: number): Need => ({
    kind: 'school',
    section: 'ehc',
    level: 'write',
    foreign: true,
    ok,
  });
  const routes: Case[] = [
    {
      method: 'GET',
      route: '/pupils/:pupilId/top-up/new',
      path: (i) => `/pupils/${i.K}/top-up/new`,
      need: k(200),
    },
    // Kit's draft is open: a second start opens it (303); for another school's pupil, not found.
    {
      method: 'POST',
      route: '/pupils/:pupilId/top-up/new',
      path: (i) => `/pupils/${i.K}/top-up/new`,
      need: k(303),
    },
    {
      method: 'GET',
      route: '/pupils/:pupilId/top-up/new',
      path: (i) => `/pupils/${i.other}/top-up/new`,
      need: foreign(200),
    },
  ];
  const application: [string, string, number][] = [
    ['GET', '', 200],
    ['POST', '', 400],
    ['GET', '/send', 200],
    ['POST', '/send', 400],
    ['GET', '/withdraw', 200],
    ['POST', '/withdraw', 400],
    ['GET', '/application.pdf', 200],
    ['GET', '/application.json', 200],
  ];
  for (const [method, tail, ok] of application) {
    const route = `/top-up/:topUpId${tail}`;
    routes.push(
      { method: method as 'GET' | 'POST', route, path: (i) => `/top-up/${i.topUpK}${tail}`, need: k(ok) },
      {
        method: method as 'GET' | 'POST',
        route,
        path: (i) => `/top-up/${i.topUpOther}${tail}`,
        need: foreign(ok),
      },
    );
  }
  const decision = (i: Ids) => `/organisation/cases/${i.topUpCase}/top-up-decision`;
  routes.push(
    {
      method: 'GET',
      route: '/organisation/cases/:caseId/top-up-decision',
      path: decision,
      need: { kind: 'organisation', ok: 200 },
    },
    {
      method: 'POST',
      route: '/organisation/cases/:caseId/top-up-decision',
      path: decision,
      need: { kind: 'organisation', ok: 400 },
    },
  );
  return routes;
}

/**
 * The pupil progress meetings: the SENCo, head and assessment lead run every class's; a class teacher
 * runs their own class's (Year 4 Oak is the teacher's; the teacher who is also an assistant teaches Year
 * 5); anyone else on the staff is refused. Your own actions are every member of staff's.
 */
function progressMeetingCases(): Case[] {
  const runs = (who: Exclude<Who, 'out'>) =>
    ['senco', 'head', 'assessmentLead', 'teacher', 'teacherTa'].includes(who);
  const list = (ok: number) => ({
    kind: 'custom' as const,
    status: (who: Exclude<Who, 'out'>) => (runs(who) ? ok : 403),
  });
  const classA = (ok: number) => ({
    kind: 'custom' as const,
    status: (who: Exclude<Who, 'out'>) => (!runs(who) ? 403 : who === 'teacherTa' ? 404 : ok),
  });
  const foreign = { kind: 'custom' as const, status: (who: Exclude<Who, 'out'>) => (runs(who) ? 404 : 403) };
  const staff = (ok: number) => ({
    kind: 'custom' as const,
    status: (who: Exclude<Who, 'out'>) => (['officer', 'parent', 'professional'].includes(who) ? 403 : ok),
  });
  const concern = (i: Ids, meeting: string) => `/progress-meetings/${meeting}/pupils/${i.K}/concern`;
  return [
    { method: 'GET', route: '/progress-meetings', path: () => '/progress-meetings', need: list(200) },
    { method: 'POST', route: '/progress-meetings', path: () => '/progress-meetings', need: list(400) },
    {
      method: 'GET',
      route: '/progress-meetings/actions',
      path: () => '/progress-meetings/actions',
      need: staff(200),
    },
    {
      method: 'POST',
      route: '/progress-meetings/actions',
      path: () => '/progress-meetings/actions',
      need: staff(400),
    },
    {
      method: 'GET',
      route: '/progress-meetings/:meetingId',
      path: (i) => `/progress-meetings/${i.meetingA}`,
      need: classA(200),
    },
    {
      method: 'POST',
      route: '/progress-meetings/:meetingId',
      path: (i) => `/progress-meetings/${i.meetingA}`,
      need: classA(400),
    },
    {
      method: 'GET',
      route: '/progress-meetings/:meetingId',
      path: (i) => `/progress-meetings/${i.meetingOther}`,
      need: foreign,
    },
    {
      method: 'POST',
      route: '/progress-meetings/:meetingId',
      path: (i) => `/progress-meetings/${i.meetingOther}`,
      need: foreign,
    },
    {
      method: 'GET',
      route: '/progress-meetings/:meetingId/pupils/:pupilId/concern',
      path: (i) => concern(i, i.meetingA),
      need: classA(200),
    },
    {
      method: 'POST',
      route: '/progress-meetings/:meetingId/pupils/:pupilId/concern',
      path: (i) => concern(i, i.meetingA),
      need: classA(400),
    },
    {
      method: 'GET',
      route: '/progress-meetings/:meetingId/pupils/:pupilId/concern',
      path: (i) => concern(i, i.meetingOther),
      need: foreign,
    },
    // A pupil's outcomes beyond attainment: their progress section (read to see, write to name and rate).
    ...(['K', 'E', 'other'] as const).flatMap((key): Case[] =>
      (['', '/ratings'] as const).flatMap((tail): Case[] => [
        {
          method: 'GET',
          route: `/pupils/:pupilId/outcomes${tail}`,
          path: (i) => `/pupils/${i[key]}/outcomes${tail}`,
          need: { kind: 'school', section: 'progress', pupil: key, ok: 200 },
        },
        {
          method: 'POST',
          route: `/pupils/:pupilId/outcomes${tail}`,
          path: (i) => `/pupils/${i[key]}/outcomes${tail}`,
          need: { kind: 'school', section: 'progress', pupil: key, ok: 400 },
        },
      ]),
    ),
  ];
}

/** Year 4 Oak's meeting held, with a decision to raise a concern about Kit; another school's meeting. */
async function progressMeetingsForTheMatrix(services: Services, w: World) {
  const { meetingId: meetingA } = await services.progressMeetings.prepare(w.senco.actor, w.classA.id);
  await services.progressMeetings.record(w.senco.actor, meetingA, {
    version: 1,
    heldOn: TODAY,
    attendeeIds: [w.senco.actor.userId],
    notes: null,
    decisions: [
      {
        pupilId: w.pupilK.id,
        decision: 'concern',
        notes: 'Raise a concern',
        actionOwnerId: null,
        actionDueOn: null,
      },
    ],
  });
  const { meetingId: meetingOther } = await services.progressMeetings.prepare(
    w.otherSenco.actor,
    w.otherClass.id,
  );
  return { meetingA, meetingOther };
}

/** What this person should get for this route, from the grant table alone. */
function expected(who: Who, need: Need): number {
  if (need.kind === 'public') return who !== 'out' && need.signedIn ? need.signedIn : need.status;
  if (who === 'out') return 303;
  const roles = ROLES[who];
  const kind = kindOfRoles(roles);
  const inSchool = kind === 'staff';
  if (need.kind === 'signed-in') return need.ok;
  if (need.kind === 'custom') return need.status(who);
  if (need.kind === 'organisation')
    return kind === 'officer' &&
      hasCapability(roles, 'organisation.view') &&
      (!need.capability || hasCapability(roles, need.capability))
      ? need.ok
      : 403;
  if (need.kind === 'person') return kind === need.as ? need.ok : 403;
  // An officer, a parent or a professional goes home to their own first page, not to a school page.
  if (!inSchool)
    return need.capability ||
      need.section ||
      need.concern ||
      need.wholeSchoolIn ||
      need.ownPupilsIn ||
      need.staff
      ? 403
      : 303;
  if (need.wholeSchoolIn && !need.wholeSchoolIn.some((s) => reachesFor(roles, s).includes('school')))
    return 403;
  if (need.ownPupilsIn && !need.ownPupilsIn.some((s) => personalReachesFor(roles, s).length > 0)) return 403;
  if (need.capability && !hasCapability(roles, need.capability)) return 403;
  if (need.section && reachesFor(roles, need.section, need.level ?? 'read').length === 0) return 403;
  if (need.concern) {
    // The concern is about Kit, raised by the class teacher of Year 4: its raiser always sees it.
    const access = sectionAccess(roles, reachesOf(who, 'K'));
    return atLeast(access.concerns, 'read') || who === 'teacher' ? need.ok : 404;
  }
  if (need.foreign) return 404;
  if (need.group) {
    // The group is delivered by the teaching assistant (not by the person who also teaches).
    return hasCapability(roles, 'provision.manage') || who === 'ta' ? need.ok : 404;
  }
  if (need.pupil && need.section) {
    const access = sectionAccess(roles, reachesOf(who, need.pupil));
    return atLeast(access[need.section], need.level ?? 'read') ? need.ok : 404;
  }
  return need.ok;
}

let database: Database;
let w: World;
let app: Awaited<ReturnType<typeof testApp>>['app'];
let ids: Ids;
const clients = new Map<Who, Client>();

beforeAll(async () => {
  database = await freshDatabase();
  w = await buildWorld(database);
  const built = await testApp(database);
  app = built.app;
  const { id: concern } = await buildConcern(database.db, {
    schoolId: w.school.id,
    pupilId: w.pupilK.id,
    concernDate: TODAY,
    raiser: { userId: w.teacherA.actor.userId, name: w.teacherA.actor.name },
  });
  const templates = await built.services.letters.templates(w.senco.actor);
  const placement = templates.find((t) => t.kind === 'register_placement')!;
  const { id: letter } = await buildLetter(database.db, {
    pupil: w.pupilK,
    templateId: placement.id,
    kind: 'register_placement',
    recipients: 'Kasia Kowalski',
    slip: 'I have read this letter. Signed: ____',
    sentOn: TODAY,
  });
  const { interventions } = await built.services.provision.catalogue(w.senco.actor);
  const intervention = interventions[0]!.id;
  const { id: group, memberIds } = await buildProvisionGroup(database.db, {
    schoolId: w.school.id,
    interventionId: intervention,
    name: 'Phonics for Eli',
    deliverer: { userId: w.ta.actor.userId, name: w.ta.actor.name },
    startDate: TODAY,
    pupilIds: [w.pupilE.id],
  });
  const plans = built.services.plans;
  const inPlace = async (pupilId: string) => {
    const id = await plans.start(w.senco.actor, pupilId);
    const v = (await plans.view(w.senco.actor, id)).plan.version;
    await plans.update(w.senco.actor, id, v, {
      needAreas: [],
      strengths: null,
      areasOfConcern: null,
      desiredOutcomes: 'To join in with class routines',
      qualityFirst: null,
      interventions: null,
      taSupport: null,
      resources: null,
      parentPupilContribution: null,
      parentsSupportAtHome: null,
      parentsViews: null,
      pupilViews: null,
      startDate: '2026-09-07',
      reviewDate: '2026-12-04',
      targets: [
        {
          id: null,
          area: null,
          target: 'Follow a two-part instruction',
          achievementCriteria: null,
          resourcesAndTechniques: null,
          classStrategies: null,
          bankEntryId: null,
        },
      ],
    });
    await plans.agree(w.senco.actor, id, v + 1, {
      agreedOn: '2026-09-07',
      agreedWith: 'Parents',
      sharedWithParentsOn: null,
    });
    return id;
  };
  const planK = await inPlace(w.pupilK.id);
  const planE = await inPlace(w.pupilE.id);
  const planKDraft = await plans.start(w.senco.actor, w.pupilK.id);
  const planOther = await plans.start(w.otherSenco.actor, w.otherPupil.id);
  const recommendationOf = async (pupil: { schoolId: string; id: string }) => {
    const referral = await buildReferral(database.db, pupil, { status: 'report_received' });
    return (await buildReport(database.db, referral)).recommendations[0]!.id;
  };
  // A CTF uploaded for a preview, and one made for a pupil who has left.
  const ctfImport = await built.services.transfers.previewCtf(w.senco.actor, {
    fileName: 'in.xml',
    data: ctfBytes({ pupils: [{}] }),
  });
  const leaver = await buildPupil(database.db, { schoolId: w.school.id, surname: 'Gone' });
  await built.services.transfers.recordLeaving(w.senco.actor, leaver.id, {
    version: 1,
    leftOn: TODAY,
    destination: null,
    destinationUrn: null,
  });
  const made = await built.services.transfers.produceCtf(w.senco.actor, {
    pupilIds: [leaver.id],
    destination: null,
  });
  const salt = await buildAgency(database.db, w.school.id);
  const referralDraft = await built.services.referrals.start(w.senco.actor, w.pupilK.id, {
    agencyId: salt.id,
    question: 'Why does Kit find spoken instructions hard?',
    tried: null,
    shareSections: ['plans'],
    shareDocuments: null,
    lawfulBasis: 'consent',
    basisNote: null,
    forEhcAssessment: false,
    concernId: null,
    pupilActionId: null,
  });
  const consentK = await built.services.referrals.recordConsent(w.senco.actor, referralDraft, {
    givenBy: 'parent',
    parentId: w.parentK.id,
    how: 'signed_form',
    givenOn: TODAY,
    coversReferral: true,
    coversSharing: true,
    coversDocuments: null,
    validUntil: null,
    form: {
      name: 'consent.pdf',
      bytes: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
    },
  });
  const school = {
    requestedBy: 'school' as const,
    parentId: null,
    parentRequestNote: null,
    pupilActionId: null,
  };
  const ehcRequestK = await built.services.ehcRequests.start(w.senco.actor, w.pupilK.id, school);
  const ehcRequestOther = await built.services.ehcRequests.start(w.otherSenco.actor, w.otherPupil.id, school);
  // Eli's final EHC plan from the world's authority; Kit's plan from another authority, from its PDF.
  await buildFinalPlan(database.db, w.pupilE, w.officer.organisationId, { issuedOn: '2026-03-02' });
  const summaryOf = async (actor: typeof w.senco.actor, pupilId: string) =>
    (
      await built.services.schoolEhcPlans.recordSummary(actor, pupilId, {
        localAuthorityName: 'Westshire Council',
        issuedOn: '2025-11-20',
        lastReviewOn: null,
        outcomes: ['Read a short book aloud'],
        provision: [
          { what: 'Daily reading', who: 'A teaching assistant', frequency: 'Daily', duration: '15 minutes' },
        ],
        file: { name: 'plan.pdf', bytes: await reportPdf('EHC plan') },
      })
    ).summaryId;
  ids = {
    ehcRequestK,
    ehcRequestOther,
    ehcSummaryK: await summaryOf(w.senco.actor, w.pupilK.id),
    ehcSummaryOther: await summaryOf(w.otherSenco.actor, w.otherPupil.id),
    referralDraft,
    consentK,
    letter,
    template: placement.id,
    intervention,
    group,
    member: memberIds[0]!,
    planK,
    planKDraft,
    planE,
    planOther,
    ctfImport,
    ctfExport: made.exportId,
    subjectAccess: await producedSubjectAccess(built.services, w),
    retentionReview: await listedForRetention(built.services, database, w),
    recommendationK: await recommendationOf(w.pupilK),
    recommendationE: await recommendationOf(w.pupilE),
    recommendationOther: await recommendationOf(w.otherPupil),
    A: w.pupilA.id,
    K: w.pupilK.id,
    E: w.pupilE.id,
    other: w.otherPupil.id,
    parent: w.parentK.id,
    concern,
    teacherB: w.teacherB.actor.userId,
    import: (
      await built.services.imports.upload(w.senco.actor, {
        fileName: 'pupils.csv',
        data: Buffer.from(misCsv([misRowFor(w.pupilA)], { upn: 'UPN', surname: 'Family name', sex: 'Sex' })),
      })
    ).importId,
    classA: w.classA.id,
    otherClass: w.otherClass.id,
    subject: (await built.services.attainment.subjects(w.senco.actor)).inUse[0]!.id,
    ...(await directoryIds(built.services, w)),
    ...(await referralsForTheMatrix(built.services, database, w)),
    ...(await caseloadIds(built.services, database, w)),
    ...(await reviewDecisionIds(database, w)),
    ...(await ehcPlansForTheMatrix(built.services, database, w)),
    ...(await topUpsForTheMatrix(built.services, database, w)),
    schoolReport: await built.services.schoolReports.start(w.senco.actor, {
      kind: 'sen_information',
      academicYear: 2026,
    }),
    schoolReportOther: await built.services.schoolReports.start(w.otherSenco.actor, {
      kind: 'sen_information',
      academicYear: 2026,
    }),
    ...(await annualReviewsForTheMatrix(built.services, database, w)),
    ...(await familyReadingForTheMatrix(database, w)),
    ...(await familyAreasForTheMatrix(built.services, database, w)),
    ...(await complaintsAndTrainingForTheMatrix(built.services, w)),
    ...(await progressMeetingsForTheMatrix(built.services, w)),
  };
  const emails: Record<Exclude<Who, 'out'>, string> = {
    senco: w.senco.email,
    head: w.head.email,
    teacher: w.teacherA.email,
    ta: w.ta.email,
    office: w.office.email,
    governor: w.governor.email,
    assessmentLead: w.assessmentLead.email,
    officer: w.officer.email,
    teacherTa: w.teacherTa.email,
    parent: w.parent.email,
    professional: w.professional.email,
  };
  const out = new Client(app);
  await out.get('/sign-in');
  clients.set('out', out);
  for (const [who, email] of Object.entries(emails) as [Exclude<Who, 'out'>, string][]) {
    const client = new Client(app);
    await client.signIn(email);
    clients.set(who, client);
  }
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('the matrix covers every route', () => {
  it('has a case for every GET and POST route the app registers', () => {
    const covered = new Set(CASES.map((c) => `${c.method} ${c.route}`));
    // Signing out is tested on its own (here it would end the sessions the matrix is using).
    const ignored = new Set([
      'GET /assets/*',
      'GET /assets/govuk/*',
      'GET /favicon.ico',
      'GET /account/after-sign-in',
      'POST /sign-out',
    ]);
    const missing = app.routeList
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => !covered.has(r) && !ignored.has(r));
    expect(missing).toEqual([]);
  });
});

describe.each(EVERYONE)('as %s', (who) => {
  for (const c of CASES) {
    const status = expected(who, c.need);
    it(`${c.method} ${c.route}${c.need.kind === 'school' && c.need.pupil ? ` (pupil ${c.need.pupil})` : ''} → ${status}`, async () => {
      const client = clients.get(who)!;
      const path = c.path(ids);
      const response = c.method === 'GET' ? await client.get(path) : await client.post(path, {});
      expect(response.statusCode, `${who} ${c.method} ${path}`).toBe(status);
      if (status === 303 && who === 'out' && c.need.kind !== 'public') {
        expect(String(response.headers.location)).toMatch(/^\/sign-in/);
      }
    });
  }
});
