import { describe, expect, it } from 'vitest';
import type { AuditVerification } from '../services/audit/verify.ts';
import { verifyReport } from './audit-verification.ts';

const intactTrail: AuditVerification & { recorded: boolean } = {
  total: 12,
  broken: [],
  strayPupilLinks: 0,
  safeguards: [],
  keyLooksWrong: false,
  mayRecord: true,
  recorded: true,
  checkpoint: null,
  checkpointRefused: null,
  checkpointProblems: [],
};

describe('what audit verify prints', () => {
  it('says what it found of a chain re-linked without the key: unkeyed links at its end, not that entries were removed', () => {
    const { lines, intact } = verifyReport({
      ...intactTrail,
      broken: [
        {
          id: 40,
          schoolId: 's',
          schoolName: 'Oakfield Primary',
          organisationId: null,
          organisationName: null,
          chainSeq: 9,
          reason: 'unsealed',
        },
      ],
    });
    expect(intact).toBe(false);
    expect(lines[1]).toBe(
      '  Oakfield Primary: entry 40 (position 9 in its chain): the chain ends in entries with unkeyed (plain SHA-256) links, and no keyed entry follows them: it was re-linked without the audit key, or the entries written since it was keyed were removed',
    );
  });

  it('says plainly when the key looks wrong, and that nothing was written', () => {
    const { lines, intact } = verifyReport({
      ...intactTrail,
      keyLooksWrong: true,
      mayRecord: false,
      recorded: false,
      broken: [
        {
          id: 3,
          schoolId: null,
          schoolName: null,
          organisationId: null,
          organisationName: null,
          chainSeq: 3,
          reason: 'content',
        },
      ],
    });
    expect(intact).toBe(false);
    expect(lines.join('\n')).toMatch(/The audit key looks wrong/);
    expect(lines.at(-1)).toBe(
      'Nothing was written to the audit trail: an entry linked with this key could never be verified.',
    );
  });

  it('names whose chain broke: a school, an organisation, or the installation', () => {
    const { lines } = verifyReport({
      ...intactTrail,
      broken: [
        {
          id: 5,
          schoolId: null,
          schoolName: null,
          organisationId: null,
          organisationName: null,
          chainSeq: 5,
          reason: 'content',
        },
        {
          id: 7,
          schoolId: null,
          schoolName: null,
          organisationId: 'o',
          organisationName: 'Northshire County Council',
          chainSeq: 2,
          reason: 'position',
        },
      ],
      checkpointProblems: [
        {
          schoolId: null,
          schoolName: null,
          organisationId: 'o2',
          organisationName: null,
          kind: 'shorter',
          seq: 4,
          lastSeq: 1,
        },
      ],
    });
    expect(lines.slice(1, 4)).toEqual([
      '  entries of no school or organisation: entry 5 (position 5 in its chain): it was changed, or the chain was rebuilt without the audit key',
      '  Northshire County Council (organisation): entry 7 (position 2 in its chain): an entry before it is missing, or one was added',
      '  organisation o2: entries were deleted from the end: the checkpoint saw 4 entries, the chain now has 1',
    ]);
  });
});
