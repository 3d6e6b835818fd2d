import { describe, expect, it } from 'vitest';
import {
  amountProblems,
  decisionProblems,
  endingSoon,
  fundingAgainstCost,
  fundingInYear,
  periodProblems,
  readyToSend,
  reminderDay,
  suggestedAmount,
  topUpInHand,
  topUpInHandText,
} from './top-up.ts';

const names = { from: 'periodFrom', to: 'periodTo' };

describe('the period of funding', () => {
  it('runs from its first day to its last, both included: the same day is a period of one day', () => {
    expect(periodProblems('2026-09-01', '2026-09-01', names, true)).toEqual([]);
  });
  it('refuses dates out of order, naming the end', () => {
    expect(periodProblems('2027-08-31', '2026-09-01', names, true)).toEqual([
      { field: 'periodTo', message: 'The date the funding ends must be after the date it starts' },
    ]);
  });
  it('refuses a period of more than three years', () => {
    expect(periodProblems('2026-09-01', '2030-09-01', names, true)[0]?.message).toBe(
      'The funding can run for three years at most',
    );
    expect(periodProblems('2026-09-01', '2029-08-31', names, true)).toEqual([]);
  });
  it('asks for both dates when they are required, and for neither otherwise', () => {
    expect(periodProblems(null, null, names, true).map((p) => p.field)).toEqual(['periodFrom', 'periodTo']);
    expect(periodProblems(null, null, names, false)).toEqual([]);
  });
});

describe('an amount of funding a year', () => {
  it('is more than nothing and at most £100,000', () => {
    expect(amountProblems(0, 'amount', true)[0]?.message).toBe('The amount must be more than £0');
    expect(amountProblems(-500, 'amount', true)[0]?.message).toBe('The amount must be more than £0');
    expect(amountProblems(10_000_001, 'amount', true)[0]?.message).toBe(
      'The amount must be £100,000 or less',
    );
    expect(amountProblems(10_000_000, 'amount', true)).toEqual([]);
    expect(amountProblems(1, 'amount', true)).toEqual([]);
  });
  it('is asked for when required and may be left out of a draft', () => {
    expect(amountProblems(null, 'amount', true)).toHaveLength(1);
    expect(amountProblems(null, 'amount', false)).toEqual([]);
  });
});

describe('an application ready to send', () => {
  it('holds the amount, the period and the school’s case', () => {
    expect(
      readyToSend({
        amountPence: 450_000,
        periodFrom: '2026-09-01',
        periodTo: '2027-08-31',
        rationale: 'Works',
      }),
    ).toEqual([]);
    expect(
      readyToSend({ amountPence: null, periodFrom: null, periodTo: null, rationale: '   ' }).map(
        (p) => p.field,
      ),
    ).toEqual(['amount', 'periodFrom', 'periodTo', 'rationale']);
  });
});

describe('the amount a school would ask for', () => {
  it('is the year’s cost above the threshold: £9,250 against £6,000 suggests £3,250', () => {
    expect(suggestedAmount(925_000, 600_000)).toBe(325_000);
  });
  it('is nothing at or below the threshold', () => {
    expect(suggestedAmount(600_000, 600_000)).toBeNull();
    expect(suggestedAmount(100_000, 600_000)).toBeNull();
  });
});

