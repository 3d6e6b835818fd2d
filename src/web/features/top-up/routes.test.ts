import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOfficer, buildProvisionGroup, TODAY } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { readPdf } from '../../../../test/pdf.ts';
import { topUpApplication, topUpDecision } from '../../../db/schema/index.ts';

/*
 * The pages of high-needs top-up funding through HTTP, as an attacker would send them: amounts that are
 * not amounts ("£-5", "1e9", "6,000.005", "0"), dates out of order, control characters, a value sent
 * twice, a stale version; each is told plainly, what was typed is kept, and nothing is saved.
 */

const t = useApp();
const date = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return { [`${name}-day`]: String(d), [`${name}-month`]: String(m), [`${name}-year`]: String(y) };
};
/** The home page's count of pupils over the threshold with no top-up funding agreed or asked for. */
const overThresholdCount = (html: string) => {
  const at = html.indexOf('href="/provision#over-threshold"');
  return at < 0 ? null : Number(/<span class="app-count__number">(\d+)<\/span>/.exec(html.slice(at))?.[1]);
};
const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

let senco: Client;
let head: Client;
let teacher: Client;
let officer: Client;
let topUpId: string;

const form = (over: Record<string, string | string[]> = {}) => ({
  amount: '£4,500',
  ...date('periodFrom', '2026-12-01'),
  ...date('periodTo', '2027-08-31'),
  rationale: 'Daily one-to-one support has moved Kit on.',
  ...over,
});

beforeAll(async () => {
  await buildProvisionGroup(t.database.db, {
    schoolId: t.w.school.id,
    pupilIds: [t.w.pupilK.id],
    name: 'One-to-one speech and language',
    delivererKind: 'external',
    sessionsPerWeek: 5,
    minutesPerSession: 120,
    startDate: '2026-09-07',
  });
  senco = new Client(t.app);
  await senco.signIn(t.w.senco.email);
  head = new Client(t.app);
  await head.signIn(t.w.head.email);
  teacher = new Client(t.app);
  await teacher.signIn(t.w.teacherA.email);
  officer = new Client(t.app);
  await officer.signIn(t.w.officer.email);
});

const row = async () =>
  (await t.database.db.select().from(topUpApplication).where(eq(topUpApplication.id, topUpId)))[0]!;

