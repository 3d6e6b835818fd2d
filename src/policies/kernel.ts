import { type ActorKind, type Capability, hasCapability, type Role } from '../domain/access.ts';

/*
 * One vocabulary for every policy (docs/adr/0030): a policy takes the actor, the record and the
 * context of the request, and answers what this actor may do with this record, as a set of named
 * actions. Services call policies and return the allowed actions with the data; pages show exactly
 * those actions; nothing outside policies/ decides. A policy about no one record (what a role may do
 * school-wide) takes the actor alone.
 */

/** Who a policy judges: the kind of person, the person, the roles they act in here. */
export interface PolicyActor {
  kind: ActorKind;
  userId: string;
  roles: readonly Role[];
}

export type Policy<R, C, A> = (actor: PolicyActor, record: R, context: C) => A;

/** Whether the actor's roles give a school-wide capability. */
export function can(actor: PolicyActor, capability: Capability): boolean {
  return hasCapability(actor.roles, capability);
}
