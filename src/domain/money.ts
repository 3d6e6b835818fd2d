/**
 * Sums of money, always held as whole pence: typed amounts are read digit by digit, never through
 * floating point ("£6,000", "6000", "6000.00" and "6,000.5" are 600000, 600000, 600000 and 600050).
 */

/** Pence from what a person typed, or null when it is not an amount of pounds. */
export function parsePounds(typed: string): number | null {
  const text = typed.trim().replace(/^£\s*/, '').replace(/\s+/g, '');
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  const whole = (match[1] ?? '').replace(/,/g, '');
  if (whole.length > 12) return null;
  const pence = (match[2] ?? '').padEnd(2, '0');
  return Number(whole) * 100 + Number(pence);
}

/** "£6,000" for whole pounds, "£6,000.50" otherwise. */
export function formatPounds(pence: number): string {
  const pounds = Math.floor(pence / 100);
  const rest = pence % 100;
  const grouped = String(pounds).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `£${grouped}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`}`;
}
