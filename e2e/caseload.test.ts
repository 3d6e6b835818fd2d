import { and, eq, isNull, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { organisation, pupil, school } from '../src/db/schema/index.ts';
import { addDays, formatDate, todayInEngland } from '../src/domain/dates.ts';
import { examplePack } from '../test/builders/ehc-example.ts';
import { buildReceivedCase } from '../test/builders/index.ts';
import { checkedPage, signIn, signOut, tabTo, useBrowserWorld, visible } from './browser.ts';

/**
 * The local authority's caseworker in a real browser on the demo, axe-core on every page: a request
 * for an EHC needs assessment received from the demo school is in the caseload; the caseworker opens
 * it, decides to assess (a wrong date first, shown again with the message), asks the school for advice,
 * and the clock shows the 20-week date; the request-as-data link works; everything by keyboard.
 */
const world = useBrowserWorld({ demoSeed: 23 });
let child: { forename: string; surname: string };
let receivedOn: string;
let schoolName: string;

beforeAll(async () => {
  const db = world.database.db;
  const [la] = await db.select().from(organisation).where(eq(organisation.kind, 'local_authority'));
  const [row] = await db
    .select({ pupil, schoolName: school.name })
    .from(pupil)
    .innerJoin(school, eq(school.id, pupil.schoolId))
    .where(
      and(
        eq(pupil.senStage, 'sen_support'),
        isNull(pupil.leftOn),
        // A child the demo's own requests are not about: one case for them in the caseload.
        sql`not exists (select 1 from ehc_request r where r.school_id = ${pupil.schoolId} and r.pupil_id = ${pupil.id})`,
      ),
    )
    .orderBy(pupil.surname, pupil.id)
    .limit(1);
  child = row!.pupil;
  schoolName = row!.schoolName;
  // Received three weeks ago: its decision is due in three weeks.
  receivedOn = addDays(todayInEngland(), -21);
  const pack = examplePack();
  await buildReceivedCase(db, row!.pupil, la!.id, {
    receivedOn,
    // The pack as the school sent it (the example pack, about this child).
    received: {
      ...pack,
      child: { ...pack.child, forename: child.forename, surname: child.surname, upn: row!.pupil.upn },
      school: { ...pack.school, name: schoolName },
      moreInformation: {
        ...pack.moreInformation,
        coveringStatement: 'Two reviewed plans show progress well below what we hoped.',
      },
    },
  });
});

describe('the caseworker’s caseload', { timeout: 120_000 }, () => {
  it('opens a received request, decides to assess, asks for advice, and the clock shows the 20-week date', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('local authority officer').email, world.password);
    await page.getByRole('link', { name: 'Caseload', exact: true }).click();
    await check();
    const name = `${child.forename} ${child.surname}`;
    // By keyboard to the child's case.
    await tabTo(page, 'the case', `el.textContent.trim() === ${JSON.stringify(name)}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/organisation\/cases\/[0-9a-f-]{36}$/);
    await check();
    await visible(page.getByText('Two reviewed plans show progress well below what we hoped.'));
    // The whole pack, read-only, opened by keyboard.
    await page.getByText('The whole request, as the school sent it').click();
    await visible(page.getByRole('heading', { name: '1. The person completing this request' }));
    await check();
    const twentyWeeks = formatDate(addDays(receivedOn, 140));
    await visible(page.getByText(`The final EHC plan is due by ${twentyWeeks}`));

    await page.getByRole('button', { name: 'Record a decision' }).click();
    await check();
    await page.getByRole('radio', { name: 'To carry out an EHC needs assessment', exact: true }).check();
    const today = todayInEngland();
    const [y, m, d] = today.split('-');
    const decided = page.getByRole('group', { name: 'Date of the decision' });
    await decided.getByLabel('Day').fill('31');
    await decided.getByLabel('Month').fill('2');
    await decided.getByLabel('Year').fill(y!);
    await page.getByLabel('The reasons, as told to the parents').fill('Needs beyond SEN support');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await check();
    await visible(page.getByText('There is a problem'));
    await expect(page.getByLabel('The reasons, as told to the parents').inputValue()).resolves.toBe(
      'Needs beyond SEN support',
    );
    await decided.getByLabel('Day').fill(String(Number(d)));
    await decided.getByLabel('Month').fill(String(Number(m)));
    const told = page.getByRole('group', { name: /Date the parents were told/ });
    await told.getByLabel('Day').fill(String(Number(d)));
    await told.getByLabel('Month').fill(String(Number(m)));
    await told.getByLabel('Year').fill(y!);
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.waitForURL(/\/organisation\/cases\/[0-9a-f-]{36}$/);
    await check();
    await visible(page.getByText('Decision recorded: to carry out an ehc needs assessment.'));

    await page.getByRole('button', { name: 'Ask for advice' }).click();
    await check();
    await page.getByLabel('Who is asked').selectOption('school');
    await page.getByLabel('The school asked (for advice from a school)').selectOption({ label: schoolName });
    const asked = page.getByRole('group', { name: 'Date the advice was asked for' });
    await asked.getByLabel('Day').fill(String(Number(d)));
    await asked.getByLabel('Month').fill(String(Number(m)));
    await asked.getByLabel('Year').fill(y!);
    await page.getByRole('button', { name: 'Record the advice' }).click();
    await page.waitForURL(/\/organisation\/cases\/[0-9a-f-]{36}$/);
    await check();
    await visible(page.getByText('Advice recorded'));
    // The clock: the decision met, the advice due in 6 weeks, the 20 weeks from the day received.
    await visible(page.getByText(`The final EHC plan is due by ${twentyWeeks}`));
    const clock = page.getByRole('table').first();
    await visible(
      clock.getByRole('row', { name: /Tell the parents whether the authority will assess/ }).getByText('Met'),
    );
    await visible(page.getByRole('row', { name: new RegExp(`Advice from ${schoolName}`) }).first());
    await visible(page.getByText(formatDate(addDays(today, 42))).first());
    await visible(page.getByRole('cell', { name: twentyWeeks }).first());
    await page.getByRole('link', { name: 'Back to the caseload' }).click();
    await check();
    await visible(page.getByText('Assessing'));
    await page.getByRole('link', { name: 'Figures for the SEN2 return' }).click();
    await check();
    await visible(page.getByText('Requests for an EHC needs assessment received'));
    await signOut(page, check);
    await context.close();
  });

  it('the SENCo sees the school’s summer closures and records next year’s change', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto('/settings');
    await check();
    await page.getByRole('link', { name: 'The school’s closures' }).click();
    await check();
    const year = Number(todayInEngland().slice(0, 4)) + 2;
    await visible(page.getByRole('cell', { name: `22 July ${year - 2}` }));
    const first = page.getByRole('group', { name: 'First day closed' });
    await first.getByLabel('Day').fill('20');
    await first.getByLabel('Month').fill('7');
    await first.getByLabel('Year').fill(String(year));
    const last = page.getByRole('group', { name: 'Last day closed' });
    await last.getByLabel('Day').fill('31');
    await last.getByLabel('Month').fill('8');
    await last.getByLabel('Year').fill(String(year));
    await page.getByRole('button', { name: 'Record the closure' }).click();
    await check();
    await visible(page.getByText('Closure recorded.'));
    await visible(page.getByRole('cell', { name: `20 July ${year}` }));
    await signOut(page, check);
    await context.close();
  });

  it('on a phone-sized screen the case page and the closures page do not scroll sideways', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl, {
      viewport: { width: 375, height: 667 },
    });
    const wide = () => page.evaluate('document.documentElement.scrollWidth');
    await signIn(page, check, world.account('local authority officer').email, world.password);
    await page.goto('/organisation/cases');
    await check();
    await page
      .getByRole('link', { name: `${child.forename} ${child.surname}` })
      .first()
      .click();
    await check();
    // Each wide table scrolls in its own region, reachable by keyboard (axe: scrollable-region-focusable).
    await visible(page.getByRole('region', { name: 'Deadlines' }));
    expect(await wide()).toBeLessThanOrEqual(375);
    await signOut(page, check);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto('/settings/closures');
    await check();
    expect(await wide()).toBeLessThanOrEqual(375);
    await signOut(page, check);
    await context.close();
  });
});
