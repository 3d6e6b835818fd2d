import { randomUUID } from 'node:crypto';
import { Placeholder } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import { SCHOOL_ROLES } from '../domain/access.ts';
import { auditValues } from './audit.ts';
import { recordSelectForTest } from './pupil-record.ts';

/*
 * The pupil page must not read the audit trail to show the record's own history: every view adds an
 * audit row for the pupil, so a statement that read them would get slower each time the record is
 * seen. PostgreSQL's own plan of the record statement says which tables it reads.
 */

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Operation?: string;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/** The plan PostgreSQL makes for the record statement of someone with these roles. */
async function recordPlan(roles: (typeof SCHOOL_ROLES)[number][]) {
  const schoolId = randomUUID();
  const userId = randomUUID();
  const pupilId = randomUUID();
  const audit = auditValues({ schoolId, userId, role: roles.join(','), action: 'pupil.viewed', pupilId });
  const values: Record<string, unknown> = {
    schoolId,
    userId,
    pupilId,
    auditSchoolId: audit.schoolId,
    auditUserId: audit.userId,
    auditRole: audit.role,
    auditAction: audit.action,
    auditPupilId: audit.pupilId,
    auditRequestId: 'test',
    auditDetail: audit.detail,
  };
  const query = recordSelectForTest(database.db, roles, {
    viewed: { schoolId, userId, role: null, action: 'pupil.viewed', pupilId },
    assignableStaff: true,
  }).toSQL();
  const params = query.params.map((p) => (p instanceof Placeholder ? values[p.name] : p));
  const client = (
    database.db as unknown as {
      $client: { query(text: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };
    }
  ).$client;
  const result = await client.query(`explain (format json) ${query.sql}`, params);
  const plan = result.rows[0]!['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan: PlanNode }[];
  return nodesOf(parsed[0]!.Plan);
}

describe('the pupil record statement', () => {
  it.each(SCHOOL_ROLES.map((r) => [r]))(
    'as %s reads no audit row: it only appends the view’s own',
    async (role) => {
      const nodes = await recordPlan([role]);
      const read = nodes.filter((n) => n['Relation Name'] && n['Node Type'] !== 'ModifyTable');
      // It does read the record's parts (so the plan is the real one)…
      expect(read.map((n) => n['Relation Name'])).toContain('pupil');
      // …and never the audit trail or its links, whose rows for a pupil grow with every view.
      expect(read.map((n) => n['Relation Name'])).not.toContain('audit_event');
      expect(read.map((n) => n['Relation Name'])).not.toContain('audit_event_pupil');
      // The one thing it does to the audit trail is to append this view's row.
      expect(
        nodes.filter((n) => n['Node Type'] === 'ModifyTable').map((n) => [n.Operation, n['Relation Name']]),
      ).toEqual([['Insert', 'audit_event']]);
    },
  );

  it('for a SENCo reads the MIS import history from the pupil’s own import history', async () => {
    const read = (await recordPlan(['senco'])).map((n) => n['Relation Name']);
    expect(read).toContain('pupil_import_change');
  });
});
