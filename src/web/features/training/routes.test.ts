import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { staffTraining } from '../../../db/schema/index.ts';

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
});
