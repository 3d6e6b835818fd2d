import { addDays, type IsoDate } from './dates.ts';

/*
 * The words and the shape of an EHC plan and of its annual review (DOMAIN.md "EHC needs assessment and
 * plans"; docs/adr/0038). The plan is the local authority's record, each section separately identified
 * as regulation 12 requires; each version is kept whole, so what changed between two is found by
 * comparing them. The rules (the plan-quality check, the timetables) are in ehc-plan-check.ts and
 * ehc-review-clock.ts; this file holds only the words and the shape every part shares.
 */

/** The sections of an EHC plan (reg 12), in order, with their headings. */
export const PLAN_SECTIONS = {
  a: 'Section A: the views, interests and aspirations of the child and their parents',
  b: 'Section B: special educational needs',
  c: 'Section C: health needs related to the special educational needs',
  d: 'Section D: social care needs related to the special educational needs or disability',
  e: 'Section E: outcomes',
  f: 'Section F: special educational provision',
  g: 'Section G: health provision',
  h1: 'Section H1: social care provision under section 2 of the Chronically Sick and Disabled Persons Act 1970',
  h2: 'Section H2: other social care provision',
  i: 'Section I: the school or other institution',
  j: 'Section J: personal budget',
  k: 'Section K: advice and information',
} as const;
export type PlanSectionKey = keyof typeof PLAN_SECTIONS;
export const PLAN_SECTION_KEYS = Object.keys(PLAN_SECTIONS) as PlanSectionKey[];

/** The short name of a section ("Section F"), for lists and the quality check's findings. */
export const PLAN_SECTION_SHORT: Record<PlanSectionKey, string> = {
  a: 'Section A',
  b: 'Section B',
  c: 'Section C',
  d: 'Section D',
  e: 'Section E',
  f: 'Section F',
  g: 'Section G',
  h1: 'Section H1',
  h2: 'Section H2',
  i: 'Section I',
  j: 'Section J',
  k: 'Section K',
};

/** Sections that hold provision: who, what, how often and for how long. */
export const PROVISION_SECTIONS = ['f', 'g', 'h1', 'h2'] as const;
export type ProvisionSectionKey = (typeof PROVISION_SECTIONS)[number];

/**
 * The kinds of social care provision, so that the plan-quality check can say whether an item stands in
 * the right one of H1 and H2: the services of section 2 of the Chronically Sick and Disabled Persons
 * Act 1970 belong in H1, everything else (short breaks under the Children Act 1989, for instance) in H2.
 */
export const SOCIAL_CARE_KINDS = {
  practical_assistance_home: 'Practical help in the home',
  recreation_at_home: 'Recreation at home: a radio, television, library or similar',
  recreation_outside: 'Recreation outside the home, or help to use educational facilities',
  travel: 'Help with travel to those activities or services',
  home_adaptations: 'Adaptations to the home, or extra facilities for safety, comfort or convenience',
  holidays: 'Holidays',
  meals: 'Meals at home or elsewhere',
  telephone: 'A telephone, or equipment to use one',
  short_breaks: 'Short breaks',
  other: 'Other social care',
} as const;
export type SocialCareKind = keyof typeof SOCIAL_CARE_KINDS;
/** The kinds that are services under section 2 of the 1970 Act, and so belong in H1. */
export const CSDPA_SECTION_2_KINDS: readonly SocialCareKind[] = [
  'practical_assistance_home',
  'recreation_at_home',
  'recreation_outside',
  'travel',
  'home_adaptations',
  'holidays',
  'meals',
  'telephone',
];

/** A need in section B (or C, D), with the area of need it falls in where it is a special educational need. */
export interface PlanNeed {
  /** Stable within the plan across versions: outcomes and the school's targets refer to it. */
  id: string;
  /** The census type of need (census.ts NEED_TYPES) for a need in B; null in C and D. */
  needType: string | null;
  text: string;
}

/** An outcome in section E: SMART, meeting needs in B and served by provision in F. */
export interface PlanOutcome {
  id: string;
  text: string;
  /** By when (the end of a key stage, or the next review). */
  by: IsoDate | null;
  /** The needs (in B, C or D) it meets. */
  needIds: string[];
  /** The provision (in F, G, H1 or H2) that serves it. */
  provisionIds: string[];
}

