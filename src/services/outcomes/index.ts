import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { IsoDate } from '../../domain/dates.ts';
import {
  isOutcomeRating,
  OUTCOME_AREA_LABELS,
  type OutcomeArea,
  outcomeDescriptionProblem,
  ratingChange,
  ratingLabel,
} from '../../domain/outcomes.ts';
import {
  insertOutcome,
  insertRatings,
  openOutcomesOfPupil,
  outcomesOfPupil,
} from '../../repositories/outcomes.ts';
import type { Actor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { type FieldError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil } from '../kernel/unit-of-work.ts';

export interface OutcomeInput {
  area: OutcomeArea;
  description: string;
}

export interface RatingInput {
  ratedOn: IsoDate;
  ratings: { outcomeId: string; rating: number; note: string | null }[];
}

const PROGRESS_READ = { section: 'progress' as const, level: 'read' as const };
const PROGRESS_WRITE = { section: 'progress' as const, level: 'write' as const };

/**
 * Non-academic outcomes (seed 004): named for a pupil in the areas independence, communication,
 * regulation, attendance and wellbeing, and rated 1–5 at each review, so that they show over time. The
 * pupil's `progress` section: read to see them, write to name and rate them. Audited with the pupil.
 */
export function createOutcomeService(database: Database, clock: Clock) {
  const { db } = database;
  return {
    /** The pupil's outcomes, each with its ratings over time (a table on the pupil's outcomes page). */
    async forPupil(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'progress');
      const found = await pupilFor(db, a, pupilId, PROGRESS_READ);
      const { outcomes, ratings } = await outcomesOfPupil(db, a.schoolId, pupilId);
      if (options.audit) await audit(db, a, 'outcome.viewed', { pupilId });
      const dates = [...new Set(ratings.map((r) => r.ratedOn))].sort();
      return {
        pupil: found.pupil,
        mayWrite: found.access.progress === 'write',
        dates,
        today: clock.today(),
        outcomes: outcomes.map((o) => {
          const mine = ratings.filter((r) => r.outcomeId === o.id);
          return {
            id: o.id,
            area: o.area,
            areaLabel: OUTCOME_AREA_LABELS[o.area],
            description: o.description,
            startedOn: o.startedOn,
            endedOn: o.endedOn,
            ratings: mine.map((r, i) => ({
              ratedOn: r.ratedOn,
              rating: r.rating,
              label: ratingLabel(r.rating),
              note: r.note,
              change: ratingChange(i > 0 ? mine[i - 1]!.rating : null, r.rating),
              recordedByName: r.recordedByName,
            })),
            /** Each review date's rating, for the table's columns (null where not rated that day). */
            byDate: dates.map((d) => mine.find((r) => r.ratedOn === d) ?? null),
          };
        }),
      };
    },

    /** Name an outcome to rate at reviews. */
    async name(actor: Actor, pupilId: string, input: OutcomeInput): Promise<string> {
      const a = requireSection(actor, 'progress', 'write');
      const problem = outcomeDescriptionProblem(input.description);
      if (problem) throw new ValidationError([{ field: 'description', message: problem }]);
      const id = randomUUID();
      await changePupil(db, a, pupilId, PROGRESS_WRITE, async (w) => {
        await insertOutcome(w.tx, {
          schoolId: a.schoolId,
          id,
          pupilId,
          area: input.area,
          description: input.description.trim(),
          startedOn: clock.today(),
          createdBy: a.userId,
          createdByName: a.name,
        });
        w.audit('outcome.named', { pupilId, detail: { outcomeId: id, area: input.area } });
      });
      return id;
    },

    /** Rate the pupil's outcomes at a review: 1–5 each, with a short note; every outcome still rated. */
    async rate(actor: Actor, pupilId: string, input: RatingInput): Promise<number> {
      const a = requireSection(actor, 'progress', 'write');
      return changePupil(db, a, pupilId, PROGRESS_WRITE, async (w) => {
        const open = await openOutcomesOfPupil(w.tx, a.schoolId, pupilId);
        const errors: FieldError[] = [];
        if (input.ratedOn > clock.today())
          errors.push({ field: 'ratedOn', message: 'The date of the review must be today or earlier' });
        const given = new Map(input.ratings.map((r) => [r.outcomeId, r]));
        for (const o of open) {
          const r = given.get(o.id);
          if (!r || !isOutcomeRating(r.rating))
            errors.push({ field: `rating-${o.id}`, message: `Rate “${o.description}” from 1 to 5` });
        }
        if ([...given.keys()].some((id) => !open.some((o) => o.id === id)))
          errors.push({ field: 'form', message: 'This form is out of date: open the page again' });
        if (open.length === 0) errors.push({ field: 'form', message: 'There are no outcomes to rate' });
        if (errors.length > 0) throw new ValidationError(errors);
        await insertRatings(
          w.tx,
          open.map((o) => ({
            schoolId: a.schoolId,
            id: randomUUID(),
            pupilId,
            outcomeId: o.id,
            rating: given.get(o.id)!.rating,
            ratedOn: input.ratedOn,
            note: given.get(o.id)!.note,
            recordedBy: a.userId,
            recordedByName: a.name,
          })),
        );
        w.audit('outcome.rated', {
          pupilId,
          detail: {
            ratedOn: input.ratedOn,
            ratings: open.map((o) => ({ outcomeId: o.id, rating: given.get(o.id)!.rating })),
          },
        });
        return open.length;
      });
    },
  };
}

export type OutcomeService = ReturnType<typeof createOutcomeService>;
