import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlan, buildPupil, buildStaff } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { readPdf } from '../../../../test/pdf.ts';

/*
 * The half-termly target check's pages (TODAY is 20 November 2026): a plan from 7 September to
 * 4 December has its Autumn 1 check (due by 23 October) overdue once the school uses checks.
 */
const t = useApp();
let teacher: Client;
let senco: Client;
let tess: Client;
let plan: Awaited<ReturnType<typeof buildPlan>>;

const date = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return { [`${name}-day`]: String(d), [`${name}-month`]: String(m), [`${name}-year`]: String(y) };
};
const settingsForm = (html: string, checks: boolean) => ({
  planName: 'SEN Support Plan',
  reviewInterval: 'termly',
  ...(checks ? { halfTermlyTargetChecks: 'yes' } : {}),
  maxTargets: '4',
  topUpThreshold: '£6,000',
  nearingPercent: '80',
  version: /name="version" value="(\d+)"/.exec(html)?.[1] ?? '0',
});

beforeAll(async () => {
  const pupil = await buildPupil(t.database.db, {
    schoolId: t.w.school.id,
    classId: t.w.classA.id,
    forename: 'Noor',
    surname: 'Nasser',
    dateOfBirth: '2018-05-04',
    stage: 'sen_support',
    primaryNeed: 'SPLD',
  });
  plan = await buildPlan(t.database.db, {
    schoolId: t.w.school.id,
    pupilId: pupil.id,
    targets: ['Noor will read 20 high-frequency words', 'Noor will blend CVC words'],
  });
  const assistant = await buildStaff(t.database.db, 'teaching_assistant', {
    schoolId: t.w.school.id,
    assignedPupilIds: [pupil.id],
    name: 'Tess Assistant',
  });
  teacher = new Client(t.app);
  await teacher.signIn(t.w.teacherA.email);
  senco = new Client(t.app);
  await senco.signIn(t.w.senco.email);
  tess = new Client(t.app);
  await tess.signIn(assistant.email);
});

describe('the plan’s header', () => {
  it('shows the pupil’s year group, class, SEN stage and primary need, as they are today for a plan in place', async () => {
    const page = (await teacher.get(`/plans/${plan.id}`)).body.replace(/\s+/g, ' ');
    // Born May 2018: Year 4 in 2026/27.
    expect(page).toMatch(/Year group <\/dt> <dd class="govuk-summary-list__value"> Year 4 </);
    expect(page).toContain('Year 4 Oak');
    expect(page).toContain('SEN support (K)');
    expect(page).toContain('Specific learning difficulty (SPLD)');
    expect(page).toContain('Today, 20 November 2026');
    const print = (await teacher.get(`/plans/${plan.id}/print`)).body.replace(/\s+/g, ' ');
    expect(print).toContain('Year group</th><td class="govuk-table__cell">Year 4</td>');
    const { text } = readPdf((await teacher.get(`/plans/${plan.id}/pdf`)).rawPayload);
    expect(text).toContain(
      'Year group Year 4 Class Year 4 Oak SEN stage SEN support (K) Primary need Specific learning difficulty (SPLD)',
    );
  });
});

