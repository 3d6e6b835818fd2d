import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { type SchoolRole, sortRoles } from '../../domain/access.ts';
import { staffActions } from '../../policies/staff.ts';
import {
  findAccountByEmail,
  insertAccounts,
  setAccountDisabled,
  setPassword,
} from '../../repositories/accounts.ts';
import {
  bumpMembershipVersion,
  deleteMembership,
  insertMembership,
  lockMembership,
  lockMembersWithRole,
  replaceRoles,
} from '../../repositories/memberships.ts';
import { classesOfSchool, findSchool } from '../../repositories/schools.ts';
import { deleteSessionsOfUser } from '../../repositories/sessions.ts';
import {
  answerInvitation,
  classIdsOfTeacher,
  insertInvitation,
  pendingInvitationsOfSchool,
  replaceClassesOfTeacher,
  staffMember,
  staffOfSchool,
} from '../../repositories/staff.ts';
import { noSessionCache, type SessionCache } from '../auth/session-cache.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { requireCapability } from '../kernel/authorise.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { queueMail } from '../kernel/outbox.ts';
import { hashPassword, weakPasswordProblem } from '../kernel/passwords.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

export interface NewStaffInput {
  name: string;
  email: string;
  roles: SchoolRole[];
  /** The first password, for a new account (someone who already has an account is invited). */
  password: string | null;
  /** What was wrong with the password as typed, if anything (shown only when it is needed). */
  passwordProblem?: string | null;
}

export interface StaffChangeInput {
  roles: SchoolRole[];
  classIds: string[];
  /** The version of the membership the form showed. */
  version: number;
}

export const INVITATION_DAYS = 14;

const LAST_SENCO =
  'A school always has a SENCo: give the SENCo role to someone else before taking it from this person';

/**
 * The staff of a school: its memberships and the roles it gives. An account belongs to its person;
 * the school resets a password or turns off a sign-in only for an account that is nobody else's.
 */
