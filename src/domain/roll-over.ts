import { academicYearLabel, academicYearStartOf, ncYearFromDateOfBirth, ncYearLabel } from './calendar.ts';
import { normaliseYearGroups, sameClassName, yearGroupsLabel } from './classes.ts';
import { formatDate, type IsoDate, toIsoDate } from './dates.ts';
import { isInRange, type YearGroupRange } from './school.ts';

/*
 * The year-end roll-over: one guided step that prepares the next academic year. Every pupil moves up
 * a year group (from their date of birth; a pupil taught out of year group keeps their override, one
 * year higher), each group of pupils goes to its class for the new year (the same class, another
 * class, a new class, or none), and the pupils in the school's oldest year group leave. Nothing about
 * a pupil's SEN record changes. The rules here are pure: the service reads the school, applies the
 * plan in one unit of work, and refuses a year already rolled over to.
 */

/** The roll-over to a new academic year opens on 1 July, after the summer term's transition days. */
export const ROLL_OVER_OPENS = { month: 7, day: 1 } as const;

/**
 * The academic year the school's classes are set up for: the last year it rolled over to, or (never
 * rolled over) the year in which it was set up.
 */
export function preparedYear(rolledOverTo: number | null, setUpOn: IsoDate, today: IsoDate): number {
  if (rolledOverTo !== null) return rolledOverTo;
  return academicYearStartOf(setUpOn < today ? setUpOn : today);
}

export type RollOverStatus =
  /** The roll-over from `fromYear` to `toYear` may be done now; `late` when that year has already begun. */
  | { kind: 'open'; fromYear: number; toYear: number; late: boolean }
  /** The next roll-over opens on `opensOn`. */
  | { kind: 'not_yet'; fromYear: number; toYear: number; opensOn: IsoDate };

/**
 * Which roll-over a school may do today. Normally the next academic year, from 1 July. A school that
 * did not roll over before September may still do so for the year that has begun.
 */
export function rollOverStatus(today: IsoDate, prepared: number): RollOverStatus {
  const current = academicYearStartOf(today);
  if (prepared < current) return { kind: 'open', fromYear: prepared, toYear: current, late: true };
  const toYear = prepared + 1;
  const opensOn = toIsoDate(toYear, ROLL_OVER_OPENS.month, ROLL_OVER_OPENS.day);
  if (today >= opensOn) return { kind: 'open', fromYear: prepared, toYear, late: false };
  return { kind: 'not_yet', fromYear: prepared, toYear, opensOn };
}

/** Why a roll-over to `year` cannot be done now, or null. */
export function rollOverYearProblem(
  year: number,
  rolledOverTo: number | null,
  status: RollOverStatus,
): string | null {
  if (rolledOverTo !== null && year <= rolledOverTo) {
    return `The school has already been rolled over to ${academicYearLabel(rolledOverTo)}: nothing has been done twice.`;
  }
  if (year !== status.toYear) {
    return `The school can be rolled over to ${academicYearLabel(status.toYear)} only, the year after the one its classes are set up for.`;
  }
  if (status.kind === 'not_yet') {
    return `The roll-over to ${academicYearLabel(status.toYear)} opens on ${formatDate(status.opensOn)}.`;
  }
  return null;
}

/** The leaving date offered for the oldest year group: the last day of the academic year they finish. */
export function defaultLeavingDate(toYear: number): IsoDate {
  return toIsoDate(toYear, 8, 31);
}

/** The dates a leaving date may fall on: the academic year the leavers finish. */
export function leavingDateProblem(leftOn: IsoDate, toYear: number): string | null {
  const first = toIsoDate(toYear - 1, 9, 1);
  const last = defaultLeavingDate(toYear);
  if (leftOn < first || leftOn > last) {
    return `The leaving date must be in ${academicYearLabel(toYear - 1)}: from ${formatDate(first)} to ${formatDate(last)}`;
  }
  return null;
}

