import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { rolesLabel } from '../../domain/access.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { noteIsEditable } from '../../domain/plans.ts';
import { findNote, insertNotes, targetsOfPlan, updateNote } from '../../repositories/plans.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';
import { planFor, STALE } from './common.ts';

/** The working document (Do): dated notes by the adults who work with the pupil, corrected on the day only. */
export function createPlanNotes(database: Database, clock: Clock) {
  const { db } = database;
  return {
    /** Add a dated note to the working document: any adult who works with the pupil. */
    async addNote(
      actor: Actor,
      planId: string,
      input: { targetId: string | null; writtenOn: IsoDate; body: string },
    ): Promise<string> {
      const a = requireSection(actor, 'plans', 'contribute');
      const id = randomUUID();
      await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, clock.today());
        if (!found.actions.addNote) {
          throw new ValidationError([
            {
              field: 'body',
              message:
                found.plan.status === 'closed'
                  ? 'This plan is closed: add notes to the pupil’s current plan'
                  : 'Notes are added once the plan is in place',
            },
          ]);
        }
        if (input.writtenOn > clock.today())
          throw new ValidationError([
            { field: 'writtenOn', message: 'The date of the note must be today or in the past' },
          ]);
        if (found.plan.startDate && input.writtenOn < found.plan.startDate) {
          throw new ValidationError([
            { field: 'writtenOn', message: 'The date of the note cannot be before the plan started' },
          ]);
        }
        if (input.targetId) {
          const targets = await targetsOfPlan(w.tx, a.schoolId, planId);
          if (!targets.some((t) => t.id === input.targetId))
            throw new ValidationError([{ field: 'targetId', message: 'Choose a target of this plan' }]);
        }
        await insertNotes(w.tx, [
          {
            schoolId: a.schoolId,
            id,
            planId,
            pupilId: found.plan.pupilId,
            targetId: input.targetId,
            writtenOn: input.writtenOn,
            body: input.body,
            authorId: a.userId,
            authorName: a.name,
            authorRoles: rolesLabel(a.roles),
          },
        ]);
        w.audit('plan.note_added', { pupilId: found.plan.pupilId, detail: { planId, noteId: id } });
      });
      return id;
    },

    /** Correct one's own note on the day it was written; afterwards a correction is a new note. */
    async correctNote(actor: Actor, planId: string, noteId: string, version: number, body: string) {
      const a = requireSection(actor, 'plans', 'contribute');
      await unitOfWork(db, a, async (w) => {
        const note = await findNote(w.tx, a.schoolId, noteId);
        if (!note) throw new NotFoundError('Note not found', { kind: 'note', id: noteId });
        // A note of this school reached through another plan's address: that plan is what is not found.
        if (note.planId !== planId) throw new NotFoundError('Plan not found', { kind: 'plan', id: planId });
        const found = await planFor(w.tx, a, note.planId, clock.today());
        if (!noteIsEditable(note, a.userId, clock.today()) || !found.actions.addNote) {
          throw new ValidationError([
            {
              field: 'body',
              message:
                'A note can be changed only by its writer, on the day it was written: add a new note instead',
            },
          ]);
        }
        if (!(await updateNote(w.tx, a.schoolId, noteId, version, body))) throw new ConflictError(STALE);
        w.audit('plan.note_changed', { pupilId: note.pupilId, detail: { planId: note.planId, noteId } });
      });
    },
  };
}
