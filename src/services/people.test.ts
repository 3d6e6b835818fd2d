import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildOfficer,
  buildParent,
  buildParentAccount,
  buildProfessional,
  buildPupil,
  buildSchool,
  buildStaff,
  TEST_PASSWORD,
  useWorld,
} from '../../test/builders/index.ts';
import {
  auditEvent,
  auditEventPupil,
  organisationCase,
  parentAccount,
  parentCarer,
  pupil,
  school,
} from '../db/schema/index.ts';
import { sectionAccess } from '../domain/access.ts';
import { matchedReaches, reachColumns, sectionCondition, sharedSections } from '../repositories/access.ts';
import { personScopeOf } from './kernel/actor.ts';
import { ForbiddenError } from './kernel/errors.ts';

/*
 * The four kinds of person, each limited by reaches compiled to SQL: a parent to their own children
 * (parental responsibility, no court order, a live link) at any school; a professional to what a
 * school shared, section by section, until the day it ends; staff never to their own children.
 */
const world = useWorld();

const names = (rows: { forename: string }[]) => rows.map((r) => r.forename).sort();

describe('a parent', () => {
  it('reaches their own child only, and each school’s trail records that they saw them', async () => {
    const { services, database, w } = world;
    const { children } = await services.people.children(w.parent.actor);
    expect(names(children)).toEqual(['Kit']);
    expect(children[0]?.schoolName).toBe('Oakfield Primary');
    const rows = await database.db
      .select({ schoolId: auditEvent.schoolId, role: auditEvent.role, pupilId: auditEventPupil.pupilId })
      .from(auditEvent)
      .innerJoin(auditEventPupil, eq(auditEventPupil.eventId, auditEvent.id))
      .where(and(eq(auditEvent.action, 'children.viewed'), eq(auditEvent.userId, w.parent.actor.userId)));
    expect(rows).toEqual([{ schoolId: w.school.id, role: 'parent', pupilId: w.pupilK.id }]);
  });

  it('reaches children at two schools with one account', async () => {
    const { services, database } = world;
    const db = database.db;
    const north = await buildSchool(db, { name: 'North Infants' });
    const south = await buildSchool(db, { name: 'South Juniors' });
    const younger = await buildPupil(db, { schoolId: north.id, forename: 'Nia' });
    const older = await buildPupil(db, { schoolId: south.id, forename: 'Noah' });
    const carers = [
      await buildParent(db, younger, { name: 'Nadia Nwosu' }),
      await buildParent(db, older, { name: 'Nadia Nwosu' }),
    ];
    const parent = await buildParentAccount(db, carers);
    expect(names((await services.people.children(parent.actor)).children)).toEqual(['Nia', 'Noah']);
  });

  it('loses the child when the school records no parental responsibility, a court order, or ends the link', async () => {
    const { services, database } = world;
    const db = database.db;
    const school = await buildSchool(db);
    const child = await buildPupil(db, { schoolId: school.id, forename: 'Rae' });
    const carer = await buildParent(db, child, { name: 'Ravi Rao' });
    const parent = await buildParentAccount(db, [carer]);
    const seen = async () => names((await services.people.children(parent.actor)).children);
    expect(await seen()).toEqual(['Rae']);
    const set = (values: Partial<typeof parentCarer.$inferInsert>) =>
      db
        .update(parentCarer)
        .set(values)
        .where(and(eq(parentCarer.schoolId, school.id), eq(parentCarer.id, carer.id)));
    await set({ parentalResponsibility: false });
    expect(await seen()).toEqual([]);
    await set({ parentalResponsibility: true, courtOrder: true });
    expect(await seen()).toEqual([]);
    await set({ courtOrder: false });
    expect(await seen()).toEqual(['Rae']);
    await db
      .update(parentAccount)
      .set({ endedAt: new Date() })
      .where(eq(parentAccount.parentCarerId, carer.id));
    expect(await seen()).toEqual([]);
  });

  it('is refused the pages of staff, and staff are refused a parent’s page', async () => {
    const { services, w } = world;
    await expect(services.pupils.view(w.parent.actor, w.pupilK.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.pupils.list(w.parent.actor, {}, 1)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.people.children(w.senco.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.people.shared(w.parent.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.organisation.overview(w.parent.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('a professional', () => {
  it('reaches only the live shares, with the sections each names', async () => {
    const { services, w } = world;
    const { pupils } = await services.people.shared(w.professional.actor);
    expect(pupils.map((p) => [p.forename, p.sections, p.sharedUntil])).toEqual([
      ['Eli', ['SEN register', 'support plans'], '2099-12-31'],
    ]);
  });

  it('sees of a shared pupil the sections shared and nothing else, limited in SQL section by section', async () => {
    const { database, w } = world;
    const scope = personScopeOf(w.professional.actor);
    const reached = async (section: 'register' | 'plans' | 'medical' | 'directory') =>
      (
        await database.db
          .select({ forename: pupil.forename })
          .from(pupil)
          .where(sectionCondition(scope, section))
      ).map((r) => r.forename);
    expect(await reached('directory')).toEqual(['Eli']);
    expect(await reached('register')).toEqual(['Eli']);
    expect(await reached('plans')).toEqual(['Eli']);
    expect(await reached('medical')).toEqual([]);
    const [row] = await database.db
      .select({ ...reachColumns(scope) })
      .from(pupil)
      .innerJoin(school, eq(school.id, pupil.schoolId))
      .where(and(eq(pupil.schoolId, w.school.id), eq(pupil.id, w.pupilE.id)));
    const access = sectionAccess(scope.roles, matchedReaches(scope, row!), sharedSections(row!));
    expect(access).toMatchObject({
      directory: 'read',
      register: 'read',
      plans: 'read',
      medical: null,
      identity: null,
    });
  });

  it('loses a share the day after it ends, and at once when the school ends it', async () => {
    const { services, database, w } = world;
    const db = database.db;
    const ended = await buildProfessional(db, [
      { schoolId: w.school.id, pupilId: w.pupilA.id, sections: ['register'], sharedUntil: '2020-12-31' },
      { schoolId: w.school.id, pupilId: w.pupilK.id, sections: ['register'], endedAt: new Date() },
      { schoolId: w.school.id, pupilId: w.pupilE.id, sections: ['register'], sharedFrom: '2099-01-01' },
    ]);
    expect((await services.people.shared(ended.actor)).pupils).toEqual([]);
  });
});

describe('a member of staff who is also a parent at the school', () => {
  it('sees their own child only as a parent', async () => {
    const { services, database, w } = world;
    const db = database.db;
    // The class teacher of Year 4 Oak is also Amara's father.
    const carer = await buildParent(db, w.pupilA, { name: 'Tara Teacher', relationship: 'Father' });
    await buildParentAccount(db, [carer], { userId: w.teacherA.actor.userId, email: w.teacherA.email });
    const asStaff = await services.pupils.list(w.teacherA.actor, {}, 1);
    expect(asStaff.rows.map((r) => r.forename)).not.toContain('Amara');
    expect(asStaff.rows.map((r) => r.forename)).toContain('Kit');
    await expect(services.pupils.view(w.teacherA.actor, w.pupilA.id)).rejects.toThrow('Pupil not found');
    // The SENCo still reaches Amara, and the teacher, as a parent, reaches her.
    expect((await services.pupils.view(w.senco.actor, w.pupilA.id)).pupil.forename).toBe('Amara');
    const asParent = {
      ...w.teacherA.actor,
      kind: 'parent' as const,
      roles: ['parent' as const],
      schoolId: null,
    };
    expect(names((await services.people.children(asParent)).children)).toEqual(['Amara']);
    await db.delete(parentAccount).where(eq(parentAccount.parentCarerId, carer.id));
  });

  it('is offered both places after signing in, and chooses', async () => {
    const { services, database } = world;
    const db = database.db;
    const school = await buildSchool(db, { name: 'Both Ways Primary' });
    const head = await buildStaff(db, 'head_teacher', { schoolId: school.id });
    const child = await buildPupil(db, { schoolId: school.id, forename: 'Bo' });
    const carer = await buildParent(db, child, { name: 'Head Parent' });
    await buildParentAccount(db, [carer], { userId: head.actor.userId, email: head.email });
    const signed = await services.auth.signIn(
      { email: head.email, password: TEST_PASSWORD, address: '127.0.0.1' },
      'r',
    );
    if (!signed.ok) throw new Error('sign-in failed');
    const first = await services.auth.resolve(signed.token, 'r1');
    if (first?.status !== 'live') throw new Error('no session');
    // They work at their school first, and may switch to being a parent without signing out.
    expect(first.actor).toMatchObject({ kind: 'staff', schoolId: school.id, roles: ['head_teacher'] });
    expect(first.places.map((p) => p.kind)).toEqual(['staff', 'parent']);
    expect(await services.auth.chooseContext(first, 'parent')).toBe(true);
    expect(await services.auth.chooseContext(first, 'professional')).toBe(false);
    const second = await services.auth.resolve(signed.token, 'r2');
    if (second?.status !== 'live') throw new Error('no session');
    expect(second.actor).toMatchObject({ kind: 'parent', schoolId: null, roles: ['parent'] });
    expect(names((await services.people.children(second.actor)).children)).toEqual(['Bo']);
    await expect(services.pupils.view(second.actor, child.id)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('a parent’s account when the school removes the parent from the record', () => {
  it('loses the child with the record, and the removal says an account was unlinked', async () => {
    const { services, database } = world;
    const db = database.db;
    const school = await buildSchool(db);
    const senco = await buildStaff(db, 'senco', { schoolId: school.id });
    const child = await buildPupil(db, { schoolId: school.id, forename: 'Lou' });
    const carer = await buildParent(db, child, { name: 'Lee Lane' });
    const parent = await buildParentAccount(db, [carer]);
    expect(names((await services.people.children(parent.actor)).children)).toEqual(['Lou']);
    expect(await services.pupils.removeParent(senco.actor, child.id, carer.id)).toBe('Lee Lane');
    expect((await services.people.children(parent.actor)).children).toEqual([]);
    const [removed] = await db
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'pupil.parent_removed'), eq(auditEvent.pupilId, child.id)));
    expect(removed?.detail).toMatchObject({ name: 'Lee Lane', accountsUnlinked: 1 });
  });
});

describe('an officer', () => {
  it('reaches the pupils of the organisation’s open cases only, by the sections of their roles', async () => {
    const { services, database, w } = world;
    const scope = personScopeOf(w.officer.actor);
    const reached = async (section: 'register' | 'ehc' | 'medical') =>
      (
        await database.db
          .select({ forename: pupil.forename })
          .from(pupil)
          .where(sectionCondition(scope, section))
      ).map((r) => r.forename);
    expect(await reached('register')).toEqual([]);
    const { caseId } = await services.organisation.openCase(w.officer.actor, {
      schoolId: w.school.id,
      pupilId: w.pupilK.id,
      kind: 'ehc_needs_assessment',
      openedOn: '2026-11-20',
    });
    expect(caseId).toBeTruthy();
    expect(await reached('register')).toEqual(['Kit']);
    expect(await reached('ehc')).toEqual(['Kit']);
    // No role of an officer opens a pupil's medical record.
    expect(await reached('medical')).toEqual([]);
    // A panel member of another organisation reaches nobody through this one's case.
    const elsewhere = await buildOfficer(database.db, undefined, ['panel_member']);
    const other = personScopeOf(elsewhere.actor);
    expect(
      await database.db
        .select({ forename: pupil.forename })
        .from(pupil)
        .where(sectionCondition(other, 'register')),
    ).toEqual([]);
    await database.db
      .update(organisationCase)
      .set({ closedOn: '2026-11-20' })
      .where(eq(organisationCase.id, caseId));
    expect(await reached('register')).toEqual([]);
  });
});
