import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { atLeast, type Section, sectionAccess } from '../../domain/access.ts';
import type { ServiceKind } from '../../domain/agencies.ts';
import { compareIsoDates, formatDate, type IsoDate } from '../../domain/dates.ts';
import { triedText } from '../../domain/referral-tried.ts';
import {
  type ConsentGiver,
  type ConsentHow,
  consentProblems,
  consentState,
  isFinished,
  type LawfulBasis,
  lateness,
  nextSteps,
  REFERRAL_STATUS_LABELS,
  type ReferralStatus,
  reportDueOn,
  SHAREABLE_SECTIONS,
  sendProblem,
  stepNeedsReason,
  stepProblem,
  withdrawalProblem,
} from '../../domain/referrals.ts';
import { pupilReferralActions, referralActions } from '../../policies/agencies.ts';
import { agencyForSchool, directoryOf } from '../../repositories/agencies.ts';
import { readStoredFile } from '../../repositories/files.ts';
import { findSettings } from '../../repositories/plans.ts';
import { findParent, parentsOfPupil } from '../../repositories/pupils.ts';
import {
  type ConsentRow,
  concernOfPupil,
  consentsOfReferral,
  endSharesOfReferral,
  eventsOfReferral,
  findConsent,
  findOpenAction,
  findReferral,
  insertConsent,
  insertEvent,
  insertReferral,
  lateReferralsToRemind,
  listReferrals,
  markActionDone,
  markReminded,
  type ReferralFilters,
  type ReferralRow,
  reportsOfReferral,
  sencoEmailsOf,
  triedSources,
  updateReferral,
  withdrawConsentRow,
} from '../../repositories/referrals.ts';
import { findSchool } from '../../repositories/schools.ts';
import { queueFamilyMail } from '../family/mail.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pdfRunsScript, storeFile } from '../kernel/files.ts';
import { queueMail } from '../kernel/outbox.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil, unitOfWork, type Work } from '../kernel/unit-of-work.ts';
import { DEFAULT_SETTINGS } from '../plans/settings.ts';

/*
 * Referrals to outside agencies (docs/adr/0033): started from a concern's outcome, a review's "involve a
 * specialist agency", or the pupil's page; the consent (or the basis in law) they rest on; their steps
 * with dates and their clock; the SENCo's list; and the nightly reminder of what is late. Every call
 * authorises by the referral's pupil through referralActions, and every read and change is audited.
 */

export interface ReferralInput {
  agencyId: string;
  question: string;
  tried: string | null;
  shareSections: Section[];
  shareDocuments: string | null;
  lawfulBasis: LawfulBasis;
  basisNote: string | null;
  forEhcAssessment: boolean;
}

export interface StartReferralInput extends ReferralInput {
  concernId: string | null;
  pupilActionId: string | null;
}

export interface ConsentInput {
  givenBy: ConsentGiver;
  parentId: string | null;
  how: ConsentHow;
  givenOn: IsoDate;
  coversReferral: boolean;
  coversSharing: boolean;
  coversDocuments: string | null;
  validUntil: IsoDate | null;
  /** The signed form, scanned or photographed. */
  form: { name: string; bytes: Buffer } | null;
}

export interface WithdrawalInput {
  withdrawnOn: IsoDate;
  note: string | null;
}

export interface StepInput {
  to: ReferralStatus;
  on: IsoDate;
  note: string | null;
  /** When sending: the day the service said it would answer, and the day its report is due. */
  respondBy: IsoDate | null;
  reportDueOn: IsoDate | null;
}

const PAGE_SIZE = 50;
const NOT_FOUND = (id: string) => new NotFoundError('Referral not found', { kind: 'referral', id });

function clockOf(r: ReferralRow) {
  return {
    status: r.status,
    sentOn: r.sentOn,
    respondBy: r.respondBy,
    reportDueOn: r.reportDueOn,
    forEhcAssessment: r.forEhcAssessment,
  };
}

/**
 * Consent withdrawn, by whoever records it (staff from a letter or a call, or the parent online): in the
 * caller's unit of work, the consent is marked withdrawn, the referral stops (with a step saying why),
 * and every live share made for it ends at once. A consent withdrawn already, or a referral that ended,
 * is refused with a message and nothing changes. `allowed` is whether the caller may record consent on
 * this referral (else it is "not found").
 */
