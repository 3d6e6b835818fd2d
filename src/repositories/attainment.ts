import { and, asc, eq, gte, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  assessmentSubject,
  attainmentResult,
  expectedTrajectory,
  pupil,
  schoolClass,
} from '../db/schema/index.ts';
import {
  DEFAULT_SUBJECTS,
  type Result,
  type SubjectProgress,
  subjectProgress,
  type Trajectory,
} from '../domain/attainment.ts';
import type { TermName } from '../domain/calendar.ts';
import { ncYearSql } from './pupils.ts';

/** Subjects, termly results and expected trajectories: always inside one school. */

export type SubjectRow = typeof assessmentSubject.$inferSelect;

/** The school's subjects in use, in the school's order. */
export async function subjectsOf(db: Executor, schoolId: string): Promise<SubjectRow[]> {
  return db
    .select()
    .from(assessmentSubject)
    .where(and(eq(assessmentSubject.schoolId, schoolId), isNull(assessmentSubject.archivedAt)))
    .orderBy(asc(assessmentSubject.position), asc(assessmentSubject.name));
}

/** Every subject of the school, archived ones last. */
export async function allSubjectsOf(db: Executor, schoolId: string): Promise<SubjectRow[]> {
  return db
    .select()
    .from(assessmentSubject)
    .where(eq(assessmentSubject.schoolId, schoolId))
    .orderBy(
      sql`${assessmentSubject.archivedAt} is not null`,
      asc(assessmentSubject.position),
      asc(assessmentSubject.name),
    );
}

