import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildConsent,
  buildFinalPlan,
  buildParent,
  buildReferral,
  buildReport,
  buildReviewDecision,
  buildWorld,
  TEST_PASSWORD,
  TODAY,
  testServices,
} from '../builders/index.ts';
import { testApp } from '../client.ts';
import { freshDatabase } from '../db.ts';
import { type FormField, filledIn, formsOf, type Pairs, queryKeysOf } from './forms.ts';
import {
  Browser,
  caseIdsOf,
  changedTables,
  fillPath,
  letterAbout,
  planIdsOf,
  recommendationIdOf,
  recordIdsOf,
  rowCounts,
  topUpIdsOf,
} from './support.ts';

/*
 * Property-based fuzzing of every route the app registers (app.routeList, so a new route is fuzzed
 * without touching this file): as a signed-in SENCo with a valid CSRF token, with real records' ids in
 * the path, every POST route gets random bodies and every GET route random query strings.
 *
 * Bodies start from the route's own form as a page renders it (found on the pages the SENCo can open,
 * its empty fields filled in as a person would), so that they get past the first checks, and are then
 * mutated: values replaced by random text with control characters and NUL, very long text (under and
 * over the body limit), numbers in odd forms, lists where one value is expected, repeated and unknown
 * keys, fields left out. Each field is also poisoned in turn, the rest of the form valid. JSON,
 * text/plain and other bodies are sent too; path parameters that are not ids get 404.
 *
 * Every answer must be below 500 (the request that broke it is printed), every redirect must stay on
 * this site, and no text the app stores may hold a control character. A valid request may change rows,
 * so rows are counted only around the other answers: the rows of every table (from
 * information_schema; the audit trail, which records refusals and views, and sign-in throttling left
 * out) are counted before and after each request and must be unchanged whenever the answer was not a
 * 303 (a refused or invalid request, shown again or answered with an error, saves nothing).
 *
 * The run is bounded and deterministic: a fixed seed (printed; FUZZ_SEED changes it) and a fixed
 * number of runs per route (FUZZ_RUNS); only the ids of the records differ from run to run.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const POST_RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const GET_RUNS = Math.max(4, Math.round(POST_RUNS / 2));
console.log(
  `fuzz: seed ${SEED}, ${POST_RUNS} runs per form route, ${GET_RUNS} per page (FUZZ_SEED, FUZZ_RUNS)`,
);

const database = await freshDatabase();
const services = testServices(database);
const w = await buildWorld(database);
const { app } = await testApp(database, services);
/** Answers by route, printed at the end: how deep the fuzzing got (400s are forms shown again). */
const answers = new Map<string, Map<number, number>>();
afterAll(async () => {
  for (const [route, counts] of answers) {
    console.log(`${route}: ${[...counts].map(([status, n]) => `${status}×${n}`).join(' ')}`);
  }
  await app.close();
  await database.close();
});

