import { describe, expect, it } from 'vitest';
import { buildPupil } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';

const t = useApp();

describe('the organisation’s schools compared', () => {
  it('shows each school’s shares of pupils at each stage as a chart with the table of its numbers', async () => {
    // Oakfield: Amara, Kit (SEN support), Eli (EHC plan) and seven more pupils with no SEN.
    for (let i = 0; i < 7; i++) await buildPupil(t.database.db, { schoolId: t.w.school.id });
    const officer = new Client(t.app);
    await officer.signIn(t.w.officer.email);
    const page = await officer.get('/organisation');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      'role="img" aria-labelledby="chart-schools-stages-title chart-schools-stages-desc"',
    );
    expect(page.body).toContain(
      '<title id="chart-schools-stages-title">Pupils at SEN support and with an EHC plan, as a share of each school’s pupils</title>',
    );
    const table = page.body.slice(page.body.indexOf('data-chart="chart-schools-stages"'));
    expect(table).toMatch(
      /<th scope="row" class="govuk-table__header">Oakfield Primary<\/th><td[^>]*>10%<\/td><td[^>]*>10%<\/td>/,
    );
    expect(page.body).not.toMatch(/Kowalski|Evans/);
    // No school has published a governors' report yet: nothing from one is shown.
    expect(page.body).not.toContain('chart-schools-progress');
  });

  it('compares the figures of each school’s published governors’ report', async () => {
    const { services, w } = t;
    const id = await services.schoolReports.start(w.head.actor, {
      kind: 'governors_annual',
      academicYear: 2025,
    });
    await services.schoolReports.saveTexts(w.head.actor, id, 1, {
      policy_success: 'A good year.',
      next_priorities: 'Reading.',
    });
    await services.schoolReports.publish(w.head.actor, id, 2);
    const officer = new Client(t.app);
    await officer.signIn(w.officer.email);
    const page = await officer.get('/organisation');
    // No school has a share to draw: no picture full of "No data", only the table and the words, once.
    expect(page.body).not.toContain('<title id="chart-schools-progress-title">');
    expect(page.body).toContain('data-chart="chart-schools-progress"');
    const table = page.body.slice(page.body.indexOf('data-chart="chart-schools-progress"'));
    // Oakfield has no assessments against trajectories: no share to show.
    expect(table).toMatch(/Oakfield Primary<\/th><td[^>]*>No data<\/td><td[^>]*>No data<\/td>/);
    expect(page.body).toMatch(
      /<th scope="row" class="govuk-table__header">Oakfield Primary<\/th><td class="govuk-table__cell">2025\/26<\/td>/,
    );
  });
});
