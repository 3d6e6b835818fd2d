import { randomBytes } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD, useWorld } from '../../../test/builders/index.ts';
import { latestSignInCode } from '../../../test/sign-in-code.ts';
import {
  accountSetUpToken,
  appUser,
  auditEvent,
  outboundMail,
  signInChallenge,
} from '../../db/schema/index.ts';
import { insertAccounts } from '../../repositories/accounts.ts';
import { insertSetUpToken } from '../../repositories/sign-in.ts';
import { ValidationError } from '../kernel/errors.ts';
import { verifyPassword } from '../kernel/passwords.ts';
import { hashToken } from './sign-in.ts';

/*
 * A parent or a professional signs in from outside any school: after the right password on a device
 * not seen before, a code goes by email, and only the code (five tries, ten minutes) starts the session
 * and remembers the device. Staff sign in as before.
 */
const world = useWorld();
let address = 0;
const nextAddress = () => `198.51.100.${++address}`;

async function actions(userId: string) {
  const rows = await world.database.db
    .select({ action: auditEvent.action })
    .from(auditEvent)
    .where(eq(auditEvent.userId, userId))
    .orderBy(auditEvent.id);
  return rows.map((r) => r.action);
}

describe('the code by email at a new device', () => {
  it('sends a professional a code, names no child in it, and opens no session until it is entered', async () => {
    const { services, database, w } = world;
    const ip = nextAddress();
    const first = await services.auth.signIn(
      { email: w.professional.email, password: TEST_PASSWORD, address: ip, returnTo: '/shared' },
      'r1',
    );
    expect(first).toMatchObject({ ok: false, codeSent: true });
    if (first.ok || !first.codeSent) throw new Error('expected a code');
    const [mail] = await database.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.toAddress, w.professional.email))
      .orderBy(desc(outboundMail.createdAt))
      .limit(1);
    expect(mail?.kind).toBe('account.sign_in_code');
    expect(mail?.body).not.toMatch(/Eli|Evans|Amara|Oakfield/);
    // The code is stored only as a hash.
    const code = await latestSignInCode(database, w.professional.email);
    const [challenge] = await database.db
      .select()
      .from(signInChallenge)
      .where(eq(signInChallenge.tokenHash, hashToken(first.challengeToken)));
    expect(challenge?.codeHash).not.toContain(code);

    const entered = await services.auth.enterCode(
      {
        challengeToken: first.challengeToken,
        code,
        address: ip,
        device: 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0',
      },
      'r2',
    );
    if (!entered.ok) throw new Error('the right code was refused');
    expect(entered.returnTo).toBe('/shared');
    const session = await services.auth.resolve(entered.token, 'r3');
    expect(session?.status === 'live' && session.actor.kind).toBe('professional');
    // The same code a second time opens nothing.
    expect(
      await services.auth.enterCode(
        { challengeToken: first.challengeToken, code, address: ip, device: '' },
        'r4',
      ),
    ).toEqual({ ok: false, reason: 'start_again' });

    // The device is remembered: the password alone signs in there, and nowhere else.
    const again = await services.auth.signIn(
      {
        email: w.professional.email,
        password: TEST_PASSWORD,
        address: ip,
        deviceTokens: [entered.deviceToken],
      },
      'r5',
    );
    expect(again.ok).toBe(true);
    const elsewhere = await services.auth.signIn(
      { email: w.professional.email, password: TEST_PASSWORD, address: ip, deviceTokens: ['x'.repeat(43)] },
      'r6',
    );
    expect(elsewhere).toMatchObject({ ok: false, codeSent: true });
    expect(await actions(w.professional.actor.userId)).toEqual(
      expect.arrayContaining([
        'auth.code_sent',
        'auth.device_remembered',
        'auth.signed_in',
        'auth.code_failed',
      ]),
    );
    expect((await services.auth.setUp.devices(w.professional.actor)).map((d) => d.label)).toEqual([
      'Firefox on Windows',
    ]);

    // Forgotten, the device asks for a code again.
    expect(
      (await services.auth.setUp.forgetDevices(w.professional.actor, { sessionId: session!.sessionId }))
        .count,
    ).toBe(1);
    const forgotten = await services.auth.signIn(
      {
        email: w.professional.email,
        password: TEST_PASSWORD,
        address: ip,
        deviceTokens: [entered.deviceToken],
      },
      'r7',
    );
    expect(forgotten).toMatchObject({ ok: false, codeSent: true });
    expect(await actions(w.professional.actor.userId)).toContain('auth.devices_forgotten');
  });

  it('forgetting every device ends the person’s other sessions, keeps this one, and gives back only other people’s device tokens', async () => {
    const { services, database, w } = world;
    const withCode = async (email: string, device: string) => {
      const ip = nextAddress();
      const sent = await services.auth.signIn({ email, password: TEST_PASSWORD, address: ip }, 'r');
      if (sent.ok || !sent.codeSent) throw new Error('expected a code');
      const code = await latestSignInCode(database, email);
      const entered = await services.auth.enterCode(
        { challengeToken: sent.challengeToken, code, address: ip, device },
        'r',
      );
      if (!entered.ok) throw new Error('the right code was refused');
      return entered;
    };
    const here = await withCode(w.professional.email, 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0');
    const there = await withCode(w.professional.email, 'Mozilla/5.0 (Macintosh) Chrome/130.0');
    // A parent signed in on the same shared browser: the cookie holds both people's tokens.
    const parents = await withCode(w.parent.email, 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0');
    const current = await services.auth.resolve(here.token, 'r');
    if (current?.status !== 'live') throw new Error('expected a live session');

    const forgotten = await services.auth.setUp.forgetDevices(w.professional.actor, {
      sessionId: current.sessionId,
      deviceTokens: [parents.deviceToken, here.deviceToken],
    });
    expect(forgotten).toEqual({ count: 2, otherTokens: [parents.deviceToken] });
    expect((await services.auth.resolve(here.token, 'r'))?.status).toBe('live');
    expect((await services.auth.resolve(there.token, 'r'))?.status).not.toBe('live');
    // The parent's session and remembered device are untouched.
    expect((await services.auth.resolve(parents.token, 'r'))?.status).toBe('live');
    expect(
      (
        await services.auth.signIn(
          {
            email: w.parent.email,
            password: TEST_PASSWORD,
            address: nextAddress(),
            deviceTokens: forgotten.otherTokens,
          },
          'r',
        )
      ).ok,
    ).toBe(true);
  });

  it('allows five tries, then the right code no longer works', async () => {
    const { services, database, w } = world;
    const ip = nextAddress();
    const sent = await services.auth.signIn(
      { email: w.parent.email, password: TEST_PASSWORD, address: ip },
      'r',
    );
    if (sent.ok || !sent.codeSent) throw new Error('expected a code');
    const code = await latestSignInCode(database, w.parent.email);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push(
        await services.auth.enterCode(
          { challengeToken: sent.challengeToken, code: wrong, address: ip, device: '' },
          'r',
        ),
      );
    expect(answers.map((a) => (a.ok ? 'ok' : a.reason === 'wrong' ? a.triesLeft : a.reason))).toEqual([
      4,
      3,
      2,
      1,
      'start_again',
    ]);
    expect(
      await services.auth.enterCode(
        { challengeToken: sent.challengeToken, code, address: ip, device: '' },
        'r',
      ),
    ).toEqual({ ok: false, reason: 'start_again' });
  });

  it('refuses a code after its ten minutes', async () => {
    const { services, database, w } = world;
    const ip = nextAddress();
    const sent = await services.auth.signIn(
      { email: w.parent.email, password: TEST_PASSWORD, address: ip },
      'r',
    );
    if (sent.ok || !sent.codeSent) throw new Error('expected a code');
    const code = await latestSignInCode(database, w.parent.email);
    await database.db
      .update(signInChallenge)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(signInChallenge.tokenHash, hashToken(sent.challengeToken)));
    expect(
      await services.auth.enterCode(
        { challengeToken: sent.challengeToken, code, address: ip, device: '' },
        'r',
      ),
    ).toEqual({ ok: false, reason: 'start_again' });
  });

  it('asks staff for no code: their sign-in is unchanged', async () => {
    const { services, w } = world;
    const result = await services.auth.signIn(
      { email: w.teacherA.email, password: TEST_PASSWORD, address: nextAddress() },
      'r',
    );
    expect(result.ok).toBe(true);
  });
});

