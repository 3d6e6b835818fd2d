import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildPupil, buildStaff, TODAY, useWorld } from '../../../test/builders/index.ts';
import { auditEvent, planTarget, pupilAction, registerEntry } from '../../db/schema/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { PlanInput, TargetInput } from './index.ts';

const world = useWorld();

const target = (text: string, over: Partial<TargetInput> = {}): TargetInput => ({
  id: null,
  area: 'cognition_and_learning',
  target: text,
  achievementCriteria: '8 out of 10',
  resourcesAndTechniques: 'Precision teaching',
  classStrategies: 'Word mat',
  bankEntryId: null,
  ...over,
});

const planInput = (targets: TargetInput[], over: Partial<PlanInput> = {}): PlanInput => ({
  needAreas: ['cognition_and_learning'],
  strengths: 'Loves stories; kind to others',
  areasOfConcern: 'Reading and spelling',
  desiredOutcomes: 'To read and write simple sentences independently',
  qualityFirst: 'Visual supports in every lesson',
  interventions: 'Daily phonics catch-up',
  taSupport: 'Three 20-minute sessions a week, fading support',
  resources: 'Coloured overlay',
  parentPupilContribution: 'Reads at home five times a week',
  parentsSupportAtHome: 'Read together for ten minutes a day',
  parentsViews: 'Worried about reading',
  pupilViews: 'I like it when pictures help me',
  startDate: '2026-09-07',
  reviewDate: '2026-11-30',
  targets,
  ...over,
});

