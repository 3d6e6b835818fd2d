import { randomUUID } from 'node:crypto';
import type { Executor } from '../../src/db/client.ts';
import type { CaseKind } from '../../src/domain/cases.ts';
import { receiveFromSchool } from '../../src/repositories/cases.ts';
import { TODAY } from './common.ts';

/**
 * A case in a local authority's caseload, opened as a school's "Send to the local authority" opens it
 * (`receiveFromSchool`): an EHC needs assessment request by default, received today, with the LA's copy
 * naming the child as the school's pack does.
 */
export async function buildReceivedCase(
  db: Executor,
  pupil: { schoolId: string; id: string; upn: string; forename?: string; surname?: string },
  organisationId: string,
  options: { kind?: CaseKind; receivedOn?: string; received?: unknown } = {},
) {
  const requestId = randomUUID();
  const caseId = await receiveFromSchool(db, {
    organisationId,
    schoolId: pupil.schoolId,
    pupilId: pupil.id,
    upn: pupil.upn,
    kind: options.kind ?? 'ehc_needs_assessment',
    requestId,
    requestedBy: 'school',
    receivedOn: options.receivedOn ?? TODAY,
    received: options.received ?? {
      format: 'opensend.ehc-request-pack',
      child: { upn: pupil.upn, forename: pupil.forename ?? 'Child', surname: pupil.surname ?? 'Received' },
      school: { name: 'The school' },
      coveringStatement: 'We ask the authority to assess.',
    },
    receivedFileId: null,
    openedBy: null,
  });
  return { caseId, requestId, organisationId };
}
