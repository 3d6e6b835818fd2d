/**
 * Who may do what. A school membership has one role; an organisation (local authority or trust)
 * membership makes an organisation officer. Pupil scope says which of a school's pupils a role reaches:
 * all of them, those in the member's classes, those assigned to the member, or none by name.
 */
export const SCHOOL_ROLES = [
  'senco',
  'head_teacher',
  'class_teacher',
  'teaching_assistant',
  'office',
  'sen_governor',
] as const;
export type SchoolRole = (typeof SCHOOL_ROLES)[number];
export type Role = SchoolRole | 'organisation_officer';

export const ROLE_LABELS: Record<Role, string> = {
  senco: 'SENCo',
  head_teacher: 'Head teacher',
  class_teacher: 'Class teacher',
  teaching_assistant: 'Teaching assistant',
  office: 'Office',
  sen_governor: 'SEN governor',
  organisation_officer: 'Organisation officer',
};

export type PupilScopeKind = 'school' | 'classes' | 'assigned' | 'none';

export const PUPIL_SCOPE: Record<Role, PupilScopeKind> = {
  senco: 'school',
  head_teacher: 'school',
  office: 'school',
  class_teacher: 'classes',
  teaching_assistant: 'assigned',
  sen_governor: 'none',
  organisation_officer: 'none',
};

export const PERMISSIONS = [
  'pupil.view', // see pupil details (name, class, contacts, flags)
  'pupil.edit', // add and edit pupils
  'sen.view', // see SEN stage, needs, register history and concerns of pupils in scope
  'register.change', // change a pupil's stage and needs
  'register.review', // the termly register review
  'register.export', // CSV and print of the register
  'concern.raise', // raise a concern about a pupil in scope
  'concern.review', // review open concerns and record the outcome
  'audit.view', // read a pupil's audit trail
  'staff.manage', // staff accounts, roles and class assignments
  'counts.view', // anonymous register counts for the school
  'organisation.view', // aggregate figures across an organisation's schools
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  senco: [
    'pupil.view',
    'pupil.edit',
    'sen.view',
    'register.change',
    'register.review',
    'register.export',
    'concern.raise',
    'concern.review',
    'audit.view',
    'staff.manage',
    'counts.view',
  ],
  head_teacher: [
    'pupil.view',
    'pupil.edit',
    'sen.view',
    'register.change',
    'register.export',
    'concern.raise',
    'concern.review',
    'audit.view',
    'counts.view',
  ],
  class_teacher: ['pupil.view', 'sen.view', 'concern.raise'],
  teaching_assistant: ['pupil.view', 'sen.view', 'concern.raise'],
  office: ['pupil.view', 'pupil.edit'],
  sen_governor: ['counts.view'],
  organisation_officer: ['organisation.view'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}
