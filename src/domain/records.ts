import type { Section } from './access.ts';

/*
 * The one registry of the kinds of record OpenSEND keeps (docs/adr/0028). For each kind: whose it is
 * (a school's or an organisation's), which section of a pupil's record it belongs to, whether it is
 * about one pupil, how long it is kept, and how it is named when a pupil's record is given out (subject
 * access). Refusals, the pupil page, subject access and retention all read it; a new kind of record is
 * one entry here and one in repositories/records.ts (which says where its rows are).
 */

/** How long a kind of record is kept (DOMAIN.md "Retention"; the years are the school's settings). */
export const RETENTION_RULES = {
  /** SEN records (register, plans, reviews, provision, letters about SEN): until 31, by the last school. */
  sen: 'Until the pupil is 31 (SEN records, kept by the pupil’s last school)',
  /** The pupil's school record: until 25. */
  pupil: 'Until the pupil is 25 (the pupil’s school record)',
  /** The school's own working records (templates, the bank, staff): while the school uses them. */
  school: 'While the school uses it',
  /** Working copies (uploads not applied, forms kept after a session ended): days, then cleared. */
  working: 'A few days, then cleared',
} as const;
export type RetentionRule = keyof typeof RETENTION_RULES;

export type RecordOwnerKind = 'school' | 'organisation';

export interface RecordKind {
  /** What a person calls records of this kind, plural (the headings of a subject access export). */
  label: string;
  owner: RecordOwnerKind;
  /** The section of a pupil's record it belongs to, or null for a record about no one pupil. */
  section: Section | null;
  retention: RetentionRule;
  /** Given out with the pupil's record (subject access): every pupil-linked kind but derived ones. */
  subjectAccess: boolean;
}

const school = (
  label: string,
  section: Section | null,
  retention: RetentionRule,
  subjectAccess = section !== null,
): RecordKind => ({ label, owner: 'school', section, retention, subjectAccess });

const organisationKind = (label: string): RecordKind => ({
  label,
  owner: 'organisation',
  section: 'ehc',
  retention: 'sen',
  subjectAccess: false,
});

