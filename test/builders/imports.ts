import { BOY_NAMES, GIRL_NAMES, SURNAMES, WOMEN_NAMES } from '../../src/demo/names.ts';
import { Random } from '../../src/demo/random.ts';
import { makeUpn } from '../../src/domain/upn.ts';

/** One pupil as a plain MIS export has them (dates day first, flags Y/N). */
export interface MisRow {
  upn: string;
  surname: string;
  forename: string;
  dateOfBirth: string;
  sex: string;
  yearGroup: string;
  className: string;
  fsm: string;
  eal: string;
  pupilPremium: string;
  attendance: string;
  contactName: string;
  contactRelationship: string;
  contactPhone: string;
  contactEmail: string;
  parentalResponsibility: string;
}

/** Plain headings: every one maps itself. */
export const MIS_HEADINGS: Record<keyof MisRow, string> = {
  upn: 'UPN',
  surname: 'Surname',
  forename: 'Forename',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  yearGroup: 'Year group',
  className: 'Class',
  fsm: 'FSM',
  eal: 'EAL',
  pupilPremium: 'Pupil premium',
  attendance: 'Attendance',
  contactName: 'Contact name',
  contactRelationship: 'Contact relationship',
  contactPhone: 'Contact telephone',
  contactEmail: 'Contact email',
  parentalResponsibility: 'Parental responsibility',
};

const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A CSV file of these rows (Windows line endings, as MIS exports have), with the headings given. */
export function misCsv(
  rows: readonly MisRow[],
  headings: Partial<Record<keyof MisRow, string>> = MIS_HEADINGS,
): string {
  const keys = Object.keys(headings) as (keyof MisRow)[];
  const lines = [keys.map((k) => cell(headings[k]!)), ...rows.map((r) => keys.map((k) => cell(r[k])))];
  return `${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}

/** "2018-01-15" → "15/01/2018" */
export const ukDate = (iso: string) => iso.split('-').reverse().join('/');

/** A pupil already in OpenSEND, as the MIS would export them unchanged. */
export function misRowFor(
  p: { upn: string; forename: string; surname: string; dateOfBirth: string; sex?: string },
  over: Partial<MisRow> = {},
): MisRow {
  return {
    upn: p.upn,
    surname: p.surname,
    forename: p.forename,
    dateOfBirth: ukDate(p.dateOfBirth),
    sex: p.sex === 'male' ? 'M' : 'F',
    yearGroup: '',
    className: '',
    fsm: 'N',
    eal: 'N',
    pupilPremium: 'N',
    attendance: '',
    contactName: '',
    contactRelationship: '',
    contactPhone: '',
    contactEmail: '',
    parentalResponsibility: '',
    ...over,
  };
}

/**
 * A school's worth of realistic pupils for an MIS export: names, dates of birth that fit their year
 * group in the academic year starting `academicYearStart`, a class per year group, flags, attendance
 * and a parent or carer each. The same seed gives the same pupils.
 */
export function generateMisRows(
  count: number,
  options: {
    seed?: number;
    academicYearStart: number;
    classes: readonly { name: string; ncYear: number }[];
    laCode?: string;
    establishmentNumber?: string;
  },
): MisRow[] {
  const random = new Random(options.seed ?? 1);
  const rows: MisRow[] = [];
  for (let i = 0; i < count; i++) {
    const cls = options.classes[i % options.classes.length]!;
    const girl = random.chance(0.5);
    const forename = random.pick(girl ? GIRL_NAMES : BOY_NAMES);
    const surname = random.pick(SURNAMES);
    // Born between 1 September and 31 August of the year that puts them in their class's year group.
    const yearOfBirth = options.academicYearStart - cls.ncYear - 5;
    const month = random.int(1, 12);
    const year = month >= 9 ? yearOfBirth : yearOfBirth + 1;
    const day = random.int(1, 28);
    const parent = random.pick(WOMEN_NAMES);
    rows.push({
      upn: makeUpn(
        options.laCode ?? '999',
        options.establishmentNumber ?? '5000',
        10 + Math.floor(i / 1000),
        i % 1000,
      ),
      surname,
      forename,
      dateOfBirth: `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`,
      sex: girl ? 'F' : 'M',
      yearGroup: cls.ncYear === 0 ? 'R' : `Year ${cls.ncYear}`,
      className: cls.name,
      fsm: random.chance(0.2) ? 'Y' : 'N',
      eal: random.chance(0.15) ? 'Y' : 'N',
      pupilPremium: random.chance(0.25) ? 'Y' : 'N',
      attendance: (88 + random.int(0, 120) / 10).toFixed(1),
      contactName: `${parent} ${surname}`,
      contactRelationship: 'Mother',
      contactPhone: `07700 9${String(random.int(0, 99999)).padStart(5, '0')}`,
      contactEmail: `${parent.toLowerCase()}.${surname.toLowerCase()}${i}@families.example`,
      parentalResponsibility: 'Y',
    });
  }
  return rows;
}
