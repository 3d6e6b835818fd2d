import type { Executor } from '../../src/db/client.ts';
import type { PlanStatus } from '../../src/domain/plans.ts';
import {
  insertNotes,
  insertPlans,
  insertTargets,
  nextCycle,
  type PlanInsert,
} from '../../src/repositories/plans.ts';
import { uuid } from './common.ts';
import { buildPupil } from './pupils.ts';

/**
 * A support plan (traits: a status, targets, a note); builds a pupil at SEN support, and their
 * school, unless given them.
 */
export async function buildPlan(
  db: Executor,
  options: Partial<PlanInsert> & {
    schoolId?: string;
    pupilId?: string;
    status?: PlanStatus;
    targets?: string[];
    note?: string;
  } = {},
) {
  const { targets = ['Follow a two-part instruction'], note, status = 'active', ...rest } = options;
  const pupil = options.pupilId
    ? { id: options.pupilId, schoolId: options.schoolId! }
    : await buildPupil(db, {
        ...(options.schoolId ? { schoolId: options.schoolId } : {}),
        stage: 'sen_support',
        primaryNeed: 'SLCN',
      });
  const plan: PlanInsert = {
    id: uuid(),
    cycle: await nextCycle(db, pupil.schoolId, pupil.id),
    status,
    startDate: '2026-09-07',
    reviewDate: '2026-12-04',
    createdByName: 'Test builder',
    ...(status === 'draft' ? {} : { agreedOn: '2026-09-07', agreedWith: 'Parents' }),
    ...rest,
    schoolId: pupil.schoolId,
    pupilId: pupil.id,
  };
  await insertPlans(db, [plan]);
  const targetRows = targets.map((text, i) => ({
    schoolId: pupil.schoolId,
    id: uuid(),
    planId: plan.id!,
    pupilId: pupil.id,
    position: i + 1,
    target: text,
  }));
  await insertTargets(db, targetRows);
  const noteId = uuid();
  if (note) {
    await insertNotes(db, [
      {
        schoolId: pupil.schoolId,
        id: noteId,
        planId: plan.id!,
        pupilId: pupil.id,
        writtenOn: '2026-10-01',
        body: note,
        authorName: 'Test builder',
      },
    ]);
  }
  return {
    ...plan,
    id: plan.id!,
    pupilId: pupil.id,
    schoolId: pupil.schoolId,
    targetIds: targetRows.map((t) => t.id),
    noteId: note ? noteId : null,
  };
}
