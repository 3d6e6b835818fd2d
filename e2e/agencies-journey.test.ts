import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  agency,
  outboundMail,
  parentCarer,
  planTarget,
  pupil,
  pupilShare,
  recommendation,
  recommendationUse,
  referral,
  schoolClass,
  supportPlan,
} from '../src/db/schema/index.ts';
import { reportPdf } from '../test/report-files.ts';
import { latestSignInCode } from '../test/sign-in-code.ts';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * The whole loop with an outside agency, in a real browser on the demo school, axe-core on every page:
 * the SENCo refers a pupil of the class teacher's class to speech and language therapy with the
 * mother's consent and invites the therapist; the therapist signs in (a code by email), sees only what
 * was shared and sends her report with three recommendations; the class teacher puts two of them into
 * the plan; then the mother withdraws consent (the office records it) and the therapist's access ends.
 */
const world = useBrowserWorld({ demoSeed: 21 });
const THERAPIST = 'sam.okoro@salt.example';
const PASSWORD = 'harbour lantern meadow quill';
let target: { id: string; forename: string; surname: string; motherId: string; mother: string };
let saltId: string;
let referralId: string;

beforeAll(async () => {
  const db = world.database.db;
  const className = world.account('class teacher').role.replace('class teacher of ', '');
  const referred = new Set((await db.select({ id: referral.pupilId }).from(referral)).map((r) => r.id));
  const rows = await db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      motherId: parentCarer.id,
      mother: parentCarer.name,
    })
    .from(pupil)
    .innerJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .innerJoin(parentCarer, and(eq(parentCarer.schoolId, pupil.schoolId), eq(parentCarer.pupilId, pupil.id)))
    .innerJoin(supportPlan, and(eq(supportPlan.schoolId, pupil.schoolId), eq(supportPlan.pupilId, pupil.id)))
    .where(
      and(
        eq(schoolClass.name, className),
        eq(pupil.senStage, 'sen_support'),
        isNull(pupil.leftOn),
        eq(parentCarer.relationship, 'Mother'),
        eq(parentCarer.parentalResponsibility, true),
        inArray(supportPlan.status, ['draft', 'active']),
        // Room in the plan for the recommendation taken as a target (a full plan takes no more).
        sql`(select count(*) from ${planTarget} t where t.school_id = ${supportPlan.schoolId} and t.plan_id = ${supportPlan.id}) < 4`,
      ),
    )
    .orderBy(pupil.surname, pupil.id);
  const found = rows.find((r) => !referred.has(r.id));
  if (!found) throw new Error(`No pupil at SEN support in ${className} with a mother on record and a plan`);
  target = found;
  const [salt] = await db
    .select()
    .from(agency)
    .where(eq(agency.name, 'Northshire Speech and Language Therapy'));
  saltId = salt!.id;
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

