import type { AccessScope, Role } from '../../domain/access.ts';

/** The person making a request, as the services see them. */
export interface Actor {
  userId: string;
  name: string;
  email: string;
  /** The roles they hold where this session acts (a school's roles, or an organisation's). */
  roles: Role[];
  /** The school this session acts in; null when it acts for an organisation or has not chosen. */
  schoolId: string | null;
  /** The organisation this session acts for (a local authority or trust). */
  organisationId: string | null;
  requestId: string;
}

export type SchoolActor = Actor & { schoolId: string };

export function scopeOf(actor: SchoolActor): AccessScope {
  return { schoolId: actor.schoolId, userId: actor.userId, roles: actor.roles };
}

/** How the audit row names the roles someone acted in. */
export function rolesText(actor: Actor): string | null {
  return actor.roles.length ? [...actor.roles].sort().join(',') : null;
}
