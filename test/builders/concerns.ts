import type { Executor } from '../../src/db/client.ts';
import { type ConcernInsert, insertConcerns } from '../../src/repositories/concerns.ts';
import { uuid } from './common.ts';
import { buildPupil } from './pupils.ts';

/**
 * A concern about a pupil, open, raised by a class teacher (traits: its kind, date, reasons, who
 * raised it, a review's outcome). Builds a pupil, and their school, unless given them.
 */
export async function buildConcern(
  db: Executor,
  options: Partial<ConcernInsert> & {
    schoolId?: string;
    pupilId?: string;
    /** The member of staff who raised it (by default a class teacher not on the staff list). */
    raiser?: { userId: string; name: string; role?: string };
  } = {},
) {
  const { raiser, ...rest } = options;
  const pupil = options.pupilId
    ? { id: options.pupilId, schoolId: options.schoolId! }
    : await buildPupil(db, options.schoolId ? { schoolId: options.schoolId } : {});
  const row = {
    id: uuid(),
    kind: 'send' as const,
    concernDate: '2026-11-02',
    raisedBy: raiser?.userId ?? null,
    raisedByName: raiser?.name ?? 'Test builder',
    raisedByRole: raiser?.role ?? 'Class teacher',
    reasons: 'Finds reading hard',
    classroomEvidence: 'Reading age two years behind',
    areasOfNeed: ['cognition_and_learning' as const],
    interventionsTried: [],
    ...rest,
    schoolId: pupil.schoolId,
    pupilId: pupil.id,
  } satisfies ConcernInsert;
  await insertConcerns(db, [row]);
  return row;
}
