import { and, eq, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { agency, parentCarer, pupil, referral } from '../src/db/schema/index.ts';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * A referral in a real browser, on the demo school: the SENCo starts a referral to speech and language
 * therapy from a pupil's page, records the mother's consent, and sends it; the pupil's page then lists
 * it under Outside agencies. axe-core runs on every page.
 */
const world = useBrowserWorld({ demoSeed: 14 });
let target: { id: string; forename: string; surname: string; mother: string; motherId: string };
let saltId: string;

beforeAll(async () => {
  const db = world.database.db;
  const referred = new Set((await db.select({ id: referral.pupilId }).from(referral)).map((r) => r.id));
  const rows = await db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      mother: parentCarer.name,
      motherId: parentCarer.id,
    })
    .from(pupil)
    .innerJoin(parentCarer, and(eq(parentCarer.schoolId, pupil.schoolId), eq(parentCarer.pupilId, pupil.id)))
    .where(
      and(
        eq(pupil.senStage, 'sen_support'),
        isNull(pupil.leftOn),
        eq(parentCarer.relationship, 'Mother'),
        eq(parentCarer.parentalResponsibility, true),
      ),
    );
  const found = rows.find((r) => !referred.has(r.id));
  if (!found) throw new Error('No pupil at SEN support with a mother on record and no referral');
  target = found;
  const [salt] = await db
    .select()
    .from(agency)
    .where(eq(agency.name, 'Northshire Speech and Language Therapy'));
  saltId = salt!.id;
});

describe('a referral to speech and language therapy with the mother’s consent', () => {
  it('the SENCo starts it from the pupil’s page, records consent and sends it', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/pupils/${target.id}`);
    await check();
    await visible(page.getByRole('heading', { name: 'Outside agencies' }));
    await page.getByRole('link', { name: 'Start a referral' }).click();
    await check();
    await page.getByLabel('The service').selectOption(saltId);
    await page
      .getByLabel('The question the school asks')
      .fill('Why does this pupil find it hard to follow spoken instructions in class?');
    await page.getByRole('button', { name: 'Save the referral as a draft' }).click();
    await check();
    await visible(page.getByText('Referral drafted.'));
    await visible(page.getByText('No consent recorded'));

    await page.getByRole('button', { name: 'Record consent' }).click();
    await check();
    await page.getByLabel('The parent or carer').selectOption(target.motherId);
    await page.getByRole('radio', { name: 'In person' }).check();
    await page.getByRole('button', { name: 'Record consent' }).click();
    await check();
    await visible(page.getByText('Consent recorded.'));
    await visible(page.getByText(`Consent given by ${target.mother}`));

    await page.getByRole('button', { name: 'Record the next step' }).click();
    await check();
    await page.getByRole('radio', { name: 'Sent', exact: true }).check();
    await page.getByRole('button', { name: 'Record the step' }).click();
    await check();
    await visible(page.getByText(/Recorded: sent on/));
    const [row] = await world.database.db.select().from(referral).where(eq(referral.pupilId, target.id));
    expect(row?.status).toBe('sent');

    await page.goto(`/pupils/${target.id}`);
    await check();
    await visible(page.getByRole('link', { name: 'Northshire Speech and Language Therapy' }));
    await page.getByRole('link', { name: 'Referrals' }).first().click();
    await check();
    await visible(page.getByRole('link', { name: `${target.forename} ${target.surname}` }).first());
    await signOut(page, check);
    await context.close();
  });
});
