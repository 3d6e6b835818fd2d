import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { ehcPlan, ehcPlanVersion } from '../../src/db/schema/index.ts';
import {
  buildFinalPlan,
  buildOfficer,
  buildSchool,
  buildStaff,
  buildWorld,
  testServices,
} from '../builders/index.ts';
import { testApp } from '../client.ts';
import { freshDatabase } from '../db.ts';
import { auditRows, Browser, changedTables, lastAuditId, rowCounts } from './support.ts';

/*
 * An EHC plan is its local authority's (docs/adr/0038). Another authority's officer asking for its pages
 * by id gets what an id that exists nowhere gets (404), nothing changes, and the refusal is audited on
 * their chain. The staff of the child's own school, a parent and a professional are refused the
 * authority's pages (403, audited): the school sees the final plan on its own pages. A form sent with
 * hostile values (another plan's item references, a row count in the millions, JSON) changes nothing.
 */

const database = await freshDatabase();
const services = testServices(database);
const w = await buildWorld(database);
const { app } = await testApp(database, services);
afterAll(async () => {
  await app.close();
  await database.close();
});

const ours = await buildFinalPlan(database.db, w.pupilE, w.officer.organisationId, {
  issuedOn: '2025-11-01',
});
await services.ehcPlans.startAmendment(w.officer.actor, ours.planId, { reason: 'annual_review' });
const strangerOfficer = await buildOfficer(database.db, undefined, ['caseworker']);
const strangerSchool = await buildSchool(database.db, { organisationId: strangerOfficer.organisationId });
const strangerSenco = await buildStaff(database.db, 'senco', { schoolId: strangerSchool.id });

const FORM = {
  version: '1',
  section: 'a',
  rows: '1',
  text: 'Taken over',
  reason: 'died',
  ...{ 'ceasedOn-day': '1', 'ceasedOn-month': '11', 'ceasedOn-year': '2026' },
  ...{ 'sentOn-day': '1', 'sentOn-month': '11', 'sentOn-year': '2026' },
};

const planRoutes = (id: string) =>
  [
    ['GET', `/organisation/plans/${id}`],
    ['GET', `/organisation/plans/${id}/section?section=a`],
    ['POST', `/organisation/plans/${id}/section?section=a`],
    ['GET', `/organisation/plans/${id}/send`],
    ['POST', `/organisation/plans/${id}/send`],
    ['POST', `/organisation/plans/${id}/comments`],
    ['POST', `/organisation/plans/${id}/issue`],
    ['POST', `/organisation/plans/${id}/amend`],
    ['POST', `/organisation/plans/${id}/cease`],
    ['GET', `/organisation/plans/${id}/versions?from=1&to=2`],
    ['GET', `/organisation/plans/${id}/plan.pdf`],
  ] as const;

async function planState() {
  const [plan] = await database.db.select().from(ehcPlan).where(eq(ehcPlan.id, ours.planId));
  const versions = await database.db
    .select()
    .from(ehcPlanVersion)
    .where(eq(ehcPlanVersion.planId, ours.planId));
  return { plan, versions: versions.map((v) => [v.number, v.version, v.stage]) };
}

async function probe(who: string, email: string, userId: string, expected: number) {
  const browser = await new Browser(app).signedIn(email);
  const nowhere = planRoutes(randomUUID());
  for (const [i, [method, url]] of planRoutes(ours.planId).entries()) {
    const [nm, nurl] = nowhere[i]!;
    const send = (m: string, u: string) => (m === 'GET' ? browser.get(u) : browser.post(u, FORM));
    const nowhereStatus = (await send(nm, nurl)).statusCode;
    const counts = await rowCounts(database);
    const before = await planState();
    const after = await lastAuditId(database);
    const response = await send(method, url);
    const where = `${who}: ${method} ${url}`;
    expect(response.statusCode, where).toBe(expected);
    if (expected === 404) expect(nowhereStatus, where).toBe(404);
    expect(changedTables(counts, await rowCounts(database)), where).toEqual([]);
    expect(await planState(), where).toEqual(before);
    const refusals = (await auditRows(database, { afterId: after })).filter(
      (r) => r.user_id === userId && (r.action === 'access.not_found' || r.action === 'access.refused'),
    );
    expect(refusals.length, `${where}: the refusal is audited`).toBeGreaterThan(0);
  }
}

describe('another authority’s plan', () => {
  it('its officer gets “not found” for every page of the plan, as for ids that exist nowhere, audited', async () => {
    await probe('another authority’s caseworker', strangerOfficer.email, strangerOfficer.actor.userId, 404);
  });

  it('the staff of the child’s own school are refused the authority’s pages, and so is a stranger school', async () => {
    await probe('the child’s SENCo', w.senco.email, w.senco.actor.userId, 403);
    await probe(
      'a SENCo of another authority’s school',
      strangerSenco.email,
      strangerSenco.actor.userId,
      403,
    );
    await probe('a parent', w.parent.email, w.parent.actor.userId, 403);
  });
});

describe('hostile section forms', () => {
  it('refuses references taken from elsewhere, huge row counts and JSON, and saves nothing', async () => {
    const browser = await new Browser(app).signedIn(w.officer.email);
    const url = `/organisation/plans/${ours.planId}/section?section=e`;
    const current = async () =>
      (await database.db.select().from(ehcPlanVersion).where(eq(ehcPlanVersion.planId, ours.planId))).find(
        (v) => v.number === 2,
      )!;
    const before = await current();
    // An outcome given the reference of an item of provision: the plan would name one thing twice.
    const clash = await browser.post(url, {
      version: String(before.version),
      section: 'e',
      rows: '1',
      'id-0': 'prov-salt',
      'text-0': 'An outcome pretending to be provision',
    });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('Two items of the plan have the same reference');
    // Links to needs the plan does not hold, and a row count in the millions.
    const links = await browser.post(url, {
      version: String(before.version),
      section: 'e',
      rows: '9999999',
      'text-0': 'An outcome',
      'needs-0': ['need-language', 'need-of-another-plan'],
    });
    expect(links.statusCode).toBe(400);
    expect(links.body).toContain('Choose needs from the plan');
    // A section that is not one, and JSON where a form is expected.
    expect(
      (await browser.post(`/organisation/plans/${ours.planId}/section?section=zz`, { version: '1' }))
        .statusCode,
    ).toBe(404);
    const json = await app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/json',
        cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      payload: JSON.stringify({ version: String(before.version), section: 'e', rows: '1', 'text-0': 'x' }),
    });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
    expect((await current()).version).toBe(before.version);
    expect((await current()).sections).toEqual(before.sections);
  });
});
