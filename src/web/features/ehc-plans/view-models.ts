import { NEED_CODES, needLabel } from '../../../domain/census.ts';
import { addDays, compareIsoDates, formatDate, type IsoDate } from '../../../domain/dates.ts';
import { ADVICE_SOURCES } from '../../../domain/ehc.ts';
import { commentPeriodEnds, earliestFinalDay } from '../../../domain/ehc-clock.ts';
import {
  CEASE_REASONS,
  consultationAnswerDue,
  PLACEMENT_SETTINGS,
  PLAN_SECTION_KEYS,
  PLAN_SECTION_SHORT,
  PLAN_SECTIONS,
  PLAN_STATUSES,
  PLAN_VERSION_REASONS,
  PLAN_VERSION_STAGES,
  type PlanSectionKey,
  type PlanSections,
  PROVISION_SECTIONS,
  SOCIAL_CARE_KINDS,
} from '../../../domain/ehc-plan.ts';
import { checkPlan, QUALITY_RULES, type QualityFinding } from '../../../domain/ehc-plan-check.ts';
import { itemRef } from '../../../presenters/ehc-plan.ts';
import { AMENDMENT_REASONS, type EhcPlanService, sectionDigest } from '../../../services/ehc/plans.ts';
import { paths } from '../../paths.ts';
import { MAX_ROWS, SECTION_KINDS } from './schemas.ts';

type PlanView = Awaited<ReturnType<EhcPlanService['planView']>>;
type Compare = Awaited<ReturnType<EhcPlanService['compare']>>;

export function options<T extends Record<string, string>>(labels: T) {
  return Object.entries(labels).map(([value, text]) => ({ value, text }));
}

const STATUS_TAGS = {
  draft: 'govuk-tag--yellow',
  final: 'govuk-tag--green',
  ceased: 'govuk-tag--grey',
} as const;

/** An example of who provides an item, for each section of provision. */
const WHO_HINTS: Partial<Record<PlanSectionKey, string>> = {
  f: 'For example, a teaching assistant trained by the speech and language therapist',
  g: 'For example, the community paediatric occupational therapy service (NHS)',
  h1: 'For example, a personal assistant arranged by the disabled children’s team, or the short breaks service',
  h2: 'For example, a family support worker from children’s social care',
};

/** The plan-quality check's findings, each linking to the section to put it right. */
export function findingsModel(planId: string, sections: PlanSections, editable: boolean) {
  const findings = checkPlan(sections);
  return {
    count: findings.length,
    rules: Object.entries(QUALITY_RULES)
      .map(([rule, label]) => ({
        rule,
        label,
        items: findings
          .filter((f: QualityFinding) => f.rule === rule)
          .map((f) => ({
            message: f.message,
            href: editable ? `${paths.ehcPlanSection.to({ ehcPlanId: planId })}?section=${f.fixIn}` : null,
          })),
      }))
      .filter((r) => r.items.length > 0),
  };
}

/**
 * The school the plan names: the one in section I of the version shown (or of the final plan), else the
 * school the case names, or that the child has moved.
 */
function schoolLine(view: Pick<PlanView, 'child' | 'plan' | 'shown' | 'versions' | 'schools'>) {
  const final = view.versions.find((v) => v.number === view.plan.finalVersion);
  const named = view.shown.sections.i?.name || final?.sections.i?.name;
  if (named) return named;
  if (view.child?.moved) return 'The child has moved school';
  const attends = view.schools.find((x) => x.id === view.plan.schoolId)?.name;
  return attends
    ? `${attends} (the school the case names; none named in section I yet)`
    : 'As the case names';
}

/** What the page heading says of the child. */
function childLine(view: Pick<PlanView, 'child' | 'plan'>) {
  return view.child?.name || 'The child';
}

