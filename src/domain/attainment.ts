import type { TermName } from './calendar.ts';

/*
 * Termly attainment and expected trajectories (seed 001: "close analysis of data including termly
 * assessments … tracking individual pupil progress over time"; seed 004: "outline expected progress,
 * with some explanation if the pupil's expected trajectory is outside that expected from their peers").
 *
 * Each subject has a scale: ordered bands (working towards, at, greater depth: judged against the pupil's
 * year group), a standardised score (100 is the national average), or small steps (for pupils working
 * below their year group, counted from where they started). A value is an integer on its scale: for bands
 * the band's position (0 = lowest), for a score the score, for small steps the step reached.
 *
 * A trajectory is where a pupil is expected to be at the end of an academic year. Their peers are
 * expected to reach the subject's expected band, the expected score, or (on small steps) a year's steps
 * from where they started; a pupil's trajectory that differs needs its reason. During the year, where the
 * pupil should be by each term is counted from their baseline (last summer's result, or this autumn's) a
 * third of the way at a time; a pupil is *below their trajectory* when their latest result is under it
 * (for a score, by more than SCORE_TOLERANCE points: a standardised test's error).
 */

export type AssessmentScale = 'bands' | 'score' | 'steps';
export const ASSESSMENT_SCALES: readonly AssessmentScale[] = ['bands', 'score', 'steps'];
export const SCALE_LABELS: Record<AssessmentScale, string> = {
  bands: 'Bands (working towards, at, greater depth)',
  score: 'Standardised score',
  steps: 'Small steps',
};

export const TERMS: readonly TermName[] = ['autumn', 'spring', 'summer'];
export const TERM_LABELS: Record<TermName, string> = { autumn: 'Autumn', spring: 'Spring', summer: 'Summer' };

/** A standardised score this close under where a pupil should be is within the test's own error. */
export const SCORE_TOLERANCE = 3;

export interface Band {
  code: string;
  label: string;
}

export interface SubjectScale {
  scale: AssessmentScale;
  bands: readonly Band[] | null;
  expectedBand: string | null;
  scoreMin: number | null;
  scoreMax: number | null;
  scoreExpected: number | null;
  stepsPerYear: number | null;
}

export interface SubjectDefinition extends SubjectScale {
  name: string;
}

export const DEFAULT_BANDS: readonly Band[] = [
  { code: 'BLW', label: 'Working below' },
  { code: 'WTS', label: 'Working towards' },
  { code: 'EXS', label: 'Expected standard' },
  { code: 'GDS', label: 'Greater depth' },
];

/** Reading, writing and maths on bands: what a new school starts with (it may change them). */
export const DEFAULT_SUBJECTS: readonly SubjectDefinition[] = ['Reading', 'Writing', 'Maths'].map((name) => ({
  name,
  scale: 'bands',
  bands: DEFAULT_BANDS,
  expectedBand: 'EXS',
  scoreMin: null,
  scoreMax: null,
  scoreExpected: null,
  stepsPerYear: null,
}));

/** Small steps a pupil working below their year group is expected to make in a year, unless the school says. */
export const DEFAULT_STEPS_PER_YEAR = 6;

export function termIndex(term: TermName): number {
  return TERMS.indexOf(term);
}

/** A term as a number that orders terms across years (2026 autumn < 2026 spring < 2027 autumn). */
export function termOrdinal(academicYear: number, term: TermName): number {
  return academicYear * 3 + termIndex(term);
}

export function termLabel(academicYear: number, term: TermName): string {
  const year = term === 'autumn' ? academicYear : academicYear + 1;
  return `${TERM_LABELS[term]} ${year}`;
}

/** The term before (summer of last year before this autumn). */
export function previousTerm(academicYear: number, term: TermName): { academicYear: number; term: TermName } {
  const i = termIndex(term);
  return i === 0 ? { academicYear: academicYear - 1, term: 'summer' } : { academicYear, term: TERMS[i - 1]! };
}

/** The band position of a subject's expected band (bands scale), or null. */
export function expectedBandValue(subject: SubjectScale): number | null {
  if (!subject.bands || !subject.expectedBand) return null;
  const i = subject.bands.findIndex((b) => b.code === subject.expectedBand);
  return i < 0 ? null : i;
}

/** How a value reads on its scale: "Expected standard (EXS)", "104", "Step 7". */
export function valueLabel(subject: SubjectScale, scale: AssessmentScale, value: number): string {
  if (scale === 'bands') {
    const band = subject.bands?.[value];
    return band ? band.label : `Band ${value + 1}`;
  }
  if (scale === 'steps') return `Step ${value}`;
  return String(value);
}

/** The short form the class grid shows and takes: a band's code, a score, "S7" for a small step. */
export function valueCode(subject: SubjectScale, scale: AssessmentScale, value: number): string {
  if (scale === 'bands') return subject.bands?.[value]?.code ?? String(value);
  if (scale === 'steps') return `S${value}`;
  return String(value);
}

