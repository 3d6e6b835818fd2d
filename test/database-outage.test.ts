import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropPostgresDatabase, freshPostgresDatabase } from './db.ts';
import { HttpClient, pupilForm, setUpSchoolOverHttp, streamOfWrites } from './http-client.ts';
import { type RunningOpensend, startOpensend } from './opensend-process.ts';
import { type PostgresCluster, throwawayPostgres } from './postgres-cluster.ts';

const UNAVAILABLE = 'OpenSEND cannot reach its database just now.';

const running: RunningOpensend[] = [];
const clusters: PostgresCluster[] = [];
const dataDirs: string[] = [];
afterAll(async () => {
  for (const r of running) r.child.kill('SIGKILL');
  for (const c of clusters) c.remove();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** DATA_DIR for a server on PostgreSQL: it keeps only the session secret there. */
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'opensend-outage-'));
  dataDirs.push(dir);
  return dir;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until OpenSEND's healthz answers 200 again (it reconnects by itself); its last answer. */
async function healthyAgain(baseUrl: string): Promise<number> {
  let status = 0;
  for (let i = 0; i < 100 && status !== 200; i++) {
    if (i > 0) await sleep(100);
    status = (await fetch(`${baseUrl}/healthz`)).status;
  }
  return status;
}

describe('OpenSEND on PostgreSQL when the database drops its connections', () => {
  it('keeps serving while PostgreSQL terminates its connections in the middle of writes, and loses no acknowledged write', async () => {
    const url = process.env.DATABASE_URL;
    if (!url) {
      expect(url).toBeUndefined(); // PGlite runs inside OpenSEND: it has no connections to lose
      return;
    }
    const { name, url: databaseUrl } = await freshPostgresDatabase(url);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const server = await startOpensend(dataDir(), {
        databaseUrl,
      });
      running.push(server);
      const client = new HttpClient(server.baseUrl);
      await setUpSchoolOverHttp(client);

      const stream = streamOfWrites(client, 4);
      let terminated = 0;
      for (let round = 0; round < 6; round++) {
        await sleep(150);
        const result = await admin.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
          [name],
        );
        terminated += result.rowCount ?? 0;
      }
      await sleep(150);
      await stream.stop();

      const acknowledged = stream.writes.filter((w) => w.status === 303);
      const failed = stream.writes.filter((w) => w.status !== 303);
      const unavailable = failed.filter((w) => w.status === 503).length;
      console.log(
        `terminated ${terminated} connections in 6 rounds; ${stream.writes.length} writes: ${acknowledged.length} acknowledged, ${failed.length} not (${unavailable} answered 503)`,
      );
      expect(server.child.exitCode).toBeNull();
      expect(terminated).toBeGreaterThan(0);
      expect(acknowledged.length).toBeGreaterThan(0);
      // Every failure answered the 503 page: none was a 500, and the server never stopped answering.
      for (const w of failed) {
        expect(w.status, `pupil ${w.n}`).toBe(503);
        expect(w.body).toContain(UNAVAILABLE);
      }

      // Recovers by itself, and takes writes again.
      expect(await healthyAgain(server.baseUrl)).toBe(200);
      expect((await client.post('/pupils/new', pupilForm(50_000))).status).toBe(303);

      // Every acknowledged write is in the database.
      const check = new pg.Client({ connectionString: databaseUrl });
      await check.connect();
      const rows = await check.query<{ id: string }>('select id from pupil');
      await check.end();
      const stored = new Set(rows.rows.map((r) => r.id));
      const lost = acknowledged.filter((w) => !w.pupilId || !stored.has(w.pupilId));
      expect(lost).toEqual([]);
      expect(server.child.exitCode).toBeNull();
    } finally {
      await admin.end();
      for (const r of running) r.child.kill('SIGKILL');
      await dropPostgresDatabase(url, name);
    }
  }, 60_000);

  it('answers 503 while its PostgreSQL is stopped, without stopping itself, and recovers by itself when it is back', async () => {
    const url = process.env.DATABASE_URL;
    if (!url) {
      expect(url).toBeUndefined(); // PGlite runs inside OpenSEND: there is no server to stop
      return;
    }
    // A cluster of our own: the one DATABASE_URL points at is shared with every other test.
    const cluster = await throwawayPostgres();
    clusters.push(cluster);
    const server = await startOpensend(dataDir(), {
      databaseUrl: cluster.url,
    });
    running.push(server);
    const client = new HttpClient(server.baseUrl);
    await setUpSchoolOverHttp(client);
    expect((await client.post('/pupils/new', pupilForm(1))).status).toBe(303);

    for (const mode of ['fast', 'immediate'] as const) {
      cluster.stop(mode);
      const page = await client.get('/pupils');
      expect(page.status, mode).toBe(503);
      expect(page.body).toContain(UNAVAILABLE);
      expect(page.body).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/); // the request id
      const write = await client.post('/pupils/new', pupilForm(2));
      expect(write.status).toBe(503);
      const health = await fetch(`${server.baseUrl}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'unavailable' });
      expect(server.child.exitCode).toBeNull();

      cluster.start();
      expect(await healthyAgain(server.baseUrl)).toBe(200);
      const after = await client.get('/pupils');
      expect(after.status).toBe(200);
      expect(after.body).toContain('Test1');
    }
    expect(server.output()).not.toMatch(/Unhandled|uncaught/i);
  }, 60_000);
});