// Records for every kind of id a route may take: the SENCo's own school's.
const concernId = await services.concerns.raise(w.teacherA.actor, w.pupilK.id, {
  kind: 'send',
  concernDate: TODAY,
  reasons: 'Reasons',
  classroomEvidence: 'Evidence',
  areasOfNeed: ['cognition_and_learning'],
  interventionsTried: [],
});
const invited = await services.staff.add(w.senco.actor, {
  name: 'Already Elsewhere',
  email: w.otherSenco.email,
  roles: ['office'],
  password: null,
});
const heldFormId = await services.account.holdForm(
  { userId: w.senco.actor.userId, schoolId: w.school.id },
  `/pupils/${w.pupilK.id}/parents/new`,
  { parentName: 'Kept Parent', relationship: 'Aunt' },
  'fuzz-set-up',
);
// A sent referral of Kit's, with consent and a report back (its professional's pages refuse the SENCo).
const referralK = await buildReferral(database.db, w.pupilK, { status: 'sent', sentOn: '2026-10-10' });
await buildConsent(database.db, referralK);
const reportK = (await buildReport(database.db, referralK)).report;
// A letter inviting a second carer of Kit's to OpenSEND (getting in, docs/adr/0039).
const letterInvitation = await services.familyInvitations.invite(
  w.senco.actor,
  w.pupilK.id,
  (await buildParent(database.db, w.pupilK, { name: 'Invited Carer', relationship: 'Father' })).id,
  { method: 'letter' },
);
const IDS: Record<string, string> = {
  parentInvitationId: letterInvitation.invitationId,
  referralId: referralK.id,
  reportId: reportK.id,
  pupilId: w.pupilK.id,
  concernId,
  staffId: w.teacherB.actor.userId,
  parentId: w.parentK.id,
  invitationId: invited.kind === 'invited' ? invited.invitationId : randomUUID(),
  schoolId: w.school.id,
  heldFormId,
  letterId: await letterAbout(services, w.senco.actor, w.pupilK.id, w.parentK.id),
  pupilVoiceId: await services.pupilVoice.record(w.senco.actor, w.pupilK.id, 'one_page_profile', null, {
    answers: { feelAtSchool: { face: 'ok', words: 'Fine' } },
    writtenWith: 'Mrs Patel',
  }),
  ...(await recordIdsOf(services, database, {
    actor: w.senco.actor,
    schoolId: w.school.id,
    classId: w.classA.id,
    pupil: w.pupilA,
  })),
  ...(await planIdsOf(services, database, {
    actor: w.senco.actor,
    schoolId: w.school.id,
    pupilId: w.pupilK.id,
  })),
  recommendationId: await recommendationIdOf(database, w.pupilK),
  ...(await caseIdsOf(services, database, w.officer, w.pupilK)),
  // Eli's EHC plan at the authority (its pages are an officer's: the SENCo is refused them).
  ...(await buildFinalPlan(database.db, w.pupilE, w.officer.organisationId).then(async (plan) => ({
    ehcPlanId: plan.planId,
    // And the authority's record of a review of it, waiting for the decision.
    reviewDecisionId: (await buildReviewDecision(database.db, plan, w.pupilE)).decisionId,
  }))),
  // Kit's application for top-up funding being written (the case his first one opened is not fuzzed here).
  ...(await topUpIdsOf(services, database, {
    actor: w.senco.actor,
    schoolId: w.school.id,
    pupilId: w.pupilK.id,
  }).then(({ topUpId }) => ({ topUpId }))),
  // The complaints log and staff training (issue 18).
  complaintId: await services.complaints.create(w.senco.actor, {
    kind: 'formal',
    receivedOn: '2026-11-02',
    complainantName: 'A parent',
    complainantRelationship: null,
    pupilId: w.pupilK.id,
    summary: 'Sessions missed',
    aboutUserIds: [],
    handledBy: null,
  }),
  trainingId: await services.training
    .record(w.senco.actor, [w.teacherB.actor.userId], {
      course: 'Zones of Regulation',
      completedOn: '2026-10-05',
      hours: 2,
      area: 'general',
      provider: null,
      notes: null,
    })
    .then(async () => (await services.training.school(w.senco.actor)).records[0]!.id),
  planItemId: await services.training.addPlanItem(w.senco.actor, {
    title: 'Attention Autism',
    area: 'communication_and_interaction',
    audience: null,
    term: null,
    status: 'planned',
    notes: null,
  }),
  appointmentId: await services.training.recordSencoAppointment(w.senco.actor, {
    userId: w.senco.actor.userId,
    appointedOn: '2025-09-01',
    qualification: 'npq_senco',
    startedOn: null,
    achievedOn: null,
    provider: null,
    endedOn: null,
  }),
  // Year 4 Oak's pupil progress meeting for this half term, and the school's first subject.
  meetingId: (await services.progressMeetings.prepare(w.senco.actor, w.classA.id)).meetingId,
  subjectId: (await services.attainment.subjects(w.senco.actor)).inUse[0]!.id,
  schoolReportId: await services.schoolReports.start(w.senco.actor, {
    kind: 'sen_information',
    academicYear: Number(TODAY.slice(0, 4)),
  }),
  // A change of contact details Kit's mother asked for (the office decides it; the SENCo may too).
  contactChangeId: await services.contactChanges.ask(w.parent.actor, w.pupilK.id, {
    phone: '07700 900 777',
    email: null,
    note: null,
  }),
};

const senco = await new Browser(app).signedIn(w.senco.email);
// A parent's pages (Kit's mother): fuzzed from her session, as the SENCo is refused them.
const parent = await new Browser(app).signedIn(w.parent.email);
await parent.get('/children');
const isFamilyRoute = (url: string) => url.startsWith('/children/') || url === '/account/mail';

/** Routes that end the session they are sent in: fuzzed from a session of their own each time. */
const ENDS_SESSION = new Set(['POST /sign-out']);
const routes = app.routeList.filter((r) => !r.url.includes('*'));

