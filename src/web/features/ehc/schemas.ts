import type { IsoDate } from '../../../domain/dates.ts';
import {
  ASSESSMENT_CONSENT_HOW,
  type AssessmentConsentHow,
  isKeyOf,
  REQUESTED_BY,
  type RequestedBy,
  SCHOOL_REQUEST_STATUSES,
} from '../../../domain/ehc.ts';
import type { EhcRequestFilters } from '../../../repositories/ehc-requests.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { choice, type FormBody, isUuid, optionalEmail, optionalText, version } from '../../forms/fields.ts';

/*
 * The request's forms, each hostile until parsed: a value sent twice, control characters, over-long
 * text, keys of the pack that are not keys at all, and JSON where a form is expected all get a plain
 * message (the form shows again with what was typed) and change nothing.
 */

const REQUESTERS = Object.keys(REQUESTED_BY) as [RequestedBy, ...RequestedBy[]];
const HOWS = Object.keys(ASSESSMENT_CONSENT_HOW) as [AssessmentConsentHow, ...AssessmentConsentHow[]];

/** The shape of an item's key in the pack ("plan:<uuid>", "views:<uuid>:parents", "profile"). */
const PACK_KEY = /^[a-z_]{1,20}(:[0-9a-f-]{36}(:[a-z_]{1,20})?)?$/i;
const MAX_KEYS = 500;

function keyList(body: FormBody, name: string, message: string) {
  const raw = body[name];
  const list = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).filter((x) => x !== '');
  if (list.length > MAX_KEYS || !list.every((k) => typeof k === 'string' && PACK_KEY.test(k)))
    return { ok: false as const, message };
  return { ok: true as const, keys: [...new Set(list.map((k) => k.toLowerCase()))] };
}

/** Who asked for the assessment; a parent's request names the parent and keeps their words. */
export function parseStart(body: unknown) {
  const b = (body ?? {}) as FormBody;
  const result = parseWithDates(
    {
      requestedBy: choice(REQUESTERS, 'Choose who is asking for the assessment'),
      parentId: optionalText('Parent or carer', { max: 40 }),
      parentRequestNote: optionalText('What the parent asked for', { max: 8000, multiline: true }),
    },
    {},
    b,
  );
  if (!result.ok) return result;
  const d = result.data;
  if (d.requestedBy === 'parent' && (!d.parentId || !isUuid(d.parentId)))
    return {
      ok: false as const,
      errors: [{ field: 'parentId', message: 'Choose the parent or carer who asked' }],
    };
  const pupilActionId =
    typeof b.pupilActionId === 'string' && isUuid(b.pupilActionId) ? b.pupilActionId.toLowerCase() : null;
  return {
    ok: true as const,
    data: {
      requestedBy: d.requestedBy,
      parentId: d.requestedBy === 'parent' ? d.parentId!.toLowerCase() : null,
      parentRequestNote: d.requestedBy === 'parent' ? d.parentRequestNote : null,
      pupilActionId,
    },
  };
}

/** The SENCo's review of the pack: what is left out, sufficient reports, the covering statement, the contact. */
export function parseSave(body: unknown) {
  const b = (body ?? {}) as FormBody;
  const result = parseWithDates(
    {
      coveringStatement: optionalText('The covering statement', { max: 20000, multiline: true }),
      contactName: optionalText('The name of the person completing the request', { max: 200 }),
      contactRole: optionalText('Their role', { max: 200 }),
      contactEmail: optionalEmail('Their email address'),
      contactPhone: optionalText('Their phone number', { max: 40 }),
      version: version(),
    },
    {},
    b,
  );
  const leftOut = keyList(b, 'leftOut', 'Choose what to leave out from the items of the pack');
  const sufficient = keyList(
    b,
    'sufficient',
    'Choose the reports that are recent and sufficient from the list',
  );
  const errors = [
    ...(result.ok ? [] : result.errors),
    ...(leftOut.ok ? [] : [{ field: 'leftOut', message: leftOut.message }]),
    ...(sufficient.ok ? [] : [{ field: 'sufficient', message: sufficient.message }]),
  ];
  if (!result.ok || !leftOut.ok || !sufficient.ok) return { ok: false as const, errors };
  const { version: v, ...rest } = result.data;
  return {
    ok: true as const,
    data: { version: v, input: { ...rest, leftOut: leftOut.keys, sufficient: sufficient.keys } },
  };
}

/** Consent to the assessment: which parent, when, how. */
export function parseConsent(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    {
      parentId: optionalText('Parent or carer', { max: 40 }),
      how: choice(HOWS, 'Choose how consent was given'),
      note: optionalText('Note', { max: 2000, multiline: true }),
      version: version(),
    },
    {
      consentOn: dateField('consentOn', 'The date consent was given', {
        requiredMessage: 'Enter the date consent was given',
        notInFuture: 'The date consent was given cannot be in the future',
        today,
      }),
    },
    body,
  );
  if (!result.ok) return result;
  const d = result.data;
  if (!d.parentId || !isUuid(d.parentId))
    return {
      ok: false as const,
      errors: [{ field: 'parentId', message: 'Choose the parent or carer who gave consent' }],
    };
  return {
    ok: true as const,
    data: {
      version: d.version,
      input: { parentId: d.parentId.toLowerCase(), consentOn: d.consentOn!, how: d.how, note: d.note },
    },
  };
}

/** The send button: the version of the request the page showed. */
export function parseSend(body: unknown) {
  return parseWithDates({ version: version() }, {}, body);
}

export function parseWithdraw(body: unknown) {
  const result = parseWithDates(
    {
      reason: optionalText('The reason', { max: 2000, multiline: true }),
      version: version(),
    },
    {},
    body,
  );
  if (!result.ok) return result;
  if (!result.data.reason)
    return {
      ok: false as const,
      errors: [{ field: 'reason', message: 'Write down why the request is withdrawn' }],
    };
  return { ok: true as const, data: { version: result.data.version, reason: result.data.reason } };
}

/** The list's filters from the query: anything unknown is ignored. */
export function requestFilters(query: unknown): EhcRequestFilters & { page: number } {
  const q = (query ?? {}) as Record<string, unknown>;
  const status = typeof q.status === 'string' ? q.status : undefined;
  const page = Number(typeof q.page === 'string' ? q.page : '1');
  return {
    status: isKeyOf(SCHOOL_REQUEST_STATUSES, status) ? status : undefined,
    page: Number.isInteger(page) && page > 0 && page < 100000 ? page : 1,
  };
}
