import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { packVersion1 as packV1 } from '../../../test/builders/backups.ts';
import { BackupError, packBackup, readBackupHeader, unpackBackup } from './format.ts';

const snapshot = randomBytes(5000);
const at = new Date('2026-11-20T03:00:00Z');
const KEY = 'a long backup key kept elsewhere';

const packVersion1 = (data: Buffer, key: string | undefined) => packV1(data, key, at);

describe('backup files', () => {
  it('round-trips a snapshot, plain and encrypted, and says which it is', () => {
    const plain = packBackup(snapshot, undefined, at);
    expect(unpackBackup(plain, undefined).snapshot.equals(snapshot)).toBe(true);
    const sealed = packBackup(snapshot, KEY, at);
    expect(readBackupHeader(sealed).header).toMatchObject({
      format: 2,
      encrypted: true,
      createdAt: at.toISOString(),
    });
    expect(sealed.includes(snapshot.subarray(0, 64))).toBe(false);
    expect(unpackBackup(sealed, KEY).snapshot.equals(snapshot)).toBe(true);
  });

  it('says nothing about the database in an encrypted file’s header: no hash of it, no length', () => {
    const sealed = packBackup(snapshot, KEY, at);
    const { header, headLength } = readBackupHeader(sealed);
    expect(Object.keys(header).sort()).toEqual(['createdAt', 'encrypted', 'format', 'iv', 'salt']);
    const hash = createHash('sha256').update(snapshot).digest('hex');
    expect(sealed.toString('latin1')).not.toContain(hash);
    expect(sealed.subarray(0, headLength).toString('latin1')).not.toContain(String(snapshot.length));
  });

  it('with a key set, refuses a file that is not encrypted (its checksum is anyone’s to make) unless told it is a deliberate move', () => {
    // A database someone else made, packed without a key: its checksum is right.
    const forged = packBackup(randomBytes(3000), undefined, at);
    expect(() => unpackBackup(forged, KEY)).toThrow(
      /not encrypted, but BACKUP_KEY is set.*Nothing was restored.*--allow-unencrypted/,
    );
    expect(() => unpackBackup(packVersion1(snapshot, undefined), KEY)).toThrow(/not encrypted/);
    expect(unpackBackup(forged, KEY, { allowUnencrypted: true }).header.encrypted).toBe(false);
    // Without a key there is nothing to authenticate with: a file not encrypted is read, checksum checked.
    expect(unpackBackup(forged, undefined).header.encrypted).toBe(false);
  });

  it('still restores the backups schools made before (format 1), encrypted and not', () => {
    const old = packVersion1(snapshot, KEY);
    expect(readBackupHeader(old).header).toMatchObject({ format: 1, encrypted: true });
    expect(unpackBackup(old, KEY).snapshot.equals(snapshot)).toBe(true);
    expect(() => unpackBackup(old, 'another key entirely!!')).toThrow(/cannot be read with this BACKUP_KEY/);
    expect(unpackBackup(packVersion1(snapshot, undefined), undefined).snapshot.equals(snapshot)).toBe(true);
  });

  it('refuses a file it cannot verify: wrong key, no key, changed bytes, cut short, not a backup, newer', () => {
    const sealed = packBackup(snapshot, KEY, at);
    expect(() => unpackBackup(sealed, 'another key entirely!!')).toThrow(
      /cannot be read with this BACKUP_KEY/,
    );
    expect(() => unpackBackup(sealed, undefined)).toThrow(/encrypted: set BACKUP_KEY/);
    const flipped = Buffer.from(sealed);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 10) ^ 0xff, flipped.length - 10);
    expect(() => unpackBackup(flipped, KEY)).toThrow(BackupError);
    const plain = packBackup(snapshot, undefined, at);
    expect(() => unpackBackup(plain.subarray(0, plain.length - 1), undefined)).toThrow(/checksum/);
    const changed = Buffer.from(plain);
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 0x01, changed.length - 1);
    expect(() => unpackBackup(changed, undefined)).toThrow(/checksum/);
    expect(() => unpackBackup(Buffer.from('PK\u0003\u0004 an xlsx'), undefined)).toThrow(
      /not an OpenSEND backup/,
    );
    expect(() => unpackBackup(Buffer.from('OPENSEND-BACKUP 3\n{}\n'), KEY)).toThrow(
      /newer version of OpenSEND/,
    );
    // The header is authenticated too: saying "not encrypted", or another format, does not get round the key.
    const lying = Buffer.from(
      sealed.toString('latin1').replace('"encrypted":true', '"encrypted":fals'),
      'latin1',
    );
    expect(() => unpackBackup(lying, undefined)).toThrow(BackupError);
    const older = Buffer.from(sealed.toString('latin1').replace('"format":2', '"format":1'), 'latin1');
    expect(() => unpackBackup(older, KEY)).toThrow(BackupError);
    const later = Buffer.from(
      sealed.toString('latin1').replace(at.toISOString(), '2030-01-01T00:00:00.000Z'),
      'latin1',
    );
    expect(() => unpackBackup(later, KEY)).toThrow(
      /cannot be read with this BACKUP_KEY, or the file has been changed/,
    );
  });
});
