import type { Database } from '../../db/client.ts';
import { capabilitiesOf } from '../../domain/access.ts';
import { academicYearLabel, academicYearStartOf } from '../../domain/calendar.ts';
import { AREAS_OF_NEED } from '../../domain/census.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { MeasureKind } from '../../domain/provision.ts';
import {
  academicYearPeriod,
  type Fraction,
  memberCosts,
  type Period,
  termPeriod,
  toDate,
  totalPence,
} from '../../domain/provision-costs.ts';
import {
  type ImpactPeriod,
  impactPeriodLabel,
  type Measures,
  measuredProgress,
  progressOf,
  summarise,
} from '../../domain/provision-impact.ts';
import { checkState, hasEnded } from '../../domain/provision-rules.ts';
import {
  buildEffectiveness,
  buildMap,
  costingOf,
  pupilProvision,
  type StoredGroup,
} from '../../domain/provision-summary.ts';
import { figuresShown, shownCount } from '../../domain/suppression.ts';
import { topUpInHand, topUpInHandText } from '../../domain/top-up.ts';
import {
  allMemberships,
  checkDatesOfGroups,
  groupActivity,
  groupsForCosting,
  groupsOfSchool,
  interventionsOfSchool,
  membershipsForMap,
  provisionOfPupil,
  spellsForCounting,
} from '../../repositories/provision.ts';
import type { PupilFilters } from '../../repositories/pupils.ts';
import { schoolYearOf } from '../../repositories/school-year.ts';
import { classesOfSchool } from '../../repositories/schools.ts';
import { applicationFactsOfPupils } from '../../repositories/top-up.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { mayUseSection, requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { thresholdFor } from './common.ts';

/** The terms a map can show: this academic year's and last year's, newest first. */
export function termsAround(today: IsoDate) {
  const start = academicYearStartOf(today);
  const terms: (Period & { key: string; label: string })[] = [];
  for (const y of [start, start - 1]) {
    for (const [key, date] of [
      [`${y + 1}-summer`, `${y + 1}-05-01`],
      [`${y + 1}-spring`, `${y + 1}-02-01`],
      [`${y}-autumn`, `${y}-10-01`],
    ] as const) {
      terms.push({ key, ...termPeriod(date) });
    }
  }
  return terms;
}

/** The term a map shows: the one asked for by key ("2026-autumn"), else today's. */
export function chosenTerm(today: IsoDate, key: string | undefined) {
  const terms = termsAround(today);
  const current = terms.find((t) => today >= t.from && today <= t.to) ?? terms[0]!;
  return { terms, term: terms.find((t) => t.key === key) ?? current, current };
}

/** The groups the SENCo's lists look at: those running since the start of last academic year. */
function attentionPeriod(year: Period, today: IsoDate): Period {
  return { from: `${Number(year.from.slice(0, 4)) - 1}-09-01`, to: today };
}

/**
 * The provision lists' rules, on groups and spells however much of them was read: running groups with
 * no check last half-term, ended groups with spells missing their exit measure, and pupils whose cost
 * this year is over the threshold (dearest first).
 */
function needingAttention<
  G extends StoredGroup & { id: string },
  S extends { memberId: string; groupId: string; pupilId: string; exitMeasure: number | null },
>(
  groups: readonly G[],
  checkDates: readonly { groupId: string; checkDates: IsoDate[] }[],
  spells: readonly S[],
  year: Period,
  today: IsoDate,
  thresholdPence: number,
) {
  const checks = new Map(checkDates.map((x) => [x.groupId, x.checkDates]));
  const spellsOf = new Map<string, S[]>();
  for (const s of spells) spellsOf.set(s.groupId, [...(spellsOf.get(s.groupId) ?? []), s]);
  const unchecked = groups
    .filter((g) => g.startDate <= today && !hasEnded(g, today))
    .map((g) => ({ group: g, check: checkState(g, checks.get(g.id) ?? [], today) }))
    .filter((x) => x.check.missedLastHalfTerm);
  const noExit = groups
    .filter((g) => hasEnded(g, today))
    .map((g) => ({
      group: g,
      missing: (spellsOf.get(g.id) ?? []).filter((s) => s.exitMeasure === null).length,
    }))
    .filter((x) => x.missing > 0);
  const perPupil = new Map<string, Fraction[]>();
  for (const g of groups) {
    const costs = memberCosts(costingOf(g), year);
    for (const s of spellsOf.get(g.id) ?? []) {
      const cost = costs.get(s.memberId);
      if (!cost) continue;
      perPupil.set(s.pupilId, [...(perPupil.get(s.pupilId) ?? []), cost]);
    }
  }
  const over = [...perPupil]
    .map(([pupilId, cost]) => ({ pupilId, pence: totalPence(cost) }))
    .filter((p) => p.pence > thresholdPence)
    .sort((x, y) => y.pence - x.pence);
  return { unchecked, noExit, over };
}

