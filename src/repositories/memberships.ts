import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { membership, membershipRole, organisationMembership } from '../db/schema/index.ts';
import type { SchoolRole } from '../domain/access.ts';

/** A school's membership of a person, and the roles it gives them there. */

export async function insertMembership(
  db: Executor,
  schoolId: string,
  userId: string,
  roles: readonly SchoolRole[],
): Promise<void> {
  await db.insert(membership).values({ schoolId, userId });
  await db.insert(membershipRole).values(roles.map((role) => ({ schoolId, userId, role })));
}

export async function insertMemberships(
  db: Executor,
  values: { schoolId: string; userId: string; roles: readonly SchoolRole[] }[],
): Promise<void> {
  if (values.length === 0) return;
  await db.insert(membership).values(values.map(({ schoolId, userId }) => ({ schoolId, userId })));
  await db
    .insert(membershipRole)
    .values(
      values.flatMap(({ schoolId, userId, roles }) => roles.map((role) => ({ schoolId, userId, role }))),
    );
}

/** The member's roles, locking the membership row for the rest of the transaction. */
export async function lockMembership(db: Executor, schoolId: string, userId: string) {
  const rows = await db
    .select({ userId: membership.userId, version: membership.version })
    .from(membership)
    .where(and(eq(membership.schoolId, schoolId), eq(membership.userId, userId)))
    .for('update')
    .limit(1);
  if (!rows[0]) return null;
  return { version: rows[0].version, roles: await rolesOf(db, schoolId, userId) };
}

export async function bumpMembershipVersion(db: Executor, schoolId: string, userId: string): Promise<void> {
  await db
    .update(membership)
    .set({ version: sql`${membership.version} + 1` })
    .where(and(eq(membership.schoolId, schoolId), eq(membership.userId, userId)));
}

export async function rolesOf(db: Executor, schoolId: string, userId: string): Promise<SchoolRole[]> {
  const rows = await db
    .select({ role: membershipRole.role })
    .from(membershipRole)
    .where(and(eq(membershipRole.schoolId, schoolId), eq(membershipRole.userId, userId)));
  return rows.map((r) => r.role);
}

export async function replaceRoles(
  db: Executor,
  schoolId: string,
  userId: string,
  roles: readonly SchoolRole[],
): Promise<void> {
  await db
    .delete(membershipRole)
    .where(and(eq(membershipRole.schoolId, schoolId), eq(membershipRole.userId, userId)));
  await db.insert(membershipRole).values(roles.map((role) => ({ schoolId, userId, role })));
}

/** Remove a person from one school: their roles, classes and assigned pupils there go with it. */
export async function deleteMembership(db: Executor, schoolId: string, userId: string): Promise<void> {
  await db.delete(membership).where(and(eq(membership.schoolId, schoolId), eq(membership.userId, userId)));
}

/**
 * The members of a school who hold a role, locked: "a school always has a SENCo" is checked against
 * rows nobody else can change until this transaction ends.
 */
export async function lockMembersWithRole(
  db: Executor,
  schoolId: string,
  role: SchoolRole,
): Promise<string[]> {
  const rows = await db
    .select({ userId: membershipRole.userId })
    .from(membershipRole)
    .where(and(eq(membershipRole.schoolId, schoolId), eq(membershipRole.role, role)))
    .for('update');
  return rows.map((r) => r.userId);
}

/** Does this account belong anywhere but this school (another school, or an organisation)? */
export async function belongsElsewhere(db: Executor, schoolId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({
      n: sql<number>`(select count(*)::int from ${membership} where ${membership.userId} = ${userId} and ${membership.schoolId} <> ${schoolId})
        + (select count(*)::int from ${organisationMembership} where ${organisationMembership.userId} = ${userId})`,
    })
    .from(sql`(select 1) as one`);
  return (rows[0]?.n ?? 0) > 0;
}

export async function insertOrganisationMembership(
  db: Executor,
  organisationId: string,
  userId: string,
): Promise<void> {
  await db.insert(organisationMembership).values({ organisationId, userId });
}

export async function hasMembership(db: Executor, schoolId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ userId: membership.userId })
    .from(membership)
    .where(and(eq(membership.schoolId, schoolId), eq(membership.userId, userId)))
    .limit(1);
  return rows.length === 1;
}
