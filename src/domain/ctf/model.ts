import type { NeedCode } from '../census.ts';
import type { IsoDate } from '../dates.ts';

/**
 * The parts of the DfE Common Transfer File (CTF) that OpenSEND reads and writes: the header, and for
 * each pupil their identity, contacts and SEN history. A CTF carries much more (attendance,
 * assessments, addresses…); a reader ignores what it does not use, and OpenSEND's own files carry
 * only these parts (docs/ctf.md).
 */

/** SEN provision in the census: N no SEN, K SEN support, E EHC plan. */
export const CTF_PROVISIONS = ['N', 'K', 'E'] as const;
export type CtfProvision = (typeof CTF_PROVISIONS)[number];

/** One dated SEN provision (`SENhistory/SEN`): from StartDate the pupil was at this provision. */
export interface CtfSenProvision {
  startDate: IsoDate;
  provision: CtfProvision;
}

/**
 * One type of need (`SENhistory/SENneeds/SENneed`) with its rank (1 primary, 2 secondary) and, where
 * the file gives them, the dates it applied from and to.
 */
export interface CtfSenNeed {
  type: NeedCode;
  rank: number;
  startDate: IsoDate | null;
  endDate: IsoDate | null;
}

export interface CtfSenHistory {
  provisions: CtfSenProvision[];
  needs: CtfSenNeed[];
}

export interface CtfContact {
  /** Order of contact: 1 first. */
  order: number;
  title: string | null;
  forename: string | null;
  surname: string;
  /** The CBDS relationship code (PAR, CAR, FAM…), or the text a file gave. */
  relationship: string;
  /** Has parental responsibility. */
  responsibility: boolean;
  phones: string[];
  email: string | null;
}

export interface CtfPupil {
  upn: string;
  surname: string;
  forename: string;
  preferredForename: string | null;
  dateOfBirth: IsoDate;
  sex: 'M' | 'F';
  contacts: CtfContact[];
  senHistory: CtfSenHistory;
}

/** A school as the DfE numbers it: LA code (3 digits) and establishment number (4 digits). */
export interface CtfSchoolRef {
  la: string;
  estab: string;
}

export interface CtfHeader {
  version: string;
  /** When the file was made (ISO date and time, no zone). */
  dateTime: string;
  /** full or partial. */
  qualifier: string;
  supplierId: string;
  source: CtfSchoolRef & { urn: string | null; name: string; academicYear: string };
  destination: CtfSchoolRef;
}

export interface CtfFile {
  header: CtfHeader;
  pupils: CtfPupil[];
}

export const CTF_DOCUMENT_NAME = 'Common Transfer File';
export const CTF_VERSION = '25.0';
export const CTF_SUPPLIER_ID = 'OpenSEND';

/** Where the pupil is going is not known (leaving the maintained sector, moving abroad): MMM XXXX. */
export const UNKNOWN_DESTINATION: CtfSchoolRef = { la: 'MMM', estab: 'XXXX' };

export function isUnknownDestination(ref: CtfSchoolRef): boolean {
  return ref.la === UNKNOWN_DESTINATION.la && ref.estab === UNKNOWN_DESTINATION.estab;
}

/**
 * A school's DfE number as typed ("888 1234", "888/1234", "8881234"), or null when it is not one. The
 * unknown destination (MMMXXXX) is accepted too.
 */
export function parseDfeNumber(value: string): CtfSchoolRef | null {
  const compact = value.replace(/[\s/-]+/g, '').toUpperCase();
  if (compact === 'MMMXXXX') return UNKNOWN_DESTINATION;
  const match = /^(\d{3})(\d{4})$/.exec(compact);
  return match ? { la: match[1]!, estab: match[2]! } : null;
}

export function dfeNumber(ref: CtfSchoolRef): string {
  return `${ref.la}${ref.estab}`;
}

/**
 * The DfE's name for a CTF: `<LA><estab>_CTF_<destination LA><destination estab>_<nnn>.xml`, nnn the
 * school's own sequence number for the files it has made (001 to 999, then round again).
 */
export function ctfFileName(source: CtfSchoolRef, destination: CtfSchoolRef, sequence: number): string {
  const nnn = String(((sequence - 1) % 999) + 1).padStart(3, '0');
  return `${dfeNumber(source)}_CTF_${dfeNumber(destination)}_${nnn}.xml`;
}

/** The CBDS contact relationship codes, as the pupil's record shows them. */
export const RELATIONSHIP_LABELS: Record<string, string> = {
  PAR: 'Parent',
  CAR: 'Carer',
  FOS: 'Foster parent',
  STP: 'Step-parent',
  FAM: 'Other family member',
  REL: 'Other relative',
  CHM: 'Childminder',
  DOC: 'Doctor',
  SWR: 'Social worker',
  HTC: 'Head teacher',
  RLG: 'Religious contact',
  OTH: 'Other contact',
};

/** The code for a relationship as a school writes it ("Mother", "Foster carer", "Grandad"). */
export function relationshipCode(text: string): string {
  const t = text.trim().toLowerCase();
  const known = Object.entries(RELATIONSHIP_LABELS).find(([, label]) => label.toLowerCase() === t);
  if (known) return known[0];
  if (/^(mother|father|mum|dad|parent)$/.test(t)) return 'PAR';
  if (/step/.test(t)) return 'STP';
  if (/foster/.test(t)) return 'FOS';
  if (/carer|guardian/.test(t)) return 'CAR';
  if (/grand|aunt|uncle|brother|sister|sibling|cousin/.test(t)) return 'REL';
  if (/childminder/.test(t)) return 'CHM';
  if (/social worker/.test(t)) return 'SWR';
  if (/doctor|gp/.test(t)) return 'DOC';
  return 'OTH';
}

/** A relationship as the pupil's record shows it: the label of a code, or the file's own text. */
export function relationshipLabel(value: string): string {
  return RELATIONSHIP_LABELS[value.toUpperCase()] ?? value;
}
