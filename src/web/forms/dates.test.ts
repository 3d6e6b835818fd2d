import { describe, expect, it } from 'vitest';
import { dateFromFields, labelInSentence } from './dates.ts';

describe('a date left blank', () => {
  it('is asked for with its label in the sentence, not capitalised mid-sentence', () => {
    expect(dateFromFields({}, 'ceasedOn', 'Date the plan ceased').error).toBe(
      'Enter the date the plan ceased',
    );
    expect(dateFromFields({}, 'by-0', 'The date outcome 1 is for').error).toBe(
      'Enter the date outcome 1 is for',
    );
  });

  it('keeps an abbreviation at the start of a label', () => {
    expect(labelInSentence('UPN issue date')).toBe('the UPN issue date');
    expect(labelInSentence('date of birth')).toBe('the date of birth');
  });
});
