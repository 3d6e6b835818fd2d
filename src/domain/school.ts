import { NC_YEAR_MAX, NC_YEAR_MIN, ncYearLabel } from './calendar.ts';

/**
 * The school itself: its phase (as Get Information about Schools names it) and the year groups it
 * teaches, from the youngest to the oldest. Forms and filters offer only these year groups; pupils
 * outside them (a child kept on for a year, say) are still shown, labelled as outside.
 */

export const PHASES = [
  'nursery',
  'primary',
  'middle',
  'secondary',
  'all_through',
  'special',
  'alternative_provision',
] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_LABELS: Record<Phase, string> = {
  nursery: 'Nursery',
  primary: 'Primary',
  middle: 'Middle',
  secondary: 'Secondary',
  all_through: 'All-through',
  special: 'Special school',
  alternative_provision: 'Alternative provision',
};

export function isPhase(value: string): value is Phase {
  return (PHASES as readonly string[]).includes(value);
}

export interface YearGroupRange {
  lowest: number;
  highest: number;
}

/** The year groups a school of this phase usually teaches (a starting point; the school can change it). */
export const USUAL_YEAR_GROUPS: Record<Phase, YearGroupRange> = {
  nursery: { lowest: -2, highest: -1 },
  primary: { lowest: -1, highest: 6 },
  middle: { lowest: 4, highest: 8 },
  secondary: { lowest: 7, highest: 11 },
  all_through: { lowest: 0, highest: 13 },
  special: { lowest: 0, highest: 14 },
  alternative_provision: { lowest: 7, highest: 11 },
};

export function usualYearGroups(phase: string): YearGroupRange {
  return isPhase(phase) ? USUAL_YEAR_GROUPS[phase] : { lowest: -1, highest: 6 };
}

/** Every year group a school could teach, youngest first (the choices for its range). */
export const ALL_YEAR_GROUPS: number[] = Array.from(
  { length: NC_YEAR_MAX - NC_YEAR_MIN + 1 },
  (_, i) => NC_YEAR_MIN + i,
);

/** The school's year groups, youngest first. */
export function yearGroupsOf(range: YearGroupRange): number[] {
  return ALL_YEAR_GROUPS.filter((y) => y >= range.lowest && y <= range.highest);
}

export function isInRange(ncYear: number, range: YearGroupRange): boolean {
  return ncYear >= range.lowest && ncYear <= range.highest;
}

/** "Nursery to Year 6", "Year 7 to Year 11", "Reception" (one year group). */
export function rangeLabel(range: YearGroupRange): string {
  return range.lowest === range.highest
    ? ncYearLabel(range.lowest)
    : `${ncYearLabel(range.lowest)} to ${ncYearLabel(range.highest)}`;
}

/** What is wrong with a range, in the words of the school details form, or null. */
export function yearGroupRangeProblem(range: YearGroupRange): string | null {
  if (range.lowest > range.highest) {
    return 'The oldest year group must be the same as the youngest or older than it';
  }
  return null;
}
