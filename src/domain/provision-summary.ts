import type { IsoDate } from './dates.ts';
import { type CostModel, DELIVERER_LABELS, type DelivererKind, type MeasureKind } from './provision.ts';
import {
  DEFAULT_HOURLY_PENCE,
  type Fraction,
  type GroupForCosting,
  type MembershipDates,
  memberCosts,
  membershipSpan,
  type Period,
  roundHalfUp,
  type ThresholdStatus,
  thresholdStatus,
  totalPence,
  yearsOf,
  ZERO,
} from './provision-costs.ts';
import { costPerUnit, type ImpactPeriod, measuresIn, summarise } from './provision-impact.ts';
import { memberOn } from './provision-rules.ts';

/**
 * The costs of provision put together: a group's facts as stored become a group for costing; a
 * pupil's spells become their costs for the two years with the threshold status; the school's
 * settings fill in their defaults. Pure: services and pages call these with rows they have read.
 */

export const DEFAULT_TOP_UP_THRESHOLD_PENCE = 600_000;
export const DEFAULT_NEARING_PERCENT = 80;

export interface Threshold {
  thresholdPence: number;
  nearingPercent: number;
}

export function thresholdOf(
  settings: { topUpThresholdPence: number | null; nearingPercent: number | null } | null | undefined,
): Threshold {
  return {
    thresholdPence: settings?.topUpThresholdPence ?? DEFAULT_TOP_UP_THRESHOLD_PENCE,
    nearingPercent: settings?.nearingPercent ?? DEFAULT_NEARING_PERCENT,
  };
}

/** A group as stored (with its intervention's cost model and the school's rate, if set). */
export interface StoredGroup {
  costModel: CostModel | string;
  sessionsPerWeek: number;
  minutesPerSession: number;
  delivererKind: DelivererKind | string;
  /** The school's hourly rate for the deliverer's kind; null until it sets one. */
  ratePence: number | null;
  fixedCostPence: number | null;
  startDate: IsoDate;
  endDate: IsoDate | null;
  memberDates: readonly MembershipDates[];
}

export function costingOf(g: StoredGroup): GroupForCosting {
  return {
    costModel: g.costModel as CostModel,
    sessionsPerWeek: g.sessionsPerWeek,
    minutesPerSession: g.minutesPerSession,
    hourlyPence: g.ratePence ?? DEFAULT_HOURLY_PENCE[g.delivererKind as DelivererKind] ?? 0,
    fixedCostPence: g.fixedCostPence,
    startDate: g.startDate,
    endDate: g.endDate,
    members: g.memberDates,
  };
}

/** One member's exact cost in a group over a period. */
export function spellCost(group: GroupForCosting, memberId: string, period: Period): Fraction {
  return memberCosts(group, period).get(memberId) ?? ZERO;
}

export interface YearCost {
  label: string;
  from: IsoDate;
  to: IsoDate;
  pence: number;
  status: ThresholdStatus;
}

export interface PupilCosts {
  academic: YearCost;
  financial: YearCost;
  /** Over the threshold in either year: "consider a high-needs top-up application". */
  topUp: boolean;
  /** Minutes a week of provision the pupil has today. */
  minutesPerWeekNow: number;
  threshold: Threshold;
}

export interface Spell {
  memberId: string;
  joinedOn: IsoDate;
  leftOn: IsoDate | null;
  group: GroupForCosting;
}

/** Is a spell current today: the pupil is in the group and the group is running? */
export function spellIsCurrent(spell: Spell, today: IsoDate): boolean {
  const m = spell.group.members.find((x) => x.id === spell.memberId) ?? spell;
  return (
    memberOn(m, today) &&
    spell.group.startDate <= today &&
    (spell.group.endDate === null || spell.group.endDate >= today)
  );
}

/** A pupil's costs for the academic and financial years `today` falls in, against the threshold. */
export function pupilCosts(spells: readonly Spell[], threshold: Threshold, today: IsoDate): PupilCosts {
  const years = yearsOf(today);
  const year = (y: Period & { label: string }): YearCost => {
    const pence = totalPence(spells.map((s) => spellCost(s.group, s.memberId, y)));
    return {
      label: y.label,
      from: y.from,
      to: y.to,
      pence,
      status: thresholdStatus(pence, threshold.thresholdPence, threshold.nearingPercent),
    };
  };
  const academic = year(years.academic);
  const financial = year(years.financial);
  return {
    academic,
    financial,
    topUp: academic.status === 'over' || financial.status === 'over',
    minutesPerWeekNow: spells
      .filter((s) => spellIsCurrent(s, today))
      .reduce((sum, s) => sum + s.group.minutesPerSession * s.group.sessionsPerWeek, 0),
    threshold,
  };
}

