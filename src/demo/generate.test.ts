import { describe, expect, it } from 'vitest';
import {
  academicYearPeriod,
  addFractions,
  DEFAULT_HOURLY_PENCE,
  type Fraction,
  memberCosts,
  roundHalfUp,
  ZERO,
} from '../domain/provision-costs.ts';
import { summarise } from '../domain/provision-impact.ts';
import { registerRuleErrors } from '../domain/register.ts';
import { upnProblem } from '../domain/upn.ts';
import { generateDemoSchool } from './generate.ts';

const make = (seed = 2026, index = 0) =>
  generateDemoSchool({ seed, index, today: '2026-11-20', passwordHash: 'x' });

describe('demo school', () => {
  it('is the same for the same seed and different for another school', () => {
    expect(make().pupils.map((p) => p.upn)).toEqual(make().pupils.map((p) => p.upn));
    expect(make(2026, 1).school.urn).not.toBe(make().school.urn);
    expect(make(2026, 1).pupils[0]?.id).not.toBe(make().pupils[0]?.id);
  });

  it('looks like a real primary: ~420 pupils in 14 classes, staff in every role', () => {
    const demo = make();
    expect(demo.classes).toHaveLength(14);
    expect(demo.pupils.length).toBeGreaterThan(390);
    expect(demo.pupils.length).toBeLessThan(440);
    expect(new Set(demo.staff.flatMap((s) => s.roles))).toEqual(
      new Set(['senco', 'head_teacher', 'class_teacher', 'teaching_assistant', 'office', 'sen_governor']),
    );
  });

  it('gives each member of a school’s staff a name of their own', () => {
    for (const seed of [2026, 7, 42])
      for (const index of [0, 1, 2]) {
        const names = make(seed, index).staff.map((s) => s.name);
        expect(new Set(names).size, names.join(', ')).toBe(names.length);
      }
  });

  it('gives each class its year groups and counts its classes as this year’s', () => {
    const demo = make();
    for (const c of demo.classes) expect(c.ncYears).toEqual([c.ncYear]);
    expect(demo.school).toMatchObject({ lowestNcYear: -1, highestNcYear: 6, rolledOverTo: 2026 });
  });

  it('has a SENCo who also teaches a class, as in many primaries', () => {
    const demo = make();
    const senco = demo.staff.find((s) => s.roles.includes('senco'))!;
    expect(senco.roles).toEqual(['senco', 'class_teacher']);
    const taught = demo.classTeachers
      .filter((c) => c.userId === senco.id)
      .map((c) => demo.classes.find((k) => k.id === c.classId)?.ncYear);
    expect(taught).toEqual([4]);
  });

  it('has about 13% at SEN support and 2–3% with EHC plans, all valid for the census', () => {
    let pupils = 0;
    let k = 0;
    let e = 0;
    for (let index = 0; index < 8; index++) {
      const demo = make(2026, index);
      // The school's pupils on roll (not those who left years ago).
      const onRoll = demo.pupils.filter((p) => !p.leftOn);
      const n = onRoll.length;
      const kHere = onRoll.filter((p) => p.senStage === 'sen_support').length;
      const eHere = onRoll.filter((p) => p.senStage === 'ehc_plan').length;
      // Each school varies as real schools do, within broad bounds.
      expect(kHere / n).toBeGreaterThan(0.07);
      expect(kHere / n).toBeLessThan(0.19);
      expect(eHere / n).toBeLessThan(0.06);
      pupils += n;
      k += kHere;
      e += eHere;
      for (const p of demo.pupils) {
        expect(upnProblem(p.upn)).toBeNull();
        expect(
          registerRuleErrors({
            stage: p.senStage ?? 'none',
            primaryNeed: p.primaryNeed ?? null,
            secondaryNeed: p.secondaryNeed ?? null,
          }),
        ).toEqual([]);
      }
    }
    // Across schools, close to national figures.
    expect(k / pupils).toBeGreaterThan(0.11);
    expect(k / pupils).toBeLessThan(0.145);
    expect(e / pupils).toBeGreaterThan(0.02);
    expect(e / pupils).toBeLessThan(0.035);
  });

  it('has concerns in every state and two years of register history, none in the future', () => {
    const demo = make();
    expect(new Set(demo.concerns.map((c) => c.outcome ?? 'open'))).toEqual(
      new Set([
        'open',
        'no_further_action',
        'pastoral_support',
        'monitoring',
        'sen_support',
        'agency_referral',
      ]),
    );
    const dates = demo.registerEntries.map((e) => e.effectiveDate).sort();
    expect(dates[0]! < '2025-06-01').toBe(true);
    expect(dates.at(-1)! <= '2026-11-20').toBe(true);
    expect(
      demo.concerns.every((c) => c.concernDate <= '2026-11-20' && (c.reviewedOn ?? '') <= '2026-11-20'),
    ).toBe(true);
  });

  it('has two years of provision: some pupils over the threshold, some sessions missed, and one intervention working better than another', () => {
    const { provision: p, pupils } = make();
    const today = '2026-11-20';
    expect(p.groups.some((g) => g.startDate < '2026-09-01')).toBe(true);
    // As far back as the plans go: groups in 2024/25 too, each pupil only once they had started school.
    expect(p.groups.some((g) => g.startDate < '2025-09-01')).toBe(true);
    const admitted = new Map(pupils.map((x) => [x.id, x.admissionDate]));
    expect(p.members.every((m) => !admitted.get(m.pupilId) || admitted.get(m.pupilId)! <= m.joinedOn)).toBe(
      true,
    );
    expect(
      p.groups.every(
        (g) => g.startDate <= today && (g.endDate === null || g.endDate === undefined || g.endDate < today),
      ),
    ).toBe(true);
    expect(p.sessions.every((s) => s.heldOn <= today)).toBe(true);
    expect(p.attendance.some((a) => !a.present)).toBe(true);
    const onRoll = new Set(pupils.map((x) => x.id));
    expect(p.members.every((m) => onRoll.has(m.pupilId))).toBe(true);

    // This academic year's cost per pupil, at the default rates, against £6,000.
    const year = academicYearPeriod(2026);
    const kinds = new Map(p.interventions.map((i) => [i.id, i]));
    const cost = new Map<string, Fraction>();
    for (const g of p.groups) {
      const i = kinds.get(g.interventionId)!;
      const members = p.members.filter((m) => m.groupId === g.id);
      const shares = memberCosts(
        {
          costModel: i.costModel,
          sessionsPerWeek: g.sessionsPerWeek,
          minutesPerSession: g.minutesPerSession,
          hourlyPence: DEFAULT_HOURLY_PENCE[g.delivererKind],
          fixedCostPence: i.fixedCostPence ?? null,
          startDate: g.startDate,
          endDate: g.endDate ?? null,
          members: members.map((m) => ({ id: m.pupilId, joinedOn: m.joinedOn, leftOn: m.leftOn ?? null })),
        },
        year,
      );
      for (const [pupilId, share] of shares)
        cost.set(pupilId, addFractions(cost.get(pupilId) ?? ZERO, share));
    }
    const over = [...cost.values()].filter((c) => roundHalfUp(c) > 600_000);
    expect(over.length).toBeGreaterThanOrEqual(1);
    expect(over.length).toBeLessThan(cost.size / 4);

    // Both measured by standardised scores: the number sense group clearly beats the online programme.
    const average = (name: string) => {
      const id = p.interventions.find((i) => i.name === name)!.id;
      const groups = new Set(p.groups.filter((g) => g.interventionId === id).map((g) => g.id));
      const rows = p.members
        .filter((m) => groups.has(m.groupId))
        .map((m) => ({
          entry: m.entryMeasure ?? null,
          exit: m.exitMeasure ?? null,
          entryOn: m.entryMeasuredOn ?? null,
          exitOn: m.exitMeasuredOn ?? null,
        }));
      return summarise('standardised_score', rows);
    };
    const works = average('Maths number sense group');
    const barely = average('Online reading programme');
    expect(works.measured).toBeGreaterThan(3);
    expect(barely.measured).toBeGreaterThan(3);
    expect(works.averageProgress! - barely.averageProgress!).toBeGreaterThanOrEqual(4);
  });
});
