import type { FieldChange } from '../audit.ts';
import { academicYearStartOf, ncYearFromDateOfBirth, ncYearLabel } from '../calendar.ts';
import { formatDate, type IsoDate } from '../dates.ts';
import { CONTEXT_FLAGS, type ContextFlag } from '../flags.ts';
import { admissionDateProblem, dateOfBirthProblem } from '../pupil-dates.ts';
import { foldForSearch } from '../search.ts';
import { withoutHiddenCharacters } from '../text.ts';
import { CONTACT_NUMBERS, contactField, IMPORT_FIELD_LABELS, type ImportField } from './fields.ts';
import { type ColumnMapping, mappedFields } from './mapping.ts';
import { type ResponsibilityQuestion, responsibilityQuestion } from './responsibility.ts';
import {
  type Read,
  readAttendance,
  readDate,
  readEmail,
  readFlag,
  readMisId,
  readPhone,
  readSex,
  readText,
  readUpn,
  readYearGroup,
} from './values.ts';

/*
 * From a file's rows and its mapping to what applying it would do: every row read and checked (with
 * its line number), matched to the school's pupils (UPN first, then the MIS's own id, then name and
 * date of birth), and compared field by field. Pure: the service loads the school's pupils, parents
 * and classes, calls planImport, and stores the plan to apply exactly as previewed.
 */

/** The file as read: its headings, and each row with the line it starts on (the headings are line 1). */
export interface ImportSource {
  headings: string[];
  rows: { line: number; cells: string[] }[];
}

/** The pupil columns an import sets: everything else about a pupil (SEN, medical notes) it never touches. */
export interface PupilValues extends Record<ContextFlag, boolean> {
  upn: string;
  misId: string | null;
  forename: string;
  surname: string;
  preferredName: string | null;
  dateOfBirth: IsoDate;
  sex: 'female' | 'male';
  classId: string | null;
  ncYearOverride: number | null;
  admissionDate: IsoDate | null;
  attendancePercent: number | null;
}

export interface ExistingPupil extends PupilValues {
  id: string;
  version: number;
  leftOn: IsoDate | null;
}

export interface ContactValues {
  name: string;
  relationship: string;
  phone: string | null;
  email: string | null;
  parentalResponsibility: boolean;
}

export interface ExistingParent extends ContactValues {
  id: string;
  pupilId: string;
  version: number;
}

export interface SchoolClassRef {
  id: string;
  name: string;
  archived: boolean;
}

export interface ImportContext {
  today: IsoDate;
  classes: SchoolClassRef[];
  /** Every pupil of the school, leavers too (a leaver's UPN is still theirs). */
  pupils: ExistingPupil[];
  /** The parents and carers of those pupils. */
  parents: ExistingParent[];
}

/** A parent or carer to add, and whether the file said if they hold parental responsibility. */
export interface PlannedContact extends ContactValues {
  /** False when the file has no parental-responsibility column for them, or left it empty. */
  responsibilityGiven: boolean;
}

export interface PlannedNewPupil {
  line: number;
  values: PupilValues;
  contacts: PlannedContact[];
}

export interface PlannedContactChange {
  parentId: string;
  version: number;
  values: ContactValues;
}

export interface PlannedChange {
  line: number;
  pupilId: string;
  version: number;
  name: string;
  values: PupilValues;
  /** Every difference, as it reads on screen (old → new), parents and carers included. */
  changes: FieldChange[];
  classMove: { from: string | null; to: string | null } | null;
  contactsAdded: PlannedContact[];
  contactsChanged: PlannedContactChange[];
  /** How many parents and carers the pupil had: new ones are listed after them. */
  parentsBefore: number;
}

export interface MissingPupil {
  pupilId: string;
  name: string;
  upn: string;
  className: string | null;
}

export interface RowProblem {
  line: number;
  /** The pupil's name as the row gives it, when it does. */
  name: string | null;
  messages: string[];
}

export interface ImportCounts {
  rows: number;
  new: number;
  changed: number;
  unchanged: number;
  missing: number;
  problems: number;
}

export interface ImportPlan {
  /** The fields the file fills in: only these are compared and changed. */
  fields: ImportField[];
  creates: PlannedNewPupil[];
  changes: PlannedChange[];
  unchanged: number;
  missing: MissingPupil[];
  problems: RowProblem[];
  counts: ImportCounts;
  /** Who of the parents and carers added holds parental responsibility, where the file does not say. */
  responsibility: ResponsibilityQuestion | null;
}

/** A relationship a file did not give: the record is a parent or carer, nothing more is known. */
export const UNKNOWN_RELATIONSHIP = 'Parent or carer';

