import { type IsoDate, parseIsoDate, toIsoDate } from './dates.ts';

/**
 * The school calendar of England: the academic year runs 1 September to 31 August, in three terms
 * (autumn, spring, summer). National curriculum (NC) year: Reception = 0, Year 1 = 1 … Year 6 = 6;
 * Nursery = -1 (the year before Reception); -2 is the younger nursery year.
 */

/** The calendar year in which the academic year containing `date` began (2025 for 2025/26). */
export function academicYearStartOf(date: IsoDate): number {
  const { year, month } = parseIsoDate(date);
  return month >= 9 ? year : year - 1;
}

/**
 * The earliest date of birth of a child in NC year `ncYear` in the academic year starting in
 * `academicYearStart`: 1 September of the academic year they were born in.
 */
export function earliestBirthInNcYear(ncYear: number, academicYearStart: number): IsoDate {
  return `${academicYearStart - ncYear - 5}-09-01` as IsoDate;
}

/** "2025/26" */
export function academicYearLabel(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/**
 * A child's NC year in the academic year starting in September of `academicYearStart`: their age on
 * the 31 August before that academic year begins, minus 4. Reception = 0, Year 6 = 6, Nursery = -1.
 */
export function ncYearFromDateOfBirth(dateOfBirth: IsoDate, academicYearStart: number): number {
  const dob = parseIsoDate(dateOfBirth);
  // Age on 31 August of academicYearStart.
  let age = academicYearStart - dob.year;
  if (dob.month > 8) age -= 1; // birthday from 1 September onwards falls after 31 August
  return age - 4;
}

export const NC_YEAR_MIN = -2;
export const NC_YEAR_MAX = 14;

export function ncYearLabel(ncYear: number): string {
  if (ncYear <= -1) return ncYear === -1 ? 'Nursery' : 'Nursery (younger)';
  if (ncYear === 0) return 'Reception';
  return `Year ${ncYear}`;
}

/**
 * The academic year a school's year groups are counted in: the one `today` falls in, or the next one
 * once the school has rolled over to it (a roll-over in July moves everyone up at once, not some
 * pupils in July and the rest in September).
 */
export function schoolAcademicYearStart(today: IsoDate, rolledOverTo: number | null | undefined): number {
  const byDate = academicYearStartOf(today);
  return rolledOverTo !== null && rolledOverTo !== undefined && rolledOverTo > byDate ? rolledOverTo : byDate;
}

/** The NC year a school uses for a pupil: its override when a child is taught out of year group. */
export function effectiveNcYear(
  dateOfBirth: IsoDate,
  override: number | null | undefined,
  today: IsoDate,
  rolledOverTo: number | null = null,
): number {
  if (override !== null && override !== undefined) return override;
  return ncYearFromDateOfBirth(dateOfBirth, schoolAcademicYearStart(today, rolledOverTo));
}

export type TermName = 'autumn' | 'spring' | 'summer';

/** Terms by calendar month: autumn September–December, spring January–Easter (taken as March), summer April–August. */
export function termOf(date: IsoDate): { term: TermName; academicYearStart: number; label: string } {
  const { month } = parseIsoDate(date);
  const academicYearStart = academicYearStartOf(date);
  const term: TermName = month >= 9 ? 'autumn' : month <= 3 ? 'spring' : 'summer';
  const name = term[0]!.toUpperCase() + term.slice(1);
  return { term, academicYearStart, label: `${name} term ${academicYearLabel(academicYearStart)}` };
}

/** The first day of the term that `date` falls in (1 September, 1 January, 1 April). */
export function termStart(date: IsoDate): IsoDate {
  const { term, academicYearStart } = termOf(date);
  if (term === 'autumn') return toIsoDate(academicYearStart, 9, 1);
  if (term === 'spring') return toIsoDate(academicYearStart + 1, 1, 1);
  return toIsoDate(academicYearStart + 1, 4, 1);
}

/** Whole years of age on a date. */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  const b = parseIsoDate(dateOfBirth);
  const d = parseIsoDate(on);
  let age = d.year - b.year;
  if (d.month < b.month || (d.month === b.month && d.day < b.day)) age -= 1;
  return age;
}
