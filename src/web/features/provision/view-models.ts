import { ncYearLabel } from '../../../domain/calendar.ts';
import { AREA_LABELS, AREAS_OF_NEED, type AreaOfNeed } from '../../../domain/census.ts';
import { formatDate, type IsoDate } from '../../../domain/dates.ts';
import {
  CHECK_DECISION_LABELS,
  type CheckDecision,
  COST_MODEL_LABELS,
  type CostModel,
  DELIVERER_LABELS,
  type DelivererKind,
  MEASURE_LABELS,
  type MeasureKind,
} from '../../../domain/provision.ts';
import { formatPence, THRESHOLD_LABELS, type ThresholdStatus } from '../../../domain/provision-costs.ts';
import { describeProgress, formatMeasure, type ImpactSummary } from '../../../domain/provision-impact.ts';
import type { CheckState } from '../../../domain/provision-rules.ts';
import { frequencyText, minutesText } from '../../../domain/provision-summary.ts';
import { type SenStage, STAGE_LABELS } from '../../../domain/register.ts';

export { progressText } from '../../../presenters/provision.ts';

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
