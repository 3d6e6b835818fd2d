import { z } from 'zod';
import type { IsoDate } from '../../../domain/dates.ts';
import { CONTEXT_FLAGS, type ContextFlag } from '../../../domain/flags.ts';
import { normaliseUpn, UPN_MESSAGES, upnProblem } from '../../../domain/upn.ts';
import type { ParentCarerInput, PupilInput } from '../../../services/pupils/index.ts';
import { dateField, parseWithDates } from '../../forms/dates.ts';
import {
  checkbox,
  checkboxes,
  choice,
  type FormBody,
  isUuid,
  optionalEmail,
  optionalText,
  text,
  version,
} from '../../forms/fields.ts';

const optionalPhone = () =>
  z
    .string({ error: 'Enter a telephone number once' })
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
    .string({ error: 'Select a class' })
    .optional()
    .refine((v) => !v || isUuid(v), 'Select a class')
    .transform((v) => v || null),
  ncYearOverride: z
    .string({ error: 'Select a year group' })
    .optional()
    .refine((v) => !v || /^-?\d{1,2}$/.test(v), 'Select a year group')
    .transform((v) => (v ? Number(v) : null)),
  flags: checkboxes(CONTEXT_FLAGS, 'Select from the list'),
  medicalNotes: optionalText('Medical notes', { max: 1000, multiline: true }),
  attendancePercent: z
    .string({ error: 'Attendance must be a percentage from 0 to 100, like 94.5' })
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
        requiredMessage: 'Enter the pupil’s date of birth',
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
  version: z.unknown().optional(),
  parentalResponsibility: checkbox(),
  courtOrder: checkbox(),
});

export function toParentInput(d: z.output<typeof ParentSchema>): ParentCarerInput {
  return {
    name: d.parentName,
    relationship: d.relationship,
    phone: d.phone,
    email: d.parentEmail,
    parentalResponsibility: d.parentalResponsibility,
    courtOrder: d.courtOrder,
  };
}

/** The first parent or carer on the new-pupil form is optional: only checked when any field is filled in. */
export function hasParentFields(body: FormBody): boolean {
  return ['parentName', 'relationship', 'phone', 'parentEmail'].some(
    (k) => String(body[k] ?? '').trim() !== '',
  );
}

/** The version a form showed, for a change to an existing record. */
export const VersionSchema = z.object({ version: version() });
