/**
 * Who may do what, in one table. A person acts as one of four kinds (docs/adr/0030): *staff* of a
 * school (a school membership with roles), an *officer* of an organisation (an organisation membership
 * with roles of its own), a *parent* (an account linked to parent_carer records with parental
 * responsibility, at any school) or a *professional* of an outside agency (reaching only what schools
 * have shared with them, until a date). Each role belongs to one kind and gives:
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
  'assessment_lead',
] as const;
export type SchoolRole = (typeof SCHOOL_ROLES)[number];

/** An organisation's own roles: its caseworkers, the members of its panels, and its managers. */
export const ORGANISATION_ROLES = ['caseworker', 'panel_member', 'manager'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

/** A parent or carer with parental responsibility, through the account linked to them. */
export const FAMILY_ROLES = ['parent'] as const;
export type FamilyRole = (typeof FAMILY_ROLES)[number];

/** A person of an outside agency (an educational psychologist, a speech and language therapist). */
export const AGENCY_ROLES = ['agency_professional'] as const;
export type AgencyRole = (typeof AGENCY_ROLES)[number];

export type Role = SchoolRole | OrganisationRole | FamilyRole | AgencyRole;

/** The four kinds of person who act in OpenSEND. */
export const ACTOR_KINDS = ['staff', 'officer', 'parent', 'professional'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** The roles each kind of person may hold: a session acts as one kind at a time. */
export const ROLES_OF_KIND: Record<ActorKind, readonly Role[]> = {
  staff: SCHOOL_ROLES,
  officer: ORGANISATION_ROLES,
  parent: FAMILY_ROLES,
  professional: AGENCY_ROLES,
};

/** The kind of person a role belongs to. */
export function kindOfRole(role: Role): ActorKind {
  return ACTOR_KINDS.find((k) => ROLES_OF_KIND[k].includes(role)) as ActorKind;
}

/** The kind a set of roles acts as (staff when none: a school session that has no roles yet). */
export function kindOfRoles(roles: readonly Role[]): ActorKind {
  return roles.length ? kindOfRole(roles[0] as Role) : 'staff';
}

export const ROLE_LABELS: Record<Role, string> = {
  senco: 'SENCo',
  head_teacher: 'Head teacher',
  class_teacher: 'Class teacher',
  teaching_assistant: 'Teaching assistant',
  office: 'Office',
  sen_governor: 'SEN governor',
  assessment_lead: 'Assessment lead',
  caseworker: 'Caseworker',
  panel_member: 'Panel member',
  manager: 'Manager',
  parent: 'Parent or carer',
  agency_professional: 'Professional',
};

/** How far a grant reaches among pupils: a staff reach stays inside the actor's school. */
export const REACHES = [
  'school', // every pupil of the school
  'classes_taught', // pupils in the classes the person teaches
  'pupils_assigned', // pupils assigned to the person by the SENCo
  'groups_delivered', // pupils in the provision groups the person delivers (with the provision map)
  'own_children', // a parent's own children, at any school: parental responsibility, no court order
  'referrals_received', // pupils a school has shared with an agency professional, the sections shared, until a date
  'caseload', // pupils of the organisation's open cases, at whichever of its schools they now attend
] as const;
export type Reach = (typeof REACHES)[number];

/** The reaches each kind of person may be given: a grant outside its kind's list is a mistake. */
export const REACHES_OF_KIND: Record<ActorKind, readonly Reach[]> = {
  staff: ['school', 'classes_taught', 'pupils_assigned', 'groups_delivered'],
  officer: ['caseload'],
  parent: ['own_children'],
  professional: ['referrals_received'],
};

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
  'progress', // attainment, expected trajectories, outcomes rated at reviews, pupil progress meetings
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
  progress: 'attainment and progress',
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
  'agencies.manage', // the school's directory of outside agencies, and every referral of the school
  'organisation.directory', // the organisation's directory of outside agencies for its schools
  'cases.panel', // record a panel's discussion of a case (its decision and notes)
  'sen2.return', // the authority's SEN2 return: every child it names, and the DfE's XML
  'progress.manage', // the school's subjects and scales, attainment imports, every pupil's progress
  'progress.meetings', // the half-termly pupil progress meetings: prepare, run and record them
  'reports.write', // draft the governors' SEN report and the SEN information report
  'reports.read', // read the school's reports and their charts (governors)
  'complaints.manage', // the complaints log: concerns and formal complaints, their stages and outcomes
  'training.manage', // staff training, the training plan and the SENCO's qualification
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
  progress: 'write',
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
    'agencies.manage',
    'progress.manage',
    'progress.meetings',
    'reports.write',
    'reports.read',
    'complaints.manage',
    'training.manage',
  ],
};

/** Any adult on the staff can find a pupil by name and raise a concern (not see their SEN record). */
const DIRECTORY: Grant = { reach: 'school', sections: { directory: 'read' } };

/** What an officer's case opens: the pupil's SEN record to read; EHC work by role. */
const CASE_READ: Partial<Record<Section, Level>> = {
  directory: 'read',
  identity: 'read',
  register: 'read',
  plans: 'read',
  provision: 'read',
  agencies: 'read',
  ehc: 'read',
  letters: 'read',
};

const WORKS_WITH_PUPIL: Partial<Record<Section, Level>> = {
  identity: 'read',
  medical: 'read',
  register: 'read',
  concerns: 'read',
  plans: 'contribute',
  provision: 'contribute',
  ehc: 'read',
  letters: 'read',
  progress: 'read',
};

