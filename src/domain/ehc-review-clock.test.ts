import { describe, expect, it } from 'vitest';
import {
  addMonths,
  amendedPlanDueOn,
  decisionDueOn,
  dueBand,
  monthsEnd,
  noticeBy,
  noticeGiven,
  phaseTransfer,
  phaseTransferKind,
  phaseTransferOf,
  reportDueOn,
  reviewDueOn,
  reviewTimetable,
  termEnd,
  termlyListDueOn,
  twelveMonthsEnd,
  underFiveReview,
} from './ehc-review-clock.ts';
import { USUAL_YEAR_GROUPS } from './school.ts';

describe('twelveMonthsEnd: a review is due within twelve months of the plan, then of the last review', () => {
  it('ends the day before the same date a year on', () => {
    expect(twelveMonthsEnd('2026-12-07')).toBe('2027-12-06');
    expect(twelveMonthsEnd('2027-01-01')).toBe('2027-12-31');
  });
  it('from 1 March, ends on the last day of February, 29 February in a leap year', () => {
    expect(twelveMonthsEnd('2027-03-01')).toBe('2028-02-29');
    expect(twelveMonthsEnd('2026-03-01')).toBe('2027-02-28');
  });
  it('a plan finalised on 29 February: due by 28 February the next year', () => {
    expect(twelveMonthsEnd('2028-02-29')).toBe('2029-02-28');
  });
});

describe('worked example: a plan finalised on 29 February 2028', () => {
  it('its first review is due by 28 February 2029, and the next twelve months from that meeting', () => {
    expect(reviewDueOn({ issuedOn: '2028-02-29', lastReviewOn: null })).toBe('2029-02-28');
    // Reviewed on 14 February 2029: the next is due twelve months from the meeting, not from the plan.
    expect(reviewDueOn({ issuedOn: '2028-02-29', lastReviewOn: '2029-02-14' })).toBe('2030-02-13');
  });
  it('for a child under five, a review within six months is to be considered: by 28 August 2028', () => {
    const under = underFiveReview('2024-05-10', '2028-02-29');
    expect(under).toMatchObject({ threeMonthsOn: '2028-05-28', sixMonthsOn: '2028-08-28' });
    expect(under?.note).toContain('28 August 2028');
    // Five on the day counted from: no shorter review suggested.
    expect(underFiveReview('2023-02-28', '2028-02-29')).toBeNull();
  });
});

describe('months', () => {
  it('adds months, falling on the last day of a shorter month', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2027-01-31', -2)).toBe('2026-11-30');
  });
  it('six months from 31 August end on the last day of February; from 15 March, on 14 September', () => {
    expect(monthsEnd('2026-08-31', 6)).toBe('2027-02-28');
    expect(monthsEnd('2027-03-15', 6)).toBe('2027-09-14');
    expect(monthsEnd('2027-03-01', 12)).toBe(twelveMonthsEnd('2027-03-01'));
  });
});

describe('worked example: a review meeting on 20 December 2026, with the Christmas holidays between', () => {
  const meeting = '2026-12-20';
  it('invitations and the advice circulated by 6 December', () => {
    expect(noticeBy(meeting)).toBe('2026-12-06');
    expect(noticeGiven('2026-12-06', meeting)).toMatchObject({ days: 14, enough: true, warning: null });
    const short = noticeGiven('2026-12-10', meeting);
    expect(short.enough).toBe(false);
    expect(short.warning).toBe(
      'Less than two weeks’ notice: sent 10 days before it; it should have gone by 6 December 2026',
    );
    expect(noticeGiven('2026-12-21', meeting).warning).toContain('sent after the meeting');
  });
  it('the report by 3 January 2027 and the decision by 17 January: the holidays do not stretch them', () => {
    expect(reportDueOn(meeting)).toBe('2027-01-03');
    expect(decisionDueOn(meeting)).toBe('2027-01-17');
    expect(amendedPlanDueOn(meeting)).toBe('2027-03-14');
  });
  it('the timetable says the report’s two weeks fall in the holidays, and marks it overdue on 4 January', () => {
    const steps = reviewTimetable(
      {
        dueOn: '2027-01-10',
        meetingOn: meeting,
        held: true,
        invitationsSentOn: '2026-12-01',
        adviceCirculatedOn: '2026-12-08',
        reportSentOn: null,
      },
      '2027-01-04',
    );
    const by = (k: string) => steps.find((s) => s.kind === k);
    expect(by('meeting')).toMatchObject({ dueOn: '2027-01-10', doneOn: meeting, status: 'met' });
    expect(by('invitations')).toMatchObject({ dueOn: '2026-12-06', status: 'met' });
    expect(by('advice')).toMatchObject({ dueOn: '2026-12-06', status: 'late' });
    expect(by('report')).toMatchObject({ dueOn: '2027-01-03', status: 'overdue' });
    expect(by('report')?.note).toContain('0 school days');
    expect(by('decision')).toMatchObject({ dueOn: '2027-01-17', status: 'due' });
    expect(by('amended_plan')).toBeUndefined();
  });
  it('before the meeting is held, the report and the decision have no day yet', () => {
    const steps = reviewTimetable(
      {
        dueOn: '2027-01-10',
        meetingOn: meeting,
        held: false,
        invitationsSentOn: null,
        adviceCirculatedOn: null,
        reportSentOn: null,
      },
      '2026-12-07',
    );
    expect(steps.map((s) => [s.kind, s.status])).toEqual([
      ['meeting', 'due'],
      ['invitations', 'overdue'],
      ['advice', 'overdue'],
      ['report', 'waiting'],
    ]);
  });
});

