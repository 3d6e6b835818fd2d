import type { Executor } from '../../db/client.ts';
import {
  REFERRAL_COUNT_GROUPS,
  referralCountGroup,
  SERVICE_KIND_LABELS,
  SERVICE_KINDS,
} from '../../domain/agencies.ts';
import { academicYearLabel } from '../../domain/calendar.ts';
import {
  AREA_LABELS,
  AREAS_OF_NEED,
  areaOfNeed,
  NEED_CODES,
  NEEDS,
  type NeedCode,
} from '../../domain/census.ts';
import type { IsoDate } from '../../domain/dates.ts';
import type { MeasureKind } from '../../domain/provision.ts';
import { academicYearPeriod, type Fraction, memberCosts, totalPence } from '../../domain/provision-costs.ts';
import { measuredProgress } from '../../domain/provision-impact.ts';
import { costingOf } from '../../domain/provision-summary.ts';
import { onRegister, type SenStage } from '../../domain/register.ts';
import { stagesAt } from '../../domain/school-reports.ts';
import { figuresShown, type ShownCount, shownCount } from '../../domain/suppression.ts';
import { referralCountsOfSchool } from '../../repositories/agencies.ts';
import { progressOfPupils } from '../../repositories/attainment.ts';
import { requestOutcomeCounts } from '../../repositories/ehc-figures.ts';
import { allMemberships, groupsOfSchool, interventionsOfSchool } from '../../repositories/provision.ts';
import {
  complaintCounts,
  currentSenco,
  peopleTrained,
  pupilsForHistory,
  registerChangesOfSchool,
  trainingCounts,
} from '../../repositories/school-reports.ts';
import { shownFigures } from '../register/index.ts';

/*
 * The figures of a school's SEN reports for an academic year, drawn from live data: counts only, no
 * pupil named, small numbers suppressed by the one rule of figuresShown (domain/suppression.ts) for
 * everyone who reads a report (it goes on the school's website). Plain data, so that a published
 * report keeps them as they were (`school_report.published`).
 */

export interface StageYear {
  yearLabel: string;
  /** The date the year's figures were counted on. */
  countedOn: IsoDate;
  onRoll: number;
  senSupport: number;
  ehcPlan: number;
}

export interface ShareFigure {
  /** Pupils with a result and a trajectory this year: a total, shown as counted. */
  assessed: number;
  onOrAbove: ShownCount;
}

export interface ReportFigures {
  academicYear: number;
  yearLabel: string;
  countedOn: IsoDate;
  threshold: number;
  /** Whole-school totals at each stage, this year and the two before. */
  stagesOverYears: StageYear[];
  /** Pupils on the register by primary need now (SEN support and EHC plan), small numbers hidden. */
  needs: { code: NeedCode | 'none'; label: string; senSupport: ShownCount; ehcPlan: ShownCount }[];
  areas: { label: string; pupils: ShownCount }[];
  /**
   * Pupils on the register by broad area of need in each of the three years (each year's small numbers
   * hidden by the same rule). Absent from reports published before it was counted.
   */
  areasOverYears?: { yearLabel: string; areas: { label: string; pupils: ShownCount }[] }[];
  progress: { subject: string; sen: ShareFigure; peers: ShareFigure }[];
  provision: {
    pupils: number;
    /** The year's cost of all provision, or null when an area's hidden cost would show in it. */
    costPence: number | null;
    /**
     * The last day the cost is counted to: the year's end for a finished year, the counting date for
     * the current one (the cost so far, not an estimate of the whole year). Absent from reports
     * published before it was recorded.
     */
    costTo?: IsoDate;
    areas: { label: string; pupils: ShownCount; costPence: number | null }[];
    /** How many pupils measured at entry and exit made progress, intervention by intervention. */
    interventions: { name: string; measured: number; improved: ShownCount }[];
    measured: number;
    improved: ShownCount;
  };
  ehc: { requests: ShownCount; plansHeld: number };
  training: {
    sessions: number;
    people: number;
    hours: number;
    byArea: { label: string; sessions: number; hours: number }[];
    senco: { name: string; appointedOn: IsoDate; qualification: string; achievedOn: IsoDate | null } | null;
  };
  complaints: {
    total: number;
    concerns: ShownCount;
    formal: ShownCount;
    byStage: { label: string; n: ShownCount }[];
    byOutcome: { label: string; n: ShownCount }[];
  };
  agencies: { label: string; n: ShownCount }[];
}

