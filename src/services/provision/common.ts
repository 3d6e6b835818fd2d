import type { Executor } from '../../db/client.ts';
import { mayDeliverGroups } from '../../domain/access.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { type Threshold, thresholdOf } from '../../domain/provision-summary.ts';
import { groupActions } from '../../policies/provision.ts';
import { findGroup, staffForDelivering, thresholdSettings } from '../../repositories/provision.ts';
import type { SchoolActor } from '../kernel/actor.ts';
import { NotFoundError } from '../kernel/errors.ts';

/** A group the actor may see (they manage provision or deliver it), with what they may do; else "not found". */
export async function groupFor(
  db: Executor,
  a: SchoolActor,
  groupId: string,
  today: IsoDate,
  options: { lock?: boolean } = {},
) {
  const group = await findGroup(db, a.schoolId, groupId, options);
  const actions = group ? groupActions(a, group, { today }) : null;
  if (!group || !actions?.view) throw new NotFoundError('Group not found', { kind: 'group', id: groupId });
  return { group, actions };
}

export async function thresholdFor(db: Executor, schoolId: string): Promise<Threshold> {
  return thresholdOf(await thresholdSettings(db, schoolId));
}

/**
 * The staff who can deliver a group and record its sessions: whose roles reach the pupils of the
 * groups they deliver, or every pupil (from the grant table, so a role given that reach appears here).
 */
export async function deliverersOf(db: Executor, schoolId: string) {
  const staff = await staffForDelivering(db, schoolId);
  return staff.filter((s) => mayDeliverGroups(s.roles));
}
