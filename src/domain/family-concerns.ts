import type { AreaOfNeed } from './census.ts';
import type { ConcernOutcome, ConcernStatus } from './concerns.ts';

/*
 * A concern a parent raises online (docs/adr/0039, seed 003: "Concerns may be identified by school
 * staff, by parents or by professionals"), in the words a parent reads: the areas of need as everyday
 * words, and what the school decided in plain English. Never the school's own notes.
 */

/** The areas of need, as a parent might put them. */
export const FAMILY_AREA_WORDS: Record<AreaOfNeed, string> = {
  communication_and_interaction: 'Talking, listening or getting on with others',
  cognition_and_learning: 'Learning: reading, writing, maths or remembering',
  social_emotional_and_mental_health: 'Feelings, worries or behaviour',
  sensory_and_physical: 'Seeing, hearing, moving or how things feel',
};

/** What the school decided, for the parent who raised the concern. */
export const FAMILY_OUTCOME_WORDS: Record<ConcernOutcome, string> = {
  no_further_action:
    'The school looked into your worry. They do not think extra help is needed just now. You can always raise it again or ask to talk.',
  pastoral_support:
    'The school will help your child with how they feel, get on with others or behave. This is called pastoral support.',
  monitoring:
    'The school will keep a close eye on how your child is doing. They have put your child on their list of children to watch.',
  sen_support: 'The school will give your child extra help to learn. This is called SEN support.',
  agency_referral: 'The school will ask a service outside the school to help.',
};

/** Where a concern has got to, in a few words. */
export function familyConcernStatus(status: ConcernStatus): string {
  return status === 'open' ? 'Waiting for the SENCo to look at it' : 'The school has looked at it';
}

/** The longest worry a parent can write (the staff form's reasons allow the same). */
export const FAMILY_CONCERN_MAX = 4000;
