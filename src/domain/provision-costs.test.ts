import { describe, expect, it } from 'vitest';
import {
  academicYearPeriod,
  addFractions,
  financialYearPeriod,
  financialYearStartOf,
  formatPence,
  fraction,
  type GroupForCosting,
  memberCosts,
  memberMinutes,
  parsePounds,
  penceForInput,
  plannedSessions,
  roundHalfUp,
  shareOverSchoolDays,
  termPeriod,
  thresholdStatus,
  totalPence,
  yearsOf,
} from './provision-costs.ts';
import { halfTermOf, isSchoolDay, previousHalfTerm, schoolDaysBetween } from './school-days.ts';

const ACADEMIC_2026 = academicYearPeriod(2026);

function group(over: Partial<GroupForCosting> = {}): GroupForCosting {
  return {
    costModel: 'staff_time',
    sessionsPerWeek: 3,
    minutesPerSession: 30,
    hourlyPence: 1_400,
    fixedCostPence: null,
    startDate: '2026-09-07',
    endDate: null,
    members: [],
    ...over,
  };
}
const member = (id: string, joinedOn: string, leftOn: string | null = null) => ({ id, joinedOn, leftOn });
const pence = (costs: Map<string, ReturnType<typeof fraction>>, id: string) =>
  roundHalfUp(costs.get(id) ?? fraction(0));

describe('school weeks', () => {
  it('counts weekdays outside the usual holidays: Monday 7 September to Friday 23 October 2026 is 7 school weeks (35 days)', () => {
    expect(schoolDaysBetween('2026-09-07', '2026-10-23')).toBe(35);
  });

  it('skips October half term: the week of 26 October 2026 has no school days, 2 November is one', () => {
    expect(schoolDaysBetween('2026-10-26', '2026-10-30')).toBe(0);
    expect(isSchoolDay('2026-11-02')).toBe(true);
    expect(isSchoolDay('2026-11-07')).toBe(false); // a Saturday
  });

  it('gives an academic year about 39 school weeks: 2026/27 has 197 school days', () => {
    expect(schoolDaysBetween('2026-09-01', '2027-08-31')).toBe(197);
  });

  it('counts across the new year: 14 December 2026 to 8 January 2027 is 5 + 5 days either side of Christmas', () => {
    expect(schoolDaysBetween('2026-12-14', '2027-01-08')).toBe(10);
  });

  it('is 0 for a period that ends before it begins', () => {
    expect(schoolDaysBetween('2026-10-23', '2026-09-07')).toBe(0);
  });

  it('knows the half-terms: 20 November 2026 is in Autumn 2, after Autumn 1', () => {
    expect(halfTermOf('2026-11-20').label).toBe('Autumn 2 2026/27');
    expect(previousHalfTerm('2026-11-20')).toMatchObject({ from: '2026-09-01', to: '2026-10-31' });
    expect(previousHalfTerm('2026-09-10')).toMatchObject({ name: 'summer2', from: '2026-06-01' });
    expect(halfTermOf('2027-02-20').name).toBe('spring2');
  });
});

