import { and, desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildParent, buildPupil } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { latestSignInCode } from '../../../../test/sign-in-code.ts';
import { appUser, outboundMail, parentAccount } from '../../../db/schema/index.ts';
import { JOIN_CODE_REFUSED } from '../../../domain/family-invitations.ts';
import { JoinRefused } from '../../../services/family/invitations.ts';

const t = useApp();
const PASSWORD = 'copper kettle rainy orbit';
let n = 0;
const escaped = (s: string) => s.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;');

async function child(forename: string) {
  const pupil = await buildPupil(t.database.db, {
    schoolId: t.w.school.id,
    classId: t.w.classA.id,
    forename,
    stage: 'sen_support',
    primaryNeed: 'SLCN',
  });
  const mother = await buildParent(t.database.db, pupil, {
    name: `Parent ${forename}`,
    email: `parent.${forename.toLowerCase()}.${++n}@families.example`,
  });
  return { pupil, mother };
}

async function office() {
  const client = new Client(t.app);
  await client.signIn(t.w.office.email);
  return client;
}

async function emailedCode(to: string) {
  const [mail] = await t.database.db
    .select({ body: outboundMail.body })
    .from(outboundMail)
    .where(and(eq(outboundMail.toAddress, to.toLowerCase()), eq(outboundMail.kind, 'family.invited')))
    .orderBy(desc(outboundMail.createdAt))
    .limit(1);
  return /\/join\?code=([A-Z0-9]{10})/.exec(mail!.body)![1]!;
}

