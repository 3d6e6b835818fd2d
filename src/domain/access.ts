/**
 * Who may do what, in one table. A person holds memberships (a school, an organisation); a school
 * membership holds one or more roles. Each role gives:
 *  - grants: how far it reaches among a school's pupils, and which sections of their record it may
 *    read, contribute to (add notes, record sessions) or write;
 *  - capabilities: school-wide things that name no pupil (manage staff, run the register review,
 *    see anonymous figures).
 * An actor's access is the union of their roles' grants, grant by grant: a class teacher who is also
 * the office reaches the whole school's contact details but only their own class's SEN records.
 * Repositories compile the grants into SQL; policies and the authorisation matrix read this table.
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

export const ORGANISATION_ROLES = ['organisation_officer'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

export type Role = SchoolRole | OrganisationRole;

export const ROLE_LABELS: Record<Role, string> = {
  senco: 'SENCo',
  head_teacher: 'Head teacher',
  class_teacher: 'Class teacher',
  teaching_assistant: 'Teaching assistant',
  office: 'Office',
  sen_governor: 'SEN governor',
  organisation_officer: 'Local authority officer',
};

/** How far a grant reaches among the pupils of the actor's school. */
export const REACHES = [
  'school', // every pupil of the school
  'classes_taught', // pupils in the classes the person teaches
  'pupils_assigned', // pupils assigned to the person by the SENCo
  'groups_delivered', // pupils in the provision groups the person delivers (with the provision map)
  'own_children', // a parent's own children (with the parent portal)
  'referrals_received', // pupils referred to an agency professional (with agencies)
] as const;
export type Reach = (typeof REACHES)[number];

/** The sections of a pupil's record. */
export const SECTIONS = [
  'directory', // name, class and year group: enough to find a pupil and raise a concern
  'identity', // details, contacts, contextual flags, attendance
  'medical', // medical conditions and notes
  'register', // SEN stage, needs and their history, register reviews
  'concerns', // concerns raised and their outcomes
  'plans', // support plans, notes and reviews
  'provision', // interventions, groups, sessions, costs
  'agencies', // outside agencies, referrals, consent
  'ehc', // EHC needs assessments, plans and annual reviews
  'letters', // letters to parents and carers, and the slips they return
  'audit', // who has seen or changed the record
] as const;
export type Section = (typeof SECTIONS)[number];

export const SECTION_LABELS: Record<Section, string> = {
  directory: 'name and class',
  identity: 'details and contacts',
  medical: 'medical information',
  register: 'SEN register',
  concerns: 'concerns',
  plans: 'support plans',
  provision: 'provision',
  agencies: 'outside agencies',
  ehc: 'EHC work',
  letters: 'letters to parents',
  audit: 'audit trail',
};

/** Levels of access to a section, each including the ones before it. */
export const LEVELS = ['read', 'contribute', 'write'] as const;
export type Level = (typeof LEVELS)[number];

