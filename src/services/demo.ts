import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { agencyReport, supportPlan } from '../db/schema/index.ts';
import { demoAgencies } from '../demo/agencies.ts';
import { type DemoSchool, generateDemoSchool } from '../demo/generate.ts';
import { demoPupilVoices } from '../demo/pupil-voice.ts';
import { Random } from '../demo/random.ts';
import { demoReportPdf } from '../demo/report-pdf.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import { halfTermOf, isSchoolDay } from '../domain/school-days.ts';
import { lastSchoolDayOf } from '../domain/target-checks.ts';
import { insertAccounts } from '../repositories/accounts.ts';
import {
  insertAgencies,
  insertAgencyProfessionals,
  insertAgencyReports,
  insertRecommendations,
  insertRecommendationUses,
  insertReferralConsents,
  insertReferralEvents,
  insertReferrals,
} from '../repositories/agencies.ts';
import { insertAuditEvent } from '../repositories/audit.ts';
import { insertConcerns } from '../repositories/concerns.ts';
import { insertClosure } from '../repositories/ehc-cases.ts';
import { insertStoredFile } from '../repositories/files.ts';
import { insertLetterHistory } from '../repositories/letters.ts';
import { insertMemberships, insertOrganisationMembership } from '../repositories/memberships.ts';
import {
  insertOrganisationRoles,
  insertParentAccounts,
  insertProfessionalAccounts,
  insertPupilShares,
} from '../repositories/people-kinds.ts';
import { insertPlanHistory } from '../repositories/plans.ts';
import { insertDemoProvision } from '../repositories/provision.ts';
import { insertPupilVoices } from '../repositories/pupil-voice.ts';
import { insertAssignments, insertParents, insertPupils } from '../repositories/pupils.ts';
import { insertRegisterEntries, insertRegisterReviews } from '../repositories/register.ts';
import { countSchools, insertClasses, insertOrganisation, insertSchool } from '../repositories/schools.ts';
import { insertClassTeachers } from '../repositories/staff.ts';
import { insertSubjectAccessRequests } from '../repositories/subject-access.ts';
import { insertCtfExport } from '../repositories/transfers.ts';
import { insertDemoAttainment } from './demo-attainment.ts';
import { insertDemoComplaintsAndTraining } from './demo-complaints-training.ts';
import { insertDemoEhcWork } from './demo-ehc.ts';
import { insertDemoAnnualReviews, insertDemoEhcPlans, insertDemoProvisionLinks } from './demo-ehc-plans.ts';
import { insertDemoFamilyDoor } from './demo-family.ts';
import { insertDemoProgressMeetings } from './demo-progress-meetings.ts';
import { insertDemoSchoolReports } from './demo-school-reports.ts';
import { insertDemoTopUps } from './demo-top-up.ts';
import type { Actor } from './kernel/actor.ts';
import type { Clock } from './kernel/clock.ts';
import { ForbiddenError } from './kernel/errors.ts';
import { hashPassword } from './kernel/passwords.ts';
import { createRetentionService } from './retention/index.ts';

export const DEMO_PASSWORD = 'opensend-demo-password';

export interface DemoAccount {
  school: string;
  role: string;
  email: string;
}

export interface DemoOptions {
  schools?: number;
  seed?: number;
  /** Print progress for large datasets. */
  onProgress?: (done: number, total: number) => void;
}

/** A UUID made from a name, so the same demo seed gives the same ids. */
function seededUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Fill an empty database with fictional schools. Refused when any school exists, so it can never mix
 * demo pupils into a real school's records.
 */
