/*
 * The words of the EHC needs assessment and of high-needs top-up funding (DOMAIN.md "EHC needs
 * assessment and plans"; docs/adr/0036): the school's request and application, the local authority's
 * case with its stages, decisions, advice and the exceptions to its time limits. The clocks themselves
 * are in ehc-clock.ts; the evidence pack in ehc-pack.ts.
 */

/** Who asked for the assessment: the school, or the parent (recorded as theirs), or the young person. */
export const REQUESTED_BY = {
  school: 'The school',
  parent: 'The parent or carer',
  young_person: 'The young person',
} as const;
export type RequestedBy = keyof typeof REQUESTED_BY;

/** A school's request or application: written, sent (to the LA's caseload or downloaded), or withdrawn. */
export const SCHOOL_REQUEST_STATUSES = {
  draft: 'Being written',
  sent: 'Sent to the local authority',
  withdrawn: 'Withdrawn',
} as const;
export type SchoolRequestStatus = keyof typeof SCHOOL_REQUEST_STATUSES;

/** How a request or application reached the local authority. */
export const SENT_HOW = {
  local_authority: 'Sent to the local authority’s caseload in OpenSEND',
  download: 'Downloaded and sent by the school',
} as const;
export type SentHow = keyof typeof SENT_HOW;
/** How it was sent, within a sentence ("Sent 3 December 2026: into the local authority’s caseload in OpenSEND"). */
export const SENT_HOW_IN_SENTENCE: Record<SentHow, string> = {
  local_authority: 'into the local authority’s caseload in OpenSEND',
  download: 'downloaded, and sent by the school itself',
};

/** How consent for the assessment was given. */
export const ASSESSMENT_CONSENT_HOW = {
  signed_form: 'A signed form',
  email: 'By email',
  in_person: 'In person, at a meeting',
  phone: 'By phone',
} as const;
export type AssessmentConsentHow = keyof typeof ASSESSMENT_CONSENT_HOW;

/** Where an EHC needs assessment case stands at the local authority. */
export const EHC_STAGES = {
  received: 'Request received',
  assessing: 'Assessing',
  not_assessing: 'Decided not to assess',
  drafting: 'Writing the draft plan',
  draft_sent: 'Draft plan with the parents',
  plan_issued: 'Final plan issued',
  not_issuing: 'Decided not to issue a plan',
  withdrawn: 'Request withdrawn',
} as const;
export type EhcStage = keyof typeof EHC_STAGES;

/** Where a top-up funding case stands at the local authority. */
export const TOP_UP_STAGES = {
  received: 'Application received',
  decided: 'Decided',
  withdrawn: 'Application withdrawn',
} as const;
export type TopUpStage = keyof typeof TOP_UP_STAGES;

export type CaseStage = EhcStage | TopUpStage;

/** The local authority's decisions on a case, each dated, with its reasons. */
export const CASE_DECISIONS = {
  assess: 'To carry out an EHC needs assessment',
  not_assess: 'Not to carry out an EHC needs assessment',
  panel: 'Panel discussion',
  issue_plan: 'To issue an EHC plan',
  not_issue_plan: 'Not to issue an EHC plan',
} as const;
export type CaseDecisionKind = keyof typeof CASE_DECISIONS;

/** Those the local authority asks for advice (reg 6(1)). */
export const ADVICE_SOURCES = {
  parent: 'The child’s parent or the young person',
  school: 'The school (the head teacher or SENCo)',
  early_years: 'The early years provider',
  educational_psychologist: 'An educational psychologist',
  health: 'Health (a doctor or other health professional)',
  social_care: 'Social care',
  hearing_vision: 'A teacher of children with hearing or vision impairment',
  post_16: 'A post-16 or preparing-for-adulthood adviser',
  other: 'Someone else the local authority thinks fit',
} as const;
export type AdviceSource = keyof typeof ADVICE_SOURCES;

/**
 * The four grounds on which a time limit need not be met (regs 5(4), 10(4), 13(3)). The first is found
 * from the school's own closure dates when advice is asked of it; the others are recorded by the officer.
 */
export const EXCEPTION_GROUNDS = {
  school_closure:
    'Advice asked of a school in the week before it closed for four weeks or more, or while it was closed',
  early_years_closure:
    'Advice asked of an early years provider in the week before it closed for four weeks or more, or while it was closed',
  personal_circumstances: 'Exceptional personal circumstances affecting the child or the parent',
  absence: 'The child or the parent away from the local authority’s area for four weeks or more',
} as const;
export type ExceptionGround = keyof typeof EXCEPTION_GROUNDS;

/** The LA's answer to a top-up application. */
export const TOP_UP_OUTCOMES = {
  agreed: 'Agreed',
  agreed_in_part: 'Agreed in part',
  refused: 'Refused',
} as const;
export type TopUpOutcome = keyof typeof TOP_UP_OUTCOMES;

export function isKeyOf<T extends object>(labels: T, value: unknown): value is keyof T & string {
  return typeof value === 'string' && Object.hasOwn(labels, value);
}
