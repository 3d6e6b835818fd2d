import { termOf } from './calendar.ts';
import { formatDate, type IsoDate, toIsoDate } from './dates.ts';

/**
 * A pupil leaving the school. The leaving date may be up to the end of the current term, so that a
 * move the school knows about (Year 6 going up, a family moving at Christmas) can be recorded and its
 * Common Transfer File sent on time, but no later: from the moment it is recorded the record is
 * read-only and out of lists and counts, which is wrong for a pupil still here for months.
 */

/** The last day of the term `date` falls in (31 December, 31 March, 31 August). */
export function termEnd(date: IsoDate): IsoDate {
  const { term, academicYearStart } = termOf(date);
  if (term === 'autumn') return toIsoDate(academicYearStart, 12, 31);
  if (term === 'spring') return toIsoDate(academicYearStart + 1, 3, 31);
  return toIsoDate(academicYearStart + 1, 8, 31);
}

export interface LeavingPupil {
  forename: string;
  dateOfBirth: IsoDate;
  admissionDate: IsoDate | null;
}

export function leavingDateProblem(date: IsoDate, pupil: LeavingPupil, today: IsoDate): string | null {
  const end = termEnd(today);
  if (date > end) {
    return `The leaving date can be no later than the end of this term (${formatDate(end)}): record it nearer the time`;
  }
  if (date <= pupil.dateOfBirth) {
    return `The leaving date must be after ${pupil.forename} was born (${formatDate(pupil.dateOfBirth)})`;
  }
  if (pupil.admissionDate && date < pupil.admissionDate) {
    return `The leaving date cannot be before ${pupil.forename} joined the school (${formatDate(pupil.admissionDate)})`;
  }
  return null;
}

/** A URN as typed: six digits (the DfE's unique reference number of a school). */
export function isUrn(value: string): boolean {
  return /^\d{6}$/.test(value);
}
