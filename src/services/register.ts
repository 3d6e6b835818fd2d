import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../db/client.ts';
import { academicYearStartOf, termStart } from '../domain/calendar.ts';
import { AREAS_OF_NEED, type AreaOfNeed, areaOfNeed, NEED_CODES, type NeedCode } from '../domain/census.ts';
import type { IsoDate } from '../domain/dates.ts';
import {
  classifyRegisterChange,
  onRegister,
  type RegisterPosition,
  type RegisterReviewOutcome,
  registerRuleErrors,
  SEN_STAGES,
  type SenStage,
} from '../domain/register.ts';
import {
  lockPupil,
  type PupilFilters,
  type PupilRow,
  registerCounts,
  setRegisterPosition,
} from '../repositories/pupils.ts';
import {
  insertRegisterEntries,
  insertRegisterReviews,
  registerList,
  registerReviewsOfPupil,
} from '../repositories/register.ts';
import { classesOfSchool } from '../repositories/schools.ts';
import { type Actor, pupilScopeOf } from './actor.ts';
import { audit } from './audit.ts';
import { requireSchoolPermission, type SchoolActor } from './authorise.ts';
import type { Clock } from './clock.ts';
import { type FieldError, NotFoundError, ValidationError } from './errors.ts';
import type { PupilService } from './pupils.ts';

export interface RegisterChangeInput extends RegisterPosition {
  effectiveDate: IsoDate;
  reason: string;
}

export interface RegisterReviewInput {
  outcome: RegisterReviewOutcome;
  /** For "moves": the new stage and, at K or E, the needs. */
  toStage: SenStage | null;
  primaryNeed: NeedCode | null;
  secondaryNeed: NeedCode | null;
  reviewedOn: IsoDate;
  reason: string;
}

type ChangeSource = 'register' | 'concern' | 'register_review';

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
  const errors: FieldError[] = registerRuleErrors(to).map((e) => ({
    field: e.field,
    message: e.message,
  }));
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

