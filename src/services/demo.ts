import type { Database } from '../db/client.ts';
import { type DemoSchool, generateDemoSchool } from '../demo/generate.ts';
import { Random } from '../demo/random.ts';
import { insertAccounts } from '../repositories/accounts.ts';
import { insertAuditEvent } from '../repositories/audit.ts';
import { insertConcerns } from '../repositories/concerns.ts';
import { insertLetterHistory } from '../repositories/letters.ts';
import { insertMemberships, insertOrganisationMembership } from '../repositories/memberships.ts';
import { insertPlanHistory } from '../repositories/plans.ts';
import { insertDemoProvision } from '../repositories/provision.ts';
import { insertAssignments, insertParents, insertPupils } from '../repositories/pupils.ts';
import { insertRegisterEntries, insertRegisterReviews } from '../repositories/register.ts';
import { countSchools, insertClasses, insertOrganisation, insertSchool } from '../repositories/schools.ts';
import { insertClassTeachers } from '../repositories/staff.ts';
import { insertSubjectAccessRequests } from '../repositories/subject-access.ts';
import { insertCtfExport } from '../repositories/transfers.ts';
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
      await insertLetterHistory(tx, demo.letters);
      await insertSubjectAccessRequests(tx, demo.subjectAccess);
      for (const ctf of demo.ctfExports) await insertCtfExport(tx, ctf);
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
