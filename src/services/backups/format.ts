import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';

/*
 * A backup file: a first line naming the format and its version, a second line of JSON saying what it
 * holds, then the database snapshot.
 *
 * Version 2 (written since backups were authenticated):
 * - encrypted (BACKUP_KEY set): the snapshot sealed with AES-256-GCM (the key stretched with scrypt and
 *   a fresh 16-byte salt; a fresh 12-byte IV), the two header lines as additional data, so the 16-byte
 *   tag authenticates header and body together. The header holds no hash or length of the snapshot:
 *   a hash of the plaintext would confirm a guess at the database without the key.
 * - not encrypted (no BACKUP_KEY): the snapshot as it is, with its SHA-256 and length in the header.
 *   That finds a file cut short or damaged, never one made on purpose: whoever can write the file can
 *   compute the hash. So where a key is set, a file that is not encrypted is refused unless the restore
 *   is told, explicitly, that it is a deliberate move from backups without a key.
 *
 * Version 1 files (before) are still read: an encrypted one is authenticated by its tag as above (its
 * header also carries the snapshot's hash, which is checked too); one not encrypted as in version 2.
 */
const MAGIC_V1 = 'OPENSEND-BACKUP 1\n';
const MAGIC_V2 = 'OPENSEND-BACKUP 2\n';
const MAGIC_PREFIX = 'OPENSEND-BACKUP ';
/** AES-GCM's authentication tag: always the full 16 bytes (a shorter tag is easier to forge). */
const TAG_BYTES = 16;

/** What the second line of a backup says, by version and kind. */
export type BackupHeader =
  | {
      format: 2;
      createdAt: string;
      encrypted: true;
      /** scrypt salt and AES-GCM IV, base64 */
      salt: string;
      iv: string;
    }
  | { format: 1 | 2; createdAt: string; encrypted: false; sha256: string; bytes: number }
  | {
      format: 1;
      createdAt: string;
      encrypted: true;
      sha256: string;
      bytes: number;
      salt: string;
      iv: string;
    };

export class BackupError extends Error {}

/** The newest format this OpenSEND writes. */
export const BACKUP_FORMAT = 2;