export function planPageModel(view: PlanView) {
  const { plan, shown, open, actions } = view;
  const id = plan.id;
  const editable = actions.edit && open?.number === shown.number;
  const sentOpen = open?.stage === 'sent';
  return {
    pageTitle: `EHC plan: ${childLine(view)}`,
    childName: childLine(view),
    parentsOnline: view.parentsOnline,
    planId: id,
    caseId: plan.caseId,
    status: { text: PLAN_STATUSES[plan.status], classes: STATUS_TAGS[plan.status] },
    summary: [
      { key: { text: 'School' }, value: { text: schoolLine(view) } },
      { key: { text: 'UPN' }, value: { text: plan.upn } },
      {
        key: { text: 'Plan started' },
        value: { text: plan.startedOn ? formatDate(plan.startedOn) : 'Not yet issued' },
      },
      // A ceased plan has no review to come.
      ...(plan.status === 'ceased'
        ? [
            {
              key: { text: 'Ceased' },
              value: {
                text: `${formatDate(plan.ceasedOn)}: ${plan.ceaseReason ? CEASE_REASONS[plan.ceaseReason] : ''}`,
              },
            },
            ...(plan.ceaseReasonsGiven
              ? [{ key: { text: 'The authority’s reasons' }, value: { text: plan.ceaseReasonsGiven } }]
              : []),
          ]
        : [
            {
              key: { text: 'Annual review due by' },
              value: {
                text: plan.reviewDueOn ? formatDate(plan.reviewDueOn) : 'Once the final plan is issued',
              },
            },
          ]),
    ],
    shown: {
      number: shown.number,
      stage: PLAN_VERSION_STAGES[shown.stage],
      reason: PLAN_VERSION_REASONS[shown.reason],
      sentOn: shown.sentOn,
      commentsDueOn: shown.commentsDueOn,
      issuedOn: shown.issuedOn,
      isOpen: open?.number === shown.number,
    },
    open: open
      ? {
          number: open.number,
          stage: open.stage,
          stageLabel: PLAN_VERSION_STAGES[open.stage],
          reason: PLAN_VERSION_REASONS[open.reason],
          sentOn: open.sentOn,
          commentsDueOn: open.commentsDueOn,
          finalFrom: open.sentOn ? earliestFinalDay(open.sentOn) : null,
          parentsComments: open.parentsComments,
          preferredSchool: open.preferredSchool,
          consultedSchool: open.consultedSchool,
          consultedOn: open.consultedOn,
          consultationAnswerDueOn: open.consultedOn ? consultationAnswerDue(open.consultedOn) : null,
          consultedAnswer: open.consultedAnswer,
        }
      : null,
    sections: shown.sections,
    // Each section with a link to write it, when it may be written now.
    changeLinks: PLAN_SECTION_KEYS.map((key) => ({
      key,
      short: PLAN_SECTION_SHORT[key],
      href:
        editable || (sentOpen && key === 'i' && open?.number === shown.number && actions.recordComments)
          ? `${paths.ehcPlanSection.to({ ehcPlanId: id })}?section=${key}`
          : null,
    })).filter((l) => l.href),
    findings: findingsModel(id, shown.sections, editable),
    actions,
    versions: view.versions.map((v) => ({
      number: v.number,
      stage: PLAN_VERSION_STAGES[v.stage],
      reason: PLAN_VERSION_REASONS[v.reason],
      href: `${paths.ehcPlan.to({ ehcPlanId: id })}?version=${v.number}`,
      current: v.number === shown.number,
    })),
    pdfHref: `${paths.ehcPlanPdf.to({ ehcPlanId: id })}?version=${shown.number}`,
    finalDueOn: view.finalDueOn,
    lateForTwentyWeeks:
      plan.status === 'draft' && view.finalDueOn ? compareIsoDates(view.today, view.finalDueOn) > 0 : false,
  };
}