export async function withdrawConsentIn(
  w: Work<Actor>,
  r: ReferralRow,
  consent: ConsentRow,
  input: WithdrawalInput,
  by: { byName: string; allowed: boolean; today: IsoDate },
): Promise<{ sharesEnded: number }> {
  const schoolId = r.schoolId;
  const referralId = r.id;
  const consentId = consent.id;
  const problem = withdrawalProblem(consent, input.withdrawnOn, by.today);
  if (problem) throw new ValidationError([problem]);
  if (!by.allowed || isFinished(r.status)) {
    if (isFinished(r.status))
      throw new ValidationError([
        {
          field: 'form',
          message: `The referral has already ended (${REFERRAL_STATUS_LABELS[r.status].toLowerCase()})`,
        },
      ]);
    throw NOT_FOUND(referralId);
  }
  await withdrawConsentRow(w.tx, schoolId, consentId, {
    withdrawnOn: input.withdrawnOn,
    withdrawnNote: input.note,
    withdrawnByName: by.byName,
  });
  await updateReferral(w.tx, schoolId, referralId, r.version, {
    status: 'stopped',
    endReason: input.note ? `Consent withdrawn: ${input.note}` : 'Consent withdrawn',
    endedOn: input.withdrawnOn,
  });
  await insertEvent(w.tx, {
    schoolId,
    id: randomUUID(),
    referralId,
    pupilId: r.pupilId,
    status: 'stopped',
    happenedOn: input.withdrawnOn,
    note: `Consent withdrawn by ${consent.givenByName}${input.note ? `: ${input.note}` : ''}. Sharing ended.`,
    byName: by.byName,
  });
  const ended = await endSharesOfReferral(w.tx, schoolId, referralId, w.actor.userId);
  w.audit('referral.consent_withdrawn', {
    pupilId: r.pupilId,
    detail: { referralId, consentId, withdrawnOn: input.withdrawnOn, sharesEnded: ended.length },
  });
  return { sharesEnded: ended.length };
}

