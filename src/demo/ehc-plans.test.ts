import { describe, expect, it } from 'vitest';
import { NEED_CODES } from '../domain/census.ts';
import { PROVISION_SECTIONS } from '../domain/ehc-plan.ts';
import { demoPlanSections } from './ehc-plans.ts';

describe('the demo’s EHC plans hold together, for every need', () => {
  for (const need of NEED_CODES.filter((n) => n !== 'NSA')) {
    it(`${need}: every outcome and item of provision names needs and provision the plan has`, () => {
      const plan = demoPlanSections({
        forename: 'Ada',
        need,
        school: { id: 's', name: 'Brookfield Primary', urn: '100001' },
        adviceOn: '2025-05-01',
      });
      const needIds = new Set([...plan.b.needs, ...plan.c.needs, ...plan.d.needs].map((n) => n.id));
      const provision = PROVISION_SECTIONS.flatMap((s) => plan[s].provision);
      const provisionIds = new Set(provision.map((p) => p.id));
      expect(plan.b.needs[0]?.needType).toBeTruthy();
      expect(plan.e.outcomes.length).toBeGreaterThan(0);
      for (const o of plan.e.outcomes) {
        expect(o.needIds.every((id) => needIds.has(id))).toBe(true);
        expect(o.provisionIds.length).toBeGreaterThan(0);
        expect(o.provisionIds.every((id) => provisionIds.has(id))).toBe(true);
      }
      for (const p of provision) {
        expect(p.frequency && p.duration && p.who && p.what).toBeTruthy();
        expect(p.needIds.every((id) => needIds.has(id))).toBe(true);
      }
      // Every need is met by some provision.
      for (const id of needIds) expect(provision.some((p) => p.needIds.includes(id))).toBe(true);
      expect(JSON.stringify(plan)).not.toContain('NAME');
    });
  }
});
