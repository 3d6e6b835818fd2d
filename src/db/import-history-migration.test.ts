import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPupil, buildSchool, buildStaff, uuid } from '../../test/builders/index.ts';
import { freshDatabase } from '../../test/db.ts';
import { insertAuditEvents } from '../repositories/audit.ts';
import { insertImport } from '../repositories/imports.ts';
import { type Database, MIGRATIONS_FOLDER } from './client.ts';
import { pupilImportChange } from './schema/index.ts';

/*
 * The migration that gave pupils their own import history carries over what the pupil page used to
 * read from the audit trail. Its backfill statement, run here on audit rows written the way the import
 * service wrote them, must make one history row per imported pupil and nothing for other events.
 */

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

function backfillStatement(): string {
  const file = readdirSync(MIGRATIONS_FOLDER).find((f) => f.endsWith('_pupil_import_history.sql'));
  if (!file) throw new Error('the import history migration is missing');
  const statements = readFileSync(path.join(MIGRATIONS_FOLDER, file), 'utf8').split(
    '--> statement-breakpoint',
  );
  const backfill = statements.filter((s) => /INSERT INTO "pupil_import_change"/.test(s));
  expect(backfill).toHaveLength(1);
  return backfill[0]!;
}

describe('the import history migration', () => {
  it('carries each pupil’s MIS import history over from the audit trail, with the changed fields’ labels', async () => {
    const db = database.db;
    const s = await buildSchool(db);
    const office = await buildStaff(db, 'office', { schoolId: s.id, name: 'Olu Office' });
    const added = await buildPupil(db, { schoolId: s.id });
    const changed = await buildPupil(db, { schoolId: s.id });
    const importId = uuid();
    await insertImport(db, {
      schoolId: s.id,
      id: importId,
      fileName: 'pupils.csv',
      kind: 'mis_csv',
      counts: {},
      uploadedByName: 'Olu Office',
    });
    const event = {
      schoolId: s.id,
      userId: office.actor.userId,
      role: 'office',
      requestId: 'r1',
    };
    await insertAuditEvents(db, [
      { ...event, action: 'pupil.created_from_import', pupilId: added.id, detail: { importId, line: 2 } },
      {
        ...event,
        action: 'pupil.updated_from_import',
        pupilId: changed.id,
        detail: {
          importId,
          line: 3,
          changes: [
            { label: 'Class', from: 'Oak', to: 'Ash' },
            { label: 'Attendance', from: '(none)', to: '93.5%' },
          ],
        },
      },
      // An import the school no longer has a record of: the change is kept, without its import.
      {
        ...event,
        action: 'pupil.updated_from_import',
        pupilId: changed.id,
        detail: { importId: 'not-an-import', changes: [{ label: 'Surname', from: 'A', to: 'B' }] },
      },
      // Other events about the pupils are not import history.
      { ...event, action: 'pupil.viewed', pupilId: changed.id },
      { ...event, action: 'pupil.left', pupilId: added.id, detail: { importId } },
    ]);

    await db.execute(sql.raw(backfillStatement()));

    const rows = await db.select().from(pupilImportChange).where(eq(pupilImportChange.schoolId, s.id));
    const byPupil = (id: string) =>
      rows
        .filter((r) => r.pupilId === id)
        .map((r) => ({
          kind: r.kind,
          importId: r.importId,
          fields: r.fields,
          appliedBy: r.appliedBy,
          appliedByName: r.appliedByName,
        }));
    expect(rows).toHaveLength(3);
    expect(byPupil(added.id)).toEqual([
      { kind: 'added', importId, fields: [], appliedBy: office.actor.userId, appliedByName: 'Olu Office' },
    ]);
    expect(byPupil(changed.id)).toEqual(
      expect.arrayContaining([
        {
          kind: 'updated',
          importId,
          fields: ['Class', 'Attendance'],
          appliedBy: office.actor.userId,
          appliedByName: 'Olu Office',
        },
        {
          kind: 'updated',
          importId: null,
          fields: ['Surname'],
          appliedBy: office.actor.userId,
          appliedByName: 'Olu Office',
        },
      ]),
    );
  });
});
