import { z } from 'zod';
import { RECOMMENDATION_KINDS, type RecommendationItem } from '../../../domain/agencies.ts';
import { AREAS_OF_NEED } from '../../../domain/census.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import type { FieldError } from '../../../services/kernel/errors.ts';
import type { InviteInput } from '../../../services/professionals/invite.ts';
import type { ReportInput } from '../../../services/professionals/reports.ts';
import { dateFromFields } from '../../forms/dates.ts';
import { type Parsed, parseForm } from '../../forms/errors.ts';
import { type FormBody, isUuid, optionalChoice, optionalText, text, version } from '../../forms/fields.ts';
import { fileFrom } from '../../forms/upload.ts';

/** The most recommendation rows a report form shows ("add another" adds one at a time). */
export const MAX_ROWS = 20;
/** Blank rows a fresh report form shows. */
export const FIRST_ROWS = 3;

/** How many recommendation rows the form shows: from the hidden `rows` field, between 3 and 20. */
export function rowsOf(body: FormBody): number {
  const raw = typeof body.rows === 'string' && /^\d{1,2}$/.test(body.rows) ? Number(body.rows) : FIRST_ROWS;
  return Math.min(MAX_ROWS, Math.max(FIRST_ROWS, raw));
}

const InviteSchema = z.object({
  version: version(),
  professional: z
    .string({ error: 'Choose the professional to invite' })
    .optional()
    .refine((v) => v === 'other' || isUuid(v), 'Choose the professional to invite'),
  name: optionalText('Name', { max: 200 }),
  email: optionalText('Email address', { max: 254 }),
});

export function parseInvite(body: FormBody): Parsed<InviteInput> {
  const parsed = parseForm(InviteSchema, body);
  const until = dateFromFields(body, 'sharedUntil', 'last day of sharing');
  const errors: FieldError[] = parsed.ok ? [] : [...parsed.errors];
  if (until.error) errors.push({ field: 'sharedUntil', message: until.error });
  if (!parsed.ok || errors.length) return { ok: false, errors };
  const other = parsed.data.professional === 'other';
  return {
    ok: true,
    data: {
      version: parsed.data.version,
      agencyProfessionalId: other ? null : (parsed.data.professional as string).toLowerCase(),
      name: other ? parsed.data.name : null,
      email: other ? parsed.data.email : null,
      sharedUntil: until.value as IsoDate,
    },
  };
}

const ReportSchema = z.object({
  title: text('Title', { max: 200, requiredMessage: 'Enter the report’s title' }),
  summary: optionalText('Summary', { max: 5000, multiline: true }),
  authorName: optionalText('Who wrote it', { max: 200 }),
  authorRole: optionalText('What they do', { max: 200 }),
});

const RowSchema = z.object({
  text: optionalText('The recommendation', { max: 2000, multiline: true }),
  kind: optionalChoice(RECOMMENDATION_KINDS, 'Choose the kind of recommendation from the list'),
  area: optionalChoice(AREAS_OF_NEED, 'Choose the area of need from the list'),
});

/**
 * A report and its recommendation rows. A blank row is left out; a row with text needs its kind. The
 * school names who wrote it; a professional's name comes from their account. The file is required of a
 * professional, optional for a report the school received on paper.
 */
export function parseReport(body: FormBody, options: { school: boolean }): Parsed<ReportInput> {
  const errors: FieldError[] = [];
  const parsed = parseForm(ReportSchema, body);
  if (!parsed.ok) errors.push(...parsed.errors);
  const written = dateFromFields(body, 'writtenOn', 'date the report was written');
  if (written.error) errors.push({ field: 'writtenOn', message: written.error });
  if (options.school && parsed.ok && !parsed.data.authorName)
    errors.push({ field: 'authorName', message: 'Enter who wrote the report' });
  const recommendations: RecommendationItem[] = [];
  for (let i = 1; i <= rowsOf(body); i++) {
    const row = parseForm(RowSchema, {
      text: body[`rec-${i}-text`],
      kind: body[`rec-${i}-kind`],
      area: body[`rec-${i}-area`],
    });
    if (!row.ok) {
      for (const e of row.errors)
        errors.push({ field: `rec-${i}-${e.field}`, message: `Recommendation ${i}: ${e.message}` });
      continue;
    }
    if (!row.data.text) {
      if (row.data.kind || row.data.area)
        errors.push({
          field: `rec-${i}-text`,
          message: `Recommendation ${i}: write the recommendation, or clear its choices`,
        });
      continue;
    }
    if (!row.data.kind) {
      errors.push({ field: `rec-${i}-kind`, message: `Recommendation ${i}: choose its kind` });
      continue;
    }
    recommendations.push({ text: row.data.text, kind: row.data.kind, area: row.data.area });
  }
  const file = fileFrom(body as Record<string, unknown>, 'file', 'the report’s file');
  const noFile = !file.ok && /^Choose/.test(file.message);
  if (!file.ok && !(options.school && noFile)) errors.push({ field: 'file', message: file.message });
  if (errors.length || !parsed.ok) return { ok: false, errors };
  return {
    ok: true,
    data: {
      title: parsed.data.title,
      writtenOn: written.value as IsoDate,
      summary: parsed.data.summary,
      authorName: parsed.data.authorName,
      authorRole: parsed.data.authorRole,
      file: file.ok ? { name: file.file.fileName, bytes: file.file.data } : null,
      recommendations,
    },
  };
}
