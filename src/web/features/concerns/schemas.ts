import { z } from 'zod';
import { AREAS_OF_NEED, NEED_CODES } from '../../../domain/census.ts';
import {
  CONCERN_KINDS,
  CONCERN_OUTCOMES,
  CONCERN_SOURCES,
  CONCERN_VIAS,
  type InterventionTried,
} from '../../../domain/concerns.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { zodFieldErrors } from '../../forms/errors.ts';
import {
  checkbox,
  checkboxes,
  choice,
  type FormBody,
  isUuid,
  optionalChoice,
  optionalText,
  text,
  version,
} from '../../forms/fields.ts';

export const INTERVENTION_ROWS = 3;

const concernShape = {
  kind: choice(CONCERN_KINDS, 'Select whether the concern is SEND or pastoral'),
  reasons: text('Reasons', {
    max: 4000,
    multiline: true,
    requiredMessage: 'Enter the reasons for the concern',
  }),
  classroomEvidence: text('Evidence from the classroom', {
    max: 4000,
    multiline: true,
    requiredMessage: 'Enter the evidence from classroom practice',
  }),
  areasOfNeed: checkboxes(AREAS_OF_NEED, 'Select areas of need from the list').refine(
    (a) => a.length > 0,
    'Select at least one area of need',
  ),
};

/** Interventions already tried: rows of intervention, frequency and duration; blank rows are ignored. */
function parseInterventions(b: FormBody): { interventions: InterventionTried[]; errors: FieldError[] } {
  const interventions: InterventionTried[] = [];
  const errors: FieldError[] = [];
  for (let i = 1; i <= INTERVENTION_ROWS; i++) {
    const cell = optionalText(`Intervention ${i}`, { max: 300 });
    const parsed = z
      .object({
        [`intervention${i}-name`]: cell,
        [`intervention${i}-frequency`]: cell,
        [`intervention${i}-duration`]: cell,
      })
      .safeParse(b);
    if (!parsed.success) {
      errors.push(...zodFieldErrors(parsed.error));
      continue;
    }
    const row = {
      intervention: parsed.data[`intervention${i}-name`] ?? '',
      frequency: parsed.data[`intervention${i}-frequency`] ?? '',
      duration: parsed.data[`intervention${i}-duration`] ?? '',
    };
    if (!row.intervention && !row.frequency && !row.duration) continue;
    if (!row.intervention)
      errors.push({ field: `intervention${i}-name`, message: `Enter the name of intervention ${i}` });
    if (!row.frequency)
      errors.push({
        field: `intervention${i}-frequency`,
        message: `Enter how often intervention ${i} took place, like 3 times a week for 20 minutes`,
      });
    if (!row.duration)
      errors.push({
        field: `intervention${i}-duration`,
        message: `Enter how long intervention ${i} lasted, like 6 weeks`,
      });
    interventions.push(row);
  }
  return { interventions, errors };
}

const concernDate = (today: () => IsoDate) =>
  dateField('concernDate', 'Date of the concern', {
    requiredMessage: 'Enter the date of the concern',
    notInFuture: 'The date of the concern must be today or in the past',
    today,
  });

export function parseConcernForm(body: unknown, today: () => IsoDate) {
  const b = (body ?? {}) as FormBody;
  const result = parseWithDates(concernShape, { concernDate: concernDate(today) }, b);
  const { interventions, errors } = parseInterventions(b);
  if (!result.ok || errors.length > 0) {
    return { ok: false as const, errors: [...(result.ok ? [] : result.errors), ...errors] };
  }
  return {
    ok: true as const,
    data: { ...result.data, concernDate: result.data.concernDate!, interventionsTried: interventions },
  };
}

const OUTSIDE_SOURCES = CONCERN_SOURCES.filter((s) => s !== 'staff') as ['parent', 'pupil', 'professional'];

/** A concern from a parent, the pupil or a professional, recorded by the SENCo. */
export function parseOutsideConcernForm(body: unknown, today: () => IsoDate) {
  const b = (body ?? {}) as FormBody;
  const result = parseWithDates(
    {
      ...concernShape,
      source: choice(OUTSIDE_SOURCES, 'Select who raised the concern'),
      raisedByName: text('Their name', {
        max: 200,
        requiredMessage:
          'Enter the name of the person who raised the concern, and their role or organisation',
      }),
      receivedVia: choice(CONCERN_VIAS, 'Select how the concern reached the school'),
    },
    { concernDate: concernDate(today) },
    b,
  );
  const { interventions, errors } = parseInterventions(b);
  if (!result.ok || errors.length > 0) {
    return { ok: false as const, errors: [...(result.ok ? [] : result.errors), ...errors] };
  }
  return {
    ok: true as const,
    data: { ...result.data, concernDate: result.data.concernDate!, interventionsTried: interventions },
  };
}

/** An id chosen from a list, or nothing chosen; anything else is `message`. */
const optionalId = (message: string) =>
  z
    .string({ error: message })
    .optional()
    .refine((v) => v === undefined || v === '' || isUuid(v), message)
    .transform((v) => (v ? v.toLowerCase() : null));

export function parseConcernReview(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    {
      outcome: choice(CONCERN_OUTCOMES, 'Select the outcome of the review'),
      actionTaken: text('Action taken', {
        max: 4000,
        multiline: true,
        requiredMessage: 'Enter the action taken',
      }),
      agency: optionalText('Agency', { max: 200 }),
      agencyId: optionalId('Select the service from the directory of outside agencies'),
      primaryNeed: optionalChoice(NEED_CODES, 'Select a primary need from the list'),
      secondaryNeed: optionalChoice(NEED_CODES, 'Select a secondary need from the list'),
      startPlan: checkbox(),
      version: version(),
    },
    {
      reviewedOn: dateField('reviewedOn', 'Date of the review', {
        requiredMessage: 'Enter the date of the review',
        notInFuture: 'The date of the review must be today or in the past',
        today,
      }),
    },
    body,
  );
  if (!result.ok) return result;
  if (result.data.outcome === 'agency_referral' && !result.data.agency && !result.data.agencyId) {
    // The directory's select when the school has one; the name typed when its directory is empty.
    const chosen = typeof (body as Record<string, unknown>)?.agencyId === 'string';
    return {
      ok: false as const,
      errors: [
        chosen
          ? { field: 'agencyId', message: 'Select the service the pupil is referred to' }
          : { field: 'agency', message: 'Enter the agency the pupil is referred to' },
      ],
    };
  }
  return { ok: true as const, data: { ...result.data, reviewedOn: result.data.reviewedOn! } };
}