const STAGE_NAMES = {
  senco: 'SENCo',
  head_teacher: 'Head teacher',
  governors_panel: 'Governors’ panel',
} as const;
const OUTCOME_NAMES = {
  resolved: 'Resolved',
  upheld: 'Upheld',
  partly_upheld: 'Partly upheld',
  not_upheld: 'Not upheld',
  withdrawn: 'Withdrawn',
  open: 'Still open',
} as const;
const QUALIFICATIONS = {
  national_award: 'National Award for SEN Co-ordination',
  npq_senco: 'NPQ for SENCOs',
} as const;

/** The date a year's figures are counted on: 1 October (the autumn census), or today if that is sooner. */
export function countingDate(academicYear: number, today: IsoDate): IsoDate {
  const autumn = `${academicYear}-10-01`;
  const end = `${academicYear + 1}-08-31`;
  if (today < autumn) return today;
  return today < end ? today : end;
}

export async function reportFigures(
  tx: Executor,
  schoolId: string,
  academicYear: number,
  today: IsoDate,
  threshold: number,
): Promise<ReportFigures> {
  const countedOn = countingDate(academicYear, today);
  const year = academicYearPeriod(academicYear);
  const to = countedOn < year.to ? countedOn : year.to;
  const [pupils, changes] = await Promise.all([
    pupilsForHistory(tx, schoolId),
    registerChangesOfSchool(tx, schoolId),
  ]);

  // Stages over three years: whole-school totals, shown as counted.
  const stagesOverYears: StageYear[] = [academicYear - 2, academicYear - 1, academicYear].map((y) => {
    const on = countingDate(y, today);
    const at = stagesAt(pupils, changes, on);
    return {
      yearLabel: academicYearLabel(y),
      countedOn: on,
      onRoll: at.length,
      senSupport: at.filter((p) => p.stage === 'sen_support').length,
      ehcPlan: at.filter((p) => p.stage === 'ehc_plan').length,
    };
  });

  // Needs now, by the register's one rule for those who see no named pupil.
  const now = stagesAt(pupils, changes, countedOn);
  const areasOverYears = [academicYear - 2, academicYear - 1, academicYear].map((y) => ({
    yearLabel: academicYearLabel(y),
    areas: needsAt(stagesAt(pupils, changes, countingDate(y, today)), threshold).areas,
  }));
  const byStage = { none: 0, monitoring: 0, sen_support: 0, ehc_plan: 0 } as Record<SenStage, number>;
  const byNeed = Object.fromEntries(NEED_CODES.map((c) => [c, { sen_support: 0, ehc_plan: 0 }])) as Record<
    NeedCode,
    { sen_support: number; ehc_plan: number }
  >;
  const byArea = Object.fromEntries([...AREAS_OF_NEED, 'other'].map((x) => [x, 0])) as Record<string, number>;
  for (const p of now) {
    byStage[p.stage] += 1;
    if (p.primaryNeed && onRegister(p.stage) && (p.stage === 'sen_support' || p.stage === 'ehc_plan')) {
      byNeed[p.primaryNeed][p.stage] += 1;
      byArea[areaOfNeed(p.primaryNeed) ?? 'other'] = (byArea[areaOfNeed(p.primaryNeed) ?? 'other'] ?? 0) + 1;
    }
  }
  const shown = shownFigures({ total: now.length, byStage, byNeed, byArea: byArea as never }, threshold);
  const needs: ReportFigures['needs'] = [
    ...NEED_CODES.filter((c) => byNeed[c].sen_support + byNeed[c].ehc_plan > 0).map((c) => ({
      code: c,
      label: NEEDS[c].label,
      senSupport: shown.byNeed[c].sen_support,
      ehcPlan: shown.byNeed[c].ehc_plan,
    })),
  ];
  const areas = areasShown(shown.byArea);

  const sen = now.filter((p) => p.stage === 'sen_support' || p.stage === 'ehc_plan').map((p) => p.id);
  const senSet = new Set(sen);
  const peers = now.filter((p) => !senSet.has(p.id)).map((p) => p.id);

  const [progress, provision, ehc, training, complaints, agencies] = await Promise.all([
    progressFigures(tx, schoolId, sen, peers, academicYear, threshold),
    provisionFigures(tx, schoolId, academicYear, today, threshold),
    requestOutcomeCounts(tx, schoolId, year.from, to),
    trainingFigures(tx, schoolId, year.from, to),
    complaintFigures(tx, schoolId, year.from, to, threshold),
    agencyFigures(tx, schoolId, threshold),
  ]);
  const requests = ehc.reduce((sum, r) => sum + r.n, 0);
  const requestCells = new Map([['requests', requests]]);
  return {
    academicYear,
    yearLabel: academicYearLabel(academicYear),
    countedOn,
    threshold,
    stagesOverYears,
    needs,
    areas,
    areasOverYears,
    progress,
    provision,
    ehc: {
      requests: shownCount(figuresShown(requestCells, [], threshold), requestCells, 'requests'),
      plansHeld: byStage.ehc_plan,
    },
    training,
    complaints,
    agencies,
  };
}

