import { and, eq, gt, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  membership,
  membershipRole,
  organisation,
  organisationMembership,
  organisationMembershipRole,
  parentAccount,
  parentCarer,
  professionalAccount,
  school,
  userSession,
} from '../db/schema/index.ts';
import type { ActorKind, OrganisationRole, SchoolRole } from '../domain/access.ts';

export interface SchoolMembershipItem {
  schoolId: string;
  schoolName: string;
  roles: SchoolRole[];
}
export interface OrganisationMembershipItem {
  organisationId: string;
  organisationName: string;
  roles: OrganisationRole[];
}
/** A professional's account: the service they work for. */
export interface ProfessionalItem {
  agencyName: string;
  jobTitle: string | null;
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
    actingAs: ActorKind | null;
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
      select json_agg(json_build_object('organisationId', ${organisation.id}, 'organisationName', ${organisation.name},
        'roles', (select coalesce(json_agg(${organisationMembershipRole.role} order by ${organisationMembershipRole.role}), '[]'::json)
                  from ${organisationMembershipRole}
                  where "organisation_membership_role"."organisation_id" = "organisation_membership"."organisation_id"
                    and "organisation_membership_role"."user_id" = "organisation_membership"."user_id"))
        order by ${organisation.name})
      from ${organisationMembership} join ${organisation} on ${organisation.id} = ${organisationMembership.organisationId}
      where ${organisationMembership.userId} = ${userId}), '[]'::json)`,
    /** Linked as a parent or carer, with parental responsibility and no court order, to a pupil. */
    parent: sql<boolean>`exists (select 1 from ${parentAccount} join ${parentCarer}
        on "parent_carer"."school_id" = "parent_account"."school_id" and "parent_carer"."id" = "parent_account"."parent_carer_id"
      where "parent_account"."user_id" = ${userId} and "parent_account"."ended_at" is null
        and "parent_carer"."parental_responsibility" and not "parent_carer"."court_order")`,
    professional: sql<
      ProfessionalItem | string | null
    >`(select json_build_object('agencyName', ${professionalAccount.agencyName}, 'jobTitle', ${professionalAccount.jobTitle})
      from ${professionalAccount} where "professional_account"."user_id" = ${userId})`,
  };
}

/** Every kind a person may act as, and where: the places the chooser offers. */
export interface Memberships {
  schools: SchoolMembershipItem[];
  organisations: OrganisationMembershipItem[];
  parent: boolean;
  professional: ProfessionalItem | null;
}

function memberships(row: {
  schools: SchoolMembershipItem[] | string;
  organisations: OrganisationMembershipItem[] | string;
  parent: boolean | string;
  professional: ProfessionalItem | string | null;
}): Memberships {
  return {
    schools: parseJson(row.schools),
    organisations: parseJson(row.organisations),
    parent: row.parent === true || row.parent === 'true' || row.parent === 't',
    professional: row.professional == null ? null : parseJson(row.professional),
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
      actingAs: userSession.actingAs,
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
  return { ...row, ...memberships(row) };
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
  return row ? memberships(row) : { schools: [], organisations: [], parent: false, professional: null };
}

export async function touchSession(db: Executor, id: string): Promise<void> {
  await db.update(userSession).set({ lastSeenAt: sql`now()` }).where(eq(userSession.id, id));
}

export async function setSessionContext(
  db: Executor,
  id: string,
  context: { actingAs: ActorKind | null; schoolId: string | null; organisationId: string | null },
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
