import type { TermName } from '../../../domain/calendar.ts';
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
});

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
            : s.status.inProgress
              ? 'In progress'
              : 'Not yet started',
    countdown: s.countdown,
    overdue: s.status.state === 'overdue',
    provider: s.provider ?? '',
  }));
}

export function schoolModel(page: SchoolPage) {
  return {
    yearLabel: page.yearLabel,
    academicYear: page.academicYear,
    isCurrentYear: page.isCurrentYear,
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
