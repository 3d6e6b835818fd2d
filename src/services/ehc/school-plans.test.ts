import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildFinalPlan,
  buildPlan,
  buildProvisionGroup,
  examplePlanSections,
  useWorld,
} from '../../../test/builders/index.ts';
import { notAPdf, reportPdf } from '../../../test/report-files.ts';
import { auditEvent, ehcPlan, ehcPlanSummary, planTarget, supportPlan } from '../../db/schema/index.ts';
import type { AuditAction } from '../../domain/audit.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

/*
 * The school's side of a pupil's EHC plan: the final plan read by the SENCo, the head and the class
 * teacher of the pupil's class (never a draft, never by a teaching assistant, never by another school);
 * its outcomes taken as targets carrying their source; its provision in F beside the groups the pupil is
 * in, an item linked to a group so that provision required and not delivered is found; and a plan from
 * another local authority recorded from its PDF.
 */

const world = useWorld();

const auditOf = (action: AuditAction, userId: string) =>
  world.database.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.action, action), eq(auditEvent.userId, userId)));

/** Eli (stage E, class B) with a final plan from the school's local authority, issued 2 March 2026. */
let eliPlan: Awaited<ReturnType<typeof buildFinalPlan>> | null = null;
async function eliWithPlan() {
  const { database, w } = world;
  eliPlan ??= await buildFinalPlan(database.db, w.pupilE, w.officer.organisationId, {
    issuedOn: '2026-03-02',
    school: { name: w.school.name, urn: null },
  });
  return eliPlan;
}

const versionOf = async (planId: string) => {
  const [row] = await world.database.db
    .select({ version: supportPlan.version })
    .from(supportPlan)
    .where(eq(supportPlan.id, planId));
  return row!.version;
};

describe('the pupil’s EHC plan at school', () => {
  it('shows the SENCo the final plan as issued, with its sections, and audits the view', async () => {
    const { services, w } = world;
    const built = await eliWithPlan();
    const page = await services.schoolEhcPlans.pupilPlan(w.senco.actor, w.pupilE.id);
    expect(page.plan).toMatchObject({
      id: built.planId,
      status: 'final',
      startedOn: '2026-03-02',
      issuedOn: '2026-03-02',
      reviewDueOn: '2027-03-01',
      version: 1,
      authorityName: expect.any(String),
    });
    expect(page.plan!.sections.e.outcomes.map((o) => o.id)).toEqual(['outcome-instructions', 'outcome-play']);
    expect(page.actions).toMatchObject({ readPlan: true, recordSummary: true });
    const rows = await auditOf('ehc_plan.viewed_by_school', w.senco.actor.userId);
    expect(rows.at(-1)).toMatchObject({ pupilId: w.pupilE.id, schoolId: w.school.id });
    expect(rows.at(-1)!.detail).toMatchObject({ planId: built.planId, version: 1 });
  });

  it('shows the plan to the class teacher of the pupil’s class, not to another class’s teacher or a teaching assistant', async () => {
    const { services, w } = world;
    await eliWithPlan();
    const page = await services.schoolEhcPlans.pupilPlan(w.teacherB.actor, w.pupilE.id);
    expect(page.plan?.status).toBe('final');
    expect(page.actions.recordSummary).toBe(false);
    await expect(services.schoolEhcPlans.pupilPlan(w.teacherA.actor, w.pupilE.id)).rejects.toThrow(
      NotFoundError,
    );
    // The assistant assigned to Eli reads the EHC panel (that a plan exists), not the plan itself.
    await expect(services.schoolEhcPlans.pupilPlan(w.ta.actor, w.pupilE.id)).rejects.toThrow(NotFoundError);
    await expect(services.schoolEhcPlans.pupilPlan(w.office.actor, w.pupilE.id)).rejects.toThrow(
      ForbiddenError,
    );
    await expect(services.schoolEhcPlans.pupilPlan(w.otherSenco.actor, w.pupilE.id)).rejects.toThrow(
      NotFoundError,
    );
  });

  it('never shows a draft plan to the school', async () => {
    const { services, database, w } = world;
    const built = await buildFinalPlan(database.db, w.pupilA, w.officer.organisationId, {
      issuedOn: '2026-05-01',
    });
    // Turn it back into a draft, as the authority's draft of a new plan is.
    await database.db
      .update(ehcPlan)
      .set({ status: 'draft', finalVersion: null })
      .where(eq(ehcPlan.id, built.planId));
    const page = await services.schoolEhcPlans.pupilPlan(w.senco.actor, w.pupilA.id);
    expect(page.plan).toBeNull();
    const record = await services.pupils.view(w.senco.actor, w.pupilA.id);
    expect(record.ehcPlans).toEqual([]);
  });

  it('puts the plan on the pupil page: issued on and review due, for whoever reads the EHC section', async () => {
    const { services, w } = world;
    const built = await eliWithPlan();
    const record = await services.pupils.view(w.ta.actor, w.pupilE.id);
    expect(record.ehcPlans).toEqual([
      expect.objectContaining({
        planId: built.planId,
        status: 'final',
        issuedOn: '2026-03-02',
        reviewDueOn: '2027-03-01',
      }),
    ]);
    expect(record.ehcPlanActions).toMatchObject({ readPanel: true, readPlan: false });
    const office = await services.pupils.view(w.office.actor, w.pupilE.id);
    expect(office.ehcPlans).toEqual([]);
  });
});

