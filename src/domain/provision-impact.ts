import { academicYearLabel, academicYearStartOf } from './calendar.ts';
import { type IsoDate, parseIsoDate } from './dates.ts';
import { MEASURE_UNITS, type MeasureKind } from './provision.ts';
import { fraction, roundHalfUp } from './provision-costs.ts';
import { dayNumber } from './school-days.ts';

/**
 * The impact of provision: each pupil's entry and exit measures, the progress between them, and
 * summaries for a group and for an intervention across its groups.
 *
 * - Change is exit − entry, in the measure's own units. Progress is the change the right way up: for
 *   an assessment where lower is better (SDQ total difficulties), a fall is progress.
 * - Ratio gain, for reading and spelling ages: months of progress ÷ months between the two measures
 *   (days × 12 ÷ 365.25). 1.0 keeps pace with the calendar; it is given when the measures are at least
 *   four weeks apart, to one decimal place, with Brooks's bands (below 1.4 doubtful, 1.4 modest,
 *   2 useful, 3 substantial, 4 remarkable).
 * - A summary counts the pupils measured at both ends and those who made progress, and averages their
 *   progress (and ratio gain) to one decimal place, halves rounded up.
 * - Cost per unit of progress: what the measured pupils' provision cost ÷ their total progress, in
 *   pence rounded once; none when there was no progress overall.
 * Measures are held to two decimal places and counted here in hundredths, as whole numbers.
 */

export interface Measures {
  entry: number | null;
  entryOn: IsoDate | null;
  exit: number | null;
  exitOn: IsoDate | null;
}

export interface Progress {
  /** exit − entry */
  change: number;
  /** The change with improvement positive. */
  progress: number;
  /** Months between the measures (one decimal place), when both were dated. */
  monthsElapsed: number | null;
  /** Reading or spelling age only: months of progress per month elapsed. */
  ratioGain: number | null;
}

export function direction(kind: MeasureKind): 1 | -1 {
  return kind === 'named_assessment_lower' ? -1 : 1;
}

export const hundredths = (value: number): number => Math.round(value * 100);

/** Whole days between two dates. */
function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export const MIN_DAYS_FOR_RATIO_GAIN = 28;

export function progressOf(kind: MeasureKind, m: Measures): Progress | null {
  if (m.entry === null || m.exit === null) return null;
  const changeH = hundredths(m.exit) - hundredths(m.entry);
  const progressH = changeH * direction(kind);
  const days = m.entryOn && m.exitOn ? daysBetween(m.entryOn, m.exitOn) : null;
  const monthsElapsed = days !== null && days >= 0 ? roundHalfUp(fraction(days * 12_000, 36_525)) / 10 : null;
  let ratioGain: number | null = null;
  if (kind === 'age_months' && days !== null && days >= MIN_DAYS_FOR_RATIO_GAIN) {
    // progress (hundredths of a month) ÷ (days × 12 ÷ 365.25), to one decimal place.
    ratioGain = roundHalfUp(fraction(progressH * 36_525, days * 12 * 1000)) / 10;
  }
  return { change: changeH / 100, progress: progressH / 100, monthsElapsed, ratioGain };
}

export type RatioGainBand = 'doubtful' | 'modest' | 'useful' | 'substantial' | 'remarkable';
export const RATIO_GAIN_LABELS: Record<RatioGainBand, string> = {
  doubtful: 'Doubtful impact',
  modest: 'Modest impact',
  useful: 'Useful impact',
  substantial: 'Substantial impact',
  remarkable: 'Remarkable impact',
};
/** The same, inside a sentence. */
export const RATIO_GAIN_IN_TEXT: Record<RatioGainBand, string> = {
  doubtful: 'doubtful impact',
  modest: 'modest impact',
  useful: 'useful impact',
  substantial: 'substantial impact',
  remarkable: 'remarkable impact',
};

export function ratioGainBand(ratioGain: number): RatioGainBand {
  if (ratioGain >= 4) return 'remarkable';
  if (ratioGain >= 3) return 'substantial';
  if (ratioGain >= 2) return 'useful';
  if (ratioGain >= 1.4) return 'modest';
  return 'doubtful';
}

