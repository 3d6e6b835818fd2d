import { describe, expect, it } from 'vitest';
import {
  adviceReceivedProblems,
  type DecisionRecord,
  decisionProblems,
  exceptionGroundProblems,
  latestIssue,
  latestWhether,
  mayStartDraftPlan,
  RECORDABLE_EXCEPTION_GROUNDS,
} from './ehc-case.ts';

const assessed: DecisionRecord = { kind: 'assess', decidedOn: '2026-03-01' };
const notAssessed: DecisionRecord = { kind: 'not_assess', decidedOn: '2026-02-20' };
const issuing: DecisionRecord = { kind: 'issue_plan', decidedOn: '2026-05-01' };
const notIssuing: DecisionRecord = { kind: 'not_issue_plan', decidedOn: '2026-05-01' };
const fields = (p: { field: string }[]) => p.map((x) => x.field);

describe('the decisions on a case', () => {
  it('the first decision whether to assess is taken, either way', () => {
    expect(decisionProblems([], { kind: 'assess', decidedOn: '2026-03-01', reasons: null })).toEqual([]);
    expect(decisionProblems([], { kind: 'not_assess', decidedOn: '2026-03-01', reasons: 'x' })).toEqual([]);
  });
  it('"assess" twice, or "not assess" after "assess" (1 March 2026), is refused', () => {
    expect(decisionProblems([assessed], { kind: 'assess', decidedOn: '2026-03-02', reasons: 'x' })).toEqual([
      {
        field: 'kind',
        message:
          'The authority decided to assess on 1 March 2026: that decision stands, and a second one cannot be recorded',
      },
    ]);
    expect(
      fields(decisionProblems([assessed], { kind: 'not_assess', decidedOn: '2026-03-02', reasons: 'x' })),
    ).toEqual(['kind']);
  });
  it('"not assess" twice is refused; "assess" after "not assess" (20 February) is a reconsideration: with reasons, dated on or after it', () => {
    expect(
      fields(decisionProblems([notAssessed], { kind: 'not_assess', decidedOn: '2026-03-02', reasons: 'x' })),
    ).toEqual(['kind']);
    expect(
      decisionProblems([notAssessed], {
        kind: 'assess',
        decidedOn: '2026-04-01',
        reasons: 'After mediation',
      }),
    ).toEqual([]);
    expect(
      decisionProblems([notAssessed], { kind: 'assess', decidedOn: '2026-04-01', reasons: ' ' }),
    ).toEqual([
      {
        field: 'reasons',
        message:
          'Give the reasons the authority decided again to assess: for example after mediation or an appeal',
      },
    ]);
    expect(
      decisionProblems([notAssessed], {
        kind: 'assess',
        decidedOn: '2026-02-19',
        reasons: 'After mediation',
      }),
    ).toEqual([
      {
        field: 'decidedOn',
        message: 'The date of the decision must be on or after the decision it replaces (20 February 2026)',
      },
    ]);
  });
  it('once reconsidered, the decision to assess stands: a third is refused', () => {
    const reconsidered: DecisionRecord = { kind: 'assess', decidedOn: '2026-04-01' };
    expect(
      fields(
        decisionProblems([notAssessed, reconsidered], {
          kind: 'not_assess',
          decidedOn: '2026-04-02',
          reasons: 'x',
        }),
      ),
    ).toEqual(['kind']);
  });
  it('a plan is decided on only after the decision to assess, and not before its date', () => {
    expect(
      fields(decisionProblems([], { kind: 'issue_plan', decidedOn: '2026-05-01', reasons: null })),
    ).toEqual(['kind']);
    expect(
      fields(
        decisionProblems([notAssessed], { kind: 'not_issue_plan', decidedOn: '2026-05-01', reasons: 'x' }),
      ),
    ).toEqual(['kind']);
    expect(
      decisionProblems([assessed], { kind: 'issue_plan', decidedOn: '2026-05-01', reasons: null }),
    ).toEqual([]);
    expect(
      fields(decisionProblems([assessed], { kind: 'issue_plan', decidedOn: '2026-02-28', reasons: null })),
    ).toEqual(['decidedOn']);
  });
  it('both "issue" and "not issue" is refused; "issue" after "not issue" is a reconsideration with reasons', () => {
    expect(
      fields(
        decisionProblems([assessed, issuing], {
          kind: 'not_issue_plan',
          decidedOn: '2026-05-02',
          reasons: 'x',
        }),
      ),
    ).toEqual(['kind']);
    expect(
      fields(
        decisionProblems([assessed, issuing], { kind: 'issue_plan', decidedOn: '2026-05-02', reasons: 'x' }),
      ),
    ).toEqual(['kind']);
    expect(
      fields(
        decisionProblems([assessed, notIssuing], {
          kind: 'not_issue_plan',
          decidedOn: '2026-05-02',
          reasons: 'x',
        }),
      ),
    ).toEqual(['kind']);
    expect(
      decisionProblems([assessed, notIssuing], {
        kind: 'issue_plan',
        decidedOn: '2026-06-01',
        reasons: 'The tribunal ordered a plan',
      }),
    ).toEqual([]);
    expect(
      fields(
        decisionProblems([assessed, notIssuing], {
          kind: 'issue_plan',
          decidedOn: '2026-06-01',
          reasons: null,
        }),
      ),
    ).toEqual(['reasons']);
  });
  it('the assessment is not decided again once a plan has been decided on', () => {
    expect(
      fields(
        decisionProblems([assessed, notIssuing], { kind: 'assess', decidedOn: '2026-06-01', reasons: 'x' }),
      ),
    ).toEqual(['kind']);
  });
  it('a panel’s discussion may be recorded at any time', () => {
    for (const existing of [[], [notAssessed], [assessed, issuing], [assessed, notIssuing]])
      expect(decisionProblems(existing, { kind: 'panel', decidedOn: '2026-06-01', reasons: null })).toEqual(
        [],
      );
  });
  it('the decision that counts is the latest of each kind', () => {
    const reconsidered: DecisionRecord = { kind: 'assess', decidedOn: '2026-04-01' };
    const reIssue: DecisionRecord = { kind: 'issue_plan', decidedOn: '2026-06-01' };
    const all = [notAssessed, reconsidered, notIssuing, reIssue];
    expect(latestWhether(all)).toBe(reconsidered);
    expect(latestIssue(all)).toBe(reIssue);
    expect(latestIssue([assessed])).toBeNull();
  });
});

