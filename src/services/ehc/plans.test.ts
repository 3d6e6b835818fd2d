import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildFamily,
  buildFinalPlan,
  buildOfficer,
  buildPupil,
  buildReceivedCase,
  buildSchool,
  examplePlanSections,
  useWorld,
} from '../../../test/builders/index.ts';
import {
  auditEvent,
  auditEventPupil,
  ehcPlan,
  ehcPlanVersion,
  organisation,
  organisationCase,
  outboundMail,
} from '../../db/schema/index.ts';
import type { PlanSections } from '../../domain/ehc-plan.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { organisationUnitOfWork } from '../kernel/unit-of-work.ts';
import { sectionDigest, startAmendment } from './plans.ts';

const t = useWorld();

/** What the school sent: a pack with views and needs (the parts a draft plan is written from). */
const PACK = {
  format: 'opensend.ehc-request-pack',
  child: {
    upn: 'X',
    forename: 'Kit',
    surname: 'Kowalski',
    senTypes: [
      { senType: 'SEMH', senTypeRank: 2 },
      { senType: 'SLCN', senTypeRank: 1 },
    ],
  },
  need: { summary: 'Kit’s understanding of spoken language is well below his age.' },
  childsViews: {
    profile: { likeAndAdmire: 'I am kind.', importantToMe: 'My dog Biscuit.', howToSupportMe: null },
    views: [],
  },
  parentsViews: [
    { key: 'v1', givenOn: '2026-05-01', context: 'review of the plan', text: 'We want him to have friends.' },
  ],
};

async function caseRow(caseId: string) {
  const [row] = await t.database.db.select().from(organisationCase).where(eq(organisationCase.id, caseId));
  return row!;
}

async function planRow(planId: string) {
  const [row] = await t.database.db.select().from(ehcPlan).where(eq(ehcPlan.id, planId));
  return row!;
}

async function versionRow(planId: string, number: number) {
  const [row] = await t.database.db
    .select()
    .from(ehcPlanVersion)
    .where(and(eq(ehcPlanVersion.planId, planId), eq(ehcPlanVersion.number, number)));
  return row!;
}

async function lastAudit(organisationId: string) {
  const rows = await t.database.db
    .select()
    .from(auditEvent)
    .where(eq(auditEvent.organisationId, organisationId))
    .orderBy(auditEvent.chainSeq);
  return rows.at(-1)!;
}

/** A case of the world's authority received on 1 July, with its decisions as given. */
async function caseWithDecisions(kinds: ('assess' | 'issue_plan')[], pupil = t.w.pupilK) {
  const { database, services, w } = t;
  const { caseId } = await buildReceivedCase(database.db, pupil, w.officer.organisationId, {
    receivedOn: '2026-07-01',
    received: { ...PACK, child: { ...PACK.child, upn: pupil.upn } },
  });
  const dates = { assess: '2026-08-01', issue_plan: '2026-10-01' };
  for (const kind of kinds)
    await services.caseload.recordDecision(w.officer.actor, caseId, {
      version: (await caseRow(caseId)).version,
      kind,
      decidedOn: dates[kind],
      parentsToldOn: dates[kind],
      reasons: null,
      panelNotes: null,
    });
  return caseId;
}

/** A draft plan written through to section I, sent on 20 October, for a new pupil of the world's school. */
async function sentDraft(given?: Awaited<ReturnType<typeof buildPupil>>, sentOn = '2026-10-20') {
  const { database, services, w } = t;
  const pupil = given ?? (await buildPupil(database.db, { schoolId: w.school.id }));
  const caseId = await caseWithDecisions(['assess', 'issue_plan'], pupil);
  const { planId } = await services.ehcPlans.startDraft(w.officer.actor, caseId);
  const example = examplePlanSections({ id: w.school.id, name: w.school.name, urn: null });
  for (const section of ['b', 'c', 'f', 'g', 'e'] as const)
    await services.ehcPlans.saveSection(w.officer.actor, planId, {
      section,
      value: example[section],
      versionVersion: (await versionRow(planId, 1)).version,
    });
  await services.ehcPlans.sendVersion(w.officer.actor, planId, { sentOn });
  return { planId, caseId, pupil, example };
}

