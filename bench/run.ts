/**
 * `npm run bench`: OpenSEND's performance figures (ARCHITECTURE.md "Targets").
 *   1. A school's pages (register, pupil, pupil list, the dashboard and one of its lists, the termly
 *      provision map, its CSV and the intervention effectiveness page, with the statements each sends) inside a 150-school, ~60,000-pupil PostgreSQL
 *      dataset, against the same school alone in a one-school database, and on PGlite.
 *   2. Pupil pages per second under 20 concurrent clients, OpenSEND against the floor (floor.ts), each
 *      server in a process of its own, the load from wrk (or autocannon where wrk is not installed,
 *      or with BENCH_GENERATOR=autocannon); the round trips to PostgreSQL each makes per page, and the
 *      processor time each server and PostgreSQL spend on a page.
 *   3. Mixed load: 150 requests a second across the register, the pupil list, pupils' pages and the
 *      concerns page of one school in the large dataset: p50, p95 and p99 per page, and errors.
 *   4. Start time (first start, and on an existing PGlite directory) and idle memory.
 *   5. Pupils from the MIS at scale: 10,000 rows previewed and applied, on PostgreSQL and PGlite (import.ts).
 * Uses DATABASE_URL when set (its databases opensend_bench_*), otherwise starts a throwaway cluster.
 * BENCH_SCHOOLS changes the size of the large dataset (default 150); BENCH_STEPS=2,3 runs only those.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { and, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { type Database, openPgliteDirectory, openPostgres } from '../src/db/client.ts';
import { pupil, school } from '../src/db/schema/index.ts';
import { DEMO_PASSWORD } from '../src/services/demo.ts';
import { createServices } from '../src/services/index.ts';
import { spawnOpensend } from '../test/opensend-process.ts';
import { throwawayPostgres } from '../test/postgres-cluster.ts';
import { TEST_AUDIT_KEY } from '../test/template.ts';
import { CLOSED_LOOP_GENERATOR, closedLoop, type MixedPage, openLoop } from './load.ts';
import {
  interleavedLatency,
  postgresCpuMs,
  roundTripsPerRequest,
  type ServerProcess,
  serverProcess,
  signedInServer,
  signIn,
} from './measure.ts';
import { countRoundTrips } from './round-trips.ts';

const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 150);
const SENCO = 'senco@brookfield.example';
const CONNECTIONS = 20;
const ROUNDS = 5;
const ROUND_SECONDS = 6;
const MIXED_RATE = 150;
const MIXED_SECONDS = 20;
const MIXED_WARMUP = 3;
/** BENCH_STEPS=2,3 runs only those steps (all five by default; 5 is pupils from the MIS at scale). */
const STEPS = new Set((process.env.BENCH_STEPS ?? '1,2,3,4,5').split(',').map((n) => Number(n.trim())));

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
    const database = await openPostgres(withDatabase(baseUrl, name), {
      poolSize: 10,
      auditKey: TEST_AUDIT_KEY,
    });
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
  const database = await openPostgres(withDatabase(baseUrl, name), {
    poolSize: 10,
    auditKey: TEST_AUDIT_KEY,
  });
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

/** Pupils of the first school, to spread the mixed load's pupil pages over. */
async function schoolPupils(database: Database, n: number): Promise<string[]> {
  const first = await database.db.select({ id: school.id }).from(school).where(eq(school.urn, '990000'));
  const rows = await database.db
    .select({ id: pupil.id })
    .from(pupil)
    .where(eq(pupil.schoolId, first[0]!.id))
    .orderBy(pupil.id)
    .limit(n);
  return rows.map((r) => r.id);
}

/** Other work on the machine weighs on every figure taken under load: say how much there was. */
const machineLoad = () =>
  `load average on the machine as the step began: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(', ')} (1, 5, 15 minutes; ${cpus().length} cores)`;

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;

const PAGES = (pupilId: string) => ({
  register: '/register',
  pupil: `/pupils/${pupilId}`,
  'pupil list': '/pupils',
  dashboard: '/dashboard',
  'dashboard list': '/dashboard?list=no_plan',
  'provision map (term)': '/provision/map',
  'provision map CSV': '/provision/map.csv',
  'intervention effectiveness': '/provision/effectiveness',
});

