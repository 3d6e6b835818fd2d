import { describe, expect, it } from 'vitest';
import { areaOfNeed, needCodesInArea } from './census.ts';
import {
  CENSUS_PROVISION,
  classifyRegisterChange,
  notReviewedForOverATerm,
  previousTermStart,
  registerRuleErrors,
} from './register.ts';

const none = { stage: 'none', primaryNeed: null, secondaryNeed: null } as const;

describe('census rules for needs', () => {
  it('requires a primary need at SEN support and EHC plan', () => {
    expect(
      registerRuleErrors({ stage: 'sen_support', primaryNeed: null, secondaryNeed: null })[0]?.field,
    ).toBe('primaryNeed');
    expect(registerRuleErrors({ stage: 'ehc_plan', primaryNeed: null, secondaryNeed: null })).toHaveLength(1);
    expect(registerRuleErrors({ stage: 'sen_support', primaryNeed: 'SLCN', secondaryNeed: null })).toEqual(
      [],
    );
  });
  it('allows NSA only with SEN support, and only as the primary need', () => {
    expect(registerRuleErrors({ stage: 'sen_support', primaryNeed: 'NSA', secondaryNeed: null })).toEqual([]);
    expect(
      registerRuleErrors({ stage: 'ehc_plan', primaryNeed: 'NSA', secondaryNeed: null })[0]?.message,
    ).toMatch(/NSA/);
    expect(
      registerRuleErrors({ stage: 'sen_support', primaryNeed: 'SLCN', secondaryNeed: 'NSA' })[0]?.field,
    ).toBe('secondaryNeed');
  });
  it('refuses two needs with one rank: the secondary differs from the primary', () => {
    expect(
      registerRuleErrors({ stage: 'ehc_plan', primaryNeed: 'ASD', secondaryNeed: 'ASD' })[0]?.field,
    ).toBe('secondaryNeed');
    expect(registerRuleErrors({ stage: 'ehc_plan', primaryNeed: 'ASD', secondaryNeed: 'SLCN' })).toEqual([]);
  });
  it('records no needs at monitoring or no SEN', () => {
    expect(
      registerRuleErrors({ stage: 'monitoring', primaryNeed: 'SLCN', secondaryNeed: null }),
    ).toHaveLength(1);
    expect(registerRuleErrors(none)).toEqual([]);
  });
  it('maps stages to census provision codes', () => {
    expect(CENSUS_PROVISION).toEqual({ none: 'N', monitoring: 'N', sen_support: 'K', ehc_plan: 'E' });
  });
  it('knows the broad area of each need', () => {
    expect(areaOfNeed('SLCN')).toBe('communication_and_interaction');
    expect(areaOfNeed('SEMH')).toBe('social_emotional_and_mental_health');
    expect(areaOfNeed('NSA')).toBeNull();
    expect(needCodesInArea('sensory_and_physical')).toEqual(['HI', 'VI', 'MSI', 'PD']);
  });
});

describe('stage transitions', () => {
  it('names each kind of change', () => {
    expect(
      classifyRegisterChange(none, { stage: 'monitoring', primaryNeed: null, secondaryNeed: null }),
    ).toEqual({ kind: 'added_to_monitoring' });
    expect(
      classifyRegisterChange(
        { stage: 'monitoring', primaryNeed: null, secondaryNeed: null },
        { stage: 'sen_support', primaryNeed: 'MLD', secondaryNeed: null },
      ),
    ).toEqual({
      kind: 'added_to_sen_support',
    });
    expect(
      classifyRegisterChange(
        { stage: 'sen_support', primaryNeed: 'MLD', secondaryNeed: null },
        { stage: 'ehc_plan', primaryNeed: 'MLD', secondaryNeed: null },
      ),
    ).toEqual({
      kind: 'ehc_plan_recorded',
    });
    expect(
      classifyRegisterChange(
        { stage: 'ehc_plan', primaryNeed: 'MLD', secondaryNeed: null },
        { stage: 'sen_support', primaryNeed: 'MLD', secondaryNeed: null },
      ),
    ).toEqual({
      kind: 'moved_to_sen_support',
    });
    expect(
      classifyRegisterChange({ stage: 'sen_support', primaryNeed: 'MLD', secondaryNeed: null }, none),
    ).toEqual({ kind: 'left_register' });
    expect(
      classifyRegisterChange(
        { stage: 'sen_support', primaryNeed: 'MLD', secondaryNeed: null },
        { stage: 'sen_support', primaryNeed: 'SPLD', secondaryNeed: null },
      ),
    ).toEqual({
      kind: 'needs_changed',
    });
  });
  it('refuses a change that changes nothing', () => {
    const result = classifyRegisterChange(
      { stage: 'sen_support', primaryNeed: 'MLD', secondaryNeed: null },
      { stage: 'sen_support', primaryNeed: 'MLD', secondaryNeed: null },
    );
    expect(result).toHaveProperty('error');
  });
});

describe('pupils not reviewed for more than a term', () => {
  it('flags a pupil last reviewed before the previous term began', () => {
    expect(previousTermStart('2026-11-20')).toBe('2026-04-01');
    expect(previousTermStart('2027-02-10')).toBe('2026-09-01');
    // Reviewed last term (summer), now autumn: fine. Reviewed in spring: more than a term ago.
    expect(notReviewedForOverATerm('2026-05-12', '2025-10-01', '2026-11-20')).toBe(false);
    expect(notReviewedForOverATerm('2026-03-20', '2025-10-01', '2026-11-20')).toBe(true);
  });
  it('counts from the day they came onto their stage when never reviewed', () => {
    expect(notReviewedForOverATerm(null, '2026-10-01', '2026-11-20')).toBe(false);
    expect(notReviewedForOverATerm(null, '2026-01-15', '2026-11-20')).toBe(true);
    expect(notReviewedForOverATerm(null, null, '2026-11-20')).toBe(true);
    // Joined this term by a CTF with SEN support from 2024 at the school before: not overdue yet.
    expect(notReviewedForOverATerm(null, '2024-01-08', '2026-11-20', '2026-11-20')).toBe(false);
    expect(notReviewedForOverATerm(null, '2024-01-08', '2026-11-20', '2025-09-03')).toBe(true);
  });
});
