import { and, eq, or, type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { classTeacher, groupMember, provisionGroup, pupil, pupilAssignment } from '../db/schema/index.ts';
import {
  type AccessScope,
  type Level,
  type Reach,
  type Role,
  reachesFor,
  reachesUsed,
  type Section,
} from '../domain/access.ts';

/*
 * The grants of domain/access.ts compiled to SQL over the `pupil` table: one condition per reach, and
 * for a section the OR of the reaches that open it. A list, a count and a single record are limited
 * by the same condition, always inside the actor's school.
 */

/**
 * An access scope as these conditions use it: its school and person may also be placeholders, for a
 * query prepared once for everyone with the same roles.
 */
export interface SqlScope {
  schoolId: string | SQLWrapper;
  userId: string | SQLWrapper;
  roles: readonly Role[];
}

export function reachCondition(scope: SqlScope, reach: Reach): SQL {
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
    // Reaches whose records arrive with later parts of OpenSEND reach nobody yet.
    case 'own_children':
    case 'referrals_received':
      return sql`false`;
  }
}

/** Pupils of the actor's school whose `section` they may see (or change, at `level`). */
export function sectionCondition(scope: SqlScope, section: Section, level: Level = 'read'): SQL {
  const inSchool = eq(pupil.schoolId, scope.schoolId);
  const reaches = reachesFor(scope.roles, section, level);
  if (reaches.length === 0) return sql`false`;
  if (reaches.includes('school')) return inSchool;
  return and(inSchool, or(...reaches.map((r) => reachCondition(scope, r)))) as SQL;
}

/** For one pupil row: which of the actor's reaches include them, as boolean columns. */
export function reachColumns(scope: SqlScope): Record<string, SQL<boolean>> {
  return Object.fromEntries(
    reachesUsed(scope.roles).map((r) => [`reach_${r}`, sql<boolean>`(${reachCondition(scope, r)})`]),
  );
}

/** The reaches a row's boolean columns say matched. */
export function matchedReaches(scope: AccessScope, row: Record<string, unknown>): Set<Reach> {
  return new Set(reachesUsed(scope.roles).filter((r) => row[`reach_${r}`] === true));
}
