import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { findAccountByEmail } from '../../repositories/accounts.ts';
import { insertAuditEvent } from '../../repositories/audit.ts';
import { insertSession, membershipsOf } from '../../repositories/sessions.ts';
import { pendingInvitationsForEmail } from '../../repositories/staff.ts';
import { anyBlocked, clearThrottle, recordFailure } from '../../repositories/throttle.ts';
import { decoyPasswordHash, verifyPassword } from '../kernel/passwords.ts';
import { placeColumns, placesOf } from './places.ts';

export const SESSION_HOURS = 10;
/** Failed sign-ins allowed for one account from one address in the window, then a pause. */
export const PAIR_FAILURES = 5;
/** Failed sign-ins allowed from one address across all accounts in the window. */
export const ADDRESS_FAILURES = 50;
export const THROTTLE_MINUTES = 15;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function throttleKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

export type SignInResult =
  | { ok: true; token: string; mustChangePassword: boolean; needsChoice: boolean }
  | { ok: false };

/**
 * Sign in with an email address and password. Every failure answers the same (unknown account,
 * wrong password, turned-off sign-in, or paused after repeated failures), so the answer tells a
 * stranger nothing. Failures are counted per account and address together, and per address: a
 * stranger elsewhere cannot lock a teacher out.
 */
export function createSignIn(database: Database) {
  const { db } = database;
  return async function signIn(
    input: { email: string; password: string; address: string },
    requestId: string,
  ): Promise<SignInResult> {
    const email = input.email.trim().toLowerCase();
    const pairKey = throttleKey('account-address', email, input.address);
    const addressKey = throttleKey('address', input.address);
    const user = await findAccountByEmail(db, email);
    const fail = async (reason: string, throttled = false) => {
      await insertAuditEvent(db, {
        schoolId: null,
        userId: user?.id ?? null,
        role: null,
        action: throttled ? 'auth.sign_in_throttled' : 'auth.sign_in_failed',
        requestId,
        detail: { reason },
      });
      return { ok: false } as const;
    };

    if (await anyBlocked(db, [pairKey, addressKey])) {
      await verifyPassword(await decoyPasswordHash(), input.password); // the same time as any other answer
      return fail('throttled', true);
    }
    const valid =
      user && !user.disabledAt
        ? await verifyPassword(user.passwordHash, input.password)
        : (await verifyPassword(await decoyPasswordHash(), input.password)) && false;
    if (!user || !valid) {
      await recordFailure(db, pairKey, PAIR_FAILURES, THROTTLE_MINUTES, THROTTLE_MINUTES);
      await recordFailure(db, addressKey, ADDRESS_FAILURES, THROTTLE_MINUTES, THROTTLE_MINUTES);
      return fail(!user ? 'unknown_email' : user.disabledAt ? 'sign_in_turned_off' : 'wrong_password');
    }
    const held = await membershipsOf(db, user.id);
    const places = placesOf(held);
    if (places.length === 0) {
      // Someone removed from every school may still have been invited to one: let them answer it.
      if ((await pendingInvitationsForEmail(db, user.email)).length === 0) return fail('no_membership');
    }
    const token = randomBytes(32).toString('base64url');
    // One school: work there (a SENCo who also sits on the local authority's panel, or is a parent at
    // the school, switches when they need to). Otherwise the one place they hold, or choose.
    const staffPlaces = places.filter((p) => p.kind === 'staff');
    const place = staffPlaces.length === 1 ? staffPlaces[0] : places.length === 1 ? places[0] : undefined;
    const columns = placeColumns(place ?? null);
    await db.transaction(async (tx) => {
      await clearThrottle(tx, pairKey);
      await insertSession(tx, {
        id: hashToken(token),
        userId: user.id,
        ...columns,
        expiresAt: new Date(Date.now() + SESSION_HOURS * 3600 * 1000),
      });
      await insertAuditEvent(tx, {
        schoolId: columns.schoolId,
        userId: user.id,
        role: place ? place.roles.join(',') : null,
        action: 'auth.signed_in',
        requestId,
      });
    });
    return {
      ok: true,
      token,
      mustChangePassword: user.mustChangePassword,
      needsChoice: !place,
    };
  };
}