async function signedIn(database: Database) {
  const server = await signedInServer(database, SENCO, DEMO_PASSWORD);
  return { server, pupilId: await firstSchoolPupil(database) };
}

function startCli(dataDir: string, args: string[] = []): { child: ChildProcess; ready: Promise<number> } {
  const t = performance.now();
  const child = spawnOpensend(dataDir, args, { env: { AUDIT_KEY: TEST_AUDIT_KEY } });
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

interface LoadContext {
  opensend: ServerProcess;
  floor: ServerProcess;
  senco: Awaited<ReturnType<typeof signIn>>;
  floorGet: (path: string) => Promise<string>;
  pupilPath: string;
  pageBytes: number;
  floorBytes: number;
  mixedPupils: string[];
  servers: ServerProcess[];
}

/** Step 2: OpenSEND's pupil pages per second against the floor's, and their round trips. */
async function throughputStep(c: LoadContext) {
  const { opensend, floor, senco, floorGet, pupilPath, pageBytes, floorBytes, servers } = c;
  console.log(
    `\n2. Pupil page throughput: ${CONNECTIONS} concurrent clients (${CLOSED_LOOP_GENERATOR}, in its own process), PostgreSQL, ${SCHOOLS} schools`,
  );
  console.log(`   ${machineLoad()}`);
  const bare = await serverProcess('bare');
  servers.push(bare);
  const bareRate = await closedLoop(`${bare.base}/bare`, '', CONNECTIONS, 5);
  await bare.close();
  servers.pop();
  console.log(
    `   what ${CLOSED_LOOP_GENERATOR} drives at most here (a bare Fastify route, ${CONNECTIONS} clients): ${bareRate.perSecond.toFixed(0)} requests/s`,
  );
  const trips = {
    floor: await roundTripsPerRequest(floor, floorGet, pupilPath),
    opensend: await roundTripsPerRequest(opensend, senco.get, pupilPath),
  };
  const urls = { floor: `${floor.base}${pupilPath}`, opensend: `${opensend.base}${pupilPath}` };
  for (const url of Object.values(urls)) await closedLoop(url, senco.cookie(), CONNECTIONS, 2);
  const rates: { floor: number[]; opensend: number[] } = { floor: [], opensend: [] };
  const cpu = { floor: { server: 0, postgres: 0, pages: 0 }, opensend: { server: 0, postgres: 0, pages: 0 } };
  const server = { floor, opensend };
  let errors = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const which of ['floor', 'opensend'] as const) {
      const [serverBefore, postgresBefore] = [await server[which].cpuMs(), postgresCpuMs()];
      const r = await closedLoop(urls[which], senco.cookie(), CONNECTIONS, ROUND_SECONDS);
      cpu[which].server += (await server[which].cpuMs()) - serverBefore;
      cpu[which].postgres += postgresCpuMs() - postgresBefore;
      cpu[which].pages += r.requests;
      rates[which].push(r.perSecond);
      errors += r.errors;
    }
  }
  const perPage = (which: 'floor' | 'opensend', part: 'server' | 'postgres') =>
    cpu[which].postgres === 0 && part === 'postgres'
      ? '—'
      : `${(cpu[which][part] / cpu[which].pages).toFixed(2)} ms`;
  const floorRate = median(rates.floor);
  const opensendRate = median(rates.opensend);
  console.log(
    `   ${ROUNDS} rounds of ${ROUND_SECONDS} s each, the floor then OpenSEND; pages of ${pageBytes} bytes (floor ${floorBytes})`,
  );
  console.table([
    {
      server: 'floor (node:http, pg, template literal)',
      'pupil pages/s (median)': floorRate.toFixed(0),
      rounds: rates.floor.map((r) => r.toFixed(0)).join(', '),
      'round trips per page': trips.floor.toFixed(2),
      'server CPU per page': perPage('floor', 'server'),
      'PostgreSQL CPU per page': perPage('floor', 'postgres'),
    },
    {
      server: 'OpenSEND',
      'pupil pages/s (median)': opensendRate.toFixed(0),
      rounds: rates.opensend.map((r) => r.toFixed(0)).join(', '),
      'round trips per page': trips.opensend.toFixed(2),
      'server CPU per page': perPage('opensend', 'server'),
      'PostgreSQL CPU per page': perPage('opensend', 'postgres'),
    },
  ]);
  // Each round's share is taken against the floor's round just before it, so that other work on the
  // machine weighs on both alike. Processor time per page (of the server's process, and of PostgreSQL's
  // processes when they run on this machine) depends less on that other work than pages per second.
  const share = median(rates.opensend.map((r, i) => r / rates.floor[i]!));
  console.log(
    `   OpenSEND serves ${(share * 100).toFixed(1)}% of the floor's pupil pages (median of the rounds' shares; target ≥ 80%); ${errors} errors`,
  );
}

