import { NEED_CODES } from '../../../domain/census.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import { REVIEW_OUTCOMES, SEN_STAGES } from '../../../domain/register.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { choice, optionalChoice, text, version } from '../../forms/fields.ts';

export function parseRegisterChange(body: unknown, today: () => IsoDate) {
  return parseWithDates(
    {
      stage: choice(SEN_STAGES, 'Select the SEN stage'),
      primaryNeed: optionalChoice(NEED_CODES, 'Select a primary need from the list'),
      secondaryNeed: optionalChoice(NEED_CODES, 'Select a secondary need from the list'),
      reason: text('Reason', {
        max: 2000,
        multiline: true,
        requiredMessage: 'Enter the reason for the decision',
      }),
      version: version(),
    },
    {
      effectiveDate: dateField('effectiveDate', 'Date of the decision', {
        requiredMessage: 'Enter the date of the decision',
        notInFuture: 'The date of the decision must be today or in the past',
        today,
      }),
    },
    body,
  );
}

export function parseRegisterReview(body: unknown, today: () => IsoDate) {
  return parseWithDates(
    {
      outcome: choice(REVIEW_OUTCOMES, 'Select what happens next for this pupil'),
      toStage: optionalChoice(SEN_STAGES, 'Select the stage the pupil moves to'),
      primaryNeed: optionalChoice(NEED_CODES, 'Select a primary need from the list'),
      secondaryNeed: optionalChoice(NEED_CODES, 'Select a secondary need from the list'),
      reason: text('Reason', {
        max: 2000,
        multiline: true,
        requiredMessage: 'Enter the reason, for the pupil’s record',
      }),
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
}
