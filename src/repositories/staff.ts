import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  classTeacher,
  membership,
  membershipRole,
  organisationMembership,
  pupil,
  pupilAssignment,
  school,
  schoolClass,
  staffInvitation,
} from '../db/schema/index.ts';
import type { SchoolRole } from '../domain/access.ts';
import { parseJson } from './sessions.ts';

/** The staff of a school as the school sees them: its memberships, their roles and classes. */

const rolesOfMember = sql<
  SchoolRole[] | string
>`coalesce((select json_agg(${membershipRole.role} order by ${membershipRole.role}) from ${membershipRole} where ${membershipRole.schoolId} = ${membership.schoolId} and ${membershipRole.userId} = ${membership.userId}), '[]'::json)`;

const elsewhere = sql<boolean>`(exists (select 1 from ${membership} m2 where m2.user_id = ${membership.userId} and m2.school_id <> ${membership.schoolId})
  or exists (select 1 from ${organisationMembership} where ${organisationMembership.userId} = ${membership.userId}))`;

export async function staffOfSchool(db: Executor, schoolId: string) {
  const rows = await db
    .select({
      userId: appUser.id,
      name: appUser.name,
      email: appUser.email,
      roles: rolesOfMember,
      disabledAt: appUser.disabledAt,
      belongsElsewhere: elsewhere,
      classNames: sql<
        string[]
      >`coalesce((select array_agg(${schoolClass.name} order by ${schoolClass.name}) from ${classTeacher} join ${schoolClass} on ${schoolClass.schoolId} = ${classTeacher.schoolId} and ${schoolClass.id} = ${classTeacher.classId} where ${classTeacher.schoolId} = ${membership.schoolId} and ${classTeacher.userId} = ${membership.userId} and ${schoolClass.archivedAt} is null), '{}')`,
      assignedPupils: sql<number>`(select count(*)::int from ${pupilAssignment} where ${pupilAssignment.schoolId} = ${membership.schoolId} and ${pupilAssignment.userId} = ${membership.userId})`,
    })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(eq(membership.schoolId, schoolId))
    .orderBy(asc(appUser.name));
  return rows.map((r) => ({ ...r, roles: parseJson(r.roles) }));
}

export async function staffMember(db: Executor, schoolId: string, userId: string) {
  const rows = await db
    .select({
      userId: appUser.id,
      name: appUser.name,
      email: appUser.email,
      roles: rolesOfMember,
      disabledAt: appUser.disabledAt,
      belongsElsewhere: elsewhere,
      version: membership.version,
    })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(and(eq(membership.schoolId, schoolId), eq(membership.userId, userId)))
    .limit(1);
  const row = rows[0];
  return row ? { ...row, roles: parseJson(row.roles) } : null;
}

/** Active members of a school who hold a role (for choosing, say, a teaching assistant). */
export async function activeStaffWithRole(db: Executor, schoolId: string, role: SchoolRole) {
  return db
    .select({ userId: appUser.id, name: appUser.name })
    .from(membershipRole)
    .innerJoin(appUser, eq(appUser.id, membershipRole.userId))
    .where(
      and(eq(membershipRole.schoolId, schoolId), eq(membershipRole.role, role), isNull(appUser.disabledAt)),
    )
    .orderBy(asc(appUser.name));
}

export interface StaffChoice {
  userId: string;
  name: string;
}

/**
 * The same people as `activeStaffWithRole`, as a JSON array for a pupil's record query: the active
 * members of the pupil's school who hold the role.
 */
export function activeStaffWithRoleJson(role: SchoolRole) {
  return sql<
    StaffChoice[] | string
  >`select json_agg(json_build_object('userId', ${appUser.id}, 'name', ${appUser.name}) order by ${appUser.name})
    from ${membershipRole} join ${appUser} on ${appUser.id} = ${membershipRole.userId}
    where ${membershipRole.schoolId} = ${pupil.schoolId} and ${membershipRole.role} = ${role} and ${appUser.disabledAt} is null`;
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
  classIds: readonly string[],
): Promise<void> {
  await db
    .delete(classTeacher)
    .where(and(eq(classTeacher.schoolId, schoolId), eq(classTeacher.userId, userId)));
  if (classIds.length > 0) {
    await db.insert(classTeacher).values(classIds.map((classId) => ({ schoolId, classId, userId })));
  }
}

export async function insertClassTeachers(
  db: Executor,
  values: { schoolId: string; classId: string; userId: string }[],
): Promise<void> {
  if (values.length > 0) await db.insert(classTeacher).values(values);
}

// Invitations

export async function insertInvitation(db: Executor, values: typeof staffInvitation.$inferInsert) {
  await db.insert(staffInvitation).values(values);
}

export async function pendingInvitationsOfSchool(db: Executor, schoolId: string) {
  return db
    .select()
    .from(staffInvitation)
    .where(
      and(
        eq(staffInvitation.schoolId, schoolId),
        isNull(staffInvitation.answeredAt),
        gt(staffInvitation.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(staffInvitation.createdAt));
}

/** Invitations waiting for the person with this email, with the inviting school's name. */
export async function pendingInvitationsForEmail(db: Executor, email: string) {
  return db
    .select({
      schoolId: staffInvitation.schoolId,
      id: staffInvitation.id,
      roles: staffInvitation.roles,
      invitedByName: staffInvitation.invitedByName,
      createdAt: staffInvitation.createdAt,
      schoolName: school.name,
    })
    .from(staffInvitation)
    .innerJoin(school, eq(school.id, staffInvitation.schoolId))
    .where(
      and(
        eq(staffInvitation.email, email.toLowerCase()),
        isNull(staffInvitation.answeredAt),
        gt(staffInvitation.expiresAt, sql`now()`),
      ),
    )
    .orderBy(asc(school.name));
}

/** Close a pending invitation; the row as it was, or null when it was not pending. */
export async function answerInvitation(
  db: Executor,
  schoolId: string,
  id: string,
  answer: 'accepted' | 'declined' | 'withdrawn',
  email?: string,
) {
  const rows = await db
    .update(staffInvitation)
    .set({ answer, answeredAt: sql`now()` })
    .where(
      and(
        eq(staffInvitation.schoolId, schoolId),
        eq(staffInvitation.id, id),
        isNull(staffInvitation.answeredAt),
        gt(staffInvitation.expiresAt, sql`now()`),
        ...(email ? [eq(staffInvitation.email, email.toLowerCase())] : []),
      ),
    )
    .returning();
  return rows[0] ?? null;
}
