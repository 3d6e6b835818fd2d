import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type Database, openPostgres, wrapPglite } from '../src/db/client.ts';
import { isDatabaseUnavailable } from '../src/db/unavailable.ts';
import { PG_TEMPLATE_DB, PGLITE_TEMPLATE, withDatabase } from './template.ts';

/**
 * A fresh, migrated, empty database for one test file: a copy of the template made by the global
 * set-up. PGlite by default; PostgreSQL when DATABASE_URL is set (the same tests run on both).
 */
export async function freshDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `opensend_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${PG_TEMPLATE_DB}`);
    await admin.end();
    // Dropping the database at the end terminates any connection still open: expected, not a failure.
    const database = await openPostgres(withDatabase(url, name), {
      poolSize: 5,
      onConnectionError: (error) => {
        if (!isDatabaseUnavailable(error)) throw error;
      },
    });
    return {
      ...database,
      async close() {
        await database.close();
        const cleanup = new pg.Client({ connectionString: url });
        await cleanup.connect();
        await cleanup.query(`drop database if exists ${name} with (force)`);
        await cleanup.end();
      },
    };
  }
  const tarball = readFileSync(PGLITE_TEMPLATE);
  const client = await PGlite.create({ loadDataDir: new Blob([tarball]) });
  return wrapPglite(client);
}
