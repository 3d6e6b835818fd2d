import { NC_YEAR_MAX, NC_YEAR_MIN } from '../calendar.ts';
import { type IsoDate, isRealDate, toIsoDate } from '../dates.ts';
import { HIDDEN_IN_ONE_LINE, UNREADABLE } from '../text.ts';
import { normaliseUpn, UPN_MESSAGES, upnProblem } from '../upn.ts';

/**
 * One cell of an MIS export read as the value it stands for, or the reason it cannot be, in words
 * for the person who will correct the file. `label` names the field as a sentence begins.
 */
export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const no = <T>(message: string): Read<T> => ({ ok: false, message });
const quoted = (raw: string) => `“${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}”`;

/** Control and invisible formatting characters and line breaks: never part of a name (text.ts). */
const CONTROL = HIDDEN_IN_ONE_LINE;

/**
 * A cell that starts like a spreadsheet formula (= + - @, or a tab or carriage return before one)
 * would run as one if the data were later opened in a spreadsheet. Names are REFUSED (the row is a
 * problem to correct in the MIS), not neutralised: no real name starts this way, and a changed
 * name saved silently would be worse than a plain message.
 */
const FORMULA = /^[=+\-@\t\r]/;

/** Text such as a name: trimmed; refused when too long, hidden characters, or formula-like. */
export function readText(
  raw: string,
  label: string,
  options: { max: number; required: boolean },
): Read<string | null> {
  const value = raw.trim();
  if (value === '') return options.required ? no(`${label} is missing`) : ok(null);
  if (FORMULA.test(value)) {
    return no(
      `${label} ${quoted(value)} starts with ${quoted(value[0]!)} like a spreadsheet formula: correct it in the MIS`,
    );
  }
  if (UNREADABLE.test(value)) {
    return no(
      `${label} ${quoted(value)} has a character that could not be read (shown as �): save the file from the MIS as UTF-8 or correct it there`,
    );
  }
  if (CONTROL.test(value)) return no(`${label} contains hidden control characters: correct it in the MIS`);
  if (value.length > options.max) return no(`${label} is longer than ${options.max} characters`);
  return ok(value);
}

export function readUpn(raw: string): Read<string> {
  const upn = normaliseUpn(raw);
  const problem = upnProblem(upn);
  if (problem === 'empty') return no('UPN is missing');
  if (problem) return no(`${UPN_MESSAGES[problem]} (${quoted(raw.trim())})`);
  return ok(upn);
}

const UK_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/;

/** A date written day first (31/12/2017, 31-12-2017, 31.12.2017) or as 2017-12-31; a time after it is ignored. */
export function readDate(raw: string, label: string, required: boolean): Read<IsoDate | null> {
  const value = raw.trim();
  if (value === '') return required ? no(`${label} is missing`) : ok(null);
  let parts: [number, number, number] | null = null;
  const iso = ISO_DATE.exec(value);
  const uk = UK_DATE.exec(value);
  if (iso) parts = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (uk) parts = [Number(uk[3]), Number(uk[2]), Number(uk[1])];
  if (!parts) return no(`${label} ${quoted(value)} is not a date written like 31/12/2017 or 2017-12-31`);
  const [year, month, day] = parts;
  if (!isRealDate(year, month, day) || year < 1900) return no(`${label} ${quoted(value)} is not a real date`);
  return ok(toIsoDate(year, month, day));
}

const SEXES: Record<string, 'female' | 'male'> = { f: 'female', female: 'female', m: 'male', male: 'male' };

export function readSex(raw: string): Read<'female' | 'male'> {
  const value = raw.trim();
  if (value === '') return no('Sex is missing');
  const sex = SEXES[value.toLowerCase()];
  return sex ? ok(sex) : no(`Sex ${quoted(value)} must be M or F (Male or Female), as in the school census`);
}

const YES = new Set(['y', 'yes', 'true', 't', '1']);
const NO = new Set(['n', 'no', 'false', 'f', '0', '']);

/** A yes-or-no column: Y/N, Yes/No, True/False, 1/0; empty means no. */
export function readFlag(raw: string, label: string): Read<boolean> {
  const value = raw.trim().toLowerCase();
  if (YES.has(value)) return ok(true);
  if (NO.has(value)) return ok(false);
  return no(`${label} ${quoted(raw.trim())} must be Yes or No (Y, N, True, False, 1 or 0)`);
}

/**
 * A year group as MISs write it: "Year 3", "Y3", "3", "R", "YR", "Reception", "N", "Nursery", "N1"
 * (the younger nursery year) and "N2". Returns the NC year (Reception 0, Nursery -1, N1 -2).
 */
export function readYearGroup(raw: string): Read<number | null> {
  const value = raw.trim();
  if (value === '') return ok(null);
  const lower = value.toLowerCase();
  const rest = lower.replace(/^(nc\s*year|year|yr|y)\s*/, '').trim();
  let year: number | null = null;
  if (/^-?\d{1,2}$/.test(rest)) year = Number(rest);
  else if (['r', 'rec', 'reception'].includes(rest) || lower === 'yr') year = 0;
  else if (['n', 'nur', 'nursery', 'n2', 'nursery 2', 'nursery2'].includes(rest)) year = -1;
  else if (['n1', 'nursery 1', 'nursery1'].includes(rest)) year = -2;
  if (year === null || year < NC_YEAR_MIN || year > NC_YEAR_MAX) {
    return no(`Year group ${quoted(value)} is not a year group: write it like Year 3, 3, R or N`);
  }
  return ok(year);
}

/** Attendance as a percentage, "94.5" or "94.5%", kept to one decimal place. */
export function readAttendance(raw: string): Read<number | null> {
  const value = raw.trim();
  if (value === '') return ok(null);
  const match = /^(\d{1,3}(?:\.\d+)?)\s*%?$/.exec(value);
  const n = match ? Number(match[1]) : Number.NaN;
  if (!match || n > 100)
    return no(`Attendance ${quoted(value)} must be a percentage from 0 to 100, like 94.5`);
  return ok(Math.round(n * 10) / 10);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function readEmail(raw: string, label: string): Read<string | null> {
  const value = raw.trim();
  if (value === '') return ok(null);
  if (value.length > 254 || !EMAIL.test(value))
    return no(`${label} ${quoted(value)} is not an email address`);
  return ok(value.toLowerCase());
}

export function readPhone(raw: string, label: string): Read<string | null> {
  const value = raw.trim().replace(/\s+/g, ' ');
  if (value === '') return ok(null);
  if (!/^[0-9+() -]{6,20}$/.test(value) || !/\d{6}/.test(value.replace(/\D/g, ''))) {
    return no(`${label} ${quoted(value)} is not a telephone number`);
  }
  return ok(value);
}

/** The MIS's own id for a pupil: any short text without hidden characters. */
export function readMisId(raw: string): Read<string | null> {
  const value = raw.trim();
  if (value === '') return ok(null);
  if (CONTROL.test(value) || value.length > 50) return no(`MIS pupil id ${quoted(value)} is not a pupil id`);
  return ok(value);
}
