import { describe, expect, it } from 'vitest';
import { addDays, addYears, formatDate, isRealDate, todayInEngland } from './dates.ts';

describe('dates', () => {
  it('knows real dates', () => {
    expect(isRealDate(2024, 2, 29)).toBe(true);
    expect(isRealDate(2025, 2, 29)).toBe(false);
    expect(isRealDate(2025, 13, 1)).toBe(false);
    expect(isRealDate(2025, 4, 31)).toBe(false);
  });
  it('adds years: 20 November 2026 back one year is 20 November 2025; 29 February 2028 back one is 28 February 2027', () => {
    expect(addYears('2026-11-20', -1)).toBe('2025-11-20');
    expect(addYears('2028-02-29', -1)).toBe('2027-02-28');
    expect(addYears('2026-10-01', -2)).toBe('2024-10-01');
  });
  it('formats the GOV.UK way and adds days across months', () => {
    expect(formatDate('2026-10-01')).toBe('1 October 2026');
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
  });
  it('takes today in England, not in UTC', () => {
    // 23:30 UTC on 30 June is already 1 July in British Summer Time.
    expect(todayInEngland(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(todayInEngland(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
  });
});
