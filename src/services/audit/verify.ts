import path from 'node:path';
import { auditKeyPads } from '../../db/audit-key.ts';
import { AUDIT_TRIGGERS, expectedChainFunctionDigest } from '../../db/audit-trigger.ts';
import type { Database } from '../../db/client.ts';
import {
  auditSafeguards,
  type BrokenLinkReason,
  countAuditEvents,
  firstBrokenLinks,
  strayPupilLinks,
} from '../../repositories/audit.ts';
import { findSchool } from '../../repositories/schools.ts';
import { type AuditCheckpoints, CheckpointError, type CheckpointProblem } from './checkpoints.ts';

/** What `opensend audit verify` found: an intact trail has nothing in any list. */
export interface AuditVerification {
  total: number;
  /** The first broken link of each chain. */
  broken: {
    id: number;
    schoolId: string | null;
    schoolName: string | null;
    chainSeq: number | null;
    reason: BrokenLinkReason;
  }[];
  /** Pupils recorded as shown by an entry that is not in their school's trail. */
  strayPupilLinks: number;
  /** A trigger of the trail missing or turned off, or the chain function not OpenSEND's. */
  safeguards: string[];
  /** The checkpoint compared with: its file and when it was taken; null when there was none. */
  checkpoint: { file: string; takenAt: string } | null;
  /** A checkpoint named (or the newest found) that cannot be trusted, and why. */
  checkpointRefused: { file: string; reason: string } | null;
  checkpointProblems: (CheckpointProblem & { schoolName: string | null })[];
}

/**
 * Check the whole trail: every chain's links with the audit key, the pupils each entry showed, the
 * safeguards in the database, and, against a checkpoint kept outside it (the one named, else the newest
 * in the checkpoint directory), that no chain is shorter than it was and no entry it saw has changed.
 */
export async function verifyTrail(
  database: Database,
  checkpoints: AuditCheckpoints,
  options: { checkpoint?: string | undefined } = {},
): Promise<AuditVerification> {
  const { db } = database;
  if (!database.auditKey) throw new Error('This database was opened without the audit key');
  const [found, total, strays, safeguards] = await Promise.all([
    firstBrokenLinks(db, auditKeyPads(database.auditKey)),
    countAuditEvents(db),
    strayPupilLinks(db),
    auditSafeguards(db),
  ]);
  const names = new Map<string, string | null>();
  const schoolName = async (id: string | null) => {
    if (!id) return null;
    if (!names.has(id)) names.set(id, (await findSchool(db, id))?.name ?? null);
    return names.get(id) ?? null;
  };

  const problems: string[] = [];
  for (const t of AUDIT_TRIGGERS) {
    const there = safeguards.triggers.find((x) => x.table === t.table && x.name === t.name);
    if (!there) problems.push(`The trigger ${t.name} on ${t.table} is missing`);
    else if (there.enabled !== 'O' && there.enabled !== 'A')
      problems.push(`The trigger ${t.name} on ${t.table} is turned off`);
  }
  if (safeguards.chainFunction !== expectedChainFunctionDigest())
    problems.push(
      'The function that chains the trail (audit_event_chain) is not the one OpenSEND installed: it may have been changed to capture the audit key',
    );

  const file = options.checkpoint ?? checkpoints.newest();
  let checkpoint: AuditVerification['checkpoint'] = null;
  let checkpointRefused: AuditVerification['checkpointRefused'] = null;
  let checkpointProblems: CheckpointProblem[] = [];
  if (file) {
    try {
      const read = checkpoints.read(file);
      checkpoint = { file: path.resolve(file), takenAt: read.takenAt };
      checkpointProblems = await checkpoints.compare(read);
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      checkpointRefused = { file: path.resolve(file), reason: error.message };
    }
  }

  return {
    total,
    broken: await Promise.all(found.map(async (b) => ({ ...b, schoolName: await schoolName(b.schoolId) }))),
    strayPupilLinks: strays,
    safeguards: problems,
    checkpoint,
    checkpointRefused,
    checkpointProblems: await Promise.all(
      checkpointProblems.map(async (p) => ({ ...p, schoolName: await schoolName(p.schoolId) })),
    ),
  };
}

/** Is the trail as it should be? */
export function intact(v: AuditVerification): boolean {
  return (
    v.broken.length === 0 &&
    v.strayPupilLinks === 0 &&
    v.safeguards.length === 0 &&
    v.checkpointRefused === null &&
    v.checkpointProblems.length === 0
  );
}
