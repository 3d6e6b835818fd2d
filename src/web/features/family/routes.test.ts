import { describe, expect, it } from 'vitest';
import { buildFamily, buildLetter, buildPlan, buildReferral } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';

const t = useApp();

describe('a child’s first page for their parent', () => {
  it('opens from the list of their children, and names the child and the school', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.parent.email);
    const list = await client.get('/children');
    expect(list.body).toContain(`/children/${t.w.pupilK.id}`);
    const page = await client.get(`/children/${t.w.pupilK.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(t.w.pupilK.surname);
  });

  it('is "not found" for another child, at the same school and at another, and for staff', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.parent.email);
    for (const id of [t.w.pupilA.id, t.w.otherPupil.id, 'not-an-id']) {
      const page = await client.get(`/children/${id}`);
      expect(page.statusCode).toBe(404);
      // In a parent's words, not a teacher's.
      expect(page.body).toContain('a child you are not linked to');
      expect(page.body).not.toContain('classes or groups');
    }
    const staff = new Client(t.app);
    await staff.signIn(t.w.senco.email);
    expect((await staff.get(`/children/${t.w.pupilK.id}`)).statusCode).toBe(403);
  });
});

describe('what is waiting for the parent on the child’s first page', () => {
  it('lists the letter with a slip to answer, the referral waiting for consent and the views asked for; then nothing once answered', async () => {
    const { database, services, w } = t;
    const family = await buildFamily(database.db, { schoolId: w.school.id });
    const mother = new Client(t.app);
    await mother.signIn(family.mother.email);
    const empty = await mother.get(`/children/${family.pupil.id}`);
    expect(empty.body).toContain('Nothing is waiting for you at the moment.');

    const slip = await buildLetter(database.db, {
      pupil: family.pupil,
      slip: 'I have read this letter.',
      sentOn: '2026-11-16',
    });
    const referral = await buildReferral(database.db, family.pupil, { status: 'awaiting_consent' });
    const plan = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: family.pupil.id,
      status: 'in_review',
      reviewDate: '2027-02-26',
    });
    const page = await mother.get(`/children/${family.pupil.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/children/${family.pupil.id}/letters/${slip.id}"`);
    expect(page.body).toContain('Reply to the letter of 16 November 2026');
    expect(page.body).toContain(`href="/children/${family.pupil.id}/referrals/${referral.id}"`);
    expect(page.body).toContain(`href="/children/${family.pupil.id}/plans/${plan.id}/views"`);
    expect(page.body).toContain('(by 26 February 2027)');

    await services.familyLetters.reply(family.mother.actor, family.pupil.id, slip.id, {
      reply: 'acknowledged',
      note: null,
      meeting: null,
    });
    await services.familyConsent.answer(family.mother.actor, family.pupil.id, referral.id, {
      answer: 'refuse',
      reason: null,
    });
    const after = await mother.get(`/children/${family.pupil.id}`);
    expect(after.body).not.toContain(`/letters/${slip.id}"`);
    expect(after.body).not.toContain(`/referrals/${referral.id}"`);
    // The father: the slip has come back (the mother's acknowledgement), so the letter no longer waits
    // for him; the referral does, as he has not answered it.
    const father = new Client(t.app);
    await father.signIn(family.father.email);
    const his = (await father.get(`/children/${family.pupil.id}`)).body;
    expect(his).not.toContain(`/letters/${slip.id}"`);
    expect(his).toContain(`href="/children/${family.pupil.id}/referrals/${referral.id}"`);
  });
});
