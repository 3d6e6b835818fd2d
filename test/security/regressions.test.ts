import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import {
  appUser,
  concern,
  heldForm,
  membership,
  parentCarer,
  pupil,
  staffInvitation,
  userSession,
} from '../../src/db/schema/index.ts';
import { AREA_LABELS, AREAS_OF_NEED, areaOfNeed, type NeedCode } from '../../src/domain/census.ts';
import type { SenStage } from '../../src/domain/register.ts';
import type { Services } from '../../src/services/index.ts';
import { buildApp } from '../../src/web/app.ts';
import { ctfXml } from '../builders/ctf.ts';
import {
  addMembership,
  buildClass,
  buildOfficer,
  buildOrganisation,
  buildParent,
  buildPupil,
  buildSchool,
  buildStaff,
  buildWorld,
  MIS_HEADINGS,
  misCsv,
  misRowFor,
  TEST_PASSWORD,
  TODAY,
  testServices,
  type World,
} from '../builders/index.ts';
import { freshDatabase } from '../db.ts';
import {
  type Constraint,
  relation,
  type Shown,
  shownCount,
  tableRows,
  textOf,
  workedOut,
} from './disclosure.ts';
import { type FormField, filledIn, formsOf } from './forms.ts';
import {
  auditRows,
  Browser,
  changedTables,
  fillPath,
  formWith,
  lastAuditId,
  makeSessionsIdle,
  paramsOf,
  rowCounts,
} from './support.ts';

/*
 * One test per finding of the hostile tester's report, each written so that it fails on the code the
 * report was about. The test names say what each one guards.
 */

const SECRET = 'test-secret-that-is-long-enough-0123456789';
/** A password zxcvbn scores as strong, for the steps that must succeed. */
const STRONG = 'Quarry-Violet-Trumpet-Lantern-58';

let database: Database;
let services: Services;
let w: World;
let app: FastifyInstance;