/** The areas of need as the register's figures show them, "Other" last, so that they add up to the register. */
function areasShown(
  byArea: ReturnType<typeof shownFigures>['byArea'],
): { label: string; pupils: ShownCount }[] {
  return [
    ...[...AREAS_OF_NEED].map((x) => ({ label: AREA_LABELS[x], pupils: byArea[x] })),
    { label: 'Other', pupils: byArea.other },
  ];
}

/** Pupils on the register by broad area of need on a date, by the register's one rule. */
function needsAt(at: ReturnType<typeof stagesAt>, threshold: number) {
  const byStage = { none: 0, monitoring: 0, sen_support: 0, ehc_plan: 0 } as Record<SenStage, number>;
  const byNeed = Object.fromEntries(NEED_CODES.map((c) => [c, { sen_support: 0, ehc_plan: 0 }])) as Record<
    NeedCode,
    { sen_support: number; ehc_plan: number }
  >;
  const byArea = Object.fromEntries([...AREAS_OF_NEED, 'other'].map((x) => [x, 0])) as Record<string, number>;
  for (const p of at) {
    byStage[p.stage] += 1;
    if (p.primaryNeed && onRegister(p.stage)) {
      byNeed[p.primaryNeed][p.stage] += 1;
      const area = areaOfNeed(p.primaryNeed) ?? 'other';
      byArea[area] = (byArea[area] ?? 0) + 1;
    }
  }
  const shown = shownFigures({ total: at.length, byStage, byNeed, byArea: byArea as never }, threshold);
  return { areas: areasShown(shown.byArea) };
}

/** For each subject, the share of pupils with SEN on or above their trajectory, beside their peers'. */
async function progressFigures(
  tx: Executor,
  schoolId: string,
  sen: string[],
  peers: string[],
  academicYear: number,
  threshold: number,
): Promise<ReportFigures['progress']> {
  const { subjects, progress } = await progressOfPupils(tx, schoolId, [...sen, ...peers], academicYear);
  return subjects.map((s) => {
    const share = (ids: string[]): ShareFigure => {
      let assessed = 0;
      let onOrAbove = 0;
      for (const id of ids) {
        const status = progress.get(id)?.get(s.id)?.status;
        if (status === 'on' || status === 'above' || status === 'below') assessed++;
        if (status === 'on' || status === 'above') onOrAbove++;
      }
      // Those assessed are a total; on or above and below it, a breakdown of them (as impact measures).
      const cells = new Map([
        ['assessed', assessed],
        ['on', onOrAbove],
        ['below', assessed - onOrAbove],
      ]);
      const hidden = figuresShown(cells, [['assessed', ['on', 'below']]], threshold, {
        fixed: new Set(['assessed']),
      });
      return { assessed, onOrAbove: shownCount(hidden, cells, 'on') };
    };
    return { subject: s.name, sen: share(sen), peers: share(peers) };
  });
}

