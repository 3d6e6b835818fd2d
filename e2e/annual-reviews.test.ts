import { and, eq, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ehcAnnualReview,
  ehcPlan,
  ehcPlanVersion,
  ehcReviewDecision,
  pupil,
} from '../src/db/schema/index.ts';
import { addDays, todayInEngland } from '../src/domain/dates.ts';
import { PROVISION_SECTIONS } from '../src/domain/ehc-plan.ts';
import type { AnnualReviewReport } from '../src/domain/ehc-review.ts';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * The annual review of an EHC plan in a real browser, on the demo school (whose local authority uses the
 * same installation): a pupil whose EHC plan, issued by the authority, has not been reviewed yet; the SENCo starts the review from the list, arranges the meeting with an invitation,
 * records the meeting outcome by outcome and item by item, recommends keeping the plan, and sends the
 * report into the authority's records. axe-core runs on every page.
 */
const world = useBrowserWorld({ demoSeed: 16 });
let target: { id: string; name: string; organisationId: string; outcomes: number; provision: number };

beforeAll(async () => {
  const db = world.database.db;
  // A pupil whose plan (the demo's own, issued by the authority) has had no review yet.
  const plans = await db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      organisationId: ehcPlan.organisationId,
      sections: ehcPlanVersion.sections,
      reviewDueOn: ehcPlan.reviewDueOn,
    })
    .from(ehcPlan)
    .innerJoin(pupil, and(eq(pupil.schoolId, ehcPlan.schoolId), eq(pupil.id, ehcPlan.pupilId)))
    .innerJoin(
      ehcPlanVersion,
      and(
        eq(ehcPlanVersion.organisationId, ehcPlan.organisationId),
        eq(ehcPlanVersion.planId, ehcPlan.id),
        eq(ehcPlanVersion.number, ehcPlan.finalVersion),
      ),
    )
    .where(and(eq(ehcPlan.status, 'final'), isNull(pupil.leftOn)))
    .orderBy(ehcPlan.reviewDueOn);
  const reviewed = new Set(
    (await db.select({ pupilId: ehcAnnualReview.pupilId }).from(ehcAnnualReview)).map((r) => r.pupilId),
  );
  const found = plans.find((p) => !reviewed.has(p.id));
  if (!found) throw new Error('No demo pupil with an EHC plan not yet reviewed');
  target = {
    id: found.id,
    name: `${found.forename} ${found.surname}`,
    organisationId: found.organisationId,
    outcomes: found.sections.e.outcomes.length,
    provision: PROVISION_SECTIONS.flatMap((k) => found.sections[k].provision).length,
  };
});

const fillDate = async (page: import('playwright-core').Page, name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  await page.locator(`input[name="${name}-day"]`).fill(String(Number(d)));
  await page.locator(`input[name="${name}-month"]`).fill(String(Number(m)));
  await page.locator(`input[name="${name}-year"]`).fill(y!);
};

describe('the SENCo holds an annual review', { timeout: 120_000 }, () => {
  it('starts it ahead of its due date, arranges it, records the meeting and sends the report to the local authority', async () => {
    const today = todayInEngland();
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto('/annual-reviews');
    await check();
    await visible(page.getByRole('heading', { name: 'Annual reviews of EHC plans' }));
    // Its review falls due later in the year: the SENCo starts it early, from the start page.
    await page.goto(`/pupils/${target.id}/annual-reviews/new`);
    await check();
    await visible(page.getByText('the review is due by'));
    await page.getByRole('button', { name: 'Start the annual review' }).click();
    await check();
    await visible(page.getByText('The annual review is started.'));

    // Arrange the meeting for today, the parent invited three weeks ago.
    await fillDate(page, 'meetingOn', today);
    await page.getByLabel('Time', { exact: true }).fill('2:30pm');
    await page.getByLabel('Where', { exact: true }).fill('The SENCo’s room');
    // For a child moving to the next phase (the review is then a phase transfer's), the next school.
    await page.locator('input[name="nextSchool"]').fill('Northshire Academy');
    await page.locator('select[name="invitee-0"]').selectOption('parent');
    await page.locator('input[name="inviteName-0"]').fill('The parent');
    await page.locator('select[name="inviteHow-0"]').selectOption('letter');
    await fillDate(page, 'inviteSent-0', addDays(today, -21));
    await page.getByRole('button', { name: 'Save the arrangements' }).click();
    await check();
    await visible(page.getByText('The arrangements are saved.'));

    // The meeting, outcome by outcome and item by item.
    await page.getByRole('link', { name: 'Record the meeting' }).click();
    await check();
    await page.getByLabel('The child’s views, wishes and feelings').fill('I like my new reading books.');
    await page.getByLabel('The parents’ views').fill('Happier at school this year.');
    await page.locator('select[name="attendee-0"]').selectOption('parent');
    await page.locator('input[name="attendeeName-0"]').fill('The parent');
    await page.locator('select[name="attendee-1"]').selectOption('school');
    await page.locator('input[name="attendeeName-1"]').fill('The SENCo');
    for (let i = 0; i < target.outcomes; i++) {
      await page.locator(`input[name="progress-${i}"][value="on_track"]`).check();
      await page
        .locator(`textarea[name="evidence-${i}"]`)
        .fill('Seen in lessons and in the therapist’s notes.');
    }
    for (let i = 0; i < target.provision; i++)
      await page.locator(`input[name="delivery-${i}"][value="as_specified"]`).check();
    await page.locator('input[name="recommendation"][value="keep"]').check();
    await page
      .getByLabel('Reasons', { exact: true })
      .fill('The outcomes are still right and the provision is working.');
    await page.getByRole('checkbox', { name: 'The meeting has taken place' }).check();
    await page.getByRole('button', { name: 'Save the meeting record' }).click();
    await check();
    await visible(page.getByText('The meeting is recorded as held.'));

    await page.getByRole('link', { name: 'Send the report' }).click();
    await check();
    // Sending renders the report's PDF and writes both owners' records: allow for a busy machine.
    await page.getByRole('button', { name: /^Send the report to / }).click({ timeout: 30_000 });
    await check();
    await visible(page.getByText(/The report is sent to .*\. Its decision will show here\./));
    await visible(page.getByRole('heading', { name: 'The report as sent' }));

    const [review] = await world.database.db
      .select()
      .from(ehcAnnualReview)
      .where(eq(ehcAnnualReview.pupilId, target.id));
    expect(review).toMatchObject({ status: 'sent', sentHow: 'local_authority', meetingOn: today });
    const report = review!.sentReport as AnnualReviewReport;
    expect(report.recommendation.decision).toBe('keep');
    expect(report.outcomes).toHaveLength(target.outcomes);
    const [decision] = await world.database.db
      .select()
      .from(ehcReviewDecision)
      .where(eq(ehcReviewDecision.annualReviewId, review!.id));
    expect(decision).toMatchObject({
      organisationId: target.organisationId,
      receivedOn: today,
      decision: null,
    });

    await page.goto('/annual-reviews');
    await check();
    await visible(page.getByRole('table', { name: /Waiting for the local authority’s decision/ }));
    await signOut(page, check);
    await context.close();
  });
});
