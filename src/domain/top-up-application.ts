import { ncYearLabel } from './calendar.ts';
import { AREA_LABELS, type AreaOfNeed, type NeedCode, needLabel } from './census.ts';
import { formatDate, type IsoDate } from './dates.ts';
import { PLAN_STATUS_LABELS, type PlanStatus, TARGET_OUTCOME_LABELS, type TargetOutcome } from './plans.ts';
import { DELIVERER_LABELS, type DelivererKind, MEASURE_LABELS, type MeasureKind } from './provision.ts';
import { formatMeasure, progressOf, progressText } from './provision-impact.ts';
import { pupilProvision, type SpellFacts, type Threshold } from './provision-summary.ts';
import { type SenStage, STAGE_LABELS } from './register.ts';
import { suggestedAmount } from './top-up.ts';

/*
 * A school's application for high-needs top-up funding (element 3) as data: what the school sends
 * (JSON, kept exactly as sent, and the local authority's copy), built from what OpenSEND holds about
 * the pupil: their support plan with its targets, the costed provision with its impact (entry and exit
 * measures), the year's costs against the school's threshold, and what the school asks for. The page
 * and the PDF show it through presenters/top-up.ts.
 */

export const TOP_UP_FORMAT = 'opensend.top-up-application';
export const TOP_UP_FORMAT_VERSION = 1;

export interface TopUpApplicationData {
  format: typeof TOP_UP_FORMAT;
  formatVersion: typeof TOP_UP_FORMAT_VERSION;
  preparedOn: IsoDate;
  preparedBy: string;
  school: { name: string; urn: string };
  pupil: {
    forename: string;
    surname: string;
    upn: string;
    dateOfBirth: IsoDate;
    yearGroup: string;
    senStage: string;
    primaryNeed: string | null;
  };
  plan: {
    cycle: number;
    status: string;
    startDate: IsoDate | null;
    reviewDate: IsoDate | null;
    needAreas: string[];
    desiredOutcomes: string | null;
    targets: { target: string; achievementCriteria: string | null; outcome: string | null }[];
  } | null;
  costs: {
    thresholdPence: number;
    academicYear: { label: string; from: IsoDate; to: IsoDate; pence: number };
    financialYear: { label: string; from: IsoDate; to: IsoDate; pence: number };
    /** The academic year's cost above the threshold (0 at or below it). */
    abovePence: number;
  };
  provision: {
    intervention: string;
    group: string;
    area: string;
    frequency: string;
    deliveredBy: string;
    from: IsoDate;
    to: IsoDate | null;
    sessionsHeld: number;
    attended: number;
    costThisYearPence: number;
    measure: string;
    entry: string | null;
    exit: string | null;
    progress: string;
  }[];
  request: {
    amountPence: number | null;
    periodFrom: IsoDate | null;
    periodTo: IsoDate | null;
    rationale: string | null;
  };
}

export interface TopUpSources {
  today: IsoDate;
  preparedBy: string;
  school: { name: string; urn: string };
  pupil: {
    forename: string;
    surname: string;
    upn: string;
    dateOfBirth: IsoDate;
    ncYear: number;
    senStage: SenStage;
    primaryNeed: NeedCode | null;
  };
  plan: {
    plan: {
      cycle: number;
      status: PlanStatus;
      startDate: IsoDate | null;
      reviewDate: IsoDate | null;
      needAreas: AreaOfNeed[];
      desiredOutcomes: string | null;
    };
    targets: { target: string; achievementCriteria: string | null; outcome: TargetOutcome | null }[];
  } | null;
  provision: readonly SpellFacts[];
  threshold: Threshold;
  request: TopUpApplicationData['request'];
}

/** The application from the pupil's record as it stands today. */
export function buildTopUpData(s: TopUpSources): TopUpApplicationData {
  const { current, past, costs } = pupilProvision(s.provision, s.threshold, s.today);
  const spells = [...current, ...past].filter((x) => x.costThisYear > 0);
  return {
    format: TOP_UP_FORMAT,
    formatVersion: TOP_UP_FORMAT_VERSION,
    preparedOn: s.today,
    preparedBy: s.preparedBy,
    school: s.school,
    pupil: {
      forename: s.pupil.forename,
      surname: s.pupil.surname,
      upn: s.pupil.upn,
      dateOfBirth: s.pupil.dateOfBirth,
      yearGroup: ncYearLabel(s.pupil.ncYear),
      senStage: STAGE_LABELS[s.pupil.senStage] ?? s.pupil.senStage,
      primaryNeed: s.pupil.primaryNeed ? needLabel(s.pupil.primaryNeed) : null,
    },
    plan: s.plan
      ? {
          cycle: s.plan.plan.cycle,
          status: PLAN_STATUS_LABELS[s.plan.plan.status] ?? s.plan.plan.status,
          startDate: s.plan.plan.startDate,
          reviewDate: s.plan.plan.reviewDate,
          needAreas: s.plan.plan.needAreas.map((a) => AREA_LABELS[a] ?? a),
          desiredOutcomes: s.plan.plan.desiredOutcomes,
          targets: s.plan.targets.map((t) => ({
            target: t.target,
            achievementCriteria: t.achievementCriteria,
            outcome: t.outcome ? TARGET_OUTCOME_LABELS[t.outcome] : null,
          })),
        }
      : null,
    costs: {
      thresholdPence: s.threshold.thresholdPence,
      academicYear: {
        label: costs.academic.label,
        from: costs.academic.from,
        to: costs.academic.to,
        pence: costs.academic.pence,
      },
      financialYear: {
        label: costs.financial.label,
        from: costs.financial.from,
        to: costs.financial.to,
        pence: costs.financial.pence,
      },
      abovePence: suggestedAmount(costs.academic.pence, s.threshold.thresholdPence) ?? 0,
    },
    provision: spells.map((x) => {
      const kind = x.measureKind as MeasureKind;
      const progress = progressOf(kind, {
        entry: x.entryMeasure,
        entryOn: x.entryMeasuredOn,
        exit: x.exitMeasure,
        exitOn: x.exitMeasuredOn,
      });
      return {
        intervention: x.interventionName,
        group: x.groupName,
        area: AREA_LABELS[x.area as AreaOfNeed] ?? 'Other',
        frequency: x.frequency,
        deliveredBy: `${x.delivererName} (${DELIVERER_LABELS[x.delivererKind as DelivererKind] ?? x.delivererKind})`,
        from: x.joinedOn > x.startDate ? x.joinedOn : x.startDate,
        to: x.leftOn ?? x.endDate,
        sessionsHeld: x.sessionsHeld,
        attended: x.attended,
        costThisYearPence: x.costThisYear,
        measure: x.measureName ?? MEASURE_LABELS[kind] ?? '',
        entry:
          x.entryMeasure === null
            ? null
            : `${formatMeasure(kind, x.entryMeasure)} on ${formatDate(x.entryMeasuredOn)}`,
        exit:
          x.exitMeasure === null
            ? null
            : `${formatMeasure(kind, x.exitMeasure)} on ${formatDate(x.exitMeasuredOn)}`,
        progress: progressText(kind, progress),
      };
    }),
    request: s.request,
  };
}
