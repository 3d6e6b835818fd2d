/*
 * Who a record belongs to (docs/adr/0029-owners.md): a school, or an organisation (a local authority or
 * a trust). Keys carry the owner (`school_id` or `organisation_id`), and so do the unit of work and the
 * audit trail, which keeps one chain per owner, each with its own lock. What belongs to no one (the
 * installation's own work: sign-ins before a school is chosen, the command line, checking the trail)
 * has a chain of its own too: the installation's.
 */

/** The owner of a record: a school or an organisation. */
export type RecordOwner =
  | { kind: 'school'; schoolId: string }
  | { kind: 'organisation'; organisationId: string };

/** The owner of an audit entry: a record's owner, or the installation for what belongs to no one. */
export type Owner = RecordOwner | { kind: 'installation' };

export const INSTALLATION: Owner = { kind: 'installation' };

export const schoolOwner = (schoolId: string): RecordOwner => ({ kind: 'school', schoolId });
export const organisationOwner = (organisationId: string): RecordOwner => ({
  kind: 'organisation',
  organisationId,
});

/**
 * The owner someone acts for: the school they work in, else the organisation they act for (an officer),
 * else the installation (a person who has chosen neither, or acts as a parent or agency professional,
 * whose entries belong to no school's chain).
 */
export function ownerOf(acting: { schoolId: string | null; organisationId: string | null }): Owner {
  if (acting.schoolId) return schoolOwner(acting.schoolId);
  if (acting.organisationId) return organisationOwner(acting.organisationId);
  return INSTALLATION;
}

/** The owner's key columns, as every table keyed by its owner holds them: one set, or neither. */
export function ownerColumns(owner: Owner): { schoolId: string | null; organisationId: string | null } {
  switch (owner.kind) {
    case 'school':
      return { schoolId: owner.schoolId, organisationId: null };
    case 'organisation':
      return { schoolId: null, organisationId: owner.organisationId };
    case 'installation':
      return { schoolId: null, organisationId: null };
  }
}

/** The owner of a row from its key columns; a row naming both belongs to no one owner (an error). */
export function ownerOfColumns(row: { schoolId: string | null; organisationId: string | null }): Owner {
  if (row.schoolId && row.organisationId)
    throw new Error('A row belongs to a school or to an organisation, never to both');
  return ownerOf(row);
}

/** The same owner? */
export function sameOwner(a: Owner, b: Owner): boolean {
  const x = ownerColumns(a);
  const y = ownerColumns(b);
  return x.schoolId === y.schoolId && x.organisationId === y.organisationId;
}
