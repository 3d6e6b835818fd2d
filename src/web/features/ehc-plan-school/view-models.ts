import { formatDate } from '../../../domain/dates.ts';
import { isKeyOf } from '../../../domain/ehc.ts';
import { CEASE_REASONS, PLAN_VERSION_REASONS } from '../../../domain/ehc-plan.ts';
import { formatPence } from '../../../domain/provision-costs.ts';
import type { createSchoolPlanService } from '../../../services/ehc/school-plans.ts';
import { paths } from '../../paths.ts';
import { dueText } from '../../shared/ehc-plans.ts';

/*
 * How a pupil's EHC plan reads at school: the panel on the pupil's page (issued on, review due, a link
 * for those who read the plan), the plan's own page, the outcomes a support plan's targets are taken
 * from, and the provision of the plans beside what each pupil receives.
 */

type Service = ReturnType<typeof createSchoolPlanService>;
type PupilPlanPage = Awaited<ReturnType<Service['pupilPlan']>>;
type BesidePage = Awaited<ReturnType<Service['provisionBeside']>>;

/** The pupil's EHC plan page. */
export function pupilPlanModel(page: PupilPlanPage) {
  const plan = page.plan;
  const fullName = `${page.pupil.forename} ${page.pupil.surname}`;
  const hasFinal = plan?.status === 'final';
  return {
    pageTitle: `${fullName}: EHC plan`,
    fullName,
    pupil: page.pupil,
    backHref: paths.pupil.to({ pupilId: page.pupil.id }),
    plan: plan && {
      ...plan,
      facts: [
        ['Local authority', plan.authorityName],
        [
          'Status',
          plan.status === 'ceased'
            ? `Ceased on ${formatDate(plan.ceasedOn)}${plan.ceaseReason && isKeyOf(CEASE_REASONS, plan.ceaseReason) ? `: ${CEASE_REASONS[plan.ceaseReason]}` : ''}`
            : 'Final',
        ],
        ['First issued', plan.startedOn ? formatDate(plan.startedOn) : 'Not known'],
        [
          'This version',
          `Version ${plan.version}, issued ${plan.issuedOn ? formatDate(plan.issuedOn) : '(date not known)'}${isKeyOf(PLAN_VERSION_REASONS, plan.reason) && plan.reason !== 'new_plan' ? `: ${PLAN_VERSION_REASONS[plan.reason].toLowerCase()}` : ''}`,
        ],
        ['Last annual review', plan.lastReviewOn ? formatDate(plan.lastReviewOn) : 'None yet'],
        ...(plan.status === 'final' ? [['Next annual review', dueText(plan.reviewDueOn, page.today)]] : []),
      ] as [string, string][],
      pdfHref: paths.pupilEhcPlanPdf.to({ pupilId: page.pupil.id }),
    },
    summaries: page.summaries.map((s) => ({
      href: paths.ehcPlanSummary.to({ summaryId: s.id }),
      text: `${s.localAuthorityName}: plan issued ${formatDate(s.issuedOn)}`,
      ended: s.endedOn
        ? `ended ${formatDate(s.endedOn)}`
        : hasFinal
          ? 'the local authority’s own record is now here'
          : null,
    })),
    recordSummaryHref:
      page.actions.recordSummary && !hasFinal ? paths.ehcPlanSummaryNew.to({ pupilId: page.pupil.id }) : null,
  };
}

/** The provision of the plans beside what each pupil receives. */
export function besideModel(page: BesidePage) {
  return {
    pageTitle: 'EHC plan provision beside the provision map',
    notDelivered: page.notDelivered,
    groupItems: [
      { value: '', text: 'Choose a group' },
      ...page.groups.map((g) => ({ value: g.id, text: g.name })),
    ],
    rows: page.rows.map((r) => ({
      ...r,
      fullName: `${r.pupil.forename} ${r.pupil.surname}`,
      pupilHref: paths.pupil.to({ pupilId: r.pupil.id }),
      planHref: r.summary
        ? r.source.kind === 'summary'
          ? paths.ehcPlanSummary.to({ summaryId: r.source.summaryId })
          : null
        : paths.pupilEhcPlan.to({ pupilId: r.pupil.id }),
      linkAction: paths.provisionEhcPlans.to(),
      planText: `${r.authorityName}${r.issuedOn ? `, issued ${formatDate(r.issuedOn)}` : ''}${r.summary ? ' (recorded by the school from its PDF)' : ''}`,
      reviewDue: r.reviewDueOn ? formatDate(r.reviewDueOn) : null,
      cost: formatPence(r.costThisYear),
      groups: r.groups.map((g) => ({
        ...g,
        cost: formatPence(g.costThisYear),
        href: paths.group.to({ groupId: g.groupId }),
      })),
    })),
  };
}