interface ContactRead {
  name: string;
  relationship: string | null | undefined;
  phone: string | null | undefined;
  email: string | null | undefined;
  parentalResponsibility: boolean | undefined;
}

/** A row as read: a value for each mapped field (undefined where the file has no such column). */
interface RowRead {
  line: number;
  name: string | null;
  upn: string | null;
  upnAsTyped: string;
  misId: string | null | undefined;
  forename: string | null;
  surname: string | null;
  preferredName: string | null | undefined;
  dateOfBirth: IsoDate | null;
  sex: 'female' | 'male' | null;
  yearGroup: number | null | undefined;
  classId: string | null | undefined;
  admissionDate: IsoDate | null | undefined;
  attendancePercent: number | null | undefined;
  flags: Partial<Record<ContextFlag, boolean>>;
  contacts: ContactRead[];
  problems: string[];
}

const classKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');
const nameKey = (forename: string, surname: string, dateOfBirth: string) =>
  `${foldForSearch(forename).replace(/ /g, '')}|${foldForSearch(surname).replace(/ /g, '')}|${dateOfBirth}`;
const parentKey = (name: string) => foldForSearch(name).replace(/ /g, '');

function readRow(
  row: { line: number; cells: string[] },
  fields: Map<ImportField, number>,
  classes: Map<string, SchoolClassRef>,
  today: IsoDate,
): RowRead {
  const problems: string[] = [];
  const cell = (field: ImportField): string | undefined => {
    const column = fields.get(field);
    return column === undefined ? undefined : (row.cells[column] ?? '');
  };
  /** The value, or null with the problem noted; undefined where the column is not in the file. */
  function take<T>(field: ImportField, read: (raw: string) => Read<T>): T | null | undefined {
    const raw = cell(field);
    if (raw === undefined) return undefined;
    const result = read(raw);
    if (result.ok) return result.value;
    problems.push(result.message);
    return null;
  }
  const upnAsTyped = cell('upn') ?? '';
  const upn = take('upn', readUpn) ?? null;
  const surname = take('surname', (r) => readText(r, 'Last name', { max: 100, required: true })) ?? null;
  const forename = take('forename', (r) => readText(r, 'First name', { max: 100, required: true })) ?? null;
  const preferredName = take('preferredName', (r) =>
    readText(r, 'Preferred name', { max: 100, required: false }),
  );
  const misId = take('misId', readMisId);
  let dateOfBirth = take('dateOfBirth', (r) => readDate(r, 'Date of birth', true)) ?? null;
  if (dateOfBirth) {
    const problem = dateOfBirthProblem(dateOfBirth, today);
    if (problem) {
      problems.push(problem);
      dateOfBirth = null;
    }
  }
  const sex = take('sex', readSex) ?? null;
  const yearGroup = take('yearGroup', readYearGroup);
  let admissionDate = take('admissionDate', (r) => readDate(r, 'Date of admission', false));
  if (admissionDate && dateOfBirth) {
    const problem = admissionDateProblem(admissionDate, dateOfBirth, today);
    if (problem) {
      problems.push(problem);
      admissionDate = null;
    }
  }
  const attendancePercent = take('attendancePercent', readAttendance);
  const classId = take('className', (raw): Read<string | null> => {
    const name = raw.trim();
    if (name === '') return { ok: true, value: null };
    const found = classes.get(classKey(name));
    return found
      ? { ok: true, value: found.id }
      : {
          ok: false,
          message: `Class “${name}” is not one of the school’s classes in OpenSEND: add the class first, or correct the file`,
        };
  });
  const flags: Partial<Record<ContextFlag, boolean>> = {};
  for (const flag of CONTEXT_FLAGS) {
    const value = take(flag, (r) => readFlag(r, IMPORT_FIELD_LABELS[flag]));
    if (value !== undefined && value !== null) flags[flag] = value;
  }
  const contacts: ContactRead[] = [];
  for (const n of CONTACT_NUMBERS) {
    const label = IMPORT_FIELD_LABELS[contactField(n, 'Name')].replace(/: name$/, '');
    const nameRaw = cell(contactField(n, 'Name'));
    if (nameRaw === undefined) continue;
    const others = (['Relationship', 'Phone', 'Email'] as const).some(
      (part) => (cell(contactField(n, part)) ?? '').trim() !== '',
    );
    if (nameRaw.trim() === '') {
      if (others) problems.push(`${label}: name is missing (their other details are filled in)`);
      continue;
    }
    const start = problems.length;
    const name = take(contactField(n, 'Name'), (r) =>
      readText(r, `${label}: name`, { max: 120, required: true }),
    );
    const relationship = take(contactField(n, 'Relationship'), (r) =>
      readText(r, `${label}: relationship`, { max: 60, required: false }),
    );
    const phone = take(contactField(n, 'Phone'), (r) => readPhone(r, `${label}: telephone`));
    const email = take(contactField(n, 'Email'), (r) => readEmail(r, `${label}: email`));
    // An empty cell says nothing about parental responsibility (it is not "no").
    const prRaw = cell(contactField(n, 'ParentalResponsibility'));
    const parentalResponsibility =
      prRaw === undefined || prRaw.trim() === ''
        ? undefined
        : take(contactField(n, 'ParentalResponsibility'), (r) =>
            readFlag(r, `${label}: parental responsibility`),
          );
    if (problems.length > start || !name) continue;
    if (contacts.some((c) => parentKey(c.name) === parentKey(name))) continue;
    contacts.push({
      name,
      relationship,
      phone,
      email,
      parentalResponsibility: parentalResponsibility ?? undefined,
    });
  }
  // The name as the row gives it, even where it is wrong, so the row can be found in the MIS.
  const name =
    [cell('forename'), cell('surname')]
      .map((v) => withoutHiddenCharacters(v ?? '').trim())
      .filter(Boolean)
      .join(' ')
      .slice(0, 100) || null;
  return {
    line: row.line,
    name,
    upn,
    upnAsTyped,
    misId,
    forename,
    surname,
    preferredName,
    dateOfBirth,
    sex,
    yearGroup,
    classId,
    admissionDate,
    attendancePercent,
    flags,
    contacts,
    problems,
  };
}

