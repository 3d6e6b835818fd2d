import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { agency } from '../../src/db/schema/index.ts';
import { buildOfficer, buildSchool, buildStaff, buildWorld, testServices } from '../builders/index.ts';
import { testApp } from '../client.ts';
import { freshDatabase } from '../db.ts';
import { auditRows, Browser, changedTables, lastAuditId, rowCounts } from './support.ts';

/*
 * The local authority's list of outside agencies belongs to the authority. Another authority's officer,
 * and the staff of a school of another authority, asking for its services and professionals by id get
 * what they get for ids that exist nowhere (404), nothing changes, and each refusal is audited on the
 * asker's own chain. A school's keepers may read their authority's services and never change them
 * (403, audited).
 */

const database = await freshDatabase();
const services = testServices(database);
const w = await buildWorld(database);
const { app } = await testApp(database, services);
afterAll(async () => {
  await app.close();
  await database.close();
});

const SERVICE = {
  name: 'Northshire Educational Psychology',
  serviceKind: 'educational_psychology' as const,
  contactName: null,
  email: 'eps@northshire.example',
  phone: null,
  website: null,
  address: null,
  howToRefer: 'The EPS request form',
  needsFromSchool: null,
  typicalWaitWeeks: 10,
};
const FORM = {
  name: 'Taken over',
  serviceKind: 'camhs',
  email: 'x@example.com',
  typicalWaitWeeks: '1',
  version: '1',
  jobTitle: 'Nobody',
  archived: 'yes',
};

const agencyId = await services.organisationAgencies.addAgency(w.officer.actor, SERVICE);
const professionalId = await services.organisationAgencies.addProfessional(w.officer.actor, agencyId, {
  name: 'Dr Priya Shah',
  jobTitle: 'Educational psychologist',
  email: 'priya@northshire.example',
});
const strangerOfficer = await buildOfficer(database.db);
const strangerSchool = await buildSchool(database.db, { organisationId: strangerOfficer.organisationId });
const strangerSenco = await buildStaff(database.db, 'senco', { schoolId: strangerSchool.id });

const officerRoutes = (a: string, p: string) =>
  [
    ['GET', `/organisation/agencies/${a}`],
    ['GET', `/organisation/agencies/${a}/edit`],
    ['POST', `/organisation/agencies/${a}/edit`],
    ['POST', `/organisation/agencies/${a}/archive`],
    ['GET', `/organisation/agencies/${a}/professionals/new`],
    ['POST', `/organisation/agencies/${a}/professionals/new`],
    ['GET', `/organisation/agencies/${a}/professionals/${p}`],
    ['POST', `/organisation/agencies/${a}/professionals/${p}`],
    ['POST', `/organisation/agencies/${a}/professionals/${p}/archive`],
  ] as const;
const schoolRoutes = (a: string, p: string) =>
  [
    ['GET', `/agencies/${a}`],
    ['GET', `/agencies/${a}/edit`],
    ['POST', `/agencies/${a}/edit`],
    ['POST', `/agencies/${a}/archive`],
    ['GET', `/agencies/${a}/professionals/new`],
    ['POST', `/agencies/${a}/professionals/new`],
    ['GET', `/agencies/${a}/professionals/${p}`],
    ['POST', `/agencies/${a}/professionals/${p}`],
    ['POST', `/agencies/${a}/professionals/${p}/archive`],
  ] as const;

async function send(browser: Browser, method: 'GET' | 'POST', url: string) {
  return method === 'GET' ? browser.get(url) : browser.post(url, FORM);
}

async function probe(
  who: string,
  email: string,
  userId: string,
  routes: readonly (readonly ['GET' | 'POST', string])[],
  nowhere: readonly (readonly ['GET' | 'POST', string])[],
  expected: (nowhereStatus: number) => number,
) {
  const browser = await new Browser(app).signedIn(email);
  for (const [i, [method, url]] of routes.entries()) {
    const [nm, nurl] = nowhere[i]!;
    const nowhereStatus = (await send(browser, nm, nurl)).statusCode;
    const counts = await rowCounts(database);
    const after = await lastAuditId(database);
    const response = await send(browser, method, url);
    const where = `${who}: ${method} ${url}`;
    expect(response.statusCode, where).toBe(expected(nowhereStatus));
    expect(changedTables(counts, await rowCounts(database)), where).toEqual([]);
    const refusals = (await auditRows(database, { afterId: after })).filter(
      (r) => r.user_id === userId && (r.action === 'access.not_found' || r.action === 'access.refused'),
    );
    expect(refusals.length, `${where}: the refusal is audited`).toBeGreaterThan(0);
    // Nothing is recorded as if a school held the authority's service.
    const probes = (await auditRows(database, { afterId: after })).filter(
      (r) => r.action === 'access.probe_from_other_school',
    );
    expect(probes, where).toEqual([]);
  }
}

describe('another authority’s list', () => {
  it('its officer gets “not found” for every page of our services and professionals, audited on their chain', async () => {
    await probe(
      'another authority’s officer',
      strangerOfficer.email,
      strangerOfficer.actor.userId,
      officerRoutes(agencyId, professionalId),
      officerRoutes(randomUUID(), randomUUID()),
      (nowhere) => {
        expect(nowhere).toBe(404);
        return 404;
      },
    );
    const rows = await auditRows(database, { action: 'access.not_found' });
    expect(rows.some((r) => r.user_id === strangerOfficer.actor.userId && r.detail?.id === agencyId)).toBe(
      true,
    );
  });

  it('the staff of a school of another authority get “not found”, as for ids that exist nowhere', async () => {
    await probe(
      'a SENCo of another authority’s school',
      strangerSenco.email,
      strangerSenco.actor.userId,
      schoolRoutes(agencyId, professionalId),
      schoolRoutes(randomUUID(), randomUUID()),
      (nowhere) => nowhere,
    );
  });

  it('our own schools read it and never change it: 403, audited', async () => {
    const browser = await new Browser(app).signedIn(w.senco.email);
    expect((await browser.get(`/agencies/${agencyId}`)).statusCode).toBe(200);
    const routes = schoolRoutes(agencyId, professionalId).filter(
      ([, url]) => url !== `/agencies/${agencyId}`,
    );
    await probe('our SENCo', w.senco.email, w.senco.actor.userId, routes, routes, () => 403);
    const [row] = await database.db.select().from(agency).where(eq(agency.id, agencyId));
    expect(row).toMatchObject({ name: SERVICE.name, version: 1, archivedAt: null });
  });
});
