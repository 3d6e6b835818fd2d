import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { atLeast, capabilitiesOf, rolesLabel, sectionAccess } from '../../domain/access.ts';
import { earliestBirthInNcYear, effectiveNcYear, schoolAcademicYearStart } from '../../domain/calendar.ts';
import type { AreaOfNeed, NeedCode } from '../../domain/census.ts';
import {
  type ConcernKind,
  type ConcernOutcome,
  type ConcernSource,
  type ConcernVia,
  type InterventionTried,
  outcomeStage,
} from '../../domain/concerns.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { CONTEXT_FLAGS } from '../../domain/flags.ts';
import { pupilDateProblem } from '../../domain/pupil-dates.ts';
import { pupilReferralActions } from '../../policies/agencies.ts';
import { concernActions } from '../../policies/concern.ts';
import { pupilPlanActions } from '../../policies/plan.ts';
import { pupilActions } from '../../policies/pupil.ts';
import { agencyForSchool, directoryOf } from '../../repositories/agencies.ts';
import {
  countOpenConcerns,
  findConcern,
  insertConcerns,
  listConcerns,
  reviewConcern,
} from '../../repositories/concerns.ts';
import { pupilRecord } from '../../repositories/pupil-record.ts';
import { findPupilWithReach, type PupilRow, parentsOfPupil } from '../../repositories/pupils.ts';
import { referralsOfConcern } from '../../repositories/referrals.ts';
import { findSchool } from '../../repositories/schools.ts';
import { queueFamilyMail } from '../family/mail.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil, unitOfWork } from '../kernel/unit-of-work.ts';
import { createSettings } from '../plans/settings.ts';
import { startDraftPlan } from '../plans/start.ts';
import { applyRegisterChange } from '../register/apply-change.ts';

export interface ConcernInput {
  kind: ConcernKind;
  concernDate: IsoDate;
  reasons: string;
  classroomEvidence: string;
  areasOfNeed: AreaOfNeed[];
  interventionsTried: InterventionTried[];
}

/** A concern the SENCo records on behalf of a parent, the pupil or an outside professional. */
export interface OutsideConcernInput extends ConcernInput {
  source: Exclude<ConcernSource, 'staff'>;
  raisedByName: string;
  receivedVia: ConcernVia;
}

export interface ConcernReviewInput {
  outcome: ConcernOutcome;
  actionTaken: string;
  agency: string | null;
  /**
   * The service referred to, chosen from the school's directory (its own list or its local authority's):
   * its name is what the concern keeps. Without one, `agency` as typed (an empty directory, old data).
   */
  agencyId?: string | null;
  reviewedOn: IsoDate;
  primaryNeed: NeedCode | null;
  secondaryNeed: NeedCode | null;
  /** With SEN support or the monitoring list: start a draft support plan in the same review. */
  startPlan?: boolean;
}

const DIRECTORY = { section: 'directory', level: 'read' } as const;

