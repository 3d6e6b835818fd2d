import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { sectionAccess } from '../../domain/access.ts';
import { formatDate, type IsoDate } from '../../domain/dates.ts';
import type { PlanOutcome, PlanProvision, PlanSections } from '../../domain/ehc-plan.ts';
import { pupilProvision } from '../../domain/provision-summary.ts';
import { pupilEhcPlanActions } from '../../policies/ehc.ts';
import {
  currentSummariesOfSchool,
  deleteProvisionLink,
  finalPlansOfSchool,
  findSummary,
  insertProvisionLink,
  insertSummary,
  provisionLinksOfPupils,
  schoolPlansOfPupils,
  updateSummary,
} from '../../repositories/ehc-plan-school.ts';
import { summariesOfPupil } from '../../repositories/ehc-plans.ts';
import { readStoredFile } from '../../repositories/files.ts';
import { insertTargets, targetsOfPlan, updatePlan } from '../../repositories/plans.ts';
import { groupsOfSchool, provisionOfPupils } from '../../repositories/provision.ts';
import { findPupilWithReach, type PupilRow } from '../../repositories/pupils.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { storeFile } from '../kernel/files.ts';
import { changePupil, unitOfWork } from '../kernel/unit-of-work.ts';
import type { PlanSettings } from '../plans/common.ts';
import { planFor, STALE } from '../plans/common.ts';
import { thresholdFor } from '../provision/common.ts';

/*
 * The school's side of its pupils' EHC plans (docs/adr/0038): the final plan as the authority issued it
 * (never a draft) for the SENCo, the head and the class teacher of the pupil's class; its outcomes in E
 * taken as targets of the school's support plan, each carrying where it came from; the provision in F
 * beside what each pupil receives in the school's groups, an item linked to the group that delivers it
 * so that provision required and not delivered is found; and a plan from another authority recorded by
 * the school from its PDF until the authority's own record is on OpenSEND. Every call authorises by the
 * pupil through policies/ehc.ts; every read and change is audited on the school's chain.
 */

/** The plan a school works from: the authority's (final or ceased) or the school's summary of one. */
export type PlanSource =
  | { kind: 'plan'; organisationId: string; planId: string }
  | { kind: 'summary'; summaryId: string };

export interface SummaryProvisionInput {
  what: string;
  who: string;
  frequency: string;
  duration: string;
}

export interface SummaryInput {
  localAuthorityName: string;
  issuedOn: IsoDate;
  lastReviewOn: IsoDate | null;
  outcomes: string[];
  provision: SummaryProvisionInput[];
  /** The plan's PDF as uploaded (required when recording). */
  file: { name: string; bytes: Buffer } | null;
}

export interface SchoolPlanOutcome {
  id: string;
  ref: string;
  text: string;
  by: IsoDate | null;
}

export interface SchoolPlanProvision {
  id: string;
  ref: string;
  what: string;
  who: string;
  frequency: string;
  duration: string;
}

const NOT_FOUND_PUPIL = (id: string) => new NotFoundError('Pupil not found', { kind: 'pupil', id });
const SUMMARY_NOT_FOUND = (id: string) =>
  new NotFoundError('EHC plan summary not found', { kind: 'ehc_plan_summary', id });
const fullName = (p: { forename: string; surname: string }) => `${p.forename} ${p.surname}`;

/** The outcomes of a plan's section E, numbered as the plan numbers them. */
export function outcomesOf(sections: PlanSections): SchoolPlanOutcome[] {
  return sections.e.outcomes.map((o: PlanOutcome, i) => ({
    id: o.id,
    ref: `E${i + 1}`,
    text: o.text,
    by: o.by,
  }));
}

/** The provision of a plan's section F, numbered as the plan numbers it. */
export function provisionOf(sections: PlanSections): SchoolPlanProvision[] {
  return sections.f.provision.map((p: PlanProvision, i) => ({
    id: p.id,
    ref: `F${i + 1}`,
    what: p.what,
    who: p.who,
    frequency: p.frequency,
    duration: p.duration,
  }));
}

