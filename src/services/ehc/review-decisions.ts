import type { Database, Executor } from '../../db/client.ts';
import { type Level, reachesFor } from '../../domain/access.ts';
import {
  academicYearStartOf,
  earliestBirthInNcYear,
  effectiveNcYear,
  ncYearLabel,
  schoolAcademicYearStart,
} from '../../domain/calendar.ts';
import { addDays, compareIsoDates, type IsoDate, isRealDate } from '../../domain/dates.ts';
import { CEASE_REASONS, type CeaseReason, REVIEW_DECISIONS } from '../../domain/ehc-plan.ts';
import {
  isAutumn,
  phaseTransferOf,
  termlyListDueOn,
  transferYearLabel,
} from '../../domain/ehc-review-clock.ts';
import {
  acceptedDecision,
  amendedPlanDueOn,
  DUE_BAND_LABELS,
  type DueBand,
  decisionDueOn,
  decisionOnTime,
  decisionProblems,
  dueBand,
  keptPlanDates,
  TERM_LIST_OPENS_DAYS,
  termAfter,
  termAround,
  termListDue,
} from '../../domain/ehc-review-decisions.ts';
import { reviewDecisionActions } from '../../policies/review-decisions.ts';
import { caseworkersOf } from '../../repositories/ehc-cases.ts';
import {
  claimPlanReminder,
  claimTermList,
  decisionsOfPlan,
  decisionsUnderWay,
  finalPlansBornBetween,
  findReviewDecision,
  headTeacherEmailsOf,
  organisationsWithDecisionsUnderWay,
  organisationsWithFinalPlans,
  planSummary,
  plansDueBy,
  type ReviewDecisionRow,
  saveDecision,
  termCountsBySchool,
  termListsSent,
  updatePlanAfterDecision,
} from '../../repositories/ehc-review-decisions.ts';
import { findOrganisation, schoolsOfOrganisation } from '../../repositories/schools.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireOfficer } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../kernel/errors.ts';
import { queueMail } from '../kernel/outbox.ts';
import type { MailContext } from '../kernel/ports.ts';
import { type OrganisationActor, organisationUnitOfWork } from '../kernel/unit-of-work.ts';
import { ceasePlan, startAmendment } from './plans.ts';

/*
 * The local authority's side of annual reviews (docs/adr/0038): the reviews due across its plans (overdue,
 * this term, next term), the schools' reports waiting for its decision with the four weeks' date, the
 * amendments under way with the amended plan's date (twelve weeks after the meeting); the decision on a
 * report (keep: the next review in twelve months; amend: the proposed amendments begun as the plan's new
 * version; cease: the plan ceased with SEN2's reason); the termly list to head teachers and the
 * caseworker's nightly reminder, counts only. Every list and page that names a child is audited on the
 * organisation's chain; another organisation's decision is not found.
 */

/** The year groups a phase transfer can be from (calendar.ts NC years: -1 nursery, 2, 4–8, 11). */
const TRANSFER_YEARS = [-1, 2, 4, 5, 6, 7, 8, 11];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_TEXT = 5000;

/** The lists of the reviews page. */
export const REVIEWS_SHOWS = {
  due: 'Reviews due this term and next (and overdue)',
  overdue: 'Reviews overdue',
  this_term: 'Reviews due this term',
  next_term: 'Reviews due next term',
  decisions: 'Reports waiting for a decision',
  amendments: 'Amendments under way',
  phase_transfers: 'Phase transfers this school year',
} as const;
export type ReviewsShow = keyof typeof REVIEWS_SHOWS;

export interface ReviewsFilters {
  show?: string;
  schoolId?: string;
  /** Only the plans whose case the officer is the caseworker of. */
  mine?: boolean;
  page?: number;
}

/** Rows on one page of the reviews lists. */
export const REVIEWS_PAGE_SIZE = 50;

const isKey = <T extends object>(o: T, k: unknown): k is keyof T & string =>
  typeof k === 'string' && Object.hasOwn(o, k);

