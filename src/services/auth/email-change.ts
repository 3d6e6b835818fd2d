import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { accountEmailChange, appUser } from '../../db/schema/index.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { formatDateTime } from '../../domain/dates.ts';
import { isEmailAddress } from '../../domain/mail.ts';
import { findAccount, findAccountByEmail } from '../../repositories/accounts.ts';
import { insertAuditEvent } from '../../repositories/audit.ts';
import { anyBlocked, clearThrottle, recordFailure } from '../../repositories/throttle.ts';
import type { Actor } from '../kernel/actor.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';
import { queueMail } from '../kernel/outbox.ts';
import { verifyPassword } from '../kernel/passwords.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { databaseError } from '../kernel/unit-of-work.ts';
import { noSessionCache, type SessionCache } from './session-cache.ts';
import { PAIR_FAILURES, THROTTLE_MINUTES } from './sign-in.ts';

/*
 * A person changes the email they sign in with (a parent who has a new address, a professional who
 * moved service): their password first, then a six-digit code sent to the new address proves it is
 * theirs before the account takes it, and the old address is told afterwards. It changes the account
 * only: the contact details a school holds for a parent are the school's record, changed through the
 * school (services/family/contact.ts). An address that already has an account gets no code and the
 * same page (only its mailbox tells).
 */

export const EMAIL_CHANGE_MINUTES = 30;
export const EMAIL_CHANGE_TRIES = 5;

const changeCodeHash = (id: string, code: string) =>
  createHash('sha256').update(`email-change:${id}:${code}`).digest('hex');
const throttleKey = (userId: string) =>
  createHash('sha256').update(`email-change\u0000${userId}`).digest('hex');
const askKey = (userId: string) =>
  createHash('sha256').update(`email-change-asked\u0000${userId}`).digest('hex');
/** Codes one person may ask for in an hour: each brings five tries, so the tries are bounded too. */
export const EMAIL_CHANGE_ASKS_PER_HOUR = 5;

export type EmailChangeResult =
  | { ok: true; email: string }
  | { ok: false; reason: 'wrong'; triesLeft: number }
  /** Expired, used, no tries left, or none waiting: ask again. */
  | { ok: false; reason: 'start_again' };

