import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { atLeast } from '../../domain/access.ts';
import type { PupilVoiceKind } from '../../domain/family.ts';
import type { PupilVoiceAnswers } from '../../domain/pupil-voice.ts';
import { plansOfPupil } from '../../repositories/plans.ts';
import {
  findPupilVoice,
  insertPupilVoice,
  planOfPupil,
  pupilVoiceIsOfSchool,
  reviewViewsOfPlan,
  updatePupilVoice,
  voicesOfPupil,
} from '../../repositories/pupil-voice.ts';
import type { Actor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil } from '../kernel/unit-of-work.ts';

/*
 * The pupil's own voice (docs/adr/0039): their one-page profile ("All about me") and their views before
 * a review, written by the pupil with an adult at school. The pupil has no account: an adult who works
 * with them on their plans (the plans section at `contribute` or more: a teaching assistant, their
 * class teacher, the SENCo) writes down what they choose and say. Read by whoever reads their plans.
 */

/** Writing the pupil's voice needs the plans section at this level. */
const WRITE = { section: 'plans', level: 'contribute' } as const;

export interface PupilVoiceInput {
  answers: PupilVoiceAnswers;
  writtenWith: string | null;
}

const NOT_FOUND = 'The pupil’s views were not found';
const STALE =
  'Someone else changed these words while you were writing. What they saved is shown; what you wrote is kept below: check it and save again.';

/** A plan whose review is still to come: the pupil's views for it can be written. */
const REVIEW_TO_COME = new Set(['active', 'in_review']);

