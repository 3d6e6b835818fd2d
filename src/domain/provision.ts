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

/** Who delivers, inside a sentence ("the hourly rate for a teaching assistant"). */
export const DELIVERER_IN_TEXT: Record<DelivererKind, string> = {
  teaching_assistant: 'a teaching assistant',
  teacher: 'a teacher',
  senco: 'the SENCo',
  specialist: 'a specialist teacher',
  external: 'an outside agency',
};

export const COST_MODELS = ['staff_time', 'per_pupil', 'per_term', 'agency'] as const;
export type CostModel = (typeof COST_MODELS)[number];
export const COST_MODEL_LABELS: Record<CostModel, string> = {
  staff_time: 'Staff time at the hourly rate, shared across the group',
  per_pupil: 'A fixed cost per pupil for a year',
  per_term: 'A fixed cost per term, shared across the group',
  agency: 'An outside agency’s charge per session, shared across the group',
};

export const MEASURE_KINDS = [
  'standardised_score',
  'age_months',
  'rating',
  'named_assessment',
  'named_assessment_lower',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];
export const MEASURE_LABELS: Record<MeasureKind, string> = {
  standardised_score: 'Standardised score',
  age_months: 'Reading or spelling age in months',
  rating: 'A rating from 1 to 5',
  named_assessment: 'A score on a named assessment, higher is better (like a Boxall Profile strand)',
  named_assessment_lower: 'A score on a named assessment, lower is better (like SDQ total difficulties)',
};
/** The unit a measure's change is counted in, inside a sentence ("3 points", "5 months"). */
export const MEASURE_UNITS: Record<MeasureKind, { one: string; many: string }> = {
  standardised_score: { one: 'point', many: 'points' },
  age_months: { one: 'month', many: 'months' },
  rating: { one: 'step', many: 'steps' },
  named_assessment: { one: 'point', many: 'points' },
  named_assessment_lower: { one: 'point', many: 'points' },
};
/** Kinds measured against a named assessment, whose name the catalogue must give. */
export function measureNeedsName(kind: MeasureKind): boolean {
  return kind === 'named_assessment' || kind === 'named_assessment_lower';
}

export const CHECK_DECISIONS = ['continue', 'alter', 'stop'] as const;
export type CheckDecision = (typeof CHECK_DECISIONS)[number];
export const CHECK_DECISION_LABELS: Record<CheckDecision, string> = {
  continue: 'Continue',
  alter: 'Alter the intervention',
  stop: 'Stop the intervention',
};