/** Step 3: a fixed rate of requests across one school's pages. */
async function mixedStep(c: LoadContext) {
  const { opensend, senco, mixedPupils } = c;
  const mixedPages: MixedPage[] = [
    { name: 'register', paths: ['/register'], weight: 1 },
    { name: 'pupil list', paths: ['/pupils'], weight: 1 },
    { name: 'pupil', paths: mixedPupils.map((id) => `/pupils/${id}`), weight: 2 },
    { name: 'concerns', paths: ['/concerns'], weight: 1 },
  ];
  console.log(
    `\n3. Mixed load: ${MIXED_RATE} requests/s (Poisson arrivals) for ${MIXED_SECONDS} s after ${MIXED_WARMUP} s not counted, one school of ${SCHOOLS}, PostgreSQL, SENCo`,
  );
  console.log(`   ${machineLoad()}`);
  const pageTrips: Record<string, number> = {};
  for (const page of mixedPages)
    pageTrips[page.name] = await roundTripsPerRequest(opensend, senco.get, page.paths[0]!, 10);
  const mixed = await openLoop({
    base: opensend.base,
    cookie: senco.cookie(),
    pages: mixedPages,
    rate: MIXED_RATE,
    seconds: MIXED_SECONDS,
    warmupSeconds: MIXED_WARMUP,
  });
  const totalWeight = mixedPages.reduce((sum, p) => sum + p.weight, 0);
  console.table(
    mixedPages.map((page) => {
      const m = mixed[page.name]!;
      return {
        page: page.name,
        'requests/s': ((MIXED_RATE * page.weight) / totalWeight).toFixed(0),
        requests: m.requests,
        p50: ms(m.p50),
        p95: ms(m.p95),
        p99: ms(m.p99),
        errors: m.errors,
        'round trips': pageTrips[page.name]!.toFixed(2),
      };
    }),
  );
  const worst = Math.max(...Object.values(mixed).map((m) => m.p95));
  const mixedErrors = Object.values(mixed).reduce((sum, m) => sum + m.errors, 0);
  console.log(`   highest p95 ${ms(worst)} (target ≤ 100 ms); ${mixedErrors} errors (target 0)`);
  for (const [page, m] of Object.entries(mixed)) {
    if (m.errors > 0) console.log(`   ${page} errors: ${JSON.stringify(m.problems)}`);
  }
}

/** Steps 2 and 3: OpenSEND and the floor in processes of their own, on the large dataset. */
async function loadSteps(laUrl: string, pupilId: string, mixedPupils: string[]) {
  const servers: ServerProcess[] = [];
  try {
    const opensend = await serverProcess('opensend', { BENCH_DATABASE_URL: laUrl });
    servers.push(opensend);
    const senco = await signIn(opensend.base, SENCO, DEMO_PASSWORD);
    const pupilPath = `/pupils/${pupilId}`;
    const pageBytes = Buffer.byteLength(await senco.get(pupilPath));
    const floor = await serverProcess('floor', {
      BENCH_DATABASE_URL: laUrl,
      BENCH_PAGE_BYTES: String(pageBytes),
    });
    servers.push(floor);
    const floorGet = async (path: string) => {
      const r = await fetch(`${floor.base}${path}`, { headers: { cookie: senco.cookie() } });
      const body = await r.text();
      if (r.status !== 200) throw new Error(`the floor answered ${r.status} for ${path}`);
      return body;
    };
    const floorBytes = Buffer.byteLength(await floorGet(pupilPath));

    const context = {
      opensend,
      floor,
      senco,
      floorGet,
      pupilPath,
      pageBytes,
      floorBytes,
      mixedPupils,
      servers,
    };
    if (STEPS.has(2)) await throughputStep(context);
    if (STEPS.has(3)) await mixedStep(context);
  } finally {
    for (const server of servers) await server.close();
  }
}

