/** The commands other than `serve`, loaded only when one is asked for (the server starts faster without them). */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, configuredDataDir, loadConfig, STORED_SECRETS } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { DataDirLockedError } from '../db/lock.ts';
import { PRESETS } from '../domain/imports/presets.ts';
import { relationshipKind } from '../domain/imports/responsibility.ts';
import { loadDemo } from '../main.ts';
import { verifyReport } from '../presenters/audit-verification.ts';
import { auditKeyFits, WRONG_AUDIT_KEY } from '../services/audit/verify.ts';
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
  opensend audit verify [--checkpoint FILE]
                                (checks every link with AUDIT_KEY; compares with the newest checkpoint)
  opensend audit checkpoint [FILE]
                                (signed heads of the audit trail; keep it away from the database)
  opensend backup FILE          (embedded database; stop the server first)
  opensend restore FILE [--allow-unencrypted] [--allow-audit-key-change]
                                (into a DATA_DIR with no database yet, with the AUDIT_KEY it was made with)
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
    checkpoint: { type: 'string' },
    'allow-unencrypted': { type: 'boolean', default: false },
    'allow-audit-key-change': { type: 'boolean', default: false },
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

/**
 * Open the database (taking the PGlite lock), run, close; plain messages for the usual mistakes. Every
 * command writes to the audit trail: it stops before anything when the audit key is not the trail's
 * (except `audit verify`, `checkKey: false`, which reports what it finds and then writes nothing).
 */
async function withDatabase(
  work: (database: Database, services: () => Promise<Services>) => Promise<void>,
  options: { checkKey?: boolean } = {},
) {
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
      auditKey: config.auditKey,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) fail(error.message);
    throw error;
  }
  try {
    await database.migrate();
    if (options.checkKey !== false && !(await auditKeyFits(database))) {
      await database.close();
      fail(WRONG_AUDIT_KEY);
    }
    const threshold = config.smallNumberThreshold;
    const services = async () =>
      createServices(database, undefined, {
        suppressionThreshold: threshold,
        backups: { dataDir: config.dataDir, key: config.backupKey, keepDays: config.backupKeepDays },
        auditCheckpoints: { directory: config.auditCheckpointDir, keepDays: config.backupKeepDays },
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
  // A restore that fails leaves DATA_DIR as it found it: not even the secrets loading the settings makes.
  const dataDir = configuredDataDir();
  const made = dataDir
    ? [...STORED_SECRETS.map((name) => path.join(dataDir, name)), dataDir].filter((p) => !existsSync(p))
    : [];
  const undo = () => {
    for (const p of made) {
      try {
        if (p === dataDir)
          rmdirSync(p); // only if nothing else is in it
        else rmSync(p, { force: true });
      } catch {
        // left as it is: something else was put there meanwhile
      }
    }
  };
  const refuse = (message: string): never => {
    undo();
    return fail(message);
  };
  const config = configOrExit();
  if (config.databaseUrl) refuse(POSTGRES_BACKUPS);
  if (!existsSync(file)) refuse(`There is no file ${file}`);
  const target = path.join(config.dataDir, 'pglite');
  if (existsSync(target) && readdirSync(target).length > 0) {
    refuse(
      `${config.dataDir} already holds a database. Stop OpenSEND, move ${target} somewhere safe (do not delete it until the restore has worked), then run this again.`,
    );
  }
  const allowUnencrypted = values['allow-unencrypted'] === true;
  try {
    const restored = await restoreBackup(config.dataDir, file, config.backupKey, {
      allowUnencrypted,
      allowAuditKeyChange: values['allow-audit-key-change'] === true,
      auditKey: config.auditKey,
      requestId: runner().requestId,
      detail: { by: 'command line', osUser: runner().osUser },
    });
    if (!restored.encrypted) {
      console.log(
        config.backupKey
          ? 'This backup is not encrypted and was restored because --allow-unencrypted was given: it was checked for damage only, since anyone who can write a file can make one like it. The restore is recorded in the audit trail.'
          : 'This backup is not encrypted: it was checked for damage only, not for forgery. Set BACKUP_KEY so that backups are encrypted, and checked when they are restored.',
      );
    }
    if (restored.unverifiedChains > 0) {
      console.log(
        `The audit trail in this backup does not verify with this installation's AUDIT_KEY (${restored.unverifiedChains} ${restored.unverifiedChains === 1 ? 'chain' : 'chains'}), and was restored because --allow-audit-key-change was given: opensend audit verify will report the trail from before as unverifiable. This is recorded in the audit trail.`,
      );
    }
    console.log(
      `Restored the database as it was on ${restored.createdAt} into ${config.dataDir}. Start OpenSEND as usual.`,
    );
  } catch (error) {
    if (error instanceof BackupError || error instanceof DataDirLockedError) refuse(error.message);
    undo();
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
    const checkpoint = values.checkpoint ? path.resolve(values.checkpoint) : undefined;
    if (checkpoint && !existsSync(checkpoint)) fail(`There is no file ${checkpoint}`);
    let report: ReturnType<typeof verifyReport> | null = null;
    await withDatabase(
      async (_db, services) => {
        report = verifyReport(await (await services()).admin.verifyAudit(runner(), { checkpoint }));
      },
      { checkKey: false },
    );
    const { lines, intact: ok } = report as unknown as ReturnType<typeof verifyReport>;
    console.log(lines.join('\n'));
    if (!ok) process.exit(2);
  } else if (command === 'audit' && positionals[1] === 'checkpoint') {
    const file = positionals[2] ? path.resolve(positionals[2]) : undefined;
    await withDatabase(async (_db, services) => {
      const written = await (await services()).admin.checkpointAudit(runner(), file);
      console.log(
        `Checkpoint of the audit trail written to ${written.file} (${written.checkpoint.chains.length} ${written.checkpoint.chains.length === 1 ? 'chain' : 'chains'}). Keep a copy where the database's owner cannot change it; opensend audit verify --checkpoint ${written.file} compares the trail with it.`,
      );
    });
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
