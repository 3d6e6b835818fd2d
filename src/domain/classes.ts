import { ncYearLabel } from './calendar.ts';
import { isInRange, type YearGroupRange } from './school.ts';

/**
 * Classes: a name, the year groups taught in it (several in a mixed-age class), its teachers. A name
 * is used once among the classes in use (ignoring capitals and spaces at either end); an archived
 * class keeps its name in the records and frees it for a new class.
 */

/** Year groups once each, youngest first. */
export function normaliseYearGroups(ncYears: readonly number[]): number[] {
  return [...new Set(ncYears)].sort((a, b) => a - b);
}

/** The youngest year group, kept on the class for ordering lists. */
export function lowestYearGroup(ncYears: readonly number[]): number | null {
  return ncYears.length === 0 ? null : Math.min(...ncYears);
}

/** "Year 3", "Reception and Year 1", "Year 4, Year 5 and Year 6", "No year group". */
export function yearGroupsLabel(ncYears: readonly number[]): string {
  const labels = normaliseYearGroups(ncYears).map(ncYearLabel);
  if (labels.length === 0) return 'No year group';
  if (labels.length === 1) return labels[0]!;
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}

/** The same name for the purpose of "used twice": capitals and outer spaces do not count. */
export function sameClassName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase('en-GB') === b.trim().toLocaleLowerCase('en-GB');
}

/** What is wrong with a class's year groups for this school, or null. */
export function classYearGroupsProblem(ncYears: readonly number[], range: YearGroupRange): string | null {
  if (ncYears.length === 0) return 'Select the year groups taught in the class';
  if (ncYears.some((y) => !isInRange(y, range))) return 'Select year groups from the list';
  return null;
}

/** Why a class cannot be archived yet, or null: a class with pupils on roll keeps them until they move. */
export function archiveProblem(className: string, pupilCount: number): string | null {
  if (pupilCount === 0) return null;
  return `${className} still has ${pupilCount === 1 ? '1 pupil' : `${pupilCount} pupils`}. Move ${pupilCount === 1 ? 'them' : 'them all'} to another class first: choose them on the class page and use “Move to another class”.`;
}

/** The chronology's words for a move between classes. */
export function classMoveTitle(fromName: string | null, toName: string | null): string {
  if (fromName && toName) return `Moved from ${fromName} to ${toName}`;
  if (toName) return `Put in ${toName}`;
  if (fromName) return `Taken out of ${fromName} (no class)`;
  return 'Class changed';
}

export const CLASS_MOVE_SOURCES = ['class_change', 'roll_over', 'mis_import', 'ctf_import'] as const;
export type ClassMoveSource = (typeof CLASS_MOVE_SOURCES)[number];

export const CLASS_MOVE_SOURCE_LABELS: Record<ClassMoveSource, string> = {
  class_change: '',
  roll_over: 'Year-end roll-over',
  mis_import: 'From the MIS import',
  ctf_import: 'From a Common Transfer File',
};
