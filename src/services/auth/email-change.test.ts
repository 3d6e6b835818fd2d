import { and, desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD, useWorld } from '../../../test/builders/index.ts';
import { buildParentAccount } from '../../../test/builders/people.ts';
import { buildParent } from '../../../test/builders/pupils.ts';
import { accountEmailChange, appUser, auditEvent, outboundMail, parentCarer } from '../../db/schema/index.ts';
import { ValidationError } from '../kernel/errors.ts';

/*
 * A person changes the email they sign in with: the password first, then a code sent to the new
 * address; the account changes only when it is typed, the old address is told, and the school's record
 * of a parent's contact details is not touched.
 */
const world = useWorld();
let n = 0;

async function newParent() {
  const { database, w } = world;
  const carer = await buildParent(database.db, w.pupilK, {
    name: `Parent ${++n}`,
    email: `record.${n}@families.example`,
  });
  return buildParentAccount(database.db, [{ ...carer, pupilId: w.pupilK.id }], {
    email: `account.${n}@families.example`,
  }).then((account) => ({ ...account, carer }));
}

async function latestMail(to: string) {
  const [mail] = await world.database.db
    .select()
    .from(outboundMail)
    .where(eq(outboundMail.toAddress, to))
    .orderBy(desc(outboundMail.createdAt))
    .limit(1);
  return mail;
}

const codeIn = (body: string) => /Your code is (\d{6})\./.exec(body)?.[1] ?? '';

async function emailOf(userId: string) {
  const [user] = await world.database.db.select().from(appUser).where(eq(appUser.id, userId));
  return user!.email;
}

describe('changing the email one signs in with', () => {
  it('a parent: the password, then the code from the new address; the old address is told; the school’s record is not touched', async () => {
    const { services, database } = world;
    const parent = await newParent();
    const newEmail = `new.${n}@families.example`;
    await services.emailChange.ask(parent.actor, {
      newEmail: newEmail.toUpperCase(),
      password: TEST_PASSWORD,
    });
    // Nothing changes until the code is typed.
    expect(await emailOf(parent.actor.userId)).toBe(parent.email);
    expect(await services.emailChange.pending(parent.actor)).toMatchObject({ newEmail });
    const mail = await latestMail(newEmail);
    expect(mail!.kind).toBe('account.email_change_code');
    expect(mail!.body).not.toContain('Kasia');
    const wrong = await services.emailChange.confirm(
      parent.actor,
      codeIn(mail!.body) === '000000' ? '000001' : '000000',
    );
    expect(wrong).toEqual({ ok: false, reason: 'wrong', triesLeft: 4 });
    expect(await emailOf(parent.actor.userId)).toBe(parent.email);
    expect(await services.emailChange.confirm(parent.actor, codeIn(mail!.body))).toEqual({
      ok: true,
      email: newEmail,
    });
    expect(await emailOf(parent.actor.userId)).toBe(newEmail);
    expect((await latestMail(parent.email))!.kind).toBe('account.email_changed');
    // The school's record of her contact details is the school's: unchanged.
    const [record] = await database.db.select().from(parentCarer).where(eq(parentCarer.id, parent.carer.id));
    expect(record!.email).toBe(parent.carer.email);
    // Audited; the code works once.
    const actions = await database.db
      .select({ action: auditEvent.action })
      .from(auditEvent)
      .where(eq(auditEvent.userId, parent.actor.userId));
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['auth.email_change_asked', 'auth.email_change_refused', 'auth.email_changed']),
    );
    expect(await services.emailChange.confirm(parent.actor, codeIn(mail!.body))).toEqual({
      ok: false,
      reason: 'start_again',
    });
  });

  it('a wrong password changes nothing, is audited, and after five the form pauses', async () => {
    const { services, database } = world;
    const parent = await newParent();
    for (let i = 0; i < 5; i++)
      await expect(
        services.emailChange.ask(parent.actor, {
          newEmail: `x.${n}@families.example`,
          password: `wrong ${i}`,
        }),
      ).rejects.toBeInstanceOf(ValidationError);
    const paused = await services.emailChange
      .ask(parent.actor, { newEmail: `x.${n}@families.example`, password: TEST_PASSWORD })
      .catch((e: unknown) => e);
    expect(paused).toBeInstanceOf(ValidationError);
    expect((paused as ValidationError).errors[0]!.message).toMatch(/too many times/);
    expect(await services.emailChange.pending(parent.actor)).toBeNull();
    const rows = await database.db
      .select()
      .from(accountEmailChange)
      .where(eq(accountEmailChange.userId, parent.actor.userId));
    expect(rows).toEqual([]);
  });

  it('an address that already has an account: the same answer, no code, a mail saying so; nothing changes', async () => {
    const { services, w } = world;
    const parent = await newParent();
    await services.emailChange.ask(parent.actor, { newEmail: w.senco.email, password: TEST_PASSWORD });
    expect(await services.emailChange.pending(parent.actor)).toMatchObject({ newEmail: w.senco.email });
    const mail = await latestMail(w.senco.email);
    expect(mail!.kind).toBe('account.email_in_use');
    expect(codeIn(mail!.body)).toBe('');
    for (const code of ['000000', '123456', '999999'])
      expect(await services.emailChange.confirm(parent.actor, code)).toMatchObject({ ok: false });
    expect(await emailOf(parent.actor.userId)).toBe(parent.email);
  });

  it('the same address, or one not in the right form, is refused with a plain message', async () => {
    const { services } = world;
    const parent = await newParent();
    for (const [newEmail, message] of [
      [parent.email, /already sign in with/],
      ['not an address', /right form/],
    ] as const) {
      const error = await services.emailChange
        .ask(parent.actor, { newEmail, password: TEST_PASSWORD })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0]!.message).toMatch(message);
    }
  });

  it('a second request replaces the first: only the latest code works', async () => {
    const { services, database } = world;
    const parent = await newParent();
    const first = `first.${n}@families.example`;
    const second = `second.${n}@families.example`;
    await services.emailChange.ask(parent.actor, { newEmail: first, password: TEST_PASSWORD });
    const firstCode = codeIn((await latestMail(first))!.body);
    await services.emailChange.ask(parent.actor, { newEmail: second, password: TEST_PASSWORD });
    const secondCode = codeIn((await latestMail(second))!.body);
    if (firstCode !== secondCode)
      expect(await services.emailChange.confirm(parent.actor, firstCode)).toMatchObject({ ok: false });
    expect(await services.emailChange.confirm(parent.actor, secondCode)).toEqual({ ok: true, email: second });
    const waiting = await database.db
      .select()
      .from(accountEmailChange)
      .where(and(eq(accountEmailChange.userId, parent.actor.userId)));
    expect(waiting.every((r) => r.usedAt !== null)).toBe(true);
  });

  it('asks for at most five codes an hour, so the guesses at a code are bounded too', async () => {
    const { services } = world;
    const parent = await newParent();
    for (let i = 0; i < 5; i++)
      await services.emailChange.ask(parent.actor, {
        newEmail: `many.${i}.${n}@families.example`,
        password: TEST_PASSWORD,
      });
    const sixth = await services.emailChange
      .ask(parent.actor, { newEmail: `many.6.${n}@families.example`, password: TEST_PASSWORD })
      .catch((e: unknown) => e);
    expect(sixth).toBeInstanceOf(ValidationError);
    expect((sixth as ValidationError).errors[0]!.message).toMatch(/5 codes in the last hour/);
    expect(await services.emailChange.pending(parent.actor)).toMatchObject({
      newEmail: `many.4.${n}@families.example`,
    });
  });
});