/** The year's provision: cost and pupils by area of need, and progress made intervention by intervention. */
async function provisionFigures(
  tx: Executor,
  schoolId: string,
  academicYear: number,
  today: IsoDate,
  threshold: number,
): Promise<ReportFigures['provision']> {
  const whole = academicYearPeriod(academicYear);
  // The cost so far this year, never the whole year's before it has happened.
  const costTo = today < whole.to && today >= whole.from ? today : whole.to;
  const year = { from: whole.from, to: costTo };
  const [allGroups, spells, interventions] = await Promise.all([
    groupsOfSchool(tx, schoolId),
    allMemberships(tx, schoolId),
    interventionsOfSchool(tx, schoolId, today),
  ]);
  const groups = allGroups.filter(
    (g) => g.startDate <= year.to && (g.endDate === null || g.endDate >= year.from),
  );
  const byArea = new Map<string, { pupils: Set<string>; cost: Fraction[] }>();
  for (const area of AREAS_OF_NEED) byArea.set(area, { pupils: new Set(), cost: [] });
  const everyone = new Set<string>();
  for (const g of groups) {
    const costs = memberCosts(costingOf(g), year);
    const cell = byArea.get(g.area);
    if (!cell) continue;
    for (const s of spells) {
      if (s.groupId !== g.id) continue;
      const cost = costs.get(s.memberId);
      if (!cost) continue;
      cell.pupils.add(s.pupilId);
      everyone.add(s.pupilId);
      cell.cost.push(cost);
    }
  }
  const counts = new Map<string, number>([['all', everyone.size]]);
  for (const [area, c] of byArea) counts.set(area, c.pupils.size);
  const shown = figuresShown(counts, [], threshold, { fixed: new Set(['all']) });
  const hidden = (area: string) => shownCount(shown, counts, area) === 'suppressed';

  // Impact, as the effectiveness page counts it: by the year the exit measure was taken.
  const kindOf = new Map(allGroups.map((g) => [g.id, g.measureKind as MeasureKind]));
  const interventionOf = new Map(allGroups.map((g) => [g.id, g.interventionId]));
  const measuresOf = (keep: (groupId: string) => boolean) =>
    spells
      .filter((s) => keep(s.groupId) && kindOf.has(s.groupId))
      .map((s) => ({
        kind: kindOf.get(s.groupId) as MeasureKind,
        measures: {
          entry: s.entryMeasure,
          entryOn: s.entryMeasuredOn,
          exit: s.exitMeasure,
          exitOn: s.exitMeasuredOn,
        },
      }));
  const period = { yearStart: academicYear };
  const all = measuredProgress(
    measuresOf(() => true),
    period,
  );
  const measuredRows = interventions
    .map((i) => ({
      name: i.name,
      ...measuredProgress(
        measuresOf((g) => interventionOf.get(g) === i.id),
        period,
      ),
    }))
    .filter((r) => r.measured > 0);
  const impact = impactShown(all, measuredRows, threshold);
  const rows = measuredRows.map((r, i) => ({
    name: r.name,
    measured: r.measured,
    improved: impact.rows[i] as ShownCount,
  }));
  return {
    pupils: everyone.size,
    costTo,
    costPence: [...byArea.keys()].some(hidden)
      ? null
      : totalPence([...byArea.values()].flatMap((c) => c.cost)),
    areas: [...byArea].map(([area, c]) => ({
      label: AREA_LABELS[area as keyof typeof AREA_LABELS],
      pupils: shownCount(shown, counts, area),
      costPence: hidden(area) ? null : totalPence(c.cost),
    })),
    interventions: rows,
    measured: all.measured,
    improved: impact.all,
  };
}

/**
 * Progress made, intervention by intervention and in all, suppressed together: the rows and the total
 * are one table, so a hidden row can never be worked out by taking the shown rows from the total. The
 * pupils measured are totals, shown as counted; those who made progress and those who did not are its
 * breakdown, each row's and the whole's (the spells of groups with no intervention on the list are a
 * part the page never shows).
 */