export const CAPABILITIES = [
  'concern.raise', // raise a concern about any pupil of the school (found by name)
  'concern.review', // review concerns and record their outcome
  'register.review', // the termly register review
  'register.export', // CSV and print of the register
  'counts.view', // anonymous figures for the school
  'staff.manage', // staff memberships, roles and classes
  'audit.school', // the school-wide audit trail
  'organisation.view', // figures across an organisation's schools
  'classes.manage', // classes, their year groups and teachers; moving pupils between classes
  'school.manage', // the school's own details and the year-end roll-over
  'pupils.import', // pupils in from the MIS (CSV) and from Common Transfer Files
  'pupils.transfer', // leavers, and Common Transfer Files out
  'settings.manage', // the school's settings: plan name, review interval, letters; backups
  'plans.review', // review support plans and decide what comes next
  'provision.manage', // the intervention catalogue, provision groups, rates; the provision map
  'subject_access.manage', // subject access requests: everything held about a pupil, given out
  'records.retention', // leavers past their retention date: erase their record, or keep it a while
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface Grant {
  reach: Reach;
  sections: Partial<Record<Section, Level>>;
}

export interface RoleDefinition {
  grants: readonly Grant[];
  capabilities: readonly Capability[];
}

const EVERY_SECTION_WRITE: Partial<Record<Section, Level>> = {
  directory: 'read',
  identity: 'write',
  medical: 'write',
  register: 'write',
  concerns: 'write',
  plans: 'write',
  provision: 'write',
  agencies: 'write',
  ehc: 'write',
  letters: 'write',
  audit: 'read',
};

const SCHOOL_LEADER: RoleDefinition = {
  grants: [{ reach: 'school', sections: EVERY_SECTION_WRITE }],
  capabilities: [
    'concern.raise',
    'concern.review',
    'register.review',
    'register.export',
    'counts.view',
    'staff.manage',
    'audit.school',
    'classes.manage',
    'school.manage',
    'pupils.import',
    'pupils.transfer',
    'settings.manage',
    'plans.review',
    'provision.manage',
    'subject_access.manage',
    'records.retention',
  ],
};

/** Any adult on the staff can find a pupil by name and raise a concern (not see their SEN record). */
const DIRECTORY: Grant = { reach: 'school', sections: { directory: 'read' } };

const WORKS_WITH_PUPIL: Partial<Record<Section, Level>> = {
  identity: 'read',
  medical: 'read',
  register: 'read',
  concerns: 'read',
  plans: 'contribute',
  provision: 'contribute',
  agencies: 'read',
  ehc: 'read',
  letters: 'read',
};

export const ROLES: Record<Role, RoleDefinition> = {
  senco: SCHOOL_LEADER,
  head_teacher: SCHOOL_LEADER,
  class_teacher: {
    grants: [
      DIRECTORY,
      { reach: 'classes_taught', sections: { ...WORKS_WITH_PUPIL, plans: 'write', provision: 'read' } },
      // A class teacher may deliver a provision group, and then works with its pupils as an assistant does.
      { reach: 'groups_delivered', sections: WORKS_WITH_PUPIL },
    ],
    capabilities: ['concern.raise'],
  },
  teaching_assistant: {
    grants: [
      DIRECTORY,
      { reach: 'pupils_assigned', sections: WORKS_WITH_PUPIL },
      { reach: 'groups_delivered', sections: WORKS_WITH_PUPIL },
    ],
    capabilities: ['concern.raise'],
  },
  office: {
    // The office sends letters and records the slips that come back, but reads no plan or SEN record.
    grants: [
      {
        reach: 'school',
        sections: { directory: 'read', identity: 'write', medical: 'write', letters: 'write' },
      },
    ],
    capabilities: ['concern.raise', 'classes.manage', 'school.manage', 'pupils.import', 'pupils.transfer'],
  },
  sen_governor: { grants: [], capabilities: ['counts.view'] },
  organisation_officer: { grants: [], capabilities: ['organisation.view'] },
};

export function atLeast(level: Level | null | undefined, wanted: Level): boolean {
  return level != null && LEVELS.indexOf(level) >= LEVELS.indexOf(wanted);
}

function higher(a: Level | null, b: Level | undefined): Level | null {
  if (!b) return a;
  return atLeast(a, b) ? a : b;
}

export function hasCapability(roles: readonly Role[], capability: Capability): boolean {
  return roles.some((r) => ROLES[r].capabilities.includes(capability));
}

export function capabilitiesOf(roles: readonly Role[]): Set<Capability> {
  return new Set(roles.flatMap((r) => ROLES[r].capabilities));
}

/** The grants of all an actor's roles. */
export function grantsOf(roles: readonly Role[]): Grant[] {
  return roles.flatMap((r) => ROLES[r].grants);
}

/**
 * The reaches through which a section is open at a level: the repositories turn these into one OR of
 * conditions. An empty list means no pupil at all.
 */
export function reachesFor(roles: readonly Role[], section: Section, level: Level = 'read'): Reach[] {
  const reaches = new Set<Reach>();
  for (const g of grantsOf(roles)) if (atLeast(g.sections[section], level)) reaches.add(g.reach);
  // The whole school covers every narrower reach.
  return reaches.has('school') ? ['school'] : [...reaches];
}

/** The reaches that name a person's own pupils (their classes, their assigned pupils, their groups). */
export const PERSONAL_REACHES: readonly Reach[] = ['classes_taught', 'pupils_assigned', 'groups_delivered'];

/**
 * The personal reaches through which a section is open at a level, even when another grant reaches the
 * whole school: "my pupils" for the SENCo who also teaches Year 4 is Year 4. Empty: no pupils of their own.
 */
export function personalReachesFor(roles: readonly Role[], section: Section, level: Level = 'read'): Reach[] {
  const reaches = new Set<Reach>();
  for (const g of grantsOf(roles))
    if (PERSONAL_REACHES.includes(g.reach) && atLeast(g.sections[section], level)) reaches.add(g.reach);
  return [...reaches];
}

/**
 * May someone with these roles deliver a provision group (be chosen as its deliverer and record its
 * sessions)? Yes when their grants open the provision of the pupils of the groups they deliver, or of
 * every pupil: the SENCo, the head, class teachers and teaching assistants; not the office, the SEN
 * governor or an officer.
 */
export function mayDeliverGroups(roles: readonly Role[]): boolean {
  const reaches = reachesFor(roles, 'provision', 'contribute');
  return reaches.includes('groups_delivered') || reaches.includes('school');
}

/** Every reach any of these roles uses (what to evaluate for one pupil). */
export function reachesUsed(roles: readonly Role[]): Reach[] {
  return [...new Set(grantsOf(roles).map((g) => g.reach))];
}

export type SectionAccess = Record<Section, Level | null>;

/** What an actor may do with each section of one pupil's record, given which reaches include the pupil. */
export function sectionAccess(roles: readonly Role[], matched: ReadonlySet<Reach>): SectionAccess {
  const access = Object.fromEntries(SECTIONS.map((s) => [s, null])) as SectionAccess;
  for (const g of grantsOf(roles)) {
    if (!matched.has(g.reach)) continue;
    for (const s of SECTIONS) access[s] = higher(access[s], g.sections[s]);
  }
  return access;
}

/** Does any role reach any pupil's record at all (beyond the directory)? */
export function reachesPupils(roles: readonly Role[]): boolean {
  return grantsOf(roles).some((g) => Object.keys(g.sections).some((s) => s !== 'directory'));
}

/** Roles a school may give, in the order the staff page lists them. */
export function sortRoles<T extends Role>(roles: readonly T[]): T[] {
  const order: readonly Role[] = [...SCHOOL_ROLES, ...ORGANISATION_ROLES];
  return [...new Set(roles)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** Each role as it reads inside a sentence ("SENCo and class teacher"). */
export const ROLE_NAMES_IN_TEXT: Record<Role, string> = {
  senco: 'SENCo',
  head_teacher: 'head teacher',
  class_teacher: 'class teacher',
  teaching_assistant: 'teaching assistant',
  office: 'office',
  sen_governor: 'SEN governor',
  organisation_officer: 'local authority officer',
};

/** "SENCo and class teacher", "Head teacher and SENCo". */
export function rolesLabel(roles: readonly Role[]): string {
  return sortRoles(roles)
    .map((r, i) => (i === 0 ? ROLE_LABELS[r] : ROLE_NAMES_IN_TEXT[r]))
    .join(' and ');
}

/** What a repository needs to know about an actor to limit rows to those they reach. */
export interface AccessScope {
  schoolId: string;
  userId: string;
  roles: readonly Role[];
}
