import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  agencyReport,
  ehcRequest,
  organisationCase,
  parentCarer,
  planReview,
  pupil,
  pupilAction,
} from '../src/db/schema/index.ts';
import { addDays, formatDate, todayInEngland } from '../src/domain/dates.ts';
import type { EvidencePack } from '../src/domain/ehc-pack.ts';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

/**
 * A request for an EHC needs assessment in a real browser, on the demo school (whose local authority
 * uses the same installation): the SENCo builds it (from a review's decision, when the demo has one) for a
 * pupil with two years of history, leaves a document out of the pack (an outside agency's report, else a review), records the mother's consent, and
 * sends it into the authority's caseload; the request then shows where it stands there, and the pupil's
 * page says so. axe-core runs on every page.
 */
const world = useBrowserWorld({ demoSeed: 15 });
let target: {
  id: string;
  forename: string;
  surname: string;
  parentId: string;
  /** An outside agency's report on them, if the demo has one (left out); else a review is left out. */
  reportId: string | null;
  /** A review decided to request an assessment (the request starts from its decision). */
  asked: boolean;
};

beforeAll(async () => {
  const db = world.database.db;
  // Pupils with two or more reviewed plans, a report from an outside agency and a parent with parental
  // responsibility: first those whose last review decided to request an assessment.
  const reviews = await db.select({ pupilId: planReview.pupilId }).from(planReview);
  const reviewCount = new Map<string, number>();
  for (const r of reviews) reviewCount.set(r.pupilId, (reviewCount.get(r.pupilId) ?? 0) + 1);
  const ids = [...reviewCount].filter(([, n]) => n >= 2).map(([id]) => id);
  const asked = new Set(
    (
      await db
        .select({ pupilId: pupilAction.pupilId })
        .from(pupilAction)
        .where(and(eq(pupilAction.kind, 'ehc_request'), eq(pupilAction.status, 'open')))
    ).map((a) => a.pupilId),
  );
  const reports = await db
    .select({ pupilId: agencyReport.pupilId, id: agencyReport.id, title: agencyReport.title })
    .from(agencyReport)
    .where(inArray(agencyReport.pupilId, ids));
  const parents = await db
    .select({ pupilId: parentCarer.pupilId, id: parentCarer.id })
    .from(parentCarer)
    .where(
      and(
        inArray(parentCarer.pupilId, ids),
        eq(parentCarer.parentalResponsibility, true),
        eq(parentCarer.courtOrder, false),
      ),
    );
  const pupils = await db
    .select({ id: pupil.id, forename: pupil.forename, surname: pupil.surname })
    .from(pupil)
    .where(and(inArray(pupil.id, ids), isNull(pupil.leftOn)));
  const found = pupils
    .map((p) => ({
      ...p,
      asked: asked.has(p.id),
      report: reports.find((r) => r.pupilId === p.id),
      parent: parents.find((m) => m.pupilId === p.id),
    }))
    .filter((p) => p.parent)
    // Those asked for first; then those with an agency's report to leave out.
    .sort(
      (a, b) => Number(b.asked) - Number(a.asked) || Number(Boolean(b.report)) - Number(Boolean(a.report)),
    )[0];
  if (!found) throw new Error('No demo pupil with two reviewed plans and a parent');
  target = {
    id: found.id,
    forename: found.forename,
    surname: found.surname,
    parentId: found.parent!.id,
    reportId: found.report?.id ?? null,
    asked: found.asked,
  };
});

