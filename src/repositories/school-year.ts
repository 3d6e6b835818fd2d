import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { pupil, school, schoolClass } from '../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';

/** The school's year: its details, its classes in use and pupils on roll for the roll-over, and its writes. */

export type SchoolRow = typeof school.$inferSelect;

/** The school row, locked for the rest of the transaction (a change of details, the roll-over). */
export async function lockSchool(db: Executor, schoolId: string): Promise<SchoolRow | null> {
  const rows = await db.select().from(school).where(eq(school.id, schoolId)).limit(1).for('update');
  return rows[0] ?? null;
}

export type SchoolDetails = Pick<
  SchoolRow,
  'name' | 'urn' | 'laCode' | 'establishmentNumber' | 'phase' | 'lowestNcYear' | 'highestNcYear'
>;

/** Change the school's details with optimistic locking: false when someone else changed them first. */
export async function updateSchoolDetails(
  db: Executor,
  schoolId: string,
  expectedVersion: number,
  values: SchoolDetails,
): Promise<boolean> {
  const rows = await db
    .update(school)
    .set({ ...values, version: sql`${school.version} + 1` })
    .where(and(eq(school.id, schoolId), eq(school.version, expectedVersion)))
    .returning({ id: school.id });
  return rows.length === 1;
}

export async function setRolledOverTo(db: Executor, schoolId: string, academicYear: number): Promise<void> {
  await db
    .update(school)
    .set({ rolledOverTo: academicYear, version: sql`${school.version} + 1` })
    .where(eq(school.id, schoolId));
}

/** The school's youngest and oldest year groups and the year it last rolled over to. */
export async function schoolYearOf(db: Executor, schoolId: string) {
  const rows = await db
    .select({ lowest: school.lowestNcYear, highest: school.highestNcYear, rolledOverTo: school.rolledOverTo })
    .from(school)
    .where(eq(school.id, schoolId))
    .limit(1);
  return rows[0] ?? null;
}

/** Classes in use, for the roll-over. */
export async function classesInUse(db: Executor, schoolId: string) {
  return db
    .select({
      id: schoolClass.id,
      name: schoolClass.name,
      ncYears: schoolClass.ncYears,
      version: schoolClass.version,
    })
    .from(schoolClass)
    .where(and(eq(schoolClass.schoolId, schoolId), isNull(schoolClass.archivedAt)))
    .orderBy(sql`${schoolClass.ncYear} nulls last`, asc(schoolClass.name));
}

/** Every pupil on roll with what the roll-over needs; `lock` holds them until the transaction ends. */
export async function pupilsOnRoll(db: Executor, schoolId: string, options: { lock?: boolean } = {}) {
  const query = db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      dateOfBirth: pupil.dateOfBirth,
      classId: pupil.classId,
      ncYearOverride: pupil.ncYearOverride,
    })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), isNull(pupil.leftOn)))
    .orderBy(asc(pupil.id));
  return options.lock ? query.for('update', { of: pupil }) : query;
}

/** Move the year group of pupils taught out of year group up by `shift`. */
export async function shiftYearGroupOverrides(
  db: Executor,
  schoolId: string,
  pupilIds: readonly string[],
  shift: number,
): Promise<void> {
  for (let i = 0; i < pupilIds.length; i += 1000) {
    await db
      .update(pupil)
      .set({
        ncYearOverride: sql`${pupil.ncYearOverride} + ${shift}`,
        version: sql`${pupil.version} + 1`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(pupil.schoolId, schoolId), inArray(pupil.id, pupilIds.slice(i, i + 1000))));
  }
}

/** Keep pupils in a year group (those staying on past the school's oldest year group). */
export async function setYearGroupOverrides(
  db: Executor,
  schoolId: string,
  rows: readonly { pupilId: string; ncYearOverride: number }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const values = sql.join(
      rows.slice(i, i + 500).map((r) => sql`(${r.pupilId}::uuid, ${r.ncYearOverride}::smallint)`),
      sql`, `,
    );
    await db.execute(sql`update ${pupil} set nc_year_override = v.y, version = ${pupil.version} + 1, updated_at = now()
      from (values ${values}) as v(id, y)
      where ${pupil.schoolId} = ${schoolId} and ${pupil.id} = v.id`);
  }
}

/** Record that pupils left: the date, where they went, and no class any more. */
export async function markLeavers(
  db: Executor,
  schoolId: string,
  rows: readonly { pupilId: string; leftOn: IsoDate; destination: string | null }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const values = sql.join(
      rows.slice(i, i + 500).map((r) => sql`(${r.pupilId}::uuid, ${r.leftOn}::date, ${r.destination}::text)`),
      sql`, `,
    );
    await db.execute(sql`update ${pupil} set left_on = v.left_on, destination = v.destination, class_id = null,
      version = ${pupil.version} + 1, updated_at = now()
      from (values ${values}) as v(id, left_on, destination)
      where ${pupil.schoolId} = ${schoolId} and ${pupil.id} = v.id`);
  }
}