export function impactShown(
  all: { measured: number; improved: number },
  rows: readonly { measured: number; improved: number }[],
  threshold: number,
): { all: ShownCount; rows: ShownCount[] } {
  const cells = new Map<string, number>([
    ['measured', all.measured],
    ['improved', all.improved],
    ['not', all.measured - all.improved],
  ]);
  const rest = { improved: all.improved, not: all.measured - all.improved };
  rows.forEach((r, i) => {
    cells.set(`measured:${i}`, r.measured);
    cells.set(`improved:${i}`, r.improved);
    cells.set(`not:${i}`, r.measured - r.improved);
    rest.improved -= r.improved;
    rest.not -= r.measured - r.improved;
  });
  // The rest (groups of no intervention on the list) is a row the page never shows, but its pupils
  // measured are known to a reader: the whole's less the rows'.
  const restMeasured = rest.improved + rest.not;
  const hasRest = restMeasured > 0;
  cells.set('improved:rest', rest.improved);
  cells.set('not:rest', rest.not);
  cells.set('measured:rest', restMeasured);
  const restOf = (k: 'improved' | 'not') => (hasRest ? [`${k}:rest`] : []);
  const sums: [string, string[]][] = [
    ['measured', ['improved', 'not']],
    ...rows.map((_r, i): [string, string[]] => [`measured:${i}`, [`improved:${i}`, `not:${i}`]]),
    ['improved', [...rows.map((_r, i) => `improved:${i}`), ...restOf('improved')]],
    ['not', [...rows.map((_r, i) => `not:${i}`), ...restOf('not')]],
  ];
  if (hasRest) sums.push(['measured:rest', ['improved:rest', 'not:rest']]);
  const shown = figuresShown(cells, sums, threshold, {
    fixed: new Set(['measured', 'measured:rest', ...rows.map((_r, i) => `measured:${i}`)]),
    unshown: new Set(['improved:rest', 'not:rest']),
  });
  return {
    all: shownCount(shown, cells, 'improved'),
    rows: rows.map((_r, i) => shownCount(shown, cells, `improved:${i}`)),
  };
}

