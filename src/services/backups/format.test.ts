import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BackupError, packBackup, readBackupHeader, unpackBackup } from './format.ts';

const snapshot = randomBytes(5000);
const at = new Date('2026-11-20T03:00:00Z');

describe('backup files', () => {
  it('round-trips a snapshot, plain and encrypted, and says which it is', () => {
    const plain = packBackup(snapshot, undefined, at);
    expect(unpackBackup(plain, undefined).snapshot.equals(snapshot)).toBe(true);
    const sealed = packBackup(snapshot, 'a long backup key kept elsewhere', at);
    expect(readBackupHeader(sealed).header).toMatchObject({ encrypted: true, createdAt: at.toISOString() });
    expect(sealed.includes(snapshot.subarray(0, 64))).toBe(false);
    expect(unpackBackup(sealed, 'a long backup key kept elsewhere').snapshot.equals(snapshot)).toBe(true);
  });

  it('refuses a file it cannot verify: wrong key, no key, changed bytes, cut short, not a backup', () => {
    const sealed = packBackup(snapshot, 'a long backup key kept elsewhere', at);
    expect(() => unpackBackup(sealed, 'another key entirely!!')).toThrow(
      /cannot be read with this BACKUP_KEY/,
    );
    expect(() => unpackBackup(sealed, undefined)).toThrow(/encrypted: set BACKUP_KEY/);
    const flipped = Buffer.from(sealed);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 10) ^ 0xff, flipped.length - 10);
    expect(() => unpackBackup(flipped, 'a long backup key kept elsewhere')).toThrow(BackupError);
    const plain = packBackup(snapshot, undefined, at);
    expect(() => unpackBackup(plain.subarray(0, plain.length - 1), undefined)).toThrow(/checksum/);
    const changed = Buffer.from(plain);
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 0x01, changed.length - 1);
    expect(() => unpackBackup(changed, undefined)).toThrow(/checksum/);
    expect(() => unpackBackup(Buffer.from('PK\u0003\u0004 an xlsx'), undefined)).toThrow(
      /not an OpenSEND backup/,
    );
    // The header is authenticated too: saying "not encrypted" does not get round the key.
    const lying = Buffer.from(
      sealed.toString('latin1').replace('"encrypted":true', '"encrypted":fals'),
      'latin1',
    );
    expect(() => unpackBackup(lying, undefined)).toThrow(BackupError);
  });
});
