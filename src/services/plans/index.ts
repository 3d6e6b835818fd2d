import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { atLeast, capabilitiesOf, rolesLabel, sectionAccess } from '../../domain/access.ts';
import type { AreaOfNeed } from '../../domain/census.ts';
import type { IsoDate } from '../../domain/dates.ts';
import {
  canMove,
  carriesForward,
  closedPlanPeriod,
  decisionAction,
  decisionStage,
  decisionStartsNewPlan,
  defaultReviewDate,
  noteIsEditable,
  type PlanStatus,
  type ProgressJudgement,
  planDateProblems,
  pupilSnapshot,
  type ReviewDecision,
  readinessProblems,
  type TargetOutcome,
} from '../../domain/plans.ts';
import { onRegister } from '../../domain/register.ts';
import { planActions } from '../../policies/plan.ts';
import {
  checksOfPlan,
  countBankUse,
  findBankEntries,
  findNote,
  findPlan,
  findProfile,
  insertActions,
  insertBankEntries,
  insertNotes,
  insertPlans,
  insertReviews,
  insertTargets,
  nextCycle,
  notesOfPlan,
  plansOfPupil,
  replaceTargets,
  reviewOfPlan,
  setPlanStatus,
  setTargetOutcomes,
  type TargetInsert,
  targetsOfPlan,
  updateNote,
  updatePlan,
} from '../../repositories/plans.ts';
import { provisionOfPupil } from '../../repositories/provision.ts';
import { findPupilWithReach } from '../../repositories/pupils.ts';
import { findSchool } from '../../repositories/schools.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil, unitOfWork } from '../kernel/unit-of-work.ts';
import { applyRegisterChange } from '../register/apply-change.ts';
import { createSettings } from './settings.ts';
import { startDraftPlan } from './start.ts';
import { checkStatusOf, createTargetChecks, targetCheckProblem } from './target-checks.ts';

export interface TargetInput {
  /** An existing target being kept (its id), or null for a new one. */
  id: string | null;
  area: AreaOfNeed | null;
  target: string;
  achievementCriteria: string | null;
  resourcesAndTechniques: string | null;
  classStrategies: string | null;
  bankEntryId: string | null;
  /** A target written by hand, saved to the school's bank as well (it needs an area of need). */
  saveToBank?: boolean;
}

export interface PlanInput {
  needAreas: AreaOfNeed[];
  strengths: string | null;
  areasOfConcern: string | null;
  desiredOutcomes: string | null;
  qualityFirst: string | null;
  interventions: string | null;
  taSupport: string | null;
  resources: string | null;
  parentPupilContribution: string | null;
  parentsSupportAtHome: string | null;
  parentsViews: string | null;
  pupilViews: string | null;
  startDate: IsoDate | null;
  reviewDate: IsoDate | null;
  targets: TargetInput[];
}

export interface ReviewInput {
  heldOn: IsoDate;
  attendees: string;
  pupilViews: string | null;
  parentsViews: string | null;
  progress: ProgressJudgement;
  decision: ReviewDecision;
  decisionNotes: string | null;
  extendedTo: IsoDate | null;
  outcomes: { targetId: string; outcome: TargetOutcome; evidence: string | null }[];
}

/** The plan pages a person may open, what each needs, and what to say when the plan's status rules it out. */
export type PlanForm =
  | 'edit'
  | 'agree'
  | 'recordShared'
  | 'addNote'
  | 'startReview'
  | 'review'
  | 'closeDraft'
  | 'targetCheck';

const FORM_AUDIT_NAMES: Record<PlanForm, string> = {
  edit: 'change the support plan',
  agree: 'agree the support plan',
  recordShared: 'record that the support plan was shared',
  addNote: 'add a note to the support plan',
  startReview: 'start the review of the support plan',
  review: 'review the support plan',
  closeDraft: 'close the draft support plan',
  targetCheck: 'record a half-termly target check',
};

const STALE =
  'Someone else changed this plan while you were working on it. Their version is shown; your changes are kept below: check them and save again.';

