import { ncYearLabel } from '../domain/calendar.ts';
import { AREA_LABELS, AREAS_OF_NEED, type AreaOfNeed } from '../domain/census.ts';
import { formatDate } from '../domain/dates.ts';
import {
  DELIVERER_LABELS,
  type DelivererKind,
  MEASURE_LABELS,
  type MeasureKind,
} from '../domain/provision.ts';
import { formatPence, THRESHOLD_LABELS, type ThresholdStatus } from '../domain/provision-costs.ts';
import { formatMeasure, progressOf, progressText } from '../domain/provision-impact.ts';
import {
  type buildMap,
  minutesText,
  pupilProvision,
  type SpellFacts,
  type Threshold,
  thresholdOf,
  type YearCost,
} from '../domain/provision-summary.ts';
import { type SenStage, STAGE_LABELS } from '../domain/register.ts';

export { progressText };

/**
 * The termly provision map as the page, its print view, the CSV and the PDF show it: one shape, so
 * they always agree.
 */
type MapResult = {
  map: ReturnType<typeof buildMap<MapPupil>>;
  term: { key: string; label: string };
  yearLabel: string;
  threshold: Threshold;
  /** Pupils over the threshold whose top-up funding is agreed or asked for, with what stands. */
  topUps?: ReadonlyMap<string, string>;
};

interface MapPupil {
  id: string;
  memberId: string;
  groupId: string;
  joinedOn: string;
  leftOn: string | null;
  upn: string;
  forename: string;
  surname: string;
  ncYear: number;
  className: string | null;
  senStage: SenStage;
  primaryNeed: string | null;
}

const STATUS_TAG_CLASSES: Record<ThresholdStatus, string> = {
  over: 'govuk-tag--red',
  nearing: 'govuk-tag--yellow',
  below: 'govuk-tag--green',
};

export function mapModel(result: MapResult) {
  const { map } = result;
  const areas = AREAS_OF_NEED.map((area) => ({ area, label: AREA_LABELS[area] }));
  return {
    termLabel: result.term.label,
    termKey: result.term.key,
    yearLabel: result.yearLabel,
    thresholdText: `${formatPence(result.threshold.thresholdPence)} a year, nearing from ${result.threshold.nearingPercent}%`,
    areas,
    totals: {
      pupils: map.totals.pupils,
      time: minutesText(map.totals.minutesPerWeek),
      termCost: formatPence(map.totals.termPence),
      over: map.totals.over,
      nearing: map.totals.nearing,
    },
    rows: map.pupils.map((p) => ({
      id: p.pupil.id,
      upn: p.pupil.upn,
      name: `${p.pupil.surname}, ${p.pupil.forename}`,
      yearGroup: ncYearLabel(p.pupil.ncYear),
      className: p.pupil.className ?? '',
      stage: STAGE_LABELS[p.pupil.senStage] ?? '',
      primaryNeed: p.pupil.primaryNeed ?? '',
      cells: Object.fromEntries(
        areas.map(({ area }) => [
          area,
          (p.byArea[area] ?? []).map((c) => ({
            intervention: c.interventionName,
            group: c.groupName,
            groupId: c.groupId,
            time: `${minutesText(c.minutesPerWeek)} a week`,
            minutes: c.minutesPerWeek,
            cost: formatPence(c.termPence),
            pence: c.termPence,
          })),
        ]),
      ) as Record<
        AreaOfNeed,
        {
          intervention: string;
          group: string;
          groupId: string;
          time: string;
          minutes: number;
          cost: string;
          pence: number;
        }[]
      >,
      time: `${minutesText(p.minutesPerWeek)} a week`,
      termCost: formatPence(p.termPence),
      yearCost: formatPence(p.yearPence),
      status: p.status,
      statusText: THRESHOLD_LABELS[p.status],
      statusClasses: STATUS_TAG_CLASSES[p.status],
      topUp: p.status === 'over',
      /** Top-up funding agreed or asked for, in place of the prompt to apply. */
      topUpInHand: result.topUps?.get(p.pupil.id) ?? null,
    })),
    interventions: areas
      .map(({ area, label }) => ({
        label,
        rows: map.interventions
          .filter((i) => i.area === area)
          .map((i) => ({
            name: i.name,
            groups: i.groups,
            pupils: i.pupils,
            time: `${minutesText(i.minutesPerWeek)} a week`,
            termCost: formatPence(i.termPence),
          })),
      }))
      .filter((a) => a.rows.length > 0),
  };
}

export type MapModel = ReturnType<typeof mapModel>;