/** Two rows with one UPN (or one MIS id): both are problems, since either could be the mistake. */
function markDuplicates(rows: RowRead[], key: (r: RowRead) => string | null | undefined, what: string) {
  const lines = new Map<string, RowRead[]>();
  for (const r of rows) {
    const k = key(r);
    if (!k) continue;
    const list = lines.get(k);
    if (list) list.push(r);
    else lines.set(k, [r]);
  }
  for (const [k, list] of lines) {
    if (list.length < 2) continue;
    const where = list.map((r) => r.line);
    const text =
      where.length === 2
        ? `lines ${where[0]} and ${where[1]}`
        : `lines ${where.slice(0, -1).join(', ')} and ${where.at(-1)}`;
    for (const r of list) r.problems.push(`The ${what} ${k} is on ${text}: each pupil has their own ${what}`);
  }
}

/** How each field reads on screen, so that a change shows as "Year 3 → Year 4", not "3 → 4". */
function display(
  values: PupilValues,
  field: keyof PupilValues,
  classNames: Map<string, string>,
  today: IsoDate,
): string {
  const v = values[field];
  if (field === 'classId') return v ? (classNames.get(String(v)) ?? '') : '';
  if (field === 'ncYearOverride') {
    const year =
      values.ncYearOverride ?? ncYearFromDateOfBirth(values.dateOfBirth, academicYearStartOf(today));
    return ncYearLabel(year);
  }
  if (field === 'dateOfBirth' || field === 'admissionDate') return formatDate(v as string | null);
  if (field === 'sex') return v === 'female' ? 'Female' : 'Male';
  if (field === 'attendancePercent') return v === null ? '' : `${v}%`;
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return v === null || v === undefined ? '' : String(v);
}

const CHANGE_LABELS: [keyof PupilValues, string][] = [
  ['upn', IMPORT_FIELD_LABELS.upn],
  ['misId', IMPORT_FIELD_LABELS.misId],
  ['forename', IMPORT_FIELD_LABELS.forename],
  ['surname', IMPORT_FIELD_LABELS.surname],
  ['preferredName', IMPORT_FIELD_LABELS.preferredName],
  ['dateOfBirth', IMPORT_FIELD_LABELS.dateOfBirth],
  ['sex', IMPORT_FIELD_LABELS.sex],
  ['ncYearOverride', IMPORT_FIELD_LABELS.yearGroup],
  ['classId', IMPORT_FIELD_LABELS.className],
  ['admissionDate', IMPORT_FIELD_LABELS.admissionDate],
  ['attendancePercent', IMPORT_FIELD_LABELS.attendancePercent],
  ...CONTEXT_FLAGS.map((f): [keyof PupilValues, string] => [f, IMPORT_FIELD_LABELS[f]]),
];