function isIso(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** The officer's level of the `ehc` section over their caseload. */
function ehcLevel(actor: Actor): Level | null {
  if (reachesFor(actor.roles, 'ehc', 'write').length > 0) return 'write';
  if (reachesFor(actor.roles, 'ehc', 'read').length > 0) return 'read';
  return null;
}

function requireReader(actor: Actor): OrganisationActor {
  const a = requireOfficer(actor, 'organisation.view');
  if (!ehcLevel(a)) throw new ForbiddenError('Your role does not include the caseload', 'ehc');
  return a;
}

function childName(row: { forename: string | null; surname: string | null }) {
  return [row.forename, row.surname].filter(Boolean).join(' ') || 'Name not given';
}

function cleanText(value: unknown, field: string, label: string, errors: FieldError[]): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') {
    errors.push({ field, message: `Enter ${label} as text` });
    return null;
  }
  const trimmed = value.trim();
  const Label = `${label[0]?.toUpperCase()}${label.slice(1)}`;
  if (trimmed.length > MAX_TEXT)
    errors.push({ field, message: `${Label} must be ${MAX_TEXT} characters or fewer` });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(trimmed))
    errors.push({ field, message: `${Label} must not contain control characters` });
  return trimmed === '' ? null : trimmed;
}

function notFound(id: string): never {
  throw new NotFoundError('Annual review not found', { kind: 'ehc_review_decision', id });
}

/** How a deadline stands on `today`: passed, within the week, or later. */
function deadlineState(dueOn: IsoDate, today: IsoDate): 'overdue' | 'due_week' | 'due' {
  if (compareIsoDates(dueOn, today) < 0) return 'overdue';
  return compareIsoDates(dueOn, addDays(today, 6)) <= 0 ? 'due_week' : 'due';
}

