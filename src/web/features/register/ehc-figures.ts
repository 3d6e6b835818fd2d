import { formatDate } from '../../../domain/dates.ts';
import type { EhcSchoolFigures } from '../../../services/ehc/school-figures.ts';

type EhcCounts = Awaited<ReturnType<EhcSchoolFigures['ehcCounts']>>;

/** The EHC part of the school's figures page: counts only, as the service shows them. */
export function ehcFiguresModel(c: EhcCounts) {
  return {
    since: formatDate(c.yearStart),
    yearAgo: formatDate(c.yearAgo),
    requests: c.requests,
    outcomes: c.outcomes.filter((o) => o.n !== 0),
    plansHeld: c.plansHeld,
    reviewsDue: c.reviewsDue,
    reviewed: c.reviewed,
    notReviewed: c.notReviewed,
  };
}
