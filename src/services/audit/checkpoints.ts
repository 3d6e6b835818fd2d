import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { auditCheckpointKey } from '../../db/audit-key.ts';
import type { Database } from '../../db/client.ts';
import { chainHeads, chainsAt } from '../../repositories/audit.ts';

/*
 * Checkpoints of the audit trail (docs/adr/0015): the newest entry of every chain (school, position,
 * id, link, time), signed with a key derived from AUDIT_KEY and written outside the database, where
 * the operator keeps them. Deleting the newest entries of a chain leaves a shorter chain whose links
 * all still follow: only something kept elsewhere can show it. `opensend audit verify` compares the
 * trail with the newest checkpoint (or one named), and reports a chain shorter than the checkpoint saw,
 * or an entry at the checkpoint's position that is not the one it saw.
 */

export interface CheckpointOptions {
  /** Where checkpoints are written and looked for (AUDIT_CHECKPOINT_DIR). */
  directory: string;
  /** Checkpoints older than this are removed (the newest is always kept). */
  keepDays: number;
}

export interface CheckpointChain {
  /** The chain's owner: a school, an organisation, or neither (the installation's chain). */
  schoolId: string | null;
  /** Absent (or null) but for an organisation's chain, so that checkpoints written before still verify. */
  organisationId?: string | null;
  seq: number;
  id: number;
  hash: string;
  at: string;
}

export interface AuditCheckpoint {
  takenAt: string;
  chains: CheckpointChain[];
}

export interface CheckpointProblem {
  schoolId: string | null;
  organisationId: string | null;
  /** shorter: entries at the end of the chain are gone; different: the entry at that position is not the one seen. */
  kind: 'shorter' | 'different';
  /** The position the checkpoint saw as the chain's newest. */
  seq: number;
  /** Where the chain ends now (0: no entries left). */
  lastSeq: number;
}

export class CheckpointError extends Error {}

const FORMAT = 'opensend-audit-checkpoint';
const VERSION = 1;
const PREFIX = 'audit-checkpoint-';
const DAY_MS = 24 * 3600 * 1000;

/** What the signature covers: every field, in this order, as compact JSON. */
function canonical(c: AuditCheckpoint): string {
  return JSON.stringify({
    format: FORMAT,
    version: VERSION,
    takenAt: c.takenAt,
    // An organisation's chain names it; the others are written as before organisations had chains.
    chains: c.chains.map(({ schoolId, organisationId, seq, id, hash, at }) =>
      organisationId ? { schoolId, organisationId, seq, id, hash, at } : { schoolId, seq, id, hash, at },
    ),
  });
}

function signature(secret: string, c: AuditCheckpoint): string {
  return createHmac('sha256', auditCheckpointKey(secret)).update(canonical(c)).digest('hex');
}

export function checkpointFileName(at: Date): string {
  return `${PREFIX}${at.toISOString().replace(/[:.]/g, '-').replace('Z', '')}.json`;
}

/** A checkpoint as written: readable JSON, its signature last. */
export function signCheckpoint(secret: string, c: AuditCheckpoint): string {
  return `${JSON.stringify({ ...JSON.parse(canonical(c)), signature: signature(secret, c) }, null, 2)}\n`;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** A checkpoint file read and its signature checked; a plain reason when it cannot be trusted. */
export function readCheckpoint(secret: string, text: string): AuditCheckpoint {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CheckpointError('it is not a checkpoint of the audit trail (it cannot be read as JSON)');
  }
  if (typeof raw !== 'object' || raw === null || raw.format !== FORMAT)
    throw new CheckpointError('it is not a checkpoint of the audit trail');
  if (raw.version !== VERSION)
    throw new CheckpointError('it was written by a newer version of OpenSEND: verify with that version');
  const chains = raw.chains;
  if (
    typeof raw.takenAt !== 'string' ||
    !Array.isArray(chains) ||
    !chains.every(
      (c: Record<string, unknown>) =>
        typeof c === 'object' &&
        c !== null &&
        (c.schoolId === null || typeof c.schoolId === 'string') &&
        (c.organisationId === undefined ||
          c.organisationId === null ||
          typeof c.organisationId === 'string') &&
        !(typeof c.schoolId === 'string' && typeof c.organisationId === 'string') &&
        isCount(c.seq) &&
        isCount(c.id) &&
        typeof c.hash === 'string' &&
        typeof c.at === 'string',
    )
  )
    throw new CheckpointError('it is damaged: some of it is missing');
  const checkpoint: AuditCheckpoint = { takenAt: raw.takenAt, chains: chains as CheckpointChain[] };
  const given = Buffer.from(typeof raw.signature === 'string' ? raw.signature : '', 'hex');
  const wanted = Buffer.from(signature(secret, checkpoint), 'hex');
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted))
    throw new CheckpointError(
      'its signature does not match: it was changed, or signed with another AUDIT_KEY',
    );
  return checkpoint;
}

