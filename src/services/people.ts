import type { Database } from '../db/client.ts';
import { SECTION_LABELS, type Section } from '../domain/access.ts';
import { insertAuditEvents } from '../repositories/audit.ts';
import { pupilsReached, sharesOf } from '../repositories/people-kinds.ts';
import { type Actor, personScopeOf } from './kernel/actor.ts';
import { auditRow } from './kernel/audit.ts';
import { requireKind } from './kernel/authorise.ts';

/**
 * What a parent and a professional see first: the pupils they reach, at every school, limited by the
 * same compiled reach as every list (a parent's own children; what schools shared with a professional,
 * until the day it ends). Each school's audit trail records that they saw its pupils.
 */
export function createPeopleService(database: Database) {
  const { db } = database;

  /** One audit row per school whose pupils were shown, in that school's trail. */
  async function auditShown(
    actor: Actor,
    action: 'children.viewed' | 'shares.viewed',
    pupils: readonly { schoolId: string; id: string }[],
  ) {
    const bySchool = new Map<string, string[]>();
    for (const p of pupils) bySchool.set(p.schoolId, [...(bySchool.get(p.schoolId) ?? []), p.id]);
    const rows = [...bySchool].map(([schoolId, ids]) => ({
      ...auditRow(actor, action, { shownPupilIds: ids }),
      schoolId,
    }));
    await insertAuditEvents(db, rows.length ? rows : [auditRow(actor, action)]);
  }

  return {
    /** A parent's children, at whichever schools use this installation. */
    async children(actor: Actor) {
      const parent = requireKind(actor, 'parent', 'This page is for parents and carers');
      const pupils = await pupilsReached(db, personScopeOf(parent));
      await auditShown(parent, 'children.viewed', pupils);
      return { children: pupils };
    },

    /** What schools have shared with a professional: each pupil, the sections, why, until when. */
    async shared(actor: Actor) {
      const professional = requireKind(
        actor,
        'professional',
        'This page is for professionals of outside agencies',
      );
      const [pupils, shares] = await Promise.all([
        pupilsReached(db, personScopeOf(professional)),
        sharesOf(db, professional.userId),
      ]);
      await auditShown(professional, 'shares.viewed', pupils);
      return {
        pupils: pupils.map((p) => {
          const mine = shares.filter((s) => s.schoolId === p.schoolId && s.pupilId === p.id);
          const sections = [...new Set(mine.flatMap((s) => s.sections as Section[]))];
          return {
            ...p,
            sections: sections.map((s) => SECTION_LABELS[s]),
            purposes: [...new Set(mine.map((s) => s.purpose))],
            /** The referrals these shares serve: each opens its page. */
            referrals: mine
              .filter((s) => s.referralId !== null)
              .map((s) => ({ id: s.referralId as string, purpose: s.purpose })),
            sharedUntil:
              mine
                .map((s) => s.sharedUntil)
                .sort()
                .at(-1) ?? null,
          };
        }),
      };
    },
  };
}

export type PeopleService = ReturnType<typeof createPeopleService>;
