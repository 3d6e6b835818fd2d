import { describe, expect, it } from 'vitest';
import {
  addSchoolDays,
  escalationProblem,
  isResponseOverdue,
  nextStage,
  outcomeProblem,
  RESPONSE_RULE,
  responseDueOn,
  responseDueText,
} from './complaints.ts';
import { formatDate } from './dates.ts';

describe('the response deadline of a complaint’s stage', () => {
  it('is 15 school days after the stage starts, weekends not counted', () => {
    // Monday 2 November 2026: three weeks of school days later is Monday 23 November.
    expect(responseDueOn('2026-11-02')).toBe('2026-11-23');
  });

  it('skips the Christmas holiday', () => {
    // Friday 11 December 2026: 5 school days to Friday 18 December, then 10 from Monday 4 January.
    expect(responseDueOn('2026-12-11')).toBe('2027-01-15');
  });

  it('skips October half term', () => {
    // Thursday 22 October 2026: Friday 23rd is one, half term 26–30, then 14 more from 2 November.
    expect(responseDueOn('2026-10-22')).toBe('2026-11-19');
  });

  it('counts from a stage started at a weekend as from the Monday', () => {
    expect(responseDueOn('2026-11-07')).toBe(responseDueOn('2026-11-06'));
    expect(addSchoolDays('2026-11-07', 1)).toBe('2026-11-09');
  });

  it('says the rule in words', () => {
    expect(RESPONSE_RULE).toContain('15 school days');
  });

  it('is overdue only once the due date has passed with no response sent', () => {
    expect(isResponseOverdue({ responseDueOn: '2026-11-20', respondedOn: null }, '2026-11-20')).toBe(false);
    expect(isResponseOverdue({ responseDueOn: '2026-11-20', respondedOn: null }, '2026-11-23')).toBe(true);
    expect(isResponseOverdue({ responseDueOn: '2026-11-20', respondedOn: '2026-11-25' }, '2026-11-30')).toBe(
      false,
    );
  });

  it('reads as school days left, or overdue', () => {
    expect(
      responseDueText({ responseDueOn: '2026-11-25', respondedOn: null }, '2026-11-20', formatDate),
    ).toBe('Due 25 November 2026: 3 school days left');
    expect(
      responseDueText({ responseDueOn: '2026-11-18', respondedOn: null }, '2026-11-20', formatDate),
    ).toBe('Overdue: the response was due 18 November 2026 (2 school days ago)');
    expect(
      responseDueText({ responseDueOn: '2026-11-18', respondedOn: '2026-11-17' }, '2026-11-20', formatDate),
    ).toBe('Response sent 17 November 2026');
  });
});

describe('escalation and outcomes', () => {
  it('goes SENCo → head teacher → governors’ panel, and no further', () => {
    expect(nextStage('senco')).toBe('head_teacher');
    expect(nextStage('head_teacher')).toBe('governors_panel');
    expect(nextStage('governors_panel')).toBeNull();
  });

  it('escalates only an open formal complaint whose stage was answered', () => {
    const open = { kind: 'formal', status: 'open', stage: 'senco', stageResponded: true } as const;
    expect(escalationProblem(open)).toBeNull();
    expect(escalationProblem({ ...open, stageResponded: false })).toMatch(/Record the response/);
    expect(escalationProblem({ ...open, kind: 'concern' })).toMatch(/no stages/);
    expect(escalationProblem({ ...open, status: 'closed' })).toMatch(/closed/);
    expect(escalationProblem({ ...open, stage: 'governors_panel' })).toMatch(/last stage/);
  });

  it('closes a concern as resolved or withdrawn, a formal complaint as upheld or not', () => {
    expect(outcomeProblem('concern', 'resolved')).toBeNull();
    expect(outcomeProblem('concern', 'upheld')).not.toBeNull();
    expect(outcomeProblem('formal', 'partly_upheld')).toBeNull();
    expect(outcomeProblem('formal', 'resolved')).not.toBeNull();
    expect(outcomeProblem('formal', 'withdrawn')).toBeNull();
  });
});
