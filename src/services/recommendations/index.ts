import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';

import {
  PLAN_STRATEGY_FIELD_LABELS,
  type PlanStrategyField,
  type RecommendationUse,
  recommendationSource,
  recommendationStandings,
  withStrategy,
} from '../../domain/agencies.ts';
import type { AreaOfNeed } from '../../domain/census.ts';
import { formatDate, type IsoDate } from '../../domain/dates.ts';
import { hasEnded } from '../../domain/provision-rules.ts';
import { pupilReferralActions, recommendationActions } from '../../policies/agencies.ts';
import { planActions } from '../../policies/plan.ts';
import {
  findRecommendation,
  insertRecommendationUses,
  recommendationUsesOfPupil,
} from '../../repositories/agencies.ts';
import {
  insertTargets,
  plansOfPupil,
  type TargetRow,
  targetsOfPlan,
  updatePlan,
} from '../../repositories/plans.ts';
import { groupsOfSchool, provisionOfPupil } from '../../repositories/provision.ts';
import type { PupilRow } from '../../repositories/pupils.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil, unitOfWork, type Work } from '../kernel/unit-of-work.ts';
import { planFor, STALE } from '../plans/common.ts';
import type { createSettings } from '../plans/settings.ts';
import { type GroupInput, joinGroupIn, startGroupIn } from '../provision/groups.ts';

/*
 * Recommendations of outside agencies into the plan and the provision (docs/adr/0033): from a
 * recommendation, the class teacher or SENCo puts it into the pupil's current plan as a target or a
 * strategy, and the SENCo or head into the provision (the pupil joins a group, or a group starts for
 * them). Each use carries where it came from and writes its `recommendation_use` row in the same unit
 * of work as the change, audited.
 */

/** A target as the use form writes it: the recommendation's words, changed as the teacher sees fit. */
export interface RecommendedTargetInput {
  area: AreaOfNeed | null;
  target: string;
  achievementCriteria: string | null;
  resourcesAndTechniques: string | null;
  classStrategies: string | null;
}

const notFound = (id: string) =>
  new NotFoundError('Recommendation not found', { kind: 'recommendation', id });

const fullName = (p: { forename: string; surname: string }) => `${p.forename} ${p.surname}`;

/** The plan a recommendation goes into: the pupil's draft, else the plan in place if it may be changed. */
function planToUse(plans: Awaited<ReturnType<typeof plansOfPupil>>) {
  return (
    [...plans].reverse().find((p) => p.status === 'draft') ??
    plans.find((p) => p.status === 'active' || p.status === 'in_review') ??
    null
  );
}

