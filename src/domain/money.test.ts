import { describe, expect, it } from 'vitest';
import { formatPounds, parsePounds } from './money.ts';

describe('amounts of money in whole pence', () => {
  it('reads pounds as people type them', () => {
    expect(parsePounds('£6,000')).toBe(600_000);
    expect(parsePounds('6000')).toBe(600_000);
    expect(parsePounds('6000.00')).toBe(600_000);
    expect(parsePounds(' £ 6,000.5 ')).toBe(600_050);
    expect(parsePounds('0.07')).toBe(7);
    expect(parsePounds('£100,000')).toBe(10_000_000);
    // 0.1 + 0.2 style errors cannot happen: 1234.56 is exactly 123456 pence.
    expect(parsePounds('1234.56')).toBe(123_456);
  });

  it('refuses what is not an amount', () => {
    for (const bad of [
      '',
      '£',
      'six thousand',
      '6,00',
      '6.000',
      '-5',
      '1e5',
      '6,000.123',
      '£6 000x',
      '12,34,567',
    ]) {
      expect(parsePounds(bad), bad).toBeNull();
    }
  });

  it('writes pounds with thousands separated, pence only when there are some', () => {
    expect(formatPounds(600_000)).toBe('£6,000');
    expect(formatPounds(600_050)).toBe('£6,000.50');
    expect(formatPounds(7)).toBe('£0.07');
    expect(formatPounds(123_456_789)).toBe('£1,234,567.89');
  });
});
