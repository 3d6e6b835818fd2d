import { describe, expect, it } from 'vitest';
import { reportModel } from '../presenters/school-reports.ts';
import type { ReportFigures } from '../services/school-reports/index.ts';
import { reportHtmlDocument, reportHtmlFragment } from './school-report-html.ts';

const figures: ReportFigures = {
  academicYear: 2026,
  yearLabel: '2026/27',
  countedOn: '2026-10-01',
  threshold: 3,
  stagesOverYears: [
    { yearLabel: '2024/25', countedOn: '2024-10-01', onRoll: 200, senSupport: 30, ehcPlan: 4 },
    { yearLabel: '2025/26', countedOn: '2025-10-01', onRoll: 205, senSupport: 34, ehcPlan: 5 },
    { yearLabel: '2026/27', countedOn: '2026-10-01', onRoll: 210, senSupport: 38, ehcPlan: 6 },
  ],
  needs: [
    {
      code: 'SLCN',
      label: 'Speech, language and communication needs',
      senSupport: 12,
      ehcPlan: 'suppressed',
    },
    { code: 'ASD', label: 'Autistic spectrum disorder', senSupport: 9, ehcPlan: 4 },
    { code: 'HI', label: 'Hearing impairment', senSupport: 'suppressed', ehcPlan: 0 },
  ],
  areas: [],
  progress: [
    { subject: 'Reading', sen: { assessed: 30, onOrAbove: 18 }, peers: { assessed: 160, onOrAbove: 136 } },
    {
      subject: 'Maths',
      sen: { assessed: 30, onOrAbove: 'suppressed' },
      peers: { assessed: 160, onOrAbove: 128 },
    },
  ],
  provision: {
    pupils: 40,
    costPence: null,
    areas: [
      { label: 'Communication and interaction', pupils: 14, costPence: 1_250_000 },
      { label: 'Sensory and/or physical', pupils: 'suppressed', costPence: null },
    ],
    interventions: [
      { name: 'Reading catch-up', measured: 10, improved: 8 },
      { name: 'Lego therapy', measured: 4, improved: 'suppressed' },
    ],
    measured: 14,
    improved: 'suppressed',
  },
  ehc: { requests: 'suppressed', plansHeld: 6 },
  training: { sessions: 0, people: 0, hours: 0, byArea: [], senco: null },
  complaints: { total: 0, concerns: 0, formal: 0, byStage: [], byOutcome: [] },
  agencies: [],
};

const model = (kind: 'governors_annual' | 'sen_information', texts: Record<string, string>) =>
  reportModel({
    kind,
    kindLabel: kind === 'sen_information' ? 'SEN information report' : 'Governors’ annual SEN report',
    schoolName: 'Oakfield Primary',
    yearLabel: '2026/27',
    publishedAt: null,
    texts,
    figures,
  });

describe('a school’s SEN report as a page for its website', () => {
  it('starts at a second-level heading, with a visible title above each chart; the whole page has one h1', () => {
    const fragment = reportHtmlFragment(model('governors_annual', {}));
    expect(fragment).not.toMatch(/<h1/);
    expect(fragment.match(/<h[1-6]/)?.[0]).toBe('<h2');
    expect(fragment).toContain(
      '<figcaption><strong>Pupils on or above their expected trajectory, 2026/27</strong></figcaption>',
    );
    expect(reportHtmlDocument(model('governors_annual', {})).match(/<h1/g)).toHaveLength(1);
  });

  it('gives every id the report’s own prefix, so both reports pasted on one page never clash', () => {
    const both = [
      reportHtmlFragment(model('governors_annual', {})),
      reportHtmlFragment(model('sen_information', {})),
    ].join('\n');
    const ids = [...both.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(4);
    expect(new Set(ids).size).toBe(ids.length);
    // Every reference points at an id of the page.
    const refs = [...both.matchAll(/aria-labelledby="([^"]+)"|url\(#([^)]+)\)/g)].flatMap((m) =>
      (m[1] ?? m[2] ?? '').split(' '),
    );
    for (const r of refs) expect(ids).toContain(r);
  });

  it('links a web address in the school’s words, http or https only, escaped', () => {
    const fragment = reportHtmlFragment(
      model('sen_information', {
        local_offer: 'See https://example.org/local-offer?a=1&b=2. Not javascript:alert(1) nor <b>this</b>.',
      }),
    );
    expect(fragment).toContain(
      '<a href="https://example.org/local-offer?a=1&amp;b=2">https://example.org/local-offer?a=1&amp;b=2</a>.',
    );
    expect(fragment).not.toContain('href="javascript');
    expect(fragment).toContain('&lt;b&gt;this&lt;/b&gt;');
  });
});
