import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addMembership,
  buildWorld,
  TEST_PASSWORD,
  testServices,
  type World,
} from '../../test/builders/index.ts';
import { Client, testApp } from '../../test/client.ts';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import { auditEvent, pupil, registerEntry } from '../db/schema/index.ts';
import { makeUpn } from '../domain/upn.ts';
import type { Services } from '../services/index.ts';
import { ValidationError } from '../services/kernel/errors.ts';
import { buildApp } from './app.ts';

let database: Database;
let w: World;
let app: Awaited<ReturnType<typeof testApp>>['app'];

beforeAll(async () => {
  database = await freshDatabase();
  w = await buildWorld(database);
  ({ app } = await testApp(database));
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe('health and errors', () => {
  it('answers healthz with the database kind', async () => {
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    });
  });

  it('shows a GOV.UK-style 404 page', async () => {
    const client = new Client(app);
    await client.signIn(w.senco.email);
    const response = await client.get('/no-such-page');
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Page not found');
  });

  it('shows a 500 page with a reference and no stack trace', async () => {
    const services = testServices(database);
    const broken = {
      ...services,
      register: {
        ...services.register,
        list: async () => {
          throw new Error('database exploded at secret.ts:42');
        },
      },
    } as Services;
    const brokenApp = await buildApp(broken, {
      sessionSecret: 'test-secret-that-is-long-enough-0123456789',
      logLevel: 'silent',
    });
    const client = new Client(brokenApp);
    await client.signIn(w.senco.email);
    const response = await client.get('/register');
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('Sorry, there is a problem with OpenSEND');
    expect(response.body).not.toContain('exploded');
    expect(response.body).not.toContain('secret.ts');
    expect(response.body).toMatch(/<strong>[0-9a-f-]{36}<\/strong>/);
    await brokenApp.close();
  });
});

