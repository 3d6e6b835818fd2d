import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildFamily, useWorld } from '../../../test/builders/index.ts';
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
