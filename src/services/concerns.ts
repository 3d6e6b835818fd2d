import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.ts';
import type { AreaOfNeed, NeedCode } from '../domain/census.ts';
import {
  type ConcernKind,
  type ConcernOutcome,
  type InterventionTried,
  outcomeStage,
} from '../domain/concerns.ts';
import type { IsoDate } from '../domain/dates.ts';
import { can, ROLE_LABELS } from '../domain/roles.ts';
import {
  countOpenConcerns,
  findConcern,
  insertConcerns,
  listConcerns,
  reviewConcern,
} from '../repositories/concerns.ts';
import { lockPupil, parentsOfPupil } from '../repositories/pupils.ts';
import { type Actor, pupilScopeOf } from './actor.ts';
import { audit } from './audit.ts';
import { requireSchoolPermission } from './authorise.ts';
import type { Clock } from './clock.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import type { PupilService } from './pupils.ts';
import { applyRegisterChange } from './register.ts';

export interface ConcernInput {
  kind: ConcernKind;
  concernDate: IsoDate;
  reasons: string;
  classroomEvidence: string;
  areasOfNeed: AreaOfNeed[];
  interventionsTried: InterventionTried[];
}

export interface ConcernReviewInput {
  outcome: ConcernOutcome;
  actionTaken: string;
  agency: string | null;
  reviewedOn: IsoDate;
  primaryNeed: NeedCode | null;
  secondaryNeed: NeedCode | null;
}

export function createConcernService(database: Database, clock: Clock, pupils: PupilService) {
  const { db } = database;

  return {
    /** The pupil and their carers for the concern form (seed 000 Appendix A shows both). */
    async raiseForm(actor: Actor, pupilId: string) {
      const a = requireSchoolPermission(actor, 'concern.raise');
      const found = await pupils.pupilInScopeOr404(a, pupilId);
      const carers = await parentsOfPupil(db, a.schoolId, pupilId);
      await audit(db, a, 'pupil.opened_for_concern', pupilId);
      return { ...found, carers };
    },

    async raise(actor: Actor, pupilId: string, input: ConcernInput): Promise<string> {
      const a = requireSchoolPermission(actor, 'concern.raise');
      await pupils.pupilInScopeOr404(a, pupilId);
      if (input.concernDate > clock.today()) {
        throw new ValidationError([
          { field: 'concernDate', message: 'The date of the concern must be today or in the past' },
        ]);
      }
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await insertConcerns(tx, [
          {
            schoolId: a.schoolId,
            id,
            pupilId,
            ...input,
            raisedBy: a.userId,
            raisedByName: a.name,
            raisedByRole: ROLE_LABELS[a.role],
          },
        ]);
        await audit(tx, a, 'concern.raised', pupilId, { concernId: id, kind: input.kind });
      });
      return id;
    },

    /** For the SENCo: open concerns, oldest first, and the most recently reviewed. */
    async forReview(actor: Actor) {
      const a = requireSchoolPermission(actor, 'concern.review');
      const scope = pupilScopeOf(a);
      const [open, reviewed] = await Promise.all([
        listConcerns(db, scope, { status: 'open' }),
        listConcerns(db, scope, { status: 'reviewed', limit: 20 }),
      ]);
      await audit(db, a, 'concern.listed', null, { open: open.length });
      return { open, reviewed };
    },

    /** Concerns the actor raised, and what happened to each. */
    async raisedBy(actor: Actor) {
      const a = requireSchoolPermission(actor, 'concern.raise');
      const rows = await listConcerns(db, { kind: 'school', schoolId: a.schoolId }, { raisedBy: a.userId });
      await audit(db, a, 'concern.listed_own', null, { count: rows.length });
      return rows;
    },

    async openCount(actor: Actor): Promise<number> {
      const a = requireSchoolPermission(actor, 'concern.review');
      return countOpenConcerns(db, a.schoolId);
    },

    async view(actor: Actor, concernId: string) {
      const a = requireSchoolPermission(actor, 'sen.view');
      const found = await findConcern(db, pupilScopeOf(a), concernId, a.userId);
      if (!found) {
        await audit(db, a, 'concern.access_denied', null, { concernId });
        throw new NotFoundError('Concern not found');
      }
      const carers = await parentsOfPupil(db, a.schoolId, found.concern.pupilId);
      await audit(db, a, 'concern.viewed', found.concern.pupilId, { concernId });
      return {
        ...found,
        carers,
        canReview: can(a.role, 'concern.review') && found.concern.status === 'open',
      };
    },

    async review(actor: Actor, concernId: string, version: number, input: ConcernReviewInput) {
      const a = requireSchoolPermission(actor, 'concern.review');
      const found = await findConcern(db, pupilScopeOf(a), concernId);
      if (!found) {
        await audit(db, a, 'concern.access_denied', null, { concernId });
        throw new NotFoundError('Concern not found');
      }
      if (input.reviewedOn > clock.today()) {
        throw new ValidationError([
          { field: 'reviewedOn', message: 'The date of the review must be today or in the past' },
        ]);
      }
      if (input.reviewedOn < found.concern.concernDate) {
        throw new ValidationError([
          { field: 'reviewedOn', message: 'The review date cannot be before the concern was raised' },
        ]);
      }
      const pupilId = found.concern.pupilId;
      await db.transaction(async (tx) => {
        const ok = await reviewConcern(tx, a.schoolId, concernId, version, {
          outcome: input.outcome,
          actionTaken: input.actionTaken,
          agency: input.outcome === 'agency_referral' ? input.agency : null,
          reviewedBy: a.userId,
          reviewedByName: a.name,
          reviewedOn: input.reviewedOn,
        });
        if (!ok) {
          throw new ConflictError(
            'This concern was reviewed or changed by someone else while you were working on it. Your notes are below: check the concern and try again.',
          );
        }
        const stage = outcomeStage(input.outcome);
        if (stage) {
          const current = await lockPupil(tx, a.schoolId, pupilId);
          if (!current) throw new NotFoundError('Pupil not found');
          const wanted = {
            stage,
            primaryNeed: stage === 'sen_support' ? input.primaryNeed : null,
            secondaryNeed: stage === 'sen_support' ? input.secondaryNeed : null,
          };
          const changes =
            current.senStage !== wanted.stage ||
            current.primaryNeed !== wanted.primaryNeed ||
            current.secondaryNeed !== wanted.secondaryNeed;
          if (current.senStage === 'ehc_plan') {
            throw new ValidationError([
              {
                field: 'outcome',
                message: 'This pupil has an EHC plan: record the outcome without changing their stage',
              },
            ]);
          }
          if (changes) {
            await applyRegisterChange(
              tx,
              a,
              current,
              wanted,
              input.reviewedOn,
              `Concern reviewed: ${input.actionTaken}`,
              'concern',
              concernId,
            );
          }
        }
        await audit(tx, a, 'concern.reviewed', pupilId, { concernId, outcome: input.outcome });
      });
    },
  };
}

export type ConcernService = ReturnType<typeof createConcernService>;
