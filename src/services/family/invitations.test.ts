import { and, desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildParent,
  buildParentAccount,
  buildPupil,
  TEST_PASSWORD,
  testServices,
  useWorld,
} from '../../../test/builders/index.ts';
import { readPdf } from '../../../test/pdf.ts';
import { latestSignInCode } from '../../../test/sign-in-code.ts';
import {
  appUser,
  auditEvent,
  outboundMail,
  parentAccount,
  parentCarer,
  parentInvitation,
} from '../../db/schema/index.ts';
import { invitationLetterPdf } from '../../documents/invitation-letter-pdf.ts';
import { JOIN_CODE_REFUSED, JOIN_FAILURES } from '../../domain/family-invitations.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import type { Actor } from '../kernel/actor.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { familyChild } from './access.ts';
import { JoinRefused } from './invitations.ts';

/*
 * Getting in: the school invites a parent or carer (email or letter), the parent joins with the code
 * (a new account or one they have), the school ends access. Runs on PGlite and, with DATABASE_URL, on
 * PostgreSQL.
 */
const world = useWorld();
const PASSWORD = 'copper kettle rainy orbit';
let n = 0;
const client = () => ({ address: `203.0.113.${++n}` });

async function codeOfLatestInvitationMail(to: string): Promise<string> {
  const [mail] = await world.database.db
    .select({ body: outboundMail.body })
    .from(outboundMail)
    .where(and(eq(outboundMail.toAddress, to), eq(outboundMail.kind, 'family.invited')))
    .orderBy(desc(outboundMail.createdAt))
    .limit(1);
  const code = mail && /\/join\?code=([A-Z0-9]{10})/.exec(mail.body)?.[1];
  if (!code) throw new Error(`No invitation went to ${to}`);
  return code;
}

async function newChild(forename = 'Nia') {
  const { w, database } = world;
  const pupil = await buildPupil(database.db, {
    schoolId: w.school.id,
    classId: w.classA.id,
    forename,
    stage: 'sen_support',
    primaryNeed: 'SLCN',
  });
  const mother = await buildParent(database.db, pupil, {
    name: `Mum of ${forename}`,
    email: `mum.${forename.toLowerCase()}.${++n}@families.example`,
  });
  const father = await buildParent(database.db, pupil, {
    name: `Dad of ${forename}`,
    relationship: 'Father',
    email: `dad.${forename.toLowerCase()}.${++n}@families.example`,
  });
  return { pupil, mother, father };
}

/** The office changes a parent's parental responsibility or court order on their details. */
async function changeParentalStanding(
  pupilId: string,
  parentId: string,
  standing: { parentalResponsibility: boolean; courtOrder: boolean },
) {
  const { services, w, database } = world;
  const [carer] = await database.db.select().from(parentCarer).where(eq(parentCarer.id, parentId));
  await services.pupils.updateParent(w.office.actor, pupilId, parentId, carer!.version, {
    name: carer!.name,
    relationship: carer!.relationship,
    phone: carer!.phone,
    email: carer!.email,
    ...standing,
  });
}

/** The parent reads the sign-in code from her mail and types it: only then is the child linked. */
async function enterMailedCode(challengeToken: string, email: string, address = client().address) {
  const entered = await world.services.auth.enterCode(
    { challengeToken, code: await latestSignInCode(world.database, email), address, device: 'Firefox' },
    `r-code-${++n}`,
  );
  if (!entered.ok) throw new Error(`The code mailed to ${email} did not open the sign-in`);
  return entered;
}

/** A new child whose mother was invited by letter and joined with a new account: her actor, signed in. */
async function joinedMother(forename: string) {
  const { services, w, database } = world;
  const { pupil, mother, father } = await newChild(forename);
  const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
    method: 'letter',
  });
  const { challengeToken } = await services.familyInvitations.joinNewAccount(
    { code: sent.code!, name: `${forename} Mum`, email: mother.email, password: PASSWORD },
    client(),
    `r-${forename.toLowerCase()}`,
  );
  await enterMailedCode(challengeToken, mother.email);
  const [user] = await database.db
    .select()
    .from(appUser)
    .where(eq(appUser.email, mother.email.toLowerCase()));
  return { pupil, mother, father, mum: parentActor(user!.id, mother.email) };
}

async function failures(requestId: string) {
  return world.database.db
    .select({ schoolId: auditEvent.schoolId, detail: auditEvent.detail })
    .from(auditEvent)
    .where(and(eq(auditEvent.requestId, requestId), eq(auditEvent.action, 'family.join_failed')));
}

async function refused(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JoinRefused);
  expect((error as Error).message).toBe(JOIN_CODE_REFUSED);
}

const parentActor = (userId: string, email: string): Actor => ({
  kind: 'parent',
  userId,
  name: 'A parent',
  email,
  roles: ['parent'],
  schoolId: null,
  organisationId: null,
  requestId: `test-${++n}`,
});

