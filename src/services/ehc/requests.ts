import { createHash, randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { sectionAccess } from '../../domain/access.ts';
import { ageOn } from '../../domain/calendar.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { type AssessmentConsentHow, type RequestedBy, SCHOOL_REQUEST_STATUSES } from '../../domain/ehc.ts';
import { type EvidencePack, leaveOut, packItems } from '../../domain/ehc-pack.ts';
import {
  assessmentConsentProblems,
  choiceProblems,
  reportItems,
  requesterProblems,
  sendProblems,
  YOUNG_PERSON_REQUEST_AGE,
} from '../../domain/ehc-request.ts';
import { organisationOwner } from '../../domain/owners.ts';
import { ehcRequestActions, pupilEhcActions } from '../../policies/ehc.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import { localAuthorityOfSchool, receiveFromSchool } from '../../repositories/cases.ts';
import {
  draftOfPupil,
  type EhcRequestFilters,
  type EhcRequestRow,
  findEhcRequest,
  findOpenEhcAction,
  insertEhcRequest,
  listEhcRequests,
  markEhcActionDone,
  openEhcActionOfReview,
  updateEhcRequest,
  withdrawCaseOfRequest,
} from '../../repositories/ehc-requests.ts';
import { insertStoredFile, readStoredFile } from '../../repositories/files.ts';
import { findParent, parentsOfPupil } from '../../repositories/pupils.ts';
import { listTopUpApplications } from '../../repositories/top-up.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { audit, auditRowFor } from '../kernel/audit.ts';
import { mayUseSection, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil, unitOfWork } from '../kernel/unit-of-work.ts';
import { type CaseStanding, caseStandingForSchool, caseStandingsForSchool } from './cases.ts';
import { assemblePack } from './pack.ts';
import { assertPackFollowsSchema } from './pack-schema.ts';

/*
 * The school's request for an EHC needs assessment (docs/adr/0036): started from a review's decision,
 * the pupil's page, or at a parent's wish (recorded as theirs, in their words); the evidence pack built
 * from the pupil's record, reviewed by the SENCo (items left out, reports marked recent and sufficient,
 * a covering statement, the contact), the parent's consent to the assessment, then sent: into the local
 * authority's caseload when the authority uses this installation, else downloaded and marked as sent
 * by the school. Exactly what was sent is kept (the pack as JSON and its PDF). Every call authorises by
 * the request's pupil through policies/ehc.ts, and every read and change is audited.
 */

export interface StartEhcRequestInput {
  requestedBy: RequestedBy;
  parentId: string | null;
  parentRequestNote: string | null;
  pupilActionId: string | null;
}

export interface SaveEhcRequestInput {
  coveringStatement: string | null;
  contactName: string | null;
  contactRole: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  /** Keys of the pack's items to leave out. */
  leftOut: string[];
  /** Keys of the agency reports that are recent and sufficient (reg 6(4)). */
  sufficient: string[];
}

export interface AssessmentConsentInput {
  parentId: string;
  consentOn: IsoDate;
  how: AssessmentConsentHow;
  note: string | null;
}

/**
 * A pack as its files: the PDF (documents/ehc-pack-pdf.ts) and the files' name (presenters/ehc-pack.ts),
 * passed in by the caller: services render nothing.
 */
export interface PackRenderer {
  /**
   * The pack's PDF. Without one (the demo's history, written by a service that renders nothing), no PDF
   * is stored as sent and the files are made from the pack as sent when asked for.
   */
  pdf?: (pack: EvidencePack) => Promise<Buffer>;
  fileName(pack: EvidencePack, extension: 'pdf' | 'json'): string;
}

/** The pack's PDF from a renderer that must make one (a download). */
function pdfOf(render: PackRenderer, pack: EvidencePack): Promise<Buffer> {
  if (!render.pdf) throw new Error('A PDF was asked for from a renderer that makes none');
  return render.pdf(pack);
}

const PAGE_SIZE = 50;
/** Top-up applications listed beside the requests: the most a school has in hand at once, and more. */
const TOP_UP_LIST_SIZE = 100;
const NOT_FOUND = (id: string) =>
  new NotFoundError('Request for an EHC needs assessment not found', { kind: 'ehc_request', id });

/**
 * Where the case a request opened stands at the local authority, from the caseload's own account: its
 * stage, every deadline of the statutory clock (due, met, overdue or excused), the decisions the school
 * was told of and the advice asked of it. Null before it is in a caseload on this installation.
 */
export async function caseStandingOf(
  db: Executor,
  request: Pick<EhcRequestRow, 'schoolId' | 'caseId'>,
  today: IsoDate,
): Promise<CaseStanding | null> {
  if (!request.caseId) return null;
  return caseStandingForSchool(db, request.schoolId, request.caseId, today);
}

export function createEhcRequestService(database: Database, clock: Clock) {
  const { db } = database;

  /** A request with what this actor may do with it; "not found" when they may not read it. */
  async function requestFor(
    tx: Executor,
    a: SchoolActor,
    requestId: string,
    options: { lock?: boolean } = {},
  ) {
    const found = await findEhcRequest(tx, scopeOf(a), requestId, options);
    if (!found) throw NOT_FOUND(requestId);
    const access = sectionAccess(a.roles, found.reaches);
    const actions = ehcRequestActions(a, found.request, { access, left: found.pupil.leftOn !== null });
    if (!actions.read) throw NOT_FOUND(requestId);
    return { ...found, access, actions };
  }

  /** The pack in full (nothing left out), and as it would be sent with the SENCo's choices. */
  async function packsOf(tx: Executor, request: EhcRequestRow, today: IsoDate) {
    const full = await assemblePack(tx, {
      schoolId: request.schoolId,
      pupilId: request.pupilId,
      request,
      today,
      keepLeftOut: true,
    });
    return { full, asSent: leaveOut(full, request.leftOut) };
  }

  function conflict(r: EhcRequestRow): ConflictError {
    return new ConflictError(
      `Someone else changed this request while you were working on it: it is now ${SCHOOL_REQUEST_STATUSES[r.status].toLowerCase()}. Your changes are kept below: check them against theirs and save again.`,
      { status: SCHOOL_REQUEST_STATUSES[r.status] },
    );
  }

  return {
    /**
     * The form to start a request: the pupil, their parents and carers (a parent's own request is
     * theirs), what started it (a review's action), and the request already being written, if any.
     */
    async startForm(
      actor: Actor,
      pupilId: string,
      from: { pupilActionId: string | null; planReviewId?: string | null },
      options: { audit: boolean } = { audit: true },
    ) {
      const a = requireSection(actor, 'ehc', 'write');
      const found = await pupilFor(db, a, pupilId, { section: 'ehc', level: 'write' });
      if (!pupilEhcActions(a, { pupil: found.pupil }, { access: found.access }).start)
        throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
      const [parents, action, draftId] = await Promise.all([
        parentsOfPupil(db, a.schoolId, pupilId),
        from.pupilActionId
          ? findOpenEhcAction(db, a.schoolId, pupilId, from.pupilActionId)
          : from.planReviewId
            ? openEhcActionOfReview(db, a.schoolId, pupilId, from.planReviewId)
            : Promise.resolve(null),
        draftOfPupil(db, a.schoolId, pupilId),
      ]);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId,
          detail: { form: 'start a request for an EHC needs assessment' },
        });
      return {
        pupil: found.pupil,
        className: found.className,
        parents: parents.map((p) => ({
          id: p.id,
          name: p.name,
          relationship: p.relationship,
          mayAsk: p.parentalResponsibility && !p.courtOrder,
        })),
        action: action ? { id: action.id, notes: action.notes, planReviewId: action.planReviewId } : null,
        draftId,
        youngPerson: ageOn(found.pupil.dateOfBirth, clock.today()) >= YOUNG_PERSON_REQUEST_AGE,
      };
    },

    async start(actor: Actor, pupilId: string, input: StartEhcRequestInput): Promise<string> {
      const a = requireSection(actor, 'ehc', 'write');
      const id = randomUUID();
      await changePupil(db, a, pupilId, { section: 'ehc', level: 'write' }, async (w) => {
        if (!pupilEhcActions(a, { pupil: w.pupil }, { access: w.access }).start)
          throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
        if (await draftOfPupil(w.tx, a.schoolId, pupilId))
          throw new ValidationError([
            {
              field: 'form',
              message: `A request for ${w.pupil.forename} is already being written: open it from their page`,
            },
          ]);
        const parent =
          input.requestedBy === 'parent' && input.parentId
            ? await findParent(w.tx, a.schoolId, pupilId, input.parentId)
            : null;
        const problems = requesterProblems(
          {
            requestedBy: input.requestedBy,
            parent,
            parentRequestNote: input.parentRequestNote,
            pupilDateOfBirth: w.pupil.dateOfBirth,
          },
          clock.today(),
        );
        if (problems.length > 0) throw new ValidationError(problems);
        const action = input.pupilActionId
          ? await findOpenEhcAction(w.tx, a.schoolId, pupilId, input.pupilActionId)
          : null;
        if (input.pupilActionId && !action)
          throw new ValidationError([
            { field: 'form', message: 'The review’s decision this request came from is no longer open' },
          ]);
        await insertEhcRequest(w.tx, {
          schoolId: a.schoolId,
          id,
          pupilId,
          status: 'draft',
          requestedBy: input.requestedBy,
          parentId: parent?.id ?? null,
          parentRequestNote: input.requestedBy === 'parent' ? input.parentRequestNote : null,
          planReviewId: action?.planReviewId ?? null,
          pupilActionId: action?.id ?? null,
          // The person starting it completes it, unless they say otherwise.
          contactName: a.name,
          contactRole: a.roles.includes('senco')
            ? 'SENCo'
            : a.roles.includes('head_teacher')
              ? 'Head teacher'
              : null,
          contactEmail: a.email,
          createdBy: a.userId,
          createdByName: a.name,
        });
        w.audit('ehc_request.started', {
          pupilId,
          detail: { requestId: id, requestedBy: input.requestedBy, pupilActionId: action?.id ?? null },
        });
      });
      return id;
    },

    /**
     * The request's page: where it stands (and at the local authority), and for those who build it the
     * evidence pack in full with the items left out, the check of what LAs expect, and what must be put
     * right before it can be sent. Audited.
     */
    async view(actor: Actor, requestId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'ehc');
      const found = await requestFor(db, a, requestId);
      const r = found.request;
      const today = clock.today();
      const [standing, packs, parents, localAuthority] = await Promise.all([
        caseStandingOf(db, r, today),
        found.actions.readPack && r.status === 'draft' ? packsOf(db, r, today) : Promise.resolve(null),
        found.actions.readPack ? parentsOfPupil(db, a.schoolId, r.pupilId) : Promise.resolve([]),
        found.actions.send ? localAuthorityOfSchool(db, a.schoolId) : Promise.resolve(null),
      ]);
      const sentPack = found.actions.readPack && r.sentPack ? (r.sentPack as EvidencePack) : null;
      const nameOf = (id: string | null) => (id ? (parents.find((p) => p.id === id)?.name ?? null) : null);
      if (options.audit)
        await audit(db, a, 'ehc_request.viewed', { pupilId: r.pupilId, detail: { requestId } });
      return {
        ...found,
        standing,
        localAuthority,
        /** The pack as the SENCo reviews it: every item, those left out named. */
        pack: packs?.full ?? null,
        /** The pack as it goes (or went) to the local authority. */
        packAsSent: sentPack ?? packs?.asSent ?? null,
        items: packs ? packItems(packs.full) : [],
        reports: packs ? reportItems(packs.full) : [],
        checks: sentPack?.checklist ?? packs?.asSent.checklist ?? [],
        sendProblems: found.actions.send ? sendProblems(r) : [],
        parents: parents.map((p) => ({
          id: p.id,
          name: p.name,
          relationship: p.relationship,
          mayConsent: p.parentalResponsibility && !p.courtOrder,
        })),
        requesterName: nameOf(r.parentId),
        consentName: nameOf(r.consentParentId),
        today,
      };
    },

    /** The send page: the request as its page shows it, for those who may send requests. */
    async sendForm(actor: Actor, requestId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'ehc', 'write');
      const page = await this.view(a, requestId, options);
      if (!page.actions.readPack) throw NOT_FOUND(requestId);
      return page;
    },

    /**
     * Save the SENCo's review of the pack while it is written: what is left out, the reports that are
     * recent and sufficient, the covering statement and the contact. A stale save (someone else saved
     * first) changes nothing and keeps the text; a choice the pack does not hold is refused.
     */
    async save(actor: Actor, requestId: string, version: number, input: SaveEhcRequestInput): Promise<void> {
      const a = requireSection(actor, 'ehc', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await requestFor(w.tx, a, requestId, { lock: true });
        const r = found.request;
        if (!found.actions.edit) {
          if (found.actions.readPack)
            throw new ConflictError(
              `This request is ${SCHOOL_REQUEST_STATUSES[r.status].toLowerCase()}: it can no longer be changed.`,
            );
          throw NOT_FOUND(requestId);
        }
        if (r.version !== version) throw conflict(r);
        const { full } = await packsOf(w.tx, r, clock.today());
        const problems = choiceProblems(full, input);
        if (problems.length > 0) throw new ValidationError(problems);
        const leftOut = [...new Set(input.leftOut)].sort();
        const sufficient = [...new Set(input.sufficient)].filter((k) => !leftOut.includes(k)).sort();
        const changed = await updateEhcRequest(w.tx, a.schoolId, requestId, version, {
          coveringStatement: input.coveringStatement,
          contactName: input.contactName,
          contactRole: input.contactRole,
          contactEmail: input.contactEmail,
          contactPhone: input.contactPhone,
          leftOut,
          adviceSufficient: sufficient,
        });
        if (!changed) throw conflict(r);
        w.audit('ehc_request.saved', {
          pupilId: r.pupilId,
          detail: { requestId, leftOut: leftOut.length, sufficient: sufficient.length },
        });
      });
    },

    /** The consent form's page: the request, and the pupil's parents and carers to choose from. */
    async consentForm(actor: Actor, requestId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'ehc', 'write');
      const found = await requestFor(db, a, requestId);
      if (!found.actions.recordConsent) {
        if (found.actions.readPack)
          throw new ConflictError(
            `This request is ${SCHOOL_REQUEST_STATUSES[found.request.status].toLowerCase()}: consent can no longer be recorded on it.`,
          );
        throw NOT_FOUND(requestId);
      }
      const parents = await parentsOfPupil(db, a.schoolId, found.request.pupilId);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId: found.request.pupilId,
          detail: { form: 'record consent to an EHC needs assessment', requestId },
        });
      return {
        ...found,
        parents: parents.map((p) => ({
          id: p.id,
          name: p.name,
          relationship: p.relationship,
          mayConsent: p.parentalResponsibility && !p.courtOrder,
        })),
      };
    },

    /** Record the consent to the assessment of a parent with parental responsibility: who, when, how. */
    async recordConsent(
      actor: Actor,
      requestId: string,
      version: number,
      input: AssessmentConsentInput,
    ): Promise<void> {
      const a = requireSection(actor, 'ehc', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await requestFor(w.tx, a, requestId, { lock: true });
        const r = found.request;
        if (!found.actions.recordConsent) {
          if (found.actions.readPack)
            throw new ValidationError([
              {
                field: 'form',
                message: `This request is ${SCHOOL_REQUEST_STATUSES[r.status].toLowerCase()}: consent can no longer be recorded on it`,
              },
            ]);
          throw NOT_FOUND(requestId);
        }
        if (r.version !== version) throw conflict(r);
        const parent = await findParent(w.tx, a.schoolId, r.pupilId, input.parentId);
        const problems = assessmentConsentProblems(
          { parent, givenOn: input.consentOn, pupilDateOfBirth: found.pupil.dateOfBirth },
          clock.today(),
        );
        if (problems.length > 0) throw new ValidationError(problems);
        const changed = await updateEhcRequest(w.tx, a.schoolId, requestId, version, {
          consentParentId: parent!.id,
          consentOn: input.consentOn,
          consentHow: input.how,
          consentNote: input.note,
        });
        if (!changed) throw conflict(r);
        w.audit('ehc_request.consent_recorded', {
          pupilId: r.pupilId,
          detail: { requestId, parentId: parent!.id, how: input.how, on: input.consentOn },
        });
      });
    },

    /**
     * Send the request. When the school's local authority uses this installation, it goes into the
     * authority's caseload (a case opened in this unit of work, with the authority's audit row);
     * otherwise the school has downloaded the files and this records it as sent by the school. Either
     * way the pack and its PDF are kept exactly as sent, and the review's action is done.
     */
    async send(
      actor: Actor,
      requestId: string,
      version: number,
      render: PackRenderer,
    ): Promise<{ how: 'local_authority' | 'download'; localAuthority: string | null }> {
      const a = requireSection(actor, 'ehc', 'write');
      return unitOfWork(db, a, async (w) => {
        const found = await requestFor(w.tx, a, requestId, { lock: true });
        const r = found.request;
        if (!found.actions.send) {
          if (found.actions.readPack)
            throw new ValidationError([{ field: 'form', message: sendProblems(r).join('. ') }]);
          throw NOT_FOUND(requestId);
        }
        if (r.version !== version) throw conflict(r);
        const problems = sendProblems(r);
        if (problems.length > 0)
          throw new ValidationError(problems.map((message) => ({ field: 'form', message })));
        const today = clock.today();
        const sentAt = clock.now();
        const { asSent } = await packsOf(w.tx, r, today);
        // What goes out follows the published format it promises (docs/schemas), or nothing goes.
        assertPackFollowsSchema(asSent);
        const pdf = render.pdf ? await render.pdf(asSent) : null;
        const la = await localAuthorityOfSchool(w.tx, a.schoolId);
        const name = render.fileName(asSent, 'pdf');
        const file = (
          pdf: Buffer,
          ownerId: string,
          ownerKind: 'school' | 'organisation',
          pupilId: string | null,
        ) => ({
          ownerId,
          ownerKind,
          id: randomUUID(),
          pupilId,
          name,
          contentType: 'application/pdf',
          extension: 'pdf',
          size: pdf.length,
          sha256: createHash('sha256').update(pdf).digest('hex'),
          bytes: pdf,
          uploadedBy: a.userId,
          uploadedByName: a.name,
        });
        const schoolFile = pdf ? file(pdf, a.schoolId, 'school', r.pupilId) : null;
        if (schoolFile) await insertStoredFile(w.tx, schoolFile);
        let caseId: string | null = null;
        if (la) {
          // The authority keeps its own copy: its record, not the school's.
          const laFile = pdf ? file(pdf, la.id, 'organisation', null) : null;
          if (laFile) await insertStoredFile(w.tx, laFile);
          caseId = await receiveFromSchool(w.tx, {
            organisationId: la.id,
            schoolId: a.schoolId,
            pupilId: r.pupilId,
            upn: found.pupil.upn,
            kind: 'ehc_needs_assessment',
            requestId,
            requestedBy: r.requestedBy,
            receivedOn: today,
            received: asSent,
            receivedFileId: laFile?.id ?? null,
            openedBy: a.userId,
          });
          await insertAuditEvents(w.tx, [
            auditRowFor(organisationOwner(la.id), a, 'ehc_case.received', {
              pupilId: r.pupilId,
              detail: { caseId, schoolId: a.schoolId, requestId, kind: 'ehc_needs_assessment' },
            }),
          ]);
        }
        const changed = await updateEhcRequest(w.tx, a.schoolId, requestId, version, {
          status: 'sent',
          sentAt,
          sentBy: a.userId,
          sentByName: a.name,
          sentHow: la ? 'local_authority' : 'download',
          sentPack: asSent,
          sentFileId: schoolFile?.id ?? null,
          organisationId: la?.id ?? null,
          caseId,
        });
        if (!changed) throw conflict(r);
        if (r.pupilActionId) await markEhcActionDone(w.tx, a.schoolId, r.pupilActionId);
        w.audit('ehc_request.sent', {
          pupilId: r.pupilId,
          detail: {
            requestId,
            how: la ? 'local_authority' : 'download',
            caseId,
            fileId: schoolFile?.id ?? null,
            leftOut: r.leftOut.length,
          },
        });
        return {
          how: la ? ('local_authority' as const) : ('download' as const),
          localAuthority: la?.name ?? null,
        };
      });
    },

    /**
     * The pack as a file: while it is written, as it would be sent today; once sent, exactly as sent
     * (the JSON kept, the PDF stored). For those who build requests only. Audited.
     */
    async packFile(
      actor: Actor,
      requestId: string,
      format: 'pdf' | 'json',
      render: PackRenderer,
    ): Promise<{ name: string; contentType: string; bytes: Buffer }> {
      const a = requireSection(actor, 'ehc', 'write');
      const found = await requestFor(db, a, requestId);
      const r = found.request;
      if (!found.actions.readPack) throw NOT_FOUND(requestId);
      let pack: EvidencePack;
      let bytes: Buffer;
      if (r.sentPack) {
        pack = r.sentPack as EvidencePack;
        if (format === 'json') bytes = Buffer.from(JSON.stringify(pack, null, 2));
        else {
          const stored = r.sentFileId ? await readStoredFile(db, a.schoolId, r.sentFileId) : null;
          bytes = stored ? Buffer.from(stored.bytes) : await pdfOf(render, pack);
        }
      } else if (r.status === 'draft') {
        pack = (await packsOf(db, r, clock.today())).asSent;
        bytes = format === 'json' ? Buffer.from(JSON.stringify(pack, null, 2)) : await pdfOf(render, pack);
      } else throw NOT_FOUND(requestId);
      await audit(db, a, 'ehc_request.downloaded', {
        pupilId: r.pupilId,
        detail: { requestId, format, asSent: r.sentPack !== null },
      });
      return {
        name: render.fileName(pack, format),
        contentType: format === 'pdf' ? 'application/pdf' : 'application/json; charset=utf-8',
        bytes,
      };
    },

    /** The withdrawal form's page: the request, for those who may withdraw it. */
    async withdrawForm(actor: Actor, requestId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'ehc', 'write');
      const found = await requestFor(db, a, requestId);
      if (!found.actions.withdraw) {
        if (found.actions.readPack)
          throw new ConflictError(
            `This request is ${SCHOOL_REQUEST_STATUSES[found.request.status].toLowerCase()}: it cannot be withdrawn.`,
          );
        throw NOT_FOUND(requestId);
      }
      const standing = await caseStandingOf(db, found.request, clock.today());
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId: found.request.pupilId,
          detail: { form: 'withdraw a request for an EHC needs assessment', requestId },
        });
      return { ...found, standing };
    },

    /**
     * Withdraw the request, with the reason. One sent into the local authority's caseload closes the
     * authority's case as withdrawn in the same unit of work, with a row on the authority's audit chain.
     */
    async withdraw(
      actor: Actor,
      requestId: string,
      version: number,
      input: { reason: string },
    ): Promise<void> {
      const a = requireSection(actor, 'ehc', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await requestFor(w.tx, a, requestId, { lock: true });
        const r = found.request;
        if (!found.actions.withdraw) {
          if (found.actions.readPack)
            throw new ValidationError([
              {
                field: 'form',
                message: `This request is ${SCHOOL_REQUEST_STATUSES[r.status].toLowerCase()}: it cannot be withdrawn`,
              },
            ]);
          throw NOT_FOUND(requestId);
        }
        if (r.version !== version) throw conflict(r);
        const today = clock.today();
        let caseClosed = false;
        if (r.organisationId && r.caseId) {
          caseClosed = await withdrawCaseOfRequest(
            w.tx,
            { organisationId: r.organisationId, caseId: r.caseId, schoolId: a.schoolId, requestId },
            today,
            `Withdrawn by the school: ${input.reason}`,
          );
          if (caseClosed)
            await insertAuditEvents(w.tx, [
              auditRowFor(organisationOwner(r.organisationId), a, 'ehc_case.withdrawn_by_school', {
                pupilId: r.pupilId,
                detail: { caseId: r.caseId, schoolId: a.schoolId, requestId },
              }),
            ]);
        }
        const changed = await updateEhcRequest(w.tx, a.schoolId, requestId, version, {
          status: 'withdrawn',
          withdrawnOn: today,
          withdrawnReason: input.reason,
        });
        if (!changed) throw conflict(r);
        w.audit('ehc_request.withdrawn', {
          pupilId: r.pupilId,
          detail: { requestId, from: r.status, caseClosed },
        });
      });
    },

    /**
     * The school's requests (the SENCo's list; a class teacher's of their own pupils), being written
     * first, with where each stands at the local authority. Audited with the pupils shown.
     */
    async list(actor: Actor, filters: EhcRequestFilters, page = 1) {
      const a = requireSection(actor, 'ehc');
      const p = Math.max(1, page);
      const { rows, total } = await listEhcRequests(db, scopeOf(a), filters, {
        limit: PAGE_SIZE,
        offset: (p - 1) * PAGE_SIZE,
      });
      // Where each sent request stands at the local authority, its deadlines and what is overdue: a few
      // statements for the whole page, never one per row.
      const standings = await caseStandingsForSchool(
        db,
        a.schoolId,
        rows.flatMap((r) => (r.caseId ? [r.caseId] : [])),
        clock.today(),
      );
      // The school's applications for top-up funding, beside the requests (the first page only).
      const topUps =
        p === 1 ? await listTopUpApplications(db, scopeOf(a), TOP_UP_LIST_SIZE) : { rows: [], total: 0 };
      await audit(db, a, 'ehc_request.listed', {
        detail: { filters: { ...filters }, page: p, topUps: topUps.rows.length },
        shownPupilIds: [...new Set([...rows, ...topUps.rows].map((r) => r.pupilId))],
      });
      return {
        rows: rows.map(({ caseId, ...r }) => ({ ...r, standing: (caseId && standings.get(caseId)) || null })),
        topUps: topUps.rows,
        topUpTotal: topUps.total,
        /** Whether this reader may open an application (the SENCo and head), or sees its standing only. */
        mayOpenTopUps: mayUseSection(a, 'ehc', 'write') && mayUseSection(a, 'provision'),
        /** Whether this reader builds requests (the SENCo and head), or sees where they stand only. */
        mayStart: mayUseSection(a, 'ehc', 'write'),
        today: clock.today(),
        total,
        page: p,
        pageSize: PAGE_SIZE,
      };
    },
  };
}

export type EhcRequestService = ReturnType<typeof createEhcRequestService>;
export type { CaseStanding };
