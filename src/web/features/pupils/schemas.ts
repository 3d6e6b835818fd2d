import { z } from 'zod';
import { AREAS_OF_NEED, NEED_CODES } from '../../../domain/census.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import { CONTEXT_FLAGS, type ContextFlag } from '../../../domain/flags.ts';
import { SEN_STAGES } from '../../../domain/register.ts';
import { normaliseUpn, UPN_MESSAGES, upnProblem } from '../../../domain/upn.ts';
import type { PupilFilters } from '../../../repositories/pupils.ts';
import type { ParentCarerInput, PupilInput } from '../../../services/pupils.ts';
import {
  checkbox,
  checkboxes,
  choice,
  dateField,
  type FormBody,
  isUuid,
  optionalText,
  parseWithDates,
  text,
} from '../../forms.ts';

const optionalEmail = () =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().toLowerCase())
    .refine(
      (v) => v === '' || (v.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)),
      'Enter an email address in the correct format, like name@example.com',
    )
    .transform((v) => (v === '' ? null : v));

const optionalPhone = () =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine(
      (v) => v === '' || /^[0-9+() -]{6,20}$/.test(v),
      'Enter a telephone number, like 01632 960 001 or 07700 900 982',
    )
    .transform((v) => (v === '' ? null : v));

const pupilShape = {
  upn: text('UPN', { max: 20, requiredMessage: 'Enter the UPN' }).superRefine((value, ctx) => {
    const problem = value ? upnProblem(normaliseUpn(value)) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: UPN_MESSAGES[problem] });
  }),
  forename: text('First name', { max: 100, requiredMessage: 'Enter the pupil’s first name' }),
  surname: text('Last name', { max: 100, requiredMessage: 'Enter the pupil’s last name' }),
  preferredName: optionalText('Preferred name', { max: 100 }),
  sex: choice(['female', 'male'] as const, 'Select the pupil’s sex as recorded in the school census'),
  classId: z
    .string()
    .optional()
    .refine((v) => !v || isUuid(v), 'Select a class')
    .transform((v) => v || null),
  ncYearOverride: z
    .string()
    .optional()
    .refine((v) => !v || /^-?\d{1,2}$/.test(v), 'Select a year group')
    .transform((v) => (v ? Number(v) : null)),
  flags: checkboxes(CONTEXT_FLAGS, 'Select from the list'),
  medicalNotes: optionalText('Medical notes', { max: 1000 }),
  attendancePercent: z
    .string()
    .optional()
    .transform((v) => (v ?? '').trim().replace(/%$/, ''))
    .refine(
      (v) => v === '' || (/^\d{1,3}(\.\d)?$/.test(v) && Number(v) <= 100),
      'Attendance must be a percentage from 0 to 100, like 94.5',
    )
    .transform((v) => (v === '' ? null : Number(v))),
};

export function parsePupilForm(body: unknown, today: () => IsoDate) {
  const result = parseWithDates(
    pupilShape,
    {
      dateOfBirth: dateField('dateOfBirth', 'Date of birth', {
        notInFuture: 'Date of birth must be in the past',
        today,
      }),
      admissionDate: dateField('admissionDate', 'Date of admission', { optional: true }),
    },
    body,
  );
  if (!result.ok) return result;
  const d = result.data;
  const flags = Object.fromEntries(CONTEXT_FLAGS.map((f) => [f, d.flags.includes(f)])) as Record<
    ContextFlag,
    boolean
  >;
  const input: PupilInput = {
    upn: d.upn,
    forename: d.forename,
    surname: d.surname,
    preferredName: d.preferredName,
    dateOfBirth: d.dateOfBirth as IsoDate,
    sex: d.sex,
    classId: d.classId,
    ncYearOverride: d.ncYearOverride,
    admissionDate: d.admissionDate,
    flags,
    medicalNotes: d.medicalNotes,
    attendancePercent: d.attendancePercent,
  };
  return { ok: true as const, data: input };
}

export const ParentSchema = z.object({
  parentName: text('Name', { max: 120, requiredMessage: 'Enter the parent or carer’s name' }),
  relationship: text('Relationship', {
    max: 60,
    requiredMessage: 'Enter their relationship to the pupil, like Mother or Foster carer',
  }),
  phone: optionalPhone(),
  parentEmail: optionalEmail(),
  parentalResponsibility: checkbox(),
});

export function toParentInput(d: z.output<typeof ParentSchema>): ParentCarerInput {
  return {
    name: d.parentName,
    relationship: d.relationship,
    phone: d.phone,
    email: d.parentEmail,
    parentalResponsibility: d.parentalResponsibility,
  };
}

/** The first parent or carer on the new-pupil form is optional: only checked when any field is filled in. */
export function hasParentFields(body: FormBody): boolean {
  return ['parentName', 'relationship', 'phone', 'parentEmail'].some(
    (k) => String(body[k] ?? '').trim() !== '',
  );
}

/** Filters from the query string: unknown values are ignored rather than failing the list. */
export function parseFilters(query: Record<string, unknown>): { filters: PupilFilters; page: number } {
  const str = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : undefined);
  const oneOf = <T extends string>(values: readonly T[], v: string | undefined) =>
    v && (values as readonly string[]).includes(v) ? (v as T) : undefined;
  const flagsRaw = query.flags;
  const flagList = (Array.isArray(flagsRaw) ? flagsRaw : flagsRaw ? [flagsRaw] : []).map(String);
  const year = str('year');
  const page = Number(str('page') ?? '1');
  return {
    filters: {
      search: str('q')?.slice(0, 100),
      classId: isUuid(str('classId')) ? str('classId') : undefined,
      stage: oneOf(SEN_STAGES, str('stage')),
      need: oneOf(NEED_CODES, str('need')),
      area: oneOf(AREAS_OF_NEED, str('area')),
      ncYear: year && /^-?\d{1,2}$/.test(year) ? Number(year) : undefined,
      flags: flagList.filter((f): f is ContextFlag => (CONTEXT_FLAGS as readonly string[]).includes(f)),
    },
    page: Number.isInteger(page) && page > 0 && page < 10_000 ? page : 1,
  };
}
