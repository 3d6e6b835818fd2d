import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildFamily, buildLetter } from '../../../../test/builders/index.ts';
import { Client, useApp } from '../../../../test/client.ts';
import { concern, letterReply, outboundMail } from '../../../db/schema/index.ts';

const t = useApp();

const SLIP = 'I can confirm that I have received your letter.';

async function signedIn(email: string) {
  const client = new Client(t.app);
  await client.signIn(email);
  return client;
}

describe('a parent replying to a letter', () => {
  it('a letter with no slip offers one thing, to ask to talk, with no choice of one and no paper slip', async () => {
    const family = await buildFamily(t.database.db, { schoolId: t.w.school.id });
    const l = await buildLetter(t.database.db, { pupil: family.pupil });
    const mother = await signedIn(family.mother.email);
    const page = await mother.get(`/children/${family.pupil.id}/letters/${l.id}`);
    expect(page.body).toContain('This letter has no slip to send back');
    expect(page.body).not.toContain('send the paper slip back');
    expect(page.body).not.toContain('type="radio"');
    expect(page.body).toContain('<input type="hidden" name="reply" value="want_to_talk">');
    const sent = await mother.post(`/children/${family.pupil.id}/letters/${l.id}/reply`, {
      reply: 'want_to_talk',
      note: 'Could we talk on Friday?',
    });
    expect(sent.statusCode).toBe(303);
    const [row] = await t.database.db.select().from(letterReply).where(eq(letterReply.letterId, l.id));
    expect(row).toMatchObject({ reply: 'want_to_talk', note: 'Could we talk on Friday?' });
  });

  it('shows the letter with the reply form, takes the acknowledgement, and shows staff the reply', async () => {
    const family = await buildFamily(t.database.db, { schoolId: t.w.school.id });
    const l = await buildLetter(t.database.db, { pupil: family.pupil, slip: SLIP });
    const mother = await signedIn(family.mother.email);
    const page = await mother.get(`/children/${family.pupil.id}/letters/${l.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('I have read this letter and agree');
    expect(page.body).toContain(`action="/children/${family.pupil.id}/letters/${l.id}/reply"`);
    const sent = await mother.post(`/children/${family.pupil.id}/letters/${l.id}/reply`, {
      reply: 'acknowledged',
    });
    expect(sent.statusCode).toBe(303);
    const after = await mother.get(sent.headers.location as string);
    expect(after.body).toContain('The school can see you have read the letter');
    expect(after.body).toContain('You replied on');
    expect(after.body).not.toContain('Send your reply');
    // Again: a clear message, nothing changed.
    const again = await mother.post(`/children/${family.pupil.id}/letters/${l.id}/reply`, {
      reply: 'want_to_talk',
    });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('You already replied to this letter');
    expect(await t.database.db.select().from(letterReply).where(eq(letterReply.letterId, l.id))).toHaveLength(
      1,
    );
    const senco = await signedIn(t.w.senco.email);
    const staffPage = await senco.get(`/letters/${l.id}`);
    expect(staffPage.body).toContain(`Acknowledged online by ${family.motherCarer.name}`);
  });

  it('refuses a note with control characters and keeps what was typed', async () => {
    const family = await buildFamily(t.database.db, { schoolId: t.w.school.id });
    const l = await buildLetter(t.database.db, { pupil: family.pupil, slip: SLIP });
    const mother = await signedIn(family.mother.email);
    await mother.get(`/children/${family.pupil.id}/letters/${l.id}`);
    const res = await mother.post(`/children/${family.pupil.id}/letters/${l.id}/reply`, {
      reply: 'want_to_talk',
      note: 'Please call\u0007 me on Tuesday',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('must not contain hidden control characters');
    expect(res.body).toContain('Please call');
    expect(res.body).toContain('on Tuesday');
    expect(await t.database.db.select().from(letterReply).where(eq(letterReply.letterId, l.id))).toHaveLength(
      0,
    );
  });

  it('is "not found" for another child’s letter and for a letter id under another child', async () => {
    const family = await buildFamily(t.database.db, { schoolId: t.w.school.id });
    const other = await buildFamily(t.database.db, { schoolId: t.w.school.id });
    const theirs = await buildLetter(t.database.db, { pupil: other.pupil, slip: SLIP });
    const mother = await signedIn(family.mother.email);
    expect((await mother.get(`/children/${family.pupil.id}/letters/${theirs.id}`)).statusCode).toBe(404);
    expect((await mother.get(`/children/${other.pupil.id}/letters/${theirs.id}`)).statusCode).toBe(404);
    await mother.get(`/children/${family.pupil.id}`);
    const post = await mother.post(`/children/${family.pupil.id}/letters/${theirs.id}/reply`, {
      reply: 'acknowledged',
    });
    expect(post.statusCode).toBe(404);
    expect(
      await t.database.db.select().from(letterReply).where(eq(letterReply.letterId, theirs.id)),
    ).toHaveLength(0);
  });
});

describe('a parent raising a concern', () => {
  it('sends the worry, lists it with its status, and the SENCo sees it marked as from a parent', async () => {
    const family = await buildFamily(t.database.db, { schoolId: t.w.school.id });
    const mother = await signedIn(family.mother.email);
    const form = await mother.get(`/children/${family.pupil.id}/concerns/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('What worries you?');
    const empty = await mother.post(`/children/${family.pupil.id}/concerns/new`, { worry: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Tell the school what worries you');
    const sent = await mother.post(`/children/${family.pupil.id}/concerns/new`, {
      worry: 'She will not eat lunch at school',
      areasOfNeed: 'social_emotional_and_mental_health',
    });
    expect(sent.statusCode).toBe(303);
    const list = await mother.get(`/children/${family.pupil.id}/concerns`);
    expect(list.body).toContain('She will not eat lunch at school');
    expect(list.body).toContain('Waiting for the SENCo to look at it');
    const [row] = await t.database.db.select().from(concern).where(eq(concern.pupilId, family.pupil.id));
    const senco = await signedIn(t.w.senco.email);
    expect((await senco.get('/concerns')).body).toContain('From a parent');
    const page = await senco.get(`/concerns/${row!.id}`);
    expect(page.body).toContain('From a parent');
    expect(page.body).toContain('Online: the parent raised it in OpenSEND');
  });

  it('refuses hostile text with a message and keeps it in the form', async () => {
    const family = await buildFamily(t.database.db, { schoolId: t.w.school.id });
    const mother = await signedIn(family.mother.email);
    await mother.get(`/children/${family.pupil.id}/concerns/new`);
    const res = await mother.post(`/children/${family.pupil.id}/concerns/new`, {
      worry: 'Hidden\u0007worry',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('must not contain hidden control characters');
    expect(res.body).toContain('worry</textarea>');
    const json = await mother.post(`/children/${family.pupil.id}/concerns/new`, {
      worry: ['one', 'two'],
    });
    expect(json.statusCode).toBe(400);
    expect(
      await t.database.db.select().from(concern).where(eq(concern.pupilId, family.pupil.id)),
    ).toHaveLength(0);
  });
});

describe('the emails a parent gets', () => {
  it('shows each optional email ticked, saves what is unticked, and the school’s letter then sends none', async () => {
    const family = await buildFamily(t.database.db, { schoolId: t.w.school.id });
    const mother = await signedIn(family.mother.email);
    const page = await mother.get('/account/mail');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('When the school sends you a letter');
    expect(page.body.match(/checked/g)?.length).toBe(6);
    const saved = await mother.post('/account/mail', { sent: '1', wanted: ['family.concern_answered'] });
    expect(saved.statusCode).toBe(303);
    const again = await mother.get('/account/mail');
    expect(again.body.match(/checked/g)?.length).toBe(1);
    // The school sends a letter to both parents: only the father, who kept that email, is told.
    const template = (await t.services.letters.templates(t.w.senco.actor)).find(
      (x) => x.kind === 'register_placement',
    )!;
    await t.services.letters.produce(t.w.senco.actor, family.pupil.id, {
      templateId: template.id,
      recipientIds: [family.motherCarer.id, family.fatherCarer.id],
      sentOn: '2026-11-20',
      sentVia: 'book_bag',
      meetingDate: null,
      meetingTime: null,
    });
    const toMother = await t.database.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.parentCarerId, family.motherCarer.id));
    const toFather = await t.database.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.parentCarerId, family.fatherCarer.id));
    expect(toFather.map((m) => m.kind)).toEqual(['family.letter']);
    expect(toMother).toHaveLength(0);
  });

  it('is for parents only', async () => {
    const staff = await signedIn(t.w.senco.email);
    expect((await staff.get('/account/mail')).statusCode).toBe(403);
  });
});
