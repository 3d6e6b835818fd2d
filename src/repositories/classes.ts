import { and, asc, eq, inArray, isNull, ne, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  classTeacher,
  membership,
  membershipRole,
  pupil,
  pupilClassMove,
  schoolClass,
} from '../db/schema/index.ts';
import type { ClassMoveSource } from '../domain/classes.ts';
import { ncYearSql } from './pupils.ts';
import { parseJson } from './sessions.ts';

/** Classes, their teachers, and pupils' moves between them: always inside one school. */

export type ClassRow = typeof schoolClass.$inferSelect;

export interface ClassTeacherItem {
  userId: string;
  name: string;
}

/*
 * Subqueries name the outer class row explicitly: in a query on one table the builder leaves column
 * names unqualified, and inside a subquery those would mean the subquery's own tables.
 */
const CLASS_SCHOOL = sql.raw('"school_class"."school_id"');
const CLASS_ID = sql.raw('"school_class"."id"');

const teachersJson = sql<
  ClassTeacherItem[] | string
>`coalesce((select json_agg(json_build_object('userId', u.id, 'name', u.name) order by u.name)
  from ${classTeacher} ct join ${appUser} u on u.id = ct.user_id
  where ct.school_id = ${CLASS_SCHOOL} and ct.class_id = ${CLASS_ID}), '[]'::json)`;

const pupilsOnRoll = sql<number>`(select count(*)::int from ${pupil} p where p.school_id = ${CLASS_SCHOOL} and p.class_id = ${CLASS_ID} and p.left_on is null)`;

/** Every class of the school (archived ones too), with its teachers and how many pupils are on roll in it. */
export async function classesWithTeachers(db: Executor, schoolId: string) {
  const rows = await db
    .select({
      id: schoolClass.id,
      name: schoolClass.name,
      ncYears: schoolClass.ncYears,
      archivedAt: schoolClass.archivedAt,
      version: schoolClass.version,
      teachers: teachersJson,
      pupils: pupilsOnRoll,
    })
    .from(schoolClass)
    .where(eq(schoolClass.schoolId, schoolId))
    .orderBy(
      sql`${schoolClass.archivedAt} is not null`,
      sql`${schoolClass.ncYear} nulls last`,
      asc(schoolClass.name),
    );
  return rows.map((r) => ({ ...r, teachers: parseJson(r.teachers) }));
}

/** One class of the school with its teachers and pupil count; `lock` takes the row for the transaction. */
export async function findClass(
  db: Executor,
  schoolId: string,
  classId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({ row: schoolClass, teachers: teachersJson, pupils: pupilsOnRoll })
    .from(schoolClass)
    .where(and(eq(schoolClass.schoolId, schoolId), eq(schoolClass.id, classId)))
    .limit(1);
  const rows = await (options.lock ? query.for('update', { of: schoolClass }) : query);
  const r = rows[0];
  return r ? { ...r.row, teachers: parseJson(r.teachers), pupils: r.pupils } : null;
}

/** A class in use with this name (capitals and outer spaces aside), other than `exceptId`. */
export async function classInUseNamed(db: Executor, schoolId: string, name: string, exceptId?: string) {
  const rows = await db
    .select({ id: schoolClass.id, name: schoolClass.name })
    .from(schoolClass)
    .where(
      and(
        eq(schoolClass.schoolId, schoolId),
        isNull(schoolClass.archivedAt),
        sql`lower(btrim(${schoolClass.name})) = lower(btrim(${name}))`,
        ...(exceptId ? [ne(schoolClass.id, exceptId)] : []),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** Change a class with optimistic locking: false when someone else changed it first. */
export async function updateClass(
  db: Executor,
  schoolId: string,
  classId: string,
  expectedVersion: number,
  values: { name: string; ncYears: number[]; ncYear: number | null },
): Promise<boolean> {
  const rows = await db
    .update(schoolClass)
    .set({ ...values, version: sql`${schoolClass.version} + 1` })
    .where(
      and(
        eq(schoolClass.schoolId, schoolId),
        eq(schoolClass.id, classId),
        eq(schoolClass.version, expectedVersion),
        isNull(schoolClass.archivedAt),
      ),
    )
    .returning({ id: schoolClass.id });
  return rows.length === 1;
}

export async function archiveClass(db: Executor, schoolId: string, classId: string): Promise<void> {
  await db
    .update(schoolClass)
    .set({ archivedAt: sql`now()`, version: sql`${schoolClass.version} + 1` })
    .where(and(eq(schoolClass.schoolId, schoolId), eq(schoolClass.id, classId)));
}

/** New year groups for several classes at once (the roll-over). */
export async function setYearGroupsOfClasses(
  db: Executor,
  schoolId: string,
  changes: readonly { classId: string; ncYears: number[]; ncYear: number | null }[],
): Promise<void> {
  if (changes.length === 0) return;
  const values = sql.join(
    changes.map((c) => sql`(${c.classId}::uuid, ${JSON.stringify(c.ncYears)}::jsonb, ${c.ncYear}::smallint)`),
    sql`, `,
  );
  await db.execute(sql`update ${schoolClass} set nc_years = v.nc_years, nc_year = v.nc_year, version = ${schoolClass.version} + 1
    from (values ${values}) as v(id, nc_years, nc_year)
    where ${schoolClass.schoolId} = ${schoolId} and ${schoolClass.id} = v.id`);
}

export async function teacherIdsOfClass(db: Executor, schoolId: string, classId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: classTeacher.userId })
    .from(classTeacher)
    .where(and(eq(classTeacher.schoolId, schoolId), eq(classTeacher.classId, classId)));
  return rows.map((r) => r.userId);
}

export async function replaceTeachersOfClass(
  db: Executor,
  schoolId: string,
  classId: string,
  userIds: readonly string[],
): Promise<void> {
  await db
    .delete(classTeacher)
    .where(and(eq(classTeacher.schoolId, schoolId), eq(classTeacher.classId, classId)));
  if (userIds.length > 0) {
    await db.insert(classTeacher).values(userIds.map((userId) => ({ schoolId, classId, userId })));
  }
}

/** Members of the school who hold the class teacher role (who may be given a class). */
export async function classTeacherCandidates(db: Executor, schoolId: string) {
  return db
    .select({ userId: appUser.id, name: appUser.name, disabledAt: appUser.disabledAt })
    .from(membershipRole)
    .innerJoin(appUser, eq(appUser.id, membershipRole.userId))
    .where(and(eq(membershipRole.schoolId, schoolId), eq(membershipRole.role, 'class_teacher')))
    .orderBy(asc(appUser.name));
}

/** The pupils on roll in a class, by name, with their year group in the school's academic year. */
export async function pupilsInClass(
  db: Executor,
  schoolId: string,
  classId: string,
  academicYearStart: number,
) {
  return db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      preferredName: pupil.preferredName,
      ncYear: ncYearSql(academicYearStart, schoolId),
      outOfYearGroup: sql<boolean>`${pupil.ncYearOverride} is not null`,
    })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), eq(pupil.classId, classId), isNull(pupil.leftOn)))
    .orderBy(asc(pupil.surname), asc(pupil.forename), asc(pupil.id));
}

