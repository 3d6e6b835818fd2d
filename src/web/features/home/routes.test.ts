import { describe, expect, it } from 'vitest';
import {
  buildClass,
  buildProvisionGroup,
  buildSchool,
  buildStaff,
  TODAY,
} from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';

const t = useApp();

const signedIn = async (email: string) => {
  const client = new Client(t.app);
  await client.signIn(email);
  return client;
};

describe('a new school’s home page', () => {
  it('shows the first steps with a link to each, ticks them off, and drops the list once all are done', async () => {
    const db = t.database.db;
    const school = await buildSchool(db, { name: 'Fresh Primary' });
    const senco = await buildStaff(db, 'senco', { schoolId: school.id, name: 'First Senco' });
    const client = await signedIn(senco.email);
    const home = await client.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('First steps');
    expect(home.body).toContain('You have done 0 of 4 steps');
    for (const href of ['/staff', '/classes', '/import/pupils', '/pupils/find'])
      expect(home.body).toContain(`href="${href}"`);
    await buildClass(db, school.id, 'Year 1 Oak', 1);
    await buildStaff(db, 'class_teacher', { schoolId: school.id });
    const later = await client.get('/');
    expect(later.body).toContain('You have done 2 of 4 steps');
    // A step done is no longer a link in the list.
    expect(home.body).toMatch(/href="\/classes" aria-describedby="first-steps/);
    expect(later.body).not.toMatch(/href="\/classes" aria-describedby="first-steps/);
    // The office sees the list too, with the steps it can do.
    const office = await buildStaff(db, 'office', { schoolId: school.id });
    const theirs = await (await signedIn(office.email)).get('/');
    expect(theirs.body).toContain('You have done 2 of 4 steps');
    expect(theirs.body).toContain('href="/import/pupils"');
  });

  it('is not shown in a school that has done them all, nor to a teacher', async () => {
    for (const email of [t.w.teacherA.email]) {
      expect((await (await signedIn(email)).get('/')).body).not.toContain('First steps');
    }
  });
});

describe('a teaching assistant’s home and “My pupils”', () => {
  it('list their groups with the next session due and a link to record one, and the pupils they work with', async () => {
    const { id: groupId } = await buildProvisionGroup(t.database.db, {
      schoolId: t.w.school.id,
      name: 'Phonics: Year 4',
      deliverer: { userId: t.w.ta.actor.userId, name: 'Tia Assistant' },
      startDate: '2026-09-07',
      sessionsPerWeek: 5,
      minutesPerSession: 15,
      pupilIds: [t.w.pupilK.id],
    });
    const ta = await signedIn(t.w.ta.email);
    const home = await ta.get('/');
    expect(home.body).toContain('Your groups');
    expect(home.body).toContain(`href="/provision/groups/${groupId}"`);
    expect(home.body).toContain(`href="/provision/groups/${groupId}/sessions/new"`);
    expect(home.body).toContain('Record today’s session of Phonics: Year 4');
    expect(home.body).toContain('<strong>Today</strong>');
    expect(home.body).toContain('Pupils you work with');
    expect(home.body).toContain('Evans, Eli');
    expect(home.body).toContain('Kowalski, Kit');
    expect(home.body).toContain('EHC plan (E)');
    const mine = await ta.get('/my-pupils');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Pupils you work with');
    expect(mine.body).toContain('Year 4 Oak');
    expect(mine.body).toContain('Record a session<span class="govuk-visually-hidden"> of Phonics: Year 4');
    expect(TODAY).toBe('2026-11-20');
  });

  it('shows the office and the SEN governor no pupils of their own', async () => {
    for (const email of [t.w.office.email, t.w.governor.email]) {
      const body = (await (await signedIn(email)).get('/')).body;
      expect(body).not.toContain('Pupils you work with');
      expect(body).not.toContain('Your groups');
    }
  });
});
