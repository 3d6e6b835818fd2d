import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Database, openPgliteDirectory } from '../src/db/client.ts';
import { intact } from '../src/services/audit/verify.ts';
import { packVersion1 } from './builders/backups.ts';
import { buildWorld, testServices } from './builders/index.ts';
import { databaseMigratedBefore, freshPgliteDataDir } from './db.ts';
import { runOpensend } from './opensend-process.ts';

const KEY = 'a long backup key kept in the school safe';

/** Every table's rows, as text, in a stable order: two databases with the same fingerprint hold the same rows. */
async function fingerprint(database: Database): Promise<Record<string, string>> {
  const tables = (await database.db.execute(
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  )) as unknown as { rows: { name: string }[] };
  const result: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const rows = (await database.db.execute(
      sql.raw(
        `select count(*)::int as n, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as h from "${name}" t`,
      ),
    )) as unknown as { rows: { n: number; h: string }[] };
    result[name] = `${rows.rows[0]?.n}:${rows.rows[0]?.h}`;
  }
  return result;
}

describe('backups of the embedded database', () => {
  it('backs up, restores into an empty directory with every row, and refuses a file it cannot verify', async () => {
    const dataDir = await freshPgliteDataDir();
    let database = await openPgliteDirectory(dataDir);
    const w = await buildWorld(database);
    // Some audit trail, keyed with this installation's AUDIT_KEY (kept in its DATA_DIR).
    await testServices(database).pupils.view(w.senco.actor, w.pupilK.id);
    const before = await fingerprint(database);
    await database.close();
    const auditKey = readFileSync(path.join(dataDir, 'audit-key'), 'utf8').trim();

    const file = path.join(mkdtempSync(path.join(tmpdir(), 'opensend-backup-')), 'school.backup');
    const made = await runOpensend(dataDir, ['backup', file], { BACKUP_KEY: KEY });
    expect(made.code, made.out).toBe(0);
    expect(made.out).toContain('(encrypted)');

    const empty = mkdtempSync(path.join(tmpdir(), 'opensend-restore-'));
    // Without the key, or with a changed file, nothing is restored.
    expect((await runOpensend(empty, ['restore', file])).out).toMatch(/encrypted: set BACKUP_KEY/);
    const tampered = `${file}.tampered`;
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 100) ^ 0xff, bytes.length - 100);
    writeFileSync(tampered, bytes);
    expect((await runOpensend(empty, ['restore', tampered], { BACKUP_KEY: KEY })).out).toMatch(
      /cannot be read|changed/,
    );

    // Restored on a new computer without the installation's AUDIT_KEY, the trail would no longer verify:
    // refused, with what to do, and nothing left behind.
    const elsewhere = await runOpensend(empty, ['restore', file], { BACKUP_KEY: KEY });
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.out).toContain(
      "does not verify with this installation's AUDIT_KEY, so nothing was restored",
    );
    expect(existsSync(path.join(empty, 'pglite'))).toBe(false);

    const restored = await runOpensend(empty, ['restore', file], { BACKUP_KEY: KEY, AUDIT_KEY: auditKey });
    expect(restored.code, restored.out).toBe(0);
    database = await openPgliteDirectory(empty, { auditKey });
    const after = await fingerprint(database);
    expect(intact(await testServices(database).admin.verifyAudit({ osUser: 'test', requestId: 'r' }))).toBe(
      true,
    );
    await database.close();
    // The backup wrote one audit row in the original after its snapshot was taken, and the restore one
    // in the restored database (the file, and how it was checked): compare the rest.
    const { audit_event: _a, ...beforeRest } = before;
    const { audit_event: _b, ...afterRest } = after;
    expect(afterRest).toEqual(beforeRest);
    expect(Number(after.audit_event?.split(':')[0])).toBe(Number(before.audit_event?.split(':')[0]) + 1);
    expect(restored.out).not.toContain('not encrypted');

    // A second restore over a database is refused.
    expect(
      (await runOpensend(empty, ['restore', file], { BACKUP_KEY: KEY, AUDIT_KEY: auditKey })).out,
    ).toMatch(/already holds a database/);
  }, 120_000);

  it('tells the settings page when there is no key or no recent backup, and keeps a fortnight', async () => {
    const dataDir = await freshPgliteDataDir();
    const database = await openPgliteDirectory(dataDir);
    const w = await buildWorld(database);
    const unkeyed = testServices(database, { backups: { dataDir, keepDays: 14 } });
    const status = unkeyed.backups.status(w.senco.actor);
    expect(status.warnings.join(' ')).toMatch(/not encrypted/);
    expect(status.warnings.join(' ')).toMatch(/no backup yet/);
    expect(() => unkeyed.backups.status(w.teacherA.actor)).toThrow();
    const file = await unkeyed.backups.daily();
    expect(file).toBeTruthy();
    expect(await unkeyed.backups.daily()).toBeNull(); // one a day
    expect(unkeyed.backups.status(w.senco.actor).warnings.join(' ')).not.toMatch(/no backup yet/);
    await database.close();
  }, 60_000);

  it('restores a backup an earlier version made (format 1, encrypted), its audit trail from before keying sealed and verified', async () => {
    // A database as the version before keyed audit chains left it, with its trail, backed up by it.
    const old = await databaseMigratedBefore('keyed_audit_chain', { auditKey: null, pglite: true });
    await old.db.execute(sql`
      insert into audit_event (school_id, action, detail) values
        (null, 'demo.loaded', '{"schools": 1}'),
        ('11111111-1111-4111-8111-111111111111', 'pupil.viewed', null)`);
    const snapshot = await old.snapshot!();
    await old.close();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'opensend-backup-')), 'made-before.backup');
    writeFileSync(file, packVersion1(snapshot, KEY, new Date('2026-09-01T02:00:00Z')));

    const target = mkdtempSync(path.join(tmpdir(), 'opensend-restore-'));
    const restored = await runOpensend(target, ['restore', file], { BACKUP_KEY: KEY });
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toContain('Restored the database as it was on 2026-09-01T02:00:00.000Z');
    const database = await openPgliteDirectory(target);
    const seals = (await database.db.execute(
      sql`select count(*)::int as n from audit_event where action = 'audit.chain_keyed'`,
    )) as unknown as { rows: { n: number }[] };
    expect(seals.rows[0]?.n).toBe(2);
    const verified = await testServices(database).admin.verifyAudit({ osUser: 'test', requestId: 'r' });
    expect(verified.broken).toEqual([]);
    expect(intact(verified)).toBe(true);
    await database.close();
  }, 120_000);
});
