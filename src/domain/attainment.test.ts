import { describe, expect, it } from 'vitest';
import {
  attainmentColumns,
  bandsText,
  baselineOf,
  DEFAULT_BANDS,
  DEFAULT_SUBJECTS,
  defaultTrajectory,
  differsFromPeers,
  expectedAt,
  latestResult,
  parseAcademicYear,
  parseBands,
  parseTerm,
  parseValue,
  previousTerm,
  type Result,
  type SubjectDefinition,
  subjectProblems,
  subjectProgress,
  termLabel,
  termsUpTo,
  trajectoryProblem,
  trajectoryStatus,
  valueCode,
  valueLabel,
} from './attainment.ts';

const reading = DEFAULT_SUBJECTS[0]!;
const score: SubjectDefinition = {
  name: 'Spelling',
  scale: 'score',
  bands: null,
  expectedBand: null,
  scoreMin: 70,
  scoreMax: 141,
  scoreExpected: 100,
  stepsPerYear: null,
};

describe('values on a subject’s scale', () => {
  it('reads band codes and labels in any capitals, small steps anywhere, scores in range', () => {
    expect(parseValue(reading, ' exs ')).toEqual({ scale: 'bands', value: 2 });
    expect(parseValue(reading, 'Working towards')).toEqual({ scale: 'bands', value: 1 });
    expect(parseValue(reading, 'S4')).toEqual({ scale: 'steps', value: 4 });
    expect(parseValue(reading, 'step 12')).toEqual({ scale: 'steps', value: 12 });
    expect(parseValue(score, '104')).toEqual({ scale: 'score', value: 104 });
    expect(parseValue(score, '69')).toEqual({ problem: 'Scores for Spelling go from 70 to 141' });
    expect(parseValue(score, '10.5')).toEqual({ problem: 'Enter a score as a whole number for Spelling' });
    expect(parseValue(reading, 'ARE')).toEqual({
      problem: 'Enter one of BLW, WTS, EXS, GDS, or a small step such as S3, for Reading',
    });
    expect(parseValue(reading, 'S0')).toHaveProperty('problem');
  });

  it('names values as the grid and the pages show them', () => {
    expect(valueCode(reading, 'bands', 3)).toBe('GDS');
    expect(valueLabel(reading, 'bands', 1)).toBe('Working towards');
    expect(valueCode(reading, 'steps', 5)).toBe('S5');
    expect(valueLabel(score, 'score', 98)).toBe('98');
    expect(termLabel(2026, 'autumn')).toBe('Autumn 2026');
    expect(termLabel(2026, 'summer')).toBe('Summer 2027');
    expect(previousTerm(2026, 'autumn')).toEqual({ academicYear: 2025, term: 'summer' });
    expect(previousTerm(2026, 'summer')).toEqual({ academicYear: 2026, term: 'spring' });
  });
});

