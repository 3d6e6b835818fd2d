import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvent, auditEventPupil, caseDecision, organisationCase } from '../../src/db/schema/index.ts';
import {
  buildFinalPlan,
  buildOfficer,
  buildPupil,
  buildSchool,
  buildWorld,
  examplePlanSections,
  testServices,
} from '../builders/index.ts';
import { testApp } from '../client.ts';
import { freshDatabase } from '../db.ts';
import { Browser } from './support.ts';

/*
 * The SEN2 return is the authority's own: it holds the children of its own cases and plans, never
 * another authority's, whatever is asked of the page; a child the authority placed at another
 * authority's school is returned from the authority's own copy of their details, never read from that
 * school's records; and the audit row of each return is on the authority's own chain.
 */

const database = await freshDatabase();
const services = testServices(database);
const w = await buildWorld(database);
const { app } = await testApp(database, services);
afterAll(async () => {
  await app.close();
  await database.close();
});

async function assessedPlan(
  pupil: { schoolId: string; id: string; upn: string },
  organisationId: string,
  school: { id: string; name: string; urn: string },
  received?: unknown,
) {
  const sections = examplePlanSections(school);
  const plan = await buildFinalPlan(database.db, pupil, organisationId, {
    receivedOn: '2026-02-02',
    issuedOn: '2026-06-15',
    sections,
  });
  await database.db.insert(caseDecision).values({
    organisationId,
    id: randomUUID(),
    caseId: plan.caseId,
    kind: 'assess',
    decidedOn: '2026-03-09',
    parentsToldOn: '2026-03-09',
    decidedByName: 'Casey Caseworker',
  });
  if (received) {
    await database.db
      .update(organisationCase)
      .set({ received })
      .where(and(eq(organisationCase.organisationId, organisationId), eq(organisationCase.id, plan.caseId)));
  }
  return plan;
}

// The world's authority (A) with a plan for Kit; another authority (B) with its own school and child;
// and a child A placed at B's school, whose row there B's school keeps under another surname.
const a = w.officer;
const b = await buildOfficer(database.db, undefined, ['caseworker']);
const bSchool = await buildSchool(database.db, {
  organisationId: b.organisationId,
  name: 'Farshire Primary',
});
const bChild = await buildPupil(database.db, { schoolId: bSchool.id, forename: 'Bea', surname: 'Farshire' });
await assessedPlan(bChild, b.organisationId, bSchool);
await assessedPlan(w.pupilK, a.organisationId, w.school);
const placed = await buildPupil(database.db, {
  schoolId: bSchool.id,
  forename: 'Pia',
  surname: 'AsTheSchoolHasIt',
});
await assessedPlan(placed, a.organisationId, bSchool, {
  child: {
    upn: placed.upn,
    forename: 'Pia',
    surname: 'Placed',
    birthDate: '2016-05-01',
    sex: 'F',
    senTypes: [{ senType: 'ASD', senTypeRank: 1 }],
  },
});

async function surnamesIn(officerEmail: string, query = '') {
  const browser = new Browser(app);
  await browser.signIn(officerEmail);
  const file = await browser.get(`/organisation/sen2/sen2.xml${query}`);
  expect(file.statusCode).toBe(200);
  const parsed = new XMLParser({ isArray: (n) => n === 'Person' }).parse(file.body);
  return ((parsed.Message.Persons?.Person ?? []) as { Surname: string }[]).map((p) => p.Surname).sort();
}

describe('each authority’s SEN2 return', () => {
  it('holds its own children only, and the child it placed elsewhere from its own copy', async () => {
    expect(await surnamesIn(a.email)).toEqual([w.pupilK.surname, 'Placed'].sort());
    expect(await surnamesIn(b.email)).toEqual(['Farshire']);
  });

  it('asks nothing of the other authority whatever the page is sent', async () => {
    for (const query of [
      '?year=2027&organisationId=' + a.organisationId,
      '?organisation=' + a.organisationId,
      '?year[]=2027',
    ])
      expect(await surnamesIn(b.email, query)).toEqual(['Farshire']);
  });

  it('is audited on the asking authority’s chain only', async () => {
    await surnamesIn(b.email);
    const rows = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.userId, b.actor.userId), eq(auditEvent.action, 'sen2.return_downloaded')));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatchObject({ organisationId: b.organisationId, schoolId: null });
    const linked = await database.db
      .select()
      .from(auditEventPupil)
      .where(eq(auditEventPupil.eventId, rows[0]!.id));
    expect(linked.map((l) => l.pupilId)).toEqual([bChild.id]);
  });
});
