import { AREA_LABELS, AREAS_OF_NEED, type AreaOfNeed } from './census.ts';
import { addYears, formatDate, type IsoDate, parseIsoDate } from './dates.ts';

/**
 * Staff training and the SENCo's mandatory qualification. Training serves one of the four broad areas of
 * need (census.ts) or is general SEN training (stored as no area). A SENCo new to the post must achieve
 * the mandatory qualification within three years of taking it up (seed 004): the National Award for SEN
 * Co-ordination, or, for appointments from 1 September 2024, the NPQ for SENCOs that replaced it.
 */

export type TrainingArea = AreaOfNeed | 'general';
export const TRAINING_AREAS: readonly TrainingArea[] = [...AREAS_OF_NEED, 'general'];
export const TRAINING_AREA_LABELS: Record<TrainingArea, string> = {
  ...AREA_LABELS,
  general: 'General SEN training',
};

/** The area a stored row's `need_area` stands for (none: general). */
export function trainingAreaOf(needArea: string | null | undefined): TrainingArea {
  return needArea && (AREAS_OF_NEED as readonly string[]).includes(needArea)
    ? (needArea as AreaOfNeed)
    : 'general';
}

/** The column's value for an area: null for general training. */
export function needAreaColumn(area: TrainingArea): AreaOfNeed | null {
  return area === 'general' ? null : area;
}

// The same union as db/schema/progress.ts.
export type SencoQualification = 'national_award' | 'npq_senco';
export const SENCO_QUALIFICATION_LABELS: Record<SencoQualification, string> = {
  national_award: 'National Award for SEN Co-ordination',
  npq_senco: 'NPQ for SENCOs',
};

/** The NPQ for SENCOs replaced the National Award for SENCOs appointed from this day. */
export const NPQ_FROM: IsoDate = '2024-09-01';

/** The qualification a SENCo appointed on this day must achieve. */
export function qualificationFor(appointedOn: IsoDate): SencoQualification {
  return appointedOn >= NPQ_FROM ? 'npq_senco' : 'national_award';
}

/**
 * Why a qualification cannot stand for an appointment, or null: a SENCo who took up the post from
 * 1 September 2024 takes the NPQ for SENCOs, one appointed before takes the National Award. A
 * qualification already achieved on or before taking up the post is whatever they hold.
 */
export function qualificationProblem(
  appointedOn: IsoDate,
  qualification: SencoQualification | null,
  achievedOn: IsoDate | null,
): string | null {
  if (!qualification) return null;
  if (achievedOn && achievedOn <= appointedOn) return null;
  const required = qualificationFor(appointedOn);
  if (qualification === required) return null;
  return required === 'npq_senco'
    ? `A SENCo who took up the post on or after ${formatDate(NPQ_FROM)} must achieve the ${SENCO_QUALIFICATION_LABELS.npq_senco}, not the ${SENCO_QUALIFICATION_LABELS.national_award}`
    : `A SENCo who took up the post before ${formatDate(NPQ_FROM)} must achieve the ${SENCO_QUALIFICATION_LABELS.national_award}, not the ${SENCO_QUALIFICATION_LABELS.npq_senco}`;
}

/** Years a new SENCo has to achieve the qualification. */
export const QUALIFICATION_YEARS = 3;

/** The deadline: three years from taking up the post (an appointment on 29 February: 28 February). */
export function qualificationDeadline(appointedOn: IsoDate): IsoDate {
  return addYears(appointedOn, QUALIFICATION_YEARS);
}

export interface SencoAppointmentFacts {
  name: string;
  appointedOn: IsoDate;
  qualification: SencoQualification | null;
  startedOn: IsoDate | null;
  achievedOn: IsoDate | null;
  endedOn: IsoDate | null;
}

export type SencoQualificationStatus =
  | { state: 'ended'; endedOn: IsoDate }
  | { state: 'already_qualified'; qualification: SencoQualification }
  | { state: 'achieved'; qualification: SencoQualification; achievedOn: IsoDate }
  | {
      state: 'due' | 'overdue';
      qualification: SencoQualification;
      deadline: IsoDate;
      /** Whole months left (due) or past (overdue); days when under a month. */
      monthsLeft: number;
      daysLeft: number;
      inProgress: boolean;
    };

/** Whole calendar months from `from` to `to` (to ≥ from): 1 March to 28 April is 1. */
export function wholeMonthsBetween(from: IsoDate, to: IsoDate): number {
  if (to < from) return -wholeMonthsBetween(to, from);
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  if (b.day < a.day) months--;
  return Math.max(0, months);
}

