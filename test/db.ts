import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import {
  type Database,
  MIGRATIONS_FOLDER,
  openPostgres,
  PGLITE_START_PARAMS,
  wrapPglite,
} from '../src/db/client.ts';
import { isDatabaseUnavailable } from '../src/db/unavailable.ts';
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE, TEST_AUDIT_KEY, withDatabase } from './template.ts';

/**
 * A fresh, migrated, empty database for one test file: a copy of the template made by the global
 * set-up. PGlite by default; PostgreSQL when DATABASE_URL is set (the same tests run on both).
 */
export async function freshDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const { name, url: databaseUrl } = await freshPostgresDatabase(url);
    // Dropping the database at the end terminates any connection still open: expected, not a failure.
    const database = await openPostgres(databaseUrl, {
      poolSize: 5,
      auditKey: TEST_AUDIT_KEY,
      onConnectionError: (error) => {
        if (!isDatabaseUnavailable(error)) throw error;
      },
    });
    return {
      ...database,
      async close() {
        await database.close();
        await dropPostgresDatabase(url, name);
      },
    };
  }
  const tarball = readFileSync(PGLITE_TEMPLATE);
  const client = await PGlite.create({ loadDataDir: new Blob([tarball]) });
  return wrapPglite(client, { auditKey: TEST_AUDIT_KEY });
}

/** On PostgreSQL: a new database copied from the migrated template, for one test (or one process). */
export async function freshPostgresDatabase(serverUrl: string): Promise<{ name: string; url: string }> {
  const name = `opensend_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${PG_TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  return { name, url: withDatabase(serverUrl, name) };
}

export async function dropPostgresDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * A DATA_DIR for `opensend serve` on PGlite, holding a copy of the migrated template: about 1.5 s,
 * where a first start (initdb) takes about 5 s.
 */
export async function freshPgliteDataDir(): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'opensend-data-'));
  const client = await PGlite.create({
    dataDir: path.join(dataDir, 'pglite'),
    loadDataDir: new Blob([readFileSync(PGLITE_TEMPLATE)]),
    startParams: PGLITE_START_PARAMS,
  });
  await client.close();
  return dataDir;
}

/**
 * A new database migrated only up to (not including) the first migration whose tag contains `tag`,
 * as an installation from before that migration has it, with `migrateRest` to apply the others as
 * OpenSEND would on its next start (with the test audit key, unless given another or null). PGlite by default (a new one, in memory:
 * a few seconds), PostgreSQL when DATABASE_URL is set (unless `pglite`).
 */
export async function databaseMigratedBefore(
  tag: string,
  options: { auditKey?: string | null; pglite?: boolean } = {},
): Promise<Database> {
  const auditKey = options.auditKey === undefined ? TEST_AUDIT_KEY : (options.auditKey ?? undefined);
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const stop = journal.entries.findIndex((e) => e.tag.includes(tag));
  if (stop < 0) throw new Error(`no migration named like ${tag}`);
  const folder = mkdtempSync(path.join(tmpdir(), 'opensend-migrations-'));
  mkdirSync(path.join(folder, 'meta'));
  const entries = journal.entries.slice(0, stop);
  writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const e of entries)
    copyFileSync(path.join(MIGRATIONS_FOLDER, `${e.tag}.sql`), path.join(folder, `${e.tag}.sql`));
  const url = options.pglite ? undefined : process.env.DATABASE_URL;
  if (url) {
    const name = `opensend_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    const databaseUrl = withDatabase(url, name);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await migrateNodePg(drizzleNodePg({ client }), { migrationsFolder: folder });
    } finally {
      await client.end();
    }
    const database = await openPostgres(databaseUrl, { poolSize: 2, auditKey });
    return {
      ...database,
      async close() {
        await database.close();
        await dropPostgresDatabase(url, name);
      },
    };
  }
  const client = await PGlite.create();
  await migratePglite(drizzlePglite({ client }), { migrationsFolder: folder });
  return wrapPglite(client, { auditKey });
}
