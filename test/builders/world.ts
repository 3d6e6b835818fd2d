import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import type { Services } from '../../src/services/index.ts';
import { freshDatabase } from '../db.ts';
import { testServices } from './common.ts';
import { buildOfficer, buildParentAccount, buildProfessional, buildStaff } from './people.ts';
import { buildParent, buildPupil } from './pupils.ts';
import { buildClass, buildSchool } from './schools.ts';

/**
 * A school with staff in every role, a person with two roles, two classes and pupils at each stage,
 * a parent with an account, a professional with a share, an officer of the school's local authority,
 * plus a second school with a pupil, a parent and staff of its own: the usual ground for service,
 * route and security tests.
 */
export async function buildWorld(database: Database) {
  const db = database.db;
  const officer = await buildOfficer(db);
  const school = await buildSchool(db, { organisationId: officer.organisationId, name: 'Oakfield Primary' });
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
  const ta = await buildStaff(db, 'teaching_assistant', {
    schoolId: school.id,
    name: 'Tia Assistant',
    assignedPupilIds: [pupilE.id],
  });
  const office = await buildStaff(db, 'office', { schoolId: school.id, name: 'Olu Office' });
  const governor = await buildStaff(db, 'sen_governor', { schoolId: school.id, name: 'Gina Governor' });
  const assessmentLead = await buildStaff(db, 'assessment_lead', {
    schoolId: school.id,
    name: 'Asha Assessment',
  });
  // Two roles: teaches Year 5 Ash and is the teaching assistant for Amara in Year 4 Oak.
  const teacherTa = await buildStaff(db, ['class_teacher', 'teaching_assistant'], {
    schoolId: school.id,
    classIds: [classB.id],
    assignedPupilIds: [pupilA.id],
    name: 'Toni Both',
  });
  const parentK = await buildParent(db, pupilK, {
    name: 'Kasia Kowalski',
    relationship: 'Mother',
    phone: '07700 900111',
    email: 'kasia@families.example',
  });
  const otherSchool = await buildSchool(db, { name: 'Elsewhere Primary' });
  const otherClass = await buildClass(db, otherSchool.id, 'Elsewhere Year 4', 4);
  const otherPupil = await buildPupil(db, {
    schoolId: otherSchool.id,
    classId: otherClass.id,
    forename: 'Otto',
    surname: 'Other',
    stage: 'sen_support',
    primaryNeed: 'SPLD',
  });
  const otherParent = await buildParent(db, otherPupil, { name: 'Olga Other' });
  const otherSenco = await buildStaff(db, 'senco', { schoolId: otherSchool.id, name: 'Ola Senco' });
  // Kit's mother has an account: as a parent she reaches Kit only.
  const parent = await buildParentAccount(db, [parentK], { email: 'kasia@families.example' });
  // An educational psychologist: Eli's SEN register and plans shared, live; Amara's share has ended.
  const professional = await buildProfessional(
    db,
    [
      { schoolId: school.id, pupilId: pupilE.id, sections: ['register', 'plans'] },
      { schoolId: school.id, pupilId: pupilA.id, sections: ['register'], sharedUntil: '2024-07-19' },
    ],
    { name: 'Priya Psychologist' },
  );
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
    assessmentLead,
    teacherTa,
    officer,
    pupilA,
    pupilK,
    pupilE,
    parentK,
    otherSchool,
    otherClass,
    otherPupil,
    otherParent,
    otherSenco,
    parent,
    professional,
  };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

export interface TestWorld {
  database: Database;
  services: Services;
  w: World;
}

/** A fresh database with the usual world and services on the fixed date, for one test file. */
export function useWorld(): TestWorld {
  const world = {} as TestWorld;
  beforeAll(async () => {
    world.database = await freshDatabase();
    world.services = testServices(world.database);
    world.w = await buildWorld(world.database);
  });
  afterAll(async () => {
    await world.database?.close();
  });
  return world;
}

/** The same as useWorld, for a file that builds its world in its own beforeAll. */
export async function setUpWorld() {
  const database = await freshDatabase();
  return { database, services: testServices(database), w: await buildWorld(database) };
}
