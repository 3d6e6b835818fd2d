import { type ShownCount, suppressionRule } from '../domain/suppression.ts';

/*
 * Figures that name no pupil, as the SEN governor's and the officers' pages show them: the rule that
 * hides small numbers, in words, and what it hid on the page, table by table. One shape for every
 * page of figures, so that the governor and the officer read the same rule the same way.
 */

export interface FiguresTable {
  /** The table's caption, as a sentence names it: "Primary need of pupils on the register". */
  name: string;
  counts: readonly ShownCount[];
}

const counted = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Primary need of pupils on the register: 4 counts hidden, 12 not shown." — for the tables that hid any. */
export function hiddenOnPage(tables: readonly FiguresTable[]): string[] {
  return tables.flatMap((t) => {
    const hidden = t.counts.filter((c) => c === 'suppressed').length;
    const withheld = t.counts.filter((c) => c === 'withheld').length;
    if (hidden === 0 && withheld === 0) return [];
    const parts = [
      hidden ? `${counted(hidden, 'count', 'counts')} hidden` : null,
      withheld ? `${counted(withheld, 'count', 'counts')} not shown` : null,
    ].filter(Boolean);
    return [`${t.name}: ${parts.join(', ')}.`];
  });
}

/** The rule and what it hid, for a page of figures (`applies`: false for those who see named pupils). */
export function figuresNotice(threshold: number, applies: boolean, tables: readonly FiguresTable[]) {
  return applies ? { rule: suppressionRule(threshold), hidden: hiddenOnPage(tables) } : null;
}