/** One subject of the school; `lock` takes the row for the transaction. */
export async function findSubject(
  db: Executor,
  schoolId: string,
  subjectId: string,
  options: { lock?: boolean } = {},
): Promise<SubjectRow | null> {
  const query = db
    .select()
    .from(assessmentSubject)
    .where(and(eq(assessmentSubject.schoolId, schoolId), eq(assessmentSubject.id, subjectId)))
    .limit(1);
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

/** Does the school have any subject at all (archived ones count: it has chosen)? */
export async function hasSubjects(db: Executor, schoolId: string): Promise<boolean> {
  const rows = await db
    .select({ id: assessmentSubject.id })
    .from(assessmentSubject)
    .where(eq(assessmentSubject.schoolId, schoolId))
    .limit(1);
  return rows.length > 0;
}

export type SubjectValues = Omit<
  typeof assessmentSubject.$inferInsert,
  'schoolId' | 'id' | 'position' | 'createdAt' | 'version' | 'archivedAt'
>;

export async function insertSubject(db: Executor, schoolId: string, id: string, values: SubjectValues) {
  const [next] = await db
    .select({ n: sql<number>`coalesce(max(${assessmentSubject.position}), 0)::int + 1` })
    .from(assessmentSubject)
    .where(eq(assessmentSubject.schoolId, schoolId));
  await db.insert(assessmentSubject).values({ ...values, schoolId, id, position: next?.n ?? 1 });
}

/** Change a subject at the version the form showed; false when someone else changed it first. */
export async function updateSubject(
  db: Executor,
  schoolId: string,
  subjectId: string,
  version: number,
  values: Partial<SubjectValues> & { archivedAt?: Date | null },
): Promise<boolean> {
  const rows = await db
    .update(assessmentSubject)
    .set({ ...values, version: sql`${assessmentSubject.version} + 1` })
    .where(
      and(
        eq(assessmentSubject.schoolId, schoolId),
        eq(assessmentSubject.id, subjectId),
        eq(assessmentSubject.version, version),
      ),
    )
    .returning({ id: assessmentSubject.id });
  return rows.length > 0;
}

/** Subjects as they are (the demo's, with their ids). */
export async function insertSubjects(db: Executor, values: (typeof assessmentSubject.$inferInsert)[]) {
  if (values.length > 0) await db.insert(assessmentSubject).values(values);
}

/** Reading, writing and maths on bands, for a school that has no subjects yet (none when it has). */
export async function insertDefaultSubjects(db: Executor, schoolId: string): Promise<void> {
  await db
    .insert(assessmentSubject)
    .values(
      DEFAULT_SUBJECTS.map((s, i) => ({
        schoolId,
        id: crypto.randomUUID(),
        name: s.name,
        position: i + 1,
        scale: s.scale,
        bands: s.bands ? [...s.bands] : null,
        expectedBand: s.expectedBand,
        scoreMin: s.scoreMin,
        scoreMax: s.scoreMax,
        scoreExpected: s.scoreExpected,
        stepsPerYear: s.stepsPerYear,
      })),
    )
    .onConflictDoNothing();
}

export interface ResultRow extends Result {
  id: string;
  pupilId: string;
  subjectId: string;
  version: number;
}

/** The results of these pupils from an academic year on (the year before gives this year's baseline). */
export async function resultsOfPupils(
  db: Executor,
  schoolId: string,
  pupilIds: readonly string[],
  fromAcademicYear: number,
): Promise<ResultRow[]> {
  if (pupilIds.length === 0) return [];
  return db
    .select({
      id: attainmentResult.id,
      pupilId: attainmentResult.pupilId,
      subjectId: attainmentResult.subjectId,
      academicYear: attainmentResult.academicYear,
      term: attainmentResult.term,
      scale: attainmentResult.scale,
      value: attainmentResult.value,
      version: attainmentResult.version,
    })
    .from(attainmentResult)
    .where(
      and(
        eq(attainmentResult.schoolId, schoolId),
        inArray(attainmentResult.pupilId, [...pupilIds]),
        gte(attainmentResult.academicYear, fromAcademicYear),
      ),
    );
}

export interface TrajectoryRow extends Trajectory {
  id: string;
  pupilId: string;
  subjectId: string;
  reason: string | null;
  setByName: string;
  version: number;
}

/** The trajectories set for these pupils for one academic year. */
export async function trajectoriesOfPupils(
  db: Executor,
  schoolId: string,
  pupilIds: readonly string[],
  academicYear: number,
): Promise<TrajectoryRow[]> {
  if (pupilIds.length === 0) return [];
  return db
    .select({
      id: expectedTrajectory.id,
      pupilId: expectedTrajectory.pupilId,
      subjectId: expectedTrajectory.subjectId,
      academicYear: expectedTrajectory.academicYear,
      scale: expectedTrajectory.scale,
      endValue: expectedTrajectory.endValue,
      reason: expectedTrajectory.reason,
      setByName: expectedTrajectory.setByName,
      version: expectedTrajectory.version,
    })
    .from(expectedTrajectory)
    .where(
      and(
        eq(expectedTrajectory.schoolId, schoolId),
        inArray(expectedTrajectory.pupilId, [...pupilIds]),
        eq(expectedTrajectory.academicYear, academicYear),
      ),
    );
}

/** Each pupil's progress in each subject this academic year: pupil id → subject id → progress. */
export type ProgressByPupil = Map<string, Map<string, SubjectProgress>>;

/**
 * Every pupil's progress in every subject of the school for one academic year (their latest result
 * against their trajectory, or their peers' when none was set): three queries whatever the number of
 * pupils. The caller has authorised the pupils (their `progress` section) and audits what it shows.
 */
export async function progressOfPupils(
  db: Executor,
  schoolId: string,
  pupilIds: readonly string[],
  academicYear: number,
  subjects?: readonly SubjectRow[],
): Promise<{ subjects: SubjectRow[]; progress: ProgressByPupil }> {
  const [subjectRows, results, trajectories] = await Promise.all([
    subjects ? Promise.resolve([...subjects]) : subjectsOf(db, schoolId),
    resultsOfPupils(db, schoolId, pupilIds, academicYear - 1),
    trajectoriesOfPupils(db, schoolId, pupilIds, academicYear),
  ]);
  const resultsOf = new Map<string, ResultRow[]>();
  for (const r of results) {
    const key = `${r.pupilId}:${r.subjectId}`;
    const list = resultsOf.get(key) ?? [];
    list.push(r);
    resultsOf.set(key, list);
  }
  const trajectoryOf = new Map(trajectories.map((t) => [`${t.pupilId}:${t.subjectId}`, t]));
  const progress: ProgressByPupil = new Map();
  for (const pupilId of pupilIds) {
    const bySubject = new Map<string, SubjectProgress>();
    for (const s of subjectRows) {
      const key = `${pupilId}:${s.id}`;
      bySubject.set(
        s.id,
        subjectProgress(s, academicYear, resultsOf.get(key) ?? [], trajectoryOf.get(key) ?? null),
      );
    }
    progress.set(pupilId, bySubject);
  }
  return { subjects: subjectRows, progress };
}

/** A pupil as the class grid and the progress lists show them. */
export interface ProgressPupil {
  id: string;
  forename: string;
  surname: string;
  senStage: string;
  ncYear: number;
  classId: string | null;
  className: string | null;
}

/**
 * Pupils on roll whose `progress` section the actor reaches at `level` (the compiled reach), in a class
 * or the whole school, in name order.
 */
export async function progressPupils(
  db: Executor,
  schoolId: string,
  condition: SQL,
  academicYearStart: number,
  options: { classId?: string | null } = {},
): Promise<ProgressPupil[]> {
  const conditions: SQL[] = [
    condition,
    eq(pupil.schoolId, schoolId),
    isNull(pupil.leftOn),
    isNull(pupil.erasedAt),
  ];
  if (options.classId) conditions.push(eq(pupil.classId, options.classId));
  return db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      senStage: pupil.senStage,
      ncYear: sql<number>`${ncYearSql(academicYearStart, schoolId)}`,
      classId: pupil.classId,
      className: schoolClass.name,
    })
    .from(pupil)
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(...conditions))
    .orderBy(asc(pupil.surname), asc(pupil.forename), asc(pupil.id));
}

