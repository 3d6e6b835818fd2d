import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.ts';
import { createServices } from '../src/services/index.ts';
import { fixedClock } from '../src/services/kernel/clock.ts';
import { buildWorld, TEST_PASSWORD, TODAY, type World } from '../test/builders/index.ts';
import { buildAttainmentResult, defaultSubjectIds } from '../test/builders/progress-meetings.ts';
import { freshDatabase } from '../test/db.ts';
import { checkedPage, launchBrowser, signIn, signOut, startServer, visible } from './browser.ts';

/*
 * The half-termly pupil progress meeting: the assessment lead prepares Year 4 Oak's meeting, sees Kit
 * below his trajectory first, records a provision change with an action for the class teacher and a
 * decision to raise a concern about Amara, which becomes a concern; the class teacher finds the action
 * on her list from the home page and marks it done. axe-core runs on every page.
 */

let database: Database;
let w: World;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  database = await freshDatabase();
  w = await buildWorld(database);
  const subjects = await defaultSubjectIds(database.db, w.school.id);
  for (const [academicYear, term, value] of [
    [2025, 'summer', 1],
    [2026, 'autumn', 0],
  ] as const)
    await buildAttainmentResult(database.db, {
      schoolId: w.school.id,
      pupilId: w.pupilK.id,
      subjectId: subjects.Reading!,
      academicYear,
      term,
      value,
    });
  server = await startServer(database, createServices(database, fixedClock(TODAY)));
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  await database?.close();
});

describe('a pupil progress meeting', () => {
  it('is prepared and recorded by the assessment lead; its action reaches the class teacher; a decision becomes a concern', async () => {
    const { page, check } = await checkedPage(browser, server.baseUrl);
    await signIn(page, check, w.assessmentLead.email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Pupil progress meetings' }).click();
    await check();
    await page.getByRole('button', { name: 'Prepare the meeting for Year 4 Oak' }).click();
    await check();
    await visible(page.getByText('The progress meeting for Year 4 Oak has been prepared.'));
    // Kit, below his trajectory in reading, comes first.
    const firstRow = page.locator('table tbody tr').first();
    expect(await firstRow.locator('th').innerText()).toContain('Kit Kowalski');
    expect(await firstRow.innerText()).toContain('Below trajectory');

    await page.getByLabel('Asha Assessment (Assessment lead)').check();
    await page.getByLabel('Tara Teacher (Class teacher)').check();
    await page.getByLabel('Decision about Kit Kowalski').selectOption('provision_change');
    await page.locator(`#notes-${w.pupilK.id}`).fill('Daily reading catch-up with the teaching assistant');
    await page.getByLabel('Who will do the action for Kit Kowalski').selectOption({ label: 'Tara Teacher' });
    await page.locator(`#due-${w.pupilK.id}-day`).fill('11');
    await page.locator(`#due-${w.pupilK.id}-month`).fill('12');
    await page.locator(`#due-${w.pupilK.id}-year`).fill('2026');
    await page.getByLabel('Decision about Amara Adebayo').selectOption('concern');
    await page.locator(`#notes-${w.pupilA.id}`).fill('Struggles to follow spoken instructions in maths');
    await page.getByRole('button', { name: 'Save the meeting' }).click();
    await check();
    await visible(page.getByText('The progress meeting for Year 4 Oak has been saved.'));
    const meetingUrl = new URL(page.url()).pathname;

    await page.getByRole('link', { name: 'Raise the concern about Amara Adebayo' }).click();
    await check();
    expect(await page.getByLabel('Reasons for the concern').inputValue()).toContain(
      'Struggles to follow spoken instructions',
    );
    await page.getByLabel('Cognition and learning').check();
    await page.getByRole('button', { name: 'Raise the concern' }).click();
    await check();
    await visible(page.getByText('The concern has been raised.'));
    await page.goto(meetingUrl);
    await check();
    await visible(page.getByRole('link', { name: 'Became a concern about Amara Adebayo' }));
    await signOut(page, check);

    await signIn(page, check, w.teacherA.email, TEST_PASSWORD);
    await page.getByRole('link', { name: '1 action from progress meetings' }).click();
    await check();
    await visible(page.getByText('Daily reading catch-up with the teaching assistant'));
    await page.getByRole('button', { name: 'Mark done: Provision changed for Kit Kowalski' }).click();
    await check();
    await visible(page.getByText('The action for Kit Kowalski is done.'));
    await visible(page.getByText('You have no actions from progress meetings waiting.'));
  });
});
