import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildIntervention,
  buildPlan,
  buildProvisionGroup,
  buildPupil,
  buildReferral,
  buildReport,
  buildStaff,
  useWorld,
} from '../../../test/builders/index.ts';
import {
  auditEvent,
  groupMember,
  planTarget,
  recommendationUse,
  supportPlan,
} from '../../db/schema/index.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

const world = useWorld();

const SOURCE = 'Recommended by the speech and language therapist, report of 20 November 2026';

/** A report on Kit with three recommendations (a strategy, a target, a provision) and a draft plan. */
async function kitWithReport(pupil = world.w.pupilK) {
  const db = world.database.db;
  const referral = await buildReferral(db, pupil, { status: 'report_received' });
  const { report, recommendations } = await buildReport(db, referral);
  const plan = await buildPlan(db, {
    schoolId: pupil.schoolId,
    pupilId: pupil.id,
    status: 'draft',
    targets: ['Say how he feels using a feelings chart'],
    qualityFirst: 'Seat near the front',
  });
  const [strategy, target, provision] = recommendations as [
    (typeof recommendations)[number],
    (typeof recommendations)[number],
    (typeof recommendations)[number],
  ];
  return { referral, report, plan, strategy, target, provision };
}

const versionOf = async (planId: string) => {
  const [row] = await world.database.db
    .select({ version: supportPlan.version })
    .from(supportPlan)
    .where(eq(supportPlan.id, planId));
  return row!.version;
};

const auditOf = (action: AuditAction, userId: string) =>
  world.database.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.action, action), eq(auditEvent.userId, userId)));

