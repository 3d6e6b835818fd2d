import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { attainmentResult, pupil, schoolClass } from '../src/db/schema/index.ts';
import { termOf } from '../src/domain/calendar.ts';
import { todayInEngland } from '../src/domain/dates.ts';
import { checkedPage, signIn, useBrowserWorld, visible } from './browser.ts';

/**
 * A class teacher enters a term's attainment for their class on the demo school, in a real browser with
 * axe-core on every page: the Progress menu item, their class's grid, one wrong cell first (the error
 * beside it, everything typed kept), then saved; then a pupil's progress page.
 */
const world = useBrowserWorld({ demoSeed: 18 });
let className: string;
let pupils: { id: string; forename: string; surname: string }[];

beforeAll(async () => {
  const db = world.database.db;
  className = world.account('class teacher').role.replace('class teacher of ', '');
  pupils = await db
    .select({ id: pupil.id, forename: pupil.forename, surname: pupil.surname })
    .from(pupil)
    .innerJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(eq(schoolClass.name, className))
    .orderBy(pupil.surname, pupil.forename, pupil.id);
  // This term's results are the teacher's to enter: the demo's for the class are taken away.
  const now = termOf(todayInEngland());
  await db.delete(attainmentResult).where(
    and(
      inArray(
        attainmentResult.pupilId,
        pupils.map((p) => p.id),
      ),
      eq(attainmentResult.academicYear, now.academicYearStart),
      eq(attainmentResult.term, now.term),
    ),
  );
});

describe('a class teacher enters a term’s attainment', { timeout: 120_000 }, () => {
  it('finds the grid, is told about the one wrong cell keeping what was typed, saves, and sees a pupil’s progress', async () => {
    const { page, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('class teacher').email, world.password);
    await page.getByRole('link', { name: 'Progress', exact: true }).click();
    await check();
    await page.getByRole('link', { name: new RegExp(`^${className}\\W*attainment grid$`) }).click();
    await check();
    await visible(page.getByRole('heading', { name: /^Attainment, / }));

    const [first, second] = pupils;
    const cell = (subject: string, p: { forename: string; surname: string }) =>
      page.getByLabel(`${subject} for ${p.surname}, ${p.forename}`, { exact: true });
    for (const p of pupils) {
      await cell('Reading', p).fill('EXS');
      await cell('Maths', p).fill('wts');
    }
    await cell('Writing', first!).fill('S4');
    await cell('Writing', second!).fill('brilliant');
    await page.getByRole('button', { name: 'Save results' }).click();
    await check();
    await visible(page.getByText('There is a problem'));
    await visible(
      page.getByText(`${second!.forename} ${second!.surname}: Enter one of BLW, WTS, EXS, GDS`).first(),
    );
    expect(await cell('Writing', second!).inputValue()).toBe('brilliant');
    expect(await cell('Writing', first!).inputValue()).toBe('S4');
    expect(await cell('Maths', pupils.at(-1)!).inputValue()).toBe('wts');
    expect(
      await world.database.db.select().from(attainmentResult).where(eq(attainmentResult.pupilId, first!.id)),
    ).not.toContainEqual(
      expect.objectContaining({ scale: 'steps', value: 4, term: termOf(todayInEngland()).term }),
    );

    await cell('Writing', second!).fill('GDS');
    await page.getByRole('button', { name: 'Save results' }).click();
    await check();
    await visible(page.getByText(/results saved for \d+ pupils? in /));
    expect(await cell('Writing', first!).inputValue()).toBe('S4');
    expect(await cell('Maths', first!).inputValue()).toBe('WTS');

    await page.getByRole('link', { name: `${first!.surname}, ${first!.forename}` }).click();
    await check();
    await visible(page.getByRole('heading', { name: 'Progress' }));
    await visible(page.getByRole('table', { name: 'Termly attainment' }));
    await visible(page.getByText('S4').first());
  });
});
