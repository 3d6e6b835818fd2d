import type { SummaryInput } from '../../../services/ehc/school-plans.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import type { Parsed } from '../../forms/errors.ts';
import { type FormBody, isUuid, optionalText, text, version } from '../../forms/fields.ts';
import { fileFrom } from '../../forms/upload.ts';

/*
 * The forms of the school's side of an EHC plan, each hostile until parsed: a value sent twice, control
 * characters, over-long text, ids that are not ids and JSON where a form is expected get a plain message
 * (the form shows again with what was typed) and change nothing.
 */

/** Items of provision a summary's form offers (blank ones are left out). */
export const SUMMARY_PROVISION_ROWS = 8;
/** The most outcomes a summary holds. */
const MAX_OUTCOMES = 50;
/** An id of an outcome or an item of provision in a plan: written by the authority's OpenSEND or this one. */
const ITEM_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** A plan from another local authority, from its PDF. */
export function parseSummary(body: FormBody, today: () => string): Parsed<SummaryInput> {
  const result = parseWithDates(
    {
      localAuthorityName: text('The local authority', {
        max: 200,
        requiredMessage: 'Enter the name of the local authority that issued the plan',
      }),
      outcomes: optionalText('The outcomes', { max: 20000, multiline: true }),
    },
    {
      issuedOn: dateField('issuedOn', 'The date the plan was issued', {
        requiredMessage: 'Enter the date the plan was issued',
        notInFuture: 'The date the plan was issued must be today or in the past',
        today,
      }),
      lastReviewOn: dateField('lastReviewOn', 'The date of the last annual review', {
        optional: true,
        notInFuture: 'The date of the last annual review must be today or in the past',
        today,
      }),
    },
    body,
  );
  const errors: FieldError[] = result.ok ? [] : [...result.errors];
  const provision: SummaryInput['provision'] = [];
  for (let i = 1; i <= SUMMARY_PROVISION_ROWS; i++) {
    const row = parseWithDates(
      {
        what: optionalText(`What item ${i} is`, { max: 2000, multiline: true }),
        who: optionalText(`Who provides item ${i}`, { max: 500 }),
        frequency: optionalText(`How often item ${i} is given`, { max: 500 }),
        duration: optionalText(`How long item ${i} lasts`, { max: 500 }),
      },
      {},
      {
        what: body[`provision${i}-what`],
        who: body[`provision${i}-who`],
        frequency: body[`provision${i}-frequency`],
        duration: body[`provision${i}-duration`],
      },
    );
    if (!row.ok) {
      for (const e of row.errors) errors.push({ field: `provision${i}-${e.field}`, message: e.message });
      continue;
    }
    const d = row.data;
    if (!d.what && !d.who && !d.frequency && !d.duration) continue;
    if (!d.what) {
      errors.push({
        field: `provision${i}-what`,
        message: `Enter what item ${i} of the provision is, or clear the item`,
      });
      continue;
    }
    provision.push({
      what: d.what,
      who: d.who ?? '',
      frequency: d.frequency ?? '',
      duration: d.duration ?? '',
    });
  }
  const outcomes = result.ok
    ? (result.data.outcomes ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
  if (result.ok && outcomes.length === 0)
    errors.push({ field: 'outcomes', message: 'Enter the outcomes in section E, one on each line' });
  if (outcomes.length > MAX_OUTCOMES)
    errors.push({ field: 'outcomes', message: `Enter at most ${MAX_OUTCOMES} outcomes` });
  const file = fileFrom(body as Record<string, unknown>, 'file', 'the plan’s PDF');
  if (!file.ok) errors.push({ field: 'file', message: file.message });
  if (!result.ok || errors.length) return { ok: false, errors };
  const d = result.data;
  if (d.lastReviewOn && d.issuedOn && d.lastReviewOn < d.issuedOn)
    return {
      ok: false,
      errors: [
        {
          field: 'lastReviewOn',
          message: 'The last annual review must be on or after the day the plan was issued',
        },
      ],
    };
  return {
    ok: true,
    data: {
      localAuthorityName: d.localAuthorityName,
      issuedOn: d.issuedOn!,
      lastReviewOn: d.lastReviewOn ?? null,
      outcomes,
      provision,
      file: file.ok ? { name: file.file.fileName, bytes: file.file.data } : null,
    },
  };
}

/** Ending the school's record of a plan from another authority. */
export function parseEndSummary(body: FormBody): Parsed<{ version: number }> {
  const result = parseWithDates({ version: version() }, {}, body);
  return result.ok ? { ok: true, data: { version: result.data.version } } : result;
}

/** Taking an outcome of the EHC plan as a target: which outcome, at the plan's version. */
export function parseTakeOutcome(body: FormBody): Parsed<{ version: number; outcomeId: string }> {
  const result = parseWithDates({ version: version() }, {}, body);
  const outcomeId = body.outcomeId;
  if (typeof outcomeId !== 'string' || !ITEM_ID.test(outcomeId))
    return { ok: false, errors: [{ field: 'outcomeId', message: 'Choose an outcome of the EHC plan' }] };
  return result.ok ? { ok: true, data: { version: result.data.version, outcomeId } } : result;
}

export type ProvisionLinkForm =
  | { action: 'link'; pupilId: string; provisionId: string; groupId: string }
  | { action: 'unlink'; pupilId: string; linkId: string };

/** Linking an item of provision in F to a group, or removing a link. */
export function parseProvisionLink(body: FormBody): Parsed<ProvisionLinkForm> {
  const pupilId = body.pupilId;
  if (!isUuid(pupilId)) return { ok: false, errors: [{ field: 'form', message: 'Choose a pupil' }] };
  if (body.action === 'unlink') {
    if (!isUuid(body.linkId))
      return { ok: false, errors: [{ field: 'form', message: 'Choose a link to remove' }] };
    return {
      ok: true,
      data: { action: 'unlink', pupilId: pupilId.toLowerCase(), linkId: body.linkId.toLowerCase() },
    };
  }
  if (typeof body.provisionId !== 'string' || !ITEM_ID.test(body.provisionId))
    return {
      ok: false,
      errors: [{ field: 'groupId', message: 'Choose an item of provision in the EHC plan' }],
    };
  if (!isUuid(body.groupId))
    return {
      ok: false,
      errors: [{ field: 'groupId', message: 'Choose the group that delivers this provision' }],
    };
  return {
    ok: true,
    data: {
      action: 'link',
      pupilId: pupilId.toLowerCase(),
      provisionId: body.provisionId,
      groupId: body.groupId.toLowerCase(),
    },
  };
}
