/**
 * `npm run bench`: OpenSEND's performance figures (ARCHITECTURE.md "Targets").
 *   1. A school's pages (register, pupil, pupil list) inside a 150-school, ~60,000-pupil PostgreSQL
 *      dataset, against the same school alone in a one-school database, and on PGlite.
 *   2. Throughput of the pupil page under 20 concurrent clients against a bare Fastify route.
 *   3. Start time (first start, and on an existing PGlite directory) and idle memory.
 * Uses DATABASE_URL when set (its databases opensend_bench_*), otherwise starts a throwaway cluster.
 * BENCH_SCHOOLS changes the size of the large dataset (default 150).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { and, eq, sql } from 'drizzle-orm';
import Fastify from 'fastify';
import pg from 'pg';
import { type Database, openPgliteDirectory, openPostgres } from '../src/db/client.ts';
import { pupil, school } from '../src/db/schema/index.ts';
import { DEMO_PASSWORD } from '../src/services/demo.ts';
import { createServices } from '../src/services/index.ts';
import { spawnOpensend } from '../test/opensend-process.ts';
import { throwawayPostgres } from '../test/postgres-cluster.ts';
import { interleavedLatency, signedInServer, throughput } from './measure.ts';

const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 150);
const SENCO = 'senco@brookfield.example';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A database holding `schools` demo schools; built once, reused while it has the right number. */
async function demoDatabase(baseUrl: string, name: string, schools: number): Promise<Database> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  if (exists) {
    const database = await openPostgres(withDatabase(baseUrl, name), 10);
    await database.migrate();
    const n = (await database.db.select({ n: sql<number>`count(*)::int` }).from(school))[0]?.n ?? 0;
    if (n === schools) {
      await admin.end();
      console.log(`  reusing ${name} (${n} schools)`);
      return database;
    }
    await database.close();
    await admin.query(`drop database ${name} with (force)`);
  }
  await admin.query(`create database ${name}`);
  await admin.end();
  const database = await openPostgres(withDatabase(baseUrl, name), 10);
  await database.migrate();
  const t = performance.now();
  const result = await createServices(database).demo.load(
    {
      schools,
      onProgress: (done, total) => {
        if (total > 1 && done % 25 === 0) console.log(`  ${name}: ${done} of ${total} schools`);
      },
    },
    'bench',
  );
  await settle(database);
  console.log(
    `  built ${name}: ${result.schools} schools, ${result.pupils} pupils in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  return database;
}

/** Let PostgreSQL finish with a bulk load before anything is timed. */
async function settle(database: Database) {
  await database.db.execute(sql`vacuum analyze`);
  await database.db.execute(sql`checkpoint`);
}

async function firstSchoolPupil(database: Database): Promise<string> {
  const first = await database.db.select({ id: school.id }).from(school).where(eq(school.urn, '990000'));
  const rows = await database.db
    .select({ id: pupil.id })
    .from(pupil)
    .where(and(eq(pupil.schoolId, first[0]!.id), eq(pupil.senStage, 'sen_support')))
    .orderBy(pupil.surname)
    .limit(1);
  return rows[0]!.id;
}

const PAGES = (pupilId: string) => ({
  register: '/register',
  pupil: `/pupils/${pupilId}`,
  'pupil list': '/pupils',
});

async function signedIn(database: Database) {
  const server = await signedInServer(database, SENCO, DEMO_PASSWORD);
  return { server, pupilId: await firstSchoolPupil(database) };
}

function startCli(dataDir: string, args: string[] = []): { child: ChildProcess; ready: Promise<number> } {
  const t = performance.now();
  const child = spawnOpensend(dataDir, args);
  const ready = new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', async (d) => {
      out += d;
      const url = /ready at (http:\/\/\S+)/.exec(out)?.[1];
      if (url) {
        const health = await fetch(`${url}/healthz`);
        if (health.ok) resolve(performance.now() - t);
      }
    });
    child.on('exit', (code) => reject(new Error(`opensend exited with ${code}: ${out}`)));
  });
  return { child, ready };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main() {
  console.log(`OpenSEND benchmark on ${process.version}, ${(await import('node:os')).cpus().length} cores\n`);
  const cluster = process.env.DATABASE_URL ? null : await throwawayPostgres();
  const baseUrl = process.env.DATABASE_URL ?? cluster!.url;
  try {
    console.log('Datasets');
    const la = await demoDatabase(baseUrl, `opensend_bench_la_${SCHOOLS}`, SCHOOLS);
    const one = await demoDatabase(baseUrl, 'opensend_bench_one', 1);
    const pgliteDir = mkdtempSync(path.join(tmpdir(), 'opensend-bench-pglite-'));
    const lite = await openPgliteDirectory(pgliteDir);
    await lite.migrate();
    await createServices(lite).demo.load({ schools: 1 }, 'bench');
    const pupils = (await la.db.select({ n: sql<number>`count(*)::int` }).from(pupil))[0]?.n ?? 0;

    console.log(
      '\n1. Page latency for one school (SENCo; 300 requests each, interleaved across the databases)',
    );
    if (process.env.DATABASE_URL) await settle(la);
    const laRun = await signedIn(la);
    const oneRun = await signedIn(one);
    const liteRun = await signedIn(lite);
    const runs = [laRun, oneRun, liteRun];
    const rows = [];
    for (const page of Object.keys(PAGES(''))) {
      const [a, b, c] = await interleavedLatency(
        runs.map((r) => r.server.get),
        runs.map((r) => PAGES(r.pupilId)[page as keyof ReturnType<typeof PAGES>]),
      );
      rows.push({
        page,
        [`PG ${SCHOOLS} schools median`]: ms(a!.median),
        [`PG ${SCHOOLS} schools p95`]: ms(a!.p95),
        'PG 1 school median': ms(b!.median),
        'PG 1 school p95': ms(b!.p95),
        'growth (p95)': `${(a!.p95 / b!.p95).toFixed(2)}×`,
        'PGlite median': ms(c!.median),
        'PGlite p95': ms(c!.p95),
        'PGlite ÷ PG (p95)': `${(c!.p95 / b!.p95).toFixed(2)}×`,
      });
    }
    console.log(`   large dataset: ${SCHOOLS} schools, ${pupils} pupils`);
    console.table(rows);

    console.log('\n2. Throughput under 20 concurrent clients (5 s each)');
    const bare = Fastify({ logger: false });
    bare.get('/bare', async (_req, reply) => reply.type('text/html').send('<!DOCTYPE html><p>ok</p>'));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}/bare`;
    const bareRate = await throughput(bareUrl);
    const pupilRate = await throughput(`${laRun.server.base}/pupils/${laRun.pupilId}`, laRun.server.cookie());
    console.table([
      { route: 'bare Fastify route', 'requests/s': bareRate.toFixed(0) },
      {
        route: `pupil page (PG, ${SCHOOLS} schools)`,
        'requests/s': pupilRate.toFixed(0),
        'of bare': `${((pupilRate / bareRate) * 100).toFixed(1)}%`,
      },
    ]);
    await bare.close();
    for (const r of [laRun, oneRun, liteRun]) await r.server.app.close();
    await la.close();
    await one.close();
    await lite.close();

    console.log('\n3. Start and memory (the opensend command on PGlite)');
    const dir = mkdtempSync(path.join(tmpdir(), 'opensend-bench-start-'));
    const first = startCli(dir, ['serve']);
    const firstMs = await first.ready;
    await stop(first.child);
    const demo = spawnOpensend(dir, ['demo']);
    await new Promise((resolve) => demo.on('exit', resolve));
    const again = startCli(dir, ['serve']);
    const againMs = await again.ready;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idle = rssMb(again.child.pid!);
    await stop(again.child);
    console.table([
      { measure: 'first start on an empty directory (to healthz)', value: ms(firstMs) },
      { measure: 'start on an existing directory with the demo school (to healthz)', value: ms(againMs) },
      { measure: 'idle RSS after start', value: `${idle.toFixed(0)} MB` },
    ]);
    await (await import('./import.ts')).importBench(baseUrl);
  } finally {
    cluster?.stop();
  }
}

await main();