export interface RollOverPupil {
  id: string;
  forename: string;
  surname: string;
  dateOfBirth: IsoDate;
  classId: string | null;
  ncYearOverride: number | null;
}

export interface RollOverClass {
  id: string;
  name: string;
  ncYears: number[];
}

export interface RollOverState {
  fromYear: number;
  toYear: number;
  range: YearGroupRange;
  /** Classes in use. */
  classes: RollOverClass[];
  /** Pupils on roll. */
  pupils: RollOverPupil[];
}

/** A pupil's year group in the academic year the school's classes are set up for. */
export function yearGroupBefore(p: RollOverPupil, fromYear: number): number {
  return p.ncYearOverride ?? ncYearFromDateOfBirth(p.dateOfBirth, fromYear);
}

/**
 * A pupil's year group in the new academic year: from their date of birth, or their override moved
 * up by as many years as the roll-over spans (one, unless a year was missed).
 */
export function yearGroupAfter(p: RollOverPupil, fromYear: number, toYear: number): number {
  if (p.ncYearOverride !== null) return p.ncYearOverride + (toYear - fromYear);
  return ncYearFromDateOfBirth(p.dateOfBirth, toYear);
}

export type Destination =
  | { kind: 'class'; classId: string }
  | { kind: 'new'; name: string }
  | { kind: 'none' };

/** How to fill in the mapping first: by year group (the usual), or keeping every class's pupils together. */
export type DefaultMode = 'year_group' | 'same_class';

export interface GroupPupil {
  id: string;
  name: string;
  before: number;
  after: number;
  outOfYearGroup: boolean;
}

/** Pupils of one class going into one year group: they go to one class together. */
export interface RollOverGroup {
  key: string;
  fromClassId: string | null;
  fromClassName: string | null;
  after: number;
  pupils: GroupPupil[];
  suggested: Destination;
  /** More than one class teaches the new year group: the suggestion needs a look. */
  ambiguous: boolean;
}

export interface Leaver {
  id: string;
  name: string;
  classId: string | null;
  className: string | null;
  before: number;
}

export function groupKey(classId: string | null, after: number): string {
  return `${classId ?? 'none'}_${after}`;
}

const fullName = (p: RollOverPupil) => `${p.surname}, ${p.forename}`;
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'en-GB');

