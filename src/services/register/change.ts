import type { Database } from '../../db/client.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { pupilDateProblem } from '../../domain/pupil-dates.ts';
import { type RegisterPosition, STAGE_LABELS } from '../../domain/register.ts';
import type { Actor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil } from '../kernel/unit-of-work.ts';
import { applyRegisterChange } from './apply-change.ts';

export interface RegisterChangeInput extends RegisterPosition {
  effectiveDate: IsoDate;
  reason: string;
  /** The version of the pupil the form showed. */
  version: number;
}

const WRITE = { section: 'register', level: 'write' } as const;

export const STAGE_CONFLICT =
  'Someone else changed this pupil’s SEN stage or needs while you were working. Their change is shown below and yours was not saved; your reason is kept: check and save again.';

export function createRegisterChanges(database: Database, clock: Clock) {
  const { db } = database;
  return {
    /** The pupil for the change-stage form. */
    async changeForm(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'register', 'write');
      const found = await pupilFor(db, a, pupilId, WRITE);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', { pupilId, detail: { form: 'change SEN stage or needs' } });
      return found;
    },

    async changePosition(actor: Actor, pupilId: string, input: RegisterChangeInput) {
      const a = requireSection(actor, 'register', 'write');
      return changePupil(db, a, pupilId, WRITE, async (w) => {
        if (w.pupil.version !== input.version) throw new ConflictError(STAGE_CONFLICT);
        const dateProblem = pupilDateProblem(
          input.effectiveDate,
          w.pupil,
          'The date of the decision',
          clock.today(),
          {
            sinceJoining: true,
          },
        );
        if (dateProblem) throw new ValidationError([{ field: 'effectiveDate', message: dateProblem }]);
        const kind = await applyRegisterChange(
          w.tx,
          a,
          w.pupil,
          input,
          input.effectiveDate,
          input.reason,
          'register',
        );
        w.audit('register.changed', {
          pupilId,
          detail: {
            kind,
            from: w.pupil.senStage,
            to: input.stage,
            changes: [
              { label: 'SEN stage', from: STAGE_LABELS[w.pupil.senStage], to: STAGE_LABELS[input.stage] },
              {
                label: 'Primary need',
                from: w.pupil.primaryNeed ?? '(none)',
                to: input.primaryNeed ?? '(none)',
              },
              {
                label: 'Secondary need',
                from: w.pupil.secondaryNeed ?? '(none)',
                to: input.secondaryNeed ?? '(none)',
              },
            ].filter((c) => c.from !== c.to),
          },
        });
        return kind;
      });
    },
  };
}
