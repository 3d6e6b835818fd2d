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
import type { AuditCheckpoints } from './audit/checkpoints.ts';
import { intact, verifyTrail } from './audit/verify.ts';
import { noSessionCache, type SessionCache } from './auth/session-cache.ts';
import type { Actor } from './kernel/actor.ts';
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
export function createAdminService(
  database: Database,
  checkpoints: AuditCheckpoints,
  sessions: SessionCache = noSessionCache,
) {
  const { db } = database;

  return {
    /**
     * The command line acts as a named member of staff (`--as EMAIL`), so an import or export is
     * authorised and audited exactly as if that person did it on the web.
     */
    async actorForCommand(email: string, runner: CommandRunner, urn?: string): Promise<Actor> {
      const account = await findAccountByEmail(db, email);
      if (!account || account.disabledAt)
        throw new NotFoundError(`There is no account with the email address ${email} that can sign in`);
      const { schools } = await membershipsOf(db, account.id);
      const school = urn ? await findSchoolByUrn(db, urn) : null;
      if (urn && !school) throw new NotFoundError(`There is no school with the URN ${urn}`);
      const membership = school
        ? schools.find((s) => s.schoolId === school.id)
        : schools.length === 1
          ? schools[0]
          : undefined;
      if (!membership) {
        throw new NotFoundError(
          school
            ? `${email} is not a member of staff at ${school.name}`
            : `${email} works in ${schools.length} schools: say which with --school URN`,
        );
      }
      return {
        kind: 'staff' as const,
        userId: account.id,
        name: account.name,
        email: account.email,
        roles: membership.roles,
        schoolId: membership.schoolId,
        organisationId: null,
        requestId: runner.requestId,
      };
    },

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

    /**
     * Check the audit trail (every chain with the audit key, the pupils of each entry, the database's
     * safeguards) and compare it with a checkpoint kept outside the database: the one named, else the
     * newest in the checkpoint directory. The check itself is recorded (after it ran, so it never breaks
     * what it checks), unless the key does not verify the newest entries it would be linked to.
     */
    async verifyAudit(runner: CommandRunner, options: { checkpoint?: string | undefined } = {}) {
      const result = await verifyTrail(database, checkpoints, options);
      // Nothing is written with a key the trail does not verify with: the entry could never be undone.
      if (!result.mayRecord) return { ...result, recorded: false };
      await insertAuditEvents(db, [
        {
          schoolId: null,
          userId: null,
          role: null,
          action: 'audit.verified',
          requestId: runner.requestId,
          detail: {
            osUser: runner.osUser,
            total: result.total,
            intact: intact(result),
            broken: result.broken.length,
            checkpoint: result.checkpoint ? result.checkpoint.takenAt : null,
          },
        },
      ]);
      return { ...result, recorded: true };
    },

    /** Write a signed checkpoint of the audit trail (to `file`, or into the checkpoint directory). */
    async checkpointAudit(runner: CommandRunner, file?: string) {
      const written = await checkpoints.write(file);
      await insertAuditEvents(db, [
        {
          schoolId: null,
          userId: null,
          role: null,
          action: 'audit.checkpoint_written',
          requestId: runner.requestId,
          detail: { osUser: runner.osUser, file: written.file, chains: written.checkpoint.chains.length },
        },
      ]);
      return written;
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
