import { describe, expect, it } from 'vitest';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/*
 * The complaints log and staff training on the demo school, in a real browser with axe-core on every
 * page: the SENCo records a formal complaint, answers it and takes it to the head teacher, who closes it
 * as partly upheld; the SENCo records an INSET for three members of staff and sees the training plan
 * against the register's needs; the head sees the SENCO's qualification counted down.
 */
const world = useBrowserWorld({ demoSeed: 18 });

describe('complaints and staff training', () => {
  it('a formal complaint goes from the SENCo to the head teacher and is closed with its outcome', async () => {
    const { page, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.getByRole('link', { name: 'Complaints', exact: true }).click();
    await check();
    await visible(page.getByText('15 school days'));
    await page.getByRole('button', { name: 'Record a complaint' }).click();
    await check();
    // Sent without a name first: the message is shown and what was typed is kept.
    await page.getByLabel('Formal complaint', { exact: true }).check();
    await page.getByLabel('What the complaint is about').fill('Homework is not adapted as the plan says.');
    await page.getByRole('button', { name: 'Record the complaint' }).click();
    await check();
    await visible(page.getByText('Enter the name of the person complaining').first());
    expect(await page.getByLabel('What the complaint is about').inputValue()).toBe(
      'Homework is not adapted as the plan says.',
    );
    await page.getByLabel('Name of the person complaining').fill('Jo Parentson');
    await page.getByRole('button', { name: 'Record the complaint' }).click();
    await check();
    await visible(page.getByText('The complaint has been recorded.'));
    await visible(page.getByText('Stage 1 (usually the SENCo)').first());

    await page.getByRole('button', { name: 'Record the response' }).click();
    await check();
    await page.getByLabel('The response').fill('Homework will be matched to the targets from next week.');
    await page.getByRole('button', { name: 'Save the response' }).click();
    await check();
    await visible(page.getByText('The response has been recorded.'));
    await page.getByRole('button', { name: 'Take it to the head teacher' }).click();
    await check();
    await page.getByRole('button', { name: 'Start the next stage' }).click();
    await check();
    await visible(page.getByText('The complaint is now at the head teacher.'));
    await signOut(page, check);

    await signIn(page, check, world.account('head teacher').email, world.password);
    // The head's home page counts down the SENCO's mandatory qualification.
    await visible(page.getByText(/must achieve the NPQ for SENCOs by .*months? left/));
    await page.getByRole('link', { name: 'Complaints', exact: true }).click();
    await check();
    await page.getByRole('link', { name: /complaint from Jo Parentson/ }).click();
    await check();
    await visible(page.getByText('Stage 2 (usually the head teacher)').first());
    await page.getByRole('button', { name: 'Close with its outcome' }).click();
    await check();
    await page.getByLabel('Partly upheld').check();
    await page.getByLabel('What was decided (optional)').fill('Homework was not adapted for three weeks.');
    await page.getByRole('button', { name: 'Close the complaint' }).click();
    await check();
    await visible(page.getByText('The complaint has been closed: partly upheld.'));

    // The training page shows the countdown too.
    await page.goto('/training');
    await check();
    await visible(page.getByText(/must achieve the NPQ for SENCOs by/));
    await signOut(page, check);
  });

  it('the SENCo records an INSET for three members of staff and sees the plan against the register’s needs', async () => {
    const { page, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.getByRole('link', { name: 'Staff training and the SENCo’s qualification' }).click();
    await check();
    await visible(
      page.getByRole('heading', { name: 'The training plan against the needs of the school’s pupils' }),
    );
    await visible(page.getByText('Gap', { exact: true }));
    await page.getByRole('button', { name: 'Record training' }).click();
    await check();
    const staff = page.locator('input[name="userIds"]');
    for (const i of [0, 1, 2]) await staff.nth(i).check();
    await page.getByLabel('Course or training').fill('INSET: precision teaching');
    await page.getByLabel('Hours').fill('1.5');
    await page.getByLabel('General SEN training').check();
    await page.getByLabel('Who gave it (optional)').fill('The SENCo (school-based INSET)');
    await page.getByRole('button', { name: 'Record the training' }).click();
    await check();
    await visible(page.getByText(/INSET: precision teaching has been recorded for 3 members of staff/));
    await visible(page.getByRole('table', { name: /Training against the register’s needs/ }));
    expect(await page.getByRole('cell', { name: 'INSET: precision teaching', exact: true }).count()).toBe(3);
    await signOut(page, check);
  });
});
