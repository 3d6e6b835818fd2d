import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPgliteTemplate } from '../../scripts/build-pglite-template.mjs';
import { FIRST_START_TEMPLATE, openPgliteDirectory, pgliteTemplate } from './client.ts';

/*
 * A first start on an empty DATA_DIR loads the migrated empty database `npm install` made, instead of
 * creating one from nothing (initdb) and migrating it; without a template made by this PGlite it
 * creates one as before.
 */

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'opensend-first-start-'));
  dirs.push(dir);
  return dir;
};
beforeAll(async () => {
  // Made by npm install; made again here when missing or made from other migrations.
  if (!existsSync(FIRST_START_TEMPLATE) || !pgliteTemplate()) await buildPgliteTemplate();
}, 120_000);
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the first start on PGlite', () => {
  it('loads the migrated template into an empty data directory: the tables are there before any migration runs', async () => {
    const database = await openPgliteDirectory(tempDir());
    try {
      const found = (await database.db.execute(
        sql`select to_regclass('public.pupil')::text as t`,
      )) as unknown as {
        rows: { t: string | null }[];
      };
      expect(found.rows[0]?.t).toBe('pupil');
      // Migrations added after the template was made would be applied now; none are missing here.
      await database.migrate();
      const pupils = (await database.db.execute(sql`select count(*)::int as n from pupil`)) as unknown as {
        rows: { n: number }[];
      };
      expect(pupils.rows[0]?.n).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('does not use a template made by another PGlite or from other migrations, or none at all', () => {
    expect(pgliteTemplate()).toBeInstanceOf(Blob);
    const made = JSON.parse(readFileSync(FIRST_START_TEMPLATE.replace(/\.tar\.gz$/, '.json'), 'utf8'));
    const dir = tempDir();
    const other = path.join(dir, 'pglite-template.tar.gz');
    copyFileSync(FIRST_START_TEMPLATE, other);
    const stamp = (value: object) =>
      writeFileSync(path.join(dir, 'pglite-template.json'), JSON.stringify(value));
    stamp(made);
    expect(pgliteTemplate(other)).toBeInstanceOf(Blob);
    stamp({ ...made, pglite: '0.0.1' });
    expect(pgliteTemplate(other)).toBeUndefined();
    stamp({ ...made, migrations: 'made before the latest migration' });
    expect(pgliteTemplate(other)).toBeUndefined();
    expect(pgliteTemplate(path.join(dir, 'missing.tar.gz'))).toBeUndefined();
  });
});
