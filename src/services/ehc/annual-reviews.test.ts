import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuid } from '../../../test/builders/common.ts';
import {
  buildFamily,
  buildFinalPlan,
  buildPupil,
  setUpWorld,
  type World,
} from '../../../test/builders/index.ts';
import type { Database } from '../../db/client.ts';
import {
  auditEvent,
  ehcAnnualReview,
  ehcPlanSummary,
  ehcReviewDecision,
  outboundMail,
  storedFile,
} from '../../db/schema/index.ts';
import type { AuditAction } from '../../domain/audit.ts';
import type { AnnualReviewReport } from '../../domain/ehc-review.ts';
import type { Services } from '../index.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import type { ArrangementInput, MeetingInput, ReviewReportRenderer } from './annual-reviews.ts';
import { reportSchemaProblems } from './review-report-schema.ts';

/*
 * The school's annual reviews (TODAY is 20 November 2026). Eli (Year 5, class B) has the authority's
 * final plan, issued on 1 December 2025: the review is due by 30 November 2026. A pupil at the other
 * school holds a summary of a plan from another authority.
 */

let database: Database;
let services: Services;
let w: World;
let plan: Awaited<ReturnType<typeof buildFinalPlan>>;

const render: ReviewReportRenderer = {
  pdf: async (report) => Buffer.from(`%PDF-1.7\n% review ${report.reviewId}\n%%EOF\n`),
  fileName: (report, extension) =>
    `annual-review-${report.child.surname}-${report.meeting.meetingOn}.${extension}`,
};

beforeAll(async () => {
  ({ database, services, w } = await setUpWorld());
  plan = await buildFinalPlan(database.db, w.pupilE, w.officer.organisationId, {
    issuedOn: '2025-12-01',
    school: { name: w.school.name, urn: w.school.urn },
  });
});
afterAll(() => database.close());

async function reviewRow(id: string) {
  const [row] = await database.db.select().from(ehcAnnualReview).where(eq(ehcAnnualReview.id, id));
  return row!;
}

async function auditOf(action: AuditAction, reviewId: string) {
  const rows = await database.db.select().from(auditEvent).where(eq(auditEvent.action, action));
  return rows.filter((r) => {
    const d = r.detail as { reviewId?: string; annualReviewId?: string } | null;
    return d?.reviewId === reviewId || d?.annualReviewId === reviewId;
  });
}

const arrangements = (over: Partial<ArrangementInput> = {}): ArrangementInput => ({
  meetingOn: '2026-11-18',
  meetingTime: '2:30pm',
  meetingPlace: 'The SENCo’s room',
  phaseTransfer: false,
  nextSchool: null,
  invitations: [
    { invitee: 'parent', name: 'Erin Evans', how: 'letter', sentOn: '2026-10-30' },
    { invitee: 'health', name: 'Dr Lee', how: 'email', sentOn: '2026-11-10' },
  ],
  advice: [
    {
      from: 'Speech and language therapy',
      askedOn: '2026-10-01',
      receivedOn: '2026-10-28',
      circulatedOn: '2026-11-02',
    },
  ],
  ...over,
});

const meeting = (over: Partial<MeetingInput> = {}): MeetingInput => ({
  pupilViews: 'I like trains club.',
  parentViews: 'He is happier.',
  attendees: [
    { invitee: 'parent', name: 'Erin Evans' },
    { invitee: 'school', name: 'Sam Senco' },
  ],
  outcomeReviews: plan.sections.e.outcomes.map((o) => ({
    outcomeId: o.id,
    progress: 'on_track',
    evidence: 'Seen in lessons',
  })),
  provisionReviews: [...plan.sections.f.provision, ...plan.sections.g.provision].map((p) => ({
    provisionId: p.id,
    delivery: 'as_specified',
    comment: '',
  })),
  proposedChanges: [{ section: 'f', text: 'Add a weekly therapy session.' }],
  recommendation: 'amend',
  recommendationReasons: 'His language needs more direct therapy.',
  held: true,
  ...over,
});

let reviewId: string;

