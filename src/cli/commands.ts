/** The commands other than `serve`, loaded only when one is asked for (the server starts faster without them). */
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { DataDirLockedError } from '../db/lock.ts';
import { loadDemo } from '../main.ts';
import { createServices, type Services } from '../services/index.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../services/kernel/errors.ts';
import { exportCtfCommand, importCtfCommand } from './ctf.ts';

const USAGE = `Usage:
  opensend serve [--demo] [--schools N]
  opensend migrate
  opensend demo [--schools N]
  opensend reset-password EMAIL
  opensend create-senco --school URN --email EMAIL --name "FULL NAME"
  opensend audit verify
  opensend import ctf FILE --as EMAIL [--school URN] [--apply]
  opensend export ctf --as EMAIL [--school URN] --pupil UPN [--pupil UPN…] [--dest LAESTAB] [--out DIR]`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    demo: { type: 'boolean', default: false },
    schools: { type: 'string', default: '1' },
    school: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
    as: { type: 'string' },
    apply: { type: 'boolean', default: false },
    pupil: { type: 'string', multiple: true },
    dest: { type: 'string' },
    out: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const command = positionals[0] ?? 'serve';
const schools = Number(values.schools);
if (!Number.isInteger(schools) || schools < 1 || schools > 1000)
  fail('--schools must be a whole number from 1 to 1000');

/** Open the database (taking the PGlite lock), run, close; plain messages for the usual mistakes. */
async function withDatabase(work: (database: Database, services: () => Promise<Services>) => Promise<void>) {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  let database: Database;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      migrationDatabaseUrl: config.migrationDatabaseUrl,
      dataDir: config.dataDir,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) fail(error.message);
    throw error;
  }
  try {
    await database.migrate();
    const threshold = config.smallNumberThreshold;
    const services = async () => createServices(database, undefined, { suppressionThreshold: threshold });
    await work(database, services);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) fail(error.message);
    if (error instanceof ValidationError) fail(error.errors.map((e) => e.message).join('\n'));
    throw error;
  } finally {
    await database.close();
  }
}

/** What `opensend audit verify` prints: one line when intact, else the first broken link of each chain. */
function verifyReport(result: {
  total: number;
  broken: { id: number; chainSeq: number | null; schoolName: string | null }[];
}): string[] {
  if (result.broken.length === 0)
    return [`The audit trail is intact: ${result.total} entries, every link checked.`];
  return [
    'The audit trail has been changed. First broken link in each chain:',
    ...result.broken.map(
      (b) =>
        `  ${b.schoolName ?? 'no school'}: entry ${b.id} (position ${b.chainSeq ?? 'missing'} in its chain)`,
    ),
  ];
}

const runner = () => ({ osUser: userInfo().username, requestId: `command-${randomUUID()}` });

export async function runCommand(): Promise<void> {
  if (values.help) {
    console.log(USAGE);
  } else if (command === 'migrate') {
    await withDatabase(async () => console.log('Migrations applied.'));
  } else if (command === 'demo') {
    await withDatabase(async (_db, services) => loadDemo(await services(), schools));
  } else if (command === 'reset-password') {
    const email = positionals[1] ?? fail(`Give the email address of the account.\n${USAGE}`);
    await withDatabase(async (_db, services) => {
      const result = await (await services()).admin.resetPassword(email, runner());
      console.log(`The password of ${result.name} (${email}) is reset, and they are signed out everywhere.`);
      console.log(`One-time password: ${result.password}`);
      console.log('Give it to them in person: they must choose their own when they sign in.');
    });
  } else if (command === 'create-senco') {
    const urn = values.school ?? fail(`Give the school's URN with --school.\n${USAGE}`);
    const email = values.email ?? fail(`Give their email address with --email.\n${USAGE}`);
    const name = values.name ?? fail(`Give their full name with --name.\n${USAGE}`);
    await withDatabase(async (_db, services) => {
      const result = await (await services()).admin.createSenco({ urn, email, name }, runner());
      console.log(`${name} (${email}) is now a SENCo of ${result.schoolName}.`);
      if (result.password) {
        console.log(`One-time password: ${result.password}`);
        console.log('Give it to them in person: they must choose their own when they sign in.');
      } else {
        console.log('They already had an account: they sign in with their own password.');
      }
    });
  } else if (command === 'audit' && positionals[1] === 'verify') {
    const report: string[] = [];
    await withDatabase(async (_db, services) => {
      const result = await (await services()).admin.verifyAudit(runner());
      report.push(...verifyReport(result));
    });
    console.log(report.join('\n'));
    if (report.length > 1) process.exit(2);
  } else if (command === 'import' && positionals[1] === 'ctf') {
    const file = positionals[2] ?? fail(`Give the Common Transfer File to read.\n${USAGE}`);
    const email = values.as ?? fail(`Say who is importing with --as EMAIL.\n${USAGE}`);
    await withDatabase(async (_db, services) =>
      importCtfCommand(await services(), { file, email, urn: values.school, apply: values.apply }, runner()),
    );
  } else if (command === 'export' && positionals[1] === 'ctf') {
    const email = values.as ?? fail(`Say who is making the file with --as EMAIL.\n${USAGE}`);
    const upns = values.pupil ?? fail(`Name the pupils with --pupil UPN (once for each).\n${USAGE}`);
    await withDatabase(async (_db, services) =>
      exportCtfCommand(
        await services(),
        { email, urn: values.school, upns, dest: values.dest, out: values.out ?? '.' },
        runner(),
      ),
    );
  } else {
    fail(`Unknown command: ${positionals.join(' ')}\n${USAGE}`);
  }
}