/** Costs of many members of one group at once, rounded per member. */
export function roundedCosts(group: GroupForCosting, period: Period): Map<string, number> {
  return new Map([...memberCosts(group, period)].map(([id, f]) => [id, roundHalfUp(f)]));
}

/** "3 × 30 minutes a week" */
export function frequencyText(sessionsPerWeek: number, minutesPerSession: number): string {
  return `${sessionsPerWeek} × ${minutesPerSession} minutes a week`;
}

/** "1 hour 30 minutes", "45 minutes" */
export function minutesText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = h === 0 ? '' : `${h} ${h === 1 ? 'hour' : 'hours'}`;
  const mins = m === 0 ? '' : `${m} ${m === 1 ? 'minute' : 'minutes'}`;
  return [hours, mins].filter(Boolean).join(' ') || '0 minutes';
}

// One pupil's provision

/** What is stored about one spell of a pupil in a group (the record fragment's items). */
export interface SpellFacts extends StoredGroup {
  memberId: string;
  groupId: string;
  groupName: string;
  interventionName: string;
  area: string;
  measureKind: string;
  measureName: string | null;
  delivererName: string;
  location: string | null;
  agency: string | null;
  joinedOn: IsoDate;
  leftOn: IsoDate | null;
  leftSchoolOn: IsoDate | null;
  entryMeasure: number | null;
  entryMeasuredOn: IsoDate | null;
  exitMeasure: number | null;
  exitMeasuredOn: IsoDate | null;
  sessionsHeld: number;
  attended: number;
  missedOn: IsoDate[];
}

export function spellOf<T extends SpellFacts>(item: T): Spell {
  const group = costingOf(item);
  const own = group.members.find((m) => m.id === item.memberId);
  return { memberId: item.memberId, joinedOn: item.joinedOn, leftOn: own?.leftOn ?? item.leftOn, group };
}

/** A pupil's provision: current and past spells with their cost this year, and the pupil's costs. */
export function pupilProvision<T extends SpellFacts>(
  items: readonly T[],
  threshold: Threshold,
  today: IsoDate,
) {
  const spells = items.map((item) => ({ item, spell: spellOf(item) }));
  const costs = pupilCosts(
    spells.map((s) => s.spell),
    threshold,
    today,
  );
  const academic = { from: costs.academic.from, to: costs.academic.to };
  const rows = spells.map(({ item, spell }) => ({
    ...item,
    current: spellIsCurrent(spell, today),
    upcoming: spell.joinedOn > today || spell.group.startDate > today,
    frequency: frequencyText(item.sessionsPerWeek, item.minutesPerSession),
    costThisYear: roundHalfUp(spellCost(spell.group, spell.memberId, academic)),
    missed: item.sessionsHeld - item.attended,
  }));
  return {
    current: rows.filter((r) => r.current || r.upcoming),
    past: rows.filter((r) => !r.current && !r.upcoming),
    costs,
  };
}

/**
 * The groups a pupil is in now or is about to join, as a plan or a letter names them: the
 * intervention, how often, who delivers it and since when (no costs).
 */
export function currentProvision<T extends SpellFacts>(items: readonly T[], today: IsoDate) {
  return pupilProvision(items, thresholdOf(null), today).current.map((s) => ({
    interventionName: s.interventionName,
    frequency: s.frequency,
    deliveredBy: `${s.delivererName} (${DELIVERER_LABELS[s.delivererKind as DelivererKind] ?? s.delivererKind})`,
    since: s.joinedOn > s.startDate ? s.joinedOn : s.startDate,
  }));
}

// The termly provision map

export interface MapGroup extends StoredGroup {
  id: string;
  name: string;
  interventionId: string;
  interventionName: string;
  area: string;
}

/** A pupil's spell in a group, with the pupil's details (one row per spell). */
export interface MapRow {
  id: string;
  memberId: string;
  groupId: string;
  joinedOn: IsoDate;
  leftOn: IsoDate | null;
}