describe('a referral to speech and language therapy, from consent to advice in the plan', {
  timeout: 180_000,
}, () => {
  it('the SENCo refers the pupil with the mother’s consent, sends it and invites the therapist', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/pupils/${target.id}`);
    await check();
    await page.getByRole('link', { name: 'Start a referral' }).click();
    await check();
    await page.getByLabel('The service').selectOption(saltId);
    await page
      .getByLabel('The question the school asks')
      .fill('Why does this pupil find it hard to follow spoken instructions in class?');
    await page.getByRole('button', { name: 'Save the referral as a draft' }).click();
    await check();
    referralId = /\/referrals\/([0-9a-f-]{36})/.exec(page.url())![1]!;

    // Not sent before consent: the page says why.
    await visible(page.getByText(/Before it can be sent: Record consent to the referral before you send it/));
    await page.getByRole('button', { name: 'Record consent' }).click();
    await check();
    await page.getByLabel('The parent or carer').selectOption(target.motherId);
    await page.getByRole('radio', { name: 'In person' }).check();
    await page.getByRole('button', { name: 'Record consent' }).click();
    await check();
    await visible(page.getByText(`Consent given by ${target.mother}`));

    await page.getByRole('button', { name: 'Record the next step' }).click();
    await check();
    await page.getByRole('radio', { name: 'Sent', exact: true }).check();
    await page.getByRole('button', { name: 'Record the step' }).click();
    await check();
    await visible(page.getByText(/Recorded: sent on/));

    await page.getByRole('link', { name: 'Invite the service’s professional' }).click();
    await check();
    await page.getByRole('radio', { name: 'Someone else' }).check();
    await page.getByLabel('Their name').fill('Sam Okoro');
    await page.getByLabel('Their work email address').fill(THERAPIST);
    await page.getByRole('button', { name: 'Invite and share' }).click();
    await page.waitForURL((url) => url.pathname === `/referrals/${referralId}`);
    await check();
    await visible(page.getByText(/Sam Okoro \(sam\.okoro@salt\.example\)/));
    const mail = await mailTo(THERAPIST, 'account.set_up');
    expect(mail?.body).not.toContain(target.surname);
    expect(mail?.body).not.toContain(target.forename);
    await signOut(page, check);
    await context.close();
  });

  it('the therapist signs in with a code by email, sees only what was shared, and sends her report', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    const mail = await mailTo(THERAPIST, 'account.set_up');
    await page.goto(/(\/sign-in\/set-password\?token=[A-Za-z0-9_-]+)/.exec(mail!.body)![1]!);
    await check();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Type the password again').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set my password' }).click();
    await page.waitForURL(/\/sign-in$/);
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

    await page.getByRole('link', { name: 'Shared with you' }).first().click();
    await check();
    const names = await page.locator('h2.govuk-heading-m').allTextContents();
    expect(names.map((n) => n.trim())).toEqual([`${target.forename} ${target.surname}`]);
    await page.getByRole('link', { name: /Open the referral/ }).click();
    await check();
    // The sections the SENCo chose (register, plans, provision), never the medical record.
    await visible(page.getByRole('heading', { name: 'SEN register' }));
    await visible(page.getByRole('heading', { name: 'Support plan' }));
    expect(await page.getByRole('heading', { name: 'Medical' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Send your report' }).click();
    await check();
    await page.getByLabel('Title').fill('Speech and language assessment');
    await page.getByLabel('Day').fill('3');
    await page.getByLabel('Month').fill('12');
    await page.getByLabel('Year').fill('2026');
    const rows = [
      ['Follow a two-step instruction in class 4 times out of 5', 'target', 'communication_and_interaction'],
      ['Give one instruction at a time, with a picture', 'strategy', 'communication_and_interaction'],
      ['A language group, three times a week for 20 minutes', 'provision', 'communication_and_interaction'],
    ];
    for (const [i, [text, kind, area]] of rows.entries()) {
      await page.locator(`#rec-${i + 1}-text`).fill(text!);
      await page.locator(`#rec-${i + 1}-kind`).selectOption(kind!);
      await page.locator(`#rec-${i + 1}-area`).selectOption(area!);
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
    await signOut(page, check);
    await context.close();
  });

  it('the class teacher puts two recommendations into the plan, each with its source; the third waits', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('class teacher').email, world.password);
    await page.goto(`/pupils/${target.id}`);
    await check();
    await page.getByRole('link', { name: 'Follow a two-step instruction in class 4 times out of 5' }).click();
    await page.waitForURL(/\/recommendations\/[^/]+\/use$/);
    await check();
    await page.getByLabel('Achievement criteria').fill('4 out of 5 times, over two weeks');
    await page.getByRole('button', { name: 'Add as a target' }).click();
    await page.waitForURL(/\/plans\/[^/]+#target-/);
    await check();
    await visible(page.getByText('Added to the plan as a target, with where it came from.'));

    await page.goto(`/pupils/${target.id}`);
    await page.getByRole('link', { name: 'Give one instruction at a time, with a picture' }).click();
    await page.waitForURL(/\/recommendations\/[^/]+\/use$/);
    await check();
    await page.getByRole('button', { name: 'Add as a strategy' }).click();
    await page.waitForURL(/\/plans\//);
    await check();
    await visible(
      page.getByText(/Recommended by Northshire Speech and Language Therapy|Recommended by the/).first(),
    );
    const advice = page.locator('#advice ~ ul').first();
    await visible(advice.getByRole('link', { name: /Use in the plan\W+A language group/ }));
    await context.close();

    const uses = await world.database.db
      .select({ usedAs: recommendationUse.usedAs, text: recommendation.text })
      .from(recommendationUse)
      .innerJoin(recommendation, eq(recommendation.id, recommendationUse.recommendationId))
      .where(eq(recommendationUse.pupilId, target.id));
    expect(uses.map((u) => u.usedAs).sort()).toEqual(['strategy', 'target']);
  });

  it('the office records the mother withdrawing consent: the referral stops and the therapist is refused', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('office').email, world.password);
    await page.goto(`/referrals/${referralId}`);
    await check();
    await page.getByRole('link', { name: `Record that ${target.mother} withdrew consent` }).click();
    await check();
    await page.getByRole('button', { name: 'Stop the referral and end sharing' }).click();
    await page.waitForURL((url) => url.pathname === `/referrals/${referralId}`);
    await check();
    await visible(page.getByText(/consent withdrawn/i).first());
    await signOut(page, check);
    await context.close();

    const [row] = await world.database.db.select().from(referral).where(eq(referral.id, referralId));
    expect(row!.status).toBe('stopped');
    const shares = await world.database.db
      .select()
      .from(pupilShare)
      .where(eq(pupilShare.referralId, referralId));
    expect(shares.every((s) => s.endedAt !== null)).toBe(true);

    // The therapist, on a new device: a code again, then nothing shared, and the referral not found.
    const therapist = await checkedPage(world.browser, world.server.baseUrl);
    await therapist.page.goto('/sign-in');
    await therapist.page.getByLabel('Email address').fill(THERAPIST);
    await therapist.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await therapist.page.getByRole('button', { name: 'Sign in' }).click();
    await therapist.page.waitForURL(/\/sign-in\/code$/);
    await therapist.page
      .getByLabel('Code from the email')
      .fill(await latestSignInCode(world.database, THERAPIST));
    await therapist.page.getByRole('button', { name: 'Continue' }).click();
    await therapist.page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await therapist.page.goto('/shared');
    await therapist.check();
    expect(await therapist.page.getByText(`${target.forename} ${target.surname}`).count()).toBe(0);
    const refused = await therapist.page.goto(`/shared/referrals/${referralId}`);
    expect(refused?.status()).toBe(404);
    await therapist.context.close();
  });
});
