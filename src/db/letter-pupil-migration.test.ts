import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClass, buildPupil, buildSchool, uuid } from '../../test/builders/index.ts';
import { freshDatabase } from '../../test/db.ts';
import { type Database, MIGRATIONS_FOLDER } from './client.ts';
import { letter, pupilClassMove } from './schema/index.ts';

/*
 * The migration that keeps on each letter the pupil it was about (name and class, as sent) fills it in
 * for letters already sent from what is known: the class the pupil's class moves say they were in on the
 * day it was sent, else the class they are in now. Its backfill statement runs here on letters written
 * before it, with a made-up value in their place.
 */

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

function backfillStatement(): string {
  const file = readdirSync(MIGRATIONS_FOLDER).find((f) => f.endsWith('_letter_pupil_as_sent.sql'));
  if (!file) throw new Error('the migration of letters’ pupils is missing');
  const statements = readFileSync(path.join(MIGRATIONS_FOLDER, file), 'utf8').split(
    '--> statement-breakpoint',
  );
  const backfill = statements.filter((s) => /UPDATE "letter"/.test(s));
  expect(backfill).toHaveLength(1);
  return backfill[0]!;
}

describe('the migration of the pupil a letter was about', () => {
  it('gives each letter sent the pupil’s name and their class on the day it was sent, where the class moves tell it', async () => {
    const db = database.db;
    const s = await buildSchool(db);
    const [rowan, ash, oak] = [
      await buildClass(db, s.id, 'Year 1 Rowan', 1),
      await buildClass(db, s.id, 'Year 2 Ash', 2),
      await buildClass(db, s.id, 'Year 2 Oak', 2),
    ];
    // Joshua: Rowan, then Ash from 1 September 2026 (the roll-over), then Oak from 10 November 2026.
    const joshua = await buildPupil(db, {
      schoolId: s.id,
      classId: oak!.id,
      forename: 'Joshua',
      surname: 'Hall',
    });
    const move = (from: string | null, to: string | null, movedOn: string) => ({
      schoolId: s.id,
      id: uuid(),
      pupilId: joshua.id,
      fromClassId: from,
      toClassId: to,
      movedOn,
      source: 'class_change' as const,
      movedByName: 'Olu Office',
    });
    await db
      .insert(pupilClassMove)
      .values([move(rowan!.id, ash!.id, '2026-09-01'), move(ash!.id, oak!.id, '2026-11-10')]);
    // Mia: never moved, in Ash now. Leo: in no class.
    const mia = await buildPupil(db, { schoolId: s.id, classId: ash!.id, forename: 'Mia', surname: 'Khan' });
    const leo = await buildPupil(db, { schoolId: s.id, forename: 'Leo', surname: 'Ng' });

    const sent = async (pupilId: string, sentOn: string) => {
      const id = uuid();
      await db.insert(letter).values({
        schoolId: s.id,
        id,
        pupilId,
        kind: 'register_placement',
        recipients: 'Parent/Carer',
        body: 'A letter',
        pupilAsSent: { forename: 'Not', surname: 'Filled', className: 'in' },
        sentOn,
        sentVia: 'post',
        sentByName: 'Olu Office',
      });
      return id;
    };
    const letters = {
      beforeAnyMove: await sent(joshua.id, '2025-09-15'),
      inAsh: await sent(joshua.id, '2026-10-01'),
      onTheDayOfTheMove: await sent(joshua.id, '2026-11-10'),
      mia: await sent(mia.id, '2025-09-15'),
      leo: await sent(leo.id, '2026-10-01'),
    };

    await db.execute(sql.raw(backfillStatement()));

    const asSent = async (id: string) =>
      (await db.select({ p: letter.pupilAsSent }).from(letter).where(eq(letter.id, id)))[0]?.p;
    expect(await asSent(letters.beforeAnyMove)).toEqual({
      forename: 'Joshua',
      surname: 'Hall',
      className: 'Year 1 Rowan',
    });
    expect(await asSent(letters.inAsh)).toEqual({
      forename: 'Joshua',
      surname: 'Hall',
      className: 'Year 2 Ash',
    });
    expect(await asSent(letters.onTheDayOfTheMove)).toEqual({
      forename: 'Joshua',
      surname: 'Hall',
      className: 'Year 2 Oak',
    });
    expect(await asSent(letters.mia)).toEqual({ forename: 'Mia', surname: 'Khan', className: 'Year 2 Ash' });
    expect(await asSent(letters.leo)).toEqual({ forename: 'Leo', surname: 'Ng', className: null });
  });
});
