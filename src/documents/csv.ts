import { stringify } from 'csv-stringify/sync';

/**
 * A cell a spreadsheet could read as a formula (= + - @, or a tab or carriage return first) gets a
 * leading apostrophe, so opening an export can never run anything.
 */
export function neutraliseCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return stringify([header, ...rows.map((r) => r.map(neutraliseCell))], { record_delimiter: '\r\n' });
}