export interface ImpactSummary {
  /** Pupils counted (in the group, or the intervention's groups). */
  pupils: number;
  /** Pupils with both an entry and an exit measure. */
  measured: number;
  /** Measured pupils whose progress was above nothing. */
  improved: number;
  averageProgress: number | null;
  averageRatioGain: number | null;
  /** Sum of the measured pupils' progress, in hundredths of the unit. */
  totalProgressHundredths: number;
}

function average(totalHundredths: number, count: number): number | null {
  if (count === 0) return null;
  return roundHalfUp(fraction(totalHundredths, count * 10)) / 10;
}

export function summarise(kind: MeasureKind, rows: readonly Measures[]): ImpactSummary {
  let measured = 0;
  let improved = 0;
  let total = 0;
  let ratioTotal = 0;
  let ratioCount = 0;
  for (const row of rows) {
    const p = progressOf(kind, row);
    if (!p) continue;
    measured++;
    const h = hundredths(p.progress);
    total += h;
    if (h > 0) improved++;
    if (p.ratioGain !== null) {
      ratioTotal += hundredths(p.ratioGain);
      ratioCount++;
    }
  }
  return {
    pupils: rows.length,
    measured,
    improved,
    averageProgress: average(total, measured),
    averageRatioGain: average(ratioTotal, ratioCount),
    totalProgressHundredths: total,
  };
}

/**
 * The period a count of "pupils measured at entry and exit" covers, the same on every page (the
 * SENCo's "How well interventions work" and the governor's provision figures): a pupil's measures
 * count in the academic year, 1 September to 31 August, in which their exit measure was taken,
 * whenever the intervention started. "All years" counts every pupil measured at both ends. A pupil in
 * two interventions counts in each.
 */
export type ImpactPeriod = { yearStart: number } | 'all';

export const IMPACT_PERIOD_RULE =
  'A pupil counts as measured in the academic year (1 September to 31 August) in which their exit measure was taken, whenever their intervention started; a pupil in two interventions counts in each.';

/** "2025/26", "2026/27 so far" (the year of `today`), or "all years". */
export function impactPeriodLabel(period: ImpactPeriod, today: IsoDate): string {
  if (period === 'all') return 'all years';
  const label = academicYearLabel(period.yearStart);
  return period.yearStart === academicYearStartOf(today) ? `${label} so far` : label;
}

/** The measures as counted for a period: the exit measure only when it was taken in the period. */
export function measuresIn(m: Measures, period: ImpactPeriod): Measures {
  if (period === 'all' || m.exit === null) return m;
  const inPeriod = m.exitOn !== null && academicYearStartOf(m.exitOn) === period.yearStart;
  return inPeriod ? m : { ...m, exit: null, exitOn: null };
}

/** How many pupils were measured at entry and exit in the period, and how many of them made progress. */
export function measuredProgress(
  rows: readonly { kind: MeasureKind; measures: Measures }[],
  period: ImpactPeriod,
): { measured: number; improved: number } {
  let measured = 0;
  let improved = 0;
  for (const r of rows) {
    const p = progressOf(r.kind, measuresIn(r.measures, period));
    if (!p) continue;
    measured++;
    if (hundredths(p.progress) > 0) improved++;
  }
  return { measured, improved };
}

/** Pence per unit of progress (per point, per month of reading age), or null without progress. */
export function costPerUnit(costPence: number, totalProgressHundredths: number): number | null {
  if (totalProgressHundredths <= 0) return null;
  return roundHalfUp(fraction(costPence * 100, totalProgressHundredths));
}

// Measures as typed and as shown.

export const MEASURE_RANGES: Record<MeasureKind, { min: number; max: number; whole: boolean }> = {
  standardised_score: { min: 40, max: 160, whole: true },
  age_months: { min: 12, max: 240, whole: true },
  rating: { min: 1, max: 5, whole: true },
  named_assessment: { min: -9_999.99, max: 99_999.99, whole: false },
  named_assessment_lower: { min: -9_999.99, max: 99_999.99, whole: false },
};

