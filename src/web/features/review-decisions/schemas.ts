import { CEASE_REASONS, REVIEW_DECISIONS } from '../../../domain/ehc-plan.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { choice, optionalChoice, optionalText, version } from '../../forms/fields.ts';

/*
 * The authority's decision on an annual review, parsed: the decision and SEN2's cease reason from their
 * lists, the date as three fields, the reasons checked for length and hidden control characters. The
 * service checks the rules again (on or after the meeting, not in the future, the reasons to amend or
 * cease, the cease reason to cease).
 */

const keys = <T extends object>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export function parseReviewDecision(body: unknown) {
  return parseWithDates(
    {
      version: version(),
      decision: choice(keys(REVIEW_DECISIONS), 'Choose whether to keep, amend or cease the plan'),
      reasons: optionalText('The reasons', { max: 5000, multiline: true }),
      ceaseReason: optionalChoice(keys(CEASE_REASONS), 'Choose why the plan ceases'),
    },
    { decidedOn: dateField('decidedOn', 'Date of the decision') },
    body,
  );
}
