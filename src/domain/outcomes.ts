/**
 * Non-academic outcomes (seed 004: "for some pupils it is necessary to track progress outside of
 * academic attainment"): named on a pupil's support plan or taken from their EHC plan's outcomes, in
 * one of five areas, and rated 1–5 at each review so that they show over time.
 */

/** The non-academic areas (the schema's `pupil_outcome.area`). */
export type OutcomeArea = 'independence' | 'communication' | 'regulation' | 'attendance' | 'wellbeing';

export const OUTCOME_AREAS = [
  'independence',
  'communication',
  'regulation',
  'attendance',
  'wellbeing',
] as const satisfies readonly OutcomeArea[];

export const OUTCOME_AREA_LABELS: Record<OutcomeArea, string> = {
  independence: 'Independence',
  communication: 'Communication',
  regulation: 'Regulation',
  attendance: 'Attendance',
  wellbeing: 'Wellbeing',
};

export const OUTCOME_RATINGS = [1, 2, 3, 4, 5] as const;
export type OutcomeRatingValue = (typeof OUTCOME_RATINGS)[number];

/** The scale a reviewer rates an outcome on: how far the pupil has got towards it. */
export const OUTCOME_RATING_LABELS: Record<OutcomeRatingValue, string> = {
  1: 'Not yet started',
  2: 'Emerging',
  3: 'Developing',
  4: 'Mostly achieved',
  5: 'Achieved',
};

export function isOutcomeArea(value: unknown): value is OutcomeArea {
  return typeof value === 'string' && (OUTCOME_AREAS as readonly string[]).includes(value);
}

export function isOutcomeRating(value: unknown): value is OutcomeRatingValue {
  return typeof value === 'number' && (OUTCOME_RATINGS as readonly number[]).includes(value);
}

/** "3 – Developing": a rating as the pupil's record and the review show it. */
export function ratingLabel(rating: number): string {
  return isOutcomeRating(rating) ? `${rating} – ${OUTCOME_RATING_LABELS[rating]}` : String(rating);
}

/** How a rating moved since the one before: up, down, the same, or the first. */
export function ratingChange(previous: number | null, now: number): 'up' | 'down' | 'same' | 'first' {
  if (previous === null) return 'first';
  if (now > previous) return 'up';
  if (now < previous) return 'down';
  return 'same';
}

/** What a new outcome must have: a description of what the pupil will do, not too long. */
export function outcomeDescriptionProblem(description: string): string | null {
  const text = description.trim();
  if (text.length === 0) return 'Enter what the pupil will be able to do';
  if (text.length > 500) return 'The outcome must be 500 characters or fewer';
  return null;
}
