import type { z } from 'zod';
import { z as zod } from 'zod';
import { PLAN_STRATEGY_FIELDS } from '../../../domain/agencies.ts';
import { AREAS_OF_NEED } from '../../../domain/census.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { type Parsed, parseForm } from '../../forms/errors.ts';
import {
  choice,
  type FormBody,
  optionalChoice,
  optionalText,
  text,
  uuid,
  version,
} from '../../forms/fields.ts';

/*
 * The forms of a recommendation's page: put it into the plan as a target (its words, changed as the
 * teacher sees fit) or as a strategy (the part of the plan it goes into), or the pupil joins a group.
 * Each form says what it is (`useAs`); anything else is refused.
 */

const OUT_OF_DATE = 'This form is out of date: open the page again';

const TargetSchema = zod.object({
  planId: uuid(OUT_OF_DATE),
  version: version(),
  target: text('The target', { max: 1000, multiline: true, requiredMessage: 'Enter the target' }),
  achievementCriteria: optionalText('The achievement criteria', { max: 1000, multiline: true }),
  resourcesAndTechniques: optionalText('The resources and techniques', { max: 1000, multiline: true }),
  classStrategies: optionalText('The class strategies and support', { max: 1000, multiline: true }),
  area: optionalChoice(AREAS_OF_NEED, 'Select an area of need from the list'),
});

const StrategySchema = zod.object({
  planId: uuid(OUT_OF_DATE),
  version: version(),
  field: choice(PLAN_STRATEGY_FIELDS, 'Select the part of the plan the strategy goes into'),
});

export type UseForm =
  | { useAs: 'target'; data: z.output<typeof TargetSchema> }
  | { useAs: 'strategy'; data: z.output<typeof StrategySchema> }
  | { useAs: 'group'; data: { groupId: string; joinedOn: string } };

export function parseUseForm(body: FormBody): Parsed<UseForm> {
  switch (body.useAs) {
    case 'target': {
      const parsed = parseForm(TargetSchema, body);
      return parsed.ok ? { ok: true, data: { useAs: 'target', data: parsed.data } } : parsed;
    }
    case 'strategy': {
      const parsed = parseForm(StrategySchema, body);
      return parsed.ok ? { ok: true, data: { useAs: 'strategy', data: parsed.data } } : parsed;
    }
    case 'group': {
      const parsed = parseWithDates(
        { groupId: uuid('Select the group the pupil joins') },
        {
          joinedOn: dateField('joinedOn', 'Joining date', {
            requiredMessage: 'Enter the date they join the group',
          }),
        },
        body,
      );
      return parsed.ok
        ? {
            ok: true,
            data: {
              useAs: 'group',
              data: { groupId: parsed.data.groupId.toLowerCase(), joinedOn: parsed.data.joinedOn! },
            },
          }
        : parsed;
    }
    default:
      return {
        ok: false,
        errors: [
          { field: 'form', message: 'Choose how to use the recommendation, then send the form again' },
        ],
      };
  }
}
