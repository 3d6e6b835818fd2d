import { describe, expect, it } from 'vitest';
import { STARTER_BANK } from '../domain/bank-starter.ts';
import { academicYearStartOf } from '../domain/calendar.ts';
import { addDays } from '../domain/dates.ts';
import { planDateProblems, reviewState } from '../domain/plans.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { generateDemoSchool } from './generate.ts';
import { HANDWRITTEN_TARGETS, TARGET_NOTES } from './plan-texts.ts';

/*
 * The demo's plans and letters as generated (no database): the same rules hold for every school of a
 * multi-school dataset and on any day of the school year it is made on.
 */

const DAYS = ['2026-11-20', '2027-01-15', '2027-05-10', '2027-07-25'];
const make = (seed: number, index: number, today: string) =>
  generateDemoSchool({ seed, index, today, passwordHash: 'x' });
const dayBefore = (d: string) => addDays(d, -1);

describe('the demo school’s plans and letters', () => {
  it('are the same for the same seed, and each school of a dataset has its own', () => {
    const a = make(2026, 0, DAYS[0]!);
    const b = make(2026, 0, DAYS[0]!);
    expect(b.plans).toEqual(a.plans);
    expect(b.letters).toEqual(a.letters);
    const other = make(2026, 1, DAYS[0]!);
    expect(other.plans.plans[0]?.id).not.toBe(a.plans.plans[0]?.id);
    expect(other.plans.notes.map((n) => n.body)).not.toEqual(a.plans.notes.map((n) => n.body));
  });

  it('hold true dates on any day of the year: nothing in the future, meetings and notes on school days', () => {
    for (const today of DAYS) {
      for (const index of [0, 1, 2]) {
        const demo = make(7, index, today);
        const { plans, reviews, notes, targets } = demo.plans;
        const planOf = new Map(plans.map((p) => [p.id, p]));
        for (const p of plans) {
          expect(p.startDate! <= today).toBe(true);
          expect(planDateProblems({ startDate: p.startDate!, reviewDate: p.reviewDate! })).toEqual([]);
          expect(p.createdAt!.toISOString().slice(0, 10) <= p.startDate!).toBe(true);
          if (p.status !== 'draft') expect(isSchoolDay(p.reviewDate!)).toBe(true);
        }
        for (const r of reviews) {
          expect(r.heldOn <= today && isSchoolDay(r.heldOn)).toBe(true);
          expect(r.heldOn >= planOf.get(r.planId)!.startDate!).toBe(true);
        }
        for (const n of notes) {
          const plan = planOf.get(n.planId)!;
          const review = reviews.find((r) => r.planId === plan.id);
          expect(isSchoolDay(n.writtenOn)).toBe(true);
          expect(n.writtenOn >= plan.agreedOn! && n.writtenOn <= today).toBe(true);
          if (review) expect(n.writtenOn <= dayBefore(review.heldOn)).toBe(true);
        }
        // One plan in force at most, and the pupils who are listed have one, bar a handful.
        const inForce = plans.filter((p) => p.status === 'active' || p.status === 'in_review');
        expect(new Set(inForce.map((p) => p.pupilId)).size).toBe(inForce.length);
        const listed = demo.pupils.filter((p) => p.senStage === 'sen_support' || p.senStage === 'ehc_plan');
        const withPlan = new Set(inForce.map((p) => p.pupilId));
        expect(listed.filter((p) => !withPlan.has(p.id!)).length).toBeLessThan(listed.length * 0.35);
        for (const l of demo.letters.letters) {
          expect(l.sentOn <= today && isSchoolDay(l.sentOn)).toBe(true);
          if (l.slipReturnedOn) expect(l.slipReturnedOn >= l.sentOn && l.slipReturnedOn <= today).toBe(true);
        }
        expect(targets.every((t) => t.outcome === null || reviews.some((r) => r.planId === t.planId))).toBe(
          true,
        );
        // Nothing is stamped later than the demo could be made on `today`, whatever the hour.
        const latest = new Date(`${today}T01:00:00Z`);
        const stamps = [
          ...plans.flatMap((p) => [p.createdAt, p.closedAt]),
          ...notes.map((n) => n.createdAt),
          ...reviews.map((r) => r.createdAt),
          ...demo.plans.profiles.map((x) => x.updatedAt),
          ...demo.letters.letters.map((l) => l.createdAt),
        ].filter((d): d is Date => d instanceof Date);
        expect(stamps.filter((d) => d > latest)).toEqual([]);
      }
    }
  });

  it('give every school of a dataset plans due and overdue, an old draft and every EHC pupil plans over a year', () => {
    const today = '2026-11-20';
    for (const index of [0, 1, 2, 3, 4, 5]) {
      const demo = make(2026, index, today);
      const { plans } = demo.plans;
      const states = plans
        .filter((p) => p.status === 'active' || p.status === 'in_review')
        .map((p) => reviewState(p.reviewDate!, today));
      expect(states).toContain('due_soon');
      expect(states).toContain('overdue');
      expect(
        plans.some(
          (p) => p.status === 'draft' && p.createdAt!.toISOString().slice(0, 10) < addDays(today, -14),
        ),
      ).toBe(true);
      for (const p of demo.pupils.filter((x) => x.senStage === 'ehc_plan')) {
        const starts = plans.filter((x) => x.pupilId === p.id).map((x) => x.startDate!);
        expect(starts.length).toBeGreaterThan(0);
        expect(Date.parse(today) - Date.parse(starts.sort()[0]!)).toBeGreaterThan(365 * 86_400_000);
      }
    }
  });

  it('are written for the child: their name in the targets, no placeholder left, British spelling', () => {
    const demo = make(2026, 0, '2026-11-20');
    const { plans, targets, notes, reviews, profiles } = demo.plans;
    const texts = [
      ...plans.flatMap((p) => [
        p.strengths,
        p.areasOfConcern,
        p.desiredOutcomes,
        p.qualityFirst,
        p.interventions,
        p.taSupport,
        p.resources,
        p.parentPupilContribution,
        p.parentsSupportAtHome,
        p.parentsViews,
        p.pupilViews,
        p.agreedWith,
      ]),
      ...targets.flatMap((t) => [
        t.target,
        t.achievementCriteria,
        t.resourcesAndTechniques,
        t.classStrategies,
      ]),
      ...notes.map((n) => n.body),
      ...reviews.flatMap((r) => [r.attendees, r.pupilViews, r.parentsViews, r.decisionNotes]),
      ...profiles.flatMap((x) => [x.likeAndAdmire, x.importantToMe, x.howToSupportMe]),
      ...demo.letters.letters.flatMap((l) => [l.body, l.slip]),
    ].filter((t): t is string => typeof t === 'string');
    expect(texts.length).toBeGreaterThan(5000);
    for (const t of texts) {
      expect(t).not.toMatch(/\{|\}|\bX will\b|undefined|null/);
      expect(t).not.toMatch(/\b(color|behavior|program|practice (?:his|her|their)|center|organize)\b/i);
    }
    for (const t of targets) {
      const p = demo.pupils.find((x) => x.id === t.pupilId)!;
      expect(t.target.startsWith(`${p.preferredName ?? p.forename} will`)).toBe(true);
    }
  });

  it('have notes written for each kind of target in the bank and by hand', () => {
    const bankTargets = STARTER_BANK.filter((e) => e.kind === 'target').map((e) => e.text);
    const handwritten = Object.values(HANDWRITTEN_TARGETS).flatMap((list) => list.map(([text]) => text));
    for (const text of [...bankTargets, ...handwritten]) {
      const written = text
        .replace(/\bX\b/g, 'Sam')
        .replace(/\{name\}/g, 'Sam')
        .replace(/\{his\}/g, 'his');
      expect(
        TARGET_NOTES.some(([words]) => written.includes(words)),
        text,
      ).toBe(true);
    }
  });

  it('start this school year’s notes with the pupil’s class teacher of this year', () => {
    const today = '2026-11-20';
    const demo = make(2026, 0, today);
    const yearStart = `${academicYearStartOf(today)}-09-01`;
    const teacherOf = new Map(demo.classTeachers.map((c) => [c.classId, c.userId]));
    const tas = new Map(demo.assignments.map((a) => [a.pupilId, a.userId]));
    const senco = demo.staff.find((s) => s.roles.includes('senco'))!.id;
    for (const n of demo.plans.notes.filter((x) => x.writtenOn >= yearStart)) {
      const p = demo.pupils.find((x) => x.id === n.pupilId)!;
      expect([teacherOf.get(p.classId!), tas.get(p.id!), senco]).toContain(n.authorId);
    }
  });
});
