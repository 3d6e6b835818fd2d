import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { auditKeyPads } from '../../db/audit-key.ts';
import { type Database, restorePgliteDirectory } from '../../db/client.ts';
import { firstBrokenLinks, insertAuditEvents } from '../../repositories/audit.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireCapability } from '../kernel/authorise.ts';
import { BackupError, packBackup, readBackupHeader, type UnpackOptions, unpackBackup } from './format.ts';

export { BackupError } from './format.ts';

export interface BackupOptions {
  dataDir: string;
  /** Encrypts backups with AES-256-GCM when set. */
  key?: string | undefined;
  /** Daily backups older than this are removed (the newest is always kept). */
  keepDays: number;
}

export interface BackupFile {
  file: string;
  createdAt: Date;
  encrypted: boolean;
  bytes: number;
}

const DAY_MS = 24 * 3600 * 1000;
/** The settings page warns when the newest backup is older than this. */
export const BACKUP_STALE_MS = 2 * DAY_MS;

/** The first few kilobytes of a file: enough for a backup's header. */
function headOf(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export function backupFileName(at: Date): string {
  return `opensend-${at.toISOString().replace(/[:.]/g, '-').replace('Z', '')}.backup`;
}

/**
 * Backups of the embedded database: made daily while the server runs (and on demand from the command
 * line), kept for a fortnight, encrypted when BACKUP_KEY is set. On PostgreSQL the database's own
 * tools do this (pg_dump), and this service only says so.
 */
export function createBackupService(database: Database, options: BackupOptions) {
  const directory = path.join(options.dataDir, 'backups');

  function list(): BackupFile[] {
    let names: string[] = [];
    try {
      names = readdirSync(directory).filter((n) => n.endsWith('.backup'));
    } catch {
      return [];
    }
    const files: BackupFile[] = [];
    for (const name of names) {
      const file = path.join(directory, name);
      try {
        const { header } = readBackupHeader(headOf(file));
        files.push({
          file,
          createdAt: new Date(header.createdAt),
          encrypted: header.encrypted,
          bytes: statSync(file).size,
        });
      } catch {
        // Not a backup we can read: leave it alone and do not count it.
      }
    }
    return files.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  async function make(
    target: string | null,
    by: { requestId: string; detail?: Record<string, unknown> },
  ): Promise<string> {
    if (!database.snapshot) throw new BackupError('On PostgreSQL, back up with pg_dump: see the README');
    const at = new Date();
    const file = target ?? path.join(directory, backupFileName(at));
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const packed = packBackup(await database.snapshot(), options.key, at);
    const partial = `${file}.partial`;
    writeFileSync(partial, packed, { mode: 0o600 });
    renameSync(partial, file);
    await insertAuditEvents(database.db, [
      {
        schoolId: null,
        userId: null,
        role: null,
        action: 'backup.made',
        requestId: by.requestId,
        detail: {
          file: path.basename(file),
          encrypted: Boolean(options.key),
          bytes: packed.length,
          ...by.detail,
        },
      },
    ]);
    return file;
  }

  /** Remove daily backups past their keeping time; the newest always stays. */
  function prune(now = new Date()): number {
    const [, ...older] = list();
    let removed = 0;
    for (const b of older) {
      if (now.getTime() - b.createdAt.getTime() > options.keepDays * DAY_MS) {
        rmSync(b.file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  return {
    list,
    make,
    prune,

    /** For the settings page: where backups stand, and what needs doing. */
    status(actor: Actor) {
      requireCapability(actor, 'settings.manage');
      if (database.kind === 'postgres') {
        return {
          database: 'postgres' as const,
          latest: null,
          count: 0,
          keySet: Boolean(options.key),
          warnings: [] as string[],
        };
      }
      const files = list();
      const latest = files[0] ?? null;
      const warnings: string[] = [];
      if (!options.key) {
        warnings.push(
          'Backups are not encrypted: set BACKUP_KEY (a long secret kept somewhere safe, away from this computer) and restart OpenSEND.',
        );
      }
      if (!latest) warnings.push('There is no backup yet. OpenSEND makes one every day while it is running.');
      else if (Date.now() - latest.createdAt.getTime() > BACKUP_STALE_MS) {
        warnings.push(
          'The newest backup is more than two days old. Check that OpenSEND is running, and that there is space on the disk.',
        );
      }
      return {
        database: 'pglite' as const,
        latest,
        count: files.length,
        keySet: Boolean(options.key),
        warnings,
      };
    },

    /** The daily step: a backup when the newest is a day old (or there is none), then pruning. */
    async daily(): Promise<string | null> {
      if (!database.snapshot) return null;
      const latest = list()[0];
      const file =
        !latest || Date.now() - latest.createdAt.getTime() >= DAY_MS
          ? await make(null, { requestId: 'daily-backup', detail: { schedule: 'daily' } })
          : null;
      prune();
      return file;
    },
  };
}

export type BackupService = ReturnType<typeof createBackupService>;

/**
 * Put the embedded database back from a backup file, into a data directory that holds no database.
 * The file is verified (the key for an encrypted one; the checksum for one that is not, which a key
 * set refuses unless `allowUnencrypted`) before anything is written. The restored audit trail must
 * verify with this installation's AUDIT_KEY (else the restore is undone and the key asked for, unless
 * `allowAuditKeyChange`): a trail keyed with a key that is lost can never be verified again. The
 * restore is recorded in the restored database's trail, with how the file was checked.
 */
export async function restoreBackup(
  dataDir: string,
  file: string,
  key: string | undefined,
  options: UnpackOptions & {
    auditKey: string;
    allowAuditKeyChange?: boolean;
    requestId: string;
    detail?: Record<string, unknown>;
  },
) {
  const { snapshot, header } = unpackBackup(readFileSync(file), key, options);
  const database = await restorePgliteDirectory(dataDir, snapshot, { auditKey: options.auditKey });
  let undo = false;
  try {
    await database.migrate();
    const unverified = (await firstBrokenLinks(database.db, auditKeyPads(options.auditKey))).length;
    if (unverified > 0 && !options.allowAuditKeyChange) {
      undo = true;
      throw new BackupError(
        `The audit trail in this backup does not verify with this installation's AUDIT_KEY, so nothing was restored. If the backup was made by another installation, or before its DATA_DIR was lost, set AUDIT_KEY to that installation's key (its DATA_DIR/audit-key file) and restore again. If that key is lost for good, restore again with --allow-audit-key-change: opensend audit verify will then report the trail from before as unverifiable.`,
      );
    }
    await insertAuditEvents(database.db, [
      {
        schoolId: null,
        userId: null,
        role: null,
        action: 'backup.restored',
        requestId: options.requestId,
        detail: {
          file: path.basename(file),
          madeAt: header.createdAt,
          format: header.format,
          encrypted: header.encrypted,
          ...(header.encrypted ? {} : { allowUnencrypted: Boolean(key && options.allowUnencrypted) }),
          ...(unverified > 0 ? { auditKeyChanged: true, unverifiedChains: unverified } : {}),
          ...options.detail,
        },
      },
    ]);
    return { createdAt: header.createdAt, encrypted: header.encrypted, unverifiedChains: unverified };
  } finally {
    await database.close();
    if (undo) rmSync(path.join(dataDir, 'pglite'), { recursive: true, force: true });
  }
}
