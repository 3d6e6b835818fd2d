/**
 * Pupils from the MIS at scale (ARCHITECTURE.md "Targets": 10,000 rows validated and applied in
 * ≤ 10 s each, all or nothing): a generated 10,000-row CSV of realistic pupils, first into an empty
 * school, then again with changes (class moves, flags, attendance, new telephone numbers), new pupils
 * and pupils missing, on PostgreSQL and on PGlite. Prints the seconds and the statements sent to the
 * database (its round trips) for the preview (read, check, match, compare, keep) and for the apply.
 *
 * Called by bench/run.ts; on its own: `node --import tsx bench/import.ts` (DATABASE_URL, or a
 * throwaway PostgreSQL cluster).
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { auditConnectionOptions } from '../src/db/audit-key.ts';
import { type Database, type Db, openPostgres, PGLITE_START_PARAMS, wrapPglite } from '../src/db/client.ts';
import * as schema from '../src/db/schema/index.ts';
import { academicYearStartOf } from '../src/domain/calendar.ts';
import { todayInEngland } from '../src/domain/dates.ts';
import { createServices } from '../src/services/index.ts';
import {
  buildClass,
  buildSchool,
  buildStaff,
  generateMisRows,
  type MisRow,
  misCsv,
} from '../test/builders/index.ts';
import { throwawayPostgres } from '../test/postgres-cluster.ts';
import { TEST_AUDIT_KEY } from '../test/template.ts';

const ROWS = 10_000;
const TARGET_S = 10;

/** Counts every statement the app sends (drizzle logs each one before it goes). */
class StatementCounter implements Logger {
  count = 0;
  logQuery(): void {
    this.count++;
  }
}

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function postgresDatabase(baseUrl: string, counter: StatementCounter): Promise<Database> {
  const name = 'opensend_bench_import';
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabaseName(baseUrl, name);
  const migrated = await openPostgres(url, { poolSize: 2, auditKey: TEST_AUDIT_KEY });
  await migrated.migrate();
  await migrated.close();
  const pool = new pg.Pool({
    connectionString: url,
    max: 5,
    options: auditConnectionOptions(TEST_AUDIT_KEY),
  });
  const db = drizzleNodePg({ client: pool, schema, logger: counter }) as unknown as Db;
  return { db, kind: 'postgres', auditKey: TEST_AUDIT_KEY, migrate: async () => {}, close: () => pool.end() };
}

async function pgliteDatabase(counter: StatementCounter): Promise<Database> {
  const dir = mkdtempSync(path.join(tmpdir(), 'opensend-bench-import-'));
  const client = await PGlite.create({ dataDir: path.join(dir, 'pglite'), startParams: PGLITE_START_PARAMS });
  const database = await wrapPglite(client, { auditKey: TEST_AUDIT_KEY });
  await database.migrate();
  return { ...database, db: drizzlePglite({ client, schema, logger: counter }) as unknown as Db };
}

/**
 * The second file: the first with 1,500 pupils changed (every 4th changes class within their year,
 * the others a flag, their attendance or a parent's telephone number), 500 left (missing) and 500
 * new pupils in their place.
 */
function changedRows(first: MisRow[], fresh: MisRow[]): MisRow[] {
  const rows = first.slice(0, ROWS - 500).map((row, i) => {
    if (i % 6 !== 0 || i / 6 >= 1500) return row;
    const n = i / 6;
    if (n % 4 === 0)
      return {
        ...row,
        className: row.className.endsWith(' A')
          ? row.className.replace(/ A$/, ' B')
          : row.className.replace(/ B$/, ' A'),
      };
    if (n % 4 === 1) return { ...row, fsm: row.fsm === 'Y' ? 'N' : 'Y' };
    if (n % 4 === 2) return { ...row, attendance: (Number(row.attendance) - 1.5).toFixed(1) };
    return { ...row, contactPhone: `07700 8${String(n).padStart(5, '0')}` };
  });
  return [...rows, ...fresh.slice(0, 500)];
}

interface Figures {
  database: string;
  file: string;
  counts: string;
  preview: number;
  previewStatements: number;
  apply: number;
  applyStatements: number;
}

async function measure(kind: string, database: Database, counter: StatementCounter): Promise<Figures[]> {
  const services = createServices(database);
  const academicYearStart = academicYearStartOf(todayInEngland());
  const school = await buildSchool(database.db, { name: 'Import Bench Academy' });
  const classes: { name: string; ncYear: number }[] = [];
  for (let year = 0; year <= 6; year++) {
    for (const letter of ['A', 'B']) {
      const name = `${year === 0 ? 'Reception' : `Year ${year}`} ${letter}`;
      await buildClass(database.db, school.id, name, year);
      classes.push({ name, ncYear: year });
    }
  }
  const office = await buildStaff(database.db, 'office', { schoolId: school.id, name: 'Olu Office' });
  const generated = generateMisRows(ROWS + 500, { seed: 42, academicYearStart, classes });
  const first = generated.slice(0, ROWS);
  const files = [
    { label: '10,000 new pupils (empty school)', rows: first },
    {
      label: '10,000 rows: 1,500 changed, 500 new, 500 missing',
      rows: changedRows(first, generated.slice(ROWS)),
    },
  ];
  const figures: Figures[] = [];
  for (const file of files) {
    const data = Buffer.from(misCsv(file.rows));
    counter.count = 0;
    let t = performance.now();
    const preview = await services.imports.upload(office.actor, { fileName: 'pupils.csv', data });
    const previewS = (performance.now() - t) / 1000;
    const previewStatements = counter.count;
    const c = preview.counts!;
    if (c.problems > 0)
      throw new Error(`the generated file has problems: ${JSON.stringify(preview.problems[0])}`);
    counter.count = 0;
    t = performance.now();
    await services.imports.apply(office.actor, preview.importId, 1);
    const applyS = (performance.now() - t) / 1000;
    figures.push({
      database: kind,
      file: `${file.label} (${(data.length / 1024 / 1024).toFixed(1)} MB)`,
      counts: `${c.new} new, ${c.changed} changed, ${c.unchanged} unchanged, ${c.missing} missing`,
      preview: previewS,
      previewStatements,
      apply: applyS,
      applyStatements: counter.count,
    });
  }
  return figures;
}

const seconds = (s: number) => `${s.toFixed(2)} s${s > TARGET_S ? ' (over the 10 s target)' : ''}`;

/** The import step of `npm run bench`, on the PostgreSQL server at `baseUrl` and on PGlite. */
export async function importBench(baseUrl: string): Promise<void> {
  console.log(
    `\n4. Pupils from the MIS: a ${ROWS.toLocaleString('en-GB')}-row CSV, validate + preview, then apply`,
  );
  console.log(`   (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores when it started)`);
  const rows: Figures[] = [];
  for (const kind of ['PostgreSQL', 'PGlite'] as const) {
    const counter = new StatementCounter();
    const database =
      kind === 'PostgreSQL' ? await postgresDatabase(baseUrl, counter) : await pgliteDatabase(counter);
    try {
      rows.push(...(await measure(kind, database, counter)));
    } finally {
      await database.close();
    }
  }
  console.table(
    rows.map((r) => ({
      database: r.database,
      file: r.file,
      preview: r.counts,
      'validate + preview': seconds(r.preview),
      'statements (preview)': r.previewStatements,
      apply: seconds(r.apply),
      'statements (apply)': r.applyStatements,
    })),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cluster = process.env.DATABASE_URL ? null : await throwawayPostgres();
  try {
    await importBench(process.env.DATABASE_URL ?? cluster!.url);
  } finally {
    cluster?.remove();
  }
}