export type ParsedValue = { scale: AssessmentScale; value: number } | { problem: string };

/**
 * What a teacher typed in a cell of the class grid, or an MIS export's column: a band's code or label
 * (any capitals), a score in the subject's range, or a small step ("S4", "Step 4"). Small steps are
 * accepted in a banded or scored subject too: a pupil working below their year group.
 */
export function parseValue(subject: SubjectScale & { name: string }, raw: string): ParsedValue {
  const text = raw.trim().replace(/\s+/g, ' ');
  const step = /^(?:s|step)\s?(\d{1,2})$/i.exec(text);
  if (step) {
    const value = Number(step[1]);
    if (value < 1 || value > 99) return { problem: `Small steps go from 1 to 99 (“${text}”)` };
    return { scale: 'steps', value };
  }
  if (subject.scale === 'bands') {
    const bands = subject.bands ?? [];
    const i = bands.findIndex(
      (b) => b.code.toLowerCase() === text.toLowerCase() || b.label.toLowerCase() === text.toLowerCase(),
    );
    if (i >= 0) return { scale: 'bands', value: i };
    return {
      problem: `Enter one of ${bands.map((b) => b.code).join(', ')}, or a small step such as S3, for ${subject.name}`,
    };
  }
  if (subject.scale === 'score') {
    if (!/^\d{1,3}$/.test(text)) return { problem: `Enter a score as a whole number for ${subject.name}` };
    const value = Number(text);
    const min = subject.scoreMin ?? 0;
    const max = subject.scoreMax ?? 999;
    if (value < min || value > max) return { problem: `Scores for ${subject.name} go from ${min} to ${max}` };
    return { scale: 'score', value };
  }
  if (/^\d{1,2}$/.test(text) && Number(text) >= 1) return { scale: 'steps', value: Number(text) };
  return { problem: `Enter a small step such as S3 for ${subject.name}` };
}

/**
 * Where a pupil's peers are expected to be at the end of the year, on the scale the pupil is assessed
 * on: the expected band, the expected score; on small steps, a year's steps from the pupil's baseline
 * (null when there is no baseline to count from).
 */
export function peersEndValue(
  subject: SubjectScale,
  scale: AssessmentScale,
  baseline: number | null,
): number | null {
  if (scale === 'bands') return expectedBandValue(subject);
  if (scale === 'score') return subject.scoreExpected ?? 100;
  return baseline === null ? null : baseline + (subject.stepsPerYear ?? DEFAULT_STEPS_PER_YEAR);
}

/** Does a trajectory differ from the peers' (so that its reason is required)? */
export function differsFromPeers(
  subject: SubjectScale,
  scale: AssessmentScale,
  endValue: number,
  baseline: number | null,
): boolean {
  if (scale !== subject.scale) return true;
  const peers = peersEndValue(subject, scale, baseline);
  return peers === null || peers !== endValue;
}

/** The problem with a trajectory as set (its reason missing when it differs from the peers'), or null. */
export function trajectoryProblem(
  subject: SubjectScale,
  input: { scale: AssessmentScale; endValue: number; reason: string | null },
  baseline: number | null,
): string | null {
  if (input.scale === 'bands' && (input.endValue < 0 || input.endValue >= (subject.bands?.length ?? 0)))
    return 'Choose one of the subject’s bands';
  if (input.scale === 'score' && subject.scoreMin !== null && subject.scoreMax !== null)
    if (input.endValue < subject.scoreMin || input.endValue > subject.scoreMax)
      return `Scores go from ${subject.scoreMin} to ${subject.scoreMax}`;
  if (input.scale === 'steps' && (input.endValue < 1 || input.endValue > 99))
    return 'Small steps go from 1 to 99';
  if (differsFromPeers(subject, input.scale, input.endValue, baseline) && !input.reason?.trim())
    return 'Say why this pupil’s expected progress differs from their peers’';
  return null;
}

export interface Result {
  academicYear: number;
  term: TermName;
  scale: AssessmentScale;
  value: number;
}

/**
 * The pupil's baseline for a year: last summer's result, or (with none) the first result of this year,
 * on the same scale as the trajectory; null when there is neither.
 */
export function baselineOf(
  results: readonly Result[],
  academicYear: number,
  scale: AssessmentScale,
): number | null {
  const same = results.filter((r) => r.scale === scale);
  const lastSummer = same.find((r) => r.academicYear === academicYear - 1 && r.term === 'summer');
  if (lastSummer) return lastSummer.value;
  const thisYear = same
    .filter((r) => r.academicYear === academicYear)
    .sort((a, b) => termIndex(a.term) - termIndex(b.term));
  return thisYear[0]?.value ?? null;
}

