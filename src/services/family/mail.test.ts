import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildFamily, buildReferral, useWorld } from '../../../test/builders/index.ts';
import { appUser, outboundMail, parentAccount, parentCarer } from '../../db/schema/index.ts';
import { saveMailChoices, wantsMail } from '../../repositories/mail-preferences.ts';
import { queueFamilyMail } from './mail.ts';

const world = useWorld();

const LINK = 'https://opensend.test.example/children';

async function mailTo(schoolId: string, parentCarerId: string) {
  return world.database.db
    .select()
    .from(outboundMail)
    .where(and(eq(outboundMail.schoolId, schoolId), eq(outboundMail.parentCarerId, parentCarerId)));
}

describe('mail to a child’s parents', () => {
  it('queues one mail to each parent with a live account, naming the school and never the child', async () => {
    const { database, w } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id, forename: 'Zebedee' });
    const ids = await database.db.transaction((tx) =>
      queueFamilyMail(tx, {
        schoolId: w.school.id,
        pupilId: family.pupil.id,
        kind: 'family.letter',
        values: { link: LINK },
      }),
    );
    expect(ids).toHaveLength(2);
    const [toMother] = await mailTo(w.school.id, family.motherCarer.id);
    const [toFather] = await mailTo(w.school.id, family.fatherCarer.id);
    expect(toMother?.toAddress).toBe(family.mother.email);
    expect(toFather?.toAddress).toBe(family.father.email);
    expect(toMother?.subject).toBe('There is a new letter for you from Oakfield Primary');
    for (const m of [toMother, toFather]) {
      expect(m?.kind).toBe('family.letter');
      expect(`${m?.subject} ${m?.body}`).not.toMatch(/Zebedee/);
      expect(m?.body).toContain(LINK);
    }
  });

  it('sends nothing to a parent who turned that mail off, and still sends the kinds they kept', async () => {
    const { database, w } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id });
    const fatherId = family.father.actor.userId;
    await saveMailChoices(database.db, fatherId, {
      'family.letter': false,
      'family.views_invited': true,
      'family.plan_shared': true,
      'family.ehc_draft': true,
      'family.consent_asked': true,
      'family.concern_answered': true,
    });
    expect(await wantsMail(database.db, fatherId, 'family.letter')).toBe(false);
    expect(await wantsMail(database.db, fatherId, 'family.concern_answered')).toBe(true);
    // An invitation or sign-in code is not a choice: always wanted.
    expect(await wantsMail(database.db, fatherId, 'account.sign_in_code')).toBe(true);
    await database.db.transaction((tx) =>
      queueFamilyMail(tx, {
        schoolId: w.school.id,
        pupilId: family.pupil.id,
        kind: 'family.letter',
        values: { link: LINK },
      }),
    );
    expect(await mailTo(w.school.id, family.fatherCarer.id)).toHaveLength(0);
    expect(await mailTo(w.school.id, family.motherCarer.id)).toHaveLength(1);
    await database.db.transaction((tx) =>
      queueFamilyMail(tx, {
        schoolId: w.school.id,
        pupilId: family.pupil.id,
        kind: 'family.concern_answered',
        values: { link: LINK },
      }),
    );
    expect(await mailTo(w.school.id, family.fatherCarer.id)).toHaveLength(1);
  });

  it('sends nothing to an ended link, a court order, no parental responsibility or a disabled account', async () => {
    const { database, w } = world;
    const db = database.db;
    const ended = await buildFamily(db, { schoolId: w.school.id });
    await db
      .update(parentAccount)
      .set({ endedAt: new Date() })
      .where(eq(parentAccount.parentCarerId, ended.motherCarer.id));
    await db.update(parentCarer).set({ courtOrder: true }).where(eq(parentCarer.id, ended.fatherCarer.id));
    const other = await buildFamily(db, { schoolId: w.school.id });
    await db
      .update(parentCarer)
      .set({ parentalResponsibility: false })
      .where(eq(parentCarer.id, other.motherCarer.id));
    await db.update(appUser).set({ disabledAt: new Date() }).where(eq(appUser.id, other.father.actor.userId));
    for (const f of [ended, other]) {
      const ids = await db.transaction((tx) =>
        queueFamilyMail(tx, {
          schoolId: w.school.id,
          pupilId: f.pupil.id,
          kind: 'family.letter',
          values: { link: LINK },
        }),
      );
      expect(ids).toEqual([]);
    }
  });

  it('sends only to the parents chosen when a list is given', async () => {
    const { database, w } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id });
    const ids = await database.db.transaction((tx) =>
      queueFamilyMail(tx, {
        schoolId: w.school.id,
        pupilId: family.pupil.id,
        kind: 'family.letter',
        values: { link: LINK },
        parentCarerIds: [family.fatherCarer.id],
      }),
    );
    expect(ids).toHaveLength(1);
    expect(await mailTo(w.school.id, family.fatherCarer.id)).toHaveLength(1);
    expect(await mailTo(w.school.id, family.motherCarer.id)).toHaveLength(0);
  });
});

