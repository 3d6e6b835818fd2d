import { addDays, compareIsoDates, formatDate, type IsoDate } from '../../../domain/dates.ts';
import {
  ASSESSMENT_CONSENT_HOW,
  isKeyOf,
  REQUESTED_BY,
  SCHOOL_REQUEST_STATUSES,
  type SchoolRequestStatus,
  TOP_UP_OUTCOMES,
} from '../../../domain/ehc.ts';
import { PACK_SECTIONS } from '../../../domain/ehc-pack.ts';
import { formatPounds } from '../../../domain/money.ts';
import { TOP_UP_REMINDER_DAYS } from '../../../domain/top-up.ts';
import { packAnchor, packDocument } from '../../../presenters/ehc-pack.ts';
import type { EhcRequestRow } from '../../../repositories/ehc-requests.ts';
import type { TopUpListRow } from '../../../repositories/top-up.ts';
import type { EhcRequestService } from '../../../services/ehc/requests.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';
import {
  requestedByText,
  requestStatusTag,
  sentText,
  standingBrief,
  standingDetail,
  standingText,
} from '../../shared/ehc.ts';

/*
 * The request's pages shaped for their templates: the evidence pack's items by section with their
 * "leave this out" and "recent and sufficient" choices, the check of what LAs expect, what must be put
 * right before sending, where it stands; the forms' choices; the SENCo's list.
 */

type RequestPage = Awaited<ReturnType<EhcRequestService['view']>>;
type RequestList = Awaited<ReturnType<EhcRequestService['list']>>;

const ITEM_SECTIONS = ['intervention', 'need', 'parentsViews', 'childsViews'] as const;

/** The request's page (and the send page, which shows the same with the button). */
export function requestPageModel(page: RequestPage) {
  const r = page.request;
  const id = r.id;
  const consentHow = isKeyOf(ASSESSMENT_CONSENT_HOW, r.consentHow)
    ? ASSESSMENT_CONSENT_HOW[r.consentHow]
    : null;
  return {
    pageTitle: `Request for an EHC needs assessment: ${page.pupil.forename} ${page.pupil.surname}`,
    request: r,
    pupil: page.pupil,
    className: page.className,
    pupilHref: paths.pupil.to({ pupilId: r.pupilId }),
    statusTag: requestStatusTag(r.status),
    requestedBy: requestedByText(r.requestedBy),
    requesterName: page.requesterName,
    sent: sentText(r.sentAt, r.sentHow),
    standing: standingDetail(page.standing),
    localAuthority: page.localAuthority,
    consent:
      r.consentOn && page.consentName
        ? `Given by ${page.consentName} on ${formatDate(r.consentOn)}${consentHow ? ` (${consentHow.toLowerCase()})` : ''}${r.consentNote ? `: ${r.consentNote}` : ''}`
        : null,
    actions: page.actions,
    sendProblems: page.sendProblems,
    checks: page.checks,
    missing: page.checks.filter((c) => !c.met),
    /** The items the SENCo may leave out, section by section, with the reports' "sufficient" choice. */
    sections: ITEM_SECTIONS.map((s) => ({
      key: s,
      heading: PACK_SECTIONS[s],
      items: page.items
        .filter((i) => i.section === s)
        .map((i) => ({ ...i, report: i.key.startsWith('report:'), anchor: packAnchor(i.key) })),
    })).filter((s) => s.items.length > 0),
    reportCount: page.reports.length,
    /**
     * The pack as the document the PDF prints too: while it is written, every item, those left out marked
     * (they are not sent); once sent, exactly what was sent.
     */
    document: page.pack ? packDocument(page.pack) : page.packAsSent ? packDocument(page.packAsSent) : null,
    documentLeftOut: page.pack ? r.leftOut : [],
    leftOutCount: r.leftOut.length,
    hrefs: {
      self: paths.ehcRequest.to({ ehcRequestId: id }),
      consent: page.actions.recordConsent ? paths.ehcRequestConsent.to({ ehcRequestId: id }) : null,
      send: page.actions.send ? paths.ehcRequestSend.to({ ehcRequestId: id }) : null,
      withdraw: page.actions.withdraw ? paths.ehcRequestWithdraw.to({ ehcRequestId: id }) : null,
      pdf:
        page.actions.readPack && r.status !== 'withdrawn'
          ? paths.ehcRequestPdf.to({ ehcRequestId: id })
          : null,
      json:
        page.actions.readPack && r.status !== 'withdrawn'
          ? paths.ehcRequestJson.to({ ehcRequestId: id })
          : null,
      list: paths.ehcRequests.to(),
    },
  };
}

/** The form's values from the request as saved. */
export function requestFormValues(r: EhcRequestRow): FormBody {
  return {
    coveringStatement: r.coveringStatement ?? '',
    contactName: r.contactName ?? '',
    contactRole: r.contactRole ?? '',
    contactEmail: r.contactEmail ?? '',
    contactPhone: r.contactPhone ?? '',
    leftOut: r.leftOut,
    sufficient: r.adviceSufficient,
    version: String(r.version),
  };
}

