import { existsSync, readFileSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGLITE_TEMPLATE } from '../../test/template.ts';
import { type PreparingClient, preparingClient } from './pglite-statements.ts';

/*
 * PGlite's client that prepares statements sent again (see pglite-statements.ts): it must give exactly
 * what PGlite's own `query` gives, errors included, while PostgreSQL parses and plans each statement
 * once.
 */

let raw: PGlite;
let client: PGlite & PreparingClient;
beforeAll(async () => {
  raw = existsSync(PGLITE_TEMPLATE)
    ? await PGlite.create({ loadDataDir: new Blob([readFileSync(PGLITE_TEMPLATE)]) })
    : await PGlite.create();
  client = preparingClient(raw);
  await raw.exec(`
    create table thing (id uuid primary key, name text not null unique, n int, on_day date, at timestamptz,
      flag boolean, detail jsonb);`);
});
afterAll(() => raw.close());

const preparedNames = async () =>
  (await raw.query<{ name: string }>("select name from pg_prepared_statements where name like 'opensend_%'"))
    .rows.length;

const ID = '0b7a6d3e-5c1f-4c8e-9b1a-2f3e4d5c6b7a';
const INSERT =
  'insert into thing (id, name, n, on_day, at, flag, detail) values ($1, $2, $3, $4, $5, $6, $7) returning id';
const SELECT = 'select id, name, n, on_day, at, flag, detail from thing where name = $1 or id = $2';

describe('PGlite with statements prepared', () => {
  it('gives what PGlite gives, for every kind of value and both row modes, and prepares a statement the second time it is sent', async () => {
    await client.query(INSERT, [
      ID,
      'Ash',
      3,
      '2026-11-20',
      new Date('2026-11-20T09:30:00Z'),
      true,
      { a: [1, 'two'] },
    ]);
    const options = { rowMode: 'array' as const, parsers: { [types.DATE]: (v: string) => v } };
    const direct = await raw.query(SELECT, ['Ash', null], options);
    const before = await preparedNames();
    const first = await client.query(SELECT, ['Ash', null], options);
    const second = await client.query(SELECT, ['Ash', null], options);
    const third = await client.query(SELECT, ['nobody', ID], options);
    for (const r of [first, second, third]) {
      expect(r.rows).toEqual(direct.rows);
      expect(r.fields).toEqual(direct.fields);
    }
    expect(direct.rows[0]).toEqual([
      ID,
      'Ash',
      3,
      '2026-11-20',
      new Date('2026-11-20T09:30:00Z'),
      true,
      { a: [1, 'two'] },
    ]);
    // Prepared once, on its second sending, and used from then on.
    expect((await preparedNames()) - before).toBe(1);
    const objects = await client.query<{ name: string; detail: unknown }>(SELECT, ['Ash', null]);
    expect(objects.rows[0]).toMatchObject({ name: 'Ash', detail: { a: [1, 'two'] } });
    expect(objects.affectedRows).toBe(0);
  });

  it('changes rows and reports errors as PGlite does, and goes on working after an error', async () => {
    const id = () => crypto.randomUUID();
    for (let i = 0; i < 3; i++) {
      const r = await client.query(INSERT, [id(), `Oak ${i}`, i, null, null, null, null]);
      expect(r.affectedRows).toBe(1);
      expect(r.rows).toHaveLength(1);
    }
    const failure = await client.query(INSERT, [id(), 'Oak 1', 9, null, null, null, null]).catch((e) => e);
    expect(failure).toMatchObject({ code: '23505', constraint: 'thing_name_key' });
    const update = 'update thing set n = n + $1 where name like $2';
    await client.query(update, [10, 'Oak %']);
    const changed = await client.query(update, [10, 'Oak %']);
    expect(changed.affectedRows).toBe(3);
    const ns = await client.query<{ n: number }>('select n from thing where name like $1 order by n', [
      'Oak %',
    ]);
    expect(ns.rows.map((r) => r.n)).toEqual([20, 21, 22]);
  });

  it('sends what PostgreSQL cannot prepare as before, and a transaction’s queries through the transaction', async () => {
    const before = client.prepared;
    for (let i = 0; i < 3; i++) {
      await client.query("set application_name = 'opensend'");
      await client.query('show application_name');
    }
    expect(client.prepared).toBe(before);
    await client.transaction(async (tx) => {
      await tx.query('update thing set n = 0 where name = $1', ['Ash']);
      expect((await tx.query<{ n: number }>('select n from thing where name = $1', ['Ash'])).rows[0]?.n).toBe(
        0,
      );
      await tx.rollback();
    });
    expect(
      (await client.query<{ n: number }>('select n from thing where name = $1', ['Ash'])).rows[0]?.n,
    ).toBe(3);
  });

  it('prepares a statement again when its table changed shape since', async () => {
    const all = 'select * from thing where name = $1';
    await client.query(all, ['Ash']);
    await client.query(all, ['Ash']);
    await raw.exec('alter table thing add column extra text');
    const after = await client.query<Record<string, unknown>>(all, ['Ash']);
    expect(Object.keys(after.rows[0]!)).toContain('extra');
    const again = await client.query<Record<string, unknown>>(all, ['Ash']);
    expect(Object.keys(again.rows[0]!)).toContain('extra');
  });
});
