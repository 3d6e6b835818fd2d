import { describe, expect, it } from 'vitest';
import { readableValue } from './subject-access.ts';

/* What a parent reads in a subject access export: words, never codes, ids or raw data. */
describe('a value in a subject access export', () => {
  it('reads codes in lists and in records nested in a field as the pages say them, and leaves ids out', () => {
    expect(readableValue(['social_emotional_and_mental_health'], 'plan', 'need_areas')).toBe(
      'Social, emotional and mental health',
    );
    expect(readableValue('cognition_and_learning', 'target', 'area')).toBe('Cognition and learning');
    // The pupil as they were when a plan closed.
    expect(
      readableValue({ ncYear: 6, senStage: 'sen_support', primaryNeed: 'SEMH' }, 'plan', 'pupil_at_close'),
    ).toBe('NC year: 6, SEN stage: SEN support, Primary need: Social, emotional and mental health');
    // A half-termly check: each target's progress in words, the target's id left out.
    const items = [
      { targetId: '3d072176-1c8e-4a5e-9f0a-2b1c3d4e5f60', progress: 'on_track', note: 'Reads daily' },
      { targetId: '4e072176-1c8e-4a5e-9f0a-2b1c3d4e5f60', progress: 'not_yet', note: null },
    ];
    expect(readableValue(items, 'target_check', 'items')).toBe(
      'Progress: On track, Note: Reads daily; Progress: Not yet',
    );
    expect(readableValue([], 'plan', 'need_areas')).toBeNull();
    expect(readableValue('2026-11-20')).toBe('20 November 2026');
  });
});
