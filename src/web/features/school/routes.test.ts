import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClass, buildPupil, buildSchool, buildStaff } from '../../../../test/builders/index.ts';
import { Client, testApp, useApp } from '../../../../test/client.ts';
import { pupil, school } from '../../../db/schema/index.ts';
import { createServices } from '../../../services/index.ts';
import { fixedClock } from '../../../services/kernel/clock.ts';

const t = useApp();

async function signedIn(app: typeof t.app, email: string) {
  const client = new Client(app);
  await client.signIn(email);
  return client;
}

describe('the school details page', () => {
  it('keeps what was typed when details are wrong, and saves good ones', async () => {
    const client = await signedIn(t.app, t.w.office.email);
    const page = await client.get('/school');
    expect(page.body).toContain('href="/school"');
    const version = /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const bad = await client.post('/school', {
      name: 'Oakfield Primary Academy',
      urn: '12',
      laCode: '999',
      establishmentNumber: '2001',
      phase: 'primary',
      lowestNcYear: '0',
      highestNcYear: '6',
      version,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('URN must be 6 numbers');
    expect(bad.body).toContain('value="Oakfield Primary Academy"');
    const [before] = await t.database.db.select().from(school).where(eq(school.id, t.w.school.id));
    expect(before?.name).toBe('Oakfield Primary');

    const good = await client.post('/school', {
      name: 'Oakfield Primary Academy',
      urn: t.w.school.urn,
      laCode: '999',
      establishmentNumber: '2001',
      phase: 'primary',
      lowestNcYear: '0',
      highestNcYear: '6',
      version,
    });
    expect(good.statusCode).toBe(303);
    expect((await client.get('/school')).body).toContain('School details saved.');

    // The pupil list's year group filter now offers Reception to Year 6, and pupils outside them.
    const list = await client.get('/pupils');
    expect(list.body).toContain('>Reception<');
    expect(list.body).not.toContain('>Nursery<');
    expect(list.body).toContain('Outside Reception to Year 6');

    // The same (now stale) version again: the other change is shown, the typing kept.
    const stale = await client.post('/school', {
      name: 'Oakfield School',
      urn: t.w.school.urn,
      laCode: '999',
      establishmentNumber: '2001',
      phase: 'primary',
      lowestNcYear: '0',
      highestNcYear: '6',
      version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('value="Oakfield School"');
    expect(stale.body).toContain('Oakfield Primary Academy');
  });
});

describe('the year-end roll-over pages', () => {
  let july: Awaited<ReturnType<typeof testApp>>['app'];
  let sencoEmail: string;
  let ids: { willow: string; oak: string; leaver: string; oakPupil: string };

  beforeAll(async () => {
    const db = t.database.db;
    const s = await buildSchool(db, {
      name: 'Brook Primary',
      lowestNcYear: 0,
      highestNcYear: 6,
      rolledOverTo: 2026,
    });
    const oak = await buildClass(db, s.id, 'Oak', 3);
    await buildClass(db, s.id, 'Ash', 4);
    const willow = await buildClass(db, s.id, 'Willow', 6);
    const senco = await buildStaff(db, 'senco', { schoolId: s.id });
    sencoEmail = senco.email;
    const oakPupil = await buildPupil(db, {
      schoolId: s.id,
      classId: oak.id,
      dateOfBirth: '2018-12-01',
      surname: 'Oakes',
    });
    const leaver = await buildPupil(db, {
      schoolId: s.id,
      classId: willow.id,
      dateOfBirth: '2015-12-01',
      surname: 'Leaves',
    });
    ids = { willow: willow.id, oak: oak.id, leaver: leaver.id, oakPupil: oakPupil.id };
    july = (await testApp(t.database, createServices(t.database, fixedClock('2027-07-20')))).app;
  });
  afterAll(() => july?.close());

  it('says when the roll-over opens before 1 July', async () => {
    const client = await signedIn(t.app, t.w.senco.email);
    const page = await client.get('/school/roll-over');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('opens on 1 July 2027');
    expect(page.body).not.toContain('Preview the roll-over');
  });

  it('previews, updates the summary, keeps input on errors, applies once, and refuses a second time', async () => {
    const client = await signedIn(july, sencoEmail);
    const start = await client.get('/school/roll-over');
    expect(start.body).toContain('Preview the roll-over to 2027/28');
    const preview = await client.get('/school/roll-over/preview?year=2027');
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toMatch(/Oakes, Pupil\d+/);
    expect(preview.body).toContain('Year 3 to Year 4');
    expect(preview.body).toContain('Leaving: Year 6');
    const field = `to-${ids.oak}_4`;
    const form = (body: string) => ({
      academicYear: '2027',
      version: /name="version" value="(\d+)"/.exec(body)?.[1] ?? '',
      fingerprint: /name="fingerprint" value="([0-9a-f]+)"/.exec(body)?.[1] ?? '',
    });
    const base = form(preview.body);

    // "Update the summary" with a new class: the summary says what will happen, nothing is saved.
    const refreshed = await client.post('/school/roll-over/preview', {
      ...base,
      [field]: 'new',
      [`newName-${ids.oak}_4`]: 'Hazel',
      leaving: ids.leaver,
      'leftOn-day': '31',
      'leftOn-month': '8',
      'leftOn-year': '2027',
      refresh: 'yes',
    });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.body).toContain('A new class, Hazel (Year 4), is made with 1 pupil');
    expect(refreshed.body).not.toContain('There is a problem');
    // The button sent twice, or with a value it never has, is still "Update the summary": never the roll-over.
    for (const refresh of [['yes', 'yes'], 'no']) {
      const again = await client.post('/school/roll-over/preview', {
        ...base,
        [field]: 'new',
        [`newName-${ids.oak}_4`]: 'Hazel',
        leaving: ids.leaver,
        'leftOn-day': '31',
        'leftOn-month': '8',
        'leftOn-year': '2027',
        refresh,
      });
      expect(again.statusCode, String(refresh)).toBe(200);
      expect(again.body).toContain('A new class, Hazel (Year 4), is made with 1 pupil');
    }

    // Wrong input: every problem listed, the choices kept, nothing saved.
    const bad = await client.post('/school/roll-over/preview', {
      ...base,
      [field]: 'new',
      [`newName-${ids.oak}_4`]: 'oak',
      leaving: ids.leaver,
      destinationForAll: 'Brook Academy',
      'leftOn-day': '1',
      'leftOn-month': '9',
      'leftOn-year': '2027',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('A class named Oak already exists');
    expect(bad.body).toContain('The leaving date must be in 2026/27');
    expect(bad.body).toContain('value="Brook Academy"');
    expect(bad.body).toContain(`href="#newName-${ids.oak}_4"`);
    const [unchanged] = await t.database.db.select().from(pupil).where(eq(pupil.id, ids.leaver));
    expect(unchanged?.leftOn).toBeNull();

    const applied = await client.post('/school/roll-over/preview', {
      ...base,
      [field]: 'new',
      [`newName-${ids.oak}_4`]: 'Hazel',
      leaving: ids.leaver,
      destinationForAll: 'Brook Academy',
      'leftOn-day': '31',
      'leftOn-month': '8',
      'leftOn-year': '2027',
    });
    expect(applied.statusCode).toBe(303);
    const after = await client.get(String(applied.headers.location));
    expect(after.body).toContain(
      'The school has been rolled over to 2027/28: 1 pupil moved up a year group, 1 changed class, 1 left, 1 new class made.',
    );
    const [left] = await t.database.db.select().from(pupil).where(eq(pupil.id, ids.leaver));
    expect(left).toMatchObject({ leftOn: '2027-08-31', destination: 'Brook Academy' });

    // The same form sent again: refused with a plain message, nothing done twice.
    const twice = await client.post('/school/roll-over/preview', {
      ...base,
      [field]: 'new',
      [`newName-${ids.oak}_4`]: 'Hazel',
      leaving: ids.leaver,
      'leftOn-day': '31',
      'leftOn-month': '8',
      'leftOn-year': '2027',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('already been rolled over to 2027/28');
    expect(twice.body).toContain('The school has been rolled over to 2027/28. Nothing more needs doing here');
  });
});
