import { z } from 'zod';
import { formatPounds, parsePounds } from '../../domain/money.ts';
import { HIDDEN_IN_LONG_TEXT, HIDDEN_IN_ONE_LINE, withoutHiddenCharacters } from '../../domain/text.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../services/kernel/passwords.ts';

/**
 * The shared fields every form is built from. Each field is hostile until parsed: a value sent twice
 * (a list where one is expected), control characters, NUL bytes and over-long text all get a plain
 * message, and the form is shown again with what the user typed.
 */
export type FormBody = Record<string, string | string[] | undefined>;

/** Control and invisible formatting characters (domain/text.ts); one-line text also refuses line breaks. */
const CONTROL = HIDDEN_IN_LONG_TEXT;
const CONTROL_ONE_LINE = HIDDEN_IN_ONE_LINE;

export function hasControlCharacters(value: string, multiline = false): boolean {
  return (multiline ? CONTROL : CONTROL_ONE_LINE).test(value);
}

/** For search boxes: control characters are dropped rather than refused. */
export function stripControlCharacters(value: string): string {
  return withoutHiddenCharacters(value);
}

function raw(label: string) {
  return z
    .string({ error: `${label} must be entered once, as text` })
    .optional()
    .transform((v) => v ?? '');
}

interface TextOptions {
  max?: number;
  /** What to say when it is left empty, in the form's own words ("Enter the pupil’s first name"). */
  requiredMessage: string;
  /** Long text (a textarea): line breaks are kept. */
  multiline?: boolean;
}

function checked(label: string, options: Omit<TextOptions, 'requiredMessage'>) {
  const max = options.max ?? 200;
  return raw(label)
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .refine(
      (v) => !hasControlCharacters(v, options.multiline),
      options.multiline
        ? `${label} must not contain hidden control characters: type or paste it again`
        : `${label} must be a single line of text without hidden control characters`,
    )
    .refine((v) => v.length <= max, `${label} must be ${max} characters or fewer`);
}

/** A required text field: trimmed, one line unless `multiline`, with a maximum length. */
export function text(label: string, options: TextOptions) {
  return checked(label, options).refine((v) => v.length > 0, options.requiredMessage);
}

