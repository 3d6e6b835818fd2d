import { describe, expect, it } from 'vitest';
import type { ReportFigures } from '../services/school-reports/index.ts';
import {
  type Chart,
  chartBlock,
  chartSvg,
  chartTable,
  formatChartValue,
  rangeInWords,
  shareOf,
} from './charts.ts';
import {
  areasChart,
  costLabel,
  effectivenessChart,
  needsChart,
  progressChart,
  reportModel,
  smallNumbers,
  spendChart,
  stagesChart,
} from './school-reports.ts';

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
  areasOverYears: [
    {
      yearLabel: '2025/26',
      areas: [
        { label: 'Communication and interaction', pupils: 14 },
        { label: 'Sensory and/or physical', pupils: 'suppressed' },
      ],
    },
    {
      yearLabel: '2026/27',
      areas: [
        { label: 'Communication and interaction', pupils: 17 },
        { label: 'Sensory and/or physical', pupils: 3 },
      ],
    },
  ],
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

const charts: Chart[] = [
  stagesChart(figures),
  areasChart(figures) as Chart,
  needsChart(figures),
  progressChart(figures),
  spendChart(figures),
  effectivenessChart(figures),
];

/** The numbers written on the chart (its text elements), in the chart's order of drawing. */
function numbersInSvg(svg: string, chart: Chart): string[] {
  const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string);
  const values = chart.values.flat().map((v) => formatChartValue(v, chart.unit));
  return values.filter((v) =>
    texts.some((t) => t === v || t.endsWith(`: ${v}`) || (chart.unit === 'pence' && typeof v === 'string')),
  );
}

