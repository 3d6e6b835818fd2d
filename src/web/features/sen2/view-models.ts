import { formatDate } from '../../../domain/dates.ts';
import type { Sen2Service } from '../../../services/ehc/sen2.ts';
import { paths } from '../../paths.ts';

type Sen2Page = Awaited<ReturnType<Sen2Service['sen2Return']>>;

/** The SEN2 page: the census, the summary figures, and each child to correct with where to correct it. */
export function sen2ReturnModel(page: Sen2Page) {
  const s = page.summary;
  return {
    pageTitle: `SEN2 return ${page.year}`,
    year: page.year,
    years: page.years,
    unavailable: page.unavailable,
    organisationName: page.organisationName,
    censusDate: formatDate(page.censusDate),
    period: `${formatDate(page.period.from)} to ${formatDate(page.period.to)}`,
    xmlHref: `${paths.organisationSen2Xml.to({})}?year=${page.year}`,
    laCode: page.laCode,
    summaryRows: [
      ['Children returned', s.persons],
      ['Children who cannot be returned until corrected', s.toCorrect],
      ['Requests for an EHC needs assessment received in the year', s.requests],
      ['Of those, decided to assess', s.requestsAssess],
      ['Of those, decided not to assess', s.requestsNotAssess],
      ['Of those, withdrawn', s.requestsWithdrawn],
      ['Of those, not yet decided', s.requestsUndecided],
      ['Assessments completed in the year', s.assessments],
      ['EHC plans issued', s.plansIssued],
      ['Issued within 20 weeks', s.issuedWithin20Weeks],
      ['Issued after 20 weeks, where an exception applied', s.issuedWithException],
      ['Decided not to issue a plan', s.notIssued],
      ['EHC plans active on the census date', s.activePlans],
      ['Of those, reviewed (or issued) within the twelve months before it', s.activeReviewedWithin12Months],
      ['EHC plans ceased in the year', s.ceasedPlans],
    ] as [string, number][],
    withoutEthnicity: s.withoutEthnicity,
    withoutPostcode: s.withoutPostcode,
    toCorrect: page.toCorrect.map(({ person, problems }) => ({
      name: `${person.forename} ${person.surname}`.trim() || 'A child whose record was erased',
      birthDate: formatDate(person.birthDate),
      upn: person.upn ?? '',
      problems: problems.map((p) => ({
        message: p.message,
        href: p.planId
          ? paths.ehcPlan.to({ ehcPlanId: p.planId })
          : p.caseId
            ? paths.organisationCase.to({ caseId: p.caseId })
            : null,
        linkText: p.planId ? 'Open the plan' : 'Open the case',
      })),
    })),
  };
}
