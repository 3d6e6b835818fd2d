/**
 * Small numbers in figures a governor or an officer sees can identify a child ("HI, EHC plan: 1").
 * Counts from 1 up to below the threshold are suppressed (0 is shown), and then enough other counts
 * are suppressed that no hidden count can be worked back from what the page shows (complementary
 * suppression).
 *
 * "Worked back" is judged as a careful reader would: they know every shown count, that each total is
 * the sum of its parts, and, because a 0 is always shown, that every hidden count is at least 1 (and
 * a count the page never shows at least 0). Looking at one total at a time is not enough: three hidden
 * counts that add up to a shown 3 are each 1, and two tables that share counts can pin a value that
 * neither pins alone.
 *
 * A hidden count is safe when the figures could be different, with that count different, and still
 * agree with everything shown: when there is a way to add 1 to it (or take 1 away) and balance every
 * sum by adding or taking 1 from other unseen counts, never taking a count below what the reader
 * knows it to be. Where each count takes part in at most two sums (the tables here: a count is in its
 * row and its column, or a part of one total and the total of its own parts) such a change, if any
 * exists, is a chain of ±1 steps from sum to sum, found by a breadth-first search. A chain the search
 * finds is always a real change; a count in more sums is never used in one. So for tables shaped
 * otherwise the search can only miss a change, and the answer errs towards hiding more, never less.
 */
export const DEFAULT_SUPPRESSION_THRESHOLD = 3;

export interface SuppressionOptions {
  /**
   * Counts that take part in a sum but are never shown on the page (pupils not on the register in a
   * school's row): a reader knows only that each is 0 or more.
   */
  unshown?: ReadonlySet<string>;
  /**
   * Counts always shown as they are, whatever their size: whole-school totals, which are not a
   * breakdown (see figuresShown). They are never hidden to protect another count.
   */
  fixed?: ReadonlySet<string>;
  /** Unshown counts that must not be worked out either (a breakdown not shown, see figuresShown). */
  protect?: ReadonlySet<string>;
  /**
   * Counts to hide first when another must be protected: totals of a coarser breakdown (areas of need)
   * whose parts the page also shows, so that the finer breakdown (each need) keeps more of its counts.
   */
  prefer?: ReadonlySet<string>;
}

type Sums = readonly (readonly [string, readonly string[]])[];

/**
 * `cells`: every count by key, totals included. `sums`: each entry says a total is the sum of parts
 * ([totalKey, [partKeys]]). Returns the keys to show as suppressed.
 */
export function suppressedCells(
  cells: ReadonlyMap<string, number>,
  sums: Sums,
  threshold: number,
  options: SuppressionOptions = {},
): Set<string> {
  const hidden = new Set<string>();
  if (threshold <= 1) return hidden;
  const unshown = options.unshown ?? new Set<string>();
  const fixed = options.fixed ?? new Set<string>();
  const protect = [...(options.protect ?? [])];
  const prefer = options.prefer ?? new Set<string>();
  for (const [key, n] of cells)
    if (n > 0 && n < threshold && !unshown.has(key) && !fixed.has(key)) hidden.add(key);
  const value = (k: string) => cells.get(k) ?? 0;
  const visible = (k: string) => !hidden.has(k) && !unshown.has(k) && !fixed.has(k) && value(k) > 0;
  const members = sums.map(([total, parts]) => [total, ...parts]);
  const sumsWith = new Map<string, number[]>();
  members.forEach((m, i) => {
    for (const k of m) sumsWith.set(k, [...(sumsWith.get(k) ?? []), i]);
  });

  // Hiding another count only takes knowledge away from the reader: a count that could vary still
  // can. So each count found pinned is looked at again only until it is safe.
  const queue = workedOut(cells, sums, hidden, unshown, [...hidden, ...protect]);
  while (queue.length > 0) {
    const cell = queue[0] as string;
    if (workedOut(cells, sums, hidden, unshown, [cell]).length === 0) {
      queue.shift();
      continue;
    }
    // Hide the smallest shown count in a sum with the pinned count; when its sums have none, look
    // in the sums of the unseen counts it is tied to, and so on outwards.
    // Of those, the smallest whose hiding alone frees it, if any: fewer counts hidden in all.
    const reached = new Set<string>([cell]);
    let next: string | undefined;
    for (let frontier = [cell]; frontier.length > 0 && !next; ) {
      const related = [...new Set(frontier.flatMap((k) => sumsWith.get(k) ?? []))].flatMap(
        (i) => members[i] as string[],
      );
      const rank = (k: string) => (prefer.has(k) ? 0 : 1);
      const candidates = [...new Set(related.filter(visible))].sort(
        (a, b) => rank(a) - rank(b) || value(a) - value(b),
      );
      next =
        candidates.find(
          (c) => workedOut(cells, sums, new Set([...hidden, c]), unshown, [cell]).length === 0,
        ) ?? candidates[0];
      frontier = related.filter((k) => (hidden.has(k) || unshown.has(k)) && !reached.has(k));
      for (const k of frontier) reached.add(k);
    }
    // Nothing shown is tied to it at all: nothing more that could be hidden would help.
    if (!next) {
      queue.shift();
      continue;
    }
    hidden.add(next);
    // The count just hidden must not be pinned either.
    queue.push(next);
  }
  return hidden;
}

