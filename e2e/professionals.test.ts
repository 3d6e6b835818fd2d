import { and, desc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { agencyReport, outboundMail, pupil } from '../src/db/schema/index.ts';
import { buildConsent, buildReferral } from '../test/builders/index.ts';
import { reportPdf } from '../test/report-files.ts';
import { latestSignInCode } from '../test/sign-in-code.ts';
import { checkedPage, quietPupilOfTeacher, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * A speech and language therapist in a real browser, on the demo school: the SENCo invites her to a
 * sent referral; she chooses her password from the link in the email, signs in with the code sent by
 * email, sees only the shared pupil and sections, and sends her report with three recommendations;
 * the SENCo opens the report. axe-core runs on every page.
 */
const world = useBrowserWorld({ demoSeed: 14 });
const THERAPIST = 'jo.carter@salt.example';
const PASSWORD = 'lantern orchard kettle violin';
let referralId: string;
let target: { id: string; forename: string; surname: string };

beforeAll(async () => {
  target = await quietPupilOfTeacher(world);
  const db = world.database.db;
  const [row] = await db.select({ schoolId: pupil.schoolId }).from(pupil).where(eq(pupil.id, target.id));
  const made = await buildReferral(
    db,
    { schoolId: row!.schoolId, id: target.id },
    {
      status: 'sent',
      sentOn: '2026-10-10',
      shareSections: ['register', 'plans'],
      question: 'Why does the pupil find it hard to follow spoken instructions?',
    },
  );
  await buildConsent(db, made, { givenByName: 'The pupil’s mother' });
  referralId = made.id;
});

async function mailTo(email: string, kind: string) {
  const [mail] = await world.database.db
    .select()
    .from(outboundMail)
    .where(and(eq(outboundMail.toAddress, email), eq(outboundMail.kind, kind)))
    .orderBy(desc(outboundMail.createdAt))
    .limit(1);
  return mail;
}

describe('a professional invited to a referral', () => {
  it('the SENCo invites the therapist, who gets a link by email naming no child', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/referrals/${referralId}/invite`);
    await check();
    await page.getByRole('radio', { name: 'Someone else' }).check();
    await page.getByLabel('Their name').fill('Jo Carter');
    await page.getByLabel('Their work email address').fill(THERAPIST);
    await page.getByRole('button', { name: 'Invite and share' }).click();
    await page.waitForURL((url) => url.pathname === `/referrals/${referralId}`);
    const mail = await mailTo(THERAPIST, 'account.set_up');
    expect(mail?.body).not.toContain(target.surname);
    await page.goto('/');
    await check();
    await signOut(page, check);
    await context.close();
  });

  it('the therapist sets her password, signs in with the code by email, sees only what was shared and sends her report', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    const mail = await mailTo(THERAPIST, 'account.set_up');
    const link = /(\/sign-in\/set-password\?token=[A-Za-z0-9_-]+)/.exec(mail!.body)![1]!;
    await page.goto(link);
    await check();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Type the password again').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set my password' }).click();
    await page.waitForURL(/\/sign-in$/);
    await check();
    await visible(page.getByText('Your password is set.'));

    await page.getByLabel('Email address').fill(THERAPIST);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/sign-in\/code$/);
    await check();
    await page.getByLabel('Code from the email').fill(await latestSignInCode(world.database, THERAPIST));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(
      (url) => !url.pathname.startsWith('/sign-in') && !url.pathname.startsWith('/account'),
    );
    await check();

    await page.getByRole('link', { name: 'Shared with you' }).first().click();
    await check();
    // Only the shared pupil.
    const names = await page.locator('h2.govuk-heading-m').allTextContents();
    expect(names.map((n) => n.trim())).toEqual([`${target.forename} ${target.surname}`]);
    await page.getByRole('link', { name: /Open the referral/ }).click();
    await check();
    await visible(page.getByText('Why does the pupil find it hard to follow spoken instructions?'));
    await visible(page.getByRole('heading', { name: 'SEN register' }));
    await visible(page.getByRole('heading', { name: 'Support plan' }));
    expect(await page.getByRole('heading', { name: 'Provision' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Medical' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Send your report' }).click();
    await check();
    await page.getByLabel('Title').fill('Speech and language assessment');
    await page.getByLabel('Day').fill('18');
    await page.getByLabel('Month').fill('11');
    await page.getByLabel('Year').fill('2026');
    await page.getByLabel('Summary (optional)').fill('Understands more than is said; needs visual support.');
    const rows = [
      ['One instruction at a time, with a picture', 'strategy', 'communication_and_interaction'],
      ['Follow a two-step instruction in class 4 times out of 5', 'target', 'communication_and_interaction'],
      ['A hearing test before the next review', 'further_assessment', ''],
    ];
    for (const [i, [text, kind, area]] of rows.entries()) {
      await page.locator(`#rec-${i + 1}-text`).fill(text!);
      await page.locator(`#rec-${i + 1}-kind`).selectOption(kind!);
      if (area) await page.locator(`#rec-${i + 1}-area`).selectOption(area);
    }
    await page.getByLabel('The report’s file').setInputFiles({
      name: 'salt-report.pdf',
      mimeType: 'application/pdf',
      buffer: await reportPdf(),
    });
    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.waitForURL((url) => url.pathname === `/shared/referrals/${referralId}`);
    await check();
    await visible(page.getByText('Your report is sent to the school.'));
    await visible(page.getByRole('link', { name: 'Speech and language assessment' }));
    await signOut(page, check);
    await context.close();
  });

  it('the SENCo opens the report: three recommendations, and its file', async () => {
    const [report] = await world.database.db
      .select({ id: agencyReport.id })
      .from(agencyReport)
      .where(eq(agencyReport.referralId, referralId));
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/reports/${report!.id}`);
    await check();
    await visible(page.getByRole('heading', { name: 'Speech and language assessment' }));
    const items = page.locator('ol.govuk-list--number > li');
    expect(await items.count()).toBe(3);
    await visible(page.getByText('Further assessment'));
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download the report' }).click();
    expect((await download).suggestedFilename()).toBe('salt-report.pdf');
    await signOut(page, check);
    await context.close();
  });
});
