import pg from 'pg';

/**
 * Counts the statements this process sends to PostgreSQL through `pg` (each `query` call is one round
 * trip: a simple query, or parse/bind/execute/sync). Installed once, before any connection is made.
 */
export interface RoundTrips {
  count: number;
  /** The text of the statements sent since `record` was last set to a new array. */
  record: string[] | null;
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
      roundTrips.record.push(typeof q === 'string' ? q : String((q as { text?: string })?.text ?? q));
    }
    return query.apply(this, args);
  };
  return roundTrips;
}
