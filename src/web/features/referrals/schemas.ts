import type { Section } from '../../../domain/access.ts';
import { isServiceKind, SERVICE_KINDS } from '../../../domain/agencies.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import {
  CONSENT_GIVERS,
  CONSENT_HOWS,
  isReferralStatus,
  LAWFUL_BASES,
  REFERRAL_STATUSES,
  SHAREABLE_SECTIONS,
} from '../../../domain/referrals.ts';
import type { ReferralFilters } from '../../../repositories/referrals.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import {
  checkbox,
  checkboxes,
  choice,
  type FormBody,
  isUuid,
  optionalText,
  text,
  uuid,
  version,
} from '../../forms/fields.ts';
import { fileFrom } from '../../forms/upload.ts';

const SECTIONS = SHAREABLE_SECTIONS as unknown as readonly [Section, ...Section[]];

const referralShape = {
  agencyId: uuid('Choose the service you are referring to'),
  question: text('The question', {
    max: 4000,
    multiline: true,
    requiredMessage: 'Enter the question the school asks the service',
  }),
  tried: optionalText('What has been tried', { max: 8000, multiline: true }),
  shareSections: checkboxes(SECTIONS, 'Choose what will be shared from the list'),
  shareDocuments: optionalText('Named documents', { max: 2000, multiline: true }),
  lawfulBasis: choice(
    LAWFUL_BASES,
    'Choose what sharing rests on: consent, the school’s public task or a legal obligation',
  ),
  basisNote: optionalText('What the basis rests on', { max: 2000, multiline: true }),
  forEhcAssessment: checkbox(),
};

function basisChecked<T extends { lawfulBasis: string; basisNote: string | null }>(data: T) {
  if (data.lawfulBasis !== 'consent' && !data.basisNote)
    return {
      ok: false as const,
      errors: [
        {
          field: 'basisNote',
          message: 'Write down what the basis in law rests on (the duty, and where it comes from)',
        },
      ],
    };
  return null;
}

/** A new referral; where it came from (a concern, a review's action) travels in hidden fields. */
export function parseStartReferral(body: unknown) {
  const b = (body ?? {}) as FormBody;
  const result = parseWithDates(referralShape, {}, b);
  if (!result.ok) return result;
  const refused = basisChecked(result.data);
  if (refused) return refused;
  const concernId = typeof b.concernId === 'string' && isUuid(b.concernId) ? b.concernId.toLowerCase() : null;
  const pupilActionId =
    typeof b.pupilActionId === 'string' && isUuid(b.pupilActionId) ? b.pupilActionId.toLowerCase() : null;
  return { ok: true as const, data: { ...result.data, concernId, pupilActionId } };
}

/** A change to a draft referral, with the version the form showed. */
export function parseEditReferral(body: unknown) {
  const result = parseWithDates({ ...referralShape, version: version() }, {}, body);
  if (!result.ok) return result;
  const refused = basisChecked(result.data);
  if (refused) return refused;
  return result;
}

/** Consent as recorded from a form, an email, a conversation; the signed form optional. */
export function parseConsent(body: unknown, today: () => IsoDate) {
  const b = (body ?? {}) as Record<string, unknown>;
  const fields = Object.fromEntries(
    Object.entries(b).filter(([, v]) => typeof v === 'string' || Array.isArray(v)),
  ) as FormBody;
  const result = parseWithDates(
    {
      givenBy: choice(CONSENT_GIVERS, 'Choose who gave consent'),
      parentId: optionalText('Parent or carer', { max: 40 }),
      how: choice(CONSENT_HOWS, 'Choose how consent was given'),
      covers: checkboxes(['referral', 'sharing'] as const, 'Choose what the consent covers from the list'),
      coversDocuments: optionalText('Named documents', { max: 2000, multiline: true }),
    },
    {
      givenOn: dateField('givenOn', 'The date consent was given', {
        requiredMessage: 'Enter the date consent was given',
        notInFuture: 'The date consent was given cannot be in the future',
        today,
      }),
      validUntil: dateField('validUntil', 'The last day of consent', { optional: true }),
    },
    fields,
  );
  if (!result.ok) return result;
  const d = result.data;
  if (d.givenBy === 'parent' && (!d.parentId || !isUuid(d.parentId)))
    return {
      ok: false as const,
      errors: [{ field: 'parentId', message: 'Choose the parent or carer who gave consent' }],
    };
  let form: { name: string; bytes: Buffer } | null = null;
  if (b.form !== undefined) {
    const found = fileFrom(b, 'form', 'the signed form');
    if (found.ok) form = { name: found.file.fileName, bytes: found.file.data };
    else if (!/^Choose/.test(found.message))
      return { ok: false as const, errors: [{ field: 'form', message: found.message }] };
  }
  return {
    ok: true as const,
    data: {
      givenBy: d.givenBy,
      parentId: d.givenBy === 'parent' ? d.parentId!.toLowerCase() : null,
      how: d.how,
      givenOn: d.givenOn!,
      validUntil: d.validUntil ?? null,
      coversReferral: d.covers.includes('referral'),
      coversSharing: d.covers.includes('sharing'),
      coversDocuments: d.coversDocuments,
      form,
    },
  };
}

export function parseWithdrawal(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    { note: optionalText('What was said', { max: 2000, multiline: true }) },
    {
      withdrawnOn: dateField('withdrawnOn', 'The date consent was withdrawn', {
        requiredMessage: 'Enter the date consent was withdrawn',
        notInFuture: 'The date consent was withdrawn cannot be in the future',
        today,
      }),
    },
    body,
  );
  if (!result.ok) return result;
  return { ok: true as const, data: { withdrawnOn: result.data.withdrawnOn!, note: result.data.note } };
}

const STEPS = REFERRAL_STATUSES.filter((s) => s !== 'drafted' && s !== 'stopped') as unknown as readonly [
  string,
  ...string[],
];

export function parseStep(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    {
      to: choice(STEPS, 'Choose the step to record'),
      note: optionalText('Note', { max: 2000, multiline: true }),
      version: version(),
    },
    {
      on: dateField('on', 'The date of the step', {
        requiredMessage: 'Enter the date of the step',
        notInFuture: 'The date of the step cannot be in the future',
        today,
      }),
      respondBy: dateField('respondBy', 'The day the service will answer', { optional: true }),
      reportDueOn: dateField('reportDueOn', 'The day the report is due', { optional: true }),
    },
    body,
  );
  if (!result.ok) return result;
  const d = result.data;
  if (!isReferralStatus(d.to))
    return { ok: false as const, errors: [{ field: 'to', message: 'Choose the step to record' }] };
  return {
    ok: true as const,
    data: {
      version: d.version,
      step: {
        to: d.to,
        on: d.on!,
        note: d.note,
        respondBy: d.to === 'sent' ? (d.respondBy ?? null) : null,
        reportDueOn: d.to === 'sent' ? (d.reportDueOn ?? null) : null,
      },
    },
  };
}

/** The list's filters from the query: anything unknown is ignored. */
export function referralFilters(query: unknown): ReferralFilters & { page: number } {
  const q = (query ?? {}) as Record<string, unknown>;
  const one = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const status = one(q.status);
  const kind = one(q.kind);
  const page = Number(one(q.page) ?? '1');
  return {
    status: isReferralStatus(status) ? status : undefined,
    serviceKind: isServiceKind(kind) ? kind : undefined,
    lateOnly: one(q.late) === 'yes' ? true : undefined,
    page: Number.isInteger(page) && page > 0 && page < 100000 ? page : 1,
  };
}

export { SERVICE_KINDS };