describe('outcomes in E as targets of the support plan', () => {
  it('the class teacher takes an outcome as a target: it carries its source, and keeps it when reworded', async () => {
    const { services, database, w } = world;
    await eliWithPlan();
    const plan = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: w.pupilE.id,
      status: 'draft',
      targets: ['Use a visual timetable'],
    });
    const page = await services.schoolEhcPlans.outcomesForPlan(w.teacherB.actor, plan.id);
    expect(page.ehcPlan?.outcomes.map((o) => [o.ref, o.takenAs])).toEqual([
      ['E1', null],
      ['E2', null],
    ]);
    const version = await versionOf(plan.id);
    const taken = await services.schoolEhcPlans.takeOutcome(w.teacherB.actor, plan.id, {
      version,
      outcomeId: 'outcome-play',
    });
    expect(taken.position).toBe(2);
    const [target] = await database.db.select().from(planTarget).where(eq(planTarget.id, taken.targetId));
    expect(target).toMatchObject({
      target: examplePlanSections({ id: null, name: '', urn: null }).e.outcomes[1]!.text,
      ehcPlanId: eliPlan!.planId,
      ehcOutcomeId: 'outcome-play',
      ehcSummaryId: null,
    });
    expect(target!.source).toMatch(/^Outcome E2 of the EHC plan \(.+, issued 2 March 2026\)$/);
    expect(await auditOf('ehc_plan.outcome_taken', w.teacherB.actor.userId)).toHaveLength(1);
    expect(await versionOf(plan.id)).toBe(version + 1);

    // Taken twice: refused, naming the target it already is.
    await expect(
      services.schoolEhcPlans.takeOutcome(w.teacherB.actor, plan.id, {
        version: version + 1,
        outcomeId: 'outcome-play',
      }),
    ).rejects.toThrow(/already target 2/);
    // From a form opened before the change: stale.
    await expect(
      services.schoolEhcPlans.takeOutcome(w.teacherB.actor, plan.id, {
        version,
        outcomeId: 'outcome-instructions',
      }),
    ).rejects.toThrow(ConflictError);
    // An outcome that is not in the plan.
    await expect(
      services.schoolEhcPlans.takeOutcome(w.teacherB.actor, plan.id, {
        version: version + 1,
        outcomeId: 'made-up',
      }),
    ).rejects.toThrow(ValidationError);

    // Reworded as a short-term step: it keeps where it came from.
    const targets = await database.db.select().from(planTarget).where(eq(planTarget.planId, plan.id));
    await services.plans.update(w.teacherB.actor, plan.id, version + 1, {
      needAreas: ['communication_and_interaction'],
      strengths: null,
      areasOfConcern: null,
      desiredOutcomes: null,
      qualityFirst: null,
      interventions: null,
      taSupport: null,
      resources: null,
      parentPupilContribution: null,
      parentsSupportAtHome: null,
      parentsViews: null,
      pupilViews: null,
      startDate: '2026-09-07',
      reviewDate: '2026-12-14',
      targets: targets
        .sort((a, b) => a.position - b.position)
        .map((t) => ({
          id: t.id,
          area: t.area,
          target:
            t.id === taken.targetId ? 'Eli will take turns in a game of snap for five minutes' : t.target,
          achievementCriteria: t.achievementCriteria,
          resourcesAndTechniques: t.resourcesAndTechniques,
          classStrategies: t.classStrategies,
          bankEntryId: t.bankEntryId,
          saveToBank: false,
        })),
    });
    const [reworded] = await database.db.select().from(planTarget).where(eq(planTarget.id, taken.targetId));
    expect(reworded).toMatchObject({
      target: 'Eli will take turns in a game of snap for five minutes',
      ehcOutcomeId: 'outcome-play',
      source: target!.source,
    });
    const again = await services.schoolEhcPlans.outcomesForPlan(w.teacherB.actor, plan.id);
    expect(again.ehcPlan?.outcomes.map((o) => o.takenAs)).toEqual([null, 2]);
  });

  it('is refused to a teacher who does not read the pupil’s EHC plan, and for a pupil of another school', async () => {
    const { services, database, w } = world;
    await eliWithPlan();
    const plan = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: w.pupilE.id,
      status: 'draft',
    });
    await expect(services.schoolEhcPlans.outcomesForPlan(w.teacherA.actor, plan.id)).rejects.toThrow(
      NotFoundError,
    );
    await expect(services.schoolEhcPlans.outcomesForPlan(w.otherSenco.actor, plan.id)).rejects.toThrow(
      NotFoundError,
    );
    await expect(
      services.schoolEhcPlans.takeOutcome(w.otherSenco.actor, plan.id, {
        version: 1,
        outcomeId: 'outcome-play',
      }),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('the provision in F beside the provision map', () => {
  it('lists each item against the pupil’s groups; linking an item to a group the pupil is in marks it delivered', async () => {
    const { services, database, w } = world;
    await eliWithPlan();
    const group = await buildProvisionGroup(database.db, {
      schoolId: w.school.id,
      pupilIds: [w.pupilE.id],
      name: 'Speech and language, Tuesdays',
      startDate: '2026-09-07',
      sessionsPerWeek: 3,
      minutesPerSession: 30,
    });
    const before = await services.schoolEhcPlans.provisionBeside(w.senco.actor);
    const eli = before.rows.find((r) => r.pupil.id === w.pupilE.id)!;
    expect(eli.provision.map((p) => [p.ref, p.notDelivered])).toEqual([
      ['F1', true],
      ['F2', true],
      ['F3', true],
    ]);
    expect(eli.groups).toEqual([
      expect.objectContaining({ groupId: group.id, minutesPerWeek: 90, current: true }),
    ]);
    expect(eli.minutesPerWeekNow).toBe(90);
    const audited = await auditOf('ehc_plan.provision_viewed', w.senco.actor.userId);
    expect(audited.at(-1)!.shownPupilsDigest).toEqual(expect.any(String));

    await services.schoolEhcPlans.linkProvision(w.senco.actor, w.pupilE.id, {
      provisionId: 'prov-salt',
      groupId: group.id,
    });
    await expect(
      services.schoolEhcPlans.linkProvision(w.senco.actor, w.pupilE.id, {
        provisionId: 'prov-salt',
        groupId: group.id,
      }),
    ).rejects.toThrow(/already linked to F1/);
    const after = await services.schoolEhcPlans.provisionBeside(w.senco.actor);
    const eliAfter = after.rows.find((r) => r.pupil.id === w.pupilE.id)!;
    expect(eliAfter.provision.map((p) => [p.ref, p.notDelivered])).toEqual([
      ['F1', false],
      ['F2', true],
      ['F3', true],
    ]);
    expect(after.notDelivered).toBe(before.notDelivered - 1);
    expect(await auditOf('ehc_plan.provision_linked', w.senco.actor.userId)).toHaveLength(1);

    // Removing the link makes it not delivered again.
    const linkId = eliAfter.provision[0]!.links[0]!.id;
    await services.schoolEhcPlans.unlinkProvision(w.senco.actor, w.pupilE.id, linkId);
    const removed = await services.schoolEhcPlans.provisionBeside(w.senco.actor);
    expect(removed.rows.find((r) => r.pupil.id === w.pupilE.id)!.provision[0]!.notDelivered).toBe(true);
  });

  it('refuses another school’s group, an item not in the plan, and anyone but the SENCo and the head', async () => {
    const { services, database, w } = world;
    await eliWithPlan();
    const theirs = await buildProvisionGroup(database.db, {
      schoolId: w.otherSchool.id,
      pupilIds: [w.otherPupil.id],
    });
    const ours = await buildProvisionGroup(database.db, { schoolId: w.school.id, pupilIds: [w.pupilE.id] });
    await expect(
      services.schoolEhcPlans.linkProvision(w.senco.actor, w.pupilE.id, {
        provisionId: 'prov-salt',
        groupId: theirs.id,
      }),
    ).rejects.toThrow(/Choose a group of the school/);
    await expect(
      services.schoolEhcPlans.linkProvision(w.senco.actor, w.pupilE.id, {
        provisionId: 'prov-none',
        groupId: ours.id,
      }),
    ).rejects.toThrow(ValidationError);
    await expect(
      services.schoolEhcPlans.linkProvision(w.otherSenco.actor, w.pupilE.id, {
        provisionId: 'prov-salt',
        groupId: ours.id,
      }),
    ).rejects.toThrow(NotFoundError);
    await expect(services.schoolEhcPlans.provisionBeside(w.teacherB.actor)).rejects.toThrow(ForbiddenError);
    const theirView = await services.schoolEhcPlans.provisionBeside(w.otherSenco.actor);
    expect(theirView.rows.map((r) => r.pupil.id)).not.toContain(w.pupilE.id);
  });
});

describe('a plan from another local authority, recorded from its PDF', () => {
  it('is recorded with its outcomes and provision, read, taken from for targets, and ended', async () => {
    const { services, database, w } = world;
    const pdf = await reportPdf('EHC plan from Westshire');
    const input = {
      localAuthorityName: 'Westshire Council',
      issuedOn: '2025-11-20',
      lastReviewOn: null,
      outcomes: ['Kit will read a short book aloud by July 2027', 'Kit will ask for help when stuck'],
      provision: [
        {
          what: 'Daily reading with an adult',
          who: 'A teaching assistant',
          frequency: 'Daily',
          duration: '15 minutes',
        },
      ],
      file: { name: 'plan.pdf', bytes: pdf },
    };
    // A file that is not a PDF, and a plan issued in the future, are refused; nothing is kept.
    await expect(
      services.schoolEhcPlans.recordSummary(w.senco.actor, w.pupilK.id, {
        ...input,
        file: { name: 'plan.pdf', bytes: notAPdf },
      }),
    ).rejects.toThrow(ValidationError);
    await expect(
      services.schoolEhcPlans.recordSummary(w.senco.actor, w.pupilK.id, { ...input, issuedOn: '2099-01-01' }),
    ).rejects.toThrow(/today or in the past/);
    await expect(services.schoolEhcPlans.recordSummary(w.teacherA.actor, w.pupilK.id, input)).rejects.toThrow(
      ForbiddenError,
    );
    await expect(
      services.schoolEhcPlans.recordSummary(w.otherSenco.actor, w.pupilK.id, input),
    ).rejects.toThrow(NotFoundError);
    expect(
      await database.db.select().from(ehcPlanSummary).where(eq(ehcPlanSummary.pupilId, w.pupilK.id)),
    ).toEqual([]);

    const { summaryId } = await services.schoolEhcPlans.recordSummary(w.senco.actor, w.pupilK.id, input);
    const seen = await services.schoolEhcPlans.summary(w.teacherA.actor, summaryId);
    expect(seen.outcomes.map((o) => o.ref)).toEqual(['E1', 'E2']);
    expect(seen.provision).toEqual([
      expect.objectContaining({ ref: 'F1', what: 'Daily reading with an adult' }),
    ]);
    const file = await services.schoolEhcPlans.summaryFile(w.senco.actor, summaryId);
    expect(file.contentType).toBe('application/pdf');
    expect(Buffer.compare(Buffer.from(file.bytes), pdf)).toBe(0);
    await expect(services.schoolEhcPlans.summary(w.otherSenco.actor, summaryId)).rejects.toThrow(
      NotFoundError,
    );

    // The pupil page shows it; the register still says SEN support, so the panel offers to record the plan there.
    const record = await services.pupils.view(w.senco.actor, w.pupilK.id);
    expect(record.ehcSummaries).toEqual([
      expect.objectContaining({ id: summaryId, localAuthorityName: 'Westshire Council' }),
    ]);
    expect(record.ehcPlanActions.recordOnRegister).toBe(true);

    // Its outcomes are offered as targets, carrying their source.
    const plan = await buildPlan(database.db, {
      schoolId: w.school.id,
      pupilId: w.pupilK.id,
      status: 'draft',
    });
    const offered = await services.schoolEhcPlans.outcomesForPlan(w.senco.actor, plan.id);
    expect(offered.ehcPlan).toMatchObject({ authorityName: 'Westshire Council', summary: true });
    const taken = await services.schoolEhcPlans.takeOutcome(w.senco.actor, plan.id, {
      version: await versionOf(plan.id),
      outcomeId: offered.ehcPlan!.outcomes[0]!.id,
    });
    const [target] = await database.db.select().from(planTarget).where(eq(planTarget.id, taken.targetId));
    expect(target).toMatchObject({ ehcSummaryId: summaryId, ehcPlanId: null });
    expect(target!.source).toBe(
      'Outcome E1 of the EHC plan (Westshire Council, issued 20 November 2025, as the school recorded it)',
    );

    // It stands beside the provision map until ended.
    const beside = await services.schoolEhcPlans.provisionBeside(w.senco.actor);
    expect(beside.rows.find((r) => r.pupil.id === w.pupilK.id)).toMatchObject({ summary: true });
    await expect(
      services.schoolEhcPlans.endSummary(w.senco.actor, summaryId, seen.summary.version + 1),
    ).rejects.toThrow(ConflictError);
    await services.schoolEhcPlans.endSummary(w.senco.actor, summaryId, seen.summary.version);
    const ended = await services.schoolEhcPlans.provisionBeside(w.senco.actor);
    expect(ended.rows.find((r) => r.pupil.id === w.pupilK.id)).toBeUndefined();
    expect(await auditOf('ehc_plan_summary.ended', w.senco.actor.userId)).toHaveLength(1);
  });
});
