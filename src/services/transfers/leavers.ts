import type { Database, Executor } from '../../db/client.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { formatDate } from '../../domain/dates.ts';
import { leavingDateProblem } from '../../domain/leavers.ts';
import { retainedUntil } from '../../domain/retention.ts';
import { everOnSenRegister, markPupilLeft } from '../../repositories/transfers.ts';
import type { Actor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil } from '../kernel/unit-of-work.ts';

export interface LeavingInput {
  /** The version of the pupil the form showed. */
  version: number;
  leftOn: IsoDate;
  /** The school they are going to, or null when it is not known. */
  destination: string | null;
  destinationUrn: string | null;
}

const WRITE = { section: 'identity', level: 'write' } as const;

/**
 * What the pupil page says about a leaver: when and where they went, and until when the record is
 * kept. Someone who cannot see the SEN register is told the shortest period only (the longer one
 * would tell them the pupil had SEN).
 */
export async function leaverSummary(
  db: Executor,
  schoolId: string,
  p: {
    id: string;
    leftOn: IsoDate | null;
    destination: string | null;
    destinationUrn: string | null;
    dateOfBirth: IsoDate;
  },
  seesSen: boolean,
) {
  if (!p.leftOn) return null;
  const sen = seesSen ? await everOnSenRegister(db, schoolId, p.id) : false;
  return {
    leftOn: p.leftOn,
    destination: p.destination,
    destinationUrn: p.destinationUrn,
    keptUntil: retainedUntil(p.dateOfBirth, sen),
    keptAtLeast: !seesSen,
  };
}

/** Leavers: a pupil leaves with a date and a destination, and their record becomes read-only. */
export function createLeavers(database: Database, clock: Clock) {
  const { db } = database;
  return {
    /** The pupil for the "has left" form. */
    async leavingForm(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'pupils.transfer');
      requireSection(a, 'identity', 'write');
      const found = await pupilFor(db, a, pupilId, WRITE);
      if (found.pupil.leftOn) {
        throw new ValidationError([
          {
            field: 'form',
            message: `${found.pupil.forename} ${found.pupil.surname} left the school on ${formatDate(found.pupil.leftOn)}`,
          },
        ]);
      }
      if (options.audit) {
        await audit(db, a, 'pupil.opened_form', {
          pupilId,
          detail: { form: 'record that the pupil has left' },
        });
      }
      return { ...found, today: clock.today() };
    },

    async recordLeaving(actor: Actor, pupilId: string, input: LeavingInput): Promise<void> {
      const a = requireCapability(actor, 'pupils.transfer');
      requireSection(a, 'identity', 'write');
      await changePupil(db, a, pupilId, WRITE, async (w) => {
        if (w.pupil.version !== input.version) {
          throw new ConflictError(
            'Someone else changed this pupil’s record while you were filling in the form. Check the record and send the form again.',
          );
        }
        const problem = leavingDateProblem(input.leftOn, w.pupil, clock.today());
        if (problem) throw new ValidationError([{ field: 'leftOn', message: problem }]);
        const values = {
          leftOn: input.leftOn,
          destination: input.destination,
          destinationUrn: input.destinationUrn,
        };
        await markPupilLeft(w.tx, a.schoolId, pupilId, input.version, values);
        w.audit('pupil.left', { pupilId, detail: values });
      });
    },
  };
}
