import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  classTeacher,
  membership,
  organisationMembership,
  pupilAssignment,
  school,
  schoolClass,
  userSession,
} from '../db/schema.ts';
import type { SchoolRole } from '../domain/roles.ts';

export async function findUserByEmail(db: Executor, email: string) {
  const rows = await db.select().from(appUser).where(eq(appUser.email, email.toLowerCase())).limit(1);
  return rows[0] ?? null;
}

export async function insertUser(
  db: Executor,
  user: { id: string; email: string; name: string; passwordHash: string },
): Promise<void> {
  await db.insert(appUser).values({ ...user, email: user.email.toLowerCase() });
}

export async function recordFailedSignIn(
  db: Executor,
  userId: string,
  maxFailures: number,
  lockMinutes: number,
) {
  const rows = await db
    .update(appUser)
    .set({
      failedSignIns: sql`${appUser.failedSignIns} + 1`,
      lockedUntil: sql`case when ${appUser.failedSignIns} + 1 >= ${maxFailures} then now() + make_interval(mins => ${lockMinutes}) else ${appUser.lockedUntil} end`,
    })
    .where(eq(appUser.id, userId))
    .returning({ failedSignIns: appUser.failedSignIns, lockedUntil: appUser.lockedUntil });
  return rows[0] ?? null;
}

export async function clearFailedSignIns(db: Executor, userId: string): Promise<void> {
  await db.update(appUser).set({ failedSignIns: 0, lockedUntil: null }).where(eq(appUser.id, userId));
}

/** A new password also clears any lock-out: the SENCo's reset is how a locked-out colleague gets back in. */
export async function updatePasswordHash(db: Executor, userId: string, passwordHash: string): Promise<void> {
  await db
    .update(appUser)
    .set({ passwordHash, failedSignIns: 0, lockedUntil: null })
    .where(eq(appUser.id, userId));
}

export async function membershipsOfUser(db: Executor, userId: string) {
  return db
    .select({ schoolId: membership.schoolId, role: membership.role, schoolName: school.name })
    .from(membership)
    .innerJoin(school, eq(school.id, membership.schoolId))
    .where(eq(membership.userId, userId))
    .orderBy(asc(school.name));
}

export async function organisationMembershipsOfUser(db: Executor, userId: string) {
  return db
    .select({ organisationId: organisationMembership.organisationId })
    .from(organisationMembership)
    .where(eq(organisationMembership.userId, userId));
}

export async function insertSession(
  db: Executor,
  session: { id: string; userId: string; schoolId: string | null; expiresAt: Date },
): Promise<void> {
  await db.insert(userSession).values(session);
}

