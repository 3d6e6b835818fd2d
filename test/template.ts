import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The migrated empty PGlite database, dumped once per run and loaded by every test file. */
export const PGLITE_TEMPLATE = path.join(ROOT, '.tmp', 'pglite-template.tar.gz');
/** On PostgreSQL, every test file gets a database copied from this template. */
export const PG_TEMPLATE_DB = 'opensend_test_template';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
