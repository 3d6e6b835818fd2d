import { scaleBand, scaleLinear, scalePoint } from 'd3-scale';
import { line } from 'd3-shape';
import { formatPence } from '../domain/provision-costs.ts';
import type { ShownCount } from '../domain/suppression.ts';

/*
 * Charts of figures that name no pupil (issue 18), drawn on the server as SVG with d3-scale and
 * d3-shape: no script in the page, the same picture in the page, the website HTML and the PDF.
 *
 * One `Chart` feeds both the picture and the table beside it, so the table holds exactly the chart's
 * numbers. Each picture is an image with an accessible name (its <title>) and a description a screen
 * reader user can act on (its <desc>: the trend in words); the series are told apart by patterns and
 * by labels written beside the bars and lines, never by colour alone. A count hidden by the
 * small-number rule (domain/suppression.ts) is drawn as no bar and no point, with the word "Hidden" in
 * its place, in the picture as in the table.
 */

/** A value in a chart: a number, hidden by the small-number rule, not shown with its breakdown, or none. */
export type ChartValue = number | 'suppressed' | 'withheld' | null;

export type ChartUnit = 'count' | 'percent' | 'pence';

export interface ChartSeries {
  key: string;
  label: string;
}

export interface Chart {
  /** The base of the picture's element ids (unique in a page): "register-stages". */
  id: string;
  title: string;
  /** The trend in words, for a screen reader user (and the table's caption follows the title). */
  description: string;
  kind: 'bars' | 'lines';
  unit: ChartUnit;
  /** The heading of the table's first column: what the categories are ("Academic year"). */
  categoryHeading: string;
  categories: readonly string[];
  series: readonly ChartSeries[];
  /** values[category][series] */
  values: readonly (readonly ChartValue[])[];
}

/** A count as a chart holds it. */
export const chartValueOf = (c: ShownCount): ChartValue => c;

/** A share as a whole percentage, or hidden when either of its counts is. */
export function shareOf(part: ShownCount, whole: ShownCount): ChartValue {
  if (part === 'suppressed' || whole === 'suppressed') return 'suppressed';
  if (part === 'withheld' || whole === 'withheld') return 'withheld';
  if (whole === 0) return null;
  return Math.round((100 * part) / whole);
}

export function formatChartValue(value: ChartValue, unit: ChartUnit): string {
  if (value === 'suppressed') return 'Hidden';
  if (value === 'withheld') return 'Not shown';
  if (value === null) return 'No data';
  if (unit === 'percent') return `${value}%`;
  if (unit === 'pence') return formatPence(value);
  return value.toLocaleString('en-GB');
}

export interface ChartTable {
  caption: string;
  head: string[];
  /** Each row: its category (a row heading), then one cell per series. */
  rows: { heading: string; cells: string[] }[];
}

/** The table beside a chart: the same numbers, as text. */
export function chartTable(chart: Chart): ChartTable {
  return {
    caption: chart.title,
    head: [chart.categoryHeading, ...chart.series.map((s) => s.label)],
    rows: chart.categories.map((heading, i) => ({
      heading,
      cells: chart.series.map((_s, j) => formatChartValue(chart.values[i]?.[j] ?? null, chart.unit)),
    })),
  };
}

const WIDTH = 640;
const HEIGHT = 380;
const MARGIN = { top: 24, right: 150, bottom: 120, left: 64 };
/** Near-black ink and dark, high-contrast fills (each ≥ 4.5:1 on white), told apart by pattern too. */
const INK = '#0b0c0c';
const FILLS = ['#1d70b8', '#912b88', '#005a30', '#6f4e00', '#505a5f'];

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const round = (n: number) => Math.round(n * 10) / 10;

/** The patterns that tell series apart without colour: solid, stripes, dots, cross-hatch, wide stripes. */
function patternDefs(id: string, count: number): string {
  const defs: string[] = [];
  for (let i = 0; i < count; i++) {
    const fill = FILLS[i % FILLS.length] as string;
    const pid = `${id}-pattern-${i}`;
    const shape = i % 5;
    const body =
      shape === 0
        ? `<rect width="8" height="8" fill="${fill}"/>`
        : shape === 1
          ? `<rect width="8" height="8" fill="#ffffff"/><path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="${fill}" stroke-width="3"/>`
          : shape === 2
            ? `<rect width="8" height="8" fill="#ffffff"/><circle cx="4" cy="4" r="2.2" fill="${fill}"/>`
            : shape === 3
              ? `<rect width="8" height="8" fill="#ffffff"/><path d="M0,4 h8 M4,0 v8" stroke="${fill}" stroke-width="2"/>`
              : `<rect width="8" height="8" fill="${fill}"/><path d="M0,8 l8,-8" stroke="#ffffff" stroke-width="2"/>`;
    defs.push(`<pattern id="${pid}" width="8" height="8" patternUnits="userSpaceOnUse">${body}</pattern>`);
  }
  return `<defs>${defs.join('')}</defs>`;
}

