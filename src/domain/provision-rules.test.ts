import { describe, expect, it } from 'vitest';
import {
  checkState,
  groupDatesProblems,
  groupProblems,
  interventionProblems,
  joiningProblem,
  leavingProblem,
  nextSessionDue,
  sessionDateProblem,
  sessionsADay,
  spellsOverlap,
  weekStartOf,
} from './provision-rules.ts';
import { STARTER_INTERVENTIONS } from './provision-starter.ts';

const reading = STARTER_INTERVENTIONS[0]!;

describe('the intervention catalogue', () => {
  it('ships a valid starter set covering reading, phonics, maths, speech and language, social skills, emotional literacy, sensory circuits and motor skills', () => {
    for (const i of STARTER_INTERVENTIONS) expect(interventionProblems(i), i.name).toEqual([]);
    const names = STARTER_INTERVENTIONS.map((i) => i.name.toLowerCase()).join(' | ');
    for (const word of [
      'reading',
      'phonics',
      'maths',
      'number',
      'speech',
      'language',
      'social',
      'emotional',
      'sensory',
      'motor',
    ])
      expect(names).toContain(word);
    expect(new Set(STARTER_INTERVENTIONS.map((i) => i.area)).size).toBe(4);
    expect(new Set(STARTER_INTERVENTIONS.map((i) => i.name)).size).toBe(STARTER_INTERVENTIONS.length);
  });

  it('refuses absurd minutes, sessions and group sizes, a missing or absurd fixed cost, and a named assessment without its name', () => {
    const problems = interventionProblems({
      ...reading,
      minutesPerSession: 0,
      sessionsPerWeek: 40,
      usualGroupSize: -2,
      costModel: 'agency',
      fixedCostPence: null,
      measureKind: 'named_assessment',
      measureName: null,
    });
    expect(problems.map((p) => p.field)).toEqual([
      'usualGroupSize',
      'sessionsPerWeek',
      'minutesPerSession',
      'fixedCost',
      'measureName',
    ]);
    expect(problems.find((p) => p.field === 'fixedCost')!.message).toBe(
      'Enter the agency’s charge per session',
    );
    expect(
      interventionProblems({ ...reading, costModel: 'per_term', fixedCostPence: 10_000_000 })[0]!.message,
    ).toBe('Enter a cost from £0.01 to £50,000.00');
    expect(interventionProblems({ ...reading, minutesPerSession: 600 })[0]!.field).toBe('minutesPerSession');
  });
});

describe('groups, members and sessions', () => {
  const g = { startDate: '2026-09-07', endDate: '2026-12-18' };

  it('refuses an end date before the start date', () => {
    expect(groupProblems({ ...g, endDate: '2026-09-01', sessionsPerWeek: 3, minutesPerSession: 30 })).toEqual(
      [{ field: 'endDate', message: 'The end date must be the same as or after the start date' }],
    );
  });

  it('lets a pupil join and leave only inside the group’s dates, leaving on or after they joined', () => {
    expect(joiningProblem(g, '2026-09-01')).toBe(
      'The group starts on 7 September 2026: enter a joining date from then',
    );
    expect(joiningProblem(g, '2027-01-04')).toMatch(/ends on 18 December 2026/);
    expect(joiningProblem(g, '2026-10-05')).toBeNull();
    expect(leavingProblem(g, '2026-10-05', '2026-10-02')).toBe(
      'They joined on 5 October 2026: enter a leaving date from then',
    );
    expect(leavingProblem(g, '2026-10-05', '2026-10-05')).toBeNull();
  });

  it('finds a pupil in a group twice: spells that share a day overlap, one after another do not', () => {
    const first = { joinedOn: '2026-09-07', leftOn: '2026-10-02' };
    expect(spellsOverlap(first, { joinedOn: '2026-10-02', leftOn: null })).toBe(true);
    expect(spellsOverlap(first, { joinedOn: '2026-10-05', leftOn: null })).toBe(false);
    expect(
      spellsOverlap({ joinedOn: '2026-09-07', leftOn: null }, { joinedOn: '2026-12-01', leftOn: null }),
    ).toBe(true);
  });

  it('records a session only inside the group’s dates and not in the future', () => {
    expect(sessionDateProblem(g, '2026-11-21', '2026-11-20')).toBe(
      'The date of the session must be today or in the past',
    );
    expect(sessionDateProblem(g, '2026-09-04', '2026-11-20')).toMatch(/started on 7 September 2026/);
    expect(sessionDateProblem({ ...g, endDate: '2026-10-23' }, '2026-11-02', '2026-11-20')).toMatch(
      /ended on 23 October 2026/,
    );
    expect(sessionDateProblem(g, '2026-11-20', '2026-11-20')).toBeNull();
  });

  it('allows one session a day, or two for a group meeting more than five times a week', () => {
    expect(sessionsADay(5)).toBe(1);
    expect(sessionsADay(10)).toBe(2);
  });

  it('keeps a group’s dates around what is recorded in it', () => {
    expect(
      groupDatesProblems(
        { startDate: '2026-09-14', endDate: '2026-10-01' },
        { firstJoined: '2026-09-07', lastLeft: null, firstSession: '2026-09-08', lastSession: '2026-10-09' },
      ),
    ).toEqual([
      { field: 'startDate', message: 'A pupil joined on 7 September 2026: the group must start by then' },
      {
        field: 'endDate',
        message: 'A session was held on 9 October 2026: the group must end on or after then',
      },
    ]);
  });
});

