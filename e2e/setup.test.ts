import { describe, expect, it } from 'vitest';
import { checkedPage, useBrowserWorld, visible } from './browser.ts';

const world = useBrowserWorld();

describe('setting up a new school', () => {
  it('leads from an empty database to a signed-in SENCo, and then the set-up page is gone', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/setup');
    await check();
    await page.getByLabel('School name').fill('Riverside Primary');
    await page.getByLabel('Unique reference number (URN)').fill('12345');
    await page.getByRole('button', { name: 'Set up OpenSEND' }).click();
    await check();
    expect(await page.getByText('URN must be 6 numbers').count()).toBe(2);
    expect(await page.getByLabel('School name').inputValue()).toBe('Riverside Primary');

    await page.getByLabel('Unique reference number (URN)').fill('123456');
    await page.getByLabel('Local authority (LA) code').fill('202');
    await page.getByLabel('Establishment number').fill('2001');
    await page.getByLabel('Primary', { exact: true }).check();
    await page.getByLabel('Your full name').fill('Sam Senco');
    await page.getByLabel('Email address').fill('senco@riverside.example');
    await page.getByLabel('Create a password').fill('copper kettle rainy orbit');
    await page.getByLabel('Confirm password').fill('copper kettle rainy orbit');
    await page.getByRole('button', { name: 'Set up OpenSEND' }).click();
    await check();
    await visible(page.getByText('Riverside Primary is set up'));
    // The home page of an empty school: the first steps, none done yet, each a link.
    await page.goto('/');
    await check();
    await visible(page.getByRole('heading', { name: 'First steps' }));
    await visible(page.getByText('You have done 0 of 4 steps'));
    await page.getByRole('link', { name: 'Add your staff' }).click();
    await check();
    await page.getByRole('button', { name: 'Add a member of staff' }).click();
    await check();
    await page.getByLabel('Full name').fill('Tara Teacher');
    await page.getByLabel('Email address').fill('tara@riverside.example');
    await page.getByLabel('Class teacher').check();
    await page.getByLabel('First password').fill('lantern meadow quietly seven');
    await page.getByRole('button', { name: 'Add member of staff' }).click();
    await check();
    await visible(page.getByText('Tara Teacher can now sign in'));
    await page.goto('/');
    await check();
    await visible(page.getByText('You have done 1 of 4 steps'));
    expect(await page.getByRole('link', { name: 'Add your staff' }).count()).toBe(0);
    await visible(page.getByRole('link', { name: 'Set up your classes' }));
    const gone = await page.goto('/setup');
    expect(gone?.status()).toBe(404);
    await check();
    await context.close();
  });
});