/** A class's name without its year group ("3B" and "Year 4 B" both give "b"): a stream kept from year to year. */
export function streamOf(name: string): string {
  return name
    .toLocaleLowerCase('en-GB')
    .replace(/\b(year|yr|y)\s*\d+\b/g, ' ')
    .replace(/\b(reception|nursery)\b/g, ' ')
    .replace(/\d+/g, ' ')
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

/**
 * Where a group goes unless the user says otherwise. By year group: its own class if that class
 * teaches the new year group (a mixed-age class keeping its younger pupils), else the one class that
 * teaches it. Where several do (two-form entry), the one in the same stream ("3B" to "4B"), else the
 * one in the same place in the list ("the second Year 3 class to the second Year 4 class"), flagged
 * for a look; failing all that, its own class. Keeping classes together: its own class. Pupils with no
 * class go to the one class teaching their new year group, if there is exactly one.
 */
export function suggestedDestination(
  fromClass: RollOverClass | null,
  after: number,
  classes: readonly RollOverClass[],
  mode: DefaultMode,
): { destination: Destination; ambiguous: boolean } {
  const teaching = classes.filter((c) => c.ncYears.includes(after));
  const to = (c: RollOverClass, ambiguous: boolean) => ({
    destination: { kind: 'class' as const, classId: c.id },
    ambiguous,
  });
  if (fromClass && (mode === 'same_class' || fromClass.ncYears.includes(after))) return to(fromClass, false);
  if (teaching.length === 1) return to(teaching[0]!, false);
  if (fromClass && teaching.length > 1) {
    const stream = streamOf(fromClass.name);
    const sameStream = stream ? teaching.filter((c) => streamOf(c.name) === stream) : [];
    if (sameStream.length === 1) return to(sameStream[0]!, false);
    const key = (c: RollOverClass) => [...c.ncYears].sort((a, b) => a - b).join(',');
    const parallel = classes.filter((c) => key(c) === key(fromClass));
    if (parallel.length === teaching.length) return to(teaching[parallel.indexOf(fromClass)]!, true);
    return to(fromClass, true);
  }
  if (fromClass) return to(fromClass, false);
  return { destination: { kind: 'none' }, ambiguous: teaching.length > 1 };
}

/** The groups of pupils moving up, by class and new year group, and the pupils leaving. */
export function rollOverGroups(
  state: RollOverState,
  mode: DefaultMode = 'year_group',
): { groups: RollOverGroup[]; leavers: Leaver[] } {
  const classById = new Map(state.classes.map((c) => [c.id, c]));
  const groups = new Map<string, RollOverGroup>();
  const leavers: Leaver[] = [];
  for (const p of state.pupils) {
    const before = yearGroupBefore(p, state.fromYear);
    const after = yearGroupAfter(p, state.fromYear, state.toYear);
    const fromClass = p.classId ? (classById.get(p.classId) ?? null) : null;
    if (after > state.range.highest) {
      leavers.push({
        id: p.id,
        name: fullName(p),
        classId: p.classId,
        className: fromClass?.name ?? null,
        before,
      });
      continue;
    }
    // A pupil in a class no longer in use is treated as having no class.
    const classId = fromClass?.id ?? null;
    const key = groupKey(classId, after);
    let group = groups.get(key);
    if (!group) {
      const { destination, ambiguous } = suggestedDestination(fromClass, after, state.classes, mode);
      group = {
        key,
        fromClassId: classId,
        fromClassName: fromClass?.name ?? null,
        after,
        pupils: [],
        suggested: destination,
        ambiguous,
      };
      groups.set(key, group);
    }
    group.pupils.push({
      id: p.id,
      name: fullName(p),
      before,
      after,
      outOfYearGroup: p.ncYearOverride !== null,
    });
  }
  const order = new Map(state.classes.map((c, i) => [c.id, i]));
  const sorted = [...groups.values()].sort(
    (a, b) =>
      (a.fromClassId === null ? 1e6 : (order.get(a.fromClassId) ?? 0)) -
        (b.fromClassId === null ? 1e6 : (order.get(b.fromClassId) ?? 0)) || a.after - b.after,
  );
  for (const g of sorted) g.pupils.sort(byName);
  return { groups: sorted, leavers: leavers.sort(byName) };
}

export interface RollOverChoices {
  /** Where each group goes, by group key (what the form sent). */
  destinations: Record<string, Destination | undefined>;
  /** The pupils of the oldest year group who are leaving (the others stay on, in the same year group). */
  leaving: ReadonlySet<string>;
  leftOn: IsoDate | null;
  /** Where the leavers are going, for all of them. */
  destinationForAll: string | null;
  /** Where one pupil is going, when it differs. */
  destinationOf: Record<string, string | null | undefined>;
  /** Set each class's year groups to those of its pupils after the roll-over. */
  updateYearGroups: boolean;
}

export interface RollOverProblem {
  field: string;
  message: string;
}

export interface PlannedMove {
  pupilId: string;
  fromClassId: string | null;
  /** A class in use, a class created by the roll-over (by name), or no class. */
  to: { classId: string } | { newClass: string } | null;
}

export interface RollOverPlan {
  fromYear: number;
  toYear: number;
  newClasses: { name: string; ncYears: number[]; pupils: number }[];
  moves: PlannedMove[];
  leavers: { pupilId: string; name: string; leftOn: IsoDate; destination: string | null }[];
  /** Pupils of the oldest year group who stay on: kept in their year group, in their class. */
  stayingOn: { pupilId: string; name: string; ncYearOverride: number }[];
  /** Pupils taught out of year group whose override moves up. */
  overridesMovedUp: string[];
  overrideShift: number;
  /** Classes whose pupils will be in year groups they do not teach, with the year groups they would teach. */
  yearGroupChanges: { classId: string; name: string; from: number[]; to: number[] }[];
  /** Whether those year groups are changed by the roll-over. */
  updateYearGroups: boolean;
  summary: {
    movingUp: number;
    stayingInClass: number;
    changingClass: number;
    toNoClass: number;
    leaving: number;
    stayingOn: number;
    overridesMovedUp: number;
    /** Classes in use with no pupils after the roll-over (ready for new pupils). */
    emptyClasses: string[];
    /** How many pupils each class will have, classes in use first then new ones. */
    classSizes: { name: string; pupils: number; isNew: boolean }[];
  };
}

/**
 * The whole roll-over worked out from the school as it is and the choices on the preview page: what
 * will be created, moved and marked, or every problem with the choices at once.
 */
export function planRollOver(
  state: RollOverState,
  choices: RollOverChoices,
): { ok: true; plan: RollOverPlan } | { ok: false; errors: RollOverProblem[] } {
  const { groups, leavers } = rollOverGroups(state);
  const errors: RollOverProblem[] = [];
  const classById = new Map(state.classes.map((c) => [c.id, c]));
  const newClasses = new Map<string, { name: string; ncYears: Set<number>; pupils: number }>();
  const finalClass = new Map<string, { classId: string } | { newClass: string } | null>();
  const moves: PlannedMove[] = [];
  const overridesMovedUp: string[] = [];

  for (const g of groups) {
    const d = choices.destinations[g.key];
    const field = `to-${g.key}`;
    let to: { classId: string } | { newClass: string } | null = null;
    if (!d) {
      errors.push({ field, message: `Choose where ${describeGroup(g)} go` });
      continue;
    }
    if (d.kind === 'class') {
      if (!classById.has(d.classId)) {
        errors.push({ field, message: `Choose a class from the list for ${describeGroup(g)}` });
        continue;
      }
      to = { classId: d.classId };
    } else if (d.kind === 'new') {
      const name = d.name.trim();
      if (!name) {
        errors.push({
          field: `newName-${g.key}`,
          message: `Enter a name for the new class for ${describeGroup(g)}`,
        });
        continue;
      }
      const existing = state.classes.find((c) => sameClassName(c.name, name));
      if (existing) {
        errors.push({
          field: `newName-${g.key}`,
          message: `A class named ${existing.name} already exists: choose it from the list for ${describeGroup(g)}, or give the new class another name`,
        });
        continue;
      }
      const already = [...newClasses.values()].find((c) => sameClassName(c.name, name));
      const entry = already ?? { name, ncYears: new Set<number>(), pupils: 0 };
      if (!already) newClasses.set(name, entry);
      if (isInRange(g.after, state.range)) entry.ncYears.add(g.after);
      entry.pupils += g.pupils.length;
      to = { newClass: entry.name };
    }
    for (const p of g.pupils) {
      finalClass.set(p.id, to);
      const moving =
        to === null ? g.fromClassId !== null : !('classId' in to) || to.classId !== g.fromClassId;
      if (moving) moves.push({ pupilId: p.id, fromClassId: g.fromClassId, to });
      if (p.outOfYearGroup) overridesMovedUp.push(p.id);
    }
  }

  for (const c of newClasses.values()) {
    if (c.ncYears.size === 0) {
      errors.push({
        field: 'form',
        message: `The new class ${c.name} would teach no year group of the school: choose another class for its pupils`,
      });
    }
  }

  const leaving = leavers.filter((l) => choices.leaving.has(l.id));
  if (leaving.length > 0) {
    if (!choices.leftOn) errors.push({ field: 'leftOn', message: 'Enter the date they leave' });
    else {
      const problem = leavingDateProblem(choices.leftOn, state.toYear);
      if (problem) errors.push({ field: 'leftOn', message: problem });
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const stayingOn = leavers
    .filter((l) => !choices.leaving.has(l.id))
    .map((l) => ({ pupilId: l.id, name: l.name, ncYearOverride: l.before }));

  // Who is in each class after the roll-over: the year groups its pupils will be in.
  const yearsAfter = new Map<string, Set<number>>();
  const countAfter = new Map<string, number>();
  const place = (classId: string, year: number) => {
    if (!yearsAfter.has(classId)) yearsAfter.set(classId, new Set());
    if (isInRange(year, state.range)) yearsAfter.get(classId)!.add(year);
    countAfter.set(classId, (countAfter.get(classId) ?? 0) + 1);
  };
  for (const g of groups) {
    for (const p of g.pupils) {
      const to = finalClass.get(p.id);
      if (to && 'classId' in to) place(to.classId, p.after);
    }
  }
  for (const l of leavers) {
    if (!choices.leaving.has(l.id) && l.classId && classById.has(l.classId)) {
      place(l.classId, l.before);
    }
  }
  const yearGroupChanges = state.classes
    .filter((c) => {
      const years = yearsAfter.get(c.id);
      return years && years.size > 0 && [...years].some((y) => !c.ncYears.includes(y));
    })
    .map((c) => ({
      classId: c.id,
      name: c.name,
      from: normaliseYearGroups(c.ncYears),
      to: normaliseYearGroups([...yearsAfter.get(c.id)!]),
    }));

  const destinationFor = (id: string) => {
    const own = choices.destinationOf[id]?.trim();
    return own || choices.destinationForAll?.trim() || null;
  };
  const plannedNew = [...newClasses.values()].map((c) => ({
    name: c.name,
    ncYears: normaliseYearGroups([...c.ncYears]),
    pupils: c.pupils,
  }));
  const movingUp = groups.reduce((n, g) => n + g.pupils.length, 0);
  const toNoClass = moves.filter((m) => m.to === null).length;
  return {
    ok: true,
    plan: {
      fromYear: state.fromYear,
      toYear: state.toYear,
      newClasses: plannedNew,
      moves,
      leavers: leaving.map((l) => ({
        pupilId: l.id,
        name: l.name,
        leftOn: choices.leftOn!,
        destination: destinationFor(l.id),
      })),
      stayingOn,
      overridesMovedUp,
      overrideShift: state.toYear - state.fromYear,
      yearGroupChanges,
      updateYearGroups: choices.updateYearGroups,
      summary: {
        movingUp,
        stayingInClass: movingUp - moves.length,
        changingClass: moves.length - toNoClass,
        toNoClass,
        leaving: leaving.length,
        stayingOn: stayingOn.length,
        overridesMovedUp: overridesMovedUp.length,
        emptyClasses: state.classes.filter((c) => !countAfter.get(c.id)).map((c) => c.name),
        classSizes: [
          ...state.classes.map((c) => ({ name: c.name, pupils: countAfter.get(c.id) ?? 0, isNew: false })),
          ...plannedNew.map((c) => ({ name: c.name, pupils: c.pupils, isNew: true })),
        ],
      },
    },
  };
}

/** "Oak’s pupils going into Year 4", "pupils with no class going into Reception". */
export function describeGroup(g: Pick<RollOverGroup, 'fromClassName' | 'after'>): string {
  return g.fromClassName
    ? `${g.fromClassName}’s pupils going into ${ncYearLabel(g.after)}`
    : `pupils with no class going into ${ncYearLabel(g.after)}`;
}

/** A class as the mapping lists it: "Oak (Year 3)". */
export function classChoiceLabel(c: RollOverClass): string {
  return `${c.name} (${yearGroupsLabel(c.ncYears)})`;
}
