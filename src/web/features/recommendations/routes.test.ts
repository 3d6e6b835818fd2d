import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildIntervention,
  buildPlan,
  buildReferral,
  buildReport,
  buildStaff,
  TODAY,
} from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { readPdf } from '../../../../test/pdf.ts';
import { groupMember, planTarget, recommendationUse, supportPlan } from '../../../db/schema/index.ts';

const t = useApp();
const SOURCE = 'Recommended by the speech and language therapist, report of 20 November 2026';
const date = (name: string, iso = TODAY) => {
  const [y, m, d] = iso.split('-').map(Number);
  return { [`${name}-day`]: String(d), [`${name}-month`]: String(m), [`${name}-year`]: String(y) };
};
const versionOf = (html: string) => /name="version" value="(\d+)"/.exec(html)?.[1] ?? '';

let teacher: Client;
let senco: Client;
let ta: Client;
let office: Client;
let planId: string;
let recs: { strategy: string; target: string; provision: string };

beforeAll(async () => {
  const db = t.database.db;
  const assistant = await buildStaff(db, 'teaching_assistant', {
    schoolId: t.w.school.id,
    assignedPupilIds: [t.w.pupilK.id],
  });
  const referral = await buildReferral(db, t.w.pupilK, { status: 'report_received' });
  const { recommendations } = await buildReport(db, referral);
  recs = {
    strategy: recommendations[0]!.id,
    target: recommendations[1]!.id,
    provision: recommendations[2]!.id,
  };
  planId = (
    await buildPlan(db, {
      schoolId: t.w.school.id,
      pupilId: t.w.pupilK.id,
      status: 'draft',
      targets: ['Say how he feels using a feelings chart'],
    })
  ).id!;
  teacher = new Client(t.app);
  await teacher.signIn(t.w.teacherA.email);
  senco = new Client(t.app);
  await senco.signIn(t.w.senco.email);
  ta = new Client(t.app);
  await ta.signIn(assistant.email);
  office = new Client(t.app);
  await office.signIn(t.w.office.email);
});

