import { formatDate, type IsoDate } from '../../domain/dates.ts';
import type { EhcPlanItem, EhcSummaryItem } from '../../repositories/ehc-plan-school.ts';
import { paths } from '../paths.ts';

/*
 * How a pupil's EHC plan reads on the pupil's page: that a plan exists, when it was issued and when its
 * annual review falls due, with a link for those who read the plan itself.
 */

/** When the annual review falls due, in words. */
export const dueText = (reviewDueOn: string | null, today: IsoDate) =>
  reviewDueOn
    ? `${reviewDueOn < today ? 'Overdue: was due by' : 'Due by'} ${formatDate(reviewDueOn)}`
    : 'Not known';

/** The pupil page's "EHC plan" panel, for those who read the pupil's EHC work (null otherwise). */
export function pupilEhcPlanPanel(page: {
  pupil: { id: string; senStage: string };
  ehcPlans: readonly EhcPlanItem[];
  ehcSummaries: readonly EhcSummaryItem[];
  ehcPlanActions: {
    readPanel: boolean;
    readPlan: boolean;
    recordSummary: boolean;
    recordOnRegister: boolean;
  };
  today: IsoDate;
}) {
  const may = page.ehcPlanActions;
  if (!may.readPanel) return null;
  const plan = page.ehcPlans[0] ?? null;
  const summary = page.ehcSummaries.find((s) => s.endedOn === null) ?? null;
  // With no plan, the panel is only the SENCo's offer to record one from another authority, for a pupil
  // on the register (one who arrived with a plan is at SEN support or stage E), not on every pupil's page.
  const mayRecord = may.recordSummary && ['sen_support', 'ehc_plan'].includes(page.pupil.senStage);
  if (!plan && !summary && !mayRecord) return null;
  const held = (plan && plan.status === 'final') || summary !== null;
  return {
    planHref: may.readPlan && (plan || summary) ? paths.pupilEhcPlan.to({ pupilId: page.pupil.id }) : null,
    plan: plan && {
      authorityName: plan.authorityName,
      status: plan.status,
      issuedOn: plan.issuedOn,
      startedOn: plan.startedOn,
      ceasedOn: plan.ceasedOn,
      reviewDue: plan.status === 'final' ? dueText(plan.reviewDueOn, page.today) : null,
      overdue: plan.status === 'final' && plan.reviewDueOn !== null && plan.reviewDueOn < page.today,
    },
    summary: plan?.status !== 'final' ? summary : null,
    summaryHref: summary && may.readPlan ? paths.ehcPlanSummary.to({ summaryId: summary.id }) : null,
    recordSummaryHref:
      mayRecord && !(plan && plan.status === 'final') && !summary
        ? paths.ehcPlanSummaryNew.to({ pupilId: page.pupil.id })
        : null,
    /** The register still shows SEN support (or less) although the pupil holds a plan. */
    registerHref:
      held && may.recordOnRegister && page.pupil.senStage !== 'ehc_plan'
        ? paths.pupilRegister.to({ pupilId: page.pupil.id })
        : null,
  };
}
