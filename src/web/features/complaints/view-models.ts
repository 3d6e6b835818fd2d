import {
  COMPLAINT_KIND_LABELS,
  COMPLAINT_OUTCOME_LABELS,
  COMPLAINT_STAGE_LABELS,
  responseDueText,
} from '../../../domain/complaints.ts';
import { formatDate } from '../../../domain/dates.ts';
import type { ComplaintService } from '../../../services/complaints/index.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';

type Log = Awaited<ReturnType<ComplaintService['list']>>;
type Page = Awaited<ReturnType<ComplaintService['get']>>;

export const kindOptions = Object.entries(COMPLAINT_KIND_LABELS).map(([value, text]) => ({ value, text }));

/** A concern is resolved or withdrawn; a formal complaint upheld, partly upheld, not upheld or withdrawn. */
export const outcomeOptions = (kind: string) =>
  Object.entries(COMPLAINT_OUTCOME_LABELS)
    .filter(([value]) =>
      kind === 'concern' ? ['resolved', 'withdrawn'].includes(value) : value !== 'resolved',
    )
    .map(([value, text]) => ({ value, text }));

export function logModel(log: Log) {
  return {
    rule: log.rule,
    overdue: log.complaints.filter((c) => c.overdue).length,
    rows: log.complaints.map((c) => ({
      id: c.id,
      receivedOn: formatDate(c.receivedOn),
      kind: COMPLAINT_KIND_LABELS[c.kind],
      complainantName: c.complainantName,
      pupilName: c.pupilName,
      stage: c.kind === 'formal' ? COMPLAINT_STAGE_LABELS[c.stage] : 'Informal',
      status:
        c.status === 'closed' ? `Closed: ${c.outcome ? COMPLAINT_OUTCOME_LABELS[c.outcome] : ''}` : 'Open',
      due:
        c.status === 'open' && c.responseDueOn
          ? responseDueText(
              { responseDueOn: c.responseDueOn, respondedOn: c.respondedOn },
              log.today,
              formatDate,
            )
          : '',
      overdue: c.overdue,
    })),
  };
}

export function complaintPageModel(page: Page) {
  const c = page.complaint;
  return {
    complaint: c,
    kindLabel: COMPLAINT_KIND_LABELS[c.kind],
    stageLabel: c.kind === 'formal' ? COMPLAINT_STAGE_LABELS[c.stage] : 'Informal',
    outcomeLabel: c.outcome ? COMPLAINT_OUTCOME_LABELS[c.outcome] : null,
    nextLabel: page.next ? COMPLAINT_STAGE_LABELS[page.next] : null,
    pupil: page.pupil,
    aboutNames: page.aboutNames.join(', '),
    actions: page.actions,
    rule: page.rule,
    version: page.version,
    handlers: page.handlers,
    stages: page.stages.map((s) => ({
      label: s.label,
      startedOn: formatDate(s.startedOn),
      handledByName: s.handledByName ?? 'Not yet chosen',
      due: responseDueText(s, page.today, formatDate),
      dueOn: formatDate(s.responseDueOn),
      overdue: s.overdue,
      response: s.response,
      respondedOn: s.respondedOn ? formatDate(s.respondedOn) : null,
    })),
  };
}

export function complaintFormValues(c: Page['complaint']): FormBody {
  return {
    kind: c.kind,
    complainantName: c.complainantName,
    complainantRelationship: c.complainantRelationship ?? '',
    pupilId: c.pupilId ?? '',
    summary: c.summary,
    aboutUserIds: c.aboutUserIds,
    version: String(c.version),
    ...dateParts('receivedOn', c.receivedOn),
  };
}
