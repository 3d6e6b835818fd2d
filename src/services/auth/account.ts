import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { SchoolRole } from '../../domain/access.ts';
import { findAccount, setPassword } from '../../repositories/accounts.ts';
import { insertAuditEvent } from '../../repositories/audit.ts';
import {
  deleteHeldForm,
  findHeldForm,
  type HeldFormBody,
  insertHeldForm,
  latestHeldForm,
} from '../../repositories/held-forms.ts';
import { insertMembership } from '../../repositories/memberships.ts';
import { findSchool } from '../../repositories/schools.ts';
import { deleteSessionsOfUser, setSessionContext } from '../../repositories/sessions.ts';
import { answerInvitation, pendingInvitationsForEmail } from '../../repositories/staff.ts';
import type { Actor } from '../kernel/actor.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';
import { hashPassword, verifyPassword, weakPasswordProblem } from '../kernel/passwords.ts';
import { databaseError } from '../kernel/unit-of-work.ts';
import { noSessionCache, type SessionCache } from './session-cache.ts';

/** How long a form sent after its session ended is kept for its sender. */
export const HELD_FORM_HOURS = 8;

/** What a signed-in person does to their own account: password, invitations, forms kept for them. */
export function createAccountService(database: Database, sessions: SessionCache = noSessionCache) {
  const { db } = database;

  return {
    /** Change one's own password: the current one first, and a new one that is hard to guess. */
    async changePassword(
      actor: Actor,
      sessionId: string,
      input: { currentPassword: string; newPassword: string },
    ): Promise<void> {
      const account = await findAccount(db, actor.userId);
      if (!account) throw new NotFoundError('Account not found');
      const errors = [];
      if (!(await verifyPassword(account.passwordHash, input.currentPassword))) {
        errors.push({ field: 'currentPassword', message: 'Your current password is not right' });
      }
      // The school's name counts as personal, as it does when the SENCo sets a first password.
      const school = actor.schoolId ? await findSchool(db, actor.schoolId) : null;
      const weak = await weakPasswordProblem(input.newPassword, [
        account.name,
        account.email,
        school?.name ?? '',
      ]);
      if (weak) errors.push({ field: 'newPassword', message: weak });
      else if (input.newPassword === input.currentPassword) {
        errors.push({ field: 'newPassword', message: 'Choose a password different from your current one' });
      }
      if (errors.length > 0) throw new ValidationError(errors);
      const passwordHash = await hashPassword(input.newPassword);
      await db.transaction(async (tx) => {
        await setPassword(tx, actor.userId, passwordHash, false);
        // Every other session of this person ends: whoever knew the old password is out.
        await deleteSessionsOfUser(tx, actor.userId, sessionId);
        await insertAuditEvent(tx, {
          schoolId: actor.schoolId,
          userId: actor.userId,
          role: actor.roles.join(',') || null,
          action: 'auth.password_changed',
          requestId: actor.requestId,
        });
      });
      sessions.dropUser(actor.userId);
    },

    /** Invitations from schools waiting for this person's answer. */
    invitations(actor: Actor) {
      return pendingInvitationsForEmail(db, actor.email);
    },

    /**
     * Accept or decline an invitation addressed to this person's own email. `accept` is null when the
     * form's answer was neither button (sent twice, unknown, missing): the invitation stays waiting and
     * the person is told plainly (an invitation that is not theirs is not found, as for any answer).
     */
    async answerInvitation(
      actor: Actor,
      sessionId: string,
      schoolId: string,
      invitationId: string,
      accept: boolean | null,
    ): Promise<{ schoolId: string; roles: SchoolRole[] }> {
      if (accept === null) {
        const waiting = await pendingInvitationsForEmail(db, actor.email);
        if (!waiting.some((i) => i.id === invitationId && i.schoolId === schoolId))
          throw new NotFoundError('Invitation not found', { kind: 'invitation', id: invitationId });
        throw new ValidationError([
          {
            field: 'answer',
            message: 'Choose “Join” or “Decline” on your account page to answer the invitation',
          },
        ]);
      }
      try {
        const answered = await db.transaction(async (tx) => {
          const invitation = await answerInvitation(
            tx,
            schoolId,
            invitationId,
            accept ? 'accepted' : 'declined',
            actor.email,
          );
          if (!invitation)
            throw new NotFoundError('Invitation not found', { kind: 'invitation', id: invitationId });
          if (accept) {
            await insertMembership(tx, schoolId, actor.userId, invitation.roles);
            // Joining a school means working there now.
            await setSessionContext(tx, sessionId, { actingAs: 'staff', schoolId, organisationId: null });
          }
          await insertAuditEvent(tx, {
            schoolId,
            userId: actor.userId,
            role: accept ? invitation.roles.join(',') : null,
            action: accept ? 'staff.invitation_accepted' : 'staff.invitation_declined',
            requestId: actor.requestId,
            detail: { invitationId, roles: invitation.roles },
          });
          return { schoolId, roles: invitation.roles };
        });
        if (accept) sessions.dropUser(actor.userId);
        return answered;
      } catch (error) {
        if (databaseError(error)?.code === '23505') {
          throw new ValidationError([
            { field: 'form', message: 'You are already a member of staff at this school' },
          ]);
        }
        throw error;
      }
    },

    /**
     * Keep a form that arrived after its sender's session ended, for that person only: signing in
     * again brings it back. Nothing in it has been saved.
     */
    async holdForm(
      ended: { userId: string; schoolId: string | null },
      path: string,
      body: HeldFormBody,
      requestId: string,
    ): Promise<string> {
      const { userId, schoolId } = ended;
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await insertHeldForm(tx, {
          id,
          userId,
          schoolId,
          path,
          body,
          expiresAt: new Date(Date.now() + HELD_FORM_HOURS * 3600 * 1000),
        });
        await insertAuditEvent(tx, {
          schoolId,
          userId,
          role: null,
          action: 'auth.form_held',
          requestId,
          detail: { path },
        });
      });
      return id;
    },

    latestHeldForm(actor: Actor) {
      return latestHeldForm(db, actor.userId);
    },

    async heldForm(actor: Actor, id: string) {
      const held = await findHeldForm(db, actor.userId, id);
      if (!held) throw new NotFoundError('This form is no longer kept', { kind: 'held_form', id });
      return held;
    },

    /** Discard a form kept for this person: "not found" when they have none with this id. */
    async discardHeldForm(actor: Actor, id: string): Promise<void> {
      if (!(await deleteHeldForm(db, actor.userId, id))) {
        throw new NotFoundError('This form is no longer kept', { kind: 'held_form', id });
      }
    },

    /** Forget a kept form once it has been sent successfully (quietly: it may be gone already). */
    async forgetHeldForm(actor: Actor, id: string): Promise<void> {
      await deleteHeldForm(db, actor.userId, id);
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
