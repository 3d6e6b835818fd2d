import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../../../../test/builders/index.ts';
import { buildParentAccount } from '../../../../test/builders/people.ts';
import { buildParent } from '../../../../test/builders/pupils.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { outboundMail, staffInvitation } from '../../../db/schema/index.ts';

const t = useApp();

describe('answering an invitation to another school', () => {
  it('takes exactly one of its two buttons: an answer sent twice, as a list or not at all is a 400 and leaves it waiting', async () => {
    await t.services.staff.add(t.w.senco.actor, {
      name: 'Olive Other',
      email: t.w.otherSenco.email,
      roles: ['office'],
      password: null,
    });
    const [invitation] = await t.database.db
      .select()
      .from(staffInvitation)
      .where(eq(staffInvitation.email, t.w.otherSenco.email));
    const client = new Client(t.app);
    await client.signIn(t.w.otherSenco.email);
    const account = await client.get('/account');
    const url = `/invitations/${t.w.school.id}/${invitation!.id}`;
    expect(account.body).toContain(`action="${url}"`);
    const answerOf = async () =>
      (await t.database.db.select().from(staffInvitation).where(eq(staffInvitation.id, invitation!.id)))[0]!
        .answer;
    const waiting = await answerOf();
    const sends: Record<string, string | string[]>[] = [
      { answer: ['accept', 'accept'] },
      { answer: ['decline', 'decline'] },
      { answer: 'maybe' },
      {},
    ];
    for (const body of sends) {
      const response = await client.post(url, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.body).toContain(
        'Choose “Join” or “Decline” on your account page to answer the invitation',
      );
      expect(await answerOf(), JSON.stringify(body)).toBe(waiting);
    }
    const declined = await client.post(url, { answer: 'decline' });
    expect(declined.statusCode).toBe(303);
    expect(await answerOf()).toBe('declined');
  });
});

describe('the account page of a parent', () => {
  it('says how they use OpenSEND, with the way to their children, not where they work', async () => {
    const client = new Client(t.app);
    await client.signIn(t.w.parent.email);
    const account = await client.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('How you use OpenSEND');
    expect(account.body).toContain('href="/children"');
    expect(account.body).not.toContain('Where you work');
  });
});

describe('changing the email one signs in with', () => {
  it('keeps what was typed on a wrong password, then takes the code from the new address and says so', async () => {
    const carer = await buildParent(t.database.db, t.w.pupilK, {
      name: 'Rhian Parry',
      email: 'rhian@families.example',
    });
    const account = await buildParentAccount(t.database.db, [{ ...carer, pupilId: t.w.pupilK.id }], {
      email: 'rhian.account@families.example',
    });
    const client = new Client(t.app);
    await client.signIn(account.email);
    expect((await client.get('/account')).body).toContain('href="/account/email"');
    const form = await client.get('/account/email');
    expect(form.body).toContain('Your contact details');
    const wrong = await client.post('/account/email', {
      newEmail: 'rhian.new@families.example',
      password: 'not it at all',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Your password is not right');
    expect(wrong.body).toContain('value="rhian.new@families.example"');
    expect(wrong.body).not.toContain('not it at all');
    const asked = await client.post('/account/email', {
      newEmail: 'rhian.new@families.example',
      password: TEST_PASSWORD,
    });
    expect(asked.headers.location).toBe('/account/email/code');
    const page = await client.get('/account/email/code');
    expect(page.body).toContain('rhian.new@families.example');
    const badCode = await client.post('/account/email/code', { code: '12' });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.body).toContain('Enter the 6-digit code from the email');
    const [mail] = await t.database.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.toAddress, 'rhian.new@families.example'));
    const code = /Your code is (\d{6})\./.exec(mail!.body)![1]!;
    const done = await client.post('/account/email/code', { code });
    expect(done.headers.location).toBe('/account');
    const after = await client.get('/account');
    expect(after.body).toContain('You now sign in with rhian.new@families.example');
    expect(after.body).toContain('rhian.new@families.example');
  });
});
