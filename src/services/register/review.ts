import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { academicYearStartOf, termStart } from '../../domain/calendar.ts';
import type { NeedCode } from '../../domain/census.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { pupilDateProblem } from '../../domain/pupil-dates.ts';
import { onRegister, type RegisterReviewOutcome, type SenStage } from '../../domain/register.ts';
import { insertRegisterReviews, registerList, registerReviewsOfPupil } from '../../repositories/register.ts';
import { type Actor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil } from '../kernel/unit-of-work.ts';
import { applyRegisterChange } from './apply-change.ts';
import { STAGE_CONFLICT } from './change.ts';

export interface RegisterReviewInput {
  outcome: RegisterReviewOutcome;
  /** For "moves": the new stage and, at K or E, the needs. */
  toStage: SenStage | null;
  primaryNeed: NeedCode | null;
  secondaryNeed: NeedCode | null;
  reviewedOn: IsoDate;
  reason: string;
  version: number;
}

const WRITE = { section: 'register', level: 'write' } as const;

/** The termly register review: everyone listed, stepped through pupil by pupil. */
export function createRegisterReview(database: Database, clock: Clock) {
  const { db } = database;

  function reviewer(actor: Actor) {
    return requireSection(requireCapability(actor, 'register.review'), 'register', 'write');
  }

  return {
    async reviewList(actor: Actor) {
      const a = reviewer(actor);
      const rows = await registerList(db, scopeOf(a), {}, academicYearStartOf(clock.today()));
      const since = termStart(clock.today());
      const sorted = [...rows].sort((x, y) =>
        (x.lastReviewedOn ?? '') === (y.lastReviewedOn ?? '')
          ? x.surname.localeCompare(y.surname)
          : (x.lastReviewedOn ?? '') < (y.lastReviewedOn ?? '')
            ? -1
            : 1,
      );
      const reviewedThisTerm = rows.filter((r) => r.lastReviewedOn && r.lastReviewedOn >= since).length;
      await audit(db, a, 'register.review_listed', { shownPupilIds: rows.map((r) => r.id) });
      return { rows: sorted, termStart: since, reviewedThisTerm, total: rows.length };
    },

    /** The pupil for one step of the review, with where they are in the list. */
    async reviewForm(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = reviewer(actor);
      const found = await pupilFor(db, a, pupilId, WRITE);
      const [reviews, list] = await Promise.all([
        registerReviewsOfPupil(db, a.schoolId, pupilId),
        registerList(db, scopeOf(a), {}, academicYearStartOf(clock.today())),
      ]);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId,
          detail: { form: 'review their place on the register' },
        });
      return {
        ...found,
        reviews: reviews.slice(0, 3),
        position: list.findIndex((r) => r.id === pupilId) + 1,
        total: list.length,
      };
    },

    /** The next pupil on the list not yet reviewed this term, after this one. */
    async nextToReview(actor: Actor, afterPupilId: string): Promise<string | null> {
      const a = reviewer(actor);
      const since = termStart(clock.today());
      const list = await registerList(db, scopeOf(a), {}, academicYearStartOf(clock.today()));
      return (
        list.find((r) => r.id !== afterPupilId && !(r.lastReviewedOn && r.lastReviewedOn >= since))?.id ??
        null
      );
    },

    async recordReview(actor: Actor, pupilId: string, input: RegisterReviewInput) {
      const a = reviewer(actor);
      return changePupil(db, a, pupilId, WRITE, async (w) => {
        const current = w.pupil;
        if (current.version !== input.version) throw new ConflictError(STAGE_CONFLICT);
        const dateProblem = pupilDateProblem(
          input.reviewedOn,
          current,
          'The date of the review',
          clock.today(),
          {
            sinceJoining: true,
          },
        );
        if (dateProblem) throw new ValidationError([{ field: 'reviewedOn', message: dateProblem }]);
        if (current.senStage === 'none') {
          throw new ValidationError([
            { field: 'outcome', message: 'This pupil is not on the register or the monitoring list' },
          ]);
        }
        let toStage: SenStage = current.senStage;
        if (input.outcome === 'leaves') toStage = 'none';
        if (input.outcome === 'moves') {
          if (!input.toStage || input.toStage === 'none' || input.toStage === current.senStage) {
            throw new ValidationError([{ field: 'toStage', message: 'Select the stage the pupil moves to' }]);
          }
          toStage = input.toStage;
        }
        if (toStage !== current.senStage) {
          const keepNeeds = onRegister(toStage);
          await applyRegisterChange(
            w.tx,
            a,
            current,
            {
              stage: toStage,
              primaryNeed: keepNeeds ? (input.primaryNeed ?? current.primaryNeed) : null,
              secondaryNeed: keepNeeds
                ? input.primaryNeed
                  ? input.secondaryNeed
                  : current.secondaryNeed
                : null,
            },
            input.reviewedOn,
            input.reason,
            'register_review',
          );
        }
        await insertRegisterReviews(w.tx, [
          {
            schoolId: a.schoolId,
            id: randomUUID(),
            pupilId,
            reviewedOn: input.reviewedOn,
            outcome: input.outcome,
            fromStage: current.senStage,
            toStage,
            reason: input.reason,
            reviewedBy: a.userId,
            reviewedByName: a.name,
          },
        ]);
        w.audit('register.reviewed', {
          pupilId,
          detail: { outcome: input.outcome, from: current.senStage, to: toStage },
        });
        return { stage: toStage, pupilName: `${current.forename} ${current.surname}` };
      });
    },
  };
}
