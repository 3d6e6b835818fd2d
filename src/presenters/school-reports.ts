import { type FigureSource, itemsOf, type SchoolReportKind } from '../domain/school-reports.ts';
import type { ShownCount } from '../domain/suppression.ts';
import type { ReportFigures } from '../services/school-reports/index.ts';
import {
  type Chart,
  type ChartTable,
  chartBlock,
  formatChartValue,
  rangeInWords,
  shareOf,
  trendInWords,
} from './charts.ts';

/*
 * One model of a school's SEN report for the page, the website HTML and the PDF: each item with the
 * school's words and, where OpenSEND draws it from live data, its charts (each with the table of its
 * numbers) and tables. Figures only: no pupil is named, small numbers are shown as hidden.
 */

export interface ChartBlock {
  chart: Chart;
  svg: string;
  table: ChartTable;
}

export interface ReportSection {
  key: string;
  heading: string;
  /** The school's words, or null when not written yet. */
  text: string | null;
  /** A required item with no words yet. */
  missing: boolean;
  charts: ChartBlock[];
  tables: ChartTable[];
  facts: [string, string][];
}

export interface ReportModel {
  title: string;
  schoolName: string;
  yearLabel: string;
  /** "Figures counted on 20 November 2026", "Published on …". */
  status: string;
  countedOn: string;
  sections: ReportSection[];
  suppression: string;
}

const show = (n: ShownCount) => formatChartValue(n, 'count');

const block = (chart: Chart): ChartBlock => chartBlock(chart);

/** Pupils at SEN support and with an EHC plan over three years (whole-school totals, as counted). */
export function stagesChart(f: ReportFigures): Chart {
  const chart: Chart = {
    id: 'chart-register-stages',
    title: `Pupils on the SEN register, ${f.stagesOverYears[0]?.yearLabel ?? ''} to ${f.yearLabel}`,
    description: '',
    kind: 'lines',
    unit: 'count',
    categoryHeading: 'School year',
    categories: f.stagesOverYears.map((y) => y.yearLabel),
    series: [
      { key: 'senSupport', label: 'SEN support' },
      { key: 'ehcPlan', label: 'EHC plan' },
    ],
    values: f.stagesOverYears.map((y) => [y.senSupport, y.ehcPlan]),
  };
  return { ...chart, description: `${trendInWords(chart, 0)} ${trendInWords(chart, 1)}` };
}

/** Pupils on the register by primary need now, at each stage (small numbers hidden). */
export function needsChart(f: ReportFigures): Chart {
  const chart: Chart = {
    id: 'chart-register-needs',
    title: `Primary need of pupils on the SEN register, ${f.yearLabel}`,
    description: '',
    kind: 'bars',
    unit: 'count',
    categoryHeading: 'Primary need',
    categories: f.needs.map((n) => n.label),
    series: [
      { key: 'senSupport', label: 'SEN support' },
      { key: 'ehcPlan', label: 'EHC plan' },
    ],
    values: f.needs.map((n) => [n.senSupport, n.ehcPlan]),
  };
  const description =
    f.needs.length === 0
      ? 'No pupil on the register has a primary need recorded.'
      : `${rangeInWords(chart, 0)} ${rangeInWords(chart, 1)}`;
  return { ...chart, description };
}

/** Pupils on the register by broad area of need in each of three years (small numbers hidden). */
export function areasChart(f: ReportFigures): Chart | null {
  const years = f.areasOverYears;
  if (!years || years.length === 0) return null;
  const labels = years[0]?.areas.map((a) => a.label) ?? [];
  const chart: Chart = {
    id: 'chart-register-areas',
    title: `Pupils on the SEN register by broad area of need, ${years[0]?.yearLabel ?? ''} to ${f.yearLabel}`,
    description: '',
    kind: 'bars',
    unit: 'count',
    categoryHeading: 'School year',
    categories: years.map((y) => y.yearLabel),
    series: labels.map((label, i) => ({ key: `area${i}`, label })),
    values: years.map((y) => labels.map((label) => y.areas.find((a) => a.label === label)?.pupils ?? null)),
  };
  return { ...chart, description: labels.map((_l, i) => trendInWords(chart, i)).join(' ') };
}