/** A saved result on the class grid. */
export interface TermResultRow {
  id: string;
  pupilId: string;
  subjectId: string;
  academicYear: number;
  term: TermName;
  scale: 'bands' | 'score' | 'steps';
  value: number;
  version: number;
  recordedByName: string;
}

/** The results of these pupils in some terms (the grid's term and the one before). */
export async function resultsInTerms(
  db: Executor,
  schoolId: string,
  pupilIds: readonly string[],
  terms: readonly { academicYear: number; term: TermName }[],
  options: { lock?: boolean } = {},
): Promise<TermResultRow[]> {
  if (pupilIds.length === 0 || terms.length === 0) return [];
  const query = db
    .select({
      id: attainmentResult.id,
      pupilId: attainmentResult.pupilId,
      subjectId: attainmentResult.subjectId,
      academicYear: attainmentResult.academicYear,
      term: attainmentResult.term,
      scale: attainmentResult.scale,
      value: attainmentResult.value,
      version: attainmentResult.version,
      recordedByName: attainmentResult.recordedByName,
    })
    .from(attainmentResult)
    .where(
      and(
        eq(attainmentResult.schoolId, schoolId),
        inArray(attainmentResult.pupilId, [...pupilIds]),
        or(
          ...terms.map(
            (t) =>
              and(
                eq(attainmentResult.academicYear, t.academicYear),
                eq(attainmentResult.term, t.term),
              ) as SQL,
          ),
        ),
      ),
    );
  return options.lock ? query.for('update') : query;
}

export type ResultInsert = typeof attainmentResult.$inferInsert;

export async function insertResults(db: Executor, values: ResultInsert[]): Promise<void> {
  for (let i = 0; i < values.length; i += 1000)
    await db.insert(attainmentResult).values(values.slice(i, i + 1000));
}

/** Change a result at the version read; false when it changed meanwhile. */
export async function updateResult(
  db: Executor,
  schoolId: string,
  resultId: string,
  version: number,
  values: Pick<ResultInsert, 'scale' | 'value' | 'ncYear' | 'source' | 'recordedBy' | 'recordedByName'>,
): Promise<boolean> {
  const rows = await db
    .update(attainmentResult)
    .set({ ...values, recordedAt: new Date(), version: sql`${attainmentResult.version} + 1` })
    .where(
      and(
        eq(attainmentResult.schoolId, schoolId),
        eq(attainmentResult.id, resultId),
        eq(attainmentResult.version, version),
      ),
    )
    .returning({ id: attainmentResult.id });
  return rows.length > 0;
}

