import { describe, expect, it } from 'vitest';
import { twelveMonthsEnd } from './ehc-review-clock.ts';

describe('twelveMonthsEnd: a review is due within twelve months of the plan, then of the last review', () => {
  it('ends the day before the same date a year on', () => {
    expect(twelveMonthsEnd('2026-12-07')).toBe('2027-12-06');
    expect(twelveMonthsEnd('2027-01-01')).toBe('2027-12-31');
  });
  it('from 1 March, ends on the last day of February, 29 February in a leap year', () => {
    expect(twelveMonthsEnd('2027-03-01')).toBe('2028-02-29');
    expect(twelveMonthsEnd('2026-03-01')).toBe('2027-02-28');
  });
  it('a plan finalised on 29 February: due by 28 February the next year', () => {
    expect(twelveMonthsEnd('2028-02-29')).toBe('2029-02-28');
  });
});