export function createEmailChangeService(
  database: Database,
  mail: MailContext = NO_MAIL_CONTEXT,
  sessions: SessionCache = noSessionCache,
) {
  const { db } = database;

  async function waiting(userId: string) {
    const [row] = await db
      .select()
      .from(accountEmailChange)
      .where(
        and(
          eq(accountEmailChange.userId, userId),
          isNull(accountEmailChange.usedAt),
          sql`${accountEmailChange.expiresAt} > now()`,
        ),
      )
      .orderBy(desc(accountEmailChange.createdAt))
      .limit(1);
    return row ?? null;
  }

  const auditOf = (actor: Actor, action: AuditAction, detail?: Record<string, unknown>) => ({
    schoolId: actor.schoolId,
    userId: actor.userId,
    role: actor.roles.join(',') || null,
    action,
    requestId: actor.requestId,
    ...(detail ? { detail } : {}),
  });

  return {
    /** The change waiting for its code, if any: the address it is for and until when. */
    async pending(actor: Actor) {
      const row = await waiting(actor.userId);
      return row ? { newEmail: row.newEmail, until: formatDateTime(row.expiresAt) } : null;
    },

    /**
     * Ask to change: the current password (wrong ones are counted and pause the form, as sign-in does),
     * a plausible new address that is not the current one. A code goes to the new address; the change
     * waits for it. The answer is the same whether or not the new address has an account.
     */
    async ask(actor: Actor, input: { newEmail: string; password: string }): Promise<void> {
      const account = await findAccount(db, actor.userId);
      if (!account) throw new NotFoundError('Account not found');
      const newEmail = input.newEmail.trim().toLowerCase();
      const key = throttleKey(actor.userId);
      if (await anyBlocked(db, [key])) {
        await insertAuditEvent(db, auditOf(actor, 'auth.email_change_refused', { reason: 'throttled' }));
        throw new ValidationError([
          {
            field: 'password',
            message: `Your password was entered wrongly too many times. Wait ${THROTTLE_MINUTES} minutes, then try again.`,
          },
        ]);
      }
      if (!(await verifyPassword(account.passwordHash, input.password))) {
        await recordFailure(db, key, PAIR_FAILURES, THROTTLE_MINUTES, THROTTLE_MINUTES);
        await insertAuditEvent(db, auditOf(actor, 'auth.email_change_refused', { reason: 'wrong_password' }));
        throw new ValidationError([{ field: 'password', message: 'Your password is not right' }]);
      }
      if (!isEmailAddress(newEmail))
        throw new ValidationError([
          { field: 'newEmail', message: 'Enter an email address in the right form, like name@example.com' },
        ]);
      if (newEmail === account.email)
        throw new ValidationError([
          { field: 'newEmail', message: 'This is the email address you already sign in with' },
        ]);
      await clearThrottle(db, key);
      const asked = askKey(actor.userId);
      if (await anyBlocked(db, [asked])) {
        await insertAuditEvent(db, auditOf(actor, 'auth.email_change_refused', { reason: 'too_many_codes' }));
        throw new ValidationError([
          {
            field: 'newEmail',
            message: `You have asked for ${EMAIL_CHANGE_ASKS_PER_HOUR} codes in the last hour. Wait an hour, then ask again.`,
          },
        ]);
      }
      await recordFailure(db, asked, EMAIL_CHANGE_ASKS_PER_HOUR, 60, 60);
      const taken = await findAccountByEmail(db, newEmail);
      const id = randomUUID();
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await db.transaction(async (tx) => {
        // A new request replaces any waiting one.
        await tx
          .update(accountEmailChange)
          .set({ usedAt: sql`now()` })
          .where(and(eq(accountEmailChange.userId, actor.userId), isNull(accountEmailChange.usedAt)));
        await tx.insert(accountEmailChange).values({
          id,
          userId: actor.userId,
          newEmail,
          // An address with an account gets a change no code opens.
          codeHash: taken ? changeCodeHash(id, randomUUID()) : changeCodeHash(id, code),
          expiresAt: new Date(Date.now() + EMAIL_CHANGE_MINUTES * 60 * 1000),
        });
        if (taken)
          await queueMail(tx, { schoolId: null }, newEmail, 'account.email_in_use', {
            from: 'OpenSEND',
            link: `${mail.publicUrl}/account`,
          });
        else
          await queueMail(tx, { schoolId: null }, newEmail, 'account.email_change_code', {
            from: 'OpenSEND',
            link: `${mail.publicUrl}/account/email/code`,
            code,
          });
        await insertAuditEvent(tx, auditOf(actor, 'auth.email_change_asked'));
      });
      mail.jobsQueued();
    },

    /**
     * The code from the new address: right, the account takes the address (the old one is told);
     * wrong, a try is counted (five, then ask again).
     */
    async confirm(actor: Actor, code: string): Promise<EmailChangeResult> {
      const row = await waiting(actor.userId);
      if (!row || row.attempts >= EMAIL_CHANGE_TRIES) {
        await insertAuditEvent(db, auditOf(actor, 'auth.email_change_refused', { reason: 'start_again' }));
        return { ok: false, reason: 'start_again' };
      }
      const right = timingSafeEqual(
        Buffer.from(row.codeHash, 'hex'),
        Buffer.from(changeCodeHash(row.id, code), 'hex'),
      );
      if (!right) {
        await db
          .update(accountEmailChange)
          .set({ attempts: sql`${accountEmailChange.attempts} + 1` })
          .where(eq(accountEmailChange.id, row.id));
        await insertAuditEvent(db, auditOf(actor, 'auth.email_change_refused', { reason: 'wrong_code' }));
        const triesLeft = EMAIL_CHANGE_TRIES - row.attempts - 1;
        return triesLeft > 0
          ? { ok: false, reason: 'wrong', triesLeft }
          : { ok: false, reason: 'start_again' };
      }
      const account = await findAccount(db, actor.userId);
      if (!account) throw new NotFoundError('Account not found');
      try {
        await db.transaction(async (tx) => {
          const [used] = await tx
            .update(accountEmailChange)
            .set({ usedAt: sql`now()` })
            .where(and(eq(accountEmailChange.id, row.id), isNull(accountEmailChange.usedAt)))
            .returning({ id: accountEmailChange.id });
          if (!used)
            throw new ValidationError([{ field: 'code', message: 'This code has already been used' }]);
          await tx.update(appUser).set({ email: row.newEmail }).where(eq(appUser.id, actor.userId));
          await queueMail(tx, { schoolId: null }, account.email, 'account.email_changed', {
            from: 'OpenSEND',
            link: `${mail.publicUrl}/sign-in`,
          });
          await insertAuditEvent(tx, auditOf(actor, 'auth.email_changed'));
        });
      } catch (error) {
        if (databaseError(error)?.code === '23505')
          throw new ValidationError([
            {
              field: 'code',
              message: 'That email address now belongs to another account: nothing was changed',
            },
          ]);
        throw error;
      }
      mail.jobsQueued();
      sessions.dropUser(actor.userId);
      return { ok: true, email: row.newEmail };
    },
  };
}

export type EmailChangeService = ReturnType<typeof createEmailChangeService>;
