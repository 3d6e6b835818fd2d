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

describe('a parent signing in on a new device', () => {
  it('is asked for the code sent by email, told how many tries are left, and remembered once it is right', async () => {
    const { latestSignInCode } = await import('../../../../test/sign-in-code.ts');
    const client = new Client(t.app);
    await client.get('/sign-in');
    const first = await client.post('/sign-in', {
      email: t.w.parent.email,
      password: TEST_PASSWORD,
      returnTo: '/children',
    });
    expect(first.headers.location).toBe('/sign-in/code');
    // Without the code, no page opens.
    expect((await client.get('/children')).headers.location).toMatch(/^\/sign-in/);
    const page = await client.get('/sign-in/code');
    expect(page.body).toContain('Enter the code we emailed you');
    const code = await latestSignInCode(t.database, t.w.parent.email);
    const wrong = await client.post('/sign-in/code', { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('That code is not right. You have 4 more tries.');
    expect((await client.post('/sign-in/code', { code: 'abc' })).body).toContain(
      'Enter the 6-digit code from the email',
    );
    const right = await client.post('/sign-in/code', { code: ` ${code.slice(0, 3)} ${code.slice(3)} ` });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe('/account/after-sign-in?returnTo=%2Fchildren');
    expect(right.cookies.find((c) => c.name === 'opensend_device')?.httpOnly).toBe(true);
    // Signed out and in again on the same browser: the password alone.
    await client.post('/sign-out');
    await client.get('/sign-in');
    const again = await client.post('/sign-in', {
      email: t.w.parent.email,
      password: TEST_PASSWORD,
      returnTo: '/',
    });
    expect(again.headers.location).toBe('/account/after-sign-in?returnTo=%2F');
  });
});

describe('forgetting every device', () => {
  it('signs the person out everywhere but here, and leaves another account’s token in a shared browser’s cookie', async () => {
    const shared = new Client(t.app);
    await shared.signIn(t.w.parent.email);
    await shared.post('/sign-out');
    await shared.signIn(t.w.professional.email);
    const elsewhere = new Client(t.app);
    await elsewhere.signIn(t.w.professional.email);
    expect((await elsewhere.get('/account/devices')).statusCode).toBe(200);

    await shared.get('/account/devices');
    const forgot = await shared.post('/account/devices');
    expect(forgot.statusCode).toBe(303);
    const device = forgot.cookies.find((c) => c.name === 'opensend_device');
    // One token is left: the parent's (a token is 43 characters, tokens are joined by dots).
    expect(device?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await shared.get('/account/devices')).statusCode).toBe(200);
    expect((await elsewhere.get('/account/devices')).headers.location).toMatch(/^\/sign-in/);

    // The parent still signs in on the shared browser with the password alone; the professional needs a code.
    await shared.post('/sign-out');
    await shared.get('/sign-in');
    const parent = await shared.post('/sign-in', {
      email: t.w.parent.email,
      password: TEST_PASSWORD,
      returnTo: '/',
    });
    expect(parent.headers.location).toBe('/account/after-sign-in?returnTo=%2F');
    await shared.post('/sign-out');
    await shared.get('/sign-in');
    const professional = await shared.post('/sign-in', {
      email: t.w.professional.email,
      password: TEST_PASSWORD,
      returnTo: '/',
    });
    expect(professional.headers.location).toBe('/sign-in/code');
  });
});
