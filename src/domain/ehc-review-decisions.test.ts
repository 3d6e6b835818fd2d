import { describe, expect, it } from 'vitest';
import {
  acceptedDecision,
  amendedPlanDueOn,
  decisionDueOn,
  decisionOnTime,
  decisionProblems,
  dueBand,
  keptPlanDates,
  nextTermStart,
  termAfter,
  termAround,
  termListDue,
} from './ehc-review-decisions.ts';

describe('terms, as the house counts them', () => {
  it('autumn runs 1 September to 31 December, spring to 31 March, summer to 31 August', () => {
    expect(termAround('2026-11-20')).toEqual({
      startsOn: '2026-09-01',
      endsOn: '2026-12-31',
      label: 'Autumn term 2026/27',
    });
    expect(termAround('2027-01-01')).toMatchObject({ startsOn: '2027-01-01', endsOn: '2027-03-31' });
    expect(termAround('2027-08-31')).toMatchObject({ startsOn: '2027-04-01', endsOn: '2027-08-31' });
  });
  it('the next term after summer is the autumn of the next school year', () => {
    expect(nextTermStart('2027-06-15')).toBe('2027-09-01');
    expect(nextTermStart('2026-12-31')).toBe('2027-01-01');
    expect(nextTermStart('2027-03-31')).toBe('2027-04-01');
    expect(termAfter('2026-11-20')).toMatchObject({ startsOn: '2027-01-01', endsOn: '2027-03-31' });
  });
});

describe('when a review falls due', () => {
  const today = '2026-11-20';
  it('before today is overdue; by 31 December this term; by 31 March next term; after that later', () => {
    expect(dueBand('2026-11-19', today)).toBe('overdue');
    expect(dueBand('2026-11-20', today)).toBe('this_term');
    expect(dueBand('2026-12-31', today)).toBe('this_term');
    expect(dueBand('2027-01-01', today)).toBe('next_term');
    expect(dueBand('2027-03-31', today)).toBe('next_term');
    expect(dueBand('2027-04-01', today)).toBe('later');
  });
});

describe('the termly list to head teachers', () => {
  it('opens four weeks before the term starts and is due two weeks before', () => {
    // The spring term starts on 1 January 2027: the list opens on 4 December, due by 18 December.
    expect(termListDue('2026-12-03')).toBeNull();
    expect(termListDue('2026-12-04')).toMatchObject({
      startsOn: '2027-01-01',
      sendBy: '2026-12-18',
      late: false,
    });
    expect(termListDue('2026-12-18')).toMatchObject({ late: false });
    // Not sent by then (the server was off): still sent until the term starts, and late.
    expect(termListDue('2026-12-19')).toMatchObject({ startsOn: '2027-01-01', late: true });
    // On the first day of a term, the next list is weeks away.
    expect(termListDue('2027-01-01')).toBeNull();
  });
  it('for the autumn term, opens on 4 August', () => {
    expect(termListDue('2027-08-03')).toBeNull();
    expect(termListDue('2027-08-04')).toMatchObject({ startsOn: '2027-09-01', endsOn: '2027-12-31' });
  });
});

describe('the decision and the amended plan: the 4 + 8 weeks of an amendment', () => {
  it('a meeting on 20 December, the holidays between: the decision by 17 January, the amended plan by 14 March', () => {
    expect(decisionDueOn('2026-12-20')).toBe('2027-01-17');
    expect(amendedPlanDueOn('2026-12-20')).toBe('2027-03-14');
    expect(decisionOnTime('2026-12-20', '2027-01-17')).toBe(true);
    expect(decisionOnTime('2026-12-20', '2027-01-18')).toBe(false);
  });
  it('keeping the plan moves the next review to twelve months from the meeting', () => {
    expect(keptPlanDates('2026-11-10')).toEqual({ lastReviewOn: '2026-11-10', reviewDueOn: '2027-11-09' });
    // A meeting on 29 February: the next review by 28 February.
    expect(keptPlanDates('2028-02-29').reviewDueOn).toBe('2029-02-28');
  });
});

describe('the rules of a decision', () => {
  const context = { meetingOn: '2026-11-10', today: '2026-11-20' };
  const keep = { decision: 'keep', decidedOn: '2026-11-18', reasons: null, ceaseReason: null };
  it('accepts keeping the plan without reasons', () => {
    expect(decisionProblems(keep, context)).toEqual([]);
    expect(acceptedDecision(keep)).toEqual({ decision: 'keep', ceaseReason: null });
  });
  it('asks for the decision, and a date on or after the meeting and not in the future', () => {
    expect(decisionProblems({ ...keep, decision: 'maybe' }, context).map((p) => p.field)).toEqual([
      'decision',
    ]);
    expect(acceptedDecision({ ...keep, decision: 'toString' })).toBeNull();
    expect(decisionProblems({ ...keep, decidedOn: null }, context)[0]?.message).toBe(
      'Enter the date of the decision',
    );
    expect(decisionProblems({ ...keep, decidedOn: '2026-11-09' }, context)[0]?.message).toBe(
      'The date of the decision must be on or after the review meeting (10 November 2026)',
    );
    expect(decisionProblems({ ...keep, decidedOn: '2026-11-21' }, context)[0]?.field).toBe('decidedOn');
  });
  it('to amend asks for the reasons', () => {
    expect(decisionProblems({ ...keep, decision: 'amend' }, context).map((p) => p.field)).toEqual([
      'reasons',
    ]);
    expect(decisionProblems({ ...keep, decision: 'amend', reasons: 'Outcomes met' }, context)).toEqual([]);
  });
  it('to cease asks for the reasons and SEN2’s reason', () => {
    expect(decisionProblems({ ...keep, decision: 'cease' }, context).map((p) => p.field)).toEqual([
      'reasons',
      'ceaseReason',
    ]);
    const cease = {
      ...keep,
      decision: 'cease',
      reasons: 'Needs met at SEN support',
      ceaseReason: 'needs_met',
    };
    expect(decisionProblems(cease, context)).toEqual([]);
    expect(acceptedDecision(cease)).toEqual({ decision: 'cease', ceaseReason: 'needs_met' });
    expect(decisionProblems({ ...cease, ceaseReason: 'constructor' }, context)[0]?.field).toBe('ceaseReason');
  });
});
