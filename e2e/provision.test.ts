import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appUser } from '../src/db/schema/index.ts';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * The provision map's journey in a real browser, on the demo school: the SENCo starts a group from the
 * catalogue; the teaching assistant who delivers it records three sessions on a phone-sized screen
 * (one with a pupil missing); the SENCo enters entry and exit measures and sees the pupil's cost
 * against the high-needs threshold, the group's impact and how well the intervention works. axe-core
 * runs on every page.
 */
const world = useBrowserWorld({ demoSeed: 11 });
const GROUP = 'Number sense: journey group';
let taName: string;
const pupils: string[] = [];

/** A date some days before today, as the three date fields. */
function daysAgo(days: number) {
  const d = new Date();
  d.setUTCHours(12, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - days);
  return {
    day: String(d.getUTCDate()),
    month: String(d.getUTCMonth() + 1),
    year: String(d.getUTCFullYear()),
  };
}

async function fillDate(page: Page, prefix: string, days: number) {
  const d = daysAgo(days);
  await page.locator(`#${prefix}-day`).fill(d.day);
  await page.locator(`#${prefix}-month`).fill(d.month);
  await page.locator(`#${prefix}-year`).fill(d.year);
}

beforeAll(async () => {
  const [ta] = await world.database.db
    .select({ name: appUser.name })
    .from(appUser)
    .where(eq(appUser.email, world.account('teaching assistant').email));
  taName = ta!.name;
});

