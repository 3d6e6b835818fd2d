import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseDecision, organisation, organisationCase, pupil, school } from '../src/db/schema/index.ts';
import { addDays, formatDate, todayInEngland } from '../src/domain/dates.ts';
import { examplePack } from '../test/builders/ehc-example.ts';
import { buildReceivedCase } from '../test/builders/index.ts';
import { checkedPage, signIn, useBrowserWorld, visible } from './browser.ts';

/**
 * The local authority's caseworker writes an EHC plan in a real browser on the demo, axe-core on every
 * page: from a case decided (to assess, then to issue a plan) she starts the draft, writes an item of
 * provision in F that is not quantified ("access to", no frequency, no duration) and the plan-quality
 * check flags it; she follows the finding's link and fixes it, writes the outcome in E linked to the
 * need and the provision, sends the draft to the parents, names the school in I, and issues the final
 * plan. Then the versions page.
 */
const world = useBrowserWorld({ demoSeed: 29 });
let childName: string;
let schoolName: string;
let schoolId: string;
let caseId: string;
const today = todayInEngland();

beforeAll(async () => {
  const db = world.database.db;
  const [la] = await db.select().from(organisation).where(eq(organisation.kind, 'local_authority'));
  const [row] = await db
    .select({ pupil, schoolName: school.name })
    .from(pupil)
    .innerJoin(school, eq(school.id, pupil.schoolId))
    .where(and(eq(pupil.senStage, 'sen_support'), isNull(pupil.leftOn)))
    .orderBy(pupil.surname, pupil.id)
    .limit(1);
  childName = `${row!.pupil.forename} ${row!.pupil.surname}`;
  schoolName = row!.schoolName;
  schoolId = row!.pupil.schoolId;
  const pack = examplePack();
  ({ caseId } = await buildReceivedCase(db, row!.pupil, la!.id, {
    receivedOn: addDays(today, -100),
    received: {
      ...pack,
      child: {
        ...pack.child,
        forename: row!.pupil.forename,
        surname: row!.pupil.surname,
        upn: row!.pupil.upn,
        senTypes: [{ senType: 'SLCN', senTypeRank: 1 }],
      },
    },
  }));
  // The authority decided to assess, then to issue a plan.
  for (const [kind, daysAgo] of [
    ['assess', 60],
    ['issue_plan', 30],
  ] as const)
    await db.insert(caseDecision).values({
      organisationId: la!.id,
      id: randomUUID(),
      caseId,
      kind,
      decidedOn: addDays(today, -daysAgo),
      parentsToldOn: addDays(today, -daysAgo),
      reasons: null,
      panelNotes: null,
      decidedBy: null,
      decidedByName: 'A caseworker',
    });
  await db.update(organisationCase).set({ stage: 'drafting' }).where(eq(organisationCase.id, caseId));
});

