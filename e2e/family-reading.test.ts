import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { planReview } from '../src/db/schema/index.ts';
import { addDays, todayInEngland } from '../src/domain/dates.ts';
import { insertPlanVersion } from '../src/repositories/ehc-plans.ts';
import {
  buildFamily,
  buildFinalPlan,
  buildLetter,
  buildOfficer,
  buildPlan,
  buildProvisionGroup,
  buildSchool,
  TEST_PASSWORD,
} from '../test/builders/index.ts';
import { checkedPage, signIn, useBrowserWorld, visible } from './browser.ts';

/**
 * What a parent reads, on a phone (375 × 800): the mother signs in, opens her child's page, reads the
 * support plan as agreed (targets, who helps and how often, the review day, help at home, the words
 * explained), an earlier plan and how it went, a letter (and its PDF), the draft EHC plan with the end
 * of her time to comment, and the final plan. axe-core runs on every page.
 */
const world = useBrowserWorld();
let family: Awaited<ReturnType<typeof buildFamily>>;
let ehcPlanId: string;
const today = todayInEngland();

beforeAll(async () => {
  const { db } = world.database;
  const school = await buildSchool(db, { name: 'Brookfield Primary' });
  family = await buildFamily(db, { schoolId: school.id, forename: 'Nia', stage: 'ehc_plan' });
  const pupil = { id: family.pupil.id, schoolId: school.id };
  const earlier = await buildPlan(db, {
    ...{ pupilId: pupil.id, schoolId: pupil.schoolId },
    status: 'closed',
    startDate: '2026-04-20',
    reviewDate: '2026-07-10',
    targets: ['Count to twenty'],
  });
  await db.insert(planReview).values({
    schoolId: pupil.schoolId,
    id: randomUUID(),
    planId: earlier.id,
    pupilId: pupil.id,
    heldOn: '2026-07-10',
    attendees: 'Mother, class teacher, SENCo',
    parentsViews: 'She counts the stairs at home',
    pupilViews: 'I like the blocks',
    progress: 'as_expected',
    decision: 'new_plan',
    reviewedByName: 'Sam Senco',
  });
  await buildPlan(db, {
    pupilId: pupil.id,
    schoolId: pupil.schoolId,
    targets: ['Ask for help with a hand up'],
    desiredOutcomes: 'Nia will join in with class talk',
    parentsSupportAtHome: 'Play the turn-taking game at tea time',
    reviewDate: addDays(today, 30),
  });
  await buildProvisionGroup(db, {
    schoolId: pupil.schoolId,
    pupilIds: [pupil.id],
    deliverer: { name: 'Mrs Patel' },
    delivererKind: 'teaching_assistant',
    sessionsPerWeek: 3,
    minutesPerSession: 20,
  });
  await buildLetter(db, {
    pupil: { ...pupil, forename: 'Nia', surname: family.pupil.surname },
    kind: 'plan_shared',
    sentOn: addDays(today, -5),
  });
  const officer = await buildOfficer(db);
  const ehc = await buildFinalPlan(db, { ...pupil, upn: family.pupil.upn }, officer.organisationId, {
    issuedOn: addDays(today, -200),
  });
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
    sentOn: addDays(today, -3),
    commentsDueOn: addDays(today, 11),
    createdByName: 'Casey Caseworker',
  });
});

describe('a parent reads on a phone', () => {
  it('the plan, an earlier plan, a letter and the EHC plan: every page passes axe at 375 pixels wide', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl, {
      viewport: { width: 375, height: 800 },
    });
    await signIn(page, check, family.mother.email, TEST_PASSWORD);
    await page.goto(`/children/${family.pupil.id}`);
    await check();

    await page.getByRole('link', { name: 'Read the support plan' }).click();
    await check();
    await visible(page.getByRole('heading', { name: 'Support plan' }));
    await visible(page.getByText('Ask for help with a hand up'));
    await visible(page.getByText('3 times a week, for 20 minutes each time'));
    await visible(page.getByText('Mrs Patel, a teaching assistant'));
    await visible(page.getByText('Play the turn-taking game at tea time'));
    await page.getByText('What does “support plan” mean?').click();
    await visible(page.getByText('A support plan says what the school is working on'));
    // Nothing on the page is wider than the phone.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

    await page.getByRole('link', { name: 'Earlier plans and how they went' }).click();
    await check();
    await page.getByRole('link', { name: 'Plan 1' }).click();
    await check();
    await visible(page.getByText('She counts the stairs at home'));
    await visible(page.getByText('The school wrote a new plan.', { exact: false }));

    await page.goto(`/children/${family.pupil.id}`);
    await page.getByRole('link', { name: 'Letters from the school' }).click();
    await check();
    await page.getByRole('link', { name: 'A new support plan' }).click();
    await check();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download the letter as a PDF' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.pdf$/);

    await page.goto(`/children/${family.pupil.id}`);
    await page.getByRole('link', { name: 'Read the EHC plan' }).click();
    await check();
    await page.getByRole('link', { name: 'Draft changes to the EHC plan' }).click();
    await check();
    await visible(page.getByText('You can send your comments until', { exact: false }));
    await page.getByRole('link', { name: 'Final EHC plan' }).click();
    await check();
    expect(page.url()).toContain(`/ehc/plans/${ehcPlanId}?version=1`);
    await context.close();
  });
});