export function createDemoService(database: Database, clock: Clock) {
  const { db } = database;

  async function insertDemoSchool(
    demo: DemoSchool,
    passwordHash: string,
    organisationId: string,
    requestId: string,
  ) {
    await db.transaction(async (tx) => {
      await insertSchool(tx, { ...demo.school, organisationId });
      await insertAccounts(
        tx,
        demo.staff.map((s) => ({ id: s.id, email: s.email, name: s.name, passwordHash })),
      );
      await insertMemberships(
        tx,
        demo.staff.map((s) => ({ schoolId: demo.school.id, userId: s.id, roles: s.roles })),
      );
      await insertClasses(tx, demo.classes);
      await insertClassTeachers(tx, demo.classTeachers);
      await insertPupils(tx, demo.pupils);
      await insertParents(tx, demo.parents);
      await insertAssignments(tx, demo.assignments);
      await insertRegisterEntries(tx, demo.registerEntries);
      await insertRegisterReviews(tx, demo.registerReviews);
      await insertConcerns(tx, demo.concerns);
      await insertDemoProvision(tx, demo.provision);
      await insertPlanHistory(tx, demo.plans);
      // A few pupils in their own words: their profile and their views before their last review.
      await insertPupilVoices(tx, demoPupilVoices(demo, demo.plans, seededUuid));
      await insertLetterHistory(tx, demo.letters);
      await insertSubjectAccessRequests(tx, demo.subjectAccess);
      for (const ctf of demo.ctfExports) await insertCtfExport(tx, ctf);
      // The school's own summer closures (this year's and next), a day longer than the usual summer:
      // the local authority's clock finds ground (a) from them when it asks the school for advice.
      const year = Number(clock.today().slice(0, 4));
      for (const y of [year, year + 1])
        await insertClosure(tx, {
          schoolId: demo.school.id,
          id: seededUuid(`${demo.school.id}:closure:${y}`),
          firstDay: `${y}-07-22`,
          lastDay: `${y}-09-01`,
          note: 'Summer holiday',
        });
      await insertAuditEvent(tx, {
        schoolId: demo.school.id,
        userId: null,
        role: null,
        action: 'demo.loaded',
        requestId,
        detail: { pupils: demo.pupils.length },
      });
    });
  }

  /**
   * A parent with an account, linked to their child at the first school, and an educational
   * psychologist with whom the SENCo shared three pupils' records (one share has ended).
   */
  async function insertDemoFamiliesAndAgencies(
    demo: DemoSchool,
    passwordHash: string,
    r: Random,
    organisationId: string,
    seed: number,
  ): Promise<DemoAccount[]> {
    const today = clock.today();
    const schoolDayOnOrBefore = (d: IsoDate): IsoDate => {
      let day = d;
      while (!isSchoolDay(day)) day = addDays(day, -1);
      return day;
    };
    const onSupport = demo.pupils
      .filter((p) => p.senStage === 'sen_support' && !p.leftOn)
      .sort((a, b) => a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename));
    const withEhc = demo.pupils.filter((p) => p.senStage === 'ehc_plan' && !p.leftOn);
    const child = onSupport.find((p) =>
      demo.parents.some((c) => c.pupilId === p.id && c.parentalResponsibility !== false),
    );
    const carer = demo.parents.find((c) => c.pupilId === child?.id && c.parentalResponsibility !== false);
    const senco = demo.staff.find((s) => s.roles.includes('senco'));
    if (!child || !carer || !senco) return [];
    const parentId = r.uuid();
    const psychologistId = r.uuid();
    await db.transaction(async (tx) => {
      await insertAccounts(tx, [
        { id: parentId, email: 'parent@families.example', name: carer.name, passwordHash },
        { id: psychologistId, email: 'psychologist@northshire.example', name: 'Dr Priya Shah', passwordHash },
      ]);
      await insertParentAccounts(tx, [
        {
          schoolId: demo.school.id,
          id: r.uuid(),
          userId: parentId,
          parentCarerId: carer.id,
          pupilId: child.id,
          linkedBy: senco.id,
        },
      ]);
      await insertProfessionalAccounts(tx, [
        {
          userId: psychologistId,
          agencyName: 'Northshire Educational Psychology Service',
          jobTitle: 'Educational psychologist',
        },
      ]);
      const until = lastSchoolDayOf(halfTermOf(addDays(lastSchoolDayOf(halfTermOf(today)), 21)));
      const shared = [...onSupport.slice(1, 3), ...withEhc.slice(0, 1)];
      // The directory (Northshire's and the school's own) and the school's referrals, each share resting
      // on the referral it was made for (its own random stream: the rest of the demo stays as it was).
      const outside = demoAgencies(demo, organisationId, today, new Random(seed + 14), {
        psychologistId,
        shared: { live: shared.map((p) => p.id!), ended: onSupport.slice(3, 4).map((p) => p.id!) },
      });
      // Each share's id, given to the referral it rests on (the referral page and the professional's
      // own page find the share through it).
      const liveShareIds = shared.map(() => r.uuid());
      const endedShareIds = onSupport.slice(3, 4).map(() => r.uuid());
      const shareOf = new Map<string, string>([
        ...shared.map((p, i): [string, string] => [p.id!, liveShareIds[i]!]),
        ...onSupport.slice(3, 4).map((p, i): [string, string] => [p.id!, endedShareIds[i]!]),
      ]);
      for (const made of outside.referrals) {
        const shareId = shareOf.get(made.pupilId);
        if (shareId && outside.referralOfShare.get(made.pupilId) === made.id) made.shareId = shareId;
      }
      await insertAgencies(tx, outside.agencies);
      await insertAgencyProfessionals(tx, outside.professionals);
      await insertReferrals(tx, outside.referrals);
      await insertReferralEvents(tx, outside.events);
      await insertReferralConsents(tx, outside.consents);
      // Reports back, their recommendations, and the advice acted on in the plans in place.
      await insertAgencyReports(tx, outside.reports);
      await insertRecommendations(tx, outside.recommendations);
      await insertRecommendationUses(tx, outside.uses);
      for (const p of outside.planStrategies)
        await tx
          .update(supportPlan)
          .set({ qualityFirst: p.qualityFirst })
          .where(and(eq(supportPlan.schoolId, demo.school.id), eq(supportPlan.id, p.planId)));
      if (outside.reportWithFile) {
        const report = outside.reports.find((x) => x.id === outside.reportWithFile!.reportId)!;
        const bytes = await demoReportPdf({
          title: report.title,
          author: `${report.authorName}, ${report.authorRole}, ${report.agencyName}`,
          paragraphs: [
            report.summary ?? '',
            ...outside.recommendations
              .filter((x) => x.reportId === report.id)
              .map((x, i) => `Recommendation ${i + 1}: ${x.text}`),
          ],
        });
        const fileId = r.uuid();
        await insertStoredFile(tx, {
          ownerId: demo.school.id,
          ownerKind: 'school',
          id: fileId,
          pupilId: report.pupilId,
          name: 'Occupational therapy report.pdf',
          contentType: 'application/pdf',
          extension: 'pdf',
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          bytes,
          uploadedBy: senco.id,
          uploadedByName: senco.name,
        });
        await tx
          .update(agencyReport)
          .set({ fileId })
          .where(and(eq(agencyReport.schoolId, demo.school.id), eq(agencyReport.id, report.id)));
      }
      await insertPupilShares(tx, [
        ...shared.map((p, i) => ({
          schoolId: demo.school.id,
          id: liveShareIds[i]!,
          pupilId: p.id,
          professionalUserId: psychologistId,
          sections: ['identity', 'register', 'plans', 'provision'] as (
            | 'identity'
            | 'register'
            | 'plans'
            | 'provision'
          )[],
          purpose:
            p.senStage === 'ehc_plan'
              ? 'Advice for the annual review of the EHC plan'
              : 'Referral to the educational psychology service',
          sharedFrom: schoolDayOnOrBefore(addDays(today, -28 - 7 * i)),
          sharedUntil: until,
          sharedBy: senco.id,
          referralId: outside.referralOfShare.get(p.id!) ?? null,
        })),
        // Last year's referral, over: the psychologist no longer sees this pupil.
        ...onSupport.slice(3, 4).map((p, i) => ({
          schoolId: demo.school.id,
          id: endedShareIds[i]!,
          pupilId: p.id,
          professionalUserId: psychologistId,
          sections: ['register', 'plans'] as ('register' | 'plans')[],
          purpose: 'Referral to the educational psychology service',
          sharedFrom: schoolDayOnOrBefore(addDays(today, -300)),
          sharedUntil: schoolDayOnOrBefore(addDays(today, -200)),
          sharedBy: senco.id,
          referralId: outside.referralOfShare.get(p.id!) ?? null,
        })),
      ]);
    });
    return [
      {
        school: demo.school.name,
        role: `parent or carer of ${child.forename}`,
        email: 'parent@families.example',
      },
      {
        school: 'Northshire Educational Psychology Service',
        role: 'educational psychologist',
        email: 'psychologist@northshire.example',
      },
    ];
  }

  return {
    async load(options: DemoOptions, requestId: string) {
      const schools = options.schools ?? 1;
      const seed = options.seed ?? 2026;
      if ((await countSchools(db)) > 0) {
        throw new ForbiddenError(
          'Demo data can only be loaded into an empty database: this one already has a school.',
        );
      }
      const passwordHash = await hashPassword(DEMO_PASSWORD);
      const r = new Random(seed);
      const organisationId = r.uuid();
      const officerId = r.uuid();
      await db.transaction(async (tx) => {
        await insertOrganisation(tx, {
          id: organisationId,
          name: 'Northshire Council (demo)',
          kind: 'local_authority',
        });
        await insertAccounts(tx, [
          { id: officerId, email: 'officer@northshire.example', name: 'Morgan Ellis', passwordHash },
        ]);
        await insertOrganisationMembership(tx, organisationId, officerId);
        await insertOrganisationRoles(tx, organisationId, officerId, ['caseworker', 'manager']);
      });
      const accounts: DemoAccount[] = [];
      let pupils = 0;
      for (let index = 0; index < schools; index++) {
        const demo = generateDemoSchool({ seed, index, today: clock.today(), passwordHash, organisationId });
        await insertDemoSchool(demo, passwordHash, organisationId, requestId);
        pupils += demo.pupils.length;
        if (index === 0) {
          // The first school's SENCo also sits on the local authority's SEND panel: one person, two places.
          const senco = demo.staff.find((s) => s.roles.includes('senco'))!;
          await insertOrganisationMembership(db, organisationId, senco.id);
          await insertOrganisationRoles(db, organisationId, senco.id, ['panel_member']);
          accounts.push(
            ...(await insertDemoFamiliesAndAgencies(demo, passwordHash, r, organisationId, seed)),
          );
          // High-needs top-up funding: one agreed, ending next term; one application waiting (its own stream).
          await db.transaction((tx) =>
            insertDemoTopUps(tx, demo, new Random(seed + 15), {
              organisationId,
              officer: { id: officerId, name: 'Morgan Ellis' },
              today: clock.today(),
            }),
          );
          // The complaints log, two years of staff training and the SENCO's qualification (its own stream).
          await db.transaction((tx) =>
            insertDemoComplaintsAndTraining(tx, demo, new Random(seed + 18), { today: clock.today() }),
          );
          // Half-termly pupil progress meetings, their decisions and actions (their own stream).
          await db.transaction((tx) =>
            insertDemoProgressMeetings(tx, demo, new Random(seed + 21), { today: clock.today() }),
          );
          const firstOf = (role: string) => demo.staff.find((s) => s.roles[0] === role)!;
          for (const s of [
            firstOf('senco'),
            firstOf('head_teacher'),
            demo.staff.find((x) => x.roles[0] === 'class_teacher' && x.description.includes('Year 3'))!,
            firstOf('teaching_assistant'),
            firstOf('office'),
            firstOf('sen_governor'),
          ]) {
            accounts.push({ school: demo.school.name, role: s.description, email: s.email });
          }
        }
        // Requests for EHC needs assessments sent into Northshire's caseload at different times, and the
        // caseworker's work on them since (every school: the caseload has an authority's scale).
        await insertDemoEhcWork(database, demo, {
          index,
          organisationId,
          officer: { id: officerId, name: 'Morgan Ellis', email: 'officer@northshire.example' },
          today: clock.today(),
        });
        // The EHC plans of the pupils the register says have one, each from its own assessment case.
        const demoOfficer: Actor = {
          kind: 'officer',
          userId: officerId,
          name: 'Morgan Ellis',
          email: 'officer@northshire.example',
          roles: ['caseworker', 'manager'],
          schoolId: null,
          organisationId,
          requestId: 'demo',
        };
        const plans = await insertDemoEhcPlans(database, demo, {
          organisationId,
          officer: demoOfficer,
          today: clock.today(),
        });
        // Their annual reviews: held and decided, one being amended, one being arranged.
        await insertDemoAnnualReviews(database, demo, plans, {
          organisationId,
          officer: demoOfficer,
          today: clock.today(),
          first: index === 0,
        });
        // Two years of termly attainment, trajectories, and a few pupils slipping this year (issue 18).
        await insertDemoAttainment(database, demo, { seed, index, today: clock.today() });
        // The SENCo's links from each plan's provision to the groups that deliver it.
        await insertDemoProvisionLinks(database, demo, plans, { today: clock.today() });
        // The family's door (docs/adr/0039): parents invited and joined, what they did online.
        if (index === 0)
          accounts.push(
            ...(await insertDemoFamilyDoor(database, demo, { today: clock.today(), passwordHash })),
          );
        // The school's SEN reports: this year's information report drafted, last year's governors' published
        // (every school: the authority compares them).
        await insertDemoSchoolReports(database, demo, { today: clock.today() });
        options.onProgress?.(index + 1, schools);
      }
      // The nightly review of records past their retention date, run once now so its list is true at once.
      await createRetentionService(database, clock).review();
      accounts.push({
        school: 'Northshire Council (demo)',
        role: 'local authority officer',
        email: 'officer@northshire.example',
      });
      return { accounts, password: DEMO_PASSWORD, schools, pupils };
    },
  };
}

export type DemoService = ReturnType<typeof createDemoService>;
