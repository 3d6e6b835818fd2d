import { describe, expect, it } from 'vitest';
import { AREAS_OF_NEED } from './census.ts';
import { CONCERN_OUTCOMES } from './concerns.ts';
import { FAMILY_AREA_WORDS, FAMILY_OUTCOME_WORDS, familyConcernStatus } from './family-concerns.ts';

describe('a parent’s concern in plain words', () => {
  it('has everyday words for every area of need and every outcome', () => {
    for (const a of AREAS_OF_NEED) expect(FAMILY_AREA_WORDS[a]).toMatch(/\w/);
    for (const o of CONCERN_OUTCOMES) expect(FAMILY_OUTCOME_WORDS[o]).toMatch(/^The school /);
  });

  it('says whether the SENCo has looked at it yet', () => {
    expect(familyConcernStatus('open')).toBe('Waiting for the SENCo to look at it');
    expect(familyConcernStatus('reviewed')).toBe('The school has looked at it');
  });
});
