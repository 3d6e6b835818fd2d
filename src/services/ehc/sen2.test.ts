import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  buildFinalPlan,
  buildOfficer,
  buildPupil,
  buildReceivedCase,
  buildSchool,
  buildStaff,
  examplePlanSections,
  useWorld,
} from '../../../test/builders/index.ts';
import type { Executor } from '../../db/client.ts';
import {
  auditEvent,
  auditEventPupil,
  caseDecision,
  ehcAnnualReview,
  ehcPlan,
  ehcRequest,
  ehcReviewDecision,
  organisationCase,
} from '../../db/schema/index.ts';
import type { CaseDecisionKind } from '../../domain/ehc.ts';
import type { ReviewDecision } from '../../domain/ehc-plan.ts';
import { ForbiddenError } from '../kernel/errors.ts';
import { sen2YearFor } from './sen2.ts';

const t = useWorld();

/** A decision on a case, as the caseworker records it. */
async function decide(
  db: Executor,
  organisationId: string,
  caseId: string,
  kind: CaseDecisionKind,
  on: string,
) {
  await db.insert(caseDecision).values({
    organisationId,
    id: randomUUID(),
    caseId,
    kind,
    decidedOn: on,
    parentsToldOn: on,
    decidedByName: 'Casey Caseworker',
  });
}

/** The authority's decision on an annual review (the school's report received). */
async function reviewDecision(
  db: Executor,
  plan: { organisationId: string; planId: string; caseId: string },
  schoolId: string,
  meetingOn: string,
  decision: ReviewDecision | null,
  decidedOn: string | null,
) {
  await db.insert(ehcReviewDecision).values({
    organisationId: plan.organisationId,
    id: randomUUID(),
    planId: plan.planId,
    caseId: plan.caseId,
    schoolId,
    meetingOn,
    receivedOn: meetingOn,
    decision,
    decidedOn,
    ...(decision === 'cease' ? { ceaseReason: 'needs_met' as const } : {}),
  });
}

/** A plan issued in 2026 after a request assessed in the year, with its decisions recorded. */
async function assessedPlan(
  db: Executor,
  pupil: { schoolId: string; id: string; upn: string },
  organisationId: string,
  school: { id: string; name: string; urn: string | null } | null,
) {
  const sections = examplePlanSections(school ?? { id: pupil.schoolId, name: 'x', urn: null });
  if (!school) sections.i = null;
  const plan = await buildFinalPlan(db, pupil, organisationId, {
    receivedOn: '2026-02-02',
    issuedOn: '2026-06-15',
    sections,
  });
  await decide(db, organisationId, plan.caseId, 'assess', '2026-03-09');
  await decide(db, organisationId, plan.caseId, 'issue_plan', '2026-05-04');
  return plan;
}

async function authority() {
  const { database } = t;
  const officer = await buildOfficer(database.db, undefined, ['caseworker']);
  const school = await buildSchool(database.db, {
    organisationId: officer.organisationId,
    name: 'Brookfield Primary',
  });
  const other = await buildSchool(database.db, {
    organisationId: officer.organisationId,
    name: 'Elm Primary',
  });
  return { officer, school, other };
}

