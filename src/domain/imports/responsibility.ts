import { CONTACT_NUMBERS, contactField, type ImportField } from './fields.ts';

/*
 * Parental responsibility of the parents and carers an MIS import adds. Letters that need someone with
 * parental responsibility (consent, the SEN support letter) go only to those who hold it, so a file
 * that does not say (no such column, or an empty cell) must not quietly give everyone "No". The
 * preview asks the school instead, by relationship ("Mother", "Father", "Carer": yes), and the apply
 * uses its answer; a parent or carer already in OpenSEND keeps what they have.
 */

/** A relationship as a kind: "Mother", " mother " and "MOTHER" are one kind. */
export function relationshipKind(relationship: string): string {
  return relationship.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Kinds that usually hold parental responsibility, ticked to start with: a mother, a father (not
 * always: an unmarried father not on the birth certificate may not), a parent, a carer or guardian
 * the school records as the child's main carer. Foster carers, step-parents, grandparents and others
 * usually do not, unless a court order says so: the school ticks them if it knows.
 */
export const USUALLY_RESPONSIBLE: ReadonlySet<string> = new Set([
  'mother',
  'father',
  'parent',
  'parent or carer',
  'carer',
  'guardian',
  'legal guardian',
  'special guardian',
  'adoptive mother',
  'adoptive father',
  'adoptive parent',
]);

/** A parent or carer to add, and whether the file said if they hold parental responsibility. */
export interface ContactResponsibility {
  relationship: string;
  parentalResponsibility: boolean;
  /** False when the file has no parental-responsibility column for them, or left the cell empty. */
  responsibilityGiven?: boolean;
}

export interface ResponsibilityKind {
  /** The relationship as a kind (lower case): the value the form sends back. */
  kind: string;
  /** As the file first wrote it: "Mother". */
  label: string;
  /** How many parents and carers of this kind the import adds without a parental responsibility. */
  count: number;
  /** Ticked to start with. */
  usual: boolean;
}

/** What the preview asks: who of those added without a parental responsibility holds it. */
export interface ResponsibilityQuestion {
  /** The file has no parental-responsibility column for the parents and carers it has. */
  noColumn: boolean;
  /** Parents and carers added without a parental responsibility. */
  contacts: number;
  kinds: ResponsibilityKind[];
}

/** The question for these parents and carers to add, or null when the file says for every one. */
export function responsibilityQuestion(
  added: readonly ContactResponsibility[],
  fields: readonly ImportField[],
): ResponsibilityQuestion | null {
  const unknown = added.filter((c) => c.responsibilityGiven === false);
  if (unknown.length === 0) return null;
  const kinds = new Map<string, ResponsibilityKind>();
  for (const c of unknown) {
    const kind = relationshipKind(c.relationship);
    const found = kinds.get(kind);
    if (found) found.count++;
    else
      kinds.set(kind, {
        kind,
        label: c.relationship.trim().replace(/\s+/g, ' '),
        count: 1,
        usual: USUALLY_RESPONSIBLE.has(kind),
      });
  }
  const noColumn = CONTACT_NUMBERS.every(
    (n) =>
      !fields.includes(contactField(n, 'Name')) ||
      !fields.includes(contactField(n, 'ParentalResponsibility')),
  );
  return {
    noColumn,
    contacts: unknown.length,
    kinds: [...kinds.values()].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'en-GB')),
  };
}

/** A parent or carer's parental responsibility: the file's, or the school's choice for their kind. */
export function responsibilityOf(contact: ContactResponsibility, chosen: ReadonlySet<string>): boolean {
  // A plan kept from before the question was asked says nothing: it keeps what it held.
  if (contact.responsibilityGiven !== false) return contact.parentalResponsibility;
  return chosen.has(relationshipKind(contact.relationship));
}
