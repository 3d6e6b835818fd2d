import { z } from 'zod';
import { type IsoDate, isRealDate, toIsoDate } from '../../domain/dates.ts';
import type { FieldError } from '../../services/kernel/errors.ts';
import { zodFieldErrors } from './errors.ts';
import type { FormBody } from './fields.ts';

/**
 * The label within a sentence: "Date the plan ceased" → "the date the plan ceased", "The date it came" →
 * "the date it came"; a label that starts with an abbreviation ("UPN…") keeps its capitals.
 */
export function labelInSentence(label: string): string {
  const lowered = /^[A-Z][a-z]/.test(label) ? `${label[0]?.toLowerCase()}${label.slice(1)}` : label;
  return /^the\s/.test(lowered) ? lowered : `the ${lowered}`;
}

/**
 * Dates as three fields (day, month, year) named `<name>-day`, `<name>-month`, `<name>-year`.
 * Messages follow the GOV.UK date input pattern.
 */
export function dateFromFields(
  body: FormBody,
  name: string,
  label: string,
  options: { optional?: boolean; requiredMessage?: string } = {},
): { value: IsoDate | null; error: string | null } {
  const raw = (part: string) => {
    const v = body[`${name}-${part}`];
    return typeof v === 'string' ? v.trim() : v === undefined ? '' : '?';
  };
  const day = raw('day');
  const month = raw('month');
  const year = raw('year');
  if (!day && !month && !year) {
    return options.optional
      ? { value: null, error: null }
      : { value: null, error: options.requiredMessage ?? `Enter ${labelInSentence(label)}` };
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
  if (y > 2200)
    return { value: null, error: `${label} must be a real date, with the year in 4 numbers, like 27 3 2007` };
  return { value: toIsoDate(y, m, d), error: null };
}

/** A zod schema for a date given as three fields; the schema sees the whole body. */
export function dateField(
  name: string,
  label: string,
  options: { optional?: boolean; requiredMessage?: string; notInFuture?: string; today?: () => IsoDate } = {},
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
