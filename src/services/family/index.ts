import type { Database } from '../../db/client.ts';
import { FAMILY_WORDS } from '../../domain/family-words.ts';
import { consentInForce } from '../../domain/referrals.ts';
import { referralsForFamily, refusalsOf } from '../../repositories/family-consent.ts';
import { sentLettersOf } from '../../repositories/family-reading.ts';
import { subjectsWithViewsBy } from '../../repositories/family-views.ts';
import { repliedLetterIds } from '../../repositories/letter-replies.ts';
import type { Actor } from '../kernel/actor.ts';
import type { Clock } from '../kernel/clock.ts';
import { auditFamilyRead, familyChild, parentMayRead } from './access.ts';
import { viewsInvited } from './views.ts';

/*
 * The family's door (docs/adr/0039): a parent's pages for one child. Each area (reading the plan,
 * letters, views, consent, contact details) is its own module beside this one; this is the child's
 * first page, which leads to them and says what is waiting for this parent.
 */
export function createFamilyService(database: Database, clock: Clock) {
  const { db } = database;
  return {
    /**
     * One child's first page: who and where, the way to each area, and what is waiting for this parent
     * (views asked for, letters with a slip they have not answered, referrals waiting for consent).
     * Audited on the school's trail.
     */
    async child(actor: Actor, pupilId: string) {
      const child = await familyChild(db, actor, pupilId);
      const { schoolId, id } = child.pupil;
      const today = clock.today();
      const carerNames = child.carers.map((c) => c.name);
      const carerIds = child.carers.map((c) => c.id);
      const [views, letters, consent] = await Promise.all([
        viewsInvited(db, child, today),
        parentMayRead(child.parent, 'letters')
          ? sentLettersOf(db, schoolId, id, today, carerIds)
          : Promise.resolve([]),
        parentMayRead(child.parent, 'agencies')
          ? referralsForFamily(
              db,
              schoolId,
              id,
              child.carers.map((c) => c.id),
            )
          : Promise.resolve({ referrals: [], consents: [] }),
      ]);
      const slips = letters.filter((l) => l.slipExpected && !l.slipReturnedOn);
      const [replied, viewsGiven] = await Promise.all([
        repliedLetterIds(
          db,
          schoolId,
          child.parent.userId,
          slips.map((l) => l.id),
        ),
        subjectsWithViewsBy(
          db,
          schoolId,
          child.parent.userId,
          views.items.map((v) => v.subjectId),
        ),
      ]);
      const asked = consent.referrals.filter(
        (r) =>
          r.status === 'awaiting_consent' &&
          !consent.consents.some((c) => c.referralId === r.id && consentInForce(c, today)),
      );
      // A referral this parent said no to online is answered: it waits for them no longer.
      const refused = await Promise.all(
        asked.map(async (r) => (await refusalsOf(db, schoolId, r.id, carerIds)).length > 0),
      );
      const consentWaiting = asked.filter((_, i) => !refused[i]);
      await auditFamilyRead(db, child.parent, child, 'family.child_viewed');
      const p = child.pupil;
      return {
        pupilId: p.id,
        name: `${p.preferredName ?? p.forename} ${p.surname}`,
        schoolName: child.schoolName,
        onSenSupport: p.senStage === 'sen_support',
        hasEhcPlan: p.senStage === 'ehc_plan',
        words: FAMILY_WORDS,
        waiting: {
          // Views asked for and not given yet by this parent (those given can still be changed there).
          views: views.items.filter((v) => !viewsGiven.has(v.subjectId)),
          viewsGiven: views.items.filter((v) => viewsGiven.has(v.subjectId)),
          viewsLater: views.later,
          letters: slips.filter((l) => !replied.has(l.id)).map((l) => ({ id: l.id, sentOn: l.sentOn })),
          consent: consentWaiting.map((r) => ({ id: r.id, service: r.agencyName })),
        },
      };
    },
  };
}

export type FamilyService = ReturnType<typeof createFamilyService>;
