import { and, eq, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ehcPlan, ehcReviewDecision, organisation, pupil, school } from '../src/db/schema/index.ts';
import { addDays, formatDate, todayInEngland } from '../src/domain/dates.ts';
import { buildFinalPlan, buildReviewDecision } from '../test/builders/index.ts';
import { checkedPage, signIn, signOut, tabTo, useBrowserWorld, visible } from './browser.ts';

/**
 * The local authority decides on an annual review in a real browser on the demo, axe-core on every page:
 * a demo child's EHC plan, reviewed by the school three weeks ago, its report received; the caseworker
 * opens "Annual reviews", finds the report waiting for a decision, reads it, decides to amend (the reasons
 * left out first, shown again with the message and the choice kept), and the decision page shows the
 * proposed amendments begun as the plan's version 2 with the amended plan's date; everything by keyboard.
 */
const world = useBrowserWorld({ demoSeed: 29 });
let childName: string;
let meetingOn: string;
let planId: string;

beforeAll(async () => {
  const db = world.database.db;
  const [la] = await db.select().from(organisation).where(eq(organisation.kind, 'local_authority'));
  const [row] = await db
    .select({ pupil, schoolName: school.name, urn: school.urn })
    .from(pupil)
    .innerJoin(school, eq(school.id, pupil.schoolId))
    .where(and(eq(pupil.senStage, 'sen_support'), isNull(pupil.leftOn)))
    .orderBy(pupil.surname, pupil.id)
    .limit(1);
  const child = row!.pupil;
  childName = `${child.forename} ${child.surname}`;
  meetingOn = addDays(todayInEngland(), -21);
  const plan = await buildFinalPlan(db, child, la!.id, {
    issuedOn: addDays(meetingOn, -350),
    school: { name: row!.schoolName, urn: row!.urn },
  });
  planId = plan.planId;
  await buildReviewDecision(db, plan, child, { meetingOn, recommendation: 'amend' });
});

describe('the local authority’s decision on an annual review', { timeout: 120_000 }, () => {
  it('finds the report waiting, reads it and decides to amend: the proposed amendments begin', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('local authority officer').email, world.password);
    await page.getByRole('link', { name: 'Annual reviews', exact: true }).click();
    await check();
    await page.getByRole('link', { name: /Reports waiting for a decision/ }).click();
    await check();
    // By keyboard to the child's report.
    await tabTo(page, 'the report', `el.textContent.trim() === ${JSON.stringify(childName)}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/organisation\/reviews\/[0-9a-f-]{36}$/);
    await check();
    await visible(page.getByRole('heading', { name: 'The school’s report' }));
    await visible(page.getByText(formatDate(addDays(meetingOn, 28))).first());

    await page.getByRole('radio', { name: 'Amend the plan' }).check();
    const today = todayInEngland();
    const [y, m, d] = today.split('-');
    const decided = page.getByRole('group', { name: 'Date of the decision' });
    await decided.getByLabel('Day').fill(String(Number(d)));
    await decided.getByLabel('Month').fill(String(Number(m)));
    await decided.getByLabel('Year').fill(y!);
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await check();
    await visible(page.getByText('There is a problem'));
    await expect(page.getByRole('radio', { name: 'Amend the plan' }).isChecked()).resolves.toBe(true);
    await page
      .getByLabel('The reasons, as told to the parents')
      .fill('Section F needs a small-group social communication programme.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.waitForURL(/\/organisation\/reviews\/[0-9a-f-]{36}$/);
    await check();
    await visible(page.getByText(/Decision recorded: the proposed amendments are version 2 of the plan/));
    await visible(
      page.getByText(`the amended plan is due by ${formatDate(addDays(meetingOn, 84))}`, { exact: false }),
    );
    const [decision] = await world.database.db
      .select()
      .from(ehcReviewDecision)
      .where(eq(ehcReviewDecision.planId, planId));
    expect(decision).toMatchObject({ decision: 'amend', amendmentVersion: 2 });
    const [plan] = await world.database.db.select().from(ehcPlan).where(eq(ehcPlan.id, planId));
    expect(plan).toMatchObject({ latestVersion: 2, lastReviewOn: meetingOn });

    // The amendment is under way in the authority's list.
    await page.getByRole('link', { name: 'Back to the annual reviews' }).click();
    await check();
    await page.getByRole('link', { name: /Amendments under way/ }).click();
    await check();
    await visible(page.getByRole('link', { name: childName }));
    await signOut(page, check);
    await context.close();
  });
});
