import { createHash, randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { effectiveNcYear, schoolAcademicYearStart } from '../../domain/calendar.ts';
import { addDays, compareIsoDates, formatDate, type IsoDate } from '../../domain/dates.ts';
import {
  ANNUAL_REVIEW_STATUSES,
  type OutcomeProgress,
  type PlanSectionKey,
  type PlanSections,
  type ProvisionDelivery,
  type ReviewDecision,
  type ReviewInvitee,
} from '../../domain/ehc-plan.ts';
import {
  type AnnualReviewReport,
  buildAnnualReviewReport,
  type InvitationHow,
  type OutcomeReview,
  type ProvisionReview,
  type ReviewAdvice,
  type ReviewAttendee,
  type ReviewedPlan,
  type ReviewInvitation,
  type ReviewRecord,
  reportProblems,
  reviewedPlanFromSections,
  reviewedPlanFromSummary,
} from '../../domain/ehc-review.ts';
import {
  type DueBand,
  dueBand,
  isAutumn,
  noticeGiven,
  type PhaseTransfer,
  phaseTransferOf,
  reportDueOn,
  reviewTimetable,
  twelveMonthsEnd,
  underFiveReview,
} from '../../domain/ehc-review-clock.ts';
import { organisationOwner } from '../../domain/owners.ts';
import { annualReviewActions, startAnnualReviewAction } from '../../policies/annual-review.ts';
import { insertAuditEvents } from '../../repositories/audit.ts';
import { currentSummaryOfPupil, finalPlansOfPupils, findPlan } from '../../repositories/ehc-plans.ts';
import {
  type AnnualReviewRow,
  decisionsOfReviews,
  findAnnualReview,
  findSummary,
  insertAnnualReview,
  insertReviewDecision,
  latestReviewsOfSchool,
  openReviewOfPupil,
  plansOfSchool,
  reviewsOfPupil,
  setSummaryLastReview,
  updateAnnualReview,
} from '../../repositories/ehc-reviews.ts';
import { insertStoredFile, readStoredFile } from '../../repositories/files.ts';
import { findOrganisation, findSchool } from '../../repositories/schools.ts';
import { queueFamilyMail } from '../family/mail.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit, auditRowFor } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil, unitOfWork } from '../kernel/unit-of-work.ts';
import { assertReportFollowsSchema } from './review-report-schema.ts';

/*
 * The school's annual reviews of its pupils' EHC plans (docs/adr/0038): started from the pupil's plan
 * (the authority's final plan on this installation, or the school's summary of another authority's),
 * arranged (the meeting; invitations and advice, each warned when it gives less than two weeks'
 * notice; a phase transfer and the next school), held (the child's and parents' views, who came, each
 * outcome of E with its progress and evidence, each item of provision delivered as specified or not,
 * the changes proposed, the recommendation), and its report sent: into the authority's records when the
 * plan is the authority's on this installation (the authority's copy written in the school's unit of
 * work, with a row on each audit chain), else downloaded and marked as sent. The report is kept exactly
 * as sent, as JSON (docs/schemas/annual-review-report.v1.schema.json) and PDF. Every call authorises by
 * the review's pupil (policies/annual-review.ts); every read and change is audited.
 */

export interface ArrangementInput {
  meetingOn: IsoDate | null;
  meetingTime: string | null;
  meetingPlace: string | null;
  phaseTransfer: boolean;
  nextSchool: string | null;
  invitations: { invitee: ReviewInvitee; name: string; how: InvitationHow; sentOn: IsoDate | null }[];
  advice: {
    from: string;
    askedOn: IsoDate | null;
    receivedOn: IsoDate | null;
    circulatedOn: IsoDate | null;
  }[];
}

export interface MeetingInput {
  pupilViews: string | null;
  parentViews: string | null;
  attendees: { invitee: ReviewInvitee; name: string }[];
  outcomeReviews: { outcomeId: string; progress: OutcomeProgress | null; evidence: string }[];
  provisionReviews: { provisionId: string; delivery: ProvisionDelivery | null; comment: string }[];
  proposedChanges: { section: PlanSectionKey; text: string }[];
  recommendation: ReviewDecision | null;
  recommendationReasons: string | null;
  /** The meeting has taken place: the review is held and its report can be sent. */
  held: boolean;
}

/** The report as its files: the PDF (documents/annual-review-pdf.ts) and the files' name, from the caller. */
export interface ReviewReportRenderer {
  pdf?: (report: AnnualReviewReport) => Promise<Buffer>;
  fileName(report: AnnualReviewReport, extension: 'pdf' | 'json'): string;
}

const NOT_FOUND = (id: string) =>
  new NotFoundError('Annual review not found', { kind: 'ehc_annual_review', id });

/** The review's record in the report's shape. */
export function reviewRecordOf(r: AnnualReviewRow): ReviewRecord {
  return {
    id: r.id,
    dueOn: r.dueOn,
    meetingOn: r.meetingOn,
    meetingTime: r.meetingTime,
    meetingPlace: r.meetingPlace,
    phaseTransfer: r.phaseTransfer,
    nextSchool: r.nextSchool,
    invitations: r.invitations as ReviewInvitation[],
    advice: r.advice as ReviewAdvice[],
    pupilViews: r.pupilViews,
    parentViews: r.parentViews,
    attendees: r.attendees as ReviewAttendee[],
    outcomeReviews: r.outcomeReviews as OutcomeReview[],
    provisionReviews: r.provisionReviews as ProvisionReview[],
    proposedChanges: r.proposedChanges,
    recommendation: r.recommendation,
    recommendationReasons: r.recommendationReasons,
  };
}

export function createAnnualReviewService(
  database: Database,
  clock: Clock,
  mail: MailContext = NO_MAIL_CONTEXT,
) {
  const { db } = database;

  /** A review with what this actor may do with it; "not found" when they may not read it. */
  async function reviewFor(tx: Executor, a: SchoolActor, reviewId: string) {
    const review = await findAnnualReview(tx, a.schoolId, reviewId);
    if (!review) throw NOT_FOUND(reviewId);
    let found: Awaited<ReturnType<typeof pupilFor>>;
    try {
      found = await pupilFor(tx, a, review.pupilId, { section: 'ehc', level: 'read' });
    } catch {
      throw NOT_FOUND(reviewId);
    }
    const actions = annualReviewActions(a, review, {
      access: found.access,
      left: found.pupil.leftOn !== null,
    });
    if (!actions.read) throw NOT_FOUND(reviewId);
    return { review, pupil: found.pupil, className: found.className, access: found.access, actions };
  }

  /** The plan a review is of, in the shape the review records against; null when it is gone. */
  async function planOf(tx: Executor, r: AnnualReviewRow): Promise<ReviewedPlan | null> {
    if (r.organisationId && r.planId) {
      const plan = await findPlan(tx, r.organisationId, r.planId);
      if (!plan) return null;
      const [row] = (await finalPlansOfPupils(tx, r.schoolId, [r.pupilId])).filter(
        (p) => p.plan.id === r.planId,
      );
      if (!row) return null;
      const organisation = await findOrganisation(tx, r.organisationId);
      return reviewedPlanFromSections({
        localAuthority: organisation?.name ?? 'The local authority',
        planId: plan.id,
        planVersion: row.version.number,
        issuedOn: plan.startedOn ?? row.version.issuedOn ?? r.dueOn,
        lastReviewOn: plan.lastReviewOn,
        sections: row.version.sections,
      });
    }
    if (r.summaryId) {
      const summary = await findSummary(tx, r.schoolId, r.summaryId);
      return summary ? reviewedPlanFromSummary(summary) : null;
    }
    return null;
  }

  /** The sections of the authority's final plan (for B's read-only view of the plan beside the review). */
  async function sectionsOf(tx: Executor, r: AnnualReviewRow): Promise<PlanSections | null> {
    if (!r.organisationId || !r.planId) return null;
    const [row] = (await finalPlansOfPupils(tx, r.schoolId, [r.pupilId])).filter(
      (p) => p.plan.id === r.planId,
    );
    return row?.version.sections ?? null;
  }

  function conflict(r: AnnualReviewRow): ConflictError {
    return new ConflictError(
      `Someone else changed this annual review while you were working on it: it is now ${ANNUAL_REVIEW_STATUSES[r.status].toLowerCase()}. Your changes are kept below: check them against theirs and save again.`,
      { status: ANNUAL_REVIEW_STATUSES[r.status] },
    );
  }

  function closed(r: AnnualReviewRow): ValidationError {
    return new ValidationError([
      {
        field: 'form',
        message:
          r.status === 'sent'
            ? 'This annual review’s report has been sent to the local authority: the review can no longer be changed'
            : r.status === 'cancelled'
              ? 'This annual review was cancelled: it can no longer be changed'
              : `This annual review can no longer be changed (${ANNUAL_REVIEW_STATUSES[r.status].toLowerCase()})`,
      },
    ]);
  }

  /** The pupil's plan to review now: the authority's final plan, else the school's current summary. */
  async function currentPlanOfPupil(tx: Executor, schoolId: string, pupilId: string) {
    const [final] = (await finalPlansOfPupils(tx, schoolId, [pupilId])).filter(
      (p) => p.plan.status === 'final',
    );
    if (final) {
      const dueOn =
        final.plan.reviewDueOn ??
        twelveMonthsEnd(final.plan.lastReviewOn ?? final.plan.startedOn ?? clock.today());
      return { kind: 'local_authority' as const, final, summary: null, dueOn };
    }
    const summary = await currentSummaryOfPupil(tx, schoolId, pupilId);
    if (summary)
      return {
        kind: 'summary' as const,
        final: null,
        summary,
        dueOn: twelveMonthsEnd(summary.lastReviewOn ?? summary.issuedOn),
      };
    return null;
  }

  async function schoolOf(tx: Executor, schoolId: string) {
    const school = await findSchool(tx, schoolId);
    if (!school) throw new NotFoundError('School not found');
    return school;
  }

  /** The report as it stands (or as it would be sent today), from the review and its plan. */
  async function reportOf(
    tx: Executor,
    a: SchoolActor,
    r: AnnualReviewRow,
    pupil: {
      upn: string;
      forename: string;
      surname: string;
      dateOfBirth: string;
      ncYearOverride: number | null;
    },
    plan: ReviewedPlan,
  ) {
    const school = await schoolOf(tx, a.schoolId);
    const today = clock.today();
    return buildAnnualReviewReport({
      review: reviewRecordOf(r),
      plan,
      child: {
        upn: pupil.upn,
        forename: pupil.forename,
        surname: pupil.surname,
        birthDate: pupil.dateOfBirth,
        ncYear: effectiveNcYear(pupil.dateOfBirth, pupil.ncYearOverride, today, school.rolledOverTo),
      },
      school: { name: school.name, urn: school.urn, laCode: school.laCode },
      completedBy: {
        name: a.name,
        role: a.roles.includes('senco') ? 'SENCo' : a.roles.includes('head_teacher') ? 'Head teacher' : null,
      },
      preparedOn: today,
    });
  }

  return {
    /**
     * The school's annual reviews: every pupil with an EHC plan (the authority's or a summary of
     * another's) by when their review is due — overdue, this term, next term — with the review being
     * arranged, held with its report to send, or sent and waiting for the authority; and the pupils in a
     * year of transfer to the next phase this year (said in the autumn). For those who run reviews.
     */
    async overview(actor: Actor) {
      const a = requireSection(actor, 'ehc', 'write');
      const today = clock.today();
      const [school, { plans, summaries }, latest] = await Promise.all([
        schoolOf(db, a.schoolId),
        plansOfSchool(db, a.schoolId),
        latestReviewsOfSchool(db, a.schoolId),
      ]);
      const decisions = await decisionsOfReviews(
        db,
        a.schoolId,
        latest.filter((r) => r.status === 'sent').map((r) => r.id),
      );
      const reviewOf = new Map(latest.map((r) => [r.pupilId, r]));
      const decisionOf = new Map(decisions.map((d) => [d.annualReviewId, d]));
      const range = { lowest: school.lowestNcYear, highest: school.highestNcYear };
      const academicYearStart = schoolAcademicYearStart(today, school.rolledOverTo);
      type Row = {
        pupilId: string;
        name: string;
        ncYear: number;
        source: 'local_authority' | 'summary';
        localAuthority: string | null;
        dueOn: IsoDate;
        band: DueBand;
        review: {
          id: string;
          status: AnnualReviewRow['status'];
          meetingOn: IsoDate | null;
          reportDueOn: IsoDate | null;
        } | null;
        decision: { decision: ReviewDecision | null; decidedOn: IsoDate | null } | null;
        phaseTransfer: PhaseTransfer | null;
        underFive: string | null;
      };
      const rows: Row[] = [];
      const add = (
        p: {
          pupilId: string;
          forename: string;
          surname: string;
          dateOfBirth: string;
          ncYearOverride: number | null;
        },
        source: Row['source'],
        localAuthority: string | null,
        planDueOn: IsoDate,
        from: IsoDate,
      ) => {
        const r = reviewOf.get(p.pupilId) ?? null;
        // A review held or sent since the plan's last review: the next is due twelve months from its meeting.
        const heldSince =
          r?.meetingOn &&
          (r.status === 'sent' || r.status === 'held') &&
          compareIsoDates(r.meetingOn, from) > 0
            ? r.meetingOn
            : null;
        const dueOn = heldSince && r?.status === 'sent' ? twelveMonthsEnd(heldSince) : planDueOn;
        const ncYear = effectiveNcYear(p.dateOfBirth, p.ncYearOverride, today, school.rolledOverTo);
        const d = r ? decisionOf.get(r.id) : undefined;
        rows.push({
          pupilId: p.pupilId,
          name: `${p.forename} ${p.surname}`,
          ncYear,
          source,
          localAuthority,
          dueOn,
          band: dueBand(dueOn, today),
          review: r
            ? {
                id: r.id,
                status: r.status,
                meetingOn: r.meetingOn,
                reportDueOn: r.meetingOn ? reportDueOn(r.meetingOn) : null,
              }
            : null,
          decision: d ? { decision: d.decision, decidedOn: d.decidedOn } : null,
          phaseTransfer: phaseTransferOf(ncYear, range, today, academicYearStart),
          underFive: underFiveReview(p.dateOfBirth, from)?.note ?? null,
        });
      };
      for (const p of plans) {
        const from = p.lastReviewOn ?? p.startedOn ?? today;
        add(p, 'local_authority', null, p.reviewDueOn ?? twelveMonthsEnd(from), from);
      }
      const withPlan = new Set(plans.map((p) => p.pupilId));
      for (const s of summaries) {
        if (withPlan.has(s.pupilId)) continue;
        const from = s.lastReviewOn ?? s.issuedOn;
        add(s, 'summary', s.localAuthorityName, twelveMonthsEnd(from), from);
      }
      rows.sort((x, y) => compareIsoDates(x.dueOn, y.dueOn) || x.name.localeCompare(y.name));
      const notStarted = (r: Row) => !r.review || r.review.status === 'sent';
      const waiting = (r: Row) => r.review?.status === 'sent' && !r.decision?.decision;
      const result = {
        overdue: rows.filter((r) => r.band === 'overdue' && notStarted(r) && !waiting(r)),
        thisTerm: rows.filter((r) => r.band === 'this_term' && notStarted(r) && !waiting(r)),
        nextTerm: rows.filter((r) => r.band === 'next_term' && notStarted(r) && !waiting(r)),
        arranging: rows.filter((r) => r.review?.status === 'arranging'),
        toSend: rows.filter((r) => r.review?.status === 'held'),
        waiting: rows.filter(waiting),
        phaseTransfers: rows.filter((r) => r.phaseTransfer !== null),
        autumn: isAutumn(today),
        total: rows.length,
        today,
      };
      await audit(db, a, 'annual_review.listed', { shownPupilIds: [...new Set(rows.map((r) => r.pupilId))] });
      return result;
    },

    /** The start page: the pupil's plan to review, when it is due, and any review already open. */
    async startForm(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'ehc', 'write');
      const found = await pupilFor(db, a, pupilId, { section: 'ehc', level: 'write' });
      if (!startAnnualReviewAction(a, found.pupil, { access: found.access }))
        throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
      const [plan, open, school] = await Promise.all([
        currentPlanOfPupil(db, a.schoolId, pupilId),
        openReviewOfPupil(db, a.schoolId, pupilId),
        schoolOf(db, a.schoolId),
      ]);
      const today = clock.today();
      const ncYear = effectiveNcYear(
        found.pupil.dateOfBirth,
        found.pupil.ncYearOverride,
        today,
        school.rolledOverTo,
      );
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId,
          detail: { form: 'start an annual review of an EHC plan' },
        });
      return {
        pupil: found.pupil,
        plan: plan
          ? {
              kind: plan.kind,
              dueOn: plan.dueOn,
              issuedOn: plan.final?.plan.startedOn ?? plan.summary?.issuedOn ?? null,
              localAuthority: plan.summary?.localAuthorityName ?? null,
            }
          : null,
        openReviewId: open?.id ?? null,
        phaseTransfer: phaseTransferOf(
          ncYear,
          { lowest: school.lowestNcYear, highest: school.highestNcYear },
          today,
          schoolAcademicYearStart(today, school.rolledOverTo),
        ),
        underFive: plan
          ? (underFiveReview(
              found.pupil.dateOfBirth,
              plan.final?.plan.lastReviewOn ??
                plan.final?.plan.startedOn ??
                plan.summary?.lastReviewOn ??
                plan.summary?.issuedOn ??
                today,
            )?.note ?? null)
          : null,
      };
    },

    /**
     * Start arranging the review of the pupil's plan; one open review a pupil at a time. The parents
     * with an account are invited to give their views for it.
     */
    async start(actor: Actor, pupilId: string): Promise<string> {
      const a = requireSection(actor, 'ehc', 'write');
      const id = randomUUID();
      const mailed = await changePupil(db, a, pupilId, { section: 'ehc', level: 'write' }, async (w) => {
        if (!startAnnualReviewAction(a, w.pupil, { access: w.access }))
          throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
        const name = `${w.pupil.forename} ${w.pupil.surname}`;
        if (await openReviewOfPupil(w.tx, a.schoolId, pupilId))
          throw new ValidationError([
            {
              field: 'form',
              message: `An annual review of ${name}’s plan is already being arranged: open it from the list of annual reviews`,
            },
          ]);
        const plan = await currentPlanOfPupil(w.tx, a.schoolId, pupilId);
        if (!plan)
          throw new ValidationError([
            {
              field: 'form',
              message: `${name} has no final EHC plan recorded: the local authority issues it, or record a plan from another authority from its PDF`,
            },
          ]);
        const school = await schoolOf(w.tx, a.schoolId);
        const today = clock.today();
        const ncYear = effectiveNcYear(
          w.pupil.dateOfBirth,
          w.pupil.ncYearOverride,
          today,
          school.rolledOverTo,
        );
        const transfer = phaseTransferOf(
          ncYear,
          { lowest: school.lowestNcYear, highest: school.highestNcYear },
          today,
          schoolAcademicYearStart(today, school.rolledOverTo),
        );
        await insertAnnualReview(w.tx, {
          schoolId: a.schoolId,
          id,
          pupilId,
          status: 'arranging',
          organisationId: plan.final?.plan.organisationId ?? null,
          planId: plan.final?.plan.id ?? null,
          planVersion: plan.final?.version.number ?? null,
          summaryId: plan.summary?.id ?? null,
          dueOn: plan.dueOn,
          phaseTransfer: transfer !== null,
          createdBy: a.userId,
          createdByName: a.name,
        });
        const queued = await queueFamilyMail(w.tx, {
          schoolId: a.schoolId,
          pupilId,
          kind: 'family.views_invited',
          values: { link: `${mail.publicUrl}/children/${pupilId}/ehc/annual-reviews/${id}/views` },
        });
        w.audit('annual_review.started', {
          pupilId,
          detail: {
            reviewId: id,
            planId: plan.final?.plan.id ?? null,
            summaryId: plan.summary?.id ?? null,
            dueOn: plan.dueOn,
            ...(queued.length > 0 ? { parentsEmailed: queued.length } : {}),
          },
        });
        return queued.length;
      });
      if (mailed > 0) mail.jobsQueued();
      return id;
    },

    /**
     * The review's page: where it stands and its timetable (each step with its last day); for those who
     * run reviews, the plan's outcomes and provision, the arrangements with any short notice named, the
     * meeting record, what stops the report going, and the authority's decision once made. Audited.
     */
    async view(actor: Actor, reviewId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'ehc');
      const found = await reviewFor(db, a, reviewId);
      const r = found.review;
      const today = clock.today();
      const [plan, sections, decisions, history] = await Promise.all([
        found.actions.readReport ? planOf(db, r) : Promise.resolve(null),
        found.actions.readReport ? sectionsOf(db, r) : Promise.resolve(null),
        decisionsOfReviews(db, a.schoolId, [r.id]),
        reviewsOfPupil(db, a.schoolId, r.pupilId),
      ]);
      const record = reviewRecordOf(r);
      const decision = decisions[0] ?? null;
      const invitations = record.invitations.map((i) => ({
        ...i,
        notice: i.sentOn && r.meetingOn ? noticeGiven(i.sentOn, r.meetingOn) : null,
      }));
      const advice = record.advice.map((x) => ({
        ...x,
        notice: x.circulatedOn && r.meetingOn ? noticeGiven(x.circulatedOn, r.meetingOn) : null,
      }));
      const lastSent = (dates: (IsoDate | null)[]) =>
        dates
          .filter((d): d is IsoDate => d !== null)
          .sort()
          .at(-1) ?? null;
      const timetable = reviewTimetable(
        {
          dueOn: r.dueOn,
          meetingOn: r.meetingOn,
          held: r.status === 'held' || r.status === 'sent',
          invitationsSentOn:
            record.invitations.length > 0 && record.invitations.every((i) => i.sentOn)
              ? lastSent(record.invitations.map((i) => i.sentOn))
              : null,
          adviceCirculatedOn:
            record.advice.length > 0 && record.advice.every((x) => x.circulatedOn)
              ? lastSent(record.advice.map((x) => x.circulatedOn))
              : null,
          reportSentOn: r.sentAt ? r.sentAt.toISOString().slice(0, 10) : null,
          decidedOn: decision?.decidedOn ?? null,
          decision: decision?.decision ?? null,
        },
        today,
      );
      if (options.audit)
        await audit(db, a, 'annual_review.viewed', { pupilId: r.pupilId, detail: { reviewId } });
      return {
        ...found,
        record: found.actions.readReport ? record : null,
        invitations: found.actions.readReport ? invitations : [],
        advice: found.actions.readReport ? advice : [],
        plan,
        sections,
        timetable,
        decision,
        problems:
          found.actions.readReport && plan && r.status !== 'sent' && r.status !== 'cancelled'
            ? reportProblems(record, plan)
            : [],
        sentReport: found.actions.readReport && r.sentReport ? (r.sentReport as AnnualReviewReport) : null,
        earlier: history
          .filter((h) => h.id !== r.id)
          .map((h) => ({ id: h.id, status: h.status, meetingOn: h.meetingOn, dueOn: h.dueOn })),
        version: r.version,
        today,
      };
    },

    /** The page of a form that changes the review (arrangements, meeting, send, cancel). */
    async editForm(
      actor: Actor,
      reviewId: string,
      form: string,
      options: { audit: boolean } = { audit: true },
    ) {
      const a = requireSection(actor, 'ehc', 'write');
      const page = await this.view(a, reviewId, { audit: false });
      if (!page.actions.readReport) throw NOT_FOUND(reviewId);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', { pupilId: page.review.pupilId, detail: { form, reviewId } });
      return page;
    },

    /**
     * Save the arrangements: the meeting's date, time and place, phase transfer and the next school,
     * who is invited (how and when) and the advice (asked, received, circulated). Short notice is
     * warned on the page, never refused: a meeting can go ahead with it. A stale save changes nothing.
     */
    async saveArrangements(
      actor: Actor,
      reviewId: string,
      version: number,
      input: ArrangementInput,
    ): Promise<void> {
      const a = requireSection(actor, 'ehc', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await reviewFor(w.tx, a, reviewId);
        const r = found.review;
        if (!found.actions.arrange) {
          if (found.actions.readReport) throw closed(r);
          throw NOT_FOUND(reviewId);
        }
        if (r.version !== version) throw conflict(r);
        const errors: { field: string; message: string }[] = [];
        input.advice.forEach((x, i) => {
          if (x.askedOn && x.receivedOn && compareIsoDates(x.receivedOn, x.askedOn) < 0)
            errors.push({
              field: `adviceReceived-${i}`,
              message: `Advice ${i + 1}: the date received must be the same as or after the date asked`,
            });
          if (x.circulatedOn && !x.receivedOn)
            errors.push({
              field: `adviceReceived-${i}`,
              message: `Advice ${i + 1}: enter the date it was received before the date it was circulated`,
            });
          else if (x.circulatedOn && x.receivedOn && compareIsoDates(x.circulatedOn, x.receivedOn) < 0)
            errors.push({
              field: `adviceCirculated-${i}`,
              message: `Advice ${i + 1}: the date circulated must be the same as or after the date received`,
            });
        });
        if (input.meetingOn && r.status === 'held' && compareIsoDates(input.meetingOn, clock.today()) > 0)
          errors.push({
            field: 'meetingOn',
            message: 'The meeting is recorded as held: its date cannot be in the future',
          });
        if (input.meetingOn) {
          // The review of this plan: after it was issued (and after its last review), within the year ahead.
          const plan = await planOf(w.tx, r);
          const after = plan ? (plan.lastReviewOn ?? plan.issuedOn) : null;
          const latest = addDays(clock.today(), 366);
          if (after && compareIsoDates(input.meetingOn, after) <= 0)
            errors.push({
              field: 'meetingOn',
              message: `The meeting must be after ${plan?.lastReviewOn ? 'the plan’s last review' : 'the plan was issued'}, on ${formatDate(after)}`,
            });
          else if (compareIsoDates(input.meetingOn, latest) > 0)
            errors.push({
              field: 'meetingOn',
              message: `The meeting must be within the next year: on or before ${formatDate(latest)}`,
            });
        }
        if (errors.length > 0) throw new ValidationError(errors);
        const changed = await updateAnnualReview(w.tx, a.schoolId, reviewId, version, {
          meetingOn: input.meetingOn,
          meetingTime: input.meetingTime,
          meetingPlace: input.meetingPlace,
          phaseTransfer: input.phaseTransfer,
          nextSchool: input.phaseTransfer ? input.nextSchool : null,
          invitations: input.invitations.map((i) => ({ id: randomUUID(), ...i })),
          advice: input.advice.map((x) => ({ id: randomUUID(), ...x })),
        });
        if (!changed) throw conflict(r);
        const short = input.meetingOn
          ? input.invitations.filter(
              (i) => i.sentOn && !noticeGiven(i.sentOn, input.meetingOn as IsoDate).enough,
            ).length
          : 0;
        w.audit('annual_review.arranged', {
          pupilId: r.pupilId,
          detail: {
            reviewId,
            meetingOn: input.meetingOn,
            invitations: input.invitations.length,
            advice: input.advice.length,
            shortNotice: short,
          },
        });
      });
    },

    /**
     * Record the meeting: the views, who came, each outcome and item of provision of the plan, the
     * changes proposed and the recommendation. Marked held (the report can then be sent) only once the
     * meeting's day has come. Ids the plan does not hold are refused (a form out of date, or tampered).
     */
    async saveMeeting(actor: Actor, reviewId: string, version: number, input: MeetingInput): Promise<void> {
      const a = requireSection(actor, 'ehc', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await reviewFor(w.tx, a, reviewId);
        const r = found.review;
        if (!found.actions.recordMeeting) {
          if (found.actions.readReport) throw closed(r);
          throw NOT_FOUND(reviewId);
        }
        if (r.version !== version) throw conflict(r);
        const plan = await planOf(w.tx, r);
        if (!plan)
          throw new ValidationError([
            {
              field: 'form',
              message: 'The plan this review is of is no longer held: cancel the review and start another',
            },
          ]);
        const outcomeIds = new Set(plan.outcomes.map((o) => o.id));
        const provisionIds = new Set(plan.provision.map((p) => p.id));
        if (
          input.outcomeReviews.some((o) => !outcomeIds.has(o.outcomeId)) ||
          input.provisionReviews.some((p) => !provisionIds.has(p.provisionId))
        )
          throw new ValidationError([
            {
              field: 'form',
              message:
                'The plan has changed since this form was opened: open the review again and record the meeting there',
            },
          ]);
        const today = clock.today();
        if (input.held) {
          if (!r.meetingOn)
            throw new ValidationError([
              {
                field: 'held',
                message: 'Enter the date of the meeting in the arrangements before recording it as held',
              },
            ]);
          if (compareIsoDates(r.meetingOn, today) > 0)
            throw new ValidationError([
              {
                field: 'held',
                message: `The meeting is on ${formatDate(r.meetingOn)}: it can be recorded as held from that day`,
              },
            ]);
        }
        const changed = await updateAnnualReview(w.tx, a.schoolId, reviewId, version, {
          pupilViews: input.pupilViews,
          parentViews: input.parentViews,
          attendees: input.attendees.map((x) => ({ id: randomUUID(), ...x })),
          outcomeReviews: input.outcomeReviews,
          provisionReviews: input.provisionReviews,
          proposedChanges: input.proposedChanges,
          recommendation: input.recommendation,
          recommendationReasons: input.recommendationReasons,
          status: input.held ? 'held' : r.status === 'held' ? 'held' : 'arranging',
        });
        if (!changed) throw conflict(r);
        w.audit('annual_review.meeting_recorded', {
          pupilId: r.pupilId,
          detail: {
            reviewId,
            held: input.held || r.status === 'held',
            recommendation: input.recommendation,
            proposedChanges: input.proposedChanges.length,
          },
        });
      });
    },

    /**
     * Send the report. When the plan is the authority's on this installation, its copy goes into the
     * authority's records (`ehc_review_decision`, with the authority's audit row) in this unit of work;
     * otherwise (a plan from another authority) the school has downloaded the files and this records it
     * as sent. Either way the report and its PDF are kept exactly as sent.
     */
    async send(
      actor: Actor,
      reviewId: string,
      version: number,
      render: ReviewReportRenderer,
    ): Promise<{ how: 'local_authority' | 'download'; localAuthority: string }> {
      const a = requireSection(actor, 'ehc', 'write');
      return unitOfWork(db, a, async (w) => {
        const found = await reviewFor(w.tx, a, reviewId);
        const r = found.review;
        if (!found.actions.send) {
          if (found.actions.readReport)
            throw new ValidationError([
              {
                field: 'form',
                message:
                  r.status === 'arranging'
                    ? 'Record the meeting as held before sending its report'
                    : `This annual review is ${ANNUAL_REVIEW_STATUSES[r.status].toLowerCase()}: its report cannot be sent again`,
              },
            ]);
          throw NOT_FOUND(reviewId);
        }
        if (r.version !== version) throw conflict(r);
        const plan = await planOf(w.tx, r);
        if (!plan)
          throw new ValidationError([
            { field: 'form', message: 'The plan this review is of is no longer held' },
          ]);
        const problems = reportProblems(reviewRecordOf(r), plan);
        if (problems.length > 0)
          throw new ValidationError(problems.map((p) => ({ field: 'form', message: p.message })));
        const report = await reportOf(w.tx, a, r, found.pupil, plan);
        // What goes out follows the published format it promises (docs/schemas), or nothing goes.
        assertReportFollowsSchema(report);
        const pdf = render.pdf ? await render.pdf(report) : null;
        const name = render.fileName(report, 'pdf');
        const file = (
          bytes: Buffer,
          ownerId: string,
          ownerKind: 'school' | 'organisation',
          pupilId: string | null,
        ) => ({
          ownerId,
          ownerKind,
          id: randomUUID(),
          pupilId,
          name,
          contentType: 'application/pdf',
          extension: 'pdf',
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          bytes,
          uploadedBy: a.userId,
          uploadedByName: a.name,
        });
        const schoolFile = pdf ? file(pdf, a.schoolId, 'school', r.pupilId) : null;
        if (schoolFile) await insertStoredFile(w.tx, schoolFile);
        const today = clock.today();
        const meetingOn = r.meetingOn as IsoDate;
        let decisionId: string | null = null;
        const intoAuthority =
          plan.source === 'local_authority' && r.organisationId !== null && r.planId !== null;
        if (intoAuthority && r.organisationId && r.planId) {
          const laPlan = await findPlan(w.tx, r.organisationId, r.planId);
          if (!laPlan)
            throw new ValidationError([
              { field: 'form', message: 'The plan this review is of is no longer held' },
            ]);
          const laFile = pdf ? file(pdf, r.organisationId, 'organisation', null) : null;
          if (laFile) await insertStoredFile(w.tx, laFile);
          decisionId = randomUUID();
          await insertReviewDecision(w.tx, {
            organisationId: r.organisationId,
            id: decisionId,
            planId: r.planId,
            caseId: laPlan.caseId,
            schoolId: a.schoolId,
            annualReviewId: r.id,
            meetingOn,
            receivedOn: today,
            received: report,
            receivedFileId: laFile?.id ?? null,
          });
          await insertAuditEvents(w.tx, [
            auditRowFor(organisationOwner(r.organisationId), a, 'ehc_review.received', {
              pupilId: r.pupilId,
              detail: {
                reviewDecisionId: decisionId,
                planId: r.planId,
                schoolId: a.schoolId,
                annualReviewId: r.id,
                meetingOn,
              },
            }),
          ]);
        } else if (r.summaryId) await setSummaryLastReview(w.tx, a.schoolId, r.summaryId, meetingOn);
        const changed = await updateAnnualReview(w.tx, a.schoolId, reviewId, version, {
          status: 'sent',
          sentAt: clock.now(),
          sentBy: a.userId,
          sentByName: a.name,
          sentHow: intoAuthority ? 'local_authority' : 'download',
          sentReport: report,
          sentFileId: schoolFile?.id ?? null,
          decisionId,
        });
        if (!changed) throw conflict(r);
        w.audit(intoAuthority ? 'annual_review.sent' : 'annual_review.marked_sent', {
          pupilId: r.pupilId,
          detail: {
            reviewId,
            decisionId,
            fileId: schoolFile?.id ?? null,
            recommendation: report.recommendation.decision,
          },
        });
        return {
          how: intoAuthority ? ('local_authority' as const) : ('download' as const),
          localAuthority: plan.localAuthority,
        };
      });
    },

    /** Cancel a review being arranged or held (a plan ceased, a pupil moving), with the reason. */
    async cancel(actor: Actor, reviewId: string, version: number, input: { reason: string }): Promise<void> {
      const a = requireSection(actor, 'ehc', 'write');
      await unitOfWork(db, a, async (w) => {
        const found = await reviewFor(w.tx, a, reviewId);
        const r = found.review;
        if (!found.actions.cancel) {
          if (found.actions.readReport) throw closed(r);
          throw NOT_FOUND(reviewId);
        }
        if (r.version !== version) throw conflict(r);
        const changed = await updateAnnualReview(w.tx, a.schoolId, reviewId, version, {
          status: 'cancelled',
        });
        if (!changed) throw conflict(r);
        w.audit('annual_review.cancelled', {
          pupilId: r.pupilId,
          detail: { reviewId, from: r.status, reason: input.reason },
        });
      });
    },

    /**
     * The report as a file: once sent, exactly as sent (the JSON kept, the PDF stored); before, as it
     * would be sent today, once nothing stops it. For those who run reviews. Audited.
     */
    async reportFile(
      actor: Actor,
      reviewId: string,
      format: 'pdf' | 'json',
      render: ReviewReportRenderer,
    ): Promise<{ name: string; contentType: string; bytes: Buffer }> {
      const a = requireSection(actor, 'ehc', 'write');
      const found = await reviewFor(db, a, reviewId);
      const r = found.review;
      if (!found.actions.readReport) throw NOT_FOUND(reviewId);
      let report: AnnualReviewReport;
      let bytes: Buffer;
      if (r.sentReport) {
        report = r.sentReport as AnnualReviewReport;
        if (format === 'json') bytes = Buffer.from(JSON.stringify(report, null, 2));
        else {
          const stored = r.sentFileId ? await readStoredFile(db, a.schoolId, r.sentFileId) : null;
          if (stored) bytes = Buffer.from(stored.bytes);
          else if (render.pdf) bytes = await render.pdf(report);
          else throw new Error('A PDF was asked for from a renderer that makes none');
        }
      } else {
        const plan = r.status === 'held' ? await planOf(db, r) : null;
        const problems = plan ? reportProblems(reviewRecordOf(r), plan) : null;
        if (!plan || !problems || problems.length > 0)
          throw new ValidationError([
            { field: 'form', message: 'The report can be downloaded once the meeting is recorded in full' },
          ]);
        report = await reportOf(db, a, r, found.pupil, plan);
        if (format === 'json') bytes = Buffer.from(JSON.stringify(report, null, 2));
        else if (render.pdf) bytes = await render.pdf(report);
        else throw new Error('A PDF was asked for from a renderer that makes none');
      }
      await audit(db, a, 'annual_review.downloaded', {
        pupilId: r.pupilId,
        detail: { reviewId, format, asSent: r.sentReport !== null },
      });
      return {
        name: render.fileName(report, format),
        contentType: format === 'pdf' ? 'application/pdf' : 'application/json; charset=utf-8',
        bytes,
      };
    },
  };
}

export type AnnualReviewService = ReturnType<typeof createAnnualReviewService>;