describe('charts', () => {
  it.each(charts.map((c) => [c.id, c]))(
    '%s is an image with its title and description as its name',
    (_id, chart) => {
      const svg = chartSvg(chart);
      expect(svg).toMatch(/^<svg[^>]* role="img"/);
      expect(svg).toContain(`aria-labelledby="${chart.id}-title ${chart.id}-desc"`);
      expect(svg).toContain(`<title id="${chart.id}-title">${chart.title.replace(/&/g, '&amp;')}</title>`);
      expect(svg).toMatch(new RegExp(`<desc id="${chart.id}-desc">[^<]{20,}</desc>`));
      expect(svg).not.toMatch(/<script|on[a-z]+=/i);
      // Patterns, not colour alone: every series has its own pattern or marker shape and a label.
      for (const s of chart.series) expect(svg).toContain(`>${s.label}</text>`);
    },
  );

  it('holds in the table exactly the numbers of the chart', () => {
    for (const chart of charts) {
      const table = chartTable(chart);
      expect(table.caption).toBe(chart.title);
      expect(table.rows.map((r) => r.heading)).toEqual(chart.categories);
      expect(table.rows.map((r) => r.cells)).toEqual(
        chart.values.map((row) => row.map((v) => formatChartValue(v, chart.unit))),
      );
      expect(numbersInSvg(chartSvg(chart), chart).length).toBe(chart.values.flat().length);
    }
    expect(chartTable(stagesChart(figures)).rows).toEqual([
      { heading: '2024/25', cells: ['30', '4'] },
      { heading: '2025/26', cells: ['34', '5'] },
      { heading: '2026/27', cells: ['38', '6'] },
    ]);
    expect(chartTable(progressChart(figures)).rows[0]).toEqual({ heading: 'Reading', cells: ['60%', '85%'] });
  });

  it('shows a suppressed value as hidden in chart and table, never drawn as its value', () => {
    const hiddenIn = {
      'chart-register-needs': 2,
      'chart-register-areas': 1,
      'chart-progress': 1,
      'chart-provision-spend': 1,
      'chart-intervention-effectiveness': 1,
    } as Record<string, number>;
    for (const chart of charts) {
      const svg = chartSvg(chart);
      const table = chartTable(chart);
      const hidden = hiddenIn[chart.id] ?? 0;
      expect(table.rows.flatMap((r) => r.cells).filter((c) => c === 'Hidden')).toHaveLength(hidden);
      expect((svg.match(/>Hidden<\/text>/g) ?? []).length).toBe(hidden);
      // One bar per shown number only.
      if (chart.kind === 'bars')
        expect((svg.match(/<rect class="bar"/g) ?? []).length).toBe(
          chart.values.flat().filter((v) => typeof v === 'number').length,
        );
    }
    expect(shareOf('suppressed', 10)).toBe('suppressed');
    expect(shareOf(3, 'withheld')).toBe('withheld');
    expect(shareOf(0, 0)).toBeNull();
  });

  it('never names a hidden value highest or lowest, names a tie together, and counts the hidden in the table’s words', () => {
    const chart = (values: Chart['values']): Chart => ({
      id: 'c',
      title: 'T',
      description: '',
      kind: 'bars',
      unit: 'count',
      categoryHeading: 'Need',
      categories: values.map((_v, i) => `N${i}`),
      series: [{ key: 'a', label: 'EHC plan' }],
      values,
    });
    // Every value above 0 hidden: the zeros are not "highest" and "lowest".
    expect(rangeInWords(chart([[0], ['suppressed'], [0], ['suppressed']]), 0)).toBe(
      'EHC plan: all 2 of those shown, 0. 2 values are shown as “Hidden”, so that no child can be identified.',
    );
    expect(rangeInWords(chart([['suppressed'], ['withheld']]), 0)).toBe(
      'EHC plan: no figures to show. 1 value is shown as “Hidden” and 1 value is “Not shown”, so that no child can be identified.',
    );
    // Several at the largest value: a tie, all named.
    expect(rangeInWords(chart([[100], [50], [100], [100]]), 0)).toBe(
      'EHC plan: highest N0, N2 and N3 (100), lowest N1 (50).',
    );
    expect(rangeInWords(chart([[7], ['suppressed'], [9]]), 0)).toBe(
      'EHC plan: highest of those shown N2 (9), lowest of those shown N0 (7). 1 value is shown as “Hidden”, so that no child can be identified.',
    );
  });

  it('draws no picture of a chart with nothing above 0: its table and words say it, once', () => {
    const empty: Chart = {
      ...stagesChart(figures),
      values: [
        [null, 0],
        ['suppressed', null],
        [0, 0],
      ],
    };
    expect(chartBlock(empty).svg).toBe('');
    expect(chartBlock(empty).table.rows).toHaveLength(3);
    expect(chartBlock(stagesChart(figures)).svg).toContain('<svg');
  });

  it('says which numbers are hidden in plain words', () => {
    expect([2, 3, 5].map(smallNumbers)).toEqual(['1', '1 or 2', 'from 1 to 4']);
  });

  it('labels the current year’s cost as the cost so far, to its date, and a finished year’s as the year’s', () => {
    const so = { ...figures, provision: { ...figures.provision, costTo: '2026-11-20' } };
    expect(costLabel(so)).toBe('Cost of provision so far this year, to 20 November 2026');
    expect(spendChart(so).series[0]?.label).toBe('Cost of provision so far this year, to 20 November 2026');
    const done = { ...figures, provision: { ...figures.provision, costTo: '2027-08-31' } };
    expect(costLabel(done)).toBe('Cost of provision in 2026/27');
  });

  it('describes the trend in words a screen reader user can act on', () => {
    expect(stagesChart(figures).description).toBe(
      'SEN support rose from 30 in 2024/25 to 38 in 2026/27. EHC plan rose from 4 in 2024/25 to 6 in 2026/27.',
    );
    expect(progressChart(figures).description).toBe(
      'In Reading 60% of pupils with SEN were on or above their trajectory, 25 points below their peers (85%). Some shares are shown as “Hidden”, so that no child can be identified.',
    );
    expect(spendChart(figures).description).toMatch(
      /1 value is shown as “Hidden”, so that no child can be identified/,
    );
    expect(areasChart(figures)?.description).toBe(
      'Communication and interaction rose from 14 in 2025/26 to 17 in 2026/27. Sensory and/or physical: 3 in 2026/27.',
    );
    expect(areasChart({ ...figures, areasOverYears: undefined })).toBeNull();
  });

  it('puts every chart with its table in the report, and hidden counts in the tables too', () => {
    const model = reportModel({
      kind: 'governors_annual',
      kindLabel: 'Governors’ annual SEN report',
      schoolName: 'Oakfield Primary',
      yearLabel: '2026/27',
      publishedAt: null,
      texts: { policy_success: 'A good year.' },
      figures,
    });
    const ids = model.sections.flatMap((s) => s.charts.map((c) => c.chart.id));
    expect(ids).toEqual([
      'chart-register-stages',
      'chart-register-areas',
      'chart-register-needs',
      'chart-progress',
      'chart-provision-spend',
      'chart-intervention-effectiveness',
    ]);
    for (const s of model.sections) for (const c of s.charts) expect(c.table).toEqual(chartTable(c.chart));
    const impact = model.sections.find((s) => s.key === 'provision_and_impact');
    expect(impact?.tables.find((t) => t.caption.startsWith('Pupils measured'))?.rows[1]?.cells).toEqual([
      '4',
      'Hidden',
    ]);
    expect(impact?.facts).toContainEqual(['Cost of provision in 2026/27', 'Hidden']);
    expect(model.sections.find((s) => s.key === 'next_priorities')).toMatchObject({
      missing: true,
      text: null,
    });
    expect(model.sections.find((s) => s.key === 'register_numbers')).toMatchObject({ missing: false });
  });
});
