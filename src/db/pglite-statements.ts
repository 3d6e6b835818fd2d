import { type PGlite, parse, protocol, type QueryOptions, type Results } from '@electric-sql/pglite';

/*
 * PGlite sends every query as an unnamed statement: PostgreSQL parses, analyses and plans it again
 * each time, and PGlite answers each step of the exchange in a call of its own. For the pupil page's
 * record statement (about 12 KB of SQL) that was most of the page's time on PGlite. PostgreSQL through
 * `pg` keeps a prepared statement per connection; PGlite has one session, so a statement prepared
 * once stays prepared for the life of the database handle.
 *
 * `preparingClient` gives drizzle a PGlite whose `query` prepares a statement under a name of its own
 * the second time its text is sent, and from then on binds and runs it in one exchange. Only
 * statements PostgreSQL can prepare (select, insert, update, delete, with) are, up to MAX_PREPARED
 * texts; anything else, a transaction's own queries (they go through the transaction's client) and a
 * query with a file attached go as before. Results, parsers and errors are PGlite's own.
 */

const MAX_PREPARED = 300;
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

interface Prepared {
  name: string;
  /** The parameters' type ids, as PostgreSQL inferred them. */
  types: number[];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface PreparingClient {
  /** Statements prepared so far (for tests). */
  readonly prepared: number;
}

export function preparingClient(client: PGlite): PGlite & PreparingClient {
  const seen = new Map<string, number>();
  const prepared = new Map<string, Prepared>();
  let next = 0;

  async function prepare(text: string): Promise<Prepared> {
    const name = `opensend_${++next}`;
    const { messages } = await client.execProtocol(
      concat([
        protocol.serialize.parse({ name, text }),
        protocol.serialize.describe({ type: 'S', name }),
        protocol.serialize.sync(),
      ]),
      { syncToFs: false },
    );
    return { name, types: parse.parseDescribeStatementResults(messages) };
  }

  async function run(text: string, params: unknown[], options: QueryOptions | undefined): Promise<Results> {
    return client.runExclusive(async () => {
      let statement = prepared.get(text);
      if (!statement) {
        statement = await prepare(text);
        prepared.set(text, statement);
      }
      const values = params.map((value, i) => {
        if (value === null || value === undefined) return null;
        const type = statement.types[i];
        const serialize =
          (type !== undefined && (options?.serializers?.[type] ?? client.serializers[type])) || null;
        return serialize ? serialize(value) : String(value);
      });
      const { messages } = await client.execProtocol(
        concat([
          protocol.serialize.bind({ statement: statement.name, values }),
          protocol.serialize.describe({ type: 'P' }),
          protocol.serialize.execute({}),
          protocol.serialize.sync(),
        ]),
      );
      return parse.parseResults(messages, client.parsers, options)[0]!;
    });
  }

  const query = (async (text: string, params: unknown[] = [], options?: QueryOptions) => {
    if (options?.blob || !PREPARABLE.test(text)) return client.query(text, params, options);
    if (!prepared.has(text)) {
      const times = (seen.get(text) ?? 0) + 1;
      if (times < 2 || prepared.size >= MAX_PREPARED) {
        if (prepared.size < MAX_PREPARED) seen.set(text, times);
        return client.query(text, params, options);
      }
      seen.delete(text);
    }
    try {
      return await run(text, params, options);
    } catch (error) {
      // A statement whose tables changed shape since it was prepared (a migration in this process):
      // prepared again next time, and this time sent as before.
      if ((error as { code?: string }).code !== '0A000') throw error;
      const stale = prepared.get(text);
      prepared.delete(text);
      if (stale) await client.query(`deallocate ${stale.name}`);
      return client.query(text, params, options);
    }
  }) as PGlite['query'];

  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'query') return query;
      if (property === 'prepared') return prepared.size;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as PGlite & PreparingClient;
}
