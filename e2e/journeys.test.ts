import { beforeAll, describe, expect, it } from 'vitest';
import { checkedPage, quietPupilOfTeacher, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * The foundation's journeys in a real browser, on the demo school: a class teacher raises a concern;
 * the SENCo reviews it and places the pupil at SEN support with a primary need; the pupil is on the
 * register and in its CSV; the governor sees counts and no names. axe-core runs on every page.
 */
const world = useBrowserWorld({ demoSeed: 7 });
const account = (role: string) => world.account(role);
let target: { id: string; forename: string; surname: string };
let password: string;

beforeAll(async () => {
  target = await quietPupilOfTeacher(world);
  password = world.password;
});

describe('raising and reviewing a concern', () => {
  it('a class teacher raises a concern about a pupil in their class', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, account('class teacher').email, password);
    await page.getByRole('link', { name: 'Pupils' }).first().click();
    await check();
    await page.getByLabel('Search by name or UPN').fill(target.surname);
    await page.getByRole('button', { name: 'Search' }).click();
    await check();
    await page.getByRole('link', { name: `${target.surname}, ${target.forename}` }).click();
    await check();
    await page.getByRole('button', { name: 'Raise a concern' }).click();
    await check();

    // Sent with gaps: every problem listed, nothing lost.
    await page.getByLabel('Reasons for the concern').fill('Finds it hard to follow two-part instructions.');
    await page.getByRole('button', { name: 'Send to the SENCo' }).click();
    await check();
    await visible(page.getByRole('alert').getByText('There is a problem'));
    expect(await page.getByLabel('Reasons for the concern').inputValue()).toBe(
      'Finds it hard to follow two-part instructions.',
    );
    expect(await page.locator('.govuk-error-summary__list li').count()).toBeGreaterThanOrEqual(3);

    await page.getByLabel('SEND', { exact: true }).check();
    await page
      .getByLabel('Evidence from classroom practice')
      .fill('Observations in three English lessons; assessment at pupil progress meeting.');
    await page.getByLabel('Communication and interaction').check();
    await page.locator('#intervention1-name').fill('Talk Boost language group');
    await page.locator('#intervention1-frequency').fill('3 times a week, 30 minutes');
    await page.locator('#intervention1-duration').fill('10 weeks');
    await page.getByRole('button', { name: 'Send to the SENCo' }).click();
    await check();
    await visible(page.getByText('Concern sent to the SENCo'));
    await visible(page.getByText('Waiting for the SENCo'));
    await signOut(page, check);
    await context.close();
  });

  it('the SENCo reviews it, places the pupil at SEN support, and finds them on the register and in the CSV', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, account('SENCo').email, password);
    await page.getByRole('link', { name: /open concerns? to review/ }).click();
    await check();
    await page.getByRole('link', { name: `${target.forename} ${target.surname}` }).click();
    await check();
    await page.getByRole('button', { name: 'Review this concern' }).click();
    await check();
    await page.getByLabel('Place at SEN support').check();
    await check(); // the revealed need questions are accessible too
    await page.getByLabel('Primary need', { exact: true }).selectOption('SLCN');
    await page.getByLabel('Action taken').fill('Support plan to be written with parents; letter sent home.');
    await page.getByRole('button', { name: 'Save the outcome' }).click();
    await check();
    await visible(page.getByText('Concern reviewed: placed at SEN support.'));

    await page.getByRole('link', { name: 'SEN register' }).first().click();
    await check();
    const row = page.getByRole('row').filter({ hasText: `${target.surname}, ${target.forename}` });
    expect((await row.textContent()) ?? '').toContain('SEN support (K)');
    expect((await row.textContent()) ?? '').toContain('SLCN');

    const csv = await page.request.get('/register.csv');
    expect(csv.status()).toBe(200);
    const text = await csv.text();
    expect(text).toMatch(
      new RegExp(`${target.surname},${target.forename},[A-Z0-9]{13},.*,SEN support,K,SLCN`),
    );

    await page.getByRole('link', { name: 'Print view' }).click();
    await check();
    await page.goBack();
    await page.getByRole('link', { name: `${target.surname}, ${target.forename}` }).click();
    await check();
    await visible(page.getByText('Placed at SEN support: No SEN to SEN support'));
    await page.getByRole('button', { name: 'Change SEN stage or needs' }).click();
    await check();
    await page.goBack();
    await page.getByRole('link', { name: 'Who has seen this record' }).click();
    await check();
    await visible(page.getByRole('cell', { name: 'Reviewed a concern' }));

    await page.getByRole('link', { name: 'SEN register' }).first().click();
    await page.getByRole('button', { name: 'Termly register review' }).click();
    await check();
    await page.getByRole('button', { name: 'Review the next pupil' }).click();
    await check();
    await page.getByRole('radio', { name: /Stays at/ }).check();
    await page.getByLabel('Reason').fill('Plan reviewed with parents; support continues.');
    await page.getByRole('button', { name: 'Save and review the next pupil' }).click();
    await check();
    await visible(page.getByText(/Review recorded for/));
    await context.close();
  });

  it('the SEN governor sees counts but never a named pupil', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, account('SEN governor').email, password);
    await visible(page.getByText('SEN support (K)').first());
    expect(await page.locator('a[href^="/pupils/"]').count()).toBe(0);
    // Whole-school totals are shown as counted, never “Hidden”.
    const ehc = page.locator('.app-count').filter({ hasText: 'EHC plan (E)' });
    expect(await ehc.locator('.app-count__number').textContent()).toMatch(/^\d+$/);
    await page.getByRole('link', { name: 'Figures', exact: true }).click();
    await check();
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain('Pupils by SEN stage');
    expect(body).toContain('shown as counted');
    expect(body).not.toContain(target.surname);
    await page.goto('/provision/figures');
    await check();
    await visible(page.getByRole('table', { name: 'Pupils who made progress' }));
    // Finding a pupil to raise a concern is not for the governor, with or without a search.
    const find = await page.goto('/pupils/find');
    expect(find?.status()).toBe(403);
    await check();
    const response = await page.goto('/pupils');
    expect(response?.status()).toBe(403);
    await check();
    await page.goto(`/pupils/${target.id}`);
    await visible(page.getByRole('heading', { name: 'You cannot use this page' }));
    await context.close();
  });

  it('a parent sees their own child, a psychologist what was shared with her, and neither a staff page', async () => {
    const parent = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(parent.page, parent.check, account('parent or carer').email, password);
    await visible(parent.page.getByRole('heading', { name: 'Your children' }));
    const child = account('parent or carer').role.replace('parent or carer of ', '');
    await visible(parent.page.getByText(child, { exact: false }).first());
    expect((await parent.page.goto('/pupils'))?.status()).toBe(403);
    await parent.check();
    // The refusal speaks to a parent, not to a member of staff.
    await visible(parent.page.getByText('As a parent or carer, you can see your children’s page'));
    expect((await parent.page.locator('main').textContent()) ?? '').not.toContain('SENCo to check your role');
    await parent.context.close();

    const psychologist = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(psychologist.page, psychologist.check, account('educational psychologist').email, password);
    await visible(psychologist.page.getByRole('heading', { name: 'Shared with you' }));
    expect(await psychologist.page.getByRole('heading', { level: 2 }).count()).toBe(3);
    expect((await psychologist.page.goto('/register'))?.status()).toBe(403);
    await psychologist.check();
    // Her account says where she works.
    await psychologist.page.goto('/account');
    await psychologist.check();
    await visible(
      psychologist.page.getByText('Northshire Educational Psychology Service: Educational psychologist'),
    );
    await psychologist.context.close();
  });

  it('the organisation officer sees figures across schools; office staff see no SEN record', async () => {
    const officer = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(officer.page, officer.check, account('local authority officer').email, password);
    await visible(officer.page.getByRole('heading', { name: /SEN across schools/ }));
    expect((await officer.page.locator('main').textContent()) ?? '').toContain('shown as counted');
    const find = await officer.page.goto('/pupils/find');
    expect(find?.status()).toBe(403);
    await officer.check();
    await officer.context.close();

    const office = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(office.page, office.check, account('office').email, password);
    await office.page.goto(`/pupils/${target.id}`);
    await office.check();
    await office.page
      .getByRole('link', { name: /^Change details \(/ })
      .first()
      .click();
    await office.check();
    await visible(office.page.getByRole('button', { name: 'Remove from this pupil’s record' }));
    await office.page.goBack();
    await visible(office.page.getByRole('heading', { name: `${target.forename} ${target.surname}` }));
    // The office's chronology holds letters and the pupil's joining, never the SEN record or concerns.
    const seen = (await office.page.locator('main').textContent()) ?? '';
    expect(seen).not.toContain('Placed at SEN support');
    expect(seen).not.toContain('SLCN');
    expect(seen).not.toContain('concern raised');
    expect(seen).not.toContain('Concern reviewed');
    await office.page.goto('/pupils/new');
    await office.check();
    await office.context.close();
  });
});
