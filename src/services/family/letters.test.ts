import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildFamily, buildLetter, useWorld } from '../../../test/builders/index.ts';
import { auditEvent, letter, letterReply, outboundMail, parentCarer } from '../../db/schema/index.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';

const world = useWorld();

const SLIP = 'I can confirm that I have received your letter.\n\nSigned: ____';

async function familyWithLetter(
  options: { slip?: string | null; kind?: 'review_invitation' | 'other' } = {},
) {
  const { database, w } = world;
  const family = await buildFamily(database.db, { schoolId: w.school.id });
  const l = await buildLetter(database.db, {
    pupil: family.pupil,
    slip: options.slip === undefined ? SLIP : options.slip,
    kind: options.kind ?? 'other',
  });
  return { family, letter: l };
}

async function letterRow(id: string) {
  const [row] = await world.database.db.select().from(letter).where(eq(letter.id, id));
  return row!;
}

async function repliesTo(id: string) {
  return world.database.db.select().from(letterReply).where(eq(letterReply.letterId, id));
}

describe('a parent replying to a letter', () => {
  it('acknowledges a letter with a slip: the reply is kept as theirs and the slip is recorded as returned', async () => {
    const { services } = world;
    const { family, letter: l } = await familyWithLetter();
    const result = await services.familyLetters.reply(family.mother.actor, family.pupil.id, l.id, {
      reply: 'acknowledged',
      note: null,
    });
    expect(result.slipFilled).toBe(true);
    const [reply] = await repliesTo(l.id);
    expect(reply).toMatchObject({
      reply: 'acknowledged',
      repliedByName: family.motherCarer.name,
      parentCarerId: family.motherCarer.id,
      userId: family.mother.actor.userId,
    });
    const row = await letterRow(l.id);
    expect(row.slipReturnedOn).toBe('2026-11-20');
    expect(row.slipRecordedBy).toBe(family.mother.actor.userId);
    expect(row.slipNote).toBe(`Acknowledged online by ${family.motherCarer.name}`);
    const audits = await world.database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.action, 'family.letter_replied'), eq(auditEvent.pupilId, family.pupil.id)));
    expect(audits).toHaveLength(1);
    expect(audits[0]?.schoolId).toBe(family.schoolId);
  });

  it('keeps a second parent’s acknowledgement too, with their own name, and leaves the slip as the first filled it', async () => {
    const { services } = world;
    const { family, letter: l } = await familyWithLetter();
    await services.familyLetters.reply(family.mother.actor, family.pupil.id, l.id, {
      reply: 'acknowledged',
      note: null,
    });
    const before = await letterRow(l.id);
    const second = await services.familyLetters.reply(family.father.actor, family.pupil.id, l.id, {
      reply: 'acknowledged',
      note: null,
    });
    expect(second.slipFilled).toBe(false);
    const replies = await repliesTo(l.id);
    expect(replies.map((r) => r.repliedByName).sort()).toEqual(
      [family.motherCarer.name, family.fatherCarer.name].sort(),
    );
    const after = await letterRow(l.id);
    expect(after.slipNote).toBe(before.slipNote);
    expect(after.version).toBe(before.version);
  });

  it('refuses the same parent’s second reply with a clear message and changes nothing', async () => {
    const { services } = world;
    const { family, letter: l } = await familyWithLetter();
    await services.familyLetters.reply(family.mother.actor, family.pupil.id, l.id, {
      reply: 'want_to_talk',
      note: 'Please phone after 3pm',
    });
    const error = await services.familyLetters
      .reply(family.mother.actor, family.pupil.id, l.id, { reply: 'acknowledged', note: null })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(
      /You already replied to this letter on \d{1,2} \w+ \d{4} \(wants to talk about it\)\. Nothing has changed\./,
    );
    const replies = await repliesTo(l.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.note).toBe('Please phone after 3pm');
    expect((await letterRow(l.id)).slipReturnedOn).toBeNull();
  });

  it('keeps a slip already recorded on paper, and the online acknowledgement beside it', async () => {
    const { services } = world;
    const { family, letter: l } = await familyWithLetter();
    await world.database.db
      .update(letter)
      .set({ slipReturnedOn: '2026-11-10', slipRecordedByName: 'Olu Office', slipNote: 'Signed by mum' })
      .where(eq(letter.id, l.id));
    await services.familyLetters.reply(family.mother.actor, family.pupil.id, l.id, {
      reply: 'acknowledged',
      note: null,
    });
    const row = await letterRow(l.id);
    expect(row).toMatchObject({
      slipReturnedOn: '2026-11-10',
      slipRecordedByName: 'Olu Office',
      slipNote: 'Signed by mum',
    });
    expect(await repliesTo(l.id)).toHaveLength(1);
  });

  it('lets a parent ask to talk about a letter without a slip, but not acknowledge it', async () => {
    const { services } = world;
    const { family, letter: l } = await familyWithLetter({ slip: null });
    await expect(
      services.familyLetters.reply(family.mother.actor, family.pupil.id, l.id, {
        reply: 'acknowledged',
        note: null,
      }),
    ).rejects.toThrow(/This letter has no slip to return/);
    await services.familyLetters.reply(family.mother.actor, family.pupil.id, l.id, {
      reply: 'want_to_talk',
      note: 'Can we meet?',
    });
    expect((await repliesTo(l.id))[0]).toMatchObject({ reply: 'want_to_talk', note: 'Can we meet?' });
  });

  it('asks whether they will come when the letter invites them to a review meeting', async () => {
    const { services } = world;
    const { family, letter: l } = await familyWithLetter({ kind: 'review_invitation' });
    await expect(
      services.familyLetters.reply(family.mother.actor, family.pupil.id, l.id, {
        reply: 'acknowledged',
        note: null,
      }),
    ).rejects.toThrow(/Say whether you will come to the meeting/);
    expect(await repliesTo(l.id)).toHaveLength(0);
    await services.familyLetters.reply(family.mother.actor, family.pupil.id, l.id, {
      reply: 'acknowledged',
      note: null,
      meeting: 'not_coming',
    });
    expect((await letterRow(l.id)).slipNote).toBe(
      `Acknowledged online by ${family.motherCarer.name}: will not be able to come to the meeting`,
    );
  });

  it('refuses a note with hidden control characters, saving nothing', async () => {
    const { services } = world;
    const { family, letter: l } = await familyWithLetter();
    await expect(
      services.familyLetters.reply(family.mother.actor, family.pupil.id, l.id, {
        reply: 'want_to_talk',
        note: 'Call me\u0000 \u202Enow',
      }),
    ).rejects.toThrow(/hidden control characters/);
    expect(await repliesTo(l.id)).toHaveLength(0);
  });

  it('finds no letter of another child, at this school or another, nor one not yet sent', async () => {
    const { services, w, database } = world;
    const { family } = await familyWithLetter();
    const other = await familyWithLetter();
    const elsewhere = await buildLetter(database.db, { pupil: w.otherPupil, slip: SLIP });
    const future = await buildLetter(database.db, { pupil: family.pupil, slip: SLIP, sentOn: '2026-12-25' });
    for (const id of [other.letter.id, elsewhere.id, future.id]) {
      await expect(
        services.familyLetters.reply(family.mother.actor, family.pupil.id, id, {
          reply: 'acknowledged',
          note: null,
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        services.familyLetters.letter(family.mother.actor, family.pupil.id, id),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
    // Another child's letter through that child's id: the child is not theirs.
    await expect(
      services.familyLetters.reply(family.mother.actor, other.family.pupil.id, other.letter.id, {
        reply: 'acknowledged',
        note: null,
      }),
    ).rejects.toThrow('Child not found');
    expect(await repliesTo(other.letter.id)).toHaveLength(0);
  });

  it('shows staff each reply on the letter and the pupil’s record', async () => {
    const { services, w } = world;
    const { family, letter: l } = await familyWithLetter();
    await services.familyLetters.reply(family.mother.actor, family.pupil.id, l.id, {
      reply: 'acknowledged',
      note: null,
    });
    await services.familyLetters.reply(family.father.actor, family.pupil.id, l.id, {
      reply: 'want_to_talk',
      note: 'Worried about homework',
    });
    const seen = await services.letters.view(w.senco.actor, l.id);
    expect(seen.replies.map((r) => [r.repliedByName, r.reply, r.note])).toEqual([
      [family.motherCarer.name, 'acknowledged', null],
      [family.fatherCarer.name, 'want_to_talk', 'Worried about homework'],
    ]);
    const record = await services.pupils.view(w.senco.actor, family.pupil.id);
    const item = record.letters.find((x) => x.id === l.id);
    expect(item?.replies?.map((r) => r.reply)).toEqual(['acknowledged', 'want_to_talk']);
    const list = await services.workLists.dashboard(w.senco.actor, 'parents_want_to_talk');
    expect(list.opened?.rows.some((r) => r.pupilId === family.pupil.id && r.recordId === l.id)).toBe(true);
    expect(list.counts.find((c) => c.list === 'parents_want_to_talk')?.count).toBeGreaterThan(0);
  });
});

describe('the emailed notice of a letter', () => {
  it('goes to each parent the letter is for who has an account, and a failed one shows on the letter and the record', async () => {
    const { services, w, database } = world;
    const family = await buildFamily(database.db, { schoolId: w.school.id, forename: 'Quentin' });
    const template = (await services.letters.templates(w.senco.actor)).find(
      (t) => t.kind === 'register_placement',
    )!;
    const letterId = await services.letters.produce(w.senco.actor, family.pupil.id, {
      templateId: template.id,
      recipientIds: [family.motherCarer.id],
      sentOn: '2026-11-20',
      sentVia: 'email',
      meetingDate: null,
      meetingTime: null,
    });
    const mails = await database.db
      .select()
      .from(outboundMail)
      .where(and(eq(outboundMail.schoolId, w.school.id), eq(outboundMail.kind, 'family.letter')));
    const ours = mails.filter((m) => m.body.includes(letterId));
    expect(ours.map((m) => m.parentCarerId)).toEqual([family.motherCarer.id]);
    expect(`${ours[0]?.subject}${ours[0]?.body}`).not.toMatch(/Quentin/);
    expect((await services.letters.view(w.senco.actor, letterId)).failedNotices).toEqual([]);
    await database.db.update(outboundMail).set({ status: 'failed' }).where(eq(outboundMail.id, ours[0]!.id));
    const seen = await services.letters.view(w.senco.actor, letterId);
    expect(seen.failedNotices.map((f) => f.parentName)).toEqual([family.motherCarer.name]);
    const record = await services.pupils.view(w.senco.actor, family.pupil.id);
    const mother = record.parents.find((p) => p.id === family.motherCarer.id);
    const father = record.parents.find((p) => p.id === family.fatherCarer.id);
    expect(mother?.mailFailedAt).toBeTruthy();
    expect(father?.mailFailedAt).toBeNull();
    const outbox = await services.outbox.list(w.senco.actor);
    expect(outbox.messages.find((m) => m.id === ours[0]!.id)?.undeliveredTo).toEqual({
      parentName: family.motherCarer.name,
      pupilId: family.pupil.id,
    });
  });
});

describe('a parent removed from the pupil’s record', () => {
  it('can be removed after replying online: the reply stays, with their name, untied from the record', async () => {
    const { services, w } = world;
    const { family, letter: l } = await familyWithLetter();
    await services.familyLetters.reply(family.mother.actor, family.pupil.id, l.id, {
      reply: 'acknowledged',
      note: null,
    });
    await services.pupils.removeParent(w.senco.actor, family.pupil.id, family.motherCarer.id);
    const [reply] = await repliesTo(l.id);
    expect(reply).toMatchObject({
      repliedByName: family.motherCarer.name,
      parentCarerId: null,
      schoolId: family.schoolId,
    });
  });
});

describe('a letter sent to one parent', () => {
  it('is read and answered only by the parent it was addressed to, not the other', async () => {
    const { services, database } = world;
    const family = await buildFamily(database.db, { schoolId: world.w.school.id });
    const toMother = await buildLetter(database.db, {
      pupil: family.pupil,
      recipients: family.motherCarer.name,
      slip: 'I have read this letter.',
    });
    const toBoth = await buildLetter(database.db, {
      pupil: family.pupil,
      recipients: `${family.motherCarer.name} and ${family.fatherCarer.name}`,
    });
    const mothers = await services.familyReading.letters(family.mother.actor, family.pupil.id);
    expect(mothers.letters.map((l) => l.id).sort()).toEqual([toMother.id, toBoth.id].sort());
    const fathers = await services.familyReading.letters(family.father.actor, family.pupil.id);
    expect(fathers.letters.map((l) => l.id)).toEqual([toBoth.id]);
    await expect(
      services.familyReading.letter(family.father.actor, family.pupil.id, toMother.id),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      services.familyLetters.reply(family.father.actor, family.pupil.id, toMother.id, {
        reply: 'acknowledged',
        note: null,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const [row] = await database.db
      .select({ slipReturnedOn: letter.slipReturnedOn })
      .from(letter)
      .where(eq(letter.id, toMother.id));
    expect(row!.slipReturnedOn).toBeNull();
    // The letter is addressed to records, not names: a name corrected later changes nothing, and a
    // name inside another's ("Ann" in "Joanne") reaches nothing.
    await database.db
      .update(parentCarer)
      .set({ name: 'Dave' })
      .where(eq(parentCarer.id, family.fatherCarer.id));
    await database.db
      .update(parentCarer)
      .set({ name: `${family.motherCarer.name} Junior` })
      .where(eq(parentCarer.id, family.motherCarer.id));
    const renamed = await services.familyReading.letters(family.father.actor, family.pupil.id);
    expect(renamed.letters.map((l) => l.id)).toEqual([toBoth.id]);
    const lookalike = await buildLetter(database.db, {
      pupil: family.pupil,
      recipients: 'Someone else',
      recipientCarerIds: [family.motherCarer.id],
    });
    expect(
      (await services.familyReading.letters(family.father.actor, family.pupil.id)).letters.map((l) => l.id),
    ).not.toContain(lookalike.id);
  });
});
