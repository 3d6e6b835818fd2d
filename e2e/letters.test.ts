import { beforeAll, describe, expect, it } from 'vitest';
import { readPdf } from '../test/pdf.ts';
import { checkedPage, quietPupilOfTeacher, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * Letters in a real browser, on the demo school: the SENCo places a pupil at SEN support and sees the
 * dashboard's counts; the office writes the Appendix D letter to the pupil's parents, prints it,
 * downloads its PDF and records the signed slip when it comes back; the SENCo changes a template with
 * a preview; the class teacher opens My pupils. axe-core runs on every page.
 */
const world = useBrowserWorld({ demoSeed: 11 });
let target: { id: string; forename: string; surname: string };

beforeAll(async () => {
  target = await quietPupilOfTeacher(world);
});

describe('the letter placing a child on the SEN register', () => {
  it('the SENCo places the pupil at SEN support and finds them on the dashboard', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/pupils/${target.id}`);
    await check();
    await page.getByRole('button', { name: 'Change SEN stage or needs' }).click();
    await check();
    await page.getByRole('radio', { name: 'SEN support (K)' }).check();
    await page.getByLabel('Primary need', { exact: true }).selectOption('SLCN');
    await page.getByLabel('Reason').fill('Assessment by the SENCo and class teacher; parents agree.');
    await page.getByRole('button', { name: 'Save' }).click();
    await check();
    await visible(page.getByText('SEN stage saved: SEN support.'));

    await page.getByRole('link', { name: 'Home' }).click();
    await check();
    await page.getByRole('link', { name: /^Dashboard/ }).click();
    await check();
    for (const label of [
      'Plan reviews due in the next two weeks',
      'Plan reviews overdue',
      'Plans in place not yet shared with parents',
      'Draft plans started more than two weeks ago',
      'Concerns waiting for review',
      'Pupils on the SEN register without a plan in place',
      'Signed slips not back three weeks after the letter',
    ]) {
      await visible(page.getByRole('link', { name: new RegExp(label) }));
    }
    await page.getByRole('link', { name: /Pupils on the SEN register without a plan in place/ }).click();
    await check();
    await visible(page.getByRole('link', { name: `${target.surname}, ${target.forename}` }));
    await signOut(page, check);
    await context.close();
  });

  it('the office writes the letter, prints it and records the signed slip', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('office').email, world.password);
    await page.getByRole('link', { name: 'Pupils' }).first().click();
    await check();
    await page.getByLabel('Search by name or UPN').fill(target.surname);
    await page.getByRole('button', { name: 'Search' }).click();
    await check();
    await page.getByRole('link', { name: `${target.surname}, ${target.forename}` }).click();
    await check();
    await page.getByRole('button', { name: 'Write a letter' }).click();
    await check();

    // Sent without choosing: every problem listed, nothing produced.
    await page.getByRole('button', { name: 'Produce the letter' }).click();
    await check();
    await visible(page.getByRole('alert').getByText('There is a problem'));
    await visible(page.getByRole('link', { name: 'Choose a letter from the list' }));

    await page.getByRole('radio', { name: 'Placing a child on the SEN register' }).check();
    await page.getByRole('button', { name: 'Preview the letter' }).click();
    await check();
    const preview = page.getByRole('region', { name: /Preview/ });
    await visible(preview.getByText(/we are placing them on our Special Educational Needs register/));
    await visible(preview.getByText(/I can confirm that I have received your letter/));
    expect(await preview.textContent()).toContain(target.forename);

    await page.getByRole('radio', { name: 'In the book bag' }).check();
    await page.getByRole('button', { name: 'Produce the letter' }).click();
    await check();
    await visible(page.getByText('Letter produced. Print it or download the PDF to send.'));
    await visible(page.getByText('Waiting for the signed slip'));

    await page.getByRole('button', { name: 'Print' }).click();
    await check();
    await visible(
      page.getByRole('heading', { name: 'Reply slip: please sign and return this part to the school' }),
    );
    await visible(page.getByText(`Pupil: ${target.forename} ${target.surname}`));
    await page.getByRole('link', { name: 'Back to the letter' }).click();
    await check();

    const pdfHref = await page.getByRole('link', { name: /Download PDF/ }).getAttribute('href');
    const pdf = await page.request.get(pdfHref!);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const { text, info } = readPdf(Buffer.from(await pdf.body()));
    expect(text).toContain(`${target.forename} ${target.surname}`);
    expect(info).toMatch(/^Tagged:\s+yes$/m);

    await page.getByRole('button', { name: 'Record the signed slip' }).click();
    await check();
    await page.getByLabel('Note (optional)').fill('Signed and returned in the book bag');
    await page.getByRole('button', { name: 'Record the signed slip' }).click();
    await check();
    await visible(page.getByText('Signed slip recorded.'));
    await visible(page.getByText('Returned', { exact: true }));

    await page.getByRole('link', { name: `Back to ${target.forename} ${target.surname}` }).click();
    await check();
    await visible(page.getByText('Letter sent: Placing a child on the SEN register in the book bag'));
    await visible(page.getByText('Signed slip returned'));
    await signOut(page, check);
    await context.close();
  });
});

describe('letter templates and my pupils', () => {
  it('the SENCo changes a template: an unknown merge field is refused by name, the preview uses a real pupil', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto('/settings');
    await check();
    await page.getByRole('link', { name: 'Inviting parents to a review meeting' }).click();
    await check();
    const body = page.getByLabel('Letter', { exact: true });
    const original = await body.inputValue();
    await body.fill(`${original}\n\nP.S. {{pupil.shoeSize}}`);
    await page.getByRole('button', { name: 'Save the letter' }).click();
    await check();
    await visible(page.getByRole('alert').getByText('There is a problem'));
    await visible(
      page.getByRole('link', { name: /\{\{pupil\.shoeSize\}\} is not a merge field OpenSEND knows/ }),
    );
    // The user's text is kept.
    expect(await body.inputValue()).toContain('P.S. {{pupil.shoeSize}}');

    await body.fill(`${original}\n\nP.S. Please bring {{pupil.forename}}’s reading record.`);
    await page.getByLabel('Preview with').selectOption({ label: `${target.surname}, ${target.forename}` });
    await page.getByRole('button', { name: 'Preview' }).click();
    await check();
    const preview = page.getByRole('region', { name: /Preview/ });
    await visible(preview.getByText(`P.S. Please bring ${target.forename}’s reading record.`));
    await page.getByRole('button', { name: 'Save the letter' }).click();
    await check();
    await visible(page.getByText('Inviting parents to a review meeting saved.'));
    await signOut(page, check);
    await context.close();
  });

  it('the class teacher opens My pupils and the list of their pupils on the register without a plan', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('class teacher').email, world.password);
    await page.getByRole('link', { name: /^My pupils/ }).click();
    await check();
    await visible(page.getByRole('heading', { name: 'My pupils', level: 1 }));
    await page.getByRole('link', { name: /Pupils on the SEN register without a plan in place/ }).click();
    await check();
    await visible(page.getByRole('link', { name: `${target.surname}, ${target.forename}` }));
    await page.getByRole('link', { name: 'Back to my pupils' }).click();
    await check();
    await signOut(page, check);
    await context.close();
  });

  it('the SENCo answers a parent’s subject access request: records it, produces the export, downloads it and records its release', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/pupils/${target.id}`);
    await check();
    await page.getByRole('link', { name: 'Record a subject access request' }).click();
    await check();
    // Sent empty: every problem listed, reachable from the summary.
    await page.getByRole('button', { name: 'Record the request' }).click();
    await check();
    await visible(page.getByRole('link', { name: 'Select who asked' }));
    await page.getByRole('radio', { name: 'A parent or carer, for their child' }).check();
    await page.getByLabel('Their name').fill('A Parent');
    await page.getByLabel('Day').fill('1');
    await page.getByLabel('Month').fill('12');
    await page.getByLabel('Year').fill('2026');
    await page.getByRole('button', { name: 'Record the request' }).click();
    await check();
    await visible(page.getByText('Subject access request recorded.'));
    await visible(page.getByText('1 January 2027'));
    await page.getByRole('button', { name: 'Produce the export' }).click();
    await check();
    await visible(page.getByRole('link', { name: 'Download the export (ZIP)' }));
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download the export (ZIP)' }).click();
    expect((await download).suggestedFilename()).toMatch(/^subject-access-\d{4}-\d{2}-\d{2}\.zip$/);
    await page.getByLabel('Day').fill('2');
    await page.getByLabel('Month').fill('12');
    await page.getByLabel('Year').fill('2026');
    await page.getByRole('button', { name: 'Record the release' }).click();
    await check();
    await visible(page.getByText('Recorded as released.'));
    await page.getByRole('link', { name: 'Subject access requests' }).click();
    await check();
    await signOut(page, check);
    await context.close();
  });
});
