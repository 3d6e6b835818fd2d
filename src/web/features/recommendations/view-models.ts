import {
  PLAN_STRATEGY_FIELD_LABELS,
  PLAN_STRATEGY_FIELDS,
  RECOMMENDATION_KIND_LABELS,
  type RecommendationStanding,
} from '../../../domain/agencies.ts';
import { AREAS_OF_NEED, type AreaOfNeed } from '../../../domain/census.ts';
import { formatDate } from '../../../domain/dates.ts';
import { numberedArea } from '../../../presenters/plan.ts';
import type { RecommendationService } from '../../../services/recommendations/index.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';

type UsePage = Awaited<ReturnType<RecommendationService['forUse']>>;

/** "In this plan as target 2", "In this plan: Quality-first …", with where it links; null when not in the plan. */
export function standingInPlan(standing: RecommendationStanding, planId: string | null) {
  const inPlan = standing.inPlan;
  if (!inPlan || !planId) return null;
  return inPlan.as === 'target'
    ? {
        text: `In this plan as target ${inPlan.position}`,
        href: paths.plan.to({ planId }, `#target-${inPlan.targetId}`),
      }
    : {
        text: `In this plan as a strategy: ${PLAN_STRATEGY_FIELD_LABELS[inPlan.field]}`,
        href: paths.plan.to({ planId }, '#support'),
      };
}

const USED_AS: Record<string, string> = {
  target: 'as a target of a plan',
  strategy: 'as a strategy in a plan',
  provision: 'in the provision',
};

/** The page of one recommendation: what it says, where it came from, where it is used, and its forms. */
export function usePageModel(page: UsePage) {
  const { recommendation: r, report, pupil, plan } = page;
  const pupilName = `${pupil.forename} ${pupil.surname}`;
  return {
    pageTitle: `Use a recommendation for ${pupilName}`,
    pupil,
    pupilName,
    recommendation: r,
    report,
    source: page.source,
    summary: [
      { key: { text: 'Recommendation' }, value: { text: r.text } },
      { key: { text: 'Kind' }, value: { text: RECOMMENDATION_KIND_LABELS[r.kind] } },
      {
        key: { text: 'Area of need' },
        value: { text: r.area ? numberedArea(r.area as AreaOfNeed) : 'Not given' },
      },
      {
        key: { text: 'From' },
        value: {
          text: `${report.title}, by ${report.authorName} (${report.agencyName}), ${formatDate(report.writtenOn)}`,
        },
      },
      { key: { text: 'Source, as the plan shows it' }, value: { text: page.source } },
    ],
    reportHref: paths.report.to({ reportId: report.id }),
    inPlan: standingInPlan(page.standing, plan?.id ?? null),
    groups: page.standing.groups.map((g) => ({ name: g.name, href: paths.group.to({ groupId: g.groupId }) })),
    uses: page.uses.map((u) => ({
      text: `Used ${USED_AS[u.usedAs] ?? ''}${u.groupName ? ` (${u.groupName})` : ''} by ${u.usedByName}`,
    })),
    left: page.left,
    plan: plan && {
      id: plan.id,
      cycle: plan.cycle,
      statusLabel:
        plan.status === 'draft' ? 'draft' : plan.status === 'active' ? 'in place' : 'being reviewed',
      href: paths.plan.to({ planId: plan.id }),
      mayUse: plan.mayUse,
      full: plan.full,
      targets: plan.targets.map((t) => ({ position: t.position, target: t.target })),
      parts: PLAN_STRATEGY_FIELDS.map((f) => ({ label: PLAN_STRATEGY_FIELD_LABELS[f], text: plan[f] ?? '' })),
    },
    version: plan?.version,
    planName: page.planName,
    maxTargets: page.maxTargets,
    actions: page.actions,
    strategyOptions: PLAN_STRATEGY_FIELDS.map((f) => ({ value: f, text: PLAN_STRATEGY_FIELD_LABELS[f] })),
    groupOptions: page.groups
      .filter((g) => !g.member)
      .map((g) => ({ value: g.id, text: `${g.name} (${g.interventionName})` })),
    groupsNow: page.groups.filter((g) => g.member).map((g) => g.name),
    newGroupHref: paths.groupNew.to({ recommendationId: r.id }),
  };
}

/** A fresh page's values: the recommendation's words as the target, quality-first teaching, today. */
export function useFormValues(page: UsePage): FormBody {
  return {
    planId: page.plan?.id ?? '',
    version: page.plan ? String(page.plan.version) : '',
    target: page.recommendation.text,
    area: page.recommendation.area ?? '',
    achievementCriteria: '',
    resourcesAndTechniques: '',
    classStrategies: '',
    field: 'qualityFirst',
    ...dateParts('joinedOn', page.today),
  };
}

/** The area-of-need choices of the target form, "1 Communication and interaction" first. */
export const areaOptions = () => [
  { value: '', text: 'Choose an area' },
  ...AREAS_OF_NEED.map((a) => ({ value: a, text: numberedArea(a) })),
];
