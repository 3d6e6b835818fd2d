import type { z } from 'zod';
import type { FieldError } from '../../services/kernel/errors.ts';

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
    // A message about the whole form (someone else saved first) links to the page's main content.
    list.push({
      text: e.message,
      href: `#${anchors[e.field] ?? (e.field === 'form' ? 'main-content' : e.field)}`,
    });
  }
  return { list, fields };
}

export function zodFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ field: String(issue.path[0] ?? 'form'), message: issue.message }));
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };

/** Parse a body with a schema: either the data or the field errors. */
export function parseForm<T extends z.ZodType>(schema: T, body: unknown): Parsed<z.output<T>> {
  const result = schema.safeParse(body ?? {});
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, errors: zodFieldErrors(result.error) };
}
