import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildFamily,
  buildFinalPlan,
  buildLetter,
  buildOfficer,
  buildPlan,
  buildProvisionGroup,
} from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { insertPlanVersion } from '../../../repositories/ehc-plans.ts';

const t = useApp();

type Family = Awaited<ReturnType<typeof buildFamily>>;
let family: Family;
let plan: Awaited<ReturnType<typeof buildPlan>>;
let draft: Awaited<ReturnType<typeof buildPlan>>;
let letter: Awaited<ReturnType<typeof buildLetter>>;
let ehcPlanId: string;

beforeAll(async () => {
  const { db } = t.database;
  family = await buildFamily(db, { schoolId: t.w.school.id, forename: 'Nia', stage: 'ehc_plan' });
  plan = await buildPlan(db, {
    pupilId: family.pupil.id,
    schoolId: family.schoolId,
    targets: ['Ask for help with a hand up'],
    parentsSupportAtHome: 'Play the turn-taking game at tea time',
    reviewDate: '2026-12-18',
  });
  draft = await buildPlan(db, {
    pupilId: family.pupil.id,
    schoolId: family.schoolId,
    status: 'draft',
    targets: ['A DRAFT TARGET'],
  });
  await buildProvisionGroup(db, {
    schoolId: family.schoolId,
    pupilIds: [family.pupil.id],
    name: 'Talk group',
    deliverer: { userId: t.w.ta.actor.userId, name: 'Tia Assistant' },
    sessionsPerWeek: 2,
    minutesPerSession: 30,
  });
  letter = await buildLetter(db, {
    pupil: { id: family.pupil.id, schoolId: family.schoolId, forename: 'Nia', surname: family.pupil.surname },
    kind: 'review_invitation',
    body: 'Dear Parent/Carer,\n\nPlease come to the review of Nia’s plan.',
    slip: 'I will come to the meeting.',
  });
  const officer = await buildOfficer(db);
  const pupil = { id: family.pupil.id, schoolId: family.schoolId, upn: family.pupil.upn };
  const ehc = await buildFinalPlan(db, pupil, officer.organisationId, { issuedOn: '2026-03-02' });
  ehcPlanId = ehc.planId;
  await insertPlanVersion(db, {
    organisationId: officer.organisationId,
    id: randomUUID(),
    planId: ehc.planId,
    caseId: ehc.caseId,
    number: 2,
    stage: 'sent',
    reason: 'annual_review',
    sections: ehc.sections,
    sentOn: '2026-12-03',
    commentsDueOn: '2026-12-18',
    createdByName: 'Casey Caseworker',
  });
});

async function mother() {
  const client = new Client(t.app);
  await client.signIn(family.mother.email);
  return client;
}

