import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildPlan,
  buildProvisionGroup,
  buildPupil,
  buildStaff,
  TODAY,
  useWorld,
} from '../../../test/builders/index.ts';
import { auditEvent } from '../../db/schema/index.ts';
import { targetCheckStatus } from '../../domain/target-checks.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { TargetCheckInput } from './target-checks.ts';

/*
 * Half-termly target checks (TODAY is 20 November 2026). A plan from 7 September to 4 December runs
 * through the end of Autumn 1 (its last school day, 23 October): that check is overdue.
 */
const world = useWorld();

const AUTUMN_1 = '2026-10-23';

async function setChecks(on: boolean) {
  const { services, w } = world;
  const s = await services.settings.forEdit(w.senco.actor);
  await services.settings.save(w.senco.actor, s.version, { ...s, halfTermlyTargetChecks: on });
}

async function kitsPlan() {
  const { database, w } = world;
  const pupil = await buildPupil(database.db, {
    schoolId: w.school.id,
    classId: w.classA.id,
    stage: 'sen_support',
    primaryNeed: 'SLCN',
  });
  return buildPlan(database.db, {
    schoolId: w.school.id,
    pupilId: pupil.id,
    targets: ['Follow a two-part instruction', 'Start a writing task within two minutes'],
  });
}

const input = (targetIds: string[], over: Partial<TargetCheckInput> = {}): TargetCheckInput => ({
  dueOn: AUTUMN_1,
  checkedOn: '2026-10-22',
  items: targetIds.map((targetId, i) => ({
    targetId,
    progress: i === 0 ? 'on_track' : 'some_progress',
    note: i === 0 ? 'Every day this week' : null,
  })),
  ...over,
});

