import { ncYearLabel } from '../../../domain/calendar.ts';
import { AREA_LABELS, AREAS_OF_NEED, type AreaOfNeed } from '../../../domain/census.ts';
import { formatDate, type IsoDate } from '../../../domain/dates.ts';
import {
  CHECK_DECISION_LABELS,
  CHECK_DECISIONS,
  type CheckDecision,
  COST_MODEL_LABELS,
  COST_MODELS,
  type CostModel,
  DELIVERER_KINDS,
  DELIVERER_LABELS,
  type DelivererKind,
  MEASURE_KINDS,
  MEASURE_LABELS,
  type MeasureKind,
} from '../../../domain/provision.ts';
import {
  formatPence,
  penceForInput,
  THRESHOLD_LABELS,
  type ThresholdStatus,
} from '../../../domain/provision-costs.ts';
import {
  describeProgress,
  formatMeasure,
  IMPACT_PERIOD_RULE,
  type ImpactPeriod,
  type ImpactSummary,
  measureForInput,
  measureHint,
} from '../../../domain/provision-impact.ts';
import type { CheckState } from '../../../domain/provision-rules.ts';
import { frequencyText, minutesText } from '../../../domain/provision-summary.ts';
import { type SenStage, STAGE_LABELS } from '../../../domain/register.ts';
import { notSchoolDayReason } from '../../../domain/school-days.ts';
import { figuresNotice } from '../../../presenters/figures.ts';
import { mapModel, progressText } from '../../../presenters/provision.ts';
import type { PupilFilters } from '../../../repositories/pupils.ts';
import type { ProvisionService } from '../../../services/provision/index.ts';
import { dateParts } from '../../forms/dates.ts';
import type { FormBody } from '../../forms/fields.ts';
import { paths } from '../../paths.ts';
import { filterOptions, filterQuery } from '../../shared/pupil-filters.ts';

export { progressText };

/** Shapes for the provision pages: words, pounds and dates as people read them. */

export const money = formatPence;

export function dates(from: IsoDate, to: IsoDate | null): string {
  return to ? `${formatDate(from)} to ${formatDate(to)}` : `From ${formatDate(from)}`;
}

export function areaLabel(area: string): string {
  return AREA_LABELS[area as AreaOfNeed] ?? 'Other';
}

export function statusTag(status: ThresholdStatus): { text: string; classes: string } {
  return {
    text: THRESHOLD_LABELS[status],
    classes:
      status === 'over' ? 'govuk-tag--red' : status === 'nearing' ? 'govuk-tag--yellow' : 'govuk-tag--green',
  };
}

export function impactText(kind: MeasureKind, s: ImpactSummary): string {
  if (s.measured === 0) return 'No pupil measured at entry and exit yet';
  const avg = s.averageProgress ?? 0;
  const parts = [
    `${s.measured} of ${s.pupils} measured`,
    `${s.improved} made progress`,
    `average ${describeProgress(kind, avg)}`,
  ];
  if (s.averageRatioGain !== null) parts.push(`average ratio gain ${s.averageRatioGain.toFixed(1)}`);
  return parts.join('; ');
}

export function checkText(check: CheckState, ended: boolean): string {
  if (check.checkedThisHalfTerm) return `Checked this half-term (${check.thisHalfTerm.label})`;
  if (check.missedLastHalfTerm) return `No check for ${check.lastHalfTerm.label}: check it now`;
  return ended ? 'Ended' : `Due this half-term (${check.thisHalfTerm.label})`;
}

export function measureLabel(kind: string, name: string | null): string {
  return name
    ? `${name} (${MEASURE_LABELS[kind as MeasureKind] ?? kind})`
    : (MEASURE_LABELS[kind as MeasureKind] ?? kind);
}

export const labels = {
  deliverer: (k: string) => DELIVERER_LABELS[k as DelivererKind] ?? k,
  costModel: (k: string) => COST_MODEL_LABELS[k as CostModel] ?? k,
  decision: (k: string) => CHECK_DECISION_LABELS[k as CheckDecision] ?? k,
  stage: (s: string) => STAGE_LABELS[s as SenStage] ?? s,
  measure: (kind: string, v: number | null) => formatMeasure(kind as MeasureKind, v),
  year: (n: number | null) => (n === null || n === undefined ? '' : ncYearLabel(n)),
  frequency: frequencyText,
  minutes: minutesText,
};