/** A summary's outcomes and provision, numbered as the school entered them. */
function summaryOutcomes(s: { outcomes: { id: string; text: string }[] }): SchoolPlanOutcome[] {
  return s.outcomes.map((o, i) => ({ id: o.id, ref: `E${i + 1}`, text: o.text, by: null }));
}
function summaryProvision(s: {
  provision: { id: string; what: string; who: string; frequency: string; duration: string }[];
}): SchoolPlanProvision[] {
  return s.provision.map((p, i) => ({ ...p, ref: `F${i + 1}` }));
}

/** Where a target taken from an outcome came from, in words kept on the target. */
export function outcomeSource(
  outcome: { ref: string },
  plan: { authorityName: string; issuedOn: IsoDate | null; summary: boolean },
): string {
  const issued = plan.issuedOn ? `, issued ${formatDate(plan.issuedOn)}` : '';
  return `Outcome ${outcome.ref} of the EHC plan (${plan.authorityName}${issued}${plan.summary ? ', as the school recorded it' : ''})`;
}

/** Trim, drop control characters (keeping line breaks), and refuse the empty. */
function clean(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  return value.replace(/[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();
}

export function summaryProblems(input: SummaryInput, today: IsoDate, recording: boolean) {
  const errors: { field: string; message: string }[] = [];
  if (!clean(input.localAuthorityName))
    errors.push({
      field: 'localAuthorityName',
      message: 'Enter the name of the local authority that issued the plan',
    });
  if (input.issuedOn > today)
    errors.push({ field: 'issuedOn', message: 'The date the plan was issued must be today or in the past' });
  if (input.lastReviewOn && input.lastReviewOn > today)
    errors.push({
      field: 'lastReviewOn',
      message: 'The date of the last annual review must be today or in the past',
    });
  if (input.lastReviewOn && input.lastReviewOn < input.issuedOn)
    errors.push({
      field: 'lastReviewOn',
      message: 'The last annual review must be on or after the day the plan was issued',
    });
  if (input.outcomes.filter((o) => clean(o)).length === 0)
    errors.push({ field: 'outcomes', message: 'Enter the outcomes in section E, one on each line' });
  input.provision.forEach((p, i) => {
    const filled = [p.what, p.who, p.frequency, p.duration].some((v) => clean(v));
    if (filled && !clean(p.what))
      errors.push({
        field: `provision${i + 1}-what`,
        message: `Enter what item ${i + 1} of the provision is, or clear the item`,
      });
  });
  if (recording && !input.file) errors.push({ field: 'file', message: 'Choose the plan’s PDF to upload' });
  return errors;
}

export function createSchoolPlanService(database: Database, clock: Clock, settings: PlanSettings) {
  const { db } = database;

  /** The pupil with the actor's access and what they may do with the pupil's EHC plan; "not found" otherwise. */
  async function pupilWithPlanActions(
    tx: Executor,
    a: SchoolActor,
    pupilId: string,
    options: { lock?: boolean } = {},
  ) {
    const found = await findPupilWithReach(tx, scopeOf(a), pupilId, options);
    if (!found) throw NOT_FOUND_PUPIL(pupilId);
    const access = sectionAccess(a.roles, found.reaches);
    const actions = pupilEhcPlanActions(a, { pupil: found.pupil, reaches: found.reaches }, { access });
    if (!actions.readPanel) throw NOT_FOUND_PUPIL(pupilId);
    return { pupil: found.pupil, className: found.className, access, actions };
  }

  /** The pupil's current plan to work from: the authority's final plan, else the school's current summary. */
  async function currentPlanOf(tx: Executor, schoolId: string, p: PupilRow) {
    const [plans, summaries] = await Promise.all([
      schoolPlansOfPupils(tx, schoolId, [p.id]),
      currentSummaryRows(tx, schoolId, p.id),
    ]);
    const plan = plans.find((x) => x.plan.status === 'final') ?? null;
    if (plan)
      return {
        source: {
          kind: 'plan',
          organisationId: plan.plan.organisationId,
          planId: plan.plan.id,
        } as PlanSource,
        authorityName: plan.authorityName,
        issuedOn: plan.version.issuedOn,
        outcomes: outcomesOf(plan.version.sections),
        provision: provisionOf(plan.version.sections),
        summary: false,
      };
    const summary = summaries[0];
    if (summary)
      return {
        source: { kind: 'summary', summaryId: summary.id } as PlanSource,
        authorityName: summary.localAuthorityName,
        issuedOn: summary.issuedOn,
        outcomes: summaryOutcomes(summary),
        provision: summaryProvision(summary),
        summary: true,
      };
    return null;
  }

  async function currentSummaryRows(tx: Executor, schoolId: string, pupilId: string) {
    return (await summariesOfPupil(tx, schoolId, pupilId)).filter((s) => s.endedOn === null);
  }

  return {
    /**
     * The pupil's EHC plan as the school sees it: the final plan (or the last one, ceased) with its
     * sections as issued, never a draft; the school's summaries of plans from other authorities; and
     * what the actor may do. Audited as a view of the pupil's record.
     */
    async pupilPlan(actor: Actor, pupilId: string) {
      const a = requireSection(actor, 'ehc');
      const found = await pupilWithPlanActions(db, a, pupilId);
      if (!found.actions.readPlan) throw NOT_FOUND_PUPIL(pupilId);
      const [plans, summaries] = await Promise.all([
        schoolPlansOfPupils(db, a.schoolId, [pupilId]),
        summariesOfPupil(db, a.schoolId, pupilId),
      ]);
      const plan = plans[0] ?? null;
      await audit(db, a, 'ehc_plan.viewed_by_school', {
        pupilId,
        detail: plan
          ? { organisationId: plan.plan.organisationId, planId: plan.plan.id, version: plan.version.number }
          : { summaries: summaries.map((s) => s.id) },
      });
      return {
        pupil: found.pupil,
        className: found.className,
        actions: found.actions,
        plan: plan && {
          organisationId: plan.plan.organisationId,
          id: plan.plan.id,
          status: plan.plan.status,
          startedOn: plan.plan.startedOn,
          lastReviewOn: plan.plan.lastReviewOn,
          reviewDueOn: plan.plan.reviewDueOn,
          ceasedOn: plan.plan.ceasedOn,
          ceaseReason: plan.plan.ceaseReason,
          authorityName: plan.authorityName,
          version: plan.version.number,
          issuedOn: plan.version.issuedOn,
          reason: plan.version.reason,
          sections: plan.version.sections,
        },
        summaries,
        today: clock.today(),
      };
    },

    /**
     * What the PDF of the pupil's plan is made from (the version now final, or the last one of a ceased
     * plan, as issued), for whoever reads the plan. Audited as a download.
     */
    async pupilPlanDocument(actor: Actor, pupilId: string) {
      const a = requireSection(actor, 'ehc');
      const found = await pupilWithPlanActions(db, a, pupilId);
      if (!found.actions.readPlan) throw NOT_FOUND_PUPIL(pupilId);
      const [plan] = await schoolPlansOfPupils(db, a.schoolId, [pupilId]);
      if (plan?.version.stage !== 'issued') throw new NotFoundError('EHC plan not found');
      await audit(db, a, 'ehc_plan.downloaded_by_school', {
        pupilId,
        detail: {
          organisationId: plan.plan.organisationId,
          planId: plan.plan.id,
          version: plan.version.number,
        },
      });
      const p = found.pupil;
      return {
        organisationName: plan.authorityName,
        child: { name: `${p.forename} ${p.surname}`, dateOfBirth: p.dateOfBirth, upn: p.upn },
        plan: { upn: plan.plan.upn },
        version: {
          number: plan.version.number,
          stage: plan.version.stage,
          reason: plan.version.reason,
          sections: plan.version.sections,
          sentOn: plan.version.sentOn,
          commentsDueOn: plan.version.commentsDueOn,
          issuedOn: plan.version.issuedOn,
        },
      };
    },

    /**
     * The outcomes of the pupil's EHC plan that a support plan's targets may be taken from, with those
     * already taken into it; for whoever may change the plan and read the pupil's EHC plan.
     */
    async outcomesForPlan(actor: Actor, planId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'plans', 'write');
      const found = await planFor(db, a, planId, clock.today());
      const pupil = await pupilWithPlanActions(db, a, found.plan.pupilId).catch(() => null);
      if (!pupil?.actions.readPlan) throw new NotFoundError('Plan not found', { kind: 'plan', id: planId });
      const [current, targets, planSettings] = await Promise.all([
        currentPlanOf(db, a.schoolId, pupil.pupil),
        targetsOfPlan(db, a.schoolId, planId),
        settings.values(a.schoolId),
      ]);
      if (options.audit)
        await audit(db, a, 'ehc_plan.viewed_by_school', {
          pupilId: pupil.pupil.id,
          detail: { page: 'outcomes as targets', planId },
        });
      const taken = new Map(
        targets.filter((t) => t.ehcOutcomeId).map((t) => [t.ehcOutcomeId as string, t.position]),
      );
      return {
        plan: found.plan,
        pupil: pupil.pupil,
        mayEdit: found.actions.edit,
        full: targets.length >= planSettings.maxTargets,
        maxTargets: planSettings.maxTargets,
        planName: planSettings.planName,
        ehcPlan: current && {
          authorityName: current.authorityName,
          issuedOn: current.issuedOn,
          summary: current.summary,
          outcomes: current.outcomes.map((o) => ({ ...o, takenAs: taken.get(o.id) ?? null })),
        },
      };
    },

    /** Take an outcome of the pupil's EHC plan as a new target of the support plan, carrying its source. */
    async takeOutcome(
      actor: Actor,
      planId: string,
      input: { version: number; outcomeId: string },
    ): Promise<{ targetId: string; position: number }> {
      const a = requireSection(actor, 'plans', 'write');
      const { maxTargets } = await settings.values(a.schoolId);
      return unitOfWork(db, a, async (w) => {
        const found = await planFor(w.tx, a, planId, clock.today(), { lock: true });
        const pupil = await pupilWithPlanActions(w.tx, a, found.plan.pupilId).catch(() => null);
        if (!pupil?.actions.readPlan) throw new NotFoundError('Plan not found', { kind: 'plan', id: planId });
        if (pupil.pupil.leftOn)
          throw new ValidationError([
            {
              field: 'form',
              message: `${fullName(pupil.pupil)} has left the school: their plans can no longer be changed`,
            },
          ]);
        if (!found.actions.edit)
          throw new ValidationError([
            {
              field: 'form',
              message:
                found.plan.status === 'closed'
                  ? 'This plan is closed: take the outcome into the pupil’s current plan'
                  : 'This plan is being reviewed: finish the review, then take the outcome into the next plan',
            },
          ]);
        const targets = await targetsOfPlan(w.tx, a.schoolId, planId);
        if (found.plan.version !== input.version)
          throw new ConflictError(STALE, { ...found.plan, targets: targets.map((t) => t.target) });
        const current = await currentPlanOf(w.tx, a.schoolId, pupil.pupil);
        const outcome = current?.outcomes.find((o) => o.id === input.outcomeId);
        if (!current || !outcome)
          throw new ValidationError([
            { field: 'outcomeId', message: 'Choose an outcome of the pupil’s EHC plan' },
          ]);
        const already = targets.find((t) => t.ehcOutcomeId === outcome.id);
        if (already)
          throw new ValidationError([
            {
              field: 'outcomeId',
              message: `Outcome ${outcome.ref} is already target ${already.position} of this plan: change that target instead`,
            },
          ]);
        if (targets.length >= maxTargets)
          throw new ValidationError([
            {
              field: 'outcomeId',
              message: `This plan already holds ${maxTargets} targets, the most your school allows: change the plan to remove one first`,
            },
          ]);
        if (!(await updatePlan(w.tx, a.schoolId, planId, input.version, {})))
          throw new ConflictError(STALE, { ...found.plan, targets: targets.map((t) => t.target) });
        const targetId = randomUUID();
        const position = targets.length + 1;
        await insertTargets(w.tx, [
          {
            schoolId: a.schoolId,
            id: targetId,
            planId,
            pupilId: pupil.pupil.id,
            position,
            area: null,
            target: outcome.text,
            achievementCriteria: null,
            resourcesAndTechniques: null,
            classStrategies: null,
            carriedFromId: null,
            bankEntryId: null,
            recommendationId: null,
            source: outcomeSource(outcome, current),
            ehcPlanId: current.source.kind === 'plan' ? current.source.planId : null,
            ehcSummaryId: current.source.kind === 'summary' ? current.source.summaryId : null,
            ehcOutcomeId: outcome.id,
          },
        ]);
        w.audit('ehc_plan.outcome_taken', {
          pupilId: pupil.pupil.id,
          detail: { planId, targetId, outcome: outcome.ref, source: current.source },
        });
        w.audit('plan.changed', { pupilId: pupil.pupil.id, detail: { planId, targetAdded: targetId } });
        return { targetId, position };
      });
    },

    /**
     * The provision of each pupil's EHC plan (section F) beside what the pupil receives in the school's
     * groups now (how often, minutes a week, cost this year), with each item's linked groups and whether
     * any of them delivers it now. For the SENCo and the head. Audited, naming the pupils shown.
     */
    async provisionBeside(actor: Actor, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'ehc', 'write');
      requireSection(a, 'provision');
      const today = clock.today();
      const [plans, summaries, threshold, groups] = await Promise.all([
        finalPlansOfSchool(db, a.schoolId),
        currentSummariesOfSchool(db, a.schoolId),
        thresholdFor(db, a.schoolId),
        groupsOfSchool(db, a.schoolId),
      ]);
      const withPlan = new Set(plans.map((p) => p.plan.pupilId));
      const entries = [
        ...plans.map((p) => ({
          pupilId: p.plan.pupilId,
          pupil: p.pupil,
          source: { kind: 'plan', organisationId: p.plan.organisationId, planId: p.plan.id } as PlanSource,
          authorityName: p.authorityName,
          issuedOn: p.issuedOn,
          reviewDueOn: p.plan.reviewDueOn,
          summary: false,
          provision: provisionOf(p.sections),
        })),
        ...summaries
          .filter((s) => !withPlan.has(s.summary.pupilId))
          .map(({ summary: s, pupil }) => ({
            pupilId: s.pupilId,
            pupil,
            source: { kind: 'summary', summaryId: s.id } as PlanSource,
            authorityName: s.localAuthorityName,
            issuedOn: s.issuedOn as IsoDate | null,
            reviewDueOn: null as string | null,
            summary: true,
            provision: summaryProvision(s),
          })),
      ];
      const pupilIds = [...new Set(entries.map((e) => e.pupilId))];
      const [spells, links] = await Promise.all([
        provisionOfPupils(db, a.schoolId, pupilIds),
        provisionLinksOfPupils(db, a.schoolId, pupilIds),
      ]);
      const rows = entries
        .map((e) => {
          const p = e.pupil;
          const received = pupilProvision(spells.get(e.pupilId) ?? [], threshold, today);
          const current = received.current.filter((s) => s.current || s.upcoming);
          const currentIds = new Set(received.current.filter((s) => s.current).map((s) => s.groupId));
          const sourceKey = e.source.kind === 'plan' ? e.source.planId : e.source.summaryId;
          const linksHere = links.filter(
            (l) => l.link.pupilId === e.pupilId && (l.link.planId ?? l.link.summaryId) === sourceKey,
          );
          return {
            pupil: { id: p.id, forename: p.forename, surname: p.surname },
            source: e.source,
            authorityName: e.authorityName,
            issuedOn: e.issuedOn,
            reviewDueOn: e.reviewDueOn,
            summary: e.summary,
            provision: e.provision.map((item) => {
              const itemLinks = linksHere
                .filter((l) => l.link.provisionId === item.id)
                .map((l) => ({
                  id: l.link.id,
                  groupId: l.link.groupId,
                  groupName: l.groupName,
                  current: currentIds.has(l.link.groupId),
                }));
              return {
                ...item,
                links: itemLinks,
                /** Required by the plan and delivered by none of the pupil's groups now. */
                notDelivered: !itemLinks.some((l) => l.current),
              };
            }),
            groups: current.map((s) => ({
              groupId: s.groupId,
              groupName: s.groupName,
              interventionName: s.interventionName,
              frequency: s.frequency,
              minutesPerWeek: s.sessionsPerWeek * s.minutesPerSession,
              costThisYear: s.costThisYear,
              current: s.current,
            })),
            minutesPerWeekNow: received.costs.minutesPerWeekNow,
            costThisYear: received.costs.academic.pence,
          };
        })
        .sort(
          (x, y) =>
            x.pupil.surname.localeCompare(y.pupil.surname) ||
            x.pupil.forename.localeCompare(y.pupil.forename),
        );
      if (options.audit)
        await audit(db, a, 'ehc_plan.provision_viewed', { shownPupilIds: rows.map((r) => r.pupil.id) });
      const open = groups.filter((g) => g.endDate === null || g.endDate >= today);
      return {
        rows,
        groups: open.map((g) => ({ id: g.id, name: g.name })),
        notDelivered: rows.reduce((n, r) => n + r.provision.filter((p) => p.notDelivered).length, 0),
        today,
      };
    },

    /** Link an item of provision in F of the pupil's current plan to the group that delivers it. */
    async linkProvision(actor: Actor, pupilId: string, input: { provisionId: string; groupId: string }) {
      const a = requireSection(actor, 'ehc', 'write');
      return changePupil(db, a, pupilId, { section: 'ehc', level: 'write' }, async (w) => {
        const current = await currentPlanOf(w.tx, a.schoolId, w.pupil);
        const item = current?.provision.find((p) => p.id === input.provisionId);
        if (!current || !item)
          throw new ValidationError([
            { field: 'provisionId', message: 'Choose an item of provision in the pupil’s EHC plan' },
          ]);
        const groups = await groupsOfSchool(w.tx, a.schoolId);
        const group = groups.find((g) => g.id === input.groupId);
        if (!group)
          throw new ValidationError([{ field: 'groupId', message: 'Choose a group of the school' }]);
        const inserted = await insertProvisionLink(w.tx, {
          schoolId: a.schoolId,
          id: randomUUID(),
          pupilId,
          organisationId: current.source.kind === 'plan' ? current.source.organisationId : null,
          planId: current.source.kind === 'plan' ? current.source.planId : null,
          summaryId: current.source.kind === 'summary' ? current.source.summaryId : null,
          provisionId: item.id,
          groupId: group.id,
          createdBy: a.userId,
          createdByName: a.name,
        });
        if (!inserted)
          throw new ValidationError([
            { field: 'groupId', message: `${group.name} is already linked to ${item.ref}` },
          ]);
        w.audit('ehc_plan.provision_linked', {
          pupilId,
          detail: { provision: item.ref, provisionId: item.id, groupId: group.id, source: current.source },
        });
        return { ref: item.ref, groupName: group.name };
      });
    },

    /** Remove a link from an item of provision to a group. */
    async unlinkProvision(actor: Actor, pupilId: string, linkId: string) {
      const a = requireSection(actor, 'ehc', 'write');
      return changePupil(db, a, pupilId, { section: 'ehc', level: 'write' }, async (w) => {
        const removed = await deleteProvisionLink(w.tx, a.schoolId, linkId);
        if (!removed || removed.pupilId !== pupilId)
          throw new NotFoundError('Link not found', { kind: 'ehc_provision_link', id: linkId });
        w.audit('ehc_plan.provision_unlinked', {
          pupilId,
          detail: { provisionId: removed.provisionId, groupId: removed.groupId },
        });
        return removed;
      });
    },

    /** The form to record a plan from another authority: the pupil, for those who may record one. */
    async forNewSummary(actor: Actor, pupilId: string) {
      const a = requireSection(actor, 'ehc', 'write');
      const found = await pupilWithPlanActions(db, a, pupilId);
      if (!found.actions.recordSummary) throw NOT_FOUND_PUPIL(pupilId);
      await audit(db, a, 'pupil.opened_form', {
        pupilId,
        detail: { form: 'record an EHC plan from another local authority' },
      });
      return { pupil: found.pupil, today: clock.today() };
    },

    /** Record a plan from another authority from its PDF: its dates, authority, outcomes and provision. */
    async recordSummary(actor: Actor, pupilId: string, input: SummaryInput) {
      const a = requireSection(actor, 'ehc', 'write');
      const errors = summaryProblems(input, clock.today(), true);
      if (errors.length) throw new ValidationError(errors);
      return changePupil(db, a, pupilId, { section: 'ehc', level: 'write' }, async (w) => {
        const stored = await storeFile(
          w.tx,
          a,
          { ownerId: a.schoolId, ownerKind: 'school' },
          { name: input.file!.name, bytes: input.file!.bytes, pupilId },
          'file',
        );
        if (stored.contentType !== 'application/pdf')
          throw new ValidationError([{ field: 'file', message: 'The plan must be a PDF' }]);
        const id = randomUUID();
        await insertSummary(w.tx, {
          schoolId: a.schoolId,
          id,
          pupilId,
          localAuthorityName: clean(input.localAuthorityName),
          issuedOn: input.issuedOn,
          lastReviewOn: input.lastReviewOn,
          outcomes: input.outcomes
            .map(clean)
            .filter(Boolean)
            .map((text) => ({ id: randomUUID(), text })),
          provision: input.provision
            .map((p) => ({
              what: clean(p.what),
              who: clean(p.who),
              frequency: clean(p.frequency),
              duration: clean(p.duration),
            }))
            .filter((p) => p.what)
            .map((p) => ({ id: randomUUID(), ...p })),
          fileId: stored.id,
          createdBy: a.userId,
          createdByName: a.name,
        });
        w.audit('ehc_plan_summary.recorded', { pupilId, detail: { summaryId: id, fileId: stored.id } });
        return { summaryId: id };
      });
    },

    /** One summary as the school recorded it, for whoever may read the pupil's plan. Audited. */
    async summary(actor: Actor, summaryId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'ehc');
      const summary = await findSummary(db, a.schoolId, summaryId);
      if (!summary) throw SUMMARY_NOT_FOUND(summaryId);
      const found = await pupilWithPlanActions(db, a, summary.pupilId).catch(() => null);
      if (!found?.actions.readPlan) throw SUMMARY_NOT_FOUND(summaryId);
      if (options.audit)
        await audit(db, a, 'ehc_plan_summary.viewed', { pupilId: summary.pupilId, detail: { summaryId } });
      return {
        summary,
        outcomes: summaryOutcomes(summary),
        provision: summaryProvision(summary),
        pupil: found.pupil,
        actions: { end: found.actions.recordSummary && summary.endedOn === null },
      };
    },

    /** The PDF of a summary's plan, as uploaded. Audited. */
    async summaryFile(actor: Actor, summaryId: string) {
      const a = requireSection(actor, 'ehc');
      const summary = await findSummary(db, a.schoolId, summaryId);
      if (!summary?.fileId) throw SUMMARY_NOT_FOUND(summaryId);
      const found = await pupilWithPlanActions(db, a, summary.pupilId).catch(() => null);
      if (!found?.actions.readPlan) throw SUMMARY_NOT_FOUND(summaryId);
      const file = await readStoredFile(db, a.schoolId, summary.fileId);
      if (!file) throw SUMMARY_NOT_FOUND(summaryId);
      await audit(db, a, 'ehc_plan_summary.downloaded', { pupilId: summary.pupilId, detail: { summaryId } });
      return { name: file.name, contentType: file.contentType, bytes: file.bytes };
    },

    /** End the school's summary (the authority's own record now exists, or the plan ceased). */
    async endSummary(actor: Actor, summaryId: string, version: number) {
      const a = requireSection(actor, 'ehc', 'write');
      const summary = await findSummary(db, a.schoolId, summaryId);
      if (!summary) throw SUMMARY_NOT_FOUND(summaryId);
      return changePupil(db, a, summary.pupilId, { section: 'ehc', level: 'write' }, async (w) => {
        const locked = await findSummary(w.tx, a.schoolId, summaryId, { lock: true });
        if (!locked) throw SUMMARY_NOT_FOUND(summaryId);
        if (locked.endedOn)
          throw new ValidationError([
            { field: 'form', message: `This record was ended on ${formatDate(locked.endedOn)}` },
          ]);
        if (!(await updateSummary(w.tx, a.schoolId, summaryId, version, { endedOn: clock.today() })))
          throw new ConflictError(
            'Someone else changed this record while you were looking at it: look again',
            locked,
          );
        w.audit('ehc_plan_summary.ended', { pupilId: summary.pupilId, detail: { summaryId } });
        return { pupilId: summary.pupilId };
      });
    },
  };
}
