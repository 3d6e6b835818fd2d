import { and, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.ts';
import { concern, pupil, schoolClass } from '../src/db/schema.ts';
import { freshDatabase } from '../test/db.ts';
import { checkedPage, launchBrowser, startServer, tabTo, visible } from './browser.ts';

/** A class teacher raises a concern with the keyboard alone: Tab, typing, Space and Enter. */
let database: Database;
let browser: Browser;
let server: Awaited<ReturnType<typeof startServer>>;
let teacherEmail: string;
let password: string;
let target: { forename: string; surname: string };

beforeAll(async () => {
  database = await freshDatabase();
  server = await startServer(database);
  const demo = await server.services.demo.load({ schools: 1, seed: 11 }, 'e2e');
  password = demo.password;
  const teacher = demo.accounts.find((a) => a.role.startsWith('class teacher'))!;
  teacherEmail = teacher.email;
  const rows = await database.db
    .select({ id: pupil.id, forename: pupil.forename, surname: pupil.surname })
    .from(pupil)
    .innerJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(
      and(eq(schoolClass.name, teacher.role.replace('class teacher of ', '')), eq(pupil.senStage, 'none')),
    );
  const raised = new Set((await database.db.select({ id: concern.pupilId }).from(concern)).map((r) => r.id));
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.surname, (counts.get(r.surname) ?? 0) + 1);
  target = rows.find((r) => !raised.has(r.id) && counts.get(r.surname) === 1)!;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  await database?.close();
});

const focusedText = (text: string) => `el.textContent.trim() === ${JSON.stringify(text)}`;
const focusedId = (id: string) => `el.id === ${JSON.stringify(id)}`;

describe('with the keyboard alone', () => {
  it('a class teacher signs in, finds a pupil and raises a concern', async () => {
    const { page, context, check } = await checkedPage(browser, server.baseUrl);
    await page.goto('/sign-in');
    await check();
    await tabTo(page, 'the email field', focusedId('email'));
    await page.keyboard.type(teacherEmail);
    await tabTo(page, 'the password field', focusedId('password'));
    await page.keyboard.type(password);
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
