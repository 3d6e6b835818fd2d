import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { figuresShown, suppressedCells, suppressionRule } from './suppression.ts';

/*
 * Complementary suppression checked against brute force: for small tables, every assignment of the
 * hidden counts that fits what is shown is listed, and no hidden count may have only one possible
 * value. The reader knows each hidden count is at least 1 (a 0 is shown), and each count never shown
 * at least 0.
 */

type Sums = [string, string[]][];

/** A table of r rows and c columns with row, column and grand totals (the usual shape of figures). */
function crossTable(values: number[][]) {
  const cells = new Map<string, number>();
  const sums: Sums = [];
  const rows = values.length;
  const cols = values[0]?.length ?? 0;
  values.forEach((row, i) => {
    for (const [j, n] of row.entries()) cells.set(`${i},${j}`, n);
    cells.set(
      `row${i}`,
      row.reduce((a, b) => a + b, 0),
    );
    sums.push([`row${i}`, row.map((_, j) => `${i},${j}`)]);
  });
  for (let j = 0; j < cols; j++) {
    cells.set(
      `col${j}`,
      values.reduce((a, row) => a + (row[j] ?? 0), 0),
    );
    sums.push([`col${j}`, values.map((_, i) => `${i},${j}`)]);
  }
  cells.set(
    'all',
    [...cells].filter(([k]) => k.startsWith('row')).reduce((a, [, n]) => a + n, 0),
  );
  sums.push(['all', Array.from({ length: rows }, (_, i) => `row${i}`)]);
  return { cells, sums };
}

/**
 * The hidden counts with exactly one possible value, by listing every assignment: each count is tried
 * in turn from its lowest value, and a sum with one count left to choose fixes that count.
 */
function pinnedByBruteForce(
  cells: ReadonlyMap<string, number>,
  sums: Sums,
  hidden: ReadonlySet<string>,
  unshown: ReadonlySet<string>,
  check: Iterable<string> = hidden,
): string[] {
  const unknowns = [...new Set([...hidden, ...unshown])];
  const highest = Math.max(...cells.values()) + 2;
  const lowest = (k: string) => (hidden.has(k) ? 1 : 0);
  const seen = new Map<string, Set<number>>(unknowns.map((k) => [k, new Set()]));
  const known = (assigned: Map<string, number>, k: string) =>
    assigned.has(k) ? assigned.get(k) : hidden.has(k) || unshown.has(k) ? undefined : (cells.get(k) ?? 0);
  const walk = (assigned: Map<string, number>) => {
    // Fix every count a sum now determines; give up on this branch when a sum cannot hold.
    for (let changed = true; changed; ) {
      changed = false;
      for (const [total, parts] of sums) {
        const members = [total, ...parts];
        const open = members.filter((k) => known(assigned, k) === undefined);
        const partsSum = parts.reduce((a, k) => a + (known(assigned, k) ?? 0), 0);
        if (open.length === 0) {
          if (partsSum !== known(assigned, total)) return;
        } else if (open.length === 1) {
          const k = open[0] as string;
          const v = k === total ? partsSum : (known(assigned, total) as number) - partsSum;
          if (v < lowest(k) || v > highest) return;
          assigned.set(k, v);
          changed = true;
        }
      }
    }
    const free = unknowns.find((k) => !assigned.has(k));
    if (free === undefined) {
      for (const [k, v] of assigned) seen.get(k)?.add(v);
      return;
    }
    for (let v = lowest(free); v <= highest; v++) walk(new Map(assigned).set(free, v));
  };
  walk(new Map());
  return [...check].filter((k) => (seen.get(k)?.size ?? 0) <= 1);
}