const BLANK: Omit<PupilValues, 'upn' | 'forename' | 'surname' | 'dateOfBirth' | 'sex'> = {
  misId: null,
  preferredName: null,
  classId: null,
  ncYearOverride: null,
  admissionDate: null,
  attendancePercent: null,
  ...(Object.fromEntries(CONTEXT_FLAGS.map((f) => [f, false])) as Record<ContextFlag, boolean>),
};

/** The pupil's values after the row: the file's where it has the column, the pupil's own elsewhere. */
function valuesAfter(base: PupilValues, row: RowRead, today: IsoDate): PupilValues {
  const values: PupilValues = {
    ...base,
    upn: row.upn!,
    forename: row.forename!,
    surname: row.surname!,
    dateOfBirth: row.dateOfBirth!,
    sex: row.sex!,
  };
  if (row.misId !== undefined) values.misId = row.misId;
  if (row.preferredName !== undefined) values.preferredName = row.preferredName;
  if (row.classId !== undefined) values.classId = row.classId;
  if (row.admissionDate !== undefined) values.admissionDate = row.admissionDate;
  if (row.attendancePercent !== undefined) values.attendancePercent = row.attendancePercent;
  if (row.yearGroup !== undefined) {
    // Taught in the year group their age gives: no override; otherwise the MIS's year group is kept.
    const fromAge = ncYearFromDateOfBirth(values.dateOfBirth, academicYearStartOf(today));
    values.ncYearOverride = row.yearGroup === null || row.yearGroup === fromAge ? null : row.yearGroup;
  }
  for (const flag of CONTEXT_FLAGS) {
    const v = row.flags[flag];
    if (v !== undefined) values[flag] = v;
  }
  return values;
}

function newContact(c: ContactRead): PlannedContact {
  return {
    name: c.name,
    relationship: c.relationship || UNKNOWN_RELATIONSHIP,
    phone: c.phone ?? null,
    email: c.email ?? null,
    // Decided at apply from the school's answer (responsibility.ts) when the file does not say.
    parentalResponsibility: c.parentalResponsibility ?? false,
    responsibilityGiven: c.parentalResponsibility !== undefined,
  };
}

const yesNo = (v: boolean) => (v ? 'Yes' : 'No');

/**
 * Parents and carers on the file beside the pupil's own: new ones added, known ones (by name) updated.
 * An empty cell keeps what OpenSEND has (the school may have added it): an import never removes a
 * parent or carer, nor any of their details.
 */
function contactChanges(contacts: ContactRead[], existing: ExistingParent[]) {
  const added: PlannedContact[] = [];
  const changed: PlannedContactChange[] = [];
  const changes: FieldChange[] = [];
  const byName = new Map(existing.map((p) => [parentKey(p.name), p]));
  for (const c of contacts) {
    const known = byName.get(parentKey(c.name));
    if (!known) {
      const values = newContact(c);
      added.push(values);
      changes.push({
        label: 'Parent or carer added',
        from: '(none)',
        to: `${values.name} (${values.relationship})`,
      });
      continue;
    }
    const values: ContactValues = {
      name: known.name,
      relationship: c.relationship || known.relationship,
      phone: c.phone ?? known.phone,
      email: c.email ?? known.email,
      parentalResponsibility: c.parentalResponsibility ?? known.parentalResponsibility,
    };
    const diffs: FieldChange[] = [];
    const compare = (label: string, from: string, to: string) => {
      if (from !== to)
        diffs.push({ label: `${known.name}: ${label}`, from: from || '(none)', to: to || '(none)' });
    };
    compare('relationship', known.relationship, values.relationship);
    compare('telephone', known.phone ?? '', values.phone ?? '');
    compare('email', known.email ?? '', values.email ?? '');
    compare(
      'parental responsibility',
      yesNo(known.parentalResponsibility),
      yesNo(values.parentalResponsibility),
    );
    if (diffs.length > 0) {
      changed.push({ parentId: known.id, version: known.version, values });
      changes.push(...diffs);
    }
  }
  return { added, changed, changes };
}

