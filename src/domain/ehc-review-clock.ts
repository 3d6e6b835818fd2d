import { addDays, addYears, type IsoDate, isRealDate, parseIsoDate } from './dates.ts';

/*
 * The timetable of an EHC plan's annual review (SEND Regulations 2014, regs 2, 18–22; DOMAIN.md
 * "EHC needs assessment and plans"; docs/adr/0038): when a review falls due, the notice its invitations
 * and advice need, when the report is due, the local authority's decision and an amended plan, and a
 * phase transfer's date worked back. Pure: dates in, dates out.
 */

/**
 * The last day of the twelve months that begin on `from` (the day the plan was issued, or the day of
 * the last review meeting): a review is due within them. Twelve months from 1 March end on the last day
 * of February; from 29 February, on 28 February the next year (there is no 29 February to end before).
 */
export function twelveMonthsEnd(from: IsoDate): IsoDate {
  const { year, month, day } = parseIsoDate(from);
  if (month === 2 && day === 29 && !isRealDate(year + 1, 2, 29)) return addYears(from, 1);
  return addDays(addYears(from, 1), -1);
}
