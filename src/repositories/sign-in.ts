import { and, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { accountSetUpToken, rememberedDevice, signInChallenge } from '../db/schema/index.ts';

/* One-time set-up links, sign-in codes waiting to be entered, and remembered devices (tokens hashed). */

export async function insertSetUpToken(db: Executor, row: typeof accountSetUpToken.$inferInsert) {
  await db.insert(accountSetUpToken).values(row);
}

/** A set-up link not used and not expired, locked for its single use. */
export async function liveSetUpToken(db: Executor, tokenHash: string, options: { lock?: boolean } = {}) {
  const query = db
    .select()
    .from(accountSetUpToken)
    .where(
      and(
        eq(accountSetUpToken.tokenHash, tokenHash),
        isNull(accountSetUpToken.usedAt),
        gt(accountSetUpToken.expiresAt, sql`now()`),
      ),
    )
    .limit(1);
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

/** Use a set-up link, and every other link of the same person with it (one password, one link). */
export async function useSetUpTokens(db: Executor, userId: string) {
  await db
    .update(accountSetUpToken)
    .set({ usedAt: sql`now()` })
    .where(and(eq(accountSetUpToken.userId, userId), isNull(accountSetUpToken.usedAt)));
}

export async function insertChallenge(db: Executor, row: typeof signInChallenge.$inferInsert) {
  await db.insert(signInChallenge).values(row);
}

export async function findChallenge(db: Executor, tokenHash: string, options: { lock?: boolean } = {}) {
  const query = db.select().from(signInChallenge).where(eq(signInChallenge.tokenHash, tokenHash)).limit(1);
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

export async function countChallengeAttempt(db: Executor, tokenHash: string) {
  await db
    .update(signInChallenge)
    .set({ attempts: sql`${signInChallenge.attempts} + 1` })
    .where(eq(signInChallenge.tokenHash, tokenHash));
}

export async function useChallenge(db: Executor, tokenHash: string) {
  await db
    .update(signInChallenge)
    .set({ usedAt: sql`now()` })
    .where(eq(signInChallenge.tokenHash, tokenHash));
}

/** Of these device tokens (hashed), one remembered for this person, not forgotten, not expired. */
export async function rememberedDeviceOf(db: Executor, userId: string, tokenHashes: readonly string[]) {
  if (tokenHashes.length === 0) return null;
  const rows = await db
    .select({ tokenHash: rememberedDevice.tokenHash })
    .from(rememberedDevice)
    .where(
      and(
        eq(rememberedDevice.userId, userId),
        inArray(rememberedDevice.tokenHash, [...tokenHashes]),
        isNull(rememberedDevice.revokedAt),
        gt(rememberedDevice.expiresAt, sql`now()`),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

export async function touchDevice(db: Executor, tokenHash: string) {
  await db
    .update(rememberedDevice)
    .set({ lastUsedAt: sql`now()` })
    .where(eq(rememberedDevice.tokenHash, tokenHash));
}

export async function insertRememberedDevice(db: Executor, row: typeof rememberedDevice.$inferInsert) {
  await db.insert(rememberedDevice).values(row);
}

/** A person's remembered devices in use, most recent first. */
export async function devicesOf(db: Executor, userId: string) {
  return db
    .select({
      label: rememberedDevice.label,
      createdAt: rememberedDevice.createdAt,
      lastUsedAt: rememberedDevice.lastUsedAt,
    })
    .from(rememberedDevice)
    .where(
      and(
        eq(rememberedDevice.userId, userId),
        isNull(rememberedDevice.revokedAt),
        gt(rememberedDevice.expiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(rememberedDevice.lastUsedAt));
}

/** Of these device tokens (hashed), those remembered for this person, in use or not. */
export async function deviceTokensOfPerson(db: Executor, userId: string, tokenHashes: readonly string[]) {
  if (tokenHashes.length === 0) return [];
  const rows = await db
    .select({ tokenHash: rememberedDevice.tokenHash })
    .from(rememberedDevice)
    .where(and(eq(rememberedDevice.userId, userId), inArray(rememberedDevice.tokenHash, [...tokenHashes])));
  return rows.map((r) => r.tokenHash);
}

/** Forget every device of a person: the next sign-in anywhere asks for a code again. */
export async function forgetDevices(db: Executor, userId: string): Promise<number> {
  const rows = await db
    .update(rememberedDevice)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(rememberedDevice.userId, userId), isNull(rememberedDevice.revokedAt)))
    .returning({ tokenHash: rememberedDevice.tokenHash });
  return rows.length;
}
