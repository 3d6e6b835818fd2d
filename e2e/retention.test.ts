import { describe, it } from 'vitest';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * Records past their retention date in a real browser, on the demo school (whose long-gone leavers the
 * nightly review listed as it loaded): the head teacher follows the count on the home page to the list,
 * keeps one record for a legal hold, erases another after its confirmation, opens the erased record by
 * its id, and changes the school's years in the settings. axe-core runs on every page.
 */
const world = useBrowserWorld({ demoSeed: 13 });

describe('records past their retention date', () => {
  it('the head keeps one, erases another, and sees what is left of it', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('head teacher').email, world.password);
    await page.getByRole('link', { name: /records? past the retention date to erase or keep/ }).click();
    await check();
    await visible(page.getByRole('heading', { name: 'Records past their retention date' }));
    await visible(page.getByText('This school is not the last'));

    // Keep the first: sent empty, every problem listed and reachable from the summary.
    await page
      .getByRole('link', { name: /^keep the record of/ })
      .first()
      .click();
    await check();
    await page.getByRole('button', { name: 'Keep the record' }).click();
    await check();
    await visible(page.getByRole('link', { name: 'Enter why the record is kept, for example a legal hold' }));
    await page.getByLabel('Why it is kept').fill('Legal hold: a claim against the school is open');
    await page.getByLabel('Day').fill('1');
    await page.getByLabel('Month').fill('9');
    await page.getByLabel('Year').fill('2099');
    await page.getByRole('button', { name: 'Keep the record' }).click();
    await check();
    await visible(page.getByText('The record is kept. It is listed again on the date you gave.'));
    await visible(page.getByRole('heading', { name: 'Kept for now' }));

    // Erase the next: what goes is listed, and the erasure is confirmed first.
    await page
      .getByRole('link', { name: /^Erase the record of/ })
      .first()
      .click();
    await check();
    await visible(page.getByRole('heading', { name: 'What will go' }));
    await page.getByRole('button', { name: 'Erase the record' }).click();
    await check();
    await visible(page.getByRole('link', { name: 'Confirm that the record is to be erased' }));
    await page.getByRole('checkbox', { name: /^Erase everything listed above/ }).check();
    await page.getByRole('button', { name: 'Erase the record' }).click();
    await check();
    await visible(page.getByText('The record was erased.'));
    await visible(page.getByRole('heading', { name: 'Erased records' }));
    await page.locator('a[href^="/retention/erased/"]').first().click();
    await check();
    await visible(page.getByRole('heading', { name: 'An erased record' }));

    // The school's years, in the settings.
    await page.goto('/settings/retention');
    await check();
    await page.getByLabel('The pupil’s school record').fill('10');
    await page.getByRole('button', { name: 'Save' }).click();
    await check();
    await visible(page.getByRole('link', { name: /a number from 18 to 100/ }));
    await page.getByLabel('The pupil’s school record').fill('25');
    await page.getByRole('button', { name: 'Save' }).click();
    await check();
    await visible(page.getByText('How long records are kept: saved.'));
    await signOut(page, check);
    await context.close();
  });
});
