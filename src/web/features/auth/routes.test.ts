import { describe, expect, it } from 'vitest';
import { addMembership, TEST_PASSWORD } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';

const t = useApp();

describe('people who work in two schools', () => {
  it('choose the school after signing in, see only that school, and switch without signing out', async () => {
    await addMembership(t.database.db, t.w.head.actor.userId, t.w.otherSchool.id, ['office']);
    const client = new Client(t.app);
    await client.get('/sign-in');
    const signIn = await client.post('/sign-in', {
      email: t.w.head.email,
      password: TEST_PASSWORD,
      returnTo: '/',
    });
    expect((await client.get(String(signIn.headers.location))).headers.location).toBe('/choose');
    expect((await client.get('/pupils')).headers.location).toBe('/choose');
    const page = await client.get('/choose');
    expect(page.body).toContain('Oakfield Primary');
    expect(page.body).toContain('Elsewhere Primary');
    expect((await client.post('/choose', { place: `school:${t.w.otherPupil.id}` })).statusCode).toBe(400);
    const chosen = await client.post('/choose', { place: `school:${t.w.school.id}` });
    expect(chosen.headers.location).toBe('/');
    const pupils = await client.get('/pupils');
    expect(pupils.body).toContain('Kowalski, Kit');
    expect(pupils.body).not.toContain('Other, Otto');
    await client.get('/choose');
    await client.post('/choose', { place: `school:${t.w.otherSchool.id}` });
    const theirs = await client.get('/pupils');
    expect(theirs.body).toContain('Other, Otto');
    expect(theirs.body).not.toContain('Kowalski, Kit');
  });
});