/** Every form on the pages the SENCo can open (and the sign-in page), by where it is sent. */
const formsByAction = new Map<string, FormField[]>();
/** The page each form was found on, to read it again when the record it shows has changed. */
const pageOfAction = new Map<string, string>();
/** Every query-string key the pages use (links and GET forms). */
const queryKeys = new Set(['q', 'page', 'returnTo', 'stage', 'need', 'area', 'year', 'flags', 'classId']);
const visitor = new Browser(app);
for (const r of routes.filter((x) => x.method === 'GET')) {
  const url = fillPath(r.url, IDS);
  const bodies = [(await senco.get(url)).body, (await visitor.get(url)).body];
  if (isFamilyRoute(r.url)) bodies.push((await parent.get(url)).body);
  for (const body of bodies) {
    for (const k of queryKeysOf(body)) queryKeys.add(k);
    for (const [action, fields] of formsOf(body)) {
      // A form kept after a session ended is sent to the same place as the page's own form: use the page's.
      const had = formsByAction.get(action);
      if (!had || had.some((f) => f.name === '_heldForm')) {
        formsByAction.set(action, fields);
        pageOfAction.set(action, url);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// What is sent

const ODD_VALUES = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0000'.repeat(50),
  '\r\n',
  '\n\n\n',
  '\t',
  '\u0008\u001b[31m',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff',
  '💥',
  'e\u0301',
  '0',
  '-0',
  '-1',
  '+1',
  '01',
  '1.5',
  '1e400',
  '-1e400',
  '1e-400',
  '0x1F',
  '0b11',
  'NaN',
  'Infinity',
  '99999999999',
  '2147483648',
  '9'.repeat(40),
  '١٢',
  '１２',
  '٣١',
  'true',
  'false',
  'null',
  'undefined',
  'on',
  'off',
  'yes',
  'accept',
  '[object Object]',
  '__proto__',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '%00',
  '%',
  '../../etc/passwd',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '7d1e5f0a-3c2b-4e8f-9a6d-1b2c3d4e5f60',
  ...Object.values(IDS),
  `school:${w.school.id}`,
  `school:${w.otherSchool.id}`,
  `organisation:${w.officer.organisationId}`,
  w.otherPupil.id,
  w.otherSenco.actor.userId,
  '31',
  '2',
  '2026',
  '1900',
  '0000',
  '29',
  TEST_PASSWORD,
  'copper kettle rainy orbit',
];
const ODD_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'a[b]',
  'a.b',
  '',
  ' ',
  '\u0000',
  'x'.repeat(300),
];

/** A value: odd forms, random text with any code unit, or very long text (under or over the body limit). */
const valueArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...ODD_VALUES) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('x', 'é', '\u0000', 'line\r\n'), fc.constantFrom(5_000, 120_000))
      .map(([s, n]) => s.repeat(Math.ceil(n / s.length))),
  },
  { weight: 1, arbitrary: fc.constant('y'.repeat(300_000)) },
);

type Mutation =
  | { kind: 'set'; at: number; value: string }
  | { kind: 'repeat'; at: number; value: string }
  | { kind: 'drop'; at: number }
  | { kind: 'add'; key: string; value: string };

function mutationArb(knownKeys: string[]): fc.Arbitrary<Mutation> {
  const key = fc.oneof(
    { weight: 3, arbitrary: knownKeys.length ? fc.constantFrom(...knownKeys) : fc.constant('field') },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.constantFrom('_csrf', '_heldForm', 'version', 'returnTo') },
  );
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: valueArb }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), value: valueArb }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), key, value: valueArb }) },
  );
}

function mutate(base: Pairs, mutations: Mutation[]): Pairs {
  const pairs: Pairs = base.map(([k, v]) => [k, v]);
  for (const m of mutations) {
    if (m.kind === 'add') {
      pairs.push([m.key, m.value]);
      continue;
    }
    if (pairs.length === 0) continue;
    const i = m.at % pairs.length;
    const [k] = pairs[i] as [string, string];
    if (m.kind === 'set') pairs[i] = [k, m.value];
    else if (m.kind === 'repeat') pairs.push([k, m.value]);
    else pairs.splice(i, 1);
  }
  return pairs;
}

/** A query string: known and unknown keys, any values, repeated keys, and raw broken escapes. */
const queryArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.tuple(
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...queryKeys) },
          { weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) },
        ),
        valueArb.map((v) => (v.length > 20_000 ? v.slice(0, 20_000) : v)),
      ),
      { maxLength: 6 },
    ),
    fc.constantFrom(
      '',
      '&%',
      '&q=%zz',
      '&q=%C0%80',
      '&q=%FF%FE',
      '&&&',
      '&q',
      '&=x',
      '&q[a]=1',
      '&q=a%00b',
      '&page=-1',
    ),
  )
  .map(([pairs, raw]) => {
    const params = new URLSearchParams();
    for (const [k, v] of pairs) params.append(k, v);
    const s = params.toString() + raw;
    return s ? `?${s}` : '';
  });