describe('starting the draft plan from a case', () => {
  it('writes A from the pack’s views, B from its needs in rank order and K from the request and advice, with I blank', async () => {
    const { services, w } = t;
    const caseId = await caseWithDecisions(['assess']);
    const { planId } = await services.ehcPlans.startDraft(w.officer.actor, caseId);
    const plan = await planRow(planId);
    expect(plan).toMatchObject({
      status: 'draft',
      latestVersion: 1,
      finalVersion: null,
      pupilId: w.pupilK.id,
    });
    const v = await versionRow(planId, 1);
    expect(v).toMatchObject({ stage: 'writing', reason: 'new_plan', createdByName: 'Officer' });
    const s = v.sections as PlanSections;
    expect(s.a.text).toContain('What is important to me: My dog Biscuit.');
    expect(s.a.text).toContain('We want him to have friends.');
    expect(s.b.needs.map((n) => n.needType)).toEqual(['SLCN', 'SEMH']);
    expect(s.b.needs[0]?.text).toBe('Kit’s understanding of spoken language is well below his age.');
    expect(s.k.advice[0]).toMatchObject({ source: 'request', receivedOn: '2026-07-01' });
    expect(s.i).toBeNull();
    const audit = await lastAudit(w.officer.organisationId);
    expect(audit).toMatchObject({ action: 'ehc_plan.started', pupilId: w.pupilK.id, schoolId: null });
    const links = await t.database.db
      .select({ schoolId: auditEventPupil.schoolId, pupilId: auditEventPupil.pupilId })
      .from(auditEventPupil)
      .where(eq(auditEventPupil.eventId, audit.id));
    expect(links).toEqual([{ schoolId: w.school.id, pupilId: w.pupilK.id }]);
    // One plan per case.
    await expect(services.ehcPlans.startDraft(w.officer.actor, caseId)).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('needs the decision to assess, an open case of the officer’s own authority, and a caseworker', async () => {
    const { database, services, w } = t;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id });
    const { caseId } = await buildReceivedCase(database.db, pupil, w.officer.organisationId);
    await expect(services.ehcPlans.startDraft(w.officer.actor, caseId)).rejects.toThrow(/decision to assess/);
    const elsewhere = await buildOfficer(database.db);
    await expect(services.ehcPlans.startDraft(elsewhere.actor, caseId)).rejects.toBeInstanceOf(NotFoundError);
    const manager = await buildOfficer(database.db, w.officer.organisationId, ['manager']);
    await expect(services.ehcPlans.startDraft(manager.actor, caseId)).rejects.toBeInstanceOf(ForbiddenError);
    for (const actor of [w.senco.actor, w.head.actor, w.parent.actor, w.professional.actor])
      await expect(services.ehcPlans.startDraft(actor, caseId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.ehcPlans.startDraft(w.officer.actor, 'not-a-uuid')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const rows = await database.db.select().from(ehcPlan).where(eq(ehcPlan.caseId, caseId));
    expect(rows).toEqual([]);
  });
});

describe('a case whose dates were entered before its plan was kept here', () => {
  /** A case decided to issue a plan, whose dates say the draft was served (and, as given, the plan issued). */
  async function caseWithDates(finalIssuedOn: string | null) {
    const { database, services, w } = t;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id });
    const caseId = await caseWithDecisions(['assess', 'issue_plan'], pupil);
    await services.caseload.updateDates(w.officer.actor, caseId, {
      version: (await caseRow(caseId)).version,
      caseworkerUserId: null,
      draftSentOn: '2026-10-12',
      finalIssuedOn,
      withdrawn: false,
    });
    return caseId;
  }

  it('starts the draft of a case with its draft with the parents, and sends it on the day it was served', async () => {
    const { services, w } = t;
    const caseId = await caseWithDates(null);
    expect((await caseRow(caseId)).stage).toBe('draft_sent');
    const { planId } = await services.ehcPlans.startDraft(w.officer.actor, caseId);
    expect((await planRow(planId)).status).toBe('draft');
    await services.ehcPlans.sendVersion(w.officer.actor, planId, { sentOn: '2026-10-12' });
    expect(await caseRow(caseId)).toMatchObject({ stage: 'draft_sent', draftSentOn: '2026-10-12' });
    expect((await versionRow(planId, 1)).commentsDueOn).toBe('2026-10-26');
  });

  it('starts the plan of a case whose final plan was issued, and keeps the case at that stage when it is sent', async () => {
    const { services, w } = t;
    const caseId = await caseWithDates('2026-11-02');
    expect((await caseRow(caseId)).stage).toBe('plan_issued');
    const { planId } = await services.ehcPlans.startDraft(w.officer.actor, caseId);
    await services.ehcPlans.sendVersion(w.officer.actor, planId, { sentOn: '2026-10-12' });
    expect(await caseRow(caseId)).toMatchObject({ stage: 'plan_issued', finalIssuedOn: '2026-11-02' });
  });

  it('refuses a case the authority decided not to issue a plan for, saying so', async () => {
    const { database, services, w } = t;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id });
    const caseId = await caseWithDecisions(['assess'], pupil);
    await services.caseload.recordDecision(w.officer.actor, caseId, {
      version: (await caseRow(caseId)).version,
      kind: 'not_issue_plan',
      decidedOn: '2026-10-01',
      parentsToldOn: '2026-10-01',
      reasons: 'The school can meet the needs from its own resources.',
      panelNotes: null,
    });
    await expect(services.ehcPlans.startDraft(w.officer.actor, caseId)).rejects.toThrow(
      /not to issue a plan/,
    );
    expect(await database.db.select().from(ehcPlan).where(eq(ehcPlan.caseId, caseId))).toEqual([]);
  });
});