/** Every area of need, in the Code of Practice's order, for the map's columns. */
export const MAP_AREAS = AREAS_OF_NEED.map((area) => ({ area, label: AREA_LABELS[area] }));

/** What a provision service call gives back (the page's data before it is shaped). */
export type ProvisionResult<K extends keyof ProvisionService> = ProvisionService[K] extends (
  ...args: never[]
) => Promise<infer R>
  ? R
  : never;

const fullName = (p: { forename: string; surname: string }) => `${p.forename} ${p.surname}`;

/** Radio or select options from a list of values and their words. */
export const options = <T extends string>(values: readonly T[], words: Record<T, string>) =>
  values.map((v) => ({ value: v, text: words[v] }));

/** The choices on the intervention form. */
export const INTERVENTION_OPTIONS = {
  areaOptions: options(AREAS_OF_NEED, AREA_LABELS),
  delivererOptions: options(DELIVERER_KINDS, DELIVERER_LABELS),
  costModelOptions: options(COST_MODELS, COST_MODEL_LABELS),
  measureOptions: options(MEASURE_KINDS, MEASURE_LABELS),
};

/** Who delivers a group, as the group form offers it. */
export const DELIVERER_KIND_OPTIONS = options(DELIVERER_KINDS, DELIVERER_LABELS);

/** The decisions of a half-termly check. */
export const CHECK_DECISION_OPTIONS = options(CHECK_DECISIONS, CHECK_DECISION_LABELS);

/** The groups page: each group with its dates, how often it meets and where its half-termly check stands. */
export function groupListRows<
  G extends {
    startDate: IsoDate;
    endDate: IsoDate | null;
    sessionsPerWeek: number;
    minutesPerSession: number;
    check: CheckState;
    ended: boolean;
  },
>(groups: readonly G[]) {
  return groups.map((g) => ({
    ...g,
    dates: dates(g.startDate, g.endDate),
    frequency: labels.frequency(g.sessionsPerWeek, g.minutesPerSession),
    checkText: checkText(g.check, g.ended),
  }));
}

/**
 * The catalogue by area of need, in the Code of Practice's order; archived interventions only for
 * those who manage the catalogue.
 */
export function catalogueByArea(catalogue: ProvisionResult<'catalogue'>) {
  const { interventions, actions } = catalogue;
  return AREAS_OF_NEED.map((area) => ({
    label: AREA_LABELS[area],
    interventions: interventions
      .filter((i) => i.area === area && (!i.archivedAt || actions.manageCatalogue))
      .map((i) => ({
        ...i,
        frequency: labels.frequency(i.sessionsPerWeek, i.minutesPerSession),
        deliverer: labels.deliverer(i.usualDeliverer),
        cost:
          i.costModel === 'staff_time'
            ? COST_MODEL_LABELS.staff_time
            : `${COST_MODEL_LABELS[i.costModel]}: ${money(i.fixedCostPence ?? 0)}`,
        measure: measureLabel(i.measureKind, i.measureName),
      })),
  }));
}

/** The form to add an intervention to the catalogue. */
export function newInterventionModel() {
  return { pageTitle: 'Add an intervention', ...INTERVENTION_OPTIONS, isNew: true };
}

/** A new intervention starts as a small group three times a week, costed by staff time. */
export function newInterventionValues(): FormBody {
  return { usualGroupSize: '4', sessionsPerWeek: '3', minutesPerSession: '30', costModel: 'staff_time' };
}

/** The form to change an intervention (its measure is fixed once a pupil has been measured by it). */
export function interventionEditModel(found: ProvisionResult<'interventionForEdit'>) {
  return {
    pageTitle: `Change ${found.intervention.name}`,
    ...INTERVENTION_OPTIONS,
    intervention: found.intervention,
    hasMeasures: found.hasMeasures,
    version: found.intervention.version,
  };
}

/** The intervention form filled in from the intervention being changed. */
export function interventionFormValues(i: ProvisionResult<'interventionForEdit'>['intervention']): FormBody {
  return {
    name: i.name,
    area: i.area,
    description: i.description ?? '',
    evidenceBase: i.evidenceBase ?? '',
    usualDeliverer: i.usualDeliverer,
    usualGroupSize: String(i.usualGroupSize),
    sessionsPerWeek: String(i.sessionsPerWeek),
    minutesPerSession: String(i.minutesPerSession),
    costModel: i.costModel,
    fixedCost: penceForInput(i.fixedCostPence),
    measureKind: i.measureKind,
    measureName: i.measureName ?? '',
    version: String(i.version),
  };
}