/**
 * Where the pupil should be by the end of a term: a third of the way from the baseline to the end value
 * each term (the summer is the end value). With no baseline, the end value all year.
 */
export function expectedAt(baseline: number | null, endValue: number, term: TermName): number {
  if (baseline === null) return endValue;
  return baseline + ((endValue - baseline) * (termIndex(term) + 1)) / 3;
}

export type TrajectoryStatus = 'above' | 'on' | 'below' | 'no_trajectory' | 'no_result' | 'other_scale';

export const TRAJECTORY_STATUS_LABELS: Record<TrajectoryStatus, string> = {
  above: 'Above trajectory',
  on: 'On trajectory',
  below: 'Below trajectory',
  no_trajectory: 'No trajectory set',
  no_result: 'Not assessed',
  other_scale: 'Assessed on another scale',
};

export interface Trajectory {
  academicYear: number;
  scale: AssessmentScale;
  endValue: number;
}

/**
 * A result against the trajectory for its year: below when under where the pupil should be by that term
 * (whole bands or steps: a part-way point rounds down, so a pupil is not below for not yet having moved
 * a whole band; a score by more than SCORE_TOLERANCE), above when past it, else on it.
 */
export function trajectoryStatus(
  result: Result | null,
  trajectory: Trajectory | null,
  baseline: number | null,
): TrajectoryStatus {
  if (!trajectory) return 'no_trajectory';
  if (!result || result.academicYear !== trajectory.academicYear) return 'no_result';
  if (result.scale !== trajectory.scale) return 'other_scale';
  const expected = expectedAt(baseline, trajectory.endValue, result.term);
  if (result.scale === 'score') {
    if (result.value < expected - SCORE_TOLERANCE) return 'below';
    if (result.value > expected + SCORE_TOLERANCE) return 'above';
    return 'on';
  }
  if (result.value < Math.floor(expected)) return 'below';
  if (result.value > Math.ceil(expected)) return 'above';
  return 'on';
}

/**
 * The trajectory a pupil has for a year when none was set: their peers'. On small steps there is no
 * peers' trajectory without a baseline, so none.
 */
export function defaultTrajectory(
  subject: SubjectScale,
  academicYear: number,
  scale: AssessmentScale,
  baseline: number | null,
): Trajectory | null {
  const end = peersEndValue(subject, scale, baseline);
  return end === null ? null : { academicYear, scale, endValue: end };
}

/** The latest result of a pupil in a subject (the list may hold any years and terms). */
export function latestResult(results: readonly Result[]): Result | null {
  let latest: Result | null = null;
  for (const r of results)
    if (!latest || termOrdinal(r.academicYear, r.term) > termOrdinal(latest.academicYear, latest.term))
      latest = r;
  return latest;
}

export interface SubjectProgress {
  latest: Result | null;
  baseline: number | null;
  /** The trajectory set for the year, or the peers' when none was set (`set` says which). */
  trajectory: Trajectory | null;
  set: boolean;
  /** The reason given where the set trajectory differs from the peers'. */
  reason: string | null;
  status: TrajectoryStatus;
}

/**
 * One pupil's progress in one subject for an academic year: their latest result this year against the
 * trajectory set for them (or their peers' when none was), from their baseline on the same scale.
 */
export function subjectProgress(
  subject: SubjectScale,
  academicYear: number,
  results: readonly Result[],
  set: (Trajectory & { reason: string | null }) | null,
): SubjectProgress {
  const thisYear = results.filter((r) => r.academicYear === academicYear);
  const latest = latestResult(thisYear);
  const scale = set?.scale ?? latest?.scale ?? subject.scale;
  const baseline = baselineOf(results, academicYear, scale);
  const trajectory = set
    ? { academicYear, scale: set.scale, endValue: set.endValue }
    : defaultTrajectory(subject, academicYear, scale, baseline);
  return {
    latest,
    baseline,
    trajectory,
    set: set !== null,
    reason: set?.reason ?? null,
    status: trajectoryStatus(latest, trajectory, baseline),
  };
}

/** The `count` terms up to and including this one, oldest first (the pupil's page, the demo's history). */
export function termsUpTo(
  academicYear: number,
  term: TermName,
  count: number,
): { academicYear: number; term: TermName }[] {
  const terms = [{ academicYear, term }];
  while (terms.length < count) terms.unshift(previousTerm(terms[0]!.academicYear, terms[0]!.term));
  return terms;
}

/**
 * The bands of a subject as the settings page takes them: one a line, its code then its label
 * ("EXS Expected standard"), lowest first. Null with the problem when they cannot be read.
 */