describe('staff time, shared across the group', () => {
  it('a 30-minute session 3 times a week for a group of 4 at £14.00 an hour over 12 school weeks costs each pupil £63.00', () => {
    const share = shareOverSchoolDays(group(), 12 * 5, 4, '2026-09-07');
    expect(roundHalfUp(share)).toBe(6_300);
  });

  it('a 1:1 session of 20 minutes 5 times a week at £16.50 an hour from 7 September to 23 October 2026 (7 weeks) costs £192.50', () => {
    const g = group({
      sessionsPerWeek: 5,
      minutesPerSession: 20,
      hourlyPence: 1_650,
      endDate: '2026-10-23',
      members: [member('kit', '2026-09-07')],
    });
    expect(pence(memberCosts(g, ACADEMIC_2026), 'kit')).toBe(19_250);
  });

  it('divides by the members at the time: two pupils for 4 weeks then three for 3 weeks pay £82.50, £82.50 and £27.50 of the group’s £192.50', () => {
    const g = group({
      sessionsPerWeek: 5,
      minutesPerSession: 20,
      hourlyPence: 1_650,
      endDate: '2026-10-23',
      members: [member('a', '2026-09-07'), member('b', '2026-09-07'), member('c', '2026-10-05')],
    });
    const costs = memberCosts(g, ACADEMIC_2026);
    // 550p a school day: 20 days ÷ 2 + 15 days ÷ 3 = 5,500p + 2,750p.
    expect(pence(costs, 'a')).toBe(8_250);
    expect(pence(costs, 'b')).toBe(8_250);
    expect(pence(costs, 'c')).toBe(2_750);
    expect(totalPence([...costs.values()])).toBe(19_250);
  });

  it('a pupil who leaves on Friday 25 September pays for 3 weeks, and the other pays the whole group from then', () => {
    const g = group({
      sessionsPerWeek: 5,
      minutesPerSession: 20,
      hourlyPence: 1_650,
      endDate: '2026-10-23',
      members: [member('a', '2026-09-07', '2026-09-25'), member('b', '2026-09-07')],
    });
    const costs = memberCosts(g, ACADEMIC_2026);
    expect(pence(costs, 'a')).toBe(4_125); // 15 days × 550p ÷ 2
    expect(pence(costs, 'b')).toBe(4_125 + 11_000); // and 20 days × 550p alone
  });

  it('charges nobody for days with nobody in the group', () => {
    const g = group({ members: [member('a', '2026-10-05', '2026-10-09')] });
    expect([...memberCosts(g, ACADEMIC_2026).keys()]).toEqual(['a']);
    expect(pence(memberCosts(g, ACADEMIC_2026), 'a')).toBe(2_100); // 5 days × 420p
  });

  it('with no end date and no leaving date, a year’s cost runs to the end of the year: 197 days × 420p ÷ 2 = £413.70', () => {
    const g = group({
      startDate: '2026-09-01',
      members: [member('a', '2026-09-01'), member('b', '2026-09-01')],
    });
    expect(pence(memberCosts(g, ACADEMIC_2026), 'a')).toBe(41_370);
  });
});

describe('fixed costs', () => {
  it('an agency’s £85.00 a session, once a week, for a group of one over 10 school weeks costs £850.00', () => {
    const share = shareOverSchoolDays(
      { ...group(), costModel: 'agency', sessionsPerWeek: 1, fixedCostPence: 8_500 },
      50,
      1,
      '2026-09-07',
    );
    expect(roundHalfUp(share)).toBe(85_000);
  });

  it('£450.00 a term shared by a group of 6 for the whole autumn term costs each pupil £75.00', () => {
    const g = group({
      costModel: 'per_term',
      fixedCostPence: 45_000,
      startDate: '2026-09-01',
      endDate: '2026-12-31',
      members: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => member(id, '2026-09-01')),
    });
    expect(pence(memberCosts(g, ACADEMIC_2026), 'a')).toBe(7_500);
  });

  it('a term’s cost is pro rata by school days: joining for Autumn 2 (35 of the term’s 74 days) in a group of 6 costs £35.47', () => {
    const g = group({
      costModel: 'per_term',
      fixedCostPence: 45_000,
      startDate: '2026-09-01',
      endDate: '2026-12-31',
      members: [
        ...['a', 'b', 'c', 'd', 'e'].map((id) => member(id, '2026-09-01')),
        member('late', '2026-11-01'),
      ],
    });
    const costs = memberCosts(g, ACADEMIC_2026);
    // Before November the five share it; from November six do: 45,000 × 35/74 ÷ 6 = 3,547.297…p.
    expect(pence(costs, 'late')).toBe(3_547);
    expect(totalPence([...costs.values()])).toBe(45_000);
  });

  it('a licence of £45.00 a year per pupil costs £45.00 for the whole year whatever the size of the group', () => {
    const g = group({
      costModel: 'per_pupil',
      fixedCostPence: 4_500,
      startDate: '2026-09-01',
      members: ['a', 'b', 'c'].map((id) => member(id, '2026-09-01')),
    });
    const costs = memberCosts(g, ACADEMIC_2026);
    expect(pence(costs, 'a')).toBe(4_500);
    expect(totalPence([...costs.values()])).toBe(13_500);
  });
});

