import { daysInMonth, type IsoDate, parseIsoDate, toIsoDate } from './dates.ts';

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