/** The rates form: each rate in pounds, and the rate shown (in pence) to tell if someone else saved meanwhile. */
export function ratesFormValues(rates: readonly { kind: string; hourlyPence: number }[]): FormBody {
  return Object.fromEntries(
    rates.flatMap((r) => [
      [r.kind, penceForInput(r.hourlyPence)],
      [`shown-${r.kind}`, String(r.hourlyPence)],
    ]),
  );
}

/** The new-group form: the catalogue, who can deliver, and the pupils on the register with their year and stage. */
export function newGroupFormModel(o: ProvisionResult<'groupFormOptions'>) {
  return {
    pageTitle: 'Start a group',
    isNew: true,
    interventions: o.interventions,
    deliverers: o.deliverers,
    pupils: o.pupils.map((x) => ({ ...x, year: labels.year(x.ncYear), stage: labels.stage(x.senStage) })),
    delivererKinds: DELIVERER_KIND_OPTIONS,
  };
}

/** A new group starts today, with the settings of the intervention chosen in the catalogue (if any). */
export function newGroupFormValues(
  interventions: ProvisionResult<'groupFormOptions'>['interventions'],
  interventionId: string | undefined,
  today: IsoDate,
): FormBody {
  const chosen = interventions.find((i) => i.id === interventionId);
  return {
    ...dateParts('startDate', today),
    ...(chosen
      ? {
          interventionId: chosen.id,
          name: chosen.name,
          delivererKind: chosen.usualDeliverer,
          sessionsPerWeek: String(chosen.sessionsPerWeek),
          minutesPerSession: String(chosen.minutesPerSession),
        }
      : {}),
  };
}

/**
 * A group's page: its details in words, each pupil's spell, measures, progress and cost this year,
 * the sessions with who was there, and the half-termly checks.
 */
export function groupPageModel(page: ProvisionResult<'group'>) {
  const kind = page.group.measureKind as MeasureKind;
  const names = new Map(page.members.map((m) => [m.member.pupilId, fullName(m)]));
  return {
    pageTitle: page.group.name,
    ...page,
    area: areaLabel(page.group.area),
    dates: dates(page.group.startDate, page.group.endDate),
    frequency: labels.frequency(page.group.sessionsPerWeek, page.group.minutesPerSession),
    deliverer: `${page.group.delivererName} (${labels.deliverer(page.group.delivererKind)})`,
    measure: measureLabel(page.group.measureKind, page.group.measureName),
    impactText: impactText(kind, page.impact),
    checkText: checkText(page.check, page.ended),
    costThisYear: money(page.members.reduce((s, m) => s + m.costThisYear, 0)),
    rows: page.members.map((m) => ({
      ...m,
      name: fullName(m),
      spell: dates(m.member.joinedOn, m.member.leftOn),
      entry: labels.measure(kind, m.measures.entry),
      exit: labels.measure(kind, m.measures.exit),
      progressText: progressText(kind, m.progress),
      costThisYear: money(m.costThisYear),
    })),
    sessionRows: page.sessions.map((s) => ({
      ...s,
      present: s.attendance.filter((a) => a.present).map((a) => names.get(a.pupilId) ?? ''),
      absent: s.attendance.filter((a) => !a.present).map((a) => names.get(a.pupilId) ?? ''),
    })),
    checkRows: page.checks.map((c) => ({
      ...c,
      decisionText: labels.decision(c.decision),
      pupils: c.pupils.map((x) => ({ ...x, name: names.get(x.pupilId) ?? '' })),
    })),
  };
}

/** The form to change a group. */
export function groupEditModel(found: ProvisionResult<'groupForEdit'>) {
  const { group, deliverers } = found;
  return {
    pageTitle: `Change ${group.name}`,
    isNew: false,
    group,
    deliverers,
    version: group.version,
    delivererKinds: DELIVERER_KIND_OPTIONS,
  };
}