/** Support plans: Plan, Do (the working document), Review, and the next turn. */
export function createPlanService(database: Database, clock: Clock) {
  const { db } = database;
  const settings = createSettings(database);

  /** A plan this actor may see, with their access to its pupil; "not found" otherwise. */
  async function planFor(tx: Executor, a: SchoolActor, planId: string, options: { lock?: boolean } = {}) {
    const found = await findPlan(tx, scopeOf(a), planId, options);
    const access = found ? sectionAccess(a.roles, found.reaches) : null;
    if (!found || !access || !atLeast(access.plans, 'read')) {
      throw new NotFoundError('Plan not found', { kind: 'plan', id: planId });
    }
    const actions = planActions(a, { plan: found.plan, pupil: found.pupil }, { access });
    return { ...found, access, actions };
  }

  function checkTargets(targets: TargetInput[], maxTargets: number): FieldError[] {
    const errors: FieldError[] = [];
    if (targets.length > maxTargets) {
      errors.push({ field: 'targets', message: `A plan can hold at most ${maxTargets} targets: remove one` });
    }
    targets.forEach((t, i) => {
      if (!t.target.trim())
        errors.push({ field: `target${i + 1}-target`, message: `Enter target ${i + 1}, or remove it` });
    });
    return errors;
  }

  /** Everything a plan page shows, for an actor who may read the plan (not audited here). */
  async function loadPlan(a: SchoolActor, planId: string) {
    const found = await planFor(db, a, planId);
    // The pupil's real provision (one query), only for those who may read that section of this pupil.
    // A closed plan shows the provision of its own days (its review says when it closed), an open one today's.
    const readsProvision = atLeast(found.access.provision, 'read');
    const reviewFound = reviewOfPlan(db, a.schoolId, planId);
    const provisionFound = !readsProvision
      ? Promise.resolve(null)
      : found.plan.status === 'closed'
        ? reviewFound.then(async (r) => {
            const period = closedPlanPeriod(found.plan, r);
            return {
              period,
              items: await provisionOfPupil(db, a.schoolId, found.plan.pupilId, period ?? undefined),
            };
          })
        : provisionOfPupil(db, a.schoolId, found.plan.pupilId).then((items) => ({ period: null, items }));
    const [targets, notes, review, profile, plans, settingValues, provisionSpells, checks] =
      await Promise.all([
        targetsOfPlan(db, a.schoolId, planId),
        notesOfPlan(db, a.schoolId, planId),
        reviewFound,
        findProfile(db, a.schoolId, found.plan.pupilId),
        plansOfPupil(db, a.schoolId, found.plan.pupilId),
        settings.values(a.schoolId),
        provisionFound,
        checksOfPlan(db, a.schoolId, planId),
      ]);
    const provision = provisionSpells?.items ?? null;
    const provisionPeriod = provisionSpells?.period ?? null;
    const targetChecks = settingValues.halfTermlyTargetChecks;
    const checkStatus = checkStatusOf(targetChecks, found.plan, checks, clock.today());
    return {
      ...found,
      actions: {
        ...found.actions,
        recordTargetCheck: found.actions.recordTargetCheck && checkStatus?.current != null,
      },
      /** The school uses half-termly target checks (Settings). */
      targetChecks,
      /** Where a plan in place stands with its checks, or null (not used, or not in place). */
      checkStatus,
      /** The checks recorded, oldest first (kept and shown whatever the setting). */
      checks,
      targets,
      notes,
      review,
      profile,
      /** The pupil's provision spells, or null when the actor may not read the pupil's provision. */
      provision,
      /** For a closed plan, the days it was in place: the provision shown is of those days only. */
      provisionPeriod,
      cycles: plans.map((p) => ({
        id: p.id,
        cycle: p.cycle,
        status: p.status,
        startDate: p.startDate,
        reviewDate: p.reviewDate,
      })),
      planName: settingValues.planName,
      maxTargets: settingValues.maxTargets,
      today: clock.today(),
    };
  }

  /** Why a plan's status (or its pupil having left) rules out a form, or null. */
  function formProblem(page: Awaited<ReturnType<typeof loadPlan>>, form: PlanForm): string | null {
    const { plan, pupil, actions } = page;
    if (pupil.leftOn) {
      return `${pupil.forename} ${pupil.surname} has left the school: their plans are kept, and can no longer be changed`;
    }
    const closed = 'This plan is closed: it and its review can no longer be changed';
    switch (form) {
      case 'edit':
        if (actions.edit) return null;
        return plan.status === 'closed'
          ? closed
          : 'This plan is being reviewed: finish the review before changing it';
      case 'agree':
        return plan.status === 'draft' ? null : 'This plan has already been agreed';
      case 'closeDraft':
        return plan.status === 'draft'
          ? null
          : 'Only a draft can be closed like this: a plan in place is closed by its review';
      case 'recordShared':
        return plan.status === 'active' || plan.status === 'in_review'
          ? null
          : plan.status === 'draft'
            ? 'Agree the plan first: you can say when it was shared as you agree it'
            : closed;
      case 'addNote':
        if (actions.addNote) return null;
        return plan.status === 'closed'
          ? 'This plan is closed: add notes to the pupil’s current plan'
          : 'Notes are added once the plan is in place';
      case 'startReview':
        if (plan.status === 'active') return null;
        return plan.status === 'in_review'
          ? 'The review of this plan has already started'
          : notInPlace(plan.status);
      case 'review':
        return actions.review ? null : notInPlace(plan.status);
      case 'targetCheck':
        return targetCheckProblem(page.targetChecks, plan, page.checkStatus);
    }
  }

  function notInPlace(status: PlanStatus): string {
    return status === 'closed'
      ? 'This plan has been reviewed and closed'
      : 'Only a plan in place can be reviewed';
  }

  function targetRows(
    a: SchoolActor,
    planId: string,
    pupilId: string,
    targets: TargetInput[],
    keep: Map<string, { carriedFromId: string | null }>,
  ): TargetInsert[] {
    return targets.map((t, i) => ({
      schoolId: a.schoolId,
      id: t.id && keep.has(t.id) ? t.id : randomUUID(),
      planId,
      pupilId,
      position: i + 1,
      area: t.area,
      target: t.target.trim(),
      achievementCriteria: t.achievementCriteria,
      resourcesAndTechniques: t.resourcesAndTechniques,
      classStrategies: t.classStrategies,
      carriedFromId: t.id ? (keep.get(t.id)?.carriedFromId ?? null) : null,
      bankEntryId: t.bankEntryId,
    }));
  }

  return {
    settings,
    ...createTargetChecks(database, clock, settings, planFor),

    /**
     * Start a draft plan for a pupil at monitoring, SEN support or with an EHC plan, owned by their
     * class teacher; a draft already started is returned instead of a second.
     */
    async start(actor: Actor, pupilId: string): Promise<string> {
      const a = requireSection(actor, 'plans', 'write');
      const { reviewInterval } = await settings.values(a.schoolId);
      return changePupil(db, a, pupilId, { section: 'plans', level: 'write' }, async (w) => {
        const { id, created } = await startDraftPlan(w.tx, a, w.pupil, clock.today(), reviewInterval);
        if (created) w.audit('plan.created', { pupilId, detail: { planId: id } });
        return id;
      });
    },

    /** The pupil a plan is about to be started for (write access to their plans), and the plan's name. */
    async startForm(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'plans', 'write');
      const found = await pupilFor(db, a, pupilId, { section: 'plans', level: 'write' });
      if (found.pupil.senStage === 'none') {
        throw new ValidationError([
          {
            field: 'form',
            message: `${found.pupil.forename} is not on the SEN register or the monitoring list: add them first`,
          },
        ]);
      }
      const { planName } = await settings.values(a.schoolId);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', { pupilId, detail: { form: 'start a support plan' } });
      return { pupil: found.pupil, planName };
    },

    /** A plan with its targets, notes by target, review, the pupil's profile and what the actor may do. */
    async view(actor: Actor, planId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'plans');
      const page = await loadPlan(a, planId);
      if (options.audit)
        await audit(db, a, 'plan.viewed', {
          pupilId: page.plan.pupilId,
          detail: { planId, provisionShown: page.provision !== null },
        });
      return page;
    },

    /** The current plan of a pupil (in place or being reviewed), else the newest draft, else none. */
    async currentOf(actor: Actor, pupilId: string) {
      const a = requireSection(actor, 'plans');
      await pupilFor(db, a, pupilId, { section: 'plans' });
      const plans = await plansOfPupil(db, a.schoolId, pupilId);
      return (
        plans.find((p) => p.status === 'active' || p.status === 'in_review') ??
        [...plans].reverse().find((p) => p.status === 'draft') ??
        null
      );
    },

    /** Save the plan and its targets (a draft, or a plan in place), with optimistic locking. */
    async update(actor: Actor, planId: string, version: number, input: PlanInput): Promise<void> {
      const a = requireSection(actor, 'plans', 'write');
      const { maxTargets } = await settings.values(a.schoolId);
      await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, { lock: true });
        if (!found.actions.edit) {
          throw new ValidationError([
            {
              field: 'form',
              message:
                found.plan.status === 'closed'
                  ? 'This plan is closed: it and its review can no longer be changed'
                  : 'This plan is being reviewed: finish the review before changing it',
            },
          ]);
        }
        if (found.plan.version !== version) throw new ConflictError(STALE);
        const errors: FieldError[] = [...planDateProblems(input), ...checkTargets(input.targets, maxTargets)];
        input.targets.forEach((t, i) => {
          if (t.saveToBank && !t.bankEntryId && !t.area)
            errors.push({
              field: `target${i + 1}-area`,
              message: `Choose the area of need of target ${i + 1} to save it to the bank`,
            });
        });
        // A target taken from the bank names its entry: it must be an entry of this school's own bank
        // (a form can be sent with any id; another school's entry is never linked, counted or shown).
        const chosen = [...new Set(input.targets.flatMap((t) => (t.bankEntryId ? [t.bankEntryId] : [])))];
        const ownEntries = new Set((await findBankEntries(w.tx, a.schoolId, chosen)).map((e) => e.id));
        input.targets.forEach((t, i) => {
          if (t.bankEntryId && !ownEntries.has(t.bankEntryId))
            errors.push({
              field: `target${i + 1}-target`,
              message: `Target ${i + 1} says it came from the school’s bank, but it is not in your school’s bank: remove it, or add it again from the bank`,
            });
        });
        if (input.startDate && input.startDate < found.pupil.dateOfBirth) {
          errors.push({
            field: 'startDate',
            message: `The start date cannot be before ${found.pupil.forename} was born`,
          });
        }
        if (errors.length > 0) throw new ValidationError(errors);
        const existing = await targetsOfPlan(w.tx, a.schoolId, planId);
        const keep = new Map(existing.map((t) => [t.id, { carriedFromId: t.carriedFromId }]));
        // Targets written by hand and saved to the bank too: one entry each, for everyone at the school.
        const banked = input.targets.map((t) =>
          t.saveToBank && !t.bankEntryId && t.area ? { ...t, bankEntryId: randomUUID() } : t,
        );
        const newEntries = banked.filter(
          (t, i) => t.bankEntryId && t.bankEntryId !== input.targets[i]?.bankEntryId,
        );
        await insertBankEntries(
          w.tx,
          newEntries.map((t) => ({
            schoolId: a.schoolId,
            id: t.bankEntryId!,
            kind: 'target' as const,
            area: t.area!,
            text: t.target.trim(),
            achievementCriteria: t.achievementCriteria,
            source: 'school' as const,
            createdBy: a.userId,
            createdByName: a.name,
          })),
        );
        for (const t of newEntries)
          w.audit('bank.entry_added', { detail: { id: t.bankEntryId, kind: 'target', area: t.area } });
        const { targets: _typed, ...fields } = input;
        const targets = banked;
        await updatePlan(w.tx, a.schoolId, planId, version, fields);
        await replaceTargets(
          w.tx,
          a.schoolId,
          planId,
          targetRows(a, planId, found.plan.pupilId, targets, keep),
        );
        const fromBank = targets
          .map((t) => t.bankEntryId)
          .filter((x): x is string => Boolean(x) && !existing.some((e) => e.bankEntryId === x));
        await countBankUse(w.tx, a.schoolId, fromBank);
        w.audit('plan.changed', { pupilId: found.plan.pupilId, detail: { planId, targets: targets.length } });
      });
    },

    /** Agree a draft with the parents and the pupil and put it in place (one in place per pupil). */
    async agree(
      actor: Actor,
      planId: string,
      version: number,
      input: { agreedOn: IsoDate; agreedWith: string; sharedWithParentsOn: IsoDate | null },
    ) {
      const a = requireSection(actor, 'plans', 'write');
      const { maxTargets } = await settings.values(a.schoolId);
      await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, { lock: true });
        if (found.plan.version !== version) throw new ConflictError(STALE);
        if (!canMove(found.plan.status, 'active') || found.plan.status !== 'draft') {
          throw new ValidationError([{ field: 'form', message: 'Only a draft plan can be agreed' }]);
        }
        if (!found.actions.edit) throw new NotFoundError('Plan not found', { kind: 'plan', id: planId });
        const targets = await targetsOfPlan(w.tx, a.schoolId, planId);
        const problems = readinessProblems({ ...found.plan, agreedOn: input.agreedOn }, targets, maxTargets);
        if (input.agreedOn > clock.today())
          problems.push('The date it was agreed must be today or in the past');
        if (input.sharedWithParentsOn && input.sharedWithParentsOn > clock.today())
          problems.push('The date it was shared must be today or in the past');
        if (problems.length > 0)
          throw new ValidationError(problems.map((message) => ({ field: 'form', message })));
        await setPlanStatus(w.tx, a.schoolId, planId, 'active', {
          agreedOn: input.agreedOn,
          agreedWith: input.agreedWith,
          agreedByName: a.name,
          sharedWithParentsOn: input.sharedWithParentsOn,
        });
        w.audit('plan.agreed', {
          pupilId: found.plan.pupilId,
          detail: { planId, agreedWith: input.agreedWith },
        });
      });
    },

    /** Record the day the plan was shared with parents (for a plan agreed without it). */
    async recordShared(actor: Actor, planId: string, version: number, sharedOn: IsoDate) {
      const a = requireSection(actor, 'plans', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, { lock: true });
        if (found.plan.version !== version) throw new ConflictError(STALE);
        if (found.plan.status === 'draft' || found.plan.status === 'closed' || !found.actions.edit) {
          throw new ValidationError([
            { field: 'form', message: 'Only a plan in place can be recorded as shared' },
          ]);
        }
        if (sharedOn > clock.today())
          throw new ValidationError([
            { field: 'sharedOn', message: 'The date must be today or in the past' },
          ]);
        await updatePlan(w.tx, a.schoolId, planId, version, { sharedWithParentsOn: sharedOn });
        w.audit('plan.shared', { pupilId: found.plan.pupilId, detail: { planId, sharedOn } });
      });
    },

    /** Add a dated note to the working document: any adult who works with the pupil. */
    async addNote(
      actor: Actor,
      planId: string,
      input: { targetId: string | null; writtenOn: IsoDate; body: string },
    ): Promise<string> {
      const a = requireSection(actor, 'plans', 'contribute');
      const id = randomUUID();
      await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId);
        if (!found.actions.addNote) {
          throw new ValidationError([
            {
              field: 'body',
              message:
                found.plan.status === 'closed'
                  ? 'This plan is closed: add notes to the pupil’s current plan'
                  : 'Notes are added once the plan is in place',
            },
          ]);
        }
        if (input.writtenOn > clock.today())
          throw new ValidationError([
            { field: 'writtenOn', message: 'The date of the note must be today or in the past' },
          ]);
        if (found.plan.startDate && input.writtenOn < found.plan.startDate) {
          throw new ValidationError([
            { field: 'writtenOn', message: 'The date of the note cannot be before the plan started' },
          ]);
        }
        if (input.targetId) {
          const targets = await targetsOfPlan(w.tx, a.schoolId, planId);
          if (!targets.some((t) => t.id === input.targetId))
            throw new ValidationError([{ field: 'targetId', message: 'Choose a target of this plan' }]);
        }
        await insertNotes(w.tx, [
          {
            schoolId: a.schoolId,
            id,
            planId,
            pupilId: found.plan.pupilId,
            targetId: input.targetId,
            writtenOn: input.writtenOn,
            body: input.body,
            authorId: a.userId,
            authorName: a.name,
            authorRoles: rolesLabel(a.roles),
          },
        ]);
        w.audit('plan.note_added', { pupilId: found.plan.pupilId, detail: { planId, noteId: id } });
      });
      return id;
    },

    /** Correct one's own note on the day it was written; afterwards a correction is a new note. */
    async correctNote(actor: Actor, planId: string, noteId: string, version: number, body: string) {
      const a = requireSection(actor, 'plans', 'contribute');
      await unitOfWork(db, a, async (w) => {
        const note = await findNote(w.tx, a.schoolId, noteId);
        if (!note) throw new NotFoundError('Note not found', { kind: 'note', id: noteId });
        // A note of this school reached through another plan's address: that plan is what is not found.
        if (note.planId !== planId) throw new NotFoundError('Plan not found', { kind: 'plan', id: planId });
        const found = await planFor(w.tx, a, note.planId);
        if (!noteIsEditable(note, a.userId, clock.today()) || !found.actions.addNote) {
          throw new ValidationError([
            {
              field: 'body',
              message:
                'A note can be changed only by its writer, on the day it was written: add a new note instead',
            },
          ]);
        }
        if (!(await updateNote(w.tx, a.schoolId, noteId, version, body))) throw new ConflictError(STALE);
        w.audit('plan.note_changed', { pupilId: note.pupilId, detail: { planId: note.planId, noteId } });
      });
    },

    /** Start the review of a plan in place. */
    async startReview(actor: Actor, planId: string, version: number) {
      const a = requireSection(requireCapability(actor, 'plans.review'), 'plans', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, { lock: true });
        if (found.plan.version !== version) throw new ConflictError(STALE);
        if (!found.actions.review || found.plan.status !== 'active') {
          throw new ValidationError([{ field: 'form', message: 'Only a plan in place can be reviewed' }]);
        }
        await setPlanStatus(w.tx, a.schoolId, planId, 'in_review');
        w.audit('plan.review_started', { pupilId: found.plan.pupilId, detail: { planId } });
      });
    },

    /**
     * Record the review: each target's outcome, the views, the judgement and the decision. A new plan
     * starts as a draft with the targets not met carried into it; moving to monitoring or off the
     * register goes through the register's own rules; agency, top-up and EHC decisions are recorded as
     * actions. The reviewed plan closes (or, extended, stays in place with a new review date).
     */
    async recordReview(
      actor: Actor,
      planId: string,
      version: number,
      input: ReviewInput,
    ): Promise<{ nextPlanId: string | null }> {
      const a = requireSection(requireCapability(actor, 'plans.review'), 'plans', 'write');
      const { reviewInterval } = await settings.values(a.schoolId);
      return unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, { lock: true });
        if (found.plan.version !== version) throw new ConflictError(STALE);
        if (!found.actions.review || (found.plan.status !== 'active' && found.plan.status !== 'in_review')) {
          throw new ValidationError([{ field: 'form', message: 'Only a plan in place can be reviewed' }]);
        }
        const errors: FieldError[] = [];
        if (input.heldOn > clock.today())
          errors.push({ field: 'heldOn', message: 'The date of the review must be today or in the past' });
        if (found.plan.startDate && input.heldOn < found.plan.startDate)
          errors.push({ field: 'heldOn', message: 'The review cannot be before the plan started' });
        const targets = await targetsOfPlan(w.tx, a.schoolId, planId);
        for (const t of targets) {
          if (!input.outcomes.some((o) => o.targetId === t.id)) {
            errors.push({
              field: `outcome-${t.id}`,
              message: `Say whether target ${t.position} was achieved`,
            });
          }
        }
        if (input.outcomes.some((o) => !targets.some((t) => t.id === o.targetId))) {
          errors.push({
            field: 'form',
            message: 'The targets of this plan have changed: open the review again',
          });
        }
        if (input.decision === 'extend') {
          if (!input.extendedTo) errors.push({ field: 'extendedTo', message: 'Enter the new review date' });
          else if (input.extendedTo <= clock.today())
            errors.push({ field: 'extendedTo', message: 'The new review date must be in the future' });
        }
        const stage = decisionStage(input.decision);
        if (stage && found.pupil.senStage === 'ehc_plan') {
          errors.push({
            field: 'decision',
            message:
              'This pupil has an EHC plan: the local authority decides whether it ends (through the annual review)',
          });
        }
        if (errors.length > 0) throw new ValidationError(errors);

        await setTargetOutcomes(w.tx, a.schoolId, input.outcomes);
        let nextPlanId: string | null = null;
        if (decisionStartsNewPlan(input.decision)) {
          nextPlanId = randomUUID();
          const start = clock.today();
          await insertPlans(w.tx, [
            {
              schoolId: a.schoolId,
              id: nextPlanId,
              pupilId: found.plan.pupilId,
              cycle: await nextCycle(w.tx, a.schoolId, found.plan.pupilId),
              status: 'draft',
              needAreas: found.plan.needAreas,
              strengths: found.plan.strengths,
              areasOfConcern: found.plan.areasOfConcern,
              desiredOutcomes: found.plan.desiredOutcomes,
              qualityFirst: found.plan.qualityFirst,
              interventions: found.plan.interventions,
              taSupport: found.plan.taSupport,
              resources: found.plan.resources,
              parentPupilContribution: found.plan.parentPupilContribution,
              parentsSupportAtHome: found.plan.parentsSupportAtHome,
              startDate: start,
              reviewDate: defaultReviewDate(start, reviewInterval),
              ownerId: found.plan.ownerId,
              ownerName: found.plan.ownerName,
              previousPlanId: planId,
              createdBy: a.userId,
              createdByName: a.name,
            },
          ]);
          const outcomeOf = new Map(input.outcomes.map((o) => [o.targetId, o.outcome]));
          const carried = targets.filter((t) => carriesForward(outcomeOf.get(t.id) ?? null));
          await insertTargets(
            w.tx,
            carried.map((t, i) => ({
              schoolId: a.schoolId,
              id: randomUUID(),
              planId: nextPlanId!,
              pupilId: found.plan.pupilId,
              position: i + 1,
              area: t.area,
              target: t.target,
              achievementCriteria: t.achievementCriteria,
              resourcesAndTechniques: t.resourcesAndTechniques,
              classStrategies: t.classStrategies,
              carriedFromId: t.id,
              bankEntryId: t.bankEntryId,
            })),
          );
          w.audit('plan.created', {
            pupilId: found.plan.pupilId,
            detail: { planId: nextPlanId, from: planId, carried: carried.length },
          });
        }
        const reviewId = randomUUID();
        await insertReviews(w.tx, [
          {
            schoolId: a.schoolId,
            id: reviewId,
            planId,
            pupilId: found.plan.pupilId,
            heldOn: input.heldOn,
            attendees: input.attendees,
            pupilViews: input.pupilViews,
            parentsViews: input.parentsViews,
            progress: input.progress,
            decision: input.decision,
            decisionNotes: input.decisionNotes,
            extendedTo: input.extendedTo,
            nextPlanId,
            reviewedBy: a.userId,
            reviewedByName: a.name,
          },
        ]);
        const action = decisionAction(input.decision);
        if (action) {
          await insertActions(w.tx, [
            {
              schoolId: a.schoolId,
              id: randomUUID(),
              pupilId: found.plan.pupilId,
              kind: action,
              planReviewId: reviewId,
              notes: input.decisionNotes,
              createdBy: a.userId,
              createdByName: a.name,
            },
          ]);
          w.audit('pupil.action_recorded', { pupilId: found.plan.pupilId, detail: { action, planId } });
        }
        if (stage) {
          const pupilRow = await changePupilRow(w.tx, a, found.plan.pupilId);
          if (pupilRow.senStage !== stage) {
            await applyRegisterChange(
              w.tx,
              a,
              pupilRow,
              { stage, primaryNeed: null, secondaryNeed: null },
              input.heldOn,
              `Plan review: ${input.decisionNotes ?? ''}`.trim(),
              'register_review',
            );
            w.audit('register.changed', {
              pupilId: found.plan.pupilId,
              detail: { from: pupilRow.senStage, to: stage, planId },
            });
          }
        }
        if (input.decision === 'extend') {
          await setPlanStatus(w.tx, a.schoolId, planId, 'active', { reviewDate: input.extendedTo });
        } else {
          // The pupil as the plan knew them, read before the decision moved them.
          await setPlanStatus(w.tx, a.schoolId, planId, 'closed', {
            closedByName: a.name,
            pupilAtClose: pupilSnapshot(found.pupil, clock.today(), found.pupil.rolledOverTo),
          });
        }
        w.audit('plan.reviewed', {
          pupilId: found.plan.pupilId,
          detail: { planId, decision: input.decision, progress: input.progress },
        });
        return { nextPlanId };
      });
    },

    /** Abandon a draft (it stays readable, closed). */
    async closeDraft(actor: Actor, planId: string, version: number) {
      const a = requireSection(actor, 'plans', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, { lock: true });
        if (found.plan.version !== version) throw new ConflictError(STALE);
        if (found.plan.status !== 'draft' || !found.actions.edit) {
          throw new ValidationError([
            {
              field: 'form',
              message: 'Only a draft can be closed like this: a plan in place is closed by its review',
            },
          ]);
        }
        await setPlanStatus(w.tx, a.schoolId, planId, 'closed', {
          closedByName: a.name,
          pupilAtClose: pupilSnapshot(found.pupil, clock.today(), found.pupil.rolledOverTo),
        });
        w.audit('plan.closed', { pupilId: found.plan.pupilId, detail: { planId, draft: true } });
      });
    },

    /**
     * A plan for one of its forms (change it, agree it, add a note, review it…): the actor must reach
     * the plan at the level the form needs (else "not found"), and its status must allow the form
     * (else a plain reason). Opening the form is audited; showing it again after an error is not.
     */
    async forForm(
      actor: Actor,
      planId: string,
      form: PlanForm,
      options: { audit: boolean } = { audit: true },
    ) {
      const reviewing = form === 'review' || form === 'startReview';
      const a = requireSection(
        reviewing ? requireCapability(actor, 'plans.review') : actor,
        'plans',
        form === 'addNote' ? 'contribute' : 'write',
      );
      const page = await loadPlan(a, planId);
      if (!atLeast(page.access.plans, form === 'addNote' ? 'contribute' : 'write')) {
        throw new NotFoundError('Plan not found', { kind: 'plan', id: planId });
      }
      const problem = formProblem(page, form);
      if (problem) throw new ValidationError([{ field: 'form', message: problem }]);
      if (options.audit) {
        await audit(db, a, 'pupil.opened_form', {
          pupilId: page.plan.pupilId,
          detail: { form: FORM_AUDIT_NAMES[form], planId },
        });
      }
      return page;
    },

    /** A note its writer may correct today, with its plan. */
    async noteForCorrection(
      actor: Actor,
      planId: string,
      noteId: string,
      options: { audit: boolean } = { audit: true },
    ) {
      const a = requireSection(actor, 'plans', 'contribute');
      const note = await findNote(db, a.schoolId, noteId);
      if (!note) throw new NotFoundError('Note not found', { kind: 'note', id: noteId });
      if (note.planId !== planId) throw new NotFoundError('Plan not found', { kind: 'plan', id: planId });
      const page = await loadPlan(a, planId);
      if (!noteIsEditable(note, a.userId, clock.today()) || !page.actions.addNote) {
        throw new ValidationError([
          {
            field: 'form',
            message:
              'A note can be changed only by its writer, on the day it was written: add a new note instead',
          },
        ]);
      }
      if (options.audit) {
        await audit(db, a, 'pupil.opened_form', {
          pupilId: page.plan.pupilId,
          detail: { form: 'correct a note on the support plan', planId, noteId },
        });
      }
      return { ...page, note };
    },

    /** The plan to print or download, with the school's name; audited as printed. */
    async print(actor: Actor, planId: string, format: 'html' | 'pdf') {
      const a = requireSection(actor, 'plans');
      const page = await loadPlan(a, planId);
      const school = await findSchool(db, a.schoolId);
      await audit(db, a, 'plan.printed', {
        pupilId: page.plan.pupilId,
        detail: { planId, format, provisionShown: page.provision !== null },
      });
      return { ...page, schoolName: school?.name ?? '' };
    },
  };
}

/** The plan's pupil, locked for a change of stage, and reached by the reviewer's register grant. */
async function changePupilRow(tx: Executor, a: SchoolActor, pupilId: string) {
  const found = await findPupilWithReach(tx, scopeOf(a), pupilId, { lock: true });
  if (!found || !atLeast(sectionAccess(a.roles, found.reaches).register, 'write')) {
    throw new ValidationError([
      {
        field: 'decision',
        message: 'Only the SENCo or head teacher can change a pupil’s place on the register',
      },
    ]);
  }
  if (!onRegister(found.pupil.senStage) && found.pupil.senStage !== 'monitoring') {
    throw new ValidationError([{ field: 'decision', message: 'This pupil is not on the register' }]);
  }
  return found.pupil;
}

export type PlanService = ReturnType<typeof createPlanService>;
export type { PlanStatus };
