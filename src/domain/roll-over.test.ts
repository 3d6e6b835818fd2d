import { describe, expect, it } from 'vitest';
import { effectiveNcYear, schoolAcademicYearStart } from './calendar.ts';
import {
  archiveProblem,
  classMoveTitle,
  classYearGroupsProblem,
  lowestYearGroup,
  sameClassName,
  yearGroupsLabel,
} from './classes.ts';
import {
  defaultLeavingDate,
  groupKey,
  leavingDateProblem,
  planRollOver,
  preparedYear,
  type RollOverChoices,
  type RollOverState,
  rollOverGroups,
  rollOverStatus,
  rollOverYearProblem,
  streamOf,
  yearGroupAfter,
} from './roll-over.ts';
import { rangeLabel, usualYearGroups, yearGroupRangeProblem, yearGroupsOf } from './school.ts';

const pupil = (
  id: string,
  dateOfBirth: string,
  classId: string | null,
  ncYearOverride: number | null = null,
) => ({ id, forename: id, surname: `S-${id}`, dateOfBirth, classId, ncYearOverride });

// Born in 2018/19 → Year 3 in 2026/27, Year 4 in 2027/28. Born 2015/16 → Year 6 in 2026/27.
const Y3 = '2019-03-01';
const Y5 = '2017-03-01';
const Y6 = '2016-03-01';
const R = '2022-03-01';

const classes = [
  { id: 'robins', name: 'Robins', ncYears: [0, 1] },
  { id: 'oak', name: 'Oak', ncYears: [3] },
  { id: 'ash', name: 'Ash', ncYears: [4] },
  { id: 'willow', name: 'Willow', ncYears: [6] },
  { id: 'elm', name: 'Elm', ncYears: [5] },
];

const state = (pupils: ReturnType<typeof pupil>[]): RollOverState => ({
  fromYear: 2026,
  toYear: 2027,
  range: { lowest: -1, highest: 6 },
  classes,
  pupils,
});

const choose = (over: Partial<RollOverChoices> = {}): RollOverChoices => ({
  destinations: {},
  leaving: new Set(),
  leftOn: '2027-08-31',
  destinationForAll: null,
  destinationOf: {},
  updateYearGroups: false,
  ...over,
});

describe('the new year group', () => {
  it('comes from the date of birth for the new academic year', () => {
    const p = pupil('a', Y3, 'oak');
    expect(yearGroupAfter(p, 2026, 2027)).toBe(4);
  });

  it('moves a pupil taught out of year group up by one, keeping the override', () => {
    const p = pupil('b', Y3, 'oak', 2);
    expect(yearGroupAfter(p, 2026, 2027)).toBe(3);
    // A missed year moves them up by two.
    expect(yearGroupAfter(p, 2025, 2027)).toBe(4);
  });

  it('is counted in the year the school rolled over to, once it has', () => {
    // In July 2027 the date still says 2026/27; a school rolled over to 2027/28 counts that year.
    expect(schoolAcademicYearStart('2027-07-20', 2027)).toBe(2027);
    expect(schoolAcademicYearStart('2027-07-20', null)).toBe(2026);
    expect(schoolAcademicYearStart('2027-09-02', 2026)).toBe(2027);
    expect(effectiveNcYear(Y3, null, '2027-07-20', 2027)).toBe(4);
    expect(effectiveNcYear(Y3, null, '2027-07-20')).toBe(3);
  });
});

