import { describe, expect, it } from 'vitest';
import {
  costPerUnit,
  describeProgress,
  formatMeasure,
  impactPeriodLabel,
  measuredProgress,
  measureForInput,
  measureProblem,
  parseMeasure,
  progressOf,
  ratioGainBand,
  summarise,
} from './provision-impact.ts';

const m = (entry: number | null, exit: number | null, entryOn = '2026-09-07', exitOn = '2027-03-08') => ({
  entry,
  entryOn: entry === null ? null : entryOn,
  exit,
  exitOn: exit === null ? null : exitOn,
});

describe('progress for one pupil', () => {
  it('a reading age from 7y 0m to 8y 0m between 7 September and 8 March (6 months) is 12 months of progress, a ratio gain of 2.0: useful', () => {
    const p = progressOf('age_months', m(84, 96))!;
    expect(p.change).toBe(12);
    expect(p.monthsElapsed).toBe(6);
    expect(p.ratioGain).toBe(2);
    expect(ratioGainBand(p.ratioGain!)).toBe('useful');
  });

  it('a reading age that keeps pace with the calendar (6 months in 6) has a ratio gain of 1.0: doubtful impact', () => {
    const p = progressOf('age_months', m(84, 90))!;
    expect(p.ratioGain).toBe(1);
    expect(ratioGainBand(1)).toBe('doubtful');
    expect(ratioGainBand(1.4)).toBe('modest');
    expect(ratioGainBand(3)).toBe('substantial');
    expect(ratioGainBand(4.2)).toBe('remarkable');
  });

  it('gives no ratio gain for measures less than four weeks apart, or for scores that are not ages', () => {
    expect(progressOf('age_months', m(84, 90, '2026-09-07', '2026-09-21'))!.ratioGain).toBeNull();
    expect(progressOf('standardised_score', m(78, 86))!.ratioGain).toBeNull();
  });

  it('a standardised score from 78 to 86 is 8 points of progress; from 86 to 80, −6', () => {
    expect(progressOf('standardised_score', m(78, 86))).toMatchObject({ change: 8, progress: 8 });
    expect(progressOf('standardised_score', m(86, 80))).toMatchObject({ change: -6, progress: -6 });
  });

  it('an SDQ total difficulties score falling from 24 to 15 is 9 points of progress (lower is better)', () => {
    expect(progressOf('named_assessment_lower', m(24, 15))).toMatchObject({ change: -9, progress: 9 });
  });

  it('counts decimals exactly: 12.1 to 12.3 is 0.2, not 0.20000000000000107', () => {
    expect(progressOf('named_assessment', m(12.1, 12.3))!.change).toBe(0.2);
  });

  it('has no progress without both measures', () => {
    expect(progressOf('rating', m(2, null))).toBeNull();
    expect(progressOf('rating', m(null, null))).toBeNull();
  });
});

describe('summaries for a group and an intervention', () => {
  it('a group of four with reading ages +12, +6 and +3 months, one not yet measured, averages 7 months and a ratio gain of 1.2', () => {
    const s = summarise('age_months', [m(84, 96), m(80, 86), m(90, 93), m(88, null)]);
    expect(s).toMatchObject({
      pupils: 4,
      measured: 3,
      improved: 3,
      averageProgress: 7,
      totalProgressHundredths: 2_100,
    });
    expect(s.averageRatioGain).toBe(1.2); // (2.0 + 1.0 + 0.5) ÷ 3 = 1.17, to one place
  });

  it('counts pupils who made no progress as measured but not improved', () => {
    const s = summarise('rating', [m(2, 3), m(3, 3), m(4, 3)]);
    expect(s).toMatchObject({ measured: 3, improved: 1, averageProgress: 0 });
  });

  it('has no averages when nobody is measured', () => {
    expect(summarise('rating', [m(2, null)])).toMatchObject({ measured: 0, averageProgress: null });
  });
});

describe('cost per unit of progress', () => {
  it('£630.00 for 21 months of progress is £30.00 a month of reading age', () => {
    expect(costPerUnit(63_000, 2_100)).toBe(3_000);
  });

  it('£100.00 for 3 points is £33.33 a point (rounded once, half up)', () => {
    expect(costPerUnit(10_000, 300)).toBe(3_333);
    expect(costPerUnit(5, 200)).toBe(3); // 2½p a point rounds up
  });

  it('has no cost per unit when there was no progress overall', () => {
    expect(costPerUnit(10_000, 0)).toBeNull();
    expect(costPerUnit(10_000, -300)).toBeNull();
  });
});

describe('measures as typed and shown', () => {
  it('reads a reading age as months, or years and months: 88, 7:04, 7y 4m and 7 years 4 months are all 88', () => {
    for (const typed of ['88', '7:04', '7y 4m', '7 years 4 months', '7:4'])
      expect(parseMeasure('age_months', typed)).toBe(88);
    expect(parseMeasure('age_months', '7:12')).toBeNull();
    expect(formatMeasure('age_months', 88)).toBe('7y 4m');
    expect(measureForInput('age_months', 88)).toBe('7:04');
  });

  it('refuses measures out of range for their kind', () => {
    expect(measureProblem('rating', 6)).toMatch(/from 1 to 5/);
    expect(measureProblem('rating', 2.5)).toMatch(/from 1 to 5/);
    expect(measureProblem('standardised_score', 200)).toMatch(/from 40 to 160/);
    expect(measureProblem('named_assessment', 12.5)).toBeNull();
    expect(parseMeasure('named_assessment', '12.555')).toBeNull();
    expect(parseMeasure('rating', 'three')).toBeNull();
  });

  it('describes progress in its own units', () => {
    expect(describeProgress('age_months', 5)).toBe('up 5 months');
    expect(describeProgress('standardised_score', -1)).toBe('down 1 point');
    expect(describeProgress('rating', 0)).toBe('no change');
  });
});

describe('the period of “pupils measured at entry and exit”', () => {
  const measured = (exitOn: string | null, exit = 20) => ({
    kind: 'standardised_score' as const,
    measures: { entry: 10, entryOn: '2025-09-08', exit, exitOn },
  });

  it('counts a pupil in the academic year their exit measure was taken, whenever the intervention began', () => {
    const rows = [
      measured('2025-09-01'), // the first day of 2025/26
      measured('2026-08-31'), // its last day
      measured('2026-09-01', 10), // 2026/27, no progress
      measured(null), // an exit measure without a date: in no year
      {
        kind: 'standardised_score' as const,
        measures: { entry: 10, entryOn: null, exit: null, exitOn: null },
      },
    ];
    expect(measuredProgress(rows, { yearStart: 2025 })).toEqual({ measured: 2, improved: 2 });
    expect(measuredProgress(rows, { yearStart: 2026 })).toEqual({ measured: 1, improved: 0 });
    expect(measuredProgress(rows, { yearStart: 2024 })).toEqual({ measured: 0, improved: 0 });
    expect(measuredProgress(rows, 'all')).toEqual({ measured: 4, improved: 3 });
  });

  it('names the period, the current year “so far”', () => {
    expect(impactPeriodLabel({ yearStart: 2026 }, '2026-12-06')).toBe('2026/27 so far');
    expect(impactPeriodLabel({ yearStart: 2025 }, '2026-12-06')).toBe('2025/26');
    expect(impactPeriodLabel('all', '2026-12-06')).toBe('all years');
  });
});