describe('the pages a parent reads', () => {
  it('the plan as agreed, in plain words: targets, who helps and how often, the review day, help at home; never the draft', async () => {
    const page = await (await mother()).get(`/children/${family.pupil.id}/plan`);
    expect(page.statusCode).toBe(200);
    for (const text of [
      'Ask for help with a hand up',
      'Reading group',
      '2 times a week, for 30 minutes each time',
      'Tia, a teaching assistant',
      'Friday 18 December 2026',
      'Play the turn-taking game at tea time',
      'What does “support plan” mean?',
    ])
      expect(page.body).toContain(text);
    expect(page.body).not.toContain('A DRAFT TARGET');
    expect(page.body).not.toContain(draft.id);
  });

  it('the child’s own words on the plan; extra sessions the plan names but no group recorded are not called “no group”', async () => {
    const other = await buildFamily(t.database.db, { schoolId: t.w.school.id, forename: 'Pip' });
    const named = await buildPlan(t.database.db, {
      pupilId: other.pupil.id,
      schoolId: other.schoolId,
      interventions: 'Lunchtime social skills club, twice a week',
    });
    await t.services.pupilVoice.record(t.w.senco.actor, other.pupil.id, 'review_views', named.id, {
      answers: {
        howSchoolHasBeen: { face: 'happy', words: 'I like the lunchtime club' },
        helpNext: { words: 'Help with writing' },
      },
      writtenWith: null,
    });
    const client = new Client(t.app);
    await client.signIn(other.mother.email);
    const page = await client.get(`/children/${other.pupil.id}/plan`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="own-words"');
    expect(page.body).toContain('I like the lunchtime club');
    expect(page.body).toContain('Help with writing');
    expect(page.body).toContain('Lunchtime social skills club, twice a week');
    expect(page.body).toContain('The school has not listed a group or session here yet.');
    expect(page.body).not.toContain('Your child is not in an extra group right now.');
  });

  it('says plainly when there is no plan, and what happens next', async () => {
    const other = await buildFamily(t.database.db, { schoolId: t.w.school.id, forename: 'Ola' });
    const client = new Client(t.app);
    await client.signIn(other.father.email);
    const page = await client.get(`/children/${other.pupil.id}/plan`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('does not have a support plan in place right now');
    expect(page.body).toContain('it will talk to you first');
  });

  it('the letters sent, one as a page with a place for the reply, and as the school’s PDF', async () => {
    const client = await mother();
    const list = await client.get(`/children/${family.pupil.id}/letters`);
    expect(list.body).toContain(`/children/${family.pupil.id}/letters/${letter.id}`);
    expect(list.body).toContain('Come to a meeting to review the plan');
    const page = await client.get(`/children/${family.pupil.id}/letters/${letter.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Please come to the review of Nia’s plan.');
    expect(page.body).toContain('I will come to the meeting.');
    const pdf = await client.get(`/children/${family.pupil.id}/letters/${letter.id}/letter.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the draft EHC plan with the end of the parents’ time to comment, and the final plan as issued', async () => {
    const client = await mother();
    const list = await client.get(`/children/${family.pupil.id}/ehc`);
    expect(list.body).toContain('Draft changes to the EHC plan');
    expect(list.body).toContain('Final EHC plan');
    const draftPage = await client.get(`/children/${family.pupil.id}/ehc/plans/${ehcPlanId}`);
    expect(draftPage.statusCode).toBe(200);
    expect(draftPage.body).toContain('You can send your comments until Friday 18 December 2026.');
    expect(draftPage.body).toContain('Section F: special educational provision');
    const final = await client.get(`/children/${family.pupil.id}/ehc/plans/${ehcPlanId}?version=1`);
    expect(final.body).toContain('The council made it final on 2 March 2026.');
    for (const bad of ['?version=3', '?version=0', '?version=x', '?version=1&version=2'])
      expect((await client.get(`/children/${family.pupil.id}/ehc/plans/${ehcPlanId}${bad}`)).statusCode).toBe(
        404,
      );
  });

  it('is "not found" for another child’s records at the same school, through their own child', async () => {
    const client = await mother();
    const kitsLetter = await buildLetter(t.database.db, { pupil: { ...t.w.pupilK } });
    const kitsPlan = await buildPlan(t.database.db, {
      pupilId: t.w.pupilK.id,
      schoolId: t.w.school.id,
      status: 'closed',
    });
    for (const path of [
      `/children/${family.pupil.id}/letters/${kitsLetter.id}`,
      `/children/${family.pupil.id}/letters/${kitsLetter.id}/letter.pdf`,
      `/children/${family.pupil.id}/plans/${kitsPlan.id}`,
      `/children/${family.pupil.id}/plans/${draft.id}`,
      `/children/${t.w.pupilK.id}/plan`,
      `/children/${t.w.pupilK.id}/letters/${kitsLetter.id}`,
      `/children/${t.w.pupilK.id}/ehc/plans/${ehcPlanId}`,
    ]) {
      expect((await client.get(path)).statusCode, path).toBe(404);
    }
  });

  it('shows staff which parents read the plan and the letter online, and when', async () => {
    const father = new Client(t.app);
    await father.signIn(family.father.email);
    await (await mother()).get(`/children/${family.pupil.id}/plan`);
    await father.get(`/children/${family.pupil.id}/letters/${letter.id}`);
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const planPage = await senco.get(`/plans/${plan.id}`);
    expect(planPage.body).toContain(`Read by ${family.motherCarer.name} (mother) online on`);
    const letterPage = await senco.get(`/letters/${letter.id}`);
    expect(letterPage.body).toContain(`Read by ${family.fatherCarer.name} (father) online on`);
    // The mother read it earlier (the letter's page above); each parent has a line of their own.
    expect(letterPage.body).toContain(`Read by ${family.motherCarer.name} (mother) online on`);
  });
});