export interface MapCell {
  groupId: string;
  groupName: string;
  interventionId: string;
  interventionName: string;
  minutesPerWeek: number;
  termPence: number;
}

/**
 * Pupils (rows) by interventions grouped by area of need, for a term: each cell the time a week and
 * the term's cost of a spell; each pupil's totals with their year's cost against the threshold;
 * totals per intervention and for the school, each an exact sum rounded once.
 */
export function buildMap<P extends MapRow>(input: {
  rows: readonly P[];
  groups: readonly MapGroup[];
  term: Period;
  year: Period;
  threshold: Threshold;
}) {
  const groups = new Map(input.groups.map((g) => [g.id, { group: g, costing: costingOf(g) }]));
  const termCosts = new Map<string, Map<string, Fraction>>();
  const yearCosts = new Map<string, Map<string, Fraction>>();
  const costIn = (cache: Map<string, Map<string, Fraction>>, groupId: string, period: Period) => {
    let costs = cache.get(groupId);
    if (!costs) {
      const g = groups.get(groupId);
      costs = g ? memberCosts(g.costing, period) : new Map();
      cache.set(groupId, costs);
    }
    return costs;
  };
  const inPeriod = (g: GroupForCosting, memberId: string, period: Period) => {
    const m = g.members.find((x) => x.id === memberId);
    return m ? membershipSpanOf(g, m, period) : false;
  };

  const pupils = new Map<
    string,
    {
      pupil: P;
      cells: MapCell[];
      areas: Map<string, MapCell[]>;
      term: Fraction[];
      year: Fraction[];
      minutes: number;
    }
  >();
  const interventions = new Map<
    string,
    {
      interventionId: string;
      name: string;
      area: string;
      groupIds: Set<string>;
      pupilIds: Set<string>;
      term: Fraction[];
      minutes: number;
    }
  >();
  const schoolTerm: Fraction[] = [];
  const schoolYear: Fraction[] = [];

  for (const row of input.rows) {
    const g = groups.get(row.groupId);
    if (!g) continue;
    const entry = pupils.get(row.id) ?? {
      pupil: row,
      cells: [] as MapCell[],
      areas: new Map<string, MapCell[]>(),
      term: [] as Fraction[],
      year: [] as Fraction[],
      minutes: 0,
    };
    pupils.set(row.id, entry);
    const year = costIn(yearCosts, row.groupId, input.year).get(row.memberId) ?? ZERO;
    entry.year.push(year);
    schoolYear.push(year);
    if (!inPeriod(g.costing, row.memberId, input.term)) continue;
    const term = costIn(termCosts, row.groupId, input.term).get(row.memberId) ?? ZERO;
    const minutes = g.group.sessionsPerWeek * g.group.minutesPerSession;
    const cell: MapCell = {
      groupId: g.group.id,
      groupName: g.group.name,
      interventionId: g.group.interventionId,
      interventionName: g.group.interventionName,
      minutesPerWeek: minutes,
      termPence: roundHalfUp(term),
    };
    entry.cells.push(cell);
    entry.areas.set(g.group.area, [...(entry.areas.get(g.group.area) ?? []), cell]);
    entry.term.push(term);
    entry.minutes += minutes;
    schoolTerm.push(term);
    const i = interventions.get(g.group.interventionId) ?? {
      interventionId: g.group.interventionId,
      name: g.group.interventionName,
      area: g.group.area,
      groupIds: new Set<string>(),
      pupilIds: new Set<string>(),
      term: [],
      minutes: 0,
    };
    i.groupIds.add(g.group.id);
    i.pupilIds.add(row.id);
    i.term.push(term);
    i.minutes += minutes;
    interventions.set(g.group.interventionId, i);
  }

  const pupilRows = [...pupils.values()]
    .filter((p) => p.cells.length > 0)
    .map((p) => {
      const yearPence = totalPence(p.year);
      return {
        pupil: p.pupil,
        cells: p.cells,
        byArea: Object.fromEntries(p.areas) as Record<string, MapCell[]>,
        minutesPerWeek: p.minutes,
        termPence: totalPence(p.term),
        yearPence,
        status: thresholdStatus(yearPence, input.threshold.thresholdPence, input.threshold.nearingPercent),
      };
    });
  return {
    pupils: pupilRows,
    interventions: [...interventions.values()]
      .map((i) => ({
        interventionId: i.interventionId,
        name: i.name,
        area: i.area,
        groups: i.groupIds.size,
        pupils: i.pupilIds.size,
        minutesPerWeek: i.minutes,
        termPence: totalPence(i.term),
      }))
      .sort((a, b) => (a.area === b.area ? a.name.localeCompare(b.name) : a.area.localeCompare(b.area))),
    totals: {
      pupils: pupilRows.length,
      minutesPerWeek: pupilRows.reduce((s, p) => s + p.minutesPerWeek, 0),
      termPence: totalPence(schoolTerm),
      over: pupilRows.filter((p) => p.status === 'over').length,
      nearing: pupilRows.filter((p) => p.status === 'nearing').length,
    },
  };
}

