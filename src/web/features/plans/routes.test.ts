import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlan, buildPupil, buildStaff, TODAY } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import {
  auditEvent,
  bankEntry,
  planNote,
  planTarget,
  schoolSettings,
  supportPlan,
} from '../../../db/schema/index.ts';

const t = useApp();
const year = Number(TODAY.slice(0, 4));
const date = (name: string, iso = TODAY) => {
  const [y, m, d] = iso.split('-').map(Number);
  return { [`${name}-day`]: String(d), [`${name}-month`]: String(m), [`${name}-year`]: String(y) };
};

/** A plan form as the page sends it: the plan's fields and its target rows. */
function planForm(
  version: string,
  targets: Record<string, string>[],
  over: Record<string, string | string[]> = {},
) {
  const form: Record<string, string | string[]> = {
    version,
    needAreas: ['communication_and_interaction'],
    strengths: 'Loves stories',
    areasOfConcern: 'Following instructions',
    desiredOutcomes: 'To follow class routines independently',
    qualityFirst: 'Visual timetable',
    ...date('startDate', '2026-09-07'),
    ...date('reviewDate', '2026-11-30'),
  };
  targets.forEach((row, i) => {
    for (const [k, v] of Object.entries(row)) form[`target${i + 1}-${k}`] = v;
  });
  return { ...form, ...over };
}

const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';
const planIdFrom = (location: unknown) => /\/plans\/([0-9a-f-]{36})/.exec(String(location))?.[1] ?? '';

let teacher: Client;
let senco: Client;
let ta: Client;
let planId: string;

beforeAll(async () => {
  const assistant = await buildStaff(t.database.db, 'teaching_assistant', {
    schoolId: t.w.school.id,
    assignedPupilIds: [t.w.pupilK.id],
    name: 'Tess Assistant',
  });
  teacher = new Client(t.app);
  await teacher.signIn(t.w.teacherA.email);
  senco = new Client(t.app);
  await senco.signIn(t.w.senco.email);
  ta = new Client(t.app);
  await ta.signIn(assistant.email);
});