describe('starting a review', () => {
  it('starts one from the authority’s final plan, due when the plan says, audited', async () => {
    const form = await services.annualReviews.startForm(w.senco.actor, w.pupilE.id);
    expect(form.plan).toMatchObject({ kind: 'local_authority', dueOn: '2026-11-30' });
    reviewId = await services.annualReviews.start(w.senco.actor, w.pupilE.id);
    expect(await reviewRow(reviewId)).toMatchObject({
      status: 'arranging',
      organisationId: w.officer.organisationId,
      planId: plan.planId,
      planVersion: 1,
      dueOn: '2026-11-30',
      phaseTransfer: false,
    });
    expect(await auditOf('annual_review.started', reviewId)).toHaveLength(1);
  });

  it('invites the views of each parent with an account, by email, with a link to give them', async () => {
    const family = await buildFamily(database.db, { schoolId: w.school.id, stage: 'ehc_plan' });
    await buildFinalPlan(database.db, family.pupil, w.officer.organisationId, {
      issuedOn: '2025-12-01',
      school: { name: w.school.name, urn: w.school.urn },
    });
    const id = await services.annualReviews.start(w.senco.actor, family.pupil.id);
    const mails = await database.db
      .select()
      .from(outboundMail)
      .where(eq(outboundMail.kind, 'family.views_invited'));
    const toMother = mails.filter((m) => m.parentCarerId === family.motherCarer.id);
    expect(toMother).toHaveLength(1);
    expect(toMother[0]!.body).toContain(`/children/${family.pupil.id}/ehc/annual-reviews/${id}/views`);
    expect(mails.some((m) => m.parentCarerId === family.fatherCarer.id)).toBe(true);
  });

  it('refuses a second while one is open, and a pupil with no plan', async () => {
    await expect(services.annualReviews.start(w.senco.actor, w.pupilE.id)).rejects.toThrow(
      /already being arranged/,
    );
    await expect(services.annualReviews.start(w.senco.actor, w.pupilK.id)).rejects.toThrow(
      /has no final EHC plan/,
    );
  });

  it('is not for a class teacher, the office or another school', async () => {
    await expect(services.annualReviews.start(w.teacherB.actor, w.pupilE.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(services.annualReviews.start(w.office.actor, w.pupilE.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(services.annualReviews.start(w.otherSenco.actor, w.pupilE.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('arranging it', () => {
  it('saves the meeting, invitations and advice, and names the invitation with less than two weeks’ notice', async () => {
    await services.annualReviews.saveArrangements(w.senco.actor, reviewId, 1, arrangements());
    const page = await services.annualReviews.view(w.senco.actor, reviewId);
    expect(page.review).toMatchObject({ meetingOn: '2026-11-18', version: 2 });
    expect(page.invitations.map((i) => [i.name, i.notice?.enough])).toEqual([
      ['Erin Evans', true],
      ['Dr Lee', false],
    ]);
    expect(page.invitations[1]?.notice?.warning).toContain('8 days before it');
    expect(page.timetable.find((s) => s.kind === 'invitations')).toMatchObject({
      dueOn: '2026-11-04',
      status: 'late',
    });
    expect(page.problems.map((p) => p.field)).toContain('outcome-outcome-instructions');
    const [row] = await auditOf('annual_review.arranged', reviewId);
    expect(row?.detail).toMatchObject({ shortNotice: 1, invitations: 2 });
  });

  it('refuses advice circulated before it was received, and a stale save; changes nothing', async () => {
    const bad = await services.annualReviews
      .saveArrangements(
        w.senco.actor,
        reviewId,
        2,
        arrangements({
          advice: [
            { from: 'EP', askedOn: '2026-10-01', receivedOn: '2026-11-05', circulatedOn: '2026-11-01' },
          ],
        }),
      )
      .catch((e) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).errors.map((e) => e.field)).toEqual(['adviceCirculated-0']);
    await expect(
      services.annualReviews.saveArrangements(
        w.senco.actor,
        reviewId,
        1,
        arrangements({ meetingPlace: 'Hall' }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await reviewRow(reviewId)).toMatchObject({ version: 2, meetingPlace: 'The SENCo’s room' });
  });
});

describe('the meeting record', () => {
  it('refuses an outcome the plan does not hold (a form out of date or tampered)', async () => {
    const bad = meeting({
      outcomeReviews: [{ outcomeId: 'outcome-other', progress: 'none', evidence: 'x' }],
    });
    await expect(services.annualReviews.saveMeeting(w.senco.actor, reviewId, 2, bad)).rejects.toThrow(
      /plan has changed/,
    );
  });

  it('cannot send before the meeting is held; records it, then the report can go', async () => {
    await expect(services.annualReviews.send(w.senco.actor, reviewId, 2, render)).rejects.toThrow(
      /Record the meeting as held/,
    );
    await services.annualReviews.saveMeeting(
      w.senco.actor,
      reviewId,
      2,
      meeting({ held: false, recommendation: null }),
    );
    expect(await reviewRow(reviewId)).toMatchObject({ status: 'arranging', version: 3 });
    await services.annualReviews.saveMeeting(w.senco.actor, reviewId, 3, meeting());
    expect(await reviewRow(reviewId)).toMatchObject({ status: 'held', recommendation: 'amend', version: 4 });
    const page = await services.annualReviews.view(w.senco.actor, reviewId);
    expect(page.problems).toEqual([]);
    expect(page.timetable.find((s) => s.kind === 'report')).toMatchObject({
      dueOn: '2026-12-02',
      status: 'due',
    });
  });
});

describe('sending the report', () => {
  it('a class teacher sees that the review exists and when, never the report', async () => {
    const page = await services.annualReviews.view(w.teacherB.actor, reviewId);
    expect(page.actions).toMatchObject({ read: true, readReport: false, send: false });
    expect(page.record).toBeNull();
    expect(page.plan).toBeNull();
    await expect(services.annualReviews.view(w.teacherA.actor, reviewId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(services.annualReviews.view(w.otherSenco.actor, reviewId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      services.annualReviews.reportFile(w.teacherB.actor, reviewId, 'json', render),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('goes into the authority’s records in the same change, with a row on each audit chain', async () => {
    const result = await services.annualReviews.send(w.senco.actor, reviewId, 4, render);
    expect(result.how).toBe('local_authority');
    const row = await reviewRow(reviewId);
    expect(row).toMatchObject({ status: 'sent', sentHow: 'local_authority', sentByName: w.senco.actor.name });
    expect(reportSchemaProblems(row.sentReport)).toEqual([]);
    const report = row.sentReport as AnnualReviewReport;
    expect(report.recommendation.decision).toBe('amend');
    expect(report.invitations.map((i) => i.enoughNotice)).toEqual([true, false]);
    const [decision] = await database.db
      .select()
      .from(ehcReviewDecision)
      .where(eq(ehcReviewDecision.annualReviewId, reviewId));
    expect(decision).toMatchObject({
      id: row.decisionId,
      organisationId: w.officer.organisationId,
      planId: plan.planId,
      caseId: plan.caseId,
      schoolId: w.school.id,
      meetingOn: '2026-11-18',
      receivedOn: '2026-11-20',
      decision: null,
    });
    expect(decision?.received).toEqual(report);
    const files = await database.db
      .select()
      .from(storedFile)
      .where(eq(storedFile.id, decision!.receivedFileId!));
    expect(files[0]).toMatchObject({ ownerKind: 'organisation', ownerId: w.officer.organisationId });
    const [sent] = await auditOf('annual_review.sent', reviewId);
    expect(sent).toMatchObject({ schoolId: w.school.id, organisationId: null, pupilId: w.pupilE.id });
    const [received] = await auditOf('ehc_review.received', reviewId);
    expect(received).toMatchObject({ organisationId: w.officer.organisationId, pupilId: w.pupilE.id });
  });

  it('is kept as sent: not sent twice, not changed, downloadable exactly as sent', async () => {
    await expect(services.annualReviews.send(w.senco.actor, reviewId, 5, render)).rejects.toThrow(
      /cannot be sent again|can no longer/,
    );
    await expect(
      services.annualReviews.saveMeeting(w.senco.actor, reviewId, 5, meeting({ parentViews: 'changed' })),
    ).rejects.toThrow(/can no longer be changed/);
    const json = await services.annualReviews.reportFile(w.senco.actor, reviewId, 'json', render);
    expect(JSON.parse(json.bytes.toString())).toEqual((await reviewRow(reviewId)).sentReport);
    const pdf = await services.annualReviews.reportFile(w.senco.actor, reviewId, 'pdf', render);
    expect(pdf.bytes.toString()).toContain(`% review ${reviewId}`);
    expect(await auditOf('annual_review.downloaded', reviewId)).toHaveLength(2);
  });

  it('the list says the report is waiting for the authority’s decision, and the next review is due a year from the meeting', async () => {
    const list = await services.annualReviews.overview(w.senco.actor);
    expect(list.waiting.map((r) => [r.name, r.dueOn])).toEqual([['Eli Evans', '2027-11-17']]);
    expect(list.overdue).toEqual([]);
    expect(list.thisTerm).toEqual([]);
  });
});

describe('a plan from another authority, and the list', () => {
  it('a review of the school’s summary is downloaded and marked as sent; the summary’s last review moves on', async () => {
    const otto = await buildPupil(database.db, {
      schoolId: w.otherSchool.id,
      forename: 'Oscar',
      surname: 'Olsen',
      dateOfBirth: '2016-02-01',
      stage: 'ehc_plan',
      primaryNeed: 'SPLD',
    });
    const summaryId = uuid();
    await database.db.insert(ehcPlanSummary).values({
      schoolId: w.otherSchool.id,
      id: summaryId,
      pupilId: otto.id,
      localAuthorityName: 'Westshire',
      issuedOn: '2025-11-25',
      outcomes: [{ id: 'o1', text: 'Read a book of his choice' }],
      provision: [
        { id: 'p1', what: 'Reading programme', who: 'TA', frequency: 'Daily', duration: '20 minutes' },
      ],
      createdByName: 'Ola Senco',
    });
    const list = await services.annualReviews.overview(w.otherSenco.actor);
    expect(list.thisTerm.map((r) => [r.name, r.dueOn, r.source])).toEqual([
      ['Oscar Olsen', '2026-11-24', 'summary'],
    ]);
    // Year 6 this year: a phase transfer, said in the autumn, with its meeting worked back to 23 November.
    expect(list.autumn).toBe(true);
    expect(list.phaseTransfers[0]?.phaseTransfer).toMatchObject({
      deadline: '2027-02-15',
      meetingBy: '2026-11-23',
    });
    const id = await services.annualReviews.start(w.otherSenco.actor, otto.id);
    expect(await reviewRow(id)).toMatchObject({ summaryId, phaseTransfer: true, dueOn: '2026-11-24' });
    await services.annualReviews.saveArrangements(
      w.otherSenco.actor,
      id,
      1,
      arrangements({ meetingOn: '2026-11-19', phaseTransfer: true, nextSchool: 'Westshire Academy' }),
    );
    await services.annualReviews.saveMeeting(
      w.otherSenco.actor,
      id,
      2,
      meeting({
        outcomeReviews: [{ outcomeId: 'o1', progress: 'some', evidence: 'Reading age up 6 months' }],
        provisionReviews: [{ provisionId: 'p1', delivery: 'partly', comment: 'Three days a week' }],
        recommendation: 'keep',
        proposedChanges: [],
      }),
    );
    const result = await services.annualReviews.send(w.otherSenco.actor, id, 3, render);
    expect(result).toEqual({ how: 'download', localAuthority: 'Westshire' });
    const row = await reviewRow(id);
    expect(row).toMatchObject({ status: 'sent', sentHow: 'download', decisionId: null });
    expect((row.sentReport as AnnualReviewReport).phaseTransfer).toEqual({ nextSchool: 'Westshire Academy' });
    const [summary] = await database.db.select().from(ehcPlanSummary).where(eq(ehcPlanSummary.id, summaryId));
    expect(summary?.lastReviewOn).toBe('2026-11-19');
    expect(await auditOf('annual_review.marked_sent', id)).toHaveLength(1);
    expect(
      await database.db.select().from(ehcReviewDecision).where(eq(ehcReviewDecision.annualReviewId, id)),
    ).toEqual([]);
  });

  it('cancels a review being arranged, with the reason audited; a cancelled review is not changed', async () => {
    const eliAgain = await services.annualReviews.start(w.senco.actor, w.pupilE.id);
    await services.annualReviews.cancel(w.senco.actor, eliAgain, 1, { reason: 'Started by mistake' });
    expect(await reviewRow(eliAgain)).toMatchObject({ status: 'cancelled' });
    const [row] = await auditOf('annual_review.cancelled', eliAgain);
    expect(row?.detail).toMatchObject({ reason: 'Started by mistake', from: 'arranging' });
    await expect(
      services.annualReviews.cancel(w.senco.actor, eliAgain, 2, { reason: 'again' }),
    ).rejects.toThrow(/can no longer be changed/);
  });

  it('the list is for those who run reviews, and audits the pupils it shows', async () => {
    await expect(services.annualReviews.overview(w.teacherB.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.annualReviews.overview(w.governor.actor)).rejects.toBeInstanceOf(ForbiddenError);
    await services.annualReviews.overview(w.head.actor);
    const rows = await database.db
      .select()
      .from(auditEvent)
      .where(eq(auditEvent.action, 'annual_review.listed'));
    expect(rows.some((r) => r.userId === w.head.actor.userId)).toBe(true);
  });
});