/** An item of provision in F, G, H1 or H2: specified and quantified, or it cannot be enforced. */
export interface PlanProvision {
  id: string;
  /** What is provided (the support, the programme, the equipment). */
  what: string;
  /** Who provides it (a teaching assistant trained in…, a speech and language therapist). */
  who: string;
  /** How often ("three times a week"). */
  frequency: string;
  /** For how long each time, and over what period ("30 minutes, for the school year"). */
  duration: string;
  /** The needs it meets. */
  needIds: string[];
  /** In H1 and H2: the kind of social care (so the check can place it). */
  socialCareKind?: SocialCareKind | null;
}

/** An item of advice and information in section K (reg 12(1)(k)). */
export interface PlanAdvice {
  id: string;
  /** Whose advice (ehc.ts ADVICE_SOURCES key, or "request" for the school's evidence pack). */
  source: string;
  title: string;
  receivedOn: IsoDate | null;
  /** The case's advice row, when it came through the assessment. */
  caseAdviceId?: string | null;
}

/**
 * The type of setting section I names when the child's place is not a school or institution with a URN,
 * with SEN2's codes for it (SENSetting).
 */
export const PLACEMENT_SETTINGS = {
  EHE: 'Educated at home by the parents’ choice (elective home education)',
  OLA: 'Education other than at school, arranged by the local authority',
  OPA: 'Education arranged by the parents or young person (section 42(5))',
  EYP: 'An early years provider with no URN',
  NEET: 'Not in education, employment or training',
  NIEC: 'Not in education: a child missing education',
  NIEO: 'Not in education: another reason',
  OTH: 'Another kind of setting',
} as const;
export type PlacementSetting = keyof typeof PLACEMENT_SETTINGS;
export const isPlacementSetting = (v: unknown): v is PlacementSetting =>
  typeof v === 'string' && Object.hasOwn(PLACEMENT_SETTINGS, v);

/** The words for a setting; a type recorded as words before the list existed is shown as it was. */
export const placementSettingText = (kind: string | null): string | null =>
  kind === null ? null : isPlacementSetting(kind) ? PLACEMENT_SETTINGS[kind] : kind;

/** Section I: the school or other institution named (blank in a draft), or the type of one. */
export interface PlanPlacement {
  /** The school on this installation, when it is one. */
  schoolId: string | null;
  name: string;
  /** The school's unique reference number (SEN2's placements need it). */
  urn: string | null;
  /** The type of setting, where no school with a URN is named (PLACEMENT_SETTINGS). */
  kind: string | null;
}

/** An item's reference within its section, as the plan numbers it: "F2", "H2-1". */
export function itemRef(section: PlanSectionKey, index: number): string {
  const letter = section.toUpperCase();
  return `${letter}${/\d$/.test(letter) ? '-' : ''}${index + 1}`;
}

/** Every section of a plan, as one version holds it. */
export interface PlanSections {
  a: { text: string };
  b: { needs: PlanNeed[] };
  c: { needs: PlanNeed[] };
  d: { needs: PlanNeed[] };
  e: { outcomes: PlanOutcome[] };
  f: { provision: PlanProvision[] };
  g: { provision: PlanProvision[] };
  h1: { provision: PlanProvision[] };
  h2: { provision: PlanProvision[] };
  i: PlanPlacement | null;
  j: { text: string };
  k: { advice: PlanAdvice[] };
}

/** A plan with nothing written yet. */
export function emptySections(): PlanSections {
  return {
    a: { text: '' },
    b: { needs: [] },
    c: { needs: [] },
    d: { needs: [] },
    e: { outcomes: [] },
    f: { provision: [] },
    g: { provision: [] },
    h1: { provision: [] },
    h2: { provision: [] },
    i: null,
    j: { text: '' },
    k: { advice: [] },
  };
}

/**
 * The days a school (or other institution) consulted about being named in section I has to answer
 * (Children and Families Act 2014 s.39(4); the SEND Regulations 2014 and Code of Practice 9.79): 15
 * days, beginning with the day it was consulted, as the parents' 15 days are counted.
 */
export const CONSULTATION_ANSWER_DAYS = 15;

/** The last day of the 15 days the school consulted has to answer. */
export function consultationAnswerDue(consultedOn: IsoDate): IsoDate {
  return addDays(consultedOn, CONSULTATION_ANSWER_DAYS - 1);
}

/** Where an EHC plan stands. */
export const PLAN_STATUSES = {
  draft: 'Draft: not yet final',
  final: 'Final',
  ceased: 'Ceased',
} as const;
export type PlanStatus = keyof typeof PLAN_STATUSES;

