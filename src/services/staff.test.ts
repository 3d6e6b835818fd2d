import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpWorld, TEST_PASSWORD, type World } from '../../test/builders.ts';
import type { Database } from '../db/client.ts';
import { MAX_FAILED_SIGN_INS } from './auth.ts';
import { ForbiddenError, ValidationError } from './errors.ts';
import type { Services } from './index.ts';

let database: Database;
let services: Services;
let w: World;

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
});
afterAll(() => database.close());

describe('managing staff', () => {
  it('adds a class teacher who can sign in and sees only their class', async () => {
    const { userId, existingAccount } = await services.staff.add(w.senco.actor, {
      name: 'Nina New',
      email: 'nina@test.example',
      role: 'class_teacher',
      password: 'a long new password',
    });
    expect(existingAccount).toBe(false);
    await services.staff.change(w.senco.actor, userId, {
      role: 'class_teacher',
      classIds: [w.classB.id],
      active: true,
    });
    const signedIn = await services.auth.signIn('nina@test.example', 'a long new password', 'r');
    if (!signedIn.ok) throw new Error('sign-in failed');
    const session = await services.auth.resolveSession(signedIn.token, 'r');
    const list = await services.pupils.list(session!.actor, {}, 1);
    expect(list.rows.map((r) => r.surname)).toEqual(['Evans']);
  });

  it('adds someone from another school with their existing account and password', async () => {
    const result = await services.staff.add(w.senco.actor, {
      name: 'Other Senco',
      email: w.otherSenco.email,
      role: 'teaching_assistant',
      password: 'ignored password here',
    });
    expect(result.existingAccount).toBe(true);
    const signedIn = await services.auth.signIn(w.otherSenco.email, TEST_PASSWORD, 'r');
    expect(signedIn).toMatchObject({ ok: true, needsSchoolChoice: true });
    await expect(
      services.staff.add(w.senco.actor, {
        name: 'Again',
        email: w.otherSenco.email,
        role: 'office',
        password: 'x'.repeat(12),
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('unlocks a locked-out colleague when the SENCo resets their password', async () => {
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++)
      await services.auth.signIn(w.ta.email, 'wrong password!', 'r');
    expect(await services.auth.signIn(w.ta.email, TEST_PASSWORD, 'r')).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    await services.staff.resetPassword(w.senco.actor, w.ta.actor.userId, 'a fresh long password');
    expect((await services.auth.signIn(w.ta.email, 'a fresh long password', 'r')).ok).toBe(true);
  });

  it('does not let the SENCo remove their own SENCo role, nor anyone else manage staff', async () => {
    await expect(
      services.staff.change(w.senco.actor, w.senco.actor.userId, {
        role: 'class_teacher',
        classIds: [],
        active: true,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(services.staff.list(w.head.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
