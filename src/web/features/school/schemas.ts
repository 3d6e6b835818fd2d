import { z } from 'zod';
import type { Destination, RollOverChoices } from '../../../domain/roll-over.ts';
import { ALL_YEAR_GROUPS } from '../../../domain/school.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import type { SchoolDetailsInput } from '../../../services/school/index.ts';
import { dateFromFields } from '../../forms/dates.ts';
import { parseForm } from '../../forms/errors.ts';
import {
  checkbox,
  choice,
  type FormBody,
  hasControlCharacters,
  idList,
  isUuid,
  version,
} from '../../forms/fields.ts';
import { schoolIdentityFields, schoolName } from '../../forms/school.ts';

const YEAR_VALUES = ALL_YEAR_GROUPS.map(String) as [string, ...string[]];

export const DetailsSchema = z.object({
  name: schoolName(),
  ...schoolIdentityFields,
  lowestNcYear: choice(YEAR_VALUES, 'Select the youngest year group').transform(Number),
  highestNcYear: choice(YEAR_VALUES, 'Select the oldest year group').transform(Number),
  version: version(),
});

export function toDetailsInput(d: z.output<typeof DetailsSchema>): SchoolDetailsInput {
  return {
    name: d.name,
    urn: d.urn,
    laCode: d.laCode,
    establishmentNumber: d.establishmentNumber,
    phase: d.phase,
    lowestNcYear: d.lowestNcYear,
    highestNcYear: d.highestNcYear,
  };
}

/** The fields of the roll-over form: one destination per group (`to-<class or none>_<year>`), and per leaver. */
const GROUP_FIELD = /^to-((?:none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_-?\d{1,2})$/i;
const DESTINATION_FIELD = /^destination-([0-9a-f-]{36})$/i;
const MAX_NAME = 60;
const MAX_DESTINATION = 120;

export interface RollOverForm {
  academicYear: number;
  version: number;
  fingerprint: string;
  choices: RollOverChoices;
}

function oneLine(
  body: FormBody,
  field: string,
  label: string,
  max: number,
  errors: FieldError[],
): string | null {
  const raw = body[field];
  if (raw === undefined) return null;
  if (typeof raw !== 'string') {
    errors.push({ field, message: `${label} must be entered once, as text` });
    return null;
  }
  const value = raw.trim();
  if (hasControlCharacters(value)) {
    errors.push({
      field,
      message: `${label} must be a single line of text without hidden control characters`,
    });
    return null;
  }
  if (value.length > max) {
    errors.push({ field, message: `${label} must be ${max} characters or fewer` });
    return null;
  }
  return value || null;
}

/** The user's choices on the roll-over preview, as far as the form can tell; the service checks the rest. */
export function parseRollOverChoices(body: FormBody): { choices: RollOverChoices; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const destinations: Record<string, Destination> = {};
  const destinationOf: Record<string, string | null> = {};
  for (const [field, value] of Object.entries(body)) {
    const group = GROUP_FIELD.exec(field);
    if (group?.[1]) {
      const key = group[1].toLowerCase();
      if (typeof value !== 'string') {
        errors.push({ field, message: 'Choose one class for each group' });
      } else if (value === 'none') {
        destinations[key] = { kind: 'none' };
      } else if (value === 'new') {
        destinations[key] = {
          kind: 'new',
          name: oneLine(body, `newName-${key}`, 'The name of the new class', MAX_NAME, errors) ?? '',
        };
      } else if (isUuid(value)) {
        destinations[key] = { kind: 'class', classId: value.toLowerCase() };
      } else {
        errors.push({ field, message: 'Choose a class from the list' });
      }
      continue;
    }
    const destination = DESTINATION_FIELD.exec(field);
    if (destination?.[1] && isUuid(destination[1])) {
      destinationOf[destination[1].toLowerCase()] = oneLine(
        body,
        field,
        'Where they are going',
        MAX_DESTINATION,
        errors,
      );
    }
  }
  const leaving = idList('Select leavers from the list').safeParse(body.leaving);
  if (!leaving.success) errors.push({ field: 'leaving', message: 'Select leavers from the list' });
  const leftOn = dateFromFields(body, 'leftOn', 'Leaving date', { optional: true });
  if (leftOn.error) errors.push({ field: 'leftOn', message: leftOn.error });
  const forAll = oneLine(body, 'destinationForAll', 'Where they are going', MAX_DESTINATION, errors);
  const update = checkbox().safeParse(body.updateYearGroups);
  return {
    choices: {
      destinations,
      leaving: new Set(leaving.success ? leaving.data : []),
      leftOn: leftOn.value,
      destinationForAll: forAll,
      destinationOf,
      updateYearGroups: update.success ? update.data : false,
    },
    errors,
  };
}

const RollOverHeader = z.object({
  academicYear: z
    .string({ error: 'This form is out of date: open the roll-over again' })
    .optional()
    .refine((v) => v !== undefined && /^\d{4}$/.test(v), 'This form is out of date: open the roll-over again')
    .transform(Number),
  version: version(),
  fingerprint: z
    .string({ error: 'This form is out of date: open the roll-over again' })
    .optional()
    .refine(
      (v) => v !== undefined && /^[0-9a-f]{32}$/.test(v),
      'This form is out of date: open the roll-over again',
    )
    .transform((v) => v as string),
});

export function parseRollOverForm(
  body: FormBody,
): { ok: true; data: RollOverForm } | { ok: false; errors: FieldError[] } {
  const header = parseForm(RollOverHeader, body);
  const { choices, errors } = parseRollOverChoices(body);
  const all = [
    ...(header.ok ? [] : header.errors.map((e) => ({ field: 'form', message: e.message }))),
    ...errors,
  ];
  if (!header.ok || all.length > 0) return { ok: false, errors: all };
  return { ok: true, data: { ...header.data, choices } };
}
