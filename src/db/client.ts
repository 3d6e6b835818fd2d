import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { storedAuditKey } from '../config.ts';
import { AUDIT_KEY_SETTING, auditConnectionOptions, auditKeySetting } from './audit-key.ts';
import { acquireDataDirLock } from './lock.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or a transaction: repositories take this so they run inside a service's transaction. */
export type Executor = Db | Tx;

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /**
   * The audit key (AUDIT_KEY) this database's connections were given: the chain trigger keys each
   * audit row with it, and verifying and checkpoints need it. Null when opened without one (then no
   * audit row can be written: the trigger refuses).
   */
  auditKey: string | null;
  /** Runs all migrations not yet applied, under an advisory lock so two instances can start together. */
  migrate(): Promise<void>;
  /** PGlite only: the whole database as a gzipped tarball of its data directory, taken while it runs. */
  snapshot?(): Promise<Uint8Array>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Key of the advisory lock held while migrating: the same number in every OpenSEND instance. */
const MIGRATION_LOCK_KEY = 720_451_001;

export interface PostgresOptions {
  poolSize?: number;
  /**
   * A pooled connection can fail at any time (PostgreSQL restarted or stopped, the connection was
   * terminated), idle in the pool or checked out by a request. The query in flight fails with an
   * error that `isDatabaseUnavailable` recognises, the pool drops the connection and opens another
   * when next needed. This hears of each failed connection once; without a listener Node would
   * crash the server.
   */
  onConnectionError?: (error: Error) => void;
  /**
   * A second URL, for a role that owns the tables: migrations run with it, and afterwards the app's
   * own role (DATABASE_URL) is granted only what it needs: no ownership, and nothing but SELECT and
   * INSERT on the audit trail, so it cannot alter or disable the audit triggers.
   */
  migrationUrl?: string | undefined;
  /** The audit key, given to every connection (the app's and the migrations'): see `Database.auditKey`. */
  auditKey?: string | undefined;
}

/** How long to wait for a new connection before the request answers that the database is unavailable. */
const CONNECT_TIMEOUT_MS = 10_000;