describe('half-termly target checks', () => {
  it('show nothing and refuse a check while the school does not use them', async () => {
    const { services, w } = world;
    await setChecks(false);
    const plan = await kitsPlan();
    const view = await services.plans.view(w.teacherA.actor, plan.id);
    expect(view.checkStatus).toBeNull();
    expect(view.actions.recordTargetCheck).toBe(false);
    await expect(services.plans.forForm(w.teacherA.actor, plan.id, 'targetCheck')).rejects.toThrow(
      /does not use half-termly target checks/,
    );
    await expect(
      services.plans.recordTargetCheck(w.teacherA.actor, plan.id, 0, input(plan.targetIds)),
    ).rejects.toThrow(/does not use half-termly target checks/);
    const dashboard = await services.workLists.dashboard(w.senco.actor);
    expect(dashboard.counts.map((c) => c.list)).not.toContain('target_checks_due');
  });

  it('are due on the plan and the dashboard, recorded by the class teacher with every target judged, audited, and then done', async () => {
    const { services, database, w } = world;
    await setChecks(true);
    const plan = await kitsPlan();
    let view = await services.plans.view(w.teacherA.actor, plan.id);
    expect(view.checkStatus).toMatchObject({ state: 'overdue', current: { dueOn: AUTUMN_1 } });
    expect(view.actions.recordTargetCheck).toBe(true);
    const list = await services.workLists.dashboard(w.senco.actor, 'target_checks_due');
    expect(list.opened?.rows.find((r) => r.recordId === plan.id)).toMatchObject({ date: AUTUMN_1 });
    const mine = await services.workLists.myPupils(w.teacherA.actor, 'target_checks_due');
    expect(mine.opened?.rows.map((r) => r.recordId)).toContain(plan.id);

    // Every target is judged; the date is not in the future nor before the plan; the check is the open one.
    const [t1, t2] = plan.targetIds;
    await expect(
      services.plans.recordTargetCheck(w.teacherA.actor, plan.id, 0, input([t1!])),
    ).rejects.toMatchObject({ errors: [{ field: `progress-${t2}`, message: 'Say how target 2 is going' }] });
    await expect(
      services.plans.recordTargetCheck(
        w.teacherA.actor,
        plan.id,
        0,
        input(plan.targetIds, { checkedOn: '2026-12-01' }),
      ),
    ).rejects.toThrow(/today or in the past/);
    await expect(
      services.plans.recordTargetCheck(
        w.teacherA.actor,
        plan.id,
        0,
        input(plan.targetIds, { checkedOn: '2026-09-01' }),
      ),
    ).rejects.toThrow(/before the plan started/);
    await expect(
      services.plans.recordTargetCheck(
        w.teacherA.actor,
        plan.id,
        0,
        input(plan.targetIds, { dueOn: '2026-12-18' }),
      ),
    ).rejects.toThrow(/no longer the one open/);
    const other = await kitsPlan();
    await expect(
      services.plans.recordTargetCheck(w.teacherA.actor, plan.id, 0, input([t1!, t2!, other.targetIds[0]!])),
    ).rejects.toThrow(/targets of this plan have changed/);

    const count = async () =>
      (await services.workLists.dashboard(w.senco.actor)).counts.find((c) => c.list === 'target_checks_due')
        ?.count;
    const before = await count();
    await services.plans.recordTargetCheck(w.teacherA.actor, plan.id, 0, input(plan.targetIds));
    view = await services.plans.view(w.teacherA.actor, plan.id);
    expect(view.checkStatus).toMatchObject({ state: 'done', next: null });
    expect(view.checks).toHaveLength(1);
    expect(view.checks[0]).toMatchObject({
      dueOn: AUTUMN_1,
      checkedOn: '2026-10-22',
      recordedByName: 'Tara Teacher',
      version: 1,
      items: [
        {
          targetId: t1,
          position: 1,
          target: 'Follow a two-part instruction',
          progress: 'on_track',
          note: 'Every day this week',
        },
        { targetId: t2, position: 2, progress: 'some_progress', note: null },
      ],
    });
    expect(await count()).toBe((before ?? 0) - 1);
    const audits = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.pupilId, plan.pupilId), eq(auditEvent.action, 'plan.target_check_recorded')));
    expect(audits.map((a) => a.detail)).toEqual([{ planId: plan.id, dueOn: AUTUMN_1 }]);

    // Two people at once: the second "new" check is stale, and keeps the first; a change carries the version.
    await expect(
      services.plans.recordTargetCheck(w.senco.actor, plan.id, 0, input(plan.targetIds)),
    ).rejects.toBeInstanceOf(ConflictError);
    await services.plans.recordTargetCheck(
      w.senco.actor,
      plan.id,
      1,
      input(plan.targetIds, {
        items: plan.targetIds.map((targetId) => ({ targetId, progress: 'not_yet', note: 'Absent' })),
      }),
    );
    await expect(
      services.plans.recordTargetCheck(w.teacherA.actor, plan.id, 1, input(plan.targetIds)),
    ).rejects.toBeInstanceOf(ConflictError);
    view = await services.plans.view(w.senco.actor, plan.id);
    expect(view.checks[0]).toMatchObject({
      version: 2,
      recordedByName: 'Sam Senco',
      items: [{ progress: 'not_yet' }, { progress: 'not_yet' }],
    });
  });

  it('are recorded only by those who write the pupil’s plans, while the plan is in place, at this school', async () => {
    const { services, database, w } = world;
    await setChecks(true);
    const plan = await kitsPlan();
    // A teaching assistant who works with the pupil reads the plan and adds notes: not a check.
    const tia = await buildStaff(database.db, 'teaching_assistant', {
      schoolId: w.school.id,
      assignedPupilIds: [plan.pupilId],
    });
    expect((await services.plans.view(tia.actor, plan.id)).actions.recordTargetCheck).toBe(false);
    for (const who of [tia, w.ta, w.office, w.governor]) {
      await expect(
        services.plans.recordTargetCheck(who.actor, plan.id, 0, input(plan.targetIds)),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    // Another class's teacher, and another school, do not find the plan.
    for (const who of [w.teacherB, w.otherSenco]) {
      await expect(
        services.plans.recordTargetCheck(who.actor, plan.id, 0, input(plan.targetIds)),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(services.plans.forForm(who.actor, plan.id, 'targetCheck')).rejects.toBeInstanceOf(
        NotFoundError,
      );
    }
    // Another school's target in the check is refused, and nothing is kept.
    const theirs = await buildPlan(database.db, { schoolId: w.otherSchool.id });
    await expect(
      services.plans.recordTargetCheck(
        w.senco.actor,
        plan.id,
        0,
        input([...plan.targetIds, theirs.targetIds[0]!]),
      ),
    ).rejects.toThrow(/targets of this plan have changed/);
    expect((await services.plans.view(w.senco.actor, plan.id)).checks).toEqual([]);
    // A plan being reviewed takes no check.
    const reviewing = await kitsPlan();
    const v = (await services.plans.view(w.senco.actor, reviewing.id)).plan.version;
    await services.plans.startReview(w.senco.actor, reviewing.id, v);
    await expect(
      services.plans.recordTargetCheck(w.senco.actor, reviewing.id, 0, input(reviewing.targetIds)),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await services.plans.view(w.senco.actor, reviewing.id)).checkStatus).toBeNull();
  });

  it('"my pupils" counts only the checks its reader may record: not those of a pupil from another class in a group they deliver', async () => {
    const { services, database, w } = world;
    await setChecks(true);
    // Tara teaches Year 4 Oak and delivers a group with a Year 5 Ash pupil, whose check is overdue.
    const ash = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classB.id,
      stage: 'sen_support',
      primaryNeed: 'MLD',
    });
    const theirs = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: ash.id,
      reviewDate: '2026-11-27',
      sharedWithParentsOn: null,
    });
    const ours = await kitsPlan();
    await buildProvisionGroup(database.db, {
      schoolId: w.school.id,
      name: 'Tara’s reading group',
      deliverer: { userId: w.teacherA.actor.userId, name: 'Tara Teacher' },
      delivererKind: 'teacher',
      startDate: '2026-11-02',
      pupilIds: [ash.id],
    });
    // She reads the Ash pupil's plan through the group, but may not record its check.
    expect((await services.plans.view(w.teacherA.actor, theirs.id)).actions.recordTargetCheck).toBe(false);
    expect((await services.plans.view(w.teacherA.actor, ours.id)).actions.recordTargetCheck).toBe(true);

    const mine = await services.workLists.myPupils(w.teacherA.actor, 'target_checks_due');
    const listed = mine.opened?.rows.map((r) => r.recordId) ?? [];
    expect(listed).toContain(ours.id);
    expect(listed).not.toContain(theirs.id);
    // The count is the list, and every plan in it offers its reader the check.
    expect(mine.counts.find((c) => c.list === 'target_checks_due')?.count).toBe(listed.length);
    for (const id of listed) {
      expect((await services.plans.view(w.teacherA.actor, id!)).actions.recordTargetCheck, id!).toBe(true);
    }
    // Nor is the Ash pupil's review or sharing hers to count; their own teacher's list has them.
    for (const list of ['reviews_due', 'plans_not_shared'] as const) {
      const hers = await services.workLists.myPupils(w.teacherA.actor, list);
      expect(hers.opened?.rows.map((r) => r.pupilId)).not.toContain(ash.id);
      const tom = await services.workLists.myPupils(w.teacherB.actor, list);
      expect(tom.opened?.rows.map((r) => r.pupilId)).toContain(ash.id);
    }
    expect(
      (await services.workLists.myPupils(w.teacherB.actor, 'target_checks_due')).opened?.rows.map(
        (r) => r.recordId,
      ),
    ).toContain(theirs.id);
  });

  it('the dashboard lists exactly the plans whose open check the plan page calls due or overdue', async () => {
    const { services, database, w } = world;
    await setChecks(true);
    const pupilOf = () =>
      buildPupil(database.db, {
        schoolId: w.school.id,
        classId: w.classB.id,
        stage: 'sen_support',
        primaryNeed: 'MLD',
      });
    const dates: [string, string][] = [
      ['2026-09-07', '2026-12-04'], // Autumn 1 overdue
      ['2026-10-15', '2027-03-01'], // Autumn 2 due by 18 December: opens 4 December, not yet
      ['2026-09-01', '2026-11-06'], // Autumn 1's check was open, but the review date has come: none owed
      ['2026-09-01', '2026-11-23'], // Autumn 1 overdue, its review still to come
      ['2026-10-20', '2026-11-25'], // no half-term clear of start and review
      ['2026-06-01', '2026-11-19'], // review date passed: none owed
      ['2026-09-07', '2027-01-29'], // Autumn 1 overdue, Autumn 2 not open
    ];
    const plans = [];
    for (const [startDate, reviewDate] of dates) {
      const p = await pupilOf();
      plans.push(
        await buildPlan(database.db, { schoolId: w.school.id, pupilId: p.id, startDate, reviewDate }),
      );
    }
    const list = await services.workLists.dashboard(w.senco.actor, 'target_checks_due');
    const listed = new Set(list.opened?.rows.map((r) => r.recordId));
    for (const [i, p] of plans.entries()) {
      const state = targetCheckStatus({ startDate: dates[i]![0], reviewDate: dates[i]![1] }, [], TODAY).state;
      expect(listed.has(p.id), `${dates[i]}: ${state}`).toBe(state === 'due' || state === 'overdue');
      const view = await services.plans.view(w.senco.actor, p.id);
      expect(view.checkStatus?.state ?? 'none').toBe(state);
    }
    expect(plans.filter((p) => listed.has(p.id))).toHaveLength(3);
  });
});