describe('a class teacher puts recommendations into the draft plan', () => {
  it('one as a target and one as a strategy: the plan shows them with their source, and the third as not yet used', async () => {
    const { services, database, w } = world;
    const { plan, strategy, target, provision } = await kitWithReport();

    const page = await services.recommendations.forUse(w.teacherA.actor, target.id);
    expect(page.source).toBe(SOURCE);
    expect(page.report.agencyName).toBe('Northshire Speech and Language Therapy');
    expect(page.plan?.id).toBe(plan.id);
    expect(page.actions).toEqual({ useInPlan: true, useInProvision: false });
    expect(page.groups).toEqual([]); // the class teacher does not manage provision
    expect(await auditOf('recommendation.viewed', w.teacherA.actor.userId)).toHaveLength(1);

    // As a target: its words changed before saving, its source kept beside it.
    const { targetId } = await services.recommendations.useAsTarget(w.teacherA.actor, target.id, {
      planId: plan.id,
      version: page.plan!.version,
      target: {
        area: 'communication_and_interaction',
        target: 'Kit will follow a two-step instruction in class 4 times out of 5',
        achievementCriteria: '4 out of 5 times, over two weeks',
        resourcesAndTechniques: 'Picture cards',
        classStrategies: null,
      },
    });
    // As a strategy: into the quality-first approaches.
    await services.recommendations.useAsStrategy(w.teacherA.actor, strategy.id, {
      planId: plan.id,
      version: await versionOf(plan.id),
      field: 'qualityFirst',
    });

    const view = await services.plans.view(w.teacherA.actor, plan.id);
    expect(view.targets.map((t) => [t.position, t.target, t.source])).toEqual([
      [1, 'Say how he feels using a feelings chart', null],
      [2, 'Kit will follow a two-step instruction in class 4 times out of 5', SOURCE],
    ]);
    expect(view.targets[1]!.id).toBe(targetId);
    expect(view.plan.qualityFirst).toBe(
      `Seat near the front\nGive one instruction at a time, with a picture (${SOURCE})`,
    );
    const advice = new Map(view.advice!.items.map((i) => [i.id, i.standing]));
    expect(advice.get(target.id)!.inPlan).toEqual({ as: 'target', targetId, position: 2 });
    expect(advice.get(strategy.id)!.inPlan).toEqual({ as: 'strategy', field: 'qualityFirst' });
    expect(advice.get(provision.id)).toEqual({ inPlan: null, groups: [] });
    expect(view.advice!.mayUseInPlan).toBe(true);

    // Each use is a row, in the same unit of work as the change, and audited.
    const uses = await database.db
      .select()
      .from(recommendationUse)
      .where(eq(recommendationUse.planId, plan.id));
    expect(
      uses.map((u) => [u.recommendationId, u.usedAs, u.planTargetId, u.planField, u.usedByName]).sort(),
    ).toEqual(
      [
        [strategy.id, 'strategy', null, 'qualityFirst', 'Tara Teacher'],
        [target.id, 'target', targetId, null, 'Tara Teacher'],
      ].sort(),
    );
    const used = await auditOf('recommendation.used', w.teacherA.actor.userId);
    expect(used.map((u) => (u.detail as { usedAs: string }).usedAs).sort()).toEqual(['strategy', 'target']);
    expect(used.every((u) => u.pupilId === w.pupilK.id)).toBe(true);

    // The same recommendation twice in the same plan is refused, with a clear message, and nothing changes.
    const version = await versionOf(plan.id);
    await expect(
      services.recommendations.useAsStrategy(w.teacherA.actor, target.id, {
        planId: plan.id,
        version,
        field: 'taSupport',
      }),
    ).rejects.toThrow('already in this plan as target 2');
    await expect(
      services.recommendations.useAsStrategy(w.teacherA.actor, strategy.id, {
        planId: plan.id,
        version,
        field: 'qualityFirst',
      }),
    ).rejects.toThrow('already in this plan');
    expect(await versionOf(plan.id)).toBe(version);
    const again = await services.recommendations.forUse(w.teacherA.actor, target.id);
    expect(again.actions.useInPlan).toBe(false);
    expect(again.standing.inPlan).toMatchObject({ as: 'target', position: 2 });

    // The plan's own form keeps where the target came from as the target is reworded.
    const before = await services.plans.view(w.teacherA.actor, plan.id);
    await services.plans.update(w.teacherA.actor, plan.id, before.plan.version, {
      ...before.plan,
      startDate: before.plan.startDate,
      reviewDate: before.plan.reviewDate,
      targets: before.targets.map((t) => ({
        id: t.id,
        area: t.area,
        target: t.id === targetId ? 'Kit will follow a two-step instruction 4 times out of 5' : t.target,
        achievementCriteria: t.achievementCriteria,
        resourcesAndTechniques: t.resourcesAndTechniques,
        classStrategies: t.classStrategies,
        bankEntryId: t.bankEntryId,
      })),
    });
    const [kept] = await database.db.select().from(planTarget).where(eq(planTarget.id, targetId));
    expect(kept).toMatchObject({
      target: 'Kit will follow a two-step instruction 4 times out of 5',
      recommendationId: target.id,
      source: SOURCE,
    });

    // Taken out of the draft, it is not yet used there again.
    const now = await services.plans.view(w.teacherA.actor, plan.id);
    await services.plans.update(w.teacherA.actor, plan.id, now.plan.version, {
      ...now.plan,
      targets: now.targets
        .filter((t) => t.id !== targetId)
        .map((t) => ({ ...t, bankEntryId: t.bankEntryId })),
    });
    const after = await services.plans.view(w.teacherA.actor, plan.id);
    expect(after.advice!.items.find((i) => i.id === target.id)!.standing.inPlan).toBeNull();
  });

  it('a stale save is refused and changes nothing; a plan being reviewed or full takes none', async () => {
    const { services, database, w } = world;
    const pupil = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classA.id,
      stage: 'sen_support',
      primaryNeed: 'SLCN',
    });
    const { plan, target, strategy } = await kitWithReport(pupil);
    const version = await versionOf(plan.id);
    await database.db
      .update(supportPlan)
      .set({ version: version + 1 })
      .where(eq(supportPlan.id, plan.id));
    await expect(
      services.recommendations.useAsStrategy(w.teacherA.actor, strategy.id, {
        planId: plan.id,
        version,
        field: 'interventions',
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    const unchanged = await database.db
      .select()
      .from(recommendationUse)
      .where(eq(recommendationUse.recommendationId, strategy.id));
    expect(unchanged).toEqual([]);

    // A plan that holds the most targets the school allows (4) takes no more.
    const full = await buildPlan(database.db, {
      schoolId: pupil.schoolId,
      pupilId: pupil.id,
      status: 'draft',
      targets: ['a', 'b', 'c', 'd'],
    });
    await expect(
      services.recommendations.useAsTarget(w.teacherA.actor, target.id, {
        planId: full.id,
        version: 1,
        target: {
          area: null,
          target: 'x',
          achievementCriteria: null,
          resourcesAndTechniques: null,
          classStrategies: null,
        },
      }),
    ).rejects.toThrow('already holds 4 targets');

    // A plan being reviewed does not change.
    await database.db.update(supportPlan).set({ status: 'in_review' }).where(eq(supportPlan.id, full.id));
    await expect(
      services.recommendations.useAsStrategy(w.teacherA.actor, strategy.id, {
        planId: full.id,
        version: 1,
        field: 'qualityFirst',
      }),
    ).rejects.toThrow('being reviewed');

    // Another pupil's plan is not a plan of this recommendation.
    const otherPlan = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: w.pupilA.id,
      status: 'draft',
    });
    await expect(
      services.recommendations.useAsStrategy(w.teacherA.actor, strategy.id, {
        planId: otherPlan.id,
        version: 1,
        field: 'qualityFirst',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('who may read and use recommendations', () => {
  it('a teaching assistant who works with the pupil reads them but may not use them', async () => {
    const { services, database, w } = world;
    const { plan, target } = await kitWithReport();
    const ta = await buildStaff(database.db, 'teaching_assistant', {
      schoolId: w.school.id,
      assignedPupilIds: [w.pupilK.id],
    });
    const page = await services.recommendations.forUse(ta.actor, target.id);
    expect(page.source).toBe(SOURCE);
    expect(page.actions).toEqual({ useInPlan: false, useInProvision: false });
    const view = await services.plans.view(ta.actor, plan.id);
    expect(view.advice!.items.length % 3).toBe(0); // each of Kit’s reports so far, with its three recommendations
    expect(view.advice!.items.map((i) => i.id)).toContain(target.id);
    expect(view.advice!.mayUseInPlan).toBe(false);
    await expect(
      services.recommendations.useAsStrategy(ta.actor, target.id, {
        planId: plan.id,
        version: await versionOf(plan.id),
        field: 'taSupport',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    // The teaching assistant who does not work with Kit does not see them at all.
    await expect(services.recommendations.forUse(w.ta.actor, target.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('the office neither reads nor uses them; another school is told nothing and the probe is recorded', async () => {
    const { services, database, w } = world;
    const { plan, target } = await kitWithReport();
    // The office reads no plan: refused outright (the page answers 403, and records the refusal).
    await expect(services.recommendations.forUse(w.office.actor, target.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(
      services.recommendations.useAsTarget(w.office.actor, target.id, {
        planId: plan.id,
        version: 1,
        target: {
          area: null,
          target: 'x',
          achievementCriteria: null,
          resourcesAndTechniques: null,
          classStrategies: null,
        },
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await services.plans.view(w.senco.actor, plan.id)).advice).not.toBeNull();

    await expect(services.recommendations.forUse(w.otherSenco.actor, target.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      services.recommendations.joinGroup(w.otherSenco.actor, target.id, {
        groupId: plan.id,
        joinedOn: '2026-11-20',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const probes = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(eq(auditEvent.schoolId, w.school.id), eq(auditEvent.action, 'access.probe_from_other_school')),
      );
    expect(probes.some((p) => p.pupilId === w.pupilK.id)).toBe(true);
  });

  it('a leaver’s recommendations are kept to read and cannot be used', async () => {
    const { services, database, w } = world;
    const leaver = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classA.id,
      stage: 'sen_support',
      primaryNeed: 'SLCN',
    });
    const { plan, target, provision } = await kitWithReport(leaver);
    const { pupil } = await import('../../db/schema/index.ts');
    await database.db.update(pupil).set({ leftOn: '2026-10-23' }).where(eq(pupil.id, leaver.id));
    const page = await services.recommendations.forUse(w.senco.actor, target.id);
    expect(page.left).toBe(true);
    expect(page.actions).toEqual({ useInPlan: false, useInProvision: false });
    await expect(
      services.recommendations.useAsStrategy(w.senco.actor, target.id, {
        planId: plan.id,
        version: 1,
        field: 'qualityFirst',
      }),
    ).rejects.toThrow('left the school on 23 October 2026');
    await expect(services.recommendations.forNewGroup(w.senco.actor, provision.id)).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('the SENCo puts the provision recommendation into the provision', () => {
  it('starts a new group for the pupil, or the pupil joins a group running now; each use recorded', async () => {
    const { services, database, w } = world;
    const { provision, plan } = await kitWithReport();
    const intervention = await buildIntervention(database.db, {
      schoolId: w.school.id,
      name: 'Language for Thinking',
      area: 'communication_and_interaction',
    });
    const prefill = await services.recommendations.forNewGroup(w.senco.actor, provision.id);
    expect(prefill.pupil.id).toBe(w.pupilK.id);
    expect(prefill.source).toBe(SOURCE);

    // Not started without the pupil it was recommended for.
    const input = {
      interventionId: intervention.id,
      name: 'Language group (Kit)',
      deliverer: { name: 'Northshire SALT assistant' },
      delivererKind: 'external' as const,
      startDate: '2026-11-23',
      endDate: null,
      sessionsPerWeek: 3,
      minutesPerSession: 20,
      location: 'Library',
      agency: 'Northshire Speech and Language Therapy',
    };
    await expect(
      services.recommendations.startGroup(w.senco.actor, provision.id, { ...input, pupilIds: [w.pupilA.id] }),
    ).rejects.toThrow('Select Kit Kowalski');
    const groupId = await services.recommendations.startGroup(w.senco.actor, provision.id, {
      ...input,
      pupilIds: [w.pupilK.id],
    });
    const members = await database.db.select().from(groupMember).where(eq(groupMember.groupId, groupId));
    expect(members.map((m) => m.pupilId)).toEqual([w.pupilK.id]);

    // Joining a group running now.
    const running = await buildProvisionGroup(database.db, {
      schoolId: w.school.id,
      interventionId: intervention.id,
      pupilIds: [w.pupilA.id],
      name: 'Talk Boost',
    });
    await services.recommendations.joinGroup(w.senco.actor, provision.id, {
      groupId: running.id,
      joinedOn: '2026-11-20',
    });
    await expect(
      services.recommendations.joinGroup(w.senco.actor, provision.id, {
        groupId: running.id,
        joinedOn: '2026-11-20',
      }),
    ).rejects.toThrow('already in this group');
    // A class teacher does not manage provision.
    await expect(
      services.recommendations.joinGroup(w.teacherA.actor, provision.id, {
        groupId: running.id,
        joinedOn: '2026-11-20',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);

    const uses = await database.db
      .select()
      .from(recommendationUse)
      .where(eq(recommendationUse.recommendationId, provision.id));
    expect(uses.map((u) => [u.usedAs, u.provisionGroupId]).sort()).toEqual(
      [
        ['provision', groupId],
        ['provision', running.id],
      ].sort(),
    );
    const view = await services.plans.view(w.senco.actor, plan.id);
    const standing = view.advice!.items.find((i) => i.id === provision.id)!.standing;
    expect(standing).toEqual({
      inPlan: null,
      groups: [
        { groupId, name: 'Language group (Kit)' },
        { groupId: running.id, name: 'Talk Boost' },
      ],
    });
    const page = await services.recommendations.forUse(w.senco.actor, provision.id);
    expect(page.groups.find((g) => g.id === running.id)?.member).toBe(true);
    const used = await auditOf('recommendation.used', w.senco.actor.userId);
    expect(
      used.filter((u) => (u.detail as { recommendationId: string }).recommendationId === provision.id),
    ).toHaveLength(2);
  });
});
