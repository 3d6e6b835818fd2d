import { type Role, rolesLabel } from '../../../domain/access.ts';
import { academicYearLabel, type TermName } from '../../../domain/calendar.ts';
import { formatDate } from '../../../domain/dates.ts';
import {
  SENCO_QUALIFICATION_LABELS,
  TRAINING_AREA_LABELS,
  TRAINING_AREAS,
  trainingAreaOf,
} from '../../../domain/training.ts';
import type { TrainingService } from '../../../services/training/index.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';

type SchoolPage = Awaited<ReturnType<TrainingService['school']>>;
type Record_ = SchoolPage['records'][number];

export const areaOptions = TRAINING_AREAS.map((a) => ({ value: a, text: TRAINING_AREA_LABELS[a] }));
export const qualificationOptions = Object.entries(SENCO_QUALIFICATION_LABELS).map(([value, text]) => ({
  value,
  text,
}));
const TERM_LABELS: Record<TermName, string> = { autumn: 'Autumn', spring: 'Spring', summer: 'Summer' };
export const termOptions = Object.entries(TERM_LABELS).map(([value, text]) => ({ value, text }));
const STATUS_LABELS = { planned: 'Planned', done: 'Done', dropped: 'Dropped' } as const;
export const statusOptions = Object.entries(STATUS_LABELS).map(([value, text]) => ({ value, text }));

export const recordRow = (r: Record_) => ({
  id: r.id,
  userId: r.userId,
  name: r.name,
  course: r.course,
  completedOn: formatDate(r.completedOn),
  hours: r.hours,
  area: TRAINING_AREA_LABELS[trainingAreaOf(r.needArea)],
  provider: r.provider ?? '',
  notes: r.notes ?? '',
});

/** Months left under which a SENCo's qualification countdown is shown as a warning. */
export const SHORT_MONTHS = 6;

/** True when no SENCo appointment is in post today (none recorded, or every one ended). */
export function noSencoInPost(sencos: { status: { state: string } }[]): boolean {
  return !sencos.some((s) => s.status.state !== 'ended');
}

export function sencoRows(sencos: SchoolPage['sencos']) {
  return sencos.map((s) => ({
    id: s.id,
    name: s.name,
    appointedOn: formatDate(s.appointedOn),
    qualification: SENCO_QUALIFICATION_LABELS[s.qualification ?? s.required],
    deadline: formatDate(s.deadline),
    state:
      s.status.state === 'achieved'
        ? `Achieved ${formatDate(s.status.achievedOn)}`
        : s.status.state === 'already_qualified'
          ? 'Already qualified when appointed'
          : s.status.state === 'ended'
            ? `Left the post ${formatDate(s.status.endedOn)}`
            : `${s.status.state === 'overdue' ? 'Overdue: ' : ''}${s.status.inProgress ? 'in progress' : 'not yet started'}`.replace(
                /^./,
                (c) => c.toUpperCase(),
              ),
    countdown: s.countdown,
    overdue: s.status.state === 'overdue',
    /** Under six months left: shown as a warning, like an overdue one. */
    short: s.status.state === 'due' && s.status.monthsLeft < SHORT_MONTHS,
    provider: s.provider ?? '',
  }));
}

export function schoolModel(page: SchoolPage) {
  return {
    yearLabel: page.yearLabel,
    academicYear: page.academicYear,
    isCurrentYear: page.isCurrentYear,
    hasYearBefore: page.hasYearBefore,
    hasYearAfter: page.hasYearAfter,
    totalHours: page.totalHours,
    needs: page.needs,
    gaps: page.needs.filter((n) => n.gap),
    people: page.people,
    records: page.records.map(recordRow),
    plan: page.plan.map((p) => ({
      id: p.id,
      title: p.title,
      area: TRAINING_AREA_LABELS[trainingAreaOf(p.needArea)],
      audience: p.audience ?? '',
      term: p.term ? TERM_LABELS[p.term] : 'Not yet set',
      status: STATUS_LABELS[p.status],
    })),
    sencos: sencoRows(page.sencos),
    noSencoInPost: noSencoInPost(page.sencos),
  };
}

