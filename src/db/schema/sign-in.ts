import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';

/*
 * What signing in needs beyond a password for the people who come from outside a school (a parent, a
 * professional of an outside agency): a one-time link to choose a first password, a code sent by email
 * at each new device, and the devices remembered after it. Every token is kept only as its SHA-256.
 */

/** A one-time link to choose a password (a professional invited to a referral who had no account). */
export const accountSetUpToken = pgTable(
  'account_set_up_token',
  {
    /** SHA-256 of the token in the link: the token itself is only in the mail. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('account_set_up_token_user_idx').on(t.userId)],
);

/**
 * A sign-in waiting for the code sent by email: the password was right, the device is new. The browser
 * holds the challenge's token in a short-lived cookie; the code goes by email.
 */
export const signInChallenge = pgTable(
  'sign_in_challenge',
  {
    /** SHA-256 of the token in the browser's cookie. */
    tokenHash: text('token_hash').primaryKey(),
    /** The account signing in; null for an account not made yet (below). */
    userId: uuid('user_id').references(() => appUser.id),
    /**
     * An account asked for at /join and made only when the code sent to this email is right: nobody
     * holds an address they have not proven (a stranger with an invitation code cannot take one).
     */
    newAccountEmail: text('new_account_email'),
    newAccountName: text('new_account_name'),
    newAccountPasswordHash: text('new_account_password_hash'),
    /** SHA-256 of the code with the token: a code alone opens nothing. */
    codeHash: text('code_hash').notNull(),
    attempts: smallint('attempts').notNull().default(0),
    /** Where to go once the code is right (a path on this site). */
    returnTo: text('return_to').notNull().default('/'),
    /**
     * SHA-256 of the family invitation code this sign-in came from (/join): the child is linked only
     * when the code sent to the account's email is right, so the address is proven first.
     */
    invitationCodeHash: text('invitation_code_hash'),
    /** Whether the account was made by that /join (for the school's trail). */
    invitationNewAccount: boolean('invitation_new_account').notNull().default(false),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    index('sign_in_challenge_user_idx').on(t.userId),
    check('sign_in_challenge_attempts', sql`${t.attempts} >= 0`),
    check(
      'sign_in_challenge_account',
      sql`(${t.userId} is not null) <> (${t.newAccountEmail} is not null and ${t.newAccountName} is not null and ${t.newAccountPasswordHash} is not null)`,
    ),
  ],
);

/** A browser that has passed the code: it signs in with the password alone until forgotten. */
export const rememberedDevice = pgTable(
  'remembered_device',
  {
    /** SHA-256 of the token in the browser's long-lived cookie. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    /** The browser as it described itself, cut short: for the person to recognise it in their list. */
    label: text('label').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('remembered_device_user_idx').on(t.userId)],
);

/**
 * A person changing the email they sign in with: the new address is proven by a code sent to it before
 * the account takes it. One waiting change per person (a new one replaces it).
 */
export const accountEmailChange = pgTable(
  'account_email_change',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    newEmail: text('new_email').notNull(),
    /** SHA-256 of the code with the change's id: a code alone opens nothing. */
    codeHash: text('code_hash').notNull(),
    attempts: smallint('attempts').notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    index('account_email_change_user_idx').on(t.userId),
    check('account_email_change_attempts', sql`${t.attempts} >= 0`),
  ],
);
