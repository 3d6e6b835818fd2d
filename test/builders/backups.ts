import { createCipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';

/**
 * A backup file as OpenSEND wrote them before format 2 (format 1: the snapshot's SHA-256 and length in
 * the header, encrypted or not), written out here as that version did, for the backups schools hold.
 */
export function packVersion1(data: Uint8Array, key: string | undefined, createdAt: Date): Buffer {
  const sha256 = createHash('sha256').update(data).digest('hex');
  const magic = 'OPENSEND-BACKUP 1\n';
  if (!key) {
    const header = { createdAt: createdAt.toISOString(), encrypted: false, sha256, bytes: data.length };
    return Buffer.concat([Buffer.from(`${magic}${JSON.stringify(header)}\n`), data]);
  }
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const header = {
    createdAt: createdAt.toISOString(),
    encrypted: true,
    sha256,
    bytes: data.length,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
  };
  const head = Buffer.from(`${magic}${JSON.stringify(header)}\n`);
  const cipher = createCipheriv(
    'aes-256-gcm',
    scryptSync(key, salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }),
    iv,
  );
  cipher.setAAD(head);
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([head, cipher.getAuthTag(), body]);
}
