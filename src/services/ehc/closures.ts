import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { compareIsoDates, formatDate, type IsoDate, isRealDate } from '../../domain/dates.ts';
import { daysBetween, LONG_CLOSURE_DAYS } from '../../domain/ehc-clock.ts';
import { closuresOfSchool, deleteClosure, insertClosure } from '../../repositories/ehc-cases.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireCapability } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

/*
 * The school's closures of four weeks or more (in practice the summer holiday), from its own calendar:
 * advice a local authority asks of the school from a week before one to a week before it reopens is an
 * exception to the authority's time limits (regs 5(4)(a), 10(4)(a), 13(3)(a); domain/ehc-clock.ts).
 * Kept by the SENCo or head (the school's settings); a year with none recorded uses the usual summer.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_NOTE = 200;

function isIso(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function createClosureService(database: Database, clock: Clock) {
  const { db } = database;
  return {
    async list(actor: Actor) {
      const a = requireCapability(actor, 'settings.manage');
      const closures = await closuresOfSchool(db, a.schoolId);
      return {
        closures: closures.map((c) => ({ ...c, days: daysBetween(c.firstDay, c.lastDay) + 1 })),
        longDays: LONG_CLOSURE_DAYS,
        today: clock.today(),
      };
    },

    async add(actor: Actor, input: { firstDay: string | null; lastDay: string | null; note: string | null }) {
      const a = requireCapability(actor, 'settings.manage');
      const errors: FieldError[] = [];
      const firstDay = isIso(input.firstDay) ? input.firstDay : null;
      const lastDay = isIso(input.lastDay) ? input.lastDay : null;
      if (!firstDay)
        errors.push({
          field: 'firstDay',
          message: 'Enter the first day the school is closed as a real date',
        });
      if (!lastDay)
        errors.push({ field: 'lastDay', message: 'Enter the last day the school is closed as a real date' });
      if (firstDay && lastDay) {
        if (compareIsoDates(lastDay, firstDay) < 0)
          errors.push({ field: 'lastDay', message: 'The last day must be on or after the first day' });
        else if (daysBetween(firstDay, lastDay) + 1 < LONG_CLOSURE_DAYS)
          errors.push({
            field: 'lastDay',
            message: `Only a closure of 4 weeks or more counts (this one is ${daysBetween(firstDay, lastDay) + 1} days): record the summer holiday, not a half term`,
          });
        else if (daysBetween(firstDay, lastDay) + 1 > 120)
          errors.push({
            field: 'lastDay',
            message: 'A closure cannot be longer than 120 days: check the dates',
          });
      }
      const note = typeof input.note === 'string' ? input.note.trim() : '';
      if (note.length > MAX_NOTE)
        errors.push({ field: 'note', message: `The note must be ${MAX_NOTE} characters or fewer` });
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
      if (/[\u0000-\u001f\u007f]/.test(note))
        errors.push({ field: 'note', message: 'The note must not contain control characters' });
      if (errors.length > 0) throw new ValidationError(errors);
      return unitOfWork(db, a, async (w) => {
        const existing = await closuresOfSchool(w.tx, a.schoolId);
        const overlap = existing.find(
          (c) =>
            compareIsoDates(c.firstDay, lastDay as IsoDate) <= 0 &&
            compareIsoDates(c.lastDay, firstDay as IsoDate) >= 0,
        );
        if (overlap)
          throw new ValidationError([
            {
              field: 'firstDay',
              message: `This overlaps the closure from ${formatDate(overlap.firstDay)} to ${formatDate(overlap.lastDay)}`,
            },
          ]);
        const id = randomUUID();
        await insertClosure(w.tx, {
          schoolId: a.schoolId,
          id,
          firstDay: firstDay as IsoDate,
          lastDay: lastDay as IsoDate,
          note: note === '' ? null : note,
        });
        w.audit('school.closure_added', { detail: { closureId: id, firstDay, lastDay } });
        return { closureId: id };
      });
    },

    async remove(actor: Actor, closureId: string) {
      const a = requireCapability(actor, 'settings.manage');
      if (!UUID.test(closureId))
        throw new NotFoundError('Closure not found', { kind: 'school_closure', id: closureId });
      return unitOfWork(db, a, async (w) => {
        const removed = await deleteClosure(w.tx, a.schoolId, closureId);
        if (!removed) throw new NotFoundError('Closure not found', { kind: 'school_closure', id: closureId });
        w.audit('school.closure_removed', {
          detail: { closureId, firstDay: removed.firstDay, lastDay: removed.lastDay },
        });
      });
    },
  };
}

export type ClosureService = ReturnType<typeof createClosureService>;
