import { ncYearLabel } from '../../../domain/calendar.ts';
import { formatDate } from '../../../domain/dates.ts';
import {
  ANNUAL_REVIEW_STATUSES,
  type AnnualReviewStatus,
  OUTCOME_PROGRESS,
  PLAN_SECTION_KEYS,
  PLAN_SECTION_SHORT,
  PROVISION_DELIVERY,
  REVIEW_DECISIONS,
  REVIEW_INVITEES,
} from '../../../domain/ehc-plan.ts';
import { INVITATION_HOW, provisionRef } from '../../../domain/ehc-review.ts';
import { REVIEW_STEP_STATUS_LABELS, type ReviewStepStatus } from '../../../domain/ehc-review-clock.ts';
import { reportDocument } from '../../../presenters/annual-review.ts';
import type { AnnualReviewService } from '../../../services/ehc/annual-reviews.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';

type ReviewPage = Awaited<ReturnType<AnnualReviewService['view']>>;
type Overview = Awaited<ReturnType<AnnualReviewService['overview']>>;

/** Empty rows a list form offers to add to. */
export const EXTRA_ROWS = 2;

const STATUS_TAG_CLASSES: Record<AnnualReviewStatus, string> = {
  arranging: 'govuk-tag--blue',
  held: 'govuk-tag--yellow',
  sent: 'govuk-tag--green',
  cancelled: 'govuk-tag--grey',
};
const STEP_TAG_CLASSES: Record<ReviewStepStatus, string> = {
  met: 'govuk-tag--green',
  late: 'govuk-tag--orange',
  due: 'govuk-tag--blue',
  overdue: 'govuk-tag--red',
  waiting: 'govuk-tag--grey',
};

export const statusTag = (s: AnnualReviewStatus) => ({
  text: ANNUAL_REVIEW_STATUSES[s],
  classes: STATUS_TAG_CLASSES[s],
});

const options = (labels: Record<string, string>, selected: unknown, blank: string | null = null) => [
  ...(blank !== null ? [{ value: '', text: blank, selected: !selected }] : []),
  ...Object.entries(labels).map(([value, text]) => ({ value, text, selected: selected === value })),
];

export function overviewModel(o: Overview) {
  const row = (r: Overview['overdue'][number]) => ({
    name: r.name,
    year: ncYearLabel(r.ncYear),
    dueOn: formatDate(r.dueOn),
    plan: r.source === 'local_authority' ? 'The local authority’s plan' : `A plan from ${r.localAuthority}`,
    href:
      r.review && r.review.status !== 'sent' ? paths.annualReview.to({ annualReviewId: r.review.id }) : null,
    reviewHref: r.review ? paths.annualReview.to({ annualReviewId: r.review.id }) : null,
    startHref: paths.annualReviewNew.to({ pupilId: r.pupilId }),
    meetingOn: r.review?.meetingOn ? formatDate(r.review.meetingOn) : null,
    reportDueOn: r.review?.reportDueOn ? formatDate(r.review.reportDueOn) : null,
    transfer: r.phaseTransfer
      ? {
          label: r.phaseTransfer.label,
          deadline: formatDate(r.phaseTransfer.deadline),
          meetingBy: formatDate(r.phaseTransfer.meetingBy),
          note: r.phaseTransfer.note,
        }
      : null,
    underFive: r.underFive,
  });
  return {
    overdue: o.overdue.map(row),
    thisTerm: o.thisTerm.map(row),
    nextTerm: o.nextTerm.map(row),
    arranging: o.arranging.map(row),
    toSend: o.toSend.map(row),
    waiting: o.waiting.map(row),
    phaseTransfers: o.phaseTransfers.map(row),
    autumn: o.autumn,
    total: o.total,
  };
}

