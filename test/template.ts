import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The migrated empty PGlite database, dumped once per run and loaded by every test file. */
export const PGLITE_TEMPLATE = path.join(ROOT, '.tmp', 'pglite-template.tar.gz');
/** On PostgreSQL, every test file gets a database copied from this template. */
export const PG_TEMPLATE_DB = 'opensend_test_template';
/**
 * The audit key of the test and bench databases (AUDIT_KEY): every connection they open is given it,
 * as OpenSEND gives its own. A real installation's key is its own secret.
 */
export const TEST_AUDIT_KEY = 'opensend-test-audit-key-not-a-secret-0123456789';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