export async function openPostgres(
  databaseUrl: string,
  options: PostgresOptions | number = {},
): Promise<Database> {
  const {
    poolSize = 10,
    onConnectionError,
    migrationUrl,
    auditKey,
  } = typeof options === 'number'
    ? { poolSize: options, migrationUrl: undefined, auditKey: undefined }
    : options;
  // The key reaches each connection in its start-up packet: not a statement, so never in a query log.
  const keyed = auditKey ? { options: auditConnectionOptions(auditKey) } : {};
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    ...keyed,
  });
  const report = (error: Error) => {
    if (onConnectionError) onConnectionError(error);
    else console.error(`OpenSEND: a database connection failed and was closed: ${error.message}`);
  };
  // The pool's 'error' event covers idle connections only: a connection checked out for a
  // transaction emits 'error' on itself. So listen on every connection for its whole life.
  pool.on('connect', (client) => {
    let reported = false;
    client.on('error', (error) => {
      if (reported) return; // the server's message, then "Connection terminated": one failure
      reported = true;
      report(error);
    });
  });
  pool.on('error', () => {}); // the same failure, already reported by the connection itself
  // Dates stay as 'YYYY-MM-DD' strings: a school date has no time zone.
  const db = drizzleNodePg({ client: pool, schema }) as unknown as Db;
  await pool.query('select 1');
  return {
    db,
    kind: 'postgres',
    auditKey: auditKey ?? null,
    async migrate() {
      const client = new pg.Client({ connectionString: migrationUrl ?? databaseUrl, ...keyed });
      client.on('error', () => {}); // a lost connection fails the migration's query instead
      await client.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await migrateNodePg(drizzleNodePg({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
          if (migrationUrl) {
            const appRole = (await pool.query<{ role: string }>('select current_user as role')).rows[0]?.role;
            const owner = (await client.query<{ role: string }>('select current_user as role')).rows[0]?.role;
            if (appRole && appRole !== owner) await grantAppRole(client, appRole);
          }
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        await client.end();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * What the app's own role may do when another role owns the tables: read and write the school data,
 * append to the audit trail and read it, nothing more (no DDL, no UPDATE or DELETE on the trail).
 */
async function grantAppRole(client: pg.Client, role: string): Promise<void> {
  const r = client.escapeIdentifier(role);
  await client.query(`grant usage on schema public to ${r}`);
  await client.query(`grant select, insert, update, delete on all tables in schema public to ${r}`);
  await client.query(`revoke update, delete, truncate on audit_event, audit_event_pupil from ${r}`);
  await client.query(`grant usage, select on all sequences in schema public to ${r}`);
}

/**
 * Wrap an open PGlite (from a directory, memory or a loaded copy), giving its one connection the audit
 * key (a setting of the session: it is not stored in the database, nor in a snapshot of it).
 */
export async function wrapPglite(
  client: PGlite,
  options: { auditKey?: string | undefined; onClose?: () => void } = {},
): Promise<Database> {
  const { auditKey, onClose = () => {} } = options;
  if (auditKey)
    await client.query('select set_config($1, $2, false)', [AUDIT_KEY_SETTING, auditKeySetting(auditKey)]);
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    auditKey: auditKey ?? null,
    async migrate() {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    },
    async snapshot() {
      const dump = await client.dumpDataDir('gzip');
      return new Uint8Array(await dump.arrayBuffer());
    },
    async close() {
      try {
        await client.close();
      } finally {
        onClose();
      }
    },
  };
}

/**
 * Put a database back from a snapshot (see `snapshot`) into DATA_DIR/pglite, which must not exist
 * yet, and return it open (under the data directory's lock).
 */
export async function restorePgliteDirectory(
  dataDir: string,
  snapshot: Uint8Array,
  options: { auditKey: string },
): Promise<Database> {
  const release = acquireDataDirLock(dataDir);
  try {
    const target = path.join(dataDir, 'pglite');
    if (existsSync(target) && readdirSync(target).length > 0) {
      throw new Error(`${target} already holds a database: move it away first`);
    }
    const client = await PGlite.create({
      dataDir: target,
      loadDataDir: new Blob([new Uint8Array(snapshot)]),
      startParams: PGLITE_START_PARAMS,
    });
    return await wrapPglite(client, { auditKey: options.auditKey, onClose: release });
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * PostgreSQL's default 128 MB of shared buffers is far more than one school's few megabytes need,
 * and inside PGlite it is resident memory: 32 MB keeps an idle server well under 400 MB.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/**
 * PGlite in DATA_DIR/pglite, guarded by a lock file so a second process refuses to start. Without an
 * audit key given, the one kept in DATA_DIR (as when AUDIT_KEY is not set) is used.
 */
export async function openPgliteDirectory(
  dataDir: string,
  options: { auditKey?: string | undefined } = {},
): Promise<Database> {
  const release = acquireDataDirLock(dataDir);
  try {
    const client = await PGlite.create({
      dataDir: path.join(dataDir, 'pglite'),
      startParams: PGLITE_START_PARAMS,
    });
    return await wrapPglite(client, {
      auditKey: options.auditKey ?? storedAuditKey(dataDir),
      onClose: release,
    });
  } catch (error) {
    release();
    throw error;
  }
}

export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  migrationDatabaseUrl?: string | undefined;
  dataDir: string;
  auditKey: string;
}): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, {
        migrationUrl: options.migrationDatabaseUrl,
        auditKey: options.auditKey,
      })
    : openPgliteDirectory(options.dataDir, { auditKey: options.auditKey });
}

export async function ping(db: Db): Promise<boolean> {
  await db.execute(sql`select 1`);
  return true;
}