/** The map as a CSV: one row per pupil per intervention, with the pupil's totals beside. */
export function mapCsv(result: MapResult) {
  const model = mapModel(result);
  const header = [
    'Surname, forename',
    'UPN',
    'Year group',
    'Class',
    'SEN stage',
    'Primary need',
    'Area of need',
    'Intervention',
    'Group',
    'Minutes a week',
    `Cost ${result.term.label} (£)`,
    `Pupil's cost ${result.term.label} (£)`,
    `Pupil's cost ${result.yearLabel} (£)`,
    'Against the threshold',
  ];
  const pounds = (text: string) => text.replace(/[£,]/g, '');
  const rows: unknown[][] = [];
  for (const r of model.rows) {
    for (const { area, label } of model.areas) {
      for (const c of r.cells[area]) {
        rows.push([
          r.name,
          r.upn,
          r.yearGroup,
          r.className,
          r.stage,
          r.primaryNeed,
          label,
          c.intervention,
          c.group,
          c.minutes,
          pounds(c.cost),
          pounds(r.termCost),
          pounds(r.yearCost),
          r.statusText,
        ]);
      }
    }
  }
  return { header, rows };
}

const dateRange = (from: string, to: string | null) =>
  to ? `${formatDate(from)} to ${formatDate(to)}` : `Since ${formatDate(from)}`;

/**
 * A pupil's provision as their record, their plan and letters show it: what runs now and how it is
 * delivered, attendance and missed sessions, measures and progress, and the year's cost against the
 * threshold.
 */
export function pupilProvisionModel(
  items: readonly SpellFacts[],
  settings: { topUpThresholdPence: number | null; nearingPercent: number | null } | null | undefined,
  today: string,
) {
  const threshold = thresholdOf(settings);
  const { current, past, costs } = pupilProvision(items, threshold, today);
  const spell = (s: (typeof current)[number]) => {
    const kind = s.measureKind as MeasureKind;
    const progress = progressOf(kind, {
      entry: s.entryMeasure,
      entryOn: s.entryMeasuredOn,
      exit: s.exitMeasure,
      exitOn: s.exitMeasuredOn,
    });
    return {
      groupId: s.groupId,
      groupName: s.groupName,
      interventionName: s.interventionName,
      area: AREA_LABELS[s.area as AreaOfNeed] ?? 'Other',
      frequency: s.frequency,
      deliverer: `${s.delivererName} (${DELIVERER_LABELS[s.delivererKind as DelivererKind] ?? s.delivererKind})`,
      location: s.location,
      agency: s.agency,
      dates: dateRange(s.joinedOn, s.leftOn ?? s.endDate),
      joinedOn: s.joinedOn,
      leftOn: s.leftOn,
      startDate: s.startDate,
      endDate: s.endDate,
      upcoming: s.upcoming,
      attendance:
        s.sessionsHeld === 0
          ? 'No sessions recorded yet'
          : `Came to ${s.attended} of ${s.sessionsHeld} sessions`,
      missed: s.missed,
      missedOn: s.missedOn.map((d) => formatDate(d)),
      measure: s.measureName ?? MEASURE_LABELS[kind] ?? '',
      entry:
        s.entryMeasure === null
          ? null
          : `${formatMeasure(kind, s.entryMeasure)} on ${formatDate(s.entryMeasuredOn)}`,
      exit:
        s.exitMeasure === null
          ? null
          : `${formatMeasure(kind, s.exitMeasure)} on ${formatDate(s.exitMeasuredOn)}`,
      progress: progressText(kind, progress),
      costThisYear: formatPence(s.costThisYear),
    };
  };
  const year = (y: YearCost, kind: string) => ({
    label: `${y.label} (${kind})`,
    cost: formatPence(y.pence),
    statusText: THRESHOLD_LABELS[y.status],
    statusClasses: STATUS_TAG_CLASSES[y.status],
  });
  return {
    current: current.map(spell),
    past: past.map(spell),
    years: [year(costs.academic, 'academic year'), year(costs.financial, 'financial year')],
    topUp: costs.topUp,
    minutesPerWeekNow: costs.minutesPerWeekNow,
    timeNow:
      costs.minutesPerWeekNow > 0 ? `${minutesText(costs.minutesPerWeekNow)} a week` : 'None at the moment',
    thresholdText: `${formatPence(threshold.thresholdPence)} a year`,
    /** The costed provision that would go into a top-up application: this year's groups and their costs. */
    costedProvision: [...current, ...past]
      .filter((s) => s.costThisYear > 0)
      .map((s) => ({ name: s.interventionName, frequency: s.frequency, cost: formatPence(s.costThisYear) })),
  };
}

export type PupilProvisionModel = ReturnType<typeof pupilProvisionModel>;