describe('the class teacher uses a recommendation in the plan', () => {
  it('the page shows it with its source and offers a target prefilled with its words', async () => {
    const page = await teacher.get(`/recommendations/${recs.target}/use`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('A recommendation from Northshire Speech and Language Therapy');
    expect(page.body).toContain(SOURCE);
    expect(page.body).toContain('Not yet used in SEN Support Plan 1 (draft)');
    expect(page.body).toMatch(
      /<textarea[^>]*name="target"[^>]*>Follow a two-step instruction in class 4 times out of 5<\/textarea>/,
    );
    expect(page.body).toContain('Add as a target');
    expect(page.body).toContain('Add as a strategy');
    expect(page.body).not.toContain('Use it in the provision'); // the class teacher does not manage provision
  });

  it('refuses bad input with a clear message and saves nothing; a stale save keeps the text and shows the plan now', async () => {
    const page = await teacher.get(`/recommendations/${recs.target}/use`);
    const version = versionOf(page.body);
    const empty = await teacher.post(`/recommendations/${recs.target}/use`, {
      useAs: 'target',
      planId,
      version,
      target: '  ',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter the target');
    const unknown = await teacher.post(`/recommendations/${recs.target}/use`, {
      useAs: ['target', 'strategy'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('Choose how to use the recommendation');
    const badField = await teacher.post(`/recommendations/${recs.strategy}/use`, {
      useAs: 'strategy',
      planId,
      version,
      field: 'parentsViews',
    });
    expect(badField.statusCode).toBe(400);
    expect(badField.body).toContain('Select the part of the plan the strategy goes into');

    // Someone else saves the plan first: the teacher's words are kept, the plan as it is now is shown.
    await t.database.db
      .update(supportPlan)
      .set({ qualityFirst: 'Now seated by the door', version: Number(version) + 1 })
      .where(eq(supportPlan.id, planId));
    const stale = await teacher.post(`/recommendations/${recs.target}/use`, {
      useAs: 'target',
      planId,
      version,
      target: 'Kit will follow two-step instructions, my own words',
      area: 'communication_and_interaction',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this plan');
    expect(stale.body).toContain('Kit will follow two-step instructions, my own words');
    expect(stale.body).toContain('Now seated by the door');
    expect(versionOf(stale.body)).toBe(String(Number(version) + 1));
    const targets = await t.database.db.select().from(planTarget).where(eq(planTarget.planId, planId));
    expect(targets).toHaveLength(1);
  });

  it('adds a target and a strategy with their source; the plan, its print and PDF show them and the third as not yet used', async () => {
    const page = await teacher.get(`/recommendations/${recs.target}/use`);
    const added = await teacher.post(`/recommendations/${recs.target}/use`, {
      useAs: 'target',
      planId,
      version: versionOf(page.body),
      target: 'Kit will follow a two-step instruction in class 4 times out of 5',
      area: 'communication_and_interaction',
      achievementCriteria: '4 out of 5, over two weeks',
    });
    expect(added.statusCode).toBe(303);
    expect(String(added.headers.location)).toMatch(new RegExp(`^/plans/${planId}#target-`));
    const strategyPage = await teacher.get(`/recommendations/${recs.strategy}/use`);
    const strategy = await teacher.post(`/recommendations/${recs.strategy}/use`, {
      useAs: 'strategy',
      planId,
      version: versionOf(strategyPage.body),
      field: 'qualityFirst',
    });
    expect(strategy.statusCode).toBe(303);

    const plan = await teacher.get(`/plans/${planId}`);
    expect(plan.body).toContain('Target 2: Kit will follow a two-step instruction in class 4 times out of 5');
    expect(plan.body).toContain('Where it came from');
    expect(plan.body).toContain('Advice from outside agencies');
    expect(plan.body).toContain('In this plan as target 2');
    expect(plan.body).toContain(`Give one instruction at a time, with a picture (${SOURCE})`);
    expect(plan.body).toContain('In this plan as a strategy');
    expect(plan.body).toContain('Not yet used');
    expect(plan.body).toContain(`href="/recommendations/${recs.provision}/use"`);
    expect(plan.body).not.toContain(`href="/recommendations/${recs.target}/use"`);

    const print = await teacher.get(`/plans/${planId}/print`);
    expect(print.body).toContain(SOURCE);
    expect(print.body).toContain('Not yet used in this plan');
    const pdf = readPdf((await teacher.get(`/plans/${planId}/pdf`)).rawPayload).text;
    expect(pdf).toContain('Advice from outside agencies');
    expect(pdf).toContain('Recommended by the speech and language therapist');
    expect(pdf).toContain('Not yet used in this plan');

    // Used twice in the same plan: refused, and said so.
    const again = await teacher.post(`/recommendations/${recs.target}/use`, {
      useAs: 'strategy',
      planId,
      version: String(
        (await t.database.db.select().from(supportPlan).where(eq(supportPlan.id, planId)))[0]!.version,
      ),
      field: 'taSupport',
    });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('already in this plan as target 2');
  });

  it('a teaching assistant who works with the pupil reads it, with no forms; the office, which reads no plan, is refused', async () => {
    const page = await ta.get(`/recommendations/${recs.provision}/use`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Language group, three times a week for 20 minutes');
    expect(page.body).not.toContain('Add as a target');
    expect(page.body).toContain('The class teacher or SENCo puts recommendations');
    const post = await ta.post(`/recommendations/${recs.provision}/use`, {
      useAs: 'strategy',
      planId,
      version: '1',
      field: 'taSupport',
    });
    expect(post.statusCode).toBe(403);
    const planPage = await ta.get(`/plans/${planId}`);
    expect(planPage.body).toContain('Advice from outside agencies');
    expect(planPage.body).not.toContain('Use in the plan');
    expect((await office.get(`/recommendations/${recs.provision}/use`)).statusCode).toBe(403);
    expect((await teacher.get('/recommendations/not-an-id/use')).statusCode).toBe(404);
  });
});

describe('the SENCo puts a recommendation into the provision', () => {
  it('starts a new group for the pupil from it, prefilled; the use is recorded', async () => {
    const intervention = await buildIntervention(t.database.db, {
      schoolId: t.w.school.id,
      name: 'Language for Thinking',
    });
    const use = await senco.get(`/recommendations/${recs.provision}/use`);
    expect(use.body).toContain('Use it in the provision');
    expect(use.body).toContain(`href="/provision/groups/new?recommendationId=${recs.provision}"`);
    const form = await senco.get(`/provision/groups/new?recommendationId=${recs.provision}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Started for Kit Kowalski from a recommendation');
    expect(form.body).toContain('value="Northshire Speech and Language Therapy"');
    expect(form.body).toMatch(new RegExp(`value="${t.w.pupilK.id}" checked`));
    const started = await senco.post(`/provision/groups/new?recommendationId=${recs.provision}`, {
      interventionId: intervention.id,
      name: 'Language group: Kit',
      delivererId: 'other',
      delivererName: 'Northshire SALT assistant',
      delivererKind: 'external',
      ...date('startDate', '2026-11-23'),
      sessionsPerWeek: '3',
      minutesPerSession: '20',
      agency: 'Northshire Speech and Language Therapy',
      pupilIds: t.w.pupilK.id,
    });
    expect(started.statusCode).toBe(303);
    const groupId = /\/provision\/groups\/([0-9a-f-]{36})/.exec(String(started.headers.location))![1]!;
    const members = await t.database.db.select().from(groupMember).where(eq(groupMember.groupId, groupId));
    expect(members.map((m) => m.pupilId)).toEqual([t.w.pupilK.id]);
    const uses = await t.database.db
      .select()
      .from(recommendationUse)
      .where(eq(recommendationUse.provisionGroupId, groupId));
    expect(uses.map((u) => [u.recommendationId, u.usedAs])).toEqual([[recs.provision, 'provision']]);
    const plan = await senco.get(`/plans/${planId}`);
    expect(plan.body).toContain('In the provision: Language group: Kit');
    // Not for a class teacher, nor with a broken id.
    expect((await teacher.get(`/provision/groups/new?recommendationId=${recs.provision}`)).statusCode).toBe(
      403,
    );
    expect((await senco.get('/provision/groups/new?recommendationId=nope')).statusCode).toBe(404);
  });
});

describe('the pupil’s page lists the advice of outside agencies', () => {
  it('for the class teacher and the teaching assistant who works with the pupil, not for the office', async () => {
    const page = await teacher.get(`/pupils/${t.w.pupilK.id}`);
    expect(page.body).toContain('Advice from outside agencies');
    expect(page.body).toContain(`href="/recommendations/${recs.target}/use"`);
    expect(page.body).toContain(`${SOURCE}. Used in a target in a plan.`);
    expect(page.body).toContain('Used in the provision');
    const taPage = await ta.get(`/pupils/${t.w.pupilK.id}`);
    expect(taPage.body).toContain('Give one instruction at a time, with a picture');
    const officePage = await office.get(`/pupils/${t.w.pupilK.id}`);
    expect(officePage.statusCode).toBe(200);
    expect(officePage.body).not.toContain('Advice from outside agencies');
    expect(officePage.body).not.toContain('Give one instruction at a time');
  });
});

describe('a review sees the advice and what became of it', () => {
  it('the review page lists the recommendations, and none can be put into a plan being reviewed', async () => {
    const db = t.database.db;
    const referral = await buildReferral(db, t.w.pupilE, { status: 'report_received' });
    const { recommendations } = await buildReport(db, referral, { authorRole: 'Educational psychologist' });
    const plan = await buildPlan(db, {
      schoolId: t.w.school.id,
      pupilId: t.w.pupilE.id,
      status: 'in_review',
    });
    const review = await senco.get(`/plans/${plan.id}/review`);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('Advice from outside agencies');
    expect(review.body).toContain('Recommended by the educational psychologist, report of 20 November 2026');
    expect(review.body).toContain('Not yet used');
    expect(review.body).not.toContain('Use in the plan');
    const use = await senco.get(`/recommendations/${recommendations[0]!.id}/use`);
    expect(use.body).toContain('Not yet used in SEN Support Plan 1 (being reviewed)');
    expect(use.body).not.toContain('Add as a target');
    const refused = await senco.post(`/recommendations/${recommendations[0]!.id}/use`, {
      useAs: 'strategy',
      planId: plan.id!,
      version: '1',
      field: 'qualityFirst',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('This plan is being reviewed');
  });
});
