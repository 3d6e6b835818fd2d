import { randomUUID } from 'node:crypto';
import type { Executor } from '../../src/db/client.ts';
import { attainmentResult, expectedTrajectory } from '../../src/db/schema/index.ts';
import type { TermName } from '../../src/domain/calendar.ts';
import { insertDefaultSubjects, subjectsOf } from '../../src/repositories/attainment.ts';

/**
 * Attainment for the progress meeting's tests and bench: the school's default subjects (reading,
 * writing, maths on bands: 0 BLW, 1 WTS, 2 EXS, 3 GDS) and a result in one of them.
 */
export async function defaultSubjectIds(db: Executor, schoolId: string): Promise<Record<string, string>> {
  await insertDefaultSubjects(db, schoolId);
  return Object.fromEntries((await subjectsOf(db, schoolId)).map((s) => [s.name, s.id]));
}

export async function buildAttainmentResult(
  db: Executor,
  r: {
    schoolId: string;
    pupilId: string;
    subjectId: string;
    academicYear: number;
    term: TermName;
    value: number;
  },
) {
  await db.insert(attainmentResult).values({
    ...r,
    id: randomUUID(),
    scale: 'bands',
    recordedByName: 'Test Teacher',
  });
}

export async function buildTrajectory(
  db: Executor,
  t: {
    schoolId: string;
    pupilId: string;
    subjectId: string;
    academicYear: number;
    endValue: number;
    reason?: string;
  },
) {
  await db.insert(expectedTrajectory).values({
    ...t,
    id: randomUUID(),
    scale: 'bands',
    reason: t.reason ?? null,
    setByName: 'Test Teacher',
  });
}
