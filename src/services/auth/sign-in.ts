import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { findAccount, findAccountByEmail, insertAccounts } from '../../repositories/accounts.ts';
import { insertAuditEvent } from '../../repositories/audit.ts';
import { hadFamilyLink } from '../../repositories/family.ts';
import { insertSession, membershipsOf } from '../../repositories/sessions.ts';
import {
  countChallengeAttempt,
  findChallenge,
  insertChallenge,
  insertRememberedDevice,
  rememberedDeviceOf,
  touchDevice,
  useChallenge,
} from '../../repositories/sign-in.ts';
import { pendingInvitationsForEmail } from '../../repositories/staff.ts';
import { anyBlocked, clearThrottle, recordFailure } from '../../repositories/throttle.ts';
import { useInvitation } from '../family/link.ts';
import { type Clock, systemClock } from '../kernel/clock.ts';
import { queueMail } from '../kernel/outbox.ts';
import { decoyPasswordHash, verifyPassword } from '../kernel/passwords.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { databaseError } from '../kernel/unit-of-work.ts';
import { type Place, placeColumns, placesOf } from './places.ts';
import { noSessionCache, type SessionCache } from './session-cache.ts';

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

/** A code sent by email at a new device: how long it works, and how many tries it allows. */
export const CODE_MINUTES = 10;
export const CODE_TRIES = 5;
/** How long a device that passed the code is remembered. */
export const DEVICE_DAYS = 180;

export type SignedIn = { ok: true; token: string; mustChangePassword: boolean; needsChoice: boolean };

export type SignInResult =
  | SignedIn
  /**
   * The password was right on a new device: not signed in yet (no session), a code went by email and
   * the browser keeps the challenge.
   */
  | { ok: false; codeSent: true; challengeToken: string }
  | { ok: false; codeSent?: undefined };

/** A child to link once the code is right: the family invitation a sign-in came from (/join). */
export interface Joining {
  invitationCodeHash: string;
  newAccount: boolean;
}

export type CodeResult =
  | (SignedIn & {
      deviceToken: string;
      returnTo: string;
      /** The sign-in came from an invitation that stopped working before the code was entered. */
      joinRefused: boolean;
    })
  /** Wrong: tries left on this code. */
  | { ok: false; reason: 'wrong'; triesLeft: number }
  /** Expired, used, all tries used, paused, or no such sign-in: start again with the password. */
  | { ok: false; reason: 'start_again' };

/**
 * Who is asked for a code by email at a new device: someone who acts only as a parent or as a
 * professional of an outside agency (from outside any school's own sign-in). Staff and officers sign in
 * as before.
 */
export function needsDeviceCode(places: readonly Place[]): boolean {
  return places.length > 0 && places.every((p) => p.kind === 'parent' || p.kind === 'professional');
}

function codeHash(challengeHash: string, code: string): string {
  return createHash('sha256').update(`${challengeHash}:${code}`).digest('hex');
}

/** The session of a person whose password (and code, where asked) was right, with its audit row. */
async function startSession(
  tx: Executor,
  user: { id: string },
  places: readonly Place[],
  requestId: string,
): Promise<{ token: string; place: Place | undefined }> {
  const token = randomBytes(32).toString('base64url');
  // One school: work there (a SENCo who also sits on the local authority's panel, or is a parent at
  // the school, switches when they need to). Otherwise the one place they hold, or choose.
  const staffPlaces = places.filter((p) => p.kind === 'staff');
  const place = staffPlaces.length === 1 ? staffPlaces[0] : places.length === 1 ? places[0] : undefined;
  const columns = placeColumns(place ?? null);
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
  return { token, place };
}

/**
 * Sign in with an email address and password. Every failure answers the same (unknown account,
 * wrong password, turned-off sign-in, or paused after repeated failures), so the answer tells a
 * stranger nothing. Failures are counted per account and address together, and per address: a
 * stranger elsewhere cannot lock a teacher out.
 */