describe('when a roll-over may be done', () => {
  it('opens on 1 July for the next academic year', () => {
    expect(rollOverStatus('2027-06-30', 2026)).toEqual({
      kind: 'not_yet',
      fromYear: 2026,
      toYear: 2027,
      opensOn: '2027-07-01',
    });
    expect(rollOverStatus('2027-07-01', 2026)).toEqual({
      kind: 'open',
      fromYear: 2026,
      toYear: 2027,
      late: false,
    });
  });

  it('is still open, late, once the new year has begun', () => {
    expect(rollOverStatus('2027-09-10', 2026)).toEqual({
      kind: 'open',
      fromYear: 2026,
      toYear: 2027,
      late: true,
    });
  });

  it('counts a school never rolled over as set up for the year it was set up in', () => {
    expect(preparedYear(null, '2026-10-01', '2027-07-20')).toBe(2026);
    expect(preparedYear(2027, '2026-10-01', '2027-07-20')).toBe(2027);
    // A school set up this September has this year's classes: nothing to roll over until next July.
    expect(rollOverStatus('2027-09-20', preparedYear(null, '2027-09-05', '2027-09-20')).kind).toBe('not_yet');
  });

  it('refuses a year already rolled over to, and any other year than the next', () => {
    const done = rollOverStatus('2027-07-20', 2027);
    expect(rollOverYearProblem(2027, 2027, done)).toMatch(/already been rolled over to 2027\/28/);
    const open = rollOverStatus('2027-07-20', 2026);
    expect(rollOverYearProblem(2027, 2026, open)).toBeNull();
    expect(rollOverYearProblem(2028, 2026, open)).toMatch(/2027\/28 only/);
    expect(rollOverYearProblem(2027, null, rollOverStatus('2027-05-01', 2026))).toMatch(
      /opens on 1 July 2027/,
    );
  });
});

describe('the leaving date', () => {
  it('defaults to the last day of the academic year the leavers finish', () => {
    expect(defaultLeavingDate(2027)).toBe('2027-08-31');
  });
  it('must fall in that academic year', () => {
    expect(leavingDateProblem('2027-07-22', 2027)).toBeNull();
    expect(leavingDateProblem('2027-09-01', 2027)).toMatch(/from 1 September 2026 to 31 August 2027/);
    expect(leavingDateProblem('2026-08-31', 2027)).not.toBeNull();
  });
});

describe('the mapping and its defaults', () => {
  it('sends each class’s pupils to the one class teaching their new year group', () => {
    const { groups } = rollOverGroups(state([pupil('a', Y3, 'oak'), pupil('b', Y5, 'elm')]));
    const oak = groups.find((g) => g.fromClassId === 'oak')!;
    expect(oak.after).toBe(4);
    expect(oak.suggested).toEqual({ kind: 'class', classId: 'ash' });
    // Nobody teaches Year 6's successor... Elm's Year 5 go to Willow (Year 6).
    expect(groups.find((g) => g.fromClassId === 'elm')!.suggested).toEqual({
      kind: 'class',
      classId: 'willow',
    });
  });

  it('keeps a mixed-age class’s younger pupils in their class and moves the older ones on', () => {
    const { groups } = rollOverGroups(state([pupil('r', R, 'robins'), pupil('one', '2021-03-01', 'robins')]));
    expect(groups.find((g) => g.key === groupKey('robins', 1))!.suggested).toEqual({
      kind: 'class',
      classId: 'robins',
    });
    // Year 2 is taught nowhere: they stay in their class until the user chooses.
    expect(groups.find((g) => g.key === groupKey('robins', 2))!.suggested).toEqual({
      kind: 'class',
      classId: 'robins',
    });
  });

  it('defaults to the class of the same name when classes move up with their pupils', () => {
    const { groups } = rollOverGroups(state([pupil('a', Y3, 'oak')]), 'same_class');
    expect(groups[0]!.suggested).toEqual({ kind: 'class', classId: 'oak' });
  });

  it('flags a suggestion when two classes teach the new year group', () => {
    const twoForm: RollOverState = {
      ...state([pupil('a', Y3, 'oak')]),
      classes: [...classes, { id: 'beech', name: 'Beech', ncYears: [4] }],
    };
    const { groups } = rollOverGroups(twoForm);
    expect(groups[0]!.suggested).toEqual({ kind: 'class', classId: 'oak' });
    expect(groups[0]!.ambiguous).toBe(true);
  });

  it('pairs the classes of a two-form entry by stream, else by their place in the list', () => {
    const twoForm = (names: [string, string, string, string]): RollOverState => ({
      ...state([pupil('a', Y3, 'c1'), pupil('b', Y3, 'c2')]),
      classes: [
        { id: 'c1', name: names[0], ncYears: [3] },
        { id: 'c2', name: names[1], ncYears: [3] },
        { id: 'd1', name: names[2], ncYears: [4] },
        { id: 'd2', name: names[3], ncYears: [4] },
      ],
    });
    const streams = rollOverGroups(twoForm(['3W', '3H', '4H', '4W'])).groups;
    expect(streams.map((g) => [g.fromClassId, g.suggested, g.ambiguous])).toEqual([
      ['c1', { kind: 'class', classId: 'd2' }, false],
      ['c2', { kind: 'class', classId: 'd1' }, false],
    ]);
    const trees = rollOverGroups(
      twoForm(['Year 3 Maple', 'Year 3 Willow', 'Year 4 Cedar', 'Year 4 Holly']),
    ).groups;
    expect(trees.map((g) => [g.fromClassId, g.suggested, g.ambiguous])).toEqual([
      ['c1', { kind: 'class', classId: 'd1' }, true],
      ['c2', { kind: 'class', classId: 'd2' }, true],
    ]);
    expect(streamOf('Year 4 Oak')).toBe('oak');
    expect(streamOf('Reception')).toBe('');
  });

  it('marks the school’s oldest year group as leaving', () => {
    const { groups, leavers } = rollOverGroups(state([pupil('six', Y6, 'willow'), pupil('a', Y3, 'oak')]));
    expect(leavers.map((l) => l.id)).toEqual(['six']);
    expect(groups.flatMap((g) => g.pupils.map((p) => p.id))).toEqual(['a']);
  });
});

