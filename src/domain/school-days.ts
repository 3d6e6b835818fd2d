import { academicYearLabel, academicYearStartOf } from './calendar.ts';
import { addDays, type IsoDate, parseIsoDate, toIsoDate } from './dates.ts';

/**
 * School days and half-terms, for costing provision and for its half-termly checks.
 *
 * OpenSEND does not know a school's own term dates, so it uses the usual pattern of English school
 * holidays, the same every year:
 *   October half term   25–31 October
 *   Christmas           20 December – 3 January
 *   February half term  13–19 February
 *   Easter              1–14 April
 *   May half term       25–31 May
 *   Summer              22 July – 31 August
 * A school day is a weekday (Monday to Friday) outside them; a school week is five school days. An
 * academic year then has 195 to 197 school days, about 39 school weeks: the 190 teaching days and the
 * training days that schools cost their staff over. Bank holidays are not taken out. A school whose
 * holidays fall a week differently is costed a week differently over that week, and no more.
 *
 * Half-terms follow the same holidays: autumn 1 (September–October), autumn 2 (November–December),
 * spring 1 (1 January – 19 February), spring 2 (20 February – 31 March), summer 1 (April–May),
 * summer 2 (June–August); the terms are those of calendar.ts.
 */

/** The usual holidays as [month, first day, last day], inclusive, within one calendar year. */
export const USUAL_HOLIDAYS: readonly (readonly [number, number, number])[] = [
  [1, 1, 3], // the end of the Christmas holiday
  [2, 13, 19], // February half term
  [4, 1, 14], // Easter
  [5, 25, 31], // May half term
  [7, 22, 31], // summer
  [8, 1, 31], // summer
  [10, 25, 31], // October half term
  [12, 20, 31], // Christmas
];

const DAY_MS = 86_400_000;

/** Days since 1 January 1970 of an ISO date (UTC, so no clock change can move it). */
export function dayNumber(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function fromDayNumber(n: number): IsoDate {
  const d = new Date(n * DAY_MS);
  return toIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function inUsualHoliday(month: number, day: number): boolean {
  return USUAL_HOLIDAYS.some(([m, first, last]) => m === month && day >= first && day <= last);
}

export function isSchoolDay(date: IsoDate): boolean {
  const { month, day } = parseIsoDate(date);
  const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !inUsualHoliday(month, day);
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * Why a day is not a school day, in words ("a Sunday", "in the usual school holidays"), or null for a
 * school day. Something done on such a day can be real (a residential trip): it is asked about, not refused.
 */
export function notSchoolDayReason(date: IsoDate): string | null {
  if (isSchoolDay(date)) return null;
  const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6 ? `a ${WEEKDAYS[weekday]}` : 'in the usual school holidays';
}

/**
 * Running counts of school days, one calendar year at a time (kept once made: the pattern is the same
 * for everyone). cumulative[i] = school days from 1 January up to and including day i of the year.
 */
const cumulativeByYear = new Map<number, Int16Array>();
function cumulative(year: number): Int16Array {
  let counts = cumulativeByYear.get(year);
  if (!counts) {
    const first = dayNumber(toIsoDate(year, 1, 1));
    const length = dayNumber(toIsoDate(year + 1, 1, 1)) - first;
    counts = new Int16Array(length);
    let total = 0;
    for (let i = 0; i < length; i++) {
      if (isSchoolDay(fromDayNumber(first + i))) total++;
      counts[i] = total;
    }
    cumulativeByYear.set(year, counts);
  }
  return counts;
}

/** School days from 1 January of the date's year up to and including the date. */
function schoolDaysToDate(date: IsoDate): number {
  const { year } = parseIsoDate(date);
  return cumulative(year)[dayNumber(date) - dayNumber(toIsoDate(year, 1, 1))] ?? 0;
}

/** School days from `from` to `to`, both included; 0 when `to` is before `from`. */
export function schoolDaysBetween(from: IsoDate, to: IsoDate): number {
  if (to < from) return 0;
  const a = parseIsoDate(from).year;
  const b = parseIsoDate(to).year;
  let total = schoolDaysToDate(to) - schoolDaysToDate(from) + (isSchoolDay(from) ? 1 : 0);
  for (let y = a; y < b; y++) total += cumulative(y).at(-1) ?? 0;
  return total;
}

export type HalfTermName = 'autumn1' | 'autumn2' | 'spring1' | 'spring2' | 'summer1' | 'summer2';
export const HALF_TERM_LABELS: Record<HalfTermName, string> = {
  autumn1: 'Autumn 1',
  autumn2: 'Autumn 2',
  spring1: 'Spring 1',
  spring2: 'Spring 2',
  summer1: 'Summer 1',
  summer2: 'Summer 2',
};

export interface HalfTerm {
  name: HalfTermName;
  academicYearStart: number;
  from: IsoDate;
  to: IsoDate;
  /** "Autumn 1 2026/27" */
  label: string;
}

/** The half-terms of the academic year beginning in September of `startYear`, in order. */
export function halfTermsOf(startYear: number): HalfTerm[] {
  const y = startYear;
  const spans: [HalfTermName, IsoDate, IsoDate][] = [
    ['autumn1', toIsoDate(y, 9, 1), toIsoDate(y, 10, 31)],
    ['autumn2', toIsoDate(y, 11, 1), toIsoDate(y, 12, 31)],
    ['spring1', toIsoDate(y + 1, 1, 1), toIsoDate(y + 1, 2, 19)],
    ['spring2', toIsoDate(y + 1, 2, 20), toIsoDate(y + 1, 3, 31)],
    ['summer1', toIsoDate(y + 1, 4, 1), toIsoDate(y + 1, 5, 31)],
    ['summer2', toIsoDate(y + 1, 6, 1), toIsoDate(y + 1, 8, 31)],
  ];
  return spans.map(([name, from, to]) => ({
    name,
    academicYearStart: y,
    from,
    to,
    label: `${HALF_TERM_LABELS[name]} ${academicYearLabel(y)}`,
  }));
}

export function halfTermOf(date: IsoDate): HalfTerm {
  const terms = halfTermsOf(academicYearStartOf(date));
  return terms.find((t) => date >= t.from && date <= t.to) ?? terms[terms.length - 1]!;
}

/** The half-term before the one `date` falls in. */
export function previousHalfTerm(date: IsoDate): HalfTerm {
  return halfTermOf(addDays(halfTermOf(date).from, -1));
}