/** Each pupil's place in a group with its entry and exit measures, and how the group measures them. */
function spellMeasures(
  groups: readonly { id: string; measureKind: string }[],
  spells: readonly {
    groupId: string;
    entryMeasure: number | null;
    entryMeasuredOn: IsoDate | null;
    exitMeasure: number | null;
    exitMeasuredOn: IsoDate | null;
  }[],
): { kind: MeasureKind; measures: Measures }[] {
  const kindOf = new Map(groups.map((g) => [g.id, g.measureKind as MeasureKind]));
  return spells.flatMap((s) => {
    const kind = kindOf.get(s.groupId);
    if (!kind) return [];
    const measures = {
      entry: s.entryMeasure,
      entryOn: s.entryMeasuredOn,
      exit: s.exitMeasure,
      exitOn: s.exitMeasuredOn,
    };
    return [{ kind, measures }];
  });
}

/** The provision map's views: a pupil's provision, the termly map, the register, effectiveness, figures. */
export function createProvisionViews(
  database: Database,
  clock: Clock,
  options: { suppressionThreshold: number },
) {
  const { db } = database;

  /**
   * What stands in place of the prompt to apply for top-up funding, for each of these pupils who has it:
   * funding agreed for today, or an application waiting for the local authority's decision. Read only
   * for those who see the school's EHC work (to anyone else, every pupil over the threshold is prompted).
   */
  async function topUpStanding(
    a: SchoolActor,
    pupilIds: readonly string[],
    today: IsoDate,
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (pupilIds.length === 0 || !mayUseSection(a, 'ehc')) return found;
    const applications = await applicationFactsOfPupils(db, a.schoolId, pupilIds);
    for (const pupilId of new Set(applications.map((x) => x.pupilId))) {
      const text = topUpInHandText(
        topUpInHand(
          applications
            .filter((x) => x.pupilId === pupilId)
            .map((x) => ({
              status: x.status,
              sentOn: x.sentAt ? x.sentAt.toISOString().slice(0, 10) : null,
              decision: x.outcome
                ? { outcome: x.outcome, fundedFrom: x.fundedFrom, fundedUntil: x.fundedUntil }
                : null,
            })),
          today,
        ),
      );
      if (text) found.set(pupilId, text);
    }
    return found;
  }

  async function mapData(actor: Actor, filters: PupilFilters, termKey: string | undefined) {
    const a = requireSection(actor, 'provision');
    const today = clock.today();
    const { terms, term } = chosenTerm(today, termKey);
    const yearStart = academicYearStartOf(term.from);
    const year = academicYearPeriod(yearStart);
    const [rows, groups, threshold, classes, schoolYear] = await Promise.all([
      membershipsForMap(db, scopeOf(a), filters, academicYearStartOf(today), year),
      groupsOfSchool(db, a.schoolId, { during: year }),
      thresholdFor(db, a.schoolId),
      classesOfSchool(db, a.schoolId),
      schoolYearOf(db, a.schoolId),
    ]);
    const map = buildMap({ rows, groups, term, year, threshold });
    const topUps = await topUpStanding(
      a,
      map.pupils.filter((p) => p.status === 'over').map((p) => p.pupil.id),
      today,
    );
    return {
      a,
      map,
      /** For each pupil over the threshold with top-up funding agreed or asked for, what stands. */
      topUps,
      terms,
      term,
      yearLabel: academicYearLabel(yearStart),
      threshold,
      classes,
      yearGroups: { lowest: schoolYear?.lowest ?? -1, highest: schoolYear?.highest ?? 6 },
      canExport: capabilitiesOf(a.roles).has('provision.manage'),
      today,
    };
  }

  return {
    /** One pupil's provision and its cost (the pupil's record, their plan and letters show this). */
    async pupilProvision(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'provision');
      const found = await pupilFor(db, a, pupilId, { section: 'provision' });
      const [items, threshold] = await Promise.all([
        provisionOfPupil(db, a.schoolId, pupilId),
        thresholdFor(db, a.schoolId),
      ]);
      if (options.audit) await audit(db, a, 'provision.viewed', { pupilId, detail: { page: 'pupil' } });
      return { pupil: found.pupil, ...pupilProvision(items, threshold, clock.today()) };
    },

    /** The termly provision map, for the pupils the actor reaches, filtered. */
    async map(actor: Actor, filters: PupilFilters, termKey?: string) {
      const data = await mapData(actor, filters, termKey);
      await audit(db, data.a, 'provision.viewed', {
        detail: { page: 'map', term: data.term.key, filters: { ...filters } },
        shownPupilIds: data.map.pupils.map((p) => p.pupil.id),
      });
      const { a: _a, ...rest } = data;
      return rest;
    },

    /** The map for a CSV or print: only for those who export it. */
    async exportMap(
      actor: Actor,
      filters: PupilFilters,
      termKey: string | undefined,
      format: 'csv' | 'print' | 'pdf',
    ) {
      requireCapability(actor, 'provision.manage');
      const data = await mapData(actor, filters, termKey);
      await audit(db, data.a, 'provision.exported', {
        detail: { format, term: data.term.key, filters: { ...filters } },
        shownPupilIds: data.map.pupils.map((p) => p.pupil.id),
      });
      const { a: _a, ...rest } = data;
      return rest;
    },

    /** The intervention register: every group, current and past, with its dates, staff, pupils and impact. */
    async register(actor: Actor) {
      const a = requireCapability(actor, 'provision.manage');
      const today = clock.today();
      const groups = await groupsOfSchool(db, a.schoolId);
      const ids = groups.map((g) => g.id);
      const [spells, activity] = await Promise.all([
        allMemberships(db, a.schoolId),
        groupActivity(db, a.schoolId, ids),
      ]);
      const byGroup = new Map<string, typeof spells>();
      for (const s of spells) byGroup.set(s.groupId, [...(byGroup.get(s.groupId) ?? []), s]);
      const act = new Map(activity.map((x) => [x.groupId, x]));
      const rows = groups.map((g) => {
        const kind = g.measureKind as MeasureKind;
        const members = (byGroup.get(g.id) ?? []).map((s) => {
          const measures = {
            entry: s.entryMeasure,
            entryOn: s.entryMeasuredOn,
            exit: s.exitMeasure,
            exitOn: s.exitMeasuredOn,
          };
          return { ...s, measures, progress: progressOf(kind, measures) };
        });
        const to = g.endDate && g.endDate < today ? g.endDate : today;
        const costs =
          g.startDate <= to
            ? memberCosts(costingOf(g), { from: g.startDate, to })
            : new Map<string, Fraction>();
        return {
          group: g,
          members,
          impact: summarise(
            kind,
            members.map((m) => m.measures),
          ),
          costPence: totalPence([...costs.values()]),
          sessionsHeld: act.get(g.id)?.sessionsHeld ?? 0,
          ended: hasEnded(g, today),
          started: g.startDate <= today,
        };
      });
      await audit(db, a, 'provision.viewed', {
        detail: { page: 'register' },
        shownPupilIds: [...new Set(spells.map((s) => s.pupilId))],
      });
      return { rows, today };
    },

    /** How well each intervention works, for which pupils, and at what cost per unit of progress. */
    async effectiveness(actor: Actor, period: ImpactPeriod = 'all') {
      const a = requireCapability(actor, 'provision.manage');
      const today = clock.today();
      const [interventions, groups, spells] = await Promise.all([
        interventionsOfSchool(db, a.schoolId, today),
        groupsOfSchool(db, a.schoolId),
        allMemberships(db, a.schoolId),
      ]);
      await audit(db, a, 'provision.viewed', { detail: { page: 'effectiveness', period } });
      const rows = buildEffectiveness({ interventions, groups, spells, today, period });
      const measures = spellMeasures(groups, spells);
      const yearStart = academicYearStartOf(today);
      const periods = ([{ yearStart }, { yearStart: yearStart - 1 }, 'all'] as ImpactPeriod[]).map((p) => ({
        period: p,
        label: impactPeriodLabel(p, today),
        ...measuredProgress(measures, p),
      }));
      return { rows, today, period, periodLabel: impactPeriodLabel(period, today), periods };
    },

    /**
     * Totals only, for the SEN governor: this academic year's cost by area of need, how many pupils
     * are in interventions, and how many pupils measured at entry and exit made progress, this year so
     * far and last year (as "How well interventions work" counts them); small numbers hidden by the one
     * rule of figuresShown.
     */
    async figures(actor: Actor) {
      const a = requireCapability(actor, 'counts.view');
      const today = clock.today();
      const yearStart = academicYearStartOf(today);
      const year = academicYearPeriod(yearStart);
      const [allGroups, spells] = await Promise.all([
        groupsOfSchool(db, a.schoolId),
        allMemberships(db, a.schoolId),
      ]);
      const groups = allGroups.filter(
        (g) => g.startDate <= year.to && (g.endDate === null || g.endDate >= year.from),
      );
      const groupIds = new Set(groups.map((g) => g.id));
      const byArea = new Map<
        string,
        { pupils: Set<string>; cost: Fraction[]; costSoFar: Fraction[]; interventions: Set<string> }
      >();
      for (const area of AREAS_OF_NEED)
        byArea.set(area, { pupils: new Set(), cost: [], costSoFar: [], interventions: new Set() });
      const soFar = toDate(year, today);
      const everyone = new Set<string>();
      const inYear = spells.filter((s) => groupIds.has(s.groupId));
      for (const g of groups) {
        const costs = memberCosts(costingOf(g), year);
        const costsSoFar = soFar ? memberCosts(costingOf(g), soFar) : new Map<string, Fraction>();
        const cell = byArea.get(g.area);
        if (!cell) continue;
        cell.interventions.add(g.interventionId);
        for (const s of inYear.filter((x) => x.groupId === g.id)) {
          const cost = costs.get(s.memberId);
          if (!cost) continue;
          cell.pupils.add(s.pupilId);
          everyone.add(s.pupilId);
          cell.cost.push(cost);
          const sofar = costsSoFar.get(s.memberId);
          if (sofar) cell.costSoFar.push(sofar);
        }
      }
      // The pupils in interventions are a whole-school total, shown as counted; each area's pupils is
      // a breakdown (a pupil can be in several areas, so they add up to nothing on the page).
      const counts = new Map<string, number>([['all', everyone.size]]);
      for (const [area, c] of byArea) counts.set(area, c.pupils.size);
      const shown = figuresShown(counts, [], options.suppressionThreshold, { fixed: new Set(['all']) });
      const areaHidden = (area: string) => shownCount(shown, counts, area) === 'suppressed';

      // Impact, counted as the effectiveness page counts it: by the year the exit measure was taken.
      const measures = spellMeasures(allGroups, spells);
      const impact = [{ yearStart }, { yearStart: yearStart - 1 }].map((period) => {
        const { measured, improved } = measuredProgress(measures, period);
        // Those measured are a whole-school total; made progress or not, a breakdown of them.
        const cells = new Map([
          ['measured', measured],
          ['improved', improved],
          ['notImproved', measured - improved],
        ]);
        const sums: [string, string[]][] = [['measured', ['improved', 'notImproved']]];
        const hidden = figuresShown(cells, sums, options.suppressionThreshold, {
          fixed: new Set(['measured']),
        });
        return {
          label: impactPeriodLabel(period, today),
          measured,
          improved: shownCount(hidden, cells, 'improved'),
        };
      });
      await audit(db, a, 'provision.viewed', { detail: { page: 'figures' } });
      return {
        yearLabel: academicYearLabel(yearStart),
        areas: [...byArea].map(([area, c]) => ({
          area,
          pupils: shownCount(shown, counts, area),
          interventions: areaHidden(area) ? null : c.interventions.size,
          costPence: areaHidden(area) ? null : totalPence(c.cost),
        })),
        pupils: everyone.size,
        // The areas' costs add up to the total: with any area hidden, the total would give it away.
        costPence: [...byArea.keys()].some(areaHidden)
          ? null
          : totalPence([...byArea.values()].flatMap((c) => c.cost)),
        /** What the year's provision has cost up to today (hidden with the planned cost, the same way). */
        costSoFarPence: [...byArea.keys()].some(areaHidden)
          ? null
          : totalPence([...byArea.values()].flatMap((c) => c.costSoFar)),
        impact,
        threshold: options.suppressionThreshold,
      };
    },

    /**
     * For the SENCo's home page: groups with no check last half-term, ended groups missing exit
     * measures, and pupils over the threshold this year.
     */
    async attention(actor: Actor, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'provision.manage');
      const today = clock.today();
      const year = academicYearPeriod(academicYearStartOf(today));
      const [groups, threshold] = await Promise.all([
        groupsOfSchool(db, a.schoolId, { during: attentionPeriod(year, today) }),
        thresholdFor(db, a.schoolId),
      ]);
      const ids = groups.map((g) => g.id);
      const [checks, spells] = await Promise.all([
        checkDatesOfGroups(db, a.schoolId, ids),
        allMemberships(db, a.schoolId, ids),
      ]);
      const found = needingAttention(groups, checks, spells, year, today, threshold.thresholdPence);
      const names = new Map(spells.map((s) => [s.pupilId, `${s.forename} ${s.surname}`]));
      const inHand = await topUpStanding(
        a,
        found.over.map((p) => p.pupilId),
        today,
      );
      // Those with nothing in hand first: they are the ones to act on.
      const over = found.over
        .map((p) => ({ ...p, name: names.get(p.pupilId) ?? '', topUpInHand: inHand.get(p.pupilId) ?? null }))
        .sort((x, y) => Number(x.topUpInHand !== null) - Number(y.topUpInHand !== null));
      // The dashboard's counts name nobody: only a page listing the pupils is audited.
      if (options.audit && over.length > 0)
        await audit(db, a, 'provision.viewed', {
          detail: { page: 'home: over the threshold' },
          shownPupilIds: over.map((p) => p.pupilId),
        });
      const { unchecked, noExit } = found;
      return { unchecked, noExit, over, threshold, lastHalfTerm: unchecked[0]?.check.lastHalfTerm ?? null };
    },

    /**
     * How many groups and pupils each of `attention`'s lists holds, for the dashboard's counts: the same
     * rules on only what counting needs (names nobody, so nothing is audited).
     */
    async attentionCounts(actor: Actor) {
      const a = requireCapability(actor, 'provision.manage');
      const today = clock.today();
      const year = academicYearPeriod(academicYearStartOf(today));
      const [groups, threshold] = await Promise.all([
        groupsForCosting(db, a.schoolId, attentionPeriod(year, today)),
        thresholdFor(db, a.schoolId),
      ]);
      const ids = groups.map((g) => g.id);
      const [checks, spells] = await Promise.all([
        checkDatesOfGroups(db, a.schoolId, ids),
        spellsForCounting(db, a.schoolId, ids),
      ]);
      const found = needingAttention(groups, checks, spells, year, today, threshold.thresholdPence);
      const inHand = await topUpStanding(
        a,
        found.over.map((p) => p.pupilId),
        today,
      );
      return {
        unchecked: found.unchecked.length,
        noExit: found.noExit.length,
        over: found.over.filter((p) => !inHand.has(p.pupilId)).length,
      };
    },
  };
}
