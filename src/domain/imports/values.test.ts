import { describe, expect, it } from 'vitest';
import { makeUpn } from '../upn.ts';
import {
  readAttendance,
  readDate,
  readEmail,
  readFlag,
  readPhone,
  readSex,
  readText,
  readUpn,
  readYearGroup,
} from './values.ts';

const value = <T>(r: { ok: true; value: T } | { ok: false; message: string }) => (r.ok ? r.value : r.message);

describe('reading the cells of an MIS export', () => {
  it('reads dates written day first or year first, and refuses impossible ones', () => {
    expect(value(readDate('15/01/2018', 'Date of birth', true))).toBe('2018-01-15');
    expect(value(readDate('5/1/2018', 'Date of birth', true))).toBe('2018-01-05');
    expect(value(readDate('15-01-2018', 'Date of birth', true))).toBe('2018-01-15');
    expect(value(readDate('15/01/2018 00:00:00', 'Date of birth', true))).toBe('2018-01-15');
    expect(value(readDate('2018-01-15', 'Date of birth', true))).toBe('2018-01-15');
    expect(value(readDate('31/02/2018', 'Date of birth', true))).toBe(
      'Date of birth “31/02/2018” is not a real date',
    );
    expect(value(readDate('01/15/2018', 'Date of birth', true))).toBe(
      'Date of birth “01/15/2018” is not a real date',
    );
    expect(value(readDate('15/1/18', 'Date of birth', true))).toBe(
      'Date of birth “15/1/18” is not a date written like 31/12/2017 or 2017-12-31',
    );
    expect(value(readDate('', 'Date of birth', true))).toBe('Date of birth is missing');
    expect(value(readDate('  ', 'Date of admission', false))).toBeNull();
  });

  it('reads sex as the census records it', () => {
    expect(value(readSex('M'))).toBe('male');
    expect(value(readSex('female'))).toBe('female');
    expect(value(readSex(' F '))).toBe('female');
    expect(value(readSex('X'))).toBe('Sex “X” must be M or F (Male or Female), as in the school census');
  });

  it('reads yes-or-no columns in every usual spelling, empty meaning no', () => {
    for (const yes of ['Y', 'yes', 'TRUE', '1', 'T']) expect(value(readFlag(yes, 'EAL'))).toBe(true);
    for (const no of ['N', 'No', 'false', '0', '', ' ']) expect(value(readFlag(no, 'EAL'))).toBe(false);
    expect(value(readFlag('maybe', 'EAL'))).toBe('EAL “maybe” must be Yes or No (Y, N, True, False, 1 or 0)');
  });

  it('reads year groups as MISs write them', () => {
    const cases: [string, number | null][] = [
      ['Year 3', 3],
      ['3', 3],
      ['Y3', 3],
      ['year 11', 11],
      ['R', 0],
      ['YR', 0],
      ['Reception', 0],
      ['N', -1],
      ['Nursery', -1],
      ['N2', -1],
      ['N1', -2],
      ['', null],
    ];
    for (const [raw, year] of cases) expect(value(readYearGroup(raw)), raw).toBe(year);
    expect(value(readYearGroup('Year 15'))).toBe(
      'Year group “Year 15” is not a year group: write it like Year 3, 3, R or N',
    );
    expect(value(readYearGroup('Blue'))).toMatch(/is not a year group/);
  });

  it('reads attendance with or without a percent sign, to one decimal place', () => {
    expect(value(readAttendance('94.5'))).toBe(94.5);
    expect(value(readAttendance('94.5%'))).toBe(94.5);
    expect(value(readAttendance('100 %'))).toBe(100);
    expect(value(readAttendance('88.46'))).toBe(88.5);
    expect(value(readAttendance(''))).toBeNull();
    expect(value(readAttendance('101'))).toMatch(/must be a percentage from 0 to 100/);
    expect(value(readAttendance('ninety'))).toMatch(/must be a percentage/);
  });

  it('checks the UPN check letter', () => {
    const upn = makeUpn('999', '1234', 20, 56);
    expect(value(readUpn(` ${upn.toLowerCase()} `))).toBe(upn);
    const wrong = (upn[0] === 'A' ? 'B' : 'A') + upn.slice(1);
    expect(value(readUpn(wrong))).toBe(
      `UPN check letter is wrong: check the UPN against the pupil’s records (“${wrong}”)`,
    );
    expect(value(readUpn(''))).toBe('UPN is missing');
    expect(value(readUpn('A12'))).toMatch(/^UPN must be 13 characters/);
  });

  it('refuses a name with a byte the file’s encoding could not read, or with invisible formatting characters', () => {
    const options = { max: 100, required: true };
    // Windows-1252 has no character for 0x81, 0x8D, 0x8F, 0x90 or 0x9D: decoded, they become U+FFFD.
    expect(value(readText('Aarév\uFFFD', 'First name', options))).toMatch(
      /^First name “Aarév�” has a character that could not be read/,
    );
    // A right-to-left override, a zero-width space, a byte order mark, an isolate: a name that reads
    // differently from what it holds.
    for (const bad of ['O\u202EBrien', 'Zo\u200Be', 'An\uFEFFn', 'Li\u2066am', 'Sam\u200F']) {
      expect(value(readText(bad, 'Last name', options))).toBe(
        'Last name contains hidden control characters: correct it in the MIS',
      );
    }
    // The zero-width non-joiner and joiner belong in some scripts' names.
    expect(readText('\u0645\u06CC\u200C\u0631\u0648\u062F', 'First name', options).ok).toBe(true);
  });

  it('refuses a name that starts like a spreadsheet formula, or hides control characters', () => {
    const options = { max: 100, required: true };
    expect(value(readText('=HYPERLINK("http://x","y")', 'Last name', options))).toBe(
      'Last name “=HYPERLINK("http://x","y")” starts with “=” like a spreadsheet formula: correct it in the MIS',
    );
    for (const bad of ['+1', '-2+3', '@SUM(A1)']) expect(readText(bad, 'Last name', options).ok).toBe(false);
    expect(value(readText('Ann\u0007e', 'First name', options))).toBe(
      'First name contains hidden control characters: correct it in the MIS',
    );
    expect(value(readText('O’Brien-Smith', 'Last name', options))).toBe('O’Brien-Smith');
    expect(value(readText('', 'Last name', options))).toBe('Last name is missing');
    expect(value(readText('x'.repeat(101), 'Last name', options))).toBe(
      'Last name is longer than 100 characters',
    );
  });

  it('reads contact details', () => {
    expect(value(readEmail(' Kasia@Families.example ', 'Email'))).toBe('kasia@families.example');
    expect(value(readEmail('not an email', 'Email'))).toBe('Email “not an email” is not an email address');
    expect(value(readPhone('+44 7700  900111', 'Telephone'))).toBe('+44 7700 900111');
    expect(value(readPhone('ring the office', 'Telephone'))).toBe(
      'Telephone “ring the office” is not a telephone number',
    );
  });
});