// ---------------------------------------------------------------------------------------------
// What is checked

let controlQuery: ReturnType<typeof sql.raw> | null = null;
/** Text the app stored that holds a control character no field accepts (tab and line breaks aside). */
async function storedControlCharacters(): Promise<string[]> {
  if (!controlQuery) {
    const result = await database.db.execute(sql`
      select table_name::text as table, column_name::text as column from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying')
        and table_name not in ('audit_event', 'audit_event_pupil', 'sign_in_throttle', 'held_form')`);
    const columns = (result as unknown as { rows: { table: string; column: string }[] }).rows;
    controlQuery = sql.raw(
      columns
        .map(
          ({ table, column }) =>
            `select '${table}.${column}' as at from "${table}" where "${column}" ~ E'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]'`,
        )
        .join(' union all '),
    );
  }
  const result = await database.db.execute(controlQuery);
  return (result as unknown as { rows: { at: string }[] }).rows.map((r) => r.at);
}

function describeRequest(method: string, url: string, contentType: string | null, body: string | null) {
  const shown = (s: string) =>
    s.length > 2_000 ? `${JSON.stringify(s.slice(0, 2_000))}… (${s.length} characters)` : JSON.stringify(s);
  return `${method} ${shown(url)}${contentType ? `\ncontent-type: ${contentType}` : ''}${body !== null ? `\nbody: ${shown(body)}` : ''}`;
}

/** Send one request and check every rule; throws with the request when one is broken. */
async function check(
  browser: Browser,
  method: 'GET' | 'POST',
  route: string,
  url: string,
  body: { payload: string; contentType: string } | null,
): Promise<LightMyRequestResponse> {
  const before = await rowCounts(database);
  const response =
    method === 'GET'
      ? await browser.get(url)
      : await browser.send(
          'POST',
          url,
          (body as { payload: string }).payload,
          (body as { contentType: string }).contentType,
        );
  const request = describeRequest(method, url, body?.contentType ?? null, body?.payload ?? null);
  const counts = answers.get(`${method} ${route}`) ?? new Map<number, number>();
  counts.set(response.statusCode, (counts.get(response.statusCode) ?? 0) + 1);
  answers.set(`${method} ${route}`, counts);
  if (response.statusCode >= 500) {
    throw new Error(`server error ${response.statusCode} for\n${request}\n${response.body.slice(0, 500)}`);
  }
  const location = response.headers.location;
  if (location !== undefined) {
    const target = new URL(String(location), 'http://opensend.test');
    if (target.origin !== 'http://opensend.test' || !/^\/(?![/\\])/.test(String(location))) {
      throw new Error(`redirect off this site (${JSON.stringify(location)}) for\n${request}`);
    }
  }
  const after = await rowCounts(database);
  const changed = changedTables(before, after);
  if (response.statusCode !== 303 && changed.length > 0) {
    throw new Error(
      `rows changed by a ${response.statusCode} answer (${changed.join(', ')}) for\n${request}`,
    );
  }
  if (response.statusCode === 303 && changed.length > 0) {
    const bad = await storedControlCharacters();
    if (bad.length > 0) throw new Error(`control characters stored (${bad.join(', ')}) by\n${request}`);
  }
  return response;
}

/** The browser to send a route's requests from: the SENCo's, or a new session for one that ends it. */
async function browserFor(key: string): Promise<Browser> {
  if (isFamilyRoute(key.slice(key.indexOf(' ') + 1))) {
    if (!parent.token) await parent.get('/');
    return parent;
  }
  if (!ENDS_SESSION.has(key)) return senco;
  const fresh = await new Browser(app).signedIn(w.senco.email);
  await fresh.get('/');
  return fresh;
}

const params = (pairs: Pairs, token: string | null) => {
  const p = new URLSearchParams();
  if (token !== null) p.append('_csrf', token);
  for (const [k, v] of pairs) p.append(k, v);
  return p.toString();
};

describe.each(routes.filter((r) => r.method === 'GET'))('GET $url', (route) => {
  const url = fillPath(route.url, IDS);
  it('random query strings: never 5xx, nothing saved', async () => {
    await fc.assert(
      fc.asyncProperty(queryArb, async (query) => {
        await check(isFamilyRoute(route.url) ? parent : senco, 'GET', route.url, `${url}${query}`, null);
      }),
      { seed: SEED, numRuns: GET_RUNS, endOnFailure: true },
    );
  });
});

