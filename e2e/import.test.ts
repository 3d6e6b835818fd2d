import { beforeAll, describe, expect, it } from 'vitest';
import { academicYearStartOf } from '../src/domain/calendar.ts';
import { todayInEngland } from '../src/domain/dates.ts';
import {
  buildClass,
  buildSchool,
  buildStaff,
  generateMisRows,
  MIS_HEADINGS,
  type MisRow,
  misCsv,
  TEST_PASSWORD,
} from '../test/builders/index.ts';
import { checkedPage, signIn, useBrowserWorld, visible } from './browser.ts';

/**
 * A school adopting OpenSEND: on an install with nothing but the school, its classes and one office
 * account, the office uploads a 400-pupil export whose name columns have unusual headings, chooses what
 * they hold, sees the row with a wrong UPN check letter (line 57), corrects the file, uploads it again,
 * applies it and finds the pupils in the list. axe-core runs on every page.
 */
const world = useBrowserWorld();
let email: string;
let rows: MisRow[];
const HEADINGS = { ...MIS_HEADINGS, surname: 'Family name (legal)', forename: 'Given name (legal)' };

beforeAll(async () => {
  const db = world.database.db;
  const school = await buildSchool(db, { name: 'Riverside Primary' });
  const classes: { name: string; ncYear: number }[] = [];
  for (let year = 0; year <= 6; year++) {
    for (const tree of ['Oak', 'Ash']) {
      const name = `${year === 0 ? 'Reception' : `Year ${year}`} ${tree}`;
      await buildClass(db, school.id, name, year);
      classes.push({ name, ncYear: year });
    }
  }
  email = (await buildStaff(db, 'office', { schoolId: school.id, name: 'Olu Office' })).email;
  rows = generateMisRows(400, {
    seed: 11,
    academicYearStart: academicYearStartOf(todayInEngland()),
    classes,
  });
});