export function trainingFormValues(t: {
  course: string;
  completedOn: string;
  hours: number;
  needArea: string | null;
  provider: string | null;
  notes: string | null;
  version: number;
}): FormBody {
  return {
    course: t.course,
    hours: String(t.hours),
    area: trainingAreaOf(t.needArea),
    provider: t.provider ?? '',
    notes: t.notes ?? '',
    version: String(t.version),
    ...dateParts('completedOn', t.completedOn),
  };
}

export function planItemValues(p: {
  title: string;
  needArea: string | null;
  audience: string | null;
  term: string | null;
  status: string;
  notes: string | null;
  version: number;
}): FormBody {
  return {
    title: p.title,
    area: trainingAreaOf(p.needArea),
    audience: p.audience ?? '',
    term: p.term ?? '',
    status: p.status,
    notes: p.notes ?? '',
    version: String(p.version),
  };
}

export function appointmentValues(a: {
  userId: string;
  appointedOn: string;
  qualification: string | null;
  startedOn: string | null;
  achievedOn: string | null;
  provider: string | null;
  endedOn: string | null;
  version: number;
}): FormBody {
  return {
    userId: a.userId,
    qualification: a.qualification ?? '',
    provider: a.provider ?? '',
    version: String(a.version),
    ...dateParts('appointedOn', a.appointedOn),
    ...dateParts('startedOn', a.startedOn),
    ...dateParts('achievedOn', a.achievedOn),
    ...dateParts('endedOn', a.endedOn),
  };
}

/** The groups of staff an INSET can be recorded for in one tick (no script needed: the server adds them). */
const STAFF_GROUPS = {
  everyone: { text: 'Everyone listed', roles: null },
  teachers: { text: 'All class teachers', roles: ['class_teacher'] },
  teaching_assistants: { text: 'All teaching assistants', roles: ['teaching_assistant'] },
} as const satisfies Record<string, { text: string; roles: readonly Role[] | null }>;
type StaffGroup = keyof typeof STAFF_GROUPS;
export const staffGroupOptions = Object.entries(STAFF_GROUPS).map(([value, g]) => ({ value, text: g.text }));

/** The groups ticked; anything else sent is ignored. */
export function groupsChosen(value: unknown): StaffGroup[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is StaffGroup => typeof v === 'string' && Object.hasOwn(STAFF_GROUPS, v));
}

/** Those ticked one by one, with every member of each group ticked added (once). */
export function withGroups(
  userIds: unknown,
  groups: StaffGroup[],
  staff: readonly { userId: string; roles: readonly Role[] }[],
): string[] | unknown {
  const ticked = Array.isArray(userIds) ? userIds : userIds === undefined || userIds === '' ? [] : [userIds];
  if (ticked.some((v) => typeof v !== 'string')) return userIds;
  const members = staff
    .filter((s) =>
      groups.some((g) => {
        const roles = STAFF_GROUPS[g].roles;
        return roles === null || roles.some((r) => s.roles.includes(r));
      }),
    )
    .map((s) => s.userId);
  return [...new Set([...(ticked as string[]), ...members])];
}

/** Each member of staff with their roles, to tell them apart on the form. */
export function staffChoicesModel(
  staff: readonly { userId: string; name: string; roles: readonly Role[] }[],
) {
  return staff.map((s) => ({ userId: s.userId, name: s.name, rolesText: rolesLabel(s.roles) }));
}

/** The plan form's academic years: this one and the two after ("2026/27, this year"). */
export function planYearOptions(current: number) {
  return [0, 1, 2].map((n) => ({
    value: String(current + n),
    text: `${academicYearLabel(current + n)}${n === 0 ? ', this year' : n === 1 ? ', next year' : ''}`,
  }));
}
