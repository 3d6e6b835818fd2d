import { formatDateTime } from '../domain/dates.ts';
import { type AuditVerification, intact } from '../services/audit/verify.ts';

/*
 * What `opensend audit verify` prints: what was checked, and everything found wrong, in plain words.
 */

const REASONS: Record<AuditVerification['broken'][number]['reason'], string> = {
  position: 'an entry before it is missing, or one was added',
  content: 'it was changed, or the chain was rebuilt without the audit key',
  pupils: 'the pupils it records as shown were changed or removed',
  unkeyed: 'it was re-chained without the audit key',
  seal: 'the entries from before the chain was keyed were changed, or their pupils',
  unsealed:
    'the chain ends in entries with unkeyed (plain SHA-256) links, and no keyed entry follows them: it was re-linked without the audit key, or the entries written since it was keyed were removed',
};

const when = (iso: string) => formatDateTime(new Date(iso));

/** Whose chain it is: a school's, an organisation's (by name, else by id), or the installation's. */
export function chainName(c: {
  schoolId: string | null;
  schoolName: string | null;
  organisationId: string | null;
  organisationName: string | null;
}): string {
  if (c.schoolId) return c.schoolName ?? `school ${c.schoolId}`;
  if (c.organisationId)
    return c.organisationName ? `${c.organisationName} (organisation)` : `organisation ${c.organisationId}`;
  return 'entries of no school or organisation';
}

/** What `opensend audit verify` prints: what was checked, and everything found wrong. */
export function verifyReport(v: AuditVerification & { recorded: boolean }): {
  lines: string[];
  intact: boolean;
} {
  const lines: string[] = [];
  if (v.keyLooksWrong)
    lines.push(
      '  The audit key looks wrong: none of the newest entries verifies with it, so every chain below is reported broken. Check AUDIT_KEY (or DATA_DIR/audit-key when it is not set) and run this again with the key the trail was written with.',
    );
  for (const b of v.broken)
    lines.push(
      `  ${chainName(b)}: entry ${b.id} (position ${b.chainSeq ?? 'missing'} in its chain): ${REASONS[b.reason]}`,
    );
  if (v.strayPupilLinks > 0)
    lines.push(
      `  ${v.strayPupilLinks} ${v.strayPupilLinks === 1 ? 'pupil is' : 'pupils are'} recorded as shown by an entry that is not in their school's trail`,
    );
  for (const s of v.safeguards) lines.push(`  ${s}`);
  if (v.checkpointRefused)
    lines.push(
      `  The checkpoint ${v.checkpointRefused.file} cannot be trusted: ${v.checkpointRefused.reason}`,
    );
  for (const p of v.checkpointProblems) {
    const name = chainName(p);
    lines.push(
      p.kind === 'shorter'
        ? `  ${name}: entries were deleted from the end: the checkpoint saw ${p.seq} entries, the chain now has ${p.lastSeq}`
        : `  ${name}: the entry at position ${p.seq} is not the one the checkpoint saw: the chain was rewritten`,
    );
  }
  const ok = intact(v);
  const head = ok
    ? `The audit trail is intact: ${v.total} ${v.total === 1 ? 'entry' : 'entries'}, every link checked with the audit key.`
    : 'The audit trail has been changed:';
  const compared = v.checkpoint
    ? `Compared with the checkpoint of ${when(v.checkpoint.takenAt)} (${v.checkpoint.file}): ${v.checkpointProblems.length === 0 ? 'every entry it saw is still there, unchanged.' : 'see above.'} Entries written since can be removed without trace until the next checkpoint.`
    : v.checkpointRefused
      ? null
      : 'No checkpoint to compare with: entries deleted from the end of a chain cannot be found without one (see opensend audit checkpoint).';
  const unrecorded = v.recorded
    ? []
    : [
        v.keyLooksWrong
          ? 'Nothing was written to the audit trail: an entry linked with this key could never be verified.'
          : 'This check was not recorded in the audit trail: the newest entry of no school does not verify with the key, and an entry linked to it would hide where the chain broke.',
      ];
  return { lines: [head, ...lines, ...(compared ? [compared] : []), ...unrecorded], intact: ok };
}
