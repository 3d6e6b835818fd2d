import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';

/*
 * A backup file: a first line naming the format, a second line of JSON saying what it holds, then the
 * database snapshot, encrypted with AES-256-GCM when a key is set (the key stretched with scrypt and
 * a fresh salt; a fresh 12-byte IV; the 16-byte tag authenticates the header too). A SHA-256 of the
 * snapshot is in the header either way, so a file that was cut short or changed is refused.
 */
const MAGIC = 'OPENSEND-BACKUP 1\n';

export interface BackupHeader {
  createdAt: string;
  encrypted: boolean;
  sha256: string;
  bytes: number;
  /** scrypt salt, base64 (encrypted files only) */
  salt?: string;
  iv?: string;
}

export class BackupError extends Error {}

function keyFrom(secret: string, salt: Buffer): Buffer {
  return scryptSync(secret, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
}

export function packBackup(snapshot: Uint8Array, key: string | undefined, createdAt: Date): Buffer {
  const sha256 = createHash('sha256').update(snapshot).digest('hex');
  if (!key) {
    const header: BackupHeader = {
      createdAt: createdAt.toISOString(),
      encrypted: false,
      sha256,
      bytes: snapshot.length,
    };
    return Buffer.concat([Buffer.from(MAGIC + JSON.stringify(header) + '\n'), snapshot]);
  }
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const header: BackupHeader = {
    createdAt: createdAt.toISOString(),
    encrypted: true,
    sha256,
    bytes: snapshot.length,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
  };
  const head = Buffer.from(MAGIC + JSON.stringify(header) + '\n');
  const cipher = createCipheriv('aes-256-gcm', keyFrom(key, salt), iv);
  cipher.setAAD(head);
  const body = Buffer.concat([cipher.update(snapshot), cipher.final()]);
  return Buffer.concat([head, cipher.getAuthTag(), body]);
}

/** Read the header only (to list backups without the key). */
export function readBackupHeader(file: Buffer): { header: BackupHeader; headLength: number } {
  if (file.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) {
    throw new BackupError('This is not an OpenSEND backup file');
  }
  const end = file.indexOf(0x0a, MAGIC.length);
  if (end < 0) throw new BackupError('This backup file is damaged: its header is incomplete');
  try {
    const header = JSON.parse(file.subarray(MAGIC.length, end).toString('utf8')) as BackupHeader;
    if (typeof header.sha256 !== 'string' || typeof header.encrypted !== 'boolean') throw new Error('header');
    return { header, headLength: end + 1 };
  } catch {
    throw new BackupError('This backup file is damaged: its header cannot be read');
  }
}

/** The snapshot inside a backup file, verified; a plain reason when it cannot be. */
export function unpackBackup(
  file: Buffer,
  key: string | undefined,
): { snapshot: Buffer; header: BackupHeader } {
  const { header, headLength } = readBackupHeader(file);
  let snapshot: Buffer;
  if (header.encrypted) {
    if (!key) throw new BackupError('This backup is encrypted: set BACKUP_KEY to the key it was made with');
    if (!header.salt || !header.iv)
      throw new BackupError('This backup file is damaged: its header is incomplete');
    const tag = file.subarray(headLength, headLength + 16);
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyFrom(key, Buffer.from(header.salt, 'base64')),
      Buffer.from(header.iv, 'base64'),
    );
    decipher.setAAD(file.subarray(0, headLength));
    decipher.setAuthTag(tag);
    try {
      snapshot = Buffer.concat([decipher.update(file.subarray(headLength + 16)), decipher.final()]);
    } catch {
      throw new BackupError('This backup cannot be read with this BACKUP_KEY, or the file has been changed');
    }
  } else {
    snapshot = file.subarray(headLength);
  }
  if (
    snapshot.length !== header.bytes ||
    createHash('sha256').update(snapshot).digest('hex') !== header.sha256
  ) {
    throw new BackupError('This backup file is incomplete or has been changed: its checksum does not match');
  }
  return { snapshot, header };
}
