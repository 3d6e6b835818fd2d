import { formatDate } from '../../../domain/dates.ts';
import { CEASE_REASONS, REVIEW_DECISIONS, type ReviewDecision } from '../../../domain/ehc-plan.ts';
import { type AnnualReviewReport, REPORT_FORMAT } from '../../../domain/ehc-review.ts';
import { reportDocument } from '../../../presenters/annual-review.ts';
import {
  REVIEWS_PAGE_SIZE,
  REVIEWS_SHOWS,
  type ReviewDecisionService,
} from '../../../services/ehc/review-decisions.ts';
import { paths } from '../../paths.ts';

type Reviews = Awaited<ReturnType<ReviewDecisionService['reviews']>>;
type DecisionView = Awaited<ReturnType<ReviewDecisionService['decisionView']>>;

export function options<T extends Record<string, string>>(labels: T) {
  return Object.entries(labels).map(([value, text]) => ({ value, text }));
}

const STATE_TAGS = {
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
  due_week: { text: 'Due this week', classes: 'govuk-tag--yellow' },
  due: null,
} as const;

const BAND_TAGS = {
  overdue: 'govuk-tag--red',
  this_term: 'govuk-tag--yellow',
  next_term: 'govuk-tag--blue',
  later: 'govuk-tag--grey',
} as const;

/** The authority's reviews page: counts that link to each list, the filters, one page of the list. */
export function reviewsModel(result: Reviews) {
  const query = (show: string, page = 1) => {
    const q = new URLSearchParams();
    if (show !== 'due') q.set('show', show);
    if (result.filters.schoolId) q.set('school', result.filters.schoolId);
    if (result.filters.mine) q.set('mine', '1');
    if (page > 1) q.set('page', String(page));
    const tail = q.toString();
    return `${paths.organisationReviews.to()}${tail ? `?${tail}` : ''}`;
  };
  const c = result.counts;
  const rows = result.rows.map((r) =>
    r.kind === 'transfer'
      ? {
          kind: r.kind,
          childName: r.childName,
          link: paths.ehcPlan.to({ ehcPlanId: r.planId }),
          schoolName: r.schoolName,
          caseworkerName: r.caseworkerName ?? 'Not given',
          since: `${r.ncYearLabel}: ${r.transferLabel.charAt(0).toLowerCase()}${r.transferLabel.slice(1)}`,
          due: `Review meeting by ${formatDate(r.meetingBy)}; amended plan naming the next school by ${formatDate(r.dueOn)}`,
          tag: STATE_TAGS[r.state],
        }
      : r.kind === 'review'
        ? {
            kind: r.kind,
            childName: r.childName,
            link: paths.ehcPlan.to({ ehcPlanId: r.planId }),
            schoolName: r.schoolName,
            caseworkerName: r.caseworkerName ?? 'Not given',
            since: r.lastReviewOn
              ? `Last reviewed ${formatDate(r.lastReviewOn)}`
              : `Plan issued ${formatDate(r.startedOn)}`,
            due: `Review due by ${formatDate(r.dueOn)}`,
            tag: { text: r.bandLabel, classes: BAND_TAGS[r.band] },
          }
        : {
            kind: r.kind,
            childName: r.childName,
            link:
              r.kind === 'decision'
                ? paths.organisationReviewDecision.to({ reviewDecisionId: r.decisionId })
                : paths.ehcPlan.to({ ehcPlanId: r.planId }),
            schoolName: r.schoolName,
            caseworkerName: r.caseworkerName ?? 'Not given',
            since:
              r.kind === 'decision'
                ? `Meeting ${formatDate(r.meetingOn)}; report received ${formatDate(r.receivedOn)}`
                : `Meeting ${formatDate(r.meetingOn)}; decided to amend ${formatDate(r.decidedOn)}`,
            due:
              r.kind === 'decision'
                ? `Decision due by ${formatDate(r.dueOn)}`
                : `Amended plan due by ${formatDate(r.dueOn)}`,
            tag: STATE_TAGS[r.state],
          },
  );
  const title = REVIEWS_SHOWS[result.show];
  return {
    pageTitle:
      result.pages > 1
        ? `Annual reviews: ${title} (page ${result.page} of ${result.pages})`
        : `Annual reviews: ${title}`,
    listTitle: title,
    rows,
    total: result.total,
    page: result.page,
    pages: result.pages,
    from: (result.page - 1) * REVIEWS_PAGE_SIZE + 1,
    to: (result.page - 1) * REVIEWS_PAGE_SIZE + rows.length,
    previous: result.page > 1 ? query(result.show, result.page - 1) : null,
    next: result.page < result.pages ? query(result.show, result.page + 1) : null,
    counts: [
      { text: 'Reviews overdue', count: c.overdue, href: query('overdue') },
      {
        text: `Due this term (to ${formatDate(result.terms.thisTerm.endsOn)})`,
        count: c.thisTerm,
        href: query('this_term'),
      },
      {
        text: `Due next term (to ${formatDate(result.terms.nextTerm.endsOn)})`,
        count: c.nextTerm,
        href: query('next_term'),
      },
      {
        text:
          c.decisionsOverdue > 0
            ? `Reports waiting for a decision (${c.decisionsOverdue} overdue)`
            : 'Reports waiting for a decision',
        count: c.decisions,
        href: query('decisions'),
      },
      {
        text:
          c.amendmentsOverdue > 0
            ? `Amendments under way (${c.amendmentsOverdue} overdue)`
            : 'Amendments under way',
        count: c.amendments,
        href: query('amendments'),
      },
      {
        text: `Phase transfers in ${result.transferYear}`,
        count: c.phaseTransfers,
        href: query('phase_transfers'),
      },
    ],
    autumn: result.autumn,
    transferYear: result.transferYear,
    termLists: termListsText(result.termLists),
    filters: result.filters,
    shows: options(REVIEWS_SHOWS),
    schools: result.schools,
  };
}