describe('half-termly target checks, page by page', () => {
  it('nothing shows while the setting is off', async () => {
    const page = await teacher.get(`/plans/${plan.id}`);
    expect(page.body).not.toContain('Half-termly target check');
    expect((await teacher.get(`/plans/${plan.id}/target-check`)).body).toContain(
      'The school does not use half-termly target checks',
    );
    expect((await senco.get('/dashboard')).body).not.toContain('Half-termly target checks due');
  });

  it('once on, the plan shows the check overdue, the dashboard lists it, and the class teacher records it', async () => {
    const settings = await senco.get('/settings/plans');
    expect((await senco.post('/settings/plans', settingsForm(settings.body, true))).statusCode).toBe(303);
    const page = await teacher.get(`/plans/${plan.id}`);
    expect(page.body).toContain('Half-termly target check overdue');
    expect(page.body).toContain('Overdue: it was due by 23 October 2026 (Autumn 1 2026/27)');
    expect(page.body).toContain(`href="/plans/${plan.id}/target-check"`);
    // A teaching assistant who works with Noor reads the plan, with no button to record the check.
    const tessPage = await tess.get(`/plans/${plan.id}`);
    expect(tessPage.body).toContain('Half-termly target check overdue');
    expect(tessPage.body).not.toContain(`href="/plans/${plan.id}/target-check"`);
    expect((await tess.get(`/plans/${plan.id}/target-check`)).statusCode).toBe(403);

    const dashboard = await senco.get('/dashboard');
    expect(dashboard.body).toContain('Half-termly target checks due or overdue');
    const list = await senco.get('/dashboard?list=target_checks_due');
    expect(list.body).toContain('Nasser, Noor');
    expect(list.body).toContain(`href="/plans/${plan.id}"`);
    expect(list.body).toContain('23 October 2026');
    expect((await teacher.get('/my-pupils?list=target_checks_due')).body).toContain('Nasser, Noor');

    const form = await teacher.get(`/plans/${plan.id}/target-check`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Half-termly target check: Autumn 1 2026/27');
    const [t1, t2] = plan.targetIds;
    const sent = {
      version: '0',
      dueOn: '2026-10-23',
      targets: [t1!, t2!],
      [`progress-${t1}`]: 'on_track',
      [`note-${t1}`]: 'Read 18 of 20 on Friday',
      [`note-${t2}`]: 'Blends with a picture prompt',
      ...date('checkedOn', '2026-10-22'),
    };
    // Target 2 not judged: the form comes back with the message and everything typed.
    const invalid = await teacher.post(`/plans/${plan.id}/target-check`, sent);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Say how target 2 is going');
    expect(invalid.body).toContain(`href="#progress-${t2}"`);
    expect(invalid.body).toContain('Read 18 of 20 on Friday');
    expect(invalid.body).toContain('Blends with a picture prompt');
    expect(invalid.body).toMatch(/value="on_track" checked|checked[^>]*value="on_track"/);

    // A target listed twice (sent by hand; the page never does): refused plainly, nothing saved, what
    // was typed kept, never one of the two taken.
    for (const twice of [
      [t1!, t2!, t1!],
      [t1!, t2!, t2!.toUpperCase()],
    ]) {
      const repeated = await teacher.post(`/plans/${plan.id}/target-check`, {
        ...sent,
        targets: twice,
        [`progress-${t2}`]: 'some_progress',
      });
      expect(repeated.statusCode).toBe(400);
      expect(repeated.body).toContain(
        'This form lists a target more than once: open the page again from the plan and send it from there',
      );
      expect(repeated.body).toContain('Read 18 of 20 on Friday');
      expect(repeated.body).toContain('Blends with a picture prompt');
    }
    expect((await teacher.get(`/plans/${plan.id}`)).body).toContain('Half-termly target check overdue');

    const saved = await teacher.post(`/plans/${plan.id}/target-check`, {
      ...sent,
      [`progress-${t2}`]: 'some_progress',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/plans/${plan.id}#target-checks`);
    const after = (await teacher.get(`/plans/${plan.id}`)).body;
    expect(after).not.toContain('Half-termly target check overdue');
    expect(after).toContain('Recorded for Autumn 1 2026/27; the review comes next');
    expect(after).toContain('Autumn 1 2026/27 check');
    expect(after).toContain('22 October 2026 by Tara Teacher');
    expect(after).toContain('Read 18 of 20 on Friday');
    expect(after).toContain('Change the half-termly target check');
    expect((await senco.get('/dashboard?list=target_checks_due')).body).not.toContain('Nasser, Noor');

    // Someone else's change meanwhile: the form shows theirs and keeps what this person typed.
    const change = await senco.get(`/plans/${plan.id}/target-check`);
    expect(change.body).toContain('Read 18 of 20 on Friday');
    expect(
      (
        await senco.post(`/plans/${plan.id}/target-check`, {
          ...sent,
          [`progress-${t2}`]: 'not_yet',
          version: '1',
        })
      ).statusCode,
    ).toBe(303);
    const stale = await teacher.post(`/plans/${plan.id}/target-check`, {
      ...sent,
      [`progress-${t2}`]: 'on_track',
      [`note-${t2}`]: 'My own words',
      version: '1',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('The check as it was recorded meanwhile');
    expect(stale.body).toContain('Sam Senco');
    expect(stale.body).toContain('My own words');
    expect(stale.body).toContain('name="version" value="2"');

    // The print view and the PDF show the check; the review form shows it beside each target.
    const print = await teacher.get(`/plans/${plan.id}/print`);
    expect(print.body).toContain('Autumn 1 2026/27 check');
    const { text } = readPdf((await teacher.get(`/plans/${plan.id}/pdf`)).rawPayload);
    expect(text).toContain('Half-termly target checks');
    expect(text).toContain('Autumn 1 2026/27 check: checked on 22 October 2026 by Sam Senco');
    expect(text).toContain('Not yet');
    const review = await senco.get(`/plans/${plan.id}/review`);
    expect(review.body).toContain('Autumn 1 2026/27 check: <strong>Not yet</strong>');
  });

  it('refuses a check without its CSRF token, and another class’s teacher does not find the plan', async () => {
    expect(
      (await teacher.post(`/plans/${plan.id}/target-check`, { version: '0' }, { csrf: false })).statusCode,
    ).toBe(403);
    const tom = new Client(t.app);
    await tom.signIn(t.w.teacherB.email);
    expect((await tom.get(`/plans/${plan.id}/target-check`)).statusCode).toBe(404);
  });
});
