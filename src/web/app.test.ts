import { describe, expect, it } from 'vitest';
import { testServices } from '../../test/builders/index.ts';
import { Client, useApp } from '../../test/client.ts';
import type { Services } from '../services/index.ts';
import { ValidationError } from '../services/kernel/errors.ts';
import { buildApp } from './app.ts';

const t = useApp();

describe('health and errors', () => {
  it('answers healthz with the database kind', async () => {
    const response = await t.app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    });
  });

  it('shows a GOV.UK-style 404 page', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.senco.email);
    const response = await client.get('/no-such-page');
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('Page not found');
  });

  it('shows a 500 page with a reference and no stack trace', async () => {
    const services = testServices(t.database);
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
    await client.signIn(t.w.senco.email);
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
    const services = testServices(t.database);
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
    await client.signIn(t.w.senco.email);
    const response = await client.get('/register');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Select a stage from the list');
    expect(response.body).toContain('Nothing was saved');
    await strictApp.close();
  });

  it('sends secure headers: a CSP without inline script, nosniff, frame-ancestors none, no-store', async () => {
    const response = await t.app.inject('/sign-in');
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
    const proxied = await buildApp(testServices(t.database), {
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
    const client = new Client(t.app);
    const response = await client.signIn(t.w.head.email);
    const cookie = response.cookies.find((c) => c.name === 'opensend_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
  });

  it('refuses a form without its CSRF token, and saves nothing', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.senco.email);
    const response = await client.post('/pupils/new', { forename: 'X' }, { csrf: false });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Your form could not be sent');
    const signIn = await new Client(t.app).post(
      '/sign-in',
      { email: t.w.senco.email, password: 'x' },
      { csrf: false },
    );
    expect(signIn.statusCode).toBe(403);
  });

  it('says plainly when the email or password is wrong, and keeps the email', async () => {
    const client = new Client(t.app);
    await client.get('/sign-in');
    const response = await client.post('/sign-in', {
      email: t.w.teacherB.email,
      password: 'not the password',
    });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('Enter a correct email address and password');
    expect(response.body).toContain(`value="${t.w.teacherB.email}"`);
  });

  it('sends signed-out visitors to sign in, then back where they were going', async () => {
    const client = new Client(t.app);
    const response = await client.get('/register?stage=ehc_plan');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?returnTo=%2Fregister%3Fstage%3Dehc_plan');
    const page = await client.get(String(response.headers.location));
    expect(page.body).toContain('value="/register?stage=ehc_plan"');
    const signIn = await client.post('/sign-in', {
      email: t.w.senco.email,
      password: 'correct horse battery staple',
      returnTo: '//evil.example/',
    });
    expect(signIn.headers.location).toBe('/account/after-sign-in?returnTo=%2F');
    expect((await client.get(String(signIn.headers.location))).headers.location).toBe('/');
  });
});
