import { describe, expect, it } from 'vitest';
import {
  academicYearLabel,
  academicYearStartOf,
  ageOn,
  earliestBirthInNcYear,
  effectiveNcYear,
  ncYearFromDateOfBirth,
  ncYearLabel,
  termOf,
  termStart,
} from './calendar.ts';

describe('academic year', () => {
  it('starts on 1 September', () => {
    expect(academicYearStartOf('2026-08-31')).toBe(2025);
    expect(academicYearStartOf('2026-09-01')).toBe(2026);
    expect(academicYearLabel(2025)).toBe('2025/26');
    expect(academicYearLabel(2099)).toBe('2099/00');
  });
});

describe('NC year from date of birth', () => {
  it('puts the oldest and youngest of a cohort in the same year group', () => {
    // Reception in 2026/27: born 1 September 2021 to 31 August 2022.
    expect(ncYearFromDateOfBirth('2021-09-01', 2026)).toBe(0);
    expect(ncYearFromDateOfBirth('2022-08-31', 2026)).toBe(0);
    expect(ncYearFromDateOfBirth('2021-08-31', 2026)).toBe(1);
    expect(ncYearFromDateOfBirth('2022-09-01', 2026)).toBe(-1);
  });
  it('gives Year 6 for an 11-year-old at the end of the year', () => {
    expect(ncYearFromDateOfBirth('2015-12-25', 2026)).toBe(6);
  });
  it('gives the first birthday of a year group, the bound that says no more than the year group does', () => {
    // Year 5 in 2026/27: born 1 September 2016 to 31 August 2017.
    expect(earliestBirthInNcYear(5, 2026)).toBe('2016-09-01');
    expect(ncYearFromDateOfBirth(earliestBirthInNcYear(5, 2026), 2026)).toBe(5);
    expect(ncYearFromDateOfBirth('2016-08-31', 2026)).toBe(6);
    expect(earliestBirthInNcYear(-1, 2026)).toBe('2022-09-01');
  });
  it('handles a leap-day birthday', () => {
    expect(ncYearFromDateOfBirth('2020-02-29', 2026)).toBe(2);
  });
  it('uses the override for a child taught out of year group', () => {
    expect(effectiveNcYear('2019-01-01', 2, '2026-11-20')).toBe(2);
    expect(effectiveNcYear('2019-01-01', null, '2026-11-20')).toBe(3);
  });
  it('labels year groups the way schools say them', () => {
    expect(ncYearLabel(-1)).toBe('Nursery');
    expect(ncYearLabel(0)).toBe('Reception');
    expect(ncYearLabel(6)).toBe('Year 6');
  });
});

describe('terms', () => {
  it('names the term and its start', () => {
    expect(termOf('2026-11-20')).toMatchObject({ term: 'autumn', label: 'Autumn term 2026/27' });
    expect(termOf('2027-02-01').term).toBe('spring');
    expect(termOf('2027-06-30').term).toBe('summer');
    expect(termStart('2026-11-20')).toBe('2026-09-01');
    expect(termStart('2027-03-31')).toBe('2027-01-01');
    expect(termStart('2027-07-01')).toBe('2027-04-01');
  });
  it('counts age in whole years', () => {
    expect(ageOn('2018-11-21', '2026-11-20')).toBe(7);
    expect(ageOn('2018-11-20', '2026-11-20')).toBe(8);
  });
});