/** When a checkpoint file says it was taken (ms); null when the file is not a checkpoint. */
function takenAtOf(file: string): number | null {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (typeof raw !== 'object' || raw === null || raw.format !== FORMAT || typeof raw.takenAt !== 'string')
      return null;
    const at = Date.parse(raw.takenAt);
    return Number.isNaN(at) ? null : at;
  } catch {
    return null;
  }
}

export function createAuditCheckpoints(database: Database, options: CheckpointOptions) {
  const { db } = database;
  const secret = () => {
    if (!database.auditKey) throw new Error('This database was opened without the audit key');
    return database.auditKey;
  };

  /**
   * The checkpoint files in the directory, newest first by the time each says it was taken (whatever
   * its name: one written there by `opensend audit checkpoint FILE` counts as much as the hourly ones).
   * A file that is not a checkpoint is left out; one whose signature is wrong is not (verify refuses it).
   */
  function list(): string[] {
    let names: string[];
    try {
      names = readdirSync(options.directory).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    return names
      .flatMap((n) => {
        const file = path.join(options.directory, n);
        const takenAt = takenAtOf(file);
        return takenAt === null ? [] : [{ file, takenAt }];
      })
      .sort((a, b) => b.takenAt - a.takenAt || (a.file < b.file ? 1 : -1))
      .map((c) => c.file);
  }

  async function take(at = new Date()): Promise<AuditCheckpoint> {
    const heads = await chainHeads(db);
    return {
      takenAt: at.toISOString(),
      chains: heads.map((h) => ({
        schoolId: h.schoolId,
        ...(h.organisationId ? { organisationId: h.organisationId } : {}),
        seq: h.seq,
        id: h.id,
        hash: h.hash,
        at: h.occurredAt,
      })),
    };
  }

  /** Write a checkpoint now: to `target`, or into the directory. Its file and what it saw. */
  async function write(target?: string): Promise<{ file: string; checkpoint: AuditCheckpoint }> {
    const checkpoint = await take();
    const file = target ?? path.join(options.directory, checkpointFileName(new Date(checkpoint.takenAt)));
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const partial = `${file}.partial`;
    writeFileSync(partial, signCheckpoint(secret(), checkpoint), { mode: 0o600 });
    renameSync(partial, file);
    return { file, checkpoint };
  }

  function read(file: string): AuditCheckpoint {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new CheckpointError('it cannot be read');
    }
    return readCheckpoint(secret(), text);
  }

  /** Where the trail no longer holds what the checkpoint saw. */
  async function compare(checkpoint: AuditCheckpoint): Promise<CheckpointProblem[]> {
    const now = await chainsAt(db, checkpoint.chains);
    return checkpoint.chains.flatMap((c, i): CheckpointProblem[] => {
      const at = now[i];
      if (!at) return [];
      const problem = {
        schoolId: c.schoolId,
        organisationId: c.organisationId ?? null,
        seq: c.seq,
        lastSeq: at.lastSeq,
      };
      if (at.lastSeq < c.seq) return [{ ...problem, kind: 'shorter' }];
      if (at.id !== c.id || at.hash !== c.hash) return [{ ...problem, kind: 'different' }];
      return [];
    });
  }

  /** Remove checkpoints past their keeping time; the newest always stays. */
  function prune(now = new Date()): void {
    const [, ...older] = list();
    for (const file of older) {
      if (!path.basename(file).startsWith(PREFIX)) continue; // one written there under a name of its own stays
      const stamp = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})\.json$/.exec(file);
      if (!stamp) continue;
      const at = Date.parse(`${stamp[1]}T${stamp[2]}:${stamp[3]}:${stamp[4]}.${stamp[5]}Z`);
      if (now.getTime() - at > options.keepDays * DAY_MS) rmSync(file, { force: true });
    }
  }

  return {
    directory: options.directory,
    list,
    newest: (): string | null => list()[0] ?? null,
    take,
    write,
    read,
    compare,
    prune,

    /**
     * The scheduled step: a checkpoint when any chain has moved on since the newest one (or there is
     * none), then pruning. Null when nothing had changed.
     */
    async scheduled(): Promise<string | null> {
      const newest = list()[0];
      const heads = await take();
      let same = false;
      if (newest) {
        try {
          same = canonical({ ...read(newest), takenAt: '' }) === canonical({ ...heads, takenAt: '' });
        } catch {
          same = false;
        }
      }
      const file = same ? null : (await write()).file;
      prune();
      return file;
    },
  };
}

export type AuditCheckpoints = ReturnType<typeof createAuditCheckpoints>;
