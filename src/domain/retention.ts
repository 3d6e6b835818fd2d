import { type IsoDate, parseIsoDate, toIsoDate } from './dates.ts';

/**
 * How long a pupil's record is kept after they leave (DOMAIN.md "Retention and rights", after the
 * IRMS toolkit): to their 25th birthday after their date of birth, or to the 31st when they were ever
 * on the SEN register (SEN support or an EHC plan), since the last school keeps the SEN file.
 */
export const RETENTION_YEARS = 25;
export const SEN_RETENTION_YEARS = 31;

/** The day until which the record is kept. A 29 February birthday counts from 28 February. */
export function retainedUntil(dateOfBirth: IsoDate, everOnSenRegister: boolean): IsoDate {
  const { year, month, day } = parseIsoDate(dateOfBirth);
  const years = everOnSenRegister ? SEN_RETENTION_YEARS : RETENTION_YEARS;
  const target = year + years;
  const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return toIsoDate(target, month, month === 2 && day === 29 && !leap(target) ? 28 : day);
}