export function createReviewDecisionService(
  database: Database,
  clock: Clock,
  options: { mail: MailContext },
) {
  const { db } = database;

  async function loadDecision(tx: Executor, a: OrganisationActor, decisionId: string, lock = false) {
    if (!UUID.test(decisionId)) notFound(decisionId);
    const found = await findReviewDecision(tx, a.organisationId, decisionId, { lock });
    if (!found) notFound(decisionId);
    const plan = await planSummary(tx, a.organisationId, found.planId);
    if (!plan) notFound(decisionId);
    const actions = reviewDecisionActions(a, found, plan, { ehc: ehcLevel(a) });
    return { found, plan, actions };
  }

  function stale(found: ReviewDecisionRow): never {
    throw new ConflictError(
      'Someone else recorded a decision on this review while you were working on it. Check the decision as it is now.',
      { version: found.version },
    );
  }

  return {
    /**
     * The reviews page: the plans whose review is overdue, due this term or next; the reports waiting for
     * a decision (due four weeks after the meeting); the amendments under way (the amended plan due twelve
     * weeks after the meeting). Counts over everything, one list shown a page at a time. Two statements
     * whatever the size of the authority: the plans due by the end of next term (the review-due index),
     * and the decisions under way.
     */
    async reviews(actor: Actor, filters: ReviewsFilters = {}) {
      const a = requireReader(actor);
      const show: ReviewsShow = isKey(REVIEWS_SHOWS, filters.show) ? filters.show : 'due';
      const schoolId =
        filters.schoolId && UUID.test(filters.schoolId) ? filters.schoolId.toLowerCase() : null;
      const mine = filters.mine === true;
      const today = clock.today();
      const thisTerm = termAround(today);
      const nextTerm = termAfter(today);
      return organisationUnitOfWork(db, a, async (w) => {
        const academicYearStart = academicYearStartOf(today);
        const [plans, underWay, schools, transferring, listsSent] = await Promise.all([
          plansDueBy(w.tx, a.organisationId, nextTerm.endsOn),
          decisionsUnderWay(w.tx, a.organisationId),
          schoolsOfOrganisation(w.tx, a.organisationId),
          finalPlansBornBetween(
            w.tx,
            a.organisationId,
            // This academic year's and, for a school rolled over early, next year's year groups.
            [academicYearStart, academicYearStart + 1].flatMap((start) =>
              TRANSFER_YEARS.map((year) => ({
                from: earliestBirthInNcYear(year, start),
                to: addDays(earliestBirthInNcYear(year - 1, start), -1),
              })),
            ),
          ),
          termListsSent(w.tx, a.organisationId, nextTerm.startsOn),
        ]);
        const kept = <T extends { schoolId: string; caseworkerUserId: string | null }>(r: T) =>
          (!schoolId || r.schoolId === schoolId) && (!mine || r.caseworkerUserId === a.userId);
        // A plan whose report is in (waiting for a decision, or being amended) is not "due" any more.
        const inHand = new Set(underWay.map((d) => d.planId));
        const reviewRows = plans
          .filter((p) => kept(p) && p.reviewDueOn && !inHand.has(p.planId))
          .map((p) => {
            const band = dueBand(p.reviewDueOn as IsoDate, today);
            return {
              kind: 'review' as const,
              planId: p.planId,
              caseId: p.caseId,
              pupilId: p.pupilId,
              schoolId: p.schoolId,
              schoolName: p.schoolName,
              childName: childName(p),
              caseworkerName: p.caseworkerName,
              lastReviewOn: p.lastReviewOn,
              startedOn: p.startedOn,
              dueOn: p.reviewDueOn as IsoDate,
              band,
              bandLabel: DUE_BAND_LABELS[band],
            };
          });
        const decisionRows = underWay
          .filter((d) => kept(d))
          .map((d) => {
            const waiting = d.decision === null;
            const dueOn = waiting
              ? decisionDueOn(d.meetingOn)
              : amendedPlanDueOn(d.meetingOn, d.amendmentSentOn);
            return {
              kind: waiting ? ('decision' as const) : ('amendment' as const),
              decisionId: d.decisionId,
              planId: d.planId,
              caseId: d.caseId,
              pupilId: d.pupilId,
              schoolId: d.schoolId,
              schoolName: d.schoolName,
              childName: childName(d),
              caseworkerName: d.caseworkerName,
              meetingOn: d.meetingOn,
              receivedOn: d.receivedOn,
              decidedOn: d.decidedOn,
              amendmentVersion: d.amendmentVersion,
              dueOn,
              state: deadlineState(dueOn, today),
            };
          });
        // Children in a year of transfer to the next phase: the plan reviewed and amended, naming the next
        // school, by 15 February (31 March from secondary to post-16), the meeting worked back from it.
        const transferRows = transferring
          .filter((p) => kept(p) && (p.birthDate !== null || p.ncYearOverride !== null))
          .flatMap((p) => {
            // The year group as the child's school reckons it (its override and roll-over too).
            const ncYear = effectiveNcYear(
              (p.birthDate ?? today) as IsoDate,
              p.ncYearOverride,
              today,
              p.rolledOverTo,
            );
            const transfer = phaseTransferOf(
              ncYear,
              { lowest: p.lowestNcYear, highest: p.highestNcYear },
              today,
              schoolAcademicYearStart(today, p.rolledOverTo),
            );
            if (!transfer) return [];
            return [
              {
                kind: 'transfer' as const,
                planId: p.planId,
                caseId: p.caseId,
                pupilId: p.pupilId,
                schoolId: p.schoolId,
                schoolName: p.schoolName,
                childName: childName(p),
                caseworkerName: p.caseworkerName,
                ncYearLabel: ncYearLabel(ncYear),
                transferLabel: transfer.label,
                meetingBy: transfer.meetingBy,
                dueOn: transfer.deadline,
                state: deadlineState(transfer.meetingBy, today),
              },
            ];
          });
        const bandOf = (band: DueBand) => reviewRows.filter((r) => r.band === band);
        const decisions = decisionRows.filter((r) => r.kind === 'decision');
        const amendments = decisionRows.filter((r) => r.kind === 'amendment');
        const counts = {
          overdue: bandOf('overdue').length,
          thisTerm: bandOf('this_term').length,
          nextTerm: bandOf('next_term').length,
          decisions: decisions.length,
          decisionsOverdue: decisions.filter((r) => r.state === 'overdue').length,
          amendments: amendments.length,
          amendmentsOverdue: amendments.filter((r) => r.state === 'overdue').length,
          phaseTransfers: transferRows.length,
        };
        const listed =
          show === 'phase_transfers'
            ? transferRows
            : show === 'decisions'
              ? decisions
              : show === 'amendments'
                ? amendments
                : show === 'due'
                  ? reviewRows
                  : bandOf(show);
        // Plans come in due order; decisions and amendments in meeting order, so both by their date due.
        const sorted = [...listed].sort(
          (x, y) => compareIsoDates(x.dueOn, y.dueOn) || x.planId.localeCompare(y.planId),
        );
        const pages = Math.max(1, Math.ceil(sorted.length / REVIEWS_PAGE_SIZE));
        const page = Math.min(Math.max(1, Math.trunc(filters.page ?? 1) || 1), pages);
        const rows = sorted.slice((page - 1) * REVIEWS_PAGE_SIZE, page * REVIEWS_PAGE_SIZE);
        w.audit('annual_reviews.listed', {
          detail: { show, schoolId, mine, rows: rows.length, page },
          shownPupilIds: [...new Set(rows.map((r) => r.pupilId))],
        });
        return {
          show,
          rows,
          total: sorted.length,
          page,
          pages,
          counts,
          filters: { show, schoolId, mine },
          schools: schools.map((s) => ({ id: s.id, name: s.name })),
          terms: { thisTerm, nextTerm },
          // The termly lists to head teachers for next term: sent by themselves from four weeks before it.
          termLists: {
            term: nextTerm.label,
            opensOn: addDays(nextTerm.startsOn, -TERM_LIST_OPENS_DAYS),
            sendBy: termlyListDueOn(nextTerm.startsOn),
            schools: listsSent.length,
            reviews: listsSent.reduce((n, l) => n + l.dueCount, 0),
            lastSentAt: listsSent.reduce<Date | null>(
              (last, l) => (!last || l.sentAt > last ? l.sentAt : last),
              null,
            ),
          },
          // In the autumn the authority says which children transfer next September, and by when.
          autumn: isAutumn(today),
          transferYear: transferYearLabel(today),
          today,
        };
      });
    },

    /** A school's report as received, with the plan it reviews and the decision (or the form's choices). */
    async decisionView(actor: Actor, decisionId: string, options: { audit?: boolean; need?: 'decide' } = {}) {
      const a = requireReader(actor);
      return organisationUnitOfWork(db, a, async (w) => {
        const { found, plan, actions } = await loadDecision(w.tx, a, decisionId);
        if (options.need === 'decide' && !actions.decide)
          throw new ForbiddenError(
            found.decision
              ? 'The decision on this review is recorded: it can no longer be changed'
              : plan.status !== 'final'
                ? 'This plan is no longer in force: there is nothing to decide'
                : 'Your role does not decide on annual reviews',
            'ehc',
          );
        const earlier = (await decisionsOfPlan(w.tx, a.organisationId, found.planId)).filter(
          (d) => d.id !== found.id,
        );
        if (options.audit !== false)
          w.audit('review_decision.viewed', {
            pupilId: plan.pupilId,
            detail: { decisionId, planId: found.planId, schoolId: found.schoolId },
          });
        const today = clock.today();
        const dueOn = decisionDueOn(found.meetingOn);
        return {
          decision: found,
          plan: {
            id: plan.planId,
            caseId: plan.caseId,
            status: plan.status,
            startedOn: plan.startedOn,
            lastReviewOn: plan.lastReviewOn,
            reviewDueOn: plan.reviewDueOn,
            finalVersion: plan.finalVersion,
            latestVersion: plan.latestVersion,
            ceasedOn: plan.ceasedOn,
            ceaseReason: plan.ceaseReason,
          },
          childName: childName(plan),
          schoolName: plan.schoolName,
          caseworkerName: plan.caseworkerName,
          received: (found.received ?? null) as Record<string, unknown> | null,
          decisionDueOn: dueOn,
          decisionState: found.decision ? null : deadlineState(dueOn, today),
          decidedOnTime:
            found.decision && found.decidedOn ? decisionOnTime(found.meetingOn, found.decidedOn) : null,
          amendedPlanDueOn: amendedPlanDueOn(found.meetingOn),
          nextReviewIfKept: keptPlanDates(found.meetingOn).reviewDueOn,
          earlier: earlier.map((d) => ({
            id: d.id,
            meetingOn: d.meetingOn,
            decision: d.decision,
            decidedOn: d.decidedOn,
          })),
          decisions: REVIEW_DECISIONS,
          ceaseReasons: CEASE_REASONS,
          actions,
          version: found.version,
          today,
        };
      });
    },

    /**
     * The authority's decision on a report: keep (the last review is the meeting, the next due within
     * twelve months of it), amend (the same, and the proposed amendments begun as the plan's new version,
     * to be written and sent to the parents with the decision), or cease (the plan ceased on the day of
     * the decision with SEN2's reason). One unit of work with its audit row; a stale form is refused.
     */
    async decide(
      actor: Actor,
      decisionId: string,
      input: {
        version: number;
        decision: string | null;
        decidedOn: string | null;
        reasons: string | null;
        ceaseReason: string | null;
      },
    ): Promise<{ decision: 'keep' | 'amend' | 'cease'; planId: string; amendmentVersion: number | null }> {
      const a = requireReader(actor);
      const today = clock.today();
      return organisationUnitOfWork(db, a, async (w) => {
        const { found, plan, actions } = await loadDecision(w.tx, a, decisionId, true);
        if (found.decision !== null) stale(found);
        if (!actions.decide)
          throw new ForbiddenError(
            plan.status !== 'final'
              ? 'This plan is no longer in force: there is nothing to decide'
              : 'Your role does not decide on annual reviews',
            'ehc',
          );
        if (input.version !== found.version) stale(found);
        const errors: FieldError[] = [];
        const reasons = cleanText(input.reasons, 'reasons', 'the reasons', errors);
        const decidedOn = input.decidedOn === null || input.decidedOn === '' ? null : input.decidedOn;
        if (decidedOn !== null && !isIso(decidedOn))
          errors.push({ field: 'decidedOn', message: 'The date of the decision must be a real date' });
        const given = {
          decision: input.decision,
          decidedOn: decidedOn && isIso(decidedOn) ? decidedOn : null,
          reasons,
          ceaseReason: input.ceaseReason,
        };
        for (const p of decisionProblems(given, { meetingOn: found.meetingOn, today }))
          if (
            !errors.some((e) => e.field === p.field) &&
            !(p.field === 'decidedOn' && decidedOn !== null && !isIso(decidedOn))
          )
            errors.push(p);
        const accepted = acceptedDecision(given);
        if (errors.length > 0 || !accepted || !given.decidedOn) throw new ValidationError(errors);
        const on = given.decidedOn;
        const { decision } = accepted;
        const planKey = { organisationId: a.organisationId, id: plan.planId };
        // A later meeting moves the review dates on; an older report decided late leaves them.
        const newer = !plan.lastReviewOn || compareIsoDates(found.meetingOn, plan.lastReviewOn) > 0;
        let amendmentVersion: number | null = null;
        if (decision === 'cease') {
          // The plan ceases on the day of the decision, with SEN2's reason (the plan service's step).
          await ceasePlan(
            w,
            plan.planId,
            { ceasedOn: on, reason: accepted.ceaseReason as CeaseReason, reasons: given.reasons },
            today,
          );
        } else if (decision === 'amend') {
          // The proposed amendments begin as the plan's new version, copied from the final one: the
          // caseworker writes them and sends them to the parents with this decision.
          amendmentVersion = (
            await startAmendment(w, plan.planId, { reason: 'annual_review', reviewDecisionId: found.id })
          ).number;
        }
        // The review was held: the next is due within twelve months of its meeting (a later meeting
        // moves the dates on; an older report decided late leaves them).
        if (newer)
          await updatePlanAfterDecision(w.tx, planKey, {
            ...(decision === 'cease' ? { lastReviewOn: found.meetingOn } : keptPlanDates(found.meetingOn)),
            remindedFor: null,
          });
        const saved = await saveDecision(
          w.tx,
          { organisationId: a.organisationId, id: found.id, version: found.version },
          {
            decision,
            decidedOn: on,
            reasons,
            ceaseReason: accepted.ceaseReason,
            amendmentVersion,
            decidedBy: a.userId,
            decidedByName: a.name,
          },
        );
        if (!saved) stale(found);
        w.audit('review_decision.decided', {
          pupilId: plan.pupilId,
          detail: {
            decisionId,
            planId: plan.planId,
            schoolId: found.schoolId,
            decision,
            decidedOn: on,
            ceaseReason: accepted.ceaseReason,
            amendmentVersion,
          },
        });
        return { decision, planId: plan.planId, amendmentVersion };
      });
    },

    /**
     * The termly list to head teachers: from four weeks before a term starts (due two weeks before), each
     * head teacher of a school whose pupils' plans fall due for review that term is told how many, with a
     * link to the school's annual reviews; no child is named. Once per school and term: the claim is a row
     * of its own, written with the mail in one transaction, so two runs at once mail once.
     */
    async sendTermLists(today: IsoDate = clock.today()): Promise<number> {
      const term = termListDue(today);
      if (!term) return 0;
      let mailed = 0;
      for (const organisationId of await organisationsWithFinalPlans(db)) {
        const organisation = await findOrganisation(db, organisationId);
        if (organisation?.kind !== 'local_authority') continue;
        const counts = await termCountsBySchool(
          db,
          organisationId,
          { from: term.startsOn, to: term.endsOn },
          today,
        );
        for (const c of counts) {
          if (c.due === 0) continue;
          await db.transaction(async (tx) => {
            const to = await headTeacherEmailsOf(tx, c.schoolId);
            if (to.length === 0) return;
            const claimed = await claimTermList(tx, {
              organisationId,
              schoolId: c.schoolId,
              termStartsOn: term.startsOn,
              dueCount: c.due,
              overdueCount: c.overdue,
            });
            if (!claimed) return;
            for (const address of to) {
              await queueMail(tx, { schoolId: null, organisationId }, address, 'reviews.term_list', {
                from: organisation.name,
                link: `${options.mail.publicUrl}/annual-reviews`,
                count: c.due,
              });
              mailed++;
            }
          });
        }
      }
      if (mailed > 0) options.mail.jobsQueued();
      return mailed;
    },

    /**
     * The caseworker's nightly reminder: how many of their plans' reviews wait for a decision, or for the
     * amended plan, past the day or within the week; naming no child; once per deadline (the plan's
     * `reminded_for` claimed row by row, so two runs at once mail once).
     */
    async remindCaseworkers(today: IsoDate = clock.today()): Promise<number> {
      let mailed = 0;
      for (const organisationId of await organisationsWithDecisionsUnderWay(db)) {
        const rows = await decisionsUnderWay(db, organisationId);
        const byWorker = new Map<string, { planId: string; key: string }[]>();
        for (const d of rows) {
          if (!d.caseworkerUserId) continue;
          const waiting = d.decision === null;
          const dueOn = waiting
            ? decisionDueOn(d.meetingOn)
            : amendedPlanDueOn(d.meetingOn, d.amendmentSentOn);
          if (deadlineState(dueOn, today) === 'due') continue;
          const key = `${waiting ? 'review_decision' : 'amended_plan'}:${d.decisionId}:${dueOn}`;
          byWorker.set(d.caseworkerUserId, [
            ...(byWorker.get(d.caseworkerUserId) ?? []),
            { planId: d.planId, key },
          ]);
        }
        if (byWorker.size === 0) continue;
        const [organisation, workers] = await Promise.all([
          findOrganisation(db, organisationId),
          caseworkersOf(db, organisationId),
        ]);
        for (const [userId, due] of byWorker) {
          const worker = workers.find((x) => x.userId === userId);
          if (!worker) continue;
          await db.transaction(async (tx) => {
            let claimed = 0;
            for (const d of due) if (await claimPlanReminder(tx, organisationId, d.planId, d.key)) claimed++;
            if (claimed === 0) return;
            await queueMail(tx, { schoolId: null, organisationId }, worker.email, 'reviews.due', {
              from: organisation?.name ?? 'the local authority',
              link: `${options.mail.publicUrl}/organisation/reviews?show=decisions&mine=1`,
              count: due.length,
            });
            mailed++;
          });
        }
      }
      if (mailed > 0) options.mail.jobsQueued();
      return mailed;
    },
  };
}

export type ReviewDecisionService = ReturnType<typeof createReviewDecisionService>;