describe.each(routes.filter((r) => r.method === 'POST'))('POST $url', (route) => {
  const key = `POST ${route.url}`;
  const url = fillPath(route.url, IDS);
  let form = formsByAction.get(url) ?? [];
  const known = [...new Set(form.map((f) => f.name))];
  /** After a save (or someone else's), the form's version is out of date: read its page again. */
  async function refreshForm(last: LightMyRequestResponse) {
    const page = pageOfAction.get(url);
    if (!page || (last.statusCode !== 303 && last.statusCode !== 409)) return;
    const again = formsOf((await (isFamilyRoute(route.url) ? parent : senco).get(page)).body).get(url);
    if (again) form = again;
  }

  it(`random form bodies (from its page's form: ${known.join(', ') || 'none found'}): never 5xx, nothing saved unless it answers 303`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb(known), { minLength: 0, maxLength: 5 }), async (mutations) => {
        const browser = await browserFor(key);
        if (browser === senco && !senco.token) await senco.get('/');
        const response = await check(browser, 'POST', route.url, url, {
          payload: params(mutate(filledIn(form), mutations), browser.token),
          contentType: 'application/x-www-form-urlencoded',
        });
        await refreshForm(response);
      }),
      { seed: SEED, numRuns: ENDS_SESSION.has(key) ? 3 : POST_RUNS, endOnFailure: true },
    );
  });

  it(
    'each field poisoned in turn (NUL; other control characters), the rest filled in: never 5xx, nothing stored with them',
    async () => {
      for (const field of known) {
        for (const poison of ['Fuzz\u0000text', 'Fuzz\u0007\u001b[2J\u0085\u2028text']) {
          const browser = await browserFor(key);
          const pairs = filledIn(form).map(([k, v]): [string, string] => [k, k === field ? poison : v]);
          const response = await check(browser, 'POST', route.url, url, {
            payload: params(pairs, browser.token),
            contentType: 'application/x-www-form-urlencoded',
          });
          await refreshForm(response);
        }
      }
    },
    // Two requests a field: a form of fifty fields (a support plan's) needs more than the default time.
    Math.max(30_000, known.length * 2 * 1_000),
  );

  it('JSON, text and other bodies: refused (415; a broken upload 400), never 5xx, nothing saved', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(...known, ...ODD_KEYS, '_csrf'),
          fc.oneof(
            valueArb.map((v) => v.slice(0, 1_000)),
            fc.jsonValue(),
          ),
          {
            maxKeys: 6,
          },
        ),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'text/plain; charset=utf-8',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/octet-stream',
        ),
        async (object, contentType) => {
          const browser = await browserFor(key);
          const payload = contentType.includes('json')
            ? JSON.stringify({ ...object, _csrf: browser.token })
            : params(
                Object.entries(object).map(([k, v]) => [k, String(v)]),
                browser.token,
              );
          const response = await check(browser, 'POST', route.url, url, { payload, contentType });
          // Uploads are multipart, so a multipart body that is not one is a bad request, not a wrong type.
          expect(response.statusCode, describeRequest('POST', url, contentType, payload)).toBe(
            contentType.startsWith('multipart/') ? 400 : 415,
          );
        },
      ),
      { seed: SEED, numRuns: ENDS_SESSION.has(key) ? 2 : 3, endOnFailure: true },
    );
  });
});

describe('path parameters that are not ids', () => {
  it('every route that takes an id answers 404 for anything that is not one (never 5xx, nothing saved)', async () => {
    const junk = ['x', '%00', `${IDS.pupilId}%00`, '%E2%80%A8'];
    for (const route of routes.filter(
      (r) => r.url.includes(':') && !ENDS_SESSION.has(`${r.method} ${r.url}`),
    )) {
      for (const j of junk) {
        const url = route.url.replace(/:([A-Za-z]+)/g, () => j);
        const response = await check(
          senco,
          route.method,
          `${route.url} (not ids)`,
          url,
          route.method === 'POST'
            ? { payload: params([], senco.token), contentType: 'application/x-www-form-urlencoded' }
            : null,
        );
        expect(response.statusCode, `${route.method} ${url}`).toBe(404);
      }
    }
  });
});

describe('the fuzzing reaches every route', () => {
  it('knows every kind of id the routes take, and found a form for the form routes', () => {
    for (const r of routes) expect(() => fillPath(r.url, IDS), `${r.method} ${r.url}`).not.toThrow();
    // A form page that is not found is fuzzed with bodies built from nothing: say so if that grows.
    const withoutForm = routes
      .filter((r) => r.method === 'POST' && !formsByAction.has(fillPath(r.url, IDS)))
      .map((r) => r.url);
    expect(
      withoutForm.length,
      `POST routes with no form on any page: ${withoutForm.join(', ')}`,
    ).toBeLessThan(routes.filter((r) => r.method === 'POST').length / 2);
  });
});