describe('a whole cycle: plan, notes, review, and the next plan', () => {
  it('the class teacher writes and agrees a plan, a TA adds notes, the SENCo reviews and the next plan carries what was not met', async () => {
    const { services, database, w } = world;
    // Kit (SEN support, Year 4 Oak) is Tara's pupil; Tia works with Eli, so make Tia work with Kit too.
    const ta = await buildStaff(database.db, 'teaching_assistant', {
      schoolId: w.school.id,
      assignedPupilIds: [w.pupilK.id],
    });
    const planId = await services.plans.start(w.teacherA.actor, w.pupilK.id);
    expect(await services.plans.start(w.teacherA.actor, w.pupilK.id)).toBe(planId); // the same draft, not a second
    let view = await services.plans.view(w.teacherA.actor, planId);
    expect(view.plan).toMatchObject({ status: 'draft', cycle: 1, ownerName: 'Tara Teacher' });
    expect(view.plan.needAreas).toEqual(['communication_and_interaction']); // from SLCN
    await services.plans.update(
      w.teacherA.actor,
      planId,
      view.plan.version,
      planInput([target('Read 20 high-frequency words'), target('Blend CVC words')]),
    );
    view = await services.plans.view(w.teacherA.actor, planId);
    await services.plans.agree(w.teacherA.actor, planId, view.plan.version, {
      agreedOn: '2026-09-05',
      agreedWith: 'Mother, Kit, class teacher',
      sharedWithParentsOn: null,
    });
    // One plan in place per pupil.
    const second = await services.plans.start(w.senco.actor, w.pupilK.id);
    const secondView = await services.plans.view(w.senco.actor, second);
    await services.plans.update(w.senco.actor, second, secondView.plan.version, planInput([target('x')]));
    const again = await services.plans.view(w.senco.actor, second);
    await expect(
      services.plans.agree(w.senco.actor, second, again.plan.version, {
        agreedOn: TODAY,
        agreedWith: 'x',
        sharedWithParentsOn: null,
      }),
    ).rejects.toThrow(/already has a plan in place/);
    await services.plans.closeDraft(w.senco.actor, second, again.plan.version);

    // The working document.
    view = await services.plans.view(ta.actor, planId);
    const [t1, t2] = view.targets;
    await services.plans.addNote(ta.actor, planId, {
      targetId: t1!.id,
      writtenOn: '2026-10-02',
      body: 'Read 12 of 20 today.\nUsed the word mat.',
    });
    await services.plans.addNote(w.teacherA.actor, planId, {
      targetId: null,
      writtenOn: '2026-10-10',
      body: 'More confident in guided reading.',
    });
    await expect(
      services.plans.addNote(w.office.actor, planId, { targetId: null, writtenOn: TODAY, body: 'x' }),
    ).rejects.toBeInstanceOf(ForbiddenError);

    // The review: the SENCo records outcomes and decides on a new plan.
    view = await services.plans.view(w.senco.actor, planId);
    await services.plans.startReview(w.senco.actor, planId, view.plan.version);
    view = await services.plans.view(w.senco.actor, planId);
    await expect(
      services.plans.recordReview(w.senco.actor, planId, view.plan.version, {
        heldOn: TODAY,
        attendees: 'x',
        pupilViews: null,
        parentsViews: null,
        progress: 'as_expected',
        decision: 'new_plan',
        decisionNotes: null,
        extendedTo: null,
        outcomes: [{ targetId: t1!.id, outcome: 'achieved', evidence: '20 of 20' }],
      }),
    ).rejects.toThrow(/Say whether target 2 was achieved/);
    const { nextPlanId } = await services.plans.recordReview(w.senco.actor, planId, view.plan.version, {
      heldOn: TODAY,
      attendees: 'Mother, Kit, Tara Teacher, Sam Senco',
      pupilViews: 'Reading is easier now',
      parentsViews: 'Pleased with progress',
      progress: 'as_expected',
      decision: 'new_plan',
      decisionNotes: 'Carry on with blending',
      extendedTo: null,
      outcomes: [
        { targetId: t1!.id, outcome: 'achieved', evidence: '20 of 20 on two days' },
        { targetId: t2!.id, outcome: 'partly_achieved', evidence: '6 of 10' },
      ],
    });
    const closed = await services.plans.view(w.senco.actor, planId);
    expect(closed.plan.status).toBe('closed');
    expect(closed.review).toMatchObject({ decision: 'new_plan', nextPlanId });
    expect(closed.actions).toMatchObject({ edit: false, addNote: false, review: false });
    await expect(
      services.plans.addNote(w.teacherA.actor, planId, { targetId: null, writtenOn: TODAY, body: 'late' }),
    ).rejects.toThrow(/closed/);
    const next = await services.plans.view(w.teacherA.actor, nextPlanId!);
    expect(next.plan).toMatchObject({ status: 'draft', cycle: 3, previousPlanId: planId });
    expect(next.targets.map((t) => t.target)).toEqual(['Blend CVC words']);
    expect(next.targets[0]?.carriedFromId).toBe(t2!.id);
    expect(next.cycles.map((c) => c.cycle)).toEqual([1, 2, 3]);
    const audits = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.pupilId, w.pupilK.id), eq(auditEvent.action, 'plan.reviewed')));
    expect(audits).toHaveLength(1);
  });
});

