import { createHash, randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { atLeast, sectionAccess } from '../../domain/access.ts';
import { compareIsoDates, type IsoDate } from '../../domain/dates.ts';
import { RECORD_KINDS, type RecordKindName, subjectAccessKinds } from '../../domain/records.ts';
import {
  type FlaggedText,
  type NamedPerson,
  otherPupilsNamed,
  type Requester,
  subjectAccessDueOn,
} from '../../domain/subject-access.ts';
import { pupilHasComplaintAbout } from '../../repositories/complaints.ts';
import { insertStoredFile, readStoredFile } from '../../repositories/files.ts';
import { findPupilWithReach } from '../../repositories/pupils.ts';
import { findSchool } from '../../repositories/schools.ts';
import {
  findSubjectAccessRequest,
  insertSubjectAccessRequest,
  openSubjectAccessRequests,
  otherPupilNames,
  pupilRecordViews,
  pupilRowsOfKind,
  subjectAccessRequestsOfPupil,
  updateSubjectAccessRequest,
} from '../../repositories/subject-access.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

export interface NewSubjectAccessRequest {
  requester: Requester;
  requesterName: string;
  receivedOn: IsoDate;
  notes: string | null;
}

/** One kind of record in the export: its rows as held. */
export interface ExportedKind {
  kind: RecordKindName;
  label: string;
  rows: Record<string, unknown>[];
}

/** Everything held about a pupil, gathered for a subject access request (the web layer makes the ZIP). */
export interface SubjectAccessExport {
  requestId: string;
  version: number;
  schoolName: string;
  pupil: { id: string; forename: string; surname: string; dateOfBirth: string; upn: string };
  requesterName: string;
  receivedOn: IsoDate;
  producedAt: Date;
  producedByName: string;
  kinds: ExportedKind[];
  views: { occurredAt: Date; name: string | null; role: string | null; action: string }[];
  files: { id: string; name: string; contentType: string; bytes: Buffer }[];
  flagged: FlaggedText[];
}

/** Every piece of text in the export that names another pupil of the school. */
export function flagOtherPupils(
  kinds: readonly ExportedKind[],
  others: readonly NamedPerson[],
): FlaggedText[] {
  const flagged: FlaggedText[] = [];
  for (const k of kinds) {
    if (k.kind === 'pupil' || k.kind === 'parent') continue; // the pupil's own details and contacts
    for (const row of k.rows) {
      for (const [field, value] of Object.entries(row)) {
        const texts =
          typeof value === 'string'
            ? [value]
            : value && typeof value === 'object'
              ? [JSON.stringify(value)]
              : [];
        for (const text of texts) {
          const named = otherPupilsNamed(text, others);
          if (named.length > 0)
            flagged.push({
              kind: k.kind,
              label: k.label,
              recordId: typeof row.id === 'string' ? row.id : null,
              field,
              names: named.map((p) => `${p.forename} ${p.surname}`),
            });
        }
      }
    }
  }
  return flagged;
}

export const COMPLAINT_ABOUT_YOU =
  "This pupil's record includes a complaint about you: another leader must produce it";

/**
 * Subject access: a request recorded against a pupil (who asked, when, the day the answer is due),
 * everything held about the pupil gathered from the registry of record kinds, kept as one export, and
 * released once the SENCo has checked it. For the head and SENCo (`settings.manage`: they answer for
 * the school's data), every step audited.
 */
export function createSubjectAccessService(database: Database, clock: Clock) {
  const { db } = database;

  async function requestOr404(schoolId: string, id: string) {
    const request = await findSubjectAccessRequest(db, schoolId, id);
    if (!request) throw new NotFoundError('Subject access request not found', { kind: 'subject_access', id });
    return request;
  }

  /**
   * A complaint naming the pupil about this member of staff is kept from them everywhere, so they may
   * not produce or download the pupil's export either (it holds the complaint): another leader does.
   * Refused (and the refusal audited, as every refusal is).
   */
  async function refuseIfComplaintAbout(a: SchoolActor, pupilId: string): Promise<void> {
    if (await pupilHasComplaintAbout(db, a.schoolId, pupilId, a.userId))
      throw new ForbiddenError(COMPLAINT_ABOUT_YOU, 'complaint.not_about_actor');
  }

  return {
    /** The school's requests not yet released, soonest due first. */
    async open(actor: Actor) {
      const a = requireCapability(actor, 'subject_access.manage');
      const rows = await openSubjectAccessRequests(db, a.schoolId);
      const today = clock.today();
      return rows.map((r) => ({ ...r, overdue: compareIsoDates(r.dueOn, today) < 0 }));
    },

    /** The pupil the new request is about (its form's heading); the form's opening audited. */
    async form(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'subject_access.manage');
      const found = await findPupilWithReach(db, scopeOf(a), pupilId);
      if (!found || !atLeast(sectionAccess(a.roles, found.reaches)?.identity, 'read'))
        throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', { pupilId, detail: { form: 'subject access request' } });
      return { id: found.pupil.id, forename: found.pupil.forename, surname: found.pupil.surname };
    },

    /** May this actor act on this request? Refused or not found before anything else is read. */
    async check(actor: Actor, id: string): Promise<void> {
      const a = requireCapability(actor, 'subject_access.manage');
      await requestOr404(a.schoolId, id);
    },

    async ofPupil(actor: Actor, pupilId: string) {
      const a = requireCapability(actor, 'subject_access.manage');
      return subjectAccessRequestsOfPupil(db, a.schoolId, pupilId);
    },

    async record(actor: Actor, pupilId: string, input: NewSubjectAccessRequest): Promise<string> {
      const a = requireCapability(actor, 'subject_access.manage');
      if (compareIsoDates(input.receivedOn, clock.today()) > 0)
        throw new ValidationError([
          { field: 'receivedOn', message: 'The date it was received must be today or in the past' },
        ]);
      const id = randomUUID();
      // Not changePupil: a request about a pupil who has left is answered like any other.
      await unitOfWork(db, a, async (w) => {
        const found = await findPupilWithReach(w.tx, scopeOf(a), pupilId);
        if (!found || !atLeast(sectionAccess(a.roles, found.reaches)?.identity, 'read'))
          throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
        await insertSubjectAccessRequest(w.tx, {
          schoolId: a.schoolId,
          id,
          pupilId,
          requester: input.requester,
          requesterName: input.requesterName,
          receivedOn: input.receivedOn,
          dueOn: subjectAccessDueOn(input.receivedOn),
          notes: input.notes,
          createdBy: a.userId,
          createdByName: a.name,
        });
        w.audit('subject_access.recorded', {
          pupilId,
          detail: { requestId: id, requester: input.requester },
        });
      });
      return id;
    },

    async get(actor: Actor, id: string) {
      const a = requireCapability(actor, 'subject_access.manage');
      const request = await requestOr404(a.schoolId, id);
      const found = await findPupilWithReach(db, scopeOf(a), request.pupilId);
      if (!found) throw new NotFoundError('Subject access request not found', { kind: 'subject_access', id });
      await audit(db, a, 'subject_access.viewed', { pupilId: request.pupilId, detail: { requestId: id } });
      return {
        request,
        pupil: found.pupil,
        overdue: request.status !== 'released' && compareIsoDates(request.dueOn, clock.today()) < 0,
      };
    },

    /**
     * Everything held about the request's pupil, from every kind of record in the registry, with who
     * has seen the record, the files kept for the pupil, and the text that names another pupil.
     * Audited as a read of the whole record.
     */
    async gather(actor: Actor, id: string): Promise<SubjectAccessExport> {
      const a = requireCapability(actor, 'subject_access.manage');
      const request = await requestOr404(a.schoolId, id);
      const found = await findPupilWithReach(db, scopeOf(a), request.pupilId);
      if (!found) throw new NotFoundError('Subject access request not found', { kind: 'subject_access', id });
      await refuseIfComplaintAbout(a, request.pupilId);
      const p = found.pupil;
      const kinds: ExportedKind[] = [];
      for (const kind of subjectAccessKinds()) {
        if (kind === 'audit_event') continue; // given as the list of who saw the record, below
        kinds.push({
          kind,
          label: RECORD_KINDS[kind].label,
          rows: await pupilRowsOfKind(db, a.schoolId, p.id, kind),
        });
      }
      const views = await pupilRecordViews(db, a.schoolId, p.id);
      const fileRows = kinds.find((k) => k.kind === 'stored_file')?.rows ?? [];
      const files = [];
      for (const f of fileRows) {
        const stored = await readStoredFile(db, a.schoolId, String(f.id));
        if (stored)
          files.push({
            id: stored.id,
            name: stored.name,
            contentType: stored.contentType,
            bytes: stored.bytes,
          });
      }
      const flagged = flagOtherPupils(kinds, await otherPupilNames(db, a.schoolId, p.id));
      const school = await findSchool(db, a.schoolId);
      await audit(db, a, 'subject_access.gathered', {
        pupilId: p.id,
        detail: { requestId: id, records: kinds.reduce((n, k) => n + k.rows.length, 0) },
      });
      return {
        requestId: id,
        version: request.version,
        schoolName: school?.name ?? '',
        pupil: { id: p.id, forename: p.forename, surname: p.surname, dateOfBirth: p.dateOfBirth, upn: p.upn },
        requesterName: request.requesterName,
        receivedOn: request.receivedOn,
        producedAt: clock.now(),
        producedByName: a.name,
        kinds,
        views,
        files,
        flagged,
      };
    },

    /** Keep the export made from `gather` (a ZIP) with the request; it is then to check and release. */
    async saveExport(
      actor: Actor,
      id: string,
      version: number,
      zip: Buffer,
      flagged: FlaggedText[] = [],
    ): Promise<void> {
      const a = requireCapability(actor, 'subject_access.manage');
      const request = await requestOr404(a.schoolId, id);
      await refuseIfComplaintAbout(a, request.pupilId);
      if (request.status === 'released')
        throw new ValidationError([
          { field: 'form', message: 'This request has been released: its export can no longer change' },
        ]);
      await unitOfWork(db, a, async (w) => {
        const fileId = randomUUID();
        const day = clock.today();
        await insertStoredFile(w.tx, {
          ownerId: a.schoolId,
          ownerKind: 'school',
          id: fileId,
          // Not the pupil's own file: a later request does not hold this one's export.
          pupilId: null,
          name: `subject-access-${day}.zip`,
          contentType: 'application/zip',
          extension: 'zip',
          size: zip.length,
          sha256: createHash('sha256').update(zip).digest('hex'),
          bytes: zip,
          uploadedBy: a.userId,
          uploadedByName: a.name,
        });
        const changed = await updateSubjectAccessRequest(w.tx, a.schoolId, id, version, {
          status: 'produced',
          fileId,
          flagged,
          producedAt: clock.now(),
          producedByName: a.name,
        });
        if (!changed)
          throw new ConflictError('Someone else has produced or changed this request since you opened it');
        w.audit('subject_access.produced', { pupilId: request.pupilId, detail: { requestId: id, fileId } });
      });
    },

    /** The export's bytes, for the SENCo to check and redact before release. Audited. */
    async download(actor: Actor, id: string) {
      const a = requireCapability(actor, 'subject_access.manage');
      const request = await requestOr404(a.schoolId, id);
      await refuseIfComplaintAbout(a, request.pupilId);
      const file = request.fileId ? await readStoredFile(db, a.schoolId, request.fileId) : null;
      if (!file) throw new NotFoundError('Subject access export not found', { kind: 'subject_access', id });
      await audit(db, a, 'subject_access.downloaded', {
        pupilId: request.pupilId,
        detail: { requestId: id },
      });
      return file;
    },

    /** The export was checked and given to the person who asked. */
    async release(actor: Actor, id: string, input: { version: number; releasedOn: IsoDate }) {
      const a = requireCapability(actor, 'subject_access.manage');
      const request = await requestOr404(a.schoolId, id);
      if (request.status !== 'produced')
        throw new ValidationError([
          { field: 'form', message: 'Produce the export before you record it as released' },
        ]);
      if (
        compareIsoDates(input.releasedOn, clock.today()) > 0 ||
        compareIsoDates(input.releasedOn, request.receivedOn) < 0
      )
        throw new ValidationError([
          {
            field: 'releasedOn',
            message: 'The date it was released must be between the day it was received and today',
          },
        ]);
      await unitOfWork(db, a, async (w) => {
        const changed = await updateSubjectAccessRequest(w.tx, a.schoolId, id, input.version, {
          status: 'released',
          releasedOn: input.releasedOn,
          releasedByName: a.name,
        });
        if (!changed) throw new ConflictError('Someone else has changed this request since you opened it');
        w.audit('subject_access.released', { pupilId: request.pupilId, detail: { requestId: id } });
      });
    },
  };
}
