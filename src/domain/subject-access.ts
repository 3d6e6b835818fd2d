import { AREA_LABELS, NEEDS } from './census.ts';
import { CLASS_MOVE_SOURCE_LABELS } from './classes.ts';
import {
  CONCERN_KIND_LABELS,
  CONCERN_OUTCOME_LABELS,
  CONCERN_SOURCE_LABELS,
  CONCERN_VIA_LABELS,
} from './concerns.ts';
import { daysInMonth, type IsoDate, parseIsoDate, toIsoDate } from './dates.ts';
import { LETTER_KIND_LABELS, SENT_VIA_LABELS } from './letters.ts';
import {
  PLAN_STATUS_LABELS,
  PROGRESS_LABELS,
  REVIEW_DECISION_LABELS,
  TARGET_OUTCOME_LABELS,
} from './plans.ts';
import { DELIVERER_LABELS } from './provision.ts';
import { CHANGE_LABELS, STAGE_LABELS } from './register.ts';
import { RETENTION_BASIS_LABELS } from './retention.ts';
import { CHECK_PROGRESS_LABELS } from './target-checks.ts';

/*
 * A subject access request (UK GDPR article 15): a person asks for everything held about them, or
 * about a child for whom they have parental responsibility. The school answers within one calendar
 * month of receiving it (the ICO: the same day of the next month, or that month's last day when it has
 * no such day).
 */

export const REQUESTERS = {
  parent: 'A parent or carer, for their child',
  pupil: 'The pupil, for themselves',
  representative: 'Someone acting for them (a solicitor or advocate), with their authority',
} as const;
export type Requester = keyof typeof REQUESTERS;

export type SubjectAccessStatus = 'open' | 'produced' | 'released';

export const SUBJECT_ACCESS_STATUS_LABELS: Record<SubjectAccessStatus, string> = {
  open: 'To produce',
  produced: 'Produced: to check and redact',
  released: 'Released',
};

/** The day the answer is due: one calendar month after the request was received. */
export function subjectAccessDueOn(receivedOn: IsoDate): IsoDate {
  const { year, month, day } = parseIsoDate(receivedOn);
  const nextYear = month === 12 ? year + 1 : year;
  const nextMonth = month === 12 ? 1 : month + 1;
  return toIsoDate(nextYear, nextMonth, Math.min(day, daysInMonth(nextYear, nextMonth)));
}

/** Text in an export that names another pupil: to redact before the export is released. */
export interface FlaggedText {
  /** The kind of record (a key of domain/records.ts). */
  kind: string;
  label: string;
  recordId: string | null;
  field: string;
  names: string[];
}

export interface NamedPerson {
  id: string;
  forename: string;
  surname: string;
}

/**
 * The other pupils a text names (forename and surname together, whole words, any case): a note
 * about one child that names another must be redacted before it is given out.
 */
export function otherPupilsNamed(text: string, others: readonly NamedPerson[]): NamedPerson[] {
  const words = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}'’-]+/gu, ' ')} `;
  return others.filter((p) => {
    const full = `${p.forename} ${p.surname}`
      .toLowerCase()
      .replace(/[^\p{L}\p{N}'’-]+/gu, ' ')
      .trim();
    return full.includes(' ') && words.includes(` ${full} `);
  });
}

const ACRONYMS = new Set(['upn', 'sen', 'send', 'ehc', 'ctf', 'fsm', 'eal', 'nc', 'urn', 'la', 'mis', 'pdf']);

/** What a column is called in a subject access export: "created_by_name" → "Created by name", "upn" → "UPN". */
export function fieldLabel(column: string): string {
  const words = column
    .split('_')
    .filter(Boolean)
    .map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const NEED_LABELS: Record<string, string> = Object.fromEntries(
  Object.entries(NEEDS).map(([code, n]) => [code, n.label]),
);

/** Columns holding a code, the same in every kind of record, with the words the pages use for it. */
const CODE_LABELS: Record<string, Record<string, string>> = {
  sen_stage: STAGE_LABELS,
  stage: STAGE_LABELS,
  from_stage: STAGE_LABELS,
  to_stage: STAGE_LABELS,
  primary_need: NEED_LABELS,
  secondary_need: NEED_LABELS,
  area: AREA_LABELS,
  need_areas: AREA_LABELS,
  areas_of_need: AREA_LABELS,
  change_kind: CHANGE_LABELS,
  sex: { female: 'Female', male: 'Male' },
  progress: PROGRESS_LABELS,
  decision: REVIEW_DECISION_LABELS,
  sent_via: SENT_VIA_LABELS,
  received_via: CONCERN_VIA_LABELS,
  deliverer: DELIVERER_LABELS,
  deliverer_kind: DELIVERER_LABELS,
  requester: REQUESTERS,
  basis: RETENTION_BASIS_LABELS,
};

/** Columns whose codes mean something different in each kind of record. */
const KIND_CODE_LABELS: Record<string, Record<string, Record<string, string>>> = {
  plan: { status: PLAN_STATUS_LABELS },
  target_check: { progress: CHECK_PROGRESS_LABELS },
  target: { outcome: TARGET_OUTCOME_LABELS },
  concern: { kind: CONCERN_KIND_LABELS, outcome: CONCERN_OUTCOME_LABELS, source: CONCERN_SOURCE_LABELS },
  letter: { kind: LETTER_KIND_LABELS },
  class_move: { source: CLASS_MOVE_SOURCE_LABELS },
  subject_access: { status: SUBJECT_ACCESS_STATUS_LABELS },
};

/**
 * The words for a code held in a record (`sen_support` → "SEN support"), as the pages show it; null
 * where the column holds no code or the value is not one of its codes.
 */
export function codeLabel(kind: string, column: string, value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const labels = KIND_CODE_LABELS[kind]?.[column] ?? CODE_LABELS[column];
  return labels && Object.hasOwn(labels, value) ? (labels[value] ?? null) : null;
}

/** A key of a value nested in a record (`ncYear`) as a column name (`nc_year`). */
export function columnOf(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
