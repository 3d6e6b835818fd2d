import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { academicYearStartOf, termStart } from '../../domain/calendar.ts';
import type { NeedCode } from '../../domain/census.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { pupilDateProblem } from '../../domain/pupil-dates.ts';
import { onRegister, type RegisterReviewOutcome, type SenStage } from '../../domain/register.ts';
import {
  insertRegisterReviews,
  insertSkip,
  type RegisterListRow,
  registerList,
  registerReviewsOfPupil,
  skippedInTerm,
} from '../../repositories/register.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
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

/**
 * The order of the review: pupils still to do, longest since their last review first (those left
 * until later after them), then those already reviewed this term.
 */
function reviewOrder(rows: RegisterListRow[], since: string, skipped: ReadonlySet<string>) {
  const done = (r: RegisterListRow) => Boolean(r.lastReviewedOn && r.lastReviewedOn >= since);
  const group = (r: RegisterListRow) => (done(r) ? 2 : skipped.has(r.id) ? 1 : 0);
  return [...rows]
    .sort(
      (x, y) =>
        group(x) - group(y) ||
        (x.lastReviewedOn ?? '').localeCompare(y.lastReviewedOn ?? '') ||
        x.surname.localeCompare(y.surname) ||
        x.id.localeCompare(y.id),
    )
    .map((r) => ({ ...r, reviewedThisTerm: done(r), skipped: !done(r) && skipped.has(r.id) }));
}

/** The termly register review: everyone listed, stepped through pupil by pupil. */
export function createRegisterReview(database: Database, clock: Clock) {
  const { db } = database;

  function reviewer(actor: Actor) {
    return requireSection(requireCapability(actor, 'register.review'), 'register', 'write');
  }

  /** The review's list in its order, for this term. */
  async function ordered(a: SchoolActor) {
    const since = termStart(clock.today());
    const [rows, skipped] = await Promise.all([
      registerList(db, scopeOf(a), {}, academicYearStartOf(clock.today())),
      skippedInTerm(db, a.schoolId, since),
    ]);
    const list = reviewOrder(rows, since, skipped);
    return { list, since, stillToDo: list.filter((r) => !r.reviewedThisTerm).length };
  }

  return {
    async reviewList(actor: Actor) {
      const a = reviewer(actor);
      const { list, since, stillToDo } = await ordered(a);
      await audit(db, a, 'register.review_listed', { shownPupilIds: list.map((r) => r.id) });
      return {
        rows: list,
        termStart: since,
        reviewedThisTerm: list.length - stillToDo,
        stillToDo,
        skipped: list.filter((r) => r.skipped).length,
        total: list.length,
      };
    },

    /** The pupil for one step of the review, with where they are in the list. */
    async reviewForm(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = reviewer(actor);
      const found = await pupilFor(db, a, pupilId, WRITE);
      const [reviews, { list, stillToDo }] = await Promise.all([
        registerReviewsOfPupil(db, a.schoolId, pupilId),
        ordered(a),
      ]);
      const here = list.find((r) => r.id === pupilId);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId,
          detail: { form: 'review their place on the register' },
        });
      return {
        ...found,
        reviews: reviews.slice(0, 3),
        /** How many pupils are still to review this term (this one included, unless done). */
        stillToDo,
        reviewedThisTerm: here?.reviewedThisTerm ?? false,
        skipped: here?.skipped ?? false,
        total: list.length,
      };
    },

    /** The next pupil to review this term after this one: those still to do, then those left until later. */
    async nextToReview(actor: Actor, afterPupilId: string): Promise<string | null> {
      const a = reviewer(actor);
      const { list } = await ordered(a);
      return list.find((r) => r.id !== afterPupilId && !r.reviewedThisTerm)?.id ?? null;
    },

    /** Leave a pupil until later in this term's review ("skip for now"): kept, so it survives the day. */
    async skip(actor: Actor, pupilId: string): Promise<{ next: string | null; pupilName: string }> {
      const a = reviewer(actor);
      const pupilName = await changePupil(db, a, pupilId, WRITE, async (w) => {
        if (w.pupil.senStage === 'none') {
          throw new ValidationError([
            { field: 'form', message: 'This pupil is not on the register or the monitoring list' },
          ]);
        }
        await insertSkip(w.tx, {
          schoolId: a.schoolId,
          pupilId,
          termStart: termStart(clock.today()),
          skippedBy: a.userId,
          skippedByName: a.name,
        });
        w.audit('register.review_skipped', { pupilId });
        return `${w.pupil.forename} ${w.pupil.surname}`;
      });
      return { next: await this.nextToReview(a, pupilId), pupilName };
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
