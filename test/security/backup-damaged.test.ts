import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packBackup, readBackupHeader, unpackBackup } from '../../src/services/backups/format.ts';
import { runOpensend } from '../opensend-process.ts';

/*
 * Backup files cut short, with a short authentication tag, or with their line endings converted: each
 * refused with a plain reason (never a stack trace, never a misleading one), and a refused restore
 * leaves DATA_DIR as it was, without even the secrets that loading the settings would make.
 */

const KEY = 'the school’s backup key, kept in the school safe';
const at = new Date('2026-11-20T03:00:00Z');
const sealed = packBackup(randomBytes(4000), KEY, at);
const { headLength } = readBackupHeader(sealed);

describe('a backup file cut short', () => {
  it('right after its header, or in its 16-byte tag, or with the tag and nothing after: refused as incomplete', () => {
    for (const keep of [0, 4, 15, 16]) {
      const cut = sealed.subarray(0, headLength + keep);
      expect(() => unpackBackup(cut, KEY), `${keep} bytes of tag kept`).toThrow(
        'This backup file is incomplete: it was cut short after its header',
      );
    }
    // Cut in the middle of the body: the full tag fails.
    expect(() => unpackBackup(sealed.subarray(0, sealed.length - 100), KEY)).toThrow(
      'This backup cannot be read with this BACKUP_KEY, or the file has been changed',
    );
  });

  it('restored from the command line: a plain message, exit 1, and nothing made in DATA_DIR', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'opensend-restore-'));
    const file = path.join(parent, 'cut.backup');
    writeFileSync(file, sealed.subarray(0, headLength));
    // A DATA_DIR that does not exist yet, and one that exists, empty.
    const missing = path.join(parent, 'new-data');
    const empty = path.join(parent, 'empty-data');
    mkdirSync(empty);
    for (const dataDir of [missing, empty]) {
      const result = await runOpensend(dataDir, ['restore', file], { BACKUP_KEY: KEY });
      expect(result.code, result.out).toBe(1);
      expect(result.out.trim()).toBe('This backup file is incomplete: it was cut short after its header');
      expect(result.out).not.toMatch(/TypeError|\n\s+at /);
    }
    expect(existsSync(missing)).toBe(false);
    expect(readdirSync(empty)).toEqual([]);
  }, 60_000);
});

describe('a backup file whose line endings were converted', () => {
  it('is said to have been converted (CRLF), not to come from a newer OpenSEND', () => {
    const plain = packBackup(randomBytes(300), undefined, at);
    const { headLength: plainHead } = readBackupHeader(plain);
    const crlf = Buffer.concat([
      Buffer.from(plain.subarray(0, plainHead).toString('latin1').replaceAll('\n', '\r\n'), 'latin1'),
      plain.subarray(plainHead),
    ]);
    expect(() => unpackBackup(crlf, undefined)).toThrow(/line endings were converted \(to CRLF\)/);
    expect(() => unpackBackup(crlf, undefined)).not.toThrow(/newer version/);
    // A genuinely newer format still says so.
    const newer = Buffer.from(
      plain.toString('latin1').replace('OPENSEND-BACKUP 2\n', 'OPENSEND-BACKUP 3\n'),
      'latin1',
    );
    expect(() => unpackBackup(newer, undefined)).toThrow(/made by a newer version of OpenSEND/);
  });
});
