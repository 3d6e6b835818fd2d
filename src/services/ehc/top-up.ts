import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { atLeast, sectionAccess } from '../../domain/access.ts';
import { academicYearStartOf, effectiveNcYear } from '../../domain/calendar.ts';
import { type IsoDate, toIsoDate } from '../../domain/dates.ts';
import { TOP_UP_OUTCOMES, type TopUpOutcome } from '../../domain/ehc.ts';
import { organisationOwner } from '../../domain/owners.ts';
import { pupilProvision, thresholdOf } from '../../domain/provision-summary.ts';
import {
  amountProblems,
  decisionProblems,
  type FieldProblem,
  periodProblems,
  readyToSend,
  suggestedAmount,
} from '../../domain/top-up.ts';
import { buildTopUpData, type TopUpApplicationData } from '../../domain/top-up-application.ts';
import { topUpActions, topUpDecisionActions } from '../../policies/top-up.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import { findOrganisationCase, localAuthorityOfSchool, receiveFromSchool } from '../../repositories/cases.ts';
import { readStoredFile } from '../../repositories/files.ts';
import { provisionOfPupil, thresholdSettings } from '../../repositories/provision.ts';
import { findPupilWithReach, type PupilRow } from '../../repositories/pupils.ts';
import { markActionDone, sencoEmailsOf } from '../../repositories/referrals.ts';
import { findSchool } from '../../repositories/schools.ts';
import {
  currentPlanOfPupil,
  draftTopUpOfPupil,
  endingTopUpsToRemind,
  findOpenTopUpAction,
  findTopUpApplication,
  findTopUpDecision,
  insertTopUpApplication,
  insertTopUpDecision,
  markTopUpEndReminded,
  setTopUpCaseStage,
  type TopUpApplicationRow,
  type TopUpDecisionRow,
  updateTopUpApplication,
  updateTopUpDecision,
} from '../../repositories/top-up.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { auditRowFor } from '../kernel/audit.ts';
import { requireOfficer, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { storeFile } from '../kernel/files.ts';
import { queueMail } from '../kernel/outbox.ts';
import type { MailContext } from '../kernel/ports.ts';
import { organisationUnitOfWork, unitOfWork } from '../kernel/unit-of-work.ts';

/*
 * High-needs top-up funding (element 3; docs/adr/0036). The school's side: for a pupil whose costed
 * provision passes the threshold, the SENCo or head builds the application in one action (the current
 * plan, the costed provision with its impact, the year's costs against the threshold, the amount asked
 * for and the period), writes the school's case, and sends it into the local authority's caseload
 * (when the authority uses this installation) or downloads the PDF and the JSON and records it as sent;
 * what was sent is kept as sent, on both sides. The authority's side: a caseworker records the
 * decision (outcome, a year's amount, the period, the band if it uses bands, conditions, reasons),
 * versioned; the school sees it on the application and beside the costs; a nightly job reminds the
 * school's SENCos six weeks before funding ends, once per ending, naming no child.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const applicationNotFound = (id: string) =>
  new NotFoundError('Top-up funding application not found', { kind: 'top_up_application', id });
const caseNotFound = (id: string) => new NotFoundError('Case not found', { kind: 'organisation_case', id });

export interface TopUpFields {
  amountPence: number | null;
  periodFrom: IsoDate | null;
  periodTo: IsoDate | null;
  rationale: string | null;
}

export interface TopUpDecisionFields {
  outcome: TopUpOutcome;
  decidedOn: IsoDate;
  amountPence: number | null;
  band: string | null;
  conditions: string | null;
  reasons: string | null;
  fundedFrom: IsoDate | null;
  fundedUntil: IsoDate | null;
}

const invalid = (problems: FieldProblem[]) => new ValidationError(problems);

export function createTopUpService(database: Database, clock: Clock, mail: MailContext) {
  const { db } = database;

  /** A pupil of the actor's school they may write EHC work for (and read provision of); else "not found". */
  async function writablePupil(tx: Executor, a: SchoolActor, pupilId: string, lock = false) {
    if (!UUID.test(pupilId)) throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
    const found = await findPupilWithReach(tx, scopeOf(a), pupilId, { lock });
    const access = found ? sectionAccess(a.roles, found.reaches) : null;
    if (!found || !access || !atLeast(access.ehc, 'write') || !atLeast(access.provision, 'read'))
      throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
    return { pupil: found.pupil, access };
  }

  /** An application of the actor's school about a pupil they reach, with what they may do; else "not found". */
  async function applicationFor(tx: Executor, a: SchoolActor, id: string, options: { lock?: boolean } = {}) {
    if (!UUID.test(id)) throw applicationNotFound(id);
    const application = await findTopUpApplication(tx, a.schoolId, id, options);
    if (!application) throw applicationNotFound(id);
    const found = await findPupilWithReach(tx, scopeOf(a), application.pupilId);
    const access = found ? sectionAccess(a.roles, found.reaches) : null;
    const decision =
      application.organisationId && application.caseId
        ? await findTopUpDecision(tx, application.organisationId, application.caseId)
        : null;
    const la = await localAuthorityOfSchool(tx, a.schoolId);
    const actions =
      found && access
        ? topUpActions(
            a,
            {
              status: application.status,
              decided: decision !== null,
              pupilLeft: Boolean(found.pupil.leftOn),
            },
            { access, localAuthorityHere: la !== null },
          )
        : null;
    if (!found || !actions?.view) throw applicationNotFound(id);
    return { application, pupil: found.pupil, decision, la, actions };
  }

  /** The application as it would be sent today, from the pupil's record and what the school has written. */
  async function buildData(tx: Executor, a: SchoolActor, p: PupilRow, request: TopUpFields) {
    const today = clock.today();
    const [school, plan, provision, settings] = await Promise.all([
      findSchool(tx, a.schoolId),
      currentPlanOfPupil(tx, a.schoolId, p.id),
      provisionOfPupil(tx, a.schoolId, p.id),
      thresholdSettings(tx, a.schoolId),
    ]);
    return buildTopUpData({
      today,
      preparedBy: a.name,
      school: { name: school?.name ?? '', urn: school?.urn ?? '' },
      pupil: {
        forename: p.forename,
        surname: p.surname,
        upn: p.upn,
        dateOfBirth: p.dateOfBirth,
        ncYear: effectiveNcYear(p.dateOfBirth, p.ncYearOverride, today, school?.rolledOverTo ?? null),
        senStage: p.senStage,
        primaryNeed: p.primaryNeed,
      },
      plan,
      provision,
      threshold: thresholdOf(settings),
      request,
    });
  }

  const fieldsOf = (r: TopUpApplicationRow): TopUpFields => ({
    amountPence: r.amountPence,
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    rationale: r.rationale,
  });

  /** What an application holds now: as sent (kept exactly), or as it would be sent today (a draft). */
  async function dataOf(tx: Executor, a: SchoolActor, r: TopUpApplicationRow, p: PupilRow) {
    return r.sentApplication ? (r.sentApplication as TopUpApplicationData) : buildData(tx, a, p, fieldsOf(r));
  }

  const conflict = () =>
    new ConflictError(
      'Someone else changed this application while you were working on it: their change is shown. Check your text, then save again.',
    );

  function decisionView(d: TopUpDecisionRow | null) {
    if (!d) return null;
    return {
      outcome: d.outcome,
      outcomeText: TOP_UP_OUTCOMES[d.outcome],
      decidedOn: d.decidedOn,
      amountPence: d.amountPence,
      band: d.band,
      conditions: d.conditions,
      reasons: d.reasons,
      fundedFrom: d.fundedFrom,
      fundedUntil: d.fundedUntil,
      decidedByName: d.decidedByName,
      version: d.version,
    };
  }

  return {
    /**
     * The page that starts an application for a pupil: their costs against the threshold, an
     * application already being written (one at a time), the review's decision it answers. Audited.
     */
    async forNew(
      actor: Actor,
      pupilId: string,
      options: { pupilActionId?: string | null; audit?: boolean } = {},
    ) {
      const a = requireSection(actor, 'ehc', 'write');
      return unitOfWork(db, a, async (w) => {
        const { pupil } = await writablePupil(w.tx, a, pupilId);
        const [provision, settings, draftId, action] = await Promise.all([
          provisionOfPupil(w.tx, a.schoolId, pupil.id),
          thresholdSettings(w.tx, a.schoolId),
          draftTopUpOfPupil(w.tx, a.schoolId, pupil.id),
          options.pupilActionId && UUID.test(options.pupilActionId)
            ? findOpenTopUpAction(w.tx, a.schoolId, pupil.id, options.pupilActionId)
            : null,
        ]);
        const { costs } = pupilProvision(provision, thresholdOf(settings), clock.today());
        if (options.audit !== false)
          w.audit('pupil.opened_form', {
            pupilId: pupil.id,
            detail: { form: 'apply for high-needs top-up funding' },
          });
        return {
          pupil: {
            id: pupil.id,
            forename: pupil.forename,
            surname: pupil.surname,
            left: Boolean(pupil.leftOn),
          },
          costs,
          draftId,
          pupilAction: action ? { id: action.id, notes: action.notes, createdAt: action.createdAt } : null,
        };
      });
    },

    /**
     * Build the application in one action, for a pupil whose costed provision passes the threshold: the
     * amount asked for starts as the cost above it, the period as the rest of the academic year. A pupil
     * with an application being written opens that one.
     */
    async start(
      actor: Actor,
      pupilId: string,
      input: { pupilActionId: string | null },
    ): Promise<{ topUpId: string; existing: boolean }> {
      const a = requireSection(actor, 'ehc', 'write');
      return unitOfWork(db, a, async (w) => {
        const { pupil } = await writablePupil(w.tx, a, pupilId, true);
        const name = `${pupil.forename} ${pupil.surname}`;
        if (pupil.leftOn)
          throw invalid([
            { field: 'form', message: `${name} has left the school: their record can no longer be changed` },
          ]);
        const existing = await draftTopUpOfPupil(w.tx, a.schoolId, pupil.id);
        if (existing) return { topUpId: existing, existing: true };
        if (input.pupilActionId) {
          const action = UUID.test(input.pupilActionId)
            ? await findOpenTopUpAction(w.tx, a.schoolId, pupil.id, input.pupilActionId)
            : null;
          if (!action)
            throw invalid([
              {
                field: 'form',
                message:
                  'This review’s decision is no longer open: start the application from the pupil’s page',
              },
            ]);
        }
        const today = clock.today();
        const [provision, settings] = await Promise.all([
          provisionOfPupil(w.tx, a.schoolId, pupil.id),
          thresholdSettings(w.tx, a.schoolId),
        ]);
        const threshold = thresholdOf(settings);
        const { costs } = pupilProvision(provision, threshold, today);
        if (!costs.topUp)
          throw invalid([
            {
              field: 'form',
              message: `${name}’s provision does not cost more than the high-needs threshold this year: top-up funding is for costs above it`,
            },
          ]);
        const plan = await currentPlanOfPupil(w.tx, a.schoolId, pupil.id);
        const id = randomUUID();
        await insertTopUpApplication(w.tx, {
          schoolId: a.schoolId,
          id,
          pupilId: pupil.id,
          status: 'draft',
          planId: plan?.plan.id ?? null,
          pupilActionId: input.pupilActionId,
          amountPence: suggestedAmount(costs.academic.pence, threshold.thresholdPence),
          periodFrom: today,
          periodTo: toIsoDate(academicYearStartOf(today) + 1, 8, 31),
          rationale: null,
          createdBy: a.userId,
          createdByName: a.name,
        });
        w.audit('top_up.started', {
          pupilId: pupil.id,
          detail: { topUpId: id, pupilActionId: input.pupilActionId },
        });
        return { topUpId: id, existing: false };
      });
    },

    /** An application with the document it makes, the local authority's decision, and what may be done. Audited. */
    async view(actor: Actor, topUpId: string, options: { audit?: boolean } = {}) {
      const a = requireSection(actor, 'ehc', 'write');
      return unitOfWork(db, a, async (w) => {
        const found = await applicationFor(w.tx, a, topUpId);
        const data = await dataOf(w.tx, a, found.application, found.pupil);
        if (options.audit !== false)
          w.audit('top_up.viewed', { pupilId: found.pupil.id, detail: { topUpId } });
        return {
          application: found.application,
          version: found.application.version,
          pupil: { id: found.pupil.id, forename: found.pupil.forename, surname: found.pupil.surname },
          data,
          decision: decisionView(found.decision),
          localAuthority: found.la,
          actions: found.actions,
          problems: found.application.status === 'draft' ? readyToSend(fieldsOf(found.application)) : [],
        };
      });
    },

    /** Save the amount, the period and the school's case of a draft, at the version the user saw. */
    async save(actor: Actor, topUpId: string, version: number, input: TopUpFields) {
      const a = requireSection(actor, 'ehc', 'write');
      return unitOfWork(db, a, async (w) => {
        const found = await applicationFor(w.tx, a, topUpId, { lock: true });
        if (!found.actions.edit)
          throw invalid([
            {
              field: 'form',
              message: 'This application has been sent or withdrawn: it can no longer be changed',
            },
          ]);
        if (found.application.version !== version) throw conflict();
        const problems = [
          ...amountProblems(input.amountPence, 'amount', false),
          ...periodProblems(input.periodFrom, input.periodTo, { from: 'periodFrom', to: 'periodTo' }, false),
        ];
        if (problems.length > 0) throw invalid(problems);
        if (!(await updateTopUpApplication(w.tx, a.schoolId, topUpId, version, input))) throw conflict();
        w.audit('top_up.changed', { pupilId: found.pupil.id, detail: { topUpId } });
      });
    },

    /**
     * Send the application: into the local authority's caseload when the authority uses this installation
     * (its case opened in the same change, with its own audit row), else recorded as sent by the school
     * with the files it downloaded. What was sent, and its PDF, are kept as sent.
     */
    async send(
      actor: Actor,
      topUpId: string,
      version: number,
      rendered: { data: TopUpApplicationData; pdf: Buffer },
    ) {
      const a = requireSection(actor, 'ehc', 'write');
      const result = await unitOfWork(db, a, async (w) => {
        const found = await applicationFor(w.tx, a, topUpId, { lock: true });
        const { application: r, pupil, la } = found;
        if (!found.actions.sendToLocalAuthority && !found.actions.markSent)
          throw invalid([{ field: 'form', message: 'This application has already been sent or withdrawn' }]);
        if (r.version !== version) throw conflict();
        const problems = readyToSend(fieldsOf(r));
        if (problems.length > 0) throw invalid(problems);
        // What is kept as sent is the application as it stands now; the PDF was made from the same data
        // (by the caller, from the page): if the record changed in between, the user checks it again.
        const data = await buildData(w.tx, a, pupil, fieldsOf(r));
        if (JSON.stringify(data) !== JSON.stringify(rendered.data))
          throw new ConflictError(
            'The pupil’s record changed while the application was being sent: check the application as it is now, then send it again.',
          );
        const pdf = rendered.pdf;
        const fileName = `top-up-application-${pupil.surname}-${pupil.forename}.pdf`;
        const schoolFile = await storeFile(
          w.tx,
          a,
          { ownerId: a.schoolId, ownerKind: 'school' },
          { name: fileName, bytes: pdf, pupilId: pupil.id },
        );
        let caseId: string | null = null;
        if (la) {
          const laFile = await storeFile(
            w.tx,
            a,
            { ownerId: la.id, ownerKind: 'organisation' },
            { name: fileName, bytes: pdf, pupilId: pupil.id },
          );
          caseId = await receiveFromSchool(w.tx, {
            organisationId: la.id,
            schoolId: a.schoolId,
            pupilId: pupil.id,
            upn: pupil.upn,
            kind: 'top_up_funding',
            requestId: r.id,
            requestedBy: 'school',
            receivedOn: clock.today(),
            received: data,
            receivedFileId: laFile.id,
            openedBy: a.userId,
          });
          await insertAuditEvents(w.tx, [
            auditRowFor(organisationOwner(la.id), a, 'top_up.received', {
              pupilId: pupil.id,
              detail: { caseId, schoolId: a.schoolId, topUpId: r.id },
            }),
          ]);
        }
        const sent = await updateTopUpApplication(w.tx, a.schoolId, r.id, version, {
          status: 'sent',
          sentAt: clock.now(),
          sentBy: a.userId,
          sentByName: a.name,
          sentHow: la ? 'local_authority' : 'download',
          sentApplication: data,
          sentFileId: schoolFile.id,
          organisationId: la?.id ?? null,
          caseId,
        });
        if (!sent) throw conflict();
        if (r.pupilActionId) await markActionDone(w.tx, a.schoolId, r.pupilActionId);
        w.audit(la ? 'top_up.sent' : 'top_up.marked_sent', {
          pupilId: pupil.id,
          detail: { topUpId: r.id, caseId, organisationId: la?.id ?? null },
        });
        return { sentTo: la?.name ?? null };
      });
      return result;
    },

    /**
     * Withdraw an application (being written, or sent and not yet decided): its case at the local
     * authority, if any, is closed as withdrawn, recorded on the authority's chain too.
     */
    async withdraw(actor: Actor, topUpId: string, version: number) {
      const a = requireSection(actor, 'ehc', 'write');
      return unitOfWork(db, a, async (w) => {
        const found = await applicationFor(w.tx, a, topUpId, { lock: true });
        const { application: r, pupil } = found;
        if (!found.actions.withdraw)
          throw invalid([
            {
              field: 'form',
              message:
                found.decision !== null
                  ? 'The local authority has decided this application: it can no longer be withdrawn'
                  : 'This application can no longer be withdrawn',
            },
          ]);
        if (r.version !== version) throw conflict();
        const today = clock.today();
        if (r.organisationId && r.caseId) {
          const held = await findOrganisationCase(w.tx, r.organisationId, r.caseId, { lock: true });
          if (held) {
            await setTopUpCaseStage(w.tx, r.organisationId, r.caseId, {
              stage: 'withdrawn',
              closedOn: today < held.openedOn ? held.openedOn : today,
              closedReason: 'The school withdrew the application',
            });
            await insertAuditEvents(w.tx, [
              auditRowFor(organisationOwner(r.organisationId), a, 'top_up.withdrawn', {
                pupilId: pupil.id,
                detail: { caseId: r.caseId, schoolId: a.schoolId, topUpId: r.id },
              }),
            ]);
          }
        }
        if (
          !(await updateTopUpApplication(w.tx, a.schoolId, r.id, version, {
            status: 'withdrawn',
            withdrawnOn: today,
          }))
        )
          throw conflict();
        w.audit('top_up.withdrawn', { pupilId: pupil.id, detail: { topUpId: r.id, caseId: r.caseId } });
      });
    },

    /**
     * What the application's files are made from, audited as a download: the PDF kept as sent, when it
     * was sent; else the application's data (as sent, or as it would be sent today) for the caller to
     * write as a PDF or a JSON file.
     */
    async file(actor: Actor, topUpId: string, kind: 'pdf' | 'json') {
      const a = requireSection(actor, 'ehc', 'write');
      return unitOfWork(db, a, async (w) => {
        const found = await applicationFor(w.tx, a, topUpId);
        const { application: r, pupil } = found;
        if (!found.actions.download) throw applicationNotFound(topUpId);
        w.audit('top_up.downloaded', { pupilId: pupil.id, detail: { topUpId, kind } });
        const name = `top-up-application-${pupil.surname}-${pupil.forename}`
          .normalize('NFKD')
          .replace(/[^A-Za-z0-9]+/g, '-')
          .toLowerCase();
        const stored =
          kind === 'pdf' && r.sentFileId ? await readStoredFile(w.tx, a.schoolId, r.sentFileId) : null;
        return {
          name,
          stored: stored ? Buffer.from(stored.bytes) : null,
          data: await dataOf(w.tx, a, r, pupil),
          standing: { status: r.status, sentAt: r.sentAt, sentByName: r.sentByName, sentHow: r.sentHow },
        };
      });
    },

    /**
     * The local authority's page of a top-up case: the application as received, the decision so far, and
     * whether this officer may record it. Another organisation's case, or a case of another kind, is not
     * found. Audited on the organisation's chain.
     */
    async decisionPage(actor: Actor, caseId: string, options: { audit?: boolean } = {}) {
      const a = requireOfficer(actor, 'organisation.view');
      if (!UUID.test(caseId)) throw caseNotFound(caseId);
      return organisationUnitOfWork(db, a, async (w) => {
        const found = await findOrganisationCase(w.tx, a.organisationId, caseId);
        if (found?.kind !== 'top_up_funding' || !found.received) throw caseNotFound(caseId);
        const actions = topUpDecisionActions(a, found);
        if (!actions.view) throw new ForbiddenError('Your role does not include EHC work', 'ehc.read');
        const decision = await findTopUpDecision(w.tx, a.organisationId, caseId);
        const received = found.received as TopUpApplicationData;
        if (options.audit !== false)
          w.audit('top_up.decision_viewed', {
            pupilId: found.pupilId,
            detail: { caseId, schoolId: found.schoolId },
          });
        return {
          case: {
            id: found.id,
            stage: found.stage,
            openedOn: found.openedOn,
            closedOn: found.closedOn,
            schoolId: found.schoolId,
          },
          received,
          decision: decisionView(decision),
          version: decision?.version ?? 0,
          actions,
        };
      });
    },

    /**
     * Record the decision on a top-up case (or change it), at the version the officer saw: a caseworker's
     * work. The case is then decided (and closed); the school sees the decision at once.
     */
    async decide(actor: Actor, caseId: string, version: number, input: TopUpDecisionFields) {
      const a = requireOfficer(actor, 'organisation.view');
      if (!UUID.test(caseId)) throw caseNotFound(caseId);
      return organisationUnitOfWork(db, a, async (w) => {
        const found = await findOrganisationCase(w.tx, a.organisationId, caseId, { lock: true });
        if (found?.kind !== 'top_up_funding' || !found.received) throw caseNotFound(caseId);
        const actions = topUpDecisionActions(a, found);
        if (!actions.view) throw new ForbiddenError('Your role does not include EHC work', 'ehc.read');
        if (!actions.decide)
          throw found.stage === 'withdrawn'
            ? invalid([
                {
                  field: 'form',
                  message: 'The school withdrew this application: there is nothing to decide',
                },
              ])
            : new ForbiddenError('Only a caseworker records the decision on top-up funding', 'ehc.write');
        const current = await findTopUpDecision(w.tx, a.organisationId, caseId, { lock: true });
        if ((current?.version ?? 0) !== version)
          throw new ConflictError(
            'Someone else recorded a decision on this application while you were working on it: theirs is shown. Check your decision, then save again.',
            current ? { decision: decisionView(current) } : null,
          );
        const asked = (found.received as TopUpApplicationData).request ?? {
          amountPence: null,
          periodFrom: null,
          periodTo: null,
        };
        const problems = decisionProblems(input, { today: clock.today(), receivedOn: found.openedOn, asked });
        if (problems.length > 0) throw invalid(problems);
        const values = {
          outcome: input.outcome,
          decidedOn: input.decidedOn,
          amountPence: input.outcome === 'refused' ? null : input.amountPence,
          band: input.band,
          conditions: input.conditions,
          reasons: input.reasons,
          fundedFrom: input.outcome === 'refused' ? null : input.fundedFrom,
          fundedUntil: input.outcome === 'refused' ? null : input.fundedUntil,
          decidedBy: a.userId,
          decidedByName: a.name,
        };
        if (current) {
          if (!(await updateTopUpDecision(w.tx, a.organisationId, current.id, version, values)))
            throw new ConflictError(
              'Someone else recorded a decision on this application first: open the page again.',
            );
        } else {
          await insertTopUpDecision(w.tx, {
            organisationId: a.organisationId,
            id: randomUUID(),
            caseId,
            ...values,
          });
        }
        await setTopUpCaseStage(w.tx, a.organisationId, caseId, {
          stage: 'decided',
          closedOn: input.decidedOn,
          closedReason: TOP_UP_OUTCOMES[input.outcome],
        });
        w.audit('top_up.decided', {
          pupilId: found.pupilId,
          detail: {
            caseId,
            schoolId: found.schoolId,
            outcome: input.outcome,
            amountPence: values.amountPence,
            changed: current !== null,
          },
        });
      });
    },

    /**
     * The nightly reminder: for each school whose agreed funding ends within six weeks, one mail to each
     * of its SENCos saying how many, naming no child; each ending is reminded of once (recorded on the
     * decision, claimed row by row first), not every night.
     */
    async remindEnding(today: IsoDate = clock.today()): Promise<number> {
      const ending = await endingTopUpsToRemind(db, today);
      const bySchool = new Map<string, typeof ending>();
      for (const e of ending) bySchool.set(e.schoolId, [...(bySchool.get(e.schoolId) ?? []), e]);
      let mailed = 0;
      for (const [schoolId, endings] of bySchool) {
        await db.transaction(async (tx) => {
          const claimed: typeof ending = [];
          for (const e of endings)
            if (
              e.fundedUntil &&
              (await markTopUpEndReminded(tx, e.organisationId, e.decisionId, e.fundedUntil))
            )
              claimed.push(e);
          if (claimed.length === 0) return;
          const [school, to] = await Promise.all([findSchool(tx, schoolId), sencoEmailsOf(tx, schoolId)]);
          const link =
            claimed.length === 1
              ? `${mail.publicUrl}/top-up/${(claimed[0] as (typeof claimed)[number]).applicationId}`
              : `${mail.publicUrl}/ehc-requests`;
          for (const address of to) {
            await queueMail(tx, { schoolId }, address, 'top_up.ending', {
              from: school?.name ?? 'your school',
              link,
              count: claimed.length,
            });
            mailed++;
          }
        });
      }
      if (mailed > 0) mail.jobsQueued();
      return mailed;
    },
  };
}

export type TopUpService = ReturnType<typeof createTopUpService>;