describe('the SEN2 return', () => {
  it('returns the authority’s children, lists those to correct with their plan, and never another authority’s', async () => {
    const { database, services } = t;
    const { officer, school, other } = await authority();
    const ada = await buildPupil(database.db, {
      schoolId: school.id,
      forename: 'Ada',
      surname: 'Lovelace',
      admissionDate: '2022-09-01',
    });
    const ben = await buildPupil(database.db, { schoolId: other.id, forename: 'Ben', surname: 'Okafor' });
    const adaPlan = await assessedPlan(database.db, ada, officer.organisationId, school);
    await reviewDecision(database.db, adaPlan, school.id, '2026-12-07', 'keep', '2026-12-14');
    const benPlan = await assessedPlan(database.db, ben, officer.organisationId, null);
    // A request received in the year and not yet decided.
    const cara = await buildPupil(database.db, { schoolId: school.id, forename: 'Cara', surname: 'Ng' });
    await buildReceivedCase(database.db, cara, officer.organisationId, { receivedOn: '2026-10-05' });
    // Another authority's plan.
    const elsewhere = await buildOfficer(database.db);
    const theirSchool = await buildSchool(database.db, { organisationId: elsewhere.organisationId });
    const theirs = await buildPupil(database.db, { schoolId: theirSchool.id, surname: 'Elsewhere' });
    await assessedPlan(database.db, theirs, elsewhere.organisationId, theirSchool);

    const ret = await services.sen2.sen2Return(officer.actor, null);
    expect(ret).toMatchObject({ year: 2027, censusDate: '2027-01-21', laCode: '999' });
    expect(ret.summary).toMatchObject({
      persons: 2,
      toCorrect: 1,
      requests: 2,
      requestsAssess: 1,
      requestsUndecided: 1,
      plansIssued: 1,
      issuedWithin20Weeks: 1,
      activePlans: 1,
      activeReviewedWithin12Months: 1,
    });
    expect(ret.toCorrect).toEqual([
      {
        person: expect.objectContaining({ surname: 'Okafor', schoolId: other.id, pupilId: ben.id }),
        problems: [
          expect.objectContaining({ kind: 'no_placement', planId: benPlan.planId, caseId: benPlan.caseId }),
        ],
      },
    ]);
    // The page names the children to correct: each linked on the authority's audit row under their school.
    const [viewed] = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.organisationId, officer.organisationId),
          eq(auditEvent.action, 'sen2.return_viewed'),
        ),
      );
    expect(viewed).toMatchObject({ schoolId: null, detail: { year: 2027, persons: 2, toCorrect: 1 } });
    const linked = await database.db
      .select()
      .from(auditEventPupil)
      .where(eq(auditEventPupil.eventId, viewed!.id));
    expect(linked.map((l) => [l.schoolId, l.pupilId])).toEqual([[other.id, ben.id]]);

    const file = await services.sen2.sen2XmlFile(officer.actor, 2027);
    expect(file.name).toBe('999_SEN2_2027_001.xml');
    const xml = file.bytes.toString('utf8');
    const parsed = new XMLParser({
      parseTagValue: false,
      isArray: (n) => n === 'Person' || n === 'SENneed',
    }).parse(xml);
    const persons = parsed.Message.Persons.Person as Record<string, unknown>[];
    expect(persons.map((p) => p.Surname)).toEqual(['Lovelace', 'Ng']);
    expect(persons[0]).toMatchObject({
      UPN: ada.upn,
      Sex: expect.stringMatching(/^[MF]$/),
      Requests: {
        ReceivedDate: '2026-02-02',
        RYA: '0',
        RequestOutcome: 'Y',
        RequestOutcomeDate: '2026-03-09',
        Assessment: {
          AssessmentOutcome: 'Y',
          Week20: '1',
          NamedPlan: { StartDate: '2026-06-15', PlanDetail: { URN: school.urn, PlacementRank: '1' } },
        },
        ActivePlans: {
          ReviewMeeting: '2026-12-07',
          ReviewOutcome: 'M',
          PlacementDetail: { URN: school.urn, PlacementRank: '1', EntryDate: '2022-09-01' },
          SENneed: [expect.objectContaining({ SENtypeRank: '1' })],
        },
      },
    });
    expect(xml).not.toContain(ben.upn);
    expect(xml).not.toContain(theirs.upn);
    // The file's audit row links every child it holds.
    const [downloaded] = await database.db
      .select()
      .from(auditEvent)
      .where(
        and(
          eq(auditEvent.organisationId, officer.organisationId),
          eq(auditEvent.action, 'sen2.return_downloaded'),
        ),
      );
    const held = await database.db
      .select()
      .from(auditEventPupil)
      .where(eq(auditEventPupil.eventId, downloaded!.id));
    expect(held.map((l) => l.pupilId).sort()).toEqual([ada.id, cara.id].sort());
  });

  it('returns a plan ceased in the year with its SEN2 reason, and a later review decision only once made', async () => {
    const { database, services } = t;
    const { officer, school } = await authority();
    const pupil = await buildPupil(database.db, { schoolId: school.id, surname: 'Ceased' });
    const plan = await assessedPlan(database.db, pupil, officer.organisationId, school);
    await reviewDecision(database.db, plan, school.id, '2026-10-01', null, null);
    await database.db
      .update(ehcPlan)
      .set({ status: 'ceased', ceasedOn: '2026-11-02', ceaseReason: 'other_la' })
      .where(eq(ehcPlan.id, plan.planId));
    const ret = await services.sen2.sen2Return(officer.actor, 2027);
    expect(ret.summary).toMatchObject({ persons: 1, ceasedPlans: 1, activePlans: 0 });
    const xml = (await services.sen2.sen2XmlFile(officer.actor, 2027)).bytes.toString('utf8');
    expect(xml).toContain('<CeaseDate>2026-11-02</CeaseDate>');
    expect(xml).toContain('<CeaseReason>5</CeaseReason>');
  });

  it('lists for correction a plan issued without the decision to assess on its case', async () => {
    const { database, services } = t;
    const { officer, school } = await authority();
    const pupil = await buildPupil(database.db, { schoolId: school.id });
    const plan = await buildFinalPlan(database.db, pupil, officer.organisationId, {
      receivedOn: '2026-02-02',
      issuedOn: '2026-06-15',
      school: { name: school.name, urn: school.urn },
    });
    const ret = await services.sen2.sen2Return(officer.actor, 2027);
    expect(ret.toCorrect[0]?.problems.map((p) => [p.kind, p.caseId])).toEqual([
      ['no_assess_decision', plan.caseId],
    ]);
    await decide(database.db, officer.organisationId, plan.caseId, 'assess', '2026-03-02');
    expect((await services.sen2.sen2Return(officer.actor, 2027)).toCorrect).toEqual([]);
  });

  it('gives the year being prepared when asked for one it does not make', async () => {
    const { services } = t;
    const { officer } = await authority();
    const ret = await services.sen2.sen2Return(officer.actor, 2019);
    expect(ret).toMatchObject({ year: 2027, unavailable: 2019 });
    expect(ret.years[0]).toBe(2027);
    expect(ret.years).toContain(2023);
    expect(sen2YearFor('2027-03-31')).toBe(2027);
    expect(sen2YearFor('2026-07-01')).toBe(2027);
  });

  it('is refused to a panel member, to school staff and to a governor, and the refusal is recorded', async () => {
    const { database, services, w } = t;
    const panel = await buildOfficer(database.db, w.officer.organisationId, ['panel_member']);
    await expect(services.sen2.sen2Return(panel.actor, null)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.sen2.sen2XmlFile(panel.actor, null)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.sen2.sen2Return(w.senco.actor, null)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.sen2.sen2XmlFile(w.governor.actor, null)).rejects.toBeInstanceOf(ForbiddenError);
    const refusals = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.userId, panel.actor.userId), eq(auditEvent.action, 'access.refused')));
    expect(refusals.length).toBeGreaterThanOrEqual(2);
  });

  it('a manager may make the return', async () => {
    const { database, services, w } = t;
    const manager = await buildOfficer(database.db, w.officer.organisationId, ['manager']);
    await expect(services.sen2.sen2Return(manager.actor, null)).resolves.toMatchObject({ year: 2027 });
  });
});

