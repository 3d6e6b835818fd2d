import { atLeast } from '../../../domain/access.ts';
import { AREAS_OF_NEED, type AreaOfNeed, NEEDS, needLabel } from '../../../domain/census.ts';
import {
  noteIsEditable,
  notesByTarget,
  PLAN_STATUS_LABELS,
  PROGRESS_JUDGEMENTS,
  PROGRESS_LABELS,
  personalise,
  REVIEW_DECISION_LABELS,
  REVIEW_DECISIONS,
  REVIEW_STATE_LABELS,
  reviewState,
  TARGET_OUTCOME_LABELS,
  TARGET_OUTCOMES,
} from '../../../domain/plans.ts';
import {
  CHECK_PROGRESS,
  CHECK_PROGRESS_LABELS,
  TARGET_CHECK_STATE_LABELS,
} from '../../../domain/target-checks.ts';
import {
  numberedArea,
  planProvision,
  planPupilDetails,
  planTargetChecks,
  targetCheckSummary,
} from '../../../presenters/plan.ts';
import type { BankEntryRow } from '../../../repositories/plans.ts';
import type { PlanService } from '../../../services/plans/index.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';

type PlanPage = Awaited<ReturnType<PlanService['view']>>;

export const pupilNameOf = (page: { pupil: { forename: string; surname: string } }) =>
  `${page.pupil.forename} ${page.pupil.surname}`;

/** "Kit Kowalski’s SEN Support Plan 2" */
export const planTitle = (page: PlanPage) => `${pupilNameOf(page)}’s ${page.planName} ${page.plan.cycle}`;

/** The plan page: every part of the plan, each target with its notes in time order beneath it. */
export function planPageModel(page: PlanPage, userId: string) {
  const { plan } = page;
  const { byTarget, planWide } = notesByTarget(page.notes);
  const note = (n: PlanPage['notes'][number]) => ({
    ...n,
    by: n.authorRoles ? `${n.authorName} (${n.authorRoles})` : n.authorName,
    editable: page.actions.addNote && noteIsEditable(n, userId, page.today),
  });
  const open = plan.status === 'active' || plan.status === 'in_review';
  const state = open ? reviewState(plan.reviewDate, page.today) : 'not_due';
  const checks = planTargetChecks(page.checks);
  const checkState = page.checkStatus?.state;
  return {
    plan,
    pupil: page.pupil,
    pupilName: pupilNameOf(page),
    planName: page.planName,
    statusLabel: PLAN_STATUS_LABELS[plan.status],
    reviewState: state,
    reviewStateLabel: state === 'not_due' ? null : REVIEW_STATE_LABELS[state],
    needAreas: plan.needAreas.map(numberedArea),
    pupilDetails: planPupilDetails(page),
    targets: page.targets.map((t) => ({
      ...t,
      areaLabel: t.area ? numberedArea(t.area) : null,
      outcomeLabel: t.outcome ? TARGET_OUTCOME_LABELS[t.outcome] : null,
      notes: (byTarget.get(t.id) ?? []).map(note),
      /** How the target stood at each half-termly check ("Autumn 1 2026/27: Some progress. …"). */
      checks: checks.flatMap((c) =>
        c.items
          .filter((i) => i.targetId === t.id)
          .map((i) => ({ title: c.title, checked: c.checked, progress: i.progress, note: i.note })),
      ),
    })),
    targetChecks: checks,
    targetCheck: page.checkStatus && {
      state: checkState,
      summary: targetCheckSummary(page.checkStatus),
      /** The tag beside the plan's status, while a check is waiting. */
      tag: checkState === 'due' || checkState === 'overdue' ? TARGET_CHECK_STATE_LABELS[checkState] : null,
      overdue: checkState === 'overdue',
      /** "Record" or "Change" the check open now. */
      action:
        checkState === 'done' ? 'Change the half-termly target check' : 'Record the half-termly target check',
    },
    planWideNotes: planWide.map(note),
    review: page.review
      ? {
          ...page.review,
          progressLabel: PROGRESS_LABELS[page.review.progress],
          decisionLabel: REVIEW_DECISION_LABELS[page.review.decision],
        }
      : null,
    profile: page.profile,
    provision: planProvision(page.provision, page.today),
    actions: page.actions,
    mayChangeProfile: atLeast(page.access.plans, 'write') && page.pupil.leftOn === null,
    cycles: page.cycles,
    today: page.today,
  };
}

/** Values for the add-note forms on the plan page: today's date. */
export function noteDefaults(today: string): FormBody {
  return dateParts('writtenOn', today);
}

/** The need-area checkboxes, "1 Communication and interaction", with the pupil's census need beside. */
export function needAreaOptions(pupil: {
  forename: string;
  primaryNeed: PlanPage['pupil']['primaryNeed'];
  secondaryNeed: PlanPage['pupil']['secondaryNeed'];
}) {
  return AREAS_OF_NEED.map((area) => {
    const needs = (
      [
        ['primary', pupil.primaryNeed],
        ['secondary', pupil.secondaryNeed],
      ] as const
    ).filter(([, code]) => code && NEEDS[code].area === area);
    return {
      value: area,
      text: numberedArea(area),
      hint: needs.length
        ? needs.map(([rank, code]) => `${pupil.forename}’s ${rank} need: ${needLabel(code!)}`).join('. ')
        : null,
    };
  });
}

