import { hasEnded } from '../domain/provision-rules.ts';
import { can, type PolicyActor } from './kernel.ts';

/**
 * What an actor may do with a provision group. The SENCo and head (provision.manage) do everything;
 * the person who delivers a group sees it, records its sessions, its pupils' measures and its
 * half-termly checks (a teaching assistant, a class teacher, anyone whose grants follow the groups
 * they deliver). Nobody else sees a group's page: class teachers see their own class's provision on
 * the pupil's record. Which pupils of a group anyone sees is their reach (a teaching assistant's
 * reach ends with the group); the services apply it.
 */
export interface GroupActions {
  view: boolean;
  edit: boolean;
  managePupils: boolean;
  recordSession: boolean;
  recordMeasures: boolean;
  recordCheck: boolean;
}

export function groupActions(
  actor: PolicyActor,
  group: { delivererId: string | null; endDate: string | null },
  context: { today: string },
): GroupActions {
  const { today } = context;
  const manager = can(actor, 'provision.manage');
  const delivers = group.delivererId !== null && group.delivererId === actor.userId;
  const ended = hasEnded(group, today);
  const works = manager || delivers;
  return {
    view: works,
    edit: manager,
    managePupils: manager && !ended,
    recordSession: works,
    recordMeasures: works,
    recordCheck: works,
  };
}

/** What an actor may do with the catalogue, the rates and the map's school-wide views. */
export function provisionActions(actor: PolicyActor) {
  const manager = can(actor, 'provision.manage');
  return {
    manageCatalogue: manager,
    manageRates: manager,
    startGroup: manager,
    viewRegister: manager,
    viewEffectiveness: manager,
    export: manager,
  };
}
