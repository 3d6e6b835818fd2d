import { describe, expect, it } from 'vitest';
import { TODAY } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';

const t = useApp();
const [y, m, d] = TODAY.split('-');
const today = { day: String(Number(d)), month: String(Number(m)), year: y! };

describe('a subject access request on the web', () => {
  it('the SENCo records it from the pupil’s page, produces the export, downloads it and records its release', async () => {
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const pupilPage = await senco.get(`/pupils/${t.w.pupilK.id}`);
    expect(pupilPage.body).toContain(`/pupils/${t.w.pupilK.id}/subject-access/new`);
    await senco.get(`/pupils/${t.w.pupilK.id}/subject-access/new`);
    // Wrong: no choice, a date in the future. The form again, with what was typed.
    const wrong = await senco.post(`/pupils/${t.w.pupilK.id}/subject-access/new`, {
      requesterName: 'Kasia Kowalski',
      'receivedOn-day': '1',
      'receivedOn-month': '1',
      'receivedOn-year': '2099',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Select who asked');
    expect(wrong.body).toContain('The date it was received must be today or in the past');
    expect(wrong.body).toContain('value="Kasia Kowalski"');

    const made = await senco.post(`/pupils/${t.w.pupilK.id}/subject-access/new`, {
      requester: 'parent',
      requesterName: 'Kasia Kowalski',
      'receivedOn-day': '2',
      'receivedOn-month': '11',
      'receivedOn-year': '2026',
      notes: 'Identity checked at the office.',
    });
    expect(made.statusCode).toBe(303);
    const page = made.headers.location as string;
    const shown = await senco.get(page);
    expect(shown.body).toContain('2 December 2026');
    expect(shown.body).toContain('Produce the export');
    const home = await senco.get('/');
    expect(home.body).toContain('1 subject access request to answer');

    const id = page.split('/').at(-1)!;
    const version = /name="version" value="(\d+)"/.exec(shown.body)![1]!;
    const produced = await senco.post(`/subject-access/${id}/produce`, { version });
    expect(produced.statusCode).toBe(303);
    const after = await senco.get(page);
    expect(after.body).toContain('Download the export (ZIP)');
    const download = await senco.get(`/subject-access/${id}/export`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="subject-access-/);
    expect(download.rawPayload.subarray(0, 2).toString()).toBe('PK');

    // A release sent from a stale page: the other change is shown, nothing saved.
    const stale = await senco.post(`/subject-access/${id}/release`, {
      version,
      'releasedOn-day': today.day,
      'releasedOn-month': today.month,
      'releasedOn-year': today.year,
    });
    expect(stale.statusCode).toBe(409);
    const fresh = /name="version" value="(\d+)"/.exec(after.body)![1]!;
    const released = await senco.post(`/subject-access/${id}/release`, {
      version: fresh,
      'releasedOn-day': today.day,
      'releasedOn-month': today.month,
      'releasedOn-year': today.year,
    });
    expect(released.statusCode).toBe(303);
    expect((await senco.get(page)).body).toContain('Released on 20 November 2026');
    expect((await senco.get('/')).body).not.toContain('subject access request to answer');
  });

  it('is refused to a class teacher, to another school, and without the form’s token', async () => {
    const id = await t.services.subjectAccess.record(t.w.senco.actor, t.w.pupilK.id, {
      requester: 'pupil',
      requesterName: 'Kit Kowalski',
      receivedOn: TODAY,
      notes: null,
    });
    const teacher = new Client(t.app);
    await teacher.signIn(t.w.teacherA.email);
    expect((await teacher.get(`/subject-access/${id}`)).statusCode).toBe(403);
    expect((await teacher.get(`/pupils/${t.w.pupilK.id}/subject-access/new`)).statusCode).toBe(403);
    expect((await teacher.get(`/pupils/${t.w.pupilK.id}`)).body).not.toContain('subject-access/new');
    const other = new Client(t.app);
    await other.signIn(t.w.otherSenco.email);
    expect((await other.get(`/subject-access/${id}`)).statusCode).toBe(404);
    expect((await other.get(`/subject-access/${id}/export`)).statusCode).toBe(404);
    expect((await other.get(`/pupils/${t.w.pupilK.id}/subject-access/new`)).statusCode).toBe(404);
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const forged = await senco.post(`/subject-access/${id}/produce`, { version: '1' }, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect((await senco.get(`/subject-access/${id}/export`)).statusCode).toBe(404);
  });
});
