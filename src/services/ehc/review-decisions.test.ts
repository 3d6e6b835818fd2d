import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  buildFinalPlan,
  buildOfficer,
  buildPupil,
  buildReviewDecision,
  buildSchool,
  buildSentAnnualReview,
  buildStaff,
  TODAY,
  useWorld,
} from '../../../test/builders/index.ts';
import {
  auditEvent,
  auditEventPupil,
  ehcPlan,
  ehcPlanVersion,
  ehcReviewDecision,
  organisationCase,
  outboundMail,
  pupil as pupilTable,
} from '../../db/schema/index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';

const t = useWorld();

async function lastAudit(organisationId: string) {
  const rows = await t.database.db
    .select()
    .from(auditEvent)
    .where(eq(auditEvent.organisationId, organisationId))
    .orderBy(auditEvent.chainSeq);
  return rows.at(-1)!;
}

async function planRow(planId: string) {
  const [row] = await t.database.db.select().from(ehcPlan).where(eq(ehcPlan.id, planId));
  return row!;
}

async function decisionRow(id: string) {
  const [row] = await t.database.db.select().from(ehcReviewDecision).where(eq(ehcReviewDecision.id, id));
  return row!;
}

/** An authority of its own for one test: a caseworker and a school with its head teacher. */
async function authority() {
  const { database } = t;
  const officer = await buildOfficer(database.db, undefined, ['caseworker']);
  const school = await buildSchool(database.db, {
    organisationId: officer.organisationId,
    name: 'Oakfield Primary',
  });
  const head = await buildStaff(database.db, 'head_teacher', { schoolId: school.id });
  return { officer, school, head };
}
type Authority = Awaited<ReturnType<typeof authority>>;

/** A plan of the authority for a new pupil of its school, issued on `issuedOn`. */
async function planIssued(at: Authority, issuedOn: string, surname = 'Planned') {
  const pupil = await buildPupil(t.database.db, { schoolId: at.school.id, forename: 'Child', surname });
  const plan = await buildFinalPlan(t.database.db, pupil, at.officer.organisationId, { issuedOn });
  return { pupil, plan };
}

const keepInput = (
  version = 1,
): {
  version: number;
  decision: string | null;
  decidedOn: string | null;
  reasons: string | null;
  ceaseReason: string | null;
} => ({ version, decision: 'keep', decidedOn: '2026-11-18', reasons: null, ceaseReason: null });

