import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { AreaOfNeed } from '../../domain/census.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { canMove, planDateProblems, pupilSnapshot, readinessProblems } from '../../domain/plans.ts';
import {
  countBankUse,
  findBankEntries,
  insertBankEntries,
  replaceTargets,
  setPlanStatus,
  type TargetInsert,
  targetsOfPlan,
  updatePlan,
} from '../../repositories/plans.ts';
import { queueFamilyMail } from '../family/mail.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil, unitOfWork } from '../kernel/unit-of-work.ts';
import { type PlanSettings, planFor, STALE } from './common.ts';
import { startDraftPlan } from './start.ts';

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

/** The targets as written: no more than the school allows, none left empty. */
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

/** Where a kept target came from: carried from the last plan, an agency's advice, an EHC plan's outcome. */
type KeptSource = Pick<
  TargetInsert,
  'carriedFromId' | 'recommendationId' | 'source' | 'ehcPlanId' | 'ehcSummaryId' | 'ehcOutcomeId'
>;

/** The plan's targets as rows, in order: a kept target keeps its id and where it was carried from. */
function targetRows(
  a: SchoolActor,
  planId: string,
  pupilId: string,
  targets: TargetInput[],
  keep: Map<string, KeptSource>,
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
    // A target taken from an outside agency's recommendation keeps where it came from as it is reworded.
    recommendationId: t.id ? (keep.get(t.id)?.recommendationId ?? null) : null,
    source: t.id ? (keep.get(t.id)?.source ?? null) : null,
    // So does a target taken from an outcome of the pupil's EHC plan.
    ehcPlanId: t.id ? (keep.get(t.id)?.ehcPlanId ?? null) : null,
    ehcSummaryId: t.id ? (keep.get(t.id)?.ehcSummaryId ?? null) : null,
    ehcOutcomeId: t.id ? (keep.get(t.id)?.ehcOutcomeId ?? null) : null,
  }));
}

/** Drafting a plan and putting it in place: start a draft, change it, agree it, record it shared, or abandon it. */
export function createDrafting(
  database: Database,
  clock: Clock,
  settings: PlanSettings,
  mail: MailContext = NO_MAIL_CONTEXT,
) {
  const { db } = database;
  return {
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

    /** Save the plan and its targets (a draft, or a plan in place), with optimistic locking. */
    async update(actor: Actor, planId: string, version: number, input: PlanInput): Promise<void> {
      const a = requireSection(actor, 'plans', 'write');
      const { maxTargets } = await settings.values(a.schoolId);
      await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, clock.today(), { lock: true });
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
        const keep = new Map(
          existing.map((t) => [
            t.id,
            {
              carriedFromId: t.carriedFromId,
              recommendationId: t.recommendationId,
              source: t.source,
              ehcPlanId: t.ehcPlanId,
              ehcSummaryId: t.ehcSummaryId,
              ehcOutcomeId: t.ehcOutcomeId,
            },
          ]),
        );
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

    /**
     * Agree a draft with the parents and the pupil and put it in place (one in place per pupil). The
     * parents with an account can read it online from now: they hear of it by email.
     */
    async agree(
      actor: Actor,
      planId: string,
      version: number,
      input: { agreedOn: IsoDate; agreedWith: string; sharedWithParentsOn: IsoDate | null },
    ) {
      const a = requireSection(actor, 'plans', 'write');
      const { maxTargets } = await settings.values(a.schoolId);
      const mailed = await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, clock.today(), { lock: true });
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
        const queued = await queueFamilyMail(w.tx, {
          schoolId: a.schoolId,
          pupilId: found.plan.pupilId,
          kind: 'family.plan_shared',
          values: { link: `${mail.publicUrl}/children/${found.plan.pupilId}/plan` },
        });
        w.audit('plan.agreed', {
          pupilId: found.plan.pupilId,
          detail: {
            planId,
            agreedWith: input.agreedWith,
            ...(queued.length > 0 ? { parentsEmailed: queued.length } : {}),
          },
        });
        return queued.length;
      });
      if (mailed > 0) mail.jobsQueued();
    },

    /** Record the day the plan was shared with parents (for a plan agreed without it). */
    async recordShared(actor: Actor, planId: string, version: number, sharedOn: IsoDate) {
      const a = requireSection(actor, 'plans', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, clock.today(), { lock: true });
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

    /** Abandon a draft (it stays readable, closed). */
    async closeDraft(actor: Actor, planId: string, version: number) {
      const a = requireSection(actor, 'plans', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, clock.today(), { lock: true });
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
  };
}
