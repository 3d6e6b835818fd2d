import type { Database } from '../../db/client.ts';
import { findAccount, setPassword } from '../../repositories/accounts.ts';
import { insertAuditEvent } from '../../repositories/audit.ts';
import { deleteSessionsOfUser } from '../../repositories/sessions.ts';
import {
  devicesOf,
  deviceTokensOfPerson,
  forgetDevices,
  liveSetUpToken,
  useSetUpTokens,
} from '../../repositories/sign-in.ts';
import type { Actor } from '../kernel/actor.ts';
import { ValidationError } from '../kernel/errors.ts';
import { hashPassword, weakPasswordProblem } from '../kernel/passwords.ts';
import { noSessionCache, type SessionCache } from './session-cache.ts';
import { hashToken } from './sign-in.ts';

/** How long a link to choose a first password works. */
export const SET_UP_DAYS = 7;

/**
 * A first password from the one-time link sent by email (a professional invited to a referral who had
 * no account), and the devices a person's account remembers after a code by email.
 */
export function createSetUp(database: Database, sessions: SessionCache = noSessionCache) {
  const { db } = database;
  return {
    /** The account a set-up link is for, while the link works (unused, within its 7 days); else null. */
    async linkFor(token: string) {
      const link = await liveSetUpToken(db, hashToken(token));
      if (!link) return null;
      const account = await findAccount(db, link.userId);
      return account && !account.disabledAt ? { email: account.email, name: account.name } : null;
    },

    /** Choose the password: once per link, a password hard to guess; every link of the person is then used. */
    async choosePassword(input: { token: string; password: string }, requestId: string): Promise<boolean> {
      const tokenHash = hashToken(input.token);
      const link = await liveSetUpToken(db, tokenHash);
      const account = link ? await findAccount(db, link.userId) : null;
      if (!link || !account || account.disabledAt) return false;
      const weak = await weakPasswordProblem(input.password, [account.name, account.email]);
      if (weak) throw new ValidationError([{ field: 'password', message: weak }]);
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        // Locked and checked again: the same link sent twice at once sets one password.
        if (!(await liveSetUpToken(tx, tokenHash, { lock: true }))) return false;
        await setPassword(tx, account.id, passwordHash, false);
        await useSetUpTokens(tx, account.id);
        await deleteSessionsOfUser(tx, account.id, '');
        await insertAuditEvent(tx, {
          schoolId: null,
          userId: account.id,
          role: null,
          action: 'auth.password_set',
          requestId,
        });
        return true;
      });
    },

    /** The devices that sign in to this account with the password alone. */
    devices(actor: Actor) {
      return devicesOf(db, actor.userId);
    },

    /**
     * Forget them all: the next sign-in on any device asks for a code by email again, and every other
     * session of the person ends (as when the password changes), this one kept. Of the device tokens
     * this browser holds (one per account signed in on it), those of other people are given back to keep.
     */
    async forgetDevices(
      actor: Actor,
      current: { sessionId: string; deviceTokens?: readonly string[] },
    ): Promise<{ count: number; otherTokens: string[] }> {
      const held = (current.deviceTokens ?? [])
        .slice(0, 10)
        .map((token) => ({ token, hash: hashToken(token) }));
      const result = await db.transaction(async (tx) => {
        const theirs = new Set(
          await deviceTokensOfPerson(
            tx,
            actor.userId,
            held.map((h) => h.hash),
          ),
        );
        const count = await forgetDevices(tx, actor.userId);
        await deleteSessionsOfUser(tx, actor.userId, current.sessionId);
        await insertAuditEvent(tx, {
          schoolId: actor.schoolId,
          userId: actor.userId,
          role: actor.roles.join(',') || null,
          action: 'auth.devices_forgotten',
          requestId: actor.requestId,
          detail: { count, otherSessionsEnded: true },
        });
        return { count, otherTokens: held.filter((h) => !theirs.has(h.hash)).map((h) => h.token) };
      });
      sessions.dropUser(actor.userId);
      return result;
    },
  };
}
