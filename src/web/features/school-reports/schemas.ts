import { type SchoolReportKind, writtenItems } from '../../../domain/school-reports.ts';
import type { Parsed } from '../../forms/errors.ts';
import type { FormBody } from '../../forms/fields.ts';

const VERSION = /^[1-9]\d{0,9}$/;
const VERSION_MESSAGE = 'This form is out of date: open the report again';

function versionOf(body: FormBody): number | null {
  const v = body.version;
  return typeof v === 'string' && VERSION.test(v) && Number(v) <= 2_147_483_647 ? Number(v) : null;
}

/** Starting a draft: which report, for which school year (sent by the buttons of the list). */
export function parseStart(body: FormBody): Parsed<{ kind: string; academicYear: number }> {
  const kind = body.kind;
  const year = body.academicYear;
  const errors = [];
  if (typeof kind !== 'string' || kind === '')
    errors.push({ field: 'kind', message: 'Choose which report to draft' });
  if (typeof year !== 'string' || !/^\d{4}$/.test(year))
    errors.push({ field: 'academicYear', message: 'Choose this school year or last' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, data: { kind: kind as string, academicYear: Number(year) } };
}

/** The school's words, one box per item it writes; the version the page was read at. */
export function parseTexts(
  kind: SchoolReportKind,
  body: FormBody,
): Parsed<{ version: number; texts: Record<string, string> }> {
  const version = versionOf(body);
  const errors: { field: string; message: string }[] = [];
  if (version === null) errors.push({ field: 'form', message: VERSION_MESSAGE });
  const texts: Record<string, string> = {};
  for (const item of writtenItems(kind)) {
    const value = body[item.key];
    if (value === undefined) continue;
    if (typeof value !== 'string') errors.push({ field: item.key, message: 'Enter the text once' });
    else texts[item.key] = value;
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, data: { version: version as number, texts } };
}

/** Publishing: only the version the page was read at. */
export function parseVersion(body: FormBody): Parsed<{ version: number }> {
  const version = versionOf(body);
  return version === null
    ? { ok: false, errors: [{ field: 'form', message: VERSION_MESSAGE }] }
    : { ok: true, data: { version } };
}
