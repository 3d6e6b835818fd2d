import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client.ts';

/**
 * Many rows into one table, a few thousand a statement, sent as one JSON parameter that PostgreSQL
 * unpacks (json_populate_recordset) instead of tens of thousands of bound parameters: several times
 * cheaper for the demo's history of a school. Every row must give the same columns (a column no row
 * gives takes its default); values are what the table's insert type takes (dates as ISO strings,
 * timestamps as Date, jsonb as plain values).
 */
export async function insertMany<T extends PgTable>(
  db: Executor,
  table: T,
  rows: readonly T['$inferInsert'][],
  batch = 5000,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.entries(getTableColumns(table));
  const given = columns.filter(([key]) => (rows[0] as Record<string, unknown>)[key] !== undefined);
  for (const row of rows) {
    const keys = columns.filter(([key]) => (row as Record<string, unknown>)[key] !== undefined);
    if (keys.length !== given.length || keys.some(([key], i) => key !== given[i]![0])) {
      throw new Error(`insertMany(${getTableName(table)}): every row must give the same columns`);
    }
  }
  const names = sql.raw(given.map(([, c]) => `"${c.name}"`).join(', '));
  const name = sql.raw(`"${getTableName(table)}"`);
  for (let i = 0; i < rows.length; i += batch) {
    const json = JSON.stringify(
      rows
        .slice(i, i + batch)
        .map((row) =>
          Object.fromEntries(
            given.map(([key, c]) => [c.name, (row as Record<string, unknown>)[key] ?? null]),
          ),
        ),
    );
    await db.execute(
      sql`insert into ${name} (${names}) select ${names} from json_populate_recordset(null::${name}, ${json}::json)`,
    );
  }
}