export function createStaffService(
  database: Database,
  sessions: SessionCache = noSessionCache,
  mail: MailContext = NO_MAIL_CONTEXT,
) {
  const { db } = database;

  async function memberOr404(actor: SchoolActor, userId: string) {
    const member = await staffMember(db, actor.schoolId, userId);
    if (!member) throw new NotFoundError('Staff member not found', { kind: 'staff', id: userId });
    return member;
  }

  /** Refuse a change that would leave the school with no SENCo (checked on locked rows). */
  async function keepASenco(tx: Executor, schoolId: string, userId: string, rolesAfter: SchoolRole[] | null) {
    if (rolesAfter?.includes('senco')) return;
    const sencos = await lockMembersWithRole(tx, schoolId, 'senco');
    if (sencos.includes(userId) && sencos.length === 1) {
      throw new ValidationError([{ field: 'roles', message: LAST_SENCO }]);
    }
  }

  return {
    async list(actor: Actor) {
      const a = requireCapability(actor, 'staff.manage');
      const [staff, invitations] = await Promise.all([
        staffOfSchool(db, a.schoolId),
        pendingInvitationsOfSchool(db, a.schoolId),
      ]);
      return {
        staff: staff.map((m) => ({ ...m, roles: sortRoles(m.roles), actions: staffActions(a, m) })),
        invitations,
      };
    },

    /** May this actor manage staff? For the add form, before anything is shown. */
    checkCanManage(actor: Actor): void {
      requireCapability(actor, 'staff.manage');
    },

    /**
     * Add a member of staff. A new email gets a new account, with a first password the person must
     * change when they sign in. An email that already has an account gets an invitation instead:
     * nothing of that account is the school's until its owner accepts.
     */
    async add(
      actor: Actor,
      input: NewStaffInput,
    ): Promise<{ kind: 'added'; userId: string } | { kind: 'invited'; invitationId: string }> {
      const a = requireCapability(actor, 'staff.manage');
      const roles = sortRoles(input.roles);
      const existing = await findAccountByEmail(db, input.email);
      if (existing) {
        const invitationId = randomUUID();
        await unitOfWork(db, a, async (w) => {
          await insertInvitation(w.tx, {
            schoolId: a.schoolId,
            id: invitationId,
            email: input.email.toLowerCase(),
            roles,
            invitedBy: a.userId,
            invitedByName: a.name,
            expiresAt: new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000),
          });
          w.audit('staff.invited', { detail: { invitationId, roles } });
          // The person hears of it by email too (it names the school, nothing else).
          const school = await findSchool(w.tx, a.schoolId);
          await queueMail(w.tx, { schoolId: a.schoolId }, existing.email, 'account.invited', {
            from: school?.name ?? 'A school',
            link: `${mail.publicUrl}/sign-in`,
          });
        });
        mail.jobsQueued();
        return { kind: 'invited', invitationId };
      }
      if (input.password === null || input.passwordProblem) {
        throw new ValidationError([
          { field: 'password', message: input.passwordProblem ?? 'Enter a password' },
        ]);
      }
      const school = await findSchool(db, a.schoolId);
      const weak = await weakPasswordProblem(input.password, [input.name, input.email, school?.name ?? '']);
      if (weak) throw new ValidationError([{ field: 'password', message: weak }]);
      const passwordHash = await hashPassword(input.password);
      const userId = randomUUID();
      await unitOfWork(db, a, async (w) => {
        await insertAccounts(w.tx, [
          { id: userId, email: input.email, name: input.name, passwordHash, mustChangePassword: true },
        ]);
        await insertMembership(w.tx, a.schoolId, userId, roles);
        w.audit('staff.added', { detail: { userId, roles } });
      });
      return { kind: 'added', userId };
    },

    async get(actor: Actor, userId: string) {
      const a = requireCapability(actor, 'staff.manage');
      const member = await memberOr404(a, userId);
      const [classIds, classes] = await Promise.all([
        classIdsOfTeacher(db, a.schoolId, userId),
        classesOfSchool(db, a.schoolId),
      ]);
      return {
        member: { ...member, roles: sortRoles(member.roles) },
        classIds,
        classes,
        actions: staffActions(a, member),
      };
    },

    /** Give and take roles (and, for a class teacher, classes). */
    async change(actor: Actor, userId: string, input: StaffChangeInput): Promise<void> {
      const a = requireCapability(actor, 'staff.manage');
      if (input.roles.length === 0) {
        throw new ValidationError([
          { field: 'roles', message: 'Select at least one role, or remove them from the school' },
        ]);
      }
      if (new Set(input.roles).size !== input.roles.length) {
        throw new ValidationError([{ field: 'roles', message: 'Each role can be given once' }]);
      }
      const classIds = input.roles.includes('class_teacher') ? [...new Set(input.classIds)] : [];
      await unitOfWork(db, a, async (w) => {
        const locked = await lockMembership(w.tx, a.schoolId, userId);
        if (!locked) throw new NotFoundError('Staff member not found', { kind: 'staff', id: userId });
        if (locked.version !== input.version) {
          throw new ConflictError(
            'Someone else changed this person’s roles or classes while you were editing. Their change is shown below; your choices are kept: check them and save again.',
            { roles: sortRoles(locked.roles), classIds: await classIdsOfTeacher(w.tx, a.schoolId, userId) },
          );
        }
        const known = new Set((await classesOfSchool(w.tx, a.schoolId)).map((c) => c.id));
        if (classIds.some((id) => !known.has(id))) {
          throw new ValidationError([{ field: 'classIds', message: 'Select classes from the list' }]);
        }
        if (locked.roles.includes('senco')) await keepASenco(w.tx, a.schoolId, userId, input.roles);
        const before = await classIdsOfTeacher(w.tx, a.schoolId, userId);
        await replaceRoles(w.tx, a.schoolId, userId, sortRoles(input.roles));
        await replaceClassesOfTeacher(w.tx, a.schoolId, userId, classIds);
        await bumpMembershipVersion(w.tx, a.schoolId, userId);
        w.audit('staff.changed', {
          detail: {
            userId,
            roles: { from: sortRoles(locked.roles), to: sortRoles(input.roles) },
            classIds: { from: before, to: classIds },
          },
        });
      });
      sessions.dropUser(userId);
    },

    /** Take a person out of this school: their account, and their other schools, are untouched. */
    async remove(actor: Actor, userId: string): Promise<string> {
      const a = requireCapability(actor, 'staff.manage');
      const member = await memberOr404(a, userId);
      if (!staffActions(a, member).removeFromSchool) {
        throw new ValidationError([
          { field: 'form', message: 'You cannot remove yourself: ask the head teacher or another SENCo' },
        ]);
      }
      await unitOfWork(db, a, async (w) => {
        const locked = await lockMembership(w.tx, a.schoolId, userId);
        if (!locked) throw new NotFoundError('Staff member not found', { kind: 'staff', id: userId });
        if (locked.roles.includes('senco')) await keepASenco(w.tx, a.schoolId, userId, null);
        await deleteMembership(w.tx, a.schoolId, userId);
        w.audit('staff.removed', { detail: { userId, roles: locked.roles } });
      });
      sessions.dropUser(userId);
      return member.name;
    },

    /** Turn someone's sign-in off or on: only for an account that belongs to this school alone. */
    async setSignIn(actor: Actor, userId: string, on: boolean): Promise<void> {
      const a = requireCapability(actor, 'staff.manage');
      const member = await memberOr404(a, userId);
      const actions = staffActions(a, member);
      if (!(on ? actions.turnOnSignIn : actions.turnOffSignIn)) {
        throw new ValidationError([
          {
            field: 'form',
            message: actions.accountNotOurs
              ? `${member.name}’s account also belongs to another school or organisation, so this school cannot turn it off. Remove them from this school instead.`
              : 'You cannot change your own sign-in here',
          },
        ]);
      }
      await unitOfWork(db, a, async (w) => {
        await setAccountDisabled(w.tx, userId, !on);
        if (!on) await deleteSessionsOfUser(w.tx, userId);
        w.audit(on ? 'staff.sign_in_enabled' : 'staff.sign_in_disabled', { detail: { userId } });
      });
      sessions.dropUser(userId);
    },

    /** Set a new password that the person must change when they next sign in. */
    async resetPassword(actor: Actor, userId: string, password: string): Promise<string> {
      const a = requireCapability(actor, 'staff.manage');
      const member = await memberOr404(a, userId);
      const actions = staffActions(a, member);
      if (!actions.resetPassword) {
        throw new ValidationError([
          {
            field: 'password',
            message: actions.accountNotOurs
              ? `${member.name}’s account also belongs to another school or organisation, so only they can change its password (or an administrator on the command line).`
              : 'Change your own password from “Your account”',
          },
        ]);
      }
      const school = await findSchool(db, a.schoolId);
      const weak = await weakPasswordProblem(password, [member.name, member.email, school?.name ?? '']);
      if (weak) throw new ValidationError([{ field: 'password', message: weak }]);
      const passwordHash = await hashPassword(password);
      await unitOfWork(db, a, async (w) => {
        await setPassword(w.tx, userId, passwordHash, true);
        await deleteSessionsOfUser(w.tx, userId);
        w.audit('staff.password_reset', { detail: { userId } });
      });
      sessions.dropUser(userId);
      return member.name;
    },

    async withdrawInvitation(actor: Actor, invitationId: string): Promise<void> {
      const a = requireCapability(actor, 'staff.manage');
      await unitOfWork(db, a, async (w) => {
        const invitation = await answerInvitation(w.tx, a.schoolId, invitationId, 'withdrawn');
        if (!invitation)
          throw new NotFoundError('Invitation not found', { kind: 'invitation', id: invitationId });
        w.audit('staff.invitation_withdrawn', { detail: { invitationId } });
      });
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