describe('financial and academic years', () => {
  const yearLong = group({
    sessionsPerWeek: 5,
    minutesPerSession: 30,
    hourlyPence: 1_650,
    startDate: '2026-09-01',
    endDate: '2027-07-21',
    members: [member('kit', '2026-09-01')],
  });

  it('1:1 support of 30 minutes a day at £16.50 an hour costs £1,625.25 in the academic year 2026/27 (197 days × 825p)', () => {
    expect(pence(memberCosts(yearLong, ACADEMIC_2026), 'kit')).toBe(162_525);
  });

  it('the same support costs £1,089.00 in the financial year April 2026 to March 2027, which holds only September to March of it (132 days)', () => {
    expect(pence(memberCosts(yearLong, financialYearPeriod(2026)), 'kit')).toBe(108_900);
  });

  it('puts 31 March in the financial year that began the April before, and 1 April in the next', () => {
    expect(financialYearStartOf('2027-03-31')).toBe(2026);
    expect(financialYearStartOf('2027-04-01')).toBe(2027);
    expect(yearsOf('2026-11-20')).toMatchObject({
      academic: { from: '2026-09-01', to: '2027-08-31', label: '2026/27' },
      financial: { from: '2026-04-01', to: '2027-03-31', label: 'April 2026 to March 2027' },
    });
  });

  it('knows the terms as periods: spring 2027 is 1 January to 31 March', () => {
    expect(termPeriod('2027-02-10')).toMatchObject({ from: '2027-01-01', to: '2027-03-31' });
  });
});

describe('rounding: exact until the end, then half a penny up', () => {
  it('rounds half up: 2½p is 3p, 2.49p is 2p, and −2½p is −3p', () => {
    expect(roundHalfUp(fraction(5, 2))).toBe(3);
    expect(roundHalfUp(fraction(249, 100))).toBe(2);
    expect(roundHalfUp(fraction(-5, 2))).toBe(-3);
  });

  it('a pupil in two groups each costing 183⅓p pays £3.67 (the exact sum rounded once), not £3.66 (each rounded first)', () => {
    const third = fraction(550, 3);
    expect(roundHalfUp(third) * 2).toBe(366);
    expect(totalPence([third, third])).toBe(367);
  });

  it('adds fractions exactly: ⅓ + ⅙ = ½', () => {
    expect(addFractions(fraction(1, 3), fraction(1, 6))).toEqual(fraction(1, 2));
  });
});

describe('time and sessions', () => {
  it('3 sessions of 30 minutes a week for 7 school weeks is 630 minutes (10½ hours)', () => {
    const g = group({ endDate: '2026-10-23' });
    expect(roundHalfUp(memberMinutes(g, member('a', '2026-09-07'), ACADEMIC_2026))).toBe(630);
  });

  it('plans 21 sessions for a group meeting 3 times a week from 7 September to 23 October 2026', () => {
    expect(plannedSessions(3, '2026-09-07', '2026-10-23')).toBe(21);
    expect(plannedSessions(3, '2026-09-07', '2026-09-09')).toBe(2); // 1.8 sessions in 3 days
  });
});

describe('the high-needs threshold (£6,000 a year by default, nearing from 80%)', () => {
  const status = (pence: number) => thresholdStatus(pence, 600_000, 80);
  it('£4,799.99 is below, £4,800.00 is nearing, £6,000.00 is still the school’s (nearing), £6,000.01 is over', () => {
    expect(status(479_999)).toBe('below');
    expect(status(480_000)).toBe('nearing');
    expect(status(600_000)).toBe('nearing');
    expect(status(600_001)).toBe('over');
  });

  it('follows the school’s own settings: £3,000 nearing from 50% makes £1,500.00 nearing', () => {
    expect(thresholdStatus(150_000, 300_000, 50)).toBe('nearing');
    expect(thresholdStatus(149_999, 300_000, 50)).toBe('below');
  });

  it('nothing is below even a threshold of £0', () => {
    expect(thresholdStatus(0, 0, 80)).toBe('below');
  });
});

describe('money as typed and shown', () => {
  it('reads £1,250.50, 14 and 16.5 as pence, and refuses 1.234, −5 and words', () => {
    expect(parsePounds('£1,250.50')).toBe(125_050);
    expect(parsePounds('14')).toBe(1_400);
    expect(parsePounds('16.5')).toBe(1_650);
    expect(parsePounds('1.234')).toBeNull();
    expect(parsePounds('-5')).toBeNull();
    expect(parsePounds('fourteen')).toBeNull();
  });

  it('shows pence as pounds: £6,000.00, £63.00, £0.05', () => {
    expect(formatPence(600_000)).toBe('£6,000.00');
    expect(formatPence(6_300)).toBe('£63.00');
    expect(formatPence(5)).toBe('£0.05');
    expect(penceForInput(1_650)).toBe('16.50');
  });
});
