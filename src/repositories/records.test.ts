import { getTableName, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import { RECORD_KIND_NAMES, RECORD_KINDS, subjectAccessKinds } from '../domain/records.ts';
import { owningSchoolsOf } from './audit.ts';
import { DERIVED_PUPIL_TABLES, RECORD_TABLES, type RecordTable } from './records.ts';

describe('the registry of record kinds, against the database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('names every table that holds a pupil’s id: a new one must be given a kind (its section, retention and export)', async () => {
    const result = await database.db.execute(sql`
      select distinct table_name from information_schema.columns
      where table_schema = current_schema() and column_name in ('pupil_id', 'pupil_ids')
      order by table_name`);
    const tables = (result as unknown as { rows: { table_name: string }[] }).rows.map((r) => r.table_name);
    const registered = new Set<string>([
      ...Object.values(RECORD_TABLES).map((t) => getTableName(t.table)),
      ...DERIVED_PUPIL_TABLES,
    ]);
    expect(tables.filter((t) => !registered.has(t))).toEqual([]);
    // …and the pupil table itself, whose id is the pupil's.
    expect(getTableName(RECORD_TABLES.pupil.table)).toBe('pupil');
  });

  it('has a pupil link for exactly the kinds that belong to a section of a pupil’s record', () => {
    for (const kind of RECORD_KIND_NAMES) {
      const table: RecordTable = RECORD_TABLES[kind];
      const aboutAPupil = table.pupilId !== null || table.caseId !== undefined || kind === 'ctf_export';
      expect([kind, RECORD_KINDS[kind].section !== null]).toEqual([kind, aboutAPupil]);
    }
    // A school gives out its own records of the pupil; an organisation's are its own to give out.
    expect(subjectAccessKinds()).toEqual(
      RECORD_KIND_NAMES.filter((k) => RECORD_KINDS[k].section !== null && RECORD_KINDS[k].owner === 'school'),
    );
    for (const kind of RECORD_KIND_NAMES)
      expect([kind, RECORD_TABLES[kind].ownerKind]).toEqual([kind, RECORD_KINDS[kind].owner]);
  });

  it('finds the school that owns a record by its id, and nothing for an id that cannot be one', async () => {
    expect(await owningSchoolsOf(database.db, 'concern', crypto.randomUUID())).toEqual([]);
    expect(await owningSchoolsOf(database.db, 'concern', 'not-a-uuid')).toEqual([]);
    expect(await owningSchoolsOf(database.db, 'audit_event', '12abc')).toEqual([]);
    // An organisation's case names no school, whatever its id.
    expect(await owningSchoolsOf(database.db, 'organisation_case', crypto.randomUUID())).toEqual([]);
  });
});
