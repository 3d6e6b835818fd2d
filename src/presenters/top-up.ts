import { ncYearLabel } from '../domain/calendar.ts';
import { AREA_LABELS, type AreaOfNeed, type NeedCode, needLabel } from '../domain/census.ts';
import { formatDate, type IsoDate } from '../domain/dates.ts';
import { SCHOOL_REQUEST_STATUSES, type SchoolRequestStatus, SENT_HOW, type SentHow } from '../domain/ehc.ts';
import { formatPounds } from '../domain/money.ts';
import {
  PLAN_STATUS_LABELS,
  type PlanStatus,
  TARGET_OUTCOME_LABELS,
  type TargetOutcome,
} from '../domain/plans.ts';
import {
  DELIVERER_LABELS,
  type DelivererKind,
  MEASURE_LABELS,
  type MeasureKind,
} from '../domain/provision.ts';
import { formatMeasure, progressOf } from '../domain/provision-impact.ts';
import { pupilProvision, type SpellFacts, type Threshold } from '../domain/provision-summary.ts';
import { type SenStage, STAGE_LABELS } from '../domain/register.ts';
import { suggestedAmount } from '../domain/top-up.ts';
import { progressText } from './provision.ts';

/*
 * A school's application for high-needs top-up funding (element 3) as one shape: the data file the
 * school sends (JSON, kept exactly as sent, and the local authority's copy), and the document the page
 * and the tagged PDF show from it. Built in one action from what OpenSEND holds: the pupil, their
 * support plan with its targets, the costed provision with its impact (entry and exit measures), the
 * year's costs against the school's threshold, and what the school asks for.
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

const money = (pence: number | null) => (pence === null ? 'Not given yet' : formatPounds(pence));
const period = (from: IsoDate | null, to: IsoDate | null) =>
  from && to ? `${formatDate(from)} to ${formatDate(to)}` : 'Not given yet';

/** What the page, the print and the PDF show of an application: headings, rows and a table. */
export function topUpDocument(
  data: TopUpApplicationData,
  standing: {
    status: SchoolRequestStatus;
    sentAt: Date | string | null;
    sentByName: string | null;
    sentHow: SentHow | null;
  },
) {
  const name = `${data.pupil.forename} ${data.pupil.surname}`;
  const sentOn = standing.sentAt ? formatDate(new Date(standing.sentAt).toISOString().slice(0, 10)) : null;
  return {
    title: `Application for high-needs top-up funding: ${name}`,
    schoolName: data.school.name,
    summary: [
      {
        label: 'Pupil',
        text: `${name}, ${data.pupil.yearGroup}, born ${formatDate(data.pupil.dateOfBirth)}`,
      },
      { label: 'UPN', text: data.pupil.upn },
      { label: 'SEN stage', text: data.pupil.senStage },
      { label: 'Primary need', text: data.pupil.primaryNeed ?? 'Not recorded' },
      { label: 'School', text: `${data.school.name} (URN ${data.school.urn})` },
      { label: 'Where it stands', text: SCHOOL_REQUEST_STATUSES[standing.status] },
      ...(sentOn
        ? [
            {
              label: 'Sent',
              text: `${sentOn} by ${standing.sentByName ?? 'the school'}${standing.sentHow ? ` (${SENT_HOW[standing.sentHow].toLowerCase()})` : ''}`,
            },
          ]
        : []),
      { label: 'Prepared', text: `${formatDate(data.preparedOn)} by ${data.preparedBy}` },
    ],
    request: [
      { label: 'Top-up asked for, a year', text: money(data.request.amountPence) },
      { label: 'For the period', text: period(data.request.periodFrom, data.request.periodTo) },
      {
        label: 'Why the plan is efficient and likely to succeed',
        text: data.request.rationale ?? 'Not given yet',
      },
    ],
    costs: [
      { label: 'High-needs threshold', text: `${formatPounds(data.costs.thresholdPence)} a year` },
      {
        label: `Cost in ${data.costs.academicYear.label} (academic year)`,
        text: formatPounds(data.costs.academicYear.pence),
      },
      {
        label: `Cost in ${data.costs.financialYear.label} (financial year)`,
        text: formatPounds(data.costs.financialYear.pence),
      },
      { label: 'Above the threshold this academic year', text: formatPounds(data.costs.abovePence) },
    ],
    plan: data.plan
      ? {
          heading: `The current support plan (cycle ${data.plan.cycle}, ${data.plan.status.toLowerCase()})`,
          rows: [
            { label: 'Dates', text: period(data.plan.startDate, data.plan.reviewDate) },
            { label: 'Areas of need', text: data.plan.needAreas.join(', ') || 'None chosen' },
            { label: 'Desired outcomes', text: data.plan.desiredOutcomes ?? 'None written' },
          ],
          targets: data.plan.targets.map((t) => [
            t.target,
            t.achievementCriteria ?? '',
            t.outcome ?? 'Not reviewed yet',
          ]),
        }
      : null,
    provision: data.provision.map((p) => [
      `${p.intervention} (${p.area})`,
      `${p.frequency}, by ${p.deliveredBy}`,
      p.to ? period(p.from, p.to) : `Since ${formatDate(p.from)}`,
      p.sessionsHeld === 0 ? 'No sessions recorded yet' : `${p.attended} of ${p.sessionsHeld}`,
      [p.entry ? `Entry ${p.entry}` : 'No entry measure', p.exit ? `exit ${p.exit}. ${p.progress}` : null]
        .filter(Boolean)
        .join('; '),
      formatPounds(p.costThisYearPence),
    ]),
    provisionHeader: [
      'Provision',
      'How it is delivered',
      'Dates',
      'Sessions attended',
      'Impact',
      'Cost this year',
    ],
  };
}

export type TopUpDocument = ReturnType<typeof topUpDocument>;