export function createReferralService(database: Database, clock: Clock, mail: MailContext = NO_MAIL_CONTEXT) {
  const { db } = database;

  /** A referral with what this actor may do with it; "not found" when they may not read it. */
  async function referralFor(
    tx: Executor,
    a: SchoolActor,
    referralId: string,
    options: { lock?: boolean; consentId?: string } = {},
  ) {
    const found = await findReferral(tx, scopeOf(a), referralId, options);
    if (!found) throw NOT_FOUND(referralId);
    // A consent is looked for before the reach: another school's consent id is named as what was asked for.
    const consent = options.consentId
      ? await findConsent(tx, a.schoolId, referralId, options.consentId)
      : null;
    if (options.consentId && !consent)
      throw new NotFoundError('Consent not found', { kind: 'referral_consent', id: options.consentId });
    const access = sectionAccess(a.roles, found.reaches);
    const actions = referralActions(a, found.referral, { access, left: found.pupil.leftOn !== null });
    if (!actions.read && !actions.recordConsent) throw NOT_FOUND(referralId);
    return { ...found, access, actions, consent };
  }

  /** The service chosen, from the school's list or its local authority's, in use. */
  async function chosenService(tx: Executor, schoolId: string, agencyId: string) {
    const service = await agencyForSchool(tx, schoolId, agencyId);
    if (!service || service.archivedAt)
      throw new ValidationError([{ field: 'agencyId', message: 'Choose the service from the list' }]);
    return service;
  }

  function checkBasis(input: ReferralInput) {
    const errors: FieldError[] = [];
    const unknown = input.shareSections.filter((s) => !SHAREABLE_SECTIONS.includes(s));
    if (unknown.length > 0)
      errors.push({ field: 'shareSections', message: 'Choose what will be shared from the list' });
    if (input.lawfulBasis !== 'consent' && !input.basisNote?.trim())
      errors.push({
        field: 'basisNote',
        message: 'Write down what the basis in law rests on (the duty, and where it comes from)',
      });
    if (errors.length > 0) throw new ValidationError(errors);
  }

  function referralValues(
    input: ReferralInput,
    service: { ownerId: string; id: string; name: string; serviceKind: ServiceKind },
  ) {
    return {
      agencyOwnerId: service.ownerId,
      agencyId: service.id,
      agencyName: service.name,
      serviceKind: service.serviceKind,
      question: input.question,
      tried: input.tried,
      shareSections: input.shareSections,
      shareDocuments: input.shareDocuments,
      lawfulBasis: input.lawfulBasis,
      basisNote: input.lawfulBasis === 'consent' ? null : input.basisNote,
      forEhcAssessment: input.forEhcAssessment,
    };
  }

  async function planNameOf(schoolId: string) {
    return (await findSettings(db, schoolId))?.planName ?? DEFAULT_SETTINGS.planName;
  }

  return {
    /**
     * The form to start a referral: the pupil, the services to choose from, what has been tried (drawn
     * from the plan and provision), and what started it (a concern, a review's action) when given.
     */
    async startForm(
      actor: Actor,
      pupilId: string,
      from: { concernId: string | null; pupilActionId: string | null },
      options: { audit: boolean } = { audit: true },
    ) {
      const a = requireSection(actor, 'agencies', 'write');
      const found = await pupilFor(db, a, pupilId, { section: 'agencies', level: 'write' });
      if (!pupilReferralActions(a, { pupil: found.pupil }, { access: found.access }).start)
        throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
      const [directory, sources, planName, concern, action] = await Promise.all([
        directoryOf(db, a.schoolId),
        triedSources(db, a.schoolId, pupilId),
        planNameOf(a.schoolId),
        from.concernId ? concernOfPupil(db, a.schoolId, pupilId, from.concernId) : Promise.resolve(null),
        from.pupilActionId
          ? findOpenAction(db, a.schoolId, pupilId, from.pupilActionId)
          : Promise.resolve(null),
      ]);
      const canSeePlans = atLeast(found.access.plans, 'read');
      const canSeeProvision = atLeast(found.access.provision, 'read');
      const tried = triedText(
        canSeePlans ? sources.plan : null,
        canSeeProvision
          ? sources.groups.map((g) => ({
              ...g,
              to:
                g.leftOn ?? (g.endDate && compareIsoDates(g.endDate, clock.today()) <= 0 ? g.endDate : null),
            }))
          : [],
        planName,
      );
      // What the concern says was tried already (a pupil may have no plan yet when the concern leads here).
      const fromConcern = concern?.interventionsTried.length
        ? [
            `From the concern of ${formatDate(concern.concernDate)}:`,
            ...concern.interventionsTried.map((i) =>
              [i.intervention, i.frequency, i.duration].filter((x) => x?.trim()).join(', '),
            ),
          ].join('\n')
        : null;
      const agencyName = concern?.agency?.trim().toLowerCase();
      const suggested = agencyName
        ? (directory.find((d) => d.name.trim().toLowerCase() === agencyName)?.id ?? null)
        : null;
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', { pupilId, detail: { form: 'start a referral' } });
      return {
        pupil: found.pupil,
        className: found.className,
        directory,
        tried: [fromConcern, tried].filter((t) => t?.trim()).join('\n\n') || tried,
        concern: concern ? { id: concern.id, agency: concern.agency } : null,
        action: action ? { id: action.id, notes: action.notes } : null,
        suggestedAgencyId: suggested,
      };
    },

    async start(actor: Actor, pupilId: string, input: StartReferralInput): Promise<string> {
      const a = requireSection(actor, 'agencies', 'write');
      const id = randomUUID();
      await changePupil(db, a, pupilId, { section: 'agencies', level: 'write' }, async (w) => {
        if (!pupilReferralActions(a, { pupil: w.pupil }, { access: w.access }).start)
          throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
        checkBasis(input);
        const service = await chosenService(w.tx, a.schoolId, input.agencyId);
        if (input.concernId && !(await concernOfPupil(w.tx, a.schoolId, pupilId, input.concernId)))
          throw new ValidationError([
            { field: 'form', message: 'The concern this referral came from was not found' },
          ]);
        if (input.pupilActionId && !(await findOpenAction(w.tx, a.schoolId, pupilId, input.pupilActionId)))
          throw new ValidationError([
            { field: 'form', message: 'The review’s action this referral came from is no longer open' },
          ]);
        await insertReferral(w.tx, {
          schoolId: a.schoolId,
          id,
          pupilId,
          ...referralValues(input, service),
          concernId: input.concernId,
          pupilActionId: input.pupilActionId,
          status: 'drafted',
          createdBy: a.userId,
          createdByName: a.name,
        });
        await insertEvent(w.tx, {
          schoolId: a.schoolId,
          id: randomUUID(),
          referralId: id,
          pupilId,
          status: 'drafted',
          happenedOn: clock.today(),
          note: null,
          byName: a.name,
        });
        w.audit('referral.started', {
          pupilId,
          detail: {
            referralId: id,
            agency: service.name,
            concernId: input.concernId,
            pupilActionId: input.pupilActionId,
          },
        });
      });
      return id;
    },

    /**
     * The referral's page: everything it says, its steps, its consents with where consent stands, what
     * is late, the steps that may come next, its reports, and what this actor may do. Audited.
     */
    async view(actor: Actor, referralId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'agencies');
      const found = await referralFor(db, a, referralId);
      const r = found.referral;
      const [events, consents, reports, parents] = await Promise.all([
        eventsOfReferral(db, a.schoolId, referralId),
        consentsOfReferral(db, a.schoolId, referralId),
        found.actions.readReports ? reportsOfReferral(db, a.schoolId, referralId) : Promise.resolve([]),
        found.actions.recordConsent && atLeast(found.access.identity, 'read')
          ? parentsOfPupil(db, a.schoolId, r.pupilId)
          : Promise.resolve([]),
      ]);
      const today = clock.today();
      if (options.audit)
        await audit(db, a, 'referral.viewed', { pupilId: r.pupilId, detail: { referralId } });
      return {
        ...found,
        events,
        consents,
        consentState: consentState(consents, today),
        /** Why it cannot be sent today (null: it can). */
        sendProblem: sendProblem({ lawfulBasis: r.lawfulBasis, basisNote: r.basisNote, consents }, today),
        nextSteps: found.actions.manage ? nextSteps(r.status) : [],
        late: lateness(clockOf(r), today),
        reportDue: reportDueOn(r),
        reports,
        parents,
        /** Consent withdrawn stopped it: every page says so. */
        withdrawn: r.status === 'stopped' || consents.some((c) => c.withdrawnOn !== null),
        today,
      };
    },

    /** The page to record the next step: the referral, for those who write referrals of its pupil. */
    async stepForm(actor: Actor, referralId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'agencies', 'write');
      const found = await findReferral(db, scopeOf(a), referralId);
      if (!found || !atLeast(sectionAccess(a.roles, found.reaches).agencies, 'write'))
        throw NOT_FOUND(referralId);
      return this.view(a, referralId, options);
    },

    /** The draft for editing: only before it is sent, by those who manage it. */
    async editForm(actor: Actor, referralId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'agencies', 'write');
      const found = await referralFor(db, a, referralId);
      if (!found.actions.manage || !['drafted', 'awaiting_consent'].includes(found.referral.status))
        throw NOT_FOUND(referralId);
      const directory = await directoryOf(db, a.schoolId);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId: found.referral.pupilId,
          detail: { form: 'change a referral', referralId },
        });
      return { ...found, directory };
    },

    async update(actor: Actor, referralId: string, version: number, input: ReferralInput): Promise<void> {
      const a = requireSection(actor, 'agencies', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await referralFor(w.tx, a, referralId, { lock: true });
        const r = found.referral;
        if (!found.actions.manage) throw NOT_FOUND(referralId);
        if (!['drafted', 'awaiting_consent'].includes(r.status))
          throw new ValidationError([
            {
              field: 'form',
              message: `The referral is ${REFERRAL_STATUS_LABELS[r.status].toLowerCase()}: only a referral not yet sent can be changed`,
            },
          ]);
        if (r.version !== version)
          throw new ConflictError(
            'Someone else changed this referral while you were editing it. Their version is shown below; your text is kept in the form: check it and save again.',
            { question: r.question, tried: r.tried, agencyName: r.agencyName },
          );
        checkBasis(input);
        const service = await chosenService(w.tx, a.schoolId, input.agencyId);
        await updateReferral(w.tx, a.schoolId, referralId, version, referralValues(input, service));
        w.audit('referral.changed', { pupilId: r.pupilId, detail: { referralId } });
      });
    },

    /**
     * Record the next step with its date. Sending is refused unless consent in force covers the
     * referral, or a basis in law is written down; sending records the service's dates. Declining and
     * closing need a reason, and end any sharing made for the referral.
     */
    async recordStep(actor: Actor, referralId: string, version: number, input: StepInput): Promise<void> {
      const a = requireSection(actor, 'agencies', 'write');
      const today = clock.today();
      const mailed = await unitOfWork(db, a, async (w) => {
        const found = await referralFor(w.tx, a, referralId, { lock: true });
        const r = found.referral;
        if (!found.actions.manage) {
          if (isFinished(r.status))
            throw new ValidationError([{ field: 'to', message: stepProblem(r.status, input.to)! }]);
          throw NOT_FOUND(referralId);
        }
        if (r.version !== version)
          throw new ConflictError(
            `Someone else recorded a step of this referral while you were working on it: it is now ${REFERRAL_STATUS_LABELS[r.status].toLowerCase()}. Your note is kept below: check and record it again if it still applies.`,
            { status: REFERRAL_STATUS_LABELS[r.status] },
          );
        const problem = stepProblem(r.status, input.to);
        if (problem) throw new ValidationError([{ field: 'to', message: problem }]);
        const errors: FieldError[] = [];
        if (compareIsoDates(input.on, today) > 0)
          errors.push({ field: 'on', message: 'The date of the step cannot be in the future' });
        const events = await eventsOfReferral(w.tx, a.schoolId, referralId);
        const last = events.at(-1)?.happenedOn;
        if (last && compareIsoDates(input.on, last) < 0)
          errors.push({
            field: 'on',
            message: `The date of the step cannot be before the last step (${formatDate(last)})`,
          });
        if (stepNeedsReason(input.to) && !input.note?.trim())
          errors.push({
            field: 'note',
            message:
              input.to === 'declined'
                ? 'Write down why the service declined the referral'
                : 'Write down why the referral is closed',
          });
        if (input.to === 'sent') {
          const consents = await consentsOfReferral(w.tx, a.schoolId, referralId);
          const refused = sendProblem(
            { lawfulBasis: r.lawfulBasis, basisNote: r.basisNote, consents },
            input.on,
          );
          if (refused) errors.push({ field: 'to', message: refused });
          for (const [field, d, what] of [
            ['respondBy', input.respondBy, 'The day the service will answer'],
            ['reportDueOn', input.reportDueOn, 'The day the report is due'],
          ] as const)
            if (d && compareIsoDates(d, input.on) < 0)
              errors.push({ field, message: `${what} cannot be before the referral is sent` });
        }
        if (errors.length > 0) throw new ValidationError(errors);
        const finished = isFinished(input.to);
        await updateReferral(w.tx, a.schoolId, referralId, version, {
          status: input.to,
          ...(input.to === 'sent'
            ? { sentOn: input.on, respondBy: input.respondBy, reportDueOn: input.reportDueOn }
            : {}),
          ...(finished ? { endReason: input.note, endedOn: input.on } : {}),
        });
        await insertEvent(w.tx, {
          schoolId: a.schoolId,
          id: randomUUID(),
          referralId,
          pupilId: r.pupilId,
          status: input.to,
          happenedOn: input.on,
          note: input.note,
          byName: a.name,
        });
        if (input.to === 'sent' && r.pupilActionId) await markActionDone(w.tx, a.schoolId, r.pupilActionId);
        const ended = finished ? await endSharesOfReferral(w.tx, a.schoolId, referralId, a.userId) : [];
        // Consent asked for: each parent with an account can answer online, and hears of it by email.
        const queued =
          input.to === 'awaiting_consent'
            ? await queueFamilyMail(w.tx, {
                schoolId: a.schoolId,
                pupilId: r.pupilId,
                kind: 'family.consent_asked',
                values: { link: `${mail.publicUrl}/children/${r.pupilId}/referrals/${referralId}` },
              })
            : [];
        w.audit('referral.step_recorded', {
          pupilId: r.pupilId,
          detail: {
            referralId,
            from: r.status,
            to: input.to,
            on: input.on,
            sharesEnded: ended.length,
            ...(queued.length > 0 ? { parentsEmailed: queued.length } : {}),
          },
        });
        return queued.length;
      });
      if (mailed > 0) mail.jobsQueued();
    },

    /** The consent form's page: the referral, and the pupil's parents and carers to choose from. */
    async consentForm(actor: Actor, referralId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'agencies', 'contribute');
      const found = await referralFor(db, a, referralId);
      if (!found.actions.recordConsent) {
        // An old link to a referral that has ended: say so, rather than "not found".
        if (found.actions.read && isFinished(found.referral.status))
          throw new ConflictError(
            `The referral has ended (${REFERRAL_STATUS_LABELS[found.referral.status].toLowerCase()}): start a new referral to record consent again`,
          );
        throw NOT_FOUND(referralId);
      }
      const parents = await parentsOfPupil(db, a.schoolId, found.referral.pupilId);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId: found.referral.pupilId,
          detail: { form: 'record consent to a referral', referralId },
        });
      return { ...found, parents };
    },

    /**
     * Record consent: who gave it (a parent or carer with parental responsibility and no court order,
     * or the young person from 16), how, when, what it covers and until when, with the signed form
     * kept as a stored file of the school. Nothing is kept when any of it is wrong.
     */
    async recordConsent(actor: Actor, referralId: string, input: ConsentInput): Promise<string> {
      const a = requireSection(actor, 'agencies', 'contribute');
      const id = randomUUID();
      await unitOfWork(db, a, async (w) => {
        const found = await referralFor(w.tx, a, referralId, { lock: true });
        const r = found.referral;
        if (!found.actions.recordConsent) {
          if (isFinished(r.status))
            throw new ValidationError([
              {
                field: 'form',
                message: `The referral has ended (${REFERRAL_STATUS_LABELS[r.status].toLowerCase()}): start a new referral to record consent again`,
              },
            ]);
          throw NOT_FOUND(referralId);
        }
        const parent =
          input.givenBy === 'parent' && input.parentId
            ? await findParent(w.tx, a.schoolId, r.pupilId, input.parentId)
            : null;
        if (input.givenBy === 'parent' && input.parentId && !parent)
          throw new ValidationError([
            { field: 'parentId', message: 'Choose the parent or carer from the list' },
          ]);
        const problems = consentProblems(
          {
            givenBy: input.givenBy,
            parent: parent
              ? {
                  name: parent.name,
                  parentalResponsibility: parent.parentalResponsibility,
                  courtOrder: parent.courtOrder,
                }
              : null,
            pupilDateOfBirth: found.pupil.dateOfBirth,
            givenOn: input.givenOn,
            validUntil: input.validUntil,
            coversReferral: input.coversReferral,
            coversSharing: input.coversSharing,
          },
          clock.today(),
        );
        if (problems.length > 0) throw new ValidationError(problems);
        let formFileId: string | null = null;
        if (input.form) {
          if (
            input.form.bytes.subarray(0, 5).toString('latin1') === '%PDF-' &&
            pdfRunsScript(input.form.bytes)
          )
            throw new ValidationError([
              {
                field: 'form',
                message:
                  'This PDF carries scripts or actions that run when it is opened, so it cannot be kept: scan or save the signed form again as a plain PDF or a photo, and upload that',
              },
            ]);
          const stored = await storeFile(
            w.tx,
            a,
            { ownerId: a.schoolId, ownerKind: 'school' },
            { name: input.form.name, bytes: input.form.bytes, pupilId: r.pupilId },
            'form',
          );
          formFileId = stored.id;
        }
        await insertConsent(w.tx, {
          schoolId: a.schoolId,
          id,
          referralId,
          pupilId: r.pupilId,
          givenBy: input.givenBy,
          parentCarerId: parent?.id ?? null,
          givenByName: parent ? parent.name : `${found.pupil.forename} ${found.pupil.surname}`,
          how: input.how,
          givenOn: input.givenOn,
          coversReferral: input.coversReferral,
          coversSharing: input.coversSharing,
          coversDocuments: input.coversDocuments,
          validUntil: input.validUntil,
          formFileId,
          recordedBy: a.userId,
          recordedByName: a.name,
        });
        w.audit('referral.consent_recorded', {
          pupilId: r.pupilId,
          detail: {
            referralId,
            consentId: id,
            givenBy: input.givenBy,
            how: input.how,
            form: formFileId !== null,
          },
        });
      });
      return id;
    },

    /** The withdrawal form's page: the consent to withdraw. */
    async withdrawalForm(
      actor: Actor,
      referralId: string,
      consentId: string,
      options: { audit: boolean } = { audit: true },
    ) {
      const a = requireSection(actor, 'agencies', 'contribute');
      const found = await referralFor(db, a, referralId, { consentId });
      const consent = found.consent!;
      if (!found.actions.recordConsent && !consent.withdrawnOn) throw NOT_FOUND(referralId);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId: found.referral.pupilId,
          detail: { form: 'record that consent was withdrawn', referralId },
        });
      return { ...found, consent };
    },

    /**
     * Record that consent was withdrawn. In one unit of work: the consent is marked withdrawn, the
     * referral stops (with a step saying why), and every live share made for it ends at once.
     */
    async withdrawConsent(
      actor: Actor,
      referralId: string,
      consentId: string,
      input: WithdrawalInput,
    ): Promise<{ sharesEnded: number }> {
      const a = requireSection(actor, 'agencies', 'contribute');
      return unitOfWork(db, a, async (w) => {
        const found = await referralFor(w.tx, a, referralId, { lock: true });
        const r = found.referral;
        const consent = await findConsent(w.tx, a.schoolId, referralId, consentId);
        if (!consent)
          throw new NotFoundError('Consent not found', { kind: 'referral_consent', id: consentId });
        return withdrawConsentIn(w, r, consent, input, {
          byName: a.name,
          allowed: found.actions.recordConsent,
          today: clock.today(),
        });
      });
    },

    /** The signed consent form, for those who may read the referral. Audited. */
    async consentFile(actor: Actor, referralId: string, consentId: string) {
      const a = requireSection(actor, 'agencies');
      const found = await referralFor(db, a, referralId, { consentId });
      const consent = found.consent;
      if (!consent?.formFileId)
        throw new NotFoundError('Consent not found', { kind: 'referral_consent', id: consentId });
      const file = await readStoredFile(db, a.schoolId, consent.formFileId);
      if (!file) throw new NotFoundError('Consent not found', { kind: 'referral_consent', id: consentId });
      await audit(db, a, 'referral.consent_form_downloaded', {
        pupilId: found.referral.pupilId,
        detail: { referralId, consentId },
      });
      return file;
    },

    /**
     * The school's referrals for the SENCo (and, of their own pupils, a class teacher): filtered by
     * status, kind of service and lateness, newest first, a page at a time. Audited with the pupils shown.
     */
    async list(actor: Actor, filters: ReferralFilters, page = 1) {
      const a = requireSection(actor, 'agencies');
      const today = clock.today();
      const p = Math.max(1, page);
      const { rows, total } = await listReferrals(db, scopeOf(a), filters, today, {
        limit: PAGE_SIZE,
        offset: (p - 1) * PAGE_SIZE,
      });
      await audit(db, a, 'referral.listed', {
        detail: { filters: { ...filters }, page: p },
        shownPupilIds: [...new Set(rows.map((r) => r.pupilId))],
      });
      return {
        rows: rows.map((r) => ({ ...r, consentState: consentState(r.consents, today) })),
        total,
        page: p,
        pageSize: PAGE_SIZE,
      };
    },

    /**
     * The nightly reminder: for each school with referrals newly late (an answer or a report past its
     * day), one mail to each of its SENCos saying how many, naming no child; each referral is reminded of
     * once for each lateness (recorded on it), not every night.
     */
    async remindLate(today: IsoDate = clock.today()): Promise<number> {
      const late = await lateReferralsToRemind(db, today);
      const bySchool = new Map<string, { id: string; key: string }[]>();
      for (const r of late) bySchool.set(r.schoolId, [...(bySchool.get(r.schoolId) ?? []), r]);
      let mailed = 0;
      for (const [schoolId, referrals] of bySchool) {
        await db.transaction(async (tx) => {
          // Claimed first: a second run at the same time waits on the rows, then finds them reminded.
          let claimed = 0;
          for (const r of referrals) if (await markReminded(tx, schoolId, r.id, r.key)) claimed++;
          if (claimed === 0) return;
          const [school, to] = await Promise.all([findSchool(tx, schoolId), sencoEmailsOf(tx, schoolId)]);
          for (const address of to) {
            await queueMail(tx, { schoolId }, address, 'referrals.late', {
              from: school?.name ?? 'your school',
              link: `${mail.publicUrl}/referrals?late=yes`,
              count: claimed,
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

export type ReferralService = ReturnType<typeof createReferralService>;
