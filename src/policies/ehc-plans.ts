import { atLeast, type Level } from '../domain/access.ts';
import type { PlanStatus, PlanVersionStage } from '../domain/ehc-plan.ts';
import type { PolicyActor } from './kernel.ts';

/*
 * Who may do what with a local authority's EHC plan (docs/adr/0038). Officers of the organisation that
 * holds the plan read it through their `ehc` section (the caseload reach); a caseworker (ehc write)
 * writes the version being written, sends it to the parents, records their comments and the school
 * consulted, issues it, starts an amendment of the final plan and ceases it; a panel member and a manager
 * read. A ceased plan is read-only. Nobody outside the organisation reaches it (the service finds it by
 * the organisation's key: another authority's plan is not found); schools see final plans through their
 * own pages, never these.
 */

export interface EhcPlanActions {
  read: boolean;
  /** Write the sections of the version being written. */
  edit: boolean;
  /** Send the version being written to the parents (the draft, or the proposed amendments). */
  send: boolean;
  /** Record the parents' comments, their preferred school, the school consulted and its answer. */
  recordComments: boolean;
  /** Issue the version sent as the final plan. */
  issue: boolean;
  /** Start an amendment of the final plan. */
  amend: boolean;
  cease: boolean;
}

export function ehcPlanActions(
  actor: PolicyActor,
  plan: { status: PlanStatus },
  open: { stage: PlanVersionStage } | null,
  context: { ehc: Level | null },
): EhcPlanActions {
  const read = actor.kind === 'officer' && atLeast(context.ehc, 'read');
  const writes = read && atLeast(context.ehc, 'write') && plan.status !== 'ceased';
  return {
    read,
    edit: writes && open?.stage === 'writing',
    send: writes && open?.stage === 'writing',
    recordComments: writes && open?.stage === 'sent',
    issue: writes && open?.stage === 'sent',
    amend: writes && plan.status === 'final' && open === null,
    cease: writes && plan.status === 'final',
  };
}
