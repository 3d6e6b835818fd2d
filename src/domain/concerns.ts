/** Concerns (seed 000 Appendix A: request for SEND or pastoral support). */
export const CONCERN_KINDS = ['send', 'pastoral'] as const;
export type ConcernKind = (typeof CONCERN_KINDS)[number];
export const CONCERN_KIND_LABELS: Record<ConcernKind, string> = { send: 'SEND', pastoral: 'Pastoral' };

export const CONCERN_OUTCOMES = [
  'no_further_action',
  'pastoral_support',
  'monitoring',
  'sen_support',
  'agency_referral',
] as const;
export type ConcernOutcome = (typeof CONCERN_OUTCOMES)[number];

export const CONCERN_OUTCOME_LABELS: Record<ConcernOutcome, string> = {
  no_further_action: 'No further action',
  pastoral_support: 'Pastoral support',
  monitoring: 'Add to the monitoring list',
  sen_support: 'Place at SEN support',
  agency_referral: 'Refer to an outside agency',
};

/** Each outcome as it reads inside a sentence ("Concern reviewed: add to the monitoring list"). */
export const CONCERN_OUTCOME_IN_TEXT: Record<ConcernOutcome, string> = {
  no_further_action: 'no further action',
  pastoral_support: 'pastoral support',
  monitoring: 'added to the monitoring list',
  sen_support: 'placed at SEN support',
  agency_referral: 'referred to an outside agency',
};

export type ConcernStatus = 'open' | 'reviewed';

/** Who raised a concern (seed 003: concerns come from staff, parents and professionals). */
export const CONCERN_SOURCES = ['staff', 'parent', 'pupil', 'professional'] as const;
export type ConcernSource = (typeof CONCERN_SOURCES)[number];
export const CONCERN_SOURCE_LABELS: Record<ConcernSource, string> = {
  staff: 'A member of staff',
  parent: 'A parent or carer',
  pupil: 'The pupil',
  professional: 'An outside professional',
};

/** How a concern from outside the staff reached the school. */
export const CONCERN_VIAS = ['in_person', 'telephone', 'email', 'letter', 'meeting'] as const;
export type ConcernVia = (typeof CONCERN_VIAS)[number];
export const CONCERN_VIA_LABELS: Record<ConcernVia, string> = {
  in_person: 'In person',
  telephone: 'By telephone',
  email: 'By email',
  letter: 'By letter',
  meeting: 'At a meeting',
};

export interface InterventionTried {
  intervention: string;
  frequency: string;
  duration: string;
}

/** Outcomes that change the pupil's place on the register. */
export function outcomeStage(outcome: ConcernOutcome): 'monitoring' | 'sen_support' | null {
  if (outcome === 'monitoring') return 'monitoring';
  if (outcome === 'sen_support') return 'sen_support';
  return null;
}

/** Common outside agencies, offered when an outcome is a referral (the agency directory comes later). */
export const AGENCY_SUGGESTIONS = [
  'Educational psychology',
  'Speech and language therapy',
  'Occupational therapy',
  'CAMHS',
  'Mental health support team',
  'School nurse',
  'Specialist teacher',
  'Thrive practitioner',
  'Early help (EHAT)',
] as const;
