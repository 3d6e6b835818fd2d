import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { planTarget, pupil, recommendationUse, schoolClass, supportPlan } from '../src/db/schema/index.ts';
import { buildPlan, buildReferral, buildReport } from '../test/builders/index.ts';
import { checkedPage, signIn, useBrowserWorld, visible } from './browser.ts';

/**
 * A recommendation of an outside agency into the plan, in a real browser with axe-core on every page:
 * a speech and language therapist's report on a pupil of the class teacher's class has come back with
 * three recommendations; the class teacher opens the first from the pupil's page, adapts its words and
 * adds it to the draft plan as a target, and the plan shows where it came from and which
 * recommendations are not yet used.
 */
const world = useBrowserWorld({ demoSeed: 11 });
let target: { id: string; forename: string; surname: string; schoolId: string };
let planId: string;
let recommendationIds: string[];

beforeAll(async () => {
  const db = world.database.db;
  const className = world.account('class teacher').role.replace('class teacher of ', '');
  const [found] = await db
    .select({ id: pupil.id, forename: pupil.forename, surname: pupil.surname, schoolId: pupil.schoolId })
    .from(pupil)
    .innerJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(schoolClass.name, className), eq(pupil.senStage, 'sen_support')))
    .orderBy(pupil.surname, pupil.id)
    .limit(1);
  if (!found) throw new Error(`No pupil at SEN support in ${className}`);
  target = found;
  // The pupil's next plan, in draft, and the therapist's report back (entered by the school from paper).
  const drafts = await db
    .select({ id: supportPlan.id })
    .from(supportPlan)
    .where(and(eq(supportPlan.pupilId, found.id), eq(supportPlan.status, 'draft')));
  planId =
    drafts[0]?.id ??
    (await buildPlan(db, {
      schoolId: found.schoolId,
      pupilId: found.id,
      status: 'draft',
      targets: [`${found.forename} will ask for help using a help card`],
    }))!.id!;
  const referral = await buildReferral(db, found, { status: 'report_received' });
  const { recommendations } = await buildReport(db, referral, {
    recommendations: [
      {
        area: 'communication_and_interaction',
        kind: 'target',
        text: 'Follow a two-step instruction in class 4 times out of 5',
      },
      { area: 'communication_and_interaction', kind: 'strategy', text: 'Give one instruction at a time' },
      {
        area: 'communication_and_interaction',
        kind: 'provision',
        text: 'Language group, three times a week',
      },
    ],
  });
  recommendationIds = recommendations.map((r) => r.id);
});

describe('the class teacher uses a recommendation as a target', { timeout: 120_000 }, () => {
  it('from the pupil’s page to the draft plan, its source shown beside the target', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('class teacher').email, world.password);
    await page.goto(`/pupils/${target.id}`);
    await check();
    await visible(page.getByRole('heading', { name: 'Advice from outside agencies' }));
    await page.getByRole('link', { name: 'Follow a two-step instruction in class 4 times out of 5' }).click();
    await page.waitForURL(/\/recommendations\/[^/]+\/use$/);
    await check();
    await visible(
      page.getByText('Recommended by the speech and language therapist, report of 20 November 2026'),
    );

    // Sent empty by mistake: told what to do, nothing saved.
    const box = page.getByLabel('Target', { exact: true });
    expect(await box.inputValue()).toBe('Follow a two-step instruction in class 4 times out of 5');
    await box.fill('');
    await page.getByRole('button', { name: 'Add as a target' }).click();
    await check();
    await visible(page.getByRole('link', { name: 'Enter the target' }));

    // Adapted for the pupil, then added.
    await page
      .getByLabel('Target', { exact: true })
      .fill(`${target.forename} will follow a two-step instruction in class 4 times out of 5`);
    await page.getByLabel('Achievement criteria').fill('4 out of 5 times, over two weeks');
    await page.getByRole('button', { name: 'Add as a target' }).click();
    await page.waitForURL(new RegExp(`/plans/${planId}#target-`));
    await check();
    await visible(page.getByText('Added to the plan as a target, with where it came from.'));
    await visible(page.getByRole('heading', { name: /will follow a two-step instruction in class/ }));
    await visible(
      page.getByText('Recommended by the speech and language therapist, report of 20 November 2026'),
    );
    const advice = page.locator('#advice ~ ul').first();
    await visible(advice.getByText(/In this plan as target \d/));
    await visible(advice.getByRole('link', { name: /Use in the plan\W+Give one instruction at a time/ }));

    // The print view carries the source too.
    await page.getByRole('link', { name: 'Print view' }).click();
    await check();
    await visible(
      page.getByRole('cell', { name: /Recommended by the speech and language therapist/ }).first(),
    );
    await context.close();

    const [row] = await world.database.db
      .select()
      .from(recommendationUse)
      .where(eq(recommendationUse.recommendationId, recommendationIds[0]!));
    expect(row).toMatchObject({ usedAs: 'target', planId });
    const [added] = await world.database.db
      .select()
      .from(planTarget)
      .where(eq(planTarget.id, row!.planTargetId!));
    expect(added!.source).toBe(
      'Recommended by the speech and language therapist, report of 20 November 2026',
    );
  });
});