export function reviewPageModel(page: ReviewPage) {
  const r = page.review;
  const name = `${page.pupil.forename} ${page.pupil.surname}`;
  const id = { annualReviewId: r.id };
  return {
    name,
    pageTitle: `Annual review: ${name}`,
    statusTag: statusTag(r.status),
    backHref: page.actions.readReport ? paths.annualReviews.to({}) : paths.pupil.to({ pupilId: r.pupilId }),
    pupilHref: paths.pupil.to({ pupilId: r.pupilId }),
    meetingHref: paths.annualReviewMeeting.to(id),
    sendHref: paths.annualReviewSend.to(id),
    cancelHref: paths.annualReviewCancel.to(id),
    pdfHref: paths.annualReviewPdf.to(id),
    jsonHref: paths.annualReviewJson.to(id),
    formAction: paths.annualReview.to(id),
    facts: [
      { key: { text: 'Where it stands' }, value: { text: ANNUAL_REVIEW_STATUSES[r.status] } },
      { key: { text: 'Due by' }, value: { text: formatDate(r.dueOn) } },
      {
        key: { text: 'Meeting' },
        value: {
          text: r.meetingOn
            ? [formatDate(r.meetingOn), r.meetingTime, r.meetingPlace].filter(Boolean).join(', ')
            : 'Not yet arranged',
        },
      },
      ...(r.phaseTransfer
        ? [
            {
              key: { text: 'Phase transfer' },
              value: {
                text: r.nextSchool ? `Yes: to ${r.nextSchool}` : 'Yes: the next school not yet named',
              },
            },
          ]
        : []),
    ],
    timetable: page.timetable.map((s) => ({
      label: s.label,
      regulation: s.regulation,
      dueOn: s.dueOn ? formatDate(s.dueOn) : '',
      doneOn: s.doneOn ? formatDate(s.doneOn) : '',
      tag: { text: REVIEW_STEP_STATUS_LABELS[s.status], classes: STEP_TAG_CLASSES[s.status] },
      note: s.note,
    })),
    invitations: page.invitations.map((i) => ({
      who: REVIEW_INVITEES[i.invitee],
      name: i.name,
      how: INVITATION_HOW[i.how],
      sentOn: i.sentOn ? formatDate(i.sentOn) : 'Not sent yet',
      warning: i.notice?.warning ?? null,
    })),
    advice: page.advice.map((a) => ({
      from: a.from,
      askedOn: a.askedOn ? formatDate(a.askedOn) : '',
      receivedOn: a.receivedOn ? formatDate(a.receivedOn) : 'Not yet',
      circulatedOn: a.circulatedOn ? formatDate(a.circulatedOn) : 'Not yet',
      warning:
        a.notice && !a.notice.enough
          ? `Circulated ${a.notice.days} days before the meeting: less than two weeks`
          : null,
    })),
    problems: page.problems.map((p) => ({
      text: p.message,
      // The meeting's date and the next school are arranged on the review's page; the rest is the meeting's.
      href:
        p.field === 'meetingOn' || p.field === 'nextSchool'
          ? `${paths.annualReview.to(id)}#${p.field}`
          : `${paths.annualReviewMeeting.to(id)}#${p.field}`,
    })),
    decision: page.decision?.decision
      ? {
          text: REVIEW_DECISIONS[page.decision.decision],
          decidedOn: formatDate(page.decision.decidedOn),
          reasons: page.decision.reasons,
        }
      : null,
    waiting: r.status === 'sent' && r.sentHow === 'local_authority' && !page.decision?.decision,
    report: page.sentReport ? reportDocument(page.sentReport) : null,
    sentOn: r.sentAt ? formatDate(r.sentAt.toISOString().slice(0, 10)) : null,
    inviteeItems: (v: unknown) => options(REVIEW_INVITEES, v, 'Choose who'),
    howItems: (v: unknown) => options(INVITATION_HOW, v, 'Choose how'),
  };
}