describe('who may do what with plans', () => {
  it('keeps plans from the office and another class’s teacher, and from another school', async () => {
    const { services, w } = world;
    const planId = await services.plans.start(w.senco.actor, w.pupilE.id);
    await expect(services.plans.view(w.office.actor, planId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.plans.view(w.teacherA.actor, planId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.plans.view(w.otherSenco.actor, planId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.plans.start(w.teacherA.actor, w.pupilE.id)).rejects.toBeInstanceOf(NotFoundError);
    // A TA who works with Eli may read and annotate, not write.
    const view = await services.plans.view(w.ta.actor, planId);
    expect(view.actions).toMatchObject({ edit: false, addNote: false });
    await expect(
      services.plans.update(w.ta.actor, planId, view.plan.version, planInput([target('x')])),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('bad input and two people at once', () => {
  it('refuses too many targets, an empty target, a review date before the start, and a stale save keeps the newer change', async () => {
    const { services, database, w } = world;
    const p = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classA.id,
      stage: 'sen_support',
      primaryNeed: 'MLD',
    });
    const planId = await services.plans.start(w.teacherA.actor, p.id);
    const v = (await services.plans.view(w.teacherA.actor, planId)).plan.version;
    await expect(
      services.plans.update(
        w.teacherA.actor,
        planId,
        v,
        planInput(['a', 'b', 'c', 'd', 'e'].map((x) => target(x))),
      ),
    ).rejects.toThrow(/at most 4 targets/);
    await expect(
      services.plans.update(w.teacherA.actor, planId, v, planInput([target('  ')])),
    ).rejects.toThrow(/Enter target 1/);
    await expect(
      services.plans.update(
        w.teacherA.actor,
        planId,
        v,
        planInput([target('x')], { reviewDate: '2026-09-01' }),
      ),
    ).rejects.toThrow(/after the start date/);
    await services.plans.update(w.senco.actor, planId, v, planInput([target('SENCo version')]));
    await expect(
      services.plans.update(w.teacherA.actor, planId, v, planInput([target('Teacher version')])),
    ).rejects.toBeInstanceOf(ConflictError);
    const rows = await database.db.select().from(planTarget).where(eq(planTarget.planId, planId));
    expect(rows.map((r) => r.target)).toEqual(['SENCo version']);
  });

  it('a review that ends SEN support moves the pupil off the register through its rules, and one that asks for an EHC assessment records the action', async () => {
    const { services, database, w } = world;
    const leave = await buildPupil(database.db, {
      schoolId: w.school.id,
      stage: 'sen_support',
      primaryNeed: 'SPLD',
      admissionDate: '2022-09-01',
    });
    const ehc = await buildPupil(database.db, {
      schoolId: w.school.id,
      stage: 'sen_support',
      primaryNeed: 'SEMH',
      admissionDate: '2022-09-01',
    });
    for (const [pupil, decision] of [
      [leave, 'leave_register'],
      [ehc, 'ehc_request'],
    ] as const) {
      const planId = await services.plans.start(w.senco.actor, pupil.id);
      let v = (await services.plans.view(w.senco.actor, planId)).plan.version;
      await services.plans.update(w.senco.actor, planId, v, planInput([target('t')]));
      v = (await services.plans.view(w.senco.actor, planId)).plan.version;
      await services.plans.agree(w.senco.actor, planId, v, {
        agreedOn: '2026-09-05',
        agreedWith: 'Parents',
        sharedWithParentsOn: '2026-09-06',
      });
      const view = await services.plans.view(w.senco.actor, planId);
      await services.plans.recordReview(w.senco.actor, planId, view.plan.version, {
        heldOn: TODAY,
        attendees: 'Parents, SENCo',
        pupilViews: null,
        parentsViews: null,
        progress: decision === 'leave_register' ? 'better_than_expected' : 'no_progress',
        decision,
        decisionNotes: 'Decided together',
        extendedTo: null,
        outcomes: view.targets.map((t) => ({
          targetId: t.id,
          outcome: decision === 'leave_register' ? ('achieved' as const) : ('not_achieved' as const),
          evidence: null,
        })),
      });
    }
    expect((await services.pupils.view(w.senco.actor, leave.id)).pupil.senStage).toBe('none');
    const entries = await database.db.select().from(registerEntry).where(eq(registerEntry.pupilId, leave.id));
    expect(entries.map((e) => e.stage)).toEqual(['none']);
    const actions = await database.db.select().from(pupilAction).where(eq(pupilAction.pupilId, ehc.id));
    expect(actions.map((a) => [a.kind, a.status])).toEqual([['ehc_request', 'open']]);
    expect((await services.pupils.view(w.senco.actor, ehc.id)).pupil.senStage).toBe('sen_support');
  });

  it('refuses to start a plan for a pupil not on the register or monitoring list', async () => {
    const { services, w } = world;
    await expect(services.plans.start(w.senco.actor, w.pupilA.id)).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('the plan’s forms, print and the bank', () => {
  it('opens a form only where the plan’s status allows it, and audits opening it once', async () => {
    const { services, database, w } = world;
    const p = await buildPupil(database.db, {
      schoolId: w.school.id,
      classId: w.classA.id,
      stage: 'monitoring',
    });
    expect((await services.plans.startForm(w.teacherA.actor, p.id)).planName).toBe('SEN Support Plan');
    const planId = await services.plans.start(w.teacherA.actor, p.id);
    await expect(services.plans.forForm(w.teacherA.actor, planId, 'addNote')).rejects.toThrow(
      /Notes are added once the plan is in place/,
    );
    await expect(services.plans.forForm(w.teacherA.actor, planId, 'review')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(services.plans.forForm(w.senco.actor, planId, 'review')).rejects.toThrow(
      /Only a plan in place can be reviewed/,
    );
    await expect(services.plans.forForm(w.teacherB.actor, planId, 'edit')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const page = await services.plans.forForm(w.teacherA.actor, planId, 'edit');
    await services.plans.forForm(w.teacherA.actor, planId, 'edit', { audit: false });
    const opened = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.pupilId, p.id), eq(auditEvent.action, 'pupil.opened_form')));
    expect(opened.map((e) => (e.detail as { form: string }).form).sort()).toEqual([
      'change the support plan',
      'start a support plan',
    ]);

    // A target written by hand goes to the bank as well, in the same save.
    await expect(
      services.plans.update(
        w.teacherA.actor,
        planId,
        page.plan.version,
        planInput([target('Kit will ask for help with a help card', { area: null, saveToBank: true })]),
      ),
    ).rejects.toMatchObject({
      errors: [
        { field: 'target1-area', message: 'Choose the area of need of target 1 to save it to the bank' },
      ],
    });
    await services.plans.update(
      w.teacherA.actor,
      planId,
      page.plan.version,
      planInput([target('X will ask for help with a help card', { saveToBank: true })]),
    );
    const found = await services.bank.search(w.senco.actor, { q: 'help card' });
    expect(found.map((e) => [e.text, e.source, e.createdByName])).toEqual([
      ['X will ask for help with a help card', 'school', 'Tara Teacher'],
    ]);
    expect((await services.bank.entry(w.teacherA.actor, found[0]!.id)).id).toBe(found[0]!.id);
    await expect(services.bank.entry(w.otherSenco.actor, found[0]!.id)).rejects.toBeInstanceOf(NotFoundError);

    // Printing is audited with its format, and carries the school's name.
    const printed = await services.plans.print(w.teacherA.actor, planId, 'pdf');
    expect(printed.schoolName).toBe('Oakfield Primary');
    const audits = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.pupilId, p.id), eq(auditEvent.action, 'plan.printed')));
    expect(audits.map((a) => a.detail)).toEqual([
      { planId, format: 'pdf', provisionShown: true, adviceShown: true },
    ]);
  });

  it('saves the school’s settings inside one transaction and refuses a stale save', async () => {
    const { services, w } = world;
    const before = await services.settings.forEdit(w.head.actor);
    await services.settings.save(w.head.actor, before.version, { ...before, planName: 'Learning Plan' });
    await expect(
      services.settings.save(w.senco.actor, before.version, { ...before, planName: 'IEP' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect((await services.settings.values(w.school.id)).planName).toBe('Learning Plan');
    await expect(services.settings.forEdit(w.teacherA.actor)).rejects.toBeInstanceOf(ForbiddenError);
    // The values as read carry their version: saving them stores the settings only, so the next save,
    // with the version read after it, goes through (a stored version once made every later save stale).
    for (const planName of ['IEP', 'One Plan']) {
      const current = await services.settings.forEdit(w.senco.actor);
      await services.settings.save(w.senco.actor, current.version, { ...current, planName });
    }
    expect((await services.settings.values(w.school.id)).planName).toBe('One Plan');
  });
});
