import { describe, expect, it } from 'vitest';
import { pupilEhcPlanPanel } from './ehc-plans.ts';

/*
 * The pupil page's "EHC plan" panel: the plan's dates for whoever reads the pupil's EHC work, a link to
 * the plan for those who read it, the offer to record a plan from another authority only for a pupil on
 * the register, and the prompt to record the plan on the register while it still shows SEN support.
 */

const SENCO = { readPanel: true, readPlan: true, recordSummary: true, recordOnRegister: true };
const ASSISTANT = { readPanel: true, readPlan: false, recordSummary: false, recordOnRegister: false };
const plan = {
  organisationId: 'org',
  planId: 'plan',
  status: 'final' as const,
  startedOn: '2026-03-02',
  reviewDueOn: '2027-03-01',
  lastReviewOn: null,
  ceasedOn: null,
  issuedOn: '2026-03-02',
  finalVersion: 1,
  authorityName: 'Northshire Council',
};
const panel = (senStage: string, actions = SENCO, plans = [plan]) =>
  pupilEhcPlanPanel({
    pupil: { id: 'p1', senStage },
    ehcPlans: plans,
    ehcSummaries: [],
    ehcPlanActions: actions,
    today: '2027-03-05',
  });

describe('the pupil page’s EHC plan panel', () => {
  it('gives the plan’s dates, says an overdue review is overdue, and links the plan for those who read it', () => {
    expect(panel('ehc_plan')).toMatchObject({
      planHref: '/pupils/p1/ehc-plan',
      plan: { issuedOn: '2026-03-02', reviewDue: 'Overdue: was due by 1 March 2027', overdue: true },
      registerHref: null,
      recordSummaryHref: null,
    });
    expect(panel('ehc_plan', ASSISTANT)).toMatchObject({ planHref: null, plan: { overdue: true } });
  });

  it('asks for the plan to be recorded on the register while the register shows SEN support', () => {
    expect(panel('sen_support')?.registerHref).toBe('/pupils/p1/register');
    expect(panel('sen_support', ASSISTANT)?.registerHref).toBeNull();
  });

  it('offers to record a plan from another authority only for a pupil on the register, and to the SENCo', () => {
    expect(panel('sen_support', SENCO, [])?.recordSummaryHref).toBe('/pupils/p1/ehc-plan/summary/new');
    expect(panel('none', SENCO, [])).toBeNull();
    expect(panel('sen_support', ASSISTANT, [])).toBeNull();
  });
});