describe('complementary suppression', () => {
  it('hides 1s and 2s and never leaves a hidden count that follows from the others (2×2 and 2×3 tables)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 3 }).chain((cols) =>
          fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: cols, maxLength: cols }), {
            minLength: 2,
            maxLength: 2,
          }),
        ),
        (values) => {
          const { cells, sums } = crossTable(values);
          const hidden = suppressedCells(cells, sums, 3);
          for (const [k, n] of cells) if (n === 1 || n === 2) expect(hidden.has(k), k).toBe(true);
          expect(pinnedByBruteForce(cells, sums, hidden, new Set())).toEqual([]);
        },
      ),
      { seed: 20261120, numRuns: 100 },
    );
  });

  it('protects the schools of an authority: each school’s stages and its pupils not on the register (never shown) add up to its total', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }), {
          minLength: 1,
          maxLength: 2,
        }),
        (schools) => {
          const cells = new Map<string, number>();
          const unshown = new Set<string>();
          const sums: Sums = [];
          const columns = ['monitoring', 'k', 'e', 'none'];
          schools.forEach((row, i) => {
            for (const [j, n] of row.entries()) cells.set(`${i}:${columns[j]}`, n);
            cells.set(
              `${i}:total`,
              row.reduce((a, b) => a + b, 0),
            );
            unshown.add(`${i}:none`);
            sums.push([`${i}:total`, columns.map((c) => `${i}:${c}`)]);
          });
          for (const c of ['total', 'monitoring', 'k', 'e']) {
            cells.set(
              `all:${c}`,
              schools.reduce((a, _, i) => a + (cells.get(`${i}:${c}`) ?? 0), 0),
            );
            sums.push([`all:${c}`, schools.map((_, i) => `${i}:${c}`)]);
          }
          const hidden = suppressedCells(cells, sums, 3, { unshown });
          for (const [k, n] of cells)
            if (!unshown.has(k) && (n === 1 || n === 2)) expect(hidden.has(k), k).toBe(true);
          expect(pinnedByBruteForce(cells, sums, hidden, unshown)).toEqual([]);
        },
      ),
      { seed: 11_2026, numRuns: 50 },
    );
  });

  it('hides nothing when no count is below the threshold', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 3, max: 50 })), { minLength: 3, maxLength: 3 }),
          {
            minLength: 2,
            maxLength: 4,
          },
        ),
        (values) => {
          const { cells, sums } = crossTable(values);
          expect(suppressedCells(cells, sums, 3).size).toBe(0);
        },
      ),
      { seed: 42, numRuns: 100 },
    );
  });

  it('three hidden counts adding up to a shown 3 are each 1: the total is hidden too', () => {
    const cells = new Map([
      ['total', 3],
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['d', 0],
    ]);
    const hidden = suppressedCells(cells, [['total', ['a', 'b', 'c', 'd']]], 3);
    expect(hidden.has('total')).toBe(true);
  });

  it('counts never shown (pupils not on the register) are 0 or more, and still protect nothing by themselves', () => {
    // A school of 5: 3 monitoring, 1 at SEN support, 1 with an EHC plan, none off the register.
    const cells = new Map([
      ['total', 5],
      ['monitoring', 3],
      ['k', 1],
      ['e', 1],
      ['none', 0],
    ]);
    const sums: Sums = [['total', ['monitoring', 'k', 'e', 'none']]];
    const unshown = new Set(['none']);
    const hidden = suppressedCells(cells, sums, 3, { unshown });
    expect(pinnedByBruteForce(cells, sums, hidden, unshown)).toEqual([]);
    expect(hidden.size).toBeGreaterThan(2);
  });

  it('suppresses nothing when the threshold is 1 or less', () => {
    const { cells, sums } = crossTable([
      [1, 2],
      [0, 1],
    ]);
    expect(suppressedCells(cells, sums, 1).size).toBe(0);
  });
});

/**
 * A governor's figures in small: pupils at SEN support and with an EHC plan (whole-school totals,
 * always shown) broken down by need, pupils at a stage without a recorded need among them, and the
 * needs grouped into areas (each area the sum of its needs at both stages).
 */
function governorTable(k: number[], e: number[], noNeed: [number, number]) {
  const needs = k.map((_, i) => `n${i}`);
  const cells = new Map<string, number>();
  const sums: Sums = [];
  const stages = [
    ['K', k, noNeed[0]],
    ['E', e, noNeed[1]],
  ] as const;
  for (const [stage, values, none] of stages) {
    for (const [i, n] of needs.entries()) cells.set(`${n}:${stage}`, values[i] ?? 0);
    cells.set(`none:${stage}`, none);
    cells.set(
      stage,
      values.reduce((a, b) => a + b, none),
    );
    sums.push([stage, [...needs.map((n) => `${n}:${stage}`), `none:${stage}`]]);
  }
  // Two areas: the first need alone, the others together.
  const areas: [string, string[]][] = [
    ['area0', needs.slice(0, 1)],
    ['area1', needs.slice(1)],
  ];
  for (const [area, members] of areas) {
    const parts = members.flatMap((n) => [`${n}:K`, `${n}:E`]);
    cells.set(
      area,
      parts.reduce((a, p) => a + (cells.get(p) ?? 0), 0),
    );
    sums.push([area, parts]);
  }
  return { cells, sums, fixed: new Set(['K', 'E']), unshown: new Set<string>() };
}

