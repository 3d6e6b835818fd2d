import { z } from 'zod';
import { type IsoDate, isRealDate, toIsoDate } from '../domain/dates.ts';
import type { FieldError } from '../services/errors.ts';
import { PASSWORD_MIN_LENGTH } from '../services/passwords.ts';

/**
 * Forms the GOV.UK way: the zod schema of a feature parses the raw form body; on failure the page is
 * shown again with an error summary, each message beside its field and everything the user typed.
 */
export type FormBody = Record<string, string | string[] | undefined>;

export interface FormErrors {
  /** For the error summary: text and a link to the field. */
  list: { text: string; href: string }[];
  /** Message by field name, for the message beside each field. */
  fields: Record<string, { text: string }>;
}

export function toFormErrors(errors: FieldError[], anchors: Record<string, string> = {}): FormErrors {
  const list: FormErrors['list'] = [];
  const fields: FormErrors['fields'] = {};
  for (const e of errors) {
    if (fields[e.field]) continue;
    fields[e.field] = { text: e.message };
    list.push({ text: e.message, href: `#${anchors[e.field] ?? e.field}` });
  }
  return { list, fields };
}

export function zodFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'form'), message: issue.message }));
}

/** Parse a body with a schema: either the data or the field errors. */
export function parseForm<T extends z.ZodType>(
  schema: T,
  body: unknown,
): { ok: true; data: z.output<T> } | { ok: false; errors: FieldError[] } {
  const result = schema.safeParse(body ?? {});
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, errors: zodFieldErrors(result.error) };
}

/** A required text field: trimmed, with a maximum length. */
export function text(label: string, options: { max?: number; requiredMessage?: string } = {}) {
  const max = options.max ?? 200;
  return z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => v.length > 0, options.requiredMessage ?? `Enter ${label.toLowerCase()}`)
    .refine((v) => v.length <= max, `${label} must be ${max} characters or fewer`);
}

/** An optional text field: trimmed; empty means null. */
export function optionalText(label: string, options: { max?: number } = {}) {
  const max = options.max ?? 200;
  return z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => v.length <= max, `${label} must be ${max} characters or fewer`)
    .transform((v) => (v === '' ? null : v));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/** A required email address, lower-cased. */
export const email = () =>
  text('Email address', { max: 254 })
    .refine(
      (v) => v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
      'Enter an email address in the correct format, like name@school.org.uk',
    )
    .transform((v) => v.toLowerCase());

/** A new password: long enough to be safe, short enough to hash. */
export const newPassword = () =>
  z
    .string()
    .optional()
    .transform((v) => v ?? '')
    .refine(
      (v) => v.length >= PASSWORD_MIN_LENGTH,
      `Password must be at least ${PASSWORD_MIN_LENGTH} characters`,
    )
    .refine((v) => v.length <= 200, 'Password must be 200 characters or fewer');

/** One choice from a list (radios or select). */
export function choice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z
    .string({ message })
    .optional()
    .refine((v): v is T[number] => v !== undefined && (values as readonly string[]).includes(v), message)
    .transform((v) => v as T[number]);
}

/** An optional choice: empty means null. */
export function optionalChoice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || (values as readonly string[]).includes(v), message)
    .transform((v) => (v ? (v as T[number]) : null));
}

/** Checkboxes: the body holds a string or a list of strings; only known values are allowed. */
export function checkboxes<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== ''))
    .refine((list) => list.every((x) => (values as readonly string[]).includes(x)), message)
    .transform((list) => list as T[number][]);
}

export function checkbox() {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => v !== undefined && v !== '');
}

/**
 * Dates as three fields (day, month, year) named `<name>-day`, `<name>-month`, `<name>-year`.
 * Messages follow the GOV.UK date input pattern.
 */
