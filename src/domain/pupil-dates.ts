import { ageOn } from './calendar.ts';
import { formatDate, type IsoDate } from './dates.ts';

/**
 * Dates that cannot be true about a pupil. A school teaches children from 2 (nursery) to 19 (sixth
 * form and special schools); nothing happens to a pupil before they were born; a decision about their
 * place on the register is not dated before they joined the school.
 */
export const SCHOOL_AGE_MIN = 2;
export const SCHOOL_AGE_MAX = 19;

export function dateOfBirthProblem(dateOfBirth: IsoDate, today: IsoDate): string | null {
  if (dateOfBirth > today) return 'Date of birth must be in the past';
  const age = ageOn(dateOfBirth, today);
  if (age < SCHOOL_AGE_MIN || age > SCHOOL_AGE_MAX) {
    return `Date of birth must make the pupil between ${SCHOOL_AGE_MIN} and ${SCHOOL_AGE_MAX} years old today (this date makes them ${age})`;
  }
  return null;
}

export interface PupilDates {
  forename: string;
  dateOfBirth: IsoDate;
  admissionDate: IsoDate | null;
}

/**
 * A date recorded about a pupil (`what`, as a sentence begins: "The date of the concern"): not in the
 * future, not before their birth, and, where `sinceJoining`, not before they joined the school. The
 * message names the date of birth or admission unless `hideDates` (for someone who may not know it).
 */
export function pupilDateProblem(
  date: IsoDate,
  pupil: PupilDates,
  what: string,
  today: IsoDate,
  options: { sinceJoining?: boolean; hideDates?: boolean } = {},
): string | null {
  const shown = (d: IsoDate) => (options.hideDates ? '' : ` (${formatDate(d)})`);
  if (date > today) return `${what} must be today or in the past`;
  if (date < pupil.dateOfBirth) {
    return `${what} cannot be before ${pupil.forename} was born${shown(pupil.dateOfBirth)}`;
  }
  if (options.sinceJoining && pupil.admissionDate && date < pupil.admissionDate) {
    return `${what} cannot be before ${pupil.forename} joined the school${shown(pupil.admissionDate)}`;
  }
  return null;
}

/** The date a pupil joined must follow their birth and not be in the future. */
export function admissionDateProblem(
  admissionDate: IsoDate,
  dateOfBirth: IsoDate,
  today: IsoDate,
): string | null {
  if (admissionDate > today) return 'Date of admission must be today or in the past';
  if (admissionDate <= dateOfBirth) return 'Date of admission must be after the date of birth';
  return null;
}
