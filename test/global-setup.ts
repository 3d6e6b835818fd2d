import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openPostgres, wrapPglite } from '../src/db/client.ts';
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE, TEST_AUDIT_KEY, withDatabase } from './template.ts';

/**
 * The browser tests use Debian's Chromium when it is installed; otherwise the Chromium shipped in
 * the @sparticuz/chromium package, unpacked here once (not by each test file at the same time).
 */
export async function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  system = '/usr/bin/chromium',
): Promise<void> {
  if (env.CHROMIUM_PATH || existsSync(system)) return;
  const { default: packaged } = await import('@sparticuz/chromium');
  env.CHROMIUM_PATH = await packaged.executablePath();
}

/** Migrate one database once; each test file then starts from a copy of it. */
export default async function setup() {
  await findChromium();
  const url = process.env.DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const stale = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like 'opensend_test_%'",
    );
    for (const row of stale.rows) await admin.query(`drop database if exists "${row.datname}" with (force)`);
    await admin.query(`create database ${PG_TEMPLATE_DB}`);
    await admin.end();
    const database = await openPostgres(withDatabase(url, PG_TEMPLATE_DB), {
      poolSize: 1,
      auditKey: TEST_AUDIT_KEY,
    });
    await database.migrate();
    await database.close();
    return;
  }
  const client = await PGlite.create();
  const database = await wrapPglite(client, { auditKey: TEST_AUDIT_KEY });
  await database.migrate();
  const dump = await client.dumpDataDir('gzip');
  mkdirSync(path.dirname(PGLITE_TEMPLATE), { recursive: true });
  writeFileSync(PGLITE_TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  await database.close();
}
