import { academicYearStartOf, ncYearFromDateOfBirth, ncYearLabel } from '../../../domain/calendar.ts';
import { formatDate, formatDateTime, type IsoDate } from '../../../domain/dates.ts';
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS } from '../../../domain/imports/fields.ts';
import type { ImportService } from '../../../services/imports/index.ts';

/** The most rows of each kind a preview page lists (every one is applied; the counts are exact). */
export const SHOWN = 1000;

type Preview = Extract<Awaited<ReturnType<ImportService['preview']>>, { stage: 'preview' }>;
type Overview = Awaited<ReturnType<ImportService['overview']>>;
type Columns = Awaited<ReturnType<ImportService['columns']>>;

const STATUS = {
  previewed: { text: 'Not applied yet', classes: 'govuk-tag--yellow' },
  applied: { text: 'Applied', classes: 'govuk-tag--green' },
  discarded: { text: 'Discarded', classes: 'govuk-tag--grey' },
} as const;

/** "12 new, 30 changed, 3 with problems" */
function countsText(counts: Record<string, number>): string {
  const parts: string[] = [];
  if (counts.new !== undefined) parts.push(`${counts.new} new`);
  if (counts.changed !== undefined) parts.push(`${counts.changed} changed`);
  if (counts.unchanged !== undefined) parts.push(`${counts.unchanged} unchanged`);
  if (counts.problems) parts.push(`${counts.problems} with problems`);
  if (counts.left) parts.push(`${counts.left} marked as left`);
  return parts.length > 0 ? parts.join(', ') : `${counts.rows ?? 0} rows, columns not chosen yet`;
}

export function uploadPageModel(overview: Overview) {
  return {
    imports: overview.imports.map((i) => ({
      id: i.id,
      fileName: i.fileName,
      uploaded: formatDateTime(i.createdAt),
      by: i.uploadedByName,
      status: STATUS[i.status],
      counts: countsText(i.counts),
      discardable: i.status === 'previewed',
    })),
  };
}

/** Every field a column can hold, for the mapping screen's lists. */
export function fieldOptions(selected: string | undefined) {
  return [
    { value: '', text: 'Choose what this column holds', selected: !selected },
    { value: 'ignore', text: 'Not used', selected: selected === 'ignore' },
    ...IMPORT_FIELDS.map((f) => ({ value: f, text: IMPORT_FIELD_LABELS[f], selected: selected === f })),
  ];
}

export function columnsPageModel(data: Columns) {
  const columns = data.columns ?? [];
  return {
    fileName: data.import.fileName,
    importId: data.import.id,
    editable: data.columns !== null,
    rows: Number(data.import.counts.rows ?? 0),
    preset: 'preset' in data ? data.preset : null,
    unknown: columns.filter((c) => !c.recognised),
    recognised: columns.filter((c) => c.recognised),
  };
}

/** A discarded import: what is left of it (the pupils it held are gone). */
export function discardedPageModel(row: {
  id: string;
  fileName: string;
  createdAt: Date;
  uploadedByName: string;
}) {
  return {
    importId: row.id,
    fileName: row.fileName,
    uploaded: `${formatDateTime(row.createdAt)} by ${row.uploadedByName}`,
    statusTag: STATUS.discarded,
  };
}

const yearOf = (dateOfBirth: IsoDate, override: number | null, today: IsoDate) =>
  ncYearLabel(override ?? ncYearFromDateOfBirth(dateOfBirth, academicYearStartOf(today)));

/**
 * A note for a pupil whose year group in the file is not the one their date of birth gives: not a
 * problem (a school may teach a pupil out of their year group on purpose), but worth the office's check,
 * since the pupil's record then says "taught out of year group".
 */
function yearGroupNote(values: { dateOfBirth: IsoDate; ncYearOverride: number | null }, today: IsoDate) {
  if (values.ncYearOverride === null) return null;
  const byAge = ncYearLabel(ncYearFromDateOfBirth(values.dateOfBirth, academicYearStartOf(today)));
  return `Not the year group of their date of birth (${byAge}): they will show as taught out of year group`;
}

