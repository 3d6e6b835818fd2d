import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_FOLDER } from './client.ts';

/*
 * What keeps the audit trail append-only and chained, and the audit key out of reach, as OpenSEND's
 * migrations make it: every function and trigger they create (in OpenSEND's own schema), read from the
 * migrations themselves, so that `opensend audit verify` can compare the database with them. The audit
 * key is a setting of OpenSEND's connections: a trigger on any table written in the same session could
 * read it, so verify wants every trigger and function in the database to be one of these, unchanged.
 */

/** A function as the newest migration that defines it has it. */
export interface ExpectedFunction {
  name: string;
  /** md5 of its body, as pg_proc.prosrc holds it. */
  digest: string;
  language: string;
}

export type TriggerEvent = 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';

/** A trigger as the migrations create it. */
export interface ExpectedTrigger {
  table: string;
  name: string;
  timing: 'BEFORE' | 'AFTER' | 'INSTEAD OF';
  events: TriggerEvent[];
  level: 'ROW' | 'STATEMENT';
  /** The function it runs (in OpenSEND's schema). */
  function: string;
  /** Its transition tables (REFERENCING OLD / NEW TABLE AS …), if any. */
  oldTable: string | null;
  newTable: string | null;
}

/** The triggers that keep the trail append-only and chained (each must be there, as created, and on). */
export const AUDIT_TABLES = ['audit_event', 'audit_event_pupil'] as const;

const FUNCTION =
  /CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(\w+)\s*\([^)]*\)([\s\S]*?)\$(\w*)\$([\s\S]*?)\$\3\$([^;]*)/gi;
const TRIGGER =
  /CREATE\s+TRIGGER\s+(\w+)\s+(BEFORE|AFTER|INSTEAD\s+OF)\s+([\w\s]+?)\s+ON\s+(\w+)([\s\S]*?)FOR\s+EACH\s+(ROW|STATEMENT)\s+EXECUTE\s+(?:FUNCTION|PROCEDURE)\s+(\w+)\s*\(\s*\)/gi;
const DROP_FUNCTION = /DROP\s+FUNCTION\s+(?:IF\s+EXISTS\s+)?(\w+)/gi;
const DROP_TRIGGER = /DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)\s+ON\s+(\w+)/gi;

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

let parsed: { functions: ExpectedFunction[]; triggers: ExpectedTrigger[] } | null = null;

/**
 * Every function and trigger OpenSEND's migrations leave in the database, read from the migrations in
 * order (a later CREATE OR REPLACE replaces, a DROP removes).
 */
export function expectedDatabaseObjects(): { functions: ExpectedFunction[]; triggers: ExpectedTrigger[] } {
  if (parsed) return parsed;
  const functions = new Map<string, ExpectedFunction>();
  const triggers = new Map<string, ExpectedTrigger>();
  const files = readdirSync(MIGRATIONS_FOLDER)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  for (const file of files) {
    const text = readFileSync(path.join(MIGRATIONS_FOLDER, file), 'utf8');
    const steps: { at: number; apply: () => void }[] = [];
    for (const m of text.matchAll(FUNCTION)) {
      const [, name = '', before = '', , body = '', after = ''] = m;
      const language = /LANGUAGE\s+(\w+)/i.exec(`${before} ${after}`)?.[1]?.toLowerCase() ?? 'sql';
      const digest = createHash('md5').update(body, 'utf8').digest('hex');
      steps.push({ at: m.index, apply: () => functions.set(name, { name, digest, language }) });
    }
    for (const m of text.matchAll(TRIGGER)) {
      const [, name = '', timing = '', events = '', table = '', middle = '', level = '', fn = ''] = m;
      const trigger: ExpectedTrigger = {
        table,
        name,
        timing: timing.toUpperCase().replace(/\s+/g, ' ') as ExpectedTrigger['timing'],
        events: events
          .toUpperCase()
          .split(/\s+OR\s+/)
          .map((e) => e.trim() as TriggerEvent)
          .sort(),
        level: level.toUpperCase() as ExpectedTrigger['level'],
        function: fn,
        oldTable: /OLD\s+TABLE\s+AS\s+(\w+)/i.exec(middle)?.[1] ?? null,
        newTable: /NEW\s+TABLE\s+AS\s+(\w+)/i.exec(middle)?.[1] ?? null,
      };
      steps.push({ at: m.index, apply: () => triggers.set(`${table}.${name}`, trigger) });
    }
    for (const m of text.matchAll(DROP_FUNCTION))
      steps.push({ at: m.index, apply: () => functions.delete(m[1] ?? '') });
    for (const m of text.matchAll(DROP_TRIGGER))
      steps.push({ at: m.index, apply: () => triggers.delete(`${m[2]}.${m[1]}`) });
    for (const step of steps.sort((a, b) => a.at - b.at)) step.apply();
  }
  if (!functions.has('audit_event_chain')) throw new Error('No migration defines audit_event_chain()');
  parsed = {
    functions: [...functions.values()].sort((a, b) => byCodePoint(a.name, b.name)),
    triggers: [...triggers.values()].sort(
      (a, b) => byCodePoint(a.table, b.table) || byCodePoint(a.name, b.name),
    ),
  };
  return parsed;
}

/** The triggers on the audit trail's own tables. */
export function auditTriggers(): ExpectedTrigger[] {
  return expectedDatabaseObjects().triggers.filter((t) =>
    (AUDIT_TABLES as readonly string[]).includes(t.table),
  );
}

/** md5 of the chain function's body as the newest migration that defines it has it (as pg_proc.prosrc). */
export function expectedChainFunctionDigest(): string {
  const fn = expectedDatabaseObjects().functions.find((f) => f.name === 'audit_event_chain');
  if (!fn) throw new Error('No migration defines audit_event_chain()');
  return fn.digest;
}

/** pg_trigger.tgtype's bits for a trigger's timing, events and level. */
export function triggerType(t: Pick<ExpectedTrigger, 'timing' | 'events' | 'level'>): number {
  const events = { INSERT: 4, DELETE: 8, UPDATE: 16, TRUNCATE: 32 } as const;
  return (
    (t.level === 'ROW' ? 1 : 0) +
    (t.timing === 'BEFORE' ? 2 : t.timing === 'INSTEAD OF' ? 64 : 0) +
    t.events.reduce((sum, e) => sum + events[e], 0)
  );
}
