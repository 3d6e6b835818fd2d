import { and, eq, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pupil, pupilVoice, supportPlan } from '../src/db/schema/index.ts';
import { checkedPage, signIn, useBrowserWorld, visible } from './browser.ts';

/**
 * The pupil's own words on a phone-sized screen, axe-core on every page: the SENCo sits with a pupil
 * before their review, the pupil chooses a face (by the keyboard) and says what went well; a form sent
 * with nothing answered comes back with its message; the plan shows their words as theirs.
 */
const world = useBrowserWorld({ demoSeed: 17 });
let target: { id: string; forename: string; planId: string };

beforeAll(async () => {
  const db = world.database.db;
  const written = new Set(
    (await db.select({ planId: pupilVoice.planId }).from(pupilVoice)).map((r) => r.planId).filter(Boolean),
  );
  const rows = await db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      preferredName: pupil.preferredName,
      planId: supportPlan.id,
    })
    .from(pupil)
    .innerJoin(supportPlan, and(eq(supportPlan.schoolId, pupil.schoolId), eq(supportPlan.pupilId, pupil.id)))
    .where(and(eq(supportPlan.status, 'active'), isNull(pupil.leftOn), eq(pupil.senStage, 'sen_support')))
    .orderBy(pupil.surname, pupil.id);
  const found = rows.find((r) => !written.has(r.planId));
  if (!found) throw new Error('No pupil with a plan in place in the demo school');
  target = { id: found.id, forename: found.preferredName ?? found.forename, planId: found.planId };
});

describe('the pupil’s voice at 375 × 800', () => {
  it('the pupil chooses a face and says what went well; the plan shows it in their own words', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl, {
      viewport: { width: 375, height: 800 },
    });
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/pupils/${target.id}/voice`);
    await check();
    await page
      .getByRole('link', { name: /^What I think, before the review of plan/ })
      .first()
      .click();
    await check();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

    // Nothing answered: the message, by the first question, and nothing saved.
    await page.getByLabel('Who helped you write this?').fill('Mrs Patel');
    await page.getByRole('button', { name: 'Save my words' }).click();
    await check();
    await visible(page.getByText('Answer at least one question').first());
    expect(await page.getByLabel('Who helped you write this?').inputValue()).toBe('Mrs Patel');

    // The faces are a group named by the question; each has its words. Chosen with the keyboard.
    const faces = page.getByRole('group', { name: 'How has school been?' });
    await faces.getByRole('radio', { name: 'OK' }).focus();
    await page.keyboard.press('Space');
    expect(await faces.getByRole('radio', { name: 'OK' }).isChecked()).toBe(true);
    await page.getByLabel('What has gone well?').fill('I can do my times tables');
    await page.getByRole('button', { name: 'Save my words' }).click();
    await page.waitForURL(/\/voice$/);
    await check();
    await visible(page.getByText('I can do my times tables'));

    await page.goto(`/plans/${target.planId}`);
    await check();
    const ownWords = page.locator('#own-words');
    await visible(ownWords.getByRole('heading', { name: `In ${target.forename}’s own words` }));
    await visible(ownWords.getByText('I can do my times tables'));
    expect(await ownWords.getByText('OK', { exact: true }).count()).toBeGreaterThan(0);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await context.close();
  });
});
