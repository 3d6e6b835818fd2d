import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { compareIsoDates, type IsoDate } from '../../domain/dates.ts';
import { RECORD_KINDS, type RecordKindName } from '../../domain/records.ts';
import {
  bornOnOrBeforeForReview,
  ctfWentToAnotherSchool,
  DEFAULT_RETENTION_YEARS,
  pastRetention,
  type RetentionYears,
  retentionYearsProblem,
} from '../../domain/retention.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import { pupilHasComplaintAbout } from '../../repositories/complaints.ts';
import { findSettings, saveSettings } from '../../repositories/plans.ts';
import {
  allSchoolIds,
  erasedRecords,
  erasedThroughReview,
  erasePupil,
  findErasedRecord,
  findRetentionReview,
  insertRetentionReviews,
  pupilRecordCounts,
  refreshRetentionReview,
  removeRetentionReviews,
  retentionCandidates,
  retentionList,
  retentionReviewsOfSchool,
  retentionWaiting,
  updateRetentionReview,
} from '../../repositories/retention.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

/** The school's years for retention: its settings, or the defaults. */
export async function retentionYearsOf(
  db: Executor,
  schoolId: string,
): Promise<RetentionYears & { version: number }> {
  const row = await findSettings(db, schoolId);
  return row
    ? { pupil: row.retentionYears, sen: row.senRetentionYears, version: row.version }
    : { ...DEFAULT_RETENTION_YEARS, version: 0 };
}

export interface KeepInput {
  version: number;
  reason: string;
  lookAgainOn: IsoDate;
}

/**
 * Retention that acts: a nightly review lists the leavers whose record is past its retention date (the
 * rule in domain/retention.ts, with the school's years); the head or SENCo erases each record (every
 * kind of record of the registry, its files, the pupil row left as a tombstone) or keeps it with a
 * reason and a day to look again. For `records.retention`; every step audited.
 */
/**
 * A complaint naming the pupil about this member of staff is kept from them, and is not theirs to
 * erase: the erasure page (which counts it) and the erasure are for another leader. Refused, audited.
 */
async function refuseIfComplaintAbout(db: Executor, a: SchoolActor, pupilId: string): Promise<void> {
  if (await pupilHasComplaintAbout(db, a.schoolId, pupilId, a.userId))
    throw new ForbiddenError(
      "This pupil's record includes a complaint about you: another leader must erase it",
      'complaint.not_about_actor',
    );
}

