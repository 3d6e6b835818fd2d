import { atLeast, reachesFor, type SectionAccess } from '../domain/access.ts';
import type { SchoolRequestStatus, TopUpStage } from '../domain/ehc.ts';
import type { PolicyActor } from './kernel.ts';

/*
 * High-needs top-up funding (docs/adr/0036): what an actor may do with a school's application, and with
 * the local authority's decision on it. The school's application is built and sent by those who write
 * the pupil's EHC work (the SENCo and the head); those who read it (a class teacher, a teaching
 * assistant, for their pupils) see on the pupil's page that one exists and where it stands, not the
 * application itself, which sets out costs and the school's case for money. At the authority, a
 * caseworker (EHC work, write) records the decision; a panel member and a manager read it.
 */

export interface TopUpApplicationState {
  status: SchoolRequestStatus;
  /** The local authority has decided it (on this installation). */
  decided: boolean;
  /** The pupil has left the school: the record is kept as it was. */
  pupilLeft: boolean;
}

export interface TopUpActions {
  view: boolean;
  /** Change the amount, the period and the school's case (a draft). */
  edit: boolean;
  /** Send it into the local authority's caseload (the authority is on this installation). */
  sendToLocalAuthority: boolean;
  /** Record it as sent by the school itself, having downloaded the files (the authority is not here). */
  markSent: boolean;
  download: boolean;
  withdraw: boolean;
}

export function topUpActions(
  _actor: PolicyActor,
  application: TopUpApplicationState,
  context: { access: SectionAccess; localAuthorityHere: boolean },
): TopUpActions {
  const writes = atLeast(context.access.ehc, 'write') && atLeast(context.access.provision, 'read');
  const draft = writes && application.status === 'draft' && !application.pupilLeft;
  return {
    view: writes,
    edit: draft,
    sendToLocalAuthority: draft && context.localAuthorityHere,
    markSent: draft && !context.localAuthorityHere,
    download: writes,
    withdraw:
      writes &&
      !application.pupilLeft &&
      (application.status === 'draft' || (application.status === 'sent' && !application.decided)),
  };
}

/** Whether someone reading the pupil's EHC work sees that an application exists and where it stands. */
export function seesTopUpStanding(access: SectionAccess): boolean {
  return atLeast(access.ehc, 'read');
}

export interface TopUpDecisionActions {
  view: boolean;
  decide: boolean;
}

/** What an officer may do with the decision on a top-up case of their organisation. */
export function topUpDecisionActions(
  actor: PolicyActor,
  found: { stage: TopUpStage | string },
): TopUpDecisionActions {
  const view = actor.kind === 'officer' && reachesFor(actor.roles, 'ehc', 'read').includes('caseload');
  const write = actor.kind === 'officer' && reachesFor(actor.roles, 'ehc', 'write').includes('caseload');
  return { view, decide: view && write && found.stage !== 'withdrawn' };
}

/** What the pupil's page offers about top-up funding: the applications' standing, and starting one. */
export function pupilTopUpActions(
  _actor: PolicyActor,
  record: { leftOn: string | null },
  context: { access: SectionAccess },
): { read: boolean; start: boolean; open: boolean } {
  const { access } = context;
  const writes = atLeast(access.ehc, 'write') && atLeast(access.provision, 'read');
  return { read: seesTopUpStanding(access), start: writes && !record.leftOn, open: writes };
}
