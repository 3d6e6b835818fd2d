import { and, eq, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import {
  classTeacher,
  groupMember,
  parentAccount,
  parentCarer,
  provisionGroup,
  pupil,
  pupilAssignment,
  pupilShare,
} from '../db/schema/index.ts';
import {
  type ActorKind,
  kindOfRoles,
  type Level,
  type Reach,
  type Role,
  reachesFor,
  reachesUsed,
  SECTIONS,
  type Section,
  SHARED_SECTION_REACHES,
} from '../domain/access.ts';

/*
 * The grants of domain/access.ts compiled to SQL over the `pupil` table: one condition per reach, and
 * for a section the OR of the reaches that open it. A list, a count and a single record are limited
 * by the same condition, for every kind of person: staff inside their school (and never their own
 * children, whom they see only as a parent), an officer through the organisation's open cases, a
 * parent to their own children, a professional to what schools shared with them, section by section.
 */

/**
 * An access scope as these conditions use it: its school and person may also be placeholders, for a
 * query prepared once for everyone with the same roles. The school is null for a parent or a
 * professional (their reach crosses schools), the organisation set for an officer.
 */
export interface PersonSqlScope {
  schoolId: string | SQLWrapper | null;
  userId: string | SQLWrapper;
  roles: readonly Role[];
  organisationId?: string | SQLWrapper | null;
}

/** A member of staff's scope: always inside one school. */
export interface SqlScope extends PersonSqlScope {
  schoolId: string | SQLWrapper;
}

/*
 * The conditions below name every column with its table: in a query from `pupil` alone the builder
 * writes columns unqualified, and an unqualified "school_id" inside the subquery would be its own.
 */

/** The person's live link as a parent to this pupil, with parental responsibility and no court order. */
function ownChild(userId: PersonSqlScope['userId']): SQL {
  return sql`exists (select 1 from ${parentAccount} join ${parentCarer} on "parent_carer"."school_id" = "parent_account"."school_id" and "parent_carer"."id" = "parent_account"."parent_carer_id"
    where "parent_account"."school_id" = "pupil"."school_id" and "parent_account"."pupil_id" = "pupil"."id" and "parent_account"."user_id" = ${userId}
    and "parent_account"."ended_at" is null and "parent_carer"."parental_responsibility" and not "parent_carer"."court_order")`;
}

/** Any live link as a parent to this pupil: a member of staff who is the pupil's parent sees them only as one. */
function linkedAsParent(userId: PersonSqlScope['userId']): SQL {
  return sql`exists (select 1 from ${parentAccount} where "parent_account"."school_id" = "pupil"."school_id" and "parent_account"."pupil_id" = "pupil"."id"
    and "parent_account"."user_id" = ${userId} and "parent_account"."ended_at" is null)`;
}

/** The live shares of this pupil with the person, as a where clause over `pupil_share`. */
function liveShares(userId: PersonSqlScope['userId']): SQL {
  return sql`"pupil_share"."school_id" = "pupil"."school_id" and "pupil_share"."pupil_id" = "pupil"."id"
    and "pupil_share"."professional_user_id" = ${userId} and "pupil_share"."ended_at" is null
    and "pupil_share"."shared_from" <= current_date and "pupil_share"."shared_until" >= current_date`;
}

/** A live share of this pupil with the person, naming `section` (any section when none is given). */
function shared(userId: PersonSqlScope['userId'], section?: Section): SQL {
  const names = section ? sql` and "pupil_share"."sections" ? ${section}` : sql``;
  return sql`exists (select 1 from ${pupilShare} where ${liveShares(userId)}${names})`;
}

/**
 * A pupil of one of the organisation's open cases: the pupil the case was opened for, or, after they
 * moved school on this installation, the pupil on roll with the same UPN (the case stays with the
 * organisation and follows the child).
 */
function caseload(organisationId: PersonSqlScope['organisationId']): SQL {
  if (organisationId === null || organisationId === undefined) return sql`false`;
  return sql`exists (select 1 from "organisation_case" where "organisation_case"."organisation_id" = ${organisationId}
    and "organisation_case"."closed_on" is null
    and (("organisation_case"."school_id" = "pupil"."school_id" and "organisation_case"."pupil_id" = "pupil"."id")
      or ("organisation_case"."upn" = "pupil"."upn" and "pupil"."left_on" is null)))`;
}

export function reachCondition(scope: PersonSqlScope, reach: Reach, section?: Section): SQL {
  switch (reach) {
    case 'school':
      return sql`true`;
    case 'classes_taught':
      return sql`exists (select 1 from ${classTeacher} where ${classTeacher.schoolId} = ${pupil.schoolId} and ${classTeacher.classId} = ${pupil.classId} and ${classTeacher.userId} = ${scope.userId})`;
    case 'pupils_assigned':
      return sql`exists (select 1 from ${pupilAssignment} where ${pupilAssignment.schoolId} = ${pupil.schoolId} and ${pupilAssignment.pupilId} = ${pupil.id} and ${pupilAssignment.userId} = ${scope.userId})`;
    case 'groups_delivered':
      // Pupils now in a provision group the person delivers (a group not yet ended).
      return sql`exists (select 1 from ${groupMember} join ${provisionGroup} on ${provisionGroup.schoolId} = ${groupMember.schoolId} and ${provisionGroup.id} = ${groupMember.groupId}
        where ${groupMember.schoolId} = ${pupil.schoolId} and ${groupMember.pupilId} = ${pupil.id} and ${provisionGroup.delivererId} = ${scope.userId}
        and (${groupMember.leftOn} is null or ${groupMember.leftOn} >= current_date) and (${provisionGroup.endDate} is null or ${provisionGroup.endDate} >= current_date))`;
    case 'own_children':
      return ownChild(scope.userId);
    case 'referrals_received':
      // The directory (name and school) comes with any share; every other section only where named.
      return shared(scope.userId, section && section !== 'directory' ? section : undefined);
    case 'caseload':
      return caseload(scope.organisationId ?? null);
  }
}

/** The kind of person a scope is (from its roles: each role belongs to one kind). */
export function scopeKind(scope: PersonSqlScope): ActorKind {
  return kindOfRoles(scope.roles);
}

/** Pupils whose `section` the person may see (or change, at `level`). */
export function sectionCondition(scope: PersonSqlScope, section: Section, level: Level = 'read'): SQL {
  const reaches = reachesFor(scope.roles, section, level);
  if (reaches.length === 0) return sql`false`;
  const reached = or(...reaches.map((r) => reachCondition(scope, r, section))) as SQL;
  if (scopeKind(scope) !== 'staff') return reached;
  if (scope.schoolId === null) return sql`false`;
  const inSchool = and(eq(pupil.schoolId, scope.schoolId), sql`not ${linkedAsParent(scope.userId)}`) as SQL;
  return reaches.includes('school') ? inSchool : (and(inSchool, reached) as SQL);
}

/**
 * For one pupil row: which of the person's reaches include them, as boolean columns, and for a reach
 * through shares the sections shared (a JSON array).
 */
export function reachColumns(scope: PersonSqlScope): Record<string, SQL<unknown>> {
  const staff = scopeKind(scope) === 'staff';
  const columns: Record<string, SQL<unknown>> = Object.fromEntries(
    reachesUsed(scope.roles).map((r) => [
      `reach_${r}`,
      staff
        ? sql<boolean>`((${reachCondition(scope, r)}) and not ${linkedAsParent(scope.userId)})`
        : sql<boolean>`(${reachCondition(scope, r)})`,
    ]),
  );
  if (reachesUsed(scope.roles).some((r) => SHARED_SECTION_REACHES.includes(r))) {
    columns.shared_sections = sql`(select coalesce(jsonb_agg(distinct s.section), '[]'::jsonb)
      from ${pupilShare}, jsonb_array_elements_text("pupil_share"."sections") as s(section)
      where ${liveShares(scope.userId)})`;
  }
  return columns;
}

/** The reaches a row's boolean columns say matched. */
export function matchedReaches(scope: { roles: readonly Role[] }, row: Record<string, unknown>): Set<Reach> {
  return new Set(reachesUsed(scope.roles).filter((r) => row[`reach_${r}`] === true));
}

/** The sections a row's shares name (empty when the person reaches no pupil through shares). */
export function sharedSections(row: Record<string, unknown>): Set<Section> {
  const raw = row.shared_sections;
  const list = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  return new Set(
    Array.isArray(list) ? list.filter((s): s is Section => SECTIONS.includes(s as Section)) : [],
  );
}
