import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ehcPlan, planTarget, pupil, school, supportPlan } from '../src/db/schema/index.ts';
import { buildFinalPlan, buildPlan, buildProvisionGroup } from '../test/builders/index.ts';
import { checkedPage, signIn, useBrowserWorld, visible } from './browser.ts';

/**
 * The school's side of an EHC plan, in a real browser with axe-core on every page: the SENCo opens a
 * pupil's final plan from the pupil's page, takes an outcome of section E as a target where the support
 * plan's targets are written, and sees the provision of section F beside the provision map, where she
 * links an item to the group that delivers it.
 */
const world = useBrowserWorld({ demoSeed: 16 });
let target: { id: string; forename: string; surname: string; schoolId: string };
let supportPlanId: string;

beforeAll(async () => {
  const db = world.database.db;
  const [found] = await db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      schoolId: pupil.schoolId,
      upn: pupil.upn,
      organisationId: school.organisationId,
    })
    .from(pupil)
    .innerJoin(school, eq(school.id, pupil.schoolId))
    .where(and(eq(pupil.senStage, 'ehc_plan'), eq(school.name, 'Brookfield Primary School')))
    .orderBy(pupil.surname, pupil.id)
    .limit(1);
  if (!found?.organisationId) throw new Error('No pupil with an EHC plan at a school of a local authority');
  target = found;
  // The authority's final plan (the demo may give one already), the pupil's draft support plan, a group.
  const plans = await db
    .select({ id: ehcPlan.id })
    .from(ehcPlan)
    .where(and(eq(ehcPlan.pupilId, found.id), inArray(ehcPlan.status, ['final'])));
  if (plans.length === 0)
    await buildFinalPlan(db, found, found.organisationId, {
      issuedOn: '2026-03-02',
      school: { name: 'Brookfield Primary School', urn: null },
    });
  const drafts = await db
    .select({ id: supportPlan.id })
    .from(supportPlan)
    .where(and(eq(supportPlan.pupilId, found.id), eq(supportPlan.status, 'draft')));
  supportPlanId =
    drafts[0]?.id ??
    (await buildPlan(db, {
      schoolId: found.schoolId,
      pupilId: found.id,
      status: 'draft',
      targets: [`${found.forename} will use a visual timetable to move between lessons`],
    }))!.id!;
  await buildProvisionGroup(db, {
    schoolId: found.schoolId,
    pupilIds: [found.id],
    name: 'Speech and language, one to one',
    startDate: '2026-09-07',
    sessionsPerWeek: 3,
    minutesPerSession: 30,
  });
});

describe('the SENCo and a pupil’s EHC plan', { timeout: 180_000 }, () => {
  it('sees the plan, takes an outcome as a target, and sees the provision of F beside the map', async () => {
    const { page, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);

    // The pupil's page: the plan's panel, then the plan itself, every section identified.
    await page.goto(`/pupils/${target.id}`);
    await check();
    await visible(page.getByRole('heading', { name: 'EHC plan', exact: true }));
    await page.getByRole('link', { name: 'See the EHC plan' }).click();
    await page.waitForURL(/\/ehc-plan$/);
    await check();
    await visible(page.getByRole('heading', { name: 'Section E: outcomes' }));
    await visible(page.getByRole('heading', { name: 'Section F: special educational provision' }));
    await visible(page.getByRole('heading', { name: 'Outcome E1' }));
    await visible(page.getByRole('link', { name: 'Download the plan as a PDF' }));

    // Where the support plan's targets are written: take outcome E1 of the EHC plan as a target.
    await page.goto(`/plans/${supportPlanId}/edit`);
    await check();
    await page.getByRole('link', { name: 'take a target from the EHC plan' }).click();
    await page.waitForURL(/\/ehc-outcomes$/);
    await check();
    await page.getByRole('button', { name: 'Take outcome E1 as a target' }).click();
    await page.waitForURL(/\/edit#target\d+-target$/);
    await check();
    await visible(page.getByText('with where it came from'));
    const taken = await world.database.db
      .select()
      .from(planTarget)
      .where(eq(planTarget.planId, supportPlanId));
    const fromOutcome = taken.find((t) => t.ehcOutcomeId !== null);
    expect(fromOutcome?.source).toMatch(/^Outcome E1 of the EHC plan \(/);
    await page.goto(`/plans/${supportPlanId}/ehc-outcomes`);
    await check();
    await visible(page.getByText('Already in this plan.'));

    // The provision map leads to the plans' provision beside it; F1 is linked to the pupil's group.
    await page.goto('/provision/map');
    await check();
    await page.getByRole('link', { name: 'EHC plan provision beside the map' }).click();
    await page.waitForURL(/\/provision\/ehc-plans$/);
    await check();
    const section = page.locator(`#pupil-${target.id}`);
    await visible(section.getByRole('link', { name: 'Speech and language, one to one' }));
    await section
      .getByLabel('Group that delivers F1')
      .selectOption({ label: 'Speech and language, one to one' });
    await section
      .getByRole('button', { name: `Link F1 of ${target.forename} ${target.surname} to the group chosen` })
      .click();
    await page.waitForURL(/\/provision\/ehc-plans/);
    await check();
    await visible(page.getByText('Speech and language, one to one is linked to F1.'));
    await visible(section.getByText('Delivered by'));
  });
});
