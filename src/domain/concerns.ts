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

export type ConcernStatus = 'open' | 'reviewed';

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
