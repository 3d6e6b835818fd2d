import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { letter, letterTemplate, pupil, schoolClass, supportPlan } from '../db/schema/index.ts';
import type { AccessScope } from '../domain/access.ts';
import type { LetterKind, SentVia } from '../domain/letters.ts';
import { matchedReaches, reachColumns } from './access.ts';
import { insertMany } from './bulk.ts';

export type LetterTemplateRow = typeof letterTemplate.$inferSelect;
export type LetterRow = typeof letter.$inferSelect;
export type LetterInsert = typeof letter.$inferInsert;

// Templates

export async function hasTemplates(db: Executor, schoolId: string): Promise<boolean> {
  const rows = await db
    .select({ id: letterTemplate.id })
    .from(letterTemplate)
    .where(eq(letterTemplate.schoolId, schoolId))
    .limit(1);
  return rows.length === 1;
}

/** Hold one school's templates for the rest of the transaction (two first visits add one starter set). */
export async function lockSchoolTemplates(db: Executor, schoolId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`letter_template:${schoolId}`}))`);
}

export async function insertTemplates(
  db: Executor,
  values: (typeof letterTemplate.$inferInsert)[],
): Promise<void> {
  if (values.length > 0) await db.insert(letterTemplate).values(values);
}

export async function templatesOfSchool(db: Executor, schoolId: string) {
  return db
    .select()
    .from(letterTemplate)
    .where(eq(letterTemplate.schoolId, schoolId))
    .orderBy(asc(letterTemplate.createdAt), asc(letterTemplate.name), asc(letterTemplate.id));
}

export async function findTemplate(db: Executor, schoolId: string, templateId: string) {
  const rows = await db
    .select()
    .from(letterTemplate)
    .where(and(eq(letterTemplate.schoolId, schoolId), eq(letterTemplate.id, templateId)))
    .limit(1);
  return rows[0] ?? null;
}

/** Change a template with optimistic locking; false when someone else changed it first. */
export async function updateTemplate(
  db: Executor,
  schoolId: string,
  templateId: string,
  expectedVersion: number,
  values: { name: string; body: string; slip: string | null; updatedBy: string; updatedByName: string },
): Promise<boolean> {
  const rows = await db
    .update(letterTemplate)
    .set({ ...values, version: sql`${letterTemplate.version} + 1` })
    .where(
      and(
        eq(letterTemplate.schoolId, schoolId),
        eq(letterTemplate.id, templateId),
        eq(letterTemplate.version, expectedVersion),
      ),
    )
    .returning({ id: letterTemplate.id });
  return rows.length === 1;
}

// Letters

export async function insertLetters(db: Executor, values: LetterInsert[]): Promise<void> {
  for (let i = 0; i < values.length; i += 500) await db.insert(letter).values(values.slice(i, i + 500));
}

/** A school's templates and the letters sent from them, as rows (the demo generates them). */
export interface LetterHistoryRows {
  templates: (typeof letterTemplate.$inferInsert)[];
  letters: LetterInsert[];
}

/** Letters sent in the past and their school's templates (the demo school's), a statement a table. */
export async function insertLetterHistory(db: Executor, rows: LetterHistoryRows): Promise<void> {
  await insertTemplates(db, rows.templates);
  await insertMany(db, letter, rows.letters);
}

/** A letter of the actor's school with its pupil and the reaches that include them; `lock` takes the row. */
export async function findLetter(
  db: Executor,
  scope: AccessScope,
  letterId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({
      letter,
      forename: pupil.forename,
      surname: pupil.surname,
      leftOn: pupil.leftOn,
      className: schoolClass.name,
      ...reachColumns(scope),
    })
    .from(letter)
    .innerJoin(pupil, and(eq(pupil.schoolId, letter.schoolId), eq(pupil.id, letter.pupilId)))
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(letter.schoolId, scope.schoolId), eq(letter.id, letterId)))
    .limit(1);
  const rows = await (options.lock ? query.for('update', { of: letter }) : query);
  const row = rows[0] as (Record<string, unknown> & { letter: LetterRow }) | undefined;
  if (!row) return null;
  return {
    letter: row.letter,
    pupil: {
      id: row.letter.pupilId,
      forename: row.forename as string,
      surname: row.surname as string,
      leftOn: row.leftOn as string | null,
      className: row.className as string | null,
    },
    reaches: matchedReaches(scope, row),
  };
}

/** Record the signed slip's return, with optimistic locking; false when stale or already recorded. */
export async function recordSlipReturn(
  db: Executor,
  schoolId: string,
  letterId: string,
  expectedVersion: number,
  values: {
    slipReturnedOn: string;
    slipNote: string | null;
    slipRecordedBy: string;
    slipRecordedByName: string;
  },
): Promise<boolean> {
  const rows = await db
    .update(letter)
    .set({ ...values, version: sql`${letter.version} + 1` })
    .where(
      and(
        eq(letter.schoolId, schoolId),
        eq(letter.id, letterId),
        eq(letter.version, expectedVersion),
        sql`${letter.slipReturnedOn} is null`,
      ),
    )
    .returning({ id: letter.id });
  return rows.length === 1;
}

/**
 * What a letter may say about a pupil's current plan (in place or being reviewed, else the newest
 * draft): its dates and how many targets it has. Never its content.
 */
export async function planFactsOf(db: Executor, schoolId: string, pupilId: string) {
  const rows = await db
    .select({
      id: supportPlan.id,
      startDate: supportPlan.startDate,
      reviewDate: supportPlan.reviewDate,
      // Named in full: in a one-table select the query builder leaves columns unqualified.
      targetCount: sql<number>`(select count(*)::int from plan_target t where t.school_id = "support_plan"."school_id" and t.plan_id = "support_plan"."id")`,
    })
    .from(supportPlan)
    .where(
      and(
        eq(supportPlan.schoolId, schoolId),
        eq(supportPlan.pupilId, pupilId),
        inArray(supportPlan.status, ['active', 'in_review', 'draft']),
      ),
    )
    .orderBy(sql`case when ${supportPlan.status} = 'draft' then 1 else 0 end`, desc(supportPlan.cycle))
    .limit(1);
  return rows[0] ?? null;
}

/** The record fragment this repository owns (see pupil-record.ts): letters sent and slips returned. */
export interface LetterItem {
  id: string;
  kind: LetterKind;
  sentOn: string;
  sentVia: SentVia;
  sentByName: string;
  recipients: string;
  slipExpected: boolean;
  slipReturnedOn: string | null;
  slipRecordedByName: string | null;
  /** Parents' replies online, first first (docs/adr/0039). */
  replies:
    | { reply: 'acknowledged' | 'want_to_talk'; name: string; repliedAt: string; note: string | null }[]
    | null;
}
export const lettersFragment = {
  section: 'letters' as const,
  json: sql<LetterItem[] | string>`select json_agg(json_build_object(
    'id', ${letter.id}, 'kind', ${letter.kind}, 'sentOn', ${letter.sentOn}, 'sentVia', ${letter.sentVia},
    'sentByName', ${letter.sentByName}, 'recipients', ${letter.recipients}, 'slipExpected', ${letter.slipExpected},
    'slipReturnedOn', ${letter.slipReturnedOn}, 'slipRecordedByName', ${letter.slipRecordedByName},
    'replies', (select json_agg(json_build_object('reply', r.reply, 'name', r.replied_by_name,
      'repliedAt', r.replied_at, 'note', r.note) order by r.replied_at, r.id)
      from letter_reply r where r.school_id = ${letter.schoolId} and r.letter_id = ${letter.id}))
    order by ${letter.sentOn} desc, ${letter.createdAt} desc)
    from ${letter} where ${letter.schoolId} = ${pupil.schoolId} and ${letter.pupilId} = ${pupil.id}`,
};
