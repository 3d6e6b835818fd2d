import type { Database } from '../../db/client.ts';
import { findProfile, saveProfile } from '../../repositories/plans.ts';
import type { Actor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import { ConflictError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil } from '../kernel/unit-of-work.ts';

export interface ProfileInput {
  likeAndAdmire: string | null;
  importantToMe: string | null;
  howToSupportMe: string | null;
}

/** The pupil's one-page profile, kept on the pupil and carried from plan to plan. */
export function createProfiles(database: Database) {
  const { db } = database;
  return {
    async forEdit(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'plans', 'write');
      const found = await pupilFor(db, a, pupilId, { section: 'plans', level: 'write' });
      const profile = await findProfile(db, a.schoolId, pupilId);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', { pupilId, detail: { form: 'change the one-page profile' } });
      return { pupil: found.pupil, profile, version: profile?.version ?? 0 };
    },
    async save(actor: Actor, pupilId: string, version: number, input: ProfileInput) {
      const a = requireSection(actor, 'plans', 'write');
      await changePupil(db, a, pupilId, { section: 'plans', level: 'write' }, async (w) => {
        if (
          !(await saveProfile(w.tx, a.schoolId, pupilId, version, {
            ...input,
            updatedBy: a.userId,
            updatedByName: a.name,
          }))
        ) {
          throw new ConflictError(
            'Someone else changed the profile while you were editing. Theirs is shown; your words are kept below: check them and save again.',
          );
        }
        w.audit('pupil.profile_changed', { pupilId });
      });
    },
  };
}