describe('inviting a parent or carer', () => {
  it('by email: one mail through the outbox to the record’s address, naming no child, with the carer on the row', async () => {
    const { services, w, database } = world;
    const { pupil, mother } = await newChild('Ffion');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'email',
    });
    expect(sent.code).toBeNull();
    const [mail] = await database.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.toAddress, mother.email.toLowerCase()));
    expect(mail).toMatchObject({ kind: 'family.invited', parentCarerId: mother.id, schoolId: w.school.id });
    expect(mail!.body).toContain('Oakfield Primary');
    expect(mail!.body).not.toContain('Ffion');
    const [row] = await database.db
      .select()
      .from(parentInvitation)
      .where(eq(parentInvitation.id, sent.invitationId));
    expect(row).toMatchObject({
      method: 'email',
      email: mother.email.toLowerCase(),
      createdBy: w.office.actor.userId,
    });
    // The code is stored only as its hash.
    const code = await codeOfLatestInvitationMail(mother.email.toLowerCase());
    expect(row!.codeHash).not.toContain(code);
    const audited = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'family.invited'), eq(auditEvent.pupilId, pupil.id)));
    expect(audited).toHaveLength(1);
  });

  it('to an address the school types instead', async () => {
    const { services, w, database } = world;
    const { pupil, father } = await newChild('Gwil');
    await services.familyInvitations.invite(w.senco.actor, pupil.id, father.id, {
      method: 'email',
      email: 'Dad.New@Families.Example',
    });
    const rows = await database.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.toAddress, 'dad.new@families.example'));
    expect(rows).toHaveLength(1);
  });

  it('on a printed letter: the code comes back once, and the letter holds it, the school, /join and the days', async () => {
    const { services, w } = world;
    const { pupil, mother } = await newChild('Hari');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    expect(sent.code).toMatch(/^[A-Z0-9]{10}$/);
    const letter = await services.familyInvitations.invitationLetter(
      w.office.actor,
      pupil.id,
      mother.id,
      sent.invitationId,
      sent.code!,
    );
    const { text, info } = readPdf(await invitationLetterPdf(letter));
    expect(text).toContain(`${sent.code!.slice(0, 5)}-${sent.code!.slice(5)}`);
    expect(text).toContain('Oakfield Primary');
    expect(text).toContain('/join');
    expect(text).toContain('14 days');
    expect(text).toContain('You do not have to use');
    expect(text).not.toContain(pupil.surname);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    // Another code, or the letter of another carer: not found.
    await expect(
      services.familyInvitations.invitationLetter(
        w.office.actor,
        pupil.id,
        mother.id,
        sent.invitationId,
        'ABCDEFGHJK',
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a new invitation ends the old one: the old code no longer works', async () => {
    const { services, w } = world;
    const { pupil, mother } = await newChild('Iolo');
    const first = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const second = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    await refused(services.familyInvitations.checkCode(first.code!, client(), 'r-old'));
    expect(await services.familyInvitations.checkCode(second.code!, client(), 'r-new')).toMatchObject({
      schoolName: 'Oakfield Primary',
      childFirstName: 'Iolo',
    });
  });

  it('refuses a carer without parental responsibility, or with a court order, and audits the refusal', async () => {
    const { services, w, database } = world;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id, forename: 'Jac' });
    const noPr = await buildParent(database.db, pupil, {
      name: 'Step Parent',
      parentalResponsibility: false,
    });
    const order = await buildParent(database.db, pupil, { name: 'Court Parent', courtOrder: true });
    for (const carer of [noPr, order]) {
      await expect(
        services.familyInvitations.invite(w.office.actor, pupil.id, carer.id, { method: 'letter' }),
      ).rejects.toBeInstanceOf(ForbiddenError);
      await expect(
        services.familyInvitations.inviteForm(w.office.actor, pupil.id, carer.id),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    const invitations = await database.db
      .select()
      .from(parentInvitation)
      .where(eq(parentInvitation.pupilId, pupil.id));
    expect(invitations).toHaveLength(0);
    const refusals = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.userId, w.office.actor.userId), eq(auditEvent.action, 'access.refused')));
    // Each refusal names what was missing.
    expect(refusals.length).toBeGreaterThanOrEqual(4);
  });

  it('refuses an email already linked to a parent of another family at the school; a brother’s or sister’s parent is the same family', async () => {
    const { services, w, database } = world;
    const { pupil, mother } = await newChild('Kai');
    // Kasia (Kit's mother) has an account: her address typed for Kai's mother is another family.
    await expect(
      services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
        method: 'email',
        email: w.parent.email,
      }),
    ).rejects.toThrow(/another family/);
    // Kit's brother: his mother is Kasia, recorded under the same name: the same family.
    const brother = await buildPupil(database.db, { schoolId: w.school.id, forename: 'Kuba' });
    const kasiaAgain = await buildParent(database.db, brother, {
      name: 'Kasia Kowalski',
      email: w.parent.email,
    });
    const sent = await services.familyInvitations.invite(w.office.actor, brother.id, kasiaAgain.id, {
      method: 'email',
    });
    expect(sent.email).toBe(w.parent.email);
  });

  it('is not found for staff who may not change the pupil’s details, and for another school’s staff', async () => {
    const { services, w } = world;
    const { pupil, mother } = await newChild('Lowri');
    for (const actor of [w.teacherA.actor, w.ta.actor, w.governor.actor, w.otherSenco.actor]) {
      await expect(
        services.familyInvitations.invite(actor, pupil.id, mother.id, { method: 'letter' }),
      ).rejects.toSatisfy((e) => e instanceof NotFoundError || e instanceof ForbiddenError);
      await expect(services.familyInvitations.endAccess(actor, pupil.id, mother.id)).rejects.toSatisfy(
        (e) => e instanceof NotFoundError || e instanceof ForbiddenError,
      );
    }
    // A carer of another pupil named with this pupil's id: not found.
    await expect(
      services.familyInvitations.invite(w.office.actor, pupil.id, w.parentK.id, { method: 'letter' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      services.familyInvitations.invite(w.otherSenco.actor, w.otherPupil.id, mother.id, { method: 'letter' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('joining with a code', () => {
  it('a new account: made, linked (by the inviter), the code used, joined on the school’s trail; the first sign-in asks for the code by email', async () => {
    const { services, w, database } = world;
    const { pupil, mother } = await newChild('Mali');
    await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, { method: 'email' });
    const code = await codeOfLatestInvitationMail(mother.email.toLowerCase());
    const shown = await services.familyInvitations.checkCode(code.toLowerCase(), client(), 'r1');
    expect(shown).toEqual({
      schoolName: 'Oakfield Primary',
      childFirstName: 'Mali',
      method: 'email',
      email: mother.email.toLowerCase(),
    });
    const address = client();
    const { challengeToken } = await services.familyInvitations.joinNewAccount(
      {
        code: `${code.slice(0, 5)}-${code.slice(5)}`,
        name: 'Mali’s Mum',
        email: mother.email,
        password: PASSWORD,
      },
      address,
      'r-join',
    );
    const accountOf = async () =>
      (await database.db.select().from(appUser).where(eq(appUser.email, mother.email.toLowerCase())))[0];
    const invitationOf = async () =>
      (
        await database.db.select().from(parentInvitation).where(eq(parentInvitation.parentCarerId, mother.id))
      )[0];
    const linksOfChild = () =>
      database.db.select().from(parentAccount).where(eq(parentAccount.pupilId, pupil.id));
    // No account is made and nothing linked until the code sent to the email is right: an address
    // typed wrongly, or someone else's, is held by nobody and reaches no child.
    expect(await accountOf()).toBeUndefined();
    expect(await linksOfChild()).toEqual([]);
    expect(await invitationOf()).toMatchObject({ usedBy: null });
    // A wrong code makes nothing either.
    expect(
      await services.auth.enterCode(
        { challengeToken, code: '000000', address: address.address, device: 'Firefox' },
        'r-wrong-code',
      ),
    ).toMatchObject({ ok: false, reason: 'wrong' });
    expect(await accountOf()).toBeUndefined();
    // The code sent to the email makes the account, opens the session, and links the child.
    const entered = await services.auth.enterCode(
      {
        challengeToken,
        code: await latestSignInCode(database, mother.email),
        address: address.address,
        device: 'Firefox',
      },
      'r-code',
    );
    expect(entered).toMatchObject({ ok: true, returnTo: '/children', joinRefused: false });
    const user = await accountOf();
    expect(user).toMatchObject({ name: 'Mali’s Mum' });
    expect(await linksOfChild()).toEqual([
      expect.objectContaining({
        userId: user!.id,
        parentCarerId: mother.id,
        linkedBy: w.office.actor.userId,
      }),
    ]);
    expect(await invitationOf()).toMatchObject({ usedBy: user!.id });
    const [joined] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'family.joined'), eq(auditEvent.userId, user!.id)));
    expect(joined).toMatchObject({ schoolId: w.school.id, pupilId: pupil.id, requestId: 'r-code' });
    expect(joined!.detail).toMatchObject({ newAccount: true });
    const child = await familyChild(database.db, parentActor(user!.id, mother.email), pupil.id);
    expect(child.pupil.id).toBe(pupil.id);
    // The code is used: the same code again is refused.
    await refused(services.familyInvitations.checkCode(code, client(), 'r-again'));
  });

  it('an email typed wrongly reaches no child: the invitation waits for the right address', async () => {
    const { services, w, database } = world;
    const { pupil, mother } = await newChild('Magda');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const typo = `magda.mum.typo.${++n}@families.example`;
    await services.familyInvitations.joinNewAccount(
      { code: sent.code!, name: 'Magda Mum', email: typo, password: PASSWORD },
      client(),
      'r-typo',
    );
    // Whoever owns the mistyped address has a sign-in code, but no child: the code was never entered
    // by the mother, and the invitation is still hers.
    expect(await database.db.select().from(parentAccount).where(eq(parentAccount.pupilId, pupil.id))).toEqual(
      [],
    );
    const again = await services.familyInvitations.joinNewAccount(
      { code: sent.code!, name: 'Magda Mum', email: mother.email, password: PASSWORD },
      client(),
      'r-right',
    );
    await enterMailedCode(again.challengeToken, mother.email);
    const [right] = await database.db
      .select()
      .from(appUser)
      .where(eq(appUser.email, mother.email.toLowerCase()));
    const links = await database.db.select().from(parentAccount).where(eq(parentAccount.pupilId, pupil.id));
    expect(links.map((l) => l.userId)).toEqual([right!.id]);
  });

  it('an invitation ended before the code is entered: signed in, nothing linked, the refusal audited', async () => {
    const { services, w, database } = world;
    const { pupil, mother } = await newChild('Lowri');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const { challengeToken } = await services.familyInvitations.joinNewAccount(
      { code: sent.code!, name: 'Lowri Mum', email: mother.email, password: PASSWORD },
      client(),
      'r-join-ended',
    );
    await services.familyInvitations.endAccess(w.office.actor, pupil.id, mother.id);
    const code = await latestSignInCode(database, mother.email);
    const entered = await services.auth.enterCode(
      { challengeToken, code, address: client().address, device: 'Firefox' },
      'r-code-ended',
    );
    expect(entered).toMatchObject({ ok: true, joinRefused: true });
    expect(await database.db.select().from(parentAccount).where(eq(parentAccount.pupilId, pupil.id))).toEqual(
      [],
    );
    expect(await failures('r-code-ended')).toEqual([{ schoolId: w.school.id, detail: { reason: 'ended' } }]);
  });

  it('an existing account at another school: the same account reaches both children', async () => {
    const { services, w, database } = world;
    // Kasia's second child is at Elsewhere Primary.
    const otto = w.otherPupil;
    const kasiaThere = await buildParent(database.db, otto, {
      name: 'Kasia Kowalski',
      email: w.parent.email,
    });
    const sent = await services.familyInvitations.invite(w.otherSenco.actor, otto.id, kasiaThere.id, {
      method: 'letter',
    });
    const result = await services.familyInvitations.joinWithAccount(
      { code: sent.code!, email: w.parent.email, password: TEST_PASSWORD },
      client(),
      'r-existing',
    );
    // The password is right, and a code goes to the account's email even on a remembered device: the
    // child is linked when it is entered.
    if (result.ok || !result.codeSent) throw new Error('Joining with an account did not ask for the code');
    expect(await database.db.select().from(parentAccount).where(eq(parentAccount.pupilId, otto.id))).toEqual(
      [],
    );
    await enterMailedCode(result.challengeToken, w.parent.email);
    const links = await database.db
      .select()
      .from(parentAccount)
      .where(eq(parentAccount.userId, w.parent.actor.userId));
    expect(new Set(links.map((l) => l.pupilId))).toEqual(new Set([w.pupilK.id, otto.id]));
    expect((await familyChild(database.db, w.parent.actor, otto.id)).schoolName).toBe('Elsewhere Primary');
    expect((await familyChild(database.db, w.parent.actor, w.pupilK.id)).schoolName).toBe('Oakfield Primary');
  });

  it('a signed-in parent links a child to the account they are using', async () => {
    const { services, w, database } = world;
    const { pupil, mother } = await newChild('Nel');
    // The same mother (the same name on the school's record), already linked to Nel's sister.
    const sister = await newChild('Nerys');
    await database.db
      .update(parentCarer)
      .set({ name: mother.name })
      .where(eq(parentCarer.id, sister.mother.id));
    const account = await buildParentAccount(database.db, [{ ...sister.mother, pupilId: sister.pupil.id }], {
      email: `signed.in.${++n}@families.example`,
    });
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    expect(await services.familyInvitations.joinSignedIn(account.actor, sent.code!, client())).toMatchObject({
      childFirstName: 'Nel',
    });
    expect((await familyChild(database.db, account.actor, pupil.id)).pupil.id).toBe(pupil.id);
  });

  it('a code used by an account already linked to another family at the school is refused, and links nothing', async () => {
    const { services, w, database } = world;
    const first = await newChild('Osian');
    const other = await newChild('Owain');
    const account = await buildParentAccount(database.db, [{ ...first.mother, pupilId: first.pupil.id }], {
      email: `shared.${++n}@families.example`,
    });
    const sent = await services.familyInvitations.invite(w.office.actor, other.pupil.id, other.mother.id, {
      method: 'letter',
    });
    await expect(
      services.familyInvitations.joinSignedIn(account.actor, sent.code!, client()),
    ).rejects.toBeInstanceOf(JoinRefused);
    await expect(familyChild(database.db, account.actor, other.pupil.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('an emailed invitation to an address another family’s invitation is waiting for is refused', async () => {
    const { services, w } = world;
    const first = await newChild('Peris');
    const other = await newChild('Pedr');
    const email = `waiting.${++n}@families.example`;
    await services.familyInvitations.invite(w.office.actor, first.pupil.id, first.mother.id, {
      method: 'email',
      email,
    });
    await expect(
      services.familyInvitations.invite(w.office.actor, other.pupil.id, other.mother.id, {
        method: 'email',
        email,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('removing a parent or carer with an invitation waiting and a change of details waiting removes both with the record', async () => {
    const { services, w, database } = world;
    const { pupil, mother } = await newChild('Rhodri');
    await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, { method: 'letter' });
    await services.pupils.removeParent(w.senco.actor, pupil.id, mother.id);
    expect(
      await database.db.select().from(parentInvitation).where(eq(parentInvitation.parentCarerId, mother.id)),
    ).toEqual([]);
  });

  it('separated parents: each joins with their own account and sees the child; ending one leaves the other', async () => {
    const { services, w, database } = world;
    const { pupil, mother, father } = await newChild('Osian');
    const ids: Record<string, string> = {};
    for (const carer of [mother, father]) {
      const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, carer.id, {
        method: 'letter',
      });
      const { challengeToken } = await services.familyInvitations.joinNewAccount(
        { code: sent.code!, name: carer.name, email: carer.email, password: PASSWORD },
        client(),
        `r-${carer.id}`,
      );
      await enterMailedCode(challengeToken, carer.email);
      const [user] = await database.db
        .select()
        .from(appUser)
        .where(eq(appUser.email, carer.email.toLowerCase()));
      ids[carer.id] = user!.id;
    }
    expect(ids[mother.id]).not.toBe(ids[father.id]);
    const mum = parentActor(ids[mother.id]!, mother.email);
    const dad = parentActor(ids[father.id]!, father.email);
    expect((await familyChild(database.db, mum, pupil.id)).carers.map((c) => c.id)).toEqual([mother.id]);
    expect((await familyChild(database.db, dad, pupil.id)).carers.map((c) => c.id)).toEqual([father.id]);
    await services.familyInvitations.endAccess(w.office.actor, pupil.id, father.id);
    await expect(familyChild(database.db, dad, pupil.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await familyChild(database.db, mum, pupil.id)).pupil.id).toBe(pupil.id);
    const page = await services.familyInvitations.familyAccess(w.senco.actor, pupil.id);
    const dadRow = page.carers.find((c) => c.id === father.id)!;
    expect(dadRow.live).toBeNull();
    expect(dadRow.links[0]!.endedAt).not.toBeNull();
    expect(page.carers.find((c) => c.id === mother.id)!.live).not.toBeNull();
  });

  it('an email that already has an account: no new account, the same answer, and a mail asking its owner to sign in', async () => {
    const { services, w, database } = world;
    const { pupil, mother } = await newChild('Pryd');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const before = await database.db.select().from(appUser);
    const answer = await services.familyInvitations.joinNewAccount(
      { code: sent.code!, name: 'Anyone', email: w.senco.email, password: PASSWORD },
      client(),
      'r-exists',
    );
    expect(Object.keys(answer)).toEqual(['challengeToken']);
    expect(await database.db.select().from(appUser)).toHaveLength(before.length);
    const [mail] = await database.db
      .select()
      .from(outboundMail)
      .where(and(eq(outboundMail.toAddress, w.senco.email), eq(outboundMail.kind, 'family.account_exists')));
    expect(mail!.body).toContain('sign in');
    // The mail carries no code: the owner of an address someone typed is not thereby the invited parent.
    expect(mail!.body.replace(/[^A-Z0-9]/g, '')).not.toContain(sent.code!.replace(/[^A-Z0-9]/g, ''));
    // The invitation still works for the right person.
    expect(await services.familyInvitations.checkCode(sent.code!, client(), 'r-still')).toMatchObject({
      childFirstName: 'Pryd',
    });
    // The challenge opens nothing, and answers a wrong code as a real one does (counting the tries), so
    // the code page does not tell whether the address has an account.
    for (const triesLeft of [4, 3, 2, 1])
      expect(
        await services.auth.enterCode(
          { challengeToken: answer.challengeToken, code: '123456', address: '192.0.2.1', device: 'x' },
          'r-c',
        ),
      ).toEqual({ ok: false, reason: 'wrong', triesLeft });
  });

  it('a password easy to guess is refused before anything is made', async () => {
    const { services, w, database } = world;
    const { pupil, mother } = await newChild('Rhys');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    await expect(
      services.familyInvitations.joinNewAccount(
        { code: sent.code!, name: 'Rhys Mum', email: mother.email, password: 'password1234' },
        client(),
        'r-weak',
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(
      await database.db.select().from(appUser).where(eq(appUser.email, mother.email.toLowerCase())),
    ).toHaveLength(0);
  });
});

describe('codes that do not work', () => {
  it('mistyped, unknown, used, expired, withdrawn: the same message, each refusal audited (the school’s trail when known)', async () => {
    const { services, w, database } = world;
    const { pupil, mother, father } = await newChild('Sion');
    const used = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const joining = await services.familyInvitations.joinNewAccount(
      { code: used.code!, name: 'Sion Mum', email: mother.email, password: PASSWORD },
      client(),
      'r-use',
    );
    await enterMailedCode(joining.challengeToken, mother.email);
    const expired = await services.familyInvitations.invite(w.office.actor, pupil.id, father.id, {
      method: 'letter',
    });
    await database.db
      .update(parentInvitation)
      .set({ expiresAt: new Date('2026-11-01T00:00:00Z') })
      .where(eq(parentInvitation.id, expired.invitationId));
    const cases: [string, string, string | null][] = [
      ['not a code', 'not_a_code', null],
      ['ABCDE-FGHJK', 'no_such_code', null],
      [used.code!, 'used', w.school.id],
      [expired.code!, 'expired', w.school.id],
    ];
    for (const [code, reason, schoolId] of cases) {
      const requestId = `r-bad-${reason}`;
      await refused(services.familyInvitations.checkCode(code, client(), requestId));
      expect(await failures(requestId)).toEqual([{ schoolId, detail: { reason } }]);
    }
    // Withdrawn: the school ended it.
    const ended = await services.familyInvitations.invite(w.office.actor, pupil.id, father.id, {
      method: 'letter',
    });
    await services.familyInvitations.endAccess(w.office.actor, pupil.id, father.id);
    await refused(services.familyInvitations.checkCode(ended.code!, client(), 'r-ended'));
    expect(await failures('r-ended')).toEqual([{ schoolId: w.school.id, detail: { reason: 'ended' } }]);
  });

  it('responsibility removed after the invitation: the code no longer works', async () => {
    const { services, w, database } = world;
    const { pupil, mother } = await newChild('Tali');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    await database.db.update(parentCarer).set({ courtOrder: true }).where(eq(parentCarer.id, mother.id));
    await refused(services.familyInvitations.checkCode(sent.code!, client(), 'r-court'));
    expect(await failures('r-court')).toEqual([
      { schoolId: w.school.id, detail: { reason: 'no_parental_responsibility' } },
    ]);
  });

  it('too many wrong codes from one address pause it, with the same message, even for a right code', async () => {
    const { services, w } = world;
    const { pupil, mother } = await newChild('Uma');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const from = client();
    for (let i = 0; i < JOIN_FAILURES; i++)
      await refused(services.familyInvitations.checkCode('ABCDE-FGHJK', from, `r-wrong-${i}`));
    await refused(services.familyInvitations.checkCode(sent.code!, from, 'r-paused'));
    expect(await failures('r-paused')).toEqual([{ schoolId: null, detail: { reason: 'throttled' } }]);
    // Another address is not paused.
    expect(await services.familyInvitations.checkCode(sent.code!, client(), 'r-other')).toMatchObject({
      childFirstName: 'Uma',
    });
  });

  it('wrong passwords while joining with an account count against the invitation: after five it stops', async () => {
    const { services, w } = world;
    const { pupil, mother } = await newChild('Vida');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    for (let i = 0; i < 5; i++) {
      const result = await services.familyInvitations.joinWithAccount(
        { code: sent.code!, email: w.parent.email, password: `wrong password ${i}` },
        client(),
        `r-pw-${i}`,
      );
      expect(result.ok).toBe(false);
    }
    await refused(services.familyInvitations.checkCode(sent.code!, client(), 'r-stopped'));
    expect(await failures('r-stopped')).toEqual([{ schoolId: w.school.id, detail: { reason: 'stopped' } }]);
  });
});

describe('ending access', () => {
  it('ends the link and the invitation at once: the parent loses the child at the next request', async () => {
    const { services, w, database } = world;
    const { pupil, mother, mum } = await joinedMother('Wyn');
    expect((await familyChild(database.db, mum, pupil.id)).pupil.id).toBe(pupil.id);
    expect(await services.familyInvitations.endAccess(w.head.actor, pupil.id, mother.id)).toBe(mother.name);
    await expect(familyChild(database.db, mum, pupil.id)).rejects.toBeInstanceOf(NotFoundError);
    const [link] = await database.db.select().from(parentAccount).where(eq(parentAccount.userId, mum.userId));
    expect(link!.endedAt).not.toBeNull();
    expect(link!.endedBy).toBe(w.head.actor.userId);
    // Nothing left to end.
    await expect(
      services.familyInvitations.endAccess(w.head.actor, pupil.id, mother.id),
    ).rejects.toBeInstanceOf(ValidationError);
    // Invited again, she joins again with the same account.
    const again = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    await services.familyInvitations.joinSignedIn(mum, again.code!, client());
    expect((await familyChild(database.db, mum, pupil.id)).pupil.id).toBe(pupil.id);
  });

  it('parental responsibility removed while signed in: the next request refuses', async () => {
    const { database } = world;
    const { pupil, mother, mum } = await joinedMother('Ynyr');
    await changeParentalStanding(pupil.id, mother.id, { parentalResponsibility: false, courtOrder: false });
    await expect(familyChild(database.db, mum, pupil.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a court order recorded on the parent’s details ends her access at once and refuses a new invitation', async () => {
    const { services, w, database } = world;
    const { pupil, mother, mum } = await joinedMother('Yestin');
    expect((await familyChild(database.db, mum, pupil.id)).pupil.id).toBe(pupil.id);
    await changeParentalStanding(pupil.id, mother.id, { parentalResponsibility: true, courtOrder: true });
    await expect(familyChild(database.db, mum, pupil.id)).rejects.toBeInstanceOf(NotFoundError);
    const [changed] = await database.db
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.pupilId, pupil.id), eq(auditEvent.action, 'pupil.parent_changed')));
    expect(JSON.stringify(changed!.detail)).toContain('Court order');
    await expect(
      services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, { method: 'letter' }),
    ).rejects.toThrow(/court order is recorded/);
    // Her link is ended, not hidden: the family page says so, and clearing the order later gives nothing
    // back without a new invitation.
    const page = await services.familyInvitations.familyAccess(w.office.actor, pupil.id);
    const row = page.carers.find((c) => c.id === mother.id)!;
    expect(row.live).toBeNull();
    expect(row.links[0]!.endedAt).not.toBeNull();
    await changeParentalStanding(pupil.id, mother.id, { parentalResponsibility: true, courtOrder: false });
    await expect(familyChild(database.db, mum, pupil.id)).rejects.toBeInstanceOf(NotFoundError);
    const [ended] = await database.db
      .select({ detail: auditEvent.detail })
      .from(auditEvent)
      .where(and(eq(auditEvent.pupilId, pupil.id), eq(auditEvent.action, 'family.access_ended')));
    expect(ended!.detail).toMatchObject({ parentId: mother.id, accountsEnded: 1, reason: 'court_order' });
  });

  it('the family page lists each carer, their invitations and links, and the read receipts', async () => {
    const { services, w, database } = world;
    await insertAuditEvents(database.db, [
      {
        schoolId: w.school.id,
        userId: w.parent.actor.userId,
        role: 'parent',
        action: 'family.read',
        pupilId: w.pupilK.id,
        detail: { record: 'letter', id: '00000000-0000-4000-8000-000000000001' },
      },
    ]);
    const page = await services.familyInvitations.familyAccess(w.office.actor, w.pupilK.id);
    const kasia = page.carers.find((c) => c.id === w.parentK.id)!;
    expect(kasia.live?.accountEmail).toBe(w.parent.email);
    expect(kasia.mayEnd).toBe(true);
    expect(page.readReceipts[0]).toMatchObject({ who: 'Kasia Kowalski', record: 'A letter' });
    // Without a mail server parents get no sign-in code: the page says so; with one, it does not.
    expect(page.mailServer).toBe(false);
    const withServer = testServices(world.database, {
      mail: { publicUrl: 'https://opensend.example', jobsQueued: () => {}, serverSetUp: true },
    });
    expect((await withServer.familyInvitations.familyAccess(w.office.actor, w.pupilK.id)).mailServer).toBe(
      true,
    );
    // A teacher reads it, changes nothing.
    const teacherView = await services.familyInvitations.familyAccess(w.teacherA.actor, w.pupilK.id);
    expect(teacherView.carers.every((c) => !c.mayInvite && !c.mayEnd)).toBe(true);
    await expect(
      services.familyInvitations.familyAccess(w.otherSenco.actor, w.pupilK.id),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('what a stranger holding a code cannot do', () => {
  it('take an address: no account is made for an email until its code is typed, so the school can still add it as staff', async () => {
    const { services, w, database } = world;
    const { pupil, mother } = await newChild('Tomos');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const target = `new.senco.${++n}@oakfield.example`;
    await services.familyInvitations.joinNewAccount(
      { code: sent.code!, name: 'New Teacher', email: target, password: 'attacker chosen pass 9271' },
      client(),
      'r-squat',
    );
    expect(await database.db.select().from(appUser).where(eq(appUser.email, target))).toEqual([]);
    // The stranger's password opens nothing.
    expect(
      await services.auth.signIn(
        { email: target, password: 'attacker chosen pass 9271', address: client().address },
        'r-squat-sign-in',
      ),
    ).toEqual({ ok: false });
    // And joining "with an account" answers the same for that address as for any other.
    const asIfExisting = await services.familyInvitations.joinWithAccount(
      { code: sent.code!, email: target, password: 'attacker chosen pass 9271' },
      client(),
      'r-oracle-new',
    );
    const staffAddress = await services.familyInvitations.joinWithAccount(
      { code: sent.code!, email: w.senco.email, password: 'attacker chosen pass 9271' },
      client(),
      'r-oracle-staff',
    );
    expect(asIfExisting).toEqual({ ok: false });
    expect(staffAddress).toEqual({ ok: false });
    // The school adds the address as staff: a new account, not an invitation to the stranger's.
    const added = await services.staff.add(w.senco.actor, {
      name: 'New Teacher',
      email: target,
      roles: ['class_teacher'],
      password: 'a password the school chose 4417',
    });
    expect(added).toBeTruthy();
    expect(
      await services.auth.signIn(
        { email: target, password: 'attacker chosen pass 9271', address: client().address },
        'r-squat-after',
      ),
    ).toEqual({ ok: false });
  });

  it('send codes to any number of addresses: each new account asked for is a try, and after five the code stops', async () => {
    const { services, w } = world;
    const { pupil, mother } = await newChild('Ffion');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    for (let i = 0; i < 5; i++)
      await services.familyInvitations.joinNewAccount(
        { code: sent.code!, name: 'Someone', email: `spray.${i}.${++n}@example.org`, password: PASSWORD },
        client(),
        `r-spray-${i}`,
      );
    await refused(services.familyInvitations.checkCode(sent.code!, client(), 'r-spray-stopped'));
    // Many at the same moment take no more than the five tries between them.
    const { pupil: other, mother: otherMother } = await newChild('Ffion');
    const again = await services.familyInvitations.invite(w.office.actor, other.id, otherMother.id, {
      method: 'letter',
    });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        services.familyInvitations.joinNewAccount(
          { code: again.code!, name: 'Someone', email: `burst.${i}.${++n}@example.org`, password: PASSWORD },
          client(),
          `r-burst-${i}`,
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'rejected').every((r) => r.reason instanceof JoinRefused)).toBe(
      true,
    );
    expect(await failures('r-spray-stopped')).toEqual([
      { schoolId: w.school.id, detail: { reason: 'stopped' } },
    ]);
  });

  it('put someone else’s name on the trail: a failed join names no account the stranger typed', async () => {
    const { services, w } = world;
    const { pupil, mother } = await newChild('Gwen');
    const sent = await services.familyInvitations.invite(w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    await services.familyInvitations.joinNewAccount(
      { code: sent.code!, name: 'Anyone', email: w.senco.email, password: PASSWORD },
      client(),
      'r-plant-new',
    );
    await services.familyInvitations.joinWithAccount(
      { code: sent.code!, email: w.head.email, password: 'not the head’s password' },
      client(),
      'r-plant-sign-in',
    );
    for (const requestId of ['r-plant-new', 'r-plant-sign-in']) {
      const rows = await world.database.db
        .select({ userId: auditEvent.userId })
        .from(auditEvent)
        .where(and(eq(auditEvent.requestId, requestId), eq(auditEvent.action, 'family.join_failed')));
      expect(rows.length, requestId).toBeGreaterThan(0);
      expect(
        rows.every((r) => r.userId === null),
        requestId,
      ).toBe(true);
    }
  });

  it('give one account both parents’ records of a child: the other parent’s code is refused', async () => {
    const { services, w, database } = world;
    const { pupil, mother, father, mum } = await joinedMother('Hafwen');
    const fathers = await services.familyInvitations.invite(w.office.actor, pupil.id, father.id, {
      method: 'letter',
    });
    await refused(services.familyInvitations.joinSignedIn(mum, fathers.code!, client()));
    const links = await database.db.select().from(parentAccount).where(eq(parentAccount.pupilId, pupil.id));
    expect(links.map((l) => l.parentCarerId)).toEqual([mother.id]);
    // The father's invitation still waits for him.
    expect(await services.familyInvitations.checkCode(fathers.code!, client(), 'r-his')).toMatchObject({
      childFirstName: 'Hafwen',
    });
  });
});
