import { z } from 'zod';
import {
  ASSESSMENT_SCALES,
  type AssessmentScale,
  parseBands,
  type SubjectInput,
  TERMS,
} from '../../../domain/attainment.ts';
import type { TermName } from '../../../domain/calendar.ts';
import type { GridCell, Term, TrajectoryInput } from '../../../services/attainment/index.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import type { Parsed } from '../../forms/errors.ts';
import { parseForm } from '../../forms/errors.ts';
import { type FormBody, hasControlCharacters, optionalText, text, version } from '../../forms/fields.ts';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const CELL = new RegExp(`^c_(${UUID})_(${UUID})$`);
/** More cells than any class has pupils times subjects: a form this size is not the grid. */
const MAX_CELLS = 3000;

/** A term in a link: "2026-autumn". Anything else is no term (the current one). */
export function termFromQuery(query: unknown): Term | undefined | null {
  const value = (query as Record<string, unknown> | undefined)?.term;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return null;
  const match = /^(\d{4})-(autumn|spring|summer)$/.exec(value);
  if (!match) return null;
  return { academicYear: Number(match[1]), term: match[2] as TermName };
}

export const termQuery = (t: Term) => `${t.academicYear}-${t.term}`;

const one = (body: FormBody, name: string): string | null => {
  const v = body[name];
  return typeof v === 'string' ? v : v === undefined ? '' : null;
};

/**
 * The class grid as sent: every cell `c_<pupil>_<subject>` with what the form showed beside it
 * (`o_…`, the saved value's code) and its version (`v_…`, empty for none). A cell sent twice or with
 * hidden characters is named; a form that is not the grid is refused whole.
 */
export function parseGrid(body: FormBody): Parsed<{ cells: GridCell[] }> {
  const cells: GridCell[] = [];
  const errors: FieldError[] = [];
  for (const name of Object.keys(body)) {
    const match = CELL.exec(name);
    if (!match) continue;
    if (cells.length >= MAX_CELLS)
      return {
        ok: false,
        errors: [{ field: 'form', message: 'This form has more cells than a class grid has' }],
      };
    const key = `${match[1]}_${match[2]}`;
    const value = one(body, name);
    const shown = one(body, `o_${key}`);
    const versionText = one(body, `v_${key}`);
    if (value === null || shown === null || versionText === null) {
      errors.push({ field: name, message: 'Enter one value in each cell' });
      continue;
    }
    if (hasControlCharacters(value) || value.length > 20) {
      errors.push({ field: name, message: 'Enter a band, a score or a small step such as S3' });
      continue;
    }
    if (!/^(|[1-9]\d{0,8})$/.test(versionText)) {
      errors.push({
        field: 'form',
        message: 'This form is out of date: open the page again and enter the results there',
      });
      continue;
    }
    cells.push({
      pupilId: match[1]!.toLowerCase(),
      subjectId: match[2]!.toLowerCase(),
      value,
      shown: hasControlCharacters(shown) ? '' : shown.slice(0, 20),
      version: versionText === '' ? null : Number(versionText),
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, data: { cells } };
}

const optionalWhole = (label: string) =>
  z
    .string({ error: `${label} must be entered once, as text` })
    .optional()
    .transform((v) => (v ?? '').trim())
    .refine((v) => v === '' || /^\d{1,4}$/.test(v), `${label} must be a whole number`)
    .transform((v) => (v === '' ? null : Number(v)));

const SubjectShape = z.object({
  name: text('Subject name', { max: 60, requiredMessage: 'Enter the subject’s name' }),
  scale: z
    .string({ error: 'Choose the scale' })
    .optional()
    .refine((v) => ASSESSMENT_SCALES.includes(v as AssessmentScale), 'Choose the scale')
    .transform((v) => v as AssessmentScale),
  bands: optionalText('Bands', { max: 1000, multiline: true }),
  expectedBand: optionalText('Expected band', { max: 6 }),
  scoreMin: optionalWhole('The lowest score'),
  scoreMax: optionalWhole('The highest score'),
  scoreExpected: optionalWhole('The expected score'),
  stepsPerYear: optionalWhole('Small steps in a year'),
});

function toSubjectInput(d: z.output<typeof SubjectShape>): Parsed<SubjectInput> {
  let bands = null;
  if (d.scale === 'bands') {
    const parsed = parseBands(d.bands ?? '');
    if ('problem' in parsed) return { ok: false, errors: [{ field: 'bands', message: parsed.problem }] };
    bands = parsed.bands;
  }
  return {
    ok: true,
    data: {
      name: d.name,
      scale: d.scale,
      bands,
      expectedBand: d.expectedBand?.toUpperCase() ?? null,
      scoreMin: d.scoreMin,
      scoreMax: d.scoreMax,
      scoreExpected: d.scoreExpected,
      stepsPerYear: d.stepsPerYear,
    },
  };
}

export function parseSubject(body: FormBody): Parsed<SubjectInput> {
  const parsed = parseForm(SubjectShape, body);
  return parsed.ok ? toSubjectInput(parsed.data) : parsed;
}

export function parseSubjectChange(body: FormBody): Parsed<SubjectInput & { version: number }> {
  const v = parseForm(z.object({ version: version() }), body);
  const s = parseSubject(body);
  if (!v.ok || !s.ok) return { ok: false, errors: [...(s.ok ? [] : s.errors), ...(v.ok ? [] : v.errors)] };
  return { ok: true, data: { ...s.data, version: v.data.version } };
}

export const parseArchive = (body: FormBody) => parseForm(z.object({ version: version() }), body);

const TrajectoryShape = z.object({
  scale: z
    .string({ error: 'Choose the scale' })
    .optional()
    .refine((v) => ASSESSMENT_SCALES.includes(v as AssessmentScale), 'Choose the scale')
    .transform((v) => v as AssessmentScale),
  endValue: text('Expected by the end of the year', {
    max: 20,
    requiredMessage: 'Enter where the pupil is expected to be by the end of the year',
  }),
  reason: optionalText('Reason', { max: 2000, multiline: true }),
  version: z
    .string({ error: 'This form is out of date: open the page again and make your change there' })
    .optional()
    .refine(
      (v) => v === undefined || v === '' || /^[1-9]\d{0,8}$/.test(v),
      'This form is out of date: open the page again and make your change there',
    )
    .transform((v) => (v ? Number(v) : null)),
});

export function parseTrajectory(body: FormBody): Parsed<TrajectoryInput> {
  return parseForm(TrajectoryShape, body);
}

export const TERM_VALUES = TERMS;