/** What the preview says of the rows with problems, by what became of the import. */
function problemsText(status: Preview['import']['status'], applicable: boolean): string {
  const correct = 'Correct them in the MIS or in the file, then upload it again.';
  if (status === 'applied') return `These rows were not applied. ${correct}`;
  if (status === 'discarded') return 'These rows were not applied: the import was discarded.';
  return `These rows are not applied. ${correct}${applicable ? ' The other rows can be applied now.' : ''}`;
}

export function previewPageModel(page: Preview, today: IsoDate) {
  const { plan } = page;
  const counts = plan.counts;
  const hasChanges = counts.new + counts.changed > 0;
  // The year group decides the note only where the file sets it (or the date of birth) anew.
  const yearGroupChanged = (c: Preview['plan']['changes'][number]) =>
    c.changes.some(
      (ch) => ch.label === IMPORT_FIELD_LABELS.yearGroup || ch.label === IMPORT_FIELD_LABELS.dateOfBirth,
    );
  const yearGroupNotes =
    plan.creates.filter((c) => yearGroupNote(c.values, today)).length +
    plan.changes.filter((c) => yearGroupChanged(c) && yearGroupNote(c.values, today)).length;
  const appliedAt = page.import.appliedAt ? formatDateTime(page.import.appliedAt) : null;
  return {
    importId: page.import.id,
    fileName: page.import.fileName,
    status: page.import.status,
    statusTag: STATUS[page.import.status],
    uploaded: `${formatDateTime(page.import.createdAt)} by ${page.import.uploadedByName}`,
    appliedAt,
    /** What the page says of an import applied: the rows with problems only when there were some. */
    appliedText: appliedAt
      ? `Applied ${appliedAt}.${counts.problems ? ` ${counts.problems === 1 ? 'The row' : `The ${counts.problems} rows`} with problems ${counts.problems === 1 ? 'was' : 'were'} left out: correct ${counts.problems === 1 ? 'it' : 'them'} and upload the file again.` : ''}`
      : null,
    problemsText: problemsText(page.import.status, hasChanges),
    yearGroupNotes,
    source: [
      page.preset ? `${page.preset} export` : null,
      page.encoding === 'windows-1252' ? 'Windows-1252 text' : null,
    ]
      .filter(Boolean)
      .join(', '),
    counts,
    summary: [
      { key: 'New pupils', value: counts.new, href: '#new' },
      { key: 'Pupils with changes', value: counts.changed, href: '#changed' },
      { key: 'Pupils with no changes', value: counts.unchanged, href: null },
      { key: 'Pupils missing from the file', value: counts.missing, href: '#missing' },
      { key: 'Rows with problems', value: counts.problems, href: '#problems' },
    ],
    problems: plan.problems.slice(0, SHOWN),
    creates: plan.creates.slice(0, SHOWN).map((c) => ({
      line: c.line,
      name: `${c.values.surname}, ${c.values.forename}`,
      upn: c.values.upn,
      dateOfBirth: formatDate(c.values.dateOfBirth),
      yearGroup: yearOf(c.values.dateOfBirth, c.values.ncYearOverride, today),
      yearGroupNote: yearGroupNote(c.values, today),
      className: c.values.classId ? (page.classNames[c.values.classId] ?? '') : '',
      parents: c.contacts.map((p) => `${p.name} (${p.relationship})`).join(', '),
    })),
    changes: plan.changes.slice(0, SHOWN).map((c) => ({
      line: c.line,
      pupilId: c.pupilId,
      name: c.name,
      changes: c.changes,
      yearGroupNote: yearGroupChanged(c) ? yearGroupNote(c.values, today) : null,
    })),
    missing: plan.missing.slice(0, SHOWN),
    more: {
      problems: Math.max(0, plan.problems.length - SHOWN),
      creates: Math.max(0, plan.creates.length - SHOWN),
      changes: Math.max(0, plan.changes.length - SHOWN),
      missing: Math.max(0, plan.missing.length - SHOWN),
    },
    columns: page.columns.map((c) => ({
      heading: c.heading || '(no heading)',
      holds: c.field ? IMPORT_FIELD_LABELS[c.field] : 'Not used',
    })),
    notInFile: page.notInFile.map((f) => IMPORT_FIELD_LABELS[f]),
    canRemap: page.canRemap,
    mayMarkLeavers: page.mayMarkLeavers,
    responsibility: plan.responsibility ?? null,
    hasChanges,
  };
}
