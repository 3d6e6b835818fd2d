import { academicYearLabel, academicYearStartOf, termOf, termStart } from './calendar.ts';
import { type IsoDate, parseIsoDate, toIsoDate } from './dates.ts';
import type { CostModel, DelivererKind } from './provision.ts';
import { dayNumber, fromDayNumber, schoolDaysBetween } from './school-days.ts';

/**
 * What additional provision costs, per pupil, in pence. The rules (docs/adr/0014-provision-costs.md):
 *
 * - Weeks are school weeks: the school days between two dates (weekdays outside the usual holidays of
 *   school-days.ts), five to a week. A group running all year runs about 39 weeks; a ten-week block in
 *   term time is ten weeks.
 * - Every cost model is a cost per school day while the group runs:
 *     staff time   minutes × sessions a week × the hourly rate of the deliverer's kind ÷ 60 ÷ 5;
 *     agency       the charge per session × sessions a week ÷ 5;
 *     per term     the term's cost ÷ the school days of that term (autumn, spring, summer);
 *     per pupil    the year's cost ÷ the school days of that academic year, for each pupil.
 *   All but "per pupil" are shared by the pupils in the group on that day: a group's size is the
 *   number of members at the time, so a pupil who joins halves the others' share from that day.
 *   Days with nobody in the group are charged to nobody.
 * - A membership runs from the day the pupil joined to the day they left (both included), inside the
 *   group's own dates; with no leaving date and no end date, to the end of the period asked about (a
 *   year's cost is then what the year will cost if nothing changes).
 * - Arithmetic is exact (fractions of whole numbers, never floating point) and rounded once, at the
 *   end, half a penny up: a pupil's year is the exact sum of their groups, then rounded. Amounts shown
 *   per group are each rounded, so they can differ from the rounded total by a penny.
 * - The financial year runs 1 April – 31 March (a maintained school's budget year), the academic year
 *   1 September – 31 August (an academy's, and the school's planning year); both are shown.
 */

// Exact fractions of whole numbers.

export interface Fraction {
  readonly n: bigint;
  readonly d: bigint;
}

export const ZERO: Fraction = { n: 0n, d: 1n };

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}

export function fraction(n: bigint | number, d: bigint | number = 1n): Fraction {
  let num = BigInt(n);
  let den = BigInt(d);
  if (den === 0n) throw new Error('A fraction cannot have a denominator of 0');
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den);
  return { n: num / g, d: den / g };
}

export function addFractions(...parts: Fraction[]): Fraction {
  return parts.reduce((sum, f) => fraction(sum.n * f.d + f.n * sum.d, sum.d * f.d), ZERO);
}

export function multiply(f: Fraction, by: Fraction): Fraction {
  return fraction(f.n * by.n, f.d * by.d);
}

/** The nearest whole number, halves rounded up (away from zero for a negative amount). */
export function roundHalfUp(f: Fraction): number {
  const negative = f.n < 0n;
  const n = negative ? -f.n : f.n;
  const rounded = (2n * n + f.d) / (2n * f.d);
  return Number(negative ? -rounded : rounded);
}

/** £63.00, £6,000.00, −£1.50 */
export function formatPence(pence: number): string {
  const sign = pence < 0 ? '−' : '';
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100).toLocaleString('en-GB');
  return `${sign}£${pounds}.${String(abs % 100).padStart(2, '0')}`;
}