export function createSignIn(database: Database, mail: MailContext = NO_MAIL_CONTEXT) {
  const { db } = database;
  return async function signIn(
    input: {
      email: string;
      password: string;
      address: string;
      /** The remembered-device tokens the browser holds (its cookie). */
      deviceTokens?: readonly string[];
      /**
       * The family invitation this sign-in comes from (/join): a code is always sent, even on a
       * remembered device and to an account with no place yet, and the child is linked when it is right.
       */
      joining?: Joining;
      /** Where to go once signed in (kept with a code sent by email). */
      returnTo?: string;
    },
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
    if (input.joining) return sendCode(user, input.returnTo ?? '/', requestId, input.joining);
    // Someone removed from every school may still have been invited to one: let them answer it. A parent
    // whose access has ended keeps their account (their page says they have no access now, and how to
    // use a new invitation): they sign in as parents do, with a code on a new device.
    const invited = places.length === 0 && (await pendingInvitationsForEmail(db, user.email)).length > 0;
    const formerParent = places.length === 0 && !invited && (await hadFamilyLink(db, user.id));
    if (places.length === 0 && !invited && !formerParent) return fail('no_membership');
    if (needsDeviceCode(places) || formerParent) {
      const tokens = (input.deviceTokens ?? []).slice(0, 10).map(hashToken);
      const device = await rememberedDeviceOf(db, user.id, tokens);
      if (device) await touchDevice(db, device.tokenHash);
      else return sendCode(user, input.returnTo ?? '/', requestId);
    }
    const started = await db.transaction(async (tx) => {
      await clearThrottle(tx, pairKey);
      return startSession(tx, user, places, requestId);
    });
    return {
      ok: true,
      token: started.token,
      mustChangePassword: user.mustChangePassword,
      needsChoice: !started.place,
    };
  };

  function sendCode(
    user: { id: string; email: string },
    returnTo: string,
    requestId: string,
    joining?: Joining,
  ): Promise<SignInResult> {
    return sendSignInCode(
      database,
      mail,
      { userId: user.id, email: user.email },
      returnTo,
      requestId,
      joining,
    );
  }
}

/** An account to make once the code sent to its email is right (a parent new to OpenSEND, at /join). */
export interface NewAccount {
  email: string;
  name: string;
  passwordHash: string;
}

/**
 * A six-digit code by email, and the challenge the browser keeps: for an account signing in on a new
 * device (`userId`), or for an account not made yet (`newAccount`, made when the code is right).
 */
export async function sendSignInCode(
  database: Database,
  mail: MailContext,
  to: { userId: string; email: string } | { newAccount: NewAccount },
  returnTo: string,
  requestId: string,
  joining?: Joining,
): Promise<{ ok: false; codeSent: true; challengeToken: string }> {
  const { db } = database;
  const challengeToken = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(challengeToken);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const email = 'newAccount' in to ? to.newAccount.email : to.email;
  await db.transaction(async (tx) => {
    await insertChallenge(tx, {
      tokenHash,
      ...('newAccount' in to
        ? {
            userId: null,
            newAccountEmail: to.newAccount.email,
            newAccountName: to.newAccount.name,
            newAccountPasswordHash: to.newAccount.passwordHash,
          }
        : { userId: to.userId }),
      codeHash: codeHash(tokenHash, code),
      returnTo,
      invitationCodeHash: joining?.invitationCodeHash ?? null,
      invitationNewAccount: joining?.newAccount ?? false,
      expiresAt: new Date(Date.now() + CODE_MINUTES * 60 * 1000),
    });
    await queueMail(tx, { schoolId: null }, email, 'account.sign_in_code', {
      from: 'OpenSEND',
      link: `${mail.publicUrl}/sign-in/code`,
      code,
      ...('newAccount' in to ? { newAccount: true } : {}),
    });
    await insertAuditEvent(tx, {
      schoolId: null,
      userId: 'newAccount' in to ? null : to.userId,
      role: null,
      action: 'auth.code_sent',
      requestId,
    });
  });
  mail.jobsQueued();
  return { ok: false, codeSent: true, challengeToken };
}

/**
 * The code sent by email at a new device: right within its 10 minutes and 5 tries, the person is signed
 * in and the device remembered (and the child of the invitation the sign-in came from linked, in the same
 * transaction); wrong, a try is counted (and a failure against the account and address, as a wrong
 * password is). Every step is audited.
 */
