import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  appUser,
  membershipRole,
  planNote,
  planReview,
  pupil,
  pupilAssignment,
  schoolClass,
  supportPlan,
} from '../src/db/schema/index.ts';
import { todayInEngland } from '../src/domain/dates.ts';
import { checkedPage, quietPupilOfTeacher, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * One turn of the graduated approach in a real browser, on the demo school, with axe-core on every
 * page: the class teacher writes a support plan from the bank and agrees it; a teaching assistant adds
 * a note on a phone-sized screen; the SENCo reviews it and lands on the next plan. Every form the
 * journey sends is counted and the count printed (the target for a whole cycle is 12 or fewer).
 */
const world = useBrowserWorld({ demoSeed: 7 });
let target: { id: string; forename: string; surname: string; schoolId: string };
const sent: string[] = [];

/** Send a form by pressing its button, and count it. */
async function send(what: string, press: () => Promise<void>) {
  sent.push(what);
  await press();
}

beforeAll(async () => {
  const db = world.database.db;
  const className = world.account('class teacher').role.replace('class teacher of ', '');
  const rows = await db
    .select({ id: pupil.id, forename: pupil.forename, surname: pupil.surname, schoolId: pupil.schoolId })
    .from(pupil)
    .innerJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(schoolClass.name, className), eq(pupil.senStage, 'sen_support')));
  // The demo pupils at SEN support have their plans already: this cycle is for one who has none yet.
  const planned = new Set((await db.select({ id: supportPlan.pupilId }).from(supportPlan)).map((r) => r.id));
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.surname, (counts.get(r.surname) ?? 0) + 1);
  const found =
    rows.find((r) => counts.get(r.surname) === 1 && !planned.has(r.id)) ?? (await placedNow(world));
  target = found;
  // The SENCo has asked the teaching assistant to work with this pupil.
  const [ta] = await db
    .select({ id: appUser.id })
    .from(appUser)
    .where(eq(appUser.email, world.account('teaching assistant').email));
  await db
    .insert(pupilAssignment)
    .values({ schoolId: found.schoolId, pupilId: found.id, userId: ta!.id })
    .onConflictDoNothing();
});

/** A pupil of the class teacher's class on no list, placed at SEN support by the SENCo today. */
async function placedNow(w: typeof world) {
  const quiet = await quietPupilOfTeacher(w);
  const db = w.database.db;
  const [senco] = await db
    .select()
    .from(appUser)
    .where(eq(appUser.email, w.account('SENCo').email));
  const [row] = await db.select().from(pupil).where(eq(pupil.id, quiet.id));
  const roles = await db
    .select({ role: membershipRole.role })
    .from(membershipRole)
    .where(and(eq(membershipRole.schoolId, row!.schoolId), eq(membershipRole.userId, senco!.id)));
  await w.server.services.register.changePosition(
    {
      userId: senco!.id,
      name: senco!.name,
      email: senco!.email,
      roles: roles.map((r) => r.role),
      schoolId: row!.schoolId,
      organisationId: null,
      requestId: 'e2e-setup',
    },
    quiet.id,
    {
      stage: 'sen_support',
      primaryNeed: 'SLCN',
      secondaryNeed: null,
      effectiveDate: todayInEngland(),
      reason: 'Needs provision additional to and different from peers; parents agree.',
      version: row!.version,
    },
  );
  return { ...quiet, schoolId: row!.schoolId };
}

