import { atLeast, type SectionAccess } from '../domain/access.ts';
import { isFinished, type ReferralStatus } from '../domain/referrals.ts';
import { can, type PolicyActor } from './kernel.ts';

/*
 * Who may do what with outside agencies' work (docs/adr/0033). The sections give the floor: a pupil's
 * `agencies` section at read (the class teacher of the pupil's class), at
 * contribute (the office, which records consent forms; a professional through a live share), at write
 * (the SENCo and head, who manage referrals). On that floor:
 * - a report and its file are read by those who write the pupil's plans (the SENCo, the head, the class
 *   teacher of the pupil's class), never by the office, and by the professional of the referral;
 * - recommendations are advice for the plan: read by everyone who reads the pupil's plans (a teaching
 *   assistant too, who reads no referral or report);
 * - a recommendation goes into a plan by those who write the plan, into the provision by its managers.
 * A leaver's referrals are read-only.
 */

export interface ReferralActions {
  read: boolean;
  /** Edit a draft, record its steps, set its clock, invite the professional, end the share, close it. */
  manage: boolean;
  /** Record consent (a signed form, an email) and its withdrawal. */
  recordConsent: boolean;
  /** End the sharing with the agency's professional at once (open to its managers even once the referral ended). */
  endShare: boolean;
  /** Add a report received on paper or by email, with its recommendations. */
  addReport: boolean;
  readReports: boolean;
  readRecommendations: boolean;
}

export interface ReferralContext {
  access: SectionAccess;
  /** The pupil has left the school. */
  left: boolean;
}

export function referralActions(
  actor: PolicyActor,
  referral: { status: ReferralStatus },
  context: ReferralContext,
): ReferralActions {
  const { access, left } = context;
  const staff = actor.kind === 'staff';
  const open = !left && !isFinished(referral.status);
  const writes = staff && atLeast(access.agencies, 'write');
  return {
    read: staff && atLeast(access.agencies, 'read'),
    manage: writes && open,
    endShare: writes && !left,
    recordConsent: staff && atLeast(access.agencies, 'contribute') && open,
    addReport: writes && !left && referral.status !== 'drafted' && referral.status !== 'awaiting_consent',
    readReports: staff && atLeast(access.agencies, 'read') && atLeast(access.plans, 'write'),
    readRecommendations: staff && atLeast(access.plans, 'read'),
  };
}

/** What an actor may do with a pupil's referrals as a whole (the pupil page's section). */
export function pupilReferralActions(
  actor: PolicyActor,
  record: { pupil: { leftOn: string | null } },
  context: { access: SectionAccess },
) {
  const staff = actor.kind === 'staff';
  return {
    read: staff && atLeast(context.access.agencies, 'read'),
    start: staff && atLeast(context.access.agencies, 'write') && record.pupil.leftOn === null,
    readRecommendations: staff && atLeast(context.access.plans, 'read'),
  };
}

/** What a professional may do with a referral shared with them: only while the share is live. */
export function professionalReferralActions(
  actor: PolicyActor,
  record: { professionalUserId: string | null; status: ReferralStatus; shareLive: boolean },
) {
  const theirs =
    actor.kind === 'professional' && record.professionalUserId === actor.userId && record.shareLive;
  return {
    read: theirs,
    sendReport: theirs && !isFinished(record.status),
  };
}

export interface RecommendationActions {
  /** Put it into the pupil's plan as a target or strategy. */
  useInPlan: boolean;
  /** Put it into the provision (a new group or a change). */
  useInProvision: boolean;
}

export function recommendationActions(
  actor: PolicyActor,
  _recommendation: unknown,
  context: { access: SectionAccess; left: boolean },
): RecommendationActions {
  const staff = actor.kind === 'staff' && !context.left;
  return {
    useInPlan: staff && atLeast(context.access.plans, 'write'),
    useInProvision: staff && can(actor, 'provision.manage'),
  };
}

/** What an actor may do with a directory of services: the school's own, or the local authority's. */
export function directoryActions(actor: PolicyActor, directory: { ownerKind: 'school' | 'organisation' }) {
  return {
    read: actor.kind === 'staff' || actor.kind === 'officer',
    manage:
      directory.ownerKind === 'school'
        ? actor.kind === 'staff' && can(actor, 'agencies.manage')
        : actor.kind === 'officer' && can(actor, 'organisation.directory'),
  };
}
