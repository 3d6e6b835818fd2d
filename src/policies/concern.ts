import { atLeast, type SectionAccess } from '../domain/access.ts';
import type { ConcernStatus } from '../domain/concerns.ts';
import { can, type PolicyActor } from './kernel.ts';

export interface ConcernActions {
  /** See the concern in full: those who read the pupil's concerns, and whoever raised it. */
  view: boolean;
  /** Record the outcome: a reviewer of concerns who may change this pupil's concerns, while it is open. */
  review: boolean;
}

export function concernActions(
  actor: PolicyActor,
  concern: { raisedBy: string | null; status: ConcernStatus },
  context: { access: SectionAccess },
): ConcernActions {
  const { access } = context;
  return {
    view:
      atLeast(access.concerns, 'read') || (concern.raisedBy !== null && concern.raisedBy === actor.userId),
    review: can(actor, 'concern.review') && atLeast(access.concerns, 'write') && concern.status === 'open',
  };
}
