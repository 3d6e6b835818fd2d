import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openPgliteDirectory } from '../../src/db/client.ts';
import { appUser } from '../../src/db/schema/index.ts';
import { readBackupHeader, unpackBackup } from '../../src/services/backups/format.ts';
import { buildStaff, buildWorld } from '../builders/index.ts';
import { freshPgliteDataDir } from '../db.ts';
import { runOpensend } from '../opensend-process.ts';

/*
 * A forged backup planted where the school keeps its backups (the finding: with BACKUP_KEY set, a
 * backup made without the key, whose only check was a SHA-256 its maker can recompute, was restored,
 * with the forger's own SENCo account in it). With a key set, OpenSEND restores only what the key
 * authenticates; a file that is not encrypted needs --allow-unencrypted, which is printed and recorded.
 */

const KEY = 'the school’s backup key, kept in the school safe';
const FORGER = 'forger@elsewhere.example';

describe('a backup made without the key, planted among the school’s', () => {
  it('is refused when BACKUP_KEY is set; restored only with --allow-unencrypted, said and recorded', async () => {
    // The school's own database and its encrypted backup.
    const school = await freshPgliteDataDir();
    let database = await openPgliteDirectory(school);
    await buildWorld(database);
    await database.close();
    const backups = mkdtempSync(path.join(tmpdir(), 'opensend-backups-'));
    const genuine = path.join(backups, 'school.backup');
    expect((await runOpensend(school, ['backup', genuine], { BACKUP_KEY: KEY })).code).toBe(0);

    // Someone who can write where the backups are: their own database, with a SENCo of their own,
    // backed up without a key, in place of the school's file.
    const forgery = await freshPgliteDataDir();
    database = await openPgliteDirectory(forgery);
    await buildWorld(database);
    await buildStaff(database.db, 'senco', { email: FORGER, name: 'Not A Senco' });
    await database.close();
    const planted = path.join(backups, 'planted.backup');
    expect((await runOpensend(forgery, ['backup', planted])).code).toBe(0);
    expect(readBackupHeader(readFileSync(planted)).header.encrypted).toBe(false);

    const target = mkdtempSync(path.join(tmpdir(), 'opensend-restore-'));
    const refused = await runOpensend(target, ['restore', planted], { BACKUP_KEY: KEY });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('This backup is not encrypted, but BACKUP_KEY is set');
    expect(refused.out).toContain('Nothing was restored');
    expect(
      existsSync(path.join(target, 'pglite')) && readdirSync(path.join(target, 'pglite')).length > 0,
    ).toBe(false);

    // The genuine file restores.
    const restored = await runOpensend(target, ['restore', genuine], { BACKUP_KEY: KEY });
    expect(restored.code, restored.out).toBe(0);

    // A deliberate move from backups made without a key: allowed when asked, said, and recorded.
    const moved = mkdtempSync(path.join(tmpdir(), 'opensend-restore-'));
    const allowed = await runOpensend(moved, ['restore', planted, '--allow-unencrypted'], {
      BACKUP_KEY: KEY,
    });
    expect(allowed.code, allowed.out).toBe(0);
    expect(allowed.out).toContain('restored because --allow-unencrypted was given');
    database = await openPgliteDirectory(moved);
    const recorded = (await database.db.execute(
      sql`select detail from audit_event where action = 'backup.restored' order by id desc limit 1`,
    )) as unknown as { rows: { detail: unknown }[] };
    const detail = recorded.rows[0]?.detail;
    expect(typeof detail === 'string' ? JSON.parse(detail) : detail).toMatchObject({
      file: 'planted.backup',
      encrypted: false,
      allowUnencrypted: true,
      by: 'command line',
    });
    expect(await database.db.select().from(appUser).where(eq(appUser.email, FORGER))).toHaveLength(1);
    await database.close();
  }, 180_000);

  it('an encrypted backup’s header holds no hash or length of the database it seals', async () => {
    const school = await freshPgliteDataDir();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'opensend-backups-')), 'school.backup');
    expect((await runOpensend(school, ['backup', file], { BACKUP_KEY: KEY })).code).toBe(0);
    const bytes = readFileSync(file);
    const { header } = readBackupHeader(bytes);
    expect(Object.keys(header).sort()).toEqual(['createdAt', 'encrypted', 'format', 'iv', 'salt']);
    const { snapshot } = unpackBackup(bytes, KEY);
    expect(bytes.toString('latin1')).not.toContain(createHash('sha256').update(snapshot).digest('hex'));
    // And a changed header (a later date, say) is refused: the key authenticates it with the body.
    const later = Buffer.from(
      bytes.toString('latin1').replace(header.createdAt, '2031-01-01T00:00:00.000Z'),
      'latin1',
    );
    const changed = path.join(path.dirname(file), 'changed.backup');
    writeFileSync(changed, later);
    const target = mkdtempSync(path.join(tmpdir(), 'opensend-restore-'));
    const refused = await runOpensend(target, ['restore', changed], { BACKUP_KEY: KEY });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('cannot be read with this BACKUP_KEY, or the file has been changed');
  }, 120_000);
});
