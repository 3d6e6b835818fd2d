import {
  type Capability,
  hasCapability,
  type Level,
  reachesFor,
  SECTION_LABELS,
  type Section,
} from '../../domain/access.ts';
import type { Actor, OfficerActor, SchoolActor } from './actor.ts';
import { ForbiddenError } from './errors.ts';

/** The first step of a school service call: an actor working in a school. */
export function requireSchool(actor: Actor): SchoolActor {
  if (actor.kind !== 'staff' || !actor.schoolId)
    throw new ForbiddenError('This page is for school staff', 'school');
  return actor as SchoolActor;
}

/** The first step of an organisation's service call: an officer acting for their organisation. */
export function requireOfficer(actor: Actor, capability: Capability): OfficerActor {
  if (actor.kind !== 'officer' || !actor.organisationId) {
    throw new ForbiddenError('This page is for local authority and trust officers', capability);
  }
  if (!hasCapability(actor.roles, capability)) throw new ForbiddenError(undefined, capability);
  return actor as OfficerActor;
}

/** The first step of a service for one kind of person acting for themselves (a parent, a professional). */
export function requireKind<K extends 'parent' | 'professional'>(
  actor: Actor,
  kind: K,
  message: string,
): Actor & { kind: K } {
  if (actor.kind !== kind) throw new ForbiddenError(message, kind);
  return actor as Actor & { kind: K };
}

/** An actor in a school whose roles give this school-wide capability. */
export function requireCapability(actor: Actor, capability: Capability): SchoolActor {
  const a = requireSchool(actor);
  if (!hasCapability(a.roles, capability)) throw new ForbiddenError(undefined, capability);
  return a;
}

/** An actor who reaches this section of at least some pupils (list pages): the rows are limited in SQL. */
export function requireSection(actor: Actor, section: Section, level: Level = 'read'): SchoolActor {
  const a = requireSchool(actor);
  if (reachesFor(a.roles, section, level).length === 0) {
    throw new ForbiddenError(
      `Your role does not include pupils’ ${SECTION_LABELS[section]}`,
      `${section}.${level}`,
    );
  }
  return a;
}

export function mayUseSection(actor: Actor, section: Section, level: Level = 'read'): boolean {
  return (
    actor.kind === 'staff' && Boolean(actor.schoolId) && reachesFor(actor.roles, section, level).length > 0
  );
}
