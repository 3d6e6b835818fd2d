import type { Database, Executor } from '../../db/client.ts';
import { fieldChanges } from '../../domain/audit.ts';
import type { ReviewInterval } from '../../domain/plans.ts';
import { findSettings, saveSettings } from '../../repositories/plans.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireCapability } from '../kernel/authorise.ts';
import { ConflictError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

export interface SettingsValues {
  planName: string;
  reviewInterval: ReviewInterval;
  halfTermlyTargetChecks: boolean;
  maxTargets: number;
  topUpThresholdPence: number;
  nearingPercent: number;
}

export const DEFAULT_SETTINGS: SettingsValues = {
  planName: 'SEN Support Plan',
  reviewInterval: 'termly',
  halfTermlyTargetChecks: false,
  maxTargets: 4,
  topUpThresholdPence: 600_000,
  nearingPercent: 80,
};

const LABELS: Partial<Record<keyof SettingsValues, string>> = {
  planName: 'What the school calls its plans',
  reviewInterval: 'Review interval',
  halfTermlyTargetChecks: 'Half-termly target checks',
  maxTargets: 'Most targets in a plan',
  topUpThresholdPence: 'High-needs threshold',
  nearingPercent: 'Nearing the threshold from',
};

/** The school's own settings: defaults until the SENCo or head saves them. */
export function createSettings(database: Database) {
  const { db } = database;
  async function values(
    schoolId: string,
    executor: Executor = db,
  ): Promise<SettingsValues & { version: number }> {
    const row = await findSettings(executor, schoolId);
    return row
      ? {
          planName: row.planName,
          reviewInterval: row.reviewInterval,
          halfTermlyTargetChecks: row.halfTermlyTargetChecks,
          maxTargets: row.maxTargets,
          topUpThresholdPence: row.topUpThresholdPence,
          nearingPercent: row.nearingPercent,
          version: row.version,
        }
      : { ...DEFAULT_SETTINGS, version: 0 };
  }
  return {
    values,
    async forEdit(actor: Actor) {
      const a = requireCapability(actor, 'settings.manage');
      return values(a.schoolId);
    },
    async save(actor: Actor, version: number, input: SettingsValues) {
      const a = requireCapability(actor, 'settings.manage');
      if (input.maxTargets < 1 || input.maxTargets > 10) {
        throw new ValidationError([{ field: 'maxTargets', message: 'A plan can hold from 1 to 10 targets' }]);
      }
      if (input.topUpThresholdPence < 0 || input.topUpThresholdPence > 100_000_00) {
        throw new ValidationError([
          { field: 'topUpThreshold', message: 'Enter a threshold from £0 to £100,000' },
        ]);
      }
      if (input.nearingPercent < 1 || input.nearingPercent > 100) {
        throw new ValidationError([{ field: 'nearingPercent', message: 'Enter a percentage from 1 to 100' }]);
      }
      await unitOfWork(db, a, async (w) => {
        // Inside the transaction, through it: PGlite has one connection, and `db` would wait for it.
        const before = await values(a.schoolId, w.tx);
        // Only the settings themselves: nothing else a caller's object carries (its version) is stored.
        const row: SettingsValues = {
          planName: input.planName,
          reviewInterval: input.reviewInterval,
          halfTermlyTargetChecks: input.halfTermlyTargetChecks,
          maxTargets: input.maxTargets,
          topUpThresholdPence: input.topUpThresholdPence,
          nearingPercent: input.nearingPercent,
        };
        if (!(await saveSettings(w.tx, a.schoolId, version, { ...row, updatedBy: a.userId }))) {
          throw new ConflictError(
            'Someone else changed the settings while you were editing. Their values are shown; yours are below: check them and save again.',
          );
        }
        w.audit('settings.changed', {
          detail: {
            changes: fieldChanges(
              { ...before } as Record<string, unknown>,
              { ...row },
              LABELS as Record<string, string>,
            ),
          },
        });
      });
    },
  };
}
