import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPupil, buildSchool } from '../../test/builders/index.ts';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from './client.ts';

/*
 * PGlite has no autovacuum, so its planner has statistics only when OpenSEND gathers them: at start,
 * after the demo school is loaded and every few hours, for the tables new or grown since.
 */

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

const reltuples = async (table: string) =>
  (
    (await database.db.execute(
      sql`select reltuples::int as n from pg_class where relname = ${table}`,
    )) as unknown as { rows: { n: number }[] }
  ).rows[0]!.n;

describe('statistics on PGlite', () => {
  it('are gathered for tables never analysed or grown since, and only for those', async () => {
    if (database.kind === 'postgres') {
      // PostgreSQL's autovacuum gathers them: the embedded database has no such worker.
      expect(database.analyzeGrownTables).toBeUndefined();
      return;
    }
    const db = database.db;
    const s = await buildSchool(db);
    for (let i = 0; i < 20; i++) await buildPupil(db, { schoolId: s.id });
    const first = await database.analyzeGrownTables!();
    expect(first).toEqual(expect.arrayContaining(['pupil', 'school']));
    expect(await reltuples('pupil')).toBe(20);
    // Nothing has grown since.
    expect(await database.analyzeGrownTables!()).toEqual([]);
    // Grown well past a fifth (and eight pages): analysed again, and the tables that did not grow are not.
    await db.execute(sql`
      insert into pupil (school_id, id, upn, forename, surname, date_of_birth, sex)
      select ${s.id}, gen_random_uuid(), 'A' || lpad(g::text, 12, '0'), 'Many', 'Pupils', '2018-01-01', 'female'
      from generate_series(1, 3000) g`);
    const again = await database.analyzeGrownTables!();
    expect(again).toContain('pupil');
    expect(again).not.toContain('school');
    expect(await reltuples('pupil')).toBe(3020);
  });
});
