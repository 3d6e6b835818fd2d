import { atLeast, type Level } from '../domain/access.ts';
import type { PlanStatus, ReviewDecision } from '../domain/ehc-plan.ts';
import type { PolicyActor } from './kernel.ts';

/*
 * Who may do what with the local authority's side of an annual review (docs/adr/0038). Officers of the
 * organisation that holds the plan read the reviews due and the reports received through their `ehc`
 * section (the caseload reach); a caseworker (ehc write) decides to keep, amend or cease the plan, once,
 * while the plan is final; panel members and managers read. Nobody outside the organisation reaches a
 * decision (the service finds it by the organisation's key: another authority's is not found).
 */

export interface ReviewDecisionActions {
  read: boolean;
  /** Keep, amend or cease the plan on this report. */
  decide: boolean;
}

export function reviewDecisionActions(
  actor: PolicyActor,
  found: { decision: ReviewDecision | null },
  plan: { status: PlanStatus },
  context: { ehc: Level | null },
): ReviewDecisionActions {
  const read = actor.kind === 'officer' && atLeast(context.ehc, 'read');
  return {
    read,
    decide: read && atLeast(context.ehc, 'write') && found.decision === null && plan.status === 'final',
  };
}
