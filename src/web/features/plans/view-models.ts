import { atLeast } from '../../../domain/access.ts';
import { AREAS_OF_NEED, type AreaOfNeed, NEEDS, needLabel } from '../../../domain/census.ts';
import { todayInEngland } from '../../../domain/dates.ts';
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
import { readReceiptLines } from '../../../presenters/family-plan.ts';
import {
  numberedArea,
  planAdvice,
  planProvision,
  planPupilDetails,
  planTargetChecks,
  targetCheckSummary,
} from '../../../presenters/plan.ts';
import { pupilVoiceOnPlan } from '../../../presenters/pupil-voice.ts';
import type { BankEntryRow } from '../../../repositories/plans.ts';
import type { PlanService } from '../../../services/plans/index.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';
import { MOST_TARGET_ROWS } from './schemas.ts';

/** A plan page; the plan's own page also has its read receipts (the forms' pages do not). */
type PlanPage = Omit<Awaited<ReturnType<PlanService['view']>>, 'familyReads'> & {
  familyReads?: Parameters<typeof readReceiptLines>[0];
};

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
    /** "Read by Kasia Kowalski (mother) online on 3 December 2026", one line per parent. */
    familyReads: readReceiptLines(page.familyReads ?? [], todayInEngland),
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
          /** The review decided to request an EHC needs assessment: build the request from it. */
          ehcRequestHref:
            page.review.decision === 'ehc_request' && page.mayRequestEhc
              ? paths.ehcRequestNew.to({ pupilId: page.plan.pupilId }, { review: page.review.id })
              : null,
        }
      : null,
    profile: page.profile,
    provision: planProvision(page.provision, page.today, page.provisionPeriod),
    advice: planAdviceModel(page),
    actions: page.actions,
    mayChangeProfile: atLeast(page.access.plans, 'write') && page.pupil.leftOn === null,
    /** In the pupil's own words: their latest "All about me" and their views for this plan's review. */
    ownWords: pupilVoiceOnPlan(page.pupil, page.pupilVoice),
    /** An adult who works with the pupil on their plans writes the pupil's own words with them. */
    mayWriteOwnWords: atLeast(page.access.plans, 'contribute') && page.pupil.leftOn === null,
    cycles: page.cycles,
    today: page.today,
  };
}

/**
 * The plan page's "Advice from outside agencies": each recommendation with its source, a link to where
 * it is in this plan, and "Use in the plan" for those who may put it into this plan (the draft, or the
 * plan in place when no draft is open).
 */
