import type { AgencyInput, ServiceKind } from './agencies.ts';

/**
 * The common services a school refers to (the seeds' own lists: educational psychology, speech and
 * language therapy, occupational therapy, CAMHS, Thrive, early help …), offered once to a school whose
 * own list and whose local authority's list are both empty. Kinds with plain names and no contacts:
 * the SENCo fills in each service's contact, how to refer and its wait when they first use it.
 */
const STARTER: readonly [ServiceKind, string][] = [
  ['educational_psychology', 'Educational psychology service'],
  ['speech_and_language_therapy', 'Speech and language therapy'],
  ['occupational_therapy', 'Occupational therapy'],
  ['physiotherapy', 'Physiotherapy'],
  ['camhs', 'CAMHS'],
  ['mental_health_support_team', 'Mental health support team'],
  ['school_nurse', 'School nursing service'],
  ['specialist_teacher_autism', 'Specialist teacher for autism'],
  ['specialist_teacher_sensory', 'Specialist teacher for hearing and vision'],
  ['specialist_teacher_learning', 'Specialist teacher for learning'],
  ['thrive', 'Thrive practitioner'],
  ['play_and_art_therapy', 'Play and art therapy'],
  ['early_help', 'Early help (EHAT)'],
  ['social_care', 'Children’s social care'],
];

export const STARTER_AGENCIES: readonly AgencyInput[] = STARTER.map(([serviceKind, name]) => ({
  name,
  serviceKind,
  contactName: null,
  email: null,
  phone: null,
  website: null,
  address: null,
  howToRefer: null,
  needsFromSchool: null,
  typicalWaitWeeks: null,
}));
