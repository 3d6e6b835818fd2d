import { describe, expect, it } from 'vitest';
import { addDays } from './dates.ts';
import { halfTermsOf } from './school-days.ts';
import { lastSchoolDayOf, openCheckDueDates, targetCheckPoints, targetCheckStatus } from './target-checks.ts';

// Autumn term 2026 to spring 2027: a plan from 7 September to 30 November, and one from 15 October to 1 March.
const autumnPlan = { startDate: '2026-09-07', reviewDate: '2026-11-30' };
const winterPlan = { startDate: '2026-10-15', reviewDate: '2027-03-01' };

describe('when half-termly target checks fall due', () => {
  it('on the last school day of each half-term', () => {
    const [autumn1, autumn2, spring1] = halfTermsOf(2026);
    // Half term starts on Sunday 25 October; Christmas on Sunday 20 December; February half term on Saturday 13th.
    expect(lastSchoolDayOf(autumn1!)).toBe('2026-10-23');
    expect(lastSchoolDayOf(autumn2!)).toBe('2026-12-18');
    expect(lastSchoolDayOf(spring1!)).toBe('2027-02-12');
  });

  it('for each half-term a plan runs through, but not within two weeks of its start or its review', () => {
    expect(targetCheckPoints(autumnPlan).map((p) => p.dueOn)).toEqual(['2026-10-23']);
    // Started on 15 October: 23 October is too soon. Reviewed on 1 March: 12 February is clear of it.
    expect(targetCheckPoints(winterPlan).map((p) => p.dueOn)).toEqual(['2026-12-18', '2027-02-12']);
    expect(
      targetCheckPoints({ startDate: '2026-10-15', reviewDate: '2027-02-20' }).map((p) => p.dueOn),
    ).toEqual(['2026-12-18']);
    expect(targetCheckPoints({ startDate: null, reviewDate: '2027-02-20' })).toEqual([]);
    expect(targetCheckPoints(autumnPlan)[0]).toMatchObject({
      opensOn: '2026-10-09',
      halfTerm: { label: 'Autumn 1 2026/27' },
    });
  });

  it('opens two weeks before, is due until its day, overdue after, done once recorded, and none from the review date', () => {
    const on = (today: string, recorded: string[] = []) => targetCheckStatus(autumnPlan, recorded, today);
    expect(on('2026-10-01')).toMatchObject({
      state: 'upcoming',
      current: null,
      next: { dueOn: '2026-10-23' },
    });
    expect(on('2026-10-09')).toMatchObject({ state: 'due', current: { dueOn: '2026-10-23' }, next: null });
    expect(on('2026-10-23').state).toBe('due');
    expect(on('2026-10-24').state).toBe('overdue');
    expect(on('2026-11-20').state).toBe('overdue');
    expect(on('2026-11-20', ['2026-10-23'])).toMatchObject({
      state: 'done',
      current: { dueOn: '2026-10-23' },
    });
    expect(on('2026-11-30').state).toBe('none');
    // A plan with no half-term clear of its first and last two weeks has no checks.
    expect(
      targetCheckStatus({ startDate: '2026-10-01', reviewDate: '2026-11-01' }, [], '2026-10-20').state,
    ).toBe('none');
  });

  it('moves on to the next check once it opens, leaving one not recorded unrecorded', () => {
    const on = (today: string, recorded: string[] = []) => targetCheckStatus(winterPlan, recorded, today);
    expect(on('2026-12-10')).toMatchObject({
      state: 'due',
      current: { dueOn: '2026-12-18' },
      next: { dueOn: '2027-02-12' },
    });
    expect(on('2027-01-05').state).toBe('overdue');
    expect(on('2027-02-01')).toMatchObject({ state: 'due', current: { dueOn: '2027-02-12' }, next: null });
    expect(on('2027-02-01', ['2026-12-18']).state).toBe('due');
    expect(on('2027-02-01', ['2027-02-12']).state).toBe('done');
  });

  it('gives the dashboard the due dates from which the same current check follows, on every day of a year', () => {
    const plans = [
      autumnPlan,
      winterPlan,
      { startDate: '2027-01-04', reviewDate: '2027-12-20' },
      { startDate: '2027-06-01', reviewDate: '2027-11-15' },
    ];
    for (let day = 0; day < 420; day++) {
      const today = addDays('2026-09-01', day);
      const candidates = openCheckDueDates(today);
      for (const plan of plans) {
        // The dashboard's rule: the latest candidate inside the plan's margins, while its review has not come.
        const inside = candidates.filter(
          (d) => d >= addDays(plan.startDate, 14) && d <= addDays(plan.reviewDate, -14),
        );
        const sqlCurrent = today < plan.reviewDate ? (inside.at(-1) ?? null) : null;
        expect(targetCheckStatus(plan, [], today).current?.dueOn ?? null, `${today} ${plan.startDate}`).toBe(
          sqlCurrent,
        );
      }
    }
  });
});
