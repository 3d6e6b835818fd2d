import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { signInThrottle } from '../db/schema/index.ts';

/** Is any of these throttle keys blocked now? */
export async function anyBlocked(db: Executor, keys: string[]): Promise<boolean> {
  const rows = await db
    .select({ key: signInThrottle.key })
    .from(signInThrottle)
    .where(sql`${signInThrottle.key} in ${keys} and ${signInThrottle.blockedUntil} > now()`)
    .limit(1);
  return rows.length > 0;
}

/**
 * Count a failure against a key: failures within `windowMinutes` add up; at `limit` the key is
 * blocked for `blockMinutes`. Returns whether it is now blocked.
 */
export async function recordFailure(
  db: Executor,
  key: string,
  limit: number,
  windowMinutes: number,
  blockMinutes: number,
): Promise<boolean> {
  const fresh = sql`${signInThrottle.windowStartedAt} < now() - make_interval(mins => ${windowMinutes})`;
  const rows = await db
    .insert(signInThrottle)
    .values({ key, failures: 1 })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures: sql`case when ${fresh} then 1 else ${signInThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${fresh} then now() else ${signInThrottle.windowStartedAt} end`,
        blockedUntil: sql`case when (case when ${fresh} then 1 else ${signInThrottle.failures} + 1 end) >= ${limit}
          then now() + make_interval(mins => ${blockMinutes}) else ${signInThrottle.blockedUntil} end`,
      },
    })
    .returning({ blockedUntil: signInThrottle.blockedUntil });
  const until = rows[0]?.blockedUntil;
  return Boolean(until && until.getTime() > Date.now());
}

export async function clearThrottle(db: Executor, key: string): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.key, key));
}
