import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { auditEvent, pupil } from '../../../db/schema/index.ts';
import { makeUpn } from '../../../domain/upn.ts';

const t = useApp();

describe('forms keep what the user typed and save nothing on bad input', () => {
  it('lists every problem on the new-pupil form', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.office.email);
    const form = await client.get('/pupils/new');
    // The parent or carer named with a new pupil has parental responsibility unless the office says not.
    expect(form.body).toMatch(/name="parentalResponsibility" type="checkbox" value="yes" checked/);
    const before = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(pupil);
    const response = await client.post('/pupils/new', {
      upn: 'A12345',
      forename: 'Zainab',
      surname: 'x'.repeat(150),
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '2019',
      attendancePercent: '140',
      parentName: 'Zara Mum',
    });
    expect(response.statusCode).toBe(400);
    const body = response.body;
    expect(body).toContain('There is a problem');
    expect(body).toContain('UPN must be 13 characters');
    expect(body).toContain('Last name must be 100 characters or fewer');
    expect(body).toContain('Date of birth must be a real date');
    expect(body).toContain('Select the pupil’s sex');
    expect(body).toContain('Attendance must be a percentage from 0 to 100');
    expect(body).toContain('Enter their relationship to the pupil');
    expect(body).toContain('href="#dateOfBirth-day"');
    expect(body).toContain('value="Zainab"');
    expect(body).toContain('value="Zara Mum"');
    expect(body).toContain('<title>Error: Add a pupil');
    const after = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(pupil);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('refuses a date of birth in the future and a wrong check letter', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.office.email);
    await client.get('/pupils/new');
    const upn = makeUpn('999', '2001', 26, 77);
    const wrong = (upn[0] === 'A' ? 'B' : 'A') + upn.slice(1);
    const response = await client.post('/pupils/new', {
      upn: wrong,
      forename: 'Zainab',
      surname: 'Zaman',
      sex: 'female',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '1',
      'dateOfBirth-year': '2030',
    });
    expect(response.body).toContain('Date of birth must be in the past');
    const second = await client.post('/pupils/new', {
      upn: wrong,
      forename: 'Zainab',
      surname: 'Zaman',
      sex: 'female',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '1',
      'dateOfBirth-year': '2019',
    });
    expect(second.statusCode).toBe(400);
    expect(second.body).toContain('UPN check letter is wrong');
  });

  it('adds a pupil when the form is right', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.office.email);
    await client.get('/pupils/new');
    const response = await client.post('/pupils/new', {
      upn: makeUpn('999', '2001', 26, 78),
      forename: 'Zainab',
      surname: 'Zaman',
      sex: 'female',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '1',
      'dateOfBirth-year': '2019',
      classId: t.w.classA.id,
      flags: ['eal', 'pupilPremium'],
    });
    expect(response.statusCode).toBe(303);
    const page = await client.get(String(response.headers.location));
    expect(page.body).toContain('Zainab Zaman has been added');
    expect(page.body).toContain('English as an additional language (EAL)');
  });
});

describe('parents and carers', () => {
  it('can be corrected and removed by office staff, each change audited', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.office.email);
    const form = await client.get(`/pupils/${t.w.pupilK.id}/parents/${t.w.parentK.id}/edit`);
    expect(form.body).toContain('value="07700 900111"');
    const bad = await client.post(`/pupils/${t.w.pupilK.id}/parents/${t.w.parentK.id}/edit`, {
      version: '1',
      parentName: 'Kasia Kowalski',
      relationship: 'Mother',
      phone: 'call me',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a telephone number');
    expect(bad.body).toContain('value="call me"');
    const saved = await client.post(`/pupils/${t.w.pupilK.id}/parents/${t.w.parentK.id}/edit`, {
      version: '1',
      parentName: 'Kasia Kowalski',
      relationship: 'Mother',
      phone: '07700 900222',
      parentalResponsibility: 'yes',
      courtOrder: 'yes',
    });
    expect(saved.statusCode).toBe(303);
    const page = await client.get(`/pupils/${t.w.pupilK.id}`);
    expect(page.body).toContain('07700 900222');
    expect(page.body).not.toContain('07700 900111');
    // The court order is shown with her details, and she is no longer offered an invitation.
    expect(page.body).toContain('Recorded: not to be invited to OpenSEND');
    expect(page.body).not.toContain('Invite to OpenSEND<span class="govuk-visually-hidden">: Kasia Kowalski');
    const edit = await client.get(`/pupils/${t.w.pupilK.id}/parents/${t.w.parentK.id}/edit`);
    expect(edit.body).toMatch(/name="courtOrder" type="checkbox" value="yes" checked/);
    await client.post(`/pupils/${t.w.pupilK.id}/parents/${t.w.parentK.id}/remove`);
    const after = await client.get(`/pupils/${t.w.pupilK.id}`);
    expect(after.body).toContain('Kasia Kowalski has been removed');
    expect(after.body).toContain('No parents or carers recorded.');
    const rows = await t.database.db.select().from(auditEvent).where(eq(auditEvent.pupilId, t.w.pupilK.id));
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['pupil.parent_changed', 'pupil.parent_removed']),
    );
  });
});

describe('finding a pupil to raise a concern', () => {
  it('is refused, and the refusal recorded, for the SEN governor and the officer, with or without a search', async () => {
    for (const [who, email] of [
      ['governor', t.w.governor.email],
      ['officer', t.w.officer.email],
    ] as const) {
      const client = new Client(t.app);
      await client.signIn(email);
      const userId = who === 'governor' ? t.w.governor.actor.userId : t.w.officer.actor.userId;
      const refusals = async () =>
        (
          await t.database.db
            .select({ n: sql<number>`count(*)::int` })
            .from(auditEvent)
            .where(sql`${auditEvent.action} = 'access.refused' and ${auditEvent.userId} = ${userId}`)
        )[0]?.n ?? 0;
      for (const url of ['/pupils/find', '/pupils/find?q=ev']) {
        const before = await refusals();
        const response = await client.get(url);
        expect(response.statusCode, `${who} ${url}`).toBe(403);
        expect(response.body).not.toContain('Find a pupil to raise a concern');
        expect(await refusals(), `${who} ${url}`).toBe(before + 1);
      }
    }
  });

  it('opens for anyone on the staff, the empty search included', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.ta.email);
    const response = await client.get('/pupils/find');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Find a pupil to raise a concern');
  });
});