describe('trajectories', () => {
  it('takes last summer as the baseline, else the first result this year, on the same scale', () => {
    const results: Result[] = [
      { academicYear: 2025, term: 'summer', scale: 'bands', value: 1 },
      { academicYear: 2026, term: 'autumn', scale: 'bands', value: 2 },
      { academicYear: 2026, term: 'spring', scale: 'steps', value: 5 },
    ];
    expect(baselineOf(results, 2026, 'bands')).toBe(1);
    expect(baselineOf(results, 2026, 'steps')).toBe(5);
    expect(baselineOf(results, 2027, 'bands')).toBeNull();
    expect(latestResult(results)).toEqual(results[2]);
  });

  it('needs a reason only when the pupil’s expected end differs from their peers’', () => {
    expect(differsFromPeers(reading, 'bands', 2, 1)).toBe(false);
    expect(differsFromPeers(reading, 'bands', 1, 1)).toBe(true);
    // Small steps where the peers have bands: working below the year group, which always needs its reason.
    expect(differsFromPeers(reading, 'steps', 10, 4)).toBe(true);
    const steps = {
      ...reading,
      scale: 'steps' as const,
      bands: null,
      expectedBand: null,
      stepsPerYear: null,
    };
    expect(differsFromPeers(steps, 'steps', 10, 4)).toBe(false); // six steps a year
    expect(differsFromPeers(steps, 'steps', 8, 4)).toBe(true);
    expect(trajectoryProblem(reading, { scale: 'bands', endValue: 1, reason: '  ' }, 1)).toBe(
      'Say why this pupil’s expected progress differs from their peers’',
    );
    expect(
      trajectoryProblem(reading, { scale: 'bands', endValue: 1, reason: 'New to English' }, 1),
    ).toBeNull();
    expect(trajectoryProblem(reading, { scale: 'bands', endValue: 2, reason: null }, 1)).toBeNull();
    expect(trajectoryProblem(reading, { scale: 'bands', endValue: 4, reason: 'x' }, 1)).toBe(
      'Choose one of the subject’s bands',
    );
    expect(trajectoryProblem(score, { scale: 'score', endValue: 150, reason: 'x' }, null)).toBe(
      'Scores go from 70 to 141',
    );
    expect(defaultTrajectory(reading, 2026, 'steps', null)).toBeNull();
    expect(defaultTrajectory(reading, 2026, 'steps', 3)).toEqual({
      academicYear: 2026,
      scale: 'steps',
      endValue: 9,
    });
  });

  it('is below when a result is under where the pupil should be by that term, whole bands rounding down', () => {
    const t = { academicYear: 2026, scale: 'bands' as const, endValue: 2 };
    expect(expectedAt(0, 3, 'spring')).toBe(2);
    // From WTS (1) to EXS (2): autumn expects 1.33, rounding down to 1: still WTS is on trajectory.
    expect(trajectoryStatus({ academicYear: 2026, term: 'autumn', scale: 'bands', value: 1 }, t, 1)).toBe(
      'on',
    );
    expect(trajectoryStatus({ academicYear: 2026, term: 'autumn', scale: 'bands', value: 0 }, t, 1)).toBe(
      'below',
    );
    expect(trajectoryStatus({ academicYear: 2026, term: 'summer', scale: 'bands', value: 1 }, t, 1)).toBe(
      'below',
    );
    expect(trajectoryStatus({ academicYear: 2026, term: 'summer', scale: 'bands', value: 3 }, t, 1)).toBe(
      'above',
    );
    expect(trajectoryStatus(null, t, 1)).toBe('no_result');
    expect(trajectoryStatus({ academicYear: 2025, term: 'summer', scale: 'bands', value: 1 }, t, 1)).toBe(
      'no_result',
    );
    expect(trajectoryStatus({ academicYear: 2026, term: 'summer', scale: 'steps', value: 1 }, t, 1)).toBe(
      'other_scale',
    );
    expect(trajectoryStatus({ academicYear: 2026, term: 'summer', scale: 'bands', value: 1 }, null, 1)).toBe(
      'no_trajectory',
    );
  });

  it('allows a standardised score its error either side', () => {
    const t = { academicYear: 2026, scale: 'score' as const, endValue: 100 };
    const at = (value: number) =>
      trajectoryStatus({ academicYear: 2026, term: 'summer', scale: 'score', value }, t, 100);
    expect(at(97)).toBe('on');
    expect(at(96)).toBe('below');
    expect(at(103)).toBe('on');
    expect(at(104)).toBe('above');
  });

  it('counts small steps from the baseline a third at a time', () => {
    const t = { academicYear: 2026, scale: 'steps' as const, endValue: 9 };
    const at = (term: 'autumn' | 'spring' | 'summer', value: number) =>
      trajectoryStatus({ academicYear: 2026, term, scale: 'steps', value }, t, 3);
    expect(at('autumn', 5)).toBe('on');
    expect(at('autumn', 4)).toBe('below');
    expect(at('spring', 7)).toBe('on');
    expect(at('summer', 8)).toBe('below');
    expect(at('summer', 10)).toBe('above');
  });
});

