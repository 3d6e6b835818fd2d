/** Factors that are not SEN but affect progress (seed 001): recorded beside SEN, reported by. */
export const CONTEXT_FLAGS = [
  'pupilPremium',
  'freeSchoolMeals',
  'lookedAfter',
  'previouslyLookedAfter',
  'eal',
  'serviceChild',
  'youngCarer',
  'medicalCondition',
] as const;
export type ContextFlag = (typeof CONTEXT_FLAGS)[number];

export const FLAG_LABELS: Record<ContextFlag, string> = {
  pupilPremium: 'Pupil premium',
  freeSchoolMeals: 'Free school meals (FSM)',
  lookedAfter: 'Looked-after child (LAC)',
  previouslyLookedAfter: 'Previously looked-after',
  eal: 'English as an additional language (EAL)',
  serviceChild: 'Service child',
  youngCarer: 'Young carer',
  medicalCondition: 'Medical condition',
};
