import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addMembership, buildStaff, TEST_PASSWORD, useWorld } from '../../../test/builders/index.ts';
import { appUser, membership, staffInvitation } from '../../db/schema/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

const world = useWorld();
const signIn = (email: string, password: string) =>
  world.services.auth.signIn({ email, password, address: '192.0.2.1' }, 'r');
const STRONG = 'copper kettle rainy orbit';

describe('adding staff', () => {
  it('adds a class teacher whose first password must be changed, and who sees only their class', async () => {
    const { services, w } = world;
    const added = await services.staff.add(w.senco.actor, {
      name: 'Nina New',
      email: 'nina@test.example',
      roles: ['class_teacher'],
      password: STRONG,
    });
    if (added.kind !== 'added') throw new Error('expected a new account');
    const member = await services.staff.get(w.senco.actor, added.userId);
    await services.staff.change(w.senco.actor, added.userId, {
      roles: ['class_teacher'],
      classIds: [w.classB.id],
      version: member.member.version,
    });
    const signedIn = await signIn('nina@test.example', STRONG);
    expect(signedIn).toMatchObject({ ok: true, mustChangePassword: true });
    if (!signedIn.ok) throw new Error('sign-in failed');
    const session = await services.auth.resolve(signedIn.token, 'r');
    if (session?.status !== 'live') throw new Error('not live');
    const list = await services.pupils.list(session.actor, {}, 1);
    expect(list.rows.map((r) => r.surname).sort()).toEqual(['Evans']);
  });

  it('refuses a weak first password with a plain reason', async () => {
    const { services, w } = world;
    const attempt = services.staff.add(w.senco.actor, {
      name: 'Weak Will',
      email: 'weak@test.example',
      roles: ['office'],
      password: 'aaaaaaaaaaaa',
    });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow(/harder to guess/);
  });

  it('invites someone who already has an account instead of attaching it: nothing of the account is the school’s until they accept', async () => {
    const { services, database, w } = world;
    const result = await services.staff.add(w.senco.actor, {
      name: 'Anything',
      email: w.otherSenco.email,
      roles: ['teaching_assistant'],
      password: null,
    });
    expect(result.kind).toBe('invited');
    // No membership yet, and the staff page shows the invitation by email, not their name.
    const member = await database.db
      .select()
      .from(membership)
      .where(and(eq(membership.schoolId, w.school.id), eq(membership.userId, w.otherSenco.actor.userId)));
    expect(member).toHaveLength(0);
    const list = await services.staff.list(w.senco.actor);
    expect(list.invitations.map((i) => i.email)).toContain(w.otherSenco.email);
    expect(list.staff.map((s) => s.name)).not.toContain('Ola Senco');
    await expect(services.staff.get(w.senco.actor, w.otherSenco.actor.userId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      services.staff.resetPassword(w.senco.actor, w.otherSenco.actor.userId, STRONG),
    ).rejects.toBeInstanceOf(NotFoundError);
    // A second invitation while the first is waiting is a plain field error.
    await expect(
      services.staff.add(w.senco.actor, {
        name: 'x',
        email: w.otherSenco.email,
        roles: ['office'],
        password: null,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    // The person accepts, signed in as themselves, and then works in both schools.
    const signedIn = await signIn(w.otherSenco.email, TEST_PASSWORD);
    if (!signedIn.ok) throw new Error('sign-in failed');
    const session = await services.auth.resolve(signedIn.token, 'r');
    if (session?.status !== 'live') throw new Error('not live');
    const [invitation] = await services.account.invitations(session.actor);
    if (!invitation) throw new Error('no invitation');
    await services.account.answerInvitation(
      session.actor,
      session.sessionId,
      invitation.schoolId,
      invitation.id,
      true,
    );
    const rows = await database.db
      .select()
      .from(staffInvitation)
      .where(eq(staffInvitation.id, invitation.id));
    expect(rows[0]?.answer).toBe('accepted');
    const after = await services.auth.resolve(signedIn.token, 'r');
    expect(after).toMatchObject({ actor: { schoolId: w.school.id, roles: ['teaching_assistant'] } });
  });
});

describe('an account that belongs to another school too', () => {
  it('cannot have its password reset or its sign-in turned off by this school, only its membership removed', async () => {
    const { services, database, w } = world;
    const shared = await buildStaff(database.db, 'class_teacher', {
      schoolId: w.otherSchool.id,
      name: 'Shared Person',
    });
    await addMembership(database.db, shared.actor.userId, w.school.id, ['office']);
    const page = await services.staff.get(w.senco.actor, shared.actor.userId);
    expect(page.actions).toMatchObject({
      resetPassword: false,
      turnOffSignIn: false,
      removeFromSchool: true,
      accountNotOurs: true,
    });
    await expect(services.staff.resetPassword(w.senco.actor, shared.actor.userId, STRONG)).rejects.toThrow(
      /another school/,
    );
    await expect(services.staff.setSignIn(w.senco.actor, shared.actor.userId, false)).rejects.toThrow(
      /another school/,
    );
    const account = await database.db.select().from(appUser).where(eq(appUser.id, shared.actor.userId));
    expect(account[0]?.disabledAt).toBeNull();
    await services.staff.remove(w.senco.actor, shared.actor.userId);
    // Still a class teacher at the other school, with the same password.
    expect((await signIn(shared.email, TEST_PASSWORD)).ok).toBe(true);
  });

  it('cannot be reached at all through another school’s staff pages', async () => {
    const { services, database, w } = world;
    const theirs = await buildStaff(database.db, 'senco', { schoolId: w.otherSchool.id });
    const id = theirs.actor.userId;
    await expect(services.staff.get(w.senco.actor, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.staff.setSignIn(w.senco.actor, id, false)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.staff.resetPassword(w.senco.actor, id, STRONG)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.staff.remove(w.senco.actor, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      services.staff.change(w.senco.actor, id, { roles: ['office'], classIds: [], version: 1 }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await signIn(theirs.email, TEST_PASSWORD)).ok).toBe(true);
  });
});

describe('roles', () => {
  it('gives and takes each role separately, refuses a role twice, and keeps a SENCo in the school', async () => {
    const { services, w } = world;
    const m = await services.staff.get(w.senco.actor, w.teacherA.actor.userId);
    await services.staff.change(w.senco.actor, w.teacherA.actor.userId, {
      roles: ['class_teacher', 'teaching_assistant'],
      classIds: [w.classA.id],
      version: m.member.version,
    });
    const after = await services.staff.get(w.senco.actor, w.teacherA.actor.userId);
    expect(after.member.roles).toEqual(['class_teacher', 'teaching_assistant']);
    await expect(
      services.staff.change(w.senco.actor, w.teacherA.actor.userId, {
        roles: ['office', 'office'],
        classIds: [],
        version: after.member.version,
      }),
    ).rejects.toThrow(/once/);
    // The only SENCo cannot lose the role, even at their own hand.
    const me = await services.staff.get(w.senco.actor, w.senco.actor.userId);
    await expect(
      services.staff.change(w.senco.actor, w.senco.actor.userId, {
        roles: ['class_teacher'],
        classIds: [],
        version: me.member.version,
      }),
    ).rejects.toThrow(/always has a SENCo/);
    await services.staff.change(w.senco.actor, w.teacherA.actor.userId, {
      roles: ['class_teacher'],
      classIds: [w.classA.id],
      version: after.member.version,
    });
  });

  it('refuses a stale change of roles and says what the other person saved', async () => {
    const { services, w } = world;
    const m = await services.staff.get(w.senco.actor, w.office.actor.userId);
    await services.staff.change(w.head.actor, w.office.actor.userId, {
      roles: ['office', 'sen_governor'],
      classIds: [],
      version: m.member.version,
    });
    const stale = services.staff.change(w.senco.actor, w.office.actor.userId, {
      roles: ['office'],
      classIds: [],
      version: m.member.version,
    });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    const now = await services.staff.get(w.senco.actor, w.office.actor.userId);
    expect(now.member.roles).toEqual(['office', 'sen_governor']);
    await services.staff.change(w.senco.actor, w.office.actor.userId, {
      roles: ['office'],
      classIds: [],
      version: now.member.version,
    });
  });

  it('lets the head teacher manage staff as well as the SENCo, and nobody else', async () => {
    const { services, w } = world;
    expect((await services.staff.list(w.head.actor)).staff.length).toBeGreaterThan(5);
    await expect(services.staff.list(w.teacherA.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.staff.list(w.office.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