describe('worked example: the 4 + 8 weeks of an amendment', () => {
  const meeting = '2027-03-01';
  it('the decision within four weeks of the meeting: 29 March 2027', () => {
    expect(decisionDueOn(meeting)).toBe('2027-03-29');
  });
  it('amendments sent on 20 March: the amended plan within eight weeks of them, by 15 May', () => {
    expect(amendedPlanDueOn(meeting, '2027-03-20')).toBe('2027-05-15');
  });
  it('never later than twelve weeks after the meeting (24 May), even when the amendments went late', () => {
    expect(amendedPlanDueOn(meeting)).toBe('2027-05-24');
    expect(amendedPlanDueOn(meeting, '2027-03-29')).toBe('2027-05-24');
    expect(amendedPlanDueOn(meeting, '2027-04-05')).toBe('2027-05-24');
  });
  it('the timetable shows the amended plan once the decision is to amend', () => {
    const steps = reviewTimetable(
      {
        dueOn: '2027-03-31',
        meetingOn: meeting,
        held: true,
        invitationsSentOn: '2027-02-01',
        adviceCirculatedOn: '2027-02-10',
        reportSentOn: '2027-03-10',
        decidedOn: '2027-03-20',
        decision: 'amend',
        amendmentsSentOn: '2027-03-20',
        amendedPlanIssuedOn: null,
      },
      '2027-05-16',
    );
    expect(steps.find((s) => s.kind === 'report')).toMatchObject({ status: 'met' });
    expect(steps.find((s) => s.kind === 'decision')).toMatchObject({ status: 'met' });
    expect(steps.find((s) => s.kind === 'amended_plan')).toMatchObject({
      dueOn: '2027-05-15',
      status: 'overdue',
    });
  });
});

describe('worked example: a Year 6 pupil’s phase transfer', () => {
  const primary = USUAL_YEAR_GROUPS.primary;
  it('is a transfer to secondary, due 15 February 2027, its meeting held by 23 November 2026', () => {
    const t = phaseTransferOf(6, primary, '2026-10-01');
    expect(t).toMatchObject({
      kind: 'to_secondary',
      movesOn: '2027-09-01',
      deadline: '2027-02-15',
      meetingBy: '2026-11-23',
      invitationsBy: '2026-11-09',
    });
    expect(t?.note).toBe(
      'A move in September 2027: the plan reviewed and amended, naming the next school, by 15 February 2027; hold the review meeting by 23 November 2026 (invitations by 9 November 2026)',
    );
  });
  it('Year 5 is not in a year of transfer; Year 2 is only at an infant school', () => {
    expect(phaseTransferKind(5, primary)).toBeNull();
    expect(phaseTransferKind(2, primary)).toBeNull();
    expect(phaseTransferKind(2, { lowest: 0, highest: 2 })).toBe('infant_to_junior');
    expect(phaseTransferKind(-1, primary)).toBe('early_years_to_school');
    expect(phaseTransferKind(8, USUAL_YEAR_GROUPS.middle)).toBe('to_secondary');
    expect(phaseTransferKind(7, USUAL_YEAR_GROUPS.secondary)).toBeNull();
  });
  it('Year 11 to post-16: 31 March, the meeting by 6 January', () => {
    expect(phaseTransferKind(11, USUAL_YEAR_GROUPS.secondary)).toBe('to_post16');
    expect(phaseTransfer('to_post16', 2026)).toMatchObject({
      deadline: '2027-03-31',
      meetingBy: '2027-01-06',
    });
  });
  it('in a leap year 15 February less twelve weeks is 23 November too', () => {
    expect(phaseTransfer('to_secondary', 2027)).toMatchObject({
      deadline: '2028-02-15',
      meetingBy: '2027-11-23',
    });
  });
});

describe('terms and the lists of reviews due', () => {
  it('terms end on 31 December, 31 March and 31 August', () => {
    expect(termEnd('2026-12-07')).toBe('2026-12-31');
    expect(termEnd('2027-02-01')).toBe('2027-03-31');
    expect(termEnd('2027-06-01')).toBe('2027-08-31');
  });
  it('bands a review by its due day: overdue, this term, next term, later', () => {
    const today = '2026-12-07';
    expect(dueBand('2026-12-06', today)).toBe('overdue');
    expect(dueBand('2026-12-07', today)).toBe('this_term');
    expect(dueBand('2026-12-31', today)).toBe('this_term');
    expect(dueBand('2027-01-01', today)).toBe('next_term');
    expect(dueBand('2027-03-31', today)).toBe('next_term');
    expect(dueBand('2027-04-01', today)).toBe('later');
  });
  it('the termly list reaches head teachers two weeks before the term starts', () => {
    expect(termlyListDueOn('2027-01-01')).toBe('2026-12-18');
  });
});