export const RECORD_KINDS = {
  // The pupil and who they are.
  pupil: school('Details', 'identity', 'pupil'),
  parent: school('Parents and carers', 'identity', 'pupil'),
  class_move: school('Class moves', 'identity', 'pupil'),
  assignment: school('Staff the pupil is assigned to', 'identity', 'pupil'),
  import_change: school('Changes from the school’s information system', 'identity', 'pupil'),
  ctf_export: school('Common Transfer Files sent', 'identity', 'pupil'),
  // The SEN register.
  register_entry: school('SEN register history', 'register', 'sen'),
  register_review: school('Register reviews', 'register', 'sen'),
  register_review_skip: school('Register reviews put off', 'register', 'sen'),
  concern: school('Concerns', 'concerns', 'sen'),
  // The graduated approach.
  profile: school('One-page profile', 'plans', 'sen'),
  plan: school('Support plans', 'plans', 'sen'),
  target: school('Targets', 'plans', 'sen'),
  note: school('Notes on plans', 'plans', 'sen'),
  target_check: school('Half-termly target checks', 'plans', 'sen'),
  review: school('Reviews of plans', 'plans', 'sen'),
  action: school('Actions decided at reviews', 'plans', 'sen'),
  // The provision map.
  member: school('Provision groups joined', 'provision', 'sen'),
  attendance: school('Sessions attended', 'provision', 'sen'),
  group_check_pupil: school('Progress checks in groups', 'provision', 'sen'),
  // Letters.
  letter: school('Letters to parents and carers', 'letters', 'sen'),
  // Who outside the school reaches the pupil: parents' accounts, what was shared with professionals.
  parent_account: school('Parents’ accounts linked to the pupil', 'identity', 'pupil'),
  pupil_share: school('Shared with professionals of outside agencies', 'agencies', 'sen'),
  // What families send the school through OpenSEND (docs/adr/0039), and the pupil's own words.
  parent_invitation: school('Invitations to parents and carers', 'identity', 'pupil'),
  family_view: school('Views of parents and carers', 'plans', 'sen'),
  letter_reply: school('Replies of parents and carers to letters', 'letters', 'sen'),
  contact_change: school('Changes of contact details asked for by parents and carers', 'identity', 'pupil'),
  pupil_voice: school('The pupil’s own views', 'plans', 'sen'),
  // Outside agencies: referrals, the consent they rest on, reports back and where their advice was used.
  referral: school('Referrals to outside agencies', 'agencies', 'sen'),
  referral_event: school('Steps of referrals', 'agencies', 'sen'),
  referral_consent: school('Consent to referrals and sharing', 'agencies', 'sen'),
  agency_report: school('Reports from outside agencies', 'agencies', 'sen'),
  recommendation: school('Recommendations of outside agencies', 'agencies', 'sen'),
  recommendation_use: school('Recommendations used in plans and provision', 'agencies', 'sen'),
  // The EHC needs assessment and top-up funding: what the school asked of the local authority.
  ehc_request: school('Requests for an EHC needs assessment', 'ehc', 'sen'),
  top_up_application: school('Applications for high-needs top-up funding', 'ehc', 'sen'),
  // EHC plans as the school holds them: its annual reviews, and summaries of plans from other authorities.
  ehc_annual_review: school('Annual reviews of EHC plans', 'ehc', 'sen'),
  ehc_plan_summary: school(
    'EHC plans from other local authorities, as the school recorded them',
    'ehc',
    'sen',
  ),
  ehc_provision_link: school('Groups the school linked to the provision of EHC plans', 'ehc', 'sen'),
  // Progress (issue 18): termly attainment, expected trajectories, non-academic outcomes and their
  // ratings, what progress meetings decided; complaints naming the pupil.
  attainment: school('Termly attainment', 'progress', 'sen'),
  trajectory: school('Expected trajectories', 'progress', 'sen'),
  outcome: school('Outcomes beyond attainment (independence, communication…)', 'progress', 'sen'),
  outcome_rating: school('Ratings of outcomes at reviews', 'progress', 'sen'),
  progress_meeting_pupil: school('Decisions at pupil progress meetings', 'progress', 'sen'),
  complaint: school('Complaints', 'identity', 'pupil'),
  // Requests for the record itself.
  subject_access: school('Subject access requests', 'identity', 'pupil'),
  retention_review: school('Reviews of the record past its retention date', 'identity', 'pupil'),
  // Files kept for a pupil (reports, signed forms).
  stored_file: school('Files', 'identity', 'sen'),
  // Who has seen or changed the record.
  audit_event: school('Who has seen or changed the record', 'audit', 'sen'),
  // The school's own records, about no one pupil.
  staff: school('Staff', null, 'school'),
  invitation: school('Invitations to staff', null, 'working'),
  held_form: school('Forms kept after a session ended', null, 'working'),
  letter_template: school('Letter templates', null, 'school'),
  bank_entry: school('The bank of targets and strategies', null, 'school'),
  intervention: school('Interventions', null, 'school'),
  group: school('Provision groups', null, 'school'),
  class: school('Classes', null, 'school'),
  import: school('Uploads from the school’s information system', null, 'working'),
  agency: school('Services in the directory of outside agencies', null, 'school'),
  agency_professional: school('Professionals of services in the directory', null, 'school'),
  school_closure: school('The school’s closures of four weeks or more', null, 'school'),
  assessment_subject: school('Subjects assessed and their scales', null, 'school'),
  progress_meeting: school('Pupil progress meetings', null, 'school'),
  complaint_stage: school('Stages of complaints', null, 'school'),
  staff_training: school('Staff training', null, 'school'),
  training_plan_item: school('The training plan', null, 'school'),
  senco_appointment: school('SENCO appointments and the SENCO qualification', null, 'school'),
  school_report: school('The school’s SEN reports', null, 'school'),
  // An organisation's own records (docs/adr/0029): a local authority's case about a child, linked to the
  // school's pupil by id and UPN. Kept until the child is 31, like the SEN records it is about; given out
  // by the organisation when asked, not with a school's record of the pupil.
  organisation_case: {
    label: 'Cases of the local authority (EHC needs assessments)',
    owner: 'organisation',
    section: 'ehc',
    retention: 'sen',
    subjectAccess: false,
  },
  // The case's own parts: its decisions, the advice it asked for, exceptions to its time limits, and
  // the decision on top-up funding. About the case's child, kept with the case.
  case_decision: organisationKind('Decisions of the local authority on its cases'),
  case_advice: organisationKind('Advice asked for in EHC needs assessments'),
  case_exception: organisationKind('Exceptions to the time limits of EHC needs assessments'),
  top_up_decision: organisationKind('Decisions on high-needs top-up funding'),
  // The EHC plan the case led to (docs/adr/0038): the plan, each of its versions, and the authority's
  // decisions on its annual reviews. Like the case, linked to the school's pupil by id and UPN.
  ehc_plan: organisationKind('EHC plans'),
  ehc_plan_version: organisationKind('Versions of EHC plans (drafts, finals and amendments)'),
  ehc_review_decision: organisationKind('Decisions on annual reviews of EHC plans'),
} as const satisfies Record<string, RecordKind>;

export type RecordKindName = keyof typeof RECORD_KINDS;

export const RECORD_KIND_NAMES = Object.keys(RECORD_KINDS) as RecordKindName[];

/** The kinds of one owner: a school's records, or an organisation's. */
export function kindsOwnedBy(owner: RecordOwnerKind): RecordKindName[] {
  return RECORD_KIND_NAMES.filter((k) => RECORD_KINDS[k].owner === owner);
}

/** The kinds given out with a pupil's record by their school, in the order of the export. */
export function subjectAccessKinds(): RecordKindName[] {
  return RECORD_KIND_NAMES.filter((k) => RECORD_KINDS[k].subjectAccess);
}

/** The kinds of one section of a pupil's record. */
export function kindsOfSection(section: Section): RecordKindName[] {
  return RECORD_KIND_NAMES.filter((k) => RECORD_KINDS[k].section === section);
}