/** The arrangements form's values from the review as saved. */
export function arrangementValues(page: ReviewPage): FormBody {
  const r = page.review;
  const values: FormBody = {
    version: String(r.version),
    ...dateParts('meetingOn', r.meetingOn),
    meetingTime: r.meetingTime ?? '',
    meetingPlace: r.meetingPlace ?? '',
    phaseTransfer: r.phaseTransfer ? 'yes' : '',
    nextSchool: r.nextSchool ?? '',
  };
  const record = page.record;
  record?.invitations.forEach((i, n) => {
    values[`invitee-${n}`] = i.invitee;
    values[`inviteName-${n}`] = i.name;
    values[`inviteHow-${n}`] = i.how;
    Object.assign(values, dateParts(`inviteSent-${n}`, i.sentOn));
  });
  record?.advice.forEach((a, n) => {
    values[`adviceFrom-${n}`] = a.from;
    Object.assign(values, dateParts(`adviceAsked-${n}`, a.askedOn));
    Object.assign(values, dateParts(`adviceReceived-${n}`, a.receivedOn));
    Object.assign(values, dateParts(`adviceCirculated-${n}`, a.circulatedOn));
  });
  values.invitationRows = String((record?.invitations.length ?? 0) + EXTRA_ROWS);
  values.adviceRows = String((record?.advice.length ?? 0) + EXTRA_ROWS);
  return values;
}

/** How many rows of each list the arrangements form shows, from its values (the user's, when shown again). */
export const rowCount = (values: FormBody, name: string, fallback: number) => {
  const v = values[name];
  const n = typeof v === 'string' && /^\d{1,2}$/.test(v) ? Number(v) : fallback;
  return Array.from({ length: Math.min(n, 40) }, (_, i) => i);
};

/** The meeting form: each outcome of E and each item of provision, with the choices for each. */
export function meetingModel(page: ReviewPage) {
  const plan = page.plan;
  return {
    outcomes: (plan?.outcomes ?? []).map((o, i) => ({
      index: i,
      id: o.id,
      ref: `E${i + 1}`,
      text: o.text,
      by: o.by ? formatDate(o.by) : null,
    })),
    provision: (plan?.provision ?? []).map((p, i, all) => ({
      index: i,
      id: p.id,
      ref: provisionRef(all, i),
      what: p.what,
      detail: `${p.who}; ${p.frequency}; ${p.duration}`,
    })),
    radioItems: (labels: Record<string, string>, selected: unknown) =>
      Object.entries(labels).map(([value, text]) => ({ value, text, checked: selected === value })),
    progressLabels: OUTCOME_PROGRESS,
    deliveryLabels: PROVISION_DELIVERY,
    decisionLabels: REVIEW_DECISIONS,
    sectionItems: (v: unknown) =>
      options(
        Object.fromEntries(PLAN_SECTION_KEYS.map((k) => [k, PLAN_SECTION_SHORT[k]])),
        v,
        'Choose a section',
      ),
    inviteeItems: (v: unknown) => options(REVIEW_INVITEES, v, 'Choose who'),
  };
}

export function meetingValues(page: ReviewPage): FormBody {
  const record = page.record;
  const values: FormBody = {
    version: String(page.review.version),
    pupilViews: record?.pupilViews ?? '',
    parentViews: record?.parentViews ?? '',
    recommendation: record?.recommendation ?? '',
    recommendationReasons: record?.recommendationReasons ?? '',
    held: page.review.status === 'held' ? 'yes' : '',
  };
  const attendees = record?.attendees ?? [];
  attendees.forEach((a, n) => {
    values[`attendee-${n}`] = a.invitee;
    values[`attendeeName-${n}`] = a.name;
  });
  values.attendeeRows = String(attendees.length + EXTRA_ROWS + (attendees.length === 0 ? 2 : 0));
  (page.plan?.outcomes ?? []).forEach((o, n) => {
    const saved = record?.outcomeReviews.find((x) => x.outcomeId === o.id);
    values[`outcomeId-${n}`] = o.id;
    values[`progress-${n}`] = saved?.progress ?? '';
    values[`evidence-${n}`] = saved?.evidence ?? '';
  });
  (page.plan?.provision ?? []).forEach((p, n) => {
    const saved = record?.provisionReviews.find((x) => x.provisionId === p.id);
    values[`provisionId-${n}`] = p.id;
    values[`delivery-${n}`] = saved?.delivery ?? '';
    values[`comment-${n}`] = saved?.comment ?? '';
  });
  const changes = record?.proposedChanges ?? [];
  changes.forEach((c, n) => {
    values[`changeSection-${n}`] = c.section;
    values[`changeText-${n}`] = c.text;
  });
  values.changeRows = String(changes.length + EXTRA_ROWS);
  return values;
}
