import { z } from 'zod';
import { AREAS_OF_NEED } from '../../../domain/census.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import {
  CHECK_DECISIONS,
  COST_MODELS,
  DELIVERER_IN_TEXT,
  DELIVERER_KINDS,
  type DelivererKind,
  MEASURE_KINDS,
  type MeasureKind,
} from '../../../domain/provision.ts';
import { parsePounds } from '../../../domain/provision-costs.ts';
import { parseMeasure } from '../../../domain/provision-impact.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import type {
  CheckInput,
  GroupInput,
  InterventionInput,
  MeasuresInput,
  Rates,
  SessionInput,
} from '../../../services/provision/index.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import { parseForm, zodFieldErrors } from '../../forms/errors.ts';
import {
  checkbox,
  choice,
  type FormBody,
  hasControlCharacters,
  idList,
  isUuid,
  optionalText,
  text,
  uuid,
  version,
} from '../../forms/fields.ts';

/** A whole number as typed (a minus sign allowed, so that "-5" gets the rule's own message). */
const wholeNumber = (message: string) =>
  z
    .string({ error: message })
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => /^-?\d{1,6}$/.test(v), message)
    .transform((v) => Number(v));

/** Pounds and pence as typed, in pence; empty is null. */
const money = (message: string) =>
  z
    .string({ error: message })
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => v === '' || parsePounds(v) !== null, message)
    .transform((v) => (v === '' ? null : parsePounds(v)));

const interventionShape = {
  name: text('Name', { max: 120, requiredMessage: 'Enter the name of the intervention' }),
  area: choice(AREAS_OF_NEED, 'Select the area of need'),
  description: optionalText('Description', { max: 2000, multiline: true }),
  evidenceBase: optionalText('Evidence base', { max: 2000, multiline: true }),
  usualDeliverer: choice(DELIVERER_KINDS, 'Select who usually delivers it'),
  usualGroupSize: wholeNumber('Enter the usual group size as a number, like 4'),
  sessionsPerWeek: wholeNumber('Enter the sessions a week as a number, like 3'),
  minutesPerSession: wholeNumber('Enter the minutes of each session as a number, like 30'),
  costModel: choice(COST_MODELS, 'Select how it is costed'),
  fixedCost: money('Enter the cost in pounds and pence, like 45.00'),
  measureKind: choice(MEASURE_KINDS, 'Select how its impact is measured'),
  measureName: optionalText('Name of the measure', { max: 120 }),
};

export function parseIntervention(body: unknown) {
  const parsed = parseForm(z.object(interventionShape), body);
  if (!parsed.ok) return parsed;
  const { fixedCost, ...rest } = parsed.data;
  const input: InterventionInput = { ...rest, fixedCostPence: fixedCost };
  return { ok: true as const, data: input };
}

export const VersionSchema = z.object({ version: version() });

/** The rates form: a rate per kind of deliverer, and the rates the form showed (to spot another save). */
export function parseRates(body: unknown) {
  const b = (body ?? {}) as FormBody;
  const errors: FieldError[] = [];
  const rates = {} as Rates;
  const shown = {} as Rates;
  for (const kind of DELIVERER_KINDS) {
    const raw = typeof b[kind] === 'string' ? (b[kind] as string).trim() : '';
    const pence = raw === '' ? null : parsePounds(raw);
    if (pence === null)
      errors.push({
        field: kind,
        message: `Enter the hourly rate for ${DELIVERER_IN_TEXT[kind]} in pounds and pence, like 16.50`,
      });
    else rates[kind] = pence;
    const was = b[`shown-${kind}`];
    const wasPence = typeof was === 'string' && /^\d{1,9}$/.test(was) ? Number(was) : null;
    if (wasPence === null)
      return {
        ok: false as const,
        errors: [
          {
            field: 'form',
            message: 'This form is out of date: open the page again and make your change there',
          },
        ],
      };
    shown[kind] = wasPence;
  }
  if (errors.length > 0) return { ok: false as const, errors };
  return { ok: true as const, data: { rates, shown } };
}

const OTHER = 'other';

