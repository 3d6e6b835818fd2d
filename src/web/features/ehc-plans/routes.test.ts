import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildFinalPlan,
  buildOfficer,
  buildPupil,
  buildReceivedCase,
  buildSchool,
} from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { ehcPlan, ehcPlanVersion, organisationCase } from '../../../db/schema/index.ts';
import type { PlanSections } from '../../../domain/ehc-plan.ts';

/*
 * The authority's plan pages through the app: the caseworker starts the draft from the case, writes
 * B, F and E (an unquantified item flagged by the check, then fixed), is refused a stale save with her
 * text kept, sends the draft, names the school, issues the final plan, amends it and compares the
 * versions; bad input is shown again with nothing saved; another authority's plan is not found.
 */
const t = useApp();
let officer: Client;
let caseId: string;

async function planOf(id: string) {
  const [row] = await t.database.db.select().from(ehcPlan).where(eq(ehcPlan.caseId, id));
  return row!;
}
async function version(planId: string, number: number) {
  const [row] = await t.database.db
    .select()
    .from(ehcPlanVersion)
    .where(and(eq(ehcPlanVersion.planId, planId), eq(ehcPlanVersion.number, number)));
  return row!;
}
const date = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};

beforeAll(async () => {
  officer = new Client(t.app);
  await officer.signIn(t.w.officer.email);
  ({ caseId } = await buildReceivedCase(t.database.db, t.w.pupilK, t.w.officer.organisationId, {
    receivedOn: '2026-07-01',
    received: {
      child: {
        forename: 'Kit',
        surname: 'Kowalski',
        upn: t.w.pupilK.upn,
        senTypes: [{ senType: 'SLCN', senTypeRank: 1 }],
      },
      need: { summary: 'Kit’s <b>spoken language</b> is well below his age.' },
    },
  }));
  for (const [kind, on] of [
    ['assess', '2026-08-01'],
    ['issue_plan', '2026-10-01'],
  ] as const) {
    const [row] = await t.database.db.select().from(organisationCase).where(eq(organisationCase.id, caseId));
    await t.services.caseload.recordDecision(t.w.officer.actor, caseId, {
      version: row!.version,
      kind,
      decidedOn: on,
      parentsToldOn: on,
      reasons: null,
      panelNotes: null,
    });
  }
});

