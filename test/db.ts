import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Database, openPostgres, PGLITE_START_PARAMS, wrapPglite } from '../src/db/client.ts';
import { isDatabaseUnavailable } from '../src/db/unavailable.ts';
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE, withDatabase } from './template.ts';

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
  return wrapPglite(client);
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
