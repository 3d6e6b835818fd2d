import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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
import { ROOT } from '../root.ts';
import { AUDIT_KEY_SETTING, auditConnectionOptions, auditKeySetting } from './audit-key.ts';
import { acquireDataDirLock } from './lock.ts';
import { preparingClient } from './pglite-statements.ts';
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
  /**
   * PGlite only (PostgreSQL's autovacuum does this itself): gather the planner's statistics for each
   * table never analysed or grown by a fifth since. The names of the tables analysed.
   */
  analyzeGrownTables?(): Promise<string[]>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = path.join(ROOT, 'src/db/migrations');
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
  // Statements sent again and again are prepared once in PGlite's one session (pglite-statements.ts).
  const db = drizzlePglite({ client: preparingClient(client), schema }) as unknown as Db;
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
    async analyzeGrownTables() {
      // PGlite runs PostgreSQL in single-user mode: no autovacuum, so no statistics unless asked for,
      // and without them the planner guesses (a join of every group's spells ran once per group).
      const grown = await client.query<{ name: string }>(`
        select quote_ident(c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and pg_relation_size(c.oid) > 0
          and (c.reltuples < 0 or pg_relation_size(c.oid) / 8192 > c.relpages * 1.2 + 8)
        order by c.relname`);
      const names = grown.rows.map((r) => r.name);
      if (names.length > 0) await client.exec(`analyze ${names.join(', ')}`);
      return names;
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
 * A digest of every migration file (as scripts/build-pglite-template.mjs records with the template it
 * makes): a template made from other migrations is not loaded.
 */
function migrationsDigest(): string {
  const hash = createHash('sha256');
  const files = [
    ...readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')),
    ...readdirSync(path.join(MIGRATIONS_FOLDER, 'meta')).map((f) => `meta/${f}`),
  ].sort();
  for (const f of files) hash.update(`${f}\n`).update(readFileSync(path.join(MIGRATIONS_FOLDER, f)));
  return hash.digest('hex');
}

/** The migrated empty database `npm install` makes (scripts/build-pglite-template.mjs). */
export const FIRST_START_TEMPLATE = path.join(ROOT, 'dist/pglite-template.tar.gz');

/**
 * The template, when there is one made by this PGlite: a new database loaded from it (about a second)
 * instead of created from nothing (initdb, about five) and migrated; migrations added since are applied
 * by `migrate` as for any database.
 */
export function pgliteTemplate(file = FIRST_START_TEMPLATE): Blob | undefined {
  try {
    const made = JSON.parse(readFileSync(file.replace(/\.tar\.gz$/, '.json'), 'utf8'));
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    let dir = path.dirname(entry);
    while (path.basename(dir) !== 'pglite') dir = path.dirname(dir);
    const installed = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    const current = made.pglite === installed && made.migrations === migrationsDigest();
    return current ? new Blob([readFileSync(file)]) : undefined;
  } catch {
    return undefined; // none made (npm install --ignore-scripts), or unreadable: create the database
  }
}

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
    const target = path.join(dataDir, 'pglite');
    const template = existsSync(path.join(target, 'PG_VERSION')) ? undefined : pgliteTemplate();
    const client = await PGlite.create({
      dataDir: target,
      ...(template ? { loadDataDir: template } : {}),
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
