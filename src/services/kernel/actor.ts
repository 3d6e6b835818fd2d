import type { AccessScope, ActorKind, PersonScope, Role } from '../../domain/access.ts';

/**
 * The person making a request, as the services see them: one of four kinds (docs/adr/0030), acting
 * as one kind at a time. Staff act in one school, an officer for one organisation; a parent and a
 * professional act in no one school (their reach crosses schools).
 */
export interface Actor {
  kind: ActorKind;
  userId: string;
  name: string;
  email: string;
  /** The roles they hold where this session acts (a school's, an organisation's, a parent's, a professional's). */
  roles: Role[];
  /** The school this session acts in (staff only); null otherwise or when nowhere is chosen. */
  schoolId: string | null;
  /** The organisation this session acts for (a local authority or trust: officers only). */
  organisationId: string | null;
  requestId: string;
}

export type SchoolActor = Actor & { kind: 'staff'; schoolId: string };
export type OfficerActor = Actor & { kind: 'officer'; organisationId: string };

export function scopeOf(actor: SchoolActor): AccessScope {
  return { schoolId: actor.schoolId, userId: actor.userId, roles: actor.roles };
}

/** Anyone's scope over pupils: what the reaches of their kind compile against. */
export function personScopeOf(actor: Actor): PersonScope {
  return {
    kind: actor.kind,
    userId: actor.userId,
    roles: actor.roles,
    schoolId: actor.kind === 'staff' ? actor.schoolId : null,
    organisationId: actor.kind === 'officer' ? actor.organisationId : null,
  };
}

/** How the audit row names the roles someone acted in. */
export function rolesText(actor: Actor): string | null {
  return actor.roles.length ? [...actor.roles].sort().join(',') : null;
}