export function planAdviceModel(page: PlanPage) {
  const doc = planAdvice(page.advice);
  if (!doc || !page.advice) return null;
  const draftOpen = page.cycles.some((c) => c.status === 'draft');
  const mayUse =
    page.advice.mayUseInPlan && page.actions.edit && (page.plan.status === 'draft' || !draftOpen);
  const items = new Map(page.advice.items.map((i) => [i.id, i]));
  return {
    ...doc,
    rows: doc.rows.map((r) => {
      const inPlan = items.get(r.id)?.standing.inPlan ?? null;
      return {
        ...r,
        inPlanHref: inPlan
          ? paths.plan.to(
              { planId: page.plan.id },
              inPlan.as === 'target' ? `#target-${inPlan.targetId}` : '#support',
            )
          : null,
        useHref: !r.used && mayUse ? paths.recommendationUse.to({ recommendationId: r.id }) : null,
        /** Those who may use it in the provision reach the page from here too. */
        provisionHref:
          page.advice?.mayUseInProvision && page.pupil.leftOn === null
            ? paths.recommendationUse.to({ recommendationId: r.id }, '#provision')
            : null,
      };
    }),
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

/** The plan form's values from the saved plan. */
export function planFormValues(page: PlanPage): FormBody {
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
  return values;
}

const ROW_FIELDS = ['id', 'target', 'criteria', 'resources', 'strategies'] as const;
const filled = (v: FormBody[string]) => typeof v === 'string' && v.trim() !== '';

/** A target row of the form holds something (a saved target, or anything typed). */
export function rowHasContent(values: FormBody, row: number): boolean {
  return ROW_FIELDS.some((f) => filled(values[`target${row}-${f}`]));
}

/**
 * The row a target from the bank goes into: the first empty one, while the plan (its rows with
 * something in them, less those marked to remove) holds fewer than the school's most. Null when full.
 */
export function nextFreeTargetRow(values: FormBody, maxTargets: number): number | null {
  let held = 0;
  for (let i = 1; i <= MOST_TARGET_ROWS; i++)
    if (rowHasContent(values, i) && !filled(values[`target${i}-remove`])) held++;
  if (held >= maxTargets) return null;
  for (let i = 1; i <= MOST_TARGET_ROWS; i++) if (!rowHasContent(values, i)) return i;
  return null;
}

/**
 * The form with a bank entry added, made about this pupil ("X will…" becomes "Noor will…"): a target
 * into the next empty row, a strategy at the end of the quality-first approaches. Everything else as
 * it was. `addedTo` is the row (or "qualityFirst"), or null when the plan holds the most targets.
 */
export function addFromBank(
  values: FormBody,
  entry: BankEntryRow,
  pupil: { forename: string; preferredName: string | null },
  maxTargets: number,
): { values: FormBody; addedTo: number | 'qualityFirst' | null } {
  const name = pupil.preferredName ?? pupil.forename;
  const text = personalise(entry.text, name);
  if (entry.kind === 'strategy') {
    const before = typeof values.qualityFirst === 'string' ? values.qualityFirst.trimEnd() : '';
    return {
      values: { ...values, qualityFirst: before ? `${before}\n${text}` : text },
      addedTo: 'qualityFirst',
    };
  }
  const row = nextFreeTargetRow(values, maxTargets);
  if (row === null) return { values, addedTo: null };
  const p = `target${row}-`;
  return {
    values: {
      ...values,
      [`${p}target`]: text,
      [`${p}criteria`]: entry.achievementCriteria ? personalise(entry.achievementCriteria, name) : '',
      [`${p}area`]: entry.area,
      [`${p}bankEntryId`]: entry.id,
      [`${p}saveToBank`]: undefined,
    },
    addedTo: row,
  };
}

/** How many bank entries the plan form lists at once (the most used first: words narrow them). */
export const BANK_RESULTS_SHOWN = 20;

/** The bank's part of the plan form: its search, and each result with "Add to plan" or where it already is. */
export function planBankModel(
  planId: string,
  values: FormBody,
  maxTargets: number,
  search: {
    searched: boolean;
    q: string;
    area: AreaOfNeed | undefined;
    kind: 'target' | 'strategy';
    entries: BankEntryRow[];
    addedTo: number | 'qualityFirst' | null | undefined;
  },
) {
  const next = nextFreeTargetRow(values, maxTargets);
  const rowOf = (id: string) => {
    for (let i = 1; i <= MOST_TARGET_ROWS; i++) if (values[`target${i}-bankEntryId`] === id) return i;
    return null;
  };
  return {
    searched: search.searched,
    q: search.q,
    kind: search.kind,
    areaOptions: bankAreaOptions(search.area),
    total: search.entries.length,
    more: search.entries.length > BANK_RESULTS_SHOWN,
    /** The plan already holds the most targets: a target cannot be added until one goes. */
    full: search.kind === 'target' && next === null,
    /** A target was asked for just now and there was no room for it. */
    notAdded: search.addedTo === null,
    maxTargets,
    entries: search.entries.slice(0, BANK_RESULTS_SHOWN).map((e) => ({
      ...e,
      inPlanAs: e.kind === 'target' ? rowOf(e.id) : null,
      // The button lands on where the entry goes.
      addAction: paths.planEdit.to(
        { planId },
        `#${e.kind === 'strategy' ? 'qualityFirst' : next ? `target-row-${next}` : 'bank'}`,
      ),
    })),
  };
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