describe('the local authority’s decision', () => {
  const context = {
    today: '2026-12-07',
    receivedOn: '2026-11-02',
    asked: { amountPence: 400_000, periodFrom: '2027-01-04', periodTo: '2027-12-31' },
  };
  const agreed = {
    outcome: 'agreed' as const,
    decidedOn: '2026-12-01',
    amountPence: 400_000,
    fundedFrom: '2027-01-04',
    fundedUntil: '2027-12-31',
  };
  it('agreed: an amount and a period, dated between receipt and today', () => {
    expect(decisionProblems(agreed, context)).toEqual([]);
  });
  it('is not dated in the future, nor before the application was received', () => {
    expect(decisionProblems({ ...agreed, decidedOn: '2026-12-08' }, context)[0]?.field).toBe('decidedOn');
    expect(decisionProblems({ ...agreed, decidedOn: '2026-11-01' }, context)[0]?.message).toBe(
      'The date of the decision must be on or after the day the application was received',
    );
  });
  it('may backdate funding to the start of the school year the application was received in, no further: received 2 November 2026, from 1 September 2026 but not 31 August 2026', () => {
    expect(decisionProblems({ ...agreed, fundedFrom: '2026-09-01' }, context)).toEqual([]);
    expect(decisionProblems({ ...agreed, fundedFrom: '2026-08-31' }, context)).toEqual([
      {
        field: 'fundedFrom',
        message:
          'The funding cannot start before the start of the school year the application was received in: 1 September 2026 or later',
      },
    ]);
    // Two years before the application: refused.
    expect(
      decisionProblems({ ...agreed, fundedFrom: '2024-11-02', fundedUntil: '2025-11-01' }, context).map(
        (p) => p.field,
      ),
    ).toEqual(['fundedFrom']);
  });
  it('an application received in August may be funded from the September before: received 10 August 2027, from 1 September 2026', () => {
    const august = { ...context, today: '2027-08-20', receivedOn: '2027-08-10' };
    expect(
      decisionProblems({ ...agreed, decidedOn: '2027-08-15', fundedFrom: '2026-09-01' }, august),
    ).toEqual([]);
    expect(
      decisionProblems({ ...agreed, decidedOn: '2027-08-15', fundedFrom: '2026-08-31' }, august)[0]?.field,
    ).toBe('fundedFrom');
  });
  it('a decision to fund needs the amount and both dates, in order', () => {
    const problems = decisionProblems({ ...agreed, amountPence: null, fundedUntil: '2026-12-31' }, context);
    expect(problems.map((p) => p.field)).toEqual(['amount', 'fundedUntil']);
  });
  it('refused: no amount and no dates', () => {
    expect(
      decisionProblems(
        {
          outcome: 'refused',
          decidedOn: '2026-12-01',
          amountPence: null,
          fundedFrom: null,
          fundedUntil: null,
        },
        context,
      ),
    ).toEqual([]);
    expect(decisionProblems({ ...agreed, outcome: 'refused' }, context).map((p) => p.field)).toEqual([
      'amount',
      'fundedFrom',
    ]);
  });
  it('agreed in part: less than was asked (£3,000 of £4,000), or for a shorter time', () => {
    const part = { ...agreed, outcome: 'agreed_in_part' as const };
    expect(decisionProblems({ ...part, amountPence: 300_000 }, context)).toEqual([]);
    expect(decisionProblems({ ...part, fundedUntil: '2027-07-23' }, context)).toEqual([]);
    expect(decisionProblems(part, context)[0]?.message).toMatch(/otherwise choose “Agreed”/);
  });
});

describe('the funding that falls in a year', () => {
  const year = { from: '2026-09-01', to: '2027-08-31' };
  it('is the whole amount when the funding runs the whole year', () => {
    expect(fundingInYear([{ amountPence: 365_000, from: '2026-09-01', until: '2027-08-31' }], year)).toBe(
      365_000,
    );
  });
  it('is the share of the year’s days it covers: £3,650 a year from 1 January is 243 of 365 days, £2,430', () => {
    expect(fundingInYear([{ amountPence: 365_000, from: '2027-01-01', until: '2027-12-31' }], year)).toBe(
      243_000,
    );
  });
  it('adds agreements and leaves out those outside the year', () => {
    expect(
      fundingInYear(
        [
          { amountPence: 365_000, from: '2026-09-01', until: '2027-08-31' },
          { amountPence: 100_000, from: '2025-09-01', until: '2026-08-31' },
          { amountPence: 365_00, from: '2027-08-31', until: '2028-08-31' },
        ],
        year,
      ),
    ).toBe(365_100);
  });
  it('is rounded once, half a penny up', () => {
    // £1 a year for one day of 365: 0.27p → 0p; £2 for one day: 0.55p → 1p.
    expect(fundingInYear([{ amountPence: 100, from: '2026-09-01', until: '2026-09-01' }], year)).toBe(0);
    expect(fundingInYear([{ amountPence: 200, from: '2026-09-01', until: '2026-09-01' }], year)).toBe(1);
  });
});

