import type { Executor } from '../../src/db/client.ts';
import type { Role, SchoolRole } from '../../src/domain/access.ts';
import { insertAccounts } from '../../src/repositories/accounts.ts';
import { insertMembership, insertOrganisationMembership } from '../../src/repositories/memberships.ts';
import { insertAssignments } from '../../src/repositories/pupils.ts';
import { insertClassTeachers } from '../../src/repositories/staff.ts';
import type { Actor } from '../../src/services/kernel/actor.ts';
import { next, testPasswordHash, uuid } from './common.ts';
import { buildOrganisation, buildSchool } from './schools.ts';

export interface BuiltStaff {
  actor: Actor & { schoolId: string };
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
  return { userId, name, email, roles, schoolId, organisationId, requestId: `test-${uuid()}` };
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

export async function buildOfficer(db: Executor, organisationId?: string) {
  const orgId = organisationId ?? (await buildOrganisation(db)).id;
  const id = uuid();
  const email = `officer.${next()}@test.example`;
  await insertAccounts(db, [{ id, email, name: 'Officer', passwordHash: await testPasswordHash() }]);
  await insertOrganisationMembership(db, orgId, id);
  return {
    actor: actorFor(id, 'Officer', email, ['organisation_officer'], null, orgId),
    email,
    organisationId: orgId,
  };
}
