import { describe, expect, it } from 'vitest';
import { checkedPage, signIn, signOut, useBrowserWorld, visible } from './browser.ts';

const world = useBrowserWorld({ demoSeed: 2026 });

describe('a person with more than one role', () => {
  it('the SENCo who also teaches Year 4 sees both on one home page, and switches to the local authority without signing out', async () => {
    const { page, context, check } = await checkedPage(world.browser, world.server.baseUrl);
    const senco = world.account('SENCo');
    expect(senco.role).toMatch(/SENCo, and class teacher of Year 4/);
    await signIn(page, check, senco.email, world.password);
    // The SENCo's part of the home page…
    await visible(page.getByRole('heading', { name: 'To do' }));
    await visible(page.getByRole('link', { name: /open concerns? to review/ }));
    // …and the class teacher's part.
    await visible(page.getByRole('heading', { name: 'Your class' }));
    await page.getByRole('link', { name: /^Year 4/ }).click();
    await check();
    expect(new URL(page.url()).searchParams.get('classId')).toBeTruthy();
    // The SENCo's settings say where the backups stand: on the embedded database none yet on a new
    // install and no key set; on PostgreSQL, that its own tools make them.
    await page.getByRole('link', { name: 'Settings' }).click();
    await check();
    await visible(
      page.getByText(
        process.env.DATABASE_URL ? 'This OpenSEND keeps its data in PostgreSQL' : 'Backups are not encrypted',
      ),
    );
    // The outbox: no mail server on a laptop, so a test email waits there, whole, to print or copy.
    await page.getByRole('link', { name: 'Email sent by OpenSEND' }).click();
    await check();
    await page.getByRole('button', { name: 'Send a test email' }).click();
    await page.waitForURL(/\/settings\/outbox$/);
    await check();
    await visible(page.getByText('A test email is on its way to your address.'));
    // The test email (the demo's outbox also holds the family mail it sent).
    await page
      .getByText(/The email’s text to senco@/)
      .first()
      .click();
    await visible(page.getByText(/OpenSEND's email settings work/));
    await check();
    await page.getByRole('link', { name: 'Home' }).click();
    await check();
    // The account bar names both roles and offers the switch.
    await visible(page.getByText('(SENCo and class teacher)'));
    await page.getByRole('link', { name: /Switch/ }).click();
    await check();
    await page.getByLabel('Northshire Council (demo)').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/organisation/);
    await check();
    await visible(page.getByRole('heading', { name: /SEN across schools/ }));
    expect(await page.getByRole('link', { name: 'Pupils' }).count()).toBe(0);
    // And back to the school.
    await page.getByRole('link', { name: /Switch/ }).click();
    await check();
    await page.getByLabel(/Brookfield/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await check();
    await visible(page.getByRole('heading', { name: 'Your class' }));
    await signOut(page, check);
    await context.close();
  });
});
