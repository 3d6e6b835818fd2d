import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../src/db/client.ts';
import type { NeedCode } from '../src/domain/census.ts';
import type { SenStage } from '../src/domain/register.ts';
import type { Role, SchoolRole } from '../src/domain/roles.ts';
import { makeUpn } from '../src/domain/upn.ts';
import {
  insertAssignments,
  insertParents,
  insertPupils,
  type PupilInsert,
} from '../src/repositories/pupils.ts';
import { insertClasses, insertOrganisation, insertSchool } from '../src/repositories/schools.ts';
import {
  insertClassTeachers,
  insertMembership,
  insertOrganisationMembership,
  insertUser,
} from '../src/repositories/users.ts';
import type { Actor } from '../src/services/actor.ts';
import { fixedClock } from '../src/services/clock.ts';
import { createServices, type Services } from '../src/services/index.ts';
import { hashPassword } from '../src/services/passwords.ts';

/** Tests run on a fixed date, so dates and year groups are stable. */
export const TODAY = '2026-11-20';
export const TEST_PASSWORD = 'correct horse battery staple';

let hashed: Promise<string> | null = null;
export function testPasswordHash(): Promise<string> {
  hashed ??= hashPassword(TEST_PASSWORD);
  return hashed;
}

export function testServices(database: Database): Services {
  return createServices(database, fixedClock(TODAY));
}

let counter = 0;
const next = () => ++counter;

export async function buildSchool(
  db: Executor,
  overrides: { organisationId?: string | null; name?: string } = {},
) {
  const n = next();
  const school = {
    id: randomUUID(),
    name: overrides.name ?? `Test Primary ${n}`,
    urn: String(100000 + Math.floor(Math.random() * 800000)),
    laCode: '999',
    establishmentNumber: String(1000 + (n % 9000)),
    phase: 'primary',
    organisationId: overrides.organisationId ?? null,
  };
  await insertSchool(db, school);
  return school;
}

export async function buildClass(db: Executor, schoolId?: string, name?: string, ncYear = 3) {
  const sid = schoolId ?? (await buildSchool(db)).id;
  const c = { schoolId: sid, id: randomUUID(), name: name ?? `Class ${next()}`, ncYear };
  await insertClasses(db, [c]);
  return c;
}

export interface BuiltStaff {
  actor: Actor;
  email: string;
}

export async function buildStaff(
  db: Executor,
  role: SchoolRole,
  options: { schoolId?: string; classIds?: string[]; name?: string } = {},
): Promise<BuiltStaff> {
  const schoolId = options.schoolId ?? (await buildSchool(db)).id;
  const id = randomUUID();
  const email = `${role}.${next()}@test.example`;
  const name = options.name ?? `${role} ${counter}`;
  await insertUser(db, { id, email, name, passwordHash: await testPasswordHash() });
  await insertMembership(db, schoolId, id, role);
  if (options.classIds?.length) {
    await insertClassTeachers(
      db,
      options.classIds.map((classId) => ({ schoolId, classId, userId: id })),
    );
  }
  return { actor: actorFor(id, name, email, role, schoolId), email };
}

export function actorFor(
  userId: string,
  name: string,
  email: string,
  role: Role,
  schoolId: string | null,
  organisationId: string | null = null,
): Actor {
  return { userId, name, email, role, schoolId, organisationId, requestId: `test-${randomUUID()}` };
}

export async function buildOfficer(db: Executor, organisationId?: string) {
  const orgId = organisationId ?? randomUUID();
  if (!organisationId)
    await insertOrganisation(db, { id: orgId, name: 'Testshire Council', kind: 'local_authority' });
  const id = randomUUID();
  const email = `officer.${next()}@test.example`;
  await insertUser(db, { id, email, name: 'Officer', passwordHash: await testPasswordHash() });
  await insertOrganisationMembership(db, orgId, id);
  return {
    actor: actorFor(id, 'Officer', email, 'organisation_officer', null, orgId),
    email,
    organisationId: orgId,
  };
}