/** The group form filled in from the group: someone not on the staff list is "other", named. */
export function groupFormValues(g: ProvisionResult<'groupForEdit'>['group']): FormBody {
  return {
    name: g.name,
    delivererId: g.delivererId ?? 'other',
    delivererName: g.delivererId ? '' : g.delivererName,
    delivererKind: g.delivererKind,
    sessionsPerWeek: String(g.sessionsPerWeek),
    minutesPerSession: String(g.minutesPerSession),
    location: g.location ?? '',
    agency: g.agency ?? '',
    version: String(g.version),
    ...dateParts('startDate', g.startDate),
    ...dateParts('endDate', g.endDate),
  };
}

/** Adding a pupil to a group: the search and the pupils it found, with their year group. */
export function addPupilModel(
  group: ProvisionResult<'groupForEdit'>['group'],
  q: string,
  found: ProvisionResult<'findPupilsToAdd'>,
) {
  return {
    pageTitle: `Add a pupil to ${group.name}`,
    group,
    q,
    searched: q.length > 0,
    found: found.map((x) => ({ ...x, year: labels.year(x.ncYear) })),
  };
}

/** A pupil leaving a group: who, which group, and since when they have been in it. */
export function leavingModel(found: ProvisionResult<'memberForLeaving'>) {
  return {
    pageTitle: `${fullName(found.pupil)} leaves ${found.group.name}`,
    ...found,
    joined: formatDate(found.member.joinedOn),
    version: found.member.version,
  };
}

/** Recording a session: the group's pupils today, and whether today is a school day. */
export function sessionFormModel(form: ProvisionResult<'sessionForm'>) {
  return {
    pageTitle: `Record a session: ${form.group.name}`,
    group: form.group,
    frequency: labels.frequency(form.group.sessionsPerWeek, form.group.minutesPerSession),
    pupils: form.pupils.map((x) => ({ id: x.member.pupilId, name: fullName(x) })),
    /** Today (the date filled in) is a weekend or holiday: said before the session is saved. */
    todayNotSchoolDay: notSchoolDayReason(form.today),
    today: form.today,
  };
}

/** A session is held today, every pupil ticked present. */
export function sessionFormValues(pupils: readonly { id: string }[], today: IsoDate): FormBody {
  return { ...dateParts('heldOn', today), present: pupils.map((x) => x.id) };
}

/** Each spell's pupil by name, keyed by the spell (the group member). */
export function memberNames(members: ProvisionResult<'measuresForm'>['members']): Map<string, string> {
  return new Map(members.map((m) => [m.member.id, fullName(m)]));
}

/** The entry and exit measures form: one row per spell, each measure as it is typed. */
export function measuresFormModel(form: ProvisionResult<'measuresForm'>) {
  const kind = form.group.measureKind as MeasureKind;
  return {
    pageTitle: `Entry and exit measures: ${form.group.name}`,
    group: form.group,
    measure: measureLabel(kind, form.group.measureName),
    hint: `Enter each as ${measureHint(kind)}. Leave a box empty if it has not been measured.`,
    rows: form.members.map((m) => ({
      id: m.member.id,
      name: fullName(m),
      spell: dates(m.member.joinedOn, m.member.leftOn),
      entryOn: m.member.entryMeasuredOn,
      exitOn: m.member.exitMeasuredOn,
      version: m.member.version,
      entry: measureForInput(kind, m.member.entryMeasure),
      exit: measureForInput(kind, m.member.exitMeasure),
    })),
    names: memberNames(form.members),
  };
}

/** The measures form filled in: each spell's entry, exit and version. */
export function measuresFormValues(
  rows: readonly { id: string; entry: string; exit: string; version: number }[],
): FormBody {
  return Object.fromEntries(
    rows.flatMap((r) => [
      [`entry-${r.id}`, r.entry],
      [`exit-${r.id}`, r.exit],
      [`version-${r.id}`, String(r.version)],
    ]),
  );
}

/** The half-termly check form: the group's pupils and the decisions. */
export function checkFormModel(form: ProvisionResult<'checkForm'>) {
  return {
    pageTitle: `Half-termly check: ${form.group.name}`,
    group: form.group,
    pupils: form.pupils.map((x) => ({ id: x.member.pupilId, name: fullName(x) })),
    decisions: CHECK_DECISION_OPTIONS,
  };
}

/** The terms the map can show, the one shown selected. */
export function termOptions(terms: readonly { key: string; label: string }[], current: string) {
  return terms.map((t) => ({ value: t.key, text: t.label, selected: t.key === current }));
}

