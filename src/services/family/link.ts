import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import { invitationState, isAnotherFamily, mayBeInvited } from '../../domain/family-invitations.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import {
  invitationByCodeHash,
  liveCarersOfUserForPupil,
  liveLinkOfCarer,
  markInvitationUsed,
  otherLinkedCarersOfUser,
} from '../../repositories/family-invitations.ts';
import { insertParentAccounts } from '../../repositories/people-kinds.ts';
import { findParent } from '../../repositories/pupils.ts';

/*
 * Using an invitation (docs/adr/0039): the one place a parent's account is linked to a child. Called by
 * the join service for a signed-in parent, and by the sign-in code check: an account reached through
 * /join is linked only once the code sent to its email is right (the address is proven before the child
 * is reached).
 */

export type FoundInvitation = NonNullable<Awaited<ReturnType<typeof invitationByCodeHash>>>;

/** Why an invitation no longer works (its state, the carer's responsibility, the pupil gone), or null. */
export function refusalOf(found: FoundInvitation, now: Date): string | null {
  const state = invitationState(found.invitation, now);
  if (state !== 'waiting') return state;
  if (!mayBeInvited(found)) return 'no_parental_responsibility';
  if (found.pupilLeftOn || found.pupilErasedAt) return 'pupil_left';
  return null;
}

/**
 * Why this account may not take this invitation, or null: another account holds the carer's link (the
 * school ends it before inviting again); the account is already another of this child's parents or
 * carers (the other parent's letter, found in the book bag, must not give one account both records); or
 * it is already another family's parent at this school (one invitation's code must not join two
 * families' children to one account).
 */
export async function linkProblem(tx: Executor, found: FoundInvitation, userId: string, now: Date) {
  const reason = refusalOf(found, now);
  if (reason) return reason;
  const { invitation } = found;
  const live = await liveLinkOfCarer(tx, invitation.schoolId, invitation.parentCarerId);
  if (live && live.userId !== userId) return 'carer_has_account';
  const sameChild = await liveCarersOfUserForPupil(tx, invitation.schoolId, userId, invitation.pupilId);
  if (sameChild.some((id) => id !== invitation.parentCarerId)) return 'another_carer_of_child';
  const carer = await findParent(tx, invitation.schoolId, invitation.pupilId, invitation.parentCarerId);
  const others = await otherLinkedCarersOfUser(tx, invitation.schoolId, userId, invitation.pupilId);
  if (!carer || isAnotherFamily(carer, others)) return 'another_family';
  return null;
}

/**
 * Use the invitation for an account, in the caller's transaction: the invitation locked and checked
 * again (the same code sent twice at once links once), the link made (or kept, when this account is
 * already the carer's), the invitation marked used, and `family.joined` on the school's trail.
 */
export async function useInvitation(
  tx: Executor,
  now: Date,
  codeHash: string,
  userId: string,
  requestId: string,
  newAccount: boolean,
): Promise<{ ok: true; schoolId: string } | { ok: false; reason: string; schoolId: string | null }> {
  const found = await invitationByCodeHash(tx, codeHash, { lock: true });
  if (!found) return { ok: false, reason: 'no_such_code', schoolId: null };
  const { invitation } = found;
  const reason = await linkProblem(tx, found, userId, now);
  if (reason) return { ok: false, reason, schoolId: invitation.schoolId };
  const live = await liveLinkOfCarer(tx, invitation.schoolId, invitation.parentCarerId);
  if (!live) {
    await insertParentAccounts(tx, [
      {
        schoolId: invitation.schoolId,
        id: randomUUID(),
        userId,
        parentCarerId: invitation.parentCarerId,
        pupilId: invitation.pupilId,
        linkedBy: invitation.createdBy,
      },
    ]);
  }
  await markInvitationUsed(tx, invitation.schoolId, invitation.id, userId, now);
  await insertAuditEvents(tx, [
    {
      schoolId: invitation.schoolId,
      userId,
      role: 'parent',
      action: 'family.joined',
      pupilId: invitation.pupilId,
      requestId,
      detail: {
        invitationId: invitation.id,
        parentId: invitation.parentCarerId,
        method: invitation.method,
        newAccount,
      },
    },
  ]);
  return { ok: true, schoolId: invitation.schoolId };
}
