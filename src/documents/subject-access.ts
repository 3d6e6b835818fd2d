import yazl from 'yazl';
import { AUDIT_ACTION_LABELS, isAuditAction } from '../domain/audit.ts';
import { formatDate, formatDateTime } from '../domain/dates.ts';
import { codeLabel, columnOf, fieldLabel } from '../domain/subject-access.ts';
import type { SubjectAccessExport } from '../services/subject-access/index.ts';
import { toCsv } from './csv.ts';
import { TaggedPdf } from './pdf.ts';

/*
 * The answer to a subject access request, as one ZIP: a readable, tagged PDF of everything held about
 * the pupil (a section per kind of record), the same as JSON, who has seen or changed the record
 * (views.csv), the files kept for the pupil, and a note saying what it is and what to check first.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a field names another record (an id) rather than saying something to read. */
const isLink = (column: string, value: unknown) =>
  column === 'id' ||
  column.endsWith('_id') ||
  column.endsWith('_ids') ||
  (typeof value === 'string' && UUID.test(value));

/**
 * A value as a person reads it, its codes in words (for the column it is in, in this kind of record);
 * a list or a record nested in a field read the same way, its ids left out; null when there is
 * nothing to show.
 */
export function readableValue(value: unknown, kind = '', column = ''): string | null {
  const coded = codeLabel(kind, column, value);
  if (coded !== null) return coded;
  if (Array.isArray(value)) {
    const items = value.map((item) => readableValue(item, kind, column)).filter((t) => t !== null);
    return items.length ? items.join(value.every((v) => typeof v === 'string') ? ', ' : '; ') : null;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const parts = Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
      const nested = columnOf(key);
      if (isLink(nested, v)) return [];
      const text = readableValue(v, kind, nested);
      return text === null ? [] : [`${fieldLabel(nested)}: ${text}`];
    });
    return parts.length ? parts.join(', ') : null;
  }
  return plainValue(value);
}

function plainValue(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return formatDateTime(value);
  if (typeof value === 'string') {
    if (ISO_DATE.test(value)) return formatDate(value);
    if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(value)) {
      const at = new Date(value);
      if (!Number.isNaN(at.getTime())) return formatDateTime(at);
    }
    return value;
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * The fields of a record worth reading (ids link records together in the JSON, not in the PDF), a
 * code in the words the pages use for it ("SEN support", not sen_support).
 */
function readableFields(kind: string, row: Record<string, unknown>): [string, string][] {
  return Object.entries(row).flatMap(([column, value]): [string, string][] => {
    if (isLink(column, value)) return []; // a link to another record (who, by account)
    const text = readableValue(value, kind, column);
    return text === null ? [] : [[fieldLabel(column), text]];
  });
}

export async function subjectAccessPdf(data: SubjectAccessExport): Promise<Buffer> {
  const name = `${data.pupil.forename} ${data.pupil.surname}`;
  const pdf = new TaggedPdf({
    title: `What ${data.schoolName} holds about ${name}`,
    author: data.schoolName,
    subject: 'Subject access request',
  });
  pdf.heading(1, `What ${data.schoolName} holds about ${name}`);
  pdf.facts([
    ['Pupil', name],
    ['Date of birth', formatDate(data.pupil.dateOfBirth)],
    ['UPN', data.pupil.upn],
    ['Asked for by', data.requesterName],
    ['Request received', formatDate(data.receivedOn)],
    ['Produced', `${formatDateTime(data.producedAt)} by ${data.producedByName}`],
  ]);
  pdf.paragraph(
    'Each section below is one kind of record the school keeps, with every record of that kind about the pupil. Who has seen or changed the record is in views.csv beside this document, and the files kept for the pupil are in the files folder.',
  );
  for (const kind of data.kinds) {
    pdf.heading(2, `${kind.label} (${kind.rows.length})`);
    if (kind.rows.length === 0) {
      pdf.paragraph('None held.');
      continue;
    }
    kind.rows.forEach((row, i) => {
      if (kind.rows.length > 1) pdf.heading(3, `${kind.label}: ${i + 1} of ${kind.rows.length}`);
      const fields = readableFields(kind.kind, row);
      if (fields.length === 0) pdf.paragraph('Nothing to show beyond the record’s links to others.');
      else pdf.fieldLines(fields);
    });
  }
  pdf.heading(2, `Who has seen or changed the record (${data.views.length})`);
  pdf.paragraph('Every time someone opened or changed the record is listed in views.csv.');
  return pdf.finish();
}

export function viewsCsv(data: SubjectAccessExport): string {
  return toCsv(
    ['When', 'Who', 'Role', 'What'],
    data.views.map((v) => [
      formatDateTime(v.occurredAt),
      v.name ?? 'OpenSEND',
      v.role ?? '',
      isAuditAction(v.action) ? AUDIT_ACTION_LABELS[v.action] : v.action,
    ]),
  );
}

function readme(data: SubjectAccessExport): string {
  const lines = [
    `What ${data.schoolName} holds about ${data.pupil.forename} ${data.pupil.surname}`,
    '',
    `Produced by OpenSEND on ${formatDateTime(data.producedAt)} by ${data.producedByName}, for a subject access request from ${data.requesterName} received on ${formatDate(data.receivedOn)}.`,
    '',
    'record.pdf   everything held, readable, a section per kind of record',
    'record.json  the same, as data',
    'views.csv    who has seen or changed the record, and when',
    'files/       the files kept for the pupil',
  ];
  if (data.flagged.length > 0) {
    lines.push(
      '',
      'BEFORE RELEASE: these records name another pupil, whose information must be removed (redacted):',
      ...data.flagged.map((f) => `  ${f.label}, ${fieldLabel(f.field)}: ${f.names.join(', ')}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A file name safe in a ZIP: no folders, no control characters. */
function zipName(name: string): string {
  return name.replace(/[\\/\p{Cc}]/gu, '_').slice(0, 150) || 'file';
}

/** A record as data: its codes kept, each with its words beside it (`sen_stage_label`). */
export function withLabels(kind: string, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    out[column] = value;
    const label = codeLabel(kind, column, value);
    if (label !== null) out[`${column}_label`] = label;
  }
  return out;
}

export async function subjectAccessZip(data: SubjectAccessExport): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = data.producedAt;
  zip.addBuffer(Buffer.from(readme(data)), 'README.txt', { mtime });
  zip.addBuffer(await subjectAccessPdf(data), 'record.pdf', { mtime });
  const json = {
    school: data.schoolName,
    pupil: data.pupil,
    request: { from: data.requesterName, receivedOn: data.receivedOn },
    produced: { at: data.producedAt.toISOString(), by: data.producedByName },
    records: Object.fromEntries(
      data.kinds.map((k) => [k.kind, { label: k.label, rows: k.rows.map((row) => withLabels(k.kind, row)) }]),
    ),
    views: data.views,
  };
  zip.addBuffer(Buffer.from(JSON.stringify(json, null, 2)), 'record.json', { mtime });
  zip.addBuffer(Buffer.from(viewsCsv(data)), 'views.csv', { mtime });
  const used = new Set<string>();
  for (const f of data.files) {
    let name = zipName(f.name);
    if (used.has(name)) name = `${f.id.slice(0, 8)}-${name}`;
    used.add(name);
    zip.addBuffer(f.bytes, `files/${name}`, { mtime });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
