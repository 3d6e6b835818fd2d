import { atLeast, type Capability, type SectionAccess } from '../domain/access.ts';
import type { PlanStatus } from '../domain/plans.ts';

/**
 * What an actor may do with a support plan: class teachers write the plans of their pupils, teaching
 * assistants add notes to the plans of pupils they work with, the SENCo and head do everything and
 * review. A closed plan and its review are read-only; a leaver's plans too.
 */
export interface PlanActions {
  edit: boolean;
  agree: boolean;
  addNote: boolean;
  review: boolean;
  closeDraft: boolean;
  print: boolean;
  /**
   * Record the half-termly target check: the class teacher or SENCo, while the plan is in place (the
   * service adds the school's setting and whether a check is open).
   */
  recordTargetCheck: boolean;
}

export function planActions(
  _actor: { userId: string },
  capabilities: ReadonlySet<Capability>,
  access: SectionAccess,
  plan: { status: PlanStatus },
  pupil: { leftOn: string | null },
  _today: string,
): PlanActions {
  const open = pupil.leftOn === null;
  const write = open && atLeast(access.plans, 'write');
  return {
    edit: write && (plan.status === 'draft' || plan.status === 'active'),
    agree: write && plan.status === 'draft',
    addNote:
      open &&
      atLeast(access.plans, 'contribute') &&
      (plan.status === 'active' || plan.status === 'in_review'),
    review:
      write && capabilities.has('plans.review') && (plan.status === 'active' || plan.status === 'in_review'),
    closeDraft: write && plan.status === 'draft',
    print: atLeast(access.plans, 'read'),
    recordTargetCheck: write && plan.status === 'active',
  };
}

/**
 * May this actor start a plan for this pupil: they write the pupil's plans, the pupil is on the SEN
 * register or the monitoring list and still at the school, and no plan is open (a draft, one in place
 * or one being reviewed: the next plan comes from its review).
 */
export function mayStartPlan(
  access: SectionAccess,
  pupil: { senStage: string; leftOn: string | null },
  plans: readonly { status: PlanStatus }[],
): boolean {
  return (
    atLeast(access.plans, 'write') &&
    pupil.leftOn === null &&
    pupil.senStage !== 'none' &&
    !plans.some((p) => p.status !== 'closed')
  );
}
