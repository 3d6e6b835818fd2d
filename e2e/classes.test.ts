import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.ts';
import { school } from '../src/db/schema/index.ts';
import { academicYearLabel, academicYearStartOf } from '../src/domain/calendar.ts';
import { todayInEngland } from '../src/domain/dates.ts';
import { makeUpn } from '../src/domain/upn.ts';
import { createServices } from '../src/services/index.ts';
import { fixedClock } from '../src/services/kernel/clock.ts';
import { buildClass, buildPupil } from '../test/builders/index.ts';
import { freshDatabase } from '../test/db.ts';
import { checkedPage, launchBrowser, signIn, signOut, startServer, visible } from './browser.ts';

/*
 * A school starting on OpenSEND with nothing but the set-up page: the SENCo adds a class teacher, a
 * class and a pupil in it; the class teacher signs in and sees their class. Then, in July, the SENCo
 * rolls the school over to the next year. axe-core runs on every page.
 */

// A day in July after the school was set up: the year-end roll-over to the next year is open.
const THIS_YEAR = academicYearStartOf(todayInEngland());
const JULY = `${THIS_YEAR + 1}-07-21`;
const NEXT = academicYearLabel(THIS_YEAR + 1);
// Year 3 in this academic year (and Year 4 in the next); Year 6 now.
const YEAR_3_BIRTHDAY = { day: '15', month: '1', year: String(THIS_YEAR - 7) };
const YEAR_6_BIRTHDAY = `${THIS_YEAR - 10}-01-15`;

const SENCO = { email: 'senco@riverside.example', password: 'copper kettle rainy orbit' };
const TEACHER = {
  email: 'tara@riverside.example',
  first: 'lantern meadow quietly seven',
  own: 'harbour violet pickle drum',
};

let database: Database;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  database = await freshDatabase();
  server = await startServer(database, createServices(database, fixedClock(JULY)));
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  await database?.close();
});

