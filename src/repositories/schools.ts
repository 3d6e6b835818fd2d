import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  classTeacher,
  concern,
  membership,
  organisation,
  pupil,
  school,
  schoolClass,
  staffInvitation,
} from '../db/schema/index.ts';

export async function countSchools(db: Executor): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(school);
  return rows[0]?.n ?? 0;
}

export async function insertSchool(db: Executor, values: typeof school.$inferInsert): Promise<void> {
  await db.insert(school).values(values);
}

export async function insertOrganisation(
  db: Executor,
  values: typeof organisation.$inferInsert,
): Promise<void> {
  await db.insert(organisation).values(values);
}

export async function findSchool(db: Executor, schoolId: string) {
  const rows = await db.select().from(school).where(eq(school.id, schoolId)).limit(1);
  return rows[0] ?? null;
}

export async function findSchoolByUrn(db: Executor, urn: string) {
  const rows = await db.select().from(school).where(eq(school.urn, urn)).limit(1);
  return rows[0] ?? null;
}

export async function findOrganisation(db: Executor, organisationId: string) {
  const rows = await db.select().from(organisation).where(eq(organisation.id, organisationId)).limit(1);
  return rows[0] ?? null;
}

export async function schoolsOfOrganisation(db: Executor, organisationId: string) {
  return db.select().from(school).where(eq(school.organisationId, organisationId)).orderBy(asc(school.name));
}

/** The classes in use (not archived), youngest year group first: what forms and filters offer. */
export async function classesOfSchool(db: Executor, schoolId: string) {
  return db
    .select()
    .from(schoolClass)
    .where(and(eq(schoolClass.schoolId, schoolId), isNull(schoolClass.archivedAt)))
    .orderBy(sql`${schoolClass.ncYear} nulls last`, asc(schoolClass.name));
}

export async function insertClasses(
  db: Executor,
  values: (typeof schoolClass.$inferInsert)[],
): Promise<void> {
  if (values.length > 0) await db.insert(schoolClass).values(values);
}

/** The classes a member of staff teaches, with how many pupils each has and how many are on the register or monitored. */
export async function classesTaughtBy(db: Executor, schoolId: string, userId: string) {
  return db
    .select({
      id: schoolClass.id,
      name: schoolClass.name,
      pupils: sql<number>`(select count(*)::int from ${pupil} where ${pupil.schoolId} = ${schoolClass.schoolId} and ${pupil.classId} = ${schoolClass.id} and ${pupil.leftOn} is null)`,
      listed: sql<number>`(select count(*)::int from ${pupil} where ${pupil.schoolId} = ${schoolClass.schoolId} and ${pupil.classId} = ${schoolClass.id} and ${pupil.senStage} <> 'none' and ${pupil.leftOn} is null)`,
    })
    .from(classTeacher)
    .innerJoin(
      schoolClass,
      and(eq(schoolClass.schoolId, classTeacher.schoolId), eq(schoolClass.id, classTeacher.classId)),
    )
    .where(
      and(
        eq(classTeacher.schoolId, schoolId),
        eq(classTeacher.userId, userId),
        isNull(schoolClass.archivedAt),
      ),
    )
    .orderBy(asc(schoolClass.name));
}

/** The teachers of a class (the first owns the plans of its pupils by default). */
export async function classTeachersOfClass(db: Executor, schoolId: string, classId: string) {
  return db
    .select({ userId: appUser.id, name: appUser.name })
    .from(classTeacher)
    .innerJoin(appUser, eq(appUser.id, classTeacher.userId))
    .where(and(eq(classTeacher.schoolId, schoolId), eq(classTeacher.classId, classId)))
    .orderBy(asc(appUser.name));
}

/**
 * How far a school has come with its first steps, in one query: staff besides the first account (or
 * invited), a class, a pupil, a concern.
 */
export async function firstStepsOf(db: Executor, schoolId: string) {
  const result = await db.execute(sql`select
    ((select count(*) from ${membership} where ${membership.schoolId} = ${schoolId}) > 1
      or exists (select 1 from ${staffInvitation} where ${staffInvitation.schoolId} = ${schoolId} and ${staffInvitation.answeredAt} is null)) as staff,
    exists (select 1 from ${schoolClass} where ${schoolClass.schoolId} = ${schoolId} and ${schoolClass.archivedAt} is null) as classes,
    exists (select 1 from ${pupil} where ${pupil.schoolId} = ${schoolId}) as pupils,
    exists (select 1 from ${concern} where ${concern.schoolId} = ${schoolId}) as concern`);
  const row = (result as unknown as { rows: Record<string, unknown>[] }).rows[0] ?? {};
  return {
    staff: row.staff === true,
    classes: row.classes === true,
    pupils: row.pupils === true,
    concern: row.concern === true,
  };
}