/**
 * The provision map page: the map of the term shown, the filters and terms to choose from, and its
 * CSV, print and PDF addresses with the same filters and term.
 */
export function mapPageModel(result: ProvisionResult<'map'>, filters: PupilFilters) {
  const exportQuery = filterQuery(filters, { term: result.term.key });
  return {
    pageTitle: `Provision map: ${result.term.label}`,
    ...mapModel(result),
    filters,
    options: filterOptions(filters, result.classes, result.yearGroups),
    termOptions: termOptions(result.terms, result.term.key),
    canExport: result.canExport,
    csvHref: paths.provisionMapCsv.to(exportQuery),
    printHref: paths.provisionMapPrint.to(exportQuery),
    pdfHref: paths.provisionMapPdf.to(exportQuery),
  };
}

/** The map's print view: the same map, and the day it was printed. */
export function mapPrintModel(result: ProvisionResult<'exportMap'>, today: IsoDate) {
  return {
    pageTitle: `Provision map: ${result.term.label} (print)`,
    ...mapModel(result),
    printedOn: formatDate(today),
  };
}

/** The intervention register: each group with its dates, staff, cost, impact and each pupil's progress. */
export function registerRows(rows: ProvisionResult<'register'>['rows']) {
  return rows.map((r) => {
    const kind = r.group.measureKind as MeasureKind;
    return {
      ...r,
      dates: dates(r.group.startDate, r.group.endDate),
      deliverer: `${r.group.delivererName} (${labels.deliverer(r.group.delivererKind)})`,
      frequency: labels.frequency(r.group.sessionsPerWeek, r.group.minutesPerSession),
      area: areaLabel(r.group.area),
      impactText: impactText(kind, r.impact),
      cost: money(r.costPence),
      pupils: r.members.map((m) => ({
        name: fullName(m),
        progress: progressText(kind, m.progress),
      })),
    };
  });
}

const periodKey = (period: ImpactPeriod) => (period === 'all' ? 'all' : String(period.yearStart));

/**
 * How well interventions work: the periods to choose from (the one shown marked), then one section per
 * kind of measure in use, its interventions best average progress first.
 */
export function effectivenessModel(result: ProvisionResult<'effectiveness'>) {
  const kinds = MEASURE_KINDS.filter((k) => result.rows.some((r) => r.measureKind === k));
  return {
    periodLabel: result.periodLabel,
    periods: result.periods.map((x) => ({
      ...x,
      href: paths.provisionEffectiveness.to({ period: periodKey(x.period) }),
      current: periodKey(x.period) === periodKey(result.period),
    })),
    sections: kinds.map((kind) => ({
      label: MEASURE_LABELS[kind],
      kind,
      rows: result.rows
        .filter((r) => r.measureKind === kind)
        .sort((a, b) => (b.summary.averageProgress ?? -Infinity) - (a.summary.averageProgress ?? -Infinity))
        .map((r) => ({
          ...r,
          area: areaLabel(r.area),
          measure: r.measureName ?? MEASURE_LABELS[kind],
          impactText: impactText(kind, r.summary),
          cost: money(r.costPence),
          costPerUnit: r.costPerUnitPence === null ? 'No progress measured' : money(r.costPerUnitPence),
          byNeed: r.byNeed.map((n) => ({ ...n, text: impactText(kind, n.summary) })),
        })),
    })),
  };
}

const hiddenOr = (pence: number | null) => (pence === null ? 'Hidden' : money(pence));

/**
 * The governor's figures: costs in pounds, or "Hidden" where a small number would identify pupils, and
 * the notice saying which counts that rule hid.
 */
export function figuresModel(figures: ProvisionResult<'figures'>, today: IsoDate) {
  return {
    pageTitle: `Provision figures ${figures.yearLabel}`,
    ...figures,
    periodRule: IMPACT_PERIOD_RULE,
    notice: figuresNotice(figures.threshold, true, [
      { name: 'Pupils in interventions by area of need', counts: figures.areas.map((a) => a.pupils) },
      { name: 'Pupils who made progress', counts: figures.impact.map((i) => i.improved) },
    ]),
    cost: hiddenOr(figures.costPence),
    costSoFar: hiddenOr(figures.costSoFarPence),
    today: formatDate(today),
    areas: figures.areas.map((a) => ({
      ...a,
      label: areaLabel(a.area),
      cost: hiddenOr(a.costPence),
    })),
  };
}