describe('the day advice came', () => {
  const base = { requestReceivedOn: '2026-10-01', pupilDateOfBirth: '2018-03-14' };
  it('advice already held counts as recent from two years before the request: received 1 October 2026, from 1 October 2024', () => {
    expect(adviceReceivedProblems({ ...base, receivedOn: '2024-10-01', alreadyHeld: true })).toEqual([]);
    expect(adviceReceivedProblems({ ...base, receivedOn: '2024-09-30', alreadyHeld: true })).toEqual([
      {
        field: 'receivedOn',
        message:
          'Advice given more than two years before the request was received is not recent: ask for it again (advice already held must have come on or after 1 October 2024)',
      },
    ]);
  });
  it('1 January 1900 is before the child was born (14 March 2018): refused, held or asked', () => {
    for (const alreadyHeld of [true, false])
      expect(adviceReceivedProblems({ ...base, receivedOn: '1900-01-01', alreadyHeld })).toEqual([
        {
          field: 'receivedOn',
          message: 'The date the advice came cannot be before the child was born (14 March 2018)',
        },
      ]);
  });
  it('no date, or a child whose birth is not known, is left to the other checks', () => {
    expect(adviceReceivedProblems({ ...base, receivedOn: null, alreadyHeld: true })).toEqual([]);
    expect(
      adviceReceivedProblems({
        ...base,
        pupilDateOfBirth: null,
        receivedOn: '2025-01-01',
        alreadyHeld: true,
      }),
    ).toEqual([]);
  });
});

describe('the exceptions recorded by hand', () => {
  it('a school’s closure is found from its closure dates, not recorded by hand', () => {
    expect(exceptionGroundProblems('school_closure')).toEqual([
      {
        field: 'ground',
        message:
          'A school’s closure is found from the school’s closure dates when advice is asked of it: record the school’s closure under its settings',
      },
    ]);
    expect(Object.keys(RECORDABLE_EXCEPTION_GROUNDS)).toEqual([
      'early_years_closure',
      'personal_circumstances',
      'absence',
    ]);
    for (const ground of Object.keys(RECORDABLE_EXCEPTION_GROUNDS))
      expect(exceptionGroundProblems(ground)).toEqual([]);
    expect(fields(exceptionGroundProblems('toString'))).toEqual(['ground']);
  });
});

describe('the stages from which a draft plan may be started', () => {
  it('are assessing and every later stage that means a plan, never before assessing or after deciding against one', () => {
    for (const stage of ['assessing', 'drafting', 'draft_sent', 'plan_issued'])
      expect(mayStartDraftPlan(stage)).toBe(true);
    for (const stage of ['received', 'not_assessing', 'not_issuing', 'withdrawn', 'decided', 'nonsense'])
      expect(mayStartDraftPlan(stage)).toBe(false);
  });
});