/**
 * Where one version of a plan stands: being written, sent to the parents (as a draft, or as the
 * proposed amendments after a review), issued as the final plan, or never issued because the plan
 * ceased while it was being written or with the parents.
 */
export const PLAN_VERSION_STAGES = {
  writing: 'Being written',
  sent: 'Sent to the parents for their comments',
  issued: 'Issued as final',
  not_issued: 'Not issued, as the plan ceased',
} as const;
export type PlanVersionStage = keyof typeof PLAN_VERSION_STAGES;

/** The stages of the one version that may still change (being written, or with the parents). */
export const OPEN_VERSION_STAGES = ['writing', 'sent'] as const satisfies readonly PlanVersionStage[];

/** Whether a version is still open: being written or with the parents, not issued nor ended. */
export function isOpenVersion(version: { stage: PlanVersionStage }): boolean {
  return version.stage === 'writing' || version.stage === 'sent';
}

/** Why a version was made: the first plan after an assessment, or an amendment. */
export const PLAN_VERSION_REASONS = {
  new_plan: 'The plan after the EHC needs assessment',
  annual_review: 'Amended after an annual review',
  phase_transfer: 'Amended for a move to the next phase of education',
  other_amendment: 'Amended at another time',
} as const;
export type PlanVersionReason = keyof typeof PLAN_VERSION_REASONS;

/**
 * Why a plan ceased, as SEN2 returns it (its cease reasons; the number is SEN2's code).
 */
export const CEASE_REASONS = {
  max_age: 'Reached the maximum age (the end of the academic year in which they turned 25)',
  needs_met: 'Ongoing educational or training needs being met without an EHC plan',
  higher_education: 'Moved on to higher education',
  employment: 'Moved on to paid employment, excluding apprenticeships',
  other_la: 'Transferred to another local authority',
  not_engaging: 'Young person no longer wishes to engage in education or training',
  left_england: 'Child or young person has moved outside England',
  died: 'Child or young person has died',
  other: 'Other',
} as const;
export type CeaseReason = keyof typeof CEASE_REASONS;
export const CEASE_REASON_SEN2_CODES: Record<CeaseReason, string> = {
  max_age: '1',
  needs_met: '2',
  higher_education: '3',
  employment: '4',
  other_la: '5',
  not_engaging: '6',
  left_england: '7',
  died: '8',
  other: '9',
};

/** Where a school's annual review stands. */
export const ANNUAL_REVIEW_STATUSES = {
  arranging: 'Being arranged',
  held: 'Meeting held: the report is being written',
  sent: 'Report sent to the local authority',
  cancelled: 'Cancelled',
} as const;
export type AnnualReviewStatus = keyof typeof ANNUAL_REVIEW_STATUSES;

/** Who is invited to an annual review (reg 20(3)). */
export const REVIEW_INVITEES = {
  parent: 'The child’s parent or carer',
  pupil: 'The child',
  local_authority: 'The local authority (the caseworker)',
  school: 'The school (the head teacher or SENCo)',
  health: 'Health (a doctor or other health professional)',
  social_care: 'Social care',
  agency: 'An outside agency working with the child',
  other: 'Someone else',
} as const;
export type ReviewInvitee = keyof typeof REVIEW_INVITEES;

/** Progress toward an outcome in E, as the review records it. */
export const OUTCOME_PROGRESS = {
  achieved: 'Achieved',
  on_track: 'On track to be achieved by the date set',
  some: 'Some progress, but not on track',
  none: 'No progress yet',
} as const;
export type OutcomeProgress = keyof typeof OUTCOME_PROGRESS;

/** Whether an item of provision was delivered as the plan specifies. */
export const PROVISION_DELIVERY = {
  as_specified: 'Delivered as the plan specifies',
  partly: 'Delivered in part',
  not_delivered: 'Not delivered',
} as const;
export type ProvisionDelivery = keyof typeof PROVISION_DELIVERY;

/** What the review recommends, and what the local authority then decides (reg 22). */
export const REVIEW_DECISIONS = {
  keep: 'Keep the plan as it is',
  amend: 'Amend the plan',
  cease: 'Cease the plan',
} as const;
export type ReviewDecision = keyof typeof REVIEW_DECISIONS;

/** A section's change proposed by the review: which section and what should change. */
export interface ProposedChange {
  section: PlanSectionKey;
  text: string;
}
