import { can, type Permission } from '../domain/roles.ts';
import type { Actor } from './actor.ts';
import { ForbiddenError } from './errors.ts';

export type SchoolActor = Actor & { schoolId: string };

/** The first step of every school service call: this actor, in a school, with this permission. */
export function requireSchoolPermission(actor: Actor, permission: Permission): SchoolActor {
  if (!actor.schoolId) throw new ForbiddenError('This page is for school staff');
  if (!can(actor.role, permission)) throw new ForbiddenError();
  return actor as SchoolActor;
}
