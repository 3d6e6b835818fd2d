import { CsvError, parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import type { ImportSource } from '../../domain/imports/plan.ts';
import { controlCharacterName, lineAt } from '../../domain/text.ts';

/**
 * An uploaded MIS export read as rows of text. The bytes are UTF-8 (with or without the byte order
 * mark Excel writes), UTF-16 with its mark (Excel's "Unicode text"), or else Windows-1252, the
 * encoding of older exports and of Excel's plain "CSV" on Windows: bytes that are not valid UTF-8
 * are read that way, so "Zoë" and "O’Brien" arrive as written. Anything that is not a CSV file (a
 * workbook, a PDF, an image, an empty file, a file without headings) is refused in plain words.
 */
export type FileEncoding = 'utf-8' | 'utf-16' | 'windows-1252';
export type ReadCsv =
  | { ok: true; source: ImportSource; encoding: FileEncoding; delimiter: string }
  | { ok: false; message: string };

/** More rows than any school has: a file this long is not one school's pupils. */
export const MAX_ROWS = 20_000;
/** Far more columns than any pupil export has. */
export const MAX_COLUMNS = 200;

const startsWith = (data: Buffer, bytes: number[]) => bytes.every((b, i) => data[i] === b);

function notCsv(fileName: string, data: Buffer): string | null {
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0xd0, 0xcf, 0x11, 0xe0])) {
    return `${fileName} is a spreadsheet workbook, not a CSV file: open it in Excel, choose Save As, pick “CSV UTF-8 (Comma delimited)”, and upload that file`;
  }
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46])) {
    return `${fileName} is a PDF, not a CSV file: export the pupils from the MIS as CSV and upload that file`;
  }
  return null;
}

/**
 * UTF-16 saved without its byte order mark: the headings at the start of the file are plain letters,
 * so in nearly every pair of bytes one is zero (the second in little-endian, the first in big-endian)
 * and the other a printable ASCII character. A binary file with many zero bytes does not look like this.
 */
function utf16WithoutMark(data: Buffer): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.min(Math.floor(data.length / 2), 256);
  if (pairs < 2) return null;
  const ascii = (b: number | undefined) => b !== undefined && b >= 0x09 && b <= 0x7e;
  let little = 0;
  let big = 0;
  for (let i = 0; i < pairs; i++) {
    const [first, second] = [data[2 * i], data[2 * i + 1]];
    if (second === 0 && ascii(first)) little += 1;
    if (first === 0 && ascii(second)) big += 1;
  }
  if (little >= pairs * 0.9) return 'utf-16le';
  if (big >= pairs * 0.9) return 'utf-16be';
  return null;
}

function decode(data: Buffer): { text: string; encoding: FileEncoding } {
  if (startsWith(data, [0xef, 0xbb, 0xbf]))
    return { text: data.subarray(3).toString('utf8'), encoding: 'utf-8' };
  if (startsWith(data, [0xff, 0xfe]))
    return { text: iconv.decode(data.subarray(2), 'utf-16le'), encoding: 'utf-16' };
  if (startsWith(data, [0xfe, 0xff]))
    return { text: iconv.decode(data.subarray(2), 'utf-16be'), encoding: 'utf-16' };
  const unmarked = utf16WithoutMark(data);
  if (unmarked) return { text: iconv.decode(data, unmarked), encoding: 'utf-16' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(data), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(data, 'win1252'), encoding: 'windows-1252' };
  }
}

/** Comma, semicolon (Excel in some locales) or tab: whichever the heading line uses most, outside quotes. */
function delimiterOf(text: string): string {
  const firstLine = (text.split('\n', 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: binary files are found by their control bytes
const CONTROL = /[\u0000-\u0008\u000E-\u001A\u001C-\u001F]/;
const EVERY_CONTROL = new RegExp(CONTROL.source, 'g');

/**
 * A control character no CSV export holds (NUL, BEL …; tab, line breaks and escape aside): 'binary'
 * when the start of the file has many (a picture, a program: not a CSV file at all), else the first
 * one, named, with its line (one stray character in a cell or a heading, which refuses the file whole:
 * PostgreSQL cannot keep a NUL, and nothing after one can be trusted to be what the MIS wrote).
 */
function controlCharacterIn(text: string): 'binary' | { name: string; line: number } | null {
  const sample = text.slice(0, 65536);
  const inSample = sample.match(EVERY_CONTROL)?.length ?? 0;
  if (inSample >= 3 && inSample * 50 >= sample.length) return 'binary';
  const found = CONTROL.exec(text);
  if (!found) return null;
  return { name: controlCharacterName(found[0]), line: lineAt(text, found.index) };
}

export function readCsv(fileName: string, data: Buffer): ReadCsv {
  if (data.length === 0) return { ok: false, message: `The file ${fileName} is empty` };
  const refused = notCsv(fileName, data);
  if (refused) return { ok: false, message: refused };
  const { text: decoded, encoding } = decode(data);
  const text = decoded.replace(/\r\n?/g, '\n');
  const control = controlCharacterIn(text);
  if (control === 'binary') {
    return {
      ok: false,
      message: `${fileName} is not a CSV file: export the pupils from the MIS as CSV (comma-separated values) and upload that file`,
    };
  }
  if (control) {
    return {
      ok: false,
      message: `${fileName} holds a control character (${control.name}) on line ${control.line}, which a CSV export never contains: export it again from the MIS as CSV and upload that file`,
    };
  }
  if (text.trim() === '') return { ok: false, message: `The file ${fileName} is empty` };
  const delimiter = delimiterOf(text);
  let records: { record: string[]; raw: string; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    const where = line ? ` (near line ${line})` : '';
    const why =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? `a quotation mark is opened and never closed${where}`
        : error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE'
          ? `a quotation mark is in the wrong place${where}`
          : `its layout is not CSV${where}`;
    return {
      ok: false,
      message: `${fileName} could not be read as a CSV file: ${why}. Export it from the MIS again`,
    };
  }
  const [first, ...rest] = records;
  const headings = (first?.record ?? []).map((h) => h.trim());
  if (!first || headings.every((h) => h === '')) {
    return { ok: false, message: `${fileName} has no column headings on its first line` };
  }
  if (headings.length < 2) {
    return {
      ok: false,
      message: `The first line of ${fileName} should be the column headings (UPN, Surname, Forename …), separated by commas: it has only one column`,
    };
  }
  if (headings.length > MAX_COLUMNS) {
    return {
      ok: false,
      message: `${fileName} has ${headings.length.toLocaleString('en-GB')} columns: a pupil export has far fewer, so check it is the right file (up to ${MAX_COLUMNS} columns)`,
    };
  }
  if (rest.length === 0) return { ok: false, message: `${fileName} has column headings but no pupils` };
  if (rest.length > MAX_ROWS) {
    return {
      ok: false,
      message: `${fileName} has ${rest.length.toLocaleString('en-GB')} rows: a file can have up to ${MAX_ROWS.toLocaleString('en-GB')} pupils`,
    };
  }
  const rows = rest.map((r) => {
    // The line a row starts on: where it ends, less the line breaks inside it (a quoted value can hold one).
    const content = r.raw.replace(/^\n+/, '').replace(/\n$/, '');
    const inside = content.split('\n').length - 1;
    return { line: r.info.lines - inside, cells: r.record.map((c) => c.trim()) };
  });
  return { ok: true, source: { headings, rows }, encoding, delimiter };
}
