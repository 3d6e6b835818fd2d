import { describe, expect, it } from 'vitest';
import type { NeedCode } from '../domain/census.ts';
import { NEED_CODES } from '../domain/census.ts';
import { PROVISION_SECTIONS } from '../domain/ehc-plan.ts';
import { checkPlan } from '../domain/ehc-plan-check.ts';
import { demoPlanDelivery, demoPlanSections, INDIVIDUAL, matchPlanToGroups } from './ehc-plans.ts';
import { generateDemoSchool } from './generate.ts';

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
      // The plan-quality check finds nothing: the draft a caseworker would send.
      expect(checkPlan(plan)).toEqual([]);
      // Each item of F is said to be delivered by the school's groups or by none, and no more.
      expect(demoPlanDelivery(need).map((d) => d.provisionId)).toEqual(plan.f.provision.map((p) => p.id));
    });
  }
});

describe('the demo’s plans matched to the school’s groups', () => {
  it('links each item to the first group of the pupil’s that delivers it, and none where none does', () => {
    const groups = [
      { groupId: 'g-speech', intervention: 'Speech sound practice' },
      { groupId: 'g-salt', intervention: 'Speech and language therapy' },
      { groupId: 'g-maths', intervention: 'Maths number sense group' },
    ];
    expect(matchPlanToGroups('SLCN', groups)).toEqual([
      { provisionId: 'f-1', groupId: 'g-salt' },
      { provisionId: 'f-2', groupId: 'g-speech' },
    ]);
    expect(matchPlanToGroups('HI', groups)).toEqual([]);
    expect(matchPlanToGroups('ASD', [{ groupId: 'g-1', intervention: INDIVIDUAL }])).toEqual([
      { provisionId: 'f-1', groupId: 'g-1' },
      { provisionId: 'f-3', groupId: 'g-1' },
    ]);
  });

  it('gives every pupil with a plan, this year, a group for each item of F a group can deliver', () => {
    for (const index of [0, 1, 2]) {
      const demo = generateDemoSchool({ seed: 2026, index, today: '2026-11-20', passwordHash: 'x' });
      const { groups, members, interventions } = demo.provision;
      const nameOf = new Map(interventions.map((i) => [i.id, i.name]));
      const ongoing = new Map(
        groups.filter((g) => g.startDate <= '2026-11-20' && !g.endDate).map((g) => [g.id, g]),
      );
      const planned = demo.pupils.filter((p) => p.senStage === 'ehc_plan' && !p.leftOn);
      expect(planned.length).toBeGreaterThan(0);
      let linked = 0;
      let left = 0;
      for (const p of planned) {
        const mine = members
          .filter((m) => m.pupilId === p.id && !m.leftOn && ongoing.has(m.groupId))
          .map((m) => ({
            groupId: m.groupId,
            intervention: nameOf.get(ongoing.get(m.groupId)!.interventionId)!,
          }));
        const need = (p.primaryNeed ?? 'SLCN') as NeedCode;
        const links = matchPlanToGroups(need, mine);
        for (const item of demoPlanDelivery(need)) {
          const found = links.some((l) => l.provisionId === item.provisionId);
          // Delivered exactly when some group could deliver it.
          expect(found).toBe(item.interventions.length > 0);
          if (found) linked++;
          else left++;
        }
      }
      // Most of the plans' provision is delivered by the pupils' groups; little or none is left to flag.
      expect(linked).toBeGreaterThan(left * 3);
    }
  });
});
