import type { Executor } from '../../src/db/client.ts';
import {
  kindOfRoles,
  type OrganisationRole,
  type Role,
  type SchoolRole,
  type Section,
} from '../../src/domain/access.ts';
import { insertAccounts } from '../../src/repositories/accounts.ts';
import { insertMembership, insertOrganisationMembership } from '../../src/repositories/memberships.ts';
import {
  insertOrganisationRoles,
  insertParentAccounts,
  insertProfessionalAccounts,
  insertPupilShares,
} from '../../src/repositories/people-kinds.ts';
import { insertAssignments } from '../../src/repositories/pupils.ts';
import { insertClassTeachers } from '../../src/repositories/staff.ts';
import type { Actor, SchoolActor } from '../../src/services/kernel/actor.ts';
import { next, testPasswordHash, uuid } from './common.ts';
import { buildOrganisation, buildSchool } from './schools.ts';

export interface BuiltStaff {
  actor: SchoolActor;
  email: string;
}

export function actorFor(
  userId: string,
  name: string,
  email: string,
  roles: Role[],
  schoolId: string | null,
  organisationId: string | null = null,
): Actor {
  const kind = kindOfRoles(roles);
  return {
    kind,
    userId,
    name,
    email,
    roles,
    schoolId: kind === 'staff' ? schoolId : null,
    organisationId: kind === 'officer' ? organisationId : null,
    requestId: `test-${uuid()}`,
  };
}

/**
 * A member of staff with one role or several (traits: classes they teach, pupils assigned to them).
 * Builds a school when none is given.
 */
export async function buildStaff(
  db: Executor,
  roles: SchoolRole | SchoolRole[],
  options: {
    schoolId?: string;
    classIds?: string[];
    assignedPupilIds?: string[];
    name?: string;
    email?: string;
  } = {},
): Promise<BuiltStaff> {
  const list = Array.isArray(roles) ? roles : [roles];
  const schoolId = options.schoolId ?? (await buildSchool(db)).id;
  const id = uuid();
  const email = options.email ?? `${list.join('-')}.${next()}@test.example`;
  const name = options.name ?? `${list.join(' and ')} ${next()}`;
  await insertAccounts(db, [{ id, email, name, passwordHash: await testPasswordHash() }]);
  await insertMembership(db, schoolId, id, list);
  if (options.classIds?.length) {
    await insertClassTeachers(
      db,
      options.classIds.map((classId) => ({ schoolId, classId, userId: id })),
    );
  }
  if (options.assignedPupilIds?.length) {
    await insertAssignments(
      db,
      options.assignedPupilIds.map((pupilId) => ({ schoolId, pupilId, userId: id })),
    );
  }
  return { actor: actorFor(id, name, email, list, schoolId) as BuiltStaff['actor'], email };
}

/** A second school's membership for someone who already has an account. */
export async function addMembership(db: Executor, userId: string, schoolId: string, roles: SchoolRole[]) {
  await insertMembership(db, schoolId, userId, roles);
}

export async function buildOfficer(
  db: Executor,
  organisationId?: string,
  roles: OrganisationRole[] = ['caseworker', 'manager'],
) {
  const orgId = organisationId ?? (await buildOrganisation(db)).id;
  const id = uuid();
  const email = `officer.${next()}@test.example`;
  await insertAccounts(db, [{ id, email, name: 'Officer', passwordHash: await testPasswordHash() }]);
  await insertOrganisationMembership(db, orgId, id);
  await insertOrganisationRoles(db, orgId, id, roles);
  return {
    actor: actorFor(id, 'Officer', email, roles, null, orgId),
    email,
    organisationId: orgId,
  };
}

/**
 * An account linked as a parent to a school's record of a parent or carer (or to several): the
 * person signs in as a parent and reaches those children. `userId` links an existing account (a member
 * of staff who is also a parent at the school).
 */
export async function buildParentAccount(
  db: Executor,
  carers: { schoolId: string; id: string; pupilId: string; name: string }[],
  options: { userId?: string; email?: string } = {},
) {
  const first = carers[0];
  if (!first) throw new Error('buildParentAccount needs a parent or carer');
  const id = options.userId ?? uuid();
  const email = options.email ?? `parent.${next()}@families.example`;
  if (!options.userId) {
    await insertAccounts(db, [{ id, email, name: first.name, passwordHash: await testPasswordHash() }]);
  }
  await insertParentAccounts(
    db,
    carers.map((c) => ({
      schoolId: c.schoolId,
      id: uuid(),
      userId: id,
      parentCarerId: c.id,
      pupilId: c.pupilId,
    })),
  );
  return { actor: actorFor(id, first.name, email, ['parent'], null), email };
}

/**
 * A professional of an outside agency, with what schools shared with them: each share names a
 * pupil, the sections, and the days it runs (by default from 2020 to 2099: live on any test date).
 */
export async function buildProfessional(
  db: Executor,
  shares: {
    schoolId: string;
    pupilId: string;
    sections: Section[];
    sharedFrom?: string;
    sharedUntil?: string;
    endedAt?: Date;
  }[],
  options: { name?: string; agencyName?: string } = {},
) {
  const id = uuid();
  const name = options.name ?? `Professional ${next()}`;
  const email = `professional.${next()}@agency.example`;
  await insertAccounts(db, [{ id, email, name, passwordHash: await testPasswordHash() }]);
  await insertProfessionalAccounts(db, [
    {
      userId: id,
      agencyName: options.agencyName ?? 'Educational Psychology Service',
      jobTitle: 'Educational psychologist',
    },
  ]);
  await insertPupilShares(
    db,
    shares.map((s) => ({
      schoolId: s.schoolId,
      id: uuid(),
      pupilId: s.pupilId,
      professionalUserId: id,
      sections: s.sections,
      purpose: 'Referral to the educational psychology service',
      sharedFrom: s.sharedFrom ?? '2020-01-01',
      sharedUntil: s.sharedUntil ?? '2099-12-31',
      endedAt: s.endedAt ?? null,
    })),
  );
  return { actor: actorFor(id, name, email, ['agency_professional'], null), email };
}