describe('the link to choose a first password', () => {
  async function accountWithLink(expiresAt = new Date(Date.now() + 3600_000)) {
    const db = world.database.db;
    const id = crypto.randomUUID();
    const email = `new.${id.slice(0, 8)}@agency.example`;
    await insertAccounts(db, [{ id, email, name: 'Jo Carter', passwordHash: '!set-up-pending' }]);
    const token = randomBytes(32).toString('base64url');
    await insertSetUpToken(db, { tokenHash: hashToken(token), userId: id, expiresAt });
    return { id, email, token };
  }

  it('sets a strong password once; the link then no longer works', async () => {
    const { services, database } = world;
    const { id, email, token } = await accountWithLink();
    expect(await services.auth.setUp.linkFor(token)).toEqual({ email, name: 'Jo Carter' });
    await expect(
      services.auth.setUp.choosePassword({ token, password: 'jocarter' }, 'r'),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(
      await services.auth.setUp.choosePassword({ token, password: 'lantern orchard kettle violin' }, 'r'),
    ).toBe(true);
    const [account] = await database.db.select().from(appUser).where(eq(appUser.id, id));
    expect(await verifyPassword(account!.passwordHash, 'lantern orchard kettle violin')).toBe(true);
    expect(await services.auth.setUp.linkFor(token)).toBeNull();
    expect(
      await services.auth.setUp.choosePassword({ token, password: 'another strong passphrase here' }, 'r'),
    ).toBe(false);
    expect(await actions(id)).toEqual(['auth.password_set']);
  });

  it('works for no one after its 7 days, and the token is kept only as a hash', async () => {
    const { services, database } = world;
    const { id, token } = await accountWithLink(new Date(Date.now() - 1000));
    expect(await services.auth.setUp.linkFor(token)).toBeNull();
    expect(
      await services.auth.setUp.choosePassword({ token, password: 'lantern orchard kettle violin' }, 'r'),
    ).toBe(false);
    const rows = await database.db
      .select({ hash: accountSetUpToken.tokenHash })
      .from(accountSetUpToken)
      .where(and(eq(accountSetUpToken.userId, id)));
    expect(rows.map((r) => r.hash)).toEqual([hashToken(token)]);
  });
});
