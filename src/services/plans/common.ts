import type { Executor } from '../../db/client.ts';
import { atLeast, sectionAccess } from '../../domain/access.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { planActions } from '../../policies/plan.ts';
import { findPlan } from '../../repositories/plans.ts';
import { type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { NotFoundError } from '../kernel/errors.ts';
import type { createSettings } from './settings.ts';

/** The school's plan settings (its name for plans, review interval, most targets…), read per school. */
export type PlanSettings = ReturnType<typeof createSettings>;

/** What a save that lost the race is told: the other change is shown, the user's own text kept. */
export const STALE =
  'Someone else changed this plan while you were working on it. Their version is shown; your changes are kept below: check them and save again.';

/** A plan this actor may see, with their access to its pupil and what they may do; "not found" otherwise. */
export async function planFor(
  tx: Executor,
  a: SchoolActor,
  planId: string,
  _today: IsoDate,
  options: { lock?: boolean } = {},
) {
  const found = await findPlan(tx, scopeOf(a), planId, options);
  const access = found ? sectionAccess(a.roles, found.reaches) : null;
  if (!found || !access || !atLeast(access.plans, 'read')) {
    throw new NotFoundError('Plan not found', { kind: 'plan', id: planId });
  }
  const actions = planActions(a, { plan: found.plan, pupil: found.pupil }, { access });
  return { ...found, access, actions };
}