describe('a pupil’s progress in a subject', () => {
  const results: Result[] = [
    { academicYear: 2025, term: 'summer', scale: 'bands', value: 1 },
    { academicYear: 2026, term: 'autumn', scale: 'bands', value: 1 },
    { academicYear: 2026, term: 'spring', scale: 'bands', value: 1 },
  ];
  it('holds the pupil to their peers’ trajectory when none was set', () => {
    const p = subjectProgress(reading, 2026, results, null);
    // Still WTS in the spring: two thirds of the way to EXS rounds down to WTS.
    expect(p).toMatchObject({ baseline: 1, set: false, trajectory: { endValue: 2 }, status: 'on' });
    expect(p.latest?.term).toBe('spring');
    const summer = [
      ...results,
      { academicYear: 2026, term: 'summer' as const, scale: 'bands' as const, value: 1 },
    ];
    expect(subjectProgress(reading, 2026, summer, null).status).toBe('below');
  });
  it('uses the trajectory set for them, with its reason', () => {
    const p = subjectProgress(reading, 2026, results, {
      academicYear: 2026,
      scale: 'bands',
      endValue: 1,
      reason: 'Joined from abroad in September; new to English',
    });
    expect(p).toMatchObject({
      set: true,
      status: 'on',
      reason: 'Joined from abroad in September; new to English',
    });
  });
  it('is not assessed this year when the only results are last year’s', () => {
    expect(subjectProgress(reading, 2027, results, null).status).toBe('no_result');
  });
});

describe('termly attainment helpers', () => {
  it('lists the terms up to one, oldest first', () => {
    expect(termsUpTo(2026, 'spring', 4)).toEqual([
      { academicYear: 2025, term: 'spring' },
      { academicYear: 2025, term: 'summer' },
      { academicYear: 2026, term: 'autumn' },
      { academicYear: 2026, term: 'spring' },
    ]);
  });

  it('reads bands one a line, refusing codes used twice or that read as small steps', () => {
    expect(parseBands('wts Working towards\nEXS  Expected standard')).toEqual({
      bands: [
        { code: 'WTS', label: 'Working towards' },
        { code: 'EXS', label: 'Expected standard' },
      ],
    });
    expect(parseBands('EXS')).toEqual({ problem: expect.stringContaining('at least two') });
    expect(parseBands('EXS a\nexs b')).toEqual({ problem: 'The code EXS is used twice' });
    expect(parseBands('S3 a\nEXS b')).toEqual({ problem: expect.stringContaining('small step') });
    expect(bandsText(DEFAULT_BANDS)).toContain('EXS Expected standard');
  });

  it('checks a subject’s scale field by field', () => {
    const base = DEFAULT_SUBJECTS[0]!;
    expect(subjectProblems(base)).toEqual([]);
    expect(subjectProblems({ ...base, expectedBand: 'XXX' })[0]!.field).toBe('expectedBand');
    expect(
      subjectProblems({ ...base, scale: 'score', scoreMin: 70, scoreMax: 141, scoreExpected: 150 })[0]!.field,
    ).toBe('scoreExpected');
    expect(subjectProblems({ ...base, stepsPerYear: 0 })[0]!.field).toBe('stepsPerYear');
  });

  it('finds the columns of an MIS export and reads its years and terms', () => {
    expect(attainmentColumns(['UPN', 'Subject', 'Academic_Year', 'Term', 'Result'])).toEqual({
      columns: { upn: 0, subject: 1, academicYear: 2, term: 3, value: 4 },
    });
    expect(attainmentColumns(['UPN', 'Subject'])).toEqual({ missing: ['academicYear', 'term', 'value'] });
    expect(parseAcademicYear('2026/27')).toBe(2026);
    expect(parseAcademicYear('2026-2027')).toBe(2026);
    expect(parseAcademicYear('2026/28')).toBeNull();
    expect(parseAcademicYear('next year')).toBeNull();
    expect(parseTerm('Autumn term')).toBe('autumn');
    expect(parseTerm('Spr')).toBe('spring');
    expect(parseTerm('Spring 2')).toBeNull();
  });
});
