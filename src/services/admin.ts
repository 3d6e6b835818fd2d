import { randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../db/client.ts';
import {
  findAccountByEmail,
  insertAccounts,
  setAccountDisabled,
  setPassword,
} from '../repositories/accounts.ts';
import type { AuditInput } from '../repositories/audit.ts';
import { insertAuditEvents } from '../repositories/audit.ts';
import {
  hasMembership,
  insertMembership,
  lockMembership,
  replaceRoles,
} from '../repositories/memberships.ts';
import { findSchoolByUrn } from '../repositories/schools.ts';
import { deleteSessionsOfUser, membershipsOf } from '../repositories/sessions.ts';
import { noSessionCache, type SessionCache } from './auth/session-cache.ts';
import { NotFoundError, ValidationError } from './kernel/errors.ts';
import { hashPassword, weakPasswordProblem } from './kernel/passwords.ts';

/** Who ran a command: the operating-system user at the machine, for the audit trail. */
export interface CommandRunner {
  osUser: string;
  requestId: string;
}

/** A password for someone to use once and change: four random words' worth of randomness. */
export function oneTimePassword(): string {
  return randomBytes(15).toString('base64url');
}

/**
 * What the person who runs the server can do on the command line when nobody can sign in to do it:
 * reset a forgotten password, create a SENCo. Audited in every school the account belongs to.
 */
export function createAdminService(database: Database, sessions: SessionCache = noSessionCache) {
  const { db } = database;

  return {
    async resetPassword(email: string, runner: CommandRunner, password = oneTimePassword()) {
      const account = await findAccountByEmail(db, email);
      if (!account) throw new NotFoundError(`There is no account with the email address ${email}`);
      const weak = await weakPasswordProblem(password, [account.name, account.email]);
      if (weak) throw new ValidationError([{ field: 'password', message: weak }]);
      const passwordHash = await hashPassword(password);
      const { schools } = await membershipsOf(db, account.id);
      await db.transaction(async (tx) => {
        await setPassword(tx, account.id, passwordHash, true);
        await setAccountDisabled(tx, account.id, false);
        await deleteSessionsOfUser(tx, account.id);
        const row = (schoolId: string | null): AuditInput => ({
          schoolId,
          userId: account.id,
          role: null,
          action: 'account.password_reset_by_command',
          requestId: runner.requestId,
          detail: { osUser: runner.osUser },
        });
        await insertAuditEvents(tx, [row(null), ...schools.map((s) => row(s.schoolId))]);
      });
      sessions.dropUser(account.id);
      return { name: account.name, password };
    },

    /** Make someone a SENCo of a school (creating their account if there is none). */
    async createSenco(
      input: { urn: string; email: string; name: string },
      runner: CommandRunner,
      password = oneTimePassword(),
    ) {
      const school = await findSchoolByUrn(db, input.urn);
      if (!school) throw new NotFoundError(`There is no school with the URN ${input.urn}`);
      const existing = await findAccountByEmail(db, input.email);
      const userId = existing?.id ?? randomUUID();
      const passwordHash = existing ? null : await hashPassword(password);
      await db.transaction(async (tx) => {
        if (!existing && passwordHash) {
          await insertAccounts(tx, [
            { id: userId, email: input.email, name: input.name, passwordHash, mustChangePassword: true },
          ]);
        }
        if (await hasMembership(tx, school.id, userId)) {
          const locked = await lockMembership(tx, school.id, userId);
          const roles = [...new Set([...(locked?.roles ?? []), 'senco' as const])];
          await replaceRoles(tx, school.id, userId, roles);
        } else {
          await insertMembership(tx, school.id, userId, ['senco']);
        }
        await insertAuditEvents(tx, [
          {
            schoolId: school.id,
            userId,
            role: 'senco',
            action: 'account.senco_created_by_command',
            requestId: runner.requestId,
            detail: { osUser: runner.osUser, newAccount: !existing },
          },
        ]);
      });
      sessions.dropUser(userId);
      return { schoolName: school.name, newAccount: !existing, password: existing ? null : password };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
