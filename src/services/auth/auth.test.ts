import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD, useWorld } from '../../../test/builders/index.ts';
import { auditEvent, userSession } from '../../db/schema/index.ts';
import { hashToken, PAIR_FAILURES } from './sign-in.ts';

const world = useWorld();
const signIn = (email: string, password: string, address = '198.51.100.1') =>
  world.services.auth.signIn({ email, password, address }, 'r');

describe('signing in', () => {
  it('creates a session whose token is stored only as a hash, and resolves the actor with their roles', async () => {
    const { services, database, w } = world;
    const result = await signIn(w.teacherA.email.toUpperCase(), TEST_PASSWORD);
    if (!result.ok) throw new Error('sign-in failed');
    const rows = await database.db
      .select()
      .from(userSession)
      .where(eq(userSession.userId, w.teacherA.actor.userId));
    expect(rows[0]?.id).toBe(hashToken(result.token));
    expect(rows[0]?.id).not.toBe(result.token);
    const session = await services.auth.resolve(result.token, 'r2');
    expect(session).toMatchObject({
      status: 'live',
      actor: { userId: w.teacherA.actor.userId, roles: ['class_teacher'], schoolId: w.school.id },
    });
    if (session?.status !== 'live') throw new Error('not live');
    await services.auth.signOut(result.token, session.actor);
    expect(await services.auth.resolve(result.token, 'r3')).toBeNull();
  });

  it('pauses one account from one address after repeated failures, answering exactly as for an unknown account', async () => {
    const { database, w } = world;
    const unknown = await signIn('nobody@test.example', 'wrong password!', '203.0.113.9');
    for (let i = 0; i < PAIR_FAILURES; i++) {
      expect(await signIn(w.office.email, 'wrong password!', '203.0.113.10')).toEqual(unknown);
    }
    // The right password from the same address is refused for now, with the same answer...
    expect(await signIn(w.office.email, TEST_PASSWORD, '203.0.113.10')).toEqual(unknown);
    // ...but the office manager at their own desk is not locked out by a stranger elsewhere.
    expect((await signIn(w.office.email, TEST_PASSWORD, '198.51.100.20')).ok).toBe(true);
    const throttled = await database.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, 'auth.sign_in_throttled'));
    expect(throttled.map((r) => r.userId)).toContain(w.office.actor.userId);
  });

  it('signs a local authority officer in to their organisation', async () => {
    const { services, w } = world;
    const result = await signIn(w.officer.email, TEST_PASSWORD);
    if (!result.ok) throw new Error('sign-in failed');
    const session = await services.auth.resolve(result.token, 'r');
    expect(session).toMatchObject({
      actor: {
        kind: 'officer',
        roles: ['caseworker', 'manager'],
        schoolId: null,
        organisationId: w.officer.organisationId,
      },
    });
  });

  it('ends the sessions of someone whose sign-in is turned off, and says whose the ended session was', async () => {
    const { services, database, w } = world;
    const result = await signIn(w.teacherB.email, TEST_PASSWORD);
    if (!result.ok) throw new Error('sign-in failed');
    await services.staff.setSignIn(w.senco.actor, w.teacherB.actor.userId, false);
    expect((await signIn(w.teacherB.email, TEST_PASSWORD, '198.51.100.77')).ok).toBe(false);
    const n = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(userSession)
      .where(eq(userSession.userId, w.teacherB.actor.userId));
    expect(n[0]?.n).toBe(0);
    await services.staff.setSignIn(w.senco.actor, w.teacherB.actor.userId, true);
  });

  it('reports an idle session as ended, naming its user, so a form they send can be kept for them', async () => {
    const { services, database, w } = world;
    const result = await signIn(w.teacherA.email, TEST_PASSWORD);
    if (!result.ok) throw new Error('sign-in failed');
    await database.db
      .update(userSession)
      .set({ lastSeenAt: sql`now() - interval '3 hours'` })
      .where(eq(userSession.id, hashToken(result.token)));
    expect(await services.auth.resolve(result.token, 'r')).toMatchObject({
      status: 'ended',
      userId: w.teacherA.actor.userId,
      schoolId: w.school.id,
    });
    expect(await services.auth.resolve(result.token, 'r')).toBeNull();
  });
});
