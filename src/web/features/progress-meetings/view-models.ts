import { needLabel } from '../../../domain/census.ts';
import { formatDate } from '../../../domain/dates.ts';
import { MEETING_DECISION_LABELS, MEETING_DECISIONS } from '../../../domain/progress-meetings.ts';
import { STAGE_LABELS } from '../../../domain/register.ts';
import type { ProgressMeetingService } from '../../../services/progress-meetings/index.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';

type MeetingPage = Awaited<ReturnType<ProgressMeetingService['meeting']>>;
type MeetingList = Awaited<ReturnType<ProgressMeetingService['list']>>;
type Decision = NonNullable<MeetingPage['pupils'][number]['decision']>;

export function meetingListModel(list: MeetingList) {
  return {
    current: list.current,
    classes: list.classes.map((c) => ({
      ...c,
      teachersText: c.teachers.length ? c.teachers.join(', ') : 'No teacher yet',
      statusText: !c.meeting
        ? 'Not prepared'
        : c.meeting.status === 'held'
          ? `Held on ${formatDate(c.meeting.heldOn)}: ${c.meeting.decisions} ${c.meeting.decisions === 1 ? 'decision' : 'decisions'}, ${c.meeting.openActions} open ${c.meeting.openActions === 1 ? 'action' : 'actions'}`
          : 'Prepared, not yet held',
    })),
    earlier: list.earlier.filter((h) => h.meetings.length > 0),
  };
}

/** "Done on 3 December 2026", "Due by 11 December 2026 (overdue)", "No action". */
export function actionText(d: Decision | null): string {
  if (!d) return '';
  if (!d.actionOwnerId && !d.actionDueOn) return 'No action given';
  const who = d.actionOwnerName ?? 'someone';
  if (d.actionDoneAt) return `${who}: done`;
  return `${who}, by ${formatDate(d.actionDueOn)}${d.overdue ? ' (overdue)' : ''}`;
}

/** The choices of a decision (the template marks the one in the form's values). */
export const DECISION_CHOICES = [
  { value: '', text: 'Not discussed' },
  ...MEETING_DECISIONS.map((d) => ({ value: d, text: MEETING_DECISION_LABELS[d] })),
];

export function meetingPageModel(page: MeetingPage) {
  return {
    decisionChoices: DECISION_CHOICES,
    attendeeItems: page.attendeeChoices.map((c) => ({
      value: c.userId,
      text: `${c.name} (${c.roles.join(', ')})`,
    })),
    ownerItems: [
      { value: '', text: 'No one' },
      ...page.ownerChoices.map((o) => ({ value: o.userId, text: o.name })),
    ],
    pupilRows: page.pupils.map((p) => {
      return {
        ...p,
        name: `${p.forename} ${p.surname}${p.preferredName ? ` (${p.preferredName})` : ''}`,
        stageText: p.senStage === 'none' ? 'Not on the register' : STAGE_LABELS[p.senStage],
        needText: p.primaryNeed ? needLabel(p.primaryNeed) : null,
        attendanceText: p.attendancePercent === null ? 'Not recorded' : `${p.attendancePercent}%`,
        provisionText: p.groups.length ? p.groups.join(', ') : 'None',
        lastText: p.lastDecision
          ? `${p.lastDecision.decisionLabel}${p.lastDecision.notes ? `: ${p.lastDecision.notes}` : ''}`
          : null,
        lastAction: actionText(p.lastDecision),
        lastDone: Boolean(p.lastDecision?.actionDoneAt),
        savedAction: actionText(p.decision),
      };
    }),
  };
}

/** The form as the meeting was last saved. */
export function meetingFormValues(page: MeetingPage): FormBody {
  const values: FormBody = {
    version: String(page.version),
    notes: page.meeting.notes ?? '',
    attendeeIds: page.meeting.attendees.map((a) => a.userId),
    ...dateParts('heldOn', page.meeting.heldOn ?? page.today),
  };
  for (const p of page.pupils) {
    const d = p.decision;
    values[`decision-${p.id}`] = d?.decision ?? '';
    values[`notes-${p.id}`] = d?.notes ?? '';
    values[`owner-${p.id}`] = d?.actionOwnerId ?? '';
    Object.assign(values, dateParts(`due-${p.id}`, d?.actionDueOn ?? null));
  }
  return values;
}