export function planImport(source: ImportSource, mapping: ColumnMapping, context: ImportContext): ImportPlan {
  const { today } = context;
  const fields = mappedFields(mapping);
  const activeClasses = new Map(context.classes.filter((c) => !c.archived).map((c) => [classKey(c.name), c]));
  const classNames = new Map(context.classes.map((c) => [c.id, c.name]));
  const rows = source.rows.map((row) => readRow(row, fields, activeClasses, today));
  markDuplicates(rows, (r) => r.upn, 'UPN');
  markDuplicates(rows, (r) => r.misId, 'MIS pupil id');

  // Matching: UPN, then the MIS's own id, then name and date of birth (on roll, one candidate only).
  const byUpn = new Map(context.pupils.map((p) => [p.upn, p]));
  const byMisId = new Map<string, ExistingPupil | null>();
  const byName = new Map<string, ExistingPupil | null>();
  for (const p of context.pupils) {
    if (p.misId) byMisId.set(p.misId, byMisId.has(p.misId) ? null : p);
    if (p.leftOn) continue;
    const key = nameKey(p.forename, p.surname, p.dateOfBirth);
    byName.set(key, byName.has(key) ? null : p);
  }
  const claimed = new Set<string>();
  const matches = new Map<RowRead, ExistingPupil>();
  const claim = (row: RowRead, pupil: ExistingPupil | null | undefined) => {
    if (!pupil || claimed.has(pupil.id) || matches.has(row)) return;
    claimed.add(pupil.id);
    matches.set(row, pupil);
  };
  for (const r of rows) claim(r, byUpn.get(r.upn ?? r.upnAsTyped.replace(/\s+/g, '').toUpperCase()));
  for (const r of rows) if (r.misId) claim(r, byMisId.get(r.misId));
  for (const r of rows) {
    if (r.forename && r.surname && r.dateOfBirth)
      claim(r, byName.get(nameKey(r.forename, r.surname, r.dateOfBirth)));
  }

  const parentsOf = new Map<string, ExistingParent[]>();
  for (const p of context.parents) {
    const list = parentsOf.get(p.pupilId);
    if (list) list.push(p);
    else parentsOf.set(p.pupilId, [p]);
  }

  const creates: PlannedNewPupil[] = [];
  const changes: PlannedChange[] = [];
  const problems: RowProblem[] = [];
  let unchanged = 0;
  for (const row of rows) {
    const pupil = matches.get(row);
    if (pupil?.leftOn && row.problems.length === 0) {
      row.problems.push(
        `${pupil.forename} ${pupil.surname} (UPN ${pupil.upn}) left the school on ${formatDate(pupil.leftOn)}: a leaver’s record is kept as it was and an import cannot change it`,
      );
    }
    if (row.problems.length > 0) {
      problems.push({ line: row.line, name: row.name, messages: row.problems });
      continue;
    }
    if (!pupil) {
      creates.push({
        line: row.line,
        values: valuesAfter(
          { ...BLANK, upn: '', forename: '', surname: '', dateOfBirth: '', sex: 'female' },
          row,
          today,
        ),
        contacts: row.contacts.map(newContact),
      });
      continue;
    }
    const values = valuesAfter(pupil, row, today);
    const fieldDiffs: FieldChange[] = [];
    for (const [field, label] of CHANGE_LABELS) {
      const from = display(pupil, field, classNames, today);
      const to = display(values, field, classNames, today);
      if (from !== to) fieldDiffs.push({ label, from: from || '(none)', to: to || '(none)' });
    }
    const parents = parentsOf.get(pupil.id) ?? [];
    const contacts = contactChanges(row.contacts, parents);
    if (fieldDiffs.length === 0 && contacts.changes.length === 0) {
      unchanged++;
      continue;
    }
    changes.push({
      line: row.line,
      pupilId: pupil.id,
      version: pupil.version,
      name: `${values.forename} ${values.surname}`,
      values,
      changes: [...fieldDiffs, ...contacts.changes],
      classMove: values.classId !== pupil.classId ? { from: pupil.classId, to: values.classId } : null,
      contactsAdded: contacts.added,
      contactsChanged: contacts.changed,
      parentsBefore: parents.length,
    });
  }
  const missing: MissingPupil[] = context.pupils
    .filter((p) => !p.leftOn && !claimed.has(p.id))
    .sort(
      (a, b) => a.surname.localeCompare(b.surname, 'en-GB') || a.forename.localeCompare(b.forename, 'en-GB'),
    )
    .map((p) => ({
      pupilId: p.id,
      name: `${p.forename} ${p.surname}`,
      upn: p.upn,
      className: p.classId ? (classNames.get(p.classId) ?? null) : null,
    }));
  return {
    fields: [...fields.keys()],
    creates,
    changes,
    unchanged,
    missing,
    problems,
    responsibility: responsibilityQuestion(
      [...creates.flatMap((c) => c.contacts), ...changes.flatMap((c) => c.contactsAdded)],
      [...fields.keys()],
    ),
    counts: {
      rows: rows.length,
      new: creates.length,
      changed: changes.length,
      unchanged,
      missing: missing.length,
      problems: problems.length,
    },
  };
}