/**
 * The hidden counts (of `among`, or all; an unshown count in `among` is looked at too) a reader could
 * work out exactly from what is shown: those that no balanced ±1 change of the unseen counts can move.
 */
export function workedOut(
  cells: ReadonlyMap<string, number>,
  sums: Sums,
  hidden: ReadonlySet<string>,
  unshown: ReadonlySet<string> = new Set(),
  among: Iterable<string> = hidden,
): string[] {
  // The unseen counts, numbered; for each, how far it can go down (to 1 when hidden, to 0 when never
  // shown) and the sums it is in, with its sign in "parts − total = 0".
  const index = new Map<string, number>();
  const slack: number[] = [];
  const sumsOf: { sum: number; sign: 1 | -1 }[][] = [];
  const number = (k: string) => {
    let i = index.get(k);
    if (i === undefined) {
      i = slack.length;
      index.set(k, i);
      slack.push((cells.get(k) ?? 0) - (hidden.has(k) ? 1 : 0));
      sumsOf.push([]);
    }
    return i;
  };
  const unseen = (k: string) => hidden.has(k) || unshown.has(k);
  const inSum: { cell: number; sign: 1 | -1 }[][] = sums.map(([total, parts], sum) => {
    const list: { cell: number; sign: 1 | -1 }[] = [];
    for (const k of parts) if (unseen(k)) list.push({ cell: number(k), sign: 1 });
    if (unseen(total)) list.push({ cell: number(total), sign: -1 });
    for (const m of list) sumsOf[m.cell]?.push({ sum, sign: m.sign });
    return list;
  });
  // Counts in one sum only: a change to one is balanced by that sum alone.
  const loose = sumsOf.flatMap((list, cell) => (list.length === 1 ? [cell] : []));
  const states = 2 * sums.length; // a sum left out by +1 (2s) or by −1 (2s + 1)
  const OUTSIDE = states;
  const state = (sum: number, off: number) => 2 * sum + (off === 1 ? 0 : 1);

  /** Can count `x` move by `step` with every sum still adding up? A breadth-first search of chains. */
  function canMove(x: number, step: 1 | -1): boolean {
    const own = sumsOf[x] as { sum: number; sign: 1 | -1 }[];
    if (step === -1 && (slack[x] as number) < 1) return false;
    if (own.length === 0) return true; // in no sum: nothing ties it
    if (own.length > 2) return false;
    const first = own[0] as { sum: number; sign: 1 | -1 };
    const second = own[1];
    // The chain is done when it leaves x's second sum put right (or, for a count in one sum, when it
    // reaches a count in one sum only).
    const done = second ? state(second.sum, -second.sign * step) : -1;
    const seen = new Uint8Array(states + 1);
    const queue: number[] = [state(first.sum, first.sign * step)];
    seen[queue[0] as number] = 1;
    const reach = (s: number) => {
      if (s === done) return true;
      if (!seen[s]) {
        seen[s] = 1;
        queue.push(s);
      }
      return false;
    };
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q] as number;
      if (s === OUTSIDE) {
        // From outside any count in one sum only can start a new chain, going up or down.
        for (const k of loose) {
          if (k === x) continue;
          const only = (sumsOf[k] as { sum: number; sign: 1 | -1 }[])[0] as { sum: number; sign: 1 | -1 };
          if (reach(state(only.sum, only.sign))) return true;
          if ((slack[k] as number) >= 1 && reach(state(only.sum, -only.sign))) return true;
        }
        continue;
      }
      const sum = s >> 1;
      const off = s & 1 ? -1 : 1;
      for (const { cell: k, sign } of inSum[sum] as { cell: number; sign: 1 | -1 }[]) {
        if (k === x) continue;
        const d = -off * sign; // the change to k that puts this sum right
        if (d === -1 && (slack[k] as number) < 1) continue;
        const theirs = sumsOf[k] as { sum: number; sign: 1 | -1 }[];
        if (theirs.length > 2) continue;
        const other = theirs[0]?.sum === sum ? theirs[1] : theirs[0];
        if (!other) {
          // k is in this sum only: the chain ends here, or goes on from any other such count.
          if (!second) return true;
          reach(OUTSIDE);
          continue;
        }
        if (reach(state(other.sum, other.sign * d))) return true;
      }
    }
    return false;
  }

  return [...new Set(among)].filter((k) => {
    const i = index.get(k);
    return unseen(k) && i !== undefined && !canMove(i, 1) && !canMove(i, -1);
  });
}

