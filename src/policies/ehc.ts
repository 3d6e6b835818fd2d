import { atLeast, type Reach, type SectionAccess } from '../domain/access.ts';
import type { SchoolRequestStatus } from '../domain/ehc.ts';
import { isBeingWritten, mayBeWithdrawn } from '../domain/ehc-request.ts';
import type { PolicyActor } from './kernel.ts';

/*
 * Who may do what with a school's request for an EHC needs assessment (docs/adr/0036). The pupil's
 * `ehc` section gives the floor: at write (the SENCo and the head, at the whole school) the request is
 * built, reviewed, consented to, sent and withdrawn, and its evidence pack read and downloaded; at read
 * (a class teacher of the pupil's class, a teaching assistant assigned to the pupil) only that a request
 * exists and where it stands, never the pack (it gathers the parents' views, the consent and every
 * agency's report). The office, governors and officers (through the school's pages) see nothing of it.
 * A leaver's requests are read-only.
 */

export interface EhcRequestActions {
  /** That it exists, who asked, where it stands (and at the local authority). */
  read: boolean;
  /** The evidence pack itself, its PDF and JSON. */
  readPack: boolean;
  /** Change the pack while it is written: leave items out, the covering statement, the contact. */
  edit: boolean;
  recordConsent: boolean;
  send: boolean;
  withdraw: boolean;
}

export interface EhcRequestContext {
  access: SectionAccess;
  /** The pupil has left the school. */
  left: boolean;
}

export function ehcRequestActions(
  actor: PolicyActor,
  request: { status: SchoolRequestStatus },
  context: EhcRequestContext,
): EhcRequestActions {
  const staff = actor.kind === 'staff';
  const writes = staff && atLeast(context.access.ehc, 'write');
  const open = writes && !context.left && isBeingWritten(request.status);
  return {
    read: staff && atLeast(context.access.ehc, 'read'),
    readPack: writes,
    edit: open,
    recordConsent: open,
    send: open,
    withdraw: writes && !context.left && mayBeWithdrawn(request.status),
  };
}

/**
 * What an actor may do with a pupil's requests as a whole (the pupil page's panel). A pupil who already
 * has an EHC plan (stage E) needs no request for an assessment: none is offered.
 */
export function pupilEhcActions(
  actor: PolicyActor,
  record: { pupil: { leftOn: string | null; senStage: string } },
  context: { access: SectionAccess },
) {
  const staff = actor.kind === 'staff';
  return {
    read: staff && atLeast(context.access.ehc, 'read'),
    start:
      staff &&
      atLeast(context.access.ehc, 'write') &&
      record.pupil.leftOn === null &&
      record.pupil.senStage !== 'ehc_plan',
  };
}

/**
 * What a member of staff may do with a pupil's EHC plan as the school holds it (docs/adr/0038). The panel
 * on the pupil page (that a plan exists, when it was issued and its review falls due) is for whoever
 * reads the pupil's `ehc` section; the plan itself (its sections, outcomes and provision, its PDF) for the
 * SENCo and the head (`ehc` write, the whole school) and a class teacher of the pupil's class — not a
 * teaching assistant or a teacher who only delivers a group. The SENCo and the head record a plan from
 * another authority, link its provision to the school's groups, and record the plan on the register.
 * A leaver's plan is read-only.
 */
export function pupilEhcPlanActions(
  actor: PolicyActor,
  record: { pupil: { leftOn: string | null; senStage: string }; reaches: ReadonlySet<Reach> },
  context: { access: SectionAccess },
) {
  const staff = actor.kind === 'staff';
  const writes = staff && atLeast(context.access.ehc, 'write');
  const present = record.pupil.leftOn === null;
  return {
    readPanel: staff && atLeast(context.access.ehc, 'read'),
    readPlan:
      writes || (staff && atLeast(context.access.ehc, 'read') && record.reaches.has('classes_taught')),
    recordSummary: writes && present,
    linkProvision: writes && present,
    recordOnRegister:
      writes && present && atLeast(context.access.register, 'write') && record.pupil.senStage !== 'ehc_plan',
  };
}