export async function buildPupil(
  db: Executor,
  options: Partial<PupilInsert> & { schoolId?: string; stage?: SenStage; primaryNeed?: NeedCode | null } = {},
) {
  const schoolId = options.schoolId ?? (await buildSchool(db)).id;
  const n = next();
  const { stage, ...rest } = options;
  const row: PupilInsert = {
    schoolId,
    id: randomUUID(),
    upn: makeUpn('999', '1234', 20, n),
    forename: `Pupil${n}`,
    surname: `Testname${n}`,
    dateOfBirth: '2018-05-10',
    sex: 'female',
    senStage: stage ?? 'none',
    ...rest,
  };
  await insertPupils(db, [row]);
  return row as PupilInsert & { id: string };
}

/**
 * A school with staff in every role, two classes and pupils at each stage, plus a second school
 * with a pupil of its own: the usual ground for service and route tests.
 */
export async function buildWorld(database: Database) {
  const db = database.db;
  const org = await buildOfficer(db);
  const school = await buildSchool(db, { organisationId: org.organisationId, name: 'Oakfield Primary' });
  const classA = await buildClass(db, school.id, 'Year 4 Oak', 4);
  const classB = await buildClass(db, school.id, 'Year 5 Ash', 5);
  const senco = await buildStaff(db, 'senco', { schoolId: school.id, name: 'Sam Senco' });
  const head = await buildStaff(db, 'head_teacher', { schoolId: school.id, name: 'Hana Head' });
  const teacherA = await buildStaff(db, 'class_teacher', {
    schoolId: school.id,
    classIds: [classA.id],
    name: 'Tara Teacher',
  });
  const teacherB = await buildStaff(db, 'class_teacher', {
    schoolId: school.id,
    classIds: [classB.id],
    name: 'Tom Teacher',
  });
  const ta = await buildStaff(db, 'teaching_assistant', { schoolId: school.id, name: 'Tia Assistant' });
  const office = await buildStaff(db, 'office', { schoolId: school.id, name: 'Olu Office' });
  const governor = await buildStaff(db, 'sen_governor', { schoolId: school.id, name: 'Gina Governor' });
  const pupilA = await buildPupil(db, {
    schoolId: school.id,
    classId: classA.id,
    forename: 'Amara',
    surname: 'Adebayo',
    dateOfBirth: '2018-01-15',
  });
  const pupilK = await buildPupil(db, {
    schoolId: school.id,
    classId: classA.id,
    forename: 'Kit',
    surname: 'Kowalski',
    stage: 'sen_support',
    primaryNeed: 'SLCN',
  });
  const pupilE = await buildPupil(db, {
    schoolId: school.id,
    classId: classB.id,
    forename: 'Eli',
    surname: 'Evans',
    stage: 'ehc_plan',
    primaryNeed: 'ASD',
    dateOfBirth: '2017-03-02',
  });
  await insertAssignments(db, [{ schoolId: school.id, pupilId: pupilE.id, userId: ta.actor.userId }]);
  const parentK = {
    schoolId: school.id,
    id: randomUUID(),
    pupilId: pupilK.id,
    name: 'Kasia Kowalski',
    relationship: 'Mother',
    phone: '07700 900111',
    email: 'kasia@families.example',
    parentalResponsibility: true,
    contactPriority: 1,
  };
  await insertParents(db, [parentK]);
  const otherSchool = await buildSchool(db, { name: 'Elsewhere Primary' });
  const otherPupil = await buildPupil(db, { schoolId: otherSchool.id, forename: 'Otto', surname: 'Other' });
  const otherSenco = await buildStaff(db, 'senco', { schoolId: otherSchool.id });
  return {
    school,
    classA,
    classB,
    senco,
    head,
    teacherA,
    teacherB,
    ta,
    office,
    governor,
    officer: org,
    pupilA,
    pupilK,
    pupilE,
    parentK,
    otherSchool,
    otherPupil,
    otherSenco,
  };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** A fresh database with the usual world and services on the fixed date: for a test file's beforeAll. */
export async function setUpWorld() {
  const { freshDatabase } = await import('./db.ts');
  const database = await freshDatabase();
  return { database, services: testServices(database), w: await buildWorld(database) };
}