/** The share of pupils on or above their expected trajectory, pupils with SEN beside their peers. */
export function progressChart(f: ReportFigures): Chart {
  const chart: Chart = {
    id: 'chart-progress',
    title: `Pupils on or above their expected trajectory, ${f.yearLabel}`,
    description: '',
    kind: 'bars',
    unit: 'percent',
    categoryHeading: 'Subject',
    categories: f.progress.map((p) => p.subject),
    series: [
      { key: 'sen', label: 'Pupils with SEN' },
      { key: 'peers', label: 'Other pupils' },
    ],
    values: f.progress.map((p) => [
      shareOf(p.sen.onOrAbove, p.sen.assessed),
      shareOf(p.peers.onOrAbove, p.peers.assessed),
    ]),
  };
  const gaps = f.progress.flatMap((p, i) => {
    const [sen, peers] = chart.values[i] ?? [];
    if (typeof sen !== 'number' || typeof peers !== 'number') return [];
    const gap = peers - sen;
    return [
      gap === 0
        ? `In ${p.subject} pupils with SEN matched their peers (${sen}%).`
        : `In ${p.subject} ${sen}% of pupils with SEN were on or above their trajectory, ${Math.abs(gap)} points ${gap > 0 ? 'below' : 'above'} their peers (${peers}%).`,
    ];
  });
  const hidden = chart.values.flat().some((v) => v === 'suppressed' || v === 'withheld');
  const description =
    [...gaps, hidden ? 'Some shares are shown as “Hidden”, so that no child can be identified.' : '']
      .join(' ')
      .trim() || 'No pupil has been assessed against a trajectory this year.';
  return { ...chart, description };
}

/** "1", "1 or 2", "from 1 to 4": the counts the small-number rule hides. */
export function smallNumbers(threshold: number): string {
  const top = Math.max(1, threshold - 1);
  return top === 1 ? '1' : top === 2 ? '1 or 2' : `from 1 to ${top}`;
}

/** "Cost so far this year, to 20 November 2026" for the current year; "Cost in 2025/26" for a finished one. */
export function costLabel(f: ReportFigures): string {
  const to = f.provision.costTo;
  if (to && to < `${f.academicYear + 1}-08-31`)
    return `Cost of provision so far this year, to ${longDate(to)}`;
  return `Cost of provision in ${f.yearLabel}`;
}

/** The year's cost of provision by area of need (an area with few pupils hidden). */
export function spendChart(f: ReportFigures): Chart {
  const chart: Chart = {
    id: 'chart-provision-spend',
    title: `Cost of provision by area of need, ${f.yearLabel}`,
    description: '',
    kind: 'bars',
    unit: 'pence',
    categoryHeading: 'Area of need',
    categories: f.provision.areas.map((a) => a.label),
    series: [{ key: 'cost', label: costLabel(f) }],
    values: f.provision.areas.map((a) => [a.costPence === null ? 'suppressed' : a.costPence]),
  };
  return { ...chart, description: rangeInWords(chart, 0) };
}

/** For each intervention, the share of pupils measured at entry and exit who made progress. */
export function effectivenessChart(f: ReportFigures): Chart {
  const chart: Chart = {
    id: 'chart-intervention-effectiveness',
    title: `Pupils who made progress in each intervention, ${f.yearLabel}`,
    description: '',
    kind: 'bars',
    unit: 'percent',
    categoryHeading: 'Intervention',
    categories: f.provision.interventions.map((i) => i.name),
    series: [{ key: 'improved', label: 'Made progress' }],
    values: f.provision.interventions.map((i) => [shareOf(i.improved, i.measured)]),
  };
  const description =
    f.provision.interventions.length === 0
      ? 'No pupil has been measured at both entry and exit this year.'
      : rangeInWords(chart, 0);
  return { ...chart, description };
}