export function createRegisterService(database: Database, clock: Clock, pupils: PupilService) {
  const { db } = database;

  async function lockInScope(tx: Executor, actor: SchoolActor, pupilId: string) {
    const row = await lockPupil(tx, actor.schoolId, pupilId);
    if (!row) throw new NotFoundError('Pupil not found');
    return row;
  }

  return {
    async list(actor: Actor, filters: PupilFilters) {
      const a = requireSchoolPermission(actor, 'sen.view');
      const rows = await registerList(db, pupilScopeOf(a), filters, academicYearStartOf(clock.today()));
      const counts = { monitoring: 0, sen_support: 0, ehc_plan: 0 } as Record<
        Exclude<SenStage, 'none'>,
        number
      >;
      for (const r of rows) if (r.senStage !== 'none') counts[r.senStage] += 1;
      const classes = await classesOfSchool(db, a.schoolId);
      await audit(db, a, 'register.listed', null, {
        filters: { ...filters },
        pupilIds: rows.map((r) => r.id),
      });
      return { rows, counts, classes, termStart: termStart(clock.today()) };
    },

    /** Rows for the CSV download or print view: audited as an export. */
    async exportRows(actor: Actor, filters: PupilFilters, format: 'csv' | 'print') {
      const a = requireSchoolPermission(actor, 'register.export');
      const rows = await registerList(db, pupilScopeOf(a), filters, academicYearStartOf(clock.today()));
      await audit(db, a, 'register.exported', null, {
        format,
        filters: { ...filters },
        pupilIds: rows.map((r) => r.id),
      });
      return rows;
    },

    /** Figures without names: counts by stage, need and broad area. For the SEN governor and the school. */
    async counts(actor: Actor) {
      const a = requireSchoolPermission(actor, 'counts.view');
      const raw = await registerCounts(db, a.schoolId);
      const byStage = Object.fromEntries(SEN_STAGES.map((s) => [s, 0])) as Record<SenStage, number>;
      const byNeed = Object.fromEntries(
        NEED_CODES.map((c) => [c, { sen_support: 0, ehc_plan: 0 }]),
      ) as Record<NeedCode, { sen_support: number; ehc_plan: number }>;
      const byArea = Object.fromEntries([...AREAS_OF_NEED, 'other'].map((x) => [x, 0])) as Record<
        AreaOfNeed | 'other',
        number
      >;
      let total = 0;
      for (const r of raw) {
        total += r.n;
        byStage[r.senStage] += r.n;
        if (r.primaryNeed && onRegister(r.senStage)) {
          byNeed[r.primaryNeed][r.senStage] += r.n;
          byArea[areaOfNeed(r.primaryNeed) ?? 'other'] += r.n;
        }
      }
      await audit(db, a, 'register.counts_viewed');
      return { total, byStage, byNeed, byArea };
    },

    /** The pupil for the change-stage form. */
    async changeForm(actor: Actor, pupilId: string) {
      const a = requireSchoolPermission(actor, 'register.change');
      const found = await pupils.pupilInScopeOr404(a, pupilId);
      await audit(db, a, 'pupil.opened_for_register_change', pupilId);
      return found;
    },

    /** The pupil for one step of the register review, with where they are in the list and the next to do. */
    async reviewForm(actor: Actor, pupilId: string) {
      const a = requireSchoolPermission(actor, 'register.review');
      const found = await pupils.pupilInScopeOr404(a, pupilId);
      const [reviews, list] = await Promise.all([
        registerReviewsOfPupil(db, a.schoolId, pupilId),
        registerList(db, pupilScopeOf(a), {}, academicYearStartOf(clock.today())),
      ]);
      await audit(db, a, 'pupil.opened_for_register_review', pupilId);
      return {
        ...found,
        reviews: reviews.slice(0, 3),
        position: list.findIndex((r) => r.id === pupilId) + 1,
        total: list.length,
      };
    },

    /** The next pupil on the list not yet reviewed this term, after this one. */
    async nextToReview(actor: Actor, afterPupilId: string): Promise<string | null> {
      const a = requireSchoolPermission(actor, 'register.review');
      const since = termStart(clock.today());
      const list = await registerList(db, pupilScopeOf(a), {}, academicYearStartOf(clock.today()));
      return (
        list.find((r) => r.id !== afterPupilId && !(r.lastReviewedOn && r.lastReviewedOn >= since))?.id ??
        null
      );
    },

    async changePosition(actor: Actor, pupilId: string, input: RegisterChangeInput) {
      const a = requireSchoolPermission(actor, 'register.change');
      await pupils.pupilInScopeOr404(a, pupilId);
      if (input.effectiveDate > clock.today()) {
        throw new ValidationError([
          { field: 'effectiveDate', message: 'The date of the decision must be today or in the past' },
        ]);
      }
      return db.transaction(async (tx) => {
        const current = await lockInScope(tx, a, pupilId);
        const kind = await applyRegisterChange(
          tx,
          a,
          current,
          input,
          input.effectiveDate,
          input.reason,
          'register',
        );
        await audit(tx, a, 'register.changed', pupilId, {
          kind,
          from: current.senStage,
          to: input.stage,
          primaryNeed: input.primaryNeed,
          secondaryNeed: input.secondaryNeed,
        });
        return kind;
      });
    },

    /** The termly register review: everyone listed, the longest unreviewed first. */
    async reviewList(actor: Actor) {
      const a = requireSchoolPermission(actor, 'register.review');
      const rows = await registerList(db, pupilScopeOf(a), {}, academicYearStartOf(clock.today()));
      const since = termStart(clock.today());
      const sorted = [...rows].sort((x, y) =>
        (x.lastReviewedOn ?? '') === (y.lastReviewedOn ?? '')
          ? x.surname.localeCompare(y.surname)
          : (x.lastReviewedOn ?? '') < (y.lastReviewedOn ?? '')
            ? -1
            : 1,
      );
      const reviewedThisTerm = rows.filter((r) => r.lastReviewedOn && r.lastReviewedOn >= since).length;
      await audit(db, a, 'register.review_listed', null, { pupilIds: rows.map((r) => r.id) });
      return { rows: sorted, termStart: since, reviewedThisTerm, total: rows.length };
    },

    async recordReview(actor: Actor, pupilId: string, input: RegisterReviewInput) {
      const a = requireSchoolPermission(actor, 'register.review');
      await pupils.pupilInScopeOr404(a, pupilId);
      if (input.reviewedOn > clock.today()) {
        throw new ValidationError([
          { field: 'reviewedOn', message: 'The date of the review must be today or in the past' },
        ]);
      }
      return db.transaction(async (tx) => {
        const current = await lockInScope(tx, a, pupilId);
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
            tx,
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
        await insertRegisterReviews(tx, [
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
        await audit(tx, a, 'register.reviewed', pupilId, {
          outcome: input.outcome,
          from: current.senStage,
          to: toStage,
        });
        return toStage;
      });
    },
  };
}

export type RegisterService = ReturnType<typeof createRegisterService>;