async function main() {
  console.log(`OpenSEND benchmark on ${process.version}, ${cpus().length} cores\n`);
  const cluster = process.env.DATABASE_URL ? null : await throwawayPostgres();
  const baseUrl = process.env.DATABASE_URL ?? cluster!.url;
  try {
    console.log('Datasets');
    const la = await demoDatabase(baseUrl, `opensend_bench_la_${SCHOOLS}`, SCHOOLS);
    const one = await demoDatabase(baseUrl, 'opensend_bench_one', 1);
    const pgliteDir = mkdtempSync(path.join(tmpdir(), 'opensend-bench-pglite-'));
    const lite = await openPgliteDirectory(pgliteDir, { auditKey: TEST_AUDIT_KEY });
    await lite.migrate();
    await createServices(lite).demo.load({ schools: 1 }, 'bench');
    const pupils = (await la.db.select({ n: sql<number>`count(*)::int` }).from(pupil))[0]?.n ?? 0;

    if (STEPS.has(1)) {
      console.log(
        '\n1. Page latency for one school (SENCo; 300 requests each, interleaved across the databases)',
      );
      if (process.env.DATABASE_URL) await settle(la);
      const runs = [await signedIn(la), await signedIn(one), await signedIn(lite)];
      const rows = [];
      const trips = countRoundTrips();
      for (const page of Object.keys(PAGES(''))) {
        // The statements one request for this page sends to PostgreSQL (none per row: it stays flat as
        // the school grows).
        const before = trips.count;
        await runs[0]!.server.get(PAGES(runs[0]!.pupilId)[page as keyof ReturnType<typeof PAGES>]);
        const queries = trips.count - before;
        const [a, b, c] = await interleavedLatency(
          runs.map((r) => r.server.get),
          runs.map((r) => PAGES(r.pupilId)[page as keyof ReturnType<typeof PAGES>]),
        );
        rows.push({
          page,
          queries,
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
      for (const r of runs) await r.server.app.close();
    }
    const laUrl = withDatabase(baseUrl, `opensend_bench_la_${SCHOOLS}`);
    const pupilId = await firstSchoolPupil(la);
    const mixedPupils = await schoolPupils(la, 25);
    await la.close();
    await one.close();
    await lite.close();
    rmSync(pgliteDir, { recursive: true, force: true });

    if (STEPS.has(2) || STEPS.has(3)) await loadSteps(laUrl, pupilId, mixedPupils);
    if (STEPS.has(4)) await startStep();
    if (STEPS.has(5)) await (await import('./import.ts')).importBench(baseUrl);
  } finally {
    cluster?.remove();
  }
}

/** Step 4: start time and idle memory of the opensend command on PGlite. */
async function startStep() {
  console.log('\n4. Start and memory (the opensend command on PGlite)');
  const dir = mkdtempSync(path.join(tmpdir(), 'opensend-bench-start-'));
  const first = startCli(dir, ['serve']);
  const firstMs = await first.ready;
  await stop(first.child);
  const demo = spawnOpensend(dir, ['demo'], { env: { AUDIT_KEY: TEST_AUDIT_KEY } });
  await new Promise((resolve) => demo.on('exit', resolve));
  const again = startCli(dir, ['serve']);
  const againMs = await again.ready;
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const idle = rssMb(again.child.pid!);
  await stop(again.child);
  rmSync(dir, { recursive: true, force: true });
  console.table([
    { measure: 'first start on an empty directory (to healthz)', value: ms(firstMs) },
    { measure: 'start on an existing directory with the demo school (to healthz)', value: ms(againMs) },
    { measure: 'idle RSS after start', value: `${idle.toFixed(0)} MB` },
  ]);
}

await main();
