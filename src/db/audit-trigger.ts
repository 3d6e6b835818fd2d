import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS_FOLDER } from './client.ts';

/**
 * What keeps the audit trail append-only and chained, as OpenSEND's migrations make it: the triggers
 * on its two tables (each must exist and be enabled), and the chain function's source (the newest
 * definition in the migrations), which `opensend audit verify` compares with the database's.
 */
export const AUDIT_TRIGGERS = [
  { table: 'audit_event', name: 'audit_event_chain' },
  { table: 'audit_event', name: 'audit_event_no_truncate' },
  { table: 'audit_event', name: 'audit_event_no_update_or_delete' },
  { table: 'audit_event_pupil', name: 'audit_event_pupil_no_truncate' },
  { table: 'audit_event_pupil', name: 'audit_event_pupil_no_update_or_delete' },
] as const;

let expected: string | null = null;

/** md5 of the chain function's body as the newest migration that defines it has it (as pg_proc.prosrc). */
export function expectedChainFunctionDigest(): string {
  if (expected) return expected;
  const files = readdirSync(MIGRATIONS_FOLDER)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  let body: string | null = null;
  for (const file of files) {
    const text = readFileSync(path.join(MIGRATIONS_FOLDER, file), 'utf8');
    for (const m of text.matchAll(
      /CREATE (?:OR REPLACE )?FUNCTION audit_event_chain\(\)[^$]*\$\$([\s\S]*?)\$\$/g,
    )) {
      body = m[1] ?? null;
    }
  }
  if (body === null) throw new Error('No migration defines audit_event_chain()');
  expected = createHash('md5').update(body, 'utf8').digest('hex');
  return expected;
}
