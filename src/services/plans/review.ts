import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { atLeast, sectionAccess } from '../../domain/access.ts';
import { formatDate, type IsoDate } from '../../domain/dates.ts';
import {
  carriesForward,
  decisionAction,
  decisionStage,
  decisionStartsNewPlan,
  defaultReviewDate,
  type ProgressJudgement,
  pupilSnapshot,
  type ReviewDecision,
  type TargetOutcome,
} from '../../domain/plans.ts';
import { onRegister } from '../../domain/register.ts';
import {
  insertActions,
  insertPlans,
  insertReviews,
  insertTargets,
  nextCycle,
  setPlanStatus,
  setTargetOutcomes,
  targetsOfPlan,
} from '../../repositories/plans.ts';
import { findPupilWithReach } from '../../repositories/pupils.ts';
import { queueFamilyMail } from '../family/mail.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, ValidationError } from '../kernel/errors.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';
import { applyRegisterChange } from '../register/apply-change.ts';
import { type PlanSettings, planFor, STALE } from './common.ts';

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

/**
 * Review (the end of the turn): start the review of a plan in place, then record it, which closes the
 * plan or extends it, and may start the next plan or move the pupil on the register.
 */
export function createPlanReview(
  database: Database,
  clock: Clock,
  settings: PlanSettings,
  mail: MailContext = NO_MAIL_CONTEXT,
) {
  const { db } = database;
  return {
    /** Start the review of a plan in place: the parents with an account are invited to give their views. */
    async startReview(actor: Actor, planId: string, version: number) {
      const a = requireSection(requireCapability(actor, 'plans.review'), 'plans', 'write');
      const mailed = await unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, clock.today(), { lock: true });
        if (found.plan.version !== version) throw new ConflictError(STALE);
        if (!found.actions.review || found.plan.status !== 'active') {
          throw new ValidationError([{ field: 'form', message: 'Only a plan in place can be reviewed' }]);
        }
        await setPlanStatus(w.tx, a.schoolId, planId, 'in_review');
        const pupilId = found.plan.pupilId;
        const queued = await queueFamilyMail(w.tx, {
          schoolId: a.schoolId,
          pupilId,
          kind: 'family.views_invited',
          values: {
            link: `${mail.publicUrl}/children/${pupilId}/plans/${planId}/views`,
            ...(found.plan.reviewDate ? { date: formatDate(found.plan.reviewDate) } : {}),
          },
        });
        w.audit('plan.review_started', {
          pupilId,
          detail: { planId, ...(queued.length > 0 ? { parentsEmailed: queued.length } : {}) },
        });
        return queued.length;
      });
      if (mailed > 0) mail.jobsQueued();
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
        const found = await planFor(w.tx, a, planId, clock.today(), { lock: true });
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
              recommendationId: t.recommendationId,
              source: t.source,
              ehcPlanId: t.ehcPlanId,
              ehcSummaryId: t.ehcSummaryId,
              ehcOutcomeId: t.ehcOutcomeId,
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
