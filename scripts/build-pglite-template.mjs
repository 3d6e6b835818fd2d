// Makes a migrated, empty embedded database once, at `npm install` (prepare), into
// dist/pglite-template.tar.gz: a first start loads it (about a second) instead of creating a database
// from nothing and migrating it (initdb alone takes about five). A start whose PGlite differs from the
// one that made it, or that finds no template, creates the database as before; migrations added since
// are applied at start either way.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATE = path.join(root, 'dist', 'pglite-template.tar.gz');
export const TEMPLATE_VERSION = path.join(root, 'dist', 'pglite-template.json');

/** The installed PGlite's version: a template is only loaded by the PGlite that made it. */
export function pgliteVersion() {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  let dir = path.dirname(entry);
  while (path.basename(dir) !== 'pglite') dir = path.dirname(dir);
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

/** What the migrations are: a digest of every migration file, so a template of others is never loaded. */
export function migrationsDigest(folder = path.join(root, 'src/db/migrations')) {
  const hash = createHash('sha256');
  const files = [
    ...readdirSync(folder).filter((f) => f.endsWith('.sql')),
    ...readdirSync(path.join(folder, 'meta')).map((f) => `meta/${f}`),
  ].sort();
  for (const f of files) hash.update(`${f}\n`).update(readFileSync(path.join(folder, f)));
  return hash.digest('hex');
}

export async function buildPgliteTemplate() {
  const client = await PGlite.create();
  try {
    await migrate(drizzle({ client }), { migrationsFolder: path.join(root, 'src/db/migrations') });
    const dump = await client.dumpDataDir('gzip');
    mkdirSync(path.dirname(TEMPLATE), { recursive: true });
    writeFileSync(TEMPLATE, Buffer.from(await dump.arrayBuffer()));
    writeFileSync(
      TEMPLATE_VERSION,
      `${JSON.stringify({ pglite: pgliteVersion(), migrations: migrationsDigest() })}\n`,
    );
  } finally {
    await client.close();
  }
  return TEMPLATE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = await buildPgliteTemplate();
  console.log(`Built ${path.relative(root, file)}`);
}
