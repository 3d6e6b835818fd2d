import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { formatDate, type IsoDate } from '../../domain/dates.ts';
import {
  type CheckProgress,
  type TargetCheckItem,
  type TargetCheckStatus,
  targetCheckStatus,
} from '../../domain/target-checks.ts';
import {
  checksOfPlan,
  type PlanRow,
  saveCheck,
  type TargetCheckRow,
  targetsOfPlan,
} from '../../repositories/plans.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';
import { type PlanSettings, planFor } from './common.ts';

export interface TargetCheckInput {
  /** The check being recorded: the due date of the half-term it is for. */
  dueOn: IsoDate;
  checkedOn: IsoDate;
  items: { targetId: string; progress: CheckProgress; note: string | null }[];
}

/**
 * Where a plan stands with its half-termly target checks: null when the school does not use them or
 * the plan is not in place (a plan's recorded checks stay on it whatever the setting).
 */
export function checkStatusOf(
  enabled: boolean,
  plan: Pick<PlanRow, 'status' | 'startDate' | 'reviewDate'>,
  checks: readonly Pick<TargetCheckRow, 'dueOn'>[],
  today: IsoDate,
): TargetCheckStatus | null {
  if (!enabled || plan.status !== 'active') return null;
  return targetCheckStatus(
    plan,
    checks.map((c) => c.dueOn),
    today,
  );
}

/** Why the check form cannot be used now, in plain words, or null. */
export function targetCheckProblem(
  enabled: boolean,
  plan: Pick<PlanRow, 'status'>,
  status: TargetCheckStatus | null,
): string | null {
  if (!enabled) {
    return 'The school does not use half-termly target checks: the SENCo can turn them on in Settings';
  }
  if (plan.status !== 'active') return 'Half-termly target checks are recorded while the plan is in place';
  if (status?.current) return null;
  return status?.next
    ? `No half-termly target check is open yet: the next can be recorded from ${formatDate(status.next.opensOn)}`
    : 'This plan has no half-termly target check to record: its review comes next';
}

const STALE_CHECK =
  'Someone else recorded this check while you were writing yours. Theirs is shown; yours is kept below: check it and save again.';

/**
 * Recording a plan's half-termly target check: the class teacher or SENCo (plans: write), for the check
 * open now, every target judged; one per half-term, changed with optimistic locking.
 */
export function createTargetChecks(database: Database, clock: Clock, settings: PlanSettings) {
  const { db } = database;
  return {
    async recordTargetCheck(actor: Actor, planId: string, version: number, input: TargetCheckInput) {
      const a = requireSection(actor, 'plans', 'write');
      const { halfTermlyTargetChecks } = await settings.values(a.schoolId);
      const today = clock.today();
      return unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, clock.today(), { lock: true });
        const checks = await checksOfPlan(w.tx, a.schoolId, planId);
        const status = checkStatusOf(halfTermlyTargetChecks, found.plan, checks, today);
        const problem = found.actions.recordTargetCheck
          ? targetCheckProblem(halfTermlyTargetChecks, found.plan, status)
          : 'Only the class teacher or the SENCo records a half-termly target check, while the plan is in place';
        if (problem) throw new ValidationError([{ field: 'form', message: problem }]);
        if (status?.current?.dueOn !== input.dueOn) {
          throw new ValidationError([
            {
              field: 'form',
              message: 'The check you were recording is no longer the one open: open the form again',
            },
          ]);
        }
        const errors: FieldError[] = [];
        if (input.checkedOn > today)
          errors.push({ field: 'checkedOn', message: 'The date of the check must be today or in the past' });
        if (found.plan.startDate && input.checkedOn < found.plan.startDate)
          errors.push({ field: 'checkedOn', message: 'The check cannot be before the plan started' });
        const targets = await targetsOfPlan(w.tx, a.schoolId, planId);
        if (targets.length === 0)
          errors.push({ field: 'form', message: 'This plan has no targets to check' });
        for (const t of targets) {
          if (!input.items.some((i) => i.targetId === t.id))
            errors.push({ field: `progress-${t.id}`, message: `Say how target ${t.position} is going` });
        }
        if (input.items.some((i) => !targets.some((t) => t.id === i.targetId)))
          errors.push({
            field: 'form',
            message: 'The targets of this plan have changed: open the check again',
          });
        if (errors.length > 0) throw new ValidationError(errors);

        const existing = checks.find((c) => c.dueOn === input.dueOn) ?? null;
        if (existing ? existing.version !== version : version !== 0) throw new ConflictError(STALE_CHECK);
        const byId = new Map(input.items.map((i) => [i.targetId, i]));
        const items: TargetCheckItem[] = targets.map((t) => ({
          targetId: t.id,
          position: t.position,
          target: t.target,
          progress: byId.get(t.id)!.progress,
          note: byId.get(t.id)!.note,
        }));
        const saved = await saveCheck(w.tx, version, {
          schoolId: a.schoolId,
          id: existing?.id ?? randomUUID(),
          planId,
          pupilId: found.plan.pupilId,
          dueOn: input.dueOn,
          checkedOn: input.checkedOn,
          items,
          recordedBy: a.userId,
          recordedByName: a.name,
        });
        if (!saved) throw new ConflictError(STALE_CHECK);
        w.audit(existing ? 'plan.target_check_changed' : 'plan.target_check_recorded', {
          pupilId: found.plan.pupilId,
          detail: { planId, dueOn: input.dueOn },
        });
      });
    },
  };
}