export function parseBands(text: string): { bands: Band[] } | { problem: string } {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter((l) => l !== '');
  if (lines.length < 2) return { problem: 'Enter at least two bands, one a line, lowest first' };
  if (lines.length > 12) return { problem: 'Enter no more than 12 bands' };
  const bands: Band[] = [];
  for (const line of lines) {
    const match = /^([A-Za-z][A-Za-z0-9+-]{0,5})(?: (.{1,60}))?$/.exec(line);
    if (!match)
      return {
        problem: `Start each band with a short code of letters (up to 6), then its name: “${line.slice(0, 40)}” does not`,
      };
    const code = match[1]!.toUpperCase();
    if (/^S\d+$/.test(code)) return { problem: `${code} reads as a small step: choose another code` };
    if (bands.some((b) => b.code === code)) return { problem: `The code ${code} is used twice` };
    bands.push({ code, label: match[2] ?? code });
  }
  return { bands };
}

/** The bands as the settings page shows them back: one a line, code then label. */
export function bandsText(bands: readonly Band[] | null): string {
  return (bands ?? []).map((b) => `${b.code} ${b.label}`).join('\n');
}

export interface SubjectInput extends SubjectDefinition {}

/** What is wrong with a subject's scale as entered (field by field), empty when nothing is. */
export function subjectProblems(input: SubjectInput): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (input.scale === 'bands') {
    if (!input.bands || input.bands.length < 2)
      problems.push({ field: 'bands', message: 'Enter at least two bands, one a line, lowest first' });
    else if (!input.expectedBand || !input.bands.some((b) => b.code === input.expectedBand))
      problems.push({
        field: 'expectedBand',
        message: 'Enter the code of one of the bands as the expected band',
      });
  }
  if (input.scale === 'score') {
    const { scoreMin: min, scoreMax: max, scoreExpected: expected } = input;
    if (min === null || max === null || min >= max)
      problems.push({
        field: 'scoreMax',
        message: 'Enter the lowest and highest scores, the highest above the lowest',
      });
    else if (expected === null || expected < min || expected > max)
      problems.push({ field: 'scoreExpected', message: `Enter the expected score, from ${min} to ${max}` });
  }
  if (input.stepsPerYear !== null && (input.stepsPerYear < 1 || input.stepsPerYear > 30))
    problems.push({ field: 'stepsPerYear', message: 'Small steps in a year go from 1 to 30' });
  return problems;
}

/** The columns of an MIS assessment export, by the headings MIS exports and people use for them. */
export type AttainmentColumn = 'upn' | 'subject' | 'academicYear' | 'term' | 'value';

const COLUMN_HEADINGS: Record<AttainmentColumn, readonly string[]> = {
  upn: ['upn', 'unique pupil number', 'pupil upn'],
  subject: ['subject', 'subject name', 'aspect', 'assessment subject'],
  academicYear: ['academic year', 'academicyear', 'school year', 'year', 'assessment year'],
  term: ['term', 'assessment term', 'period', 'assessment period'],
  value: ['value', 'result', 'grade', 'attainment', 'outcome', 'mark', 'score', 'judgement', 'assessment'],
};

export const ATTAINMENT_COLUMN_LABELS: Record<AttainmentColumn, string> = {
  upn: 'UPN',
  subject: 'Subject',
  academicYear: 'Academic year',
  term: 'Term',
  value: 'Value',
};

/** Which column holds what, from the headings (case, spaces, underscores aside); the missing named. */
export function attainmentColumns(
  headings: readonly string[],
): { columns: Record<AttainmentColumn, number> } | { missing: AttainmentColumn[] } {
  const norm = headings.map((h) =>
    h
      .toLowerCase()
      .replace(/[_\-.]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  const columns = {} as Record<AttainmentColumn, number>;
  const missing: AttainmentColumn[] = [];
  for (const column of Object.keys(COLUMN_HEADINGS) as AttainmentColumn[]) {
    const i = norm.findIndex((h) => COLUMN_HEADINGS[column].includes(h));
    if (i < 0) missing.push(column);
    else columns[column] = i;
  }
  return missing.length > 0 ? { missing } : { columns };
}

/** An academic year as exports write it: "2026", "2026/27", "2026-27", "2026/2027" (its starting year). */
export function parseAcademicYear(text: string): number | null {
  const m = /^(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?$/.exec(text.trim());
  if (!m) return null;
  const start = Number(m[1]);
  if (m[2]) {
    const end = Number(m[2].length === 2 ? `${String(start + 1).slice(0, 2)}${m[2]}` : m[2]);
    if (end !== start + 1) return null;
  }
  return start >= 2000 && start <= 2100 ? start : null;
}

/** A term as exports write it: "Autumn", "autumn term", "Aut", "Spr 1" aside (half terms are not terms). */
export function parseTerm(text: string): TermName | null {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/\s+term$/, '');
  if (t === 'autumn' || t === 'aut') return 'autumn';
  if (t === 'spring' || t === 'spr') return 'spring';
  if (t === 'summer' || t === 'sum') return 'summer';
  return null;
}
