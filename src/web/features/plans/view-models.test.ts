import { describe, expect, it } from 'vitest';
import type { BankEntryRow } from '../../../repositories/plans.ts';
import { addFromBank, nextFreeTargetRow } from './view-models.ts';

const entry = (over: Partial<BankEntryRow> = {}) =>
  ({
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'target',
    area: 'cognition_and_learning',
    text: 'X will read 20 high-frequency words',
    achievementCriteria: 'X reads them on three days',
    ...over,
  }) as BankEntryRow;

describe('a bank entry added to the plan form', () => {
  it('goes into the first empty row while the plan holds fewer than the most (rows marked to remove do not count)', () => {
    expect(nextFreeTargetRow({}, 4)).toBe(1);
    const three = { 'target1-target': 'a', 'target2-criteria': 'typed only', 'target4-target': 'd' };
    expect(nextFreeTargetRow(three, 4)).toBe(3);
    expect(nextFreeTargetRow({ ...three, 'target3-target': 'c' }, 4)).toBeNull();
    expect(nextFreeTargetRow({ ...three, 'target3-target': 'c', 'target2-remove': 'yes' }, 4)).toBe(5);
    // Blank text is empty; an area chosen alone is not a target.
    expect(nextFreeTargetRow({ 'target1-target': '  ', 'target1-area': 'cognition_and_learning' }, 4)).toBe(
      1,
    );
  });

  it('is made about the pupil by their preferred name, and keeps everything else as it was', () => {
    const values = { 'target1-target': 'Written by hand', strengths: 'Kind', 'target2-saveToBank': 'yes' };
    const { values: after, addedTo } = addFromBank(
      values,
      entry(),
      { forename: 'Katarzyna', preferredName: 'Kasia' },
      4,
    );
    expect(addedTo).toBe(2);
    expect(after).toMatchObject({
      'target1-target': 'Written by hand',
      strengths: 'Kind',
      'target2-target': 'Kasia will read 20 high-frequency words',
      'target2-criteria': 'Kasia reads them on three days',
      'target2-area': 'cognition_and_learning',
      'target2-bankEntryId': entry().id,
    });
    expect(after['target2-saveToBank']).toBeUndefined();
    const full = addFromBank(values, entry(), { forename: 'Kit', preferredName: null }, 1);
    expect(full).toEqual({ values, addedTo: null });
    const strategy = addFromBank(
      { qualityFirst: 'Visual timetable\n' },
      entry({ kind: 'strategy', text: 'Give X a job at carpet time' }),
      { forename: 'Kit', preferredName: null },
      1,
    );
    expect(strategy).toEqual({
      values: { qualityFirst: 'Visual timetable\nGive Kit a job at carpet time' },
      addedTo: 'qualityFirst',
    });
  });
});
