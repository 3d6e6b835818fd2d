import { z } from 'zod';
import type { IsoDate } from '../../../domain/dates.ts';
import { ALL_YEAR_GROUPS } from '../../../domain/school.ts';
import type { ClassInput } from '../../../services/classes/index.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { parseForm } from '../../forms/errors.ts';
import { checkboxes, idList, isUuid, text, version } from '../../forms/fields.ts';

const YEAR_VALUES = ALL_YEAR_GROUPS.map(String) as [string, ...string[]];

const classShape = {
  name: text('Class name', { max: 60, requiredMessage: 'Enter the class name' }),
  ncYears: checkboxes(YEAR_VALUES, 'Select year groups from the list')
    .refine((list) => list.length > 0, 'Select the year groups taught in the class')
    .transform((list) => list.map(Number)),
  teacherIds: idList('Select teachers from the list'),
};

export const ClassSchema = z.object(classShape);
export const ClassChangeSchema = z.object({ ...classShape, version: version() });

export function toClassInput(d: z.output<typeof ClassSchema>): ClassInput {
  return { name: d.name, ncYears: d.ncYears, teacherIds: d.teacherIds };
}

/** A class chosen from a select: a class's id, or "none" for no class. */
const classChoice = (requiredMessage: string) =>
  z
    .string({ error: 'Select a class from the list' })
    .optional()
    .refine((v) => Boolean(v), requiredMessage)
    .refine((v) => !v || v === 'none' || isUuid(v), 'Select a class from the list')
    .transform((v) => (v === 'none' || !v ? null : v.toLowerCase()));

/** Moving chosen pupils of a class to another class on a date. */
export function parseMove(body: unknown, today: () => IsoDate) {
  return parseWithDates(
    {
      pupilIds: idList('Select pupils from the list').refine(
        (l) => l.length > 0,
        'Select the pupils to move',
      ),
      toClassId: classChoice('Select the class to move them to'),
    },
    {
      movedOn: dateField('movedOn', 'Date of the move', {
        requiredMessage: 'Enter the date of the move',
        notInFuture: 'The date of the move must be today or earlier',
        today,
      }),
    },
    body,
  );
}

/** Putting pupils who have no class in this class. */
export function parseAdd(body: unknown, today: () => IsoDate) {
  return parseWithDates(
    {
      addPupilIds: idList('Select pupils from the list').refine(
        (l) => l.length > 0,
        'Select the pupils to put in this class',
      ),
    },
    {
      addedOn: dateField('addedOn', 'Date they join the class', {
        requiredMessage: 'Enter the date they join the class',
        notInFuture: 'The date must be today or earlier',
        today,
      }),
    },
    body,
  );
}

/** One pupil's new class, from their record. */
export function parsePupilClass(body: unknown, today: () => IsoDate) {
  return parseWithDates(
    {
      toClassId: classChoice('Select the class'),
      fromClassId: z
        .string({ error: 'This form is out of date: open the page again and make your change there' })
        .optional()
        .transform((v) => (v && isUuid(v) ? v.toLowerCase() : null)),
    },
    {
      movedOn: dateField('movedOn', 'Date of the move', {
        requiredMessage: 'Enter the date of the move',
        notInFuture: 'The date of the move must be today or earlier',
        today,
      }),
    },
    body,
  );
}

export const NoFields = z.object({});
export const parseNothing = (body: unknown) => parseForm(NoFields, body);
