import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { sencoAppointment, staffTraining } from '../../../db/schema/index.ts';

const t = useApp();

async function signedIn(email: string) {
  const client = new Client(t.app);
  await client.signIn(email);
  return client;
}

describe('the staff training pages', () => {
  it('records an INSET for three members of staff and shows it against the register’s needs', async () => {
    const senco = await signedIn(t.w.senco.email);
    const before = await senco.get('/training');
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('Communication and interaction: 2 pupils on the register have');
    await senco.get('/training/new');
    const made = await senco.post('/training/new', {
      userIds: [t.w.teacherA.actor.userId, t.w.teacherB.actor.userId, t.w.ta.actor.userId],
      course: 'Supporting pupils with autism',
      'completedOn-day': '4',
      'completedOn-month': '11',
      'completedOn-year': '2026',
      hours: '1.5',
      area: 'communication_and_interaction',
      provider: 'The SENCo (school-based INSET)',
      notes: '',
    });
    expect(made.statusCode).toBe(303);
    const after = await senco.get('/training');
    expect(after.body).not.toContain('Communication and interaction: 2 pupils on the register have');
    expect(after.body).toContain('Supporting pupils with autism');
    const rows = await t.database.db
      .select()
      .from(staffTraining)
      .where(eq(staffTraining.course, 'Supporting pupils with autism'));
    expect(rows).toHaveLength(3);
    // Each member of staff sees their own training on their account page, read only.
    const ta = await signedIn(t.w.ta.email);
    const account = await ta.get('/account');
    expect(account.body).toContain('Supporting pupils with autism');
    expect((await ta.get('/training')).statusCode).toBe(403);
  });

  it('keeps what was typed when the hours are wrong, and saves nothing', async () => {
    const senco = await signedIn(t.w.senco.email);
    await senco.get('/training/new');
    const response = await senco.post('/training/new', {
      userIds: t.w.office.actor.userId,
      course: 'First aid for epilepsy',
      'completedOn-day': '4',
      'completedOn-month': '11',
      'completedOn-year': '2026',
      hours: 'three',
      area: 'sensory_and_physical',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter the hours as a number from 0.5 to 500');
    expect(response.body).toContain('value="First aid for epilepsy"');
    const rows = await t.database.db
      .select()
      .from(staffTraining)
      .where(eq(staffTraining.course, 'First aid for epilepsy'));
    expect(rows).toHaveLength(0);
  });

  it('shows the SENCO’s qualification countdown to the head', async () => {
    const head = await signedIn(t.w.head.email);
    await head.get('/training/senco/new');
    const made = await head.post('/training/senco/new', {
      userId: t.w.senco.actor.userId,
      'appointedOn-day': '1',
      'appointedOn-month': '9',
      'appointedOn-year': '2024',
      qualification: 'npq_senco',
      'startedOn-day': '1',
      'startedOn-month': '10',
      'startedOn-year': '2025',
      provider: 'Best Practice Network',
    });
    expect(made.statusCode).toBe(303);
    const page = await head.get('/training');
    expect(page.body).toContain(
      'Sam Senco must achieve the NPQ for SENCOs by 1 September 2027: 9 months left',
    );
    const home = await head.get('/');
    expect(home.body).toContain(
      'Sam Senco must achieve the NPQ for SENCOs by 1 September 2027: 9 months left',
    );
  });

  it('refuses the National Award for a SENCo appointed from 1 September 2024, in plain words', async () => {
    const head = await signedIn(t.w.head.email);
    await head.get('/training/senco/new');
    const refused = await head.post('/training/senco/new', {
      userId: t.w.senco.actor.userId,
      'appointedOn-day': '1',
      'appointedOn-month': '9',
      'appointedOn-year': '2024',
      qualification: 'national_award',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(
      'A SENCo who took up the post on or after 1 September 2024 must achieve the NPQ for SENCOs, not the National Award for SEN Co-ordination',
    );
  });

  it('says plainly when the school has no SENCo in post, on the training page and the home page', async () => {
    await t.database.db.delete(sencoAppointment);
    const head = await signedIn(t.w.head.email);
    const page = await head.get('/training');
    expect(page.body).toContain('The school has no SENCo in post');
    expect((await head.get('/')).body).toContain('The school has no SENCo in post');
    await t.services.training.recordSencoAppointment(t.w.head.actor, {
      userId: t.w.senco.actor.userId,
      appointedOn: '2026-09-01',
      qualification: 'npq_senco',
      startedOn: null,
      achievedOn: null,
      provider: null,
      endedOn: null,
    });
    expect((await head.get('/training')).body).not.toContain('The school has no SENCo in post');
    expect((await head.get('/')).body).not.toContain('The school has no SENCo in post');
  });

  it('records an INSET for a whole group ticked at once, and shows its notes on the person’s page', async () => {
    const senco = await signedIn(t.w.senco.email);
    const form = await senco.get('/training/new');
    expect(form.body).toContain('All teaching assistants');
    expect(form.body).toMatch(/Sam Senco \(SENCo[^)]*\)/);
    const made = await senco.post('/training/new', {
      staffGroups: 'teaching_assistants',
      course: 'Zones of regulation',
      'completedOn-day': '4',
      'completedOn-month': '11',
      'completedOn-year': '2026',
      hours: '1',
      area: 'social_emotional_and_mental_health',
      notes: 'Follow-up in the spring',
    });
    expect(made.statusCode).toBe(303);
    const rows = await t.database.db
      .select()
      .from(staffTraining)
      .where(eq(staffTraining.course, 'Zones of regulation'));
    expect(rows.map((r) => r.userId)).toContain(t.w.ta.actor.userId);
    expect(rows.map((r) => r.userId)).not.toContain(t.w.teacherA.actor.userId);
    const person = await senco.get(`/training/staff/${t.w.ta.actor.userId}`);
    expect(person.body).toContain('Follow-up in the spring');
  });

  it('adds a plan item to the year chosen, carried from the year shown', async () => {
    const senco = await signedIn(t.w.senco.email);
    const next = await senco.get('/training?year=2027');
    expect(next.body).toContain('/training/plan/new?year=2027');
    const form = await senco.get('/training/plan/new?year=2027');
    expect(form.body).toMatch(/value="2027" checked/);
    const made = await senco.post('/training/plan/new', {
      academicYear: '2027',
      title: 'Dyslexia-friendly classrooms',
      area: 'cognition_and_learning',
      status: 'planned',
    });
    expect(made.statusCode).toBe(303);
    expect(made.headers.location).toBe('/training?year=2027');
    expect((await senco.get('/training?year=2027')).body).toContain('Dyslexia-friendly classrooms');
    expect((await senco.get('/training')).body).not.toContain('Dyslexia-friendly classrooms');
    const wrong = await senco.post('/training/plan/new', {
      academicYear: '2019',
      title: '',
      area: 'cognition_and_learning',
      status: 'planned',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Choose the academic year from the list');
  });
});