describe('Plan: starting and writing a plan', () => {
  it('the pupil page offers to start a plan in the school’s words; starting lands on the draft’s form', async () => {
    const page = await teacher.get(`/pupils/${t.w.pupilK.id}`);
    expect(page.body).toContain('Support plans');
    expect(page.body).toContain('No SEN Support Plan yet.');
    expect(page.body).toContain('Start an SEN Support Plan');
    expect(page.body).toContain(`href="/pupils/${t.w.pupilK.id}/profile"`);
    const taPage = await ta.get(`/pupils/${t.w.pupilK.id}`);
    expect(taPage.body).toContain('Support plans');
    expect(taPage.body).not.toContain('Start an SEN Support Plan');
    expect(taPage.body).not.toContain(`href="/pupils/${t.w.pupilK.id}/profile"`);
    const started = await teacher.post(`/pupils/${t.w.pupilK.id}/plans/new`);
    expect(started.statusCode).toBe(303);
    planId = planIdFrom(started.headers.location);
    expect(started.headers.location).toBe(`/plans/${planId}/edit`);
    const form = await teacher.get(`/plans/${planId}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('1 Communication and interaction');
    expect(form.body).toContain('Kit’s primary need: Speech, language and communication needs (SLCN)');
    expect(form.body).toContain('4 Sensory and/or physical');
    // The pupil at no SEN stage cannot have one.
    expect((await teacher.get(`/pupils/${t.w.pupilA.id}`)).body).not.toContain('Start an SEN Support Plan');
    expect((await teacher.post(`/pupils/${t.w.pupilA.id}/plans/new`)).body).toContain(
      'not on the SEN register or the monitoring list',
    );
  });

  it('lists every problem, keeps the text and saves nothing: review before start, an empty target, too many targets', async () => {
    const form = await teacher.get(`/plans/${planId}/edit`);
    const version = versionOf(form.body);
    const bad = await teacher.post(
      `/plans/${planId}/edit`,
      planForm(
        version,
        [{ target: '', criteria: 'Four out of five times' }, { target: 'Sits for carpet time' }],
        {
          ...date('reviewDate', '2026-09-01'),
        },
      ),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('Enter target 1, or remove it');
    expect(bad.body).toContain('href="#target1-target"');
    expect(bad.body).toContain('Four out of five times');
    expect(bad.body).toContain('Sits for carpet time');
    const tooMany = await teacher.post(
      `/plans/${planId}/edit`,
      planForm(
        version,
        ['a', 'b', 'c', 'd', 'e'].map((x) => ({ target: `Target ${x}` })),
        date('reviewDate', '2026-09-01'),
      ),
    );
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.body).toContain('The review date must be after the start date');
    // The date is checked first; with the dates right, the number of targets is refused.
    const tooManyNow = await teacher.post(
      `/plans/${planId}/edit`,
      planForm(
        version,
        ['a', 'b', 'c', 'd', 'e'].map((x) => ({ target: `Target ${x}` })),
      ),
    );
    expect(tooManyNow.body).toContain('A plan can hold at most 4 targets: remove one');
    const rows = await t.database.db.select().from(planTarget).where(eq(planTarget.planId, planId));
    expect(rows).toEqual([]);
  });

  it('adapts a target from the bank on the plan form itself, keeping what was typed, and saves a hand-written target to the bank', async () => {
    let form = await teacher.get(`/plans/${planId}/edit`);
    expect(form.body).toContain('Add from the school’s bank');
    const version = versionOf(form.body);
    const typed = planForm(version, [
      {
        target: 'Kit will line up with his class without a reminder',
        criteria: '4 days out of 5',
        area: 'social_emotional_and_mental_health',
        saveToBank: 'yes',
      },
    ]);
    // Search: the whole form comes back with the results and everything typed; nothing is saved.
    const search = {
      bankKind: 'target',
      bankArea: 'communication_and_interaction',
      bankQ: 'instruction',
    };
    const searched = await teacher.post(`/plans/${planId}/edit`, { ...typed, ...search, bank: 'search' });
    expect(searched.statusCode).toBe(200);
    expect(searched.body).toContain('X will follow a two-part spoken instruction');
    expect(searched.body).toContain('Kit will line up with his class without a reminder');
    expect(searched.body).toContain('4 days out of 5');
    expect(searched.body).toContain(`name="version" value="${version}"`);
    expect(searched.body).toContain(`formaction="/plans/${planId}/edit#target-row-2"`);
    expect(await t.database.db.select().from(planTarget).where(eq(planTarget.planId, planId))).toEqual([]);
    // Add to plan: made about Kit, into the next empty row, the typed row as it was.
    const add = /name="addFromBank" value="([0-9a-f-]{36})"/.exec(searched.body)?.[1];
    expect(add).toBeTruthy();
    form = await teacher.post(`/plans/${planId}/edit`, {
      ...typed,
      ...search,
      bankSearched: 'yes',
      addFromBank: add!,
    });
    expect(form.statusCode).toBe(200);
    expect(form.body).toMatch(/id="target2-target"[^>]*>Kit will follow a two-part spoken instruction/);
    expect(form.body).not.toMatch(/id="target2-target"[^>]*>X will/);
    expect(form.body).toContain(`name="target2-bankEntryId" value="${add}"`);
    expect(form.body).toContain('From the bank, with Kit’s name: adapt it here.');
    expect(form.body).toContain('Kit will line up with his class without a reminder');
    expect(form.body).toContain('In the plan as <a class="govuk-link" href="#target-row-2">target 2</a>');
    expect(form.body).toContain(`name="version" value="${version}"`);
    const entry = /name="target2-bankEntryId" value="([0-9a-f-]{36})"/.exec(form.body)?.[1];
    expect(entry).toBe(add);
    const saved = await teacher.post(
      `/plans/${planId}/edit`,
      planForm(versionOf(form.body), [
        {
          target: 'Kit will line up with his class without a reminder',
          criteria: '4 days out of 5',
          area: 'social_emotional_and_mental_health',
          saveToBank: 'yes',
        },
        {
          target: 'Kit will follow a two-part spoken instruction in class, with a picture prompt',
          area: 'communication_and_interaction',
          bankEntryId: entry!,
        },
      ]),
    );
    expect(saved.statusCode).toBe(303);
    const targets = await t.database.db
      .select()
      .from(planTarget)
      .where(eq(planTarget.planId, planId))
      .orderBy(planTarget.position);
    expect(targets.map((x) => x.target)).toEqual([
      'Kit will line up with his class without a reminder',
      'Kit will follow a two-part spoken instruction in class, with a picture prompt',
    ]);
    expect(targets[1]?.bankEntryId).toBe(entry);
    const mine = await t.database.db
      .select()
      .from(bankEntry)
      .where(and(eq(bankEntry.schoolId, t.w.school.id), eq(bankEntry.source, 'school')));
    expect(mine.map((e) => [e.text, e.area, e.createdByName])).toEqual([
      [
        'Kit will line up with his class without a reminder',
        'social_emotional_and_mental_health',
        'Tara Teacher',
      ],
    ]);
  });

  it('adds a strategy after the quality-first approaches, and no target once the plan holds the most the school allows', async () => {
    const kit = await buildPupil(t.database.db, {
      schoolId: t.w.school.id,
      classId: t.w.classA.id,
      forename: 'Kit',
      stage: 'sen_support',
      primaryNeed: 'SLCN',
    });
    const full = await buildPlan(t.database.db, {
      schoolId: t.w.school.id,
      pupilId: kit.id,
      status: 'draft',
      targets: ['One', 'Two', 'Three', 'Four'],
    });
    const page = await teacher.get(`/plans/${full.id}/edit`);
    const rows = full.targetIds.map((id, i) => ({ id, target: ['One', 'Two', 'Three', 'Four'][i]! }));
    const sent = planForm(versionOf(page.body), rows, { qualityFirst: 'Visual timetable' });
    const searched = await teacher.post(`/plans/${full.id}/edit`, {
      ...sent,
      bank: 'search',
      bankQ: 'instruction',
    });
    expect(searched.body).toContain('This plan already holds the most targets the school allows (4)');
    expect(searched.body).not.toContain('name="addFromBank"');
    // A target sent anyway (an old page) is not added, and the rows stay as they were.
    const [entry] = await t.database.db
      .select()
      .from(bankEntry)
      .where(and(eq(bankEntry.schoolId, t.w.school.id), eq(bankEntry.kind, 'target')))
      .limit(1);
    const refused = await teacher.post(`/plans/${full.id}/edit`, { ...sent, addFromBank: entry!.id });
    expect(refused.statusCode).toBe(200);
    expect(refused.body).toContain('This plan already holds the most targets the school allows (4)');
    expect(refused.body).not.toContain('name="target5-target"');
    // A strategy goes at the end of the quality-first approaches, made about Kit.
    const strategies = await teacher.post(`/plans/${full.id}/edit`, {
      ...sent,
      bank: 'search',
      bankKind: 'strategy',
    });
    const strategy = /name="addFromBank" value="([0-9a-f-]{36})"/.exec(strategies.body)?.[1];
    const [chosen] = await t.database.db.select().from(bankEntry).where(eq(bankEntry.id, strategy!));
    const added = await teacher.post(`/plans/${full.id}/edit`, {
      ...sent,
      bankKind: 'strategy',
      bankSearched: 'yes',
      addFromBank: strategy!,
    });
    expect(added.body).toContain(`Visual timetable\n${chosen!.text.replace(/\bX\b/g, 'Kit')}`);
    // Nothing was saved by any of it.
    const [unchanged] = await t.database.db.select().from(supportPlan).where(eq(supportPlan.id, full.id));
    expect(unchanged?.version).toBe(Number(versionOf(page.body)));
    // An add-to-plan value that is not an id of the bank is ignored, with what was typed kept.
    const odd = await teacher.post(`/plans/${full.id}/edit`, { ...sent, addFromBank: '<script>' });
    expect(odd.statusCode).toBe(200);
    expect(odd.body).toContain('Visual timetable');
  });

  it('agrees the plan: it is in place, on the pupil’s time line with its review date', async () => {
    const page = await teacher.get(`/plans/${planId}/agree`);
    const refused = await teacher.post(`/plans/${planId}/agree`, {
      version: versionOf(page.body),
      ...date('agreedOn', `${year + 1}-01-01`),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Date agreed must be today or in the past');
    expect(refused.body).toContain('Enter who agreed the plan');
    const agreed = await teacher.post(`/plans/${planId}/agree`, {
      version: versionOf(page.body),
      ...date('agreedOn'),
      agreedWith: 'Mother, Kit and Tara Teacher',
    });
    expect(agreed.statusCode).toBe(303);
    const pupilPage = await teacher.get(`/pupils/${t.w.pupilK.id}`);
    expect(pupilPage.body).toContain('SEN Support Plan 1');
    expect(pupilPage.body).toContain('In place');
    expect(pupilPage.body).toContain('review on 30 November 2026');
    expect(pupilPage.body).toContain('Review due soon'); // ten days after 20 November
    expect(pupilPage.body).toContain('2 targets');
    expect(pupilPage.body).not.toContain('Start an SEN Support Plan');
    const shared = await teacher.post(`/plans/${planId}/shared`, {
      version: versionOf((await teacher.get(`/plans/${planId}`)).body),
      ...date('sharedOn'),
    });
    expect(shared.statusCode).toBe(303);
  });
});

describe('Do: the working document', () => {
  it('a TA adds a note under a target (kept, with the error, when empty) and corrects it the same day', async () => {
    const page = await ta.get(`/plans/${planId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Change the plan');
    const targetId = /id="target-([0-9a-f-]{36})"/.exec(page.body)?.[1] ?? '';
    const empty = await ta.post(`/plans/${planId}/notes`, { targetId, ...date('writtenOn'), body: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter the note');
    expect(empty.body).toMatch(new RegExp(`value="${targetId}"[^>]*checked`));
    const added = await ta.post(`/plans/${planId}/notes`, {
      targetId,
      ...date('writtenOn'),
      body: 'Lined up first time on Monday.\nNeeded one prompt on Tuesday.',
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`/plans/${planId}#target-${targetId}`);
    const after = await ta.get(`/plans/${planId}`);
    expect(after.body).toContain('Lined up first time on Monday.<br>Needed one prompt on Tuesday.');
    expect(after.body).toContain('Tess Assistant (Teaching assistant)');
    const correct = /href="(\/plans\/[^"]+\/notes\/[^"]+\/correct)"/.exec(after.body)?.[1];
    expect(correct).toBeTruthy();
    const form = await ta.get(correct!);
    const corrected = await ta.post(correct!, {
      version: versionOf(form.body),
      body: 'Lined up first time on Monday.',
    });
    expect(corrected.statusCode).toBe(303);
    // Someone else cannot correct it.
    expect((await teacher.get(correct!)).statusCode).toBe(400);
  });
});

describe('two people saving the same plan at once', () => {
  it('keeps the first save and shows the second person their own text beside the change', async () => {
    const a = await teacher.get(`/plans/${planId}/edit`);
    const b = await senco.get(`/plans/${planId}/edit`);
    const ids = [1, 2].map(
      (n) => new RegExp(`name="target${n}-id" value="([0-9a-f-]{36})"`).exec(a.body)?.[1] ?? '',
    );
    const rows = (first: string) => [
      { id: ids[0]!, target: first },
      {
        id: ids[1]!,
        target: 'Kit will follow a two-part spoken instruction in class, with a picture prompt',
      },
    ];
    const [first, second] = await Promise.all([
      teacher.post(
        `/plans/${planId}/edit`,
        planForm(versionOf(a.body), rows('Teacher’s wording of target 1')),
      ),
      senco.post(`/plans/${planId}/edit`, planForm(versionOf(b.body), rows('SENCo’s wording of target 1'))),
    ]);
    const statuses = [first.statusCode, second.statusCode].sort();
    expect(statuses).toEqual([303, 409]);
    const loser = first.statusCode === 409 ? first : second;
    const winnerText =
      first.statusCode === 409 ? 'SENCo’s wording of target 1' : 'Teacher’s wording of target 1';
    const loserText =
      first.statusCode === 409 ? 'Teacher’s wording of target 1' : 'SENCo’s wording of target 1';
    expect(loser.body).toContain('Someone else changed this plan while you were working on it');
    expect(loser.body).toContain('The plan as the other person saved it');
    expect(loser.body).toContain(winnerText);
    expect(loser.body).toContain(loserText);
    const [saved] = await t.database.db
      .select()
      .from(planTarget)
      .where(and(eq(planTarget.planId, planId), eq(planTarget.position, 1)));
    expect(saved?.target).toBe(winnerText);
    // The form now carries the saved version: sending it again goes through.
    const again = await (loser === first ? teacher : senco).post(
      `/plans/${planId}/edit`,
      planForm(versionOf(loser.body), rows(loserText)),
    );
    expect(again.statusCode).toBe(303);
  });
});

describe('Review, and the next plan', () => {
  it('only the SENCo or head reviews; missing outcomes are listed; a new-plan decision lands on the next draft', async () => {
    expect((await teacher.get(`/plans/${planId}/review`)).statusCode).toBe(403);
    const plan = await senco.get(`/plans/${planId}`);
    expect(plan.body).toContain('Record the review');
    const started = await senco.post(`/plans/${planId}/start-review`, { version: versionOf(plan.body) });
    expect(started.headers.location).toBe(`/plans/${planId}/review`);
    const form = await senco.get(`/plans/${planId}/review`);
    const targetIds = [...form.body.matchAll(/name="targets" value="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(targetIds).toHaveLength(2);
    const base = {
      version: versionOf(form.body),
      targets: targetIds,
      ...date('heldOn'),
      attendees: 'Mother, Kit, Tara Teacher, Sam Senco',
      progress: 'as_expected',
      decision: 'new_plan',
      pupilViews: 'Lining up is easy now',
    };
    const missing = await senco.post(`/plans/${planId}/review`, {
      ...base,
      [`outcome-${targetIds[0]}`]: 'achieved',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Say whether target 2 was achieved');
    expect(missing.body).toContain('Lining up is easy now');
    const extendWithout = await senco.post(`/plans/${planId}/review`, {
      ...base,
      decision: 'extend',
      [`outcome-${targetIds[0]}`]: 'achieved',
      [`outcome-${targetIds[1]}`]: 'partly_achieved',
    });
    expect(extendWithout.body).toContain('Enter the new review date');
    const done = await senco.post(`/plans/${planId}/review`, {
      ...base,
      [`outcome-${targetIds[0]}`]: 'achieved',
      [`evidence-${targetIds[0]}`]: 'Every day for two weeks',
      [`outcome-${targetIds[1]}`]: 'partly_achieved',
    });
    expect(done.statusCode).toBe(303);
    const nextId = planIdFrom(done.headers.location);
    expect(done.headers.location).toBe(`/plans/${nextId}/edit`);
    expect(nextId).not.toBe(planId);
    const next = await teacher.get(`/plans/${nextId}/edit`);
    expect(next.body).toContain('Change SEN Support Plan 2');
    expect(next.body).toContain('two-part spoken instruction');
    expect(next.body).not.toContain('line up with his class');

    // The closed plan and its review are read-only.
    const closed = await teacher.get(`/plans/${planId}`);
    expect(closed.body).toContain('Closed');
    expect(closed.body).toContain('Every day for two weeks');
    expect(closed.body).not.toContain('Add a note');
    expect((await teacher.get(`/plans/${planId}/edit`)).body).toContain('This plan is closed');
    const late = await ta.post(`/plans/${planId}/notes`, {
      targetId: '',
      ...date('writtenOn'),
      body: 'Late note',
    });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('This plan is closed: add notes to the pupil’s current plan');
    const notes = await t.database.db.select().from(planNote).where(eq(planNote.body, 'Late note'));
    expect(notes).toEqual([]);
  });

  it('refuses a second plan in place with a clear message', async () => {
    // Kit's next plan is a draft; put it in place, then try to agree another draft beside it.
    const [next] = await t.database.db
      .select()
      .from(supportPlan)
      .where(and(eq(supportPlan.pupilId, t.w.pupilK.id), eq(supportPlan.status, 'draft')));
    const page = await senco.get(`/plans/${next!.id}/agree`);
    expect(
      (
        await senco.post(`/plans/${next!.id}/agree`, {
          version: versionOf(page.body),
          ...date('agreedOn'),
          agreedWith: 'Mother',
        })
      ).statusCode,
    ).toBe(303);
    const another = planIdFrom((await senco.post(`/pupils/${t.w.pupilK.id}/plans/new`)).headers.location);
    const form = await senco.get(`/plans/${another}/edit`);
    await senco.post(
      `/plans/${another}/edit`,
      planForm(versionOf(form.body), [{ target: 'Another target' }]),
    );
    const agree = await senco.get(`/plans/${another}/agree`);
    const refused = await senco.post(`/plans/${another}/agree`, {
      version: versionOf(agree.body),
      ...date('agreedOn'),
      agreedWith: 'Mother',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(
      'This pupil already has a plan in place: review it before putting another in place',
    );
    const close = await senco.get(`/plans/${another}/close`);
    expect((await senco.post(`/plans/${another}/close`, { version: versionOf(close.body) })).statusCode).toBe(
      303,
    );
  });
});

describe('print and PDF', () => {
  it('prints the plan as HTML and downloads it as a PDF, each audited', async () => {
    const print = await teacher.get(`/plans/${planId}/print`);
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('Kit Kowalski – SEN Support Plan');
    expect(print.body).toContain('Oakfield Primary');
    expect(print.body).toContain('<th scope="col" class="govuk-table__header">Achievement criteria</th>');
    const pdf = await teacher.get(`/plans/${planId}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="kowalski-kit-plan-1.pdf"');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const printed = await t.database.db
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'plan.printed'), eq(auditEvent.pupilId, t.w.pupilK.id)));
    expect(printed.map((r) => (r.detail as { format: string }).format).sort()).toEqual(['html', 'pdf']);
    expect((await t.app.inject({ method: 'GET', url: `/plans/${planId}/pdf` })).statusCode).toBe(303);
  });
});

describe('the pupil’s real provision on the plan', () => {
  /** Kit's plan in place (their first plan is closed by its review by now). */
  const kitsPlanInPlace = async () => {
    const [inPlace] = await t.database.db
      .select({ id: supportPlan.id })
      .from(supportPlan)
      .where(and(eq(supportPlan.pupilId, t.w.pupilK.id), eq(supportPlan.status, 'active')));
    return inPlace!.id;
  };

  it('shows a closed plan the provision of its own days, headed so: not today’s groups, nor sessions after it closed', async () => {
    const { services, w } = t;
    const { interventions } = await services.provision.catalogue(w.senco.actor);
    const social = interventions.find((i) => i.name === 'Social skills group')!;
    const motor = interventions.find((i) => i.name === 'Fine motor skills group')!;
    const closedPlan = await buildPlan(t.database.db, {
      schoolId: w.school.id,
      pupilId: w.pupilK.id,
      status: 'closed',
      startDate: '2026-01-05',
      reviewDate: '2026-07-02',
      closedAt: new Date('2026-07-02T15:00:00Z'),
    });
    const during = await services.provision.startGroup(w.senco.actor, {
      interventionId: social.id,
      name: 'Friendship group: spring',
      deliverer: { userId: w.ta.actor.userId },
      delivererKind: 'teaching_assistant',
      startDate: '2026-01-12',
      endDate: null,
      sessionsPerWeek: 2,
      minutesPerSession: 30,
      location: null,
      agency: null,
      pupilIds: [w.pupilK.id],
    });
    await services.provision.startGroup(w.senco.actor, {
      interventionId: motor.id,
      name: 'Handwriting club: autumn',
      deliverer: { userId: w.ta.actor.userId },
      delivererKind: 'teaching_assistant',
      startDate: '2026-09-14',
      endDate: null,
      sessionsPerWeek: 1,
      minutesPerSession: 45,
      location: null,
      agency: null,
      pupilIds: [w.pupilK.id],
    });
    for (const [heldOn, present] of [
      ['2026-03-02', false],
      ['2026-03-03', true],
      ['2026-11-17', false],
    ] as const) {
      await services.provision.recordSession(w.ta.actor, during, {
        heldOn,
        presentPupilIds: present ? [w.pupilK.id] : [],
        note: null,
      });
    }

    const page = (await teacher.get(`/plans/${closedPlan.id}`)).body;
    expect(page).toContain('Provision during this plan: interventions and how they were delivered');
    expect(page).not.toContain('Provision now');
    expect(page).not.toContain('Handwriting club: autumn');
    const card = /<h3 class="govuk-summary-card__title">\s*Social skills group\s*<\/h3>(.*?)<\/dl>/s.exec(
      page,
    );
    const row = (card?.[1] ?? '').replace(/\s+/g, ' ');
    expect(row).toContain('Friendship group: spring');
    expect(row).toContain('12 January 2026 to 2 July 2026 (in the group from 12 January 2026)');
    expect(row).toContain('1 session: 2 March 2026');
    expect(row).not.toContain('17 November 2026');
    expect(page).toContain(
      'Time in additional provision when the plan closed on 2 July 2026: 1 hour a week.',
    );

    const print = (await teacher.get(`/plans/${closedPlan.id}/print`)).body;
    expect(print).toContain('Provision during this plan: interventions and how they were delivered');
    expect(print).not.toContain('Handwriting club: autumn');
    expect(print).toContain('1 session: 2 March 2026');
    const pdf = await teacher.get(`/plans/${closedPlan.id}/pdf`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'plan-pdf-')), 'plan.pdf');
    writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString().replace(/\s+/g, ' ');
    expect(text).toContain('Provision during this plan');
    expect(text).not.toContain('Provision now');
    expect(text).not.toContain('Handwriting club');
    expect(text).not.toContain('17 November 2026');
    expect(text).toContain('when the plan closed on 2 July 2026: 1 hour a week');

    // The plan in place keeps today's provision.
    const open = (await teacher.get(`/plans/${await kitsPlanInPlace()}`)).body;
    expect(open).toContain('Provision now: interventions and how they are delivered');
    expect(open).toContain('Handwriting club: autumn');
  });

  it('shows each current group, who delivers it, how often, since when and the missed sessions: on the page, in print and in the PDF; not to the office', async () => {
    const { services, w } = t;
    const { interventions } = await services.provision.catalogue(w.senco.actor);
    const phonics = interventions.find((i) => i.name === 'Phonics catch-up group')!;
    const groupId = await services.provision.startGroup(w.senco.actor, {
      interventionId: phonics.id,
      name: 'Phonics catch-up: Year 4',
      deliverer: { userId: w.ta.actor.userId },
      delivererKind: 'teaching_assistant',
      startDate: '2026-09-07',
      endDate: null,
      sessionsPerWeek: 3,
      minutesPerSession: 20,
      location: 'Library',
      agency: null,
      pupilIds: [w.pupilK.id],
    });
    const inPlace = await kitsPlanInPlace();
    await services.provision.recordSession(w.ta.actor, groupId, {
      heldOn: '2026-11-18',
      presentPupilIds: [],
      note: null,
    });
    await services.provision.recordSession(w.ta.actor, groupId, {
      heldOn: '2026-11-19',
      presentPupilIds: [w.pupilK.id],
      note: null,
    });

    const page = await teacher.get(`/plans/${inPlace}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Provision now: interventions and how they are delivered');
    // A card for the group, headed by the intervention.
    const card = /<h3 class="govuk-summary-card__title">\s*Phonics catch-up group\s*<\/h3>(.*?)<\/dl>/s.exec(
      page.body,
    );
    const row = (card?.[1] ?? '').replace(/\s+/g, ' ');
    expect(row).toContain('Phonics catch-up: Year 4');
    expect(row).toContain('Tia Assistant (Teaching assistant)');
    expect(row).toContain('3 × 20 minutes a week');
    expect(row).toContain('Since 7 September 2026');
    expect(row).toContain('1 session: 18 November 2026');
    // Tia delivers the group: she reads it on the plan too.
    const tia = new Client(t.app);
    await tia.signIn(w.ta.email);
    expect((await tia.get(`/plans/${inPlace}`)).body).toContain('Phonics catch-up: Year 4');

    const print = await teacher.get(`/plans/${inPlace}/print`);
    expect(print.body).toContain('Provision now: interventions and how they are delivered');
    expect(print.body).toContain('1 session: 18 November 2026');
    const pdf = await teacher.get(`/plans/${inPlace}/pdf`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'plan-pdf-')), 'plan.pdf');
    writeFileSync(file, pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString().replace(/\s+/g, ' ');
    expect(text).toContain('Provision now: interventions and how they are delivered');
    expect(text).toContain('Phonics catch-up group');
    expect(text).toMatch(/18 November 2026/);

    // The office reads no plan and no provision: none of it reaches them.
    const office = new Client(t.app);
    await office.signIn(w.office.email);
    for (const url of [`/plans/${inPlace}`, `/plans/${inPlace}/print`, `/plans/${inPlace}/pdf`]) {
      const response = await office.get(url);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.body).not.toContain('Phonics catch-up');
    }
  });
});

describe('the one-page profile', () => {
  it('is kept on the pupil, and a stale save shows the other person’s words', async () => {
    const a = await teacher.get(`/pupils/${t.w.pupilK.id}/profile?plan=${planId}`);
    const b = await senco.get(`/pupils/${t.w.pupilK.id}/profile`);
    const saved = await teacher.post(`/pupils/${t.w.pupilK.id}/profile`, {
      version: versionOf(a.body),
      planId,
      likeAndAdmire: 'Kind and funny',
      importantToMe: 'My dog Biscuit',
      howToSupportMe: 'Give me time to answer',
    });
    expect(saved.headers.location).toBe(`/plans/${planId}`);
    const stale = await senco.post(`/pupils/${t.w.pupilK.id}/profile`, {
      version: versionOf(b.body),
      importantToMe: 'Football',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('My dog Biscuit');
    expect(stale.body).toContain('Football');
    expect((await teacher.get(`/plans/${planId}`)).body).toContain('My dog Biscuit');
  });
});

describe('the school’s settings for plans', () => {
  it('saves the plan name and the threshold in whole pence, refuses bad values, and every page uses the name', async () => {
    const form = await senco.get('/settings/plans');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="£6,000"');
    const bad = await senco.post('/settings/plans', {
      version: versionOf(form.body),
      planName: '',
      reviewInterval: 'weekly',
      maxTargets: '12',
      topUpThreshold: 'six thousand',
      nearingPercent: '0',
    });
    expect(bad.statusCode).toBe(400);
    for (const message of [
      'Enter what the school calls its plans',
      'Select how often plans are reviewed',
      'Enter the most targets a plan may hold, a number from 1 to 10',
      'The threshold must be an amount in pounds, like £6,000',
      'Enter a percentage from 1 to 100',
    ])
      expect(bad.body).toContain(message);
    expect(bad.body).toContain('value="six thousand"');
    const saved = await senco.post('/settings/plans', {
      version: versionOf(form.body),
      planName: 'IEP',
      reviewInterval: 'half_termly',
      halfTermlyTargetChecks: 'yes',
      maxTargets: '3',
      topUpThreshold: '£6,500.50',
      nearingPercent: '75',
    });
    expect(saved.statusCode).toBe(303);
    const [row] = await t.database.db
      .select()
      .from(schoolSettings)
      .where(eq(schoolSettings.schoolId, t.w.school.id));
    expect(row).toMatchObject({
      planName: 'IEP',
      topUpThresholdPence: 650_050,
      maxTargets: 3,
      nearingPercent: 75,
    });
    const audited = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, t.w.school.id), eq(auditEvent.action, 'settings.changed')));
    expect(audited[0]?.n).toBe(1);
    expect((await senco.get('/settings')).body).toContain('£6,500.50');
    expect((await senco.get(`/plans/${planId}`)).body).toContain('<h1 class="govuk-heading-l">IEP 1</h1>');
    const monitoring = await buildPupil(t.database.db, { schoolId: t.w.school.id, stage: 'monitoring' });
    expect((await senco.get(`/pupils/${monitoring.id}`)).body).toContain('Start an IEP');
    expect((await teacher.get('/settings/plans')).statusCode).toBe(403);
  });

  it('hides a bank entry the school does not use', async () => {
    const page = await senco.get('/settings/bank?q=timetable');
    expect(page.statusCode).toBe(200);
    const hide = /action="(\/settings\/bank\/[0-9a-f-]{36}\/hide)"/.exec(page.body)?.[1];
    const hidden = await senco.post(hide!, { query: 'q=timetable' });
    expect(hidden.headers.location).toBe('/settings/bank?q=timetable');
    const id = hide!.split('/')[3]!;
    const [entry] = await t.database.db.select().from(bankEntry).where(eq(bankEntry.id, id));
    expect(entry?.archivedAt).not.toBeNull();
    expect((await senco.post(hide!, {})).statusCode).toBe(404);
  });

  it('keeps another school’s bank to itself, and records the probe where that school sees it', async () => {
    await t.services.bank.search(t.w.otherSenco.actor, { q: '' });
    const [theirs] = await t.database.db
      .select()
      .from(bankEntry)
      .where(and(eq(bankEntry.schoolId, t.w.otherSchool.id), eq(bankEntry.kind, 'target')))
      .limit(1);
    expect((await senco.post(`/settings/bank/${theirs!.id}/hide`, {})).statusCode).toBe(404);
    const ours = await buildPlan(t.database.db, { schoolId: t.w.school.id, status: 'draft' });
    expect((await senco.get(`/plans/${ours.id}/edit`)).statusCode).toBe(200);
    const form = await senco.get(`/plans/${ours.id}/edit`);
    expect(
      (
        await senco.post(`/plans/${ours.id}/edit`, {
          version: versionOf(form.body),
          addFromBank: theirs!.id,
        })
      ).statusCode,
    ).toBe(404);
    const [after] = await t.database.db.select().from(bankEntry).where(eq(bankEntry.id, theirs!.id));
    expect(after?.archivedAt).toBeNull();
    const probes = await t.database.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.schoolId, t.w.otherSchool.id),
          eq(auditEvent.action, 'access.probe_from_other_school'),
        ),
      );
    expect(probes.map((p) => (p.detail as { id?: string }).id)).toContain(theirs!.id);
  });
});

describe('a plan form sent by hand', () => {
  const targetsOf = (id: string) =>
    t.database.db.select().from(planTarget).where(eq(planTarget.planId, id)).orderBy(planTarget.position);
  const versionIn = async (id: string) =>
    (await t.database.db.select().from(supportPlan).where(eq(supportPlan.id, id)))[0]!.version;

  it('refuses a target naming another school’s bank entry: a plain message by the target, nothing saved', async () => {
    await t.services.bank.search(t.w.otherSenco.actor, { q: '' });
    await t.services.bank.search(t.w.senco.actor, { q: '' });
    const entryOf = async (schoolId: string) =>
      (
        await t.database.db
          .select()
          .from(bankEntry)
          .where(and(eq(bankEntry.schoolId, schoolId), eq(bankEntry.kind, 'target')))
          .limit(1)
      )[0]!;
    const theirs = await entryOf(t.w.otherSchool.id);
    const own = await entryOf(t.w.school.id);
    const plan = await buildPlan(t.database.db, { schoolId: t.w.school.id, status: 'draft' });
    const form = await senco.get(`/plans/${plan.id}/edit`);
    const version = versionOf(form.body);
    const before = await targetsOf(plan.id);
    const typed = 'Kit will read a short sentence aloud';
    const refused = await senco.post(
      `/plans/${plan.id}/edit`,
      planForm(version, [
        { target: 'Kit will sit for five minutes' },
        { target: typed, bankEntryId: theirs.id },
      ]),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(
      'Target 2 says it came from the school’s bank, but it is not in your school’s bank: remove it, or add it again from the bank',
    );
    expect(refused.body).toContain('href="#target2-target"');
    expect(refused.body).toContain(typed);
    expect(await versionIn(plan.id)).toBe(Number(version));
    expect(await targetsOf(plan.id)).toEqual(before);
    const [after] = await t.database.db.select().from(bankEntry).where(eq(bankEntry.id, theirs.id));
    expect(after!.timesUsed).toBe(theirs.timesUsed);
    // The school's own entry is taken, and counted.
    const saved = await senco.post(
      `/plans/${plan.id}/edit`,
      planForm(version, [{ target: typed, bankEntryId: own.id }]),
    );
    expect(saved.statusCode).toBe(303);
    expect((await targetsOf(plan.id)).map((r) => r.bankEntryId)).toEqual([own.id]);
  });

  it('never saves when a bank button is sent twice, as a list, or with a value it never has: the search is shown', async () => {
    const plan = await buildPlan(t.database.db, { schoolId: t.w.school.id, status: 'draft' });
    const form = await senco.get(`/plans/${plan.id}/edit`);
    const version = versionOf(form.body);
    const before = await targetsOf(plan.id);
    const typed = planForm(version, [{ target: 'Kit will ask for help with a card' }]);
    const entryId = /name="addFromBank" value="([0-9a-f-]{36})"/.exec(
      (await senco.post(`/plans/${plan.id}/edit`, { ...typed, bank: 'search' })).body,
    )?.[1];
    expect(entryId).toBeTruthy();
    const sends: Record<string, string | string[]>[] = [
      { bank: ['search', 'search'] },
      { bank: 'save' },
      { bank: '' },
      { addFromBank: [entryId!, entryId!] },
      { addFromBank: 'not-an-id' },
    ];
    for (const buttons of sends) {
      const sent = await senco.post(`/plans/${plan.id}/edit`, { ...typed, ...buttons });
      const what = JSON.stringify(buttons);
      expect(sent.statusCode, what).toBe(200);
      expect(sent.body, what).toContain('Kit will ask for help with a card');
      expect(sent.body, what).toContain('id="bank-results"');
      expect(await versionIn(plan.id), what).toBe(Number(version));
      expect(await targetsOf(plan.id), what).toEqual(before);
    }
  });
});

describe('another school’s plans', () => {
  it('are not found on any plan page, and the probe is recorded in the school that owns the plan', async () => {
    const theirs = await buildPlan(t.database.db, { schoolId: t.w.otherSchool.id, note: 'Their note' });
    for (const suffix of ['', '/edit', '/print', '/pdf', '/notes', '/review', '/agree', '/target-check']) {
      expect((await senco.get(`/plans/${theirs.id}${suffix}`)).statusCode, suffix).toBe(404);
    }
    expect((await senco.get(`/plans/${planId}/notes/${theirs.noteId}/correct`)).statusCode).toBe(404);
    // One of our notes through their plan's address: their plan is what is not found, and nothing changes.
    const ours = await buildPlan(t.database.db, { schoolId: t.w.school.id, note: 'Our note' });
    const through = `/plans/${theirs.id}/notes/${ours.noteId}/correct`;
    expect((await senco.get(through)).statusCode).toBe(404);
    expect((await senco.post(through, { body: 'Changed', version: '1' })).statusCode).toBe(404);
    const [note] = await t.database.db.select().from(planNote).where(eq(planNote.id, ours.noteId!));
    expect(note?.body).toBe('Our note');
    expect(
      (await senco.post(`/plans/${theirs.id}/notes`, { ...date('writtenOn'), body: 'x' })).statusCode,
    ).toBe(404);
    const probes = await t.database.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.schoolId, t.w.otherSchool.id),
          eq(auditEvent.action, 'access.probe_from_other_school'),
        ),
      );
    expect(probes.length).toBeGreaterThan(0);
    const named = probes.map((p) => (p.detail as { id?: string }).id);
    expect(named).toContain(theirs.id);
    expect(named).toContain(theirs.noteId);
  });
});
