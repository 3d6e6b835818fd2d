import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';

const t = useApp();

describe('the dashboard and my pupils', () => {
  it('shows the SENCo each count linking to its list, and the list of pupils behind it', async () => {
    const senco = new Client(t.app);
    await senco.signIn(t.w.senco.email);
    const home = await senco.get('/');
    expect(home.body).toContain('href="/dashboard"');
    expect(home.body).not.toContain('href="/my-pupils"');
    const page = await senco.get('/dashboard');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Plan reviews overdue');
    expect(page.body).toContain('href="/dashboard?list=no_plan"');
    const list = await senco.get('/dashboard?list=no_plan');
    expect(list.body).toContain(
      '<h1 class="govuk-heading-l">Pupils on the SEN register without a plan in place</h1>',
    );
    expect(list.body).toContain('Kowalski, Kit');
    expect(list.body).toContain('Evans, Eli');
    // An unknown list is the counts page, not an error.
    expect((await senco.get('/dashboard?list=%3Cscript%3E')).statusCode).toBe(200);
  });

  it('shows a class teacher their own pupils only, and the office only the slips', async () => {
    const teacher = new Client(t.app);
    await teacher.signIn(t.w.teacherA.email);
    expect((await teacher.get('/')).body).toContain('href="/my-pupils"');
    const mine = await teacher.get('/my-pupils?list=no_plan');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Kowalski, Kit');
    expect(mine.body).not.toContain('Evans, Eli');
    expect((await teacher.get('/dashboard')).statusCode).toBe(403);

    const office = new Client(t.app);
    await office.signIn(t.w.office.email);
    const dashboard = await office.get('/dashboard');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('Signed slips not back three weeks after the letter');
    expect(dashboard.body).not.toContain('Plan reviews overdue');
  });
});