describe('provision: a group from the catalogue, its sessions, measures, cost and impact', () => {
  it('the SENCo starts a group from the catalogue with its usual settings', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.getByRole('link', { name: 'Provision', exact: true }).first().click();
    await check();
    await page.getByRole('link', { name: 'Intervention catalogue' }).first().click();
    await check();
    await page.getByRole('link', { name: 'Start a group of Maths number sense group' }).click();
    await check();
    expect(await page.getByLabel('Minutes a session').inputValue()).not.toBe('');

    // Sent with no pupils: the problem is listed and what was typed is kept.
    await page.getByLabel('Name of the group').fill(GROUP);
    await page.getByLabel('Delivered by').selectOption({ label: `${taName} (Teaching assistant)` });
    await fillDate(page, 'startDate', 21);
    await page.getByRole('button', { name: 'Start the group' }).click();
    await check();
    await visible(page.getByRole('alert').getByText('There is a problem'));
    expect(await page.getByLabel('Name of the group').inputValue()).toBe(GROUP);

    const boxes = page.locator('input[name="pupilIds"]');
    for (const i of [0, 1]) {
      await boxes.nth(i).check();
      const id = await boxes.nth(i).getAttribute('id');
      pupils.push(((await page.locator(`label[for="${id}"]`).textContent()) ?? '').trim());
    }
    await page.getByRole('button', { name: 'Start the group' }).click();
    await check();
    await visible(page.getByText(`${GROUP} has started with 2 pupils.`));
    await signOut(page, check);
    await context.close();
  }, 90_000);

  it('the teaching assistant records three sessions on a phone', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await page.setViewportSize({ width: 375, height: 667 });
    await signIn(page, check, world.account('teaching assistant').email, world.password);
    // Their home page lists their groups, each with when its next session is due, and their pupils.
    await visible(page.getByRole('heading', { name: 'Your groups' }));
    await visible(page.getByRole('heading', { name: 'Pupils you work with' }));
    expect((await page.getByRole('row').filter({ hasText: GROUP }).first().textContent()) ?? '').toMatch(
      /Today|Tomorrow|day \d+ \w+ \d{4}/,
    );
    for (const [days, missing] of [
      [14, null],
      [7, pupils[1]!],
      [0, null],
    ] as const) {
      await page.getByRole('link', { name: `Record a session of ${GROUP}` }).click();
      await check();
      // Everyone is ticked and today is filled in.
      for (const name of pupils) expect(await page.getByLabel(toForenameFirst(name)).isChecked()).toBe(true);
      expect(await page.locator('#heldOn-year').inputValue()).toBe(daysAgo(0).year);
      // Nothing wider than the phone's screen.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      if (days !== 0) await fillDate(page, 'heldOn', days);
      if (missing) await page.getByLabel(toForenameFirst(missing)).uncheck();
      await page.getByLabel('Note (optional)').fill('Number bonds to 10 with counters.');
      await page.getByRole('button', { name: 'Save the session' }).click();
      await check();
      // On a weekend or in the holidays the date is asked about: confirm it (the journey runs on any day).
      const confirm = page.getByLabel('The session was held on this date');
      if ((await confirm.count()) > 0) {
        await confirm.check();
        await page.getByRole('button', { name: 'Save the session' }).click();
        await check();
      }
      await visible(page.getByText(/Session on .* recorded/));
      await page.getByRole('link', { name: 'Provision', exact: true }).first().click();
      await check();
    }
    await page.getByRole('link', { name: GROUP, exact: true }).first().click();
    await check();
    expect(await page.locator('main').textContent()).toMatch(/3 held of \d+ planned so far/);
    // "My pupils" lists the pupils and the groups too.
    await page.goto('/my-pupils');
    await check();
    await visible(page.getByRole('heading', { name: 'Pupils you work with' }));
    await visible(page.getByRole('link', { name: `Record a session of ${GROUP}` }));
    await signOut(page, check);
    await context.close();
  }, 90_000);

  it('the SENCo enters exit measures and sees the cost against the threshold and the impact', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto('/provision');
    await check();
    await page.getByRole('link', { name: GROUP, exact: true }).first().click();
    await check();
    await page.getByRole('button', { name: 'Entry and exit measures' }).click();
    await check();

    // An exit measure without an entry measure is refused, and what was typed is kept.
    const [first, second] = pupils.map(toForenameFirst);
    await page.getByLabel(`${first}’s exit measure`).fill('91');
    await fillDate(page, 'exitOn', 0);
    await page.getByRole('button', { name: 'Save the measures' }).click();
    await check();
    await visible(page.getByRole('alert').getByText('There is a problem'));
    expect(await page.getByLabel(`${first}’s exit measure`).inputValue()).toBe('91');

    await page.getByLabel(`${first}’s entry measure`).fill('82');
    await page.getByLabel(`${second}’s entry measure`).fill('85');
    await page.getByLabel(`${second}’s exit measure`).fill('88');
    await fillDate(page, 'entryOn', 21);
    await page.getByRole('button', { name: 'Save the measures' }).click();
    await check();
    await visible(page.getByText('Measures saved for 2 pupils.'));
    const group = (await page.locator('main').textContent()) ?? '';
    expect(group).toContain('Up 9 points');
    expect(group).toContain('average up 6 points');

    // The pupil's cost this year against the threshold, on their record.
    await page.getByRole('link', { name: first }).first().click();
    await check();
    await visible(page.getByRole('heading', { name: 'Provision' }));
    const record = (await page.locator('#provision ~ dl').first().textContent()) ?? '';
    expect(record).toMatch(/Cost in \d{4}\/\d{2}/);
    expect(record).toMatch(/£\d/);
    expect(record).toMatch(/threshold/i);

    // The map: the pupil in the intervention's column, with the cost; the intervention's impact.
    await page.getByRole('link', { name: 'Provision', exact: true }).first().click();
    await check();
    await page.getByRole('button', { name: 'Provision map' }).click();
    await check();
    const row = page.getByRole('row').filter({ hasText: pupils[0]! });
    expect((await row.first().textContent()) ?? '').toContain('Maths number sense group');
    await page.getByRole('link', { name: 'Provision', exact: true }).first().click();
    await check();
    await page.getByRole('link', { name: 'How well interventions work' }).click();
    await check();
    const effectiveness = page.getByRole('row').filter({ hasText: 'Maths number sense group' });
    // Its groups this year and last (the demo school's and this one) summed up: measured, with progress.
    expect((await effectiveness.first().textContent()) ?? '').toMatch(
      /\d+ of \d+ measured; \d+ made progress; average up/,
    );
    // The same interventions for the pupils whose exit measure was taken last year, chosen by a link.
    await visible(page.getByText(/counts as measured in the academic year/));
    await page.getByRole('link', { name: /Show interventions for \d{4}\/\d{2}$/ }).click();
    await check();
    await visible(page.getByRole('heading', { name: /Interventions: exit measures taken in \d{4}\/\d{2}$/ }));
    await signOut(page, check);
    await context.close();
  }, 90_000);
});

/** "Surname, Forename" (as the group form lists pupils) to "Forename Surname" (as the group shows them). */
function toForenameFirst(listed: string): string {
  const [surname, forename] = listed.split(', ');
  return `${forename} ${surname}`;
}
