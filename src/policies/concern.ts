import { atLeast, type Capability, type SectionAccess } from '../domain/access.ts';
import type { ConcernStatus } from '../domain/concerns.ts';

export interface ConcernActions {
  /** See the concern in full: those who read the pupil's concerns, and whoever raised it. */
  view: boolean;
  /** Record the outcome: a reviewer of concerns who may change this pupil's concerns, while it is open. */
  review: boolean;
}

export function concernActions(
  actor: { userId: string },
  capabilities: ReadonlySet<Capability>,
  access: SectionAccess,
  concern: { raisedBy: string | null; status: ConcernStatus },
): ConcernActions {
  return {
    view:
      atLeast(access.concerns, 'read') || (concern.raisedBy !== null && concern.raisedBy === actor.userId),
    review:
      capabilities.has('concern.review') && atLeast(access.concerns, 'write') && concern.status === 'open',
  };
}
