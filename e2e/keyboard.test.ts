import { beforeAll, describe, expect, it } from 'vitest';
import { checkedPage, quietPupilOfTeacher, tabTo, useBrowserWorld, visible } from './browser.ts';

/** A class teacher raises a concern with the keyboard alone: Tab, typing, Space and Enter. */
const world = useBrowserWorld({ demoSeed: 11 });
let target: { forename: string; surname: string };

beforeAll(async () => {
  target = await quietPupilOfTeacher(world);
});

const focusedText = (text: string) => `el.textContent.trim() === ${JSON.stringify(text)}`;
const focusedId = (id: string) => `el.id === ${JSON.stringify(id)}`;

describe('with the keyboard alone', () => {
  it('a class teacher signs in, finds a pupil and raises a concern', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await page.goto('/sign-in');
    await check();
    await tabTo(page, 'the email field', focusedId('email'));
    await page.keyboard.type(world.account('class teacher').email);
    await tabTo(page, 'the password field', focusedId('password'));
    await page.keyboard.type(world.password);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/');
    await check();

    await tabTo(page, 'the Pupils link', focusedText('Pupils'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/pupils$/);
    await check();
    await tabTo(page, 'the search box', focusedId('q'));
    await page.keyboard.type(target.surname);
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=/);
    await check();
    await tabTo(page, 'the pupil link', focusedText(`${target.surname}, ${target.forename}`));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/pupils\/[0-9a-f-]{36}$/);
    await check();
    await tabTo(page, 'Raise a concern', focusedText('Raise a concern'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/concerns\/new$/);
    await check();

    await tabTo(page, 'the SEND radio', focusedId('kind'));
    await page.keyboard.press('Space');
    await tabTo(page, 'the reasons box', focusedId('reasons'));
    await page.keyboard.type('Struggles to follow spoken instructions in class.');
    await tabTo(page, 'the evidence box', focusedId('classroomEvidence'));
    await page.keyboard.type('Observed in four lessons; speech and language screener.');
    await tabTo(page, 'the first area of need', focusedId('areasOfNeed'));
    await page.keyboard.press('Space');
    await tabTo(page, 'the submit button', focusedText('Send to the SENCo'));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/concerns\/[0-9a-f-]{36}$/);
    await check();
    await visible(page.getByText('Concern sent to the SENCo'));
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('Struggles to follow spoken instructions in class.');
    expect(main).toContain('Communication and interaction');
    await context.close();
  });
});
