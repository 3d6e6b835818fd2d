import type { SessionRow } from '../../repositories/sessions.ts';

/** How long a session read from the database stands for it in this process (docs/adr/0006). */
export const SESSION_CACHE_MS = 5000;
const MAX_ENTRIES = 10_000;

/**
 * Sessions this process read from the database in the last few seconds, by the hash of their token,
 * so that a person's next requests need not read theirs again. Whatever this process changes about a
 * session or its person (signing out, choosing where to work, a password, sign-in turned off, roles,
 * memberships) drops it at once, after the change is committed; a change made by another instance
 * applies when the entry runs out. See docs/adr/0006-session-cache.md.
 */
export interface SessionCache {
  /** The session as read within the last `ttlMs`, if this process has it. */
  get(sessionId: string): SessionRow | undefined;
  /** Taken before reading a session from the database, and given back to `put`. */
  version(): number;
  /** Keep a session just read, unless anything was dropped since `version` was taken. */
  put(sessionId: string, session: SessionRow, version: number): void;
  dropSession(sessionId: string): void;
  /** Every session of this person. */
  dropUser(userId: string): void;
}

export function createSessionCache(
  ttlMs = SESSION_CACHE_MS,
  now: () => number = () => Date.now(),
): SessionCache {
  const entries = new Map<string, { session: SessionRow; readAt: number }>();
  // Bumped by every drop: a read that began before a drop may have seen the old row, so it is not kept.
  let version = 0;
  const fresh = (readAt: number) => now() - readAt < ttlMs;
  return {
    get(sessionId) {
      const entry = entries.get(sessionId);
      if (!entry) return undefined;
      if (fresh(entry.readAt)) return entry.session;
      entries.delete(sessionId);
      return undefined;
    },
    version: () => version,
    put(sessionId, session, readVersion) {
      if (ttlMs <= 0 || readVersion !== version) return;
      if (entries.size >= MAX_ENTRIES) {
        for (const [id, entry] of entries) if (!fresh(entry.readAt)) entries.delete(id);
        if (entries.size >= MAX_ENTRIES) entries.clear();
      }
      entries.set(sessionId, { session, readAt: now() });
    },
    dropSession(sessionId) {
      version++;
      entries.delete(sessionId);
    },
    dropUser(userId) {
      version++;
      for (const [id, entry] of entries) if (entry.session.userId === userId) entries.delete(id);
    },
  };
}

/** For services made on their own (tests): keeps nothing, so nothing can be stale. */
export const noSessionCache: SessionCache = createSessionCache(0);
