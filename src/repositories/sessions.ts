import { and, eq, gt, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  membership,
  membershipRole,
  organisation,
  organisationMembership,
  school,
  userSession,
} from '../db/schema/index.ts';
import type { SchoolRole } from '../domain/access.ts';

export interface SchoolMembershipItem {
  schoolId: string;
  schoolName: string;
  roles: SchoolRole[];
}
export interface OrganisationMembershipItem {
  organisationId: string;
  organisationName: string;
}

/** JSON may come back as text through some drivers: accept both. */
export function parseJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

export async function insertSession(
  db: Executor,
  session: {
    id: string;
    userId: string;
    schoolId: string | null;
    organisationId: string | null;
    expiresAt: Date;
  },
): Promise<void> {
  await db.insert(userSession).values(session);
}

/**
 * The memberships of a person: schools with their roles there, and organisations. The roles' subquery
 * names its tables in full: in a query with no join the builder writes columns unqualified, and an
 * unqualified "school_id" there would match every role of everyone in the school.
 */
export function membershipsJson(userId: SQL | string) {
  return {
    schools: sql<SchoolMembershipItem[] | string>`coalesce((
      select json_agg(json_build_object('schoolId', ${membership.schoolId}, 'schoolName', ${school.name},
        'roles', (select coalesce(json_agg(${membershipRole.role} order by ${membershipRole.role}), '[]'::json)
                  from ${membershipRole}
                  where "membership_role"."school_id" = "membership"."school_id"
                    and "membership_role"."user_id" = "membership"."user_id"))
        order by ${school.name})
      from ${membership} join ${school} on ${school.id} = ${membership.schoolId}
      where ${membership.userId} = ${userId}), '[]'::json)`,
    organisations: sql<OrganisationMembershipItem[] | string>`coalesce((
      select json_agg(json_build_object('organisationId', ${organisation.id}, 'organisationName', ${organisation.name}) order by ${organisation.name})
      from ${organisationMembership} join ${organisation} on ${organisation.id} = ${organisationMembership.organisationId}
      where ${organisationMembership.userId} = ${userId}), '[]'::json)`,
  };
}

/**
 * A session with its account and memberships, in one query, whether or not it is still live (the
 * caller decides, and an ended session still says whose it was, to keep a form they sent).
 */
export async function findSession(db: Executor, id: string) {
  const rows = await db
    .select({
      id: userSession.id,
      userId: userSession.userId,
      schoolId: userSession.schoolId,
      organisationId: userSession.organisationId,
      expiresAt: userSession.expiresAt,
      lastSeenAt: userSession.lastSeenAt,
      name: appUser.name,
      email: appUser.email,
      disabledAt: appUser.disabledAt,
      mustChangePassword: appUser.mustChangePassword,
      ...membershipsJson(sql`${userSession.userId}`),
    })
    .from(userSession)
    .innerJoin(appUser, eq(appUser.id, userSession.userId))
    .where(eq(userSession.id, id))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  return { ...row, schools: parseJson(row.schools), organisations: parseJson(row.organisations) };
}
export type SessionRow = NonNullable<Awaited<ReturnType<typeof findSession>>>;

export async function membershipsOf(db: Executor, userId: string) {
  // The join is there for the query builder: in a select from one source it writes column names
  // without their table, and the correlated subqueries above would then compare each column with
  // itself (every role in the school would come back as this person's).
  const rows = await db
    .select(membershipsJson(userId))
    .from(sql`(select 1) as one`)
    .innerJoin(sql`(select 1) as qualified`, sql`true`);
  const row = rows[0];
  return {
    schools: row ? parseJson(row.schools) : [],
    organisations: row ? parseJson(row.organisations) : [],
  };
}

export async function touchSession(db: Executor, id: string): Promise<void> {
  await db.update(userSession).set({ lastSeenAt: sql`now()` }).where(eq(userSession.id, id));
}

export async function setSessionContext(
  db: Executor,
  id: string,
  context: { schoolId: string | null; organisationId: string | null },
): Promise<void> {
  await db.update(userSession).set(context).where(eq(userSession.id, id));
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.delete(userSession).where(eq(userSession.id, id));
}

export async function deleteSessionsOfUser(db: Executor, userId: string, except?: string): Promise<void> {
  await db
    .delete(userSession)
    .where(
      except
        ? and(eq(userSession.userId, userId), sql`${userSession.id} <> ${except}`)
        : eq(userSession.userId, userId),
    );
}

/** Sessions past their hard expiry, or idle for a day: nothing can use them any more. */
export async function deleteDeadSessions(db: Executor): Promise<void> {
  await db
    .delete(userSession)
    .where(
      or(lt(userSession.expiresAt, sql`now()`), lt(userSession.lastSeenAt, sql`now() - interval '1 day'`)),
    );
}

export async function countLiveSessions(db: Executor, userId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(userSession)
    .where(and(eq(userSession.userId, userId), gt(userSession.expiresAt, sql`now()`)));
  return rows[0]?.n ?? 0;
}
