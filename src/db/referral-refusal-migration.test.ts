import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReferral } from '../../test/builders/agencies.ts';
import { buildParent, buildPupil, buildSchool, uuid } from '../../test/builders/index.ts';
import { freshDatabase } from '../../test/db.ts';
import { type Database, MIGRATIONS_FOLDER } from './client.ts';
import { referralEvent } from './schema/index.ts';

/*
 * The migration that marks a refusal of consent given online with the parent who gave it fills that in
 * for refusals given before it, from the step's words and the name on it. Its backfill statement runs
 * here on steps written before it, with the column cleared in their place.
 */

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

function backfillStatement(): string {
  const file = readdirSync(MIGRATIONS_FOLDER).find((f) => f.endsWith('_referral_refused_by_parent.sql'));
  if (!file) throw new Error('the migration of online refusals is missing');
  const statements = readFileSync(path.join(MIGRATIONS_FOLDER, file), 'utf8').split(
    '--> statement-breakpoint',
  );
  const backfill = statements.filter((s) => /UPDATE "referral_event"/.test(s));
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
    await db.execute(sql.raw(backfillStatement()));
    const rows = await db.select().from(referralEvent).where(eq(referralEvent.referralId, referral.id));
    const of = (id: string) => rows.find((r) => r.id === id)!.refusedByParentCarerId;
    expect(of(refusal.id)).toBe(mother.id);
    expect(of(schoolStep.id)).toBeNull();
  });
});
