import {
  CONTACT_NUMBERS,
  type ContactField,
  IMPORT_FIELD_LABELS,
  type ImportField,
  REQUIRED_FIELDS,
} from './fields.ts';
import { PRESET_IDS, PRESETS, type PresetId } from './presets.ts';

/**
 * Which field each column of a file holds. A column is mapped to a field, deliberately not used
 * ('ignore'), or not recognised (null: the person uploading chooses on the mapping screen).
 */
export type ColumnChoice = ImportField | 'ignore';
export type ColumnMapping = (ColumnChoice | null)[];

/** A heading reduced to letters and digits, lower case: "Date of Birth", "date_of_birth" and "DATE OF BIRTH" are one. */
export function headingKey(heading: string): string {
  return heading
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Plain names any export or hand-made spreadsheet may use. "Surname", "Forename", "Date of birth",
 * "Year group", "Class", "FSM", "EAL", "LAC", "Parent name", "Parental responsibility" … map themselves.
 * Bare "Email" and "Telephone" are left for the person to map: they could be the pupil's own. Headings
 * particular to one MIS ("Legal Surname", "Reg Group") are in its preset, and recognised from there.
 */
const PLAIN_NAMES: Record<ImportField, string[]> = {
  upn: ['upn', 'uniquepupilnumber', 'pupilupn'],
  misId: ['misid', 'mispupilid', 'admissionnumber', 'misreference', 'personid'],
  surname: ['surname', 'lastname', 'familyname', 'pupilsurname'],
  forename: ['forename', 'firstname', 'givenname', 'pupilforename'],
  preferredName: ['preferredname', 'knownas', 'chosenname'],
  dateOfBirth: ['dateofbirth', 'dob', 'birthdate', 'birthday'],
  sex: ['sex', 'gender'],
  yearGroup: ['yeargroup', 'year', 'ncyear', 'nationalcurriculumyear', 'curriculumyear', 'yeargrp'],
  className: [
    'class',
    'classname',
    'registrationgroup',
    'registrationclass',
    'reg',
    'reggroup',
    'regclass',
    'form',
    'formgroup',
    'tutorgroup',
  ],
  admissionDate: ['admissiondate', 'dateofadmission', 'entrydate', 'dateofentry', 'startdate'],
  attendancePercent: ['attendance', 'attendancepercent', 'attendancepercentage', 'attendancerate'],
  pupilPremium: ['pupilpremium', 'pp', 'ppindicator'],
  freeSchoolMeals: ['fsm', 'freeschoolmeals', 'fsmeligible', 'eligibleforfsm', 'freeschoolmealseligible'],
  lookedAfter: ['lac', 'cla', 'lookedafter', 'lookedafterchild', 'childlookedafter'],
  previouslyLookedAfter: ['plac', 'pla', 'previouslylookedafter', 'previouslylookedafterchild'],
  eal: ['eal', 'englishasanadditionallanguage'],
  serviceChild: ['servicechild', 'serviceindicator', 'servicechildren', 'forceschild'],
  youngCarer: ['youngcarer'],
  medicalCondition: ['medicalcondition', 'medical'],
  ...contactNames(),
};

function contactNames(): Record<ContactField, string[]> {
  const names: Partial<Record<ContactField, string[]>> = {};
  for (const n of CONTACT_NUMBERS) {
    const prefixes =
      n === 1
        ? ['contact1', 'parent1', 'contact', 'parent', 'parentcarer', 'carer', 'firstcontact']
        : ['contact2', 'parent2', 'secondcontact'];
    const of = (suffixes: string[]) => prefixes.flatMap((p) => suffixes.map((s) => `${p}${s}`));
    const first = (keys: string[]) => (n === 1 ? keys : []);
    names[`contact${n}Name`] = of(['name', 'fullname']);
    names[`contact${n}Relationship`] = [...of(['relationship', 'relation']), ...first(['relationship'])];
    names[`contact${n}Phone`] = of(['telephone', 'phone', 'mobile', 'phonenumber', 'telephonenumber']);
    names[`contact${n}Email`] = of(['email', 'emailaddress']);
    names[`contact${n}ParentalResponsibility`] = [
      ...of(['parentalresponsibility']),
      ...first(['parentalresponsibility']),
    ];
  }
  return names as Record<ContactField, string[]>;
}

/** Columns a pupil export often has that OpenSEND does not keep: recognised, and not used. */
const NOT_USED = new Set([
  'middlename',
  'middlenames',
  'preferredsurname',
  'formersurname',
  'title',
  'address',
  'addressline1',
  'addressline2',
  'addressline3',
  'town',
  'county',
  'postcode',
  'ethnicity',
  'religion',
  'nationality',
  'countryofbirth',
  'firstlanguage',
  'homelanguage',
  'house',
  'boarder',
  'age',
  'enrolmentstatus',
  'senprovision',
  'senstage',
  'senneed',
]);

const PLAIN: Map<string, ImportField> = new Map(
  (Object.entries(PLAIN_NAMES) as [ImportField, string[]][]).flatMap(([field, keys]) =>
    keys.map((k) => [k, field] as const),
  ),
);

const PRESET_KEYS: Record<PresetId, Map<string, ColumnChoice>> = Object.fromEntries(
  PRESET_IDS.map((id) => [
    id,
    new Map(
      Object.entries(PRESETS[id].columns).map(([heading, choice]) => [
        headingKey(heading),
        choice as ColumnChoice,
      ]),
    ),
  ]),
) as Record<PresetId, Map<string, ColumnChoice>>;

/**
 * Which MIS the file most likely came from: the preset with most of the headings only an MIS uses
 * ("Adno", "Reg Group", "Tutor Group"), at least two. Plain headings ("Surname", "UPN") say nothing.
 */
export function detectPreset(headings: readonly string[]): PresetId | null {
  let best: PresetId | null = null;
  let bestScore = 1;
  const keys = headings.map(headingKey).filter((k) => !PLAIN.has(k) && !NOT_USED.has(k));
  for (const id of PRESET_IDS) {
    const score = keys.filter((k) => PRESET_KEYS[id].has(k)).length;
    if (score > bestScore) {
      best = id;
      bestScore = score;
    }
  }
  return best;
}

/** What one heading holds: the file's own MIS first, then the plain names, then any other MIS. */
export function choiceForHeading(heading: string, preset: PresetId | null): ColumnChoice | null {
  const key = headingKey(heading);
  if (key === '') return null;
  const fromPreset = preset ? PRESET_KEYS[preset].get(key) : undefined;
  if (fromPreset) return fromPreset;
  const plain = PLAIN.get(key);
  if (plain) return plain;
  if (NOT_USED.has(key)) return 'ignore';
  for (const id of PRESET_IDS) {
    const other = PRESET_KEYS[id].get(key);
    if (other) return other;
  }
  return null;
}

/**
 * The mapping worked out from the headings alone. A field claimed by two columns goes to the first;
 * the second is left for the person to decide.
 */
export function autoMapping(headings: readonly string[], preset: PresetId | null): ColumnMapping {
  const taken = new Set<ImportField>();
  return headings.map((h) => {
    const choice = choiceForHeading(h, preset);
    if (choice === null || choice === 'ignore') return choice;
    if (taken.has(choice)) return null;
    taken.add(choice);
    return choice;
  });
}

export interface MappingProblem {
  /** The column a problem is about (for the message beside it), or null for the whole file. */
  column: number | null;
  message: string;
}

/** A mapping that can be used: each column decided, each field from one column, every required field present. */
export function mappingProblems(headings: readonly string[], mapping: ColumnMapping): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const seen = new Map<ImportField, number>();
  mapping.forEach((choice, column) => {
    const heading = headings[column] ?? `Column ${column + 1}`;
    if (choice === null) {
      problems.push({ column, message: `Choose what the column “${heading}” holds, or not to use it` });
      return;
    }
    if (choice === 'ignore') return;
    const first = seen.get(choice);
    if (first !== undefined) {
      problems.push({
        column,
        message: `“${heading}” and “${headings[first] ?? `Column ${first + 1}`}” are both ${IMPORT_FIELD_LABELS[choice]}: choose one of them`,
      });
      return;
    }
    seen.set(choice, column);
  });
  const missing = REQUIRED_FIELDS.filter((f) => !seen.has(f));
  if (missing.length > 0) {
    problems.push({
      column: null,
      message: `The file needs a column for ${listInText(missing.map((f) => IMPORT_FIELD_LABELS[f]))}: choose which column holds ${missing.length === 1 ? 'it' : 'each'}`,
    });
  }
  return problems;
}

/** "UPN", "UPN and Sex", "UPN, Sex and Date of birth" */
export function listInText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The fields a usable mapping fills in, by column. */
export function mappedFields(mapping: ColumnMapping): Map<ImportField, number> {
  const fields = new Map<ImportField, number>();
  mapping.forEach((choice, column) => {
    if (choice && choice !== 'ignore' && !fields.has(choice)) fields.set(choice, column);
  });
  return fields;
}