const MEASURE_MESSAGES: Record<MeasureKind, string> = {
  standardised_score: 'a standardised score from 40 to 160, like 85',
  age_months: 'an age in months, like 88, or in years and months, like 7:04',
  rating: 'a rating from 1 to 5',
  named_assessment: 'a score as a number, like 24 or 12.5',
  named_assessment_lower: 'a score as a number, like 24 or 12.5',
};

/** What to type for a measure, inside a sentence: "Enter Kit’s entry measure as …". */
export function measureHint(kind: MeasureKind): string {
  return MEASURE_MESSAGES[kind];
}

/**
 * A measure as typed: a number, or for an age, years and months ("7:04", "7y 4m", "7 years 4
 * months"). Null when it is not one; the range is checked by measureProblem.
 */
export function parseMeasure(kind: MeasureKind, raw: string): number | null {
  const v = raw.trim().toLowerCase();
  if (kind === 'age_months') {
    const ym = /^(\d{1,2})\s*(?::|y|yrs?|years?)\s*(\d{1,2})\s*(?:m|mths?|months?)?$/.exec(v);
    if (ym) {
      const months = Number(ym[2]);
      return months < 12 ? Number(ym[1]) * 12 + months : null;
    }
  }
  if (!/^-?\d{1,6}(\.\d{1,2})?$/.test(v)) return null;
  return Number(v);
}

/** Why a measure cannot be right for its kind, or null. */
export function measureProblem(kind: MeasureKind, value: number): string | null {
  const r = MEASURE_RANGES[kind];
  if ((r.whole && !Number.isInteger(value)) || value < r.min || value > r.max) {
    return `Enter ${MEASURE_MESSAGES[kind]}`;
  }
  return null;
}

/** A measure as shown: "7y 4m" for an age, otherwise the number. */
export function formatMeasure(kind: MeasureKind, value: number | null): string {
  if (value === null) return '';
  if (kind === 'age_months') return `${Math.floor(value / 12)}y ${value % 12}m`;
  return String(value);
}

/** A measure as a form shows it for editing: "7:04" for an age. */
export function measureForInput(kind: MeasureKind, value: number | null): string {
  if (value === null) return '';
  if (kind === 'age_months') return `${Math.floor(value / 12)}:${String(value % 12).padStart(2, '0')}`;
  return String(value);
}

/** Progress as a phrase: "up 5 months", "down 2 points", "no change" ("Up 5 months" to start a sentence). */
export function describeProgress(kind: MeasureKind, change: number, sentenceStart = false): string {
  if (change === 0) return sentenceStart ? 'No change' : 'no change';
  const unit = MEASURE_UNITS[kind];
  const size = Math.abs(change);
  const way = change > 0 ? (sentenceStart ? 'Up' : 'up') : sentenceStart ? 'Down' : 'down';
  return `${way} ${size} ${size === 1 ? unit.one : unit.many}`;
}

/** Months between two dates, as "3 months" (for the measure dates). */
export function monthsText(from: IsoDate, to: IsoDate): string {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  const months = (b.year - a.year) * 12 + (b.month - a.month) - (b.day < a.day ? 1 : 0);
  return `${months} ${months === 1 ? 'month' : 'months'}`;
}

/** Progress as a sentence start: "Up 13 points", "Down 9 points (better), ratio gain 2.0: useful impact". */
export function progressText(kind: MeasureKind, p: Progress | null): string {
  if (!p) return 'Not measured yet';
  const change = describeProgress(kind, p.change, true);
  const direction =
    kind === 'named_assessment_lower' && p.change !== 0 ? ` (${p.progress > 0 ? 'better' : 'worse'})` : '';
  const ratio =
    p.ratioGain !== null
      ? `, ratio gain ${p.ratioGain.toFixed(1)}: ${RATIO_GAIN_IN_TEXT[ratioGainBand(p.ratioGain)]}`
      : '';
  return `${change}${direction}${ratio}`;
}