/** Training of staff (no pupil in it: counts are not suppressed) and the SENCO's qualification. */
async function trainingFigures(
  tx: Executor,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
): Promise<ReportFigures['training']> {
  const [rows, people, senco] = await Promise.all([
    trainingCounts(tx, schoolId, from, to),
    peopleTrained(tx, schoolId, from, to),
    currentSenco(tx, schoolId),
  ]);
  const label = (area: string | null) =>
    area && area in AREA_LABELS ? AREA_LABELS[area as keyof typeof AREA_LABELS] : 'SEN in general';
  return {
    sessions: rows.reduce((sum, r) => sum + r.sessions, 0),
    people,
    hours: Math.round(rows.reduce((sum, r) => sum + Number(r.hours), 0) * 10) / 10,
    byArea: rows
      .map((r) => ({
        label: label(r.needArea),
        sessions: r.sessions,
        hours: Math.round(Number(r.hours) * 10) / 10,
      }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    senco: senco
      ? {
          name: senco.name,
          appointedOn: senco.appointedOn,
          qualification: senco.qualification ? QUALIFICATIONS[senco.qualification] : 'Not yet achieved',
          achievedOn: senco.achievedOn,
        }
      : null,
  };
}

/** Complaints received in the year: concerns and formal complaints, the stage reached and the outcome. */
async function complaintFigures(
  tx: Executor,
  schoolId: string,
  from: IsoDate,
  to: IsoDate,
  threshold: number,
): Promise<ReportFigures['complaints']> {
  const rows = await complaintCounts(tx, schoolId, from, to);
  const cells = new Map<string, number>();
  const add = (k: string, n: number) => cells.set(k, (cells.get(k) ?? 0) + n);
  add('all', 0);
  add('concern', 0);
  add('formal', 0);
  for (const s of Object.keys(STAGE_NAMES)) add(`stage:${s}`, 0);
  for (const o of Object.keys(OUTCOME_NAMES)) add(`outcome:${o}`, 0);
  for (const r of rows) {
    add('all', r.n);
    add(r.kind, r.n);
    if (r.kind === 'formal') add(`stage:${r.stage}`, r.n);
    add(`outcome:${r.status === 'open' || !r.outcome ? 'open' : r.outcome}`, r.n);
  }
  const shown = figuresShown(
    cells,
    [
      ['all', ['concern', 'formal']],
      ['formal', Object.keys(STAGE_NAMES).map((s) => `stage:${s}`)],
      ['all', Object.keys(OUTCOME_NAMES).map((o) => `outcome:${o}`)],
    ],
    threshold,
    { fixed: new Set(['all']) },
  );
  const show = (k: string) => shownCount(shown, cells, k);
  return {
    total: cells.get('all') ?? 0,
    concerns: show('concern'),
    formal: show('formal'),
    byStage: Object.entries(STAGE_NAMES).map(([k, label]) => ({ label, n: show(`stage:${k}`) })),
    byOutcome: Object.entries(OUTCOME_NAMES).map(([k, label]) => ({ label, n: show(`outcome:${k}`) })),
  };
}

/** Referrals to outside services by kind of service (all of the school's, however far they got). */
async function agencyFigures(
  tx: Executor,
  schoolId: string,
  threshold: number,
): Promise<ReportFigures['agencies']> {
  const rows = await referralCountsOfSchool(tx, schoolId);
  const byKind = new Map<string, number>();
  for (const r of rows) {
    // Every status counts: the service was used (referralCountGroup keeps the groups the same).
    if (REFERRAL_COUNT_GROUPS.includes(referralCountGroup(r.status)))
      byKind.set(r.serviceKind, (byKind.get(r.serviceKind) ?? 0) + r.n);
  }
  const kinds = SERVICE_KINDS.filter((k) => byKind.has(k));
  const cells = new Map<string, number>(kinds.map((k) => [k, byKind.get(k) ?? 0]));
  cells.set(
    'all',
    [...cells.values()].reduce((a, b) => a + b, 0),
  );
  const shown = figuresShown(cells, [['all', kinds]], threshold, { fixed: new Set(['all']) });
  return kinds.map((k) => ({ label: SERVICE_KIND_LABELS[k], n: shownCount(shown, cells, k) }));
}

/** A share as a whole percentage; hidden when the count it is made from is hidden. */
export type Share = number | 'suppressed' | null;

/** One school's figures from its published governors' report, as rates that compare across schools. */
export interface ComparableFigures {
  yearLabel: string;
  /** Pupils with SEN on or above their trajectory, across the school's subjects. */
  senOnTrack: Share;
  peersOnTrack: Share;
  /** Pupils measured at entry and exit of an intervention who made progress. */
  madeProgress: Share;
  /** The year's provision cost per pupil in interventions (pence), hidden with the cost. */
  costPerPupilPence: number | 'suppressed' | null;
  staffTrained: number;
  complaints: number;
}

export function comparableFigures(f: ReportFigures): ComparableFigures {
  const across = (pick: (p: ReportFigures['progress'][number]) => ShareFigure): Share => {
    let assessed = 0;
    let on = 0;
    for (const p of f.progress) {
      const s = pick(p);
      // A hidden count hides the share it is part of: the share would give it away.
      if (typeof s.onOrAbove !== 'number') return 'suppressed';
      assessed += s.assessed;
      on += s.onOrAbove;
    }
    return assessed === 0 ? null : Math.round((100 * on) / assessed);
  };
  const improved = f.provision.improved;
  return {
    yearLabel: f.yearLabel,
    senOnTrack: across((p) => p.sen),
    peersOnTrack: across((p) => p.peers),
    madeProgress:
      typeof improved !== 'number'
        ? 'suppressed'
        : f.provision.measured === 0
          ? null
          : Math.round((100 * improved) / f.provision.measured),
    costPerPupilPence:
      f.provision.costPence === null
        ? 'suppressed'
        : f.provision.pupils === 0
          ? null
          : Math.round(f.provision.costPence / f.provision.pupils),
    staffTrained: f.training.people,
    complaints: f.complaints.total,
  };
}
