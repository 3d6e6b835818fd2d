import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, type FieldError, ValidationError } from '../services/kernel/errors.ts';
import { type FormErrors, type Parsed, toFormErrors } from './forms/errors.ts';
import type { FormBody } from './forms/fields.ts';
import type { Path } from './paths.ts';

/**
 * One way every form works (the GOV.UK pattern, post/redirect/get):
 *  - GET loads the page data (authorised and audited by the service) and shows the form;
 *  - POST parses the body; valid input goes to one service call and then a redirect with a message;
 *  - invalid input, a rule the service found broken, or a stale save (someone else changed the
 *    record first) shows the form again with the messages and everything the user typed, having
 *    loaded the page data again without a new audit row. Nothing is saved.
 */
/** A form brought back after its sender's session ended carries the id it was kept under. */
export const HELD_FORM_FIELD = '_heldForm';

export interface FormRouteDefinition<Data, Input, Result> {
  /** The form's address (from `web/paths.ts`): its page (GET) and where it is sent (POST). */
  path: Path;
  template: string;
  /** Links from the error summary to fields whose input id differs from their name (dates, radios). */
  anchors?: Record<string, string>;
  /**
   * Where the error summary's message of a stale save leads: the id of the part of the page that shows
   * the other person's change (the page's main content by default).
   */
  conflictAnchor?: string;
  /**
   * The page data; `audit` is false when the form is shown again after a failed submit. A `version`
   * in it is the record's current version (optimistic locking).
   */
  load(request: FastifyRequest, context: { audit: boolean }): Promise<Data>;
  /** The values of a fresh form. */
  initial?(data: Data, request: FastifyRequest): FormBody | Promise<FormBody>;
  parse(body: FormBody, request: FastifyRequest): Parsed<Input> | Promise<Parsed<Input>>;
  submit(request: FastifyRequest, input: Input, body: FormBody): Promise<Result>;
  /** Where to go after a successful submit, and the confirmation shown there. */
  done(
    result: Result,
    input: Input,
    request: FastifyRequest,
    reply: FastifyReply,
  ): { redirect: string; flash?: string };
  /** Values that must not be shown back (passwords). */
  forget?: string[];
  /**
   * For a form with a "Preview" button (a submit button named `_preview`): valid input is shown back
   * with what it would make (the page data gains `preview`), and nothing is saved. A rule the preview
   * finds broken shows the form again like a failed submit.
   */
  preview?(request: FastifyRequest, input: Input, body: FormBody): Promise<unknown>;
  /**
   * For a form with buttons that show it again rather than save it (an "update" of a preview of its
   * effect, a search, an "add this"): their names. A post that carries any of them, whatever its value
   * and however many times, shows the form again with the user's choices (and what those buttons
   * work out from them); nothing is saved. Only a post with none of them is the main button's: a
   * button sent twice or with a value it never has can never be taken for "Save".
   */
  refreshButtons?: readonly string[];
  /**
   * For a refresh: the values shown, worked out from what was sent and the page data (a choice added
   * to the form, say). Default: as sent.
   */
  refreshValues?(data: Data, values: FormBody): FormBody;
}

/** The name of a form's preview button. */
export const PREVIEW_FIELD = '_preview';

function keptValues(body: FormBody, forget: string[] = []): FormBody {
  const kept: FormBody = {};
  for (const [k, v] of Object.entries(body))
    if (k !== '_csrf' && k !== HELD_FORM_FIELD && k !== PREVIEW_FIELD && !forget.includes(k)) kept[k] = v;
  return kept;
}

export function formRoute<Data extends object, Input, Result>(
  app: FastifyInstance,
  def: FormRouteDefinition<Data, Input, Result>,
): void {
  async function showAgain(
    request: FastifyRequest,
    reply: FastifyReply,
    body: FormBody,
    errors: FieldError[],
    status: number,
    conflict: Record<string, unknown> | null = null,
    refreshing = false,
  ) {
    const data = await def.load(request, { audit: false });
    const anchors =
      status === 409 && def.conflictAnchor ? { ...def.anchors, form: def.conflictAnchor } : def.anchors;
    const formErrors: FormErrors = toFormErrors(errors, anchors);
    const kept = keptValues(body, def.forget);
    const values = refreshing && def.refreshValues ? def.refreshValues(data, kept) : kept;
    // After someone else's save, the form carries their version: the user's next save, once they have
    // checked their text against the change shown, goes through.
    const current = (data as { version?: unknown }).version;
    if (status === 409 && typeof current === 'number') values.version = String(current);
    reply.code(status);
    return reply.page(def.template, {
      ...data,
      errors: formErrors,
      values,
      conflict: conflict ?? (status === 409 ? {} : null),
    });
  }

  app.get(def.path.pattern, async (request, reply) => {
    const data = await def.load(request, { audit: true });
    return reply.page(def.template, { ...data, values: def.initial ? await def.initial(data, request) : {} });
  });

  app.post(def.path.pattern, async (request, reply) => {
    const body = (request.body ?? {}) as FormBody;
    if (def.refreshButtons?.some((name) => body[name] !== undefined))
      return showAgain(request, reply, body, [], 200, null, true);
    const parsed = await def.parse(body, request);
    if (!parsed.ok) return showAgain(request, reply, body, parsed.errors, 400);
    if (def.preview && body[PREVIEW_FIELD] !== undefined) {
      let preview: unknown;
      try {
        preview = await def.preview(request, parsed.data, body);
      } catch (error) {
        if (error instanceof ValidationError) return showAgain(request, reply, body, error.errors, 400);
        throw error;
      }
      const data = await def.load(request, { audit: false });
      return reply.page(def.template, { ...data, values: keptValues(body, def.forget), preview });
    }
    let result: Result;
    try {
      result = await def.submit(request, parsed.data, body);
    } catch (error) {
      if (error instanceof ValidationError) return showAgain(request, reply, body, error.errors, 400);
      if (error instanceof ConflictError) {
        return showAgain(
          request,
          reply,
          body,
          [{ field: 'form', message: error.message }],
          409,
          error.current,
        );
      }
      throw error;
    }
    const { redirect, flash } = def.done(result, parsed.data, request, reply);
    if (flash) reply.flash(flash);
    return reply.redirect(redirect, 303);
  });
}

/** Date inputs link their error to the day field. */
export function dateAnchors(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, `${n}-day`]));
}
