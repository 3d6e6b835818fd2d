import { ncYearLabel } from '../domain/calendar.ts';
import { areaLabelOf, NEEDS } from '../domain/census.ts';
import { formatDate, type IsoDate } from '../domain/dates.ts';
import { CENSUS_PROVISION, notReviewedForOverATerm, STAGE_LABELS } from '../domain/register.ts';
import type { RegisterListRow } from '../repositories/register.ts';
import { flagsOf } from './pupils.ts';

/*
 * The register as pages, the print view, the CSV and (later) PDFs and the command line show it: one
 * shape, no web imports.
 */

/**
 * One shape for the register page, its print view and its CSV. With `today`, each row says whether
 * the pupil has gone more than a term without a review.
 */
export function registerRows(rows: RegisterListRow[], termStart: string, today?: IsoDate) {
  return rows.map((r) => ({
    id: r.id,
    name: `${r.surname}, ${r.forename}`,
    surname: r.surname,
    forename: r.forename,
    upn: r.upn,
    dateOfBirth: formatDate(r.dateOfBirth),
    yearGroup: ncYearLabel(r.ncYear),
    className: r.className ?? '',
    stage: STAGE_LABELS[r.senStage],
    censusCode: CENSUS_PROVISION[r.senStage],
    primaryNeed: r.primaryNeed ? `${r.primaryNeed}` : '',
    primaryNeedLabel: r.primaryNeed ? NEEDS[r.primaryNeed].label : '',
    secondaryNeed: r.secondaryNeed ?? '',
    area: areaLabelOf(r.primaryNeed),
    stageSince: formatDate(r.stageSince),
    lastReviewed: r.lastReviewedOn ? formatDate(r.lastReviewedOn) : 'Not yet reviewed',
    reviewedThisTerm: Boolean(r.lastReviewedOn && r.lastReviewedOn >= termStart),
    notReviewedForOverATerm: today
      ? notReviewedForOverATerm(r.lastReviewedOn, r.stageSince, today, r.admissionDate)
      : false,
    flags: flagsOf(r),
  }));
}

export type RegisterRowModel = ReturnType<typeof registerRows>[number];

export const CSV_HEADER = [
  'Surname',
  'Forename',
  'UPN',
  'Date of birth',
  'Year group',
  'Class',
  'SEN stage',
  'Census provision',
  'Primary need',
  'Secondary need',
  'Area of need',
  'On this stage since',
  'Last reviewed',
  'Other factors',
];

export function registerCsvRows(rows: RegisterRowModel[]): string[][] {
  return rows.map((r) => [
    r.surname,
    r.forename,
    r.upn,
    r.dateOfBirth,
    r.yearGroup,
    r.className,
    r.stage,
    r.censusCode,
    r.primaryNeed,
    r.secondaryNeed,
    r.area,
    r.stageSince,
    r.lastReviewed,
    r.flags.join('; '),
  ]);
}
