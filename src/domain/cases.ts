/*
 * An organisation's case about a child (docs/adr/0029-owners.md): the local authority's own record,
 * owned by it and not by a school, linked to the school's pupil by id and by UPN so that it stays when
 * the child moves school. EHC needs assessments, and later EHC plans, are the first kinds.
 */

export const CASE_KINDS = {
  ehc_needs_assessment: 'EHC needs assessment',
  top_up_funding: 'High-needs top-up funding',
} as const;

export type CaseKind = keyof typeof CASE_KINDS;

export const CASE_KIND_NAMES = Object.keys(CASE_KINDS) as CaseKind[];

export function isCaseKind(value: unknown): value is CaseKind {
  return typeof value === 'string' && Object.hasOwn(CASE_KINDS, value);
}