function keyFrom(secret: string, salt: Buffer): Buffer {
  return scryptSync(secret, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
}

const headLine = (magic: string, header: object) => Buffer.from(`${magic}${JSON.stringify(header)}\n`);

export function packBackup(snapshot: Uint8Array, key: string | undefined, createdAt: Date): Buffer {
  if (!key) {
    const header: BackupHeader = {
      format: 2,
      createdAt: createdAt.toISOString(),
      encrypted: false,
      sha256: createHash('sha256').update(snapshot).digest('hex'),
      bytes: snapshot.length,
    };
    return Buffer.concat([headLine(MAGIC_V2, header), snapshot]);
  }
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const header: BackupHeader = {
    format: 2,
    createdAt: createdAt.toISOString(),
    encrypted: true,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
  };
  const head = headLine(MAGIC_V2, header);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(key, salt), iv);
  cipher.setAAD(head);
  const body = Buffer.concat([cipher.update(snapshot), cipher.final()]);
  return Buffer.concat([head, cipher.getAuthTag(), body]);
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Read the header only (to list backups without the key). */
export function readBackupHeader(file: Buffer): { header: BackupHeader; headLength: number } {
  const start = file.subarray(0, MAGIC_V2.length).toString('latin1');
  const format = start === MAGIC_V1 ? 1 : start === MAGIC_V2 ? 2 : null;
  if (format === null) {
    const first = /^OPENSEND-BACKUP (\d{1,6})(\r?)\n/.exec(file.subarray(0, 32).toString('latin1'));
    if (first?.[2] === '\r') {
      throw new BackupError(
        'This backup file has been changed: its line endings were converted (to CRLF), as copying it as text does. Copy the original again as a binary file.',
      );
    }
    if (first && Number(first[1]) > BACKUP_FORMAT) {
      throw new BackupError(
        `This backup was made by a newer version of OpenSEND (backup format ${Number(first[1])}): restore it with that version or a later one`,
      );
    }
    if (start.startsWith(MAGIC_PREFIX))
      throw new BackupError('This backup file is damaged: its first line cannot be read');
    throw new BackupError('This is not an OpenSEND backup file');
  }
  const end = file.indexOf(0x0a, MAGIC_V2.length);
  if (end < 0) throw new BackupError('This backup file is damaged: its header is incomplete');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(file.subarray(MAGIC_V2.length, end).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new BackupError('This backup file is damaged: its header cannot be read');
  }
  const damaged = () => new BackupError('This backup file is damaged: its header is incomplete');
  if (typeof raw !== 'object' || raw === null || !isText(raw.createdAt)) throw damaged();
  const createdAt = raw.createdAt;
  let header: BackupHeader;
  if (raw.encrypted === false) {
    if (!isText(raw.sha256) || !isCount(raw.bytes)) throw damaged();
    header = { format, createdAt, encrypted: false, sha256: raw.sha256, bytes: raw.bytes };
  } else if (raw.encrypted === true) {
    if (!isText(raw.salt) || !isText(raw.iv)) throw damaged();
    if (format === 1) {
      if (!isText(raw.sha256) || !isCount(raw.bytes)) throw damaged();
      header = {
        format,
        createdAt,
        encrypted: true,
        sha256: raw.sha256,
        bytes: raw.bytes,
        salt: raw.salt,
        iv: raw.iv,
      };
    } else header = { format, createdAt, encrypted: true, salt: raw.salt, iv: raw.iv };
  } else throw damaged();
  return { header, headLength: end + 1 };
}

export interface UnpackOptions {
  /**
   * With a key set, restore a file that is not encrypted anyway: only for a deliberate move from backups
   * made without a key. Such a file cannot be authenticated (its checksum is anyone's to recompute).
   */
  allowUnencrypted?: boolean;
}

/** The snapshot inside a backup file, verified; a plain reason when it cannot be. */
export function unpackBackup(
  file: Buffer,
  key: string | undefined,
  options: UnpackOptions = {},
): { snapshot: Buffer; header: BackupHeader } {
  const { header, headLength } = readBackupHeader(file);
  if (!header.encrypted) {
    if (key && !options.allowUnencrypted) {
      throw new BackupError(
        'This backup is not encrypted, but BACKUP_KEY is set. OpenSEND encrypts every backup it makes with the key, so this file was made without it, by another installation or by someone who could change the files where backups are kept. Nothing was restored. If you are deliberately moving from backups made without a key, run the restore again with --allow-unencrypted.',
      );
    }
    const snapshot = file.subarray(headLength);
    checkSum(snapshot, header);
    return { snapshot, header };
  }
  if (!key) throw new BackupError('This backup is encrypted: set BACKUP_KEY to the key it was made with');
  // The whole 16-byte tag, then at least one byte of the database: a file cut shorter is not a backup.
  if (file.length <= headLength + TAG_BYTES)
    throw new BackupError('This backup file is incomplete: it was cut short after its header');
  const unreadable = () =>
    new BackupError('This backup cannot be read with this BACKUP_KEY, or the file has been changed');
  let snapshot: Buffer;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyFrom(key, Buffer.from(header.salt, 'base64')),
      Buffer.from(header.iv, 'base64'),
      { authTagLength: TAG_BYTES },
    );
    // The header lines as they are in the file: changing any of it fails the tag.
    decipher.setAAD(file.subarray(0, headLength));
    decipher.setAuthTag(file.subarray(headLength, headLength + TAG_BYTES));
    snapshot = Buffer.concat([decipher.update(file.subarray(headLength + TAG_BYTES)), decipher.final()]);
  } catch {
    throw unreadable();
  }
  if (header.format === 1) checkSum(snapshot, header);
  return { snapshot, header };
}

function checkSum(snapshot: Buffer, header: { sha256: string; bytes: number }) {
  if (
    snapshot.length !== header.bytes ||
    createHash('sha256').update(snapshot).digest('hex') !== header.sha256
  ) {
    throw new BackupError('This backup file is incomplete or has been changed: its checksum does not match');
  }
}