describe('the school invites a parent', () => {
  it('from the pupil’s page: an invite link per carer with responsibility; none for one without or with a court order', async () => {
    const { pupil, mother } = await child('Aled');
    const stepParent = await buildParent(t.database.db, pupil, {
      name: 'Step Aled',
      parentalResponsibility: false,
    });
    const ordered = await buildParent(t.database.db, pupil, { name: 'Order Aled', courtOrder: true });
    const staff = await office();
    const page = await staff.get(`/pupils/${pupil.id}`);
    expect(page.body).toContain(`/pupils/${pupil.id}/parents/${mother.id}/invite`);
    expect(page.body).not.toContain(`/parents/${stepParent.id}/invite`);
    expect(page.body).not.toContain(`/parents/${ordered.id}/invite`);
    expect(page.body).toContain(`/pupils/${pupil.id}/family`);
    expect((await staff.get(`/pupils/${pupil.id}/parents/${stepParent.id}/invite`)).statusCode).toBe(403);
    await staff.get(`/pupils/${pupil.id}/parents/${mother.id}/invite`);
    expect(
      (await staff.post(`/pupils/${pupil.id}/parents/${ordered.id}/invite`, { method: 'letter' })).statusCode,
    ).toBe(403);
    // A teacher sees the pupil but no invite link.
    const teacher = new Client(t.app);
    await teacher.signIn(t.w.teacherA.email);
    expect((await teacher.get(`/pupils/${pupil.id}`)).body).not.toContain('/invite');
  });

  it('by email: the form goes to the family page with a message; bad input keeps what was typed', async () => {
    const { pupil, mother } = await child('Bethan');
    const staff = await office();
    const form = await staff.get(`/pupils/${pupil.id}/parents/${mother.id}/invite`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(mother.email);
    const bad = await staff.post(`/pupils/${pupil.id}/parents/${mother.id}/invite`, {
      method: 'email',
      email: 'not an email',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('There is a problem');
    expect(bad.body).toContain('value="not an email"');
    const sent = await staff.post(`/pupils/${pupil.id}/parents/${mother.id}/invite`, {
      method: 'email',
      email: '',
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/pupils/${pupil.id}/family`);
    const family = await staff.get(`/pupils/${pupil.id}/family`);
    expect(family.body).toContain(`By email to ${mother.email}`);
    expect(family.body).toContain('Not used yet');
    // The test app has no mail server: the page says parents cannot sign in until there is one.
    expect(family.body).toContain('No mail server is set up, so parents cannot sign in yet');
  });

  it('on a letter: the browser that made it prints the PDF; no other can, and the code is kept nowhere', async () => {
    const { pupil, mother } = await child('Cai');
    const staff = await office();
    await staff.get(`/pupils/${pupil.id}/parents/${mother.id}/invite`);
    const made = await staff.post(`/pupils/${pupil.id}/parents/${mother.id}/invite`, { method: 'letter' });
    expect(made.statusCode).toBe(303);
    const page = await staff.get(made.headers.location as string);
    expect(page.statusCode).toBe(200);
    const href = /href="(\/pupils\/[^"]+\/letter\.pdf)"/.exec(page.body)![1]!;
    const pdf = await staff.get(href);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    // Another member of staff's browser holds no code: the letter cannot be printed there.
    const other = new Client(t.app);
    await other.signIn(t.w.senco.email);
    expect((await other.get(href)).statusCode).toBe(404);
    expect((await other.get(made.headers.location as string)).body).toContain('can no longer be printed');
  });
});

describe('/join', () => {
  it('is open signed out; a bad code gets the one message and keeps what was typed', async () => {
    const visitor = new Client(t.app);
    const page = await visitor.get('/join?code=abcde-fghjk');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="abcde-fghjk"');
    const wrong = await visitor.post('/join', { code: 'abcde-fghjk', hasAccount: 'no' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain(escaped(JOIN_CODE_REFUSED).replace(/’/g, '’'));
    expect(wrong.body).toContain('value="abcde-fghjk"');
    const empty = await visitor.post('/join', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter the code from your invitation');
    // A code of the wrong shape (one letter short, a look-alike 0) is told so, and kept.
    const short = await visitor.post('/join', { code: 'ABCDE-FGHJ0', hasAccount: 'no' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('The code has 10 letters and numbers, like ABCDE-FGHJK');
    expect(short.body).toContain('value="ABCDE-FGHJ0"');
  });

  it('a new account from an emailed invitation: the email filled, the code by email, then the child', async () => {
    const { pupil, mother } = await child('Dilys');
    const staff = await office();
    await staff.get(`/pupils/${pupil.id}/parents/${mother.id}/invite`);
    await staff.post(`/pupils/${pupil.id}/parents/${mother.id}/invite`, { method: 'email' });
    const code = await emailedCode(mother.email);
    const parent = new Client(t.app);
    const join = await parent.get(`/join?code=${code}`);
    expect(join.body).toContain(`value="${code}"`);
    const next = await parent.post('/join', { code, hasAccount: 'no' });
    expect(next.statusCode).toBe(200);
    expect(next.body).toContain('Make your account');
    expect(next.body).toContain(`value="${mother.email.toLowerCase()}"`);
    const weak = await parent.post('/join/new-account', {
      code,
      name: 'Parent Dilys',
      email: mother.email,
      password: 'short',
      confirmPassword: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('at least 12 characters');
    expect(weak.body).toContain('value="Parent Dilys"');
    const made = await parent.post('/join/new-account', {
      code,
      name: 'Parent Dilys',
      email: mother.email,
      password: PASSWORD,
      confirmPassword: PASSWORD,
    });
    expect(made.headers.location).toBe('/sign-in/code');
    await parent.get('/sign-in/code');
    const entered = await parent.post('/sign-in/code', {
      code: await latestSignInCode(t.database, mother.email),
    });
    expect(entered.statusCode).toBe(303);
    const landed = await parent.get(entered.headers.location as string);
    expect(landed.headers.location).toBe('/children');
    const list = await parent.get('/children');
    expect(list.body).toContain(`/children/${pupil.id}`);
    // The school sees who joined.
    const family = await staff.get(`/pupils/${pupil.id}/family`);
    expect(family.body).toContain('Live');
  });

  it('an invitation withdrawn before the emailed code is typed: signed in, no child, told why', async () => {
    const { pupil, mother } = await child('Gethin');
    const sent = await t.services.familyInvitations.invite(t.w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const parent = new Client(t.app);
    await parent.get('/join');
    await parent.post('/join', { code: sent.code!, hasAccount: 'no' });
    const made = await parent.post('/join/new-account', {
      code: sent.code!,
      name: 'Parent Gethin',
      email: mother.email,
      password: PASSWORD,
      confirmPassword: PASSWORD,
    });
    expect(made.headers.location).toBe('/sign-in/code');
    await t.services.familyInvitations.endAccess(t.w.office.actor, pupil.id, mother.id);
    await parent.get('/sign-in/code');
    const entered = await parent.post('/sign-in/code', {
      code: await latestSignInCode(t.database, mother.email),
    });
    expect(entered.statusCode).toBe(303);
    let page = await parent.get(entered.headers.location as string);
    while (page.statusCode === 302 || page.statusCode === 303)
      page = await parent.get(page.headers.location as string);
    expect(page.body).toContain('your invitation code stopped working');
    // News to know, not a thing done: the blue "Important" banner, not the green "Success".
    expect(page.body).toMatch(/id="flash-title">\s*Important\s*</);
    expect(page.body).toContain('You have no access to records at the moment');
    expect((await parent.get(`/children/${pupil.id}`)).statusCode).not.toBe(200);
  });

  it('an email that already has an account gets the same page as a new one', async () => {
    const { pupil, mother } = await child('Emrys');
    const sent = await t.services.familyInvitations.invite(t.w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const answers: string[] = [];
    for (const email of [t.w.senco.email, `nobody.${++n}@families.example`]) {
      const visitor = new Client(t.app);
      await visitor.get('/join');
      await visitor.post('/join', { code: sent.code!, hasAccount: 'no' });
      const made = await visitor.post('/join/new-account', {
        code: sent.code!,
        name: 'Someone',
        email,
        password: PASSWORD,
        confirmPassword: PASSWORD,
      });
      expect(made.statusCode).toBe(303);
      const shown = await visitor.get(made.headers.location as string);
      // The page says the address typed back (the visitor's own input): the same words either way.
      answers.push(
        shown.body.replace(/name="_csrf" value="[^"]+"/, '').replaceAll(email.toLowerCase(), 'ADDRESS'),
      );
      if (answers.length === 2) break;
      // The first made no account: the invitation is still there for the second.
    }
    expect(answers[0]).toBe(answers[1]);
    expect(answers[0]).toContain('If you already have an account with that address');
  });

  it('an existing account signs in from the code page and reaches both children', async () => {
    const { pupil, mother } = await child('Ffraid');
    // Kasia is also this child's mother (her sister's name on record is the same person).
    const kasia = await buildParent(t.database.db, pupil, {
      name: 'Kasia Kowalski',
      email: t.w.parent.email,
    });
    void mother;
    const sent = await t.services.familyInvitations.invite(t.w.office.actor, pupil.id, kasia.id, {
      method: 'letter',
    });
    const parent = new Client(t.app);
    await parent.get('/join');
    const form = await parent.post('/join', { code: sent.code!, hasAccount: 'yes' });
    expect(form.body).toContain('Sign in to link Ffraid');
    const wrong = await parent.post('/join/sign-in', {
      code: sent.code!,
      email: t.w.parent.email,
      password: 'not the password at all',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain(`value="${t.w.parent.email}"`);
    const signed = await parent.post('/join/sign-in', {
      code: sent.code!,
      email: t.w.parent.email,
      password: 'correct horse battery staple',
    });
    expect(signed.headers.location).toBe('/sign-in/code');
    await parent.get('/sign-in/code');
    await parent.post('/sign-in/code', { code: await latestSignInCode(t.database, t.w.parent.email) });
    const list = await parent.get('/children');
    expect(list.body).toContain(`/children/${pupil.id}`);
    expect(list.body).toContain(`/children/${t.w.pupilK.id}`);
  });

  it('signed in: confirm, then the child is linked; a second use of the code is refused', async () => {
    const { pupil, mother } = await child('Gethin');
    const [user] = await t.database.db.select().from(appUser).where(eq(appUser.email, t.w.parent.email));
    const mine = await buildParent(t.database.db, pupil, { name: 'Kasia Kowalski', email: t.w.parent.email });
    void mother;
    const sent = await t.services.familyInvitations.invite(t.w.office.actor, pupil.id, mine.id, {
      method: 'letter',
    });
    const parent = new Client(t.app);
    await parent.signIn(t.w.parent.email);
    await parent.get('/join');
    const confirm = await parent.post('/join', { code: sent.code! });
    expect(confirm.body).toContain('Link Gethin to your account');
    const linked = await parent.post('/join/link', { code: sent.code! });
    expect(linked.headers.location).toBe('/children');
    const links = await t.database.db.select().from(parentAccount).where(eq(parentAccount.userId, user!.id));
    expect(links.map((l) => l.pupilId)).toContain(pupil.id);
    await parent.get('/join');
    const again = await parent.post('/join/link', { code: sent.code! });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('That code is not right, or it has expired.');
  });

  it('a member of staff who is also a parent links their child and lands on their children, not a choice', async () => {
    const { pupil } = await child('Idris');
    const mine = await buildParent(t.database.db, pupil, { name: 'Tess Teacher', email: t.w.teacherA.email });
    const sent = await t.services.familyInvitations.invite(t.w.office.actor, pupil.id, mine.id, {
      method: 'letter',
    });
    const teacher = new Client(t.app);
    await teacher.signIn(t.w.teacherA.email);
    await teacher.get('/join');
    await teacher.post('/join', { code: sent.code! });
    const linked = await teacher.post('/join/link', { code: sent.code! });
    expect(linked.headers.location).toBe('/children');
    const children = await teacher.get('/children');
    expect(children.statusCode).toBe(200);
    expect(children.body).toContain(`/children/${pupil.id}`);
    expect(children.body).toContain('Idris is linked to your account.');
  });
});

describe('ending access', () => {
  it('a confirmation, then the signed-in parent’s next page for that child is not found; their other child stays', async () => {
    const { pupil } = await child('Huw');
    // Kasia (Kit's mother) is Huw's mother too: linked with her own account.
    const kasia = await buildParent(t.database.db, pupil, {
      name: 'Kasia Kowalski',
      email: t.w.parent.email,
    });
    const sent = await t.services.familyInvitations.invite(t.w.office.actor, pupil.id, kasia.id, {
      method: 'letter',
    });
    await t.services.familyInvitations.joinSignedIn(t.w.parent.actor, sent.code!, { address: '192.0.2.77' });
    const parent = new Client(t.app);
    await parent.signIn(t.w.parent.email);
    expect((await parent.get(`/children/${pupil.id}`)).statusCode).toBe(200);
    const staff = await office();
    const confirm = await staff.get(`/pupils/${pupil.id}/parents/${kasia.id}/end-access`);
    expect(confirm.body).toContain('End Kasia Kowalski’s access to OpenSEND');
    const ended = await staff.post(`/pupils/${pupil.id}/parents/${kasia.id}/end-access`);
    expect(ended.headers.location).toBe(`/pupils/${pupil.id}/family`);
    expect((await parent.get(`/children/${pupil.id}`)).statusCode).toBe(404);
    expect((await parent.get(`/children/${t.w.pupilK.id}`)).statusCode).toBe(200);
    expect((await parent.get('/children')).body).not.toContain(`/children/${pupil.id}`);
    // Nothing more to end: a clear message.
    await staff.get(`/pupils/${pupil.id}/parents/${kasia.id}/end-access`);
    const twice = await staff.post(`/pupils/${pupil.id}/parents/${kasia.id}/end-access`);
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('has no access to end');
  });

  it('an invitation not yet used is withdrawn, in those words, and its code no longer works', async () => {
    const { pupil, mother } = await child('Hywel');
    const sent = await t.services.familyInvitations.invite(t.w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const staff = await office();
    const family = await staff.get(`/pupils/${pupil.id}/family`);
    expect(family.body).toContain('Withdraw the invitation');
    const confirm = await staff.get(`/pupils/${pupil.id}/parents/${mother.id}/end-access`);
    expect(confirm.body).toContain(`Withdraw ${mother.name}’s invitation to OpenSEND`);
    const done = await staff.post(`/pupils/${pupil.id}/parents/${mother.id}/end-access`);
    expect(done.statusCode).toBe(303);
    await expect(
      t.services.familyInvitations.checkCode(sent.code!, { address: '192.0.2.79', userId: null }, 'r-hywel'),
    ).rejects.toBeInstanceOf(JoinRefused);
  });

  it('a parent whose only child it was loses the child at the next request', async () => {
    const { pupil, mother } = await child('Heledd');
    const sent = await t.services.familyInvitations.invite(t.w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const { challengeToken } = await t.services.familyInvitations.joinNewAccount(
      { code: sent.code!, name: 'Parent Heledd', email: mother.email, password: PASSWORD },
      { address: '192.0.2.78' },
      'r-heledd',
    );
    const code = await latestSignInCode(t.database, mother.email);
    await t.services.auth.enterCode(
      { challengeToken, code, address: '192.0.2.78', device: 'Firefox' },
      'r-heledd-code',
    );
    const parent = new Client(t.app);
    await parent.signIn(mother.email, PASSWORD);
    expect((await parent.get(`/children/${pupil.id}`)).statusCode).toBe(200);
    await t.services.familyInvitations.endAccess(t.w.head.actor, pupil.id, mother.id);
    const next = await parent.get(`/children/${pupil.id}`);
    expect(next.statusCode).not.toBe(200);
    expect(next.body).not.toContain('Heledd');
    // Where she lands says plainly that she has no access, and what she can do: not an empty choice.
    const landing = await parent.get(next.headers.location ?? '/choose');
    expect(landing.statusCode).toBe(200);
    expect(landing.body).toContain('You have no access to records at the moment');
    expect(landing.body).toContain('href="/join"');
    expect(landing.body).not.toContain('Where are you working?');
    expect(landing.body).not.toContain(`/children/${pupil.id}`);
    // The invitation-code page and her account are open to her.
    expect((await parent.get('/join')).statusCode).toBe(200);
    expect((await parent.get('/account')).statusCode).toBe(200);
    // Signed out, she can sign in again with her password (and a code on a new device) and lands on the
    // same plain page: her account is hers, whatever the school ended.
    const again = new Client(t.app);
    await again.signIn(mother.email, PASSWORD);
    const home = await again.get('/choose');
    expect(home.body).toContain('You have no access to records at the moment');
  });

  it('a parent cannot reach the school’s pages', async () => {
    const parent = new Client(t.app);
    await parent.signIn(t.w.parent.email);
    const { pupil, mother } = await child('Ifan');
    for (const url of [
      `/pupils/${t.w.pupilK.id}/family`,
      `/pupils/${pupil.id}/parents/${mother.id}/invite`,
      `/pupils/${t.w.pupilK.id}/parents/${t.w.parentK.id}/end-access`,
    ]) {
      expect([403, 404]).toContain((await parent.get(url)).statusCode);
    }
    expect([403, 404]).toContain(
      (await parent.post(`/pupils/${t.w.pupilK.id}/parents/${t.w.parentK.id}/end-access`)).statusCode,
    );
  });
});

describe('hostile input at /join, signed out', () => {
  it('control characters, very long text and JSON get a clear answer and make nothing', async () => {
    const { pupil, mother } = await child('Jac');
    const sent = await t.services.familyInvitations.invite(t.w.office.actor, pupil.id, mother.id, {
      method: 'letter',
    });
    const before = (await t.database.db.select().from(appUser)).length;
    const visitor = new Client(t.app);
    await visitor.get('/join');
    for (const name of ['Ada\u0000Lovelace', 'x'.repeat(5000), '\u202eevil']) {
      const answer = await visitor.post('/join/new-account', {
        code: sent.code!,
        name,
        email: `hostile.${++n}@families.example`,
        password: PASSWORD,
        confirmPassword: PASSWORD,
      });
      expect(answer.statusCode).toBe(400);
      expect(answer.body).toContain('There is a problem');
    }
    expect((await t.database.db.select().from(appUser)).length).toBe(before);
    // The code still works for the parent.
    expect(
      await t.services.familyInvitations.checkCode(sent.code!, { address: '192.0.2.99' }, 'r-jac'),
    ).toMatchObject({ childFirstName: 'Jac' });
    const json = await t.app.inject({
      method: 'POST',
      url: '/join',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ code: ['x'], hasAccount: { yes: true } }),
    });
    expect(json.statusCode).toBeLessThan(500);
    expect(json.statusCode).not.toBe(200);
    const code = await visitor.post('/join', { code: `${sent.code!}\u0000`, hasAccount: 'no' });
    expect(code.statusCode).toBe(400);
  });
});