describe('figures shown: whole-school totals as counted, breakdowns protected', () => {
  it('never hides a whole-school total, hides or withholds every small count of a breakdown, and leaves nothing to work out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
        fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })),
        fc.boolean(),
        (k, e, noNeed, areasFirst) => {
          const { cells, sums, fixed, unshown } = governorTable(k, e, noNeed);
          const prefer = new Set(areasFirst ? ['area0', 'area1'] : []);
          const { hidden, withheld } = figuresShown(cells, sums, 3, { fixed, unshown, prefer });
          for (const f of fixed) {
            expect(hidden.has(f), f).toBe(false);
            expect(withheld.has(f), f).toBe(false);
          }
          for (const [key, n] of cells) {
            if (fixed.has(key) || unshown.has(key) || n < 1 || n > 2) continue;
            expect(hidden.has(key) || withheld.has(key), `${key} = ${n}`).toBe(true);
          }
          // A withheld count is known only to be 0 or more; none above 0 may be pinned either.
          const unknown = new Set([...unshown, ...withheld]);
          const positiveWithheld = [...withheld].filter((key) => (cells.get(key) ?? 0) > 0);
          expect(pinnedByBruteForce(cells, sums, hidden, unknown, [...hidden, ...positiveWithheld])).toEqual(
            [],
          );
        },
      ),
      { seed: 2026_12_06, numRuns: 150 },
    );
  });

  it('shows 3 pupils with an EHC plan, and withholds their needs when each has a different one', () => {
    const { cells, sums, fixed, unshown } = governorTable([5, 4, 6], [1, 1, 1], [0, 0]);
    const { hidden, withheld } = figuresShown(cells, sums, 3, { fixed, unshown });
    expect(hidden.has('E') || withheld.has('E')).toBe(false);
    expect([...withheld].sort()).toEqual(['n0:E', 'n1:E', 'n2:E', 'none:E']);
    // The areas (needs at both stages) would give them back: enough of those are hidden too.
    expect(pinnedByBruteForce(cells, sums, hidden, withheld, [...hidden, 'n0:E', 'n1:E', 'n2:E'])).toEqual(
      [],
    );
  });

  it('hides nothing of a breakdown whose counts are all 0 or 3 and more, and shows a total of 1 or 2 as it is', () => {
    const { cells, sums, fixed, unshown } = governorTable([3, 0, 4], [0, 0, 0], [0, 0]);
    expect(figuresShown(cells, sums, 3, { fixed, unshown })).toEqual({
      hidden: new Set(),
      withheld: new Set(),
    });
    const two = governorTable([3, 0, 4], [0, 2, 0], [0, 0]);
    const shown = figuresShown(two.cells, two.sums, 3, { fixed: two.fixed, unshown: two.unshown });
    expect(shown.hidden.has('E')).toBe(false);
    expect(shown.withheld.has('n1:E')).toBe(true);
  });

  it('withholds what lies around a small count when a zero beside it would pin it, never the total', () => {
    // One pupil at SEN support, no need recorded; every area 0: the areas would say it has no need.
    const { cells, sums, fixed, unshown } = governorTable([0, 0, 0], [0, 0, 0], [1, 0]);
    const { hidden, withheld } = figuresShown(cells, sums, 3, { fixed, unshown });
    expect(hidden.has('K') || withheld.has('K')).toBe(false);
    expect(withheld.has('none:K')).toBe(true);
    const positive = [...withheld].filter((k) => (cells.get(k) ?? 0) > 0);
    expect(pinnedByBruteForce(cells, sums, hidden, withheld, [...hidden, ...positive])).toEqual([]);
  });

  it('states its rule in words for the threshold in use', () => {
    expect(suppressionRule(3)).toContain('a count from 1 to 2 could identify a child');
    expect(suppressionRule(2)).toContain('a count of 1 could identify a child');
    expect(suppressionRule(1)).toContain('No count is hidden');
  });
});