describe('the school’s steps that ask something of the family mail them', () => {
  /** The school asks the parents for consent to a referral (drafted, version 1). */
  async function askConsent(referralId: string) {
    await world.services.referrals.recordStep(world.w.senco.actor, referralId, 1, {
      to: 'awaiting_consent',
      on: '2026-11-19',
      note: null,
      respondBy: null,
      reportDueOn: null,
    });
  }

  /** The family mail queued to the child's mother, newest last. */
  async function toMother(family: Awaited<ReturnType<typeof buildFamily>>) {
    return mailTo(family.schoolId, family.motherCarer.id);
  }

  it('a plan agreed is shared; its review begun invites views before the review date; consent asked for', async () => {
    const { database, w, services } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id, forename: 'Quillon' });
    const planId = await services.plans.start(w.senco.actor, family.pupil.id);
    let v = (await services.plans.view(w.senco.actor, planId)).plan.version;
    await services.plans.update(w.senco.actor, planId, v, {
      needAreas: ['cognition_and_learning'],
      strengths: 'Kind to others',
      areasOfConcern: 'Reading',
      desiredOutcomes: 'To read simple sentences',
      qualityFirst: 'Visual supports',
      interventions: 'Daily phonics',
      taSupport: 'Three sessions a week',
      resources: 'Overlay',
      parentPupilContribution: 'Reads at home',
      parentsSupportAtHome: 'Reading together',
      parentsViews: 'Worried about reading',
      pupilViews: 'I like pictures',
      startDate: '2026-11-02',
      reviewDate: '2027-01-29',
      targets: [
        {
          id: null,
          area: 'cognition_and_learning',
          target: 'Read ten tricky words',
          achievementCriteria: '8 out of 10',
          resourcesAndTechniques: 'Precision teaching',
          classStrategies: 'Word mat',
          bankEntryId: null,
        },
      ],
    });
    expect(await toMother(family)).toHaveLength(0);
    v = (await services.plans.view(w.senco.actor, planId)).plan.version;
    await services.plans.agree(w.senco.actor, planId, v, {
      agreedOn: '2026-11-02',
      agreedWith: 'Parents',
      sharedWithParentsOn: null,
    });
    const shared = await toMother(family);
    expect(shared.map((m) => m.kind)).toEqual(['family.plan_shared']);
    expect(shared[0]!.body).toContain(`/children/${family.pupil.id}/plan`);
    expect((await mailTo(w.school.id, family.fatherCarer.id)).map((m) => m.kind)).toEqual([
      'family.plan_shared',
    ]);

    v = (await services.plans.view(w.senco.actor, planId)).plan.version;
    await services.plans.startReview(w.senco.actor, planId, v);
    const invited = (await toMother(family)).find((m) => m.kind === 'family.views_invited');
    expect(invited?.subject).toBe('Your views are invited before 29 January 2027');
    expect(invited?.body).toContain(`/children/${family.pupil.id}/plans/${planId}/views`);
    // The views are open now the review has begun, weeks before its date.
    const open = await services.familyViews.invited(family.mother.actor, family.pupil.id);
    expect(open.map((i) => [i.about, i.recordId])).toEqual([['plan_review', planId]]);

    const referral = await buildReferral(database.db, family.pupil);
    await askConsent(referral.id);
    const asked = (await toMother(family)).find((m) => m.kind === 'family.consent_asked');
    expect(asked?.subject).toBe('Oakfield Primary is asking for your consent');
    expect(asked?.body).toContain(`/children/${family.pupil.id}/referrals/${referral.id}`);
    for (const m of await toMother(family)) expect(`${m.subject} ${m.body}`).not.toMatch(/Quillon/);
  });

  it('a parent who turned the kind off is not sent it', async () => {
    const { database, w } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id });
    await saveMailChoices(database.db, family.mother.actor.userId, {
      'family.letter': true,
      'family.views_invited': true,
      'family.plan_shared': true,
      'family.ehc_draft': true,
      'family.consent_asked': false,
      'family.concern_answered': true,
    });
    const referral = await buildReferral(database.db, family.pupil);
    await askConsent(referral.id);
    expect((await toMother(family)).map((m) => m.kind)).toEqual([]);
    expect((await mailTo(w.school.id, family.fatherCarer.id)).map((m) => m.kind)).toEqual([
      'family.consent_asked',
    ]);
  });
});
