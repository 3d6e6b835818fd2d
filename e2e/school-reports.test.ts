import { describe, expect, it } from 'vitest';
import { academicYearLabel, academicYearStartOf } from '../src/domain/calendar.ts';
import { todayInEngland } from '../src/domain/dates.ts';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * The school's SEN reports in a real browser, on the demo school: the head opens this year's SEN
 * information report, drafted by the SENCo, whose checklist shows two required items missing; she writes
 * them, the checklist is complete, and she downloads the PDF and looks at the HTML for the website. The
 * SEN governor reads the report with its charts, each an image with its accessible name and the table
 * of its numbers beside it. axe-core runs on every page.
 */
const world = useBrowserWorld({ demoSeed: 18 });
const YEAR = academicYearLabel(academicYearStartOf(todayInEngland()));

describe('the school’s SEN reports', () => {
  it('the head writes the two missing items of the SEN information report and downloads the PDF', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('head teacher').email, world.password);
    await page.getByRole('link', { name: 'SEN reports', exact: true }).first().click();
    await check();
    await page.getByRole('link', { name: `SEN information report ${YEAR}` }).click();
    await check();
    await visible(page.getByText('2 required items are still to write.'));
    await visible(page.getByRole('listitem').filter({ hasText: 'Missing Transitions' }));
    await visible(
      page.getByRole('listitem').filter({ hasText: 'Missing The local authority’s local offer' }),
    );

    await page.getByRole('button', { name: 'Write the school’s words' }).click();
    await check();
    await page
      .getByLabel('Transitions', { exact: true })
      .fill(
        'Pupils visit their new class in July, and we meet the next school’s SENCo before a pupil moves on.',
      );
    await page
      .getByLabel('The local authority’s local offer', { exact: true })
      .fill('Northshire’s local offer is published at https://www.northshire.example/localoffer.');
    await page.getByRole('button', { name: 'Save' }).click();
    await check();
    await visible(page.getByText('Saved. Every required item is written.'));
    await visible(page.getByText('Every required item is written.', { exact: true }));
    await visible(page.getByText('Pupils visit their new class in July'));

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`sen-information-report-${YEAR.replace('/', '-')}.pdf`);

    await page.getByRole('link', { name: 'HTML for the school’s website' }).click();
    await check();
    const html = await page.getByLabel('HTML of the report').inputValue();
    expect(html).toContain('<article class="sen-report">');
    expect(html).not.toMatch(/<script/i);
    await signOut(page, check);
    await context.close();
  }, 120_000);

  it('the SEN governor reads the report with its charts and their tables', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SEN governor').email, world.password);
    await page.getByRole('link', { name: 'SEN reports', exact: true }).first().click();
    await check();
    await page.getByRole('link', { name: `SEN information report ${YEAR}` }).click();
    await check();
    expect(await page.getByRole('button', { name: 'Write the school’s words' }).count()).toBe(0);
    const charts = page.locator('svg[role="img"]');
    const count = await charts.count();
    expect(count).toBeGreaterThanOrEqual(3);
    for (const title of [
      `Pupils on the SEN register, `,
      `Primary need of pupils on the SEN register, ${YEAR}`,
      `Cost of provision by area of need, ${YEAR}`,
    ])
      await visible(page.getByRole('img', { name: new RegExp(`^${title}`) }));
    for (let i = 0; i < count; i++) {
      const chart = charts.nth(i);
      const title = (await chart.locator('title').textContent()) ?? '';
      const id = ((await chart.locator('title').getAttribute('id')) ?? '').replace(/-title$/, '');
      // Its accessible name is its title and its description; the table of its numbers follows it.
      await visible(page.getByRole('img', { name: title }).first());
      const table = page.locator(`table[data-chart="${id}"]`);
      expect(await table.count()).toBe(1);
      expect(await table.locator('caption').textContent()).toBe(title);
    }
    await signOut(page, check);
    await context.close();
  }, 120_000);

  it('the local authority’s officer compares the schools, with each chart’s table', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('local authority officer').email, world.password);
    await page.goto('/organisation');
    await check();
    for (const id of ['chart-schools-stages', 'chart-schools-progress']) {
      const caption = (await page.locator(`table[data-chart="${id}"] caption`).textContent()) ?? '';
      // A chart with nothing above 0 is not drawn: its visible title and its table say it.
      if ((await page.locator(`#${id}-title`).count()) > 0) {
        expect(await page.locator(`#${id}-title`).textContent()).toBe(caption);
        await visible(page.getByRole('img', { name: caption }));
      }
      await visible(page.getByText(caption, { exact: true }).first());
    }
    expect(await page.locator('#chart-schools-stages-title').count()).toBe(1);
    await visible(page.getByRole('table', { name: 'Provision, training and complaints in each school' }));
    await signOut(page, check);
    await context.close();
  }, 120_000);
});
