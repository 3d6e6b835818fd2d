import { atLeast, type SectionAccess } from '../domain/access.ts';
import { PLAN_ACTION_LEVELS as LEVEL, type PlanStatus } from '../domain/plans.ts';
import { can, type PolicyActor } from './kernel.ts';

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
  actor: PolicyActor,
  record: { plan: { status: PlanStatus }; pupil: { leftOn: string | null } },
  context: { access: SectionAccess },
): PlanActions {
  const { plan, pupil } = record;
  const { access } = context;
  const open = pupil.leftOn === null;
  const may = (level: (typeof LEVEL)[keyof typeof LEVEL]) => open && atLeast(access.plans, level);
  return {
    edit: may(LEVEL.edit) && (plan.status === 'draft' || plan.status === 'active'),
    agree: may(LEVEL.agree) && plan.status === 'draft',
    addNote: may(LEVEL.addNote) && (plan.status === 'active' || plan.status === 'in_review'),
    review:
      may(LEVEL.review) &&
      can(actor, 'plans.review') &&
      (plan.status === 'active' || plan.status === 'in_review'),
    closeDraft: may(LEVEL.closeDraft) && plan.status === 'draft',
    print: atLeast(access.plans, LEVEL.read),
    recordTargetCheck: may(LEVEL.recordTargetCheck) && plan.status === 'active',
  };
}

export interface PupilPlanActions {
  /**
   * Start a plan now: they write the pupil's plans, the pupil is on the SEN register or the monitoring
   * list and still at the school, and no plan is open (a draft, one in place or one being reviewed:
   * the next plan comes from its review).
   */
  start: boolean;
  /** Start one as a concern's review places the pupil on the register or the monitoring list. */
  startWithConcernReview: boolean;
  read: boolean;
  changeProfile: boolean;
}

/** What an actor may do with a pupil's support plans as a whole (the time line, the one-page profile). */
export function pupilPlanActions(
  _actor: PolicyActor,
  record: { pupil: { senStage: string; leftOn: string | null }; plans: readonly { status: PlanStatus }[] },
  context: { access: SectionAccess },
): PupilPlanActions {
  const { pupil, plans } = record;
  const { access } = context;
  const writes = atLeast(access.plans, LEVEL.start) && pupil.leftOn === null;
  return {
    start: writes && pupil.senStage !== 'none' && !plans.some((p) => p.status !== 'closed'),
    startWithConcernReview: writes,
    read: atLeast(access.plans, LEVEL.read),
    changeProfile: atLeast(access.plans, 'write') && pupil.leftOn === null,
  };
}
