import { formatDate, type IsoDate } from '../domain/dates.ts';
import {
  SCHOOL_REQUEST_STATUSES,
  type SchoolRequestStatus,
  SENT_HOW_IN_SENTENCE,
  type SentHow,
} from '../domain/ehc.ts';
import { formatPounds } from '../domain/money.ts';
import type { TopUpApplicationData } from '../domain/top-up-application.ts';

export {
  buildTopUpData,
  TOP_UP_FORMAT,
  TOP_UP_FORMAT_VERSION,
  type TopUpApplicationData,
  type TopUpSources,
} from '../domain/top-up-application.ts';

/*
 * A school's application for high-needs top-up funding (element 3) as one shape: the data file the
 * school sends (JSON, kept exactly as sent, and the local authority's copy), and the document the page
 * and the tagged PDF show from it. Built in one action from what OpenSEND holds: the pupil, their
 * support plan with its targets, the costed provision with its impact (entry and exit measures), the
 * year's costs against the school's threshold, and what the school asks for.
 */

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
    /** The local authority's decision, once made ("Agreed in part, on 3 December 2026"). */
    decided?: string | null;
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
      {
        label: 'Where it stands',
        text: standing.decided ? `Decided: ${standing.decided}` : SCHOOL_REQUEST_STATUSES[standing.status],
      },
      ...(sentOn
        ? [
            {
              label: 'Sent',
              text: `${sentOn} by ${standing.sentByName ?? 'the school'}${standing.sentHow ? `: ${SENT_HOW_IN_SENTENCE[standing.sentHow]}` : ''}`,
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
