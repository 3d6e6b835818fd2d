/**
 * Set up before every test of the unit tier (vitest.config.ts): a test there that opens a database
 * fails at once with a message saying where it belongs, so that no test touching the database is run
 * on PGlite only (the database tier runs again on PostgreSQL when DATABASE_URL is set).
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export const UNIT_TIER_MESSAGE =
  'This test opens a database, so it belongs to the database tier: take its file out of UNIT in vitest.config.ts';

function refuse(): never {
  throw new Error(UNIT_TIER_MESSAGE);
}

PGlite.create = refuse;
pg.Client.prototype.connect = refuse;
pg.Pool.prototype.connect = refuse;
