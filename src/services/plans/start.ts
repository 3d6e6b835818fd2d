import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import { type AreaOfNeed, areaOfNeed } from '../../domain/census.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { defaultReviewDate, type ReviewInterval } from '../../domain/plans.ts';
import type { SenStage } from '../../domain/register.ts';
import { insertPlans, nextCycle, plansOfPupil } from '../../repositories/plans.ts';
import type { PupilRow } from '../../repositories/pupils.ts';
import { classTeachersOfClass } from '../../repositories/schools.ts';
import type { SchoolActor } from '../kernel/actor.ts';
import { ValidationError } from '../kernel/errors.ts';

/**
 * Start a draft plan for a pupil at monitoring, SEN support or with an EHC plan, owned by their class
 * teacher, inside the caller's unit of work (starting a plan, or reviewing a concern that starts one).
 * A draft already started is returned instead of a second.
 */
export async function startDraftPlan(
  tx: Executor,
  a: SchoolActor,
  pupil: Pick<PupilRow, 'id' | 'forename' | 'classId' | 'primaryNeed' | 'secondaryNeed'> & {
    senStage: SenStage;
  },
  start: IsoDate,
  reviewInterval: ReviewInterval,
): Promise<{ id: string; created: boolean }> {
  if (pupil.senStage === 'none') {
    throw new ValidationError([
      {
        field: 'form',
        message: `${pupil.forename} is not on the SEN register or the monitoring list: add them first`,
      },
    ]);
  }
  const plans = await plansOfPupil(tx, a.schoolId, pupil.id);
  const draft = plans.find((p) => p.status === 'draft');
  if (draft) return { id: draft.id, created: false };
  const id = randomUUID();
  const teachers = pupil.classId ? await classTeachersOfClass(tx, a.schoolId, pupil.classId) : [];
  const owner = teachers[0] ?? { userId: a.userId, name: a.name };
  const areas = [pupil.primaryNeed, pupil.secondaryNeed]
    .map((c) => (c ? areaOfNeed(c) : null))
    .filter((x): x is AreaOfNeed => Boolean(x));
  await insertPlans(tx, [
    {
      schoolId: a.schoolId,
      id,
      pupilId: pupil.id,
      cycle: await nextCycle(tx, a.schoolId, pupil.id),
      status: 'draft',
      needAreas: [...new Set(areas)],
      startDate: start,
      reviewDate: defaultReviewDate(start, reviewInterval),
      ownerId: owner.userId,
      ownerName: owner.name,
      createdBy: a.userId,
      createdByName: a.name,
    },
  ]);
  return { id, created: true };
}
