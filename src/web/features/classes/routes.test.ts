import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildPupil } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { pupil, schoolClass } from '../../../db/schema/index.ts';

const t = useApp();

async function signedIn(email: string) {
  const client = new Client(t.app);
  await client.signIn(email);
  return client;
}

const countClasses = async () =>
  (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(schoolClass))[0]?.n;

describe('the classes pages', () => {
  it('lists the classes with year groups, teachers and pupils, under a Classes menu item', async () => {
    const client = await signedIn(t.w.office.email);
    const page = await client.get('/classes');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/classes"');
    expect(page.body).toContain('Year 4 Oak');
    expect(page.body).toContain('Tara Teacher');
    const teacher = await signedIn(t.w.teacherA.email);
    expect((await teacher.get('/')).body).not.toContain('href="/classes"');
  });

  it('keeps what was typed when the new class has problems, and saves nothing', async () => {
    const client = await signedIn(t.w.senco.email);
    await client.get('/classes/new');
    const before = await countClasses();
    const response = await client.post('/classes/new', {
      name: 'year 4 oak',
      ncYears: ['3', '4'],
      teacherIds: t.w.teacherB.actor.userId,
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is a problem');
    expect(response.body).toContain('A class named Year 4 Oak is already in use: choose another name');
    expect(response.body).toContain('value="year 4 oak"');
    expect(response.body).toMatch(/value="3" checked/);
    expect(response.body).toMatch(/value="4" checked/);
    expect(response.body).toMatch(new RegExp(`value="${t.w.teacherB.actor.userId}" checked`));
    // Only the school's year groups (Nursery to Year 6) are offered.
    expect(response.body).not.toContain('Year 7');
    expect(await countClasses()).toBe(before);

    const empty = await client.post('/classes/new', { name: '' });
    expect(empty.body).toContain('Enter the class name');
    expect(empty.body).toContain('Select the year groups taught in the class');
  });

  it('adds a class and moves chosen pupils into it from their old class page', async () => {
    const client = await signedIn(t.w.senco.email);
    await client.get('/classes/new');
    const added = await client.post('/classes/new', { name: 'Kingfishers', ncYears: '4' });
    expect(added.statusCode).toBe(303);
    const classId = String(added.headers.location).split('/').pop()!;
    const kingfishers = await client.get(`/classes/${classId}`);
    expect(kingfishers.body).toContain('Kingfishers has been added.');

    const p = await buildPupil(t.database.db, {
      schoolId: t.w.school.id,
      classId: t.w.classA.id,
      surname: 'Mover',
    });
    await client.get(`/classes/${t.w.classA.id}`);
    const bad = await client.post(`/classes/${t.w.classA.id}`, {
      pupilIds: p.id,
      toClassId: '',
      'movedOn-day': '31',
      'movedOn-month': '2',
      'movedOn-year': '2026',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select the class to move them to');
    expect(bad.body).toContain('Date of the move must be a real date');
    expect(bad.body).toMatch(new RegExp(`value="${p.id}" checked`));
    expect(bad.body).toContain('value="31"');

    const moved = await client.post(`/classes/${t.w.classA.id}`, {
      pupilIds: p.id,
      toClassId: classId,
      'movedOn-day': '16',
      'movedOn-month': '11',
      'movedOn-year': '2026',
    });
    expect(moved.statusCode).toBe(303);
    const after = await client.get(String(moved.headers.location));
    expect(after.body).toContain('1 pupil moved from Year 4 Oak to Kingfishers.');
    const [row] = await t.database.db.select().from(pupil).where(eq(pupil.id, p.id));
    expect(row?.classId).toBe(classId);
    const record = await client.get(`/pupils/${p.id}`);
    expect(record.body).toContain('Moved from Year 4 Oak to Kingfishers');
  });

  it('shows the other person’s change after a stale save, keeping the user’s own', async () => {
    const client = await signedIn(t.w.head.email);
    const form = await client.get(`/classes/${t.w.classB.id}/edit`);
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1];
    const [row] = await t.database.db.select().from(schoolClass).where(eq(schoolClass.id, t.w.classB.id));
    await t.services.classes.update(t.w.senco.actor, t.w.classB.id, row!.version, {
      name: 'Year 5 Aspen',
      ncYears: [5],
      teacherIds: [],
    });
    const stale = await client.post(`/classes/${t.w.classB.id}/edit`, {
      name: 'Year 5 Ashes',
      ncYears: '5',
      version: version!,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this class while you were editing');
    expect(stale.body).toContain('Year 5 Aspen');
    expect(stale.body).toContain('value="Year 5 Ashes"');
    // The form now carries the current version: saving again goes through.
    const again = await client.post(`/classes/${t.w.classB.id}/edit`, {
      name: 'Year 5 Ashes',
      ncYears: '5',
      version: String(row!.version + 1),
    });
    expect(again.statusCode).toBe(303);
  });

  it('explains why a class with pupils cannot be archived', async () => {
    const client = await signedIn(t.w.senco.email);
    const page = await client.get(`/classes/${t.w.classA.id}/archive`);
    expect(page.body).toMatch(/Year 4 Oak still has \d+ pupils\. Move them all to another class first/);
    expect(page.body).not.toContain(`action="/classes/${t.w.classA.id}/archive"`);
    const refused = await client.post(`/classes/${t.w.classA.id}/archive`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('There is a problem');
  });

  it('changes one pupil’s class from their record', async () => {
    const client = await signedIn(t.w.office.email);
    const record = await client.get(`/pupils/${t.w.pupilA.id}`);
    expect(record.body).toContain(`href="/pupils/${t.w.pupilA.id}/class"`);
    const form = await client.get(`/pupils/${t.w.pupilA.id}/class`);
    expect(form.statusCode).toBe(200);
    const bad = await client.post(`/pupils/${t.w.pupilA.id}/class`, {
      fromClassId: t.w.classA.id,
      toClassId: 'not-a-class',
      'movedOn-day': '1',
      'movedOn-month': '1',
      'movedOn-year': '2030',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select a class from the list');
    expect(bad.body).toContain('The date of the move must be today or earlier');
    expect(bad.body).toContain('value="2030"');
    const ok = await client.post(`/pupils/${t.w.pupilA.id}/class`, {
      fromClassId: t.w.classA.id,
      toClassId: t.w.classB.id,
      'movedOn-day': '20',
      'movedOn-month': '11',
      'movedOn-year': '2026',
    });
    expect(ok.statusCode).toBe(303);
    expect((await client.get(`/pupils/${t.w.pupilA.id}`)).body).toContain('Amara Adebayo is now in');

    // A class teacher sees no "Change class" on a record they reach.
    const teacher = await signedIn(t.w.teacherTa.email);
    const theirs = await teacher.get(`/pupils/${t.w.pupilA.id}`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain(`/pupils/${t.w.pupilA.id}/class`);
  });
});
