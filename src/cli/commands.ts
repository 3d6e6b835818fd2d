/** The commands other than `serve`, loaded only when one is asked for (the server starts faster without them). */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { DataDirLockedError } from '../db/lock.ts';
import { PRESETS } from '../domain/imports/presets.ts';
import { relationshipKind } from '../domain/imports/responsibility.ts';
import { loadDemo } from '../main.ts';
import { BackupError, restoreBackup } from '../services/backups/index.ts';
import { createServices, type Services } from '../services/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../services/kernel/errors.ts';
import { exportCtfCommand, importCtfCommand } from './ctf.ts';

const USAGE = `Usage:
  opensend serve [--demo] [--schools N]
  opensend migrate
  opensend demo [--schools N]
  opensend reset-password EMAIL
  opensend create-senco --school URN --email EMAIL --name "FULL NAME"
  opensend audit verify
  opensend backup FILE          (embedded database; stop the server first)
  opensend restore FILE         (into a DATA_DIR with no database yet)
  opensend import pupils FILE --as EMAIL [--school URN] [--apply] [--responsibility "Mother,Father,Carer"]

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
    as: { type: 'string' },
    apply: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    pupil: { type: 'string', multiple: true },
    dest: { type: 'string' },
    out: { type: 'string' },
    responsibility: { type: 'string' },
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
    const services = async () =>
      createServices(database, undefined, {
        suppressionThreshold: threshold,
        backups: { dataDir: config.dataDir, key: config.backupKey, keepDays: config.backupKeepDays },
      });
    await work(database, services);
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError || error instanceof ConflictError)
      fail(error.message);
    if (error instanceof ValidationError) fail(error.errors.map((e) => e.message).join('\n'));
    throw error;
  } finally {
    await database.close();
  }
}

/** A backup of the embedded database into FILE (encrypted when BACKUP_KEY is set). */
async function backupCommand(file: string): Promise<void> {
  const config = configOrExit();
  if (config.databaseUrl) fail(POSTGRES_BACKUPS);
  await withDatabase(async (_db, services) => {
    const made = await (await services()).backups.make(file, {
      requestId: runner().requestId,
      detail: { by: 'command line', osUser: runner().osUser },
    });
    console.log(
      `Backup written to ${made}${config.backupKey ? ' (encrypted)' : ' (not encrypted: set BACKUP_KEY to encrypt backups)'}.`,
    );
  });
}

/** Put the embedded database back from FILE, verified first, into a DATA_DIR with no database. */
async function restoreCommand(file: string): Promise<void> {
  const config = configOrExit();
  if (config.databaseUrl) fail(POSTGRES_BACKUPS);
  if (!existsSync(file)) fail(`There is no file ${file}`);
  const target = path.join(config.dataDir, 'pglite');
  if (existsSync(target) && readdirSync(target).length > 0) {
    fail(
      `${config.dataDir} already holds a database. Stop OpenSEND, move ${target} somewhere safe (do not delete it until the restore has worked), then run this again.`,
    );
  }
  try {
    const restored = await restoreBackup(config.dataDir, file, config.backupKey);
    console.log(
      `Restored the database as it was on ${restored.createdAt} into ${config.dataDir}. Start OpenSEND as usual.`,
    );
  } catch (error) {
    if (error instanceof BackupError || error instanceof DataDirLockedError) fail(error.message);
    throw error;
  }
}

const POSTGRES_BACKUPS =
  'This OpenSEND uses PostgreSQL: back it up with pg_dump and restore with pg_restore (see the README).';

function configOrExit() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
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
  } else if (command === 'backup') {
    const file = positionals[1] ?? fail(`Give the file to write the backup to.\n${USAGE}`);
    await backupCommand(path.resolve(file));
  } else if (command === 'restore') {
    const file = positionals[1] ?? fail(`Give the backup file to restore.\n${USAGE}`);
    await restoreCommand(path.resolve(file));
  } else if (command === 'audit' && positionals[1] === 'verify') {
    const report: string[] = [];
    await withDatabase(async (_db, services) => {
      const result = await (await services()).admin.verifyAudit(runner());
      report.push(...verifyReport(result));
    });
    console.log(report.join('\n'));
    if (report.length > 1) process.exit(2);
  } else if (command === 'import' && positionals[1] === 'pupils') {
    const problems = await importPupils();
    if (problems > 0) process.exit(1);
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

/**
 * `opensend import pupils FILE --as EMAIL [--school URN] [--apply] [--responsibility KINDS]`: the
 * preview's counts and every problem with its line; with --apply, the clean rows applied (as the
 * web's "Apply these changes", without marking anyone as left). Where the file does not say who holds
 * parental responsibility, --responsibility names the relationships that do ("Mother,Father,Carer";
 * "none" for nobody), as the web's preview asks; --apply is refused without it. It acts as the named
 * member of staff, so it is authorised and audited as they would be on the web. Returns the number of
 * rows with problems.
 */
async function importPupils(): Promise<number> {
  const file = positionals[2] ?? fail(`Give the CSV file to import.\n${USAGE}`);
  const email =
    values.as ?? fail(`Give the email address of the member of staff to import as, with --as.\n${USAGE}`);
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    fail(`Cannot read the file ${file}`);
  }
  let problems = 0;
  await withDatabase(async (_db, services) => {
    const s = await services();
    const actor = await s.admin.actorForCommand(email, runner(), values.school);
    const fileName = path.basename(file);
    const result = await s.imports.upload(actor, { fileName, data }, { unknownColumns: 'ignore' });
    const counts = result.counts!;
    problems = counts.problems;
    const from = result.preset ? `, a ${PRESETS[result.preset].label} export` : '';
    const lines = [`${fileName}: ${counts.rows} ${counts.rows === 1 ? 'row' : 'rows'}${from}.`];
    if (result.ignored.length > 0)
      lines.push(`Columns not recognised, so not used: ${result.ignored.join(', ')}.`);
    const width = String(counts.rows).length;
    const line = (label: string, n: number, note = '') =>
      `  ${label.padEnd(30)}${String(n).padStart(width)}${note}`;
    lines.push(
      line('New pupils', counts.new),
      line('Pupils with changes', counts.changed),
      line('Pupils with no changes', counts.unchanged),
      line(
        'Pupils missing from the file',
        counts.missing,
        counts.missing ? '  (not changed: mark leavers on the web)' : '',
      ),
      line('Rows with problems', counts.problems),
    );
    for (const p of result.problems) {
      lines.push(`Line ${p.line}${p.name ? ` (${p.name})` : ''}: ${p.messages.join('; ')}`);
    }
    const question = result.responsibility;
    let responsibility: string[] | undefined;
    if (question) {
      const kinds = question.kinds.map((k) => `${k.label} (${k.count})`).join(', ');
      lines.push(
        `Parental responsibility: the file does not say for ${question.contacts} ${question.contacts === 1 ? 'parent or carer' : 'parents and carers'} it adds: ${kinds}.`,
      );
      if (values.responsibility !== undefined) {
        const named =
          values.responsibility.trim().toLowerCase() === 'none' ? [] : values.responsibility.split(',');
        responsibility = named.map(relationshipKind).filter((k) => k !== '');
        const unknown = responsibility.filter((k) => !question.kinds.some((q) => q.kind === k));
        if (unknown.length > 0)
          fail(
            `${lines.join('\n')}\nNot a relationship in this file: ${unknown.join(', ')}. Nothing was changed.`,
          );
      } else if (values.apply) {
        fail(
          `${lines.join('\n')}\nSay who holds parental responsibility with --responsibility, for example --responsibility "${question.kinds
            .filter((k) => k.usual)
            .map((k) => k.label)
            .join(',')}" (or "none"). Nothing was changed.`,
        );
      }
    }
    if (values.apply) {
      const applied = await s.imports.apply(actor, result.importId, 1, undefined, responsibility);
      lines.push(
        `Applied: ${applied.new} ${applied.new === 1 ? 'pupil' : 'pupils'} added, ${applied.changed} updated.${problems ? ` The ${problems === 1 ? 'row' : `${problems} rows`} with problems ${problems === 1 ? 'was' : 'were'} left out.` : ''}`,
      );
    } else {
      lines.push(
        `Nothing was changed. Run again with --apply to apply ${counts.new + counts.changed === 1 ? 'it' : `the ${counts.new + counts.changed} new and changed pupils`}${problems ? ', leaving out the rows with problems' : ''}.`,
      );
    }
    console.log(lines.join('\n'));
  });
  return problems;
}
