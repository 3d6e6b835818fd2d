import type { FastifyReply } from 'fastify';
import { ConflictError, type FieldError, ValidationError } from '../services/errors.ts';
import { type FormBody, toFormErrors } from './forms.ts';

/** Show a form again with its errors and everything the user typed; nothing was saved. */
export function showFormErrors(
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown>,
  errors: FieldError[],
  values: unknown,
  anchors: Record<string, string> = {},
) {
  if (reply.statusCode < 400) reply.code(400);
  return reply.page(template, { ...data, errors: toFormErrors(errors, anchors), values: stripCsrf(values) });
}

function stripCsrf(values: unknown): FormBody {
  const { _csrf, ...rest } = (values ?? {}) as FormBody;
  void _csrf;
  return rest;
}

/**
 * Run a service call for a form: on a rule broken (ValidationError) or a stale save (ConflictError)
 * show the form again with the message; anything else propagates.
 */
export async function submitForm<T>(
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown>,
  values: unknown,
  action: () => Promise<T>,
  anchors: Record<string, string> = {},
): Promise<{ ok: true; result: T } | { ok: false; response: FastifyReply }> {
  try {
    return { ok: true, result: await action() };
  } catch (error) {
    if (error instanceof ValidationError) {
      return {
        ok: false,
        response: await showFormErrors(reply, template, data, error.errors, values, anchors),
      };
    }
    if (error instanceof ConflictError) {
      reply.code(409);
      const errors = [{ field: 'form', message: error.message }];
      return { ok: false, response: await showFormErrors(reply, template, data, errors, values, anchors) };
    }
    throw error;
  }
}

/** Date inputs link their error to the day field. */
export function dateAnchors(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, `${n}-day`]));
}
