import type { Database } from '../../db/client.ts';
import { FAMILY_WORDS } from '../../domain/family-words.ts';
import type { Actor } from '../kernel/actor.ts';
import { auditFamilyRead, familyChild } from './access.ts';

/*
 * The family's door (docs/adr/0039): a parent's pages for one child. Each area (reading the plan,
 * letters, views, consent, contact details) is its own module beside this one; this is the child's
 * first page, which leads to them.
 */
export function createFamilyService(database: Database) {
  const { db } = database;
  return {
    /** One child's first page: who and where, and the way to each area. Audited on the school's trail. */
    async child(actor: Actor, pupilId: string) {
      const child = await familyChild(db, actor, pupilId);
      await auditFamilyRead(db, child.parent, child, 'family.child_viewed');
      const p = child.pupil;
      return {
        pupilId: p.id,
        name: `${p.preferredName ?? p.forename} ${p.surname}`,
        schoolName: child.schoolName,
        onSenSupport: p.senStage === 'sen_support',
        hasEhcPlan: p.senStage === 'ehc_plan',
        words: FAMILY_WORDS,
      };
    },
  };
}

export type FamilyService = ReturnType<typeof createFamilyService>;
