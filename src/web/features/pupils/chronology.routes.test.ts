import { beforeAll, describe, expect, it } from 'vitest';
import { buildPupil } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';

/*
 * The graduated approach in a pupil's chronology (TODAY is 20 November 2026): Noor's first plan drafted,
 * agreed, reviewed and closed (to the monitoring list); a second drafted and closed unused; a phonics
 * group joined in September and left in November. Built from the plans, reviews and group places, shown
 * to those who may read each, linking to what they may open.
 */
const t = useApp();
let pupilId: string;
let planId: string;
let groupId: string;

/** The chronology's items as text, newest first. */
const chronologyOf = (html: string) =>
  (/<h2 class="govuk-heading-m">Chronology<\/h2>(.*?)<\/ol>/s.exec(html)?.[1] ?? '')
    .split('<li class="app-chronology__item">')
    .slice(1)
    .map((li) =>
      li
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );

beforeAll(async () => {
  const { services, w } = t;
  const pupil = await buildPupil(t.database.db, {
    schoolId: w.school.id,
    classId: w.classA.id,
    forename: 'Noor',
    surname: 'Nasser',
    dateOfBirth: '2018-05-04',
    stage: 'sen_support',
    primaryNeed: 'SPLD',
    admissionDate: '2022-09-01',
  });
  pupilId = pupil.id;
  planId = await services.plans.start(w.teacherA.actor, pupilId);
  let view = await services.plans.view(w.teacherA.actor, planId);
  await services.plans.update(w.teacherA.actor, planId, view.plan.version, {
    ...view.plan,
    desiredOutcomes: 'To read simple sentences',
    startDate: '2026-09-07',
    reviewDate: '2026-11-30',
    targets: [
      {
        id: null,
        area: 'cognition_and_learning',
        target: 'Noor will blend CVC words',
        achievementCriteria: null,
        resourcesAndTechniques: null,
        classStrategies: null,
        bankEntryId: null,
      },
    ],
  });
  view = await services.plans.view(w.teacherA.actor, planId);
  await services.plans.agree(w.teacherA.actor, planId, view.plan.version, {
    agreedOn: '2026-09-07',
    agreedWith: 'Mother, Noor and Tara Teacher',
    sharedWithParentsOn: null,
  });
  const { interventions } = await services.provision.catalogue(w.senco.actor);
  groupId = await services.provision.startGroup(w.senco.actor, {
    interventionId: interventions.find((i) => i.name === 'Phonics catch-up group')!.id,
    name: 'Phonics: Year 4',
    deliverer: { userId: w.ta.actor.userId },
    delivererKind: 'teaching_assistant',
    startDate: '2026-09-14',
    endDate: null,
    sessionsPerWeek: 3,
    minutesPerSession: 20,
    location: null,
    agency: null,
    pupilIds: [pupilId, w.pupilA.id],
  });
  const group = await services.provision.group(w.senco.actor, groupId);
  const member = group.members.find((m) => m.member.pupilId === pupilId)!.member;
  await services.provision.pupilLeaves(w.senco.actor, groupId, member.id, member.version, '2026-11-06');
  view = await services.plans.view(w.senco.actor, planId);
  await services.plans.recordReview(w.senco.actor, planId, view.plan.version, {
    heldOn: '2026-11-19',
    attendees: 'Mother, Noor, Tara Teacher, Sam Senco',
    pupilViews: null,
    parentsViews: null,
    progress: 'better_than_expected',
    decision: 'monitoring',
    decisionNotes: 'Reading has caught up',
    extendedTo: null,
    outcomes: view.targets.map((x) => ({ targetId: x.id, outcome: 'achieved' as const, evidence: null })),
  });
  const draft = await services.plans.start(w.senco.actor, pupilId);
  const d = await services.plans.view(w.senco.actor, draft);
  await services.plans.closeDraft(w.senco.actor, draft, d.plan.version);
});

describe('the graduated approach in the chronology', () => {
  it('tells the SENCo each plan drafted, agreed, reviewed with its decision and closed, and each group joined and left, with who and a link', async () => {
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const page = await senco.get(`/pupils/${pupilId}`);
    const items = chronologyOf(page.body);
    const find = (title: string) => items.find((i) => i.includes(title)) ?? '';
    expect(find('SEN Support Plan 1 drafted')).toContain('Tara Teacher');
    expect(find('SEN Support Plan 1 agreed and put in place')).toMatch(
      /7 September 2026 · Tara Teacher .*Agreed with Mother, Noor and Tara Teacher/,
    );
    expect(find('SEN Support Plan 1 reviewed and closed')).toMatch(
      /19 November 2026 · Sam Senco .*Decision: Move to the monitoring list \(the plan closes\)/,
    );
    expect(find('SEN Support Plan 2 closed as a draft, never put in place')).toContain('Sam Senco');
    expect(find('Joined Phonics: Year 4 (Phonics catch-up group)')).toMatch(
      /14 September 2026 · Sam Senco .*Delivered by Tia Assistant/,
    );
    expect(find('Left Phonics: Year 4 (Phonics catch-up group)')).toMatch(/6 November 2026 · Sam Senco/);
    // Newest first: the review (19 November) before leaving the group (6 November) before joining it.
    const order = ['reviewed and closed', 'Left Phonics', 'Joined Phonics', 'agreed and put in place'].map(
      (title) => items.findIndex((i) => i.includes(title)),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(page.body).toContain(`href="/plans/${planId}">SEN Support Plan 1 reviewed and closed`);
    expect(page.body).toContain(`href="/provision/groups/${groupId}">Joined Phonics: Year 4`);
  });

  it('shows the class teacher the group without a link to a page they cannot open, and the office neither plans nor groups', async () => {
    const teacher = new Client(t.app);
    await teacher.signIn(t.w.teacherA.email);
    const page = await teacher.get(`/pupils/${pupilId}`);
    const items = chronologyOf(page.body);
    expect(items.some((i) => i.includes('Joined Phonics: Year 4'))).toBe(true);
    expect(page.body).not.toContain(`href="/provision/groups/${groupId}"`);
    expect(page.body).toContain(`href="/plans/${planId}">SEN Support Plan 1 agreed and put in place`);

    const office = new Client(t.app);
    await office.signIn(t.w.office.email);
    const officePage = await office.get(`/pupils/${pupilId}`);
    expect(officePage.statusCode).toBe(200);
    expect(officePage.body).not.toContain('SEN Support Plan');
    expect(officePage.body).not.toContain('Phonics');
  });

  it('keeps the closed plan’s header as the pupil was while it was in place, not as the review left them', async () => {
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    expect((await senco.get(`/pupils/${pupilId}`)).body).toContain('Monitoring');
    const plan = (await senco.get(`/plans/${planId}`)).body.replace(/\s+/g, ' ');
    expect(plan).toContain('SEN support (K)');
    expect(plan).toContain('Specific learning difficulty (SPLD)');
    expect(plan).toContain('When the plan closed on 19 November 2026');
  });
});
