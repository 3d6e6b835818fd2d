import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, TODAY, type World } from '../../test/builders.ts';
import { Client, testApp } from '../../test/client.ts';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';

/**
 * Every route, as every role and signed out, against the table of what each may do. School roles
 * reach only their own school; class teachers their classes; assistants their pupils; office staff
 * no SEN records; the governor no named pupil; the organisation officer figures across schools.
 */
type Who = 'out' | 'senco' | 'head' | 'teacher' | 'ta' | 'office' | 'governor' | 'officer';
const EVERYONE: Who[] = ['out', 'senco', 'head', 'teacher', 'ta', 'office', 'governor', 'officer'];

interface Case {
  method: 'GET' | 'POST';
  path: (ids: Ids) => string;
  expect: Partial<Record<Who, number>>;
  /** Status for roles not listed (signed out is 303 unless listed). */
  otherwise: number;
}

interface Ids {
  K: string;
  parent: string;
  E: string;
  other: string;
  concern: string;
  teacherB: string;
  ta: string;
}

const SCHOOL_STAFF = { senco: 200, head: 200, teacher: 200, ta: 200, office: 200, governor: 200 };
const CASES: Case[] = [
  { method: 'GET', path: () => '/healthz', expect: { out: 200 }, otherwise: 200 },
  { method: 'GET', path: () => '/setup', expect: { out: 404 }, otherwise: 404 },
  { method: 'GET', path: () => '/', expect: { ...SCHOOL_STAFF, officer: 303 }, otherwise: 403 },
  { method: 'GET', path: () => '/choose-school', expect: { ...SCHOOL_STAFF, officer: 200 }, otherwise: 403 },
  {
    method: 'GET',
    path: () => '/pupils',
    expect: { senco: 200, head: 200, teacher: 200, ta: 200, office: 200 },
    otherwise: 403,
  },
  {
    method: 'GET',
    path: () => '/pupils/new',
    expect: { senco: 200, head: 200, office: 200 },
    otherwise: 403,
  },
  {
    method: 'GET',
    path: (i) => `/pupils/${i.K}`,
    expect: { senco: 200, head: 200, teacher: 200, ta: 404, office: 200 },
    otherwise: 403,
  },
  {
    method: 'GET',
    path: (i) => `/pupils/${i.E}`,
    expect: { senco: 200, head: 200, teacher: 404, ta: 200, office: 200 },
    otherwise: 403,
  },
  {
    method: 'GET',
    path: (i) => `/pupils/${i.other}`,
    expect: { senco: 404, head: 404, teacher: 404, ta: 404, office: 404 },
    otherwise: 403,
  },
  {
    method: 'GET',
    path: () => `/pupils/not-a-uuid`,
    expect: { senco: 404, head: 404, teacher: 404, ta: 404, office: 404, governor: 404, officer: 404 },
    otherwise: 404,
  },
  {
    method: 'GET',
    path: (i) => `/pupils/${i.K}/edit`,
    expect: { senco: 200, head: 200, office: 200 },
    otherwise: 403,
  },
  {
    method: 'GET',
    path: (i) => `/pupils/${i.K}/parents/new`,
    expect: { senco: 200, head: 200, office: 200 },
    otherwise: 403,
  },
  {
    method: 'GET',
    path: (i) => `/pupils/${i.K}/register`,
    expect: { senco: 200, head: 200 },
    otherwise: 403,
  },
  { method: 'GET', path: (i) => `/pupils/${i.K}/audit`, expect: { senco: 200, head: 200 }, otherwise: 403 },
  {
    method: 'GET',
    path: (i) => `/pupils/${i.K}/concerns/new`,
    expect: { senco: 200, head: 200, teacher: 200, ta: 404 },
    otherwise: 403,
  },
  {
    method: 'GET',
    path: () => '/register',
    expect: { senco: 200, head: 200, teacher: 200, ta: 200 },
    otherwise: 403,
  },
  { method: 'GET', path: () => '/register.csv', expect: { senco: 200, head: 200 }, otherwise: 403 },
  { method: 'GET', path: () => '/register/print', expect: { senco: 200, head: 200 }, otherwise: 403 },
  { method: 'GET', path: () => '/register/review', expect: { senco: 200 }, otherwise: 403 },
  { method: 'GET', path: (i) => `/register/review/${i.K}`, expect: { senco: 200 }, otherwise: 403 },
  { method: 'GET', path: (i) => `/register/review/${i.other}`, expect: { senco: 404 }, otherwise: 403 },
  { method: 'GET', path: () => '/figures', expect: { senco: 200, head: 200, governor: 200 }, otherwise: 403 },
  {
    method: 'GET',
    path: () => '/concerns',
    expect: { senco: 200, head: 200, teacher: 200, ta: 200 },
    otherwise: 403,
  },
  {
    method: 'GET',
    path: (i) => `/concerns/${i.concern}`,
    expect: { senco: 200, head: 200, teacher: 200, ta: 404 },
    otherwise: 403,
  },
  {
    method: 'GET',
    path: (i) => `/concerns/${i.concern}/review`,
    expect: { senco: 200, head: 200, teacher: 404, ta: 404 },
    otherwise: 403,
  },
  { method: 'GET', path: () => '/staff', expect: { senco: 200 }, otherwise: 403 },
  { method: 'GET', path: () => '/staff/new', expect: { senco: 200 }, otherwise: 403 },
  { method: 'GET', path: (i) => `/staff/${i.teacherB}`, expect: { senco: 200 }, otherwise: 403 },
  { method: 'GET', path: () => '/organisation', expect: { officer: 200 }, otherwise: 403 },
  // Posts carry a valid CSRF token and an empty form: allowed roles get the form back with errors (400).
  { method: 'POST', path: () => '/setup', expect: { out: 404 }, otherwise: 404 },
  { method: 'POST', path: () => '/sign-in', expect: { out: 400 }, otherwise: 400 },
  { method: 'POST', path: () => '/choose-school', expect: {}, otherwise: 400 },
  {
    method: 'POST',
    path: () => '/pupils/new',
    expect: { senco: 400, head: 400, office: 400 },
    otherwise: 403,
  },
  {
    method: 'POST',
    path: (i) => `/pupils/${i.K}/edit`,
    expect: { senco: 400, head: 400, office: 400 },
    otherwise: 403,
  },
  {
    method: 'POST',
    path: (i) => `/pupils/${i.other}/edit`,
    expect: { senco: 404, head: 404, office: 404 },
    otherwise: 403,
  },
  {
    method: 'POST',
    path: (i) => `/pupils/${i.K}/parents/new`,
    expect: { senco: 400, head: 400, office: 400 },
    otherwise: 403,
  },
  {
    method: 'POST',
    path: (i) => `/pupils/${i.K}/parents/${i.parent}/edit`,
    expect: { senco: 400, head: 400, office: 400 },
    otherwise: 403,
  },
  {
    method: 'POST',
    path: (i) => `/pupils/${i.K}/parents/${randomUUID()}/remove`,
    expect: { senco: 404, head: 404, office: 404 },
    otherwise: 403,
  },
  { method: 'POST', path: (i) => `/pupils/${i.K}/staff`, expect: { senco: 303 }, otherwise: 403 },
  {
    method: 'POST',
    path: (i) => `/pupils/${i.K}/staff/${randomUUID()}/remove`,
    expect: { senco: 303 },
    otherwise: 403,
  },
  {
    method: 'POST',
    path: (i) => `/pupils/${i.K}/register`,
    expect: { senco: 400, head: 400 },
    otherwise: 403,
  },
  { method: 'POST', path: (i) => `/register/review/${i.K}`, expect: { senco: 400 }, otherwise: 403 },
  {
    method: 'POST',
    path: (i) => `/pupils/${i.K}/concerns/new`,
    expect: { senco: 400, head: 400, teacher: 400, ta: 404 },
    otherwise: 403,
  },
  {
    method: 'POST',
    path: (i) => `/pupils/${i.E}/concerns/new`,
    expect: { senco: 400, head: 400, teacher: 404, ta: 400 },
    otherwise: 403,
  },
  {
    method: 'POST',
    path: (i) => `/concerns/${i.concern}/review`,
    expect: { senco: 400, head: 400, teacher: 404, ta: 404 },
    otherwise: 403,
  },
  { method: 'POST', path: () => '/staff/new', expect: { senco: 400 }, otherwise: 403 },
  { method: 'POST', path: (i) => `/staff/${i.teacherB}`, expect: { senco: 400 }, otherwise: 403 },
  { method: 'POST', path: (i) => `/staff/${i.teacherB}/password`, expect: { senco: 400 }, otherwise: 403 },
];

