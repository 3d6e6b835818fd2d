import { describe, expect, it } from 'vitest';
import { STARTER_BANK } from '../domain/bank-starter.ts';
import { academicYearStartOf, ncYearFromDateOfBirth } from '../domain/calendar.ts';
import { addDays } from '../domain/dates.ts';
import { planDateProblems, reviewState } from '../domain/plans.ts';
import { isSchoolDay } from '../domain/school-days.ts';
import { targetCheckPoints, targetCheckStatus } from '../domain/target-checks.ts';
import { generateDemoSchool } from './generate.ts';
import { HANDWRITTEN_TARGETS, TARGET_NOTES } from './plan-texts.ts';
import { classOnDate } from './plans.ts';

/*
 * The demo's plans and letters as generated (no database): the same rules hold for every school of a
 * multi-school dataset and on any day of the school year it is made on.
 */

const DAYS = ['2026-11-20', '2027-01-15', '2027-05-10', '2027-07-25'];
const make = (seed: number, index: number, today: string) =>
  generateDemoSchool({ seed, index, today, passwordHash: 'x' });
const dayBefore = (d: string) => addDays(d, -1);
/** The same school made once for the tests that only read it. */
const made = new Map<string, ReturnType<typeof make>>();
const school = (index: number, today: string) => {
  const key = `${index}/${today}`;
  if (!made.has(key)) made.set(key, make(2026, index, today));
  return made.get(key)!;
};

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

  it('leave no request for an EHC needs assessment open for a pupil whose plan has been issued', () => {
    const demo = school(0, DAYS[0]!);
    const withPlan = new Set(demo.pupils.filter((x) => x.senStage === 'ehc_plan').map((x) => x.id));
    const requests = demo.plans.actions.filter((a) => a.kind === 'ehc_request' && withPlan.has(a.pupilId));
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((a) => a.status === 'done')).toBe(true);
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
      ...demo.plans.checks.flatMap((c) => c.items.map((i) => i.note)),
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

  it('say who agreed each plan and who closed it, and keep the pupil as each closed plan knew them', () => {
    for (const today of DAYS) {
      for (const index of [0, 1]) {
        const demo = school(index, today);
        const { plans, reviews } = demo.plans;
        const thisYear = academicYearStartOf(today);
        const senco = demo.staff.find((s) => s.roles.includes('senco'))!;
        const teachers = new Set(
          demo.classTeachers.map((c) => demo.staff.find((s) => s.id === c.userId)!.name),
        );
        const classes = demo.classes.map((c) => ({ id: c.id!, name: c.name, ncYear: c.ncYear ?? 0 }));
        let lastYear = 0;
        let leaving = 0;
        for (const plan of plans) {
          if (plan.agreedOn) expect([...teachers, senco.name]).toContain(plan.agreedByName);
          else expect(plan.agreedByName).toBeNull();
          const review = reviews.find((r) => r.planId === plan.id);
          if (plan.status !== 'closed') {
            expect(plan.closedByName).toBeNull();
            expect(plan.pupilAtClose).toBeNull();
            continue;
          }
          expect(plan.closedByName).toBe(review!.reviewedByName);
          const heldOn = review!.heldOn;
          const p = demo.pupils.find((x) => x.id === plan.pupilId)!;
          const then = academicYearStartOf(heldOn);
          // The stage and needs of that day, before the review's own decision took the pupil off the register.
          const entry = demo.registerEntries
            .filter((e) => e.pupilId === p.id && e.effectiveDate <= heldOn)
            .filter((e) => !(e.source === 'register_review' && e.effectiveDate === heldOn))
            .at(-1)!;
          expect(plan.pupilAtClose).toEqual({
            ncYear:
              p.ncYearOverride === null || p.ncYearOverride === undefined
                ? ncYearFromDateOfBirth(p.dateOfBirth, then)
                : p.ncYearOverride - (thisYear - then),
            outOfYearGroup: p.ncYearOverride !== null && p.ncYearOverride !== undefined,
            className: classOnDate(classes, p.classId ?? null, heldOn, thisYear)?.name ?? null,
            senStage: entry.stage,
            primaryNeed: entry.primaryNeed ?? null,
            secondaryNeed: entry.secondaryNeed ?? null,
          });
          const now = classes.find((c) => c.id === p.classId)!;
          if (then < thisYear) {
            // A year back, a year younger and in a class of that year group.
            expect(plan.pupilAtClose!.className).not.toBe(now.name);
            lastYear++;
          }
          if (review!.decision === 'leave_register') {
            expect(plan.pupilAtClose!.senStage).toBe('sen_support');
            leaving++;
          }
        }
        expect(lastYear).toBeGreaterThan(5);
        expect(leaving).toBeGreaterThan(0);
      }
    }
  });

  it('turn the school’s half-termly target checks on, and write a check only where the rules say one was due', () => {
    for (const today of DAYS) {
      for (const index of [0, 1]) {
        const demo = school(index, today);
        const { plans, reviews, targets, checks, settings } = demo.plans;
        expect(settings).toMatchObject([{ schoolId: demo.school.id, halfTermlyTargetChecks: true }]);
        const senco = demo.staff.find((s) => s.roles.includes('senco'))!;
        const teachers = new Set(demo.classTeachers.map((c) => c.userId));
        const latest = new Date(`${today}T01:00:00Z`);
        const seen = new Set<string>();
        for (const c of checks) {
          const plan = plans.find((x) => x.id === c.planId)!;
          const review = reviews.find((r) => r.planId === plan.id);
          const points = targetCheckPoints({ startDate: plan.startDate!, reviewDate: plan.reviewDate! });
          const j = points.findIndex((x) => x.dueOn === c.dueOn);
          expect(j).toBeGreaterThanOrEqual(0);
          // Recorded while it was the check open, the plan in place, before its review, by today.
          const point = points[j]!;
          expect(c.checkedOn >= point.opensOn && c.checkedOn >= plan.agreedOn!).toBe(true);
          if (points[j + 1]) expect(c.checkedOn < points[j + 1]!.opensOn).toBe(true);
          expect(c.checkedOn < plan.reviewDate! && c.checkedOn <= today).toBe(true);
          if (review) expect(c.checkedOn < review.heldOn).toBe(true);
          expect(isSchoolDay(c.checkedOn)).toBe(true);
          expect(c.createdAt! <= latest).toBe(true);
          expect(c.pupilId).toBe(plan.pupilId);
          expect(seen.has(`${c.planId}/${c.dueOn}`)).toBe(false);
          seen.add(`${c.planId}/${c.dueOn}`);
          expect(teachers.has(c.recordedBy!) || c.recordedBy === senco.id).toBe(true);
          // Every target of the plan, in order, in its own words.
          const own = targets.filter((t) => t.planId === plan.id).sort((a, b) => a.position! - b.position!);
          expect(c.items.map((i) => [i.targetId, i.position, i.target])).toEqual(
            own.map((t) => [t.id, t.position, t.target]),
          );
        }
        // Every check a closed plan had due while it was in place was recorded (on time, at the latest);
        // a plan without targets has nothing to check.
        const withTargets = new Set(targets.map((t) => t.planId));
        for (const plan of plans.filter((x) => x.status === 'closed' && withTargets.has(x.id))) {
          const heldOn = reviews.find((r) => r.planId === plan.id)!.heldOn;
          for (const point of targetCheckPoints({
            startDate: plan.startDate!,
            reviewDate: plan.reviewDate!,
          })) {
            const opens = point.opensOn > plan.agreedOn! ? point.opensOn : plan.agreedOn!;
            if (opens <= point.dueOn && point.dueOn < heldOn)
              expect(seen.has(`${plan.id}/${point.dueOn}`)).toBe(true);
          }
        }
        // Mostly on time, a few late.
        const late = checks.filter((c) => c.checkedOn > c.dueOn).length;
        expect(late).toBeGreaterThan(0);
        expect(late).toBeLessThan(checks.length * 0.2);
        // One or two due or overdue now, the rest recorded.
        const states = plans
          .filter((p) => p.status === 'active')
          .map(
            (p) =>
              targetCheckStatus(
                { startDate: p.startDate!, reviewDate: p.reviewDate! },
                checks.filter((c) => c.planId === p.id).map((c) => c.dueOn),
                today,
              ).state,
          );
        const open = states.filter((x) => x === 'due' || x === 'overdue').length;
        expect(open).toBeGreaterThanOrEqual(1);
        expect(open).toBeLessThanOrEqual(2);
        expect(states.filter((x) => x === 'done').length).toBeGreaterThan(10);
      }
    }
  });

  it('mark each target at a check as its review later found it: achieved mostly on track, not achieved mostly not yet', () => {
    const demo = school(0, DAYS[0]!);
    const outcome = new Map(demo.plans.targets.map((t) => [t.id, t.outcome]));
    const progress = (o: string) =>
      demo.plans.checks.flatMap((c) =>
        c.items.filter((i) => outcome.get(i.targetId) === o).map((i) => i.progress),
      );
    const share = (o: string, p: string) => progress(o).filter((x) => x === p).length / progress(o).length;
    expect(progress('achieved').length).toBeGreaterThan(50);
    expect(share('achieved', 'on_track')).toBeGreaterThan(0.6);
    expect(share('achieved', 'not_yet')).toBe(0);
    expect(progress('not_achieved').length).toBeGreaterThan(10);
    expect(share('not_achieved', 'not_yet')).toBeGreaterThan(0.5);
    expect(share('not_achieved', 'on_track')).toBe(0);
    const notes = demo.plans.checks.flatMap((c) => c.items.map((i) => i.note));
    expect(notes.filter(Boolean).length / notes.length).toBeGreaterThan(0.7);
  });

  it('say that the SENCo put each pupil in a group, and took out those who left it before it ended', () => {
    for (const index of [0, 1]) {
      const demo = school(index, DAYS[0]!);
      const senco = demo.staff.find((s) => s.roles.includes('senco'))!;
      const { groups, members } = demo.provision;
      for (const m of members) {
        const g = groups.find((x) => x.id === m.groupId)!;
        expect(m.addedByName).toBe(senco.name);
        expect(m.leftByName ?? null).toBe(m.leftOn ? senco.name : null);
        // Those who stayed until the group ended did not leave it themselves: the group ended.
        if (m.leftOn) expect(g.endDate && m.leftOn < g.endDate).toBeTruthy();
      }
      expect(members.some((m) => m.leftOn)).toBe(true);
    }
  });
});
