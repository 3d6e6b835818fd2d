import { describe, expect, it } from 'vitest';
import { leavingDateProblem, termEnd } from './leavers.ts';
import {
  bornOnOrBeforeForReview,
  ctfWentToAnotherSchool,
  pastRetention,
  retainedUntil,
  retentionOf,
  retentionYearsProblem,
} from './retention.ts';

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

describe('a leaver past retention', () => {
  const years = { pupil: 25, sen: 31 };
  const leaver = {
    dateOfBirth: '2000-03-14',
    leftOn: '2013-07-19',
    everOnSenRegister: false,
    movedOnByCtf: false,
  };

  it('is past the pupil rule the day after their 25th birthday, not on it', () => {
    expect(pastRetention(leaver, '2025-03-14', years)).toBeNull();
    expect(pastRetention(leaver, '2025-03-15', years)).toEqual({ basis: 'pupil', keptUntil: '2025-03-14' });
  });

  it('keeps the SEN file to 31 when the school was the last, to 25 when a CTF took it to another school', () => {
    const sen = { ...leaver, everOnSenRegister: true };
    expect(pastRetention(sen, '2026-12-07', years)).toBeNull();
    expect(retentionOf(sen, years)).toEqual({ basis: 'sen', keptUntil: '2031-03-14' });
    expect(pastRetention(sen, '2031-03-15', years)).toEqual({ basis: 'sen', keptUntil: '2031-03-14' });
    const movedOn = { ...sen, movedOnByCtf: true };
    expect(pastRetention(movedOn, '2026-12-07', years)).toEqual({ basis: 'pupil', keptUntil: '2025-03-14' });
  });

  it('never lists a pupil on roll, however old', () => {
    expect(pastRetention({ ...leaver, leftOn: null }, '2090-01-01', years)).toBeNull();
  });

  it('follows the school’s years', () => {
    expect(pastRetention(leaver, '2026-12-07', { pupil: 30, sen: 35 })).toBeNull();
    expect(retentionOf({ ...leaver, everOnSenRegister: true }, { pupil: 30, sen: 35 }).keptUntil).toBe(
      '2035-03-14',
    );
    expect(bornOnOrBeforeForReview('2026-12-07', years)).toBe('2001-12-07');
  });

  it('refuses years shorter than childhood, longer than a lifetime, or an SEN file kept less than the pupil record', () => {
    expect(retentionYearsProblem(years)).toBeNull();
    expect(retentionYearsProblem({ pupil: 17, sen: 31 })).toEqual({
      field: 'pupil',
      message: expect.stringMatching(/18 to 100/),
    });
    expect(retentionYearsProblem({ pupil: 25, sen: 101 })?.field).toBe('sen');
    expect(retentionYearsProblem({ pupil: 25.5, sen: 31 })?.field).toBe('pupil');
    expect(retentionYearsProblem({ pupil: 30, sen: 25 })).toEqual({
      field: 'sen',
      message: expect.stringMatching(/at least as long/),
    });
  });

  it('tells a CTF to another school from one to a destination not known', () => {
    expect(ctfWentToAnotherSchool('9991234_CTF_8882001_004.xml')).toBe(true);
    expect(ctfWentToAnotherSchool('9991234_CTF_MMMXXXX_004.xml')).toBe(false);
    expect(ctfWentToAnotherSchool('notes.xml')).toBe(false);
  });
});