describe('the EHC plan pages', () => {
  it('drafts, checks, sends, issues, amends and compares a plan', async () => {
    const casePage = await officer.get(`/organisation/cases/${caseId}`);
    expect(casePage.body).toContain(`/organisation/cases/${caseId}/plan/new`);
    expect((await officer.get(`/organisation/cases/${caseId}/plan/new`)).statusCode).toBe(200);
    const started = await officer.post(`/organisation/cases/${caseId}/plan/new`);
    expect(started.statusCode).toBe(303);
    const plan = await planOf(caseId);
    const planUrl = `/organisation/plans/${plan.id}`;
    expect(started.headers.location).toBe(planUrl);
    const page = await officer.get(planUrl);
    expect(page.statusCode).toBe(200);
    // Section B from the pack, escaped.
    expect(page.body).toContain('&lt;b&gt;spoken language&lt;/b&gt;');
    expect(page.body).toContain('Section H1: social care provision under section 2');
    expect((await officer.get(`/organisation/cases/${caseId}`)).body).toContain('Open the EHC plan');

    const sectionUrl = (key: string) => `/organisation/plans/${plan.id}/section?section=${key}`;
    const form = await officer.get(sectionUrl('f'));
    expect(form.statusCode).toBe(200);
    const need = (await version(plan.id, 1)).sections.b.needs[0]!;
    // An item of provision that is not quantified: saved, and flagged by the check.
    const savedF = await officer.post(sectionUrl('f'), {
      version: String((await version(plan.id, 1)).version),
      section: 'f',
      rows: '1',
      'what-0': 'Access to speech and language therapy',
      'who-0': 'A speech and language therapist',
      'frequency-0': '',
      'duration-0': '',
      'needs-0': need.id,
    });
    expect(savedF.statusCode).toBe(303);
    const flagged = await officer.get(planUrl);
    expect(flagged.body).toContain('Provision that is not specified and quantified');
    expect(flagged.body).toContain('(“access to”)');
    const item = (await version(plan.id, 1)).sections.f.provision[0]!;
    // Bad input is shown again with the text kept; nothing saved.
    const before = await version(plan.id, 1);
    const bad = await officer.post(sectionUrl('f'), {
      version: String(before.version),
      section: 'f',
      rows: '1',
      'id-0': item.id,
      'what-0': 'Speech therapy\u0007',
      'who-0': 'A speech and language therapist',
      'frequency-0': 'Twice a week',
      'duration-0': '30 minutes',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('must not contain hidden control characters');
    expect(bad.body).toContain('Twice a week');
    expect((await version(plan.id, 1)).version).toBe(before.version);
    // Fixed.
    const fixed = await officer.post(sectionUrl('f'), {
      version: String(before.version),
      section: 'f',
      rows: '1',
      'id-0': item.id,
      'what-0': 'A speech and language programme, one to one',
      'who-0': 'A teaching assistant trained by the therapist',
      'frequency-0': 'Three times a week',
      'duration-0': '30 minutes each time, for the school year',
      'needs-0': need.id,
    });
    expect(fixed.statusCode).toBe(303);
    // A stale save: refused, the other change shown, the user's text kept.
    const stale = await officer.post(sectionUrl('a'), {
      version: String(before.version),
      section: 'a',
      text: 'Kit wants to drive trains.',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Kit wants to drive trains.');
    expect(stale.body).toContain('Someone else saved this section');
    // "Add another row" shows the form again with one more row, saving nothing.
    const more = await officer.post(sectionUrl('e'), {
      version: String((await version(plan.id, 1)).version),
      section: 'e',
      rows: '1',
      'text-0': 'By July 2027 Kit will follow three-part instructions in 8 of 10 lessons',
      _add: 'yes',
    });
    expect(more.statusCode).toBe(200);
    expect(more.body).toContain('name="text-1"');
    expect(more.body).toContain('By July 2027 Kit will follow');
    const savedE = await officer.post(sectionUrl('e'), {
      version: String((await version(plan.id, 1)).version),
      section: 'e',
      rows: '1',
      'text-0': 'By July 2027 Kit will follow three-part instructions in 8 of 10 lessons',
      'needs-0': need.id,
      'provision-0': item.id,
    });
    expect(savedE.statusCode).toBe(303);
    expect((await officer.get(planUrl)).body).toContain('No problems found');

    // Send, name the school, issue.
    const sendPage = await officer.get(`/organisation/plans/${plan.id}/send`);
    expect(sendPage.body).toContain('No problems found');
    const sent = await officer.post(`/organisation/plans/${plan.id}/send`, {
      version: String((await version(plan.id, 1)).version),
      ...date('sentOn', '2026-10-20'),
    });
    expect(sent.statusCode).toBe(303);
    const early = await officer.post(`/organisation/plans/${plan.id}/issue`, {
      version: String((await version(plan.id, 1)).version),
      ...date('issuedOn', '2026-11-10'),
    });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Name the school or other institution in section I');
    // Another institution: its type of setting is one of SEN2's, not free words, and what was typed stays.
    const freeWords = await officer.post(sectionUrl('i'), {
      version: String((await version(plan.id, 1)).version),
      section: 'i',
      placement: 'other',
      name: 'Hillview Tuition Centre',
      urn: '',
      kind: 'a tuition centre',
    });
    expect(freeWords.statusCode).toBe(400);
    expect(freeWords.body).toContain('Choose a type of setting from the list');
    expect(freeWords.body).toContain('value="Hillview Tuition Centre"');
    const setting = await officer.post(sectionUrl('i'), {
      version: String((await version(plan.id, 1)).version),
      section: 'i',
      placement: 'other',
      name: 'Hillview Tuition Centre',
      urn: '',
      kind: 'OLA',
    });
    expect(setting.statusCode).toBe(303);
    expect((await version(plan.id, 1)).sections.i).toMatchObject({
      name: 'Hillview Tuition Centre',
      kind: 'OLA',
    });
    expect((await officer.get(planUrl)).body).toContain(
      'Education other than at school, arranged by the local authority',
    );
    const named = await officer.post(sectionUrl('i'), {
      version: String((await version(plan.id, 1)).version),
      section: 'i',
      placement: 'listed',
      schoolId: t.w.school.id,
    });
    expect(named.statusCode).toBe(303);
    expect((await version(plan.id, 1)).sections.i).toMatchObject({
      schoolId: t.w.school.id,
      name: 'Oakfield Primary',
    });
    const issued = await officer.post(`/organisation/plans/${plan.id}/issue`, {
      version: String((await version(plan.id, 1)).version),
      ...date('issuedOn', '2026-11-10'),
    });
    expect(issued.statusCode).toBe(303);
    expect(await planOf(caseId)).toMatchObject({
      status: 'final',
      finalVersion: 1,
      namedSchoolId: t.w.school.id,
    });

    // Amend, change A, compare.
    const amend = await officer.post(`/organisation/plans/${plan.id}/amend`, {
      version: String((await planOf(caseId)).version),
      reason: 'other_amendment',
    });
    expect(amend.statusCode).toBe(303);
    await officer.post(sectionUrl('a'), {
      version: String((await version(plan.id, 2)).version),
      section: 'a',
      text: 'Kit now wants to be a pilot.',
    });
    const compared = await officer.get(`/organisation/plans/${plan.id}/versions?from=1&to=2`);
    expect(compared.statusCode).toBe(200);
    expect(compared.body).toContain('From version 1 to version 2');
    expect(compared.body).toContain('Now: Kit now wants to be a pilot.');
    const pdf = await officer.get(`/organisation/plans/${plan.id}/plan.pdf?version=1`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('saves a section whose form was loaded before another section was saved; shows theirs on a real conflict', async () => {
    const { database, w } = t;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id });
    const built = await buildFinalPlan(database.db, pupil, w.officer.organisationId, {
      issuedOn: '2025-11-01',
    });
    const planUrl = `/organisation/plans/${built.planId}`;
    const sectionUrl = (key: string) => `${planUrl}/section?section=${key}`;
    expect(
      (await officer.post(`${planUrl}/amend`, { version: '1', reason: 'other_amendment' })).statusCode,
    ).toBe(303);
    const hidden = (body: string, name: string) =>
      new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? '';
    // Section A's form is opened; Section J is saved meanwhile; A then saves.
    const formA = (await officer.get(sectionUrl('a'))).body;
    const formJ = (await officer.get(sectionUrl('j'))).body;
    const savedJ = await officer.post(sectionUrl('j'), {
      version: hidden(formJ, 'version'),
      digest: hidden(formJ, 'digest'),
      section: 'j',
      text: 'A personal budget for transport.',
    });
    expect(savedJ.statusCode).toBe(303);
    const savedA = await officer.post(sectionUrl('a'), {
      version: hidden(formA, 'version'),
      digest: hidden(formA, 'digest'),
      section: 'a',
      text: 'Kit wants to drive trains.',
    });
    expect(savedA.statusCode).toBe(303);
    expect((await version(built.planId, 2)).sections).toMatchObject({
      a: { text: 'Kit wants to drive trains.' },
      j: { text: 'A personal budget for transport.' },
    });
    // A form of A from before that save: A itself changed. Refused; their A shown, the user's text kept,
    // the error summary leading to their version.
    const conflict = await officer.post(sectionUrl('a'), {
      version: hidden(formA, 'version'),
      digest: hidden(formA, 'digest'),
      section: 'a',
      text: 'Kit wants to fly planes.',
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain('Someone else saved Section A');
    expect(conflict.body).toContain('href="#their-version"');
    expect(conflict.body).toContain('id="their-version"');
    expect(conflict.body).toMatch(/id="their-version"[\s\S]*Kit wants to drive trains\./);
    expect(conflict.body).toContain('>Kit wants to fly planes.</textarea>');
    expect((await version(built.planId, 2)).sections.a.text).toBe('Kit wants to drive trains.');
    // Saved again from that page, once checked, it goes through.
    const again = await officer.post(sectionUrl('a'), {
      version: hidden(conflict.body, 'version'),
      digest: hidden(conflict.body, 'digest'),
      section: 'a',
      text: 'Kit wants to fly planes.',
    });
    expect(again.statusCode).toBe(303);

    // Each section of provision has its own example of who provides it.
    const hintOf = (body: string) => /id="who-0-hint"[^>]*>\s*([^<]*)</.exec(body)?.[1]?.trim();
    const hints = new Set<string | undefined>();
    for (const key of ['f', 'g', 'h1', 'h2']) hints.add(hintOf((await officer.get(sectionUrl(key))).body));
    expect(hints.size).toBe(4);
    expect(hintOf((await officer.get(sectionUrl('g'))).body)).not.toContain('teaching assistant');
    // A new row with text is added on save; only a blank one is said to be left out.
    const more = await officer.post(sectionUrl('b'), {
      version: String((await version(built.planId, 2)).version),
      section: 'b',
      rows: '1',
      'text-0': 'Kit finds it hard to start tasks',
      _add: 'yes',
    });
    expect(more.statusCode).toBe(200);
    expect(more.body).toMatch(/id="row-0-hint"[^>]*>A new row: added when the section is saved\./);
    expect(more.body).toMatch(/id="row-1-hint"[^>]*>A new row: left blank, it is not added\./);

    // The versions page compares the version before the latest with the latest when nothing is chosen.
    const versions = await officer.get(`${planUrl}/versions`);
    expect(versions.body).toContain('From version 1 to version 2');
    expect(versions.body).toMatch(
      /<option value="1" selected>Version 1<\/option>[\s\S]*<option value="2" selected>Version 2<\/option>/,
    );
    const one = await buildFinalPlan(
      database.db,
      await buildPupil(database.db, { schoolId: w.school.id }),
      w.officer.organisationId,
    );
    const oneVersion = await officer.get(`/organisation/plans/${one.planId}/versions`);
    expect(oneVersion.statusCode).toBe(200);
    expect(oneVersion.body).toContain('there is nothing to compare yet');
    expect(oneVersion.body).not.toContain('From version');
  });

  it('ceases a plan with an amendment under way: the amendment is not issued, no review is due, the reasons are shown', async () => {
    const { database, w } = t;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id });
    const built = await buildFinalPlan(database.db, pupil, w.officer.organisationId, {
      issuedOn: '2025-11-01',
      school: { name: 'Oakfield Primary', urn: null },
    });
    const planUrl = `/organisation/plans/${built.planId}`;
    // The header names the school of section I.
    expect((await officer.get(planUrl)).body).toMatch(/School\s*<\/dt>\s*<dd[^>]*>\s*Oakfield Primary/);
    expect(
      (await officer.post(`${planUrl}/amend`, { version: '1', reason: 'other_amendment' })).statusCode,
    ).toBe(303);
    const form = await officer.get(`${planUrl}/cease`);
    expect(form.body).toContain('right to appeal');
    expect(form.body).toContain('Version 2');
    const planVersion = String(
      (await database.db.select().from(ehcPlan).where(eq(ehcPlan.id, built.planId)))[0]!.version,
    );
    const blank = await officer.post(`${planUrl}/cease`, {
      version: planVersion,
      reason: 'other_la',
      reasons: '',
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Enter the date the plan ceased');
    expect(blank.body).toContain('Give the reasons: the parents are told them with their right of appeal');
    expect(blank.body).toContain('href="#reasons"');
    const ceased = await officer.post(`${planUrl}/cease`, {
      version: planVersion,
      reason: 'other_la',
      reasons: 'Kit has moved to Westshire, which now maintains the plan.',
      ...date('ceasedOn', '2026-06-01'),
    });
    expect(ceased.statusCode).toBe(303);
    expect(await version(built.planId, 2)).toMatchObject({ stage: 'not_issued' });
    const page = await officer.get(planUrl);
    expect(page.body).not.toContain('Annual review due by');
    expect(page.body).toContain('Kit has moved to Westshire, which now maintains the plan.');
    expect(page.body).toContain('Version 1: Issued as final');
    expect(page.body).toMatch(/not issued, as the plan ceased/i);
    expect(page.body).not.toContain('Being written');
    expect(page.body).not.toContain('/section?section=');
    expect(page.body).not.toContain(`${planUrl}/send`);
    const v2 = await officer.get(`${planUrl}?version=2`);
    expect(v2.body).toContain('Version 2: Not issued, as the plan ceased');
    expect(v2.body).not.toContain('/section?section=');
    const pdf = await officer.get(`${planUrl}/plan.pdf?version=2`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('keeps another authority’s plan from the officer, and refuses an unknown section', async () => {
    const { database, w } = t;
    const elsewhere = await buildOfficer(database.db);
    const school = await buildSchool(database.db, { organisationId: elsewhere.organisationId });
    const theirs = await buildFinalPlan(
      database.db,
      await buildPupil(database.db, { schoolId: school.id }),
      elsewhere.organisationId,
    );
    for (const path of ['', '/versions', '/plan.pdf', '/amend', '/cease', '/section?section=a'])
      expect((await officer.get(`/organisation/plans/${theirs.planId}${path}`)).statusCode, path).toBe(404);
    const ours = await buildFinalPlan(
      database.db,
      await buildPupil(database.db, { schoolId: w.school.id }),
      w.officer.organisationId,
    );
    expect((await officer.get(`/organisation/plans/${ours.planId}/section?section=z`)).statusCode).toBe(404);
    const cease = await officer.post(`/organisation/plans/${ours.planId}/cease`, {
      version: '1',
      reason: 'nonsense',
    });
    expect(cease.statusCode).toBe(400);
    expect(cease.body).toContain('Choose why the plan ceased');
    const [row] = await database.db.select().from(ehcPlan).where(eq(ehcPlan.id, ours.planId));
    expect(row!.status).toBe('final');
    expect((row!.version as number) >= 1).toBe(true);
    const sections = (await version(ours.planId, 1)).sections as PlanSections;
    expect(sections.i?.name).toBeTruthy();
  });
});
