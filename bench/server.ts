/**
 * One server for the load steps, in a process of its own (started by `serverProcess` in measure.ts),
 * so that it shares no event loop with the load generator or with another server:
 *   BENCH_SERVER=opensend  OpenSEND on PostgreSQL at BENCH_DATABASE_URL
 *   BENCH_SERVER=floor     the floor handler (floor.ts), its pages padded to BENCH_PAGE_BYTES (its
 *                          statements prepared with BENCH_FLOOR_PREPARED=1)
 *   BENCH_SERVER=bare      a Fastify route answering a few bytes: what the load generator can drive
 * It says `{ port }` on its IPC channel when listening, and answers `roundTrips` with the number of
 * statements it has sent to PostgreSQL so far, `cpu` with the processor time it has used.
 */
import { countRoundTrips } from './round-trips.ts';

const trips = countRoundTrips();
const kind = process.env.BENCH_SERVER;
const databaseUrl = process.env.BENCH_DATABASE_URL ?? '';

async function start(): Promise<{ port: number; close(): Promise<void> }> {
  if (kind === 'floor') {
    const { startFloor } = await import('./floor.ts');
    return startFloor(databaseUrl, Number(process.env.BENCH_PAGE_BYTES ?? 0), {
      prepared: process.env.BENCH_FLOOR_PREPARED === '1',
    });
  }
  const { default: Fastify } = await import('fastify');
  if (kind === 'bare') {
    const app = Fastify({ logger: false });
    app.get('/bare', async (_req, reply) => reply.type('text/html').send('<!DOCTYPE html><p>ok</p>'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as { port: number }).port, close: () => app.close() };
  }
  if (kind === 'opensend') {
    const { openPostgres } = await import('../src/db/client.ts');
    const { createServices } = await import('../src/services/index.ts');
    const { buildApp } = await import('../src/web/app.ts');
    const { TEST_AUDIT_KEY } = await import('../test/template.ts');
    const database = await openPostgres(databaseUrl, { poolSize: 10, auditKey: TEST_AUDIT_KEY });
    const app = await buildApp(createServices(database), {
      sessionSecret: 'bench-secret-that-is-long-enough-0123456789',
      logLevel: 'silent',
      signInRateLimit: 100000,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      port: (app.server.address() as { port: number }).port,
      async close() {
        await app.close();
        await database.close();
      },
    };
  }
  throw new Error(`BENCH_SERVER must be opensend, floor or bare, not ${kind}`);
}

const server = await start();
process.on('message', async (message) => {
  if (message === 'roundTrips') process.send?.({ roundTrips: trips.count });
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMs: (user + system) / 1000 });
  }
  if (message === 'close') {
    await server.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ port: server.port });
