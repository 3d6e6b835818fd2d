import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { letter, letterReply, outboundMail } from '../db/schema/index.ts';
import { letterAddressedTo } from './family.ts';

/*
 * Parents' replies to letters, online (docs/adr/0039): each parent's own, one per letter; and the
 * letter as its parent reaches it, always through the child (never by its id alone).
 */

export type LetterReplyRow = typeof letterReply.$inferSelect;
export type LetterReplyInsert = typeof letterReply.$inferInsert;

/** A letter of this child at this school, sent on or before `today`; `lock` takes the row. */
export async function letterOfChild(
  db: Executor,
  child: { schoolId: string; pupilId: string; carerIds: readonly string[] },
  letterId: string,
  today: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select()
    .from(letter)
    .where(
      and(
        eq(letter.schoolId, child.schoolId),
        eq(letter.pupilId, child.pupilId),
        eq(letter.id, letterId),
        sql`${letter.sentOn} <= ${today}::date`,
        letterAddressedTo(child.carerIds),
      ),
    )
    .limit(1);
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

export async function insertLetterReply(db: Executor, values: LetterReplyInsert): Promise<void> {
  await db.insert(letterReply).values(values);
}

/** This person's reply to this letter, if they have replied. */
export async function replyOf(db: Executor, schoolId: string, letterId: string, userId: string) {
  const rows = await db
    .select()
    .from(letterReply)
    .where(
      and(
        eq(letterReply.schoolId, schoolId),
        eq(letterReply.letterId, letterId),
        eq(letterReply.userId, userId),
      ),
    );
  return rows[0] ?? null;
}

/** Which of these letters this account has replied to. */
export async function repliedLetterIds(
  db: Executor,
  schoolId: string,
  userId: string,
  letterIds: readonly string[],
): Promise<Set<string>> {
  if (letterIds.length === 0) return new Set();
  const rows = await db
    .select({ letterId: letterReply.letterId })
    .from(letterReply)
    .where(
      and(
        eq(letterReply.schoolId, schoolId),
        eq(letterReply.userId, userId),
        inArray(letterReply.letterId, [...letterIds]),
      ),
    );
  return new Set(rows.map((r) => r.letterId));
}

/** Every parent's reply to a letter, first first. */
export async function repliesOfLetter(db: Executor, schoolId: string, letterId: string) {
  return db
    .select()
    .from(letterReply)
    .where(and(eq(letterReply.schoolId, schoolId), eq(letterReply.letterId, letterId)))
    .orderBy(asc(letterReply.repliedAt), asc(letterReply.id));
}

/**
 * Whether the emailed notice of this letter to a parent failed: family letter mail for the letter's
 * pupil, queued on or after the letter was produced, that could not be delivered (the school prints it).
 */
export async function failedLetterNotices(db: Executor, schoolId: string, letterId: string) {
  const result = await db.execute(sql`
    select m.id, m.to_address as "toAddress", m.created_at as "createdAt", pc.name as "parentName"
    from ${outboundMail} m
    join letter l on l.school_id = m.school_id and l.id = ${letterId}
    left join parent_carer pc on pc.school_id = m.school_id and pc.id = m.parent_carer_id
    where m.school_id = ${schoolId} and m.kind = 'family.letter' and m.status = 'failed'
      and m.body like '%' || ${letterId}::text || '%'
    order by m.created_at`);
  return (
    result as unknown as {
      rows: { id: string; toAddress: string; createdAt: string; parentName: string | null }[];
    }
  ).rows;
}
