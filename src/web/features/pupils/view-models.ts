import { ageOn, effectiveNcYear, ncYearLabel } from '../../../domain/calendar.ts';
import { AREA_LABELS, AREAS_OF_NEED, NEED_CODES, NEEDS, needLabel } from '../../../domain/census.ts';
import { CONCERN_KIND_LABELS, CONCERN_OUTCOME_LABELS } from '../../../domain/concerns.ts';
import type { IsoDate } from '../../../domain/dates.ts';
import { CONTEXT_FLAGS, type ContextFlag, FLAG_LABELS } from '../../../domain/flags.ts';
import { CHANGE_LABELS, SEN_STAGES, STAGE_LABELS, stageLabel } from '../../../domain/register.ts';
import type { PupilFilters, PupilRow } from '../../../repositories/pupils.ts';
import type { PupilService } from '../../../services/pupils.ts';
import { dateParts, type FormBody } from '../../forms.ts';

type PupilPage = Awaited<ReturnType<PupilService['view']>>;

export function flagsOf(p: Record<ContextFlag, boolean>): string[] {
  return CONTEXT_FLAGS.filter((f) => p[f]).map((f) => FLAG_LABELS[f]);
}

export interface ChronologyItem {
  date: IsoDate;
  title: string;
  detail: string;
  by: string;
  href?: string;
}

/** Everything that happened to the pupil, newest first: register changes, reviews and concerns. */
export function chronology(page: PupilPage): ChronologyItem[] {
  const items: ChronologyItem[] = [];
  for (const e of page.history) {
    const needs = [e.primaryNeed, e.secondaryNeed]
      .filter(Boolean)
      .map((c) => needLabel(c!))
      .join('; ');
    items.push({
      date: e.effectiveDate,
      title: `${CHANGE_LABELS[e.changeKind]}: ${STAGE_LABELS[e.fromStage]} to ${STAGE_LABELS[e.stage]}`,
      detail: needs ? `${e.reason} Needs: ${needs}.` : e.reason,
      by: e.decidedByName,
    });
  }
  for (const r of page.reviews) {
    items.push({
      date: r.reviewedOn,
      title:
        r.outcome === 'stays'
          ? `Register review: stays at ${STAGE_LABELS[r.toStage].toLowerCase()}`
          : r.outcome === 'leaves'
            ? 'Register review: leaves the register'
            : `Register review: moves to ${STAGE_LABELS[r.toStage].toLowerCase()}`,
      detail: r.reason,
      by: r.reviewedByName,
    });
  }
  for (const c of page.concerns) {
    items.push({
      date: c.concernDate,
      title: `${CONCERN_KIND_LABELS[c.kind]} concern raised`,
      detail: c.areasOfNeed.map((a) => AREA_LABELS[a]).join(', '),
      by: c.raisedByName,
      href: `/concerns/${c.id}`,
    });
    if (c.status === 'reviewed' && c.reviewedOn && c.outcome) {
      items.push({
        date: c.reviewedOn,
        title: `Concern reviewed: ${CONCERN_OUTCOME_LABELS[c.outcome].toLowerCase()}`,
        detail: '',
        by: '',
        href: `/concerns/${c.id}`,
      });
    }
  }
  if (page.pupil.admissionDate) {
    items.push({ date: page.pupil.admissionDate, title: 'Joined the school', detail: '', by: '' });
  }
  return items.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

export function pupilPageModel(page: PupilPage) {
  const p = page.pupil;
  const ncYear = effectiveNcYear(p.dateOfBirth, p.ncYearOverride, page.today);
  return {
    pupil: p,
    fullName: `${p.forename} ${p.surname}`,
    className: page.className,
    yearGroup: `${ncYearLabel(ncYear)}${p.ncYearOverride !== null ? ' (taught out of year group)' : ''}`,
    age: ageOn(p.dateOfBirth, page.today),
    flags: flagsOf(p),
    parents: page.parents,
    showSen: page.showSen,
    stage: stageLabel(p.senStage),
    needs: [p.primaryNeed, p.secondaryNeed].filter(Boolean).map((c, i) => ({
      rank: i === 0 ? 'Primary' : 'Secondary',
      label: needLabel(c!),
      area: NEEDS[c!].area ? AREA_LABELS[NEEDS[c!].area!] : 'Other',
    })),
    openConcerns: page.concerns.filter((c) => c.status === 'open').length,
    assignedStaff: page.assignedStaff,
    chronology: page.showSen ? chronology(page) : [],
  };
}

/** Form values for editing a pupil, from the stored record. */
export function pupilFormValues(p: PupilRow): FormBody {
  return {
    upn: p.upn,
    forename: p.forename,
    surname: p.surname,
    preferredName: p.preferredName ?? '',
    sex: p.sex,
    classId: p.classId ?? '',
    ncYearOverride: p.ncYearOverride === null ? '' : String(p.ncYearOverride),
    flags: CONTEXT_FLAGS.filter((f) => p[f]),
    medicalNotes: p.medicalNotes ?? '',
    attendancePercent: p.attendancePercent === null ? '' : String(p.attendancePercent),
    version: String(p.version),
    ...dateParts('dateOfBirth', p.dateOfBirth),
    ...dateParts('admissionDate', p.admissionDate),
  };
}

export const YEAR_GROUP_OPTIONS = [-2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((n) => ({
  value: String(n),
  text: ncYearLabel(n),
}));

/** Options for the filter form, shared by the pupil list and the register. */
export function filterOptions(filters: PupilFilters, classes: { id: string; name: string }[]) {
  const opt = (value: string, text: string, selected: boolean) => ({ value, text, selected });
  return {
    classes: [
      opt('', 'All classes', !filters.classId),
      ...classes.map((c) => opt(c.id, c.name, c.id === filters.classId)),
    ],
    years: [
      opt('', 'All year groups', filters.ncYear === undefined),
      ...YEAR_GROUP_OPTIONS.map((y) => opt(y.value, y.text, String(filters.ncYear) === y.value)),
    ],
    stages: [
      opt('', 'All stages', !filters.stage),
      ...SEN_STAGES.map((s) => opt(s, STAGE_LABELS[s], s === filters.stage)),
    ],
    needs: [
      opt('', 'All needs', !filters.need),
      ...NEED_CODES.map((c) => opt(c, `${c}: ${NEEDS[c].label}`, c === filters.need)),
    ],
    areas: [
      opt('', 'All areas', !filters.area),
      ...AREAS_OF_NEED.map((a) => opt(a, AREA_LABELS[a], a === filters.area)),
    ],
    flags: CONTEXT_FLAGS.map((f) => ({
      value: f,
      text: FLAG_LABELS[f],
      checked: (filters.flags ?? []).includes(f),
    })),
  };
}

/** The query string of the current filters, for CSV and print links and paging. */
export function filterQuery(filters: PupilFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (filters.search) params.set('q', filters.search);
  if (filters.classId) params.set('classId', filters.classId);
  if (filters.stage) params.set('stage', filters.stage);
  if (filters.need) params.set('need', filters.need);
  if (filters.area) params.set('area', filters.area);
  if (filters.ncYear !== undefined) params.set('year', String(filters.ncYear));
  for (const f of filters.flags ?? []) params.append('flags', f);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}