/** Pupils on roll with no class whose year group is one of these (to put in a class). */
export async function pupilsWithoutClass(
  db: Executor,
  schoolId: string,
  ncYears: readonly number[],
  academicYearStart: number,
) {
  if (ncYears.length === 0) return [];
  const ncYear = ncYearSql(academicYearStart, schoolId);
  return db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      preferredName: pupil.preferredName,
      ncYear,
      outOfYearGroup: sql<boolean>`${pupil.ncYearOverride} is not null`,
    })
    .from(pupil)
    .where(
      and(
        eq(pupil.schoolId, schoolId),
        isNull(pupil.classId),
        isNull(pupil.leftOn),
        sql`${ncYear} in (${sql.join(
          ncYears.map((y) => sql`${y}::int`),
          sql`, `,
        )})`,
      ),
    )
    .orderBy(asc(pupil.surname), asc(pupil.forename), asc(pupil.id));
}

/** Pupils about to move, locked for the transaction: where each is now and whether they have left. */
export async function lockPupilsForMove(db: Executor, schoolId: string, pupilIds: readonly string[]) {
  if (pupilIds.length === 0) return [];
  return db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      classId: pupil.classId,
      leftOn: pupil.leftOn,
    })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), inArray(pupil.id, [...pupilIds])))
    .for('update', { of: pupil });
}

function valuesList(rows: SQL[]): SQL {
  return sql.join(rows, sql`, `);
}

/** Put pupils in classes (or none), many at once; each pupil's version moves on. */
export async function setClassesOfPupils(
  db: Executor,
  schoolId: string,
  moves: readonly { pupilId: string; classId: string | null }[],
): Promise<void> {
  for (let i = 0; i < moves.length; i += 500) {
    const chunk = moves.slice(i, i + 500);
    const values = valuesList(chunk.map((m) => sql`(${m.pupilId}::uuid, ${m.classId}::uuid)`));
    await db.execute(sql`update ${pupil} set class_id = v.class_id, version = ${pupil.version} + 1, updated_at = now()
      from (values ${values}) as v(id, class_id)
      where ${pupil.schoolId} = ${schoolId} and ${pupil.id} = v.id`);
  }
}

export type ClassMoveInsert = typeof pupilClassMove.$inferInsert;

export async function insertClassMoves(db: Executor, values: readonly ClassMoveInsert[]): Promise<void> {
  for (let i = 0; i < values.length; i += 500)
    await db.insert(pupilClassMove).values(values.slice(i, i + 500));
}

/** The record fragment this repository owns (see pupil-record.ts): the pupil's moves between classes. */
export interface ClassMoveItem {
  movedOn: string;
  fromClassName: string | null;
  toClassName: string | null;
  source: ClassMoveSource;
  movedByName: string;
}
export const classMovesFragment = {
  section: 'identity' as const,
  json: sql<ClassMoveItem[] | string>`select json_agg(json_build_object(
    'movedOn', m.moved_on, 'fromClassName', fc.name, 'toClassName', tc.name, 'source', m.source, 'movedByName', m.moved_by_name)
    order by m.moved_on desc, m.recorded_at desc)
    from ${pupilClassMove} m
    left join ${schoolClass} fc on fc.school_id = m.school_id and fc.id = m.from_class_id
    left join ${schoolClass} tc on tc.school_id = m.school_id and tc.id = m.to_class_id
    where m.school_id = ${pupil.schoolId} and m.pupil_id = ${pupil.id}`,
};

/** Whose classes changed: their staff record's version moves on, so a form open on it sees the change. */
export async function bumpMembershipVersions(db: Executor, schoolId: string, userIds: readonly string[]) {
  if (userIds.length === 0) return;
  await db
    .update(membership)
    .set({ version: sql`${membership.version} + 1` })
    .where(and(eq(membership.schoolId, schoolId), inArray(membership.userId, [...userIds])));
}
