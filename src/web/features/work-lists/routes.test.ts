import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { auditEvent } from '../../../db/schema/index.ts';

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

/** The count shown on a dashboard link to `href`, or null when there is no such link. */
const countAt = (html: string, href: string) => {
  const at = html.indexOf(`href="${href}"`);
  if (at < 0) return null;
  return Number(/<span class="app-count__number">(\d+)<\/span>/.exec(html.slice(at))?.[1]);
};

describe('the provision lists on the dashboard', () => {
  it('counts groups not checked, groups ended without exit measures and pupils over the threshold for the SENCo, linking to the provision page; nobody else sees them', async () => {
    const { services, w } = t;
    const { interventions } = await services.provision.catalogue(w.senco.actor);
    const idOf = (name: string) => interventions.find((i) => i.name === name)!.id;
    const group = {
      name: 'Phonics catch-up: Year 4',
      deliverer: { userId: w.ta.actor.userId },
      delivererKind: 'teaching_assistant' as const,
      startDate: '2026-09-07',
      endDate: null,
      sessionsPerWeek: 5,
      minutesPerSession: 15,
      location: null,
      agency: null,
    };
    const senco = new Client(t.app);
    await senco.signIn(w.senco.email);
    let page = await senco.get('/dashboard');
    expect(page.body).toContain('<h2 class="govuk-heading-m">Provision</h2>');
    expect(countAt(page.body, '/provision#unchecked')).toBe(0);
    expect(countAt(page.body, '/provision#no-exit')).toBe(0);
    expect(countAt(page.body, '/provision#over-threshold')).toBe(0);

    // A group running since September, never checked; one that ended in October with no exit
    // measures; and Eli's daily therapy at an agency's rate, over the threshold.
    await services.provision.startGroup(w.senco.actor, {
      ...group,
      interventionId: idOf('Phonics catch-up group'),
      pupilIds: [w.pupilK.id],
    });
    await services.provision.startGroup(w.senco.actor, {
      ...group,
      name: 'Reading: autumn',
      endDate: '2026-10-16',
      interventionId: idOf('One-to-one reading'),
      pupilIds: [w.pupilK.id],
    });
    await services.provision.startGroup(w.senco.actor, {
      ...group,
      name: 'SALT: Eli',
      interventionId: idOf('Speech and language therapy'),
      deliverer: { name: 'Northshire Speech and Language Service' },
      delivererKind: 'external',
      minutesPerSession: 45,
      agency: 'Northshire Speech and Language Service',
      startDate: '2026-09-01',
      pupilIds: [w.pupilE.id],
    });
    page = await senco.get('/dashboard');
    expect(page.body).toContain('Groups with no half-termly check for the last half-term');
    expect(countAt(page.body, '/provision#unchecked')).toBeGreaterThanOrEqual(1);
    expect(countAt(page.body, '/provision#no-exit')).toBe(1);
    expect(page.body).toContain(
      'Pupils over the high-needs threshold with no top-up funding agreed or asked for: consider a high-needs top-up application',
    );
    expect(countAt(page.body, '/provision#over-threshold')).toBe(1);
    // Each link lands where the SENCo acts on it.
    const provision = await senco.get('/provision');
    expect(provision.body).toContain('id="unchecked"');
    expect(provision.body).toContain('id="no-exit"');
    expect(provision.body).toContain('id="over-threshold"');
    // Counts name nobody: the dashboard records no viewing of pupils' provision.
    const viewed = await t.database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'provision.viewed')));
    expect(
      viewed.filter((v) => (v.detail as { page?: string }).page === 'home: over the threshold'),
    ).toHaveLength(
      1, // the provision page just opened, not the dashboard
    );
    // An opened list is that list only.
    expect((await senco.get('/dashboard?list=no_plan')).body).not.toContain('/provision#over-threshold');

    // The office has a dashboard but does not manage provision; Tia delivers groups but has none.
    const office = new Client(t.app);
    await office.signIn(w.office.email);
    const officePage = await office.get('/dashboard');
    expect(officePage.statusCode).toBe(200);
    expect(officePage.body).not.toContain('/provision#');
    expect(officePage.body).not.toContain('high-needs threshold');
    const tia = new Client(t.app);
    await tia.signIn(w.ta.email);
    expect((await tia.get('/dashboard')).body).not.toContain('/provision#');
    expect((await tia.get('/my-pupils')).body).not.toContain('/provision#');
  });
});
