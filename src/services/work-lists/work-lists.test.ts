import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildConcern,
  buildFinalPlan,
  buildLetter,
  buildPupil,
  TODAY,
  useWorld,
} from '../../../test/builders/index.ts';
import { supportPlan } from '../../db/schema/index.ts';
import type { WorkList } from '../../domain/work-lists.ts';
import { ForbiddenError } from '../kernel/errors.ts';
import type { PlanInput } from '../plans/index.ts';

const world = useWorld();

const planInput = (startDate: string, reviewDate: string): PlanInput => ({
  needAreas: ['cognition_and_learning'],
  strengths: null,
  areasOfConcern: null,
  desiredOutcomes: 'Read simple sentences independently',
  qualityFirst: null,
  interventions: null,
  taSupport: null,
  resources: null,
  parentPupilContribution: null,
  parentsSupportAtHome: null,
  parentsViews: null,
  pupilViews: null,
  startDate,
  reviewDate,
  targets: [
    {
      id: null,
      area: 'cognition_and_learning',
      target: 'Read 20 high-frequency words',
      achievementCriteria: null,
      resourcesAndTechniques: null,
      classStrategies: null,
      bankEntryId: null,
    },
  ],
});

const ids: Record<string, string> = {};
const countsOf = (counts: { list: WorkList; count: number }[]) =>
  Object.fromEntries(counts.map((c) => [c.list, c.count]));

beforeAll(async () => {
  const { services, w, database } = world;
  const db = database.db;
  const pupil = async (name: string, classId: string, stage: 'sen_support' | 'monitoring') =>
    buildPupil(db, {
      schoolId: w.school.id,
      classId,
      forename: name,
      surname: 'Lister',
      stage,
      primaryNeed: stage === 'sen_support' ? 'MLD' : null,
    });
  const agreed = async (pupilId: string, start: string, review: string, shared: string | null) => {
    const planId = await services.plans.start(w.senco.actor, pupilId);
    let v = (await services.plans.view(w.senco.actor, planId)).plan.version;
    await services.plans.update(w.senco.actor, planId, v, planInput(start, review));
    v = (await services.plans.view(w.senco.actor, planId)).plan.version;
    await services.plans.agree(w.senco.actor, planId, v, {
      agreedOn: start,
      agreedWith: 'Parents',
      sharedWithParentsOn: shared,
    });
    return planId;
  };
  // Year 4 Oak (class A, Tara's): due in ten days and not shared; a draft started long ago.
  const due = await pupil('Dana', w.classA.id, 'sen_support');
  ids.due = due.id;
  await agreed(due.id, '2026-09-07', '2026-11-30', null);
  const drafted = await pupil('Drew', w.classA.id, 'monitoring');
  ids.drafted = drafted.id;
  const oldDraft = await services.plans.start(w.senco.actor, drafted.id);
  await db
    .update(supportPlan)
    .set({ createdAt: new Date('2026-10-01T10:00:00Z') })
    .where(eq(supportPlan.id, oldDraft));
  // Year 5 Ash (class B, Tom's): overdue, shared; a fresh draft (not old).
  const overdue = await pupil('Owen', w.classB.id, 'sen_support');
  ids.overdue = overdue.id;
  await agreed(overdue.id, '2026-08-03', '2026-11-10', '2026-08-05');
  await services.plans.start(w.senco.actor, w.pupilE.id);
  // A concern waiting about Amara (class A).
  await buildConcern(db, {
    schoolId: w.school.id,
    pupilId: w.pupilA.id,
    concernDate: TODAY,
    raiser: { userId: w.teacherA.actor.userId, name: 'Tara Teacher' },
  });
  // Letters with slips: one sent four weeks ago (chased), one last week (not yet).
  for (const sentOn of ['2026-10-23', '2026-11-13']) {
    await buildLetter(db, {
      pupil: overdue,
      kind: 'register_placement',
      recipients: 'Olive Lister',
      slip: 'I have read this letter. Signed: ____',
      sentOn,
    });
  }
});

