import { describe, expect, it } from 'vitest';
import {
  actionOverdue,
  decisionProblems,
  halfTermLabel,
  halfTermsUpTo,
  mayPrepareFor,
  meetingHalfTerm,
  meetingOrder,
  previousMeetingHalfTerm,
} from './progress-meetings.ts';

describe('the half term a meeting is for', () => {
  it('numbers the half terms of an academic year 1 to 6 from the autumn', () => {
    expect(meetingHalfTerm('2026-11-20')).toMatchObject({ academicYear: 2026, halfTerm: 2 });
    expect(meetingHalfTerm('2026-09-01')).toMatchObject({ academicYear: 2026, halfTerm: 1 });
    expect(meetingHalfTerm('2027-02-19')).toMatchObject({ academicYear: 2026, halfTerm: 3 });
    expect(meetingHalfTerm('2027-02-20')).toMatchObject({ academicYear: 2026, halfTerm: 4 });
    expect(meetingHalfTerm('2027-07-10')).toMatchObject({ academicYear: 2026, halfTerm: 6 });
    expect(meetingHalfTerm('2026-08-31')).toMatchObject({ academicYear: 2025, halfTerm: 6 });
  });

  it('names a half term in words', () => {
    expect(halfTermLabel(2026, 2)).toBe('Autumn 2 2026/27');
    expect(meetingHalfTerm('2026-11-20').label).toBe(halfTermLabel(2026, 2));
  });

  it('goes back across the summer into the year before', () => {
    expect(previousMeetingHalfTerm({ academicYear: 2026, halfTerm: 1 })).toMatchObject({
      academicYear: 2025,
      halfTerm: 6,
    });
    expect(halfTermsUpTo('2026-11-20', 4).map((h) => [h.academicYear, h.halfTerm])).toEqual([
      [2026, 2],
      [2026, 1],
      [2025, 6],
      [2025, 5],
    ]);
  });

  it('prepares meetings for the current half term and those before, never a later one', () => {
    expect(mayPrepareFor('2026-11-20', { academicYear: 2026, halfTerm: 2 })).toBe(true);
    expect(mayPrepareFor('2026-11-20', { academicYear: 2025, halfTerm: 6 })).toBe(true);
    expect(mayPrepareFor('2026-11-20', { academicYear: 2026, halfTerm: 3 })).toBe(false);
    expect(mayPrepareFor('2026-11-20', { academicYear: 2027, halfTerm: 1 })).toBe(false);
  });
});

describe('a decision about one child', () => {
  const base = { notes: 'Phonics catch-up three times a week', actionOwnerId: null, actionDueOn: null };

  it('takes an action with both an owner and a date, or neither', () => {
    expect(decisionProblems({ ...base, decision: 'provision_change' }, '2026-11-18')).toEqual([]);
    expect(
      decisionProblems(
        { ...base, decision: 'provision_change', actionOwnerId: 'u1', actionDueOn: '2026-12-10' },
        '2026-11-18',
      ),
    ).toEqual([]);
    expect(
      decisionProblems({ ...base, decision: 'referral', actionOwnerId: 'u1' }, '2026-11-18').map(
        (p) => p.field,
      ),
    ).toEqual(['due']);
    expect(
      decisionProblems({ ...base, decision: 'referral', actionDueOn: '2026-12-01' }, '2026-11-18').map(
        (p) => p.field,
      ),
    ).toEqual(['owner']);
  });

  it('gives no one an action for "no action"', () => {
    const p = decisionProblems(
      { ...base, decision: 'no_action', actionOwnerId: 'u1', actionDueOn: '2026-12-01' },
      '2026-11-18',
    );
    expect(p).toHaveLength(1);
    expect(p[0]!.message).toMatch(/no action gives no one an action/);
    expect(decisionProblems({ ...base, notes: null, decision: 'no_action' }, null)).toEqual([]);
  });

  it('needs notes for "other" and for any action, and an action not due before the meeting', () => {
    expect(decisionProblems({ ...base, notes: null, decision: 'other' }, null)[0]!.field).toBe('notes');
    const early = decisionProblems(
      { ...base, decision: 'concern', actionOwnerId: 'u1', actionDueOn: '2026-11-01' },
      '2026-11-18',
    );
    expect(early.map((p) => p.message)).toEqual(['The action cannot be due before the meeting was held']);
  });

  it('counts an action overdue once its date has passed and it is not done', () => {
    expect(actionOverdue({ actionDueOn: '2026-11-19', actionDoneAt: null }, '2026-11-20')).toBe(true);
    expect(actionOverdue({ actionDueOn: '2026-11-20', actionDoneAt: null }, '2026-11-20')).toBe(false);
    expect(actionOverdue({ actionDueOn: '2026-11-19', actionDoneAt: new Date() }, '2026-11-20')).toBe(false);
  });
});

describe('the order of the prepared list', () => {
  it('puts pupils below their trajectory first, most subjects below first, then by name', () => {
    const p = (surname: string, belowIn: number) => ({ surname, forename: 'A', belowIn });
    expect(
      meetingOrder([p('Able', 0), p('Zed', 1), p('Moss', 3), p('Bell', 0)]).map((x) => x.surname),
    ).toEqual(['Moss', 'Zed', 'Able', 'Bell']);
  });
});
