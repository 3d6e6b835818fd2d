import { describe, expect, it } from 'vitest';
import { figuresNotice, hiddenOnPage } from './figures.ts';

describe('what a page of figures says it hid', () => {
  it('names each table that hid counts, with how many were hidden and how many not shown', () => {
    expect(
      hiddenOnPage([
        { name: 'Pupils by SEN stage', counts: [300, 13, 64, 10] },
        {
          name: 'Primary need of pupils on the register',
          counts: [20, 'suppressed', 'withheld', 'withheld', 0],
        },
        { name: 'Pupils by broad area of need', counts: ['suppressed', 'suppressed', 31] },
      ]),
    ).toEqual([
      'Primary need of pupils on the register: 1 count hidden, 2 counts not shown.',
      'Pupils by broad area of need: 2 counts hidden.',
    ]);
  });

  it('gives the rule only where it applies', () => {
    expect(figuresNotice(3, false, [])).toBeNull();
    expect(figuresNotice(3, true, [])).toMatchObject({ hidden: [] });
    expect(figuresNotice(3, true, [])?.rule).toContain('shown as counted');
  });
});