describe('writing, sending and issuing the plan', () => {
  it('the draft sent to the parents is mailed to each with an account, from the authority, with the last day to comment', async () => {
    const { database, w } = t;
    const family = await buildFamily(database.db, { schoolId: w.school.id, forename: 'Ottoline' });
    const { planId } = await sentDraft(family.pupil, '2026-11-16');
    const mails = await database.db
      .select()
      .from(outboundMail)
      .where(and(eq(outboundMail.schoolId, w.school.id), eq(outboundMail.kind, 'family.ehc_draft')));
    const carers = new Set<string>([family.motherCarer.id, family.fatherCarer.id]);
    const toFamily = mails.filter((m) => m.parentCarerId !== null && carers.has(m.parentCarerId));
    expect(toFamily.map((m) => m.toAddress).sort()).toEqual(
      [family.father.email, family.mother.email].sort(),
    );
    const [one] = toFamily;
    expect(one!.body).toContain(`/children/${family.pupil.id}/ehc/plans/${planId}`);
    expect(one!.body).toContain('You can reply until');
    expect(`${one!.subject} ${one!.body}`).not.toMatch(/Ottoline/);
    const [org] = await database.db
      .select()
      .from(organisation)
      .where(eq(organisation.id, w.officer.organisationId));
    expect(one!.subject).toBe(`There is a document for you to read from ${org!.name}`);

    // She comments online; the caseworker sees it on the plan as her own words, ready for the record.
    await t.services.familyViews.give(family.mother.actor, family.pupil.id, 'ehc_draft', planId, {
      body: 'Section F should say who runs the speech sessions.',
      version: null,
    });
    const view = await t.services.ehcPlans.planView(w.officer.actor, planId);
    expect(view.parentsOnline.views).toHaveLength(1);
    expect(view.parentsOnline.views[0]!.label).toMatch(/^In Mother \d+’s own words \(given online on /);
    expect(view.parentsOnline.forTheRecord).toContain('Section F should say who runs the speech sessions.');
  });

  it('saves a section with the version seen; a stale save is refused with the other change', async () => {
    const { services, w } = t;
    const caseId = await caseWithDecisions(['assess']);
    const { planId } = await services.ehcPlans.startDraft(w.officer.actor, caseId);
    const seen = (await versionRow(planId, 1)).version;
    await services.ehcPlans.saveSection(w.officer.actor, planId, {
      section: 'a',
      value: { text: 'Kit likes trains.' },
      versionVersion: seen,
    });
    const stale = services.ehcPlans.saveSection(w.officer.actor, planId, {
      section: 'a',
      value: { text: 'Something else.' },
      versionVersion: seen,
    });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    const error = (await stale.catch((e) => e)) as ConflictError;
    expect((error.current!.sections as PlanSections).a.text).toBe('Kit likes trains.');
    expect(((await versionRow(planId, 1)).sections as PlanSections).a.text).toBe('Kit likes trains.');
  });

  it('saves a section from a form loaded before another section was saved; refuses it when this section changed', async () => {
    const { services, w } = t;
    const caseId = await caseWithDecisions(['assess']);
    const { planId } = await services.ehcPlans.startDraft(w.officer.actor, caseId);
    // Section A's form is loaded (the version and the section as they stand) ...
    const loaded = await versionRow(planId, 1);
    const digestOfA = sectionDigest(loaded.sections as PlanSections, 'a');
    // ... someone saves Section J meanwhile ...
    await services.ehcPlans.saveSection(w.officer.actor, planId, {
      section: 'j',
      value: { text: 'No personal budget is asked for.' },
      versionVersion: loaded.version,
    });
    // ... and A, unchanged since its form was loaded, saves.
    await services.ehcPlans.saveSection(w.officer.actor, planId, {
      section: 'a',
      value: { text: 'Kit likes trains.' },
      versionVersion: loaded.version,
      sectionDigest: digestOfA,
    });
    const saved = (await versionRow(planId, 1)).sections as PlanSections;
    expect(saved.a.text).toBe('Kit likes trains.');
    expect(saved.j.text).toBe('No personal budget is asked for.');
    // A second form of A loaded before that save is stale: A itself changed. Their A is returned.
    const stale = services.ehcPlans.saveSection(w.officer.actor, planId, {
      section: 'a',
      value: { text: 'Kit likes buses.' },
      versionVersion: loaded.version,
      sectionDigest: digestOfA,
    });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    const error = (await stale.catch((e) => e)) as ConflictError;
    expect(error.message).toContain('Someone else saved Section A');
    expect(error.current).toMatchObject({ section: 'a' });
    expect((error.current!.sections as PlanSections).a.text).toBe('Kit likes trains.');
    expect(((await versionRow(planId, 1)).sections as PlanSections).a.text).toBe('Kit likes trains.');
    // A digest that is not the section's (forged or garbled) is no way round the version.
    await expect(
      services.ehcPlans.saveSection(w.officer.actor, planId, {
        section: 'a',
        value: { text: 'Kit likes buses.' },
        versionVersion: loaded.version,
        sectionDigest: 'x'.repeat(32),
      }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses a section that breaks the plan’s rules, and saves nothing', async () => {
    const { services, w } = t;
    const caseId = await caseWithDecisions(['assess']);
    const { planId } = await services.ehcPlans.startDraft(w.officer.actor, caseId);
    const before = await versionRow(planId, 1);
    const bad = services.ehcPlans.saveSection(w.officer.actor, planId, {
      section: 'e',
      value: {
        outcomes: [{ id: 'o1', text: 'Reads', by: null, needIds: ['no-such-need'], provisionIds: [] }],
      },
      versionVersion: before.version,
    });
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(
      services.ehcPlans.saveSection(w.officer.actor, planId, {
        section: 'a',
        value: { text: 'bell\u0007' },
        versionVersion: before.version,
      }),
    ).rejects.toThrow(/control characters/);
    expect((await versionRow(planId, 1)).version).toBe(before.version);
  });

  it('sends the draft only with section I blank and the decision to issue; the case’s draft is served', async () => {
    const { database, services, w } = t;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id });
    const caseId = await caseWithDecisions(['assess'], pupil);
    const { planId } = await services.ehcPlans.startDraft(w.officer.actor, caseId);
    await expect(
      services.ehcPlans.sendVersion(w.officer.actor, planId, { sentOn: '2026-10-20' }),
    ).rejects.toThrow(/decision to issue a plan/);
    await services.caseload.recordDecision(w.officer.actor, caseId, {
      version: (await caseRow(caseId)).version,
      kind: 'issue_plan',
      decidedOn: '2026-10-01',
      parentsToldOn: null,
      reasons: null,
      panelNotes: null,
    });
    await services.ehcPlans.saveSection(w.officer.actor, planId, {
      section: 'i',
      value: { schoolId: w.school.id, name: w.school.name, urn: null, kind: null },
      versionVersion: (await versionRow(planId, 1)).version,
    });
    await expect(
      services.ehcPlans.sendVersion(w.officer.actor, planId, { sentOn: '2026-10-20' }),
    ).rejects.toThrow(/names no school/);
    await services.ehcPlans.saveSection(w.officer.actor, planId, {
      section: 'i',
      value: null,
      versionVersion: (await versionRow(planId, 1)).version,
    });
    await expect(
      services.ehcPlans.sendVersion(w.officer.actor, planId, { sentOn: '2026-12-01' }),
    ).rejects.toThrow(/today or in the past/);
    const sent = await services.ehcPlans.sendVersion(w.officer.actor, planId, { sentOn: '2026-10-20' });
    // The 15 days include the day it is sent: 20 October to 3 November.
    expect(sent).toEqual({ number: 1, sentOn: '2026-10-20', commentsDueOn: '2026-11-03' });
    expect(await versionRow(planId, 1)).toMatchObject({ stage: 'sent', commentsDueOn: '2026-11-03' });
    expect(await caseRow(caseId)).toMatchObject({ draftSentOn: '2026-10-20', stage: 'draft_sent' });
    expect((await lastAudit(w.officer.organisationId)).action).toBe('ehc_plan.sent');
    // Sent: its sections are fixed, except the school to be named.
    await expect(
      services.ehcPlans.saveSection(w.officer.actor, planId, {
        section: 'a',
        value: { text: 'Changed after sending' },
        versionVersion: (await versionRow(planId, 1)).version,
      }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('issues the final plan after the 15 days with section I named: the plan starts and the case closes', async () => {
    const { services, w } = t;
    const { planId, caseId } = await sentDraft();
    await services.ehcPlans.recordComments(w.officer.actor, planId, {
      versionVersion: (await versionRow(planId, 1)).version,
      parentsComments: 'We would like more speech therapy.',
      parentsCommentsOn: '2026-10-30',
      preferredSchool: 'Oakfield Primary',
      consultedSchool: 'Oakfield Primary',
      consultedOn: '2026-10-31',
      consultedAnswer: 'The school agrees to be named.',
    });
    await expect(
      services.ehcPlans.issueVersion(w.officer.actor, planId, { issuedOn: '2026-11-10' }),
    ).rejects.toThrow(/Name the school/);
    await services.ehcPlans.saveSection(w.officer.actor, planId, {
      section: 'i',
      value: { schoolId: w.school.id, name: w.school.name, urn: null, kind: null },
      versionVersion: (await versionRow(planId, 1)).version,
    });
    await expect(
      services.ehcPlans.issueVersion(w.officer.actor, planId, { issuedOn: '2026-11-03' }),
    ).rejects.toThrow(/on or after 4 November 2026/);
    const issued = await services.ehcPlans.issueVersion(w.officer.actor, planId, { issuedOn: '2026-11-10' });
    // Received 1 July: the 20 weeks end on 18 November.
    expect(issued).toEqual({
      number: 1,
      issuedOn: '2026-11-10',
      finalDueOn: '2026-11-18',
      withinTwentyWeeks: true,
    });
    expect(await planRow(planId)).toMatchObject({
      status: 'final',
      finalVersion: 1,
      startedOn: '2026-11-10',
      reviewDueOn: '2027-11-09',
      namedSchoolId: w.school.id,
    });
    expect(await versionRow(planId, 1)).toMatchObject({
      stage: 'issued',
      issuedOn: '2026-11-10',
      parentsComments: 'We would like more speech therapy.',
      consultedAnswer: 'The school agrees to be named.',
    });
    expect(await caseRow(caseId)).toMatchObject({
      stage: 'plan_issued',
      finalIssuedOn: '2026-11-10',
      closedOn: '2026-11-10',
    });
    expect((await lastAudit(w.officer.organisationId)).action).toBe('ehc_plan.issued');
  });
});

describe('amending and ceasing a final plan', () => {
  it('amends in a new version copied from the final one, kept beside it, and issues it', async () => {
    const { database, services, w } = t;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id });
    const built = await buildFinalPlan(database.db, pupil, w.officer.organisationId, {
      issuedOn: '2025-11-01',
    });
    const amended = await services.ehcPlans.startAmendment(w.officer.actor, built.planId, {
      reason: 'annual_review',
    });
    expect(amended.number).toBe(2);
    const v2 = await versionRow(built.planId, 2);
    expect(v2).toMatchObject({ stage: 'writing', reason: 'annual_review' });
    expect(v2.sections).toEqual(built.sections);
    await expect(
      services.ehcPlans.startAmendment(w.officer.actor, built.planId, { reason: 'other_amendment' }),
    ).rejects.toThrow(/already under way/);
    await services.ehcPlans.saveSection(w.officer.actor, built.planId, {
      section: 'a',
      value: { text: 'Now wants to be a pilot.' },
      versionVersion: v2.version,
    });
    await services.ehcPlans.sendVersion(w.officer.actor, built.planId, { sentOn: '2026-10-01' });
    await services.ehcPlans.issueVersion(w.officer.actor, built.planId, { issuedOn: '2026-10-20' });
    expect(await planRow(built.planId)).toMatchObject({
      status: 'final',
      finalVersion: 2,
      latestVersion: 2,
      startedOn: '2025-11-01',
    });
    expect(((await versionRow(built.planId, 1)).sections as PlanSections).a.text).toBe(built.sections.a.text);
  });

  it('takes an amendment in another use case’s unit of work (an annual review’s decision), naming it', async () => {
    const { database, w } = t;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id });
    const built = await buildFinalPlan(database.db, pupil, w.officer.organisationId);
    const decisionId = crypto.randomUUID();
    const result = await organisationUnitOfWork(
      database.db,
      { ...w.officer.actor, organisationId: w.officer.organisationId },
      (u) => startAmendment(u, built.planId, { reason: 'annual_review', reviewDecisionId: decisionId }),
    );
    expect(await versionRow(built.planId, result.number)).toMatchObject({ reviewDecisionId: decisionId });
    expect((await lastAudit(w.officer.organisationId)).action).toBe('ehc_plan.amendment_started');
  });

  it('ceases a plan with SEN2’s reason; a ceased plan is not changed again', async () => {
    const { database, services, w } = t;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id });
    const built = await buildFinalPlan(database.db, pupil, w.officer.organisationId, {
      issuedOn: '2025-11-01',
    });
    await expect(
      services.ehcPlans.ceasePlan(w.officer.actor, built.planId, { ceasedOn: '2026-11-01', reason: 'bored' }),
    ).rejects.toThrow(/why the plan ceased/);
    await expect(
      services.ehcPlans.ceasePlan(w.officer.actor, built.planId, {
        ceasedOn: '2025-10-01',
        reason: 'other_la',
      }),
    ).rejects.toThrow(/on or after the day the plan started/);
    await services.ehcPlans.ceasePlan(w.officer.actor, built.planId, {
      ceasedOn: '2026-11-01',
      reason: 'other_la',
    });
    expect(await planRow(built.planId)).toMatchObject({
      status: 'ceased',
      ceasedOn: '2026-11-01',
      ceaseReason: 'other_la',
    });
    await expect(
      services.ehcPlans.startAmendment(w.officer.actor, built.planId, { reason: 'other_amendment' }),
    ).rejects.toThrow(/ceased/);
  });

  it('ends the amendment being written when the plan ceases: kept, not issued; the reasons kept with the plan', async () => {
    const { database, services, w } = t;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id });
    const built = await buildFinalPlan(database.db, pupil, w.officer.organisationId, {
      issuedOn: '2025-11-01',
    });
    await services.ehcPlans.startAmendment(w.officer.actor, built.planId, { reason: 'other_amendment' });
    await expect(
      services.ehcPlans.ceasePlan(w.officer.actor, built.planId, {
        ceasedOn: '2026-11-01',
        reason: 'other_la',
        reasons: '   ',
      }),
    ).rejects.toThrow(/right of appeal/);
    expect((await versionRow(built.planId, 2)).stage).toBe('writing');
    const result = await services.ehcPlans.ceasePlan(w.officer.actor, built.planId, {
      ceasedOn: '2026-11-01',
      reason: 'other_la',
      reasons: 'Kit has moved to Westshire, which now maintains the plan.',
    });
    expect(result.endedVersion).toBe(2);
    expect(await planRow(built.planId)).toMatchObject({
      status: 'ceased',
      ceaseReasonsGiven: 'Kit has moved to Westshire, which now maintains the plan.',
      finalVersion: 1,
    });
    expect(await versionRow(built.planId, 2)).toMatchObject({ stage: 'not_issued', issuedOn: null });
    expect((await versionRow(built.planId, 1)).stage).toBe('issued');
    const audit = await lastAudit(w.officer.organisationId);
    expect(audit.action).toBe('ehc_plan.ceased');
    expect(audit.detail).toMatchObject({ endedVersion: 2 });
    // Nothing is open any more: the page shows the final plan, nothing may be done, and the version that
    // was never issued can still be read.
    const view = await services.ehcPlans.planView(w.officer.actor, built.planId);
    expect(view.open).toBeNull();
    expect(view.shown.number).toBe(1);
    expect(Object.entries(view.actions).filter(([k, v]) => k !== 'read' && v)).toEqual([]);
    const doc = await services.ehcPlans.planDocument(w.officer.actor, built.planId, 2);
    expect(doc.version).toMatchObject({ number: 2, stage: 'not_issued' });
    await expect(
      services.ehcPlans.saveSection(w.officer.actor, built.planId, {
        section: 'a',
        value: { text: 'Changed after ceasing.' },
        versionVersion: (await versionRow(built.planId, 2)).version,
      }),
    ).rejects.toThrow(/ceased/);
  });

  it('keeps plans within their authority: another authority’s officer finds nothing, a manager only reads', async () => {
    const { database, services, w } = t;
    const org = await buildOfficer(database.db, undefined, ['caseworker']);
    const school = await buildSchool(database.db, { organisationId: org.organisationId });
    const pupil = await buildPupil(database.db, { schoolId: school.id });
    const theirs = await buildFinalPlan(database.db, pupil, org.organisationId);
    await expect(services.ehcPlans.planView(w.officer.actor, theirs.planId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      services.ehcPlans.startAmendment(w.officer.actor, theirs.planId, { reason: 'other_amendment' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      services.ehcPlans.ceasePlan(w.officer.actor, theirs.planId, { ceasedOn: '2026-11-01', reason: 'died' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const manager = await buildOfficer(database.db, org.organisationId, ['manager']);
    const view = await services.ehcPlans.planView(manager.actor, theirs.planId);
    expect(view.actions).toMatchObject({ read: true, amend: false, cease: false });
    await expect(
      services.ehcPlans.startAmendment(manager.actor, theirs.planId, { reason: 'other_amendment' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect((await planRow(theirs.planId)).latestVersion).toBe(1);
  });
});
