import { describe, expect, it } from 'vitest';
import {
  type ClockAdvice,
  type ClockInput,
  closureWindow,
  commentPeriodEnds,
  earliestFinalDay,
  ehcClock,
  stageOf,
  twentyWeekOutcome,
} from './ehc-clock.ts';

const SCHOOL = 'school-1';

function input(over: Partial<ClockInput> = {}): ClockInput {
  return {
    receivedOn: '2026-07-15',
    decisions: [],
    advice: [],
    exceptions: [],
    closures: [],
    draftSentOn: null,
    finalIssuedOn: null,
    ...over,
  };
}

function askedOfSchool(requestedOn: string, over: Partial<ClockAdvice> = {}): ClockAdvice {
  return {
    id: 'a1',
    source: 'school',
    askedOf: 'Brookfield Primary',
    schoolId: SCHOOL,
    requestedOn,
    receivedOn: null,
    alreadyHeld: false,
    ...over,
  };
}

const deadline = (clock: ReturnType<typeof ehcClock>, key: string) => {
  const d = clock.deadlines.find((x) => x.key === key);
  if (!d) throw new Error(`no deadline ${key}`);
  return d;
};

describe('the EHC needs assessment clock', () => {
  describe('a request received on 15 July 2026 with advice asked of a school closed 22 July – 1 September', () => {
    const closures = [{ schoolId: SCHOOL, firstDay: '2026-07-22', lastDay: '2026-09-01' }];
    const base = input({
      decisions: [{ kind: 'assess', decidedOn: '2026-07-17', parentsToldOn: '2026-07-20' }],
      advice: [askedOfSchool('2026-07-20')],
      closures,
    });

    it('runs every deadline from the day received: decide by 26 August, not-to-issue by 4 November, the final plan by 2 December', () => {
      const clock = ehcClock(base, '2026-07-21');
      expect(deadline(clock, 'decide')).toMatchObject({
        dueOn: '2026-08-26',
        doneOn: '2026-07-20',
        status: 'met',
      });
      expect(deadline(clock, 'not_issue').dueOn).toBe('2026-11-04');
      expect(deadline(clock, 'final').dueOn).toBe('2026-12-02');
      // The advice runs 6 weeks from the day it was asked.
      expect(deadline(clock, 'advice:a1')).toMatchObject({ dueOn: '2026-08-31', status: 'due' });
      expect(clock.draftDueBy).toBe('2026-11-17');
      expect(clock.stage).toBe('assessing');
    });

    it('finds ground (a) from the school’s own closure: the window runs from 15 July to 26 August (a week before it reopens on 2 September)', () => {
      expect(closureWindow(closures[0]!)).toEqual({ from: '2026-07-15', to: '2026-08-26' });
      const clock = ehcClock(base, '2026-07-21');
      expect(clock.exceptions).toHaveLength(1);
      const found = clock.exceptions[0]!;
      expect(found).toMatchObject({
        key: 'closure:a1',
        ground: 'school_closure',
        found: true,
        adviceId: 'a1',
      });
      expect(found.closure).toEqual({ firstDay: '2026-07-22', lastDay: '2026-09-01', usual: false });
      // It excuses the decision (asked before its day), the not-to-issue notice and the final plan, and
      // not the advice's own 6 weeks (reg 8(2) has no closure ground) nor the parents' 15 days.
      expect(found.excuses.sort()).toEqual(['decide', 'final', 'not_issue']);
      expect(deadline(clock, 'advice:a1').exceptions).toEqual([]);
    });

    it('a final plan issued on 16 December 2026, after the 20 weeks, is excused, and counts for SEN2 as an exception case', () => {
      const clock = ehcClock(
        {
          ...base,
          decisions: [
            ...base.decisions,
            { kind: 'issue_plan', decidedOn: '2026-11-01', parentsToldOn: '2026-11-02' },
          ],
          draftSentOn: '2026-11-20',
          finalIssuedOn: '2026-12-16',
        },
        '2026-12-20',
      );
      expect(deadline(clock, 'final')).toMatchObject({ status: 'excused', exceptions: ['closure:a1'] });
      expect(deadline(clock, 'not_issue').status).toBe('not_applicable');
      expect(twentyWeekOutcome(clock)).toEqual({ within: false, exception: true });
      expect(clock.stage).toBe('plan_issued');
    });

    it('advice asked on 26 August is in the window; on 27 August it is not', () => {
      const on26 = ehcClock({ ...base, advice: [askedOfSchool('2026-08-26')] }, '2026-08-27');
      expect(on26.exceptions.map((e) => e.key)).toEqual(['closure:a1']);
      // Asked after the decision's day: it excuses the later deadlines only.
      expect(on26.exceptions[0]?.excuses.sort()).toEqual(['decide', 'final', 'not_issue']);
      const on27 = ehcClock({ ...base, advice: [askedOfSchool('2026-08-27')] }, '2026-08-28');
      expect(on27.exceptions).toEqual([]);
    });

    it('without the school’s own dates the usual summer (22 July – 31 August) applies: asked on 26 August is then outside its window', () => {
      const usual = { ...base, closures: [] };
      expect(
        ehcClock({ ...usual, advice: [askedOfSchool('2026-08-25')] }, '2026-09-01').exceptions[0]?.closure,
      ).toEqual({ firstDay: '2026-07-22', lastDay: '2026-08-31', usual: true });
      expect(ehcClock({ ...usual, advice: [askedOfSchool('2026-08-26')] }, '2026-09-01').exceptions).toEqual(
        [],
      );
      // Advice asked of the parents, a doctor or an educational psychologist is never ground (a).
      expect(
        ehcClock(
          { ...base, advice: [askedOfSchool('2026-07-20', { source: 'health', schoolId: null })] },
          '2026-07-21',
        ).exceptions,
      ).toEqual([]);
    });

    it('a school that recorded a summer closure of less than four weeks has no ground (a) that summer', () => {
      const short = [{ schoolId: SCHOOL, firstDay: '2026-07-24', lastDay: '2026-08-18' }];
      expect(ehcClock({ ...base, closures: short }, '2026-07-21').exceptions).toEqual([]);
    });

    it('a school asked during its closure after the decision was due excuses the later deadlines, not the decision', () => {
      const late = input({ receivedOn: '2026-05-01', advice: [askedOfSchool('2026-07-20')], closures });
      const clock = ehcClock(late, '2026-07-21');
      expect(clock.exceptions[0]?.excuses.sort()).toEqual(['final', 'not_issue']);
      expect(deadline(clock, 'decide')).toMatchObject({
        dueOn: '2026-06-12',
        status: 'overdue',
        exceptions: [],
      });
    });
  });

  describe('a request received on 2 January 2027', () => {
    const base = input({ receivedOn: '2027-01-02' });

    it('is due a decision by 13 February, a not-to-issue notice by 24 April and the final plan by 22 May; the draft by 7 May', () => {
      const clock = ehcClock(base, '2027-01-04');
      expect(deadline(clock, 'decide').dueOn).toBe('2027-02-13');
      expect(deadline(clock, 'not_issue').dueOn).toBe('2027-04-24');
      expect(deadline(clock, 'final').dueOn).toBe('2027-05-22');
      expect(clock.draftDueBy).toBe('2027-05-07');
      expect(clock.next?.key).toBe('decide');
      expect(clock.stage).toBe('received');
    });

    it('the Christmas holiday (two weeks) is no ground: advice asked of the school on 4 January is no exception', () => {
      const clock = ehcClock({ ...base, advice: [askedOfSchool('2027-01-04')] }, '2027-01-05');
      expect(clock.exceptions).toEqual([]);
    });

    it('with no decision by 14 February the decision is overdue; due this week the week before', () => {
      expect(ehcClock(base, '2027-02-07')).toMatchObject({ overdue: 0, dueThisWeek: 1 });
      expect(ehcClock(base, '2027-02-06')).toMatchObject({ overdue: 0, dueThisWeek: 0 });
      const late = ehcClock(base, '2027-02-14');
      expect(deadline(late, 'decide').status).toBe('overdue');
      expect(late.overdue).toBe(1);
    });

    it('a decision made in time but not yet told to the parents does not meet regulation 5', () => {
      const clock = ehcClock(
        { ...base, decisions: [{ kind: 'assess', decidedOn: '2027-02-10', parentsToldOn: null }] },
        '2027-02-15',
      );
      expect(deadline(clock, 'decide')).toMatchObject({
        status: 'overdue',
        note: expect.stringContaining('not yet told'),
      });
      const told = ehcClock(
        { ...base, decisions: [{ kind: 'assess', decidedOn: '2027-02-10', parentsToldOn: '2027-02-16' }] },
        '2027-02-20',
      );
      expect(deadline(told, 'decide')).toMatchObject({ status: 'late', doneOn: '2027-02-16' });
    });

    it('a decision not to assess ends the later deadlines', () => {
      const clock = ehcClock(
        {
          ...base,
          decisions: [{ kind: 'not_assess', decidedOn: '2027-02-01', parentsToldOn: '2027-02-01' }],
        },
        '2027-06-01',
      );
      expect(clock.stage).toBe('not_assessing');
      expect(deadline(clock, 'final').status).toBe('not_applicable');
      expect(deadline(clock, 'not_issue').status).toBe('not_applicable');
      expect(clock.next).toBeNull();
      expect(clock.overdue).toBe(0);
    });

    it('a decision not to issue told by 24 April meets regulation 10 and ends the 20 weeks', () => {
      const clock = ehcClock(
        {
          ...base,
          decisions: [
            { kind: 'assess', decidedOn: '2027-02-01', parentsToldOn: '2027-02-01' },
            { kind: 'not_issue_plan', decidedOn: '2027-04-20', parentsToldOn: '2027-04-24' },
          ],
        },
        '2027-06-01',
      );
      expect(deadline(clock, 'not_issue')).toMatchObject({ status: 'met', doneOn: '2027-04-24' });
      expect(deadline(clock, 'final').status).toBe('not_applicable');
      expect(clock.stage).toBe('not_issuing');
    });

    it('a withdrawn request has nothing due', () => {
      const clock = ehcClock({ ...base, withdrawn: true }, '2027-06-01');
      expect(clock.stage).toBe('withdrawn');
      expect(clock.next).toBeNull();
      expect(clock.deadlines.every((d) => d.status === 'not_applicable')).toBe(true);
    });
  });

  describe('the 15-day comment period ending on a weekend', () => {
    // Served on Saturday 6 March 2027: 15 days beginning with that day end on Saturday 20 March.
    const base = input({
      receivedOn: '2026-11-01',
      decisions: [
        { kind: 'assess', decidedOn: '2026-12-01', parentsToldOn: '2026-12-01' },
        { kind: 'issue_plan', decidedOn: '2027-02-20', parentsToldOn: '2027-02-22' },
      ],
      draftSentOn: '2027-03-06',
    });

    it('ends on Saturday 20 March (counting the day served) and is not stretched to the Monday', () => {
      expect(commentPeriodEnds('2027-03-06')).toBe('2027-03-20');
      expect(earliestFinalDay('2027-03-06')).toBe('2027-03-21');
      const clock = ehcClock(base, '2027-03-20');
      expect(deadline(clock, 'comments')).toMatchObject({ dueOn: '2027-03-20', status: 'running' });
      expect(clock.finalFrom).toBe('2027-03-21');
      expect(clock.stage).toBe('draft_sent');
    });

    it('the plan cannot be finalised before it ends: a final plan on 20 March cuts the parents short; on Sunday 21 March it does not', () => {
      expect(
        deadline(ehcClock({ ...base, finalIssuedOn: '2027-03-20' }, '2027-03-22'), 'comments').status,
      ).toBe('breached');
      expect(
        deadline(ehcClock({ ...base, finalIssuedOn: '2027-03-21' }, '2027-03-22'), 'comments').status,
      ).toBe('given');
      // Received 1 November 2026, the 20 weeks ended on 21 March 2027: issued that day, in time.
      const onTime = ehcClock({ ...base, finalIssuedOn: '2027-03-21' }, '2027-03-22');
      expect(deadline(onTime, 'final')).toMatchObject({ dueOn: '2027-03-21', status: 'met' });
      expect(twentyWeekOutcome(onTime)).toEqual({ within: true, exception: false });
    });
  });

  it('a draft served later than 15 days before the 20 weeks end is named as too late for them', () => {
    // Received 2 January 2027: 20 weeks end on 22 May; a draft served on 8 May leaves the final plan to 23 May.
    const late = ehcClock(input({ receivedOn: '2027-01-02', draftSentOn: '2027-05-08' }), '2027-05-09');
    expect(late.finalFrom).toBe('2027-05-23');
    expect(late.deadlines.find((d) => d.key === 'comments')?.note).toContain('served too late');
    const inTime = ehcClock(input({ receivedOn: '2027-01-02', draftSentOn: '2027-05-07' }), '2027-05-09');
    expect(inTime.deadlines.find((d) => d.key === 'comments')?.note).not.toContain('too late');
  });

  describe('the recorded exceptions and which deadlines they excuse', () => {
    const base = input({
      receivedOn: '2027-01-02',
      decisions: [{ kind: 'assess', decidedOn: '2027-02-01', parentsToldOn: '2027-02-01' }],
      advice: [
        {
          id: 'ep',
          source: 'educational_psychologist',
          askedOf: 'Northshire EP service',
          schoolId: null,
          requestedOn: '2027-02-02',
          receivedOn: null,
          alreadyHeld: false,
        },
      ],
    });

    it('exceptional personal circumstances from 1 March excuse the advice due 16 March, the notice and the final plan, not the decision already made', () => {
      const clock = ehcClock(
        {
          ...base,
          exceptions: [{ id: 'x', ground: 'personal_circumstances', startsOn: '2027-03-01', endsOn: null }],
        },
        '2027-06-01',
      );
      expect(clock.exceptions[0]?.excuses.sort()).toEqual(['advice:ep', 'final', 'not_issue']);
      expect(deadline(clock, 'advice:ep')).toMatchObject({ dueOn: '2027-03-16', status: 'excused' });
      expect(deadline(clock, 'final')).toMatchObject({ status: 'excused' });
      expect(deadline(clock, 'decide').status).toBe('met');
      expect(clock.overdue).toBe(0);
    });

    it('an absence of less than four weeks is not a ground and excuses nothing; of four weeks it is', () => {
      const short = ehcClock(
        {
          ...base,
          exceptions: [{ id: 'x', ground: 'absence', startsOn: '2027-02-10', endsOn: '2027-03-08' }],
        },
        '2027-06-01',
      );
      expect(short.exceptions[0]).toMatchObject({
        excuses: [],
        notAGround: expect.stringContaining('four weeks'),
      });
      expect(deadline(short, 'advice:ep').status).toBe('overdue');
      const long = ehcClock(
        {
          ...base,
          exceptions: [{ id: 'x', ground: 'absence', startsOn: '2027-02-10', endsOn: '2027-03-09' }],
        },
        '2027-06-01',
      );
      expect(long.exceptions[0]?.excuses).toContain('advice:ep');
    });

    it('an exception that ended before the advice was asked excuses neither the advice nor the decision made in time', () => {
      const clock = ehcClock(
        {
          ...base,
          exceptions: [
            { id: 'x', ground: 'personal_circumstances', startsOn: '2027-01-03', endsOn: '2027-01-20' },
          ],
        },
        '2027-06-01',
      );
      expect(clock.exceptions[0]?.excuses.sort()).toEqual(['decide', 'final', 'not_issue']);
      expect(deadline(clock, 'advice:ep').status).toBe('overdue');
      // The decision was met, so it stays met; the exception still counts for the 20-week figure.
      expect(deadline(clock, 'decide').status).toBe('met');
    });

    it('advice already held (recent and sufficient) has no deadline', () => {
      const clock = ehcClock(
        {
          ...base,
          advice: [{ ...base.advice[0]!, requestedOn: null, alreadyHeld: true, receivedOn: '2026-11-01' }],
        },
        '2027-06-01',
      );
      expect(deadline(clock, 'advice:ep')).toMatchObject({
        status: 'not_applicable',
        dueOn: null,
        open: false,
      });
    });

    it('orders the open deadlines: the next is the earliest open one', () => {
      const clock = ehcClock(base, '2027-02-03');
      expect(clock.next?.key).toBe('advice:ep');
      expect(clock.next?.dueOn).toBe('2027-03-16');
    });
  });

  it('stageOf follows the latest decision and the dates', () => {
    expect(stageOf(input())).toBe('received');
    expect(
      stageOf(
        input({
          decisions: [
            { kind: 'not_assess', decidedOn: '2026-07-20', parentsToldOn: null },
            { kind: 'assess', decidedOn: '2026-08-01', parentsToldOn: null },
          ],
        }),
      ),
    ).toBe('assessing');
    expect(
      stageOf(input({ decisions: [{ kind: 'issue_plan', decidedOn: '2026-10-01', parentsToldOn: null }] })),
    ).toBe('drafting');
  });
});
