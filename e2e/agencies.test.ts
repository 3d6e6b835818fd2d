import { describe, expect, it } from 'vitest';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * The directory of outside agencies in a real browser, on the demo school: the SENCo adds a service
 * (after a form sent empty shows its problems) and a professional; the local authority's officer adds a
 * service to the authority's list, and the SENCo sees it in the school's directory, marked as the
 * authority's and not theirs to change; the SEN governor sees the counts. axe-core runs on every page.
 */
const world = useBrowserWorld({ demoSeed: 14 });

describe('the directory of outside agencies', () => {
  it('the SENCo adds a service and a professional', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.getByRole('link', { name: 'Outside agencies', exact: true }).first().click();
    await check();
    // The demo's directory already holds the local authority's list and the school's own services, so
    // the common services are not offered (they are, to a new school: the route tests show it).
    expect(await page.getByRole('button', { name: 'Add the common services' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Add a service' }).click();
    await check();
    await page.getByLabel('Typical wait (optional)').fill('six');
    await page.getByRole('button', { name: 'Add the service' }).click();
    await check();
    await visible(page.getByRole('alert').getByText('There is a problem'));
    await visible(page.getByRole('link', { name: 'Enter the name of the service' }));
    expect(await page.getByLabel('Typical wait (optional)').inputValue()).toBe('six');

    await page.getByLabel('Name of the service').fill('Brookfield Speech and Language');
    await page.getByLabel('Kind of service').selectOption({ label: 'Speech and language therapy' });
    await page.getByLabel('Email address (optional)').fill('salt@brookfield.example');
    await page.getByLabel('How to refer (optional)').fill('The referral form, by secure email');
    await page.getByLabel('Typical wait (optional)').fill('12');
    await page.getByRole('button', { name: 'Add the service' }).click();
    await check();
    await visible(page.getByText('Brookfield Speech and Language has been added to the directory.'));
    await visible(page.getByText('12 weeks'));

    await page.getByRole('link', { name: 'Add a professional' }).click();
    await check();
    await page.getByLabel('Name', { exact: true }).fill('Sunita Rao');
    await page.getByLabel('Job title (optional)').fill('Speech and language therapist');
    await page.getByRole('button', { name: 'Add the professional' }).click();
    await check();
    await visible(page.getByRole('cell', { name: 'Speech and language therapist' }));
    await page.getByRole('link', { name: 'Back to outside agencies' }).click();
    await check();
    await page.getByRole('link', { name: 'Counts of referrals' }).click();
    await check();
    await signOut(page, check);
    await context.close();
  }, 90_000);

  it('the officer adds a service to the authority’s list and the SENCo sees it', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('local authority officer').email, world.password);
    await page.getByRole('link', { name: 'Outside agencies', exact: true }).first().click();
    await check();
    await page.getByRole('button', { name: 'Add a service' }).click();
    await check();
    await page.getByLabel('Name of the service').fill('Northshire Hospital Play Therapy');
    await page.getByLabel('Kind of service').selectOption({ label: 'Play and art therapy' });
    await page.getByLabel('Typical wait (optional)').fill('16');
    await page.getByRole('button', { name: 'Add the service' }).click();
    await check();
    await page.getByRole('link', { name: 'Back to outside agencies' }).click();
    await check();
    await page.getByRole('link', { name: 'Counts of referrals' }).click();
    await check();
    await signOut(page, check);

    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.getByRole('link', { name: 'Outside agencies', exact: true }).first().click();
    await check();
    await page.getByRole('link', { name: 'Northshire Hospital Play Therapy' }).click();
    await check();
    await visible(page.getByText('list for its schools'));
    expect(await page.getByRole('button', { name: 'Change the service' }).count()).toBe(0);
    await signOut(page, check);

    await signIn(page, check, world.account('SEN governor').email, world.password);
    await page.goto('/agencies/figures');
    await check();
    await visible(page.getByRole('heading', { name: 'Referrals to outside agencies' }));
    await signOut(page, check);
    await context.close();
  }, 90_000);
});
