import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pupil, topUpApplication } from '../src/db/schema/index.ts';
import { academicYearLabel, academicYearStartOf } from '../src/domain/calendar.ts';
import { todayInEngland } from '../src/domain/dates.ts';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * High-needs top-up funding, in a real browser on the demo school, axe-core on every page: the SENCo
 * finds a pupil over the threshold on the provision page, builds the application from the pupil's
 * provision in one action, is told plainly when the amount is not an amount and the dates are out of
 * order (keeping what was typed), writes the school's case and sends it into Northshire's caseload; the
 * caseworker opens the case, agrees the funding; the SENCo sees the funding beside the costs.
 */
const world = useBrowserWorld({ demoSeed: 7 });
let applied: Set<string>;

beforeAll(async () => {
  const rows = await world.database.db.select({ pupilId: topUpApplication.pupilId }).from(topUpApplication);
  applied = new Set(rows.map((r) => r.pupilId));
});

describe('a top-up application from the SENCo to the local authority and back', { timeout: 180_000 }, () => {
  it('is built, sent, agreed, and its funding shown beside the costs', async () => {
    const { page, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);

    // The provision page lists the pupils over the threshold: one with no application yet.
    await page.goto('/provision');
    await check();
    const over = page.locator('#over-threshold + ul a');
    const hrefs = await over.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    const href = hrefs.find((h) => !applied.has(h.replace(/^\/pupils\//, '').replace(/#.*$/, '')));
    if (!href) throw new Error(`No pupil over the threshold without an application: ${hrefs.join(', ')}`);
    const pupilId = href.replace(/^\/pupils\//, '').replace(/#.*$/, '');
    const [child] = await world.database.db
      .select({ forename: pupil.forename, surname: pupil.surname })
      .from(pupil)
      .where(eq(pupil.id, pupilId));
    await page.locator(`#over-threshold + ul a[href="${href}"]`).click();
    await page.waitForURL(new RegExp(`/pupils/${pupilId}`));
    await check();

    // From the pupil's provision, in one action.
    await page.getByRole('link', { name: 'Apply for high-needs top-up funding' }).click();
    await page.waitForURL(/\/top-up\/new$/);
    await check();
    await page.getByRole('button', { name: 'Build the application' }).click();
    await page.waitForURL(/\/top-up\/[0-9a-f-]{36}$/);
    await check();
    await visible(page.getByText('The application is built from the pupil’s record'));
    await visible(page.getByRole('heading', { name: 'The costed provision and its impact' }));
    const applicationUrl = page.url();

    // Hostile amounts and dates out of order: told plainly, what was typed kept, nothing saved.
    const amount = page.getByLabel('Top-up funding asked for, a year');
    await amount.fill('£-5');
    await page.locator('#periodFrom-year').fill('2027');
    await page.locator('#periodTo-year').fill('2026');
    await page.getByLabel('Why the plan is efficient and likely to succeed').fill('Draft words');
    await page.getByRole('button', { name: 'Save the application' }).click();
    await check();
    await visible(
      page.getByRole('link', { name: 'The amount a year must be an amount in pounds, like £4,500' }),
    );
    expect(await amount.inputValue()).toBe('£-5');
    await amount.fill('6,000.005');
    await page.getByRole('button', { name: 'Save the application' }).click();
    await check();
    await visible(
      page.getByRole('link', { name: 'The amount a year must be an amount in pounds, like £4,500' }),
    );
    await amount.fill('4,500');
    await page.getByRole('button', { name: 'Save the application' }).click();
    await check();
    await visible(
      page.getByRole('link', { name: 'The date the funding ends must be after the date it starts' }),
    );
    expect(await page.getByLabel('Why the plan is efficient and likely to succeed').inputValue()).toBe(
      'Draft words',
    );

    // Put right, with the school's case, and sent.
    await page.locator('#periodFrom-year').fill('2026');
    await page.locator('#periodTo-year').fill('2027');
    await page
      .getByLabel('Why the plan is efficient and likely to succeed')
      .fill(
        'Daily small-group support has closed half the gap in reading; the extra hours above the threshold keep it going.',
      );
    await page.getByRole('button', { name: 'Save the application' }).click();
    await page.waitForURL(applicationUrl);
    await check();
    await visible(page.getByText('The application is saved.'));
    await page.getByRole('link', { name: /^Send to Northshire/ }).click();
    await page.waitForURL(/\/send$/);
    await check();
    await page.getByRole('button', { name: 'Send the application' }).click();
    await page.waitForURL(applicationUrl);
    await check();
    await visible(page.getByText(/The application is sent to Northshire/));
    await signOut(page, check);

    // The caseworker decides.
    const [sent] = await world.database.db
      .select()
      .from(topUpApplication)
      .where(and(eq(topUpApplication.pupilId, pupilId), eq(topUpApplication.status, 'sent')));
    expect(sent?.caseId).toBeTruthy();
    await signIn(page, check, 'officer@northshire.example', world.password);
    await page.goto(`/organisation/cases/${sent!.caseId}/top-up-decision`);
    await check();
    await visible(page.getByRole('heading', { name: 'Decision on high-needs top-up funding' }));
    await visible(page.getByText(`${child!.forename} ${child!.surname}, `));
    // Saved with no decision chosen: told what to do.
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await check();
    await visible(page.getByRole('link', { name: 'Choose the decision: agreed, agreed in part or refused' }));
    await page.getByLabel('Agreed', { exact: true }).check();
    const [y, m, d] = todayInEngland().split('-');
    await page.locator('#decidedOn-day').fill(String(Number(d)));
    await page.locator('#decidedOn-month').fill(String(Number(m)));
    await page.locator('#decidedOn-year').fill(y!);
    await page.getByLabel('Band (optional)').fill('C');
    await page.getByLabel('The reasons').fill('Well evidenced: the support is working.');
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await page.waitForURL(/\/top-up-decision$/);
    await check();
    await visible(page.getByText('The decision is recorded. The school sees it now.'));
    await visible(page.getByText('£4,500'));
    await signOut(page, check);

    // The SENCo sees it beside the costs, and on the application.
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/pupils/${pupilId}#provision`);
    await check();
    const year = academicYearLabel(academicYearStartOf(todayInEngland()));
    await visible(page.getByText(`Top-up funding in ${year} (academic year)`, { exact: true }));
    await visible(page.getByText(/agreed, against £[\d,.]+ of costs above the threshold/));
    await visible(page.getByText(/The local authority’s decision: Agreed on .*: £4,500 a year/));
    await page.goto(applicationUrl);
    await check();
    await visible(page.getByRole('heading', { name: 'The local authority’s decision' }));
    await visible(page.getByText('Well evidenced: the support is working.'));
    // On a phone-sized screen the application does not scroll sideways: its tables scroll in place.
    await page.setViewportSize({ width: 375, height: 667 });
    await page.reload();
    await check();
    await visible(page.getByRole('region', { name: 'The costed provision this year' }));
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  });
});
