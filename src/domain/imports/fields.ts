import { CONTEXT_FLAGS, type ContextFlag, FLAG_LABELS } from '../flags.ts';

/**
 * What a column of an MIS export can hold: the pupil's details, their contextual flags, attendance,
 * and up to two parents or carers (the MIS's "contacts") with their parental responsibility.
 */
export const PUPIL_FIELDS = [
  'upn',
  'misId',
  'surname',
  'forename',
  'preferredName',
  'dateOfBirth',
  'sex',
  'yearGroup',
  'className',
  'admissionDate',
  'attendancePercent',
] as const;
export type PupilField = (typeof PUPIL_FIELDS)[number];

export const CONTACT_PARTS = ['Name', 'Relationship', 'Phone', 'Email', 'ParentalResponsibility'] as const;
export type ContactPart = (typeof CONTACT_PARTS)[number];
export const CONTACT_NUMBERS = [1, 2] as const;
export type ContactField = `contact${(typeof CONTACT_NUMBERS)[number]}${ContactPart}`;
export const CONTACT_FIELDS: ContactField[] = CONTACT_NUMBERS.flatMap((n) =>
  CONTACT_PARTS.map((part) => `contact${n}${part}` as ContactField),
);

export type ImportField = PupilField | ContextFlag | ContactField;
export const IMPORT_FIELDS: readonly ImportField[] = [...PUPIL_FIELDS, ...CONTEXT_FLAGS, ...CONTACT_FIELDS];

export function isImportField(value: string): value is ImportField {
  return (IMPORT_FIELDS as readonly string[]).includes(value);
}

/** The columns a file must have: without them a pupil cannot be matched or added. */
export const REQUIRED_FIELDS: readonly ImportField[] = ['upn', 'surname', 'forename', 'dateOfBirth', 'sex'];

const CONTACT_ORDINALS: Record<(typeof CONTACT_NUMBERS)[number], string> = { 1: 'First', 2: 'Second' };
const CONTACT_PART_LABELS: Record<ContactPart, string> = {
  Name: 'name',
  Relationship: 'relationship',
  Phone: 'telephone',
  Email: 'email',
  ParentalResponsibility: 'parental responsibility',
};

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  upn: 'UPN',
  misId: 'MIS pupil id',
  surname: 'Last name',
  forename: 'First name',
  preferredName: 'Preferred name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  yearGroup: 'Year group',
  className: 'Class',
  admissionDate: 'Date of admission',
  attendancePercent: 'Attendance',
  ...FLAG_LABELS,
  ...(Object.fromEntries(
    CONTACT_NUMBERS.flatMap((n) =>
      CONTACT_PARTS.map((part) => [
        `contact${n}${part}`,
        `${CONTACT_ORDINALS[n]} parent or carer: ${CONTACT_PART_LABELS[part]}`,
      ]),
    ),
  ) as Record<ContactField, string>),
};

export function contactField(n: (typeof CONTACT_NUMBERS)[number], part: ContactPart): ContactField {
  return `contact${n}${part}`;
}