describe('the reviews due across the authority', () => {
  it('lists its final plans overdue, due this term and next, never another authority’s, and counts each', async () => {
    const { database, services, w } = t;
    const at = await authority();
    // Today is 20 November 2026: this term ends on 31 December, next term on 31 March.
    const overdue = await planIssued(at, '2025-11-01', 'Overdue'); // due 31 October 2026
    const thisTerm = await planIssued(at, '2025-12-15', 'Thisterm'); // due 14 December 2026
    const nextTerm = await planIssued(at, '2026-02-01', 'Nextterm'); // due 31 January 2027
    const later = await planIssued(at, '2026-06-01', 'Later'); // due 31 May 2027
    const elsewhere = await buildOfficer(database.db);
    const theirs = await buildFinalPlan(database.db, w.otherPupil, elsewhere.organisationId, {
      issuedOn: '2025-11-01',
    });
    const list = await services.reviewDecisions.reviews(at.officer.actor);
    const planIds = list.rows.map((r) => r.planId);
    expect(planIds).toEqual([overdue.plan.planId, thisTerm.plan.planId, nextTerm.plan.planId]);
    expect(planIds).not.toContain(later.plan.planId);
    expect(planIds).not.toContain(theirs.planId);
    expect(list.counts).toMatchObject({ overdue: 1, thisTerm: 1, nextTerm: 1, decisions: 0, amendments: 0 });
    expect(list.rows[0]).toMatchObject({
      childName: 'Child Overdue',
      schoolName: 'Oakfield Primary',
      dueOn: '2026-10-31',
      band: 'overdue',
    });
    const only = await services.reviewDecisions.reviews(at.officer.actor, { show: 'next_term' });
    expect(only.rows.map((r) => r.planId)).toEqual([nextTerm.plan.planId]);
    // The list names children: its audit row names those it showed, each under their school.
    const viewed = await lastAudit(at.officer.organisationId);
    expect(viewed.action).toBe('annual_reviews.listed');
    const links = await database.db
      .select({ schoolId: auditEventPupil.schoolId, pupilId: auditEventPupil.pupilId })
      .from(auditEventPupil)
      .where(eq(auditEventPupil.eventId, viewed.id));
    expect(links).toEqual([{ schoolId: at.school.id, pupilId: nextTerm.pupil.id }]);
    // The other authority sees its own plan only.
    const theirList = await services.reviewDecisions.reviews(elsewhere.actor);
    expect(theirList.rows.map((r) => r.planId)).toEqual([theirs.planId]);
  });

  it('moves a plan whose report came in from "due" to the reports waiting for a decision, with its four weeks', async () => {
    const { database, services } = t;
    const at = await authority();
    const { pupil, plan } = await planIssued(at, '2025-11-01');
    const { decisionId } = await buildReviewDecision(database.db, plan, pupil, { meetingOn: '2026-10-20' });
    const due = await services.reviewDecisions.reviews(at.officer.actor);
    expect(due.rows.map((r) => r.planId)).not.toContain(plan.planId);
    const waiting = await services.reviewDecisions.reviews(at.officer.actor, { show: 'decisions' });
    expect(waiting.rows).toEqual([
      expect.objectContaining({ kind: 'decision', decisionId, dueOn: '2026-11-17', state: 'overdue' }),
    ]);
    expect(waiting.counts).toMatchObject({ decisions: 1, decisionsOverdue: 1 });
  });

  it('filters by school and by the officer’s own cases, and shows 50 a page', async () => {
    const { database, services } = t;
    const org = await buildOfficer(database.db, undefined, ['caseworker']);
    const first = await buildSchool(database.db, { organisationId: org.organisationId });
    const second = await buildSchool(database.db, { organisationId: org.organisationId });
    for (let i = 0; i < 52; i++) {
      const child = await buildPupil(database.db, { schoolId: first.id });
      await buildFinalPlan(database.db, child, org.organisationId, { issuedOn: '2025-12-01' });
    }
    const child = await buildPupil(database.db, { schoolId: second.id });
    const mine = await buildFinalPlan(database.db, child, org.organisationId, { issuedOn: '2025-12-01' });
    await database.db
      .update(organisationCase)
      .set({ caseworkerUserId: org.actor.userId })
      .where(eq(organisationCase.id, mine.caseId));
    const page1 = await services.reviewDecisions.reviews(org.actor);
    expect(page1).toMatchObject({ total: 53, pages: 2, page: 1 });
    expect(page1.rows).toHaveLength(50);
    const page2 = await services.reviewDecisions.reviews(org.actor, { page: 2 });
    expect(page2.rows).toHaveLength(3);
    expect((await services.reviewDecisions.reviews(org.actor, { schoolId: second.id })).rows).toHaveLength(1);
    const own = await services.reviewDecisions.reviews(org.actor, { mine: true });
    expect(own.rows.map((r) => r.planId)).toEqual([mine.planId]);
  });

  it('lists a Year 6 child’s phase transfer: the amended plan by 15 February, the meeting worked back to 23 November', async () => {
    const { database, services } = t;
    const at = await authority();
    const { plan, pupil: sixth } = await planIssued(at, '2026-06-01', 'Yearsix');
    const younger = await planIssued(at, '2026-06-01', 'Yearfive');
    const heldBack = await planIssued(at, '2026-06-01', 'Heldback');
    const copyOnly = await planIssued(at, '2026-06-01', 'Copyonly');
    const setBorn = async (caseId: string, birthDate: string) =>
      database.db
        .update(organisationCase)
        .set({ received: { child: { forename: 'Child', surname: 'Born', upn: 'X', birthDate } } })
        .where(eq(organisationCase.id, caseId));
    const setPupil = async (
      pupilId: string,
      values: { dateOfBirth: string; ncYearOverride?: number | null },
    ) => database.db.update(pupilTable).set(values).where(eq(pupilTable.id, pupilId));
    // The school's own record decides the year group, as on the school's reviews page: the authority's
    // copy of the request (Year 5 here) gives way to the pupil row (Year 6).
    await setBorn(plan.caseId, '2017-03-14');
    await setPupil(sixth.id, { dateOfBirth: '2016-03-14' }); // Year 6 in 2026/27
    await setPupil(younger.pupil.id, { dateOfBirth: '2017-03-14' }); // Year 5
    // Born for Year 5, but taught in Year 6 by the school's choice: a transfer too.
    await setPupil(heldBack.pupil.id, { dateOfBirth: '2017-05-02', ncYearOverride: 6 });
    // No pupil row at one of the authority's schools any more: the authority's own copy is used.
    await setPupil(copyOnly.pupil.id, { dateOfBirth: '2017-03-14' });
    await database.db
      .update(ehcPlan)
      .set({ pupilId: crypto.randomUUID() })
      .where(eq(ehcPlan.id, copyOnly.plan.planId));
    await setBorn(copyOnly.plan.caseId, '2016-01-20');
    const list = await services.reviewDecisions.reviews(at.officer.actor, { show: 'phase_transfers' });
    expect(list.counts.phaseTransfers).toBe(3);
    expect(list.rows.map((r) => r.planId).sort()).toEqual(
      [plan.planId, heldBack.plan.planId, copyOnly.plan.planId].sort(),
    );
    expect(list.rows.find((r) => r.planId === plan.planId)).toEqual(
      expect.objectContaining({
        kind: 'transfer',
        ncYearLabel: 'Year 6',
        dueOn: '2027-02-15',
        meetingBy: '2026-11-23',
        state: 'due_week',
      }),
    );
    expect(list).toMatchObject({ autumn: true, transferYear: '2026/27' });
  });

  it('is the authority’s: school staff are refused', async () => {
    const { services, w } = t;
    await expect(services.reviewDecisions.reviews(w.senco.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('the decision on a review', () => {
  it('keeps the plan: the last review is the meeting, the next due within twelve months of it', async () => {
    const { database, services } = t;
    const at = await authority();
    const { pupil, plan } = await planIssued(at, '2025-11-25');
    const { decisionId } = await buildReviewDecision(database.db, plan, pupil, { meetingOn: '2026-11-10' });
    const view = await services.reviewDecisions.decisionView(at.officer.actor, decisionId);
    expect(view).toMatchObject({
      childName: 'Child Planned',
      decisionDueOn: '2026-12-08',
      nextReviewIfKept: '2027-11-09',
      actions: { read: true, decide: true },
    });
    expect((await lastAudit(at.officer.organisationId)).action).toBe('review_decision.viewed');
    const result = await services.reviewDecisions.decide(at.officer.actor, decisionId, keepInput());
    expect(result).toEqual({ decision: 'keep', planId: plan.planId, amendmentVersion: null });
    expect(await planRow(plan.planId)).toMatchObject({
      status: 'final',
      lastReviewOn: '2026-11-10',
      reviewDueOn: '2027-11-09',
    });
    expect(await decisionRow(decisionId)).toMatchObject({
      decision: 'keep',
      decidedOn: '2026-11-18',
      decidedByName: 'Officer',
      version: 2,
    });
    const audited = await lastAudit(at.officer.organisationId);
    expect(audited).toMatchObject({ action: 'review_decision.decided', pupilId: pupil.id });
    // Decided once: a second decision is refused as someone else's change.
    await expect(
      services.reviewDecisions.decide(at.officer.actor, decisionId, keepInput(2)),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('ceases the plan with SEN2’s reason, and asks for the reasons first, saving nothing', async () => {
    const { database, services } = t;
    const at = await authority();
    const { pupil, plan } = await planIssued(at, '2025-11-25');
    const { decisionId } = await buildReviewDecision(database.db, plan, pupil, {
      meetingOn: '2026-11-10',
      recommendation: 'cease',
    });
    const without = services.reviewDecisions.decide(at.officer.actor, decisionId, {
      ...keepInput(),
      decision: 'cease',
    });
    await expect(without).rejects.toBeInstanceOf(ValidationError);
    await without.catch((e: ValidationError) =>
      expect(e.errors.map((x) => x.field)).toEqual(['reasons', 'ceaseReason']),
    );
    expect((await decisionRow(decisionId)).decision).toBeNull();
    await services.reviewDecisions.decide(at.officer.actor, decisionId, {
      ...keepInput(),
      decision: 'cease',
      reasons: 'Sam’s needs are met at SEN support.',
      ceaseReason: 'needs_met',
    });
    expect(await planRow(plan.planId)).toMatchObject({
      status: 'ceased',
      ceasedOn: '2026-11-18',
      ceaseReason: 'needs_met',
      ceaseReasonsGiven: 'Sam’s needs are met at SEN support.',
      lastReviewOn: '2026-11-10',
    });
    // A ceased plan is not due for review any more.
    const list = await services.reviewDecisions.reviews(at.officer.actor);
    expect(list.rows.map((r) => r.planId)).not.toContain(plan.planId);
  });

  it('amends the plan: the proposed amendments begin as its new version, the amended plan due twelve weeks after the meeting', async () => {
    const { database, services } = t;
    const at = await authority();
    const { pupil, plan } = await planIssued(at, '2025-11-25');
    const { decisionId } = await buildReviewDecision(database.db, plan, pupil, {
      meetingOn: '2026-11-10',
      recommendation: 'amend',
    });
    const result = await services.reviewDecisions.decide(at.officer.actor, decisionId, {
      ...keepInput(),
      decision: 'amend',
      reasons: 'Section F needs a social communication group.',
    });
    expect(result).toEqual({ decision: 'amend', planId: plan.planId, amendmentVersion: 2 });
    const [version] = await database.db
      .select()
      .from(ehcPlanVersion)
      .where(and(eq(ehcPlanVersion.planId, plan.planId), eq(ehcPlanVersion.number, 2)));
    expect(version).toMatchObject({
      stage: 'writing',
      reason: 'annual_review',
      reviewDecisionId: decisionId,
      sections: plan.sections,
    });
    expect(await planRow(plan.planId)).toMatchObject({
      status: 'final',
      finalVersion: 1,
      latestVersion: 2,
      lastReviewOn: '2026-11-10',
      reviewDueOn: '2027-11-09',
    });
    expect(await decisionRow(decisionId)).toMatchObject({ decision: 'amend', amendmentVersion: 2 });
    const amending = await services.reviewDecisions.reviews(at.officer.actor, { show: 'amendments' });
    expect(amending.rows).toEqual([
      expect.objectContaining({ kind: 'amendment', decisionId, dueOn: '2027-02-02', state: 'due' }),
    ]);
    expect(amending.counts).toMatchObject({ amendments: 1, decisions: 0 });
    // The amendment's own row and the decision's, on the authority's chain.
    const actions = (
      await database.db
        .select({ action: auditEvent.action })
        .from(auditEvent)
        .where(eq(auditEvent.organisationId, at.officer.organisationId))
        .orderBy(auditEvent.chainSeq)
    ).map((r) => r.action);
    expect(actions.slice(-3)).toEqual([
      'ehc_plan.amendment_started',
      'review_decision.decided',
      'annual_reviews.listed',
    ]);
  });

  it('does not amend while another amendment is under way, and saves nothing', async () => {
    const { database, services } = t;
    const at = await authority();
    const { pupil, plan } = await planIssued(at, '2025-11-25');
    const first = await buildReviewDecision(database.db, plan, pupil, { meetingOn: '2026-11-02' });
    await services.reviewDecisions.decide(at.officer.actor, first.decisionId, {
      ...keepInput(),
      decision: 'amend',
      reasons: 'Outcomes to update.',
    });
    const second = await buildReviewDecision(database.db, plan, pupil, { meetingOn: '2026-11-10' });
    const error = await services.reviewDecisions
      .decide(at.officer.actor, second.decisionId, { ...keepInput(), decision: 'amend', reasons: 'Again.' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]?.message).toBe(
      'An amendment is already under way: finish it before starting another',
    );
    expect(await decisionRow(second.decisionId)).toMatchObject({ decision: null, version: 1 });
    expect((await planRow(plan.planId)).lastReviewOn).toBe('2026-11-02');
  });

  it('refuses bad input with clear messages: a date before the meeting, in the future, control characters', async () => {
    const { database, services } = t;
    const at = await authority();
    const { pupil, plan } = await planIssued(at, '2025-11-25');
    const { decisionId } = await buildReviewDecision(database.db, plan, pupil, { meetingOn: '2026-11-10' });
    const fails = async (input: Record<string, string | null>) => {
      const error = await services.reviewDecisions
        .decide(at.officer.actor, decisionId, { ...keepInput(), ...input })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).errors;
    };
    expect((await fails({ decidedOn: '2026-11-01' }))[0]?.message).toBe(
      'The date of the decision must be on or after the review meeting (10 November 2026)',
    );
    expect((await fails({ decidedOn: '2026-11-21' }))[0]?.field).toBe('decidedOn');
    expect((await fails({ decidedOn: '2026-02-30' }))[0]?.message).toBe(
      'The date of the decision must be a real date',
    );
    expect((await fails({ decision: '__proto__' }))[0]?.field).toBe('decision');
    expect((await fails({ reasons: 'a\u0000b' }))[0]?.message).toBe(
      'The reasons must not contain control characters',
    );
    expect(await decisionRow(decisionId)).toMatchObject({ decision: null, version: 1 });
  });

  it('refuses a stale form, and anyone who does not decide: a manager, a panel member, the school', async () => {
    const { database, services, w } = t;
    const at = await authority();
    const { pupil, plan } = await planIssued(at, '2025-11-25');
    const { decisionId } = await buildReviewDecision(database.db, plan, pupil, { meetingOn: '2026-11-10' });
    await expect(
      services.reviewDecisions.decide(at.officer.actor, decisionId, keepInput(7)),
    ).rejects.toBeInstanceOf(ConflictError);
    for (const roles of [['manager'], ['panel_member']] as const) {
      const reader = await buildOfficer(database.db, at.officer.organisationId, [...roles]);
      const view = await services.reviewDecisions.decisionView(reader.actor, decisionId);
      expect(view.actions).toEqual({ read: true, decide: false });
      await expect(
        services.reviewDecisions.decide(reader.actor, decisionId, keepInput()),
      ).rejects.toBeInstanceOf(ForbiddenError);
    }
    await expect(services.reviewDecisions.decisionView(w.senco.actor, decisionId)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await decisionRow(decisionId)).decision).toBeNull();
  });

  it('is not found by another authority, nor by an id that is not one', async () => {
    const { database, services } = t;
    const at = await authority();
    const { pupil, plan } = await planIssued(at, '2025-11-25');
    const { decisionId } = await buildReviewDecision(database.db, plan, pupil);
    const elsewhere = await buildOfficer(database.db);
    await expect(services.reviewDecisions.decisionView(elsewhere.actor, decisionId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      services.reviewDecisions.decide(elsewhere.actor, decisionId, keepInput()),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(services.reviewDecisions.decisionView(at.officer.actor, 'not-an-id')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await decisionRow(decisionId)).decision).toBeNull();
  });
});

describe('the school and the authority, one review', () => {
  it('the school sends its report; the authority decides; the school sees the decision on its review', async () => {
    const { database, services, w } = t;
    const pupil = await buildPupil(database.db, { schoolId: w.school.id, surname: 'Together' });
    const sent = await buildSentAnnualReview(database.db, pupil, w.officer.organisationId, {
      meetingOn: '2026-11-09',
    });
    const waiting = await services.reviewDecisions.reviews(w.officer.actor, { show: 'decisions' });
    expect(waiting.rows.map((r) => r.planId)).toContain(sent.planId);
    await services.reviewDecisions.decide(w.officer.actor, sent.decisionId, {
      ...keepInput(),
      decidedOn: '2026-11-19',
    });
    const seen = await services.annualReviews.view(w.senco.actor, sent.reviewId);
    expect(seen.decision).toMatchObject({ decision: 'keep', decidedOn: '2026-11-19' });
    expect(await planRow(sent.planId)).toMatchObject({
      lastReviewOn: '2026-11-09',
      reviewDueOn: '2027-11-08',
    });
  });
});

describe('the termly list to head teachers', () => {
  it('tells each head how many reviews fall due next term, once per school and term, naming no child', async () => {
    const { database, services } = t;
    const at = await authority();
    // Due 10 February 2027, in the spring term; its list opens on 4 December 2026.
    const { pupil } = await planIssued(at, '2026-02-11', 'Springdue');
    await planIssued(at, '2026-06-01'); // due in the summer term: not on this list
    const secondHead = await buildStaff(database.db, 'head_teacher', {
      schoolId: at.school.id,
      name: 'Deputy Head',
    });
    // A school of the authority with plans due later only: no mail.
    const quiet = await buildSchool(database.db, { organisationId: at.officer.organisationId });
    const quietHead = await buildStaff(database.db, 'head_teacher', { schoolId: quiet.id });
    const quietChild = await buildPupil(database.db, { schoolId: quiet.id });
    await buildFinalPlan(database.db, quietChild, at.officer.organisationId, { issuedOn: '2026-06-01' });

    expect(await services.reviewDecisions.sendTermLists('2026-12-03')).toBe(0);
    // Other tests' authorities have plans due in the spring term too: each of their heads is mailed.
    const sent = await services.reviewDecisions.sendTermLists('2026-12-04');
    expect(sent).toBeGreaterThanOrEqual(2);
    const mail = await database.db
      .select()
      .from(outboundMail)
      .where(
        and(
          eq(outboundMail.kind, 'reviews.term_list'),
          inArray(outboundMail.toAddress, [at.head.email, secondHead.email, quietHead.email]),
        ),
      );
    expect(mail.map((m) => m.toAddress).sort()).toEqual([at.head.email, secondHead.email].sort());
    expect(mail[0]?.subject).toBe('1 annual review falls due next term at your school');
    expect(mail[0]?.body).toContain('/annual-reviews');
    expect(mail[0]?.body).not.toContain(pupil.surname);
    // Once per school and term, however often the job runs.
    expect(await services.reviewDecisions.sendTermLists('2026-12-05')).toBe(0);
    expect(await services.reviewDecisions.sendTermLists('2026-12-20')).toBe(0);
  });
});

describe('the caseworker’s reminder', () => {
  it('counts the decisions and amended plans overdue or due this week, once per deadline, naming no child', async () => {
    const { database, services } = t;
    const at = await authority();
    const { pupil, plan } = await planIssued(at, '2025-11-01', 'Remind');
    await database.db
      .update(organisationCase)
      .set({ caseworkerUserId: at.officer.actor.userId })
      .where(and(eq(organisationCase.id, plan.caseId)));
    // Met on 20 October: the decision was due on 17 November.
    await buildReviewDecision(database.db, plan, pupil, { meetingOn: '2026-10-20' });
    // Another report, not yet due (met on 18 November: due 16 December).
    const other = await planIssued(at, '2025-12-01', 'Notyet');
    await buildReviewDecision(database.db, other.plan, other.pupil, { meetingOn: '2026-11-18' });
    expect(await services.reviewDecisions.remindCaseworkers(TODAY)).toBe(1);
    const mail = await database.db.select().from(outboundMail).where(eq(outboundMail.kind, 'reviews.due'));
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({
      toAddress: at.officer.email,
      subject: '1 annual review needs a decision or an amended plan: overdue or due this week',
    });
    expect(mail[0]?.body).not.toContain('Remind');
    expect(await services.reviewDecisions.remindCaseworkers(TODAY)).toBe(0);
  });
});