let database: Database;
let w: World;
let app: Awaited<ReturnType<typeof testApp>>['app'];
let ids: Ids;
const clients = new Map<Who, Client>();

beforeAll(async () => {
  database = await freshDatabase();
  w = await buildWorld(database);
  const built = await testApp(database);
  app = built.app;
  const concern = await built.services.concerns.raise(w.teacherA.actor, w.pupilK.id, {
    kind: 'send',
    concernDate: TODAY,
    reasons: 'Reasons',
    classroomEvidence: 'Evidence',
    areasOfNeed: ['cognition_and_learning'],
    interventionsTried: [],
  });
  ids = {
    K: w.pupilK.id,
    parent: w.parentK.id,
    E: w.pupilE.id,
    other: w.otherPupil.id,
    concern,
    teacherB: w.teacherB.actor.userId,
    ta: w.ta.actor.userId,
  };
  const emails: Record<Exclude<Who, 'out'>, string> = {
    senco: w.senco.email,
    head: w.head.email,
    teacher: w.teacherA.email,
    ta: w.ta.email,
    office: w.office.email,
    governor: w.governor.email,
    officer: w.officer.email,
  };
  const out = new Client(app);
  await out.get('/sign-in');
  clients.set('out', out);
  for (const [who, email] of Object.entries(emails) as [Exclude<Who, 'out'>, string][]) {
    const client = new Client(app);
    await client.signIn(email);
    clients.set(who, client);
  }
});
afterAll(async () => {
  await app.close();
  await database.close();
});

describe.each(EVERYONE)('as %s', (who) => {
  for (const c of CASES) {
    const expected = c.expect[who] ?? (who === 'out' ? 303 : c.otherwise);
    it(`${c.method} ${c.path({ K: ':pupil', parent: ':parent', E: ':pupilE', other: ':otherSchoolPupil', concern: ':concern', teacherB: ':staff', ta: ':ta' })} → ${expected}`, async () => {
      const client = clients.get(who)!;
      const path = c.path(ids);
      const response = c.method === 'GET' ? await client.get(path) : await client.post(path, {});
      expect(response.statusCode, `${who} ${c.method} ${path}`).toBe(expected);
      if (expected === 303 && who === 'out' && !['/healthz'].includes(path)) {
        expect(String(response.headers.location)).toMatch(/^\/sign-in/);
      }
    });
  }
});
