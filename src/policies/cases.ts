import { atLeast, type Level } from '../domain/access.ts';
import type { CaseKind } from '../domain/cases.ts';
import { can, type PolicyActor } from './kernel.ts';

/*
 * Who may do what with a local authority's case (docs/adr/0036). Officers of the organisation that holds
 * the case read it through their `ehc` section (the caseload reach); on that floor:
 * - a caseworker (ehc write) records the decisions, the advice asked and received, the exceptions, the
 *   dates of the draft and the final plan, the caseworker; and decides a top-up application;
 * - a panel member records the panel's discussion (a `panel` decision with its notes), nothing else;
 * - a manager reads.
 * A closed case is read-only. Nobody outside the organisation reaches it (the service finds it by the
 * organisation's key: another authority's case is not found).
 */

export interface CaseActions {
  read: boolean;
  /** Decisions, advice, exceptions, dates, the caseworker. */
  change: boolean;
  /** Record a panel's discussion. */
  recordPanel: boolean;
  /** Read the panel's own notes (the authority's officers only; never the school). */
  readPanelNotes: boolean;
  /** A top-up application's decision (its own page). */
  decideTopUp: boolean;
}

export function caseActions(
  actor: PolicyActor,
  found: { kind: CaseKind; closedOn: string | null },
  context: { ehc: Level | null },
): CaseActions {
  const officer = actor.kind === 'officer';
  const read = officer && atLeast(context.ehc, 'read');
  const open = found.closedOn === null;
  const writes = read && atLeast(context.ehc, 'write');
  return {
    read,
    change: writes && open && found.kind === 'ehc_needs_assessment',
    recordPanel: read && open && can(actor, 'cases.panel'),
    readPanelNotes: read,
    decideTopUp: writes && open && found.kind === 'top_up_funding',
  };
}
