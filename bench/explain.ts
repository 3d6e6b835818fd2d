import pg from 'pg';
import { auditConnectionOptions } from '../src/db/audit-key.ts';
import { TEST_AUDIT_KEY } from '../test/template.ts';
import { type RecordedStatement, roundTrips } from './round-trips.ts';

/**
 * What PostgreSQL does for one request, measured without timing: the statements the request sends
 * (recorded as this process sends them), each run again under EXPLAIN (ANALYZE, BUFFERS) inside a
 * transaction that is rolled back. Buffers touched and rows read only to be thrown away do not depend
 * on other work on the machine, as times do.
 */
export interface StatementWork {
  /** Shared buffers hit or read by the statements' plans. */
  buffers: number;
  /** Rows read and then discarded by a filter, a join filter or an index recheck. */
  rowsDiscarded: number;
  statements: number;
}

interface PlanNode {
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Join Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

function discarded(node: PlanNode): number {
  const own =
    ((node['Rows Removed by Filter'] ?? 0) +
      (node['Rows Removed by Join Filter'] ?? 0) +
      (node['Rows Removed by Index Recheck'] ?? 0)) *
    (node['Actual Loops'] ?? 1);
  return own + (node.Plans ?? []).reduce((sum, child) => sum + discarded(child), 0);
}

/** The statements `request` sends through `pg` in this process. */
export async function statementsOf(request: () => Promise<unknown>): Promise<RecordedStatement[]> {
  const recorded: RecordedStatement[] = [];
  roundTrips.record = recorded;
  try {
    await request();
  } finally {
    roundTrips.record = null;
  }
  return recorded;
}

/** Run each statement again under EXPLAIN (ANALYZE, BUFFERS), changing nothing, and add up its work. */
export async function explainStatements(
  url: string,
  statements: RecordedStatement[],
): Promise<StatementWork> {
  // With the audit key, as OpenSEND's own connections have it: a view's audit row goes through the chain.
  const client = new pg.Client({ connectionString: url, options: auditConnectionOptions(TEST_AUDIT_KEY) });
  await client.connect();
  const work: StatementWork = { buffers: 0, rowsDiscarded: 0, statements: 0 };
  try {
    for (const s of statements) {
      if (!/^\s*(with|select|insert|update|delete)\b/i.test(s.text)) continue;
      await client.query('begin');
      try {
        const result = await client.query(`explain (analyze, buffers, format json) ${s.text}`, s.values);
        const plan = (result.rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]!.Plan;
        work.buffers += (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
        work.rowsDiscarded += discarded(plan);
        work.statements++;
      } finally {
        await client.query('rollback');
      }
    }
  } finally {
    await client.end();
  }
  return work;
}