/** The largest number drawn, for the value axis (at least 1; 100 for percentages). */
function maxOf(chart: Chart): number {
  const numbers = chart.values.flat().filter((v): v is number => typeof v === 'number');
  const top = Math.max(1, ...numbers);
  return chart.unit === 'percent' ? Math.max(100, top) : top;
}

function axisLabel(value: number, unit: ChartUnit): string {
  if (unit === 'percent') return `${value}%`;
  if (unit === 'pence') return `£${Math.round(value / 100).toLocaleString('en-GB')}`;
  return value.toLocaleString('en-GB');
}

/** Whether a chart has anything to draw: a value above 0. Otherwise its table (and words) say it all. */
export function chartHasValues(chart: Chart): boolean {
  return chart.values.some((row) => row.some((v) => typeof v === 'number' && v > 0));
}

/** A chart with its picture (none when there is nothing to draw) and the table of its numbers. */
export function chartBlock(chart: Chart): { chart: Chart; svg: string; table: ChartTable } {
  return { chart, svg: chartHasValues(chart) ? chartSvg(chart) : '', table: chartTable(chart) };
}

/** The picture: an SVG image with its title and description, bars or lines with their labels beside them. */
export function chartSvg(chart: Chart): string {
  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;
  const y = scaleLinear()
    .domain([0, maxOf(chart)])
    .nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="opensend-chart" role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" font-family="Arial, Helvetica, sans-serif" font-size="12">`,
  );
  parts.push(`<title id="${titleId}">${escapeXml(chart.title)}</title>`);
  parts.push(`<desc id="${descId}">${escapeXml(chart.description)}</desc>`);
  parts.push(patternDefs(chart.id, chart.series.length));
  // The value axis: gridlines and their labels.
  for (const tick of y.ticks(5)) {
    const ty = round(y(tick));
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#b1b4b6" stroke-width="1"/>`,
      `<text x="${MARGIN.left - 6}" y="${ty + 4}" text-anchor="end" fill="${INK}">${escapeXml(axisLabel(tick, chart.unit))}</text>`,
    );
  }
  const baseline = HEIGHT - MARGIN.bottom;
  parts.push(
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${baseline}" y2="${baseline}" stroke="${INK}" stroke-width="1.5"/>`,
  );
  const shapes = chart.kind === 'bars' ? barShapes(chart, y) : lineShapes(chart, y);
  parts.push(...shapes.map(svgOfShape));
  // Bars need a key to their patterns; lines are named at their ends.
  if (chart.kind === 'bars') parts.push(legend(chart));
  parts.push('</svg>');
  // The patterns are the chart's own: ids unique in a page with several charts.
  return parts.join('').replace(/url\(#PATTERN-/g, `url(#${chart.id}-pattern-`);
}

/** What is drawn, as plain shapes: the same for the SVG and for the PDF (which draws them with pdfkit). */
export type ChartShape =
  | { type: 'rect'; x: number; y: number; width: number; height: number; series: number }
  | { type: 'path'; d: string; series: number }
  | { type: 'marker'; x: number; y: number; series: number }
  | {
      type: 'text';
      x: number;
      y: number;
      text: string;
      anchor: 'start' | 'middle' | 'end';
      bold?: boolean;
      rotate?: boolean;
    };

function svgOfShape(s: ChartShape): string {
  if (s.type === 'rect')
    return `<rect class="bar" x="${round(s.x)}" y="${round(s.y)}" width="${round(s.width)}" height="${round(s.height)}" fill="url(#PATTERN-${s.series})" stroke="${INK}" stroke-width="1"/>`;
  if (s.type === 'path')
    return `<path d="${s.d}" fill="none" stroke="${FILLS[s.series % FILLS.length]}" stroke-width="3"${s.series % 2 === 1 ? ' stroke-dasharray="8 4"' : ''}/>`;
  if (s.type === 'marker') return markerSvg(s.x, s.y, s.series);
  // A slanted name runs down to the right from under its bars.
  const transform = s.rotate ? ` transform="rotate(30 ${round(s.x)} ${round(s.y)})"` : '';
  return `<text x="${round(s.x)}" y="${round(s.y)}" text-anchor="${s.anchor}" fill="${INK}"${s.bold ? ' font-weight="bold"' : ''}${transform}>${escapeXml(s.text)}</text>`;
}

/** A point of a line, its shape telling the series apart: circle, square, triangle, diamond. */
function markerSvg(x: number, y: number, series: number): string {
  const fill = FILLS[series % FILLS.length] as string;
  const cx = round(x);
  const cy = round(y);
  switch (series % 4) {
    case 0:
      return `<circle cx="${cx}" cy="${cy}" r="5" fill="${fill}" stroke="${INK}"/>`;
    case 1:
      return `<rect x="${cx - 5}" y="${cy - 5}" width="10" height="10" fill="${fill}" stroke="${INK}"/>`;
    case 2:
      return `<path d="M${cx},${cy - 6}L${cx + 6},${cy + 5}L${cx - 6},${cy + 5}Z" fill="${fill}" stroke="${INK}"/>`;
    default:
      return `<path d="M${cx},${cy - 6}L${cx + 6},${cy}L${cx},${cy + 6}L${cx - 6},${cy}Z" fill="${fill}" stroke="${INK}"/>`;
  }
}

type Scale = (n: number) => number;

/** Grouped bars, each labelled with its value; a hidden value draws no bar, only its word. */
export function barShapes(chart: Chart, y: Scale = defaultScale(chart)): ChartShape[] {
  const x = scaleBand<number>()
    .domain(chart.categories.map((_c, i) => i))
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .padding(0.2);
  const inner = scaleBand<number>()
    .domain(chart.series.map((_s, i) => i))
    .range([0, x.bandwidth()])
    .padding(0.08);
  const baseline = HEIGHT - MARGIN.bottom;
  const shapes: ChartShape[] = [];
  // Long or many category names are written on a slant, shortened (the table beside has them whole).
  const slanted = chart.categories.length > 4 || chart.categories.some((c) => c.length > 14);
  chart.categories.forEach((category, i) => {
    const left = x(i) ?? 0;
    chart.series.forEach((_s, j) => {
      const value = chart.values[i]?.[j] ?? null;
      const bx = left + (inner(j) ?? 0);
      const centre = bx + inner.bandwidth() / 2;
      if (typeof value === 'number') {
        const top = y(value);
        shapes.push({
          type: 'rect',
          x: bx,
          y: top,
          width: inner.bandwidth(),
          height: baseline - top,
          series: j,
        });
        shapes.push({
          type: 'text',
          x: centre,
          y: top - 4,
          text: formatShort(value, chart.unit),
          anchor: 'middle',
        });
      } else {
        shapes.push({
          type: 'text',
          x: centre,
          y: baseline - 4,
          text: formatChartValue(value, chart.unit),
          anchor: 'middle',
          bold: true,
        });
      }
    });
    shapes.push({
      type: 'text',
      x: left + x.bandwidth() / 2,
      y: baseline + 16,
      text: shortLabel(category),
      anchor: slanted ? 'start' : 'middle',
      rotate: slanted,
    });
  });
  return shapes;
}

/** Lines over the categories (years), with a marker at each point and the series named at its end. */
export function lineShapes(chart: Chart, y: Scale = defaultScale(chart)): ChartShape[] {
  const x = scalePoint<number>()
    .domain(chart.categories.map((_c, i) => i))
    .range([MARGIN.left + 20, WIDTH - MARGIN.right - 20]);
  const baseline = HEIGHT - MARGIN.bottom;
  const shapes: ChartShape[] = [];
  chart.series.forEach((s, j) => {
    const points = chart.categories.map((_c, i) => ({ i, value: chart.values[i]?.[j] ?? null }));
    const draw = line<{ i: number; value: ChartValue }>()
      .defined((p) => typeof p.value === 'number')
      .x((p) => x(p.i) ?? 0)
      .y((p) => y(p.value as number));
    const d = draw(points);
    if (d) shapes.push({ type: 'path', d, series: j });
    let last: { x: number; y: number } | null = null;
    for (const p of points) {
      const px = x(p.i) ?? 0;
      if (typeof p.value === 'number') {
        const py = y(p.value);
        shapes.push({ type: 'marker', x: px, y: py, series: j });
        shapes.push({
          type: 'text',
          x: px,
          y: py - 9,
          text: formatShort(p.value, chart.unit),
          anchor: 'middle',
        });
        last = { x: px, y: py };
      } else {
        shapes.push({
          type: 'text',
          x: px,
          y: baseline - 4 - 14 * j,
          text: `${s.label}: ${formatChartValue(p.value, chart.unit)}`,
          anchor: 'middle',
          bold: true,
        });
      }
    }
    if (last)
      shapes.push({
        type: 'text',
        x: last.x + 10,
        y: last.y + 4,
        text: s.label,
        anchor: 'start',
        bold: true,
      });
  });
  chart.categories.forEach((category, i) => {
    shapes.push({ type: 'text', x: x(i) ?? 0, y: baseline + 16, text: category, anchor: 'middle' });
  });
  return shapes;
}

function defaultScale(chart: Chart): Scale {
  const y = scaleLinear()
    .domain([0, maxOf(chart)])
    .nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  return (n) => y(n);
}

/** A category's name as written under the axis: at most 26 characters. */
function shortLabel(label: string): string {
  return label.length > 26 ? `${label.slice(0, 25).trimEnd()}…` : label;
}

/** A value written on the chart itself: short (whole pounds). */
function formatShort(value: number, unit: ChartUnit): string {
  if (unit === 'pence') return `£${Math.round(value / 100).toLocaleString('en-GB')}`;
  return formatChartValue(value, unit);
}

/** The key: each series' pattern (or line and marker) and its name, at the right of the chart. */
function legend(chart: Chart): string {
  const x = WIDTH - MARGIN.right + 16;
  return chart.series
    .map((s, j) => {
      const y = MARGIN.top + 22 * j;
      const swatch =
        chart.kind === 'bars'
          ? `<rect x="${x}" y="${y}" width="14" height="14" fill="url(#PATTERN-${j})" stroke="${INK}"/>`
          : markerSvg(x + 7, y + 7, j);
      return `${swatch}<text x="${x + 20}" y="${y + 11}" fill="${INK}">${escapeXml(s.label)}</text>`;
    })
    .join('');
}

/** The fills of the series, for the PDF's drawing of the same shapes. */
export const SERIES_FILLS = FILLS;
export const CHART_SIZE = { width: WIDTH, height: HEIGHT, margin: MARGIN } as const;

/** "rose from 40 in 2024/25 to 52 in 2026/27" — the trend of one series over the categories, in words. */
export function trendInWords(chart: Chart, seriesIndex: number): string {
  const series = chart.series[seriesIndex];
  if (!series) return '';
  const points = chart.categories
    .map((c, i) => ({ c, v: chart.values[i]?.[seriesIndex] ?? null }))
    .filter((p): p is { c: string; v: number } => typeof p.v === 'number');
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return `${series.label}: not shown.`;
  const f = formatChartValue(first.v, chart.unit);
  const l = formatChartValue(last.v, chart.unit);
  if (first === last) return `${series.label}: ${l} in ${last.c}.`;
  const verb = last.v > first.v ? 'rose' : last.v < first.v ? 'fell' : 'stayed';
  return verb === 'stayed'
    ? `${series.label} stayed at ${l} from ${first.c} to ${last.c}.`
    : `${series.label} ${verb} from ${f} in ${first.c} to ${l} in ${last.c}.`;
}

/** "A, B and C". */
function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The largest and smallest shown values of one series across the categories, in words. A hidden value
 * could be larger or smaller than any shown, so with values hidden the words speak of the values shown
 * only; several categories at the same value are named together; the hidden ones are counted with the
 * words the table shows for them.
 */
export function rangeInWords(chart: Chart, seriesIndex: number): string {
  const values = chart.categories.map((c, i) => ({ c, v: chart.values[i]?.[seriesIndex] ?? null }));
  const points = values.filter((p): p is { c: string; v: number } => typeof p.v === 'number');
  const suppressed = values.filter((p) => p.v === 'suppressed').length;
  const withheld = values.filter((p) => p.v === 'withheld').length;
  const hiddenParts = [
    suppressed > 0
      ? `${suppressed} ${suppressed === 1 ? 'value is' : 'values are'} shown as “${formatChartValue('suppressed', chart.unit)}”`
      : '',
    withheld > 0
      ? `${withheld} ${withheld === 1 ? 'value is' : 'values are'} “${formatChartValue('withheld', chart.unit)}”`
      : '',
  ].filter(Boolean);
  const hiddenText =
    hiddenParts.length > 0 ? ` ${listInWords(hiddenParts)}, so that no child can be identified.` : '';
  const name = chart.series[seriesIndex]?.label ?? '';
  if (points.length === 0) return `${name}: no figures to show.${hiddenText}`;
  const max = Math.max(...points.map((p) => p.v));
  const min = Math.min(...points.map((p) => p.v));
  const at = (v: number) => listInWords(points.filter((p) => p.v === v).map((p) => p.c));
  const of = hiddenText ? ' of those shown' : '';
  if (max === min) {
    const all = points.length === 1 ? `${at(max)}` : `all ${points.length}${of}`;
    return `${name}: ${all}, ${formatChartValue(max, chart.unit)}.${hiddenText}`;
  }
  return `${name}: highest${of} ${at(max)} (${formatChartValue(max, chart.unit)}), lowest${of} ${at(min)} (${formatChartValue(min, chart.unit)}).${hiddenText}`;
}
