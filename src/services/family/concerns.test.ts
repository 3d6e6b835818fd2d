import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildFamily, useWorld } from '../../../test/builders/index.ts';
import { concern, mailPreference, outboundMail } from '../../db/schema/index.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';

const world = useWorld();

async function concernsOf(pupilId: string) {
  return world.database.db.select().from(concern).where(eq(concern.pupilId, pupilId));
}

describe('a parent raising a concern', () => {
  it('arrives for the SENCo as a concern from a parent, raised by the parent’s name', async () => {
    const { services, database, w } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id });
    const id = await services.familyConcerns.raise(family.mother.actor, family.pupil.id, {
      worry: 'He cries before school\nand will not say why.',
      areasOfNeed: ['social_emotional_and_mental_health'],
    });
    const [row] = await concernsOf(family.pupil.id);
    expect(row).toMatchObject({
      id,
      source: 'parent',
      raisedBy: family.mother.actor.userId,
      raisedByName: family.motherCarer.name,
      raisedByRole: 'parent',
      status: 'open',
      concernDate: '2026-11-20',
      reasons: 'He cries before school\nand will not say why.',
      areasOfNeed: ['social_emotional_and_mental_health'],
    });
    const review = await services.concerns.forReview(w.senco.actor);
    expect(review.open.find((c) => c.id === id)?.source).toBe('parent');
    const seen = await services.concerns.view(w.senco.actor, id);
    expect(seen.concern.source).toBe('parent');
  });

  it('shows the parent their own concerns and the outcome in plain words, never the school’s notes', async () => {
    const { services, database, w } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id });
    const id = await services.familyConcerns.raise(family.mother.actor, family.pupil.id, {
      worry: 'Reading is hard for her',
      areasOfNeed: [],
    });
    await services.familyConcerns.raise(family.father.actor, family.pupil.id, {
      worry: 'The father’s own worry',
      areasOfNeed: [],
    });
    let page = await services.familyConcerns.list(family.mother.actor, family.pupil.id);
    expect(page.concerns.map((c) => [c.worry, c.open, c.outcome])).toEqual([
      ['Reading is hard for her', true, null],
    ]);
    const found = await services.concerns.view(w.senco.actor, id);
    await services.concerns.review(w.senco.actor, id, found.concern.version, {
      outcome: 'monitoring',
      actionTaken: 'STAFF NOTE: phonics check with Mrs A',
      agency: null,
      reviewedOn: '2026-11-20',
      primaryNeed: null,
      secondaryNeed: null,
    });
    page = await services.familyConcerns.list(family.mother.actor, family.pupil.id);
    expect(page.concerns[0]).toMatchObject({ open: false, lookedAtOn: '2026-11-20' });
    expect(page.concerns[0]?.outcome).toMatch(/keep a close eye/);
    expect(JSON.stringify(page)).not.toMatch(/STAFF NOTE/);
    // The mother hears by email that the school answered; the father, who did not raise it, does not.
    const mails = await database.db
      .select()
      .from(outboundMail)
      .where(and(eq(outboundMail.kind, 'family.concern_answered'), eq(outboundMail.schoolId, w.school.id)));
    expect(mails.filter((m) => m.parentCarerId === family.motherCarer.id)).toHaveLength(1);
    expect(mails.filter((m) => m.parentCarerId === family.fatherCarer.id)).toHaveLength(0);
    expect(mails.every((m) => !/Reading|monitoring/.test(m.body))).toBe(true);
  });

  it('sends no answer by email to a parent who turned that mail off', async () => {
    const { services, database, w } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id });
    await services.familyMail.save(family.mother.actor, ['family.letter']);
    const choices = await services.familyMail.choices(family.mother.actor);
    expect(choices.filter((c) => c.wanted).map((c) => c.kind)).toEqual(['family.letter']);
    const id = await services.familyConcerns.raise(family.mother.actor, family.pupil.id, {
      worry: 'A worry',
      areasOfNeed: [],
    });
    const found = await services.concerns.view(w.senco.actor, id);
    await services.concerns.review(w.senco.actor, id, found.concern.version, {
      outcome: 'no_further_action',
      actionTaken: 'Talked to mum',
      agency: null,
      reviewedOn: '2026-11-20',
      primaryNeed: null,
      secondaryNeed: null,
    });
    const mails = await database.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.parentCarerId, family.motherCarer.id));
    expect(mails).toHaveLength(0);
    const prefs = await database.db
      .select()
      .from(mailPreference)
      .where(eq(mailPreference.userId, family.mother.actor.userId));
    expect(prefs.find((p) => p.kind === 'family.concern_answered')?.wanted).toBe(false);
  });

  it('refuses a choice of email that is not on the list, changing nothing', async () => {
    const { services, database, w } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id });
    await expect(
      services.familyMail.save(family.mother.actor, ['account.sign_in_code']),
    ).rejects.toBeInstanceOf(ValidationError);
    const prefs = await database.db
      .select()
      .from(mailPreference)
      .where(eq(mailPreference.userId, family.mother.actor.userId));
    expect(prefs).toHaveLength(0);
  });

  it('refuses hidden control characters, an empty worry and an unknown area, saving nothing', async () => {
    const { services, database, w } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id });
    for (const input of [
      { worry: 'Bad\u0007 text', areasOfNeed: [] },
      { worry: 'Sneaky \u202E reversed', areasOfNeed: [] },
      { worry: '   ', areasOfNeed: [] },
      { worry: 'x'.repeat(4001), areasOfNeed: [] },
      { worry: 'Fine', areasOfNeed: ['nonsense'] as never[] },
    ]) {
      await expect(
        services.familyConcerns.raise(family.mother.actor, family.pupil.id, input),
      ).rejects.toBeInstanceOf(ValidationError);
    }
    expect(await concernsOf(family.pupil.id)).toHaveLength(0);
  });

  it('refuses another family’s child, at this school or another, and staff', async () => {
    const { services, database, w } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id });
    const other = await buildFamily(database.db, { schoolId: w.school.id });
    for (const pupilId of [other.pupil.id, w.otherPupil.id]) {
      await expect(
        services.familyConcerns.raise(family.mother.actor, pupilId, { worry: 'Not mine', areasOfNeed: [] }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(services.familyConcerns.list(family.mother.actor, pupilId)).rejects.toBeInstanceOf(
        NotFoundError,
      );
    }
    await expect(services.familyConcerns.list(w.senco.actor, family.pupil.id)).rejects.toThrow();
    expect(await concernsOf(other.pupil.id)).toHaveLength(0);
  });
});