describe('the funding beside the costs', () => {
  it('£9,250 against £6,000 with £2,000 agreed leaves £1,250 above the threshold unfunded', () => {
    expect(fundingAgainstCost({ costPence: 925_000, thresholdPence: 600_000, fundedPence: 200_000 })).toEqual(
      {
        abovePence: 325_000,
        fundedPence: 200_000,
        unfundedPence: 125_000,
      },
    );
  });
  it('never leaves less than nothing unfunded', () => {
    expect(
      fundingAgainstCost({ costPence: 500_000, thresholdPence: 600_000, fundedPence: 200_000 }).unfundedPence,
    ).toBe(0);
  });
});

describe('the reminder before funding ends', () => {
  it('is due from six weeks before the last day: funding ending 31 March 2027 from 17 February', () => {
    expect(reminderDay('2027-03-31')).toBe('2027-02-17');
    expect(endingSoon('2027-03-31', '2027-02-16')).toBe(false);
    expect(endingSoon('2027-03-31', '2027-02-17')).toBe(true);
    expect(endingSoon('2027-03-31', '2027-03-31')).toBe(true);
  });
  it('is not sent once the funding has ended', () => {
    expect(endingSoon('2027-03-31', '2027-04-01')).toBe(false);
  });
});

describe('topUpInHand: what stands in place of the prompt to apply', () => {
  const sent = (sentOn: string) => ({ status: 'sent' as const, sentOn, decision: null });
  const decided = (
    outcome: 'agreed' | 'agreed_in_part' | 'refused',
    fundedFrom: string,
    fundedUntil: string,
  ) => ({
    status: 'sent' as const,
    sentOn: '2026-03-01',
    decision: { outcome, fundedFrom, fundedUntil },
  });
  it('funding agreed 1 September 2026 to 31 August 2027, seen on 20 November 2026: top-up agreed to 31 August 2027', () => {
    const inHand = topUpInHand([decided('agreed', '2026-09-01', '2027-08-31')], '2026-11-20');
    expect(inHand).toEqual({ kind: 'agreed', until: '2027-08-31' });
    expect(topUpInHandText(inHand)).toBe('Top-up agreed to 31 August 2027');
  });
  it('funding that ended on 31 August 2026, or was refused: the prompt stands', () => {
    expect(topUpInHand([decided('agreed', '2025-09-01', '2026-08-31')], '2026-11-20')).toBeNull();
    expect(topUpInHand([decided('refused', '2026-09-01', '2027-08-31')], '2026-11-20')).toBeNull();
  });
  it('funding agreed in part from 1 January 2027, seen on 20 November 2026: agreed, so no prompt', () => {
    expect(topUpInHand([decided('agreed_in_part', '2027-01-01', '2027-08-31')], '2026-11-20')).toEqual({
      kind: 'agreed',
      until: '2027-08-31',
    });
  });
  it('an application sent on 3 November and not yet decided: application sent 3 November 2026; being written or withdrawn: nothing', () => {
    const inHand = topUpInHand([sent('2026-10-01'), sent('2026-11-03')], '2026-11-20');
    expect(topUpInHandText(inHand)).toBe('Application for top-up funding sent 3 November 2026');
    expect(topUpInHand([{ status: 'draft', sentOn: null, decision: null }], '2026-11-20')).toBeNull();
    expect(
      topUpInHand([{ status: 'withdrawn', sentOn: '2026-11-03', decision: null }], '2026-11-20'),
    ).toBeNull();
  });
  it('agreed funding for today wins over a later application waiting', () => {
    expect(
      topUpInHand([sent('2026-11-10'), decided('agreed', '2026-09-01', '2026-12-31')], '2026-11-20'),
    ).toEqual({ kind: 'agreed', until: '2026-12-31' });
  });
});
