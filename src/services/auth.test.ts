import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpWorld, TEST_PASSWORD, type World } from '../../test/builders.ts';
import type { Database } from '../db/client.ts';
import { appUser, auditEvent, userSession } from '../db/schema.ts';
import { hashToken, MAX_FAILED_SIGN_INS } from './auth.ts';
import type { Services } from './index.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

describe('signing in', () => {
  it('creates a session whose token is stored only as a hash, and resolves the actor', async () => {
    const result = await services.auth.signIn(w.teacherA.email.toUpperCase(), TEST_PASSWORD, 'r1');
    if (!result.ok) throw new Error('sign-in failed');
    const rows = await database.db
      .select()
      .from(userSession)
      .where(eq(userSession.userId, w.teacherA.actor.userId));
    expect(rows[0]?.id).toBe(hashToken(result.token));
    expect(rows[0]?.id).not.toBe(result.token);
    const session = await services.auth.resolveSession(result.token, 'r2');
    expect(session?.actor).toMatchObject({
      userId: w.teacherA.actor.userId,
      role: 'class_teacher',
      schoolId: w.school.id,
    });
    await services.auth.signOut(result.token, session!.actor);
    expect(await services.auth.resolveSession(result.token, 'r3')).toBeNull();
  });

  it('locks the account after repeated failures, even for the right password, and audits it', async () => {
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++) {
      expect(await services.auth.signIn(w.office.email, 'wrong password!', 'r')).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    expect(await services.auth.signIn(w.office.email, 'wrong password!', 'r')).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    expect(await services.auth.signIn(w.office.email, TEST_PASSWORD, 'r')).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    const locked = await database.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, 'auth.locked_out'));
    expect(locked.map((r) => r.userId)).toContain(w.office.actor.userId);
    // A SENCo's password reset unlocks it.
    await database.db
      .update(appUser)
      .set({ failedSignIns: 0, lockedUntil: null })
      .where(eq(appUser.id, w.office.actor.userId));
    expect((await services.auth.signIn(w.office.email, TEST_PASSWORD, 'r')).ok).toBe(true);
  });

  it('gives the same answer for an unknown email as for a wrong password', async () => {
    expect(await services.auth.signIn('nobody@test.example', TEST_PASSWORD, 'r')).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('signs an organisation officer in above the schools', async () => {
    const result = await services.auth.signIn(w.officer.email, TEST_PASSWORD, 'r');
    if (!result.ok) throw new Error('sign-in failed');
    const session = await services.auth.resolveSession(result.token, 'r');
    expect(session?.actor).toMatchObject({
      role: 'organisation_officer',
      schoolId: null,
      organisationId: w.officer.organisationId,
    });
    const overview = await services.records.organisationOverview(session!.actor);
    expect(overview.rows.map((r) => r.name)).toEqual(['Oakfield Primary']);
    expect(overview.totals.ehcPlan).toBeGreaterThanOrEqual(1);
  });

  it('stops a removed member of staff at once', async () => {
    const result = await services.auth.signIn(w.teacherB.email, TEST_PASSWORD, 'r');
    if (!result.ok) throw new Error('sign-in failed');
    await services.staff.change(w.senco.actor, w.teacherB.actor.userId, {
      role: 'class_teacher',
      classIds: [w.classB.id],
      active: false,
    });
    expect(await services.auth.resolveSession(result.token, 'r')).toBeNull();
    expect((await services.auth.signIn(w.teacherB.email, TEST_PASSWORD, 'r')).ok).toBe(false);
    const n = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(userSession)
      .where(eq(userSession.userId, w.teacherB.actor.userId));
    expect(n[0]?.n).toBe(0);
  });
});
