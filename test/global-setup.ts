import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openPostgres, wrapPglite } from '../src/db/client.ts';
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE, ROOT, TEST_AUDIT_KEY, withDatabase } from './template.ts';

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
  // The migrated PGlite database is kept between runs while the migrations and PGlite are unchanged.
  const stamp = `${PGLITE_TEMPLATE}.stamp`;
  const wanted = templateStamp();
  if (existsSync(PGLITE_TEMPLATE) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return;
  const client = await PGlite.create();
  const database = await wrapPglite(client, { auditKey: TEST_AUDIT_KEY });
  await database.migrate();
  const dump = await client.dumpDataDir('gzip');
  mkdirSync(path.dirname(PGLITE_TEMPLATE), { recursive: true });
  // Written aside and renamed, so a run starting meanwhile never loads half a file.
  writeFileSync(`${PGLITE_TEMPLATE}.${process.pid}`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${PGLITE_TEMPLATE}.${process.pid}`, PGLITE_TEMPLATE);
  writeFileSync(stamp, wanted);
  await database.close();
}

/** What the template is made from: every migration file, and the PGlite that ran them. */
export function templateStamp(): string {
  const hash = createHash('sha256');
  const dir = path.join(ROOT, 'src/db/migrations');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files) {
    if (!/\.(sql|json)$/.test(file)) continue;
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(dir, file)))
      .update('\0');
  }
  const pglite = JSON.parse(
    readFileSync(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
  );
  hash.update(String(pglite.version)).update(TEST_AUDIT_KEY);
  return hash.digest('hex');
}
