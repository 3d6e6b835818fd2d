import { describe, expect, it } from 'vitest';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * The SEN2 return and the governor's EHC counts in a real browser on the demo, axe-core on every page:
 * the caseworker reaches the return from the menu, sees its census date, its figures and the children
 * to correct first, changes the year, and downloads the XML; the SEN governor's figures page shows the
 * school's EHC counts and names no child.
 */
const world = useBrowserWorld({ demoSeed: 31 });

describe('the SEN2 return', { timeout: 120_000 }, () => {
  it('the caseworker opens the return from the menu, changes the year and downloads the XML', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('local authority officer').email, world.password);
    await page.getByRole('link', { name: 'SEN2 return', exact: true }).click();
    await page.waitForURL(/\/organisation\/sen2$/);
    await check();
    await visible(page.getByRole('heading', { level: 1, name: /^SEN2 return \d{4}$/ }));
    await visible(page.getByRole('heading', { name: 'Children to correct first' }));
    await visible(page.getByRole('table', { name: /The return in figures/ }));
    // Another year, chosen by keyboard from the list.
    const years = await page.getByLabel('Return year', { exact: true }).locator('option').allTextContents();
    expect(years.length).toBeGreaterThan(1);
    await page.getByLabel('Return year', { exact: true }).selectOption(years[1]!);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(new RegExp(`year=${years[1]}`));
    await check();
    await visible(page.getByRole('heading', { level: 1, name: `SEN2 return ${years[1]}` }));
    const link = page.getByRole('link', { name: /Download the SEN2 return/ });
    const href = await link.getAttribute('href');
    const file = await context.request.get(href!);
    expect(file.status()).toBe(200);
    const xml = await file.text();
    expect(xml).toContain('<Collection>SEN2</Collection>');
    expect(xml).toContain(`<Year>${years[1]}</Year>`);
    await signOut(page, check);
    await context.close();
  });

  it('the SEN governor sees the school’s EHC counts and no child', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SEN governor').email, world.password);
    await page.getByRole('link', { name: 'Figures', exact: true }).click();
    await check();
    await visible(page.getByRole('heading', { name: 'EHC needs assessments and plans' }));
    await visible(page.getByRole('table', { name: /EHC plans and their annual reviews/ }));
    const refused = await page.goto('/organisation/sen2');
    expect(refused?.status()).toBe(403);
    await check();
    await context.close();
  });
});
