import { CASE_KINDS } from '../../../domain/cases.ts';
import { formatDate } from '../../../domain/dates.ts';
import { CASE_DECISIONS, type CaseDecisionKind, EXCEPTION_GROUNDS } from '../../../domain/ehc.ts';
import {
  DEADLINE_STATUS_LABELS,
  type DeadlineStatus,
  EXCEPTION_REGULATIONS,
} from '../../../domain/ehc-clock.ts';
import { packDocument } from '../../../presenters/ehc-pack.ts';
import type { CaseloadService } from '../../../services/ehc/cases.ts';
import { CASELOAD_PAGE_SIZE, CASELOAD_SHOWS } from '../../../services/ehc/cases.ts';
import { paths } from '../../paths.ts';

type Caseload = Awaited<ReturnType<CaseloadService['caseload']>>;
type CaseView = Awaited<ReturnType<CaseloadService['caseView']>>;
type Sen2 = Awaited<ReturnType<CaseloadService['sen2Figures']>>;

export function options<T extends Record<string, string>>(labels: T) {
  return Object.entries(labels).map(([value, text]) => ({ value, text }));
}

/** The tag colour of each status (GOV.UK tag classes). */
const STATUS_TAGS: Record<DeadlineStatus, string> = {
  met: 'govuk-tag--green',
  late: 'govuk-tag--red',
  due: 'govuk-tag--blue',
  overdue: 'govuk-tag--red',
  excused: 'govuk-tag--yellow',
  running: 'govuk-tag--blue',
  given: 'govuk-tag--green',
  breached: 'govuk-tag--red',
  not_applicable: 'govuk-tag--grey',
};

export function caseloadModel(result: Caseload) {
  const rows = result.rows.map((r) => {
    const link =
      r.kind === 'top_up_funding'
        ? paths.caseTopUpDecision.to({ caseId: r.id })
        : paths.organisationCase.to({ caseId: r.id });
    const urgency =
      r.overdue > 0
        ? { text: `${r.overdue} overdue`, classes: 'govuk-tag--red' }
        : r.dueThisWeek > 0
          ? { text: 'Due this week', classes: 'govuk-tag--yellow' }
          : null;
    return {
      ...r,
      link,
      urgency,
      next: r.next
        ? `${r.next.label}: ${formatDate(r.next.dueOn)}`
        : r.kind === 'top_up_funding'
          ? 'A decision'
          : 'Nothing due',
    };
  });
  // The links to the pages before and after, keeping the filters.
  const pageLink = (page: number) => {
    const query = new URLSearchParams();
    if (result.filters.show !== 'open') query.set('show', result.filters.show);
    if (result.filters.kind) query.set('kind', result.filters.kind);
    if (result.filters.schoolId) query.set('school', result.filters.schoolId);
    if (page > 1) query.set('page', String(page));
    const tail = query.toString();
    return `${paths.caseload.to()}${tail ? `?${tail}` : ''}`;
  };
  return {
    pageTitle: result.pages > 1 ? `Caseload (page ${result.page} of ${result.pages})` : 'Caseload',
    rows,
    page: result.page,
    pages: result.pages,
    total: result.total,
    /** Where this page's cases fall in the whole list ("51 to 100 of 355"). */
    from: (result.page - 1) * CASELOAD_PAGE_SIZE + 1,
    to: (result.page - 1) * CASELOAD_PAGE_SIZE + rows.length,
    previous: result.page > 1 ? pageLink(result.page - 1) : null,
    next: result.page < result.pages ? pageLink(result.page + 1) : null,
    counts: result.counts,
    filters: result.filters,
    shows: options(CASELOAD_SHOWS),
    kinds: options(CASE_KINDS),
    schools: result.schools,
    today: result.today,
  };
}

export function casePageModel(view: CaseView) {
  const clock = view.clock;
  const exceptionByKey = new Map((clock?.exceptions ?? []).map((e) => [e.key, e]));
  const exceptionName = (key: string) => {
    const e = exceptionByKey.get(key);
    if (!e) return key;
    return e.found
      ? `the school’s closure (${EXCEPTION_REGULATIONS.school_closure})`
      : EXCEPTION_GROUNDS[e.ground].toLowerCase();
  };
  const deadlines = (clock?.deadlines ?? []).map((d) => ({
    ...d,
    statusLabel: DEADLINE_STATUS_LABELS[d.status],
    tag: STATUS_TAGS[d.status],
    excusedBy: d.exceptions.map(exceptionName),
    adviceLink: d.adviceId ? paths.caseAdvice.to({ caseId: view.case.id, adviceId: d.adviceId }) : null,
  }));
  const deadlineNames = new Map(deadlines.map((d) => [d.key, d.label]));
  const exceptions = (clock?.exceptions ?? []).map((e) => {
    const recorded = view.exceptions.find((x) => x.id === e.key);
    return {
      ...e,
      groundLabel: EXCEPTION_GROUNDS[e.ground],
      regulations: EXCEPTION_REGULATIONS[e.ground],
      note: recorded?.note ?? null,
      recordedByName: recorded?.recordedByName ?? null,
      excusesNames: e.excuses.map((k) => deadlineNames.get(k) ?? k),
      endLink:
        !e.found && !e.to && view.actions.change
          ? paths.caseExceptionEnd.to({ caseId: view.case.id, exceptionId: e.key })
          : null,
    };
  });
  const received = view.received as {
    child?: { forename?: string; surname?: string; birthDate?: string; upn?: string; ncYear?: number };
    school?: { name?: string };
    coveringStatement?: string | null;
    moreInformation?: { coveringStatement?: string | null };
    checklist?: { expectation: string; met: boolean; detail: string }[];
    requestedBy?: string;
    parentRequest?: string | null;
    completedBy?: { name?: string; role?: string | null; email?: string | null; phone?: string | null };
  } | null;
  // The covering statement: in the pack's "more information" (or at the top of an older copy).
  const coveringStatement =
    received?.moreInformation?.coveringStatement ?? received?.coveringStatement ?? null;
  const childName = view.pupil
    ? `${view.pupil.forename} ${view.pupil.surname}`
    : received?.child?.forename
      ? `${received.child.forename} ${received.child.surname ?? ''}`.trim()
      : 'The child';
  return {
    pageTitle: `${childName}: ${view.kindLabel}`,
    childName,
    view,
    caseId: view.case.id,
    deadlines,
    exceptions,
    received,
    coveringStatement,
    decisions: view.decisions,
    // Each advice row with its own deadline (the clock keys advice deadlines by the advice's id).
    advice: view.advice.map((a) => ({
      ...a,
      due: deadlines.find((d) => d.adviceId === a.id) ?? null,
    })),
    actions: view.actions,
    twentyWeeks: deadlines.find((d) => d.kind === 'final') ?? null,
    packDocument: view.receivedPack ? packDocument(view.receivedPack) : null,
    caseworkerName: view.caseworkers.find((w) => w.userId === view.case.caseworkerUserId)?.name ?? null,
  };
}

/** The message after a decision: its words as written ("an EHC needs assessment"), in a sentence. */
export function decisionFlash(kind: CaseDecisionKind): string {
  const label = CASE_DECISIONS[kind];
  return `Decision recorded: ${label.charAt(0).toLowerCase()}${label.slice(1)}.`;
}

export function sen2Model(figures: Sen2) {
  return {
    pageTitle: `EHC needs assessments in ${figures.year}: figures for SEN2`,
    ...figures,
  };
}
