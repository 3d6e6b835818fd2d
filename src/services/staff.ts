import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.ts';
import type { SchoolRole } from '../domain/roles.ts';
import { classesOfSchool, findSchool } from '../repositories/schools.ts';
import {
  classIdsOfTeacher,
  deleteSessionsOfUser,
  findMembership,
  findUserByEmail,
  insertMembership,
  insertUser,
  replaceClassesOfTeacher,
  setUserDisabled,
  staffMember,
  staffOfSchool,
  updateMembershipRole,
  updatePasswordHash,
} from '../repositories/users.ts';
import type { Actor } from './actor.ts';
import { audit } from './audit.ts';
import { requireSchoolPermission } from './authorise.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { hashPassword } from './passwords.ts';

export interface StaffInput {
  name: string;
  email: string;
  role: SchoolRole;
  password: string;
}

export interface StaffChangeInput {
  role: SchoolRole;
  classIds: string[];
  active: boolean;
}

export function createStaffService(database: Database) {
  const { db } = database;

  return {
    async list(actor: Actor) {
      const a = requireSchoolPermission(actor, 'staff.manage');
      const [staff, school] = await Promise.all([staffOfSchool(db, a.schoolId), findSchool(db, a.schoolId)]);
      return { staff, schoolName: school?.name ?? '' };
    },

    /** May this actor manage staff? For forms, before their input is read. */
    checkCanManage(actor: Actor): void {
      requireSchoolPermission(actor, 'staff.manage');
    },

    /** Add a member of staff; someone who already has an account (at another school) keeps their password. */
    async add(actor: Actor, input: StaffInput): Promise<{ userId: string; existingAccount: boolean }> {
      const a = requireSchoolPermission(actor, 'staff.manage');
      const existing = await findUserByEmail(db, input.email);
      if (existing && (await findMembership(db, a.schoolId, existing.id))) {
        throw new ValidationError([
          { field: 'email', message: 'This person already has an account at this school' },
        ]);
      }
      const passwordHash = existing ? null : await hashPassword(input.password);
      const userId = existing?.id ?? randomUUID();
      await db.transaction(async (tx) => {
        if (!existing && passwordHash) {
          await insertUser(tx, { id: userId, email: input.email, name: input.name, passwordHash });
        }
        await insertMembership(tx, a.schoolId, userId, input.role);
        await audit(tx, a, 'staff.added', null, {
          userId,
          role: input.role,
          existingAccount: Boolean(existing),
        });
      });
      return { userId, existingAccount: Boolean(existing) };
    },

    async get(actor: Actor, userId: string) {
      const a = requireSchoolPermission(actor, 'staff.manage');
      const member = await staffMember(db, a.schoolId, userId);
      if (!member) throw new NotFoundError('Staff member not found');
      const [classIds, classes] = await Promise.all([
        classIdsOfTeacher(db, a.schoolId, userId),
        classesOfSchool(db, a.schoolId),
      ]);
      return { member, classIds, classes };
    },

    async change(actor: Actor, userId: string, input: StaffChangeInput): Promise<void> {
      const a = requireSchoolPermission(actor, 'staff.manage');
      const member = await staffMember(db, a.schoolId, userId);
      if (!member) throw new NotFoundError('Staff member not found');
      if (userId === a.userId && (input.role !== 'senco' || !input.active)) {
        throw new ValidationError([
          {
            field: 'role',
            message: 'You cannot remove your own SENCo role or account: ask another SENCo to do it',
          },
        ]);
      }
      const classes = await classesOfSchool(db, a.schoolId);
      const known = new Set(classes.map((c) => c.id));
      if (input.classIds.some((id) => !known.has(id))) {
        throw new ValidationError([{ field: 'classIds', message: 'Select classes from the list' }]);
      }
      await db.transaction(async (tx) => {
        await updateMembershipRole(tx, a.schoolId, userId, input.role);
        await replaceClassesOfTeacher(
          tx,
          a.schoolId,
          userId,
          input.role === 'class_teacher' ? input.classIds : [],
        );
        const wasActive = !member.disabledAt;
        if (wasActive !== input.active) {
          await setUserDisabled(tx, userId, !input.active);
          if (!input.active) await deleteSessionsOfUser(tx, userId);
        }
        await audit(tx, a, 'staff.changed', null, {
          userId,
          role: input.role,
          classIds: input.classIds,
          active: input.active,
        });
      });
    },

    async resetPassword(actor: Actor, userId: string, password: string): Promise<void> {
      const a = requireSchoolPermission(actor, 'staff.manage');
      const member = await staffMember(db, a.schoolId, userId);
      if (!member) throw new NotFoundError('Staff member not found');
      const passwordHash = await hashPassword(password);
      await db.transaction(async (tx) => {
        await updatePasswordHash(tx, userId, passwordHash);
        await deleteSessionsOfUser(tx, userId);
        await audit(tx, a, 'staff.password_reset', null, { userId });
      });
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