export async function deleteResult(db: Executor, schoolId: string, resultId: string, version: number) {
  const rows = await db
    .delete(attainmentResult)
    .where(
      and(
        eq(attainmentResult.schoolId, schoolId),
        eq(attainmentResult.id, resultId),
        eq(attainmentResult.version, version),
      ),
    )
    .returning({ id: attainmentResult.id });
  return rows.length > 0;
}

export type TrajectoryInsert = typeof expectedTrajectory.$inferInsert;

export async function insertTrajectory(db: Executor, values: TrajectoryInsert): Promise<void> {
  await db.insert(expectedTrajectory).values(values);
}

export async function insertTrajectories(db: Executor, values: TrajectoryInsert[]): Promise<void> {
  for (let i = 0; i < values.length; i += 1000)
    await db.insert(expectedTrajectory).values(values.slice(i, i + 1000));
}

/** Change a trajectory at the version the form showed; false when someone else changed it first. */
export async function updateTrajectory(
  db: Executor,
  schoolId: string,
  trajectoryId: string,
  version: number,
  values: Pick<TrajectoryInsert, 'scale' | 'endValue' | 'reason' | 'setBy' | 'setByName'>,
): Promise<boolean> {
  const rows = await db
    .update(expectedTrajectory)
    .set({ ...values, setAt: new Date(), version: sql`${expectedTrajectory.version} + 1` })
    .where(
      and(
        eq(expectedTrajectory.schoolId, schoolId),
        eq(expectedTrajectory.id, trajectoryId),
        eq(expectedTrajectory.version, version),
      ),
    )
    .returning({ id: expectedTrajectory.id });
  return rows.length > 0;
}

/** A pupil below their trajectory in one or more subjects this year. */
export interface PupilBelowTrajectory extends ProgressPupil {
  /** The subjects they are below in, in the school's order. */
  subjects: { id: string; name: string; progress: SubjectProgress }[];
}

/**
 * The early-identification list (seeds 001 and 004): pupils on roll, among those given (a class's, or
 * those the caller may see), below their trajectory in any subject at their latest result this
 * academic year. Four queries whatever the number of pupils. The caller has authorised the pupils and
 * audits what it shows; the reports and dashboards count `length`.
 */
export async function pupilsBelowTrajectory(
  db: Executor,
  pupils: readonly ProgressPupil[],
  schoolId: string,
  academicYear: number,
): Promise<PupilBelowTrajectory[]> {
  const { subjects, progress } = await progressOfPupils(
    db,
    schoolId,
    pupils.map((p) => p.id),
    academicYear,
  );
  const below: PupilBelowTrajectory[] = [];
  for (const p of pupils) {
    const bySubject = progress.get(p.id);
    const list = subjects
      .map((s) => ({ id: s.id, name: s.name, progress: bySubject?.get(s.id) }))
      .filter(
        (s): s is { id: string; name: string; progress: SubjectProgress } => s.progress?.status === 'below',
      );
    if (list.length > 0) below.push({ ...p, subjects: list });
  }
  return below;
}

/** Every pupil on roll of a school below their trajectory this year (for counts: no reach applied). */
export async function schoolPupilsBelowTrajectory(
  db: Executor,
  schoolId: string,
  academicYear: number,
): Promise<PupilBelowTrajectory[]> {
  const pupils = await progressPupils(db, schoolId, sql`true`, academicYear);
  return pupilsBelowTrajectory(db, pupils, schoolId, academicYear);
}

/** The school's pupils (leavers too, not erased) with these UPNs, with their NC year this academic year. */
export async function pupilsByUpn(
  db: Executor,
  schoolId: string,
  upns: readonly string[],
  academicYearStart: number,
) {
  if (upns.length === 0) return [];
  return db
    .select({
      id: pupil.id,
      upn: pupil.upn,
      forename: pupil.forename,
      surname: pupil.surname,
      ncYear: sql<number>`${ncYearSql(academicYearStart, schoolId)}`,
    })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), inArray(pupil.upn, [...upns]), isNull(pupil.erasedAt)));
}