describe('the half-termly check', () => {
  it('a group running all of Autumn 1 with no check shows as missed on 20 November, and not once checked', () => {
    const group = { startDate: '2026-09-07', endDate: null };
    expect(checkState(group, [], '2026-11-20')).toMatchObject({
      missedLastHalfTerm: true,
      checkedThisHalfTerm: false,
      lastHalfTerm: { label: 'Autumn 1 2026/27' },
    });
    expect(checkState(group, ['2026-10-20'], '2026-11-20').missedLastHalfTerm).toBe(false);
    // A late check, early in the next half-term, covers the last one too.
    expect(checkState(group, ['2026-11-04'], '2026-11-20')).toMatchObject({
      missedLastHalfTerm: false,
      checkedThisHalfTerm: true,
    });
  });

  it('is not due for a group that ran less than two weeks of the last half-term', () => {
    expect(checkState({ startDate: '2026-10-19', endDate: null }, [], '2026-11-20').missedLastHalfTerm).toBe(
      false,
    );
    expect(
      checkState({ startDate: '2026-06-01', endDate: '2026-07-17' }, [], '2026-11-20').missedLastHalfTerm,
    ).toBe(false);
  });
});

describe('when a group’s next session is due', () => {
  const group = { startDate: '2026-09-07', endDate: null, sessionsPerWeek: 3 };
  const none = { thisWeek: 0, last: null };

  it('is today while the week’s sessions are not all held, and Monday once they are', () => {
    // Friday 20 November 2026.
    expect(weekStartOf('2026-11-20')).toBe('2026-11-16');
    expect(weekStartOf('2026-11-16')).toBe('2026-11-16');
    expect(weekStartOf('2026-11-22')).toBe('2026-11-16');
    expect(nextSessionDue(group, { thisWeek: 2, last: '2026-11-18' }, '2026-11-20')).toBe('2026-11-20');
    expect(nextSessionDue(group, { thisWeek: 3, last: '2026-11-19' }, '2026-11-20')).toBe('2026-11-23');
  });

  it('is the next school day when today’s session is held, skipping weekends and the usual holidays', () => {
    expect(nextSessionDue(group, { thisWeek: 1, last: '2026-11-18' }, '2026-11-18')).toBe('2026-11-19');
    expect(nextSessionDue(group, { thisWeek: 2, last: '2026-11-20' }, '2026-11-20')).toBe('2026-11-23');
    expect(nextSessionDue(group, none, '2026-11-21')).toBe('2026-11-23'); // Saturday
    // Friday 18 December, the week's sessions held: the Christmas holiday runs to 3 January.
    expect(nextSessionDue(group, { thisWeek: 3, last: '2026-12-18' }, '2026-12-18')).toBe('2027-01-04');
    // A group meeting twice a day may have its second session today.
    const twice = { ...group, sessionsPerWeek: 10 };
    expect(nextSessionDue(twice, { thisWeek: 1, last: '2026-11-20' }, '2026-11-20')).toBe('2026-11-20');
  });

  it('is its start date before it starts, and nothing once it has ended or ends first', () => {
    expect(nextSessionDue({ ...group, startDate: '2026-12-01' }, none, '2026-11-20')).toBe('2026-12-01');
    expect(nextSessionDue({ ...group, endDate: '2026-11-19' }, none, '2026-11-20')).toBeNull();
    expect(
      nextSessionDue({ ...group, endDate: '2026-11-20' }, { thisWeek: 3, last: '2026-11-20' }, '2026-11-20'),
    ).toBeNull();
  });
});
