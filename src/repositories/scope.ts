import { and, eq, type SQL, sql } from 'drizzle-orm';
import { classTeacher, pupil, pupilAssignment } from '../db/schema.ts';
import type { PupilScope } from '../services/actor.ts';

/** The SQL condition that limits `pupil` rows to those an actor's scope reaches (always by school). */
export function pupilScopeCondition(scope: PupilScope): SQL {
  const inSchool = eq(pupil.schoolId, scope.schoolId);
  switch (scope.kind) {
    case 'school':
      return inSchool;
    case 'classes':
      return and(
        inSchool,
        sql`${pupil.classId} in (select ${classTeacher.classId} from ${classTeacher} where ${classTeacher.schoolId} = ${scope.schoolId} and ${classTeacher.userId} = ${scope.userId})`,
      ) as SQL;
    case 'assigned':
      return and(
        inSchool,
        sql`exists (select 1 from ${pupilAssignment} where ${pupilAssignment.schoolId} = ${pupil.schoolId} and ${pupilAssignment.pupilId} = ${pupil.id} and ${pupilAssignment.userId} = ${scope.userId})`,
      ) as SQL;
    case 'none':
      return sql`false`;
  }
}
