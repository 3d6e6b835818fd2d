import { describe, expect, it } from 'vitest';
import {
  isOutcomeArea,
  isOutcomeRating,
  OUTCOME_AREAS,
  OUTCOME_RATING_LABELS,
  outcomeDescriptionProblem,
  ratingChange,
  ratingLabel,
} from './outcomes.ts';

describe('the outcome rating scale', () => {
  it('runs from 1, not yet started, to 5, achieved, with a word for each point', () => {
    expect(Object.keys(OUTCOME_RATING_LABELS)).toEqual(['1', '2', '3', '4', '5']);
    expect(ratingLabel(1)).toBe('1 – Not yet started');
    expect(ratingLabel(5)).toBe('5 – Achieved');
    expect(new Set(Object.values(OUTCOME_RATING_LABELS)).size).toBe(5);
  });

  it('takes only whole ratings from 1 to 5', () => {
    expect([0, 1, 3, 5, 6, 2.5].map(isOutcomeRating)).toEqual([false, true, true, true, false, false]);
    expect(isOutcomeRating('3')).toBe(false);
    expect(ratingLabel(9)).toBe('9');
  });

  it('says how a rating moved since the last review', () => {
    expect(ratingChange(null, 2)).toBe('first');
    expect(ratingChange(2, 3)).toBe('up');
    expect(ratingChange(3, 3)).toBe('same');
    expect(ratingChange(4, 2)).toBe('down');
  });
});

describe('outcome areas and descriptions', () => {
  it('names the five non-academic areas', () => {
    expect(OUTCOME_AREAS).toEqual(['independence', 'communication', 'regulation', 'attendance', 'wellbeing']);
    expect(isOutcomeArea('wellbeing')).toBe(true);
    expect(isOutcomeArea('maths')).toBe(false);
  });

  it('needs a description of what the pupil will do, up to 500 characters', () => {
    expect(outcomeDescriptionProblem('  ')).toBe('Enter what the pupil will be able to do');
    expect(outcomeDescriptionProblem('x'.repeat(501))).toMatch(/500 characters/);
    expect(outcomeDescriptionProblem('Gets ready for PE on his own')).toBeNull();
  });
});