export function createCodeCheck(
  database: Database,
  clock: Clock = systemClock,
  sessions: SessionCache = noSessionCache,
) {
  const { db } = database;
  return async function enterCode(
    input: { challengeToken: string; code: string; address: string; device: string },
    requestId: string,
  ): Promise<CodeResult> {
    const tokenHash = hashToken(input.challengeToken);
    const challenge = await findChallenge(db, tokenHash);
    const user = challenge?.userId ? await findAccount(db, challenge.userId) : null;
    // An account asked for at /join, made only now that its email is proven by this code.
    const newAccount: NewAccount | null =
      challenge && !challenge.userId && challenge.newAccountEmail
        ? {
            email: challenge.newAccountEmail,
            name: challenge.newAccountName ?? '',
            passwordHash: challenge.newAccountPasswordHash ?? '',
          }
        : null;
    const fail = async (reason: string) => {
      await insertAuditEvent(db, {
        schoolId: null,
        userId: user?.id ?? null,
        role: null,
        action: 'auth.code_failed',
        requestId,
        detail: { reason },
      });
    };
    if (!challenge || (!user && !newAccount)) {
      await fail('no_challenge');
      return { ok: false, reason: 'start_again' };
    }
    const email = user?.email ?? newAccount?.email ?? '';
    if (challenge.usedAt || challenge.expiresAt.getTime() <= Date.now()) {
      await fail(challenge.usedAt ? 'used' : 'expired');
      return { ok: false, reason: 'start_again' };
    }
    const pairKey = throttleKey('account-address', email, input.address);
    const addressKey = throttleKey('address', input.address);
    if (challenge.attempts >= CODE_TRIES || (await anyBlocked(db, [pairKey, addressKey]))) {
      await fail(challenge.attempts >= CODE_TRIES ? 'no_tries_left' : 'throttled');
      return { ok: false, reason: 'start_again' };
    }
    const expected = Buffer.from(challenge.codeHash, 'hex');
    const given = Buffer.from(codeHash(tokenHash, input.code), 'hex');
    if (!timingSafeEqual(expected, given)) {
      await countChallengeAttempt(db, tokenHash);
      await recordFailure(db, pairKey, PAIR_FAILURES, THROTTLE_MINUTES, THROTTLE_MINUTES);
      await recordFailure(db, addressKey, ADDRESS_FAILURES, THROTTLE_MINUTES, THROTTLE_MINUTES);
      await fail('wrong_code');
      const triesLeft = CODE_TRIES - challenge.attempts - 1;
      return triesLeft > 0 ? { ok: false, reason: 'wrong', triesLeft } : { ok: false, reason: 'start_again' };
    }
    // Turned off since the password was right: refused only now, so a wrong code is answered alike for
    // every account (the challenge /join makes for an address with an account is one no code opens).
    if (user?.disabledAt) {
      await fail('sign_in_turned_off');
      return { ok: false, reason: 'start_again' };
    }
    const deviceToken = randomBytes(32).toString('base64url');
    const started = await db
      .transaction(async (tx) => {
        const locked = await findChallenge(tx, tokenHash, { lock: true });
        if (!locked || locked.usedAt) return null; // the same code sent twice at once: once only
        await useChallenge(tx, tokenHash);
        let account = user;
        if (!account && newAccount) {
          // Someone made an account with this address since (another /join): this one is not made.
          if (await findAccountByEmail(tx, newAccount.email)) return 'taken' as const;
          const id = randomUUID();
          await insertAccounts(tx, [{ id, ...newAccount }]);
          await insertAuditEvent(tx, {
            schoolId: null,
            userId: id,
            role: null,
            action: 'auth.account_made',
            requestId,
          });
          account = await findAccount(tx, id);
        }
        if (!account) return null;
        let joinRefused = false;
        if (locked.invitationCodeHash) {
          const link = await useInvitation(
            tx,
            clock.now(),
            locked.invitationCodeHash,
            account.id,
            requestId,
            locked.invitationNewAccount,
          );
          if (!link.ok) {
            joinRefused = true;
            await insertAuditEvent(tx, {
              schoolId: link.schoolId,
              userId: account.id,
              role: null,
              action: 'family.join_failed',
              requestId,
              detail: { reason: link.reason },
            });
          }
        }
        const places = placesOf(await membershipsOf(tx, account.id));
        await insertRememberedDevice(tx, {
          tokenHash: hashToken(deviceToken),
          userId: account.id,
          label: deviceLabel(input.device),
          expiresAt: new Date(Date.now() + DEVICE_DAYS * 24 * 3600 * 1000),
        });
        await insertAuditEvent(tx, {
          schoolId: null,
          userId: account.id,
          role: null,
          action: 'auth.device_remembered',
          requestId,
          detail: { device: deviceLabel(input.device) },
        });
        await clearThrottle(tx, pairKey);
        const session = await startSession(tx, account, places, requestId);
        return { ...session, joinRefused, account };
      })
      .catch((error: unknown) => {
        // Two codes for one new address entered at once: the second finds the address taken.
        if (databaseError(error)?.code === '23505') return 'taken' as const;
        throw error;
      });
    if (started === 'taken') {
      await fail('email_taken');
      return { ok: false, reason: 'start_again' };
    }
    if (!started) {
      await fail('used');
      return { ok: false, reason: 'start_again' };
    }
    if (challenge.invitationCodeHash) sessions.dropUser(started.account.id);
    return {
      ok: true,
      token: started.token,
      deviceToken,
      joinRefused: started.joinRefused,
      returnTo: challenge.returnTo,
      mustChangePassword: started.account.mustChangePassword,
      needsChoice: !started.place,
    };
  };
}

/** A browser as a person recognises it in their list ("Firefox on Windows"), from its user agent. */
export function deviceLabel(userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\/|Chromium\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'A browser';
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /iPhone|iPad/.test(userAgent)
      ? 'iPhone or iPad'
      : /Android/.test(userAgent)
        ? 'Android'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'a Mac'
          : /Linux|CrOS/.test(userAgent)
            ? 'Linux or ChromeOS'
            : 'an unknown system';
  return `${browser} on ${system}`;
}