export const areaSelectOptions = () => [
  { value: '', text: 'Choose an area' },
  ...AREAS_OF_NEED.map((a) => ({ value: a, text: numberedArea(a) })),
];

/**
 * How many target rows the plan form shows: the plan's targets, then empty rows up to the most the
 * school allows, so a whole plan is written in one go (empty rows are ignored).
 */
export function targetRowCount(targets: number, maxTargets: number): number {
  return Math.max(targets, maxTargets);
}

/** The plan form's values from the saved plan, with a bank entry put in the empty row when chosen. */
export function planFormValues(page: PlanPage, fromBank: BankEntryRow | null): FormBody {
  const p = page.plan;
  const values: FormBody = {
    version: String(p.version),
    needAreas: p.needAreas,
    strengths: p.strengths ?? '',
    areasOfConcern: p.areasOfConcern ?? '',
    desiredOutcomes: p.desiredOutcomes ?? '',
    qualityFirst: p.qualityFirst ?? '',
    interventions: p.interventions ?? '',
    taSupport: p.taSupport ?? '',
    resources: p.resources ?? '',
    parentPupilContribution: p.parentPupilContribution ?? '',
    parentsSupportAtHome: p.parentsSupportAtHome ?? '',
    parentsViews: p.parentsViews ?? '',
    pupilViews: p.pupilViews ?? '',
    ...dateParts('startDate', p.startDate),
    ...dateParts('reviewDate', p.reviewDate),
  };
  page.targets.forEach((t, i) => {
    const n = i + 1;
    values[`target${n}-id`] = t.id;
    values[`target${n}-target`] = t.target;
    values[`target${n}-criteria`] = t.achievementCriteria ?? '';
    values[`target${n}-resources`] = t.resourcesAndTechniques ?? '';
    values[`target${n}-strategies`] = t.classStrategies ?? '';
    values[`target${n}-area`] = t.area ?? '';
    values[`target${n}-bankEntryId`] = t.bankEntryId ?? '';
  });
  if (fromBank) {
    const name = page.pupil.preferredName ?? page.pupil.forename;
    const text = personalise(fromBank.text, name);
    if (fromBank.kind === 'strategy') {
      values.qualityFirst = values.qualityFirst ? `${values.qualityFirst}\n${text}` : text;
    } else if (page.targets.length < page.maxTargets) {
      const n = page.targets.length + 1;
      values[`target${n}-target`] = text;
      values[`target${n}-criteria`] = fromBank.achievementCriteria
        ? personalise(fromBank.achievementCriteria, name)
        : '';
      values[`target${n}-area`] = fromBank.area;
      values[`target${n}-bankEntryId`] = fromBank.id;
    }
  }
  return values;
}

/** The review form's choices. */
export const reviewOptions = () => ({
  outcomes: TARGET_OUTCOMES.map((o) => ({ value: o, text: TARGET_OUTCOME_LABELS[o] })),
  progress: PROGRESS_JUDGEMENTS.map((p) => ({ value: p, text: PROGRESS_LABELS[p] })),
  decisions: REVIEW_DECISIONS.map((d) => ({ value: d, text: REVIEW_DECISION_LABELS[d] })),
});

/** The bank's search filters. */
export const bankAreaOptions = (chosen: AreaOfNeed | undefined) => [
  { value: '', text: 'Every area', selected: !chosen },
  ...AREAS_OF_NEED.map((a) => ({ value: a, text: numberedArea(a), selected: chosen === a })),
];

/**
 * The half-termly target check open now, for its form: the half-term, the check already recorded for it
 * (to change), and each target with how it stood at the plan's earlier checks.
 */
export function targetCheckFormModel(page: PlanPage) {
  const current = page.checkStatus?.current ?? null;
  const existing = current ? (page.checks.find((c) => c.dueOn === current.dueOn) ?? null) : null;
  const earlier = planTargetChecks(page.checks.filter((c) => c.dueOn !== current?.dueOn));
  return {
    current,
    halfTermLabel: current?.halfTerm.label ?? '',
    dueOn: current?.dueOn ?? '',
    existing: existing && planTargetChecks([existing])[0]!,
    version: existing?.version ?? 0,
    checkTargets: page.targets.map((t) => ({
      id: t.id,
      position: t.position,
      target: t.target,
      earlier: earlier.flatMap((c) =>
        c.items
          .filter((i) => i.targetId === t.id)
          .map((i) => `${c.title}: ${i.progress}${i.note ? `. ${i.note}` : ''}`),
      ),
    })),
    progressOptions: CHECK_PROGRESS.map((p) => ({ value: p, text: CHECK_PROGRESS_LABELS[p] })),
  };
}

/** The check form's values: the check already recorded for this half-term, or today's date. */
export function targetCheckFormValues(page: PlanPage): FormBody {
  const model = targetCheckFormModel(page);
  const existing = page.checks.find((c) => c.dueOn === model.dueOn) ?? null;
  const values: FormBody = {
    dueOn: model.dueOn,
    version: String(model.version),
    targets: page.targets.map((t) => t.id),
    ...dateParts('checkedOn', existing?.checkedOn ?? page.today),
  };
  for (const i of existing?.items ?? []) {
    values[`progress-${i.targetId}`] = i.progress;
    values[`note-${i.targetId}`] = i.note ?? '';
  }
  return values;
}
