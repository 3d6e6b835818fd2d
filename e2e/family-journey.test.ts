import { and, desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { outboundMail } from '../src/db/schema/index.ts';
import { addDays, todayInEngland } from '../src/domain/dates.ts';
import {
  buildFamily,
  buildLetter,
  buildParent,
  buildParentAccount,
  buildPlan,
  buildPupil,
  buildReferral,
  buildSchool,
  buildStaff,
  TEST_PASSWORD,
} from '../test/builders/index.ts';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * The family's door from end to end, the mother on a phone (375 × 800): the office invites her by email
 * from her child's page; she opens the link, makes her account and enters the code sent to her, finds
 * what is waiting for her on her child's page, replies to the letter, gives her views before the
 * review, gives consent to the referral and tells the school about a worry. The SENCo then sees each
 * where it belongs; another family's child is "not found" to her. axe-core runs on every page.
 */
const world = useBrowserWorld();
const today = todayInEngland();
const MOTHER_EMAIL = 'rhiannon.morgan@families.example';
let school: { id: string };
let pupil: Awaited<ReturnType<typeof buildPupil>>;
let planId: string;
let letterId: string;
let referralId: string;
let office: string;
let senco: string;
let otherChildId: string;
let otherMother: string;
const FATHER_EMAIL = 'gareth.morgan@families.example';

beforeAll(async () => {
  const { db } = world.database;
  school = await buildSchool(db, { name: 'Brookfield Primary' });
  office = (await buildStaff(db, 'office', { schoolId: school.id, name: 'Olu Office' })).email;
  senco = (await buildStaff(db, 'senco', { schoolId: school.id, name: 'Sam Senco' })).email;
  pupil = await buildPupil(db, {
    schoolId: school.id,
    forename: 'Cerys',
    stage: 'sen_support',
    primaryNeed: 'SLCN',
  });
  await buildParent(db, pupil, { name: 'Rhiannon Morgan', relationship: 'Mother', email: MOTHER_EMAIL });
  planId = (
    await buildPlan(db, {
      schoolId: school.id,
      pupilId: pupil.id,
      status: 'in_review',
      targets: ['Take turns in a small-group game'],
      reviewDate: addDays(today, 10),
    })
  ).id;
  letterId = (
    await buildLetter(db, {
      pupil: { id: pupil.id, schoolId: school.id, forename: pupil.forename, surname: pupil.surname },
      kind: 'other',
      slip: 'I have read this letter.',
      sentOn: addDays(today, -2),
    })
  ).id;
  referralId = (
    await buildReferral(db, { schoolId: school.id, id: pupil.id }, { status: 'awaiting_consent' })
  ).id;
  const otherFamily = await buildFamily(db, { schoolId: school.id, forename: 'Other' });
  otherChildId = otherFamily.pupil.id;
  otherMother = otherFamily.mother.email;
  // Cerys's father, separated from her mother, has his own account (the school invited him earlier).
  const father = await buildParent(db, pupil, {
    name: 'Gareth Morgan',
    relationship: 'Father',
    email: FATHER_EMAIL,
  });
  await buildParentAccount(db, [{ ...father, pupilId: pupil.id }], { email: FATHER_EMAIL });
});

/** The newest mail to an address, as it arrived. */
async function latestMailTo(address: string, kind: string) {
  const [m] = await world.database.db
    .select()
    .from(outboundMail)
    .where(and(eq(outboundMail.toAddress, address), eq(outboundMail.kind, kind)))
    .orderBy(desc(outboundMail.createdAt))
    .limit(1);
  if (!m) throw new Error(`no ${kind} mail to ${address}`);
  return m;
}

describe('a mother joins on her phone and answers the school', () => {
  it('from the office’s invitation to the SENCo seeing each answer', async () => {
    // The office invites her by email from the pupil's page.
    const desk = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(desk.page, desk.check, office, TEST_PASSWORD);
    await desk.page.goto(`/pupils/${pupil.id}`);
    await desk.check();
    await desk.page.getByRole('link', { name: /Invite to OpenSEND\W+Rhiannon Morgan/ }).click();
    await desk.check();
    await desk.page.getByRole('radio', { name: 'By email' }).check();
    await desk.page.getByRole('button', { name: 'Send the invitation' }).click();
    await desk.check();
    await visible(desk.page.getByText(`The invitation is on its way to ${MOTHER_EMAIL}`));
    await desk.context.close();

    // She opens the link in the email on her phone and makes her account.
    const invitation = await latestMailTo(MOTHER_EMAIL, 'family.invited');
    const code = /\/join\?code=([A-Z0-9-]+)/.exec(invitation.body)?.[1];
    expect(code, invitation.body).toBeTruthy();
    const phone = await checkedPage(world.browser, world.server.baseUrl, {
      viewport: { width: 375, height: 800 },
    });
    const { page, check } = phone;
    await page.goto(`/join?code=${code}`);
    await check();
    await page.getByRole('radio', { name: 'No, I am new to OpenSEND' }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await check();
    await page.getByLabel('Your name').fill('Rhiannon Morgan');
    await page.getByLabel('Your email address').fill(MOTHER_EMAIL);
    await page.getByLabel('Choose a password').fill('copper kettle rainy orbit');
    await page.getByLabel('Type the password again').fill('copper kettle rainy orbit');
    await page.getByRole('button', { name: 'Make my account' }).click();
    await page.waitForURL(/\/sign-in\/code/);
    await check();
    const signInCode = /Your code is (\d{6})/.exec(
      (await latestMailTo(MOTHER_EMAIL, 'account.sign_in_code')).body,
    )?.[1];
    await page.getByLabel('Code from the email').fill(signInCode ?? '');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await check();

    // Her child's page says what is waiting for her.
    await page.goto(`/children/${pupil.id}`);
    await check();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    const waiting = page.locator('#family-waiting');
    await visible(waiting.getByRole('link', { name: /Reply to the letter of/ }));
    await visible(waiting.getByRole('link', { name: 'Views before a review of the support plan' }));
    await visible(waiting.getByRole('link', { name: /Say whether you give consent/ }));

    // She reads the support plan, as agreed.
    await page.goto(`/children/${pupil.id}/plan`);
    await check();
    await visible(page.getByText('Take turns in a small-group game'));
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);

    // The letter: she has read it and agrees.
    await page.goto(`/children/${pupil.id}`);
    await waiting.getByRole('link', { name: /Reply to the letter of/ }).click();
    await check();
    await page.getByRole('radio', { name: 'I have read this letter and agree' }).check();
    await page.getByRole('button', { name: 'Send your reply' }).click();
    await check();

    // Her views before the review.
    await page.goto(`/children/${pupil.id}`);
    await page
      .locator('#family-waiting')
      .getByRole('link', { name: 'Views before a review of the support plan' })
      .click();
    await check();
    await page
      .getByLabel('Your views')
      .fill('Cerys plays board games with her brother now and waits for her turn.');
    await page.getByRole('button', { name: /views/ }).click();
    await check();

    // Consent to the referral.
    await page.goto(`/children/${pupil.id}`);
    await page
      .locator('#family-waiting')
      .getByRole('link', { name: /Say whether you give consent/ })
      .click();
    await check();
    await page.getByRole('radio', { name: 'Yes, I agree' }).check();
    await page.getByRole('checkbox', { name: /The school asks/ }).check();
    await page
      .getByRole('checkbox', { name: 'The school shares the information listed above with them' })
      .check();
    await page.getByRole('button', { name: 'Send my answer' }).click();
    await check();

    // A worry of her own.
    await page.goto(`/children/${pupil.id}`);
    await page.getByRole('link', { name: 'Tell the school about a worry' }).click();
    await check();
    await page.getByRole('button', { name: 'Tell the school about a worry' }).click();
    await check();
    await page
      .getByLabel('What worries you?')
      .fill('Cerys says the dinner hall is too loud and she eats nothing.');
    await page.getByRole('button', { name: 'Send to the school' }).click();
    await check();

    // A new phone number, for the school to check.
    await page.goto(`/children/${pupil.id}`);
    await page.getByRole('link', { name: 'Your contact details' }).click();
    await check();
    await page.getByLabel('Phone number').fill('07700 900123');
    await page.getByRole('button', { name: 'Send the change' }).click();
    await check();
    await visible(page.getByText('The school has not checked it yet.'));

    // Nothing is waiting now; another family's child is not found.
    await page.goto(`/children/${pupil.id}`);
    await check();
    await visible(page.getByText('Nothing is waiting for you at the moment.'));
    const other = await page.goto(`/children/${otherChildId}`);
    expect(other?.status()).toBe(404);
    await phone.context.close();

    // The SENCo sees each answer where it belongs.
    const sencoPage = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(sencoPage.page, sencoPage.check, senco, TEST_PASSWORD);
    await sencoPage.page.goto(`/letters/${letterId}`);
    await sencoPage.check();
    await visible(sencoPage.page.getByText('Acknowledged online by Rhiannon Morgan', { exact: false }));
    await sencoPage.page.goto(`/plans/${planId}/review`);
    await sencoPage.check();
    await visible(sencoPage.page.getByText('waits for her turn', { exact: false }));
    await sencoPage.page.goto(`/referrals/${referralId}`);
    await sencoPage.check();
    await visible(sencoPage.page.getByText('Consent given by Rhiannon Morgan', { exact: false }));
    await sencoPage.page.goto('/concerns');
    await sencoPage.check();
    await visible(sencoPage.page.getByText('From a parent'));
    // The new phone number: checked, then confirmed onto the record.
    await sencoPage.page.goto('/contact-changes');
    await sencoPage.check();
    await sencoPage.page.getByRole('link', { name: 'Rhiannon Morgan' }).click();
    await sencoPage.check();
    await sencoPage.page.getByRole('radio', { name: /Confirm/ }).check();
    await sencoPage.page.getByRole('button', { name: 'Save decision' }).click();
    await sencoPage.check();
    await sencoPage.page.goto(`/pupils/${pupil.id}`);
    await visible(sencoPage.page.getByText('07700 900123').first());
    await signOut(sencoPage.page, sencoPage.check);
    await sencoPage.context.close();
  });

  it('the separated father sees the same child with his own account; another family’s mother finds none of its ids', async () => {
    const phone = await checkedPage(world.browser, world.server.baseUrl, {
      viewport: { width: 375, height: 800 },
    });
    const { page, check } = phone;
    await signIn(page, check, FATHER_EMAIL, TEST_PASSWORD);
    await page.goto(`/children/${pupil.id}`);
    await check();
    await visible(page.getByRole('heading', { name: /Cerys/ }).first());
    // His views are his own to give: the mother's do not answer for him.
    await visible(
      page
        .locator('#family-waiting')
        .getByRole('link', { name: 'Views before a review of the support plan' }),
    );
    await page.goto(`/children/${pupil.id}/plan`);
    await check();
    await visible(page.getByText('Take turns in a small-group game'));
    await signOut(page, check);

    // Another family's mother at the same school: every id of Cerys's is "not found", through her own
    // child's pages too.
    await signIn(page, check, otherMother, TEST_PASSWORD);
    for (const path of [
      `/children/${pupil.id}`,
      `/children/${pupil.id}/plan`,
      `/children/${pupil.id}/plans/${planId}`,
      `/children/${pupil.id}/letters/${letterId}`,
      `/children/${pupil.id}/referrals/${referralId}`,
      `/children/${otherChildId}/plans/${planId}`,
      `/children/${otherChildId}/letters/${letterId}`,
      `/children/${otherChildId}/referrals/${referralId}`,
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await check();
    }
    await phone.context.close();
  });
});
