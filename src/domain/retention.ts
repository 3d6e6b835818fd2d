import { dfeNumber, UNKNOWN_DESTINATION } from './ctf/model.ts';
import { compareIsoDates, type IsoDate, parseIsoDate, toIsoDate } from './dates.ts';

/**
 * How long a pupil's record is kept after they leave (DOMAIN.md "Retention and rights", after the
 * IRMS toolkit): to their 25th birthday after their date of birth, or to the 31st when they were ever
 * on the SEN register (SEN support or an EHC plan) and this school was their last, since the last
 * school keeps the SEN file. The years are the school's settings; these are the defaults.
 */
export const RETENTION_YEARS = 25;
export const SEN_RETENTION_YEARS = 31;

/** The school's settings for retention (years after the date of birth). */
export interface RetentionYears {
  /** The pupil's school record. */
  pupil: number;
  /** The SEN file, kept by the pupil's last school. */
  sen: number;
}

export const DEFAULT_RETENTION_YEARS: RetentionYears = { pupil: RETENTION_YEARS, sen: SEN_RETENTION_YEARS };

/** The years a school may set: a record is never kept for less than the pupil's 18th birthday, nor past 100. */
export const RETENTION_YEARS_RANGE = { min: 18, max: 100 } as const;

/**
 * Which rule keeps a leaver's record:
 * - `sen`: ever on the SEN register here, and this school was their last (no Common Transfer File sent
 *   to another school, or one sent to a destination not known, MMM XXXX: a school outside the
 *   maintained sector or abroad, where no file goes). The last school keeps the SEN file.
 * - `pupil`: never on the SEN register here; or moved on by a Common Transfer File to another school.
 *   The SEN file went with the child (IRMS toolkit: the file transfers, the receiving school keeps it),
 *   so this school is not the last and keeps its copy only as long as the pupil's school record.
 */
export type RetentionBasis = 'sen' | 'pupil';

export const RETENTION_BASIS_LABELS: Record<RetentionBasis, string> = {
  sen: 'SEN file, kept by the last school',
  pupil: 'Pupil’s school record',
};

/** What the page says about each rule. */
export const RETENTION_BASIS_EXPLANATIONS: Record<RetentionBasis, string> = {
  sen: 'Ever on the SEN register here, and this school was their last: the SEN file is kept to the SEN years.',
  pupil:
    'Never on the SEN register here, or moved on to another school by a Common Transfer File (their SEN file went with them): kept to the pupil years.',
};

/** The day until which the record is kept. A 29 February birthday counts from 28 February. */
export function retainedUntil(
  dateOfBirth: IsoDate,
  everOnSenRegister: boolean,
  years: RetentionYears = DEFAULT_RETENTION_YEARS,
): IsoDate {
  return addYears(dateOfBirth, everOnSenRegister ? years.sen : years.pupil);
}

function addYears(date: IsoDate, years: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  const target = year + years;
  const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return toIsoDate(target, month, month === 2 && day === 29 && !leap(target) ? 28 : day);
}

export interface LeaverForRetention {
  dateOfBirth: IsoDate;
  /** Null while on roll. */
  leftOn: IsoDate | null;
  /** Ever on the SEN register (SEN support or an EHC plan) at this school. */
  everOnSenRegister: boolean;
  /** A Common Transfer File with the pupil was sent to another (known) school. */
  movedOnByCtf: boolean;
}

export interface Retention {
  basis: RetentionBasis;
  keptUntil: IsoDate;
}

/** The rule that keeps a pupil's record, and until when. */
export function retentionOf(
  p: LeaverForRetention,
  years: RetentionYears = DEFAULT_RETENTION_YEARS,
): Retention {
  const basis: RetentionBasis = p.everOnSenRegister && !p.movedOnByCtf ? 'sen' : 'pupil';
  return { basis, keptUntil: retainedUntil(p.dateOfBirth, basis === 'sen', years) };
}

/**
 * Whether the pupil's record is past its retention date today: they have left, and today is after the
 * day it is kept until. A pupil on roll never is, whatever their age.
 */
export function pastRetention(
  p: LeaverForRetention,
  today: IsoDate,
  years: RetentionYears = DEFAULT_RETENTION_YEARS,
): Retention | null {
  if (!p.leftOn) return null;
  const r = retentionOf(p, years);
  return compareIsoDates(today, r.keptUntil) > 0 ? r : null;
}

/**
 * The latest date of birth a leaver past retention today can have (by the shorter of the two rules):
 * a database's first filter, before the rule is applied to each.
 */
export function bornOnOrBeforeForReview(today: IsoDate, years: RetentionYears): IsoDate {
  return addYears(today, -Math.min(years.pupil, years.sen));
}

/** A problem with the years a school chose, in plain English, or null. */
export function retentionYearsProblem(
  years: RetentionYears,
): { field: keyof RetentionYears; message: string } | null {
  const { min, max } = RETENTION_YEARS_RANGE;
  for (const field of ['pupil', 'sen'] as const) {
    const v = years[field];
    if (!Number.isInteger(v) || v < min || v > max)
      return { field, message: `Enter a whole number of years from ${min} to ${max}` };
  }
  if (years.sen < years.pupil)
    return { field: 'sen', message: 'The SEN file is kept at least as long as the pupil’s school record' };
  return null;
}

/** Whether a CTF destination (its DfE number in the file name) is another school, not MMM XXXX. */
export function ctfWentToAnotherSchool(fileName: string): boolean {
  const m = /_CTF_([0-9A-Z]{7})_/i.exec(fileName);
  return m !== null && m[1]!.toUpperCase() !== dfeNumber(UNKNOWN_DESTINATION);
}
