import type { Database } from '../../db/client.ts';
import { atLeast } from '../../domain/access.ts';
import { closedPlanPeriod, noteIsEditable, type PlanStatus } from '../../domain/plans.ts';
import { pupilEhcActions } from '../../policies/ehc.ts';
import { familyReadsOf } from '../../repositories/family-reading.ts';
import {
  checksOfPlan,
  findNote,
  findProfile,
  notesOfPlan,
  plansOfPupil,
  reviewOfPlan,
  targetsOfPlan,
} from '../../repositories/plans.ts';
import { provisionOfPupil } from '../../repositories/provision.ts';
import { pupilVoiceForPlan } from '../../repositories/pupil-voice.ts';
import { findSchool } from '../../repositories/schools.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { adviceFor } from '../recommendations/advice.ts';
import { type PlanSettings, planFor } from './common.ts';
import { checkStatusOf, targetCheckProblem } from './target-checks.ts';

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

/** Reading plans: the plan page, a pupil's current plan, a plan opened for one of its forms, and printing. */
export function createPlanViews(database: Database, clock: Clock, settings: PlanSettings) {
  const { db } = database;

  /** Everything a plan page shows, for an actor who may read the plan (not audited here). */
  async function loadPlan(a: SchoolActor, planId: string) {
    const found = await planFor(db, a, planId, clock.today());
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
    const targetsFound = targetsOfPlan(db, a.schoolId, planId);
    // The advice of outside agencies (their recommendations, which are in this plan and which are not
    // yet used), for those who may read it.
    const adviceFound = targetsFound.then((targets) =>
      adviceFor(db, a, found.pupil, found.access, { ...found.plan, targets }),
    );
    const [
      targets,
      notes,
      review,
      profile,
      plans,
      settingValues,
      provisionSpells,
      checks,
      advice,
      pupilVoice,
    ] = await Promise.all([
      targetsFound,
      notesOfPlan(db, a.schoolId, planId),
      reviewFound,
      findProfile(db, a.schoolId, found.plan.pupilId),
      plansOfPupil(db, a.schoolId, found.plan.pupilId),
      settings.values(a.schoolId),
      provisionFound,
      checksOfPlan(db, a.schoolId, planId),
      adviceFound,
      // The pupil's own words: their latest "All about me" and their views for this plan's review.
      pupilVoiceForPlan(db, a.schoolId, found.plan.pupilId, planId),
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
      /** In the pupil's own words (docs/adr/0039): shown beside the staff's profile and views, never instead. */
      pupilVoice,
      /** The pupil's provision spells, or null when the actor may not read the pupil's provision. */
      provision,
      /** For a closed plan, the days it was in place: the provision shown is of those days only. */
      provisionPeriod,
      /** The recommendations of outside agencies and where each stands, or null for a reader who may not see them. */
      advice,
      /** A review's decision to request an EHC needs assessment leads to the request, for those who start one. */
      mayRequestEhc: pupilEhcActions(a, { pupil: found.pupil }, { access: found.access }).start,
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

  return {
    /** A plan with its targets, notes by target, review, the pupil's profile and what the actor may do. */
    async view(actor: Actor, planId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'plans');
      const page = await loadPlan(a, planId);
      // Which parents read the plan online, and when (their read receipts; docs/adr/0039).
      const familyReads = await familyReadsOf(db, a.schoolId, page.plan.pupilId, 'plan', planId);
      if (options.audit)
        await audit(db, a, 'plan.viewed', {
          pupilId: page.plan.pupilId,
          detail: { planId, provisionShown: page.provision !== null, adviceShown: page.advice !== null },
        });
      return { ...page, familyReads };
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
        detail: {
          planId,
          format,
          provisionShown: page.provision !== null,
          adviceShown: page.advice !== null,
        },
      });
      return { ...page, schoolName: school?.name ?? '' };
    },
  };
}
