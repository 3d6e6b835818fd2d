import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { appUser } from '../db/schema/index.ts';

/** Accounts: a person's email, name and password. A school reaches them only through a membership. */

export async function findAccountByEmail(db: Executor, email: string) {
  const rows = await db.select().from(appUser).where(eq(appUser.email, email.toLowerCase())).limit(1);
  return rows[0] ?? null;
}

export async function findAccount(db: Executor, userId: string) {
  const rows = await db.select().from(appUser).where(eq(appUser.id, userId)).limit(1);
  return rows[0] ?? null;
}

export interface NewAccount {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  mustChangePassword?: boolean;
}

export async function insertAccounts(db: Executor, accounts: NewAccount[]): Promise<void> {
  if (accounts.length > 0)
    await db.insert(appUser).values(accounts.map((a) => ({ ...a, email: a.email.toLowerCase() })));
}

/** A new password; `mustChange` when someone else set it (the person then chooses their own). */
export async function setPassword(
  db: Executor,
  userId: string,
  passwordHash: string,
  mustChange: boolean,
): Promise<void> {
  await db
    .update(appUser)
    .set({ passwordHash, mustChangePassword: mustChange, passwordChangedAt: sql`now()` })
    .where(eq(appUser.id, userId));
}

export async function setAccountDisabled(db: Executor, userId: string, disabled: boolean): Promise<void> {
  await db
    .update(appUser)
    .set({ disabledAt: disabled ? sql`now()` : null })
    .where(eq(appUser.id, userId));
}