/** The live session with its user, school memberships and organisations, in one query. */
export async function findLiveSessionWithMemberships(db: Executor, id: string) {
  const rows = await db
    .select({
      id: userSession.id,
      userId: userSession.userId,
      schoolId: userSession.schoolId,
      lastSeenAt: userSession.lastSeenAt,
      name: appUser.name,
      email: appUser.email,
      disabledAt: appUser.disabledAt,
      memberships: sql<{ schoolId: string; role: SchoolRole; schoolName: string }[]>`coalesce((
        select json_agg(json_build_object('schoolId', ${membership.schoolId}, 'role', ${membership.role}, 'schoolName', ${school.name}) order by ${school.name})
        from ${membership} join ${school} on ${school.id} = ${membership.schoolId}
        where ${membership.userId} = ${userSession.userId}), '[]'::json)`,
      organisationIds: sql<string[]>`coalesce((
        select json_agg(${organisationMembership.organisationId})
        from ${organisationMembership} where ${organisationMembership.userId} = ${userSession.userId}), '[]'::json)`,
    })
    .from(userSession)
    .innerJoin(appUser, eq(appUser.id, userSession.userId))
    .where(and(eq(userSession.id, id), gt(userSession.expiresAt, sql`now()`)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  // PostgreSQL returns json as text through some drivers: accept both.
  const parse = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  return { ...row, memberships: parse(row.memberships), organisationIds: parse(row.organisationIds) };
}

export async function touchSession(db: Executor, id: string): Promise<void> {
  await db.update(userSession).set({ lastSeenAt: sql`now()` }).where(eq(userSession.id, id));
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.delete(userSession).where(eq(userSession.id, id));
}

export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<void> {
  await db.delete(userSession).where(eq(userSession.userId, userId));
}

export async function findMembership(db: Executor, schoolId: string, userId: string) {
  const rows = await db
    .select()
    .from(membership)
    .where(and(eq(membership.schoolId, schoolId), eq(membership.userId, userId)))
    .limit(1);
  return rows[0] ?? null;
}

export async function insertMembership(db: Executor, schoolId: string, userId: string, role: SchoolRole) {
  await db.insert(membership).values({ schoolId, userId, role });
}

export async function updateMembershipRole(db: Executor, schoolId: string, userId: string, role: SchoolRole) {
  await db
    .update(membership)
    .set({ role })
    .where(and(eq(membership.schoolId, schoolId), eq(membership.userId, userId)));
}

export async function setUserDisabled(db: Executor, userId: string, disabled: boolean) {
  await db
    .update(appUser)
    .set({ disabledAt: disabled ? sql`now()` : null })
    .where(eq(appUser.id, userId));
}

export async function staffOfSchool(db: Executor, schoolId: string) {
  return db
    .select({
      userId: appUser.id,
      name: appUser.name,
      email: appUser.email,
      role: membership.role,
      disabledAt: appUser.disabledAt,
      lockedUntil: appUser.lockedUntil,
      classNames: sql<
        string[]
      >`coalesce((select array_agg(${schoolClass.name} order by ${schoolClass.name}) from ${classTeacher} join ${schoolClass} on ${schoolClass.schoolId} = ${classTeacher.schoolId} and ${schoolClass.id} = ${classTeacher.classId} where ${classTeacher.schoolId} = ${membership.schoolId} and ${classTeacher.userId} = ${membership.userId}), '{}')`,
      assignedPupils: sql<number>`(select count(*)::int from ${pupilAssignment} where ${pupilAssignment.schoolId} = ${membership.schoolId} and ${pupilAssignment.userId} = ${membership.userId})`,
    })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(eq(membership.schoolId, schoolId))
    .orderBy(asc(appUser.name));
}

/** Active members of a school with one role (for choosing, say, a teaching assistant). */
export async function activeStaffWithRole(db: Executor, schoolId: string, role: SchoolRole) {
  return db
    .select({ userId: appUser.id, name: appUser.name })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(and(eq(membership.schoolId, schoolId), eq(membership.role, role), isNull(appUser.disabledAt)))
    .orderBy(asc(appUser.name));
}

export async function staffMember(db: Executor, schoolId: string, userId: string) {
  const rows = await db
    .select({
      userId: appUser.id,
      name: appUser.name,
      email: appUser.email,
      role: membership.role,
      disabledAt: appUser.disabledAt,
    })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(and(eq(membership.schoolId, schoolId), eq(membership.userId, userId)))
    .limit(1);
  return rows[0] ?? null;
}

export async function classIdsOfTeacher(db: Executor, schoolId: string, userId: string): Promise<string[]> {
  const rows = await db
    .select({ classId: classTeacher.classId })
    .from(classTeacher)
    .where(and(eq(classTeacher.schoolId, schoolId), eq(classTeacher.userId, userId)));
  return rows.map((r) => r.classId);
}

export async function replaceClassesOfTeacher(
  db: Executor,
  schoolId: string,
  userId: string,
  classIds: string[],
) {
  await db
    .delete(classTeacher)
    .where(and(eq(classTeacher.schoolId, schoolId), eq(classTeacher.userId, userId)));
  if (classIds.length > 0) {
    await db.insert(classTeacher).values(classIds.map((classId) => ({ schoolId, classId, userId })));
  }
}

export async function setSessionSchool(db: Executor, sessionId: string, schoolId: string): Promise<void> {
  await db.update(userSession).set({ schoolId }).where(eq(userSession.id, sessionId));
}

export async function insertUsers(
  db: Executor,
  users: { id: string; email: string; name: string; passwordHash: string }[],
): Promise<void> {
  if (users.length > 0)
    await db.insert(appUser).values(users.map((u) => ({ ...u, email: u.email.toLowerCase() })));
}

export async function insertMemberships(
  db: Executor,
  values: { schoolId: string; userId: string; role: SchoolRole }[],
) {
  if (values.length > 0) await db.insert(membership).values(values);
}

export async function insertClassTeachers(
  db: Executor,
  values: { schoolId: string; classId: string; userId: string }[],
) {
  if (values.length > 0) await db.insert(classTeacher).values(values);
}

export async function insertOrganisationMembership(db: Executor, organisationId: string, userId: string) {
  await db.insert(organisationMembership).values({ organisationId, userId });
}
