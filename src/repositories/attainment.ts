import { and, asc, eq, gte, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { assessmentSubject, attainmentResult, expectedTrajectory } from '../db/schema/index.ts';
import {
  DEFAULT_SUBJECTS,
  type Result,
  type SubjectProgress,
  subjectProgress,
  type Trajectory,
} from '../domain/attainment.ts';

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
