/**
 * The provision map's words: who delivers an intervention, how it is costed, how its impact is
 * measured, and what a half-termly check decides. (Costs and impact arithmetic live beside these as
 * pure functions, in pence as integers.)
 */
export const DELIVERER_KINDS = ['teaching_assistant', 'teacher', 'senco', 'specialist', 'external'] as const;
export type DelivererKind = (typeof DELIVERER_KINDS)[number];
export const DELIVERER_LABELS: Record<DelivererKind, string> = {
  teaching_assistant: 'Teaching assistant',
  teacher: 'Teacher',
  senco: 'SENCo',
  specialist: 'Specialist teacher',
  external: 'Outside agency',
};

export const COST_MODELS = ['staff_time', 'per_pupil', 'per_term', 'agency'] as const;
export type CostModel = (typeof COST_MODELS)[number];
export const COST_MODEL_LABELS: Record<CostModel, string> = {
  staff_time: 'Staff time at the hourly rate, shared across the group',
  per_pupil: 'A fixed cost per pupil for a year',
  per_term: 'A fixed cost per term, shared across the group',
  agency: 'An outside agency’s charge per session, shared across the group',
};

export const MEASURE_KINDS = ['standardised_score', 'age_months', 'rating', 'named_assessment'] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];
export const MEASURE_LABELS: Record<MeasureKind, string> = {
  standardised_score: 'Standardised score',
  age_months: 'Reading or spelling age in months',
  rating: 'A rating from 1 to 5',
  named_assessment: 'A score on a named assessment',
};

export const CHECK_DECISIONS = ['continue', 'alter', 'stop'] as const;
export type CheckDecision = (typeof CHECK_DECISIONS)[number];
export const CHECK_DECISION_LABELS: Record<CheckDecision, string> = {
  continue: 'Continue',
  alter: 'Alter the intervention',
  stop: 'Stop the intervention',
};
