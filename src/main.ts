import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { DataDirLockedError } from './db/lock.ts';
import { isDatabaseUnavailable } from './db/unavailable.ts';
import type { Services } from './services/index.ts';

/** The job worker's first look for work is this long after the server is up, so that start is not slowed. */
const FIRST_JOBS_AFTER_MS = 60_000;

/** Boot only: config → database → services → server. */
export async function serve(options: { demo?: boolean; schools?: number } = {}): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Load the web layer while the database opens (PGlite compiles its WebAssembly meanwhile).
  const loading = Promise.all([
    import('./services/index.ts'),
    import('./web/app.ts'),
    import('./services/background.ts'),
    import('./adapters/job-worker.ts'),
  ]);
  const firstStart = !config.databaseUrl && !existsSync(path.join(config.dataDir, 'pglite', 'PG_VERSION'));
  if (firstStart)
    console.log(`Creating the database for the first time in ${config.dataDir} (this takes a few seconds)…`);
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      migrationDatabaseUrl: config.migrationDatabaseUrl,
      dataDir: config.dataDir,
      auditKey: config.auditKey,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(1);
    }
    if (isDatabaseUnavailable(error)) {
      const where = config.databaseUrl ? new URL(config.databaseUrl).host : config.dataDir;
      console.error(
        `OpenSEND cannot reach its database at ${where}: ${(error as Error).message}. Check DATABASE_URL and that PostgreSQL is running.`,
      );
      process.exit(1);
    }
    throw error;
  }
  await database.migrate();
  // Entries written with a key the trail was not written with could never be verified: refuse to start.
  const { auditKeyFits, WRONG_AUDIT_KEY } = await import('./services/audit/verify.ts');
  if (!(await auditKeyFits(database))) {
    console.error(`OpenSEND cannot start. ${WRONG_AUDIT_KEY}`);
    await database.close();
    process.exit(1);
  }
  if (firstStart) console.log('Database created.');
  const [{ createServices }, { assetsBuilt, buildApp }, { backgroundWork }, { createJobWorker }] =
    await loading;
  if (!assetsBuilt()) (await import('../scripts/build-assets.mjs')).buildAssets();
  // Services queue jobs (mail) inside their transactions and then tell the worker, made below.
  let jobsQueued = () => {};
  const services = createServices(database, undefined, {
    suppressionThreshold: config.smallNumberThreshold,
    backups: { dataDir: config.dataDir, key: config.backupKey, keepDays: config.backupKeepDays },
    auditCheckpoints: { directory: config.auditCheckpointDir, keepDays: config.backupKeepDays },
    mail: {
      publicUrl: config.publicUrl,
      jobsQueued: () => jobsQueued(),
      // The demo without a server prints its mail where it runs: mail gets out, to the terminal.
      serverSetUp: Boolean(config.smtp) || Boolean(options.demo),
    },
  });
  if (options.demo) await loadDemo(services, options.schools ?? 1);
  const app = await buildApp(services, {
    sessionSecret: config.sessionSecret,
    trustProxy: config.trustProxy,
    logLevel: config.logLevel,
    // In a terminal, one short readable line per request; elsewhere JSON for log collectors.
    prettyLogs: Boolean(process.stdout.isTTY),
  });
  const log = (message: string, error?: unknown) =>
    error ? app.log.error({ err: error }, message) : app.log.info(message);
  // Mail, backups, audit checkpoints, clearing unapplied uploads: jobs, run by one worker per instance.
  // The demo without a mail server prints its mail where it runs (a sign-in code, a set-up link);
  // a school's own installation without one keeps its mail in the outbox.
  const mailer = config.smtp
    ? (await import('./adapters/smtp.ts')).createSmtpMailer(config.smtp)
    : options.demo
      ? (await import('./adapters/terminal-mail.ts')).createTerminalMailer()
      : null;
  const work = backgroundWork(database, services, mailer, log);
  const worker = createJobWorker(database, work.handlers, {
    recurring: work.recurring,
    firstPollMs: FIRST_JOBS_AFTER_MS,
    log,
  });
  jobsQueued = worker.poke;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await worker.stop();
    mailer?.close();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = address && typeof address === 'object' ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const where = config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`;
  console.log(`OpenSEND is ready at http://${host}:${port} (database: ${where})`);
  worker.start();
  // On PGlite, the planner's statistics for tables that are new or have grown: once the server is
  // listening (and every six hours, a job).
  setImmediate(
    () => void database.analyzeGrownTables?.().catch((error) => log('analysing tables failed', error)),
  );
  if (mailer && config.smtp) {
    const { host: smtpHost, port: smtpPort } = config.smtp;
    void mailer.verify().then((ok) => {
      if (!ok)
        console.warn(
          `OpenSEND cannot reach the mail server at ${smtpHost}:${smtpPort} (SMTP_HOST, SMTP_PORT, SMTP_TLS, SMTP_USER): mail waits in the outbox and is tried again.`,
        );
    });
  }
}

export async function loadDemo(services: Services, schools: number): Promise<void> {
  if (!(await services.setup.needsSetup())) {
    console.log(
      'Demo data not loaded: this database already has a school. Use an empty DATA_DIR for a fresh demo.',
    );
    return;
  }
  const result = await services.demo.load(
    {
      schools,
      onProgress: (done, total) => {
        if (total > 1 && (done % 10 === 0 || done === total)) console.log(`  ${done} of ${total} schools`);
      },
    },
    'demo',
  );
  console.log(`\nDemo data loaded: ${result.schools} school(s), ${result.pupils} pupils (all fictional).`);
  console.log(`Every demo account's password is: ${result.password}\n`);
  for (const a of result.accounts) console.log(`  ${a.role.padEnd(34)} ${a.email}`);
  console.log('');
}