export function createRetentionService(database: Database, clock: Clock) {
  const { db } = database;

  async function reviewOr404(tx: Executor, schoolId: string, id: string, lock = false) {
    const review = await findRetentionReview(tx, schoolId, id, { lock });
    if (!review) throw new NotFoundError('Record to review not found', { kind: 'retention_review', id });
    return review;
  }

  /** Is the review's pupil past retention today, by the rule as it stands (not erased, still a leaver)? */
  async function stillPast(tx: Executor, schoolId: string, pupilId: string, today: IsoDate) {
    const years = await retentionYearsOf(tx, schoolId);
    const candidates = await retentionCandidates(tx, schoolId, bornOnOrBeforeForReview(today, years), [
      pupilId,
    ]);
    const c = candidates[0];
    if (!c) return null;
    return pastRetention(
      {
        dateOfBirth: c.dateOfBirth,
        leftOn: c.leftOn,
        everOnSenRegister: c.everOnSenRegister,
        movedOnByCtf: c.ctfFileNames.some(ctfWentToAnotherSchool),
      },
      today,
      years,
    );
  }

  /** One school's review: list the newly past, refresh the listed, list again those kept to today. */
  async function reviewSchool(schoolId: string, today: IsoDate, requestId: string) {
    return db.transaction(async (tx) => {
      const years = await retentionYearsOf(tx, schoolId);
      const candidates = await retentionCandidates(tx, schoolId, bornOnOrBeforeForReview(today, years));
      const past = new Map(
        candidates.flatMap((c) => {
          const r = pastRetention(
            {
              dateOfBirth: c.dateOfBirth,
              leftOn: c.leftOn,
              everOnSenRegister: c.everOnSenRegister,
              movedOnByCtf: c.ctfFileNames.some(ctfWentToAnotherSchool),
            },
            today,
            years,
          );
          return r ? [[c.id, r] as const] : [];
        }),
      );
      const existing = await retentionReviewsOfSchool(tx, schoolId);
      const listed = new Set(existing.map((r) => r.pupilId));
      const added = [...past].filter(([pupilId]) => !listed.has(pupilId));
      await insertRetentionReviews(
        tx,
        added.map(([pupilId, r]) => ({
          schoolId,
          id: randomUUID(),
          pupilId,
          basis: r.basis,
          keptUntil: r.keptUntil,
          listedOn: today,
        })),
      );
      const removed: string[] = [];
      let relisted = 0;
      for (const row of existing) {
        const r = past.get(row.pupilId);
        if (!r) {
          // No longer past retention (the school's years changed, or they came back): off the list.
          removed.push(row.id);
          continue;
        }
        const due =
          row.status === 'kept' && row.lookAgainOn !== null && compareIsoDates(row.lookAgainOn, today) <= 0;
        if (due) relisted++;
        if (due || r.basis !== row.basis || r.keptUntil !== row.keptUntil)
          await refreshRetentionReview(tx, schoolId, row.id, {
            basis: r.basis,
            keptUntil: r.keptUntil,
            ...(due ? { status: 'waiting' as const, listedOn: today } : {}),
          });
      }
      await removeRetentionReviews(tx, schoolId, removed);
      if (added.length > 0 || removed.length > 0 || relisted > 0)
        await insertAuditEvents(tx, [
          {
            schoolId,
            userId: null,
            role: null,
            action: 'retention.reviewed',
            pupilId: null,
            requestId,
            detail: { listed: added.length, relisted, removed: removed.length, years },
            shownPupilIds: added.map(([pupilId]) => pupilId),
          },
        ]);
      return past.size;
    });
  }

  return {
    /**
     * The nightly review, for every school (the background job): the records past retention are listed
     * once each, however often it runs. Returns how many are past retention across the schools.
     */
    async review(today: IsoDate = clock.today()): Promise<number> {
      const requestId = `retention-${clock.now().toISOString()}`;
      let total = 0;
      for (const schoolId of await allSchoolIds(db)) total += await reviewSchool(schoolId, today, requestId);
      return total;
    },

    /** The list: records waiting for a decision, those kept, and the records already erased. Audited. */
    async list(actor: Actor) {
      const a = requireCapability(actor, 'records.retention');
      const [reviews, erased, years] = await Promise.all([
        retentionList(db, a.schoolId),
        erasedRecords(db, a.schoolId),
        retentionYearsOf(db, a.schoolId),
      ]);
      if (reviews.length > 0)
        await audit(db, a, 'retention.listed', { shownPupilIds: reviews.map((r) => r.pupilId) });
      return {
        waiting: reviews.filter((r) => r.status === 'waiting'),
        kept: reviews.filter((r) => r.status === 'kept'),
        erased,
        years,
      };
    },

    /** How many wait for a decision (the home page). */
    async waiting(actor: Actor): Promise<number> {
      const a = requireCapability(actor, 'records.retention');
      return retentionWaiting(db, a.schoolId);
    },

    /** May this actor act on this review? Refused or not found before anything else is read. */
    async check(actor: Actor, id: string): Promise<void> {
      const a = requireCapability(actor, 'records.retention');
      await reviewOr404(db, a.schoolId, id);
    },

    /** One review with its pupil and everything an erasure would delete, kind by kind. Audited. */
    async get(actor: Actor, id: string, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'records.retention');
      const review = await reviewOr404(db, a.schoolId, id);
      const row = (await retentionList(db, a.schoolId)).find((r) => r.id === id);
      if (!row) throw new NotFoundError('Record to review not found', { kind: 'retention_review', id });
      await refuseIfComplaintAbout(db, a, review.pupilId);
      const counts = await pupilRecordCounts(db, a.schoolId, review.pupilId);
      if (options.audit)
        await audit(db, a, 'retention.erase_opened', { pupilId: review.pupilId, detail: { reviewId: id } });
      return {
        review: row,
        goes: (Object.entries(counts.records) as [RecordKindName, number][])
          .filter(([, n]) => n > 0)
          .map(([kind, n]) => ({ kind, label: RECORD_KINDS[kind].label, count: n })),
        files: counts.files,
        strippedFrom: counts.sharedCtfs,
        today: clock.today(),
      };
    },

    /**
     * Erase the pupil's record in one unit of work: every record of every kind found through the
     * registry, their files, and their details (the pupil row becomes a tombstone: its id, the date they
     * left, when it was erased and by whom). Only a record still past retention, at the version seen.
     */
    async erase(actor: Actor, id: string, version: number) {
      const a = requireCapability(actor, 'records.retention');
      // Two people erasing the same record at once: the second finds it erased, which is what they asked.
      const erasedAlready = async (error: unknown) => {
        const pupilId = error instanceof NotFoundError ? await erasedThroughReview(db, a.schoolId, id) : null;
        if (!pupilId) throw error;
        return pupilId;
      };
      return unitOfWork(db, a, async (w) => {
        const review = await reviewOr404(w.tx, a.schoolId, id, true);
        if (review.version !== version)
          throw new ConflictError(
            'Someone else has changed this record’s review since you opened it: here it is now',
          );
        if (review.status !== 'waiting')
          throw new ValidationError([
            {
              field: 'form',
              message: 'This record is being kept: it is listed again on the day to look at it again',
            },
          ]);
        await refuseIfComplaintAbout(w.tx, a, review.pupilId);
        const rule = await stillPast(w.tx, a.schoolId, review.pupilId, clock.today());
        if (!rule)
          throw new ValidationError([
            {
              field: 'form',
              message: 'This record is no longer past its retention date: it has not been erased',
            },
          ]);
        const counts = await erasePupil(w.tx, a.schoolId, review.pupilId, {
          userId: a.userId,
          name: a.name,
          at: clock.now(),
        });
        w.audit('retention.erased', {
          pupilId: review.pupilId,
          detail: { reviewId: id, rule: rule.basis, records: counts.records, files: counts.files },
        });
        return review.pupilId;
      }).catch(erasedAlready);
    },

    /** Keep the record past its date, with a reason (a legal hold), until a day to look at it again. */
    async keep(actor: Actor, id: string, input: KeepInput) {
      const a = requireCapability(actor, 'records.retention');
      const today = clock.today();
      if (compareIsoDates(input.lookAgainOn, today) <= 0)
        throw new ValidationError([
          { field: 'lookAgainOn', message: 'The date to look again must be in the future' },
        ]);
      await unitOfWork(db, a, async (w) => {
        const review = await reviewOr404(w.tx, a.schoolId, id, true);
        const changed = await updateRetentionReview(w.tx, a.schoolId, id, input.version, {
          status: 'kept',
          keepReason: input.reason,
          lookAgainOn: input.lookAgainOn,
          decidedBy: a.userId,
          decidedByName: a.name,
          decidedAt: clock.now(),
        });
        if (!changed)
          throw new ConflictError(
            'Someone else has changed this record’s review since you opened it: here it is now',
          );
        w.audit('retention.kept', {
          pupilId: review.pupilId,
          detail: { reviewId: id, lookAgainOn: input.lookAgainOn },
        });
      });
    },

    /** What happened to an erased record, by its id. */
    async erased(actor: Actor, pupilId: string) {
      const a = requireCapability(actor, 'records.retention');
      const found = await findErasedRecord(db, a.schoolId, pupilId);
      if (!found) throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
      await audit(db, a, 'retention.listed', { pupilId, detail: { erasedRecord: pupilId } });
      return found;
    },

    /** The school's years, for the settings page. */
    async years(actor: Actor) {
      const a = requireCapability(actor, 'settings.manage');
      return retentionYearsOf(db, a.schoolId);
    },

    async saveYears(actor: Actor, version: number, years: RetentionYears) {
      const a = requireCapability(actor, 'settings.manage');
      const problem = retentionYearsProblem(years);
      if (problem)
        throw new ValidationError([
          {
            field: problem.field === 'pupil' ? 'retentionYears' : 'senRetentionYears',
            message: problem.message,
          },
        ]);
      await unitOfWork(db, a, async (w) => {
        const before = await retentionYearsOf(w.tx, a.schoolId);
        const saved = await saveSettings(w.tx, a.schoolId, version, {
          retentionYears: years.pupil,
          senRetentionYears: years.sen,
          updatedBy: a.userId,
        });
        if (!saved)
          throw new ConflictError(
            'Someone else changed the settings while you were editing. Their values are shown; yours are below: check them and save again.',
            { pupil: before.pupil, sen: before.sen },
          );
        w.audit('settings.retention_changed', {
          detail: { before: { pupil: before.pupil, sen: before.sen }, after: years },
        });
      });
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
