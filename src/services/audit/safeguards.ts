import { auditTriggers, expectedDatabaseObjects, triggerType } from '../../db/audit-trigger.ts';
import type { DatabaseSafeguards } from '../../repositories/audit.ts';

/*
 * The database's safeguards of the audit trail compared with OpenSEND's migrations (docs/adr/0015).
 * The triggers on the trail's tables must be there, on, as created, each running OpenSEND's own
 * function, unchanged. And since the audit key is a setting of OpenSEND's connections, which any trigger,
 * rule or default run in the same session could read (and keep), the database must hold no trigger,
 * function, rule, event trigger or row security policy other than OpenSEND's, and no default, check or
 * index that reads a setting.
 */

const ENABLED = new Set(['O', 'A']);

/** What is wrong with the safeguards, in plain words; nothing when they are as OpenSEND made them. */
export function safeguardProblems(found: DatabaseSafeguards): string[] {
  const expected = expectedDatabaseObjects();
  const problems: string[] = [];
  const own = (schema: string) => schema === found.schema;
  const audit = new Set(auditTriggers().map((t) => `${t.table}.${t.name}`));

  for (const t of expected.triggers) {
    const there = found.triggers.find((x) => own(x.schema) && x.table === t.table && x.name === t.name);
    const what = `The trigger ${t.name} on ${t.table}`;
    // Only the trail's own triggers must be there; the others (keeping search terms) may be dropped.
    if (!there) {
      if (audit.has(`${t.table}.${t.name}`)) problems.push(`${what} is missing`);
      continue;
    }
    if (!ENABLED.has(there.enabled)) problems.push(`${what} is turned off`);
    if (!own(there.functionSchema) || there.function !== t.function)
      problems.push(
        `${what} does not run OpenSEND's function ${t.function}: it runs ${there.functionSchema}.${there.function}`,
      );
    if (
      there.type !== triggerType(t) ||
      there.hasCondition ||
      there.arguments !== 0 ||
      there.columns !== 0 ||
      there.oldTable !== t.oldTable ||
      there.newTable !== t.newTable
    )
      problems.push(
        `${what} is not as OpenSEND created it (${t.timing} ${t.events.join(' OR ')} FOR EACH ${t.level}, with no condition)`,
      );
  }
  for (const x of found.triggers) {
    if (own(x.schema) && expected.triggers.some((t) => t.table === x.table && t.name === x.name)) continue;
    problems.push(
      `A trigger OpenSEND did not create: ${x.name} on ${x.schema}.${x.table} (it runs ${x.functionSchema}.${x.function}); it could copy the audit key`,
    );
  }

  for (const f of expected.functions) {
    const there = found.functions.filter((x) => own(x.schema) && x.name === f.name);
    const changed =
      there.length !== 1 ||
      there[0]?.digest !== f.digest ||
      there[0]?.language !== f.language ||
      there[0]?.settings !== null ||
      there[0]?.securityDefiner;
    if (there.length === 0) {
      problems.push(`The function ${f.name} that OpenSEND installed is missing`);
    } else if (changed) {
      problems.push(
        f.name === 'audit_event_chain'
          ? 'The function that chains the trail (audit_event_chain) is not the one OpenSEND installed: it may have been changed to capture the audit key'
          : `The function ${f.name} is not the one OpenSEND installed: it may have been changed to capture the audit key or to let the trail be changed`,
      );
    }
  }
  for (const x of found.functions) {
    if (own(x.schema) && expected.functions.some((f) => f.name === x.name)) continue;
    problems.push(`A function OpenSEND did not create: ${x.schema}.${x.name}(${x.arguments})`);
  }

  for (const r of found.rules)
    problems.push(`A rule OpenSEND did not create: ${r.name} on ${r.schema}.${r.table}`);
  for (const e of found.eventTriggers)
    problems.push(`An event trigger OpenSEND did not create: ${e.name} (on ${e.event})`);
  for (const p of found.policies)
    problems.push(`A row security policy OpenSEND did not create: ${p.name} on ${p.schema}.${p.table}`);
  for (const s of found.settingReaders)
    problems.push(
      `${s.place[0]?.toUpperCase()}${s.place.slice(1)} reads a setting of the connection, where the audit key is kept: ${s.expression}`,
    );
  return problems;
}
