import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildPupil } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { pupil, retentionReview } from '../../../db/schema/index.ts';

const t = useApp();

async function listedLeaver(dateOfBirth = '2000-05-04') {
  const p = await buildPupil(t.database.db, {
    schoolId: t.w.school.id,
    forename: 'Rhys',
    surname: `Gone${Math.random().toString(36).slice(2, 7)}`,
    dateOfBirth,
    leftOn: '2012-07-20',
  });
  await t.services.retention.review();
  const [review] = await t.database.db
    .select()
    .from(retentionReview)
    .where(eq(retentionReview.pupilId, p.id));
  return { p, review: review! };
}

const versionOf = (body: string) => /name="version" value="(\d+)"/.exec(body)![1]!;

describe('records past their retention date on the web', () => {
  it('the head sees the list and the home count, erases a record after the confirm step, and the record is gone', async () => {
    const { p, review } = await listedLeaver();
    const head = new Client(t.app);
    await head.signIn(t.w.head.email);
    expect((await head.get('/')).body).toMatch(/\d+ records? past the retention date to erase or keep/);
    const list = await head.get('/retention');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`Rhys ${p.surname}`);
    expect(list.body).toContain('4 May 2000');
    expect(list.body).toContain('20 July 2012');
    expect(list.body).toContain('4 May 2025');
    expect(list.body).toContain('Pupil’s school record: 25 years after birth');
    expect(list.body).toContain('This school is not the last');

    const confirm = await head.get(`/retention/${review.id}/erase`);
    expect(confirm.body).toContain('What will go');
    expect(confirm.body).toContain('name, date of birth, UPN, contacts');
    // Not confirmed: asked again, nothing erased.
    const unconfirmed = await head.post(`/retention/${review.id}/erase`, {
      version: versionOf(confirm.body),
    });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Confirm that the record is to be erased');
    // Only the box's own value confirms: "no", an empty box or a list of values is asked again.
    for (const value of ['no', 'true', ['yes', 'yes']]) {
      const odd = await head.post(`/retention/${review.id}/erase`, {
        version: versionOf(confirm.body),
        confirm: value,
      });
      expect(odd.statusCode, JSON.stringify(value)).toBe(400);
    }
    // A stale version: refused, the page shown again.
    const stale = await head.post(`/retention/${review.id}/erase`, { version: '99', confirm: 'yes' });
    expect(stale.statusCode).toBe(409);
    const [still] = await t.database.db.select().from(pupil).where(eq(pupil.id, p.id));
    expect(still!.erasedAt).toBeNull();

    const erased = await head.post(`/retention/${review.id}/erase`, {
      version: versionOf(confirm.body),
      confirm: 'yes',
    });
    expect(erased.statusCode).toBe(303);
    // Someone else sending the same erasure a moment later finds it done, not "page not found".
    const again = await head.post(`/retention/${review.id}/erase`, {
      version: versionOf(confirm.body),
      confirm: 'yes',
    });
    expect(again.statusCode).toBe(303);
    const after = await head.get('/retention');
    expect(after.body).not.toContain(p.surname);
    expect(after.body).toContain(p.id);
    const tomb = await head.get(`/retention/erased/${p.id}`);
    expect(tomb.body).toContain('Hana Head');
    expect(tomb.body).not.toContain(p.surname);
    expect((await head.get(`/pupils/${p.id}`)).statusCode).toBe(404);
    expect((await head.get('/pupils?leavers=1')).body).not.toContain('Erased record');
  });

  it('keeps a record with a reason and a date, and shows the form again with what was typed when it is wrong', async () => {
    const { p, review } = await listedLeaver('2000-06-07');
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const form = await senco.get(`/retention/${review.id}/keep`);
    const version = versionOf(form.body);
    const wrong = await senco.post(`/retention/${review.id}/keep`, {
      version,
      reason: 'Legal hold\u0007',
      'lookAgainOn-day': '31',
      'lookAgainOn-month': '2',
      'lookAgainOn-year': '2027',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('govuk-error-summary');
    const past = await senco.post(`/retention/${review.id}/keep`, {
      version,
      reason: 'Legal hold: claim by the family',
      'lookAgainOn-day': '1',
      'lookAgainOn-month': '1',
      'lookAgainOn-year': '2020',
    });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('The date to look again must be in the future');
    expect(past.body).toContain('Legal hold: claim by the family');
    const kept = await senco.post(`/retention/${review.id}/keep`, {
      version,
      reason: 'Legal hold: claim by the family',
      'lookAgainOn-day': '1',
      'lookAgainOn-month': '9',
      'lookAgainOn-year': '2027',
    });
    expect(kept.statusCode).toBe(303);
    const list = await senco.get('/retention');
    expect(list.body).toContain('Kept for now');
    expect(list.body).toContain('1 September 2027');
    expect(list.body).toContain(p.surname);
  });

  it('is refused to other roles, to another school, with a malformed id, and without the form’s token', async () => {
    const { review } = await listedLeaver('2000-08-09');
    for (const who of [t.w.teacherA, t.w.office, t.w.ta, t.w.governor]) {
      const c = new Client(t.app);
      await c.signIn(who.email);
      expect((await c.get('/retention')).statusCode).toBe(403);
      expect((await c.get(`/retention/${review.id}/erase`)).statusCode).toBe(403);
      expect((await c.get('/')).body).not.toContain('past the retention date');
    }
    const other = new Client(t.app);
    await other.signIn(t.w.otherSenco.email);
    expect((await other.get(`/retention/${review.id}/erase`)).statusCode).toBe(404);
    expect((await other.get(`/retention/${review.id}/keep`)).statusCode).toBe(404);
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    expect((await senco.get('/retention/not-an-id/erase')).statusCode).toBe(404);
    await senco.get(`/retention/${review.id}/erase`);
    const forged = await senco.post(
      `/retention/${review.id}/erase`,
      { version: '1', confirm: 'yes' },
      { csrf: false },
    );
    expect(forged.statusCode).toBe(403);
    const twice = await senco.post(`/retention/${review.id}/erase`, { version: ['1', '1'], confirm: 'yes' });
    expect(twice.statusCode).toBe(400);
    const [row] = await t.database.db.select().from(retentionReview).where(eq(retentionReview.id, review.id));
    expect(row).toBeDefined();
  });

  it('the settings page shows the years and saves them validated', async () => {
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const settings = await senco.get('/settings');
    expect(settings.body).toContain('25 years after the date of birth');
    const form = await senco.get('/settings/retention');
    const version = versionOf(form.body);
    const wrong = await senco.post('/settings/retention', {
      version,
      retentionYears: '5',
      senRetentionYears: 'lots',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('a number from 18 to 100');
    expect(wrong.body).toContain('value="lots"');
    const shorter = await senco.post('/settings/retention', {
      version,
      retentionYears: '30',
      senRetentionYears: '26',
    });
    expect(shorter.statusCode).toBe(400);
    expect(shorter.body).toContain('The SEN file is kept at least as long');
    const saved = await senco.post('/settings/retention', {
      version,
      retentionYears: '26',
      senRetentionYears: '32',
    });
    expect(saved.statusCode).toBe(303);
    expect((await senco.get('/settings')).body).toContain('26 years after the date of birth');
    const v = versionOf((await senco.get('/settings/retention')).body);
    await senco.post('/settings/retention', { version: v, retentionYears: '25', senRetentionYears: '31' });
    const office = new Client(t.app);
    await office.signIn(t.w.office.email);
    expect((await office.get('/settings/retention')).statusCode).toBe(403);
  });
});