export const ROLES: Record<Role, RoleDefinition> = {
  senco: SCHOOL_LEADER,
  head_teacher: SCHOOL_LEADER,
  class_teacher: {
    grants: [
      DIRECTORY,
      // The class teacher reads the referrals and reports of their class's pupils (docs/adr/0033).
      {
        reach: 'classes_taught',
        // They enter their class's termly attainment (progress: write).
        sections: {
          ...WORKS_WITH_PUPIL,
          plans: 'write',
          provision: 'read',
          agencies: 'read',
          progress: 'write',
        },
      },
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
        // Consent forms and slips come back to the office: it records them (contribute), reads no report.
        sections: {
          directory: 'read',
          identity: 'write',
          medical: 'write',
          letters: 'write',
          agencies: 'contribute',
        },
      },
    ],
    capabilities: ['concern.raise', 'classes.manage', 'school.manage', 'pupils.import', 'pupils.transfer'],
  },
  sen_governor: { grants: [], capabilities: ['counts.view', 'reports.read'] },
  // The assessment lead (seed 001's four at each pupil progress meeting): every pupil's attainment and
  // progress, and enough of the SEN record to discuss them (stage, plans, provision, attendance).
  assessment_lead: {
    grants: [
      {
        reach: 'school',
        sections: {
          directory: 'read',
          identity: 'read',
          register: 'read',
          concerns: 'read',
          plans: 'read',
          provision: 'read',
          progress: 'write',
        },
      },
    ],
    capabilities: ['concern.raise', 'counts.view', 'progress.manage', 'progress.meetings', 'reports.read'],
  },
  // An organisation reaches a school's pupils only through its own open cases (an EHC needs
  // assessment, a plan it maintains); its figures across schools name no pupil.
  caseworker: {
    grants: [{ reach: 'caseload', sections: { ...CASE_READ, ehc: 'write' } }],
    capabilities: ['organisation.view', 'organisation.directory', 'cases.panel', 'sen2.return'],
  },
  panel_member: {
    grants: [{ reach: 'caseload', sections: { directory: 'read', register: 'read', ehc: 'read' } }],
    capabilities: ['organisation.view', 'cases.panel'],
  },
  manager: {
    grants: [{ reach: 'caseload', sections: CASE_READ }],
    capabilities: ['organisation.view', 'organisation.directory', 'sen2.return'],
  },
  // A parent reads their own child's record as the school shares it with families, and gives their
  // views, consent and replies (contribute); never staff notes or drafts (the services filter those).
  parent: {
    grants: [
      {
        reach: 'own_children',
        sections: {
          directory: 'read',
          identity: 'read',
          register: 'read',
          plans: 'read',
          provision: 'read',
          agencies: 'contribute',
          ehc: 'contribute',
          letters: 'contribute',
        },
      },
    ],
    capabilities: [],
  },
  // A professional reads at most these sections, and of each pupil only those the school's share
  // names (the reach is compiled per section); they send their reports and advice back (contribute).
  agency_professional: {
    grants: [
      {
        reach: 'referrals_received',
        sections: {
          directory: 'read',
          identity: 'read',
          medical: 'read',
          register: 'read',
          concerns: 'read',
          plans: 'read',
          provision: 'read',
          agencies: 'contribute',
          ehc: 'contribute',
        },
      },
    ],
    capabilities: [],
  },
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

/** Reaches whose pupils are limited per section by what a school shared (the share lists sections). */
export const SHARED_SECTION_REACHES: readonly Reach[] = ['referrals_received'];

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

/**
 * What an actor may do with each section of one pupil's record, given which reaches include the pupil
 * and, for a reach through a share, which sections the shares name.
 */
export function sectionAccess(
  roles: readonly Role[],
  matched: ReadonlySet<Reach>,
  shared: ReadonlySet<Section> = new Set(),
): SectionAccess {
  const access = Object.fromEntries(SECTIONS.map((s) => [s, null])) as SectionAccess;
  for (const g of grantsOf(roles)) {
    if (!matched.has(g.reach)) continue;
    const limited = SHARED_SECTION_REACHES.includes(g.reach);
    for (const s of SECTIONS) {
      if (limited && s !== 'directory' && !shared.has(s)) continue;
      access[s] = higher(access[s], g.sections[s]);
    }
  }
  return access;
}

/** Does any role reach any pupil's record at all (beyond the directory)? */
export function reachesPupils(roles: readonly Role[]): boolean {
  return grantsOf(roles).some((g) => Object.keys(g.sections).some((s) => s !== 'directory'));
}

/** Roles a school may give, in the order the staff page lists them. */
export function sortRoles<T extends Role>(roles: readonly T[]): T[] {
  const order: readonly Role[] = [...SCHOOL_ROLES, ...ORGANISATION_ROLES, ...FAMILY_ROLES, ...AGENCY_ROLES];
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
  assessment_lead: 'assessment lead',
  caseworker: 'caseworker',
  panel_member: 'panel member',
  manager: 'manager',
  parent: 'parent or carer',
  agency_professional: 'professional',
};

/** "SENCo and class teacher", "Head teacher and SENCo". */
export function rolesLabel(roles: readonly Role[]): string {
  return sortRoles(roles)
    .map((r, i) => (i === 0 ? ROLE_LABELS[r] : ROLE_NAMES_IN_TEXT[r]))
    .join(' and ');
}

/** What a repository needs to know about a member of staff to limit rows to those they reach. */
export interface AccessScope {
  schoolId: string;
  userId: string;
  roles: readonly Role[];
}

/**
 * What a repository needs to know about anyone to limit pupils to those they reach: a member of staff
 * within their school, an officer within their organisation's cases, a parent or a professional across
 * schools (their own children; what was shared with them).
 */
export interface PersonScope {
  kind: ActorKind;
  userId: string;
  roles: readonly Role[];
  schoolId: string | null;
  organisationId: string | null;
}