describe('the caseworker writes an EHC plan', { timeout: 180_000 }, () => {
  it('drafts the plan from the case, fixes what the check flags, sends the draft and issues the final plan', async () => {
    const { page, check } = await checkedPage(world.browser, world.server.baseUrl);
    await signIn(page, check, world.account('local authority officer').email, world.password);
    await page.goto(`/organisation/cases/${caseId}`);
    await check();
    await page.getByRole('button', { name: 'Start the draft plan' }).click();
    await check();
    await page.getByRole('button', { name: 'Start the draft plan' }).click();
    await page.waitForURL(/\/organisation\/plans\/[0-9a-f-]{36}$/);
    await check();
    const planUrl = page.url();
    await visible(page.getByRole('heading', { name: childName }));
    await visible(page.getByRole('heading', { name: 'Section B: special educational needs' }));

    // Section F: an item of provision that is not specified and quantified.
    await page.getByRole('link', { name: 'Write Section F' }).click();
    await check();
    await page.getByLabel('What is provided').fill('Access to speech and language therapy');
    await page.getByLabel('Who provides it').fill('A speech and language therapist');
    await page.getByRole('checkbox', { name: /^B1:/ }).check();
    await page.getByRole('button', { name: 'Save the section' }).click();
    await page.waitForURL((u) => u.pathname === new URL(planUrl).pathname);
    await check();
    await visible(page.getByRole('heading', { name: 'Provision that is not specified and quantified' }));
    await visible(page.getByText('does not say how often, for how long'));
    await visible(page.getByText('(“access to”)'));

    // The finding's link leads to the section: fixed.
    await page.getByRole('link', { name: 'change', exact: true }).first().click();
    await check();
    const item = page.getByRole('group', { name: 'Item 1', exact: true });
    await item.getByLabel('What is provided').fill('A speech and language programme, one to one');
    await item.getByLabel('How often').fill('Three times a week');
    await item.getByLabel('For how long').fill('30 minutes each time, for the school year');
    await page.getByRole('button', { name: 'Save the section' }).click();
    await check();
    await visible(page.getByText('Section saved.'));

    // Section E: the outcome, linked to the need and the provision.
    await page.getByRole('link', { name: 'Write Section E' }).click();
    await check();
    await page
      .getByLabel('The outcome: specific, measurable, achievable, relevant and timed')
      .fill('By July, the child will follow three-part classroom instructions in 8 of 10 lessons');
    await page.getByRole('group', { name: 'The needs it meets' }).getByRole('checkbox').first().check();
    await page
      .getByRole('group', { name: 'The provision that serves it' })
      .getByRole('checkbox')
      .first()
      .check();
    await page.getByRole('button', { name: 'Save the section' }).click();
    await check();
    await visible(page.getByText('No problems found'));

    // Send the draft to the parents, twenty days ago.
    await page.getByRole('button', { name: 'Send to the parents' }).click();
    await check();
    await visible(page.getByText('No problems found'));
    const sentOn = addDays(today, -20);
    const [sy, sm, sd] = sentOn.split('-');
    const sent = page.getByRole('group', { name: 'Date it was sent' });
    await sent.getByLabel('Day').fill(String(Number(sd)));
    await sent.getByLabel('Month').fill(String(Number(sm)));
    await sent.getByLabel('Year').fill(sy!);
    await page.getByRole('button', { name: 'Record as sent to the parents' }).click();
    await check();
    await visible(page.getByText(`Sent to the parents on ${formatDate(sentOn)}`));

    // The parents' comments and the school consulted.
    await page.getByRole('button', { name: 'Record the parents’ comments' }).click();
    await check();
    await page
      .getByLabel('The parents’ comments')
      .fill('We agree with the plan and would like the local school.');
    await page.getByLabel('The school the parents asked to be named').fill(schoolName);
    const [cy, cm, cd] = addDays(today, -5).split('-');
    const commented = page.getByRole('group', { name: 'Date of the comments' });
    await commented.getByLabel('Day').fill(String(Number(cd)));
    await commented.getByLabel('Month').fill(String(Number(cm)));
    await commented.getByLabel('Year').fill(cy!);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await check();
    await visible(page.getByText('The parents’ comments and the school consulted are recorded.'));
    await visible(page.getByText('We agree with the plan and would like the local school.'));

    // Name the school in section I, then issue the final plan today.
    await page.getByRole('link', { name: 'Write Section I' }).click();
    await check();
    await page.getByRole('radio', { name: 'One of the authority’s schools' }).check();
    await page.getByLabel('The school (for one of the authority’s schools)').selectOption(schoolId);
    await page.getByRole('button', { name: 'Save the section' }).click();
    await check();
    await page.getByRole('button', { name: 'Issue the final plan' }).click();
    await check();
    await visible(page.getByText(`Section I names ${schoolName}`));
    const [y, m, d] = today.split('-');
    const issued = page.getByRole('group', { name: 'Date the final plan was issued' });
    await issued.getByLabel('Day').fill(String(Number(d)));
    await issued.getByLabel('Month').fill(String(Number(m)));
    await issued.getByLabel('Year').fill(y!);
    await page.getByRole('button', { name: 'Issue the final plan' }).click();
    await check();
    await visible(page.getByText(`Final plan issued on ${formatDate(today)}`));
    await visible(page.getByText('Final', { exact: true }));

    // An amendment: a new version copied from the final one; then what changed, and the cease page.
    await page.getByRole('button', { name: 'Amend the plan' }).click();
    await check();
    await page.getByRole('radio', { name: 'Amended at another time' }).check();
    await page.getByRole('button', { name: 'Start the amendment' }).click();
    await check();
    await page.getByRole('link', { name: 'Write Section A' }).click();
    await check();
    await page
      .getByLabel('Section A: the views, interests and aspirations of the child and their parents')
      .fill('Now wants to be a pilot.');
    await page.getByRole('button', { name: 'Save the section' }).click();
    await check();
    await page.getByRole('link', { name: 'Versions and what changed' }).click();
    await check();
    await visible(page.getByRole('cell', { name: 'Issued as final' }));
    await page.getByLabel('From').selectOption('1');
    await page.getByLabel('To').selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    await check();
    await visible(page.getByText('Now: Now wants to be a pilot.'));
    await page.goto(new URL('cease', `${planUrl}/`).pathname);
    await check();
    await visible(page.getByRole('heading', { name: 'Cease the plan' }));
    await visible(page.getByText(/right to appeal/));
    // Ceased with the amendment still being written: the amendment is kept as not issued, no review is
    // due, and the authority's reasons are shown.
    await page.getByRole('button', { name: 'Cease the plan' }).click();
    await check();
    await visible(page.getByRole('link', { name: 'Enter the date the plan ceased' }));
    await page
      .getByRole('group', { name: 'Date the plan ceased' })
      .getByLabel('Day')
      .fill(String(Number(today.slice(8))));
    await page
      .getByRole('group', { name: 'Date the plan ceased' })
      .getByLabel('Month')
      .fill(String(Number(today.slice(5, 7))));
    await page
      .getByRole('group', { name: 'Date the plan ceased' })
      .getByLabel('Year')
      .fill(today.slice(0, 4));
    await page.getByRole('radio', { name: 'Transferred to another local authority' }).check();
    await page
      .getByLabel('The reasons, as told to the parents')
      .fill('The family has moved to another authority.');
    await page.getByRole('button', { name: 'Cease the plan' }).click();
    await check();
    await visible(page.getByText('The family has moved to another authority.'));
    await visible(page.getByText(/not issued, as the plan ceased/i).first());
    expect(await page.getByText('Annual review due by').count()).toBe(0);
  });
});