/** The choices a section's form offers: types of need, the plan's needs and provision to link. */
export function sectionFormModel(view: PlanView, key: PlanSectionKey) {
  const s = (view.open ?? view.shown).sections;
  const needs = (['b', 'c', 'd'] as const).flatMap((k) =>
    s[k].needs.map((n, i) => ({ value: n.id, text: `${itemRef(k, i)}: ${n.text}` })),
  );
  const provision = PROVISION_SECTIONS.flatMap((k) =>
    s[k].provision.map((p, i) => ({ value: p.id, text: `${itemRef(k, i)}: ${p.what}` })),
  );
  return {
    pageTitle: `${PLAN_SECTION_SHORT[key]}: ${childLine(view)}`,
    heading: PLAN_SECTIONS[key],
    childName: childLine(view),
    planId: view.plan.id,
    section: key,
    kind: SECTION_KINDS[key],
    isH: key === 'h1' || key === 'h2',
    whoHint: WHO_HINTS[key] ?? null,
    hint:
      key === 'i'
        ? view.open?.stage === 'writing' && view.open.reason === 'new_plan'
          ? 'A draft plan names no school: leave this blank until the parents have said which school they prefer and the school has been consulted.'
          : 'Name the school or other institution, or the type of one.'
        : null,
    needTypes: [
      { value: '', text: 'Not a census type' },
      ...NEED_CODES.map((c) => ({ value: c, text: needLabel(c) })),
    ],
    socialCareKinds: [{ value: '', text: 'Choose the kind' }, ...options(SOCIAL_CARE_KINDS)],
    placementSettings: [
      { value: '', text: 'A school or institution with a URN' },
      ...options(PLACEMENT_SETTINGS),
    ],
    adviceSources: [
      { value: 'request', text: 'The school’s request and evidence' },
      ...options(ADVICE_SOURCES),
    ],
    needs,
    provision,
    schools: view.schools.map((x) => ({ value: x.id, text: `${x.name} (URN ${x.urn})` })),
    findings: findingsModel(view.plan.id, s, false),
    maxRows: MAX_ROWS,
    version: view.open?.version ?? 0,
    // The section as it stands now: a save from a form loaded with it goes through whatever else changed.
    digest: sectionDigest(s, key),
  };
}

export function sendModel(view: PlanView, today: IsoDate) {
  const open = view.open;
  const s = open?.sections ?? view.shown.sections;
  return {
    pageTitle: `Send to the parents: ${childLine(view)}`,
    childName: childLine(view),
    planId: view.plan.id,
    isDraft: open?.reason === 'new_plan',
    findings: findingsModel(view.plan.id, s, true),
    commentsEndIfToday: formatDate(commentPeriodEnds(today)),
    finalDueOn: view.finalDueOn,
    version: open?.version ?? 0,
  };
}

export function issueModel(view: PlanView) {
  const open = view.open;
  const finalFrom = open?.sentOn ? earliestFinalDay(open.sentOn) : null;
  return {
    pageTitle: `Issue the final plan: ${childLine(view)}`,
    childName: childLine(view),
    planId: view.plan.id,
    isFirst: open?.reason === 'new_plan',
    sentOn: open?.sentOn ?? null,
    finalFrom,
    parentsEndOn: finalFrom ? addDays(finalFrom, -1) : null,
    finalDueOn: open?.reason === 'new_plan' ? view.finalDueOn : null,
    pastTwentyWeeks:
      open?.reason === 'new_plan' && view.finalDueOn
        ? compareIsoDates(view.today, view.finalDueOn) > 0
        : false,
    placement: open?.sections.i ?? null,
    consulted: open?.consultedSchool
      ? {
          school: open.consultedSchool,
          on: open.consultedOn,
          answerDueOn: open.consultedOn ? consultationAnswerDue(open.consultedOn) : null,
          answer: open.consultedAnswer,
        }
      : null,
    sectionIHref: `${paths.ehcPlanSection.to({ ehcPlanId: view.plan.id })}?section=i`,
    findings: findingsModel(view.plan.id, open?.sections ?? view.shown.sections, false),
    version: open?.version ?? 0,
  };
}

export function compareModel(view: PlanView, compared: Compare | null) {
  return {
    pageTitle: `Versions of the plan: ${childLine(view)}`,
    childName: childLine(view),
    planId: view.plan.id,
    versions: view.versions.map((v) => ({
      number: v.number,
      stage: PLAN_VERSION_STAGES[v.stage],
      reason: PLAN_VERSION_REASONS[v.reason],
      sentOn: v.sentOn,
      issuedOn: v.issuedOn,
      createdByName: v.createdByName,
      href: `${paths.ehcPlan.to({ ehcPlanId: view.plan.id })}?version=${v.number}`,
    })),
    choices: view.versions.map((v) => ({ value: String(v.number), text: `Version ${v.number}` })),
    compared: compared
      ? {
          from: compared.from.number,
          to: compared.to.number,
          differences: compared.differences,
        }
      : null,
  };
}

export const amendReasons = options(AMENDMENT_REASONS);
export const ceaseReasons = options(CEASE_REASONS);