export function dateFromFields(
  body: FormBody,
  name: string,
  label: string,
  options: { optional?: boolean } = {},
): { value: IsoDate | null; error: string | null } {
  const raw = (part: string) => String(body[`${name}-${part}`] ?? '').trim();
  const day = raw('day');
  const month = raw('month');
  const year = raw('year');
  if (!day && !month && !year) {
    return options.optional
      ? { value: null, error: null }
      : { value: null, error: `Enter ${label.toLowerCase()}` };
  }
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
  if (missing.length > 0) return { value: null, error: `${label} must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { value: null, error: `${label} must be a real date, with the year in 4 numbers, like 27 3 2007` };
  }
  const d = Number(day);
  const m = Number(month);
  const y = Number(year);
  if (!isRealDate(y, m, d)) return { value: null, error: `${label} must be a real date` };
  if (y < 1900) return { value: null, error: `${label} must be after 1900` };
  return { value: toIsoDate(y, m, d), error: null };
}

/** A zod schema for a date given as three fields; the schema sees the whole body. */
export function dateField(
  name: string,
  label: string,
  options: { optional?: boolean; notInFuture?: string; today?: () => IsoDate } = {},
) {
  return z.custom<FormBody>().transform((body, ctx) => {
    const { value, error } = dateFromFields(body ?? {}, name, label, options);
    if (error) {
      ctx.addIssue({ code: 'custom', message: error, path: [name] });
      return z.NEVER;
    }
    if (value && options.notInFuture && options.today && value > options.today()) {
      ctx.addIssue({ code: 'custom', message: options.notInFuture, path: [name] });
      return z.NEVER;
    }
    return value;
  });
}

/**
 * Combine field schemas with date fields over one body, collecting every error at once so the user
 * sees all problems on the first submit.
 */
export function parseWithDates<
  T extends z.ZodRawShape,
  D extends Record<string, ReturnType<typeof dateField>>,
>(
  shape: T,
  dates: D,
  body: unknown,
):
  | { ok: true; data: z.output<z.ZodObject<T>> & { [K in keyof D]: z.output<D[K]> } }
  | { ok: false; errors: FieldError[] } {
  const b = (body ?? {}) as FormBody;
  const errors: FieldError[] = [];
  const parsed = z.object(shape).safeParse(b);
  if (!parsed.success) errors.push(...zodFieldErrors(parsed.error));
  const dateValues: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(dates)) {
    const result = schema.safeParse(b);
    if (result.success) dateValues[key] = result.data;
    else
      errors.push(
        ...result.error.issues.map((i) => ({ field: String(i.path[0] ?? key), message: i.message })),
      );
  }
  if (errors.length > 0 || !parsed.success)
    return { ok: false, errors: orderErrors(errors, Object.keys(shape), Object.keys(dates)) };
  return {
    ok: true,
    data: { ...parsed.data, ...dateValues } as z.output<z.ZodObject<T>> & { [K in keyof D]: z.output<D[K]> },
  };
}

function orderErrors(errors: FieldError[], fieldOrder: string[], dateOrder: string[]): FieldError[] {
  const order = [...fieldOrder, ...dateOrder];
  return [...errors].sort((a, b) => {
    const ia = order.indexOf(a.field);
    const ib = order.indexOf(b.field);
    return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib);
  });
}

/** Values for a date input from an ISO date (to fill an edit form). */
export function dateParts(name: string, value: IsoDate | null | undefined): Record<string, string> {
  if (!value) return {};
  const [y, m, d] = value.split('-');
  return {
    [`${name}-day`]: String(Number(d)),
    [`${name}-month`]: String(Number(m)),
    [`${name}-year`]: y ?? '',
  };
}

/** The items of a GOV.UK date input, with the user's values and error classes. */
export function dateItems(name: string, values: FormBody, hasError: boolean) {
  const cls = (width: number) => `govuk-input--width-${width}${hasError ? ' govuk-input--error' : ''}`;
  return [
    { name: 'day', label: 'Day', classes: cls(2), value: values[`${name}-day`] ?? '', inputmode: 'numeric' },
    {
      name: 'month',
      label: 'Month',
      classes: cls(2),
      value: values[`${name}-month`] ?? '',
      inputmode: 'numeric',
    },
    {
      name: 'year',
      label: 'Year',
      classes: cls(4),
      value: values[`${name}-year`] ?? '',
      inputmode: 'numeric',
    },
  ];
}