export function createConcernService(database: Database, clock: Clock, mail: MailContext = NO_MAIL_CONTEXT) {
  const { db } = database;
  const settings = createSettings(database);

  /** The pupil's NC year as the school counts it today. */
  async function ncYearOf(tx: Executor, schoolId: string, pupil: PupilRow) {
    const today = clock.today();
    const rolledOverTo = (await findSchool(tx, schoolId))?.rolledOverTo ?? null;
    return {
      ncYear: effectiveNcYear(pupil.dateOfBirth, pupil.ncYearOverride, today, rolledOverTo),
      academicYearStart: schoolAcademicYearStart(today, rolledOverTo),
    };
  }

  /**
   * Not in the future, not before the pupil was born. Someone who may not read the pupil's details (a
   * concern raised through the directory) is checked against the first birthday of the pupil's year
   * group and told no date: their answers say no more than the year group they were shown.
   */
  async function checkDate(
    tx: Executor,
    a: SchoolActor,
    date: IsoDate,
    pupil: PupilRow,
    access: ReturnType<typeof sectionAccess>,
  ) {
    const what = 'The date of the concern';
    const problem = atLeast(access.identity, 'read')
      ? pupilDateProblem(date, pupil, what, clock.today())
      : await ncYearOf(tx, a.schoolId, pupil).then(({ ncYear, academicYearStart }) =>
          pupilDateProblem(
            date,
            {
              forename: pupil.forename,
              dateOfBirth: earliestBirthInNcYear(ncYear, academicYearStart),
              admissionDate: null,
            },
            what,
            clock.today(),
            { hideDates: true },
          ),
        );
    if (problem) throw new ValidationError([{ field: 'concernDate', message: problem }]);
  }

  /**
   * The pupil as the concern forms show them: name, class and year group (the directory), and the date
   * of birth only to someone who may read the pupil's details.
   */
  async function pupilForForm(
    a: SchoolActor,
    found: { pupil: PupilRow; className: string | null; access: ReturnType<typeof sectionAccess> },
  ) {
    const { ncYear } = await ncYearOf(db, a.schoolId, found.pupil);
    return {
      id: found.pupil.id,
      forename: found.pupil.forename,
      surname: found.pupil.surname,
      ncYear,
      dateOfBirth: atLeast(found.access.identity, 'read') ? found.pupil.dateOfBirth : null,
    };
  }

  /** A concern and what this actor may do with it; "not found" when they may do nothing. */
  async function concernFor(a: SchoolActor, concernId: string) {
    const found = await findConcern(db, scopeOf(a), concernId);
    if (!found) throw new NotFoundError('Concern not found', { kind: 'concern', id: concernId });
    const access = sectionAccess(a.roles, found.reaches);
    const actions = concernActions(a, found.concern, { access });
    if (!actions.view) throw new NotFoundError('Concern not found', { kind: 'concern', id: concernId });
    return { ...found, access, actions };
  }

  return {
    /**
     * The pupil for the concern form (seed 000 Appendix A): anyone on the staff may raise a concern
     * about any pupil; the carers are shown to those who may see the pupil's contacts.
     */
    async raiseForm(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'concern.raise');
      const found = await pupilFor(db, a, pupilId, DIRECTORY);
      const carers = atLeast(found.access.identity, 'read')
        ? await parentsOfPupil(db, a.schoolId, pupilId)
        : null;
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', { pupilId, detail: { form: 'raise a concern' } });
      return {
        pupil: await pupilForForm(a, found),
        className: found.className,
        carers,
        mayRecordFromOutside: pupilActions(a, found.pupil, { access: found.access }).recordConcernFromOutside,
      };
    },

    /** The pupil for recording a concern from a parent, the pupil or a professional: reviewers only. */
    async recordForm(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'concern.review');
      const found = await pupilFor(db, a, pupilId, { section: 'concerns', level: 'write' });
      const carers = atLeast(found.access.identity, 'read')
        ? await parentsOfPupil(db, a.schoolId, pupilId)
        : null;
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId,
          detail: { form: 'record a concern from outside the staff' },
        });
      return {
        pupil: await pupilForForm(a, found),
        className: found.className,
        carers,
        mayRecordFromOutside: true,
      };
    },

    /** The concerns page: what the actor raised, and for a reviewer, those to review. */
    async overview(actor: Actor) {
      const a = requireCapability(actor, 'concern.raise');
      const reviewer = capabilitiesOf(a.roles).has('concern.review');
      const [mine, forReview] = await Promise.all([
        this.raisedBy(a, 50),
        reviewer ? this.forReview(a) : Promise.resolve(null),
      ]);
      return { mine, reviewer, open: forReview?.open ?? [], reviewed: forReview?.reviewed ?? [] };
    },

    async raise(actor: Actor, pupilId: string, input: ConcernInput): Promise<string> {
      const a = requireCapability(actor, 'concern.raise');
      const id = randomUUID();
      await changePupil(db, a, pupilId, DIRECTORY, async (w) => {
        await checkDate(w.tx, a, input.concernDate, w.pupil, w.access);
        await insertConcerns(w.tx, [
          {
            schoolId: a.schoolId,
            id,
            pupilId,
            ...input,
            source: 'staff',
            raisedBy: a.userId,
            raisedByName: a.name,
            raisedByRole: rolesLabel(a.roles),
          },
        ]);
        w.audit('concern.raised', { pupilId, detail: { concernId: id, kind: input.kind } });
      });
      return id;
    },

    /** The SENCo records a concern a parent, the pupil or a professional raised, naming them and how it came. */
    async recordFromOutside(actor: Actor, pupilId: string, input: OutsideConcernInput): Promise<string> {
      const a = requireCapability(actor, 'concern.review');
      const id = randomUUID();
      await changePupil(db, a, pupilId, { section: 'concerns', level: 'write' }, async (w) => {
        await checkDate(w.tx, a, input.concernDate, w.pupil, w.access);
        await insertConcerns(w.tx, [
          {
            schoolId: a.schoolId,
            id,
            pupilId,
            kind: input.kind,
            concernDate: input.concernDate,
            reasons: input.reasons,
            classroomEvidence: input.classroomEvidence,
            areasOfNeed: input.areasOfNeed,
            interventionsTried: input.interventionsTried,
            source: input.source,
            receivedVia: input.receivedVia,
            raisedBy: null,
            raisedByName: input.raisedByName,
            raisedByRole: input.source,
            recordedBy: a.userId,
            recordedByName: a.name,
          },
        ]);
        w.audit('concern.recorded', {
          pupilId,
          detail: { concernId: id, source: input.source, via: input.receivedVia },
        });
      });
      return id;
    },

    /** For the SENCo: open concerns, oldest first, and the most recently reviewed. */
    async forReview(actor: Actor) {
      const a = requireCapability(actor, 'concern.review');
      const scope = scopeOf(a);
      const [open, reviewed] = await Promise.all([
        listConcerns(db, scope, { status: 'open' }),
        listConcerns(db, scope, { status: 'reviewed', limit: 20 }),
      ]);
      await audit(db, a, 'concern.listed', {
        detail: { open: open.length },
        shownPupilIds: [...open, ...reviewed].map((c) => c.pupilId),
      });
      return { open, reviewed };
    },

    /** Concerns the actor raised, and what happened to each. */
    async raisedBy(actor: Actor, limit = 200) {
      const a = requireCapability(actor, 'concern.raise');
      const rows = await listConcerns(db, scopeOf(a), { raisedBy: a.userId, limit });
      if (rows.length > 0)
        await audit(db, a, 'concern.listed', {
          detail: { own: true },
          shownPupilIds: rows.map((r) => r.pupilId),
        });
      return rows;
    },

    async openCount(actor: Actor): Promise<number> {
      const a = requireCapability(actor, 'concern.review');
      return countOpenConcerns(db, a.schoolId);
    },

    async view(actor: Actor, concernId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'concern.raise');
      const found = await concernFor(a, concernId);
      const carers = atLeast(found.access.identity, 'read')
        ? await parentsOfPupil(db, a.schoolId, found.concern.pupilId)
        : null;
      if (options.audit)
        await audit(db, a, 'concern.viewed', { pupilId: found.concern.pupilId, detail: { concernId } });
      // Whoever raised a concern through the directory sees the pupil's name and class, not their details.
      const dateOfBirth = atLeast(found.access.identity, 'read') ? found.dateOfBirth : null;
      // An outcome of "refer to an outside agency" leads to the referral, for whoever may start one.
      const referralActions = pupilReferralActions(a, { pupil: found.pupil }, { access: found.access });
      const referrals =
        found.concern.outcome === 'agency_referral' && referralActions.read
          ? await referralsOfConcern(db, a.schoolId, concernId)
          : [];
      const mayStartReferral =
        found.concern.outcome === 'agency_referral' && referralActions.start && referrals.length === 0;
      return { ...found, dateOfBirth, carers, mayStartReferral, referrals };
    },

    /**
     * The concern for the review page, with everything needed to decide without going back: the
     * pupil's contextual factors, earlier concerns and their outcomes, the register history and plans
     * (each where the reviewer may read it). Shows the review already made when there is one.
     */
    async reviewForm(actor: Actor, concernId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'concern.review');
      const found = await concernFor(a, concernId);
      if (!atLeast(found.access.concerns, 'write')) {
        throw new NotFoundError('Concern not found', { kind: 'concern', id: concernId });
      }
      const [carers, record, settingValues] = await Promise.all([
        atLeast(found.access.identity, 'read')
          ? parentsOfPupil(db, a.schoolId, found.concern.pupilId)
          : Promise.resolve(null),
        pupilRecord(db, scopeOf(a), found.concern.pupilId),
        settings.values(a.schoolId),
      ]);
      const directory = await directoryOf(db, a.schoolId);
      if (options.audit)
        await audit(db, a, 'concern.viewed', { pupilId: found.concern.pupilId, detail: { concernId } });
      const pupil = record?.pupil;
      return {
        ...found,
        carers,
        /** The services to choose from when the outcome is a referral (empty: the name is typed). */
        directory: directory.map((d) => ({
          id: d.id,
          name: d.name,
          serviceKind: d.serviceKind,
          ownerKind: d.ownerKind,
        })),
        context:
          pupil && atLeast(found.access.identity, 'read')
            ? {
                senStage: atLeast(found.access.register, 'read') ? pupil.senStage : null,
                primaryNeed: atLeast(found.access.register, 'read') ? pupil.primaryNeed : null,
                secondaryNeed: atLeast(found.access.register, 'read') ? pupil.secondaryNeed : null,
                attendancePercent: pupil.attendancePercent,
                flags: CONTEXT_FLAGS.filter(
                  (f) => pupil[f] && (f !== 'medicalCondition' || atLeast(found.access.medical, 'read')),
                ),
                className: found.className,
              }
            : null,
        earlierConcerns: (record?.concerns ?? []).filter((c) => c.id !== concernId),
        registerHistory: record?.history ?? [],
        registerReviews: record?.reviews ?? [],
        plans: record?.plans ?? [],
        planName: settingValues.planName,
        mayStartPlan: pupilPlanActions(a, { pupil: found.pupil, plans: [] }, { access: found.access })
          .startWithConcernReview,
      };
    },

    async review(
      actor: Actor,
      concernId: string,
      version: number,
      input: ConcernReviewInput,
    ): Promise<{ planId: string | null; pupilId: string; planName: string }> {
      const a = requireCapability(actor, 'concern.review');
      const { reviewInterval, planName } = await settings.values(a.schoolId);
      const result = await unitOfWork(db, a, async (w) => {
        const found = await findConcern(w.tx, scopeOf(a), concernId, { lock: true });
        if (!found) throw new NotFoundError('Concern not found', { kind: 'concern', id: concernId });
        const access = sectionAccess(a.roles, found.reaches);
        if (!atLeast(access.concerns, 'write'))
          throw new NotFoundError('Concern not found', { kind: 'concern', id: concernId });
        const c = found.concern;
        if (c.status !== 'open' || c.version !== version) {
          throw new ConflictError(
            c.status === 'open'
              ? 'This concern was changed by someone else while you were working on it. Your notes are below: check the concern and try again.'
              : `${c.reviewedByName ?? 'Someone else'} reviewed this concern while you were working on it. Their review is shown below, and your notes are kept so you can copy anything they missed.`,
            {
              reviewedByName: c.reviewedByName,
              outcome: c.outcome,
              reviewedOn: c.reviewedOn,
              actionTaken: c.actionTaken,
            },
          );
        }
        if (input.reviewedOn > clock.today()) {
          throw new ValidationError([
            { field: 'reviewedOn', message: 'The date of the review must be today or in the past' },
          ]);
        }
        if (input.reviewedOn < c.concernDate) {
          throw new ValidationError([
            { field: 'reviewedOn', message: 'The review date cannot be before the concern was raised' },
          ]);
        }
        const stage = outcomeStage(input.outcome);
        if (input.startPlan && !stage) {
          throw new ValidationError([
            {
              field: 'startPlan',
              message:
                'A support plan can be started only when the pupil goes to SEN support or the monitoring list',
            },
          ]);
        }
        if (
          input.startPlan &&
          !pupilPlanActions(a, { pupil: found.pupil, plans: [] }, { access }).startWithConcernReview
        ) {
          throw new ValidationError([
            { field: 'startPlan', message: 'Your role does not include writing this pupil’s support plans' },
          ]);
        }
        let agencyName = input.agency;
        if (input.outcome === 'agency_referral' && input.agencyId) {
          const chosen = await agencyForSchool(w.tx, a.schoolId, input.agencyId);
          if (!chosen || chosen.archivedAt)
            throw new ValidationError([
              { field: 'agencyId', message: 'Select the service from the directory of outside agencies' },
            ]);
          agencyName = chosen.name;
        }
        if (input.outcome === 'agency_referral' && !agencyName?.trim())
          throw new ValidationError([
            { field: 'agencyId', message: 'Select the service the pupil is referred to' },
          ]);
        await reviewConcern(w.tx, a.schoolId, concernId, version, {
          outcome: input.outcome,
          actionTaken: input.actionTaken,
          agency: input.outcome === 'agency_referral' ? agencyName : null,
          reviewedBy: a.userId,
          reviewedByName: a.name,
          reviewedOn: input.reviewedOn,
        });
        let planId: string | null = null;
        if (stage) {
          const pupil = await changePupilRow(w.tx, a, c.pupilId);
          if (pupil.senStage === 'ehc_plan') {
            throw new ValidationError([
              {
                field: 'outcome',
                message: 'This pupil has an EHC plan: record the outcome without changing their stage',
              },
            ]);
          }
          const wanted = {
            stage,
            primaryNeed: stage === 'sen_support' ? input.primaryNeed : null,
            secondaryNeed: stage === 'sen_support' ? input.secondaryNeed : null,
          };
          if (
            pupil.senStage !== wanted.stage ||
            pupil.primaryNeed !== wanted.primaryNeed ||
            pupil.secondaryNeed !== wanted.secondaryNeed
          ) {
            await applyRegisterChange(
              w.tx,
              a,
              pupil,
              wanted,
              input.reviewedOn,
              `Concern reviewed: ${input.actionTaken}`,
              'concern',
              concernId,
            );
            w.audit('register.changed', {
              pupilId: c.pupilId,
              detail: { from: pupil.senStage, to: stage, concernId },
            });
          }
          if (input.startPlan) {
            const started = await startDraftPlan(
              w.tx,
              a,
              { ...pupil, ...wanted, senStage: wanted.stage },
              clock.today(),
              reviewInterval,
            );
            planId = started.id;
            if (started.created)
              w.audit('plan.created', { pupilId: c.pupilId, detail: { planId, concernId } });
          }
        }
        // A parent who raised it online hears that the school has answered (general words; the outcome
        // itself is on their page), unless they turned that mail off.
        const mailed =
          c.source === 'parent' && c.raisedBy
            ? await queueFamilyMail(w.tx, {
                schoolId: a.schoolId,
                pupilId: c.pupilId,
                kind: 'family.concern_answered',
                values: { link: `${mail.publicUrl}/children/${c.pupilId}/concerns` },
                userIds: [c.raisedBy],
              })
            : [];
        w.audit('concern.reviewed', {
          pupilId: c.pupilId,
          detail: {
            concernId,
            outcome: input.outcome,
            ...(planId ? { planId } : {}),
            ...(mailed.length > 0 ? { parentEmailed: true } : {}),
          },
        });
        return { planId, pupilId: c.pupilId, planName, mailed: mailed.length };
      });
      if (result.mailed > 0) mail.jobsQueued();
      return { planId: result.planId, pupilId: result.pupilId, planName: result.planName };
    },
  };
}

/** The concern's pupil, locked for a change of stage, and reached by the reviewer's register grant. */
async function changePupilRow(tx: Executor, a: SchoolActor, pupilId: string) {
  const found = await findPupilWithReach(tx, scopeOf(a), pupilId, { lock: true });
  if (!found || !atLeast(sectionAccess(a.roles, found.reaches).register, 'write')) {
    throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
  }
  return found.pupil;
}

export type ConcernService = ReturnType<typeof createConcernService>;
