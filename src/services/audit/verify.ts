import path from 'node:path';
import { auditKeyPads } from '../../db/audit-key.ts';
import type { Database } from '../../db/client.ts';
import {
  type BrokenLinkReason,
  countAuditEvents,
  databaseSafeguards,
  firstBrokenLinks,
  newestKeyedLinks,
  strayPupilLinks,
} from '../../repositories/audit.ts';
import { findOrganisation, findSchool } from '../../repositories/schools.ts';
import { type AuditCheckpoints, CheckpointError, type CheckpointProblem } from './checkpoints.ts';
import { safeguardProblems } from './safeguards.ts';

/** How many of the trail's newest keyed entries are checked to tell whether a key is the trail's. */
const NEWEST_LINKS = 20;

/**
 * Is this the key the trail was written with? A cheap check, for the start of the server and of each
 * command that writes to the trail: false when the trail has keyed entries and none of the newest few
 * verifies with it (entries written with a wrong key could never be verified, and cannot be removed).
 */
export async function auditKeyFits(database: Database): Promise<boolean> {
  if (!database.auditKey) return false;
  const newest = await newestKeyedLinks(database.db, auditKeyPads(database.auditKey), { limit: 10 });
  return newest.length === 0 || newest.some((n) => n.verifies);
}

/** Why OpenSEND will not write to the trail with the key it was given, and what to do. */
export const WRONG_AUDIT_KEY =
  'The audit key (AUDIT_KEY, or DATA_DIR/audit-key when AUDIT_KEY is not set) is not the key this audit trail was written with: its newest entries do not verify with it. Entries written with it could never be verified, and the trail is append-only, so OpenSEND stops here and has written nothing. Set AUDIT_KEY to the key this installation has used (keep it with BACKUP_KEY); opensend audit verify shows what it finds.';

/** What `opensend audit verify` found: an intact trail has nothing in any list. */
export interface AuditVerification {
  total: number;
  /** The first broken link of each chain (a school's, an organisation's, or the installation's). */
  broken: {
    id: number;
    schoolId: string | null;
    schoolName: string | null;
    organisationId: string | null;
    organisationName: string | null;
    chainSeq: number | null;
    reason: BrokenLinkReason;
  }[];
  /** Pupils recorded as shown by an entry that is not in their school's trail. */
  strayPupilLinks: number;
  /**
   * A trigger of the trail missing, turned off or changed, a function of OpenSEND's changed, or a trigger,
   * function, rule, policy or expression the migrations did not make that could copy the audit key.
   */
  safeguards: string[];
  /**
   * None of the newest entries of the trail verifies with the key given: it is not the key the trail
   * was written with (AUDIT_KEY, or DATA_DIR/audit-key).
   */
  keyLooksWrong: boolean;
  /**
   * Whether an entry may be added to the installation's chain (entries of no school or organisation,
   * where verify records itself): not when the key looks wrong, nor when that chain's newest entry
   * does not verify with it, since
   * the new entry would be linked to it with the key given, and an append-only trail can never undo it.
   */
  mayRecord: boolean;
  /** The checkpoint compared with: its file and when it was taken; null when there was none. */
  checkpoint: { file: string; takenAt: string } | null;
  /** A checkpoint named (or the newest found) that cannot be trusted, and why. */
  checkpointRefused: { file: string; reason: string } | null;
  checkpointProblems: (CheckpointProblem & { schoolName: string | null; organisationName: string | null })[];
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
  const pads = auditKeyPads(database.auditKey);
  const [found, total, strays, safeguards, newest, newestOfInstallation] = await Promise.all([
    firstBrokenLinks(db, pads),
    countAuditEvents(db),
    strayPupilLinks(db),
    databaseSafeguards(db),
    newestKeyedLinks(db, pads, { limit: NEWEST_LINKS }),
    newestKeyedLinks(db, pads, { limit: 1, installationOnly: true }),
  ]);
  const keyLooksWrong = newest.length > 0 && newest.every((n) => !n.verifies);
  const names = new Map<string, string | null>();
  const schoolName = async (id: string | null) => {
    if (!id) return null;
    if (!names.has(id)) names.set(id, (await findSchool(db, id))?.name ?? null);
    return names.get(id) ?? null;
  };
  const organisationNames = new Map<string, string | null>();
  const organisationName = async (id: string | null | undefined) => {
    if (!id) return null;
    if (!organisationNames.has(id)) organisationNames.set(id, (await findOrganisation(db, id))?.name ?? null);
    return organisationNames.get(id) ?? null;
  };

  const problems = safeguardProblems(safeguards);

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
    broken: await Promise.all(
      found.map(async (b) => ({
        ...b,
        schoolName: await schoolName(b.schoolId),
        organisationName: await organisationName(b.organisationId),
      })),
    ),
    strayPupilLinks: strays,
    safeguards: problems,
    keyLooksWrong,
    mayRecord: !keyLooksWrong && (newestOfInstallation[0]?.verifies ?? true),
    checkpoint,
    checkpointRefused,
    checkpointProblems: await Promise.all(
      checkpointProblems.map(async (p) => ({
        ...p,
        schoolName: await schoolName(p.schoolId),
        organisationName: await organisationName(p.organisationId),
      })),
    ),
  };
}

/** Is the trail as it should be? */
export function intact(v: AuditVerification): boolean {
  return (
    !v.keyLooksWrong &&
    v.broken.length === 0 &&
    v.strayPupilLinks === 0 &&
    v.safeguards.length === 0 &&
    v.checkpointRefused === null &&
    v.checkpointProblems.length === 0
  );
}
