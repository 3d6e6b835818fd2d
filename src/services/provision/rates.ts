import type { Database, Executor } from '../../db/client.ts';
import {
  DELIVERER_IN_TEXT,
  DELIVERER_KINDS,
  DELIVERER_LABELS,
  type DelivererKind,
} from '../../domain/provision.ts';
import { DEFAULT_HOURLY_PENCE, formatPence } from '../../domain/provision-costs.ts';
import { hourlyRateProblem } from '../../domain/provision-rules.ts';
import { lockSchool, ratesOfSchool, saveRates } from '../../repositories/provision.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireCapability } from '../kernel/authorise.ts';
import { ConflictError, type FieldError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

export type Rates = Record<DelivererKind, number>;

/** The school's hourly rates for costing staff time, by who delivers; defaults until it sets them. */
export function createRates(database: Database) {
  const { db } = database;

  async function current(tx: Executor, schoolId: string, lock = false) {
    const rows = await ratesOfSchool(tx, schoolId, { lock });
    const rates = { ...DEFAULT_HOURLY_PENCE };
    const set = new Set<DelivererKind>();
    for (const r of rows) {
      rates[r.deliverer] = r.hourlyPence;
      set.add(r.deliverer);
    }
    return { rates, set };
  }

  return {
    async rates(actor: Actor) {
      const a = requireCapability(actor, 'provision.manage');
      const { rates, set } = await current(db, a.schoolId);
      return DELIVERER_KINDS.map((kind) => ({
        kind,
        label: DELIVERER_LABELS[kind],
        hourlyPence: rates[kind],
        isDefault: !set.has(kind),
      }));
    },

    /**
     * Save the rates. `shown` are the rates the form showed: if someone else saved different ones
     * meanwhile, nothing is saved and the form shows theirs beside the user's.
     */
    async saveRates(actor: Actor, shown: Rates, input: Rates) {
      const a = requireCapability(actor, 'provision.manage');
      const errors: FieldError[] = [];
      for (const kind of DELIVERER_KINDS) {
        const problem = hourlyRateProblem(input[kind], DELIVERER_IN_TEXT[kind]);
        if (problem) errors.push({ field: kind, message: problem });
      }
      if (errors.length > 0) throw new ValidationError(errors);
      await unitOfWork(db, a, async (w) => {
        await lockSchool(w.tx, a.schoolId);
        const { rates: before } = await current(w.tx, a.schoolId, true);
        if (DELIVERER_KINDS.some((k) => before[k] !== shown[k])) {
          throw new ConflictError(
            'Someone else changed the hourly rates while you were editing them. Theirs are shown; yours are below: check them and save again.',
            { ...before },
          );
        }
        const changed = DELIVERER_KINDS.filter((k) => before[k] !== input[k]);
        if (changed.length === 0) return;
        await saveRates(
          w.tx,
          a.schoolId,
          DELIVERER_KINDS.map((k) => ({ deliverer: k, hourlyPence: input[k] })),
        );
        w.audit('rates.changed', {
          detail: {
            changes: changed.map((k) => ({
              label: DELIVERER_LABELS[k],
              from: formatPence(before[k]),
              to: formatPence(input[k]),
            })),
          },
        });
      });
    },
  };
}