describe('a freshly set-up school', () => {
  it('the SENCo adds a class teacher, a class and a pupil; the teacher sees their class', async () => {
    const { page, context, check } = await checkedPage(browser, server.baseUrl);
    await page.goto('/');
    await check();
    await page.getByLabel('School name').fill('Riverside Primary');
    await page.getByLabel('Unique reference number (URN)').fill('123456');
    await page.getByLabel('Local authority (LA) code').fill('202');
    await page.getByLabel('Establishment number').fill('2001');
    await page.getByLabel('Primary', { exact: true }).check();
    await page.getByLabel('Your full name').fill('Sam Senco');
    await page.getByLabel('Email address').fill(SENCO.email);
    await page.getByLabel('Create a password').fill(SENCO.password);
    await page.getByLabel('Confirm password').fill(SENCO.password);
    await page.getByRole('button', { name: 'Set up OpenSEND' }).click();
    await check();
    await visible(page.getByText('Riverside Primary is set up'));

    // A class teacher first, so that the class can be given to her.
    await page.getByRole('link', { name: 'Staff', exact: true }).click();
    await check();
    await page.getByRole('button', { name: 'Add a member of staff' }).click();
    await check();
    await page.getByLabel('Full name').fill('Tara Teacher');
    await page.getByLabel('Email address').fill(TEACHER.email);
    await page.getByLabel('Class teacher').check();
    await page.getByLabel('First password').fill(TEACHER.first);
    await page.getByRole('button', { name: 'Add member of staff' }).click();
    await check();

    // The class: sent first without its year group, then put right.
    await page.getByRole('link', { name: 'Classes', exact: true }).click();
    await check();
    await visible(page.getByText('There are no classes yet'));
    await page.getByRole('button', { name: 'Add a class' }).click();
    await check();
    await page.getByLabel('Class name').fill('Oak');
    await page.getByLabel('Tara Teacher').check();
    await page.getByRole('button', { name: 'Add class' }).click();
    await check();
    await visible(page.getByRole('alert').getByText('Select the year groups taught in the class'));
    expect(await page.getByLabel('Class name').inputValue()).toBe('Oak');
    expect(await page.getByLabel('Tara Teacher').isChecked()).toBe(true);
    // Only the school's year groups: a primary's Nursery to Year 6.
    expect(await page.getByLabel('Year 7').count()).toBe(0);
    await page.getByLabel('Year 3').check();
    await page.getByRole('button', { name: 'Add class' }).click();
    await check();
    await visible(page.getByText('Oak has been added.'));

    // A pupil, put in Oak.
    await page.getByRole('link', { name: 'Pupils', exact: true }).click();
    await check();
    await page.getByRole('button', { name: 'Add a pupil' }).click();
    await check();
    await page.getByLabel('Unique pupil number (UPN)').fill(makeUpn('202', '2001', 20, 1));
    await page.getByLabel('First name').fill('Ruby');
    await page.getByLabel('Last name').fill('Rivers');
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Day').fill(YEAR_3_BIRTHDAY.day);
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Month').fill(YEAR_3_BIRTHDAY.month);
    await page.getByRole('group', { name: 'Date of birth' }).getByLabel('Year').fill(YEAR_3_BIRTHDAY.year);
    await page.getByLabel('Female').check();
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'Oak' });
    await page.getByRole('button', { name: 'Add pupil' }).click();
    await check();
    await visible(page.getByText('Ruby Rivers has been added.'));
    await visible(page.getByText('Year 3'));
    await signOut(page, check);

    // The class teacher signs in, chooses her own password, and finds her class and its pupil.
    await signIn(page, check, TEACHER.email, TEACHER.first);
    await page.getByLabel('Current password').fill(TEACHER.first);
    await page.getByLabel('New password', { exact: true }).fill(TEACHER.own);
    await page.getByLabel('New password again').fill(TEACHER.own);
    await page.getByRole('button', { name: 'Change password' }).click();
    await check();
    await page.goto('/');
    await check();
    await visible(page.getByRole('heading', { name: 'Your class' }));
    await visible(page.getByText('1 pupil, 0 on the SEN register or monitoring list'));
    await page.getByRole('link', { name: 'Oak' }).click();
    await check();
    await visible(page.getByRole('link', { name: 'Rivers, Ruby' }));
    await page.getByRole('link', { name: 'Pupils', exact: true }).click();
    await check();
    await visible(page.getByRole('link', { name: 'Rivers, Ruby' }));
    await visible(page.getByText('1 pupil', { exact: true }));
    await signOut(page, check);
    await context.close();
  }, 90_000);

  it('the SENCo previews the year-end roll-over, updates the summary and applies it', async () => {
    const db = database.db;
    const [s] = await db.select().from(school);
    const ash = await buildClass(db, s!.id, 'Ash', 4);
    const willow = await buildClass(db, s!.id, 'Willow', 6);
    await buildPupil(db, {
      schoolId: s!.id,
      classId: willow.id,
      forename: 'Leo',
      surname: 'Leaving',
      dateOfBirth: YEAR_6_BIRTHDAY,
    });
    expect(ash.name).toBe('Ash');

    const { page, context, check } = await checkedPage(browser, server.baseUrl);
    await signIn(page, check, SENCO.email, SENCO.password);
    await page.getByRole('link', { name: 'School', exact: true }).click();
    await check();
    await page.getByRole('link', { name: 'Year-end roll-over' }).last().click();
    await check();
    await page.getByRole('button', { name: `Preview the roll-over to ${NEXT}` }).click();
    await check();
    await page.getByText('Show the pupils').first().click();
    await visible(page.getByText('Rivers, Ruby: Year 3 to Year 4'));
    // Oak's pupils go to Ash, the class that teaches Year 4.
    const oakSelect = page.getByLabel(/Class in .* for Oak pupils going into Year 4/);
    expect(await oakSelect.locator('option:checked').textContent()).toBe('Ash (Year 4)');
    await visible(page.getByRole('checkbox', { name: 'Leaving, Leo' }));
    await page.getByLabel('Where most of them are going (optional)').fill('Riverside Academy');
    await page.getByRole('button', { name: 'Update the summary' }).click();
    await check();
    await visible(page.getByText('1 pupil leaves on 31 August'));
    expect(await page.getByLabel('Where most of them are going (optional)').inputValue()).toBe(
      'Riverside Academy',
    );
    await page.getByRole('button', { name: `Apply the roll-over to ${NEXT}` }).click();
    await check();
    await visible(page.getByText(`The school has been rolled over to ${NEXT}`));

    await page.getByRole('link', { name: 'Pupils', exact: true }).click();
    await check();
    await page.getByRole('link', { name: 'Rivers, Ruby' }).click();
    await check();
    await visible(page.getByText('Moved from Oak to Ash'));
    await visible(page.getByText('Year 4', { exact: true }));
    await signOut(page, check);
    await context.close();
    const [after] = await db.select().from(school).where(eq(school.id, s!.id));
    expect(after?.rolledOverTo).toBe(THIS_YEAR + 1);
  }, 90_000);
});