/** A request the school sent into the authority's caseload, with the case it opened. */
async function sentRequest(
  db: Executor,
  pupil: { schoolId: string; id: string; upn: string },
  organisationId: string,
  sentOn: string,
) {
  const { caseId, requestId } = await buildReceivedCase(db, pupil, organisationId, { receivedOn: sentOn });
  await db.insert(ehcRequest).values({
    schoolId: pupil.schoolId,
    id: requestId,
    pupilId: pupil.id,
    status: 'sent',
    sentAt: new Date(`${sentOn}T10:00:00Z`),
    sentHow: 'local_authority',
    sentPack: {},
    organisationId,
    caseId,
    createdByName: 'Sam Senco',
  });
  return caseId;
}

describe('the school’s EHC figures for governors', () => {
  it('counts requests this school year by outcome, plans held and reviews within twelve months; small numbers hidden for the governor', async () => {
    const { database, services } = t;
    const officer = await buildOfficer(database.db);
    const school = await buildSchool(database.db, { organisationId: officer.organisationId });
    const senco = await buildStaff(database.db, 'senco', { schoolId: school.id });
    const governor = await buildStaff(database.db, 'sen_governor', { schoolId: school.id });
    const pupils = await Promise.all(
      Array.from({ length: 8 }, () => buildPupil(database.db, { schoolId: school.id })),
    );
    // Four requests this school year (from 1 September 2026): three waiting, one decided not to assess;
    // one last school year, not counted.
    for (const p of pupils.slice(0, 3))
      await sentRequest(database.db, p, officer.organisationId, '2026-10-01');
    const refused = await sentRequest(database.db, pupils[3]!, officer.organisationId, '2026-09-15');
    await database.db
      .update(organisationCase)
      .set({ stage: 'not_assessing' })
      .where(eq(organisationCase.id, refused));
    await sentRequest(database.db, pupils[4]!, officer.organisationId, '2026-06-01');
    // Plans: one issued this year (not yet due a review); three over a year old, two of them reviewed
    // within twelve months (one by the authority's record, one by the school's meeting).
    const place = { name: 'School', urn: school.urn };
    await buildFinalPlan(database.db, pupils[5]!, officer.organisationId, {
      issuedOn: '2026-06-01',
      school: place,
    });
    const old1 = await buildFinalPlan(database.db, pupils[6]!, officer.organisationId, {
      issuedOn: '2024-01-10',
      school: place,
    });
    await database.db.update(ehcPlan).set({ lastReviewOn: '2026-01-05' }).where(eq(ehcPlan.id, old1.planId));
    const old2 = await buildFinalPlan(database.db, pupils[7]!, officer.organisationId, {
      issuedOn: '2024-03-10',
      school: place,
    });
    await database.db.insert(ehcAnnualReview).values({
      schoolId: school.id,
      id: randomUUID(),
      pupilId: pupils[7]!.id,
      status: 'held',
      organisationId: officer.organisationId,
      planId: old2.planId,
      dueOn: '2026-03-01',
      meetingOn: '2026-02-20',
      createdByName: 'Sam Senco',
    });
    await buildFinalPlan(database.db, pupils[0]!, officer.organisationId, {
      issuedOn: '2025-01-10',
      school: place,
    });

    const exact = await services.ehcFigures.ehcCounts(senco.actor);
    expect(exact).toMatchObject({
      requests: 4,
      plansHeld: 4,
      reviewsDue: 3,
      reviewed: 2,
      notReviewed: 1,
      suppressed: false,
    });
    expect(exact.outcomes.find((o) => o.key === 'waiting')?.n).toBe(3);
    expect(exact.outcomes.find((o) => o.key === 'not_assessing')?.n).toBe(1);

    const shown = await services.ehcFigures.ehcCounts(governor.actor);
    expect(shown.suppressed).toBe(true);
    // The plans held are shown as counted; in the breakdowns the 1 not assessed is hidden, and so is
    // the 3 waiting that would give it away from the total of 4; the same for the reviews (2 + 1 of 3).
    expect(shown.plansHeld).toBe(4);
    const outcome = (key: string) => shown.outcomes.find((o) => o.key === key)?.n;
    expect(outcome('not_assessing')).toBe('suppressed');
    expect(outcome('waiting')).toBe('suppressed');
    expect(outcome('plan_issued')).toBe(0);
    expect([shown.reviewed, shown.notReviewed]).toEqual(['suppressed', 'suppressed']);
    const [row] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.userId, governor.actor.userId), eq(auditEvent.action, 'ehc.counts_viewed')));
    expect(row).toMatchObject({ schoolId: school.id, pupilId: null });
  });

  it('is refused to an officer and to a class teacher', async () => {
    const { services, w } = t;
    await expect(services.ehcFigures.ehcCounts(w.officer.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.ehcFigures.ehcCounts(w.teacherA.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
