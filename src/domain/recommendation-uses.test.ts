import { describe, expect, it } from 'vitest';
import {
  holdsStrategy,
  isPlanStrategyField,
  recommendationSource,
  recommendationStandings,
  withStrategy,
} from './agencies.ts';

const source = recommendationSource({
  authorRole: 'Speech and language therapist',
  agencyName: 'Northshire SALT',
  writtenOn: '2026-11-20',
});

describe('a strategy put into a part of the plan', () => {
  it('goes on a line of its own after what the part says, its source after it', () => {
    expect(withStrategy('Seat near the front', 'Give one instruction at a time', source)).toBe(
      'Seat near the front\nGive one instruction at a time (Recommended by the speech and language therapist, report of 20 November 2026)',
    );
    expect(withStrategy(null, ' Chunk instructions ', 'Recommended by CAMHS, report of 1 March 2026')).toBe(
      'Chunk instructions (Recommended by CAMHS, report of 1 March 2026)',
    );
    expect(withStrategy('Visual timetable\n\n', 'Chunk', 'S')).toBe('Visual timetable\nChunk (S)');
  });

  it('is found in the part while its line is there, and not once it is taken out or reworded', () => {
    const text = withStrategy('Seat near the front', 'Give one instruction at a time', source);
    expect(holdsStrategy(text, 'Give one instruction at a time', source)).toBe(true);
    expect(holdsStrategy('Seat near the front', 'Give one instruction at a time', source)).toBe(false);
    expect(holdsStrategy(text.replace('one', 'a single'), 'Give one instruction at a time', source)).toBe(
      false,
    );
    expect(holdsStrategy(null, 'Give one instruction at a time', source)).toBe(false);
  });

  it('goes only into the parts of the plan about how the school supports', () => {
    expect(['qualityFirst', 'interventions', 'taSupport'].every(isPlanStrategyField)).toBe(true);
    expect(isPlanStrategyField('parentsViews')).toBe(false);
    expect(isPlanStrategyField(['qualityFirst'])).toBe(false);
  });
});

describe('where each recommendation stands in a plan', () => {
  const recs = [
    { id: 'r1', text: 'Give one instruction at a time', source },
    { id: 'r2', text: 'Follow a two-step instruction', source },
    { id: 'r3', text: 'Language group, three times a week', source },
  ];
  const use = (
    recommendationId: string,
    usedAs: 'target' | 'strategy' | 'provision',
    more: Partial<{ planId: string; planField: 'qualityFirst'; provisionGroupId: string; groupName: string }>,
  ) => ({
    recommendationId,
    usedAs,
    planId: more.planId ?? null,
    planField: more.planField ?? null,
    provisionGroupId: more.provisionGroupId ?? null,
    groupName: more.groupName ?? null,
  });

  it('a target taken from it, a strategy still in its part, a group it went into; the rest not yet used', () => {
    const plan = {
      id: 'p1',
      targets: [
        { id: 't1', position: 1, recommendationId: null },
        { id: 't2', position: 2, recommendationId: 'r2' },
      ],
      fields: { qualityFirst: withStrategy('Seat near the front', recs[0]!.text, source) },
    };
    const uses = [
      use('r1', 'strategy', { planId: 'p1', planField: 'qualityFirst' }),
      use('r2', 'target', { planId: 'p1' }),
      use('r3', 'provision', { provisionGroupId: 'g1', groupName: 'Language group' }),
    ];
    const s = recommendationStandings(recs, plan, uses);
    expect(s.get('r1')).toEqual({ inPlan: { as: 'strategy', field: 'qualityFirst' }, groups: [] });
    expect(s.get('r2')).toEqual({ inPlan: { as: 'target', targetId: 't2', position: 2 }, groups: [] });
    expect(s.get('r3')).toEqual({ inPlan: null, groups: [{ groupId: 'g1', name: 'Language group' }] });
  });

  it('is not yet used in a plan once its target or its line is taken out, or in another plan', () => {
    const uses = [
      use('r1', 'strategy', { planId: 'p1', planField: 'qualityFirst' }),
      use('r2', 'target', { planId: 'p1' }),
    ];
    const emptied = { id: 'p1', targets: [], fields: { qualityFirst: 'Seat near the front' } };
    const s = recommendationStandings(recs, emptied, uses);
    expect(s.get('r1')!.inPlan).toBeNull();
    expect(s.get('r2')!.inPlan).toBeNull();
    // The same words in the next plan's part do not make a use of the plan before it count there.
    const next = {
      id: 'p2',
      targets: [],
      fields: { qualityFirst: withStrategy(null, recs[0]!.text, source) },
    };
    expect(recommendationStandings(recs, next, uses).get('r1')!.inPlan).toBeNull();
    // Without a plan, only the provision counts.
    expect(recommendationStandings(recs, null, uses).get('r1')).toEqual({ inPlan: null, groups: [] });
  });

  it('a target carried into the next plan is in that plan too', () => {
    const next = { id: 'p2', targets: [{ id: 't9', position: 1, recommendationId: 'r2' }], fields: {} };
    expect(recommendationStandings(recs, next, []).get('r2')!.inPlan).toEqual({
      as: 'target',
      targetId: 't9',
      position: 1,
    });
  });

  it('names each group once, however many times the pupil joined it', () => {
    const uses = [
      use('r3', 'provision', { provisionGroupId: 'g1', groupName: 'Language group' }),
      use('r3', 'provision', { provisionGroupId: 'g1', groupName: 'Language group' }),
      use('r3', 'provision', { provisionGroupId: 'g2', groupName: 'Talk Boost' }),
    ];
    expect(recommendationStandings(recs, null, uses).get('r3')!.groups).toEqual([
      { groupId: 'g1', name: 'Language group' },
      { groupId: 'g2', name: 'Talk Boost' },
    ]);
  });
});
