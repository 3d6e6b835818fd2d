import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/client.ts';
import type { Role } from '../domain/roles.ts';
import { insertAuditEvent } from '../repositories/audit.ts';
import {
  clearFailedSignIns,
  deleteSession,
  findLiveSessionWithMemberships,
  findUserByEmail,
  insertSession,
  membershipsOfUser,
  organisationMembershipsOfUser,
  recordFailedSignIn,
  setSessionSchool,
  touchSession,
} from '../repositories/users.ts';
import type { Actor } from './actor.ts';
import { decoyPasswordHash, verifyPassword } from './passwords.ts';

export const MAX_FAILED_SIGN_INS = 5;
export const LOCK_MINUTES = 15;
export const SESSION_HOURS = 10;
const TOUCH_AFTER_MS = 5 * 60 * 1000;
const IDLE_LIMIT_MS = 2 * 60 * 60 * 1000;

export type SignInResult =
  | { ok: true; token: string; needsSchoolChoice: boolean }
  | { ok: false; reason: 'invalid' | 'locked'; lockedMinutes?: number };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionView {
  sessionId: string;
  actor: Actor;
  /** Schools the user belongs to, for the school chooser. */
  memberships: { schoolId: string; schoolName: string; role: Role }[];
  /** Signed in, in more than one school, and not yet chosen which. */
  needsSchoolChoice: boolean;
}

export function createAuthService(database: Database) {
  const { db } = database;

  async function signIn(email: string, password: string, requestId: string): Promise<SignInResult> {
    const user = await findUserByEmail(db, email.trim());
    if (!user || user.disabledAt) {
      await verifyPassword(await decoyPasswordHash(), password);
      await insertAuditEvent(db, {
        schoolId: null,
        userId: user?.id ?? null,
        role: null,
        action: 'auth.sign_in_failed',
        requestId,
        detail: { reason: user ? 'disabled' : 'unknown_email' },
      });
      return { ok: false, reason: 'invalid' };
    }
    if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
      await insertAuditEvent(db, {
        schoolId: null,
        userId: user.id,
        role: null,
        action: 'auth.sign_in_refused_locked',
        requestId,
      });
      return {
        ok: false,
        reason: 'locked',
        lockedMinutes: Math.ceil((user.lockedUntil.getTime() - Date.now()) / 60000),
      };
    }
    const valid = await verifyPassword(user.passwordHash, password);
    if (!valid) {
      const after = await recordFailedSignIn(db, user.id, MAX_FAILED_SIGN_INS, LOCK_MINUTES);
      const locked = Boolean(after?.lockedUntil && after.lockedUntil.getTime() > Date.now());
      await insertAuditEvent(db, {
        schoolId: null,
        userId: user.id,
        role: null,
        action: locked ? 'auth.locked_out' : 'auth.sign_in_failed',
        requestId,
        detail: { failedSignIns: after?.failedSignIns ?? null },
      });
      return locked
        ? { ok: false, reason: 'locked', lockedMinutes: LOCK_MINUTES }
        : { ok: false, reason: 'invalid' };
    }
    const memberships = await membershipsOfUser(db, user.id);
    const organisations = await organisationMembershipsOfUser(db, user.id);
    if (memberships.length === 0 && organisations.length === 0) {
      await insertAuditEvent(db, {
        schoolId: null,
        userId: user.id,
        role: null,
        action: 'auth.sign_in_failed',
        requestId,
        detail: { reason: 'no_membership' },
      });
      return { ok: false, reason: 'invalid' };
    }
    const token = randomBytes(32).toString('base64url');
    const schoolId = memberships.length === 1 && organisations.length === 0 ? memberships[0]!.schoolId : null;
    await db.transaction(async (tx) => {
      await clearFailedSignIns(tx, user.id);
      await insertSession(tx, {
        id: hashToken(token),
        userId: user.id,
        schoolId,
        expiresAt: new Date(Date.now() + SESSION_HOURS * 3600 * 1000),
      });
      await insertAuditEvent(tx, {
        schoolId,
        userId: user.id,
        role: schoolId ? (memberships[0]?.role ?? null) : null,
        action: 'auth.signed_in',
        requestId,
      });
    });
    return { ok: true, token, needsSchoolChoice: memberships.length + organisations.length > 1 };
  }

  /** The signed-in user behind a session token, with the role of the school the session acts in. */
  async function resolveSession(token: string, requestId: string): Promise<SessionView | null> {
    const sessionId = hashToken(token);
    const session = await findLiveSessionWithMemberships(db, sessionId);
    if (!session || session.disabledAt) return null;
    const idleFor = Date.now() - session.lastSeenAt.getTime();
    if (idleFor > IDLE_LIMIT_MS) {
      await deleteSession(db, sessionId);
      return null;
    }
    if (idleFor > TOUCH_AFTER_MS) await touchSession(db, sessionId);
    const memberships = session.memberships;
    const organisations = session.organisationIds.map((organisationId) => ({ organisationId }));
    let role: Role;
    let organisationId: string | null = null;
    let needsSchoolChoice = false;
    if (session.schoolId) {
      const membership = memberships.find((m) => m.schoolId === session.schoolId);
      if (!membership) return null; // the membership was removed
      role = membership.role;
    } else if (memberships.length > 0) {
      // Works in more than one school and has not yet said which: no school permission until then.
      needsSchoolChoice = true;
      role = memberships[0]!.role;
    } else if (organisations.length > 0) {
      role = 'organisation_officer';
      organisationId = organisations[0]!.organisationId;
    } else {
      return null;
    }
    return {
      sessionId,
      memberships,
      needsSchoolChoice,
      actor: {
        userId: session.userId,
        name: session.name,
        email: session.email,
        role,
        schoolId: session.schoolId,
        organisationId,
        requestId,
      },
    };
  }

  async function chooseSchool(
    sessionId: string,
    userId: string,
    schoolId: string,
    requestId: string,
  ): Promise<boolean> {
    const memberships = await membershipsOfUser(db, userId);
    const m = memberships.find((x) => x.schoolId === schoolId);
    if (!m) return false;
    await db.transaction(async (tx) => {
      await setSessionSchool(tx, sessionId, schoolId);
      await insertAuditEvent(tx, { schoolId, userId, role: m.role, action: 'auth.school_chosen', requestId });
    });
    return true;
  }

  async function signOut(token: string, actor: Actor | null): Promise<void> {
    await db.transaction(async (tx) => {
      await deleteSession(tx, hashToken(token));
      if (actor) {
        await insertAuditEvent(tx, {
          schoolId: actor.schoolId,
          userId: actor.userId,
          role: actor.role,
          action: 'auth.signed_out',
          requestId: actor.requestId,
        });
      }
    });
  }

  return { signIn, resolveSession, chooseSchool, signOut };
}

export type AuthService = ReturnType<typeof createAuthService>;