describe('security', () => {
  it('answers a rule broken outside a form with 400 and the rule, not a server error', async () => {
    const services = testServices(database);
    const strict = {
      ...services,
      register: {
        ...services.register,
        list: async () => {
          throw new ValidationError([{ field: 'stage', message: 'Select a stage from the list' }]);
        },
      },
    } as Services;
    const strictApp = await buildApp(strict, {
      sessionSecret: 'test-secret-that-is-long-enough-0123456789',
      logLevel: 'silent',
    });
    const client = new Client(strictApp);
    await client.signIn(w.senco.email);
    const response = await client.get('/register');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Select a stage from the list');
    expect(response.body).toContain('Nothing was saved');
    await strictApp.close();
  });

  it('sends secure headers: a CSP without inline script, nosniff, frame-ancestors none, no-store', async () => {
    const response = await app.inject('/sign-in');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS and secure cookies behind HTTPS', async () => {
    const proxied = await buildApp(testServices(database), {
      sessionSecret: 'test-secret-that-is-long-enough-0123456789',
      logLevel: 'silent',
      trustProxy: 1,
    });
    const response = await proxied.inject({ url: '/sign-in', headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.cookies.find((c) => c.name === 'opensend_csrf')?.secure).toBe(true);
    await proxied.close();
  });

  it('sets the session cookie HttpOnly and SameSite', async () => {
    const client = new Client(app);
    const response = await client.signIn(w.head.email);
    const cookie = response.cookies.find((c) => c.name === 'opensend_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
  });

  it('refuses a form without its CSRF token, and saves nothing', async () => {
    const client = new Client(app);
    await client.signIn(w.senco.email);
    const response = await client.post('/pupils/new', { forename: 'X' }, { csrf: false });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Your form could not be sent');
    const signIn = await new Client(app).post(
      '/sign-in',
      { email: w.senco.email, password: 'x' },
      { csrf: false },
    );
    expect(signIn.statusCode).toBe(403);
  });

  it('says plainly when the email or password is wrong, and keeps the email', async () => {
    const client = new Client(app);
    await client.get('/sign-in');
    const response = await client.post('/sign-in', { email: w.teacherB.email, password: 'not the password' });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('Enter a correct email address and password');
    expect(response.body).toContain(`value="${w.teacherB.email}"`);
  });

  it('sends signed-out visitors to sign in, then back where they were going', async () => {
    const client = new Client(app);
    const response = await client.get('/register?stage=ehc_plan');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Fregister%3Fstage%3Dehc_plan');
    const page = await client.get(String(response.headers.location));
    expect(page.body).toContain('value="/register?stage=ehc_plan"');
    const signIn = await client.post('/sign-in', {
      email: w.senco.email,
      password: 'correct horse battery staple',
      returnTo: '//evil.example/',
    });
    expect(signIn.headers.location).toBe('/account/after-sign-in?returnTo=%2F');
    expect((await client.get(String(signIn.headers.location))).headers.location).toBe('/');
  });
});

describe('people who work in two schools', () => {
  it('choose the school after signing in, see only that school, and switch without signing out', async () => {
    await addMembership(database.db, w.head.actor.userId, w.otherSchool.id, ['office']);
    const client = new Client(app);
    await client.get('/sign-in');
    const signIn = await client.post('/sign-in', {
      email: w.head.email,
      password: TEST_PASSWORD,
      returnTo: '/',
    });
    expect((await client.get(String(signIn.headers.location))).headers.location).toBe('/choose');
    expect((await client.get('/pupils')).headers.location).toBe('/choose');
    const page = await client.get('/choose');
    expect(page.body).toContain('Oakfield Primary');
    expect(page.body).toContain('Elsewhere Primary');
    expect((await client.post('/choose', { place: `school:${w.otherPupil.id}` })).statusCode).toBe(400);
    const chosen = await client.post('/choose', { place: `school:${w.school.id}` });
    expect(chosen.headers.location).toBe('/');
    const pupils = await client.get('/pupils');
    expect(pupils.body).toContain('Kowalski, Kit');
    expect(pupils.body).not.toContain('Other, Otto');
    await client.get('/choose');
    await client.post('/choose', { place: `school:${w.otherSchool.id}` });
    const theirs = await client.get('/pupils');
    expect(theirs.body).toContain('Other, Otto');
    expect(theirs.body).not.toContain('Kowalski, Kit');
  });
});

describe('forms keep what the user typed and save nothing on bad input', () => {
  it('lists every problem on the new-pupil form', async () => {
    const client = new Client(app);
    await client.signIn(w.office.email);
    await client.get('/pupils/new');
    const before = await database.db.select({ n: sql<number>`count(*)::int` }).from(pupil);
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
    const after = await database.db.select({ n: sql<number>`count(*)::int` }).from(pupil);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('refuses a date of birth in the future and a wrong check letter', async () => {
    const client = new Client(app);
    await client.signIn(w.office.email);
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
    const client = new Client(app);
    await client.signIn(w.office.email);
    await client.get('/pupils/new');
    const response = await client.post('/pupils/new', {
      upn: makeUpn('999', '2001', 26, 78),
      forename: 'Zainab',
      surname: 'Zaman',
      sex: 'female',
      'dateOfBirth-day': '1',
      'dateOfBirth-month': '1',
      'dateOfBirth-year': '2019',
      classId: w.classA.id,
      flags: ['eal', 'pupilPremium'],
    });
    expect(response.statusCode).toBe(303);
    const page = await client.get(String(response.headers.location));
    expect(page.body).toContain('Zainab Zaman has been added');
    expect(page.body).toContain('English as an additional language (EAL)');
  });
});

describe('SEN decisions keep what the SENCo typed when a rule is broken', () => {
  it('explains the census rule on the change-stage form and saves nothing', async () => {
    const client = new Client(app);
    await client.signIn(w.senco.email);
    await client.get(`/pupils/${w.pupilA.id}/register`);
    const response = await client.post(`/pupils/${w.pupilA.id}/register`, {
      version: '1',
      stage: 'ehc_plan',
      primaryNeed: 'NSA',
      'effectiveDate-day': '2',
      'effectiveDate-month': '11',
      'effectiveDate-year': '2026',
      reason: 'EHC plan issued by the local authority',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(
      'NSA (no specialist assessment) can only be used for pupils at SEN support',
    );
    expect(response.body).toContain('EHC plan issued by the local authority');
    expect(response.body).toMatch(/value="ehc_plan" checked/);
    const entries = await database.db
      .select()
      .from(registerEntry)
      .where(eq(registerEntry.pupilId, w.pupilA.id));
    expect(entries).toHaveLength(0);
  });

  it('asks for the primary need when a concern leads to SEN support, and leaves the concern open', async () => {
    const services = testServices(database);
    const concernId = await services.concerns.raise(w.teacherA.actor, w.pupilA.id, {
      kind: 'send',
      concernDate: '2026-11-10',
      reasons: 'Reasons',
      classroomEvidence: 'Evidence',
      areasOfNeed: ['cognition_and_learning'],
      interventionsTried: [],
    });
    const client = new Client(app);
    await client.signIn(w.senco.email);
    await client.get(`/concerns/${concernId}/review`);
    const response = await client.post(`/concerns/${concernId}/review`, {
      version: '1',
      outcome: 'sen_support',
      actionTaken: 'Support plan with parents',
      'reviewedOn-day': '12',
      'reviewedOn-month': '11',
      'reviewedOn-year': '2026',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Select the primary need for a pupil at SEN support');
    expect(response.body).toContain('Support plan with parents');
    const still = await services.concerns.view(w.senco.actor, concernId);
    expect(still.concern.status).toBe('open');
  });
});

describe('parents and carers', () => {
  it('can be corrected and removed by office staff, each change audited', async () => {
    const client = new Client(app);
    await client.signIn(w.office.email);
    const form = await client.get(`/pupils/${w.pupilK.id}/parents/${w.parentK.id}/edit`);
    expect(form.body).toContain('value="07700 900111"');
    const bad = await client.post(`/pupils/${w.pupilK.id}/parents/${w.parentK.id}/edit`, {
      version: '1',
      parentName: 'Kasia Kowalski',
      relationship: 'Mother',
      phone: 'call me',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a telephone number');
    expect(bad.body).toContain('value="call me"');
    const saved = await client.post(`/pupils/${w.pupilK.id}/parents/${w.parentK.id}/edit`, {
      version: '1',
      parentName: 'Kasia Kowalski',
      relationship: 'Mother',
      phone: '07700 900222',
      parentalResponsibility: 'yes',
    });
    expect(saved.statusCode).toBe(303);
    const page = await client.get(`/pupils/${w.pupilK.id}`);
    expect(page.body).toContain('07700 900222');
    expect(page.body).not.toContain('07700 900111');
    await client.post(`/pupils/${w.pupilK.id}/parents/${w.parentK.id}/remove`);
    const after = await client.get(`/pupils/${w.pupilK.id}`);
    expect(after.body).toContain('Kasia Kowalski has been removed');
    expect(after.body).toContain('No parents or carers recorded.');
    const rows = await database.db.select().from(auditEvent).where(eq(auditEvent.pupilId, w.pupilK.id));
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['pupil.parent_changed', 'pupil.parent_removed']),
    );
  });
});

describe('the register', () => {
  it('downloads as CSV with formulas neutralised', async () => {
    await database.db
      .update(pupil)
      .set({ surname: '=HYPERLINK("http://evil.example","x")' })
      .where(eq(pupil.id, w.pupilE.id));
    const client = new Client(app);
    await client.signIn(w.senco.email);
    const response = await client.get('/register.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toContain('attachment; filename="sen-register-');
    expect(response.body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(response.body).toContain('Kowalski,Kit');
    expect(response.body).not.toContain('Adebayo');
    await database.db.update(pupil).set({ surname: 'Evans' }).where(eq(pupil.id, w.pupilE.id));
  });

  it('filters by stage and shows counts', async () => {
    const client = new Client(app);
    await client.signIn(w.senco.email);
    const response = await client.get('/register?stage=ehc_plan');
    expect(response.body).toContain('Evans, Eli');
    expect(response.body).not.toContain('Kowalski, Kit');
    expect(response.body).toContain('1 pupil listed');
  });

  it('leaves an audit entry when a user asks for another school’s pupil', async () => {
    const client = new Client(app);
    await client.signIn(w.senco.email);
    const response = await client.get(`/pupils/${w.otherPupil.id}`);
    expect(response.statusCode).toBe(404);
    const rows = await database.db.select().from(auditEvent).where(eq(auditEvent.pupilId, w.otherPupil.id));
    expect(rows.map((r) => r.action)).toContain('access.probe_from_other_school');
    expect(rows.every((r) => r.requestId)).toBe(true);
  });
});