describe('the SENCo’s request for an EHC needs assessment', { timeout: 120_000 }, () => {
  it('is built for a pupil with two years of history, a document left out, consented to and sent into the caseload', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/pupils/${target.id}`);
    await check();
    await visible(page.getByRole('heading', { name: 'EHC needs assessment' }));
    if (target.asked) {
      await page.getByRole('link', { name: 'Build the request' }).first().click();
      await check();
      await visible(page.getByText('Started from a review’s decision to request an EHC needs assessment'));
    } else {
      await page.getByRole('link', { name: 'Request an EHC needs assessment' }).click();
      await check();
    }
    await page.getByRole('radio', { name: 'The school' }).check();
    await page.getByRole('button', { name: 'Start the request' }).click();
    await check();
    await visible(page.getByText('Request started'));
    await visible(page.getByRole('heading', { name: '4. Evidence of intervention over time' }).first());
    await visible(page.getByText('Record the consent of a parent with parental responsibility'));

    // Leave the agency's report out, with a covering statement.
    await page
      .getByLabel('Covering statement')
      .fill('Two years of SEN support with little progress: we ask the local authority to assess.');
    const leave = page.locator(
      target.reportId
        ? `input[name="leftOut"][value="report:${target.reportId}"]`
        : 'input[name="leftOut"][value^="review:"]',
    );
    const leftOutKey = (await leave.first().getAttribute('value'))!;
    await leave.first().check();
    await page.getByRole('button', { name: 'Save the request' }).click();
    await check();
    await visible(page.getByText('Request saved.'));
    await visible(page.getByText('1 item is left out'));

    await page.getByRole('button', { name: 'Record consent' }).click();
    await check();
    await page.getByLabel('Who gave consent').selectOption(target.parentId);
    await page.getByRole('radio', { name: 'A signed form' }).check();
    await page.getByRole('button', { name: 'Record consent' }).click();
    await check();
    await visible(page.getByText('Consent to the assessment recorded.'));

    await page.getByRole('button', { name: 'Send to the local authority' }).click();
    await check();
    await page.getByRole('button', { name: /^Send to / }).click();
    await check();
    await visible(page.getByText(/Sent to .*: the request is in their caseload/));
    await visible(page.getByText(/At the local authority: request received/).first());
    await visible(page.getByRole('heading', { name: 'The pack as sent' }));

    const [row] = await world.database.db.select().from(ehcRequest).where(eq(ehcRequest.pupilId, target.id));
    expect(row).toMatchObject({ status: 'sent', sentHow: 'local_authority' });
    const sent = row!.sentPack as EvidencePack;
    expect(row!.leftOut).toEqual([leftOutKey]);
    expect(JSON.stringify(sent)).not.toContain(`"key":"${leftOutKey}"`);
    expect(sent.moreInformation.leftOutCount).toBe(1);
    expect(sent.intervention.plans.length).toBeGreaterThanOrEqual(2);
    const [received] = await world.database.db
      .select()
      .from(organisationCase)
      .where(eq(organisationCase.id, row!.caseId!));
    expect(received).toMatchObject({ stage: 'received', kind: 'ehc_needs_assessment', pupilId: target.id });
    // The review's decision, if it started the request, is done.
    const open = await world.database.db
      .select()
      .from(pupilAction)
      .where(
        and(
          eq(pupilAction.pupilId, target.id),
          eq(pupilAction.kind, 'ehc_request'),
          eq(pupilAction.status, 'open'),
        ),
      );
    if (target.asked) expect(open).toEqual([]);

    await page.goto(`/pupils/${target.id}`);
    await check();
    await visible(page.getByText(/At the local authority: request received/).first());
    await page.getByRole('link', { name: 'EHC requests' }).first().click();
    await check();
    await visible(page.getByRole('link', { name: `${target.forename} ${target.surname}` }).first());
    await signOut(page, check);
    await context.close();
  });

  it('is received by the caseworker, who decides to assess and asks the school for advice; the SENCo sees it move', async () => {
    // The request the first journey sent (the demo may hold an older one for the same child).
    const [sent] = await world.database.db
      .select()
      .from(ehcRequest)
      .where(and(eq(ehcRequest.pupilId, target.id), eq(ehcRequest.status, 'sent')))
      .orderBy(desc(ehcRequest.sentAt))
      .limit(1);
    expect(sent?.caseId).toBeTruthy();
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('local authority officer').email, world.password);
    await page.getByRole('link', { name: 'Caseload', exact: true }).click();
    await check();
    await page.locator(`a[href="/organisation/cases/${sent!.caseId}"]`).click();
    await page.waitForURL(new RegExp(`/organisation/cases/${sent!.caseId}$`));
    await check();
    // Received today: the decision whether to assess is due in six weeks, the final plan in twenty.
    const today = todayInEngland();
    const twentyWeeks = formatDate(addDays(today, 140));
    await visible(page.getByText(`The final EHC plan is due by ${twentyWeeks}`));
    const [y, m, d] = today.split('-').map(Number) as [number, number, number];
    const fill = async (group: string | RegExp) => {
      const g = page.getByRole('group', { name: group });
      await g.getByLabel('Day').fill(String(d));
      await g.getByLabel('Month').fill(String(m));
      await g.getByLabel('Year').fill(String(y));
    };
    await page.getByRole('button', { name: 'Record a decision' }).click();
    await check();
    await page.getByRole('radio', { name: 'To carry out an EHC needs assessment', exact: true }).check();
    await fill('Date of the decision');
    await fill(/Date the parents were told/);
    await page
      .getByLabel('The reasons, as told to the parents')
      .fill('Needs beyond what SEN support can meet');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.waitForURL(new RegExp(`/organisation/cases/${sent!.caseId}$`));
    await check();
    await page.getByRole('button', { name: 'Ask for advice' }).click();
    await check();
    await page.getByLabel('Who is asked').selectOption('school');
    await page.getByLabel('The school asked (for advice from a school)').selectOption({ index: 1 });
    await fill('Date the advice was asked for');
    await page.getByRole('button', { name: 'Record the advice' }).click();
    await page.waitForURL(new RegExp(`/organisation/cases/${sent!.caseId}$`));
    await check();
    await visible(page.getByText(`The final EHC plan is due by ${twentyWeeks}`));
    await visible(page.getByText(formatDate(addDays(today, 42))).first());
    await signOut(page, check);

    // The school sees where its request stands without asking.
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto(`/ehc-requests/${sent!.id}`);
    await check();
    await visible(page.getByText(/At the local authority: assessing/i).first());
    await page.goto(`/pupils/${target.id}`);
    await check();
    await visible(page.getByText(/At the local authority: assessing/i).first());
    await signOut(page, check);
    await context.close();
  });

  it('on a phone-sized screen the request page does not scroll sideways', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl, {
      viewport: { width: 375, height: 667 },
    });
    await signIn(page, check, world.account('SENCo').email, world.password);
    await page.goto('/ehc-requests');
    await check();
    await page
      .getByRole('link', { name: `${target.forename} ${target.surname}` })
      .first()
      .click();
    await check();
    await visible(page.getByRole('region', { name: /Interventions the child took part in/ }));
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await signOut(page, check);
    await context.close();
  });
});
