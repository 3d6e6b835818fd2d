import { describe, expect, it } from 'vitest';
import { leavingDateProblem, termEnd } from './leavers.ts';
import { retainedUntil } from './retention.ts';

describe('how long a leaver’s record is kept', () => {
  it('keeps it to 25 years after birth, or 31 for a pupil ever on the SEN register', () => {
    expect(retainedUntil('2015-06-30', false)).toBe('2040-06-30');
    expect(retainedUntil('2015-06-30', true)).toBe('2046-06-30');
    // 29 February, in a year that has none, is the 28th.
    expect(retainedUntil('2016-02-29', false)).toBe('2041-02-28');
    expect(retainedUntil('2016-02-29', true)).toBe('2047-02-28');
    expect(retainedUntil('2015-02-28', false)).toBe('2040-02-28');
  });
});

describe('the leaving date', () => {
  const pupil = { forename: 'Kit', dateOfBirth: '2017-03-02', admissionDate: '2021-09-06' };
  it('runs to the end of the current term at most', () => {
    expect(termEnd('2026-11-20')).toBe('2026-12-31');
    expect(termEnd('2027-02-01')).toBe('2027-03-31');
    expect(termEnd('2027-07-10')).toBe('2027-08-31');
    expect(leavingDateProblem('2026-12-18', pupil, '2026-11-20')).toBeNull();
    expect(leavingDateProblem('2026-11-20', pupil, '2026-11-20')).toBeNull();
    expect(leavingDateProblem('2027-01-04', pupil, '2026-11-20')).toMatch(
      /no later than the end of this term \(31 December 2026\)/,
    );
  });
  it('is not before the pupil joined or was born', () => {
    expect(leavingDateProblem('2021-09-01', pupil, '2026-11-20')).toMatch(
      /before Kit joined the school \(6 September 2021\)/,
    );
    expect(leavingDateProblem('2017-03-01', { ...pupil, admissionDate: null }, '2026-11-20')).toMatch(
      /after Kit was born/,
    );
    expect(leavingDateProblem('2018-03-01', { ...pupil, admissionDate: null }, '2026-11-20')).toBeNull();
  });
});