/** What a page of figures shows of each count: the number, hidden, or not shown with its breakdown. */
export interface FiguresShown {
  /** Counts shown as "Hidden": from 1 to below the threshold, or ones that would give such a count away. */
  hidden: Set<string>;
  /**
   * Counts of a breakdown not shown at all (zeros too), where a whole-school total shown beside it
   * would otherwise give a small count away ("3 pupils with an EHC plan: 1 ASD, 1 SLCN, 1 SEMH").
   */
  withheld: Set<string>;
}

/**
 * The one rule for figures that name no pupil, the same for the SEN governor and for an officer of
 * the local authority or trust:
 *
 * - Whole-school totals (`fixed`: pupils on roll, pupils at each stage of the register, pupils in
 *   interventions) are shown as counted, whatever their size. They are not a breakdown, the school
 *   reports them itself (the SEN information report) and the DfE publishes the number of pupils at
 *   each stage for every school, unsuppressed.
 * - In a breakdown (by need, by area of need, by school across an authority's totals), a count from
 *   1 to below the threshold is hidden, with any other count of the breakdown that would let one be
 *   worked out (complementary suppression, see suppressedCells); never a whole-school total.
 * - Where only a whole-school total could protect a small count (3 pupils with an EHC plan, each with
 *   a different need), the breakdown under that total is not shown at all: each of its counts, zeros
 *   included, is then known to the reader only as 0 or more.
 *
 * Should even that not protect every count (a shape of table this rule was not made for), the
 * whole-school totals are hidden as needed after all: safety comes first.
 */
export function figuresShown(
  cells: ReadonlyMap<string, number>,
  sums: Sums,
  threshold: number,
  options: { unshown?: ReadonlySet<string>; fixed?: ReadonlySet<string>; prefer?: ReadonlySet<string> } = {},
): FiguresShown {
  const unshown = options.unshown ?? new Set<string>();
  const fixed = options.fixed ?? new Set<string>();
  const prefer = options.prefer ?? new Set<string>();
  const withheld = new Set<string>();
  if (threshold <= 1) return { hidden: new Set(), withheld };
  for (;;) {
    const unseen = new Set([...unshown, ...withheld]);
    // A withheld count above 0 must not be worked out either (a withheld 0 may: it names nobody).
    const protect = new Set([...withheld].filter((k) => (cells.get(k) ?? 0) > 0));
    const hidden = suppressedCells(cells, sums, threshold, { unshown: unseen, fixed, protect, prefer });
    const pinned = workedOut(cells, sums, hidden, unseen, [...hidden, ...protect]);
    if (pinned.length === 0) return { hidden, withheld };
    let grew = false;
    const withhold = (k: string) => {
      if (unshown.has(k) || withheld.has(k) || fixed.has(k)) return;
      withheld.add(k);
      grew = true;
    };
    for (const cell of pinned) {
      const under = sums.filter(([total, parts]) => fixed.has(total) && parts.includes(cell));
      // The breakdown under a whole-school total goes; a count pinned some other way goes on its own.
      for (const [, parts] of under) for (const p of parts) withhold(p);
      if (under.length === 0) withhold(cell);
    }
    if (!grew) {
      // Still pinned by what is shown around it (a zero beside it, in another table): the sums that
      // hold its neighbours' unseen counts go too, one ring further out.
      for (const cell of pinned) {
        const near = new Set(
          sums.flatMap(([t, parts]) => (t === cell || parts.includes(cell) ? [t, ...parts] : [])),
        );
        for (const [t, parts] of sums) {
          const members = [t, ...parts];
          if (members.some((m) => near.has(m) && (withheld.has(m) || hidden.has(m))))
            for (const m of members) withhold(m);
        }
      }
    }
    if (!grew) {
      return {
        hidden: suppressedCells(cells, sums, threshold, { unshown: unseen, protect, prefer }),
        withheld,
      };
    }
  }
}

/** A count as a page shows it: the number, "Hidden", or "Not shown" with its breakdown. */
export type ShownCount = number | 'suppressed' | 'withheld';

export function shownCount(shown: FiguresShown, cells: ReadonlyMap<string, number>, key: string): ShownCount {
  if (shown.withheld.has(key)) return 'withheld';
  if (shown.hidden.has(key)) return 'suppressed';
  return cells.get(key) ?? 0;
}

/** The rule in words, for the pages that apply it. */
export function suppressionRule(threshold: number): string {
  const totals =
    'Whole-school totals (pupils on roll, pupils at each stage of the SEN register, pupils in interventions) are shown as counted: they are not a breakdown, and the DfE publishes the number of pupils at each stage for every school.';
  if (threshold <= 1) return `${totals} No count is hidden: the small-number threshold is set to 1.`;
  const small = threshold === 2 ? 'a count of 1' : `a count from 1 to ${threshold - 1}`;
  return `${totals} In a breakdown (by need, by area of need) ${small} could identify a child, so it is shown as “Hidden”, and so is any other count that would let it be worked out from the totals. Where even that would not protect it, the breakdown is “Not shown”.`;
}
