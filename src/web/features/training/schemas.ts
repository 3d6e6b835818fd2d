import { z } from 'zod';
import type { IsoDate } from '../../../domain/dates.ts';
import { TRAINING_AREAS, type TrainingArea } from '../../../domain/training.ts';
import type {
  PlanItemInput,
  SencoAppointmentInput,
  TrainingInput,
} from '../../../services/training/index.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { choice, idList, optionalChoice, optionalText, text, uuid, version } from '../../forms/fields.ts';

const AREAS = TRAINING_AREAS as readonly [TrainingArea, ...TrainingArea[]];
const HOURS_MESSAGE = 'Enter the hours as a number from 0.5 to 500, like 1.5';

/** Hours as typed ("3", "1.5", " 2 "): one decimal place at most, more than 0 and at most 500. */
const hours = () =>
  z
    .string({ error: HOURS_MESSAGE })
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => v !== '', 'Enter how many hours the training took')
    .refine(
      (v) => v === '' || (/^\d{1,3}(\.\d)?$/.test(v) && Number(v) > 0 && Number(v) <= 500),
      HOURS_MESSAGE,
    )
    .transform((v) => Number(v));

const trainingShape = {
  course: text('The course', { max: 200, requiredMessage: 'Enter the name of the course or training' }),
  hours: hours(),
  area: choice(AREAS, 'Select the area of need the training served, or general SEN training'),
  provider: optionalText('Who gave it', { max: 200 }),
  notes: optionalText('Notes', { max: 2000, multiline: true }),
};

const completedOn = (today: () => IsoDate) =>
  dateField('completedOn', 'Date it was completed', {
    requiredMessage: 'Enter the date it was completed',
    notInFuture: 'The date it was completed must be today or earlier',
    today,
  });

export function parseNewTraining(body: unknown, today: () => IsoDate) {
  const parsed = parseWithDates(
    {
      userIds: idList('Choose members of staff from the list').refine(
        (l) => l.length > 0,
        'Choose who did the training',
      ),
      ...trainingShape,
    },
    { completedOn: completedOn(today) },
    body,
  );
  if (!parsed.ok) return parsed;
  const { userIds, ...rest } = parsed.data;
  const input: TrainingInput = { ...rest, completedOn: rest.completedOn! };
  return { ok: true as const, data: { userIds, input } };
}

export function parseTrainingChange(body: unknown, today: () => IsoDate) {
  const parsed = parseWithDates(
    { ...trainingShape, version: version() },
    { completedOn: completedOn(today) },
    body,
  );
  if (!parsed.ok) return parsed;
  const { version: v, ...rest } = parsed.data;
  const input: TrainingInput = { ...rest, completedOn: rest.completedOn! };
  return { ok: true as const, data: { version: v, input } };
}

export function parseVersionOnly(body: unknown) {
  return parseWithDates({ version: version() }, {}, body);
}

const planShape = {
  title: text('The title', { max: 200, requiredMessage: 'Enter what the training is' }),
  area: choice(AREAS, 'Select the area of need it serves, or general SEN training'),
  audience: optionalText('Who it is for', { max: 200 }),
  term: optionalChoice(['autumn', 'spring', 'summer'] as const, 'Select a term from the list'),
  status: choice(['planned', 'done', 'dropped'] as const, 'Select whether it is planned, done or dropped'),
  notes: optionalText('Notes', { max: 2000, multiline: true }),
};

export function parsePlanItem(body: unknown) {
  const parsed = parseWithDates(planShape, {}, body);
  if (!parsed.ok) return parsed;
  const input: PlanItemInput = parsed.data;
  return { ok: true as const, data: input };
}

export function parsePlanItemChange(body: unknown) {
  const parsed = parseWithDates({ ...planShape, version: version() }, {}, body);
  if (!parsed.ok) return parsed;
  const { version: v, ...input } = parsed.data;
  return { ok: true as const, data: { version: v, input: input as PlanItemInput } };
}

const notAfter = (today: () => IsoDate, name: string, label: string, optional: boolean) =>
  dateField(name, label, {
    optional,
    requiredMessage: `Enter the ${label.toLowerCase()}`,
    notInFuture: `The ${label.toLowerCase()} must be today or earlier`,
    today,
  });

function appointmentShape(today: () => IsoDate) {
  return {
    fields: {
      userId: uuid('Choose the SENCo from the list'),
      qualification: optionalChoice(
        ['national_award', 'npq_senco'] as const,
        'Select the qualification from the list',
      ),
      provider: optionalText('Provider', { max: 200 }),
    },
    dates: {
      appointedOn: notAfter(today, 'appointedOn', 'Date they took up the post', false),
      startedOn: notAfter(today, 'startedOn', 'Date they started the qualification', true),
      achievedOn: notAfter(today, 'achievedOn', 'Date they achieved the qualification', true),
      endedOn: dateField('endedOn', 'Date they left the post', { optional: true }),
    },
  };
}

export function parseAppointment(body: unknown, today: () => IsoDate) {
  const { fields, dates } = appointmentShape(today);
  const parsed = parseWithDates(fields, dates, body);
  if (!parsed.ok) return parsed;
  const d = parsed.data;
  const input: SencoAppointmentInput = {
    userId: d.userId.toLowerCase(),
    appointedOn: d.appointedOn!,
    qualification: d.qualification,
    startedOn: d.startedOn,
    achievedOn: d.achievedOn,
    provider: d.provider,
    endedOn: d.endedOn,
  };
  return { ok: true as const, data: input };
}

export function parseAppointmentChange(body: unknown, today: () => IsoDate) {
  const parsed = parseAppointment(body, today);
  const v = parseVersionOnly(body);
  if (!parsed.ok || !v.ok)
    return { ok: false as const, errors: [...(parsed.ok ? [] : parsed.errors), ...(v.ok ? [] : v.errors)] };
  return { ok: true as const, data: { version: v.data.version, input: parsed.data } };
}

/** The academic year asked for in the query (?year=2025), or the current one. */
export function yearOf(query: unknown): number | undefined {
  const y = (query as Record<string, unknown> | undefined)?.year;
  return typeof y === 'string' && /^20\d\d$/.test(y) ? Number(y) : undefined;
}

/** The academic years a plan item can be added to: this one and the two after. */
export const PLAN_YEARS_AHEAD = 2;

/** The academic year chosen on the plan form, or null when it is not one offered. */
export function planYearOf(value: unknown, current: number): number | null {
  if (typeof value !== 'string' || !/^20\d\d$/.test(value)) return null;
  const y = Number(value);
  return y >= current && y <= current + PLAN_YEARS_AHEAD ? y : null;
}