// Each step drives several pages with axe on every one: give a step room on a busy two-core machine.
describe('a whole cycle: plan, do, review', { timeout: 120_000 }, () => {
  it('the class teacher writes a plan from the bank and agrees it with the parents', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('class teacher').email, world.password);
    await page.goto(`/pupils/${target.id}`);
    await check();
    await send('start the plan', () =>
      page.getByRole('button', { name: 'Start an SEN Support Plan' }).click(),
    );
    await page.waitForURL(/\/plans\/[^/]+\/edit$/);
    await check();
    await visible(page.getByText('Plan started as a draft'));

    // The bank: save the (empty) draft, search, and take a target to adapt.
    await send('save and open the bank', () =>
      page.getByRole('button', { name: 'Save and find a target in the bank' }).click(),
    );
    await page.waitForURL(/\/bank$/);
    await check();
    await page.getByLabel('Words to look for').fill('instruction');
    await send('search the bank (GET)', () => page.getByRole('button', { name: 'Search the bank' }).click());
    await page.waitForURL(/q=instruction/);
    await check();
    await page
      .getByRole('link', { name: /^Use this target/ })
      .first()
      .click();
    await page.waitForURL(/fromBank=/);
    await check();
    const fromBank = await page.locator('#target1-target').inputValue();
    expect(fromBank).toContain(target.forename);
    expect(fromBank).not.toMatch(/\bX\b/);

    // Adapt it, write a second target by hand (saved to the bank too), and the rest of the plan.
    await page.locator('#target1-target').fill(`${fromBank} With a picture prompt at first.`);
    await page
      .locator('#target2-target')
      .fill(`${target.forename} will start a writing task within two minutes.`);
    await page.locator('#target2-criteria').fill('4 lessons out of 5, over two weeks');
    await page.locator('#target2-strategies').fill('Sentence starters on the table');
    await page.locator('#target2-area').selectOption('cognition_and_learning');
    await page.getByLabel('Save this target to the bank').nth(1).check();
    await page.getByLabel('Areas of strength').fill('Kind, and a keen reader of comics');
    await page.getByLabel('Desired outcomes').fill('To follow class routines and start tasks independently');
    await page
      .getByLabel('a) Quality-first inclusive approaches')
      .fill('Visual timetable; instructions chunked');
    await page.getByLabel('How parents can support at home').fill('Talk about the school day at tea time');
    await send('save the plan', () => page.getByRole('button', { name: 'Save the plan' }).click());
    await page.waitForURL(/\/plans\/[^/]+$/);
    await check();
    await visible(page.getByText('Plan saved.'));
    await visible(page.getByRole('heading', { name: /^Target 2: .* writing task/ }));

    await page.getByRole('button', { name: 'Agree and put in place' }).click();
    await check();
    await page.getByLabel('Who agreed it').fill(`Mother, ${target.forename} and the class teacher`);
    const today = new Date();
    const shared = page.getByRole('group', { name: 'Date shared with parents (optional)' });
    await shared.getByLabel('Day').fill(String(today.getDate()));
    await shared.getByLabel('Month').fill(String(today.getMonth() + 1));
    await shared.getByLabel('Year').fill(String(today.getFullYear()));
    await send('agree the plan', () => page.getByRole('button', { name: 'Agree and put in place' }).click());
    await page.waitForURL(/\/plans\/[^/]+$/);
    await check();
    await visible(page.getByText('The plan is agreed and in place.'));

    // The print view is accessible too, and the PDF downloads.
    await page.getByRole('link', { name: 'Print view' }).click();
    await check();
    const pdf = await page.request.get(page.url().replace(/\/print$/, '/pdf'));
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await page.goBack();
    await signOut(page, check);
    await context.close();
  });

  it('a teaching assistant adds a note on a phone-sized screen', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl, {
      viewport: { width: 375, height: 667 },
    });
    await signIn(page, check, world.account('teaching assistant').email, world.password);
    await page.goto(`/pupils/${target.id}`);
    await check();
    await page.getByRole('link', { name: 'SEN Support Plan 1' }).click();
    await check();
    // Nothing is wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.getByText('Add a note to target 1').click();
    await check();
    await page
      .getByRole('group', { name: /^Add a note to target 1/ })
      .getByRole('textbox')
      .first();
    await page
      .locator('textarea[id^="body-"]')
      .first()
      .fill('Followed both parts of the instruction twice today.');
    await send('add a note (phone)', () =>
      page.getByRole('button', { name: 'Add the note' }).first().click(),
    );
    await page.waitForURL(/#target-/);
    await check();
    await visible(page.getByText('Followed both parts of the instruction twice today.'));
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await context.close();
  });

  it('the SENCo reviews the plan and lands on the next one, with the target not met carried into it', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/pupils/${target.id}`);
    await check();
    await page.getByRole('link', { name: 'SEN Support Plan 1' }).click();
    await check();
    await page.getByRole('button', { name: 'Record the review' }).click();
    await check();
    await page.getByLabel('Who attended').fill(`Mother, ${target.forename}, the class teacher and the SENCo`);
    await page
      .getByRole('group', { name: 'Was target 1 achieved?' })
      .getByLabel('Achieved', { exact: true })
      .check();
    await page.getByLabel('Evidence for target 1').fill('Observed on five days running');
    await page
      .getByRole('group', { name: 'Was target 2 achieved?' })
      .getByLabel('Partly achieved', { exact: true })
      .check();
    await page.getByLabel('The pupil’s views', { exact: true }).fill('Writing is still hard to start');
    await page.getByRole('group', { name: 'Overall progress' }).getByLabel('As expected').check();
    await page.getByRole('radio', { name: /Write a new plan/ }).check();
    await send('record the review', () => page.getByRole('button', { name: 'Record the review' }).click());
    await page.waitForURL(/\/plans\/[^/]+\/edit$/);
    await check();
    await visible(page.getByRole('heading', { name: 'Change SEN Support Plan 2' }));
    expect(await page.locator('#target1-target').inputValue()).toContain('writing task');
    expect(await page.locator('#target2-target').inputValue()).toBe('');

    // The reviewed plan is read-only, with its review.
    await page.goto(`/pupils/${target.id}`);
    await check();
    await visible(page.getByText('SEN Support Plan 2'));
    await page.getByRole('link', { name: 'SEN Support Plan 1' }).click();
    await check();
    await visible(page.getByText('Observed on five days running'));
    expect(await page.getByRole('button', { name: 'Change the plan' }).count()).toBe(0);
    await context.close();

    const posts = sent.filter((s) => !s.endsWith('(GET)')).length;
    console.log(
      `Form submissions for one cycle of a support plan (start → plan from the bank → agree → note → review → next plan): ${sent.length} (${posts} POST, ${sent.length - posts} bank search)\n  ${sent.join('\n  ')}`,
    );
    expect(sent.length).toBeLessThanOrEqual(12);
  });
});

describe('two years of plans of a demo pupil', { timeout: 120_000 }, () => {
  it('the SENCo reads the time line, a reviewed plan, the plan in place with its notes, its print view and PDF', async () => {
    const db = world.database.db;
    // The pupil with the most plans whose current plan is in place.
    const plans = await db.select().from(supportPlan);
    const byPupil = new Map<string, typeof plans>();
    for (const p of plans) byPupil.set(p.pupilId, [...(byPupil.get(p.pupilId) ?? []), p]);
    const [history] = [...byPupil.values()]
      .map((list) => [...list].sort((a, b) => a.cycle - b.cycle))
      .filter((list) => list.at(-1)!.status === 'active')
      .sort((a, b) => b.length - a.length);
    const first = history![0]!;
    const current = history!.at(-1)!;
    const [review] = await db.select().from(planReview).where(eq(planReview.planId, first.id));
    const [note] = await db.select().from(planNote).where(eq(planNote.planId, current.id));
    expect(history!.length).toBeGreaterThan(3);

    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/pupils/${first.pupilId}`);
    await check();
    await visible(page.getByRole('link', { name: `SEN Support Plan ${current.cycle}`, exact: true }));

    // The first plan, closed by its review: every target's outcome and the review.
    await page.getByRole('link', { name: 'SEN Support Plan 1', exact: true }).click();
    await check();
    await visible(page.getByText(review!.attendees));
    await visible(page.getByText(review!.decisionNotes!));
    expect(await page.getByRole('button', { name: 'Change the plan' }).count()).toBe(0);

    // The plan in place, with the notes the class teacher and the assistant wrote.
    await page.goto(`/plans/${current.id}`);
    await check();
    await visible(page.getByText(note!.body).first());
    await visible(page.getByRole('button', { name: 'Record the review' }));
    await page.getByRole('link', { name: 'Print view' }).click();
    await check();
    await visible(page.getByText(note!.body).first());
    const pdf = await page.request.get(`/plans/${current.id}/pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await context.close();
  });
});
