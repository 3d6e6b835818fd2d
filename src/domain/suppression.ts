/**
 * Small numbers in figures a governor or an officer sees can identify a child ("HI, EHC plan: 1").
 * Counts from 1 up to below the threshold are suppressed (0 is shown), and then, wherever a set of
 * cells adds up to a total that is shown, enough others are suppressed that no hidden cell can be
 * worked back from the total (complementary suppression).
 */
export const DEFAULT_SUPPRESSION_THRESHOLD = 3;

/**
 * `cells`: every count by key, totals included. `sums`: each entry says a total is the sum of parts
 * ([totalKey, [partKeys]]). Returns the keys to show as suppressed.
 */
export function suppressedCells(
  cells: ReadonlyMap<string, number>,
  sums: readonly (readonly [string, readonly string[]])[],
  threshold: number,
): Set<string> {
  const hidden = new Set<string>();
  if (threshold <= 1) return hidden;
  for (const [key, n] of cells) if (n > 0 && n < threshold) hidden.add(key);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [total, parts] of sums) {
      const members = [total, ...parts];
      const hiddenMembers = members.filter((k) => hidden.has(k));
      if (hiddenMembers.length !== 1) continue;
      // One hidden member of an equation could be worked out from the others: hide the smallest other.
      const candidates = members
        .filter((k) => !hidden.has(k) && (cells.get(k) ?? 0) > 0)
        .sort((a, b) => (cells.get(a) ?? 0) - (cells.get(b) ?? 0));
      const next = candidates[0];
      if (next) {
        hidden.add(next);
        changed = true;
      }
    }
  }
  return hidden;
}