beforeAll(async () => {
  database = await freshDatabase();
  // Sessions are made idle by changing the database behind the app's back, which a session held in
  // the process for a few seconds would not see: read them from the database every time.
  services = testServices(database, { sessionCacheMs: 0 });
  w = await buildWorld(database);
  app = await buildApp(services, { sessionSecret: SECRET, logLevel: 'silent', signInRateLimit: 1000 });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

const browser = (headers: Record<string, string> = {}) => new Browser(app, headers);
const signedIn = (email: string, password = TEST_PASSWORD) => browser().signedIn(email, password);

async function account(userId: string) {
  const rows = await database.db.select().from(appUser).where(eq(appUser.id, userId));
  return rows[0];
}

const dateFields = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return {
    [`${name}-day`]: String(Number(d)),
    [`${name}-month`]: String(Number(m)),
    [`${name}-year`]: String(y),
  };
};

describe('an account that belongs to someone else is not the school’s to take over', () => {
  it('adding another school’s SENCo by email invites them: no membership, staff page shows “Invited” and the email, not their name', async () => {
    const senco = await signedIn(w.senco.email);
    await senco.get('/staff/new');
    const response = await senco.post('/staff/new', {
      name: 'Somebody Typed',
      email: w.otherSenco.email.toUpperCase(),
      roles: 'teaching_assistant',
      password: STRONG,
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/staff');
    const memberships = await database.db
      .select()
      .from(membership)
      .where(eq(membership.userId, w.otherSenco.actor.userId));
    expect(memberships.map((m) => m.schoolId)).toEqual([w.otherSchool.id]);
    const invitations = await database.db
      .select()
      .from(staffInvitation)
      .where(eq(staffInvitation.email, w.otherSenco.email));
    expect(invitations).toHaveLength(1);
    expect(invitations[0]?.schoolId).toBe(w.school.id);
    const page = await senco.get('/staff');
    expect(page.body).toContain('Invited');
    expect(page.body).toContain(w.otherSenco.email);
    expect(page.body).not.toContain('Ola Senco');
    expect(page.body).not.toContain(`/staff/${w.otherSenco.actor.userId}`);
    // Nothing of their account was touched: they still sign in with their own password.
    const before = await account(w.otherSenco.actor.userId);
    expect(before?.mustChangePassword).toBe(false);
    await signedIn(w.otherSenco.email);
  });

  it('another school’s SENCo: POST /staff/<id>/password and /sign-in (off) answer 404 and change nothing', async () => {
    const id = w.otherSenco.actor.userId;
    const before = await account(id);
    const senco = await signedIn(w.senco.email);
    // Adding them by email first (or again: they may already be invited) gives this school nothing of theirs.
    await senco.get('/staff/new');
    const added = await senco.post('/staff/new', {
      name: 'Ola Senco',
      email: w.otherSenco.email,
      roles: 'office',
      password: STRONG,
    });
    expect([303, 400]).toContain(added.statusCode);
    const reset = await senco.post(`/staff/${id}/password`, { password: STRONG });
    expect(reset.statusCode).toBe(404);
    const off = await senco.post(`/staff/${id}/sign-in`, { signIn: 'off' });
    expect(off.statusCode).toBe(404);
    const after = await account(id);
    expect(after?.passwordHash).toBe(before?.passwordHash);
    expect(after?.mustChangePassword).toBe(false);
    expect(after?.disabledAt).toBeNull();
    // Their own password still works; the one the attacker chose does not.
    expect((await browser().signIn(w.otherSenco.email, STRONG)).statusCode).toBe(401);
    await signedIn(w.otherSenco.email);
  });

  it('adding a genuinely new person lands on /staff/<their new id> (not /staff/[object Object])', async () => {
    const senco = await signedIn(w.senco.email);
    await senco.get('/staff/new');
    const response = await senco.post('/staff/new', {
      name: 'Nia Newcomer',
      email: 'nia.newcomer@oakfield.example',
      roles: ['teaching_assistant'],
      password: STRONG,
    });
    expect(response.statusCode).toBe(303);
    const created = await database.db
      .select()
      .from(appUser)
      .where(eq(appUser.email, 'nia.newcomer@oakfield.example'));
    expect(created).toHaveLength(1);
    expect(response.headers.location).toBe(`/staff/${created[0]?.id}`);
    const page = await senco.get(String(response.headers.location));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Nia Newcomer');
  });

  it('an account that also belongs to another school: no reset or sign-in switch (and why); the POSTs refuse with the reason; removing leaves the other membership', async () => {
    const both = await buildStaff(database.db, 'office', { schoolId: w.school.id, name: 'Bea Both-Schools' });
    await addMembership(database.db, both.actor.userId, w.otherSchool.id, ['office']);
    const id = both.actor.userId;
    const before = await account(id);
    const senco = await signedIn(w.senco.email);
    const page = await senco.get(`/staff/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(`action="/staff/${id}/password"`);
    expect(page.body).not.toContain(`action="/staff/${id}/sign-in"`);
    expect(page.body).toContain('also belongs to another school or organisation');
    expect(page.body).toContain('cannot reset their password or turn off their sign-in');

    const reset = await senco.post(`/staff/${id}/password`, { password: STRONG });
    expect(reset.statusCode).toBe(400);
    expect(reset.body).toContain('also belongs to another school or organisation, so only they can change');
    const off = await senco.post(`/staff/${id}/sign-in`, { signIn: 'off' });
    expect(off.statusCode).toBe(400);
    expect(off.body).toContain(
      'also belongs to another school or organisation, so this school cannot turn it off',
    );
    const after = await account(id);
    expect(after?.passwordHash).toBe(before?.passwordHash);
    expect(after?.disabledAt).toBeNull();

    await senco.get(`/staff/${id}`);
    const removed = await senco.post(`/staff/${id}/remove`);
    expect(removed.statusCode).toBe(303);
    const left = await database.db.select().from(membership).where(eq(membership.userId, id));
    expect(left.map((m) => m.schoolId)).toEqual([w.otherSchool.id]);
    expect((await account(id))?.disabledAt).toBeNull();
  });
});

describe('two people changing one record at once', () => {
  it('the second SEN stage change from a form opened at the same time gets 409, shows the other change and keeps their reason', async () => {
    const second = await buildStaff(database.db, 'senco', { schoolId: w.school.id, name: 'Sol Second' });
    const a = await signedIn(w.senco.email);
    const b = await signedIn(second.email);
    const url = `/pupils/${w.pupilK.id}/register`;
    const formA = formWith((await a.get(url)).body, 'version');
    const formB = formWith((await b.get(url)).body, 'version');
    const date = dateFields('effectiveDate', '2026-11-19');
    const saved = await a.post(url, {
      version: formA.fields.version as string,
      stage: 'sen_support',
      primaryNeed: 'SEMH',
      ...date,
      reason: 'Needs reassessed by the educational psychologist',
    });
    expect(saved.statusCode).toBe(303);
    const stale = await b.post(url, {
      version: formB.fields.version as string,
      stage: 'monitoring',
      ...date,
      reason: 'Reason B typed and must not lose',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this pupil’s SEN stage or needs');
    expect(stale.body).toContain('Just changed by someone else');
    expect(stale.body).toContain('primary need SEMH');
    expect(stale.body).toContain('Reason B typed and must not lose');
    const [row] = await database.db.select().from(pupil).where(eq(pupil.id, w.pupilK.id));
    expect(row?.senStage).toBe('sen_support');
    expect(row?.primaryNeed).toBe('SEMH');
  });

  it('the second edit of a parent or carer gets 409 and the first (a phone change) is not lost', async () => {
    const parent = await database.db
      .insert(parentCarer)
      .values({
        schoolId: w.school.id,
        id: crypto.randomUUID(),
        pupilId: w.pupilE.id,
        name: 'Pat Parent',
        relationship: 'Father',
        phone: '07700 900444',
        parentalResponsibility: true,
        contactPriority: 1,
      })
      .returning();
    const parentId = parent[0]?.id as string;
    const url = `/pupils/${w.pupilE.id}/parents/${parentId}/edit`;
    const a = await signedIn(w.office.email);
    const b = await signedIn(w.senco.email);
    const formA = formWith((await a.get(url)).body, 'parentName');
    const formB = formWith((await b.get(url)).body, 'parentName');
    const savedA = await a.post(url, { ...formA.fields, phone: '07700 900555' });
    expect(savedA.statusCode).toBe(303);
    const staleB = await b.post(url, { ...formB.fields, relationship: 'Stepfather' });
    expect(staleB.statusCode).toBe(409);
    expect(staleB.body).toContain('Saved by someone else just now');
    expect(staleB.body).toContain('07700 900555');
    expect(staleB.body).toContain('value="Stepfather"');
    const [row] = await database.db.select().from(parentCarer).where(eq(parentCarer.id, parentId));
    expect(row?.phone).toBe('07700 900555');
    expect(row?.relationship).toBe('Father');
  });

  it('reviewing a concern someone else has just reviewed shows their review and your own text (409), not “Page not found”', async () => {
    const concernId = await services.concerns.raise(w.teacherA.actor, w.pupilA.id, {
      kind: 'pastoral',
      concernDate: TODAY,
      reasons: 'Upset at break times',
      classroomEvidence: 'Seen alone most days',
      areasOfNeed: ['social_emotional_and_mental_health'],
      interventionsTried: [],
    });
    const a = await signedIn(w.senco.email);
    const b = await signedIn(w.head.email);
    const url = `/concerns/${concernId}/review`;
    const formA = formWith((await a.get(url)).body, 'version');
    const formB = formWith((await b.get(url)).body, 'version');
    const date = dateFields('reviewedOn', TODAY);
    const first = await a.post(url, {
      version: formA.fields.version as string,
      outcome: 'no_further_action',
      actionTaken: 'Spoke with the family; keeping an eye at break',
      ...date,
    });
    expect(first.statusCode).toBe(303);
    const second = await b.post(url, {
      version: formB.fields.version as string,
      outcome: 'monitoring',
      actionTaken: 'Head teacher notes that must be kept',
      ...date,
    });
    expect(second.statusCode).toBe(409);
    expect(second.body).not.toContain('Page not found');
    expect(second.body).toContain('Reviewed by Sam Senco');
    expect(second.body).toContain('Spoke with the family; keeping an eye at break');
    expect(second.body).toContain('Head teacher notes that must be kept');
    const [row] = await database.db.select().from(concern).where(eq(concern.id, concernId));
    expect(row?.outcome).toBe('no_further_action');
  });
});

describe('a form sent after the session ended', () => {
  it('is kept: the POST goes to sign in with a message, signing in brings it back at /resume/<id>, and “Send it now” saves it', async () => {
    const senco = await signedIn(w.senco.email);
    const url = `/pupils/${w.pupilA.id}/parents/new`;
    await senco.get(url);
    await makeSessionsIdle(database, w.senco.actor.userId);
    const sent = await senco.post(url, { parentName: 'Held Parent', relationship: 'Grandmother', phone: '' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/sign-in');
    const signInPage = await senco.get('/sign-in');
    expect(signInPage.body).toContain('what you typed will be brought back');
    const held = await database.db.select().from(heldForm).where(eq(heldForm.userId, w.senco.actor.userId));
    expect(held).toHaveLength(1);
    const heldId = held[0]?.id as string;
    expect(
      await database.db.select().from(parentCarer).where(eq(parentCarer.name, 'Held Parent')),
    ).toHaveLength(0);

    const signIn = await senco.post('/sign-in', { email: w.senco.email, password: TEST_PASSWORD });
    expect(signIn.statusCode).toBe(303);
    const next = await senco.get(String(signIn.headers.location));
    expect(next.headers.location).toBe(`/resume/${heldId}`);
    const resume = await senco.get(`/resume/${heldId}`);
    expect(resume.statusCode).toBe(200);
    expect(resume.body).toContain('Held Parent');
    expect(resume.body).toContain('Send it now');
    const form = formWith(resume.body, '_heldForm');
    expect(form.action).toBe(url);
    const { _csrf: _, ...fields } = form.fields;
    const saved = await senco.post(form.action, fields);
    expect(saved.statusCode).toBe(303);
    expect(
      await database.db.select().from(parentCarer).where(eq(parentCarer.name, 'Held Parent')),
    ).toHaveLength(1);
    expect(await database.db.select().from(heldForm).where(eq(heldForm.id, heldId))).toHaveLength(0);
  });

  it('is not shown to anyone else who signs in, nor can they discard it', async () => {
    const teacher = await signedIn(w.teacherA.email);
    const url = `/pupils/${w.pupilK.id}/concerns/new`;
    const form = formWith((await teacher.get(url)).body, 'reasons');
    await makeSessionsIdle(database, w.teacherA.actor.userId);
    const sent = await teacher.post(url, {
      ...form.fields,
      kind: 'send',
      reasons: 'Kept for the teacher alone',
      classroomEvidence: 'Evidence',
      areasOfNeed: 'cognition_and_learning',
    });
    expect(sent.headers.location).toBe('/sign-in');
    const [held] = await database.db
      .select()
      .from(heldForm)
      .where(eq(heldForm.userId, w.teacherA.actor.userId));
    expect(held).toBeDefined();
    const other = browser();
    const signIn = await other.signIn(w.teacherB.email);
    const next = await other.get(String(signIn.headers.location));
    expect(next.headers.location).toBe('/');
    const peek = await other.get(`/resume/${held?.id}`);
    expect(peek.statusCode).toBe(404);
    expect(peek.body).not.toContain('Kept for the teacher alone');
    // Nor can they discard it: not found (it used to say "discarded" for any id at all).
    const discard = await other.post(`/resume/${held?.id}/discard`);
    expect(discard.statusCode).toBe(404);
    expect(
      await database.db
        .select()
        .from(heldForm)
        .where(eq(heldForm.id, held?.id as string)),
    ).toHaveLength(1);
  });
});

describe('where sign-in sends you afterwards stays on this site', () => {
  const BASE = 'http://opensend.test';
  const HOSTILE = [
    '/\t/127.0.0.1:3962/pwned',
    '//127.0.0.1:3962/pwned',
    '///evil.example/',
    '/\\evil.example/',
    '\\\\evil.example/',
    '/\\/evil.example/',
    '\\/evil.example/',
    '/\t\\evil.example',
    '\t//evil.example',
    ' //evil.example',
    '/ /evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '/\r\n/evil.example',
    '/\r\nSet-Cookie: opensend_session=stolen',
    '/\u2028/evil.example',
    '/\u2029/evil.example',
    '/\u0000/evil.example',
    '/\u000b/evil.example',
    '/\u0085/evil.example',
    '/\u00a0/evil.example',
    'https://evil.example/',
    'http:evil.example',
    'https:/evil.example',
    'javascript:alert(document.domain)',
    'data:text/html,<script>alert(1)</script>',
    '//evil.example@opensend.test',
    '%2F%2Fevil.example',
    '/%2F%2Fevil.example',
    '/%09/evil.example',
    '/%5Cevil.example',
    '/..//evil.example',
    '/.//evil.example',
    'evil.example',
    '',
  ];

  /** A Location a browser would follow to this site only (browsers drop tabs and line breaks first). */
  function expectSameOrigin(location: unknown, variant: string) {
    expect(typeof location, JSON.stringify(variant)).toBe('string');
    const target = new URL(String(location), BASE);
    expect(target.origin, `${JSON.stringify(variant)} → ${JSON.stringify(location)}`).toBe(BASE);
    expect(String(location)).toMatch(/^\/(?![/\\])/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
    expect(String(location)).not.toMatch(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  }

  it('the reported variant (/%09/127.0.0.1:3962/pwned) and every other ends at a same-origin path, signed in or out', async () => {
    const senco = await signedIn(w.senco.email);
    for (const variant of HOSTILE) {
      const q = `?returnTo=${encodeURIComponent(variant)}`;
      // Signed in: the sign-in page sends you on at once.
      const direct = await senco.get(`/sign-in${q}`);
      expect(direct.statusCode, JSON.stringify(variant)).toBe(303);
      expectSameOrigin(direct.headers.location, variant);
      const after = await senco.get(`/account/after-sign-in${q}`);
      expect(after.statusCode, JSON.stringify(variant)).toBe(303);
      expectSameOrigin(after.headers.location, variant);
      // Signed out: the page keeps only a safe value, and signing in with a hostile one goes home.
      const visitor = browser();
      const page = await visitor.get(`/sign-in${q}`);
      expect(page.statusCode, JSON.stringify(variant)).toBe(200);
      const kept = formWith(page.body, 'returnTo').fields.returnTo as string;
      expectSameOrigin(kept, variant);
      const signIn = await visitor.post('/sign-in', {
        email: w.head.email,
        password: TEST_PASSWORD,
        returnTo: variant,
      });
      expect(signIn.statusCode, JSON.stringify(variant)).toBe(303);
      const landed = await visitor.get(String(signIn.headers.location));
      expect(landed.statusCode, JSON.stringify(variant)).toBe(303);
      expectSameOrigin(landed.headers.location, variant);
    }
  });

  it('the reported URL, exactly as sent, lands on a same-origin path', async () => {
    const senco = await signedIn(w.senco.email);
    const response = await senco.get('/sign-in?returnTo=%2F%09%2F127.0.0.1%3A3962%2Fpwned');
    expect(response.statusCode).toBe(303);
    expectSameOrigin(response.headers.location, 'reported');
  });

  it('CR, LF and U+2028 in returnTo give no server error and leave no stray session', async () => {
    const sessions = async () =>
      (await database.db.select({ n: sql<number>`count(*)::int` }).from(userSession))[0]?.n ?? 0;
    for (const variant of ['/\r\nX-Injected: 1', '/\n', '/\r', '/a\u2028b', '/\u2029', '%0D%0A']) {
      const before = await sessions();
      const visitor = browser();
      const signIn = await visitor.signIn(w.head.email, TEST_PASSWORD, { returnTo: variant });
      expect(signIn.statusCode, JSON.stringify(variant)).toBe(303);
      expect(signIn.headers['x-injected']).toBeUndefined();
      const landed = await visitor.get(String(signIn.headers.location));
      expect(landed.statusCode, JSON.stringify(variant)).toBe(303);
      expect(landed.headers['x-injected']).toBeUndefined();
      // Exactly the one session of this sign-in, and it works.
      expect(await sessions()).toBe(before + 1);
      expect((await visitor.get('/')).statusCode).toBe(200);
      const raw = await app.inject({
        method: 'GET',
        url: `/sign-in?returnTo=${encodeURIComponent(variant)}`,
        headers: { cookie: visitor.cookieHeader() },
      });
      expect(raw.statusCode, JSON.stringify(variant)).toBe(303);
      expect(await sessions()).toBe(before + 1);
    }
  });
});

describe('sign-in limits count the address the proxy saw, and a stranger cannot lock a teacher out', () => {
  it('with one trusted proxy hop (trustProxy: 1, or TRUST_PROXY=true as an operator writes it), 40 attempts with 40 spoofed X-Forwarded-For addresses are limited', async () => {
    const fromSetting = loadConfig({
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'opensend-proxy-')),
      TRUST_PROXY: 'true',
    }).trustProxy;
    for (const [n, trustProxy] of [1, fromSetting].entries()) {
      const proxied = await buildApp(services, {
        sessionSecret: SECRET,
        logLevel: 'silent',
        trustProxy,
        signInRateLimit: 10,
      });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++) {
          // The client claims an address; the proxy appends the one it really saw.
          const attacker = new Browser(proxied, {
            'x-forwarded-for': `198.51.100.${i + 1}, 203.0.113.${200 + n}`,
          });
          await attacker.get('/sign-in');
          const r = await attacker.post('/sign-in', {
            email: `nobody${i}@evil.example`,
            password: 'wrong password',
          });
          statuses.push(r.statusCode);
        }
        expect(
          statuses.filter((s) => s === 429).length,
          `trustProxy ${JSON.stringify(trustProxy)}`,
        ).toBeGreaterThanOrEqual(30);
        // The address the proxy saw is what was limited: another real client still gets in.
        const teacher = new Browser(proxied, { 'x-forwarded-for': `203.0.113.${210 + n}` });
        expect((await teacher.signIn(w.teacherB.email)).statusCode).toBe(303);
      } finally {
        await proxied.close();
      }
    }
  });

  it('5 failures by a stranger do not stop the teacher signing in from another address; a paused account answers exactly as an unknown email', async () => {
    const proxied = await buildApp(services, {
      sessionSecret: SECRET,
      logLevel: 'silent',
      trustProxy: 1,
      signInRateLimit: 1000,
    });
    try {
      const from = (address: string) => new Browser(proxied, { 'x-forwarded-for': address });
      const stranger = from('203.0.113.66');
      await stranger.get('/sign-in');
      for (let i = 0; i < 5; i++) {
        const r = await stranger.post('/sign-in', { email: w.teacherB.email, password: `guess number ${i}` });
        expect(r.statusCode).toBe(401);
      }
      // The teacher, at their own desk, signs in.
      expect((await from('198.51.100.7').signIn(w.teacherB.email)).statusCode).toBe(303);
      // From the stranger's address the account is paused, even with the right password, and the
      // answer is the answer for an email nobody has.
      const paused = await stranger.post('/sign-in', { email: w.teacherB.email, password: TEST_PASSWORD });
      const unknown = await stranger.post('/sign-in', {
        email: 'no.such.person@oakfield.example',
        password: TEST_PASSWORD,
      });
      const normalise = (body: string, email: string) =>
        body.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""').replaceAll(email, 'EMAIL');
      expect(paused.statusCode).toBe(unknown.statusCode);
      expect(normalise(paused.body, w.teacherB.email)).toBe(
        normalise(unknown.body, 'no.such.person@oakfield.example'),
      );
      const throttled = await auditRows(database, { action: 'auth.sign_in_throttled' });
      expect(throttled.map((r) => r.user_id)).toContain(w.teacherB.actor.userId);
    } finally {
      await proxied.close();
    }
  });
});

describe('passwords', () => {
  // Common patterns, and (last) one built from the school's own name: every page that sets a
  // password counts the school's name as personal, not only the add-staff page.
  const WEAK = [
    'aaaaaaaaaaaa',
    'password1234',
    '123456789012',
    'qwertyuiopas',
    'abcabcabcabc',
    'oakfield2026!',
  ];
  const HARDER = 'Choose a password that is harder to guess.';

  it('weak passwords are refused with a plain message on the set-up page', async () => {
    const empty = await freshDatabase();
    const setupApp = await buildApp(testServices(empty), { sessionSecret: SECRET, logLevel: 'silent' });
    try {
      const visitor = new Browser(setupApp);
      await visitor.get('/setup');
      for (const password of [...WEAK.slice(0, -1), 'firstly2026!']) {
        const r = await visitor.post('/setup', {
          schoolName: 'Firstly Primary',
          urn: '123456',
          laCode: '202',
          establishmentNumber: '2001',
          phase: 'primary',
          sencoName: 'Fran First',
          sencoEmail: 'fran@firstly.example',
          password,
          confirmPassword: password,
        });
        expect(r.statusCode, password).toBe(400);
        expect(r.body, password).toContain(HARDER);
      }
      expect(await testServices(empty).setup.needsSetup()).toBe(true);
    } finally {
      await setupApp.close();
      await empty.close();
    }
  });

  it('weak passwords are refused on the add-staff page, the reset page and “change your password”; nothing is saved', async () => {
    const senco = await signedIn(w.senco.email);
    await senco.get('/staff/new');
    for (const password of WEAK) {
      const r = await senco.post('/staff/new', {
        name: 'Weak Password Person',
        email: 'weak.person@oakfield.example',
        roles: 'office',
        password,
      });
      expect(r.statusCode, password).toBe(400);
      expect(r.body, password).toContain(HARDER);
    }
    expect(
      await database.db.select().from(appUser).where(eq(appUser.email, 'weak.person@oakfield.example')),
    ).toHaveLength(0);

    const target = await buildStaff(database.db, 'office', { schoolId: w.school.id, name: 'Rhys Reset' });
    const before = await account(target.actor.userId);
    await senco.get(`/staff/${target.actor.userId}`);
    for (const password of WEAK) {
      const r = await senco.post(`/staff/${target.actor.userId}/password`, { password });
      expect(r.statusCode, password).toBe(400);
      expect(r.body, password).toContain(HARDER);
    }
    expect((await account(target.actor.userId))?.passwordHash).toBe(before?.passwordHash);

    const self = await signedIn(target.email);
    await self.get('/account/password');
    for (const password of WEAK) {
      const r = await self.post('/account/password', {
        currentPassword: TEST_PASSWORD,
        newPassword: password,
        confirmPassword: password,
      });
      expect(r.statusCode, password).toBe(400);
      expect(r.body, password).toContain(HARDER);
    }
    expect((await account(target.actor.userId))?.passwordHash).toBe(before?.passwordHash);
  });

  it('a password set by the SENCo sends the person to /account/password on their next sign-in until they change it', async () => {
    const target = await buildStaff(database.db, 'class_teacher', {
      schoolId: w.school.id,
      name: 'Cai Change',
    });
    const senco = await signedIn(w.senco.email);
    await senco.get(`/staff/${target.actor.userId}`);
    const reset = await senco.post(`/staff/${target.actor.userId}/password`, { password: STRONG });
    expect(reset.statusCode).toBe(303);
    const person = browser();
    const signIn = await person.signIn(target.email, STRONG);
    expect(signIn.headers.location).toBe('/account/password');
    for (const url of ['/', '/concerns', '/pupils/find?q=ki', `/pupils/${w.pupilK.id}/concerns/new`]) {
      const r = await person.get(url);
      expect(r.statusCode, url).toBe(303);
      expect(r.headers.location, url).toBe('/account/password');
    }
    await person.get('/account/password');
    expect((await person.post(`/pupils/${w.pupilK.id}/concerns/new`, {})).headers.location).toBe(
      '/account/password',
    );
    const chosen = 'Lantern-Orbit-Kettle-Meadow-91';
    const changed = await person.post('/account/password', {
      currentPassword: STRONG,
      newPassword: chosen,
      confirmPassword: chosen,
    });
    expect(changed.statusCode).toBe(303);
    expect((await person.get('/concerns')).statusCode).toBe(200);
    expect((await account(target.actor.userId))?.mustChangePassword).toBe(false);
  });

  it('“change your password” needs the current password and signs the person out of their other sessions', async () => {
    const target = await buildStaff(database.db, 'office', {
      schoolId: w.school.id,
      name: 'Ode Other-Sessions',
    });
    const here = await signedIn(target.email);
    const there = await signedIn(target.email);
    expect((await there.get('/')).statusCode).toBe(200);
    await here.get('/account/password');
    const chosen = 'Copper-Harbour-Violin-Thistle-27';
    const wrong = await here.post('/account/password', {
      currentPassword: 'not my password at all',
      newPassword: chosen,
      confirmPassword: chosen,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Your current password is not right');
    const missing = await here.post('/account/password', { newPassword: chosen, confirmPassword: chosen });
    expect(missing.statusCode).toBe(400);
    expect((await there.get('/')).statusCode).toBe(200);
    const right = await here.post('/account/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: chosen,
      confirmPassword: chosen,
    });
    expect(right.statusCode).toBe(303);
    expect((await here.get('/')).statusCode).toBe(200);
    const out = await there.get('/');
    expect(out.statusCode).toBe(303);
    expect(String(out.headers.location)).toMatch(/^\/sign-in/);
  });
});

describe('CSRF tokens are bound to the session', () => {
  it('a token from before signing in is refused after it', async () => {
    const person = browser();
    await person.get('/sign-in');
    const before = person.token;
    const csrfCookieBefore = person.cookies.get('opensend_csrf') as string;
    const signIn = await person.post('/sign-in', { email: w.office.email, password: TEST_PASSWORD });
    expect(signIn.statusCode).toBe(303);
    await person.follow(signIn);
    const counts = await rowCounts(database);
    const refused = await person.post(
      `/pupils/${w.pupilA.id}/parents/new`,
      { parentName: 'Pre Sign-In', relationship: 'Aunt' },
      { csrf: before },
    );
    expect(refused.statusCode).toBe(403);
    // Even with the CSRF cookie from before signing in put back.
    person.cookies.set('opensend_csrf', csrfCookieBefore);
    const again = await person.post(
      `/pupils/${w.pupilA.id}/parents/new`,
      { parentName: 'Pre Sign-In', relationship: 'Aunt' },
      { csrf: before },
    );
    expect(again.statusCode).toBe(403);
    expect(changedTables(counts, await rowCounts(database))).toEqual([]);
  });

  it('a victim’s session cookie with an attacker’s CSRF cookie and token (their own session or a signed-out page) is refused', async () => {
    const victim = await signedIn(w.senco.email);
    const attacker = await signedIn(w.teacherB.email);
    await attacker.get('/concerns');
    const visitor = browser();
    await visitor.get('/sign-in');
    const counts = await rowCounts(database);
    for (const source of [attacker, visitor]) {
      const forged = new Browser(app);
      forged.cookies.set('opensend_session', victim.cookies.get('opensend_session') as string);
      forged.cookies.set('opensend_csrf', source.cookies.get('opensend_csrf') as string);
      const r = await forged.post(
        `/pupils/${w.pupilA.id}/parents/new`,
        { parentName: 'Forged Parent', relationship: 'Uncle' },
        { csrf: source.token },
      );
      expect(r.statusCode).toBe(403);
      expect(r.body).toContain('Your form could not be sent');
    }
    expect(changedTables(counts, await rowCounts(database))).toEqual([]);
    // The victim's own token still works (the refusals were not for some other reason).
    await victim.get(`/pupils/${w.pupilA.id}/parents/new`);
    const own = await victim.post(`/pupils/${w.pupilA.id}/parents/new`, {
      parentName: 'Real Parent',
      relationship: 'Uncle',
    });
    expect(own.statusCode).toBe(303);
  });

  it('the token is renewed at sign-out: the signed-in token no longer works', async () => {
    const person = await signedIn(w.head.email);
    await person.get('/');
    const token = person.token;
    const csrfCookie = person.cookies.get('opensend_csrf') as string;
    const out = await person.post('/sign-out');
    expect(out.statusCode).toBe(303);
    expect(out.cookies.find((c) => c.name === 'opensend_csrf')?.value).toBe('');
    person.cookies.set('opensend_csrf', csrfCookie);
    const reuse = await person.post(
      '/sign-in',
      { email: w.head.email, password: TEST_PASSWORD },
      { csrf: token },
    );
    expect(reuse.statusCode).toBe(403);
    const fresh = browser();
    await fresh.get('/sign-in');
    expect(fresh.token).not.toBe(token);
    expect((await fresh.post('/sign-in', { email: w.head.email, password: TEST_PASSWORD })).statusCode).toBe(
      303,
    );
  });
});

describe('refusals leave audit rows', () => {
  it('a governor asking for /pupils/<id> and office staff for /pupils/<id>/register write access.refused', async () => {
    for (const [who, url] of [
      [w.governor, `/pupils/${w.pupilK.id}`],
      [w.office, `/pupils/${w.pupilK.id}/register`],
    ] as const) {
      const after = await lastAuditId(database);
      const person = await signedIn(who.email);
      const r = await person.get(url);
      expect(r.statusCode, url).toBe(403);
      const rows = await auditRows(database, { action: 'access.refused', afterId: after });
      expect(
        rows.map((x) => x.user_id),
        url,
      ).toContain(who.actor.userId);
      expect(rows.find((x) => x.user_id === who.actor.userId)?.school_id).toBe(w.school.id);
    }
  });

  it('another school’s staff id, another school’s parent on one’s own pupil, and an unreachable concern write access.not_found', async () => {
    const concernId = await services.concerns.raise(w.teacherA.actor, w.pupilK.id, {
      kind: 'send',
      concernDate: TODAY,
      reasons: 'For the class teacher of Year 4 and the SENCo only',
      classroomEvidence: 'Evidence',
      areasOfNeed: ['cognition_and_learning'],
      interventionsTried: [],
    });
    const cases = [
      {
        who: w.senco,
        url: `/staff/${w.otherSenco.actor.userId}`,
        kind: 'staff',
        id: w.otherSenco.actor.userId,
      },
      {
        who: w.senco,
        url: `/pupils/${w.pupilK.id}/parents/${w.otherParent.id}/edit`,
        kind: 'parent',
        id: w.otherParent.id,
      },
      { who: w.teacherB, url: `/concerns/${concernId}`, kind: 'concern', id: concernId },
    ];
    for (const c of cases) {
      const after = await lastAuditId(database);
      const person = await signedIn(c.who.email);
      const r = await person.get(c.url);
      expect(r.statusCode, c.url).toBe(404);
      const rows = await auditRows(database, { action: 'access.not_found', afterId: after });
      const mine = rows.filter((x) => x.user_id === c.who.actor.userId);
      expect(mine, c.url).toHaveLength(1);
      expect(mine[0]?.detail).toMatchObject({ kind: c.kind, id: c.id });
      expect(mine[0]?.school_id).toBe(w.school.id);
    }
  });

  it('asking for a form kept for someone in another school is recorded in that school too', async () => {
    const heldId = await services.account.holdForm(
      { userId: w.otherSenco.actor.userId, schoolId: w.otherSchool.id },
      `/pupils/${w.otherPupil.id}/parents/new`,
      { parentName: 'Kept for Ola', relationship: 'Aunt' },
      'regression',
    );
    const after = await lastAuditId(database);
    const senco = await signedIn(w.senco.email);
    const page = await senco.get(`/resume/${heldId}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('Kept for Ola');
    const probes = await auditRows(database, { action: 'access.probe_from_other_school', afterId: after });
    expect(probes.map((p) => [p.school_id, p.user_id, p.detail?.kind, p.detail?.id])).toContainEqual([
      w.otherSchool.id,
      w.senco.actor.userId,
      'held_form',
      heldId,
    ]);
  });

  it('a probe of another school’s pupil shows in that pupil’s “Who has seen this record” page', async () => {
    const senco = await signedIn(w.senco.email);
    expect((await senco.get(`/pupils/${w.otherPupil.id}`)).statusCode).toBe(404);
    const owner = await signedIn(w.otherSenco.email);
    const trail = await owner.get(`/pupils/${w.otherPupil.id}/audit`);
    expect(trail.statusCode).toBe(200);
    expect(trail.body).toContain('Someone from Oakfield Primary asked for this record and was refused');
    expect(trail.body).toContain('Sam Senco');
  });
});

describe('bad input is refused plainly, never a server error, and saves nothing', () => {
  it('NUL in the search of /pupils, /register, /register.csv and /register/print is ignored', async () => {
    const senco = await signedIn(w.senco.email);
    for (const url of ['/pupils', '/register', '/register.csv', '/register/print']) {
      for (const q of ['%00', 'Ko%00', '%00%00%00', 'a%00b%01%1F%7F', '%C0%80', '%E2%80%A8']) {
        const r = await senco.get(`${url}?q=${q}`);
        expect(r.statusCode, `${url}?q=${q}`).toBeLessThan(500);
        expect([200, 400], `${url}?q=${q}`).toContain(r.statusCode);
      }
    }
    const found = await senco.get('/pupils?q=Kowal%00');
    expect(found.statusCode).toBe(200);
  });

  it('NUL in the sign-in email (signed out) is a 400 with a plain message', async () => {
    const visitor = browser();
    await visitor.get('/sign-in');
    for (const email of [`${w.senco.email}\u0000`, `\u0000${w.senco.email}`, 'a\u0000@b.example']) {
      const r = await visitor.post('/sign-in', { email, password: TEST_PASSWORD });
      expect(r.statusCode, JSON.stringify(email)).toBe(400);
      expect(r.body).toContain('There is a problem');
      expect(r.cookies.find((c) => c.name === 'opensend_session')).toBeUndefined();
    }
  });

  it('NUL in concern reasons, carer name, register reason, staff name and email: 400 with a plain message, nothing saved', async () => {
    const senco = await signedIn(w.senco.email);
    const nul = 'with a \u0000 NUL';
    const cases: { url: string; body: Record<string, string | string[]>; message: string }[] = [
      {
        url: `/pupils/${w.pupilA.id}/concerns/new`,
        body: {
          kind: 'send',
          reasons: nul,
          classroomEvidence: 'Evidence',
          areasOfNeed: 'cognition_and_learning',
          ...dateFields('concernDate', TODAY),
        },
        message: 'Reasons must not contain hidden control characters',
      },
      {
        url: `/pupils/${w.pupilA.id}/parents/new`,
        body: { parentName: nul, relationship: 'Mother' },
        message: 'Name must be a single line of text without hidden control characters',
      },
      {
        url: `/pupils/${w.pupilA.id}/register`,
        body: {
          version: '1',
          stage: 'monitoring',
          reason: nul,
          ...dateFields('effectiveDate', TODAY),
        },
        message: 'Reason must not contain hidden control characters',
      },
      {
        url: '/staff/new',
        body: { name: nul, email: 'nul.name@oakfield.example', roles: 'office', password: STRONG },
        message: 'Full name must be a single line of text without hidden control characters',
      },
      {
        url: '/staff/new',
        body: {
          name: 'Nul Email',
          email: 'nul\u0000email@oakfield.example',
          roles: 'office',
          password: STRONG,
        },
        message: 'Email address must be a single line of text without hidden control characters',
      },
    ];
    for (const c of cases) {
      await senco.get(c.url);
      const counts = await rowCounts(database);
      const r = await senco.post(c.url, c.body);
      expect(r.statusCode, c.url).toBe(400);
      expect(r.body, c.url).toContain(c.message);
      expect(changedTables(counts, await rowCounts(database)), c.url).toEqual([]);
    }
  });

  it('a version that is missing, abc, 1.5, 1e400, 99999999999 or 2147483648 is a 400 (pupil details, concern review)', async () => {
    const concernId = await services.concerns.raise(w.teacherA.actor, w.pupilK.id, {
      kind: 'send',
      concernDate: TODAY,
      reasons: 'Reasons',
      classroomEvidence: 'Evidence',
      areasOfNeed: ['cognition_and_learning'],
      interventionsTried: [],
    });
    const senco = await signedIn(w.senco.email);
    const editUrl = `/pupils/${w.pupilA.id}/edit`;
    const details = formWith((await senco.get(editUrl)).body, 'forename').fields;
    const reviewUrl = `/concerns/${concernId}/review`;
    await senco.get(reviewUrl);
    const review = {
      outcome: 'no_further_action',
      actionTaken: 'Discussed with the class teacher',
      ...dateFields('reviewedOn', TODAY),
    };
    for (const version of [
      undefined,
      '',
      'abc',
      '1.5',
      '1e400',
      '99999999999',
      '2147483648',
      '-1',
      '0',
      ' 1',
      '0x1',
    ]) {
      for (const [url, body] of [
        [editUrl, details],
        [reviewUrl, review],
      ] as const) {
        const { version: _, _csrf: __, ...rest } = body as Record<string, string | string[]>;
        const counts = await rowCounts(database);
        const r = await senco.post(url, version === undefined ? rest : { ...rest, version });
        expect(r.statusCode, `${url} version=${JSON.stringify(version)}`).toBe(400);
        expect(r.body).toContain('This form is out of date');
        expect(changedTables(counts, await rowCounts(database))).toEqual([]);
      }
    }
  });

  it('JSON bodies on form routes are refused with 415 and nothing is stored', async () => {
    const senco = await signedIn(w.senco.email);
    await senco.get(`/pupils/${w.pupilA.id}/concerns/new`);
    for (const [url, json] of [
      [`/pupils/${w.pupilA.id}/concerns/new`, { 'concernDate-day': { toString: 1 }, _csrf: senco.token }],
      [`/pupils/${w.pupilA.id}/concerns/new`, { 'intervention1-name': { a: 1 }, _csrf: senco.token }],
      [
        `/pupils/${w.pupilA.id}/parents/new`,
        { parentName: ['a', 'b'], relationship: 'x', _csrf: senco.token },
      ],
      ['/sign-in', { email: { $ne: '' }, password: { $ne: '' } }],
    ] as const) {
      const counts = await rowCounts(database);
      for (const type of [
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded; charset=utf-7',
        'multipart/form-data; boundary=x',
      ]) {
        const payload = type.startsWith('application/x-www') ? 'a=1' : JSON.stringify(json);
        const r = await senco.send('POST', url, payload, type);
        if (type.includes('charset=utf-7')) expect(r.statusCode, type).toBeLessThan(500);
        // Uploads are multipart: a multipart body that cannot be read is a bad request.
        else expect(r.statusCode, `${url} ${type}`).toBe(type.startsWith('multipart/') ? 400 : 415);
      }
      expect(changedTables(counts, await rowCounts(database)), url).toEqual([]);
    }
  });

  it('dates that cannot be true are refused with clear messages', async () => {
    const senco = await signedIn(w.senco.email);
    // An EHC decision before the pupil was born (Amara, born 15 January 2018).
    await senco.get(`/pupils/${w.pupilA.id}/register`);
    const [before] = await database.db.select().from(pupil).where(eq(pupil.id, w.pupilA.id));
    const ehc = await senco.post(`/pupils/${w.pupilA.id}/register`, {
      version: String(before?.version),
      stage: 'ehc_plan',
      primaryNeed: 'ASD',
      reason: 'EHC plan issued',
      ...dateFields('effectiveDate', '2017-06-01'),
    });
    expect(ehc.statusCode).toBe(400);
    expect(ehc.body).toContain('The date of the decision cannot be before Amara was born (15 January 2018)');
    // A register review dated 2000 (Eli, born 2 March 2017, has an EHC plan).
    const [eli] = await database.db.select().from(pupil).where(eq(pupil.id, w.pupilE.id));
    await senco.get(`/register/review/${w.pupilE.id}`);
    const review = await senco.post(`/register/review/${w.pupilE.id}`, {
      version: String(eli?.version),
      outcome: 'stays',
      reason: 'Reviewed',
      ...dateFields('reviewedOn', '2000-09-01'),
    });
    expect(review.statusCode).toBe(400);
    expect(review.body).toContain('The date of the review cannot be before Eli was born');
    // A concern dated 1990.
    await senco.get(`/pupils/${w.pupilA.id}/concerns/new`);
    const old = await senco.post(`/pupils/${w.pupilA.id}/concerns/new`, {
      kind: 'send',
      reasons: 'Reasons',
      classroomEvidence: 'Evidence',
      areasOfNeed: 'cognition_and_learning',
      ...dateFields('concernDate', '1990-05-05'),
    });
    expect(old.statusCode).toBe(400);
    expect(old.body).toContain('The date of the concern cannot be before Amara was born');
    // A date of birth in 1900.
    const edit = formWith((await senco.get(`/pupils/${w.pupilA.id}/edit`)).body, 'forename').fields;
    const dob = await senco.post(`/pupils/${w.pupilA.id}/edit`, {
      ...edit,
      ...dateFields('dateOfBirth', '1900-01-01'),
    });
    expect(dob.statusCode).toBe(400);
    expect(dob.body).toContain('Date of birth must make the pupil between 2 and 19 years old today');
    const [after] = await database.db.select().from(pupil).where(eq(pupil.id, w.pupilA.id));
    expect(after).toEqual(before);
  });
});

describe('every page is sent with frame and feature headers', () => {
  it('X-Frame-Options: DENY agrees with frame-ancestors none, and Permissions-Policy is set, on every page', async () => {
    const senco = await signedIn(w.senco.email);
    const ids: Record<string, string> = {
      pupilId: w.pupilK.id,
      concernId: '00000000-0000-4000-8000-000000000000',
      staffId: w.teacherB.actor.userId,
      parentId: w.parentK.id,
      invitationId: '00000000-0000-4000-8000-000000000001',
      schoolId: w.school.id,
      heldFormId: '00000000-0000-4000-8000-000000000002',
    };
    const urls = app.routeList
      .filter((r) => r.method === 'GET' && !r.url.includes('*'))
      .map((r) => r.url.replace(/:([A-Za-z]+)/g, (_m, n: string) => ids[n] ?? n));
    const responses = [
      ...(await Promise.all(urls.map((u) => senco.get(u)))),
      await browser().get('/sign-in'),
      await browser().get('/pupils'),
      await senco.get('/no-such-page'),
      await senco.post('/pupils/new', {}),
      await senco.post('/pupils/new', {}, { csrf: false }),
      await senco.send('POST', '/pupils/new', '{}', 'application/json'),
      await (await signedIn(w.governor.email)).get('/register'),
      await app.inject('/assets/opensend.css'),
    ];
    for (const r of responses) {
      const where = `${r.raw.req.method} ${r.raw.req.url} → ${r.statusCode}`;
      expect(r.headers['x-frame-options'], where).toBe('DENY');
      expect(String(r.headers['content-security-policy']), where).toContain("frame-ancestors 'none'");
      const policy = String(r.headers['permissions-policy'] ?? '');
      expect(policy, where).toContain('camera=()');
      expect(policy, where).toContain('geolocation=()');
      expect(policy, where).toContain('microphone=()');
    }
  });
});

/** A small seeded generator (mulberry32), so the figures are the same every run. */
function generator(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STAGES: SenStage[] = ['none', 'monitoring', 'sen_support', 'ehc_plan'];
const FEW_NEEDS: NeedCode[] = ['ASD', 'SLCN', 'SEMH', 'SPLD', 'MLD', 'HI'];

/** Pupils at random stages and needs (few enough that small counts are common). */
async function pupilsAtRandom(schoolId: string, random: () => number, count: number) {
  const classId = (await buildClass(database.db, schoolId, `Class ${Math.floor(random() * 1e9)}`, 3)).id;
  for (let i = 0; i < count; i++) {
    const stage = STAGES[Math.floor(random() * STAGES.length)] as SenStage;
    const onRegister = stage === 'sen_support' || stage === 'ehc_plan';
    await buildPupil(database.db, {
      schoolId,
      classId,
      stage,
      primaryNeed: onRegister ? (FEW_NEEDS[Math.floor(random() * FEW_NEEDS.length)] as NeedCode) : null,
    });
  }
}

describe('small numbers in figures cannot identify a child', () => {
  /**
   * The figures page as read: each count shown, which of them belong to a breakdown (not a
   * whole-school total), and the page's arithmetic as constraints.
   */
  function readFigures(html: string) {
    const cells: Shown[] = [];
    const breakdown: Shown[] = [];
    const named = (text: string, name: string, inBreakdown = false) => {
      const c = shownCount(text, name);
      cells.push(c);
      if (inBreakdown) breakdown.push(c);
      return c;
    };
    const stageRows = tableRows(html, 'Pupils by SEN stage');
    const total = stageRows.find((r) => r[0] === 'All pupils');
    if (!total) throw new Error('no total row');
    const stages = stageRows
      .filter((r) => r !== total)
      .map((r) => ({ label: r[0] as string, n: named(r[1] as string, `stage:${r[0]}`) }));
    const allPupils = named(total[1] as string, 'total');
    const needRows = tableRows(html, 'Primary need of pupils on the register').map((r) => {
      const code = (/\(([A-Z]+)\)$/.exec(r[0] as string)?.[1] ?? 'none') as NeedCode | 'none';
      return {
        code,
        k: named(r[1] as string, `need:${code}:K`, true),
        e: named(r[2] as string, `need:${code}:E`, true),
      };
    });
    const areaRows = tableRows(html, 'Pupils on the register by broad area of need').map((r) => ({
      label: r[0] as string,
      n: named(r[1] as string, `area:${r[0]}`, true),
    }));
    const stage = (pattern: RegExp) => stages.find((s) => pattern.test(s.label))?.n ?? 0;
    const areaOf = (code: NeedCode) => areaOfNeed(code) ?? 'other';
    const constraints: Constraint[] = [
      relation(
        allPupils,
        stages.map((s) => s.n),
      ),
      relation(
        stage(/SEN support/),
        needRows.map((n) => n.k),
      ),
      relation(
        stage(/EHC plan/),
        needRows.map((n) => n.e),
      ),
      // Each broad area is the sum of its needs, at SEN support and with an EHC plan.
      ...areaRows.map((a) => {
        const key = a.label === 'Other' ? 'other' : AREAS_OF_NEED.find((x) => AREA_LABELS[x] === a.label);
        if (!key) throw new Error(`unknown area ${a.label}`);
        return relation(
          a.n,
          needRows.filter((n) => n.code !== 'none' && areaOf(n.code) === key).flatMap((n) => [n.k, n.e]),
        );
      }),
    ];
    return { cells, breakdown, constraints, allPupils, stages };
  }

  /** The counts a reader could work out: any hidden one, or one not shown that is above 0. */
  function workedBack(cells: Shown[], constraints: Constraint[], highest: number) {
    const unseen = cells.filter((c): c is { hidden: string; withheld?: boolean } => typeof c !== 'number');
    const withheld = new Set(unseen.filter((c) => c.withheld).map((c) => c.hidden));
    const found = workedOut(
      unseen.map((c) => c.hidden),
      constraints,
      { highest, lowest: (cell) => (withheld.has(cell) ? 0 : 1) },
    );
    return [...found]
      .filter(([cell, n]) => !withheld.has(cell) || n > 0)
      .map(([cell, n]) => `${cell} = ${n}`);
  }

  /** Each school's figures for its governor: the stage totals, checked that nothing can be worked out. */
  async function checkFigures(email: string, where: string) {
    const governor = await signedIn(email);
    const page = await governor.get('/figures');
    expect(page.statusCode, where).toBe(200);
    expect(page.body, where).toContain('shown as counted');
    const { cells, breakdown, constraints, allPupils, stages } = readFigures(page.body);
    // Whole-school totals are shown as counted; in a breakdown no count from 1 to 2 is shown.
    for (const s of [...stages.map((x) => x.n), allPupils]) expect(typeof s, where).toBe('number');
    expect(
      breakdown.filter((n) => n === 1 || n === 2),
      where,
    ).toEqual([]);
    const highest = typeof allPupils === 'number' ? allPupils : 1000;
    expect(workedBack(cells, constraints, highest), `${where}: worked out from the page`).toEqual([]);
    // The home page shows the same totals as the figures page.
    const home = await governor.get('/');
    const grid = Object.fromEntries(
      [
        ...home.body.matchAll(
          /<span class="app-count__number">([^<]*)<\/span><span class="app-count__label">([^<]*)<\/span>/g,
        ),
      ].map((m) => [textOf(m[2] ?? ''), Number(textOf(m[1] ?? ''))]),
    );
    const stageNamed = (pattern: RegExp) => stages.find((s) => pattern.test(s.label))?.n;
    expect(grid['EHC plan (E)'], where).toBe(stageNamed(/EHC plan/));
    expect(grid['SEN support (K)'], where).toBe(stageNamed(/SEN support/));
    expect(grid.Monitoring, where).toBe(stageNamed(/Monitoring/));
    expect(grid['Pupils on roll'], where).toBe(allPupils);
    return { stages, allPupils };
  }

  it('the governor’s /figures shows whole-school totals as counted, no 1 or 2 in a breakdown, and nothing that can be worked back', async () => {
    await checkFigures(w.governor.email, 'Oakfield Primary');
    const random = generator(20261120);
    for (let i = 0; i < 12; i++) {
      const school = await buildSchool(database.db, { name: `Figures School ${i}` });
      const governor = await buildStaff(database.db, 'sen_governor', { schoolId: school.id });
      await pupilsAtRandom(school.id, random, 3 + Math.floor(random() * 14));
      await checkFigures(governor.email, `Figures School ${i}`);
    }
  });

  it('the local authority officer sees each school’s figures exactly as its governor does, with nothing that can be worked back', async () => {
    const random = generator(7_654_321);
    for (let o = 0; o < 6; o++) {
      const organisation = await buildOrganisation(database.db, `Countyshire ${o}`);
      const officer = await buildOfficer(database.db, organisation.id);
      const schools = 1 + Math.floor(random() * 4);
      const governors: string[] = [];
      for (let s = 0; s < schools; s++) {
        const school = await buildSchool(database.db, {
          organisationId: organisation.id,
          name: `County School ${o}-${s}`,
        });
        governors.push((await buildStaff(database.db, 'sen_governor', { schoolId: school.id })).email);
        await pupilsAtRandom(school.id, random, Math.floor(random() * 9));
      }
      const page = await (await signedIn(officer.email)).get('/organisation');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('shown as counted');
      const cells: Shown[] = [];
      const named = (text: string, name: string) => {
        const c = shownCount(text, name);
        cells.push(c);
        return c;
      };
      const rows = tableRows(page.body, 'Pupils by SEN stage in each school').map((r, i) => ({
        name: r[0] as string,
        total: named(r[2] as string, `${i}:total`),
        monitoring: named(r[3] as string, `${i}:monitoring`),
        k: named(r[4] as string, `${i}:K`),
        e: named(r[5] as string, `${i}:E`),
      }));
      expect(rows).toHaveLength(schools);
      // The same figures as each school's governor sees.
      for (let s = 0; s < schools; s++) {
        const row = rows.find((r) => r.name === `County School ${o}-${s}`);
        const governor = await checkFigures(governors[s] as string, `County School ${o}-${s}`);
        const stage = (pattern: RegExp) => governor.stages.find((x) => pattern.test(x.label))?.n;
        expect(row, `County School ${o}-${s}`).toMatchObject({
          total: governor.allPupils,
          monitoring: stage(/Monitoring/),
          k: stage(/SEN support/),
          e: stage(/EHC plan/),
        });
      }
      const grid = Object.fromEntries(
        [
          ...page.body.matchAll(
            /<span class="app-count__number">([^<]*)<\/span><span class="app-count__label">([^<]*)<\/span>/g,
          ),
        ].map((m) => [textOf(m[2] ?? ''), textOf(m[1] ?? '')]),
      );
      const allPupils = named(grid.Pupils as string, 'all:total');
      const allK = named(grid['SEN support (K)'] as string, 'all:K');
      const allE = named(grid['EHC plan (E)'] as string, 'all:E');
      const constraints: Constraint[] = [
        relation(
          allPupils,
          rows.map((r) => r.total),
        ),
        relation(
          allK,
          rows.map((r) => r.k),
        ),
        relation(
          allE,
          rows.map((r) => r.e),
        ),
        // A school's pupils are at least those at its stages (the rest are not on the register).
        ...rows.map((r) => relation(r.total, [r.monitoring, r.k, r.e], { atMost: true })),
      ];
      expect(workedBack(cells, constraints, 1000), `organisation ${o}: worked out from the page`).toEqual([]);
    }
  });
});

describe('a pupil reached only through the directory shows nothing but name, class and year group', () => {
  /*
   * A class teacher and a teaching assistant may find any pupil of the school and raise a concern
   * (the directory grant: name, class and year group). Every page either of them can open with this
   * pupil's id, or a concern they raised about them, or a search for their name, must show nothing
   * else of their record: not their date of birth (in any form a page writes dates), UPN, date of
   * admission, parents' names, telephone or email, medical notes or attendance.
   */
  const DOB = '2016-11-23';
  const ADMITTED = '2021-09-06';
  let target: { id: string; upn: string };
  let concernIds: Record<string, string>;
  const forbidden = () => ({
    'date of birth': ['23 November 2016', '23/11/2016', DOB, '23 Nov 2016'],
    'date of admission': ['6 September 2021', '06/09/2021', ADMITTED],
    UPN: [target.upn],
    'parent’s name': ['Dorota Directory'],
    'parent’s telephone': ['07700 900987'],
    'parent’s email': ['dorota@directory.example'],
    'medical notes': ['Carries an inhaler for asthma'],
    attendance: ['87.3'],
  });
  /** The identity fields a page shows, by name. */
  const disclosed = (body: string) =>
    Object.entries(forbidden()).flatMap(([field, forms]) =>
      forms.some((f) => body.includes(f)) ? [field] : [],
    );

  beforeAll(async () => {
    // In Year 5 Ash: Tara Teacher teaches Year 4 Oak, and Tia Assistant is assigned another pupil.
    const p = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classB.id,
      forename: 'Dara',
      surname: 'Directory',
      dateOfBirth: DOB,
      admissionDate: ADMITTED,
      medicalCondition: true,
      medicalNotes: 'Carries an inhaler for asthma',
      attendancePercent: 87.3,
      stage: 'sen_support',
      primaryNeed: 'SEMH',
    });
    target = { id: p.id, upn: p.upn };
    await buildParent(database.db, p, {
      name: 'Dorota Directory',
      phone: '07700 900987',
      email: 'dorota@directory.example',
    });
    concernIds = {};
    for (const who of [w.teacherA, w.ta]) {
      concernIds[who.email] = await services.concerns.raise(who.actor, p.id, {
        kind: 'pastoral',
        concernDate: TODAY,
        reasons: 'Seemed withdrawn at lunch',
        classroomEvidence: 'Seen on duty',
        areasOfNeed: ['social_emotional_and_mental_health'],
        interventionsTried: [],
      });
    }
  });

  it('the find page and the concern form show name, class and year group, and nothing else of the record', async () => {
    for (const who of [w.teacherA, w.ta]) {
      const person = await signedIn(who.email);
      const found = await person.get('/pupils/find?q=Directory');
      expect(found.statusCode, who.email).toBe(200);
      expect(textOf(found.body)).toContain('Directory, Dara Year 5 Ash Year 5');
      expect(disclosed(found.body), `${who.email}: /pupils/find`).toEqual([]);
      // A UPN typed into the search finds nobody: the directory is searched by name only.
      const byUpn = await person.get(`/pupils/find?q=${target.upn}`);
      expect(byUpn.body, who.email).not.toContain(`/pupils/${target.id}/`);

      const form = await person.get(`/pupils/${target.id}/concerns/new`);
      expect(form.statusCode, who.email).toBe(200);
      const text = textOf(form.body);
      expect(text).toContain('Child’s name Dara Directory');
      expect(text).toContain('Class Year 5 Ash');
      expect(text).toContain('Year group Year 5');
      expect(text).not.toContain('Date of birth');
      expect(disclosed(form.body), `${who.email}: the concern form`).toEqual([]);

      const concern = await person.get(`/concerns/${concernIds[who.email]}`);
      expect(concern.statusCode, who.email).toBe(200);
      expect(textOf(concern.body)).toContain('Dara Directory');
      expect(disclosed(concern.body), `${who.email}: their concern`).toEqual([]);
    }
    // Someone who may read the pupil's details still sees their date of birth on the form.
    const senco = await signedIn(w.senco.email);
    expect(textOf((await senco.get(`/pupils/${target.id}/concerns/new`)).body)).toContain(
      'Date of birth 23 November 2016',
    );
  });

  it('no date sent with the concern form tells them the date of birth: the answer is the same either side of it, and names no date', async () => {
    const teacher = await signedIn(w.teacherA.email);
    const url = `/pupils/${target.id}/concerns/new`;
    const send = async (date: string) => {
      await teacher.get(url);
      const counts = await rowCounts(database);
      const r = await teacher.post(url, {
        kind: 'send',
        reasons: 'Finds number work hard',
        classroomEvidence: 'Assessments',
        areasOfNeed: 'cognition_and_learning',
        ...dateFields('concernDate', date),
      });
      return {
        status: r.statusCode,
        body: r.body,
        changed: changedTables(counts, await rowCounts(database)),
      };
    };
    const before = await send('2016-11-22');
    const after = await send('2016-11-24');
    expect(before.status).toBe(after.status);
    // Long before any pupil of Year 5 was born: refused, without a date in the message.
    const early = await send('2015-01-10');
    expect(early.status).toBe(400);
    expect(textOf(early.body)).toContain('The date of the concern cannot be before Dara was born');
    expect(disclosed(early.body)).toEqual([]);
    expect(early.changed).toEqual([]);

    // A pupil who has left: they are told so, not when (the date is part of the pupil's details).
    const leaver = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classB.id,
      forename: 'Lee',
      surname: 'Leaver',
    });
    await services.transfers.recordLeaving(w.senco.actor, leaver.id, {
      version: 1,
      leftOn: '2026-10-16',
      destination: null,
      destinationUrn: null,
    });
    const leaverUrl = `/pupils/${leaver.id}/concerns/new`;
    await teacher.get(leaverUrl);
    const refused = await teacher.post(leaverUrl, {
      kind: 'send',
      reasons: 'Finds number work hard',
      classroomEvidence: 'Assessments',
      areasOfNeed: 'cognition_and_learning',
      ...dateFields('concernDate', TODAY),
    });
    expect(refused.statusCode).toBe(400);
    expect(textOf(refused.body)).toContain('Lee Leaver left the school: their record is kept');
    expect(refused.body).not.toContain('16 October 2026');
  });

  it('every page a class teacher or teaching assistant can open with the pupil’s id, their concern or a search for them shows no identity field', async () => {
    const routes = app.routeList.filter((r) => r.method === 'GET' && !r.url.includes('*'));
    const checked: string[] = [];
    for (const who of [w.teacherA, w.ta]) {
      const person = await signedIn(who.email);
      const ids: Record<string, string> = {
        pupilId: target.id,
        concernId: concernIds[who.email] as string,
      };
      for (const route of routes) {
        const params = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);
        if (params.some((p) => !ids[p])) continue;
        const url = route.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => ids[name] as string);
        for (const u of params.length ? [url] : [url, `${url}?q=Directory`]) {
          const r = await person.get(u);
          if (r.statusCode !== 200) continue;
          checked.push(`${who.email} ${u}`);
          expect(disclosed(r.body), `${who.email}: GET ${u}`).toEqual([]);
        }
      }
    }
    // The pages the directory grant opens were among those checked.
    expect(checked).toEqual(
      expect.arrayContaining([
        `${w.teacherA.email} /pupils/${target.id}/concerns/new`,
        `${w.ta.email} /concerns/${concernIds[w.ta.email]}`,
        `${w.teacherA.email} /pupils/find?q=Directory`,
      ]),
    );
  });
});