function daysBetween(from: IsoDate, to: IsoDate): number {
  const f = parseIsoDate(from);
  const t = parseIsoDate(to);
  return Math.round(
    (Date.UTC(t.year, t.month - 1, t.day) - Date.UTC(f.year, f.month - 1, f.day)) / 86_400_000,
  );
}

/** Where a SENCo's mandatory qualification stands today. */
export function sencoQualificationStatus(a: SencoAppointmentFacts, today: IsoDate): SencoQualificationStatus {
  if (a.endedOn && a.endedOn <= today) return { state: 'ended', endedOn: a.endedOn };
  const qualification = a.qualification ?? qualificationFor(a.appointedOn);
  if (a.achievedOn && a.achievedOn <= a.appointedOn) return { state: 'already_qualified', qualification };
  if (a.achievedOn) return { state: 'achieved', qualification, achievedOn: a.achievedOn };
  const deadline = qualificationDeadline(a.appointedOn);
  const overdue = today > deadline;
  return {
    state: overdue ? 'overdue' : 'due',
    qualification,
    deadline,
    monthsLeft: overdue ? wholeMonthsBetween(deadline, today) : wholeMonthsBetween(today, deadline),
    daysLeft: overdue ? daysBetween(deadline, today) : daysBetween(today, deadline),
    inProgress: a.startedOn !== null && a.startedOn <= today,
  };
}

function plural(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The countdown in words: "Sam Senco must achieve the NPQ for SENCOs by 1 September 2027: 9 months left";
 * overdue: "Overdue: Sam Senco had to achieve … by …, 2 months ago". Null when nothing is due.
 */
export function countdownText(a: SencoAppointmentFacts, today: IsoDate): string | null {
  const s = sencoQualificationStatus(a, today);
  if (s.state !== 'due' && s.state !== 'overdue') return null;
  const what = `the ${SENCO_QUALIFICATION_LABELS[s.qualification]}`;
  const span =
    s.monthsLeft >= 1 ? plural(s.monthsLeft, 'month', 'months') : plural(s.daysLeft, 'day', 'days');
  if (s.state === 'overdue')
    return `Overdue: ${a.name} had to achieve ${what} by ${formatDate(s.deadline)}, ${span} ago`;
  return `${a.name} must achieve ${what} by ${formatDate(s.deadline)}: ${span} left`;
}

/** One area of need: pupils on the register with it as their primary need, training done and planned. */
export interface NeedTrainingRow {
  area: TrainingArea;
  label: string;
  pupils: number;
  hours: number;
  planned: number;
  /** A gap in words, or null. */
  gap: string | null;
}

/**
 * The training plan against the needs of the school's pupils: for each area, how many pupils on the
 * register have it as their primary need beside the training hours done this year and the items planned
 * (not dropped). An area with pupils but no training done and none planned is a gap; so is an area with
 * a quarter or more of the register and under a tenth of the hours, with nothing planned.
 */
export function trainingAgainstNeeds(
  pupilsByArea: Partial<Record<AreaOfNeed, number>>,
  hoursByArea: Partial<Record<TrainingArea, number>>,
  plannedByArea: Partial<Record<TrainingArea, number>>,
): NeedTrainingRow[] {
  const totalPupils = AREAS_OF_NEED.reduce((n, a) => n + (pupilsByArea[a] ?? 0), 0);
  const totalHours = TRAINING_AREAS.reduce((n, a) => n + (hoursByArea[a] ?? 0), 0);
  return TRAINING_AREAS.map((area) => {
    const pupils = area === 'general' ? 0 : (pupilsByArea[area] ?? 0);
    const hours = hoursByArea[area] ?? 0;
    const planned = plannedByArea[area] ?? 0;
    const label = TRAINING_AREA_LABELS[area];
    let gap: string | null = null;
    if (area !== 'general' && pupils > 0 && hours === 0 && planned === 0) {
      gap = `${plural(pupils, 'pupil', 'pupils')} on the register ${pupils === 1 ? 'has' : 'have'} ${label.toLowerCase()} as their primary area of need, but no training in it has been done this year and none is planned.`;
    } else if (
      area !== 'general' &&
      totalPupils > 0 &&
      pupils * 4 >= totalPupils &&
      hours * 10 < totalHours &&
      planned === 0
    ) {
      gap = `${plural(pupils, 'pupil', 'pupils')} on the register (${Math.round((pupils / totalPupils) * 100)}%) ${pupils === 1 ? 'has' : 'have'} ${label.toLowerCase()} as their primary area of need, but it had under a tenth of this year’s training hours and nothing more is planned.`;
    }
    return { area, label, pupils, hours: Math.round(hours * 10) / 10, planned, gap };
  });
}
