import { z } from 'zod';
import { AREAS_OF_NEED, NEED_CODES } from '../../../domain/census.ts';
import { CONCERN_KINDS, CONCERN_OUTCOMES, type InterventionTried } from '../../../domain/concerns.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import type { FieldError } from '../../../services/errors.ts';
import {
  checkboxes,
  choice,
  dateField,
  type FormBody,
  optionalChoice,
  optionalText,
  parseWithDates,
  text,
} from '../../forms.ts';

export const INTERVENTION_ROWS = 3;

export function parseConcernForm(body: unknown, today: () => IsoDate) {
  const b = (body ?? {}) as FormBody;
  const result = parseWithDates(
    {
      kind: choice(CONCERN_KINDS, 'Select whether the concern is SEND or pastoral'),
      reasons: text('Reasons', { max: 4000, requiredMessage: 'Enter the reasons for the concern' }),
      classroomEvidence: text('Evidence from the classroom', {
        max: 4000,
        requiredMessage: 'Enter the evidence from classroom practice',
      }),
      areasOfNeed: checkboxes(AREAS_OF_NEED, 'Select areas of need from the list').refine(
        (a) => a.length > 0,
        'Select at least one area of need',
      ),
    },
    {
      concernDate: dateField('concernDate', 'Date of the concern', {
        notInFuture: 'The date of the concern must be today or in the past',
        today,
      }),
    },
    b,
  );
  // Interventions tried: rows of intervention, frequency, duration; blank rows are ignored.
  const interventions: InterventionTried[] = [];
  const rowErrors: FieldError[] = [];
  for (let i = 1; i <= INTERVENTION_ROWS; i++) {
    const get = (k: string) => String(b[`intervention${i}-${k}`] ?? '').trim();
    const row = { intervention: get('name'), frequency: get('frequency'), duration: get('duration') };
    if (!row.intervention && !row.frequency && !row.duration) continue;
    if (!row.intervention)
      rowErrors.push({ field: `intervention${i}-name`, message: `Enter the name of intervention ${i}` });
    if (!row.frequency)
      rowErrors.push({
        field: `intervention${i}-frequency`,
        message: `Enter how often intervention ${i} took place, like 3 times a week for 20 minutes`,
      });
    if (!row.duration)
      rowErrors.push({
        field: `intervention${i}-duration`,
        message: `Enter how long intervention ${i} lasted, like 6 weeks`,
      });
    for (const [k, v] of Object.entries(row)) {
      if (v.length > 300)
        rowErrors.push({
          field: `intervention${i}-${k === 'intervention' ? 'name' : k}`,
          message: `Intervention ${i} must be 300 characters or fewer in each box`,
        });
    }
    interventions.push(row);
  }
  if (!result.ok || rowErrors.length > 0) {
    return { ok: false as const, errors: [...(result.ok ? [] : result.errors), ...rowErrors] };
  }
  return {
    ok: true as const,
    data: { ...result.data, concernDate: result.data.concernDate!, interventionsTried: interventions },
  };
}

export function parseConcernReview(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    {
      outcome: choice(CONCERN_OUTCOMES, 'Select the outcome of the review'),
      actionTaken: text('Action taken', { max: 4000, requiredMessage: 'Enter the action taken' }),
      agency: optionalText('Agency', { max: 200 }),
      primaryNeed: optionalChoice(NEED_CODES, 'Select a primary need from the list'),
      secondaryNeed: optionalChoice(NEED_CODES, 'Select a secondary need from the list'),
      version: z.coerce.number().int().min(1),
    },
    {
      reviewedOn: dateField('reviewedOn', 'Date of the review', {
        notInFuture: 'The date of the review must be today or in the past',
        today,
      }),
    },
    body,
  );
  if (!result.ok) return result;
  if (result.data.outcome === 'agency_referral' && !result.data.agency) {
    return {
      ok: false as const,
      errors: [{ field: 'agency', message: 'Enter the agency the pupil is referred to' }],
    };
  }
  return { ok: true as const, data: { ...result.data, reviewedOn: result.data.reviewedOn! } };
}
