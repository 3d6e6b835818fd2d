import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFinalPlan, buildPlan, buildProvisionGroup } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { reportPdf } from '../../../../test/report-files.ts';
import { ehcPlanSummary, planTarget, supportPlan } from '../../../db/schema/index.ts';

/*
 * The school's side of a pupil's EHC plan through the web: the pupil page's panel and the plan's page
 * (with its PDF), a target taken from an outcome where the plan's targets are written, the provision of
 * the plans beside the provision map with a link to a group, and a plan from another authority recorded
 * from its PDF, each form refusing hostile input with the user's values kept.
 */

const t = useApp();
beforeAll(async () => {
  await buildFinalPlan(t.database.db, t.w.pupilE, t.w.officer.organisationId, {
    issuedOn: '2026-03-02',
    school: { name: t.w.school.name, urn: null },
  });
});

const signedIn = async (email: string) => {
  const c = new Client(t.app);
  await c.signIn(email);
  return c;
};

const date = (name: string, d: string, m: string, y: string) => ({
  [`${name}-day`]: d,
  [`${name}-month`]: m,
  [`${name}-year`]: y,
});

describe('the pupil’s EHC plan', () => {
  it('is on the pupil page with its dates and a link, and its page shows every section and the PDF', async () => {
    const senco = await signedIn(t.w.senco.email);
    const pupilPage = await senco.get(`/pupils/${t.w.pupilE.id}`);
    expect(pupilPage.body).toContain('id="ehc-plan"');
    expect(pupilPage.body).toContain('2 March 2026');
    expect(pupilPage.body).toContain('Due by 1 March 2027');
    expect(pupilPage.body).toContain(`href="/pupils/${t.w.pupilE.id}/ehc-plan"`);
    const page = await senco.get(`/pupils/${t.w.pupilE.id}/ehc-plan`);
    expect(page.statusCode).toBe(200);
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h1', 'h2', 'i', 'j', 'k'])
      expect(page.body).toContain(`id="plan-section-${key}"`);
    expect(page.body).toContain('Outcome E1');
    expect(page.body).toContain(`href="/pupils/${t.w.pupilE.id}/ehc-plan.pdf"`);
    const pdf = await senco.get(`/pupils/${t.w.pupilE.id}/ehc-plan.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the teaching assistant sees the panel and no link; another school gets “not found”', async () => {
    const ta = await signedIn(t.w.ta.email);
    const pupilPage = await ta.get(`/pupils/${t.w.pupilE.id}`);
    expect(pupilPage.body).toContain('id="ehc-plan"');
    expect(pupilPage.body).not.toContain(`/pupils/${t.w.pupilE.id}/ehc-plan"`);
    expect((await ta.get(`/pupils/${t.w.pupilE.id}/ehc-plan`)).statusCode).toBe(404);
    expect((await ta.get(`/pupils/${t.w.pupilE.id}/ehc-plan.pdf`)).statusCode).toBe(404);
    const other = await signedIn(t.w.otherSenco.email);
    expect((await other.get(`/pupils/${t.w.pupilE.id}/ehc-plan`)).statusCode).toBe(404);
    expect((await other.get(`/pupils/${t.w.pupilE.id}/ehc-plan.pdf`)).statusCode).toBe(404);
    const office = await signedIn(t.w.office.email);
    expect((await office.get(`/pupils/${t.w.pupilE.id}/ehc-plan`)).statusCode).toBe(403);
  });
});

describe('taking a target from the EHC plan', () => {
  it('is offered where the targets are written and adds the target with its source', async () => {
    const plan = await buildPlan(t.database.db, {
      schoolId: t.w.school.id,
      pupilId: t.w.pupilE.id,
      status: 'draft',
      targets: ['Use a visual timetable'],
    });
    const teacher = await signedIn(t.w.teacherB.email);
    const edit = await teacher.get(`/plans/${plan.id}/edit`);
    expect(edit.body).toContain(`href="/plans/${plan.id}/ehc-outcomes"`);
    const page = await teacher.get(`/plans/${plan.id}/ehc-outcomes`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Take outcome E1 as a target');
    // The school's name for its plans, in a sentence, keeps its capitals ("SEN", not "sen").
    expect(page.body).toContain('Back to the SEN Support Plan');
    const [row] = await t.database.db
      .select({ version: supportPlan.version })
      .from(supportPlan)
      .where(eq(supportPlan.id, plan.id));
    // An id that is not an outcome's, and JSON where a form is expected: refused, nothing added.
    const bad = await teacher.post(`/plans/${plan.id}/ehc-outcomes`, {
      version: String(row!.version),
      outcomeId: '<script>',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose an outcome of the EHC plan');
    const json = await t.app.inject({
      method: 'POST',
      url: `/plans/${plan.id}/ehc-outcomes`,
      headers: { 'content-type': 'application/json', cookie: '' },
      payload: JSON.stringify({ outcomeId: 'outcome-play' }),
    });
    expect(json.statusCode).toBe(415);
    const done = await teacher.post(`/plans/${plan.id}/ehc-outcomes`, {
      version: String(row!.version),
      outcomeId: 'outcome-instructions',
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/plans/${plan.id}/edit#target2-target`);
    const targets = await t.database.db.select().from(planTarget).where(eq(planTarget.planId, plan.id));
    expect(targets).toHaveLength(2);
    const shown = await teacher.get(`/plans/${plan.id}`);
    expect(shown.body).toMatch(/Outcome E1 of the EHC plan \(.+, issued 2 March 2026\)/);
  });
});

describe('the provision of EHC plans beside the map', () => {
  it('is linked from the map; an item is linked to a group, and a bad link keeps the choice with a message', async () => {
    const group = await buildProvisionGroup(t.database.db, {
      schoolId: t.w.school.id,
      pupilIds: [t.w.pupilE.id],
      name: 'Talk Boost group',
    });
    const senco = await signedIn(t.w.senco.email);
    expect((await senco.get('/provision/map')).body).toContain('href="/provision/ehc-plans"');
    const page = await senco.get('/provision/ehc-plans');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Talk Boost group');
    expect(page.body).toContain('Not delivered');
    const bad = await senco.post('/provision/ehc-plans', {
      action: 'link',
      pupilId: t.w.pupilE.id,
      provisionId: 'prov-salt',
      groupId: 'not-a-group',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose the group that delivers this provision');
    const linked = await senco.post('/provision/ehc-plans', {
      action: 'link',
      pupilId: t.w.pupilE.id,
      provisionId: 'prov-salt',
      groupId: group.id,
    });
    expect(linked.statusCode).toBe(303);
    const after = await senco.get('/provision/ehc-plans');
    expect(after.body).toContain('Talk Boost group is linked to F1.');
    expect(after.body).toMatch(
      /Delivered by <a class="govuk-link" href="\/provision\/groups\/[^"]+">Talk Boost group<\/a>/,
    );
    const teacher = await signedIn(t.w.teacherB.email);
    expect((await teacher.get('/provision/ehc-plans')).statusCode).toBe(403);
  });
});

describe('a plan from another local authority', () => {
  it('is recorded from its PDF; a form with problems keeps what was typed', async () => {
    const senco = await signedIn(t.w.senco.email);
    const pupilPage = await senco.get(`/pupils/${t.w.pupilK.id}`);
    expect(pupilPage.body).toContain(`href="/pupils/${t.w.pupilK.id}/ehc-plan/summary/new"`);
    const url = `/pupils/${t.w.pupilK.id}/ehc-plan/summary/new`;
    expect((await senco.get(url)).statusCode).toBe(200);
    const fields = {
      localAuthorityName: 'Westshire Council',
      ...date('issuedOn', '20', '11', '2025'),
      outcomes: 'Kit will read a short book aloud\nKit will ask for help when stuck',
      'provision1-what': 'Daily reading with an adult',
      'provision1-who': 'A teaching assistant',
      'provision1-frequency': 'Daily',
      'provision1-duration': '15 minutes',
      'provision2-who': 'Someone',
    };
    const bad = await senco.postMultipart(url, fields);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose the plan’s PDF to upload');
    expect(bad.body).toContain('Enter what item 2 of the provision is, or clear the item');
    expect(bad.body).toContain('value="Westshire Council"');
    expect(bad.body).toContain('Kit will ask for help when stuck');
    const { 'provision2-who': _, ...good } = fields;
    const done = await senco.postMultipart(url, good, {
      field: 'file',
      name: 'westshire-plan.pdf',
      data: await reportPdf('EHC plan'),
      type: 'application/pdf',
    });
    expect(done.statusCode).toBe(303);
    const summaryUrl = String(done.headers.location);
    const [row] = await t.database.db
      .select()
      .from(ehcPlanSummary)
      .where(eq(ehcPlanSummary.pupilId, t.w.pupilK.id));
    expect(row).toMatchObject({ localAuthorityName: 'Westshire Council', issuedOn: '2025-11-20' });
    const page = await senco.get(summaryUrl);
    expect(page.body).toContain('EHC plan from Westshire Council');
    expect(page.body).toContain('Daily reading with an adult');
    const pdf = await senco.get(`${summaryUrl}/plan.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    // The pupil page now shows the plan, and (the register still saying SEN support) offers to record it there.
    const after = await senco.get(`/pupils/${t.w.pupilK.id}`);
    expect(after.body).toContain('A plan from Westshire Council');
    expect(after.body).toContain('Record the EHC plan on the register');
    const other = await signedIn(t.w.otherSenco.email);
    expect((await other.get(summaryUrl)).statusCode).toBe(404);
    expect((await other.get(`${summaryUrl}/plan.pdf`)).statusCode).toBe(404);
  });
});