describe('bringing the pupils in from the MIS', () => {
  it('maps two unknown columns, shows the bad row, takes the corrected file and applies it', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    page.setDefaultTimeout(15_000);
    await signIn(page, check, email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Import pupils' }).click();
    await check();

    // Line 57 of the file is the 56th pupil: their UPN's check letter is wrong.
    const good = rows[55]!.upn;
    const broken = rows.map((r, i) =>
      i === 55 ? { ...r, upn: (good[0] === 'A' ? 'B' : 'A') + good.slice(1) } : r,
    );
    const upload = async (csv: string, name: string) => {
      await page
        .getByLabel('CSV file')
        .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByRole('button', { name: 'Upload and preview' }).click();
      await check();
      await visible(page.getByRole('heading', { name: 'Choose what each column holds' }));
      await page.getByLabel('Family name (legal)').selectOption('surname');
      await page.getByLabel('Given name (legal)').selectOption('forename');
      await page.getByRole('button', { name: 'Continue to the preview' }).click();
      await check();
    };

    await upload(misCsv(broken, HEADINGS), 'riverside-pupils.csv');
    await visible(page.getByRole('heading', { name: 'Check the pupils from riverside-pupils.csv' }));
    await visible(page.getByRole('heading', { name: 'Rows with problems (1)' }));
    const problem = page.getByRole('row').filter({ hasText: 'Line 57' });
    expect(await problem.textContent()).toContain('UPN check letter is wrong');
    expect(await problem.textContent()).toContain(`${rows[55]!.forename} ${rows[55]!.surname}`);
    await visible(page.getByRole('heading', { name: 'New pupils (399)' }));

    // Corrected in the MIS and exported again.
    await page.getByRole('link', { name: 'Upload a corrected file' }).click();
    await check();
    await upload(misCsv(rows, HEADINGS), 'riverside-pupils-corrected.csv');
    await visible(page.getByRole('heading', { name: 'New pupils (400)' }));
    expect(await page.getByRole('heading', { name: /Rows with problems/ }).count()).toBe(0);

    await page.getByRole('button', { name: 'Apply these changes' }).click();
    await check();
    await visible(page.getByText('The import is applied: 400 pupils added, 0 updated.'));
    expect(await page.getByRole('button', { name: 'Apply these changes' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Pupils', exact: true }).click();
    await check();
    await visible(page.getByText('400 pupils'));
    const someone = rows[120]!;
    await page.getByLabel('Search by name or UPN').fill(someone.upn);
    await page.getByRole('button', { name: 'Search' }).click();
    await check();
    await page.getByRole('link', { name: `${someone.surname}, ${someone.forename}` }).click();
    await check();
    await visible(page.getByText(someone.contactName));

    // The upload page lists the import as applied.
    await page.getByRole('link', { name: 'Import pupils' }).click();
    await check();
    const listed = page.getByRole('row').filter({ hasText: 'riverside-pupils-corrected.csv' });
    expect(await listed.textContent()).toContain('Applied');

    // The first upload, with the bad row, was never applied: it is put aside from the list.
    const abandoned = page.getByRole('row').filter({ hasText: /riverside-pupils\.csv/ });
    expect(await abandoned.textContent()).toContain('Not applied yet');
    await page.getByRole('button', { name: 'Discard riverside-pupils.csv' }).click();
    await check();
    await visible(page.getByText('The import is discarded: nothing in it was applied.'));
    expect(
      await page
        .getByRole('row')
        .filter({ hasText: /riverside-pupils\.csv/ })
        .textContent(),
    ).toContain('Discarded');
    await context.close();
  }, 180_000);

  it('asks who holds parental responsibility when the export does not say, and applies the school’s answer', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    page.setDefaultTimeout(15_000);
    await signIn(page, check, email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Import pupils' }).click();
    await check();
    // Newcomers in an export with no parental-responsibility column: a mother and a grandfather.
    const newcomers = generateMisRows(2, {
      seed: 12,
      academicYearStart: academicYearStartOf(todayInEngland()),
      classes: [{ name: 'Year 3 Oak', ncYear: 3 }],
      establishmentNumber: '5001',
    }).map((r, i) => (i === 1 ? { ...r, contactRelationship: 'Grandfather' } : r));
    const { parentalResponsibility: _pr, ...headings } = MIS_HEADINGS;
    await page.getByLabel('CSV file').setInputFiles({
      name: 'newcomers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(misCsv(newcomers, headings)),
    });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await check();
    await visible(page.getByText(/This file has no parental-responsibility column/));
    await page.getByRole('link', { name: 'Choose who holds parental responsibility' }).click();
    expect(await page.getByRole('checkbox', { name: 'Mother' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Grandfather' }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Apply these changes' }).click();
    await check();
    await visible(page.getByText('The import is applied: 2 pupils added, 0 updated.'));
    await page.getByRole('link', { name: 'Pupils', exact: true }).click();
    await check();
    await page.getByLabel('Search by name or UPN').fill(newcomers[0]!.upn);
    await page.getByRole('button', { name: 'Search' }).click();
    await check();
    await page.getByRole('link', { name: `${newcomers[0]!.surname}, ${newcomers[0]!.forename}` }).click();
    await check();
    await visible(page.getByText(newcomers[0]!.contactName));
    expect((await page.locator('main').textContent()) ?? '').toMatch(/Parental responsibility\s*Yes/);

    // An upload left at choosing its columns is opened from the list and discarded there.
    await page.getByRole('link', { name: 'Import pupils' }).click();
    await check();
    await page.getByLabel('CSV file').setInputFiles({
      name: 'half-done.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(misCsv(newcomers, HEADINGS)),
    });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await check();
    await page.getByRole('link', { name: 'Import pupils' }).click();
    await check();
    await page.getByRole('link', { name: 'half-done.csv' }).click();
    await check();
    await visible(page.getByRole('heading', { name: 'Choose the columns of half-done.csv' }));
    await page.getByRole('button', { name: 'Discard this upload' }).click();
    await check();
    await visible(page.getByText('The import is discarded: nothing in it was applied.'));
    await context.close();
  }, 120_000);
});