export function consentFormValues(r: EhcRequestRow, today: IsoDate): FormBody {
  return {
    parentId: r.consentParentId ?? r.parentId ?? '',
    how: r.consentHow ?? '',
    note: r.consentNote ?? '',
    ...dateParts('consentOn', r.consentOn ?? today),
    version: String(r.version),
  };
}

export const requesterItems = (values: FormBody, youngPerson: boolean) =>
  (Object.keys(REQUESTED_BY) as (keyof typeof REQUESTED_BY)[])
    .filter((k) => k !== 'young_person' || youngPerson || values.requestedBy === 'young_person')
    .map((k) => ({
      value: k,
      text:
        k === 'school'
          ? 'The school'
          : k === 'parent'
            ? 'A parent or carer: it is their request, in their own words'
            : 'The young person (16 or over)',
      checked: values.requestedBy === k,
    }));

export const consentHowItems = (values: FormBody) =>
  (Object.keys(ASSESSMENT_CONSENT_HOW) as (keyof typeof ASSESSMENT_CONSENT_HOW)[]).map((h) => ({
    value: h,
    text: ASSESSMENT_CONSENT_HOW[h],
    checked: values.how === h,
  }));

export const statusFilterItems = (chosen: SchoolRequestStatus | undefined) => [
  { value: '', text: 'Any', selected: !chosen },
  ...(Object.keys(SCHOOL_REQUEST_STATUSES) as SchoolRequestStatus[]).map((s) => ({
    value: s,
    text: SCHOOL_REQUEST_STATUSES[s],
    selected: chosen === s,
  })),
];

/** The SENCo's list, a page at a time. */
export function requestListModel(list: RequestList, filters: { status?: SchoolRequestStatus }) {
  const lastPage = Math.max(1, Math.ceil(list.total / list.pageSize));
  const query = { status: filters.status };
  return {
    total: list.total,
    page: list.page,
    lastPage,
    filters,
    mayStart: list.mayStart,
    rows: list.rows.map((r) => ({
      ...r,
      href: paths.ehcRequest.to({ ehcRequestId: r.id }),
      pupilHref: paths.pupil.to({ pupilId: r.pupilId }),
      statusTag: requestStatusTag(r.status),
      requestedBy: requestedByText(r.requestedBy),
      startedOn: r.createdAt.toISOString().slice(0, 10),
      sent: sentText(r.sentAt, r.sentHow),
      standing:
        standingBrief(r.standing) ??
        (r.caseStage ? { text: standingText(r.caseStage, null), overdue: null, next: null } : null),
    })),
    topUps: list.topUps.map((t) => topUpRowModel(t, list.today, list.mayOpenTopUps)),
    topUpTotal: list.topUpTotal,
    previous: list.page > 1 ? paths.ehcRequests.to({ ...query, page: list.page - 1 }) : null,
    next: list.page < lastPage ? paths.ehcRequests.to({ ...query, page: list.page + 1 }) : null,
  };
}

/**
 * An application for top-up funding in the SENCo's list: where it stands (being written, sent and
 * waiting, decided with the amount and period, ending soon), linked to its page for those who open it.
 */
export function topUpRowModel(t: TopUpListRow, today: IsoDate, mayOpen: boolean) {
  const asked =
    t.amountPence !== null
      ? `${formatPounds(t.amountPence)} a year${t.periodFrom && t.periodTo ? `, ${formatDate(t.periodFrom)} to ${formatDate(t.periodTo)}` : ''}`
      : null;
  let standing: string;
  let tag: { text: string; classes: string } | null = null;
  if (t.status === 'draft') {
    standing = `Being written (started ${formatDate(t.createdAt.toISOString().slice(0, 10))})`;
  } else if (t.status === 'withdrawn') {
    standing = `Withdrawn${t.withdrawnOn ? ` ${formatDate(t.withdrawnOn)}` : ''}`;
  } else if (t.outcome && t.decidedOn) {
    standing = `${TOP_UP_OUTCOMES[t.outcome]} on ${formatDate(t.decidedOn)}${t.decidedAmountPence !== null ? `: ${formatPounds(t.decidedAmountPence)} a year` : ''}${t.fundedFrom && t.fundedUntil ? `, ${formatDate(t.fundedFrom)} to ${formatDate(t.fundedUntil)}` : ''}${t.band ? ` (band ${t.band})` : ''}`;
    if (t.outcome !== 'refused' && t.fundedUntil) {
      if (compareIsoDates(t.fundedUntil, today) < 0) tag = { text: 'Ended', classes: 'govuk-tag--grey' };
      else if (compareIsoDates(t.fundedUntil, addDays(today, TOP_UP_REMINDER_DAYS)) <= 0)
        tag = { text: 'Ends soon', classes: 'govuk-tag--orange' };
    }
  } else {
    standing = `${sentText(t.sentAt, t.sentHow) ?? 'Sent'}: waiting for the local authority’s decision`;
  }
  return {
    id: t.id,
    pupil: `${t.forename} ${t.surname}`,
    className: t.className,
    href: mayOpen ? paths.topUp.to({ topUpId: t.id }) : null,
    pupilHref: paths.pupil.to({ pupilId: t.pupilId }),
    statusTag: requestStatusTag(t.status),
    asked,
    standing,
    tag,
  };
}
