import pg from 'pg';

/**
 * Counts the statements this process sends to PostgreSQL through `pg` (each `query` call is one round
 * trip: a simple query, or parse/bind/execute/sync). Installed once, before any connection is made.
 */
export interface RecordedStatement {
  text: string;
  values: unknown[];
}

export interface RoundTrips {
  count: number;
  /** The statements sent (text and values) since `record` was last set to a new array. */
  record: RecordedStatement[] | null;
}

export const roundTrips: RoundTrips = { count: 0, record: null };

let installed = false;
export function countRoundTrips(): RoundTrips {
  if (installed) return roundTrips;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    roundTrips.count++;
    if (roundTrips.record) {
      const q = args[0];
      const config = typeof q === 'object' && q !== null ? (q as { text?: string; values?: unknown[] }) : {};
      const values = Array.isArray(args[1]) ? args[1] : (config.values ?? []);
      roundTrips.record.push({ text: typeof q === 'string' ? q : String(config.text ?? q), values });
    }
    return query.apply(this, args);
  };
  return roundTrips;
}