export function createPupilVoiceService(database: Database) {
  const { db } = database;

  async function reader(actor: Actor, pupilId: string) {
    const a = requireSection(actor, 'plans', 'read');
    const found = await pupilFor(db, a, pupilId, { section: 'plans', level: 'read' });
    return { a, ...found, mayWrite: atLeast(found.access.plans, 'contribute') && !found.pupil.leftOn };
  }

  /** The plans whose coming review the pupil may give their views for, and which have none yet. */
  async function plansAwaitingViews(schoolId: string, pupilId: string, voices: { planId: string | null }[]) {
    const written = new Set(voices.map((v) => v.planId).filter(Boolean));
    const plans = await plansOfPupil(db, schoolId, pupilId);
    return plans
      .filter((p) => REVIEW_TO_COME.has(p.status) && !written.has(p.id))
      .map((p) => ({ id: p.id, cycle: p.cycle, reviewDate: p.reviewDate }));
  }

  /**
   * A pupil this person may not reach, asked for with a writing that is not their school's: the refusal
   * names the writing, so that the school it belongs to sees the probe (an id of their own school's
   * leaves the refusal naming the pupil).
   */
  async function refusalNamingWriting<T>(schoolId: string, id: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (
        error instanceof NotFoundError &&
        error.record?.kind === 'pupil' &&
        !(await pupilVoiceIsOfSchool(db, schoolId, id))
      )
        throw new NotFoundError(NOT_FOUND, { kind: 'pupil_voice', id });
      throw error;
    }
  }

  return {
    /** Everything the pupil has written, newest first, and what may be written next. Audited. */
    async list(actor: Actor, pupilId: string) {
      const { a, pupil, mayWrite } = await reader(actor, pupilId);
      const voices = await voicesOfPupil(db, a.schoolId, pupilId);
      const awaiting = mayWrite ? await plansAwaitingViews(a.schoolId, pupilId, voices) : [];
      await audit(db, a, 'pupil_voice.viewed', { pupilId, detail: { list: true } });
      return { pupil, voices, mayWrite, plansAwaitingViews: awaiting };
    },

    /** The form for a new writing: of this kind, and for a review, of which plan. */
    async forNew(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, WRITE.section, WRITE.level);
      const { pupil } = await pupilFor(db, a, pupilId, WRITE);
      const voices = await voicesOfPupil(db, a.schoolId, pupilId);
      const awaiting = await plansAwaitingViews(a.schoolId, pupilId, voices);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', { pupilId, detail: { form: 'write the pupil’s own views' } });
      return { pupil, plansAwaitingViews: awaiting, version: 0 };
    },

    /** Record what the pupil wrote; returns its id. */
    async record(
      actor: Actor,
      pupilId: string,
      kind: PupilVoiceKind,
      planId: string | null,
      input: PupilVoiceInput,
    ): Promise<string> {
      const a = requireSection(actor, WRITE.section, WRITE.level);
      return changePupil(db, a, pupilId, WRITE, async (w) => {
        if (kind === 'review_views') {
          const plan = planId ? await planOfPupil(w.tx, a.schoolId, pupilId, planId) : null;
          if (!plan)
            throw new ValidationError([
              { field: 'form', message: 'Choose the plan whose review these views are for' },
            ]);
          if (!REVIEW_TO_COME.has(plan.status))
            throw new ValidationError([
              {
                field: 'form',
                message:
                  plan.status === 'draft'
                    ? 'This plan is still a draft: views are for the review of a plan in place'
                    : 'This plan’s review has been recorded: the pupil’s views can be read, no longer added',
              },
            ]);
          if (await reviewViewsOfPlan(w.tx, a.schoolId, pupilId, plan.id))
            throw new ValidationError([
              {
                field: 'form',
                message: 'The pupil’s views for this review are already written: change them instead',
              },
            ]);
        }
        const id = randomUUID();
        await insertPupilVoice(w.tx, {
          schoolId: a.schoolId,
          id,
          pupilId,
          kind,
          planId: kind === 'review_views' ? planId : null,
          answers: input.answers,
          writtenWith: input.writtenWith,
          recordedBy: a.userId,
          recordedByName: a.name,
        });
        w.audit('pupil_voice.recorded', {
          pupilId,
          detail: { id, kind, planId: kind === 'review_views' ? planId : null },
        });
        return id;
      });
    },

    /** One writing, to read. Audited. */
    async show(actor: Actor, pupilId: string, id: string) {
      const { a, pupil, mayWrite } = await refusalNamingWriting(
        requireSection(actor, 'plans').schoolId,
        id,
        () => reader(actor, pupilId),
      );
      const voice = await findPupilVoice(db, a.schoolId, pupilId, id);
      if (!voice) throw new NotFoundError(NOT_FOUND, { kind: 'pupil_voice', id });
      await audit(db, a, 'pupil_voice.viewed', { pupilId, detail: { id } });
      return { pupil, voice, mayWrite };
    },

    /** One writing, to change. */
    async forEdit(actor: Actor, pupilId: string, id: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, WRITE.section, WRITE.level);
      const { pupil } = await refusalNamingWriting(a.schoolId, id, () => pupilFor(db, a, pupilId, WRITE));
      const voice = await findPupilVoice(db, a.schoolId, pupilId, id);
      if (!voice) throw new NotFoundError(NOT_FOUND, { kind: 'pupil_voice', id });
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId,
          detail: { form: 'change the pupil’s own views', id },
        });
      return { pupil, voice, version: voice.version };
    },

    /** Change what the pupil wrote (optimistic locking: a stale save shows theirs and keeps this one's words). */
    async change(actor: Actor, pupilId: string, id: string, version: number, input: PupilVoiceInput) {
      const a = requireSection(actor, WRITE.section, WRITE.level);
      await refusalNamingWriting(a.schoolId, id, () =>
        changePupil(db, a, pupilId, WRITE, async (w) => {
          const voice = await findPupilVoice(w.tx, a.schoolId, pupilId, id);
          if (!voice) throw new NotFoundError(NOT_FOUND, { kind: 'pupil_voice', id });
          if (!(await updatePupilVoice(w.tx, a.schoolId, pupilId, id, version, input)))
            throw new ConflictError(STALE, { voice });
          w.audit('pupil_voice.changed', { pupilId, detail: { id, kind: voice.kind } });
        }),
      );
    },
  };
}

export type PupilVoiceService = ReturnType<typeof createPupilVoiceService>;
