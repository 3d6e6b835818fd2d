import { createHmac } from 'node:crypto';

/*
 * The audit trail's key (AUDIT_KEY, docs/adr/0015). The database never stores it: OpenSEND gives its
 * own connections what the chain trigger needs to compute HMAC-SHA256 with PostgreSQL's built-in
 * sha256() (the key's inner and outer pads), as a setting of the connection, and keeps the rest (the
 * checkpoint key) to itself. Someone who changes the trail directly in the database, without the key,
 * cannot write a link that verifies.
 */

/** The setting of a connection that holds the chain key's HMAC pads (256 hexadecimal characters). */
export const AUDIT_KEY_SETTING = 'opensend.audit_hmac';

/** The prefix of a keyed link: the version of the keyed chain (rows before it hold a plain SHA-256). */
export const KEYED_LINK_PREFIX = 'k1:';

const derive = (secret: string, purpose: string) => createHmac('sha256', secret).update(purpose).digest();

/** The HMAC key of the chain itself, derived from AUDIT_KEY for this one purpose. */
export function auditChainKey(secret: string): Buffer {
  return derive(secret, 'opensend audit chain 1');
}

/** The HMAC key that signs checkpoints (the heads of the chains, kept outside the database). */
export function auditCheckpointKey(secret: string): Buffer {
  return derive(secret, 'opensend audit checkpoint 1');
}

/**
 * HMAC-SHA256(K, m) = SHA-256((K ⊕ opad) ‖ SHA-256((K ⊕ ipad) ‖ m)), K padded to the 64-byte block:
 * the two padded keys, hex, so that SQL computes the HMAC with sha256() alone (no pgcrypto).
 */
export function auditKeyPads(secret: string): { inner: string; outer: string } {
  const block = Buffer.alloc(64);
  auditChainKey(secret).copy(block);
  return {
    inner: Buffer.from(block.map((b) => b ^ 0x36)).toString('hex'),
    outer: Buffer.from(block.map((b) => b ^ 0x5c)).toString('hex'),
  };
}

/** The value of AUDIT_KEY_SETTING: the inner pad then the outer. */
export function auditKeySetting(secret: string): string {
  const { inner, outer } = auditKeyPads(secret);
  return inner + outer;
}

/** A PostgreSQL connection's start-up `options` that set the audit key on it (sent once, never logged). */
export function auditConnectionOptions(secret: string): string {
  return `-c ${AUDIT_KEY_SETTING}=${auditKeySetting(secret)}`;
}
