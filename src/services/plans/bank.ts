import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { STARTER_BANK } from '../../domain/bank-starter.ts';
import type { AreaOfNeed } from '../../domain/census.ts';
import { searchWords } from '../../domain/search.ts';
import {
  findBankEntries,
  hasStarterBank,
  hideBankEntry,
  insertBankEntries,
  searchBank,
} from '../../repositories/plans.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

/**
 * The school's bank of targets and strategies by area of need. Every school starts with the starter
 * set (added the first time anyone opens the bank); anyone who writes plans adds their own.
 */
export function createBank(database: Database) {
  const { db } = database;

  async function ensureStarter(schoolId: string) {
    if (await hasStarterBank(db, schoolId)) return;
    await db.transaction(async (tx) => {
      if (await hasStarterBank(tx, schoolId)) return;
      await insertBankEntries(
        tx,
        STARTER_BANK.map((e) => ({
          schoolId,
          id: randomUUID(),
          kind: e.kind,
          area: e.area,
          text: e.text,
          achievementCriteria: e.achievementCriteria ?? null,
          source: 'starter' as const,
        })),
      );
    });
  }

  return {
    async search(actor: Actor, filters: { kind?: 'target' | 'strategy'; area?: AreaOfNeed; q?: string }) {
      const a = requireSection(actor, 'plans', 'write');
      await ensureStarter(a.schoolId);
      return searchBank(db, a.schoolId, {
        kind: filters.kind,
        area: filters.area,
        words: searchWords(filters.q ?? ''),
      });
    },

    /** One entry, to put into a plan being written (hidden ones too: a link may be older than the hiding). */
    async entry(actor: Actor, entryId: string) {
      const a = requireSection(actor, 'plans', 'write');
      const [found] = await findBankEntries(db, a.schoolId, [entryId]);
      if (!found) throw new NotFoundError('Bank entry not found', { kind: 'bank_entry', id: entryId });
      return found;
    },

    /** Every entry the school uses, for the SENCo or head to tidy (hide what it does not use). */
    async manage(actor: Actor, filters: { area?: AreaOfNeed; q?: string }) {
      const a = requireCapability(actor, 'settings.manage');
      await ensureStarter(a.schoolId);
      return searchBank(db, a.schoolId, { area: filters.area, words: searchWords(filters.q ?? '') }, 500);
    },

    /** Save a target or strategy written by hand to the bank, for everyone at the school. */
    async add(
      actor: Actor,
      input: {
        kind: 'target' | 'strategy';
        area: AreaOfNeed;
        text: string;
        achievementCriteria: string | null;
      },
    ) {
      const a = requireSection(actor, 'plans', 'write');
      if (!input.text.trim())
        throw new ValidationError([{ field: 'text', message: 'Enter the target or strategy' }]);
      await ensureStarter(a.schoolId);
      const id = randomUUID();
      await unitOfWork(db, a, async (w) => {
        await insertBankEntries(w.tx, [
          {
            schoolId: a.schoolId,
            id,
            ...input,
            source: 'school',
            createdBy: a.userId,
            createdByName: a.name,
          },
        ]);
        w.audit('bank.entry_added', { detail: { id, kind: input.kind, area: input.area } });
      });
      return id;
    },

    /** Hide an entry the school does not use (it stays in plans that used it). */
    async hide(actor: Actor, entryId: string) {
      const a = requireCapability(actor, 'settings.manage');
      await unitOfWork(db, a, async (w) => {
        if (!(await hideBankEntry(w.tx, a.schoolId, entryId))) {
          throw new NotFoundError('Bank entry not found', { kind: 'bank_entry', id: entryId });
        }
        w.audit('bank.entry_hidden', { detail: { id: entryId } });
      });
    },
  };
}
