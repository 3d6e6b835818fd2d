import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { school } from '../src/db/schema/index.ts';
import { todayInEngland } from '../src/domain/dates.ts';
import { ctfBytes, testUpn } from '../test/builders/ctf.ts';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * Moving schools in a real browser, on the demo school: the SENCo brings in a new pupil from another
 * school's Common Transfer File (SEN support for speech and language, then an EHC plan for autism),
 * finds them on the SEN register with that history, then records that a pupil has left and downloads
 * their CTF. axe-core runs on every page.
 */
const world = useBrowserWorld({ demoSeed: 11 });

describe('Common Transfer Files', () => {
  it('the SENCo imports a CTF for a new pupil with SEN history, records a leaver and downloads their CTF', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    const [here] = await world.database.db.select().from(school).limit(1);
    const upn = testUpn();
    const file = ctfBytes({
      destLa: here!.laCode,
      destEstab: here!.establishmentNumber,
      pupils: [
        {
          upn,
          forename: 'Ines',
          surname: 'Incomer',
          dob: '2017-04-12',
          sen: [
            ['2023-01-10', 'K'],
            ['2024-09-05', 'E'],
          ],
          needs: [
            ['SLCN', 1, '2023-01-10', '2024-09-04'],
            ['ASD', 1, '2024-09-05'],
          ],
          contacts: [{ title: 'Mrs', forename: 'Iris', surname: 'Incomer', phone: '01632 960003' }],
        },
      ],
    });

    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.getByRole('link', { name: 'Common Transfer Files' }).click();
    await check();
    // Sent without a file: the error summary says so.
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await check();
    await visible(page.getByRole('alert').getByText('There is a problem'));
    await page.getByLabel('Common Transfer File').setInputFiles({
      name: '8884321_CTF_9991234_001.xml',
      mimeType: 'text/xml',
      buffer: file,
    });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await check();
    await visible(page.getByRole('heading', { name: 'Common Transfer File from Hillside Primary' }));
    await visible(page.getByText('Nothing has been saved yet'));
    await visible(
      page.getByText(/Added to the school at EHC plan \(E\): Autistic spectrum disorder \(ASD\)/),
    );
    await page.getByRole('button', { name: 'Apply this file' }).click();
    await check();
    await visible(page.getByText(/Applied: 1 pupil added/));

    // The same file sent again by mistake is put aside without applying it.
    await page.getByRole('link', { name: 'Common Transfer Files' }).first().click();
    await check();
    await page.getByLabel('Common Transfer File').setInputFiles({
      name: '8884321_CTF_9991234_002.xml',
      mimeType: 'text/xml',
      buffer: file,
    });
    await page.getByRole('button', { name: 'Upload and preview' }).click();
    await check();
    await page.getByRole('button', { name: 'Discard this file' }).click();
    await check();
    await visible(page.getByText('The file is discarded: nothing in it was applied.'));
    expect(
      (await page.getByRole('row').filter({ hasText: '8884321_CTF_9991234_002.xml' }).textContent()) ?? '',
    ).toContain('Discarded');

    // On the SEN register at the stage the file gave, with its history in the chronology.
    await page.getByRole('link', { name: 'SEN register' }).first().click();
    await check();
    const row = page.getByRole('row').filter({ hasText: 'Incomer, Ines' });
    expect((await row.textContent()) ?? '').toContain('EHC plan (E)');
    expect((await row.textContent()) ?? '').toContain('ASD');
    await row.getByRole('link', { name: 'Incomer, Ines' }).click();
    await check();
    await visible(page.getByText('EHC plan recorded: SEN support to EHC plan'));
    await visible(page.getByText('Placed at SEN support: No SEN to SEN support'));
    expect(await page.getByText(/From Hillside Primary CTF/).count()).toBe(2);
    await visible(page.getByText('Mrs Iris Incomer (Parent)'));

    // Ines's family moves on: she leaves, and her CTF goes to the new school.
    await page.getByRole('link', { name: 'Record that this pupil has left' }).click();
    await check();
    const [year, month, day] = todayInEngland().split('-');
    await page.getByLabel('Day').fill(String(Number(day)));
    await page.getByLabel('Month').fill(String(Number(month)));
    await page.getByLabel('Year').fill(year!);
    await page.getByLabel('School they are going to (optional)').fill('Hillside Secondary');
    await page.getByLabel('URN of that school (optional)').fill('12345');
    await page.getByRole('button', { name: 'Record that they have left' }).click();
    await check();
    await visible(page.getByRole('alert').getByText('There is a problem'));
    expect(await page.getByLabel('School they are going to (optional)').inputValue()).toBe(
      'Hillside Secondary',
    );
    await page.getByLabel('URN of that school (optional)').fill('123456');
    await page.getByRole('button', { name: 'Record that they have left' }).click();
    await check();
    await visible(page.getByText(/Left on .* to Hillside Secondary \(URN 123456\)/));
    await visible(page.getByText(/This record is read-only\. It is kept until/));
    expect(await page.getByRole('button', { name: 'Change SEN stage or needs' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Common Transfer Files' }).click();
    await check();
    await page.getByRole('link', { name: 'Make a Common Transfer File for leavers' }).click();
    await check();
    await page.getByLabel(/Incomer, Ines/).check();
    await page.getByLabel(/DfE number/).fill('888 4321');
    await page.getByRole('button', { name: 'Make the file' }).click();
    await check();
    // The school's next file in its own sequence (the demo has sent files before: a leaver of years ago).
    const heading = page.getByRole('heading', {
      name: new RegExp(`^${here!.laCode}${here!.establishmentNumber}_CTF_8884321_\\d{3}\\.xml$`),
    });
    await visible(heading);
    const name = ((await heading.first().textContent()) ?? '').trim();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `Download ${name}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(name);
    const xml = await readFile((await download.path())!, 'utf8');
    expect(xml).toContain(`<UPN>${upn}</UPN>`);
    expect(xml).toContain('<SENprovision>E</SENprovision>');
    expect(xml).toContain('<SENtype>ASD</SENtype>');

    // The leavers filter finds her, and her chronology shows the file.
    await page.goto('/pupils?leavers=1');
    await check();
    await page.getByRole('link', { name: 'Incomer, Ines' }).click();
    await check();
    await visible(page.getByText(/Common Transfer File produced on .* for Hillside Secondary/));
    await signOut(page, check);
    await context.close();
  }, 120_000);
});