describe('the plan', () => {
  const s = state([
    pupil('a', Y3, 'oak'),
    pupil('b', Y3, 'oak', 2),
    pupil('six', Y6, 'willow'),
    pupil('stay', Y6, 'willow'),
    pupil('loose', Y5, null),
  ]);
  const oakY4 = groupKey('oak', 4);
  const oakY3 = groupKey('oak', 3);
  const none6 = groupKey(null, 6);

  it('moves, creates, marks leavers and moves overrides up', () => {
    const result = planRollOver(
      s,
      choose({
        destinations: {
          [oakY4]: { kind: 'class', classId: 'ash' },
          [oakY3]: { kind: 'new', name: 'Hazel' },
          [none6]: { kind: 'class', classId: 'willow' },
        },
        leaving: new Set(['six']),
        destinationForAll: 'Northshire Academy',
        destinationOf: { six: '' },
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const plan = result.plan;
    expect(plan.moves).toEqual([
      { pupilId: 'b', fromClassId: 'oak', to: { newClass: 'Hazel' } },
      { pupilId: 'a', fromClassId: 'oak', to: { classId: 'ash' } },
      { pupilId: 'loose', fromClassId: null, to: { classId: 'willow' } },
    ]);
    expect(plan.newClasses).toEqual([{ name: 'Hazel', ncYears: [3], pupils: 1 }]);
    expect(plan.leavers).toEqual([
      { pupilId: 'six', name: 'S-six, six', leftOn: '2027-08-31', destination: 'Northshire Academy' },
    ]);
    expect(plan.stayingOn).toEqual([{ pupilId: 'stay', name: 'S-stay, stay', ncYearOverride: 6 }]);
    expect(plan.overridesMovedUp).toEqual(['b']);
    expect(plan.overrideShift).toBe(1);
    expect(plan.summary).toMatchObject({ movingUp: 3, changingClass: 3, leaving: 1, stayingOn: 1 });
    expect(plan.summary.emptyClasses).toEqual(['Robins', 'Oak', 'Elm']);
  });

  it('lists every problem at once: a group left out, a new class with no name or a name in use, no leaving date', () => {
    const result = planRollOver(
      s,
      choose({
        destinations: { [oakY4]: { kind: 'new', name: ' oak ' }, [oakY3]: { kind: 'new', name: '' } },
        leaving: new Set(['six']),
        leftOn: null,
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual([
      `newName-${oakY3}`,
      `newName-${oakY4}`,
      `to-${none6}`,
      'leftOn',
    ]);
    expect(result.errors[1]!.message).toMatch(/A class named Oak already exists/);
  });

  it('refuses a class that is not in use', () => {
    const result = planRollOver(
      s,
      choose({
        destinations: {
          [oakY4]: { kind: 'class', classId: 'gone' },
          [oakY3]: { kind: 'none' },
          [none6]: { kind: 'none' },
        },
      }),
    );
    expect(result.ok).toBe(false);
  });

  it('proposes year groups for classes whose pupils will be in other year groups', () => {
    const result = planRollOver(
      s,
      choose({
        destinations: {
          [oakY4]: { kind: 'class', classId: 'oak' },
          [oakY3]: { kind: 'class', classId: 'oak' },
          [none6]: { kind: 'none' },
        },
      }),
    );
    if (!result.ok) throw new Error('expected a plan');
    expect(result.plan.yearGroupChanges).toEqual([{ classId: 'oak', name: 'Oak', from: [3], to: [3, 4] }]);
    expect(result.plan.moves).toEqual([]);
  });
});

describe('classes', () => {
  it('keep the lowest year group for ordering and read naturally', () => {
    expect(lowestYearGroup([4, 3])).toBe(3);
    expect(lowestYearGroup([])).toBeNull();
    expect(yearGroupsLabel([1, 0])).toBe('Reception and Year 1');
    expect(yearGroupsLabel([4, 5, 6])).toBe('Year 4, Year 5 and Year 6');
  });
  it('count a name used twice whatever its capitals', () => {
    expect(sameClassName('Oak ', 'oak')).toBe(true);
    expect(sameClassName('Oak', 'Oaks')).toBe(false);
  });
  it('teach year groups of the school only', () => {
    expect(classYearGroupsProblem([], { lowest: 0, highest: 6 })).toMatch(/Select the year groups/);
    expect(classYearGroupsProblem([7], { lowest: 0, highest: 6 })).toMatch(/from the list/);
    expect(classYearGroupsProblem([0, 1], { lowest: 0, highest: 6 })).toBeNull();
  });
  it('are archived only once empty, with a message saying how many pupils to move', () => {
    expect(archiveProblem('Oak', 0)).toBeNull();
    expect(archiveProblem('Oak', 28)).toMatch(
      /Oak still has 28 pupils\. Move them all to another class first/,
    );
    expect(archiveProblem('Oak', 1)).toMatch(/1 pupil\. Move them/);
  });
  it('describe a move in the chronology', () => {
    expect(classMoveTitle('Oak', 'Ash')).toBe('Moved from Oak to Ash');
    expect(classMoveTitle(null, 'Ash')).toBe('Put in Ash');
  });
});

describe('the school’s year groups', () => {
  it('start from the phase and can be any range from youngest to oldest', () => {
    expect(usualYearGroups('secondary')).toEqual({ lowest: 7, highest: 11 });
    expect(yearGroupsOf({ lowest: -1, highest: 2 })).toEqual([-1, 0, 1, 2]);
    expect(rangeLabel({ lowest: -1, highest: 6 })).toBe('Nursery to Year 6');
    expect(yearGroupRangeProblem({ lowest: 6, highest: 0 })).not.toBeNull();
    expect(yearGroupRangeProblem({ lowest: 0, highest: 0 })).toBeNull();
  });
});
