import { formatDate, type IsoDate } from '../../../domain/dates.ts';
import {
  SCHOOL_REQUEST_STATUSES,
  TOP_UP_OUTCOMES,
  TOP_UP_STAGES,
  type TopUpStage,
} from '../../../domain/ehc.ts';
import { formatPounds } from '../../../domain/money.ts';
import { topUpDocument } from '../../../presenters/top-up.ts';
import type { Services } from '../../../services/index.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';

/*
 * The pages of high-needs top-up funding shaped for their templates: the school's application with its
 * form, its sending and withdrawing; the local authority's decision. The application's document (the
 * same one the PDF prints) comes from presenters/top-up.ts.
 */

type ApplicationPage = Awaited<ReturnType<Services['topUp']['view']>>;
type DecisionPage = Awaited<ReturnType<Services['topUp']['decisionPage']>>;
type Decision = NonNullable<ApplicationPage['decision']>;

const pounds = (pence: number | null | undefined) =>
  pence === null || pence === undefined ? '' : formatPounds(pence);
const period = (from: IsoDate | null, to: IsoDate | null) =>
  from && to ? `${formatDate(from)} to ${formatDate(to)}` : 'Not given';

/** The local authority's decision as rows of a summary list. */
export function decisionRows(d: Decision) {
  return [
    { key: { text: 'Decision' }, value: { text: `${d.outcomeText}, on ${formatDate(d.decidedOn)}` } },
    ...(d.amountPence !== null
      ? [
          { key: { text: 'Top-up agreed, a year' }, value: { text: formatPounds(d.amountPence) } },
          { key: { text: 'Funded' }, value: { text: period(d.fundedFrom, d.fundedUntil) } },
        ]
      : []),
    ...(d.band ? [{ key: { text: 'Band' }, value: { text: d.band } }] : []),
    ...(d.conditions ? [{ key: { text: 'Conditions' }, value: { text: d.conditions } }] : []),
    ...(d.reasons ? [{ key: { text: 'Reasons' }, value: { text: d.reasons } }] : []),
    { key: { text: 'Recorded by' }, value: { text: d.decidedByName } },
  ];
}

export function applicationPageModel(page: ApplicationPage) {
  const id = page.application.id;
  const name = `${page.pupil.forename} ${page.pupil.surname}`;
  return {
    pageTitle: `Top-up funding application: ${name}`,
    name,
    statusText: SCHOOL_REQUEST_STATUSES[page.application.status],
    backHref: paths.pupil.to({ pupilId: page.pupil.id }, '#provision'),
    formAction: paths.topUp.to({ topUpId: id }),
    sendHref: paths.topUpSend.to({ topUpId: id }),
    withdrawHref: paths.topUpWithdraw.to({ topUpId: id }),
    pdfHref: paths.topUpPdf.to({ topUpId: id }),
    jsonHref: paths.topUpJson.to({ topUpId: id }),
    decision: page.decision ? decisionRows(page.decision) : null,
    document: topUpDocument(page.data, {
      status: page.application.status,
      sentAt: page.application.sentAt,
      sentByName: page.application.sentByName,
      sentHow: page.application.sentHow,
      decided: page.decision
        ? `${page.decision.outcomeText.toLowerCase()}, on ${formatDate(page.decision.decidedOn)}`
        : null,
    }),
    waiting:
      page.application.status === 'sent' && page.application.sentHow === 'local_authority' && !page.decision,
  };
}

export function applicationFormValues(page: ApplicationPage): FormBody {
  const r = page.application;
  return {
    version: String(r.version),
    amount: pounds(r.amountPence),
    ...dateParts('periodFrom', r.periodFrom),
    ...dateParts('periodTo', r.periodTo),
    rationale: r.rationale ?? '',
  };
}

export function decisionPageModel(page: DecisionPage) {
  const name = `${page.received.pupil.forename} ${page.received.pupil.surname}`;
  return {
    pageTitle: `Decision on top-up funding: ${name}`,
    name,
    stageText: TOP_UP_STAGES[page.case.stage as TopUpStage] ?? page.case.stage,
    receivedOn: formatDate(page.case.openedOn),
    formAction: paths.caseTopUpDecision.to({ caseId: page.case.id }),
    caseHref: paths.organisationCase.to({ caseId: page.case.id }),
    decision: page.decision ? decisionRows(page.decision) : null,
    document: topUpDocument(page.received, { status: 'sent', sentAt: null, sentByName: null, sentHow: null }),
  };
}

/** A fresh decision form: the current decision, else what the school asked for. */
export function decisionFormValues(page: DecisionPage): FormBody {
  const d = page.decision;
  const asked = page.received.request;
  return {
    version: String(page.version),
    outcome: d?.outcome ?? '',
    amount: pounds(d ? d.amountPence : asked.amountPence),
    band: d?.band ?? '',
    conditions: d?.conditions ?? '',
    reasons: d?.reasons ?? '',
    ...(d ? dateParts('decidedOn', d.decidedOn) : {}),
    ...dateParts('fundedFrom', d ? d.fundedFrom : asked.periodFrom),
    ...dateParts('fundedUntil', d ? d.fundedUntil : asked.periodTo),
  };
}

export function outcomeItems(values: FormBody) {
  return Object.entries(TOP_UP_OUTCOMES).map(([value, text]) => ({
    value,
    text,
    checked: values.outcome === value,
  }));
}