function blocksOf(
  source: FigureSource,
  f: ReportFigures,
): Pick<ReportSection, 'charts' | 'tables' | 'facts'> {
  const now = f.stagesOverYears.at(-1);
  switch (source) {
    case 'register':
      return {
        charts: [
          block(stagesChart(f)),
          ...[areasChart(f)].flatMap((c) => (c ? [block(c)] : [])),
          block(needsChart(f)),
        ],
        tables: [
          {
            caption: `Pupils on the SEN register by broad area of need, ${f.yearLabel}`,
            head: ['Area of need', 'Pupils'],
            rows: f.areas.map((a) => ({ heading: a.label, cells: [show(a.pupils)] })),
          },
        ],
        facts: now
          ? [
              ['Pupils on roll', String(now.onRoll)],
              ['SEN support', `${now.senSupport} (${pct(now.senSupport, now.onRoll)} of pupils)`],
              ['EHC plan', `${now.ehcPlan} (${pct(now.ehcPlan, now.onRoll)} of pupils)`],
            ]
          : [],
      };
    case 'progress':
      return {
        charts: f.progress.length > 0 ? [block(progressChart(f))] : [],
        tables: [],
        facts:
          f.progress.length === 0
            ? [['Progress against trajectories', 'No assessments recorded this year']]
            : [],
      };
    case 'provision':
      return {
        charts: [block(spendChart(f))],
        tables: [
          {
            caption: `Pupils in interventions by area of need, ${f.yearLabel}`,
            head: ['Area of need', 'Pupils'],
            rows: f.provision.areas.map((a) => ({ heading: a.label, cells: [show(a.pupils)] })),
          },
        ],
        facts: [
          ['Pupils in interventions this year', String(f.provision.pupils)],
          [
            costLabel(f),
            f.provision.costPence === null ? 'Hidden' : formatChartValue(f.provision.costPence, 'pence'),
          ],
        ],
      };
    case 'impact':
      return {
        charts: f.provision.interventions.length > 0 ? [block(effectivenessChart(f))] : [],
        tables:
          f.provision.interventions.length > 0
            ? [
                {
                  caption: `Pupils measured at entry and exit, ${f.yearLabel}`,
                  head: ['Intervention', 'Measured', 'Made progress'],
                  rows: f.provision.interventions.map((i) => ({
                    heading: i.name,
                    cells: [String(i.measured), show(i.improved)],
                  })),
                },
              ]
            : [],
        facts: [
          [
            'Pupils measured at entry and exit who made progress',
            `${show(f.provision.improved)} of ${f.provision.measured}`,
          ],
        ],
      };
    case 'senco':
      return {
        charts: [],
        tables: [],
        facts: f.training.senco
          ? [
              ['SENCO', f.training.senco.name],
              ['In post since', longDate(f.training.senco.appointedOn)],
              [
                'Mandatory qualification',
                f.training.senco.achievedOn
                  ? `${f.training.senco.qualification}, achieved ${longDate(f.training.senco.achievedOn)}`
                  : `${f.training.senco.qualification} (within three years of appointment)`,
              ],
            ]
          : [['SENCO', 'Not recorded in OpenSEND']],
      };
    case 'training':
      return {
        charts: [],
        tables: [
          {
            caption: `Staff training in SEN, ${f.yearLabel}`,
            head: ['Area of need', 'Sessions', 'Hours'],
            rows: f.training.byArea.map((a) => ({
              heading: a.label,
              cells: [String(a.sessions), String(a.hours)],
            })),
          },
        ],
        facts: [
          ['Training sessions recorded', String(f.training.sessions)],
          ['Members of staff trained', String(f.training.people)],
          ['Hours of training', String(f.training.hours)],
        ],
      };
    case 'complaints':
      return {
        charts: [],
        tables: [
          {
            caption: `Formal complaints by the stage they reached, ${f.yearLabel}`,
            head: ['Stage', 'Complaints'],
            rows: f.complaints.byStage.map((s) => ({ heading: s.label, cells: [show(s.n)] })),
          },
          {
            caption: `Concerns and complaints by outcome, ${f.yearLabel}`,
            head: ['Outcome', 'Concerns and complaints'],
            rows: f.complaints.byOutcome.map((s) => ({ heading: s.label, cells: [show(s.n)] })),
          },
        ],
        facts: [
          ['Concerns and complaints received', String(f.complaints.total)],
          ['Concerns resolved informally', show(f.complaints.concerns)],
          ['Formal complaints', show(f.complaints.formal)],
        ],
      };
    case 'agencies':
      return {
        charts: [],
        tables: [
          {
            caption: 'Referrals to outside services, by kind of service',
            head: ['Kind of service', 'Referrals'],
            rows: f.agencies.map((a) => ({ heading: a.label, cells: [show(a.n)] })),
          },
        ],
        facts: f.agencies.length === 0 ? [['Referrals to outside services', 'None recorded']] : [],
      };
    case 'ehc':
      return {
        charts: [],
        tables: [],
        facts: [
          ['Requests for an EHC needs assessment this year', show(f.ehc.requests)],
          ['Pupils with an EHC plan', String(f.ehc.plansHeld)],
        ],
      };
  }
}

function pct(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((1000 * part) / whole) / 10}%`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
function longDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[(m ?? 1) - 1]} ${y}`;
}

export function reportModel(input: {
  kind: SchoolReportKind;
  kindLabel: string;
  schoolName: string;
  yearLabel: string;
  publishedAt: Date | null;
  texts: Readonly<Record<string, string>>;
  figures: ReportFigures;
}): ReportModel {
  const sections = itemsOf(input.kind).map((item) => {
    const blocks = item.sources.map((s) => blocksOf(s, input.figures));
    const text = (input.texts[item.key] ?? '').trim() || null;
    return {
      key: item.key,
      heading: item.heading,
      text,
      missing: text === null && item.schoolWrites === 'required',
      charts: blocks.flatMap((b) => b.charts),
      tables: blocks.flatMap((b) => b.tables),
      facts: blocks.flatMap((b) => b.facts),
    };
  });
  const countedOn = longDate(input.figures.countedOn);
  return {
    title: `${input.kindLabel} ${input.yearLabel}`,
    schoolName: input.schoolName,
    yearLabel: input.yearLabel,
    status: input.publishedAt
      ? `Published on ${longDate(input.publishedAt.toISOString())}; figures counted on ${countedOn}.`
      : `Draft: figures counted on ${countedOn} from OpenSEND’s live records.`,
    countedOn,
    sections,
    suppression: `No pupil is named. Where a number is ${smallNumbers(input.figures.threshold)}, it is shown as “Hidden” (and so is any number that would let it be worked out), so that no child can be identified; “Not shown” marks a breakdown left out for the same reason.`,
  };
}
