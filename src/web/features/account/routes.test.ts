import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Client, useApp } from '../../../../test/client.ts';
import { staffInvitation } from '../../../db/schema/index.ts';

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
