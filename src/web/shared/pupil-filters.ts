import { ncYearLabel } from '../../domain/calendar.ts';
import { AREA_LABELS, AREAS_OF_NEED, NEED_CODES, NEEDS } from '../../domain/census.ts';
import { CONTEXT_FLAGS, type ContextFlag, FLAG_LABELS } from '../../domain/flags.ts';
import { SEN_STAGES, STAGE_LABELS } from '../../domain/register.ts';
import { rangeLabel, type YearGroupRange, yearGroupsOf } from '../../domain/school.ts';
import type { PupilFilters } from '../../repositories/pupils.ts';
import { isUuid, stripControlCharacters } from '../forms/fields.ts';

/** The filters of the pupil list and the register: parsed from the query string, offered, and linked. */

/** The filter value for pupils whose year group is outside the school's (a child kept on a year, say). */
export const OUTSIDE_YEAR_GROUPS = 'outside';

/** The school's year groups as choices, youngest first. */
export function yearGroupOptions(range: YearGroupRange) {
  return yearGroupsOf(range).map((n) => ({ value: String(n), text: ncYearLabel(n) }));
}

/** A year group outside the school's, as a choice that says so (kept so that it is not lost). */
export function outsideYearGroupOption(ncYear: number) {
  return { value: String(ncYear), text: `${ncYearLabel(ncYear)} (outside the school’s year groups)` };
}

/** Options for the filter form, shared by the pupil list and the register. */
export function filterOptions(
  filters: PupilFilters,
  classes: { id: string; name: string }[],
  range: YearGroupRange,
) {
  const opt = (value: string, text: string, selected: boolean) => ({ value, text, selected });
  const chosenOutside =
    filters.ncYear !== undefined && !yearGroupsOf(range).includes(filters.ncYear)
      ? [outsideYearGroupOption(filters.ncYear)]
      : [];
  return {
    classes: [
      opt('', 'All classes', !filters.classId),
      ...classes.map((c) => opt(c.id, c.name, c.id === filters.classId)),
    ],
    years: [
      opt('', 'All year groups', filters.ncYear === undefined && !filters.outsideYearGroups),
      ...[...yearGroupOptions(range), ...chosenOutside].map((y) =>
        opt(y.value, y.text, String(filters.ncYear) === y.value),
      ),
      opt(OUTSIDE_YEAR_GROUPS, `Outside ${rangeLabel(range)}`, Boolean(filters.outsideYearGroups)),
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
  else if (filters.outsideYearGroups) params.set('year', OUTSIDE_YEAR_GROUPS);
  for (const f of filters.flags ?? []) params.append('flags', f);
  if (filters.leavers) params.set('leavers', '1');
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Filters from the query string: unknown values are ignored rather than failing the list. */
export function parseFilters(query: Record<string, unknown>): { filters: PupilFilters; page: number } {
  const str = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : undefined);
  const oneOf = <T extends string>(values: readonly T[], v: string | undefined) =>
    v && (values as readonly string[]).includes(v) ? (v as T) : undefined;
  const flagsRaw = query.flags;
  const flagList = (Array.isArray(flagsRaw) ? flagsRaw : flagsRaw ? [flagsRaw] : []).map(String);
  const year = str('year');
  const page = Number(str('page') ?? '1');
  return {
    filters: {
      search:
        stripControlCharacters(str('q') ?? '')
          .trim()
          .slice(0, 100) || undefined,
      classId: isUuid(str('classId')) ? str('classId') : undefined,
      stage: oneOf(SEN_STAGES, str('stage')),
      need: oneOf(NEED_CODES, str('need')),
      area: oneOf(AREAS_OF_NEED, str('area')),
      ncYear: year && /^-?\d{1,2}$/.test(year) ? Number(year) : undefined,
      outsideYearGroups: year === OUTSIDE_YEAR_GROUPS || undefined,
      flags: flagList.filter((f): f is ContextFlag => (CONTEXT_FLAGS as readonly string[]).includes(f)),
    },
    page: Number.isInteger(page) && page > 0 && page < 10_000 ? page : 1,
  };
}