export function createRecommendationService(
  database: Database,
  clock: Clock,
  settings: ReturnType<typeof createSettings>,
) {
  const { db } = database;

  /**
   * A recommendation the actor may read (they read the pupil's plans: advice is for the plan), with its
   * report, its pupil and the actor's access; "not found" otherwise, another school's included.
   */
  async function readable(tx: Executor, a: SchoolActor, recommendationId: string) {
    const found = await findRecommendation(tx, a.schoolId, recommendationId);
    if (!found) throw notFound(recommendationId);
    let pupil: Awaited<ReturnType<typeof pupilFor>>;
    try {
      pupil = await pupilFor(tx, a, found.recommendation.pupilId, { section: 'plans' });
    } catch (error) {
      if (error instanceof NotFoundError) throw notFound(recommendationId);
      throw error;
    }
    if (!pupilReferralActions(a, { pupil: pupil.pupil }, { access: pupil.access }).readRecommendations)
      throw notFound(recommendationId);
    return {
      ...found,
      source: recommendationSource(found.report),
      pupil: pupil.pupil,
      className: pupil.className,
      access: pupil.access,
    };
  }

  /** A leaver's recommendations are kept to read; none can be used. */
  function refuseLeaver(pupil: PupilRow) {
    if (pupil.leftOn)
      throw new ValidationError([
        {
          field: 'form',
          message: `${fullName(pupil)} left the school on ${formatDate(pupil.leftOn)}: their recommendations are kept to read, and can no longer be used`,
        },
      ]);
  }

  /** This recommendation already in this plan (a target still there, or a strategy still in its part)? */
  function alreadyInPlan(
    rec: { id: string; text: string },
    source: string,
    plan: { id: string; qualityFirst: string | null; interventions: string | null; taSupport: string | null },
    targets: TargetRow[],
    uses: Awaited<ReturnType<typeof recommendationUsesOfPupil>>,
  ): string | null {
    const standing = recommendationStandings(
      [{ id: rec.id, text: rec.text, source }],
      {
        id: plan.id,
        targets,
        fields: {
          qualityFirst: plan.qualityFirst,
          interventions: plan.interventions,
          taSupport: plan.taSupport,
        },
      },
      uses,
    ).get(rec.id)?.inPlan;
    if (!standing) return null;
    return standing.as === 'target'
      ? `This recommendation is already in this plan as target ${standing.position}: change that target instead`
      : `This recommendation is already in this plan, in “${PLAN_STRATEGY_FIELD_LABELS[standing.field]}”: change it there instead`;
  }

  /**
   * The plan a use goes into, locked: the pupil's own plan, which this actor may change, at the version
   * the form was opened with, without this recommendation already in it.
   */
  async function planForUse(
    w: Work,
    rec: Awaited<ReturnType<typeof readable>>,
    planId: string,
    version: number,
  ) {
    const a = w.actor;
    refuseLeaver(rec.pupil);
    const found = await planFor(w.tx, a, planId, clock.today(), { lock: true });
    if (found.plan.pupilId !== rec.pupil.id)
      throw new NotFoundError('Plan not found', { kind: 'plan', id: planId });
    if (!recommendationActions(a, rec, { access: found.access, left: false }).useInPlan)
      throw new NotFoundError('Plan not found', { kind: 'plan', id: planId });
    if (!found.actions.edit)
      throw new ValidationError([
        {
          field: 'form',
          message:
            found.plan.status === 'closed'
              ? 'This plan is closed: use the recommendation in the pupil’s current plan'
              : 'This plan is being reviewed: finish the review, then use the recommendation in the next plan',
        },
      ]);
    const targets = await targetsOfPlan(w.tx, a.schoolId, planId);
    if (found.plan.version !== version)
      throw new ConflictError(STALE, { ...found.plan, targets: targets.map((t) => t.target) });
    const uses = await recommendationUsesOfPupil(w.tx, a.schoolId, rec.pupil.id);
    const already = alreadyInPlan(rec.recommendation, rec.source, found.plan, targets, uses);
    if (already) throw new ValidationError([{ field: 'form', message: already }]);
    return { ...found, targets };
  }

  function useRow(
    a: SchoolActor,
    rec: Awaited<ReturnType<typeof readable>>,
    usedAs: RecommendationUse,
    link: {
      planId?: string;
      planTargetId?: string;
      planField?: PlanStrategyField;
      provisionGroupId?: string;
    },
  ) {
    return {
      schoolId: a.schoolId,
      id: randomUUID(),
      recommendationId: rec.recommendation.id,
      pupilId: rec.pupil.id,
      usedAs,
      planId: link.planId ?? null,
      planTargetId: link.planTargetId ?? null,
      planField: link.planField ?? null,
      provisionGroupId: link.provisionGroupId ?? null,
      usedBy: a.userId,
      usedByName: a.name,
    };
  }

  return {
    /**
     * The page of one recommendation: its report and source, where it has been used, the plan it would
     * go into (the draft, else the plan in place) and what the actor may do with it; for those who
     * manage provision, the groups running now. Audited as viewed.
     */
    async forUse(actor: Actor, recommendationId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'plans');
      const rec = await readable(db, a, recommendationId);
      const today = clock.today();
      const left = rec.pupil.leftOn !== null;
      const actions = recommendationActions(a, rec, { access: rec.access, left });
      const [plans, uses, planSettings] = await Promise.all([
        plansOfPupil(db, a.schoolId, rec.pupil.id),
        recommendationUsesOfPupil(db, a.schoolId, rec.pupil.id),
        settings.values(a.schoolId),
      ]);
      const plan = planToUse(plans);
      const planMay = plan ? planActions(a, { plan, pupil: rec.pupil }, { access: rec.access }) : null;
      const targets = plan ? await targetsOfPlan(db, a.schoolId, plan.id) : [];
      const standing = recommendationStandings(
        [{ id: rec.recommendation.id, text: rec.recommendation.text, source: rec.source }],
        plan && {
          id: plan.id,
          targets,
          fields: {
            qualityFirst: plan.qualityFirst,
            interventions: plan.interventions,
            taSupport: plan.taSupport,
          },
        },
        uses,
      ).get(rec.recommendation.id)!;
      const [groups, spells] = actions.useInProvision
        ? await Promise.all([
            groupsOfSchool(db, a.schoolId).then((all) => all.filter((g) => !hasEnded(g, today))),
            provisionOfPupil(db, a.schoolId, rec.pupil.id),
          ])
        : [[], []];
      const inNow = new Set(
        spells
          .filter((s) => s.joinedOn <= today && (s.leftOn === null || s.leftOn >= today))
          .map((s) => s.groupId),
      );
      if (options.audit)
        await audit(db, a, 'recommendation.viewed', {
          pupilId: rec.pupil.id,
          detail: { recommendationId, reportId: rec.report.id },
        });
      return {
        recommendation: rec.recommendation,
        report: rec.report,
        source: rec.source,
        pupil: rec.pupil,
        access: rec.access,
        left,
        standing,
        uses: uses.filter((u) => u.recommendationId === recommendationId),
        plan: plan && {
          ...plan,
          targets,
          /** The actor may put the recommendation into this plan now. */
          mayUse: actions.useInPlan && Boolean(planMay?.edit),
          full: targets.length >= planSettings.maxTargets,
        },
        planName: planSettings.planName,
        maxTargets: planSettings.maxTargets,
        actions: {
          ...actions,
          useInPlan: actions.useInPlan && Boolean(planMay?.edit) && standing.inPlan === null,
        },
        groups: groups.map((g) => ({
          id: g.id,
          name: g.name,
          interventionName: g.interventionName,
          startDate: g.startDate,
          endDate: g.endDate,
          /** The pupil is in it now. */
          member: inNow.has(g.id),
        })),
        today,
      };
    },

    /** Put a recommendation into the pupil's plan as a new target, carrying its source. Returns the target's id. */
    async useAsTarget(
      actor: Actor,
      recommendationId: string,
      input: { planId: string; version: number; target: RecommendedTargetInput },
    ): Promise<{ planId: string; targetId: string }> {
      const a = requireSection(actor, 'plans', 'write');
      const { maxTargets } = await settings.values(a.schoolId);
      return unitOfWork(db, a, async (w) => {
        const rec = await readable(w.tx, a, recommendationId);
        const found = await planForUse(w, rec, input.planId, input.version);
        if (found.targets.length >= maxTargets)
          throw new ValidationError([
            {
              field: 'form',
              message: `This plan already holds ${maxTargets} targets, the most your school allows: change the plan to remove one, or use the recommendation as a strategy`,
            },
          ]);
        if (!input.target.target.trim())
          throw new ValidationError([{ field: 'target', message: 'Enter the target' }]);
        const targetId = randomUUID();
        if (!(await updatePlan(w.tx, a.schoolId, input.planId, input.version, {})))
          throw new ConflictError(STALE, { ...found.plan });
        await insertTargets(w.tx, [
          {
            schoolId: a.schoolId,
            id: targetId,
            planId: input.planId,
            pupilId: rec.pupil.id,
            position: found.targets.length + 1,
            area: input.target.area,
            target: input.target.target.trim(),
            achievementCriteria: input.target.achievementCriteria,
            resourcesAndTechniques: input.target.resourcesAndTechniques,
            classStrategies: input.target.classStrategies,
            carriedFromId: null,
            bankEntryId: null,
            recommendationId,
            source: rec.source,
          },
        ]);
        await insertRecommendationUses(w.tx, [
          useRow(a, rec, 'target', { planId: input.planId, planTargetId: targetId }),
        ]);
        w.audit('recommendation.used', {
          pupilId: rec.pupil.id,
          detail: { recommendationId, usedAs: 'target', planId: input.planId, targetId },
        });
        w.audit('plan.changed', {
          pupilId: rec.pupil.id,
          detail: { planId: input.planId, targets: found.targets.length + 1, recommendationId },
        });
        return { planId: input.planId, targetId };
      });
    },

    /** Put a recommendation into one part of the pupil's plan as a strategy, its source after it. */
    async useAsStrategy(
      actor: Actor,
      recommendationId: string,
      input: { planId: string; version: number; field: PlanStrategyField },
    ): Promise<{ planId: string }> {
      const a = requireSection(actor, 'plans', 'write');
      return unitOfWork(db, a, async (w) => {
        const rec = await readable(w.tx, a, recommendationId);
        const found = await planForUse(w, rec, input.planId, input.version);
        const text = withStrategy(found.plan[input.field], rec.recommendation.text, rec.source);
        if (!(await updatePlan(w.tx, a.schoolId, input.planId, input.version, { [input.field]: text })))
          throw new ConflictError(STALE, { ...found.plan });
        await insertRecommendationUses(w.tx, [
          useRow(a, rec, 'strategy', { planId: input.planId, planField: input.field }),
        ]);
        w.audit('recommendation.used', {
          pupilId: rec.pupil.id,
          detail: { recommendationId, usedAs: 'strategy', planId: input.planId, field: input.field },
        });
        w.audit('plan.changed', {
          pupilId: rec.pupil.id,
          detail: { planId: input.planId, recommendationId, field: input.field },
        });
        return { planId: input.planId };
      });
    },

    /** The pupil joins a provision group running now, because of the recommendation (SENCo, head). */
    async joinGroup(
      actor: Actor,
      recommendationId: string,
      input: { groupId: string; joinedOn: IsoDate },
    ): Promise<{ groupId: string }> {
      const a = requireCapability(actor, 'provision.manage');
      const first = await readable(db, a, recommendationId);
      refuseLeaver(first.pupil);
      return changePupil(db, a, first.pupil.id, { section: 'provision', level: 'write' }, async (w) => {
        const rec = await readable(w.tx, a, recommendationId);
        if (!recommendationActions(a, rec, { access: w.access, left: false }).useInProvision)
          throw notFound(recommendationId);
        const group = await joinGroupIn(w, input.groupId, input.joinedOn, clock.today());
        await insertRecommendationUses(w.tx, [
          useRow(a, rec, 'provision', { provisionGroupId: input.groupId }),
        ]);
        w.audit('recommendation.used', {
          pupilId: rec.pupil.id,
          detail: { recommendationId, usedAs: 'provision', groupId: input.groupId, name: group.name },
        });
        return { groupId: input.groupId };
      });
    },

    /**
     * What the new-group form starts from when a group is started for a recommendation: its words, the
     * pupil, the agency (SENCo, head). Audited as the recommendation viewed when the form opens.
     */
    async forNewGroup(actor: Actor, recommendationId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'provision.manage');
      const rec = await readable(db, a, recommendationId);
      refuseLeaver(rec.pupil);
      if (options.audit)
        await audit(db, a, 'recommendation.viewed', {
          pupilId: rec.pupil.id,
          detail: { recommendationId, reportId: rec.report.id, form: 'start a group' },
        });
      return {
        recommendation: rec.recommendation,
        report: rec.report,
        source: rec.source,
        pupil: { id: rec.pupil.id, forename: rec.pupil.forename, surname: rec.pupil.surname },
      };
    },

    /** Start a provision group for the recommendation, the pupil among its pupils (SENCo, head). */
    async startGroup(
      actor: Actor,
      recommendationId: string,
      input: GroupInput & { interventionId: string; pupilIds: string[] },
    ): Promise<string> {
      const a = requireCapability(actor, 'provision.manage');
      return unitOfWork(db, a, async (w) => {
        const rec = await readable(w.tx, a, recommendationId);
        refuseLeaver(rec.pupil);
        if (!recommendationActions(a, rec, { access: rec.access, left: false }).useInProvision)
          throw notFound(recommendationId);
        if (!input.pupilIds.includes(rec.pupil.id))
          throw new ValidationError([
            {
              field: 'pupilIds',
              message: `Select ${fullName(rec.pupil)}: the group is started for the recommendation made for them`,
            },
          ]);
        const groupId = await startGroupIn(w, input);
        await insertRecommendationUses(w.tx, [useRow(a, rec, 'provision', { provisionGroupId: groupId })]);
        w.audit('recommendation.used', {
          pupilId: rec.pupil.id,
          detail: { recommendationId, usedAs: 'provision', groupId, name: input.name, started: true },
        });
        return groupId;
      });
    },
  };
}

export type RecommendationService = ReturnType<typeof createRecommendationService>;