/** Pounds and pence as typed ("14", "14.5", "£1,250.00") in pence, or null when it is not an amount. */
export function parsePounds(value: string): number | null {
  const v = value
    .trim()
    .replace(/^£/, '')
    .replace(/,(?=\d{3}(\D|$))/g, '');
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(v);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Pence as a form shows them for editing: "14.00". */
export function penceForInput(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return '';
  return `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
}

// Rates and limits.

/** Hourly rates (with on-costs) until the school sets its own: made up, plausible for 2025. */
export const DEFAULT_HOURLY_PENCE: Record<DelivererKind, number> = {
  teaching_assistant: 1_650,
  teacher: 4_200,
  senco: 4_800,
  specialist: 5_500,
  external: 7_000,
};

export const LIMITS = {
  minutesPerSession: { min: 5, max: 180 },
  sessionsPerWeek: { min: 1, max: 10 },
  groupSize: { min: 1, max: 30 },
  /** An hourly rate from 1p to £200. */
  hourlyPence: { min: 1, max: 20_000 },
  /** A fixed cost from 1p to £50,000. */
  fixedCostPence: { min: 1, max: 5_000_000 },
} as const;

// Periods.

export interface Period {
  from: IsoDate;
  to: IsoDate;
}

export function academicYearPeriod(startYear: number): Period {
  return { from: toIsoDate(startYear, 9, 1), to: toIsoDate(startYear + 1, 8, 31) };
}

/** The financial year (1 April – 31 March) containing `date`: the calendar year it began in. */
export function financialYearStartOf(date: IsoDate): number {
  const { year, month } = parseIsoDate(date);
  return month >= 4 ? year : year - 1;
}

export function financialYearPeriod(startYear: number): Period {
  return { from: toIsoDate(startYear, 4, 1), to: toIsoDate(startYear + 1, 3, 31) };
}

/** "April 2026 to March 2027" */
export function financialYearLabel(startYear: number): string {
  return `April ${startYear} to March ${startYear + 1}`;
}

/** The academic and financial years a date falls in, labelled. */
export function yearsOf(date: IsoDate) {
  const academic = academicYearStartOf(date);
  const financial = financialYearStartOf(date);
  return {
    academic: { ...academicYearPeriod(academic), label: academicYearLabel(academic) },
    financial: { ...financialYearPeriod(financial), label: financialYearLabel(financial) },
  };
}

/** The term (autumn, spring, summer) a date falls in, as a period. */
export function termPeriod(date: IsoDate): Period & { label: string } {
  const { term, academicYearStart, label } = termOf(date);
  const from = termStart(date);
  const to =
    term === 'autumn'
      ? toIsoDate(academicYearStart, 12, 31)
      : term === 'spring'
        ? toIsoDate(academicYearStart + 1, 3, 31)
        : toIsoDate(academicYearStart + 1, 8, 31);
  return { from, to, label };
}

const laterOf = (a: IsoDate, b: IsoDate) => (a > b ? a : b);
const earlierOf = (a: IsoDate, b: IsoDate) => (a < b ? a : b);

export function overlap(a: Period, b: Period): Period | null {
  const from = laterOf(a.from, b.from);
  const to = earlierOf(a.to, b.to);
  return from <= to ? { from, to } : null;
}

// Groups and their members.

export interface MembershipDates {
  id: string;
  joinedOn: IsoDate;
  /** The last day in the group; null while they stay. */
  leftOn: IsoDate | null;
}

export interface GroupForCosting {
  costModel: CostModel;
  sessionsPerWeek: number;
  minutesPerSession: number;
  /** For staff time: pence an hour for the kind of person who delivers the group. */
  hourlyPence: number;
  /** A year's cost per pupil, a term's cost, or an agency's charge per session, in pence. */
  fixedCostPence: number | null;
  startDate: IsoDate;
  /** The group's last day; null while it runs on. */
  endDate: IsoDate | null;
  members: readonly MembershipDates[];
}

/** The days of a period a membership covers, inside the group's dates; null when none. */
export function membershipSpan(
  group: GroupForCosting,
  member: MembershipDates,
  period: Period,
): Period | null {
  const from = laterOf(laterOf(period.from, group.startDate), member.joinedOn);
  let to = period.to;
  if (group.endDate) to = earlierOf(to, group.endDate);
  if (member.leftOn) to = earlierOf(to, member.leftOn);
  return from <= to ? { from, to } : null;
}

/** Whether a cost model's daily cost is shared among the pupils in the group that day. */
export function isShared(model: CostModel): boolean {
  return model !== 'per_pupil';
}

/** The cost of the group for one school day (shared or not), for a day in a given term and year. */
export function dailyCost(group: GroupForCosting, on: IsoDate): Fraction {
  const fixed = BigInt(group.fixedCostPence ?? 0);
  switch (group.costModel) {
    case 'staff_time':
      return fraction(
        BigInt(group.minutesPerSession) * BigInt(group.sessionsPerWeek) * BigInt(group.hourlyPence),
        300n,
      );
    case 'agency':
      return fraction(fixed * BigInt(group.sessionsPerWeek), 5n);
    case 'per_term': {
      const term = termPeriod(on);
      const days = schoolDaysBetween(term.from, term.to);
      return days > 0 ? fraction(fixed, days) : ZERO;
    }
    case 'per_pupil': {
      const year = academicYearPeriod(academicYearStartOf(on));
      const days = schoolDaysBetween(year.from, year.to);
      return days > 0 ? fraction(fixed, days) : ZERO;
    }
  }
}

/** The first days of terms (per term) or academic years (per pupil) inside a period: where the daily cost may change. */
function rateChanges(model: CostModel, period: Period): IsoDate[] {
  if (model !== 'per_term' && model !== 'per_pupil') return [];
  const changes: IsoDate[] = [];
  const first = parseIsoDate(period.from).year - 1;
  const last = parseIsoDate(period.to).year + 1;
  for (let y = first; y <= last; y++) {
    const starts =
      model === 'per_term'
        ? [toIsoDate(y, 1, 1), toIsoDate(y, 4, 1), toIsoDate(y, 9, 1)]
        : [toIsoDate(y, 9, 1)];
    for (const d of starts) if (d > period.from && d <= period.to) changes.push(d);
  }
  return changes;
}

/**
 * Each member's share of the group's cost over a period, exact (round with roundHalfUp). Members
 * with no days in the period are left out.
 */
export function memberCosts(group: GroupForCosting, period: Period): Map<string, Fraction> {
  const costs = new Map<string, Fraction>();
  const spans = group.members
    .map((m) => ({ id: m.id, span: membershipSpan(group, m, period) }))
    .filter((m): m is { id: string; span: Period } => m.span !== null);
  if (spans.length === 0) return costs;
  // Break the period wherever someone joins or leaves or the daily cost changes: within each piece
  // the group's size and its daily cost are the same every day.
  const cuts = new Set<number>();
  for (const { span } of spans) {
    cuts.add(dayNumber(span.from));
    cuts.add(dayNumber(span.to) + 1);
  }
  const whole = {
    from: spans.reduce((a, s) => earlierOf(a, s.span.from), spans[0]!.span.from),
    to: spans.reduce((a, s) => laterOf(a, s.span.to), spans[0]!.span.to),
  };
  for (const d of rateChanges(group.costModel, whole)) cuts.add(dayNumber(d));
  const points = [...cuts].sort((a, b) => a - b);
  const shared = isShared(group.costModel);
  for (let i = 0; i < points.length - 1; i++) {
    const from = fromDayNumber(points[i]!);
    const to = fromDayNumber(points[i + 1]! - 1);
    const days = schoolDaysBetween(from, to);
    if (days === 0) continue;
    const present = spans.filter((s) => s.span.from <= from && s.span.to >= from);
    if (present.length === 0) continue;
    const piece = multiply(dailyCost(group, from), fraction(days, shared ? present.length : 1));
    for (const p of present) costs.set(p.id, addFractions(costs.get(p.id) ?? ZERO, piece));
  }
  return costs;
}

/** Time in a group over a period, in minutes (exact): sessions a week × minutes × school weeks. */
export function memberMinutes(group: GroupForCosting, member: MembershipDates, period: Period): Fraction {
  const span = membershipSpan(group, member, period);
  if (!span) return ZERO;
  return fraction(
    BigInt(schoolDaysBetween(span.from, span.to)) *
      BigInt(group.minutesPerSession) *
      BigInt(group.sessionsPerWeek),
    5n,
  );
}

/** A pupil's total over their groups: the exact sum, rounded once. */
export function totalPence(parts: readonly Fraction[]): number {
  return roundHalfUp(addFractions(...parts));
}

/** Sessions a group should have held between two dates: sessions a week × school weeks, rounded. */
export function plannedSessions(sessionsPerWeek: number, from: IsoDate, to: IsoDate): number {
  return roundHalfUp(fraction(sessionsPerWeek * schoolDaysBetween(from, to), 5));
}

/** The cost of a stretch of school days for a group of a given size: the worked examples' arithmetic. */
export function shareOverSchoolDays(
  group: Pick<
    GroupForCosting,
    'costModel' | 'sessionsPerWeek' | 'minutesPerSession' | 'hourlyPence' | 'fixedCostPence'
  >,
  schoolDays: number,
  groupSize: number,
  on: IsoDate,
): Fraction {
  const daily = dailyCost({ ...group, startDate: on, endDate: null, members: [] }, on);
  return multiply(daily, fraction(schoolDays, isShared(group.costModel) ? groupSize : 1));
}

// The high-needs threshold.

export type ThresholdStatus = 'below' | 'nearing' | 'over';

/**
 * Where a year's cost stands against the threshold (the first £6,000 a year is the school's): over
 * when it exceeds it, nearing from `nearingPercent` of it, otherwise below.
 */
export function thresholdStatus(
  costPence: number,
  thresholdPence: number,
  nearingPercent: number,
): ThresholdStatus {
  if (costPence > thresholdPence) return 'over';
  if (costPence * 100 >= thresholdPence * nearingPercent && costPence > 0) return 'nearing';
  return 'below';
}

export const THRESHOLD_LABELS: Record<ThresholdStatus, string> = {
  below: 'Below the threshold',
  nearing: 'Nearing the threshold',
  over: 'Over the threshold',
};

export const TOP_UP_ADVICE = 'Consider a high-needs top-up application';

/** The last school day of a period's span that has passed: "to date" costs stop today. */
export function toDate(period: Period, today: IsoDate): Period | null {
  const to = earlierOf(period.to, today);
  return period.from <= to ? { from: period.from, to } : null;
}
