import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { complaint } from '../../../db/schema/index.ts';

const t = useApp();

async function signedIn(email: string) {
  const client = new Client(t.app);
  await client.signIn(email);
  return client;
}

const idFrom = (location: unknown) => String(location).split('/').pop()!;

describe('the complaints pages', () => {
  it('records a formal complaint, answers it, escalates it to the head and closes it', async () => {
    const senco = await signedIn(t.w.senco.email);
    expect((await senco.get('/complaints')).body).toContain('15 school days');
    await senco.get('/complaints/new');
    const made = await senco.post('/complaints/new', {
      kind: 'formal',
      'receivedOn-day': '2',
      'receivedOn-month': '11',
      'receivedOn-year': '2026',
      complainantName: 'Kasia Kowalski',
      complainantRelationship: 'Mother',
      pupilId: t.w.pupilK.id,
      summary: 'Speech sessions missed',
      handledBy: '',
    });
    expect(made.statusCode).toBe(303);
    const id = idFrom(made.headers.location);
    const page = await senco.get(`/complaints/${id}`);
    expect(page.body).toContain('Stage 1 (usually the SENCo)');
    expect(page.body).toContain('Complaint from Kasia Kowalski');
    expect(page.body).toContain('23 November 2026');
    await senco.get(`/complaints/${id}/respond`);
    const answered = await senco.post(`/complaints/${id}/respond`, {
      version: '1',
      response: 'Sessions restart on Monday.',
      'respondedOn-day': '10',
      'respondedOn-month': '11',
      'respondedOn-year': '2026',
    });
    expect(answered.statusCode).toBe(303);
    await senco.get(`/complaints/${id}/escalate`);
    const escalated = await senco.post(`/complaints/${id}/escalate`, {
      version: '2',
      handledBy: '',
      'startedOn-day': '12',
      'startedOn-month': '11',
      'startedOn-year': '2026',
    });
    expect(escalated.statusCode).toBe(303);
    const head = await signedIn(t.w.head.email);
    const headPage = await head.get(`/complaints/${id}`);
    expect(headPage.body).toContain('Stage 2 (usually the head teacher): handled by Hana Head');
    expect(headPage.body).toContain('Hana Head');
    await head.get(`/complaints/${id}/close`);
    const closed = await head.post(`/complaints/${id}/close`, {
      version: '3',
      outcome: 'partly_upheld',
      outcomeSummary: 'Sessions were missed.',
      'closedOn-day': '19',
      'closedOn-month': '11',
      'closedOn-year': '2026',
    });
    expect(closed.statusCode).toBe(303);
    const [row] = await t.database.db.select().from(complaint).where(eq(complaint.id, id));
    expect(row).toMatchObject({ status: 'closed', outcome: 'partly_upheld', stage: 'head_teacher' });
  });

  it('shows every error of the close form in one round', async () => {
    const id = await t.services.complaints.create(t.w.senco.actor, {
      kind: 'concern',
      receivedOn: '2026-11-10',
      complainantName: 'Mr Okafor',
      complainantRelationship: null,
      pupilId: null,
      summary: 'Lunchtime support',
      aboutUserIds: [],
      handledBy: null,
    });
    const senco = await signedIn(t.w.senco.email);
    const page = await senco.get(`/complaints/${id}`);
    expect(page.body).toContain('Informal concern from Mr Okafor');
    expect(page.body).toContain('Informal concern (complaint)');
    await senco.get(`/complaints/${id}/close`);
    const response = await senco.post(`/complaints/${id}/close`, {
      version: '1',
      outcome: '',
      'closedOn-day': '2',
      'closedOn-month': '11',
      'closedOn-year': '2026',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Select the outcome');
    expect(response.body).toContain('The date it was closed must be on or after it was received');
    const wrongKind = await senco.post(`/complaints/${id}/close`, {
      version: '1',
      outcome: 'upheld',
      'closedOn-day': '',
      'closedOn-month': '',
      'closedOn-year': '',
    });
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.body).toContain('Enter the date it was closed');
    expect(wrongKind.body).toContain('An informal concern is closed as resolved or withdrawn');
    const [row] = await t.database.db.select().from(complaint).where(eq(complaint.id, id));
    expect(row?.status).toBe('open');
  });

  it('lists overdue responses first, with who handles them, and filters to them', async () => {
    const late = await t.services.complaints.create(t.w.senco.actor, {
      kind: 'formal',
      receivedOn: '2026-10-01',
      complainantName: 'Ms Late',
      complainantRelationship: null,
      pupilId: null,
      summary: 'Old one',
      aboutUserIds: [],
      handledBy: null,
    });
    await t.services.complaints.create(t.w.senco.actor, {
      kind: 'formal',
      receivedOn: '2026-11-19',
      complainantName: 'Mr Recent',
      complainantRelationship: null,
      pupilId: null,
      summary: 'New one',
      aboutUserIds: [],
      handledBy: null,
    });
    const senco = await signedIn(t.w.senco.email);
    const log = await senco.get('/complaints');
    expect(log.body.indexOf('Ms Late')).toBeGreaterThan(0);
    expect(log.body.indexOf('Ms Late')).toBeLessThan(log.body.indexOf('Mr Recent'));
    expect(log.body).toContain('Handled by Sam Senco');
    expect(log.body).not.toContain('>Overdue</strong> Overdue');
    const overdue = await senco.get('/complaints?status=overdue');
    expect(overdue.statusCode).toBe(200);
    expect(overdue.body).toContain(`/complaints/${late}`);
    expect(overdue.body).not.toContain('Mr Recent');
    const home = await senco.get('/');
    expect(home.body).toContain('/complaints?status=overdue');
  });

  it('keeps what was typed when the complaint has problems, and saves nothing', async () => {
    const senco = await signedIn(t.w.senco.email);
    await senco.get('/complaints/new');
    const before = (await t.database.db.select().from(complaint)).length;
    const response = await senco.post('/complaints/new', {
      kind: 'formal',
      'receivedOn-day': '31',
      'receivedOn-month': '2',
      'receivedOn-year': '2026',
      complainantName: '',
      summary: 'Typed text stays',
      pupilId: 'not-an-id',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter the name of the person complaining');
    expect(response.body).toContain('Date it was received must be a real date');
    expect(response.body).toContain('Choose a pupil from the list');
    expect(response.body).toContain('Typed text stays');
    // Each pupil is told apart by class and date of birth; each member of staff by their roles.
    expect(response.body).toMatch(/Kowalski, [A-Za-z]+ \([^)]*, born \d{1,2} [A-Z][a-z]+ \d{4}\)/);
    expect(response.body).toContain('Hana Head (Head teacher)');
    expect(response.body).toContain('Formal complaints only');
    expect((await t.database.db.select().from(complaint)).length).toBe(before);
  });

  it('shows a stale save the other change and keeps the user’s text', async () => {
    const senco = await signedIn(t.w.senco.email);
    const id = await t.services.complaints.create(t.w.senco.actor, {
      kind: 'formal',
      receivedOn: '2026-11-02',
      complainantName: 'Mr Evans',
      complainantRelationship: null,
      pupilId: null,
      summary: 'Transport',
      aboutUserIds: [],
      handledBy: null,
    });
    await t.services.complaints.respond(t.w.head.actor, id, 1, {
      response: 'The head’s answer',
      respondedOn: '2026-11-05',
    });
    await senco.get(`/complaints/${id}/respond`);
    const stale = await senco.post(`/complaints/${id}/respond`, {
      version: '1',
      response: 'My own answer',
      'respondedOn-day': '6',
      'respondedOn-month': '11',
      'respondedOn-year': '2026',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this complaint');
    expect(stale.body).toContain('The head’s answer');
    expect(stale.body).toContain('My own answer');
  });

  it('gives the head "not found" for a complaint about her, and leaves it out of her log', async () => {
    const id = await t.services.complaints.create(t.w.senco.actor, {
      kind: 'formal',
      receivedOn: '2026-11-16',
      complainantName: 'Ms Adebayo',
      complainantRelationship: null,
      pupilId: null,
      summary: 'About the head’s handling of a meeting',
      aboutUserIds: [t.w.head.actor.userId],
      handledBy: null,
    });
    const head = await signedIn(t.w.head.email);
    expect((await head.get(`/complaints/${id}`)).statusCode).toBe(404);
    expect((await head.get(`/complaints/${id}/respond`)).statusCode).toBe(404);
    expect((await head.get('/complaints')).body).not.toContain('Ms Adebayo');
    const senco = await signedIn(t.w.senco.email);
    expect((await senco.get('/complaints')).body).toContain('Ms Adebayo');
    expect((await senco.get('/complaints?kind=nonsense&status=%00')).statusCode).toBe(200);
  });

  it('shows a complaint naming a pupil in their record only to those who manage complaints', async () => {
    await t.services.complaints.create(t.w.senco.actor, {
      kind: 'concern',
      receivedOn: '2026-11-18',
      complainantName: 'Kasia Kowalski',
      complainantRelationship: 'Mother',
      pupilId: t.w.pupilK.id,
      summary: 'Worried about the reading book level',
      aboutUserIds: [],
      handledBy: null,
    });
    const senco = await signedIn(t.w.senco.email);
    const record = await senco.get(`/pupils/${t.w.pupilK.id}`);
    expect(record.body).toContain('id="complaints"');
    expect(record.body).toContain('Worried about the reading book level');
    const teacher = await signedIn(t.w.teacherA.email);
    const theirs = await teacher.get(`/pupils/${t.w.pupilK.id}`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('Worried about the reading book level');
  });
});