describe('NUL in an upload or a kept form is refused or kept plainly, never a server error', () => {
  /** A multipart body with one file, as a browser sends an upload form (the CSRF token first). */
  async function upload(person: Browser, url: string, fileName: string, data: Buffer) {
    const form = new FormData();
    form.append('_csrf', person.token);
    form.append('file', new Blob([new Uint8Array(data)], { type: 'application/octet-stream' }), fileName);
    const request = new Request('http://opensend.test/', { method: 'POST', body: form });
    return person.send(
      'POST',
      url,
      Buffer.from(await request.arrayBuffer()),
      request.headers.get('content-type') ?? '',
    );
  }

  /** Each way of putting a NUL into a file: in every text of every element, or every cell of a CSV. */
  function poisoned(): { name: string; data: Buffer }[] {
    const files: { name: string; data: Buffer }[] = [];
    const xml = ctfXml({
      pupils: [
        {
          surname: 'Nulson',
          contacts: [{ surname: 'Nulson', forename: 'Nia', phone: '01632 960002', email: 'nia@x.example' }],
          sen: [['2025-09-01', 'K']],
          needs: [['SLCN', 1]],
        },
      ],
    });
    const texts = [...xml.matchAll(/>([^<>\s][^<>]*)</g)];
    texts.forEach((m, i) => {
      const at = (m.index ?? 0) + 2;
      files.push({
        name: `nul-in-element-${i}.xml`,
        data: Buffer.from(`${xml.slice(0, at)}\u0000${xml.slice(at)}`),
      });
    });
    const row = misRowFor(w.pupilA, { contactName: 'Nia Nulson', contactRelationship: 'Mother' });
    const headings = Object.keys(MIS_HEADINGS) as (keyof typeof MIS_HEADINGS)[];
    headings.forEach((key, i) => {
      files.push({
        name: `nul-in-heading-${i}.csv`,
        data: Buffer.from(misCsv([row], { ...MIS_HEADINGS, [key]: `${MIS_HEADINGS[key]}\u0000` })),
      });
      files.push({
        name: `nul-in-cell-${i}.csv`,
        data: Buffer.from(misCsv([{ ...row, [key]: `${row[key]}\u0000x` }])),
      });
    });
    // Far into a long file, past where a file's first bytes are looked at to tell text from binary.
    const many = Array.from({ length: 900 }, (_, i) =>
      misRowFor({ ...w.pupilA, upn: `A${i}`, forename: `Forename${i}`, surname: 'Manyrows' }),
    );
    files.push({
      name: 'nul-far-into-the-file.csv',
      data: Buffer.from(misCsv([...many, { ...row, surname: 'Ade\u0000bayo' }])),
    });
    return files;
  }

  it('every upload form refuses a file holding a NUL anywhere: 400 naming the file, nothing stored', async () => {
    const senco = await signedIn(w.senco.email);
    // Every form that sends a file, on the pages the SENCo can open.
    const uploads = new Set<string>();
    for (const route of app.routeList.filter((r) => r.method === 'GET' && !r.url.includes(':'))) {
      const page = await senco.get(route.url);
      for (const m of page.body.matchAll(/<form\b([^>]*)>/g)) {
        const attrs = m[1] ?? '';
        if (/enctype="multipart\/form-data"/.test(attrs))
          uploads.add(/action="([^"]*)"/.exec(attrs)?.[1] ?? '');
      }
    }
    expect([...uploads].sort()).toEqual(['/ctf/import', '/import/pupils', '/progress/import']);
    const files = poisoned();
    expect(files.length).toBeGreaterThan(40);
    for (const action of uploads) {
      for (const file of files) {
        await senco.get(action);
        const counts = await rowCounts(database);
        const r = await upload(senco, action, file.name, file.data);
        const where = `${action} ${file.name}`;
        expect(r.statusCode, `${where}: ${textOf(r.body).slice(0, 300)}`).toBe(400);
        expect(textOf(r.body), where).toContain(file.name);
        // The message says what is wrong (a NUL, and where), never only that it is not a CSV file.
        expect(textOf(r.body), where).toMatch(/holds a (control character \(NUL\)|NUL character)/);
        expect(changedTables(counts, await rowCounts(database)), where).toEqual([]);
      }
    }
  });

  it('a form sent after the session ended keeps a NUL as a character every field refuses: sending it is a plain 400, nothing saved', async () => {
    const senco = await signedIn(w.senco.email);
    const url = `/pupils/${w.pupilK.id}/parents/new`;
    await senco.get(url);
    await makeSessionsIdle(database, w.senco.actor.userId);
    const sent = await senco.post(url, { parentName: 'Held\u0000Nul', relationship: 'Aunt\u0000' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/sign-in');
    const held = (
      await database.db.select().from(heldForm).where(eq(heldForm.userId, w.senco.actor.userId))
    ).at(-1);
    expect(held?.body).toMatchObject({ parentName: 'Held\uFFFDNul', relationship: 'Aunt\uFFFD' });
    await senco.get('/sign-in');
    expect((await senco.post('/sign-in', { email: w.senco.email, password: TEST_PASSWORD })).statusCode).toBe(
      303,
    );
    const resume = await senco.get(`/resume/${held?.id}`);
    expect(resume.statusCode).toBe(200);
    const { action, fields } = formWith(resume.body, '_heldForm');
    const counts = await rowCounts(database);
    const again = await senco.post(action, fields);
    expect(again.statusCode).toBe(400);
    expect(textOf(again.body)).toContain(
      'Name must be a single line of text without hidden control characters',
    );
    expect(changedTables(counts, await rowCounts(database))).toEqual([]);
  });

  it('an upload sent after the session ended keeps the form but not the file (nor its name), and says to choose it again', async () => {
    for (const action of ['/import/pupils', '/ctf/import']) {
      const senco = await signedIn(w.senco.email);
      await senco.get(action);
      await makeSessionsIdle(database, w.senco.actor.userId);
      const sent = await upload(senco, action, 'nul\u0000name.xml', Buffer.from('<CTfile>\u0000</CTfile>'));
      expect(sent.statusCode, action).toBe(303);
      expect(sent.headers.location, action).toBe('/sign-in');
      const held = (
        await database.db.select().from(heldForm).where(eq(heldForm.userId, w.senco.actor.userId))
      ).at(-1);
      expect(held?.path, action).toBe(action);
      expect(held?.body, action).toEqual({});
      const page = await senco.get('/sign-in');
      expect(textOf(page.body), action).toContain('choose the file again');
    }
  });

  it('every form sent after the session ended with a NUL in each of its fields is kept, never a server error', async () => {
    const senco = await signedIn(w.senco.email);
    const forms = new Map<string, FormField[]>();
    for (const route of app.routeList.filter((r) => r.method === 'GET' && !r.url.includes('*'))) {
      const ids: Record<string, string> = { pupilId: w.pupilK.id, staffId: w.teacherB.actor.userId };
      if (paramsOf(route.url).some((p) => !ids[p])) continue;
      for (const [action, fields] of formsOf((await senco.get(fillPath(route.url, ids))).body)) {
        // /join works signed out too: a session ended before it is sent holds nothing (it answers as to anyone).
        if (action !== '/sign-out' && action !== '/join' && !forms.has(action)) forms.set(action, fields);
      }
    }
    expect(forms.size).toBeGreaterThan(15);
    for (const [action, fields] of forms) {
      const person = await signedIn(w.senco.email);
      await person.get('/');
      await makeSessionsIdle(database, w.senco.actor.userId);
      const body = Object.fromEntries(
        groupPairs(filledIn(fields).map(([k, v]): [string, string] => [k, `${v}\u0000`])),
      );
      const r = await person.post(action, body);
      expect(r.statusCode, action).toBe(303);
      expect(r.headers.location, action).toBe('/sign-in');
    }
  });
});

function groupPairs(pairs: [string, string][]): [string, string | string[]][] {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of pairs) grouped.set(k, [...(grouped.get(k) ?? []), v]);
  return [...grouped].map(([k, v]) => [k, v.length === 1 ? (v[0] as string) : v]);
}