function groupShape(isNew: boolean) {
  return {
    ...(isNew ? { interventionId: uuid('Select an intervention from the catalogue') } : {}),
    name: text('Name', {
      max: 120,
      requiredMessage: 'Enter a name for the group, like Phonics catch-up: Year 2',
    }),
    delivererId: z
      .string({ error: 'Select who delivers the group from the list' })
      .optional()
      .refine(
        (v) => v === undefined || v === '' || v === OTHER || isUuid(v),
        'Select who delivers the group from the list',
      )
      .transform((v) => (v && v !== OTHER ? v : null)),
    delivererName: optionalText('Name of the person or agency', { max: 120 }),
    delivererKind: choice(DELIVERER_KINDS, 'Select what kind of person delivers it'),
    sessionsPerWeek: wholeNumber('Enter the sessions a week as a number, like 3'),
    minutesPerSession: wholeNumber('Enter the minutes of each session as a number, like 30'),
    location: optionalText('Where', { max: 120 }),
    agency: optionalText('Outside agency', { max: 200 }),
    ...(isNew ? { pupilIds: idList('Select pupils from the list') } : { version: version() }),
  };
}

const groupDates = {
  startDate: dateField('startDate', 'Start date', { requiredMessage: 'Enter the date the group starts' }),
  endDate: dateField('endDate', 'End date', { optional: true }),
};

function toGroupInput(d: {
  name: string;
  delivererId: string | null;
  delivererName: string | null;
  delivererKind: DelivererKind;
  sessionsPerWeek: number;
  minutesPerSession: number;
  location: string | null;
  agency: string | null;
  startDate: IsoDate | null;
  endDate: IsoDate | null;
}): { input: GroupInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!d.delivererId && !d.delivererName)
    errors.push({
      field: 'delivererId',
      message: 'Select who delivers the group, or enter the name of the person or agency who does',
    });
  return {
    input: {
      name: d.name,
      deliverer: d.delivererId ? { userId: d.delivererId } : { name: d.delivererName ?? '' },
      delivererKind: d.delivererKind,
      startDate: d.startDate!,
      endDate: d.endDate,
      sessionsPerWeek: d.sessionsPerWeek,
      minutesPerSession: d.minutesPerSession,
      location: d.location,
      agency: d.agency,
    },
    errors,
  };
}

export function parseNewGroup(body: unknown) {
  const result = parseWithDates(groupShape(true), groupDates, body);
  const b = (body ?? {}) as FormBody;
  // Counted as sent, so that a pupil sent twice is told, not quietly dropped.
  const sent = b.pupilIds === undefined ? [] : Array.isArray(b.pupilIds) ? b.pupilIds : [b.pupilIds];
  if (!result.ok) return result;
  const { input, errors } = toGroupInput(result.data);
  if (errors.length > 0) return { ok: false as const, errors };
  const d = result.data as typeof result.data & { interventionId: string; pupilIds: string[] };
  const pupilIds = sent.filter((x) => x !== '').map((x) => x.toLowerCase());
  return { ok: true as const, data: { ...input, interventionId: d.interventionId, pupilIds } };
}

export function parseGroupChange(body: unknown) {
  const result = parseWithDates(groupShape(false), groupDates, body);
  if (!result.ok) return result;
  const { input, errors } = toGroupInput(result.data);
  if (errors.length > 0) return { ok: false as const, errors };
  return { ok: true as const, data: { input, version: (result.data as { version: number }).version } };
}

export function parseAddPupil(body: unknown) {
  return parseWithDates(
    { pupilId: uuid('Select the pupil to add') },
    {
      joinedOn: dateField('joinedOn', 'Joining date', {
        requiredMessage: 'Enter the date they join the group',
      }),
    },
    body,
  );
}

export function parseLeaving(body: unknown) {
  return parseWithDates(
    { version: version() },
    { leftOn: dateField('leftOn', 'Leaving date', { requiredMessage: 'Enter their last day in the group' }) },
    body,
  );
}