/** An optional text field: trimmed; empty means null. */
export function optionalText(label: string, options: Omit<TextOptions, 'requiredMessage'> = {}) {
  return checked(label, options).transform((v) => (v === '' ? null : v));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A required email address, lower-cased. */
export const email = (label = 'Email address', requiredMessage = 'Enter an email address') =>
  text(label, { max: 254, requiredMessage })
    .refine(
      (v) => v === '' || EMAIL.test(v),
      'Enter an email address in the correct format, like name@school.org.uk',
    )
    .transform((v) => v.toLowerCase());

/** An optional email address: empty means null. */
export const optionalEmail = (label = 'Email address') =>
  optionalText(label, { max: 254 })
    .refine(
      (v) => v === null || EMAIL.test(v),
      'Enter an email address in the correct format, like name@example.com',
    )
    .transform((v) => (v === null ? null : v.toLowerCase()));

/** A password as typed: never trimmed; the service judges its strength. */
export const password = (requiredMessage = 'Enter your password') =>
  raw('Password')
    .refine((v) => v.length > 0, requiredMessage)
    .refine(
      (v) => v.length <= PASSWORD_MAX_LENGTH,
      `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`,
    )
    .refine((v) => !hasControlCharacters(v), 'Password must not contain hidden control characters');

/** A new password: long enough here; how guessable it is, the service decides (with the person's name). */
export const newPassword = () =>
  password('Enter a password').refine(
    (v) => v.length >= PASSWORD_MIN_LENGTH,
    `Password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  );

/** A six-digit code from an email (spaces and dashes as typed are dropped). */
export const emailedCode = () =>
  z
    .string({ error: 'Enter the 6-digit code from the email' })
    .max(50, 'Enter the 6-digit code from the email: 6 numbers')
    .transform((v) => v.replace(/[\s-]/g, ''))
    .refine((v) => /^\d{6}$/.test(v), 'Enter the 6-digit code from the email: 6 numbers');

/** One choice from a list (radios or select). */
export function choice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z
    .string({ error: message })
    .optional()
    .refine((v): v is T[number] => v !== undefined && (values as readonly string[]).includes(v), message)
    .transform((v) => v as T[number]);
}

/** An optional choice: empty means null. */
export function optionalChoice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z
    .string({ error: message })
    .optional()
    .refine((v) => v === undefined || v === '' || (values as readonly string[]).includes(v), message)
    .transform((v) => (v ? (v as T[number]) : null));
}

/** Checkboxes: one value or a list; only known values, each once. */
export function checkboxes<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z
    .union([z.string(), z.array(z.string())], { error: message })
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== ''))
    .refine((list) => list.every((x) => (values as readonly string[]).includes(x)), message)
    .refine((list) => new Set(list).size === list.length, 'Select each option once')
    .transform((list) => list as T[number][]);
}

/** Ids chosen from a list (say, classes): each a UUID, each once. */
export function idList(message: string) {
  return z
    .union([z.string(), z.array(z.string())], { error: message })
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== ''))
    .refine((list) => list.every(isUuid), message)
    .transform((list) => [...new Set(list)]);
}

/**
 * The ids of the rows a form shows, sent back in hidden fields (the targets of a check or a review),
 * each with fields of its own: each a UUID, each once. The page never lists a row twice, so a list
 * with an id twice (in any case) is refused with `repeated`, never read as one of its rows winning.
 */
export function rowIds(message: string, repeated: string) {
  return z
    .union([z.string(), z.array(z.string())], { error: message })
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== ''))
    .refine((list) => list.every(isUuid), message)
    .refine((list) => new Set(list.map((id) => id.toLowerCase())).size === list.length, repeated);
}

export function checkbox() {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => v !== undefined && v !== '');
}

const VERSION_MESSAGE = 'This form is out of date: open the page again and make your change there';

/** The version of a record a form showed (optimistic locking): a whole number from 1. */
export const version = () =>
  z
    .string({ error: VERSION_MESSAGE })
    .optional()
    .refine((v) => v !== undefined && /^[1-9]\d{0,9}$/.test(v) && Number(v) <= 2_147_483_647, VERSION_MESSAGE)
    .transform((v) => Number(v));

/** A UUID chosen from a list; anything else is `message`. */
export const uuid = (message: string) =>
  z
    .string({ error: message })
    .optional()
    .refine((v) => isUuid(v), message)
    .transform((v) => v as string);

/** The version of a record that may not exist yet (0: the first save creates it). */
export const versionOrNew = () =>
  z
    .string({ error: VERSION_MESSAGE })
    .optional()
    .refine(
      (v) => v !== undefined && /^(0|[1-9]\d{0,9})$/.test(v) && Number(v) <= 2_147_483_647,
      VERSION_MESSAGE,
    )
    .transform((v) => Number(v));

/** A whole number from `min` to `max` ("4", " 4 "); anything else is `message`. */
export const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string({ error: message })
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => /^\d{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max, message)
    .transform((v) => Number(v));

/**
 * An amount of money as typed ("£6,000", "6000", "6000.00"), as whole pence: never floating point.
 * `max` is in pence.
 */
export const pounds = (label: string, options: { requiredMessage: string; max: number }) =>
  z
    .string({ error: `${label} must be entered once` })
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => v !== '', options.requiredMessage)
    .transform((v, ctx) => {
      const pence = parsePounds(v);
      if (v === '') return z.NEVER;
      if (pence === null) {
        ctx.addIssue({ code: 'custom', message: `${label} must be an amount in pounds, like £6,000` });
        return z.NEVER;
      }
      if (pence > options.max) {
        ctx.addIssue({ code: 'custom', message: `${label} must be ${formatPounds(options.max)} or less` });
        return z.NEVER;
      }
      return pence;
    });
