import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildFinalPlan,
  buildOfficer,
  buildPupil,
  buildSchool,
  examplePlanSections,
} from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { caseDecision } from '../../../db/schema/index.ts';

/*
 * The SEN2 return through the app: the officer sees the census date, the figures and the child to
 * correct with a link to the plan; downloads the XML; school staff and a panel member are refused; the
 * governor's figures page shows the school's EHC counts.
 */
const t = useApp();
let officer: Client;
let planWithoutPlace: string;
let returned: { schoolId: string; id: string; upn: string };
let toCorrect: { schoolId: string; id: string; upn: string };

beforeAll(async () => {
  const { database, w } = t;
  officer = new Client(t.app);
  await officer.signIn(w.officer.email);
  const school = await buildSchool(database.db, {
    organisationId: w.officer.organisationId,
    name: 'Larch Primary',
  });
  returned = await buildPupil(database.db, { schoolId: school.id, forename: 'Rhea', surname: 'Returned' });
  toCorrect = await buildPupil(database.db, { schoolId: school.id, forename: 'Cory', surname: 'Correctme' });
  for (const [pupil, placed] of [
    [returned, true],
    [toCorrect, false],
  ] as const) {
    const sections = examplePlanSections({ id: school.id, name: school.name, urn: school.urn });
    if (!placed) sections.i = null;
    const plan = await buildFinalPlan(database.db, pupil, w.officer.organisationId, {
      receivedOn: '2026-02-02',
      issuedOn: '2026-06-15',
      sections,
    });
    await database.db.insert(caseDecision).values({
      organisationId: w.officer.organisationId,
      id: randomUUID(),
      caseId: plan.caseId,
      kind: 'assess',
      decidedOn: '2026-03-09',
      parentsToldOn: '2026-03-09',
      decidedByName: 'Casey Caseworker',
    });
    if (!placed) planWithoutPlace = plan.planId;
  }
});

describe('the SEN2 return pages', () => {
  it('shows the census date, the figures and the child to correct first, linked to their plan', async () => {
    const page = await officer.get('/organisation/sen2');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('SEN2 return 2027');
    expect(page.body).toContain('21 January 2027');
    expect(page.body).toContain('Cory Correctme');
    expect(page.body).toContain(`/organisation/plans/${planWithoutPlace}`);
    expect(page.body).toContain('An active plan names no school or setting in section I');
    expect(page.body).not.toContain('Rhea Returned');
    expect(page.body).toContain('href="/organisation/sen2/sen2.xml?year=2027"');
    // The menu leads here.
    expect(page.body).toMatch(/href="\/organisation\/sen2"[^>]*>[^<]*(<[^>]*>)?\s*SEN2 return/);
  });

  it('downloads the XML with the children returned and not the one to correct', async () => {
    const file = await officer.get('/organisation/sen2/sen2.xml?year=2027');
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('application/xml');
    expect(file.headers['content-disposition']).toContain('attachment; filename="999_SEN2_2027_001.xml"');
    const parsed = new XMLParser({ isArray: (n) => n === 'Person' }).parse(file.body);
    expect(parsed.Message.Header.CollectionDetails.ReferenceDate).toBe('2027-01-21');
    const upns = (parsed.Message.Persons.Person as { UPN?: string }[]).map((p) => p.UPN);
    expect(upns).toContain(returned.upn);
    expect(upns).not.toContain(toCorrect.upn);
  });

  it('a year it does not make, or nonsense, gives the year being prepared', async () => {
    const old = await officer.get('/organisation/sen2?year=2019');
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain('OpenSEND does not make the return for 2019');
    const junk = await officer.get('/organisation/sen2?year=%3Cscript%3E');
    expect(junk.statusCode).toBe(200);
    expect(junk.body).toContain('SEN2 return 2027');
    expect(junk.body).not.toContain('<script>');
  });

  it('is refused to school staff, a governor and a panel member', async () => {
    const { database, w } = t;
    const senco = new Client(t.app);
    await senco.signIn(w.senco.email);
    expect((await senco.get('/organisation/sen2')).statusCode).toBe(403);
    const governor = new Client(t.app);
    await governor.signIn(w.governor.email);
    expect((await governor.get('/organisation/sen2/sen2.xml')).statusCode).toBe(403);
    const panel = await buildOfficer(database.db, w.officer.organisationId, ['panel_member']);
    const member = new Client(t.app);
    await member.signIn(panel.email);
    const refused = await member.get('/organisation/sen2');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('Cory');
  });
});

describe('the governor’s figures', () => {
  it('show the school’s EHC counts, small numbers hidden', async () => {
    const governor = new Client(t.app);
    await governor.signIn(t.w.governor.email);
    const page = await governor.get('/figures');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('EHC needs assessments and plans');
    expect(page.body).toContain('Pupils on roll with an EHC plan');
    expect(page.body).toContain('Of those, reviewed within the last twelve months');
    expect(page.body).not.toContain('Correctme');
  });
});
