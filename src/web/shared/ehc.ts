import { formatDate, type IsoDate } from '../../domain/dates.ts';
import {
  EHC_STAGES,
  type EhcStage,
  isKeyOf,
  REQUESTED_BY,
  SCHOOL_REQUEST_STATUSES,
  type SchoolRequestStatus,
  SENT_HOW,
  SENT_HOW_IN_SENTENCE,
} from '../../domain/ehc.ts';
import type { DeadlineStatus } from '../../domain/ehc-clock.ts';
import type { EhcRequestItem } from '../../repositories/ehc-requests.ts';
import type { CaseStanding } from '../../services/ehc/cases.ts';
import { paths } from '../paths.ts';

/*
 * How a school's request for an EHC needs assessment reads wherever it is shown: its own pages, the
 * SENCo's list and the pupil page's panel (where a class teacher sees that one exists and where it
 * stands, and nothing of the pack).
 */

const STATUS_TAG: Record<SchoolRequestStatus, string> = {
  draft: 'govuk-tag--grey',
  sent: 'govuk-tag--blue',
  withdrawn: 'govuk-tag--red',
};

export function requestStatusTag(status: SchoolRequestStatus) {
  return { text: SCHOOL_REQUEST_STATUSES[status], classes: STATUS_TAG[status] };
}

/** Where a sent request stands at the local authority, in a sentence (null when not in a caseload). */
export function standingText(stage: EhcStage | string | null, receivedOn: IsoDate | null): string | null {
  if (!stage) return null;
  const label = isKeyOf(EHC_STAGES, stage) ? EHC_STAGES[stage] : stage;
  return `At the local authority: ${label.toLowerCase()}${receivedOn ? ` (received ${formatDate(receivedOn)})` : ''}`;
}

/** The tag colour of each deadline's status (as the caseload shows them). */
const DEADLINE_TAG: Record<DeadlineStatus, string> = {
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

/**
 * Where a sent request stands at the local authority in brief, for a list or the pupil page: the stage,
 * a flag when deadlines are overdue, and the next deadline with its day.
 */
export function standingBrief(standing: CaseStanding | null) {
  if (!standing) return null;
  return {
    text: standingText(standing.stageLabel, standing.receivedOn),
    overdue: standing.overdue > 0 ? { text: `${standing.overdue} overdue`, classes: 'govuk-tag--red' } : null,
    next: standing.next?.dueOn
      ? `Next deadline: ${standing.next.label.toLowerCase()}, by ${formatDate(standing.next.dueOn)}`
      : null,
  };
}

/** The whole standing, for the request's own page: every deadline, the decisions, the advice asked. */
export function standingDetail(standing: CaseStanding | null) {
  if (!standing) return null;
  return {
    ...standingBrief(standing)!,
    closedOn: standing.closedOn,
    deadlines: standing.deadlines.map((d) => ({
      ...d,
      tag: { text: d.statusLabel, classes: DEADLINE_TAG[d.status] },
    })),
    decisions: standing.decisions,
    advice: standing.adviceAskedOfSchool.map((a) => ({
      ...a,
      tag: { text: a.statusLabel, classes: DEADLINE_TAG[a.status] },
    })),
  };
}

export function sentText(sentAt: string | Date | null, sentHow: string | null): string | null {
  if (!sentAt) return null;
  const day = (typeof sentAt === 'string' ? sentAt : sentAt.toISOString()).slice(0, 10);
  const how = isKeyOf(SENT_HOW, sentHow) ? SENT_HOW_IN_SENTENCE[sentHow] : null;
  return `Sent ${formatDate(day)}${how ? `: ${how}` : ''}`;
}

export function requestedByText(requestedBy: string): string {
  return isKeyOf(REQUESTED_BY, requestedBy) ? REQUESTED_BY[requestedBy] : requestedBy;
}

/** The pupil page's "EHC needs assessment" panel, for those who may read it (null otherwise). */
export function pupilEhcModel(page: {
  pupil: { id: string };
  ehcRequests: readonly EhcRequestItem[];
  ehcReviewActions: readonly { id: string; notes: string | null; createdAt: string; createdByName: string }[];
  ehcPanelActions: { read: boolean; start: boolean };
  ehcStandings?: ReadonlyMap<string, CaseStanding>;
}) {
  const may = page.ehcPanelActions;
  if (!may.read) return null;
  const writing = page.ehcRequests.find((r) => r.status === 'draft');
  return {
    startHref: may.start && !writing ? paths.ehcRequestNew.to({ pupilId: page.pupil.id }) : null,
    fromReviews:
      may.start && !writing
        ? page.ehcReviewActions.map((a) => ({
            ...a,
            href: paths.ehcRequestNew.to({ pupilId: page.pupil.id }, { action: a.id }),
          }))
        : [],
    items: page.ehcRequests.map((r) => ({
      id: r.id,
      href: paths.ehcRequest.to({ ehcRequestId: r.id }),
      statusTag: requestStatusTag(r.status),
      requestedBy: requestedByText(r.requestedBy),
      startedOn: String(r.createdAt).slice(0, 10),
      sent: sentText(r.sentAt, r.sentHow),
      withdrawnOn: r.withdrawnOn,
      standing:
        standingBrief((r.caseId && page.ehcStandings?.get(r.caseId)) || null) ??
        (r.caseStage ? { text: standingText(r.caseStage, r.caseOpenedOn), overdue: null, next: null } : null),
    })),
  };
}
