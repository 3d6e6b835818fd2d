import { rolesLabel } from '../../../domain/access.ts';
import {
  COMPLAINT_KIND_LABELS,
  COMPLAINT_OUTCOME_LABELS,
  COMPLAINT_STAGE_HOLDERS,
  COMPLAINT_STAGE_LABELS,
  responseDueText,
} from '../../../domain/complaints.ts';
import { formatDate } from '../../../domain/dates.ts';
import type { ComplaintService } from '../../../services/complaints/index.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';

type Log = Awaited<ReturnType<ComplaintService['list']>>;
type Page = Awaited<ReturnType<ComplaintService['get']>>;
type Options = Awaited<ReturnType<ComplaintService['formOptions']>>;

/** The record form's choices: each member of staff with their roles ("Sam Senco (SENCo)"). */
export function formOptionsModel(options: Options) {
  return { ...options, staff: options.staff.map((s) => ({ ...s, rolesText: rolesLabel(s.roles) })) };
}

export const kindOptions = Object.entries(COMPLAINT_KIND_LABELS).map(([value, text]) => ({ value, text }));

/** A concern is resolved or withdrawn; a formal complaint upheld, partly upheld, not upheld or withdrawn. */
export const outcomeOptions = (kind: string) =>
  Object.entries(COMPLAINT_OUTCOME_LABELS)
    .filter(([value]) =>
      kind === 'concern' ? ['resolved', 'withdrawn'].includes(value) : value !== 'resolved',
    )
    .map(([value, text]) => ({ value, text }));

/**
 * The log: open ones with an overdue response first, then the other open ones, then the closed (each
 * newest first, as the service gives them); with `overdueOnly`, only the overdue ones.
 */
export function logModel(log: Log, overdueOnly = false) {
  const rank = (c: Log['complaints'][number]) => (c.overdue ? 0 : c.status === 'open' ? 1 : 2);
  const shown = log.complaints
    .filter((c) => !overdueOnly || c.overdue)
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => c);
  return {
    rule: log.rule,
    overdue: log.complaints.filter((c) => c.overdue).length,
    rows: shown.map((c) => ({
      id: c.id,
      receivedOn: formatDate(c.receivedOn),
      kind: COMPLAINT_KIND_LABELS[c.kind],
      complainantName: c.complainantName,
      pupilName: c.pupilName,
      stage: c.kind === 'formal' ? COMPLAINT_STAGE_LABELS[c.stage] : null,
      handledByName: c.status === 'open' ? (c.handledByName ?? null) : null,
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
    stageLabel: c.kind === 'formal' ? COMPLAINT_STAGE_LABELS[c.stage] : 'No stages: an informal concern',
    outcomeLabel: c.outcome ? COMPLAINT_OUTCOME_LABELS[c.outcome] : null,
    nextLabel: page.next ? COMPLAINT_STAGE_LABELS[page.next] : null,
    nextHolder: page.next ? COMPLAINT_STAGE_HOLDERS[page.next] : null,
    /** "Complaint" or "Informal concern", for the page's own words. */
    noun: c.kind === 'formal' ? 'complaint' : 'informal concern',
    pupil: page.pupil,
    aboutNames: page.aboutNames.join(', '),
    actions: page.actions,
    rule: page.rule,
    version: page.version,
    handlers: page.handlers,
    stages: page.stages.map((s) => ({
      label: s.handledByName
        ? `${COMPLAINT_STAGE_LABELS[s.stage]}: handled by ${s.handledByName}`
        : COMPLAINT_STAGE_LABELS[s.stage],
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
