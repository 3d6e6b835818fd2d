import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReferral } from '../../test/builders/agencies.ts';
import { buildParent, buildPupil, buildSchool, uuid } from '../../test/builders/index.ts';
import { buildLetter } from '../../test/builders/letters.ts';
import { freshDatabase } from '../../test/db.ts';
import { type Database, MIGRATIONS_FOLDER } from './client.ts';
import { letter, referralEvent } from './schema/index.ts';

/*
 * Two migrations of the family's door fill in, for rows written before them, what they now keep: the
 * parent who refused consent online (from the step's words and the name on it), and the parents and
 * carers a letter was addressed to (from the names it named). Each backfill statement runs here on rows
 * written before it, with the column cleared in their place.
 */

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

function backfillStatement(migration: string, table: string): string {
  const file = readdirSync(MIGRATIONS_FOLDER).find((f) => f.endsWith(`_${migration}.sql`));
  if (!file) throw new Error(`the migration ${migration} is missing`);
  const statements = readFileSync(path.join(MIGRATIONS_FOLDER, file), 'utf8').split(
    '--> statement-breakpoint',
  );
  const backfill = statements.filter((s) => s.includes(`UPDATE "${table}"`));
  expect(backfill).toHaveLength(1);
  return backfill[0]!;
}

describe('the migration of online refusals of consent', () => {
  it('marks each refusal given online with the parent named on it, and no step the school wrote', async () => {
    const db = database.db;
    const s = await buildSchool(db);
    const pupil = await buildPupil(db, { schoolId: s.id });
    const mother = await buildParent(db, pupil, { name: 'Nia Jones' });
    await buildParent(db, pupil, { name: 'Huw Jones', relationship: 'Father' });
    const referral = await buildReferral(db, pupil, { status: 'awaiting_consent' });
    const step = (note: string, byName: string) => ({
      schoolId: s.id,
      id: uuid(),
      referralId: referral.id,
      pupilId: pupil.id,
      status: 'awaiting_consent' as const,
      happenedOn: '2026-11-02',
      note,
      byName,
    });
    const refusal = step('Consent refused online by Nia Jones: we want to talk first', 'Nia Jones');
    const schoolStep = step('Asked the parents for consent', 'Olu Office');
    await db.insert(referralEvent).values([refusal, schoolStep]);
    await db.execute(sql.raw(backfillStatement('referral_refused_by_parent', 'referral_event')));
    const rows = await db.select().from(referralEvent).where(eq(referralEvent.referralId, referral.id));
    const of = (id: string) => rows.find((r) => r.id === id)!.refusedByParentCarerId;
    expect(of(refusal.id)).toBe(mother.id);
    expect(of(schoolStep.id)).toBeNull();
  });
});

describe('the migration of the parents a letter was addressed to', () => {
  it('gives each named letter the records of the parents it named; "Parent/Carer" and unknown names get none', async () => {
    const db = database.db;
    const s = await buildSchool(db);
    const pupil = await buildPupil(db, { schoolId: s.id });
    const mother = await buildParent(db, pupil, { name: 'Nia Jones' });
    const father = await buildParent(db, pupil, { name: 'Huw Jones', relationship: 'Father' });
    const toBoth = await buildLetter(db, {
      pupil,
      recipients: 'Nia Jones and Huw Jones',
      recipientCarerIds: [],
    });
    const toMother = await buildLetter(db, { pupil, recipients: 'Nia Jones', recipientCarerIds: [] });
    const toAll = await buildLetter(db, { pupil, recipients: 'Parent/Carer', recipientCarerIds: [] });
    const toNobodyKnown = await buildLetter(db, { pupil, recipients: 'Mrs Evans', recipientCarerIds: [] });
    await db.execute(sql.raw(backfillStatement('letter_recipient_carers', 'letter')));
    const rows = await db.select().from(letter).where(eq(letter.pupilId, pupil.id));
    const of = (id: string) => [...rows.find((r) => r.id === id)!.recipientCarerIds].sort();
    expect(of(toBoth.id)).toEqual([mother.id, father.id].sort());
    expect(of(toMother.id)).toEqual([mother.id]);
    expect(of(toAll.id)).toEqual([]);
    expect(of(toNobodyKnown.id)).toEqual([]);
  });
});