describe('the dashboard', () => {
  it('counts each list for the whole school for the SENCo and head, and opens one with its pupils', async () => {
    const { services, w } = world;
    const { counts } = await services.workLists.dashboard(w.senco.actor);
    expect(countsOf(counts)).toEqual({
      reviews_due: 1,
      reviews_overdue: 1,
      plans_not_shared: 1,
      old_drafts: 1,
      concerns_waiting: 1,
      // Kit and Eli (no plan in place: Eli's is a draft); Dana and Owen have plans in place.
      no_plan: 2,
      slips_outstanding: 1,
      parents_want_to_talk: 0,
      referrals_late: 0,
      referrals_awaiting_consent: 0,
      annual_reviews_due: 0,
      annual_review_reports_to_send: 0,
    });
    const due = await services.workLists.dashboard(w.head.actor, 'reviews_due');
    expect(due.opened?.rows).toEqual([
      expect.objectContaining({ pupilId: ids.due, date: '2026-11-30', className: 'Year 4 Oak', total: 1 }),
    ]);
    const slips = await services.workLists.dashboard(w.senco.actor, 'slips_outstanding');
    expect(slips.opened?.rows.map((r) => [r.pupilId, r.date])).toEqual([[ids.overdue, '2026-10-23']]);
    const drafts = await services.workLists.dashboard(w.senco.actor, 'old_drafts');
    expect(drafts.opened?.rows.map((r) => r.pupilId)).toEqual([ids.drafted]);
  });

  it('shows the office only the slips, and nobody without a school-wide reach', async () => {
    const { services, w } = world;
    const office = await services.workLists.dashboard(w.office.actor);
    // The office chases signed slips and consent forms; the agencies' lateness is the SENCo's.
    // And calls back a parent who said online they want to talk about a letter.
    expect(countsOf(office.counts)).toEqual({
      slips_outstanding: 1,
      parents_want_to_talk: 0,
      referrals_awaiting_consent: 0,
    });
    // The office asking for a plan list gets the counts, never the plans.
    expect((await services.workLists.dashboard(w.office.actor, 'reviews_due')).opened).toBeNull();
    await expect(services.workLists.dashboard(w.teacherA.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.workLists.dashboard(w.governor.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('my pupils', () => {
  it('gives a class teacher the same lists for their own class only', async () => {
    const { services, w } = world;
    const a = await services.workLists.myPupils(w.teacherA.actor);
    expect(countsOf(a.counts)).toEqual({
      reviews_due: 1,
      reviews_overdue: 0,
      plans_not_shared: 1,
      old_drafts: 1,
      concerns_waiting: 1,
      no_plan: 1, // Kit
      slips_outstanding: 0,
    });
    const b = await services.workLists.myPupils(w.teacherB.actor, 'reviews_overdue');
    expect(countsOf(b.counts)).toMatchObject({ reviews_overdue: 1, reviews_due: 0, slips_outstanding: 1 });
    expect(b.opened?.rows.map((r) => r.pupilId)).toEqual([ids.overdue]);
  });

  it('gives a teaching assistant the pupils assigned to them, and nobody else a page', async () => {
    const { services, w } = world;
    // An assistant adds notes to their pupils' plans but writes none: no plan list counts for them.
    const ta = await services.workLists.myPupils(w.ta.actor, 'no_plan');
    expect(ta.opened).toBeNull();
    expect(ta.counts.map((c) => c.list)).toEqual(['concerns_waiting', 'slips_outstanding']);
    // Toni teaches Year 5 Ash and works with Amara: both reaches count.
    const both = await services.workLists.myPupils(w.teacherTa.actor);
    expect(countsOf(both.counts)).toMatchObject({ concerns_waiting: 1, reviews_overdue: 1 });
    await expect(services.workLists.myPupils(w.senco.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.workLists.myPupils(w.office.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('annual reviews of EHC plans', () => {
  it('lists a plan due for review within six weeks until its review starts, then the report to send once held', async () => {
    const { services, w, database } = world;
    // Issued on 11 December 2025: the review is due by 10 December 2026, within six weeks of TODAY.
    await buildFinalPlan(database.db, w.pupilE, w.officer.organisationId, { issuedOn: '2025-12-11' });
    const due = await services.workLists.dashboard(w.senco.actor, 'annual_reviews_due');
    expect(countsOf(due.counts)).toMatchObject({ annual_reviews_due: 1, annual_review_reports_to_send: 0 });
    expect(due.opened?.rows.map((r) => [r.pupilId, r.date])).toEqual([[w.pupilE.id, '2026-12-10']]);
    // A class teacher does not run reviews: their own pupils' lists have none of these.
    const mine = await services.workLists.myPupils(w.teacherB.actor);
    expect(mine.counts.map((c) => c.list)).not.toContain('annual_reviews_due');

    const reviewId = await services.annualReviews.start(w.senco.actor, w.pupilE.id);
    await services.annualReviews.saveArrangements(w.senco.actor, reviewId, 1, {
      meetingOn: '2026-11-19',
      meetingTime: null,
      meetingPlace: null,
      phaseTransfer: false,
      nextSchool: null,
      invitations: [],
      advice: [],
    });
    await services.annualReviews.saveMeeting(w.senco.actor, reviewId, 2, {
      pupilViews: null,
      parentViews: null,
      attendees: [{ invitee: 'school', name: 'Sam Senco' }],
      outcomeReviews: [],
      provisionReviews: [],
      proposedChanges: [],
      recommendation: null,
      recommendationReasons: null,
      held: true,
    });
    const toSend = await services.workLists.dashboard(w.senco.actor, 'annual_review_reports_to_send');
    expect(countsOf(toSend.counts)).toMatchObject({
      annual_reviews_due: 0,
      annual_review_reports_to_send: 1,
    });
    expect(toSend.opened?.rows.map((r) => [r.recordId, r.date])).toEqual([[reviewId, '2026-12-03']]);
  });
});