describe('starting an application from the pupil’s page', () => {
  it('before any application, the map prompts on Kit’s row and the home page counts Kit as one to act on', async () => {
    const map = await senco.get('/provision/map');
    expect(map.body).toContain('Consider a high-needs top-up application');
    const home = await senco.get('/dashboard');
    expect(overThresholdCount(home.body)).toBe(1);
  });

  it('the pupil’s provision offers it to the SENCo, not to the class teacher, who sees no link', async () => {
    const page = await senco.get(`/pupils/${t.w.pupilK.id}`);
    expect(page.body).toContain(`href="/pupils/${t.w.pupilK.id}/top-up/new"`);
    const theirs = await teacher.get(`/pupils/${t.w.pupilK.id}`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('/top-up/new');
  });

  it('builds it in one action, and a review decision that is not open is refused', async () => {
    await senco.get(`/pupils/${t.w.pupilK.id}/top-up/new`);
    const refused = await senco.post(`/pupils/${t.w.pupilK.id}/top-up/new`, {
      pupilActionId: '00000000-0000-4000-8000-000000000000',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('This review’s decision is no longer open');
    const twice = await senco.post(`/pupils/${t.w.pupilK.id}/top-up/new`, { pupilActionId: ['a', 'b'] });
    expect(twice.statusCode).toBe(400);
    expect(await t.database.db.select().from(topUpApplication)).toEqual([]);
    const made = await senco.post(`/pupils/${t.w.pupilK.id}/top-up/new`, {});
    expect(made.statusCode).toBe(303);
    topUpId = String(made.headers.location).replace('/top-up/', '');
    const page = await senco.get(String(made.headers.location));
    expect(page.body).toContain('The application is built from the pupil’s record');
    expect(page.body).toContain('5 × 120 minutes a week, by Northshire Reading Service');
  });
});

describe('the application’s form', () => {
  it('refuses amounts that are not amounts, keeping what was typed and saving nothing', async () => {
    const before = await row();
    for (const [typed, message] of [
      ['£-5', 'The amount a year must be an amount in pounds, like £4,500'],
      ['1e9', 'The amount a year must be an amount in pounds, like £4,500'],
      ['6,000.005', 'The amount a year must be an amount in pounds, like £4,500'],
      ['0', 'The amount a year must be more than £0'],
      ['£100,000.01', 'The amount a year must be £100,000 or less'],
    ] as const) {
      await senco.get(`/top-up/${topUpId}`);
      const response = await senco.post(
        `/top-up/${topUpId}`,
        form({ version: String(before.version), amount: typed }),
      );
      expect(response.statusCode, typed).toBe(400);
      expect(response.body).toContain(message);
      expect(response.body).toContain(`value="${typed.replace('&', '&amp;')}"`);
    }
    expect(await row()).toEqual(before);
  });

  it('refuses dates out of order, control characters and a value sent twice', async () => {
    const before = await row();
    const v = String(before.version);
    const out = await senco.post(
      `/top-up/${topUpId}`,
      form({ version: v, ...date('periodFrom', '2027-08-31'), ...date('periodTo', '2026-12-01') }),
    );
    expect(out.statusCode).toBe(400);
    expect(out.body).toContain('The date the funding ends must be after the date it starts');
    const hidden = await senco.post(
      `/top-up/${topUpId}`,
      form({ version: v, rationale: 'Works\u0000 well' }),
    );
    expect(hidden.statusCode).toBe(400);
    expect(hidden.body).toContain('must not contain hidden control characters');
    const twice = await senco.post(`/top-up/${topUpId}`, form({ version: v, amount: ['4500', '9000'] }));
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('The amount a year must be entered once');
    expect(await row()).toEqual(before);
  });

  it('saves; a stale save shows the other change and keeps the user’s text', async () => {
    const page = await senco.get(`/top-up/${topUpId}`);
    const seen = versionOf(page.body);
    const saved = await senco.post(`/top-up/${topUpId}`, form({ version: seen }));
    expect(saved.statusCode).toBe(303);
    expect(await row()).toMatchObject({
      amountPence: 450_000,
      periodFrom: '2026-12-01',
      periodTo: '2027-08-31',
    });
    await head.get(`/top-up/${topUpId}`);
    const stale = await head.post(
      `/top-up/${topUpId}`,
      form({ version: seen, rationale: 'The head’s own words' }),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this application');
    expect(stale.body).toContain('The head’s own words');
    expect((await row()).rationale).toBe('Daily one-to-one support has moved Kit on.');
  });

  it('its PDF is a tagged PDF of the application, its data file the application', async () => {
    const pdf = await senco.get(`/top-up/${topUpId}/application.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const read = readPdf(pdf.rawPayload);
    expect(read.info).toMatch(/Tagged:\s+yes/);
    const text = read.text;
    expect(text).toContain('Application for high-needs top-up funding: Kit Kowalski');
    expect(text).toContain('£4,500');
    const json = await senco.get(`/top-up/${topUpId}/application.json`);
    expect(JSON.parse(json.body)).toMatchObject({
      format: 'opensend.top-up-application',
      pupil: { forename: 'Kit', surname: 'Kowalski' },
      request: { amountPence: 450_000, periodFrom: '2026-12-01', periodTo: '2027-08-31' },
    });
  });
});

describe('sending and the local authority’s decision', () => {
  let caseId: string;

  it('sends into the caseload at the version seen', async () => {
    const page = await senco.get(`/top-up/${topUpId}/send`);
    expect(page.body).toContain('Send the application to Testshire Council');
    const stale = await senco.post(`/top-up/${topUpId}/send`, { version: '1' });
    expect(stale.statusCode).toBe(409);
    const sent = await senco.post(`/top-up/${topUpId}/send`, { version: versionOf(page.body) });
    expect(sent.statusCode).toBe(303);
    caseId = (await row()).caseId!;
    expect(caseId).toBeTruthy();
    // Sent and waiting: the provision page says so instead of prompting an application.
    const provision = await senco.get('/provision');
    expect(provision.body).toContain('Application for top-up funding sent 20 November 2026');
    const list = await senco.get('/ehc-requests');
    expect(list.body).toContain('Applications for high-needs top-up funding');
    expect(list.body).toContain(`href="/top-up/${topUpId}"`);
    expect(list.body).toContain('waiting for the local authority’s decision');
  });

  it('refuses a decision that is not one, keeping what was typed and saving nothing', async () => {
    const url = `/organisation/cases/${caseId}/top-up-decision`;
    const page = await officer.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Kit Kowalski');
    const decision = (over: Record<string, string | string[]>) => ({
      version: '0',
      outcome: 'agreed',
      ...date('decidedOn', TODAY),
      amount: '£4,500',
      ...date('fundedFrom', '2026-12-01'),
      ...date('fundedUntil', '2027-08-31'),
      reasons: 'Well evidenced',
      ...over,
    });
    for (const [over, message] of [
      [{ outcome: 'granted' }, 'Choose the decision: agreed, agreed in part or refused'],
      [{ amount: '£-5' }, 'The amount agreed a year must be an amount in pounds, like £4,500'],
      [{ amount: '1e9' }, 'The amount agreed a year must be an amount in pounds, like £4,500'],
      [{ outcome: 'refused' }, 'Leave the amount empty when the application is refused'],
      [{ ...date('decidedOn', '2026-11-21') }, 'The date of the decision must be today or in the past'],
      [{ ...date('decidedOn', '2026-02-30') }, 'The date of the decision must be a real date'],
      [
        { ...date('fundedUntil', '2026-01-01') },
        'The date the funding ends must be after the date it starts',
      ],
      [{ reasons: '' }, 'Give the reasons for the decision, as the school will read them'],
      [{ version: '-1' }, 'This form is out of date'],
    ] as const) {
      const response = await officer.post(url, decision(over));
      expect(response.statusCode, JSON.stringify(over)).toBe(400);
      expect(response.body, JSON.stringify(over)).toContain(message);
    }
    expect(await t.database.db.select().from(topUpDecision)).toEqual([]);
    const agreed = await officer.post(url, decision({}));
    expect(agreed.statusCode).toBe(303);
    // A second first decision (another caseworker's page, opened before) is stale: shown theirs.
    const again = await officer.post(url, decision({ amount: '£3,000', outcome: 'agreed_in_part' }));
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Someone else recorded a decision on this application');
    expect(again.body).toContain('£3,000');
    expect(await t.database.db.select().from(topUpDecision)).toHaveLength(1);
  });

  it('a panel member reads the decision and is not offered the form; the school sees the decision', async () => {
    const panel = await buildOfficer(t.database.db, t.w.officer.organisationId, ['panel_member']);
    const client = new Client(t.app);
    await client.signIn(panel.email);
    const url = `/organisation/cases/${caseId}/top-up-decision`;
    const page = await client.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Agreed, on 20 November 2026');
    expect(page.body).not.toContain('Save the decision');
    const refused = await client.post(url, {
      version: '1',
      outcome: 'refused',
      ...date('decidedOn', TODAY),
      reasons: 'Not enough evidence',
    });
    expect(refused.statusCode).toBe(403);
    expect((await t.database.db.select().from(topUpDecision))[0]!.outcome).toBe('agreed');
    const school = await senco.get(`/top-up/${topUpId}`);
    expect(school.body).toContain('The local authority’s decision');
    expect(school.body).toContain('Well evidenced');
    // Where it stands says it was decided, not still "sent".
    expect(school.body).toContain('Decided: agreed, on 20 November 2026');
    // The class teacher sees that there is an application and where it stands, with no way into it.
    const theirs = await teacher.get(`/pupils/${t.w.pupilK.id}`);
    expect(theirs.body).toContain('Application for £4,500 a year');
    expect(theirs.body).toContain('The local authority’s decision: Agreed');
    expect(theirs.body).not.toContain(`/top-up/${topUpId}`);
    const record = await senco.get(`/pupils/${t.w.pupilK.id}`);
    expect(record.body).toMatch(/Top-up funding in 2026\/27 \(academic year\)/);
    expect(record.body).toMatch(/£[\d,.]+ agreed, against £[\d,.]+ of costs above the threshold/);
  });

  it('the caseload and the case page lead to the decision, which leads back to the caseload', async () => {
    const caseload = await officer.get('/organisation/cases?show=closed');
    expect(caseload.body).toContain(`href="/organisation/cases/${caseId}/top-up-decision"`);
    const casePage = await officer.get(`/organisation/cases/${caseId}`);
    expect(casePage.statusCode).toBe(200);
    expect(casePage.body).toContain(`href="/organisation/cases/${caseId}/top-up-decision"`);
    // Decided, so closed: the decision is seen (and changed, by a caseworker) on its own page.
    expect(casePage.body).toContain('See the decision on top-up funding');
    expect(casePage.body).not.toContain(`/organisation/cases/${caseId}/decisions/new`);
    const decision = await officer.get(`/organisation/cases/${caseId}/top-up-decision`);
    expect(decision.body).toContain('href="/organisation/cases">Back to the caseload');
  });

  it('the school’s list shows the decision with its amount and period; the prompt to apply gives way to it', async () => {
    const list = await senco.get('/ehc-requests');
    expect(list.body).toContain(
      'Agreed on 20 November 2026: £4,500 a year, 1 December 2026 to 31 August 2027',
    );
    const theirs = await teacher.get('/ehc-requests');
    expect(theirs.body).toContain('Kit Kowalski');
    expect(theirs.body).not.toContain(`href="/top-up/${topUpId}"`);
    const record = await senco.get(`/pupils/${t.w.pupilK.id}`);
    expect(record.body).toContain('Top-up agreed to 31 August 2027');
    expect(record.body).not.toContain('consider a high-needs top-up application');
    const provision = await senco.get('/provision');
    expect(provision.body).toContain('Top-up agreed to 31 August 2027');
    expect(provision.body).not.toContain('consider a high-needs top-up application');
    // The termly map says so on Kit's row, and the home page no longer counts Kit as one to act on.
    const map = await senco.get('/provision/map');
    expect(map.body).toContain('Kit');
    expect(map.body).toContain('Top-up agreed to 31 August 2027');
    expect(map.body).not.toContain('Consider a high-needs top-up application');
    const home = await senco.get('/dashboard');
    expect(overThresholdCount(home.body)).toBe(0);
  });
});
