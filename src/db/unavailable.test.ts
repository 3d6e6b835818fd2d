import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PG_TEMPLATE_DB, withDatabase } from '../../test/template.ts';
import { openPostgres } from './client.ts';
import { isDatabaseUnavailable } from './unavailable.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('recognising that the database cannot be reached', () => {
  it('knows the server shutting down, crashing, starting up, or dropping the connection', () => {
    for (const code of ['57P01', '57P02', '57P03', '08000', '08003', '08006'])
      expect(isDatabaseUnavailable(withCode('server said no', code)), code).toBe(true);
    expect(isDatabaseUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(withCode('read ECONNRESET', 'ECONNRESET'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(
      isDatabaseUnavailable(new Error('Client has encountered a connection error and is not queryable')),
    ).toBe(true);
  });

  it('looks inside a failed query (the cause) and inside an AggregateError (one error per address)', () => {
    const query = Object.assign(new Error('Failed query: insert into pupil …'), {
      cause: withCode('terminating connection due to administrator command', '57P01'),
    });
    expect(isDatabaseUnavailable(query)).toBe(true);
    const aggregate = new AggregateError([
      withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'),
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
    ]);
    expect(isDatabaseUnavailable(aggregate)).toBe(true);
  });

  it('does not mistake a broken rule, a bad query or a fault in OpenSEND for an unreachable database', () => {
    expect(isDatabaseUnavailable(withCode('duplicate key value', '23505'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('syntax error at or near', '42601'))).toBe(false);
    const query = Object.assign(new Error('Failed query'), { cause: withCode('violates check', '23514') });
    expect(isDatabaseUnavailable(query)).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false);
    const loop: Error & { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    expect(isDatabaseUnavailable(loop)).toBe(false);
  });

  it('survives PostgreSQL terminating a connection checked out for a transaction, and carries on', async () => {
    const url = process.env.DATABASE_URL;
    if (!url) {
      expect(url).toBeUndefined(); // PGlite has no connections to lose
      return;
    }
    const name = `opensend_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${PG_TEMPLATE_DB}`);
    const reported: string[] = [];
    const database = await openPostgres(withDatabase(url, name), {
      poolSize: 2,
      onConnectionError: (e) => reported.push(e.message),
    });
    try {
      // The transaction holds its connection while the server ends it: the connection itself emits
      // 'error' (the pool's own 'error' event covers only idle connections).
      const failed = await database.db
        .transaction(async (tx) => {
          const rows = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as {
            rows: { pid: number }[];
          };
          await admin.query('select pg_terminate_backend($1)', [rows.rows[0]!.pid]);
          for (let i = 0; i < 100 && reported.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
          await tx.execute(sql`select 1`);
        })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(failed).toBeInstanceOf(Error);
      expect(isDatabaseUnavailable(failed)).toBe(true);
      expect(reported).toHaveLength(1);
      expect(reported[0]).toMatch(/terminat/);
      // The next query gets a new connection.
      const after = (await database.db.execute(sql`select 1 as one`)) as unknown as {
        rows: { one: number }[];
      };
      expect(after.rows[0]?.one).toBe(1);
    } finally {
      await database.close();
      await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    }
  });
});