/** The decision page: the school's report as received (read-only), the plan's dates, the decision or its form. */
export function decisionModel(view: DecisionView) {
  const received = view.received as Partial<AnnualReviewReport> | null;
  const report =
    received && received.format === REPORT_FORMAT && received.child && received.meeting
      ? reportDocument(received as AnnualReviewReport)
      : null;
  const d = view.decision;
  return {
    pageTitle: `${view.childName}: annual review of ${formatDate(d.meetingOn)}`,
    view,
    report,
    recommendation: received?.recommendation ?? null,
    decided: d.decision
      ? {
          label: REVIEW_DECISIONS[d.decision as ReviewDecision],
          decidedOn: d.decidedOn,
          by: d.decidedByName,
          reasons: d.reasons,
          ceaseReason: d.ceaseReason ? CEASE_REASONS[d.ceaseReason] : null,
          amendmentVersion: d.amendmentVersion,
          onTime: view.decidedOnTime,
        }
      : null,
    dueTag: view.decisionState ? STATE_TAGS[view.decisionState] : null,
    decisions: options(REVIEW_DECISIONS),
    ceaseReasons: options(CEASE_REASONS),
    planLink: paths.ehcPlan.to({ ehcPlanId: view.plan.id }),
    caseLink: paths.organisationCase.to({ caseId: view.plan.caseId }),
  };
}

/** The message after a decision. */
export function decisionFlash(result: { decision: ReviewDecision; amendmentVersion: number | null }): string {
  if (result.decision === 'keep')
    return 'Decision recorded: the plan is kept, its next review due within twelve months of the meeting.';
  if (result.decision === 'cease') return 'Decision recorded: the plan has ceased.';
  return `Decision recorded: the proposed amendments are version ${result.amendmentVersion} of the plan. Write them, then send them to the parents with the decision.`;
}

/** Where the termly lists to head teachers for next term stand, in a sentence. */
function termListsText(t: {
  term: string;
  opensOn: string;
  sendBy: string;
  schools: number;
  reviews: number;
  lastSentAt: Date | null;
}): string {
  const head = `The termly lists to head teachers for the ${t.term} term`;
  if (t.schools === 0)
    return `${head} go out by themselves from ${formatDate(t.opensOn)}, to reach each school by ${formatDate(t.sendBy)}: none sent yet.`;
  const schools = `${t.schools} school${t.schools === 1 ? '' : 's'}`;
  const reviews = `${t.reviews} review${t.reviews === 1 ? '' : 's'}`;
  const last = t.lastSentAt ? `, the last on ${formatDate(t.lastSentAt.toISOString().slice(0, 10))}` : '';
  return `${head}: sent to ${schools} (${reviews} due)${last}; due by ${formatDate(t.sendBy)}.`;
}
