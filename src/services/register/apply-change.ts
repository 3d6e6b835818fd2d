import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { classifyRegisterChange, type RegisterPosition, registerRuleErrors } from '../../domain/register.ts';
import type { PupilRow } from '../../repositories/pupils.ts';
import { setRegisterPosition } from '../../repositories/pupils.ts';
import { insertRegisterEntries } from '../../repositories/register.ts';
import type { SchoolActor } from '../kernel/actor.ts';
import { ValidationError } from '../kernel/errors.ts';

export type ChangeSource = 'register' | 'concern' | 'register_review';

/**
 * Apply a change of stage or needs to a locked pupil row: check the census rules, write the history
 * entry and the new position. Callers audit. Used by the register, concern reviews and register reviews.
 */
export async function applyRegisterChange(
  tx: Executor,
  actor: SchoolActor,
  current: PupilRow,
  to: RegisterPosition,
  effectiveDate: IsoDate,
  reason: string,
  source: ChangeSource,
  concernId: string | null = null,
) {
  const errors = registerRuleErrors(to).map((e) => ({ field: e.field, message: e.message }));
  if (errors.length > 0) throw new ValidationError(errors);
  const change = classifyRegisterChange(
    { stage: current.senStage, primaryNeed: current.primaryNeed, secondaryNeed: current.secondaryNeed },
    to,
  );
  if ('error' in change) throw new ValidationError([{ field: 'stage', message: change.error }]);
  await insertRegisterEntries(tx, [
    {
      schoolId: actor.schoolId,
      id: randomUUID(),
      pupilId: current.id,
      effectiveDate,
      fromStage: current.senStage,
      stage: to.stage,
      primaryNeed: to.primaryNeed,
      secondaryNeed: to.secondaryNeed,
      changeKind: change.kind,
      reason,
      decidedBy: actor.userId,
      decidedByName: actor.name,
      source,
      concernId,
    },
  ]);
  await setRegisterPosition(tx, actor.schoolId, current.id, {
    senStage: to.stage,
    primaryNeed: to.primaryNeed,
    secondaryNeed: to.secondaryNeed,
  });
  return change.kind;
}
