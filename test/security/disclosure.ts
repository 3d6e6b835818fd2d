/**
 * What someone can work out from a page of figures with some counts hidden. The page's own
 * arithmetic (a total is the sum of its parts; the pupils of a school are at least those at its
 * stages) gives linear constraints on the hidden counts; the rule that a count of 0 is shown tells the
 * reader that every hidden count is at least 1. A hidden count is worked out when only one whole number
 * satisfies all of that. This decides it exactly (bounds propagation and splitting), written apart
 * from the application's suppression code so that it checks it rather than repeats it.
 */

/** Σ coefficient × cell, compared with a constant: a cell is a hidden count's name. */
export interface Constraint {
  terms: { cell: string; coefficient: 1 | -1 }[];
  op: '=' | '<=';
  constant: number;
}

/**
 * One side of a relation as the page shows it: a number, or the name of a hidden count ("Hidden": 1 or
 * more, since a 0 is shown) or of a count not shown with its breakdown ("Not shown": 0 or more).
 */
export type Shown = number | { hidden: string; withheld?: boolean };

/** `total = Σ parts` (or `Σ parts ≤ total` when `atMost`), folded into a constraint on hidden counts. */
export function relation(total: Shown, parts: Shown[], options: { atMost?: boolean } = {}): Constraint {
  const terms: Constraint['terms'] = [];
  let constant = 0;
  // Σ parts − total (= | ≤) 0
  for (const p of parts) {
    if (typeof p === 'number') constant -= p;
    else terms.push({ cell: p.hidden, coefficient: 1 });
  }
  if (typeof total === 'number') constant += total;
  else terms.push({ cell: total.hidden, coefficient: -1 });
  return { terms, op: options.atMost ? '<=' : '=', constant };
}

type Bounds = Map<string, [number, number]>;

/** Narrow the bounds until nothing changes; false when no solution is left. */
function propagate(constraints: readonly Constraint[], bounds: Bounds): boolean {
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of constraints) {
      // Σ a·x (op) k. For each term: a·x = k − Σ others, whose range follows from the others' bounds.
      let minSum = 0;
      let maxSum = 0;
      for (const t of c.terms) {
        const [lo, hi] = bounds.get(t.cell) as [number, number];
        minSum += t.coefficient === 1 ? lo : -hi;
        maxSum += t.coefficient === 1 ? hi : -lo;
      }
      if (minSum > c.constant) return false;
      if (c.op === '=' && maxSum < c.constant) return false;
      for (const t of c.terms) {
        const [lo, hi] = bounds.get(t.cell) as [number, number];
        // The term's value y = a·x lies in [ylo, yhi]; the others' bounds limit it further.
        const [ylo, yhi] = t.coefficient === 1 ? [lo, hi] : [-hi, -lo];
        const upper = c.constant - (minSum - ylo);
        const lower = c.op === '=' ? c.constant - (maxSum - yhi) : Number.NEGATIVE_INFINITY;
        const [nylo, nyhi] = [Math.max(ylo, lower), Math.min(yhi, upper)];
        if (nylo > nyhi) return false;
        const [nlo, nhi] = t.coefficient === 1 ? [nylo, nyhi] : [-nyhi, -nylo];
        if (nlo !== lo || nhi !== hi) {
          bounds.set(t.cell, [nlo, nhi]);
          changed = true;
        }
      }
    }
  }
  return true;
}

/** A whole-number solution within these bounds, or null. */
function solve(constraints: readonly Constraint[], start: Bounds): Map<string, number> | null {
  const bounds = new Map(start);
  if (!propagate(constraints, bounds)) return null;
  let split: string | null = null;
  let width = Number.POSITIVE_INFINITY;
  for (const [cell, [lo, hi]] of bounds) {
    if (hi > lo && hi - lo < width) {
      split = cell;
      width = hi - lo;
    }
  }
  if (split === null) return new Map([...bounds].map(([cell, [lo]]) => [cell, lo]));
  const [lo, hi] = bounds.get(split) as [number, number];
  const mid = Math.floor((lo + hi) / 2);
  return (
    solve(constraints, new Map(bounds).set(split, [lo, mid])) ??
    solve(constraints, new Map(bounds).set(split, [mid + 1, hi]))
  );
}

/**
 * The hidden counts whose value follows from the constraints, each at least `lowest` (1: a 0 would
 * have been shown) and at most `highest`. Throws when the constraints have no solution at all (the
 * page contradicts itself, or it was read wrongly).
 */
export function workedOut(
  cells: readonly string[],
  constraints: readonly Constraint[],
  options: { highest: number; lowest?: (cell: string) => number },
): Map<string, number> {
  const bounds: Bounds = new Map(cells.map((c) => [c, [options.lowest?.(c) ?? 1, options.highest]]));
  const one = solve(constraints, bounds);
  if (!one) throw new Error('the figures admit no solution: the page was read wrongly or contradicts itself');
  const found = new Map<string, number>();
  for (const cell of cells) {
    const v = one.get(cell) as number;
    const [lo, hi] = bounds.get(cell) as [number, number];
    const below = v > lo && solve(constraints, new Map(bounds).set(cell, [lo, v - 1]));
    const above = v < hi && solve(constraints, new Map(bounds).set(cell, [v + 1, hi]));
    if (!below && !above) found.set(cell, v);
  }
  return found;
}

/** The rows of the table with this caption: each row's cells as text (header cells included). */
export function tableRows(html: string, caption: string): string[][] {
  for (const m of html.matchAll(/<table\b[\s\S]*?<\/table>/g)) {
    const table = m[0];
    const cap = /<caption\b[^>]*>([\s\S]*?)<\/caption>/.exec(table)?.[1];
    if (!cap || textOf(cap) !== caption) continue;
    const body = /<tbody\b[^>]*>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
    return [...body.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
      [...(r[1] ?? '').matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => textOf(c[1] ?? '')),
    );
  }
  throw new Error(`no table captioned “${caption}”`);
}

export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** A count as shown: a number, or a hidden (or not shown) count given a name. */
export function shownCount(text: string, name: string): Shown {
  if (text === 'Hidden') return { hidden: name };
  if (text === 'Not shown') return { hidden: name, withheld: true };
  if (!/^\d+$/.test(text)) throw new Error(`not a count: “${text}” (${name})`);
  return Number(text);
}
