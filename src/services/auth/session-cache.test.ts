import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addMembership, buildStaff, TEST_PASSWORD, useWorld } from '../../../test/builders/index.ts';
import { userSession } from '../../db/schema/index.ts';
import type { SchoolRole } from '../../domain/access.ts';
import type { SessionRow } from '../../repositories/sessions.ts';
import { createSessionCache } from './session-cache.ts';
import { createSessions } from './sessions.ts';
import { hashToken } from './sign-in.ts';

const world = useWorld();
const STRONG = 'copper kettle rainy orbit';

afterEach(() => {
  vi.useRealTimers();
});

/** A new member of staff, signed in, whose session this process has resolved (and so keeps). */
async function signedIn(roles: SchoolRole | SchoolRole[], resolve = world.services.auth.resolve) {
  const { database, services, w } = world;
  const staff = await buildStaff(database.db, roles, { schoolId: w.school.id });
  const result = await services.auth.signIn(
    { email: staff.email, password: TEST_PASSWORD, address: '192.0.2.60' },
    'r',
  );
  if (!result.ok) throw new Error('sign-in failed');
  const session = await resolve(result.token, 'r');
  if (session?.status !== 'live') throw new Error('not live');
  return { staff, token: result.token, session };
}

/** What another instance would do: change the database behind this process's back. */
const endElsewhere = (token: string) =>
  world.database.db.delete(userSession).where(eq(userSession.id, hashToken(token)));

describe('sessions kept for a few seconds', () => {
  it('reads a session once for a few seconds: a change made by another instance applies when it runs out', async () => {
    let clock = Date.now();
    const sessions = createSessions(
      world.database,
      createSessionCache(5000, () => clock),
    );
    const { token } = await signedIn('class_teacher', sessions.resolve);
    await endElsewhere(token);
    expect(await sessions.resolve(token, 'r')).toMatchObject({ status: 'live' });
    clock += 5001;
    expect(await sessions.resolve(token, 'r')).toBeNull();
  });

  it('asks the database again once a kept session is due to be touched, so the idle limit stays exact', async () => {
    const sessions = createSessions(
      world.database,
      createSessionCache(60 * 60 * 1000, () => 0),
    );
    const { token } = await signedIn('class_teacher', sessions.resolve);
    await endElsewhere(token);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 60 * 1000);
    expect(await sessions.resolve(token, 'r')).toBeNull();
  });

  it('never serves a kept session past its expiry', async () => {
    const sessions = createSessions(
      world.database,
      createSessionCache(60 * 60 * 1000, () => 0),
    );
    const { token, staff } = await signedIn('class_teacher', sessions.resolve);
    const row = await world.database.db
      .select()
      .from(userSession)
      .where(eq(userSession.id, hashToken(token)));
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(row[0]!.expiresAt.getTime() + 1000);
    expect(await sessions.resolve(token, 'r')).toMatchObject({ status: 'ended', userId: staff.actor.userId });
  });

  it('drops a kept session at once when its person signs out', async () => {
    const { token, session } = await signedIn('class_teacher');
    await world.services.auth.signOut(token, session.actor);
    expect(await world.services.auth.resolve(token, 'r')).toBeNull();
  });

  it('drops it at once when the person is removed from the school', async () => {
    const { services, w } = world;
    const { token, staff } = await signedIn('class_teacher');
    await services.staff.remove(w.senco.actor, staff.actor.userId);
    const after = await services.auth.resolve(token, 'r');
    expect(after).toMatchObject({ status: 'live', needsChoice: true, actor: { schoolId: null, roles: [] } });
  });

  it('drops it at once when the person’s roles change', async () => {
    const { services, w } = world;
    const { token, staff } = await signedIn('class_teacher');
    const member = await services.staff.get(w.senco.actor, staff.actor.userId);
    await services.staff.change(w.senco.actor, staff.actor.userId, {
      roles: ['office'],
      classIds: [],
      version: member.member.version,
    });
    expect(await services.auth.resolve(token, 'r')).toMatchObject({ actor: { roles: ['office'] } });
  });

  it('drops it at once when the person’s sign-in is turned off or their password reset', async () => {
    const { services, w } = world;
    const off = await signedIn('office');
    await services.staff.setSignIn(w.senco.actor, off.staff.actor.userId, false);
    expect(await services.auth.resolve(off.token, 'r')).toBeNull();
    const reset = await signedIn('office');
    await services.staff.resetPassword(w.senco.actor, reset.staff.actor.userId, STRONG);
    expect(await services.auth.resolve(reset.token, 'r')).toBeNull();
    const byCommand = await signedIn('office');
    await services.admin.resetPassword(byCommand.staff.email, { osUser: 'root', requestId: 'cli' }, STRONG);
    expect(await services.auth.resolve(byCommand.token, 'r')).toBeNull();
  });

  it('drops the person’s other sessions at once when they change their password', async () => {
    const { services } = world;
    const here = await signedIn('class_teacher');
    const result = await services.auth.signIn(
      { email: here.staff.email, password: TEST_PASSWORD, address: '192.0.2.61' },
      'r',
    );
    if (!result.ok) throw new Error('sign-in failed');
    expect(await services.auth.resolve(result.token, 'r')).toMatchObject({ status: 'live' });
    await services.account.changePassword(here.session.actor, here.session.sessionId, {
      currentPassword: TEST_PASSWORD,
      newPassword: STRONG,
    });
    expect(await services.auth.resolve(result.token, 'r')).toBeNull();
    expect(await services.auth.resolve(here.token, 'r')).toMatchObject({
      status: 'live',
      mustChangePassword: false,
    });
  });

  it('drops it at once when the person chooses where to work', async () => {
    const { database, services, w } = world;
    const staff = await buildStaff(database.db, 'class_teacher', { schoolId: w.school.id });
    await addMembership(database.db, staff.actor.userId, w.otherSchool.id, ['office']);
    const result = await services.auth.signIn(
      { email: staff.email, password: TEST_PASSWORD, address: '192.0.2.62' },
      'r',
    );
    if (!result.ok) throw new Error('sign-in failed');
    const before = await services.auth.resolve(result.token, 'r');
    if (before?.status !== 'live') throw new Error('not live');
    const elsewhere = before.actor.schoolId === w.otherSchool.id ? w.school.id : w.otherSchool.id;
    expect(await services.auth.chooseContext(before, `school:${elsewhere}`)).toBe(true);
    expect(await services.auth.resolve(result.token, 'r')).toMatchObject({ actor: { schoolId: elsewhere } });
  });
});

describe('the cache itself', () => {
  const row = (userId: string) => ({ userId }) as SessionRow;

  it('keeps an entry for its time only', () => {
    let clock = 0;
    const cache = createSessionCache(5000, () => clock);
    cache.put('a', row('u1'), cache.version());
    clock = 4999;
    expect(cache.get('a')).toEqual(row('u1'));
    clock = 5000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('does not keep a session read before something was dropped, which may be the old one', () => {
    const cache = createSessionCache(5000, () => 0);
    const version = cache.version();
    cache.dropUser('u1');
    cache.put('a', row('u1'), version);
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops every session of one person, and only theirs', () => {
    const cache = createSessionCache(5000, () => 0);
    cache.put('a', row('u1'), cache.version());
    cache.put('b', row('u1'), cache.version());
    cache.put('c', row('u2'), cache.version());
    cache.dropUser('u1');
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, undefined, row('u2')]);
  });
});