export function parseSession(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    {
      present: idList('Select pupils from the list'),
      note: optionalText('Note', { max: 500, multiline: true }),
      notSchoolDayConfirmed: checkbox(),
    },
    {
      heldOn: dateField('heldOn', 'Date of the session', {
        requiredMessage: 'Enter the date of the session',
        notInFuture: 'The date of the session must be today or in the past',
        today,
      }),
    },
    body,
  );
  if (!result.ok) return result;
  const input: SessionInput = {
    heldOn: result.data.heldOn!,
    presentPupilIds: result.data.present.map((x) => x.toLowerCase()),
    note: result.data.note,
    notSchoolDayConfirmed: result.data.notSchoolDayConfirmed,
  };
  return { ok: true as const, data: input };
}

/**
 * The measures form: a value per member for entry and exit (`entry-<memberId>`, `exit-<memberId>`),
 * their versions (`version-<memberId>`), and one date for each kind.
 */
export function parseMeasures(
  body: unknown,
  kind: MeasureKind,
  names: Map<string, string>,
  today: () => IsoDate,
) {
  const b = (body ?? {}) as FormBody;
  const errors: FieldError[] = [];
  const dates = parseWithDates(
    {},
    {
      entryOn: dateField('entryOn', 'Date of the entry measures', {
        optional: true,
        notInFuture: 'The date of the entry measures must be today or in the past',
        today,
      }),
      exitOn: dateField('exitOn', 'Date of the exit measures', {
        optional: true,
        notInFuture: 'The date of the exit measures must be today or in the past',
        today,
      }),
    },
    b,
  );
  if (!dates.ok) errors.push(...dates.errors);
  const rows: MeasuresInput['rows'] = [];
  for (const [memberId, name] of names) {
    const v = b[`version-${memberId}`];
    if (typeof v !== 'string' || !/^[1-9]\d{0,9}$/.test(v)) {
      errors.push({
        field: 'form',
        message: 'This form is out of date: open the page again and make your change there',
      });
      break;
    }
    const value = (which: 'entry' | 'exit') => {
      const raw = b[`${which}-${memberId}`];
      if (raw === undefined || raw === '') return null;
      if (typeof raw !== 'string' || hasControlCharacters(raw) || parseMeasure(kind, raw) === null) {
        errors.push({
          field: `${which}-${memberId}`,
          message: `Enter ${name}’s ${which} measure as a number${kind === 'age_months' ? ' of months, or years and months like 7:04' : ''}`,
        });
        return null;
      }
      return parseMeasure(kind, raw);
    };
    rows.push({ memberId, version: Number(v), entry: value('entry'), exit: value('exit') });
  }
  if (errors.length > 0 || !dates.ok) return { ok: false as const, errors };
  const input: MeasuresInput = { entryOn: dates.data.entryOn, exitOn: dates.data.exitOn, rows };
  return { ok: true as const, data: input };
}

/** The check: a date, a decision, notes, and for each pupil whether they are making expected progress. */
export function parseCheck(body: unknown, pupilIds: string[], today: () => IsoDate) {
  const b = (body ?? {}) as FormBody;
  const result = parseWithDates(
    {
      decision: choice(CHECK_DECISIONS, 'Select whether to continue, alter or stop the intervention'),
      notes: optionalText('Notes', { max: 2000, multiline: true }),
    },
    {
      checkedOn: dateField('checkedOn', 'Date of the check', {
        requiredMessage: 'Enter the date of the check',
        notInFuture: 'The date of the check must be today or in the past',
        today,
      }),
    },
    b,
  );
  const errors: FieldError[] = result.ok ? [] : [...result.errors];
  const pupils: CheckInput['pupils'] = [];
  for (const pupilId of pupilIds) {
    const answer = b[`progress-${pupilId}`];
    const note = optionalText('Note', { max: 500 }).safeParse(b[`note-${pupilId}`]);
    if (!note.success)
      errors.push(...zodFieldErrors(note.error).map((e) => ({ ...e, field: `note-${pupilId}` })));
    pupils.push({
      pupilId,
      expectedProgress: answer === 'yes' ? true : answer === 'no' ? false : null,
      note: note.success ? note.data : null,
    });
  }
  if (!result.ok || errors.length > 0) return { ok: false as const, errors };
  const input: CheckInput = {
    checkedOn: result.data.checkedOn!,
    decision: result.data.decision,
    notes: result.data.notes,
    pupils,
  };
  return { ok: true as const, data: input };
}