function membershipSpanOf(g: GroupForCosting, m: MembershipDates, period: Period): boolean {
  return membershipSpan(g, m, period) !== null;
}

// How well each intervention works

export interface EffectSpell {
  memberId: string;
  groupId: string;
  pupilId: string;
  primaryNeed: string | null;
  entryMeasure: number | null;
  entryMeasuredOn: IsoDate | null;
  exitMeasure: number | null;
  exitMeasuredOn: IsoDate | null;
}

export interface EffectIntervention {
  id: string;
  name: string;
  area: string;
  measureKind: string;
  measureName: string | null;
}

/**
 * For each intervention with groups: its pupils' progress summarised, what it has cost so far, and
 * what each unit of progress cost (the measured pupils' cost ÷ their progress); and the same progress
 * by the pupils' primary need, to see which interventions work for which pupils.
 */
export function buildEffectiveness(input: {
  interventions: readonly EffectIntervention[];
  groups: readonly MapGroup[];
  spells: readonly EffectSpell[];
  today: IsoDate;
  /** Whose measures count: those whose exit measure was taken in this period (provision-impact.ts). */
  period?: ImpactPeriod;
}) {
  const period = input.period ?? 'all';
  const measuresOf = (s: EffectSpell) =>
    measuresIn(
      { entry: s.entryMeasure, entryOn: s.entryMeasuredOn, exit: s.exitMeasure, exitOn: s.exitMeasuredOn },
      period,
    );
  const spellsByGroup = new Map<string, EffectSpell[]>();
  for (const s of input.spells) spellsByGroup.set(s.groupId, [...(spellsByGroup.get(s.groupId) ?? []), s]);
  return input.interventions
    .map((i) => {
      const kind = i.measureKind as MeasureKind;
      const groups = input.groups.filter((g) => g.interventionId === i.id);
      const all: Fraction[] = [];
      const measuredCost: Fraction[] = [];
      const spells: EffectSpell[] = [];
      for (const g of groups) {
        const costing = costingOf(g);
        const to = g.endDate && g.endDate < input.today ? g.endDate : input.today;
        const costs =
          g.startDate <= to ? memberCosts(costing, { from: g.startDate, to }) : new Map<string, Fraction>();
        for (const s of spellsByGroup.get(g.id) ?? []) {
          spells.push(s);
          const cost = costs.get(s.memberId) ?? ZERO;
          all.push(cost);
          const m = measuresOf(s);
          if (m.entry !== null && m.exit !== null) measuredCost.push(cost);
        }
      }
      const summary = summarise(kind, spells.map(measuresOf));
      const needs = new Map<string, EffectSpell[]>();
      for (const s of spells) needs.set(s.primaryNeed ?? '', [...(needs.get(s.primaryNeed ?? '') ?? []), s]);
      const measuredPence = totalPence(measuredCost);
      return {
        ...i,
        measureKind: kind,
        groups: groups.length,
        groupsNow: groups.filter(
          (g) => g.startDate <= input.today && (g.endDate === null || g.endDate >= input.today),
        ).length,
        summary,
        costPence: totalPence(all),
        measuredPence,
        costPerUnitPence: costPerUnit(measuredPence, summary.totalProgressHundredths),
        byNeed: [...needs]
          .map(([need, list]) => ({ need: need || null, summary: summarise(kind, list.map(measuresOf)) }))
          .filter((n) => n.summary.measured > 0)
          .sort((a, b) => (a.need ?? '~').localeCompare(b.need ?? '~')),
      };
    })
    .filter((r) => r.groups > 0);
}
