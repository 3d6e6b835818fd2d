import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  ehcPlan,
  ehcPlanVersion,
  ehcReviewDecision,
  organisationCase,
  pupil,
  school,
} from '../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';

/*
 * What the SEN2 return reads (docs/sen2.md): the authority's assessment cases received by the census
 * date, its plans with the section I and section B of their final version, the last review decision of
 * each plan by the census date, and the children's pupil rows at its schools. A few set-based
 * statements for the whole authority, never one per child.
 */

/** The authority's EHC needs assessment cases received on or before the census date. */
export async function sen2Cases(db: Executor, organisationId: string, censusDate: IsoDate) {
  return db
    .select({
      id: organisationCase.id,
      schoolId: organisationCase.schoolId,
      pupilId: organisationCase.pupilId,
      upn: organisationCase.upn,
      openedOn: organisationCase.openedOn,
      closedOn: organisationCase.closedOn,
      stage: organisationCase.stage,
      requestedBy: organisationCase.requestedBy,
      draftSentOn: organisationCase.draftSentOn,
      finalIssuedOn: organisationCase.finalIssuedOn,
      /** The authority's own copy of the child, as the school's request described them. */
      receivedChild: sql<unknown>`${organisationCase.received} -> 'child'`,
    })
    .from(organisationCase)
    .where(
      and(
        eq(organisationCase.organisationId, organisationId),
        eq(organisationCase.kind, 'ehc_needs_assessment'),
        lte(organisationCase.openedOn, censusDate),
      ),
    );
}

/** The authority's plans, each with section I and the need types of section B of its final version. */
export async function sen2Plans(db: Executor, organisationId: string) {
  return db
    .select({
      id: ehcPlan.id,
      caseId: ehcPlan.caseId,
      schoolId: ehcPlan.schoolId,
      pupilId: ehcPlan.pupilId,
      upn: ehcPlan.upn,
      status: ehcPlan.status,
      startedOn: ehcPlan.startedOn,
      ceasedOn: ehcPlan.ceasedOn,
      ceaseReason: ehcPlan.ceaseReason,
      namedSchoolId: ehcPlan.namedSchoolId,
      placement: sql<{
        schoolId: string | null;
        name: string;
        urn: string | null;
        kind: string | null;
      } | null>`${ehcPlanVersion.sections} -> 'i'`,
      needTypes: sql<
        string[] | null
      >`(select coalesce(jsonb_agg(n ->> 'needType'), '[]'::jsonb) from jsonb_array_elements(${ehcPlanVersion.sections} -> 'b' -> 'needs') n where n ->> 'needType' is not null)`,
    })
    .from(ehcPlan)
    .leftJoin(
      ehcPlanVersion,
      and(
        eq(ehcPlanVersion.organisationId, ehcPlan.organisationId),
        eq(ehcPlanVersion.planId, ehcPlan.id),
        eq(ehcPlanVersion.number, ehcPlan.finalVersion),
      ),
    )
    .where(eq(ehcPlan.organisationId, organisationId));
}

/** Each plan's last annual review meeting on or before the census date, with the authority's decision. */
export async function sen2LastReviews(db: Executor, organisationId: string, censusDate: IsoDate) {
  return db
    .selectDistinctOn([ehcReviewDecision.planId], {
      planId: ehcReviewDecision.planId,
      meetingOn: ehcReviewDecision.meetingOn,
      decision: ehcReviewDecision.decision,
      decidedOn: ehcReviewDecision.decidedOn,
    })
    .from(ehcReviewDecision)
    .where(
      and(eq(ehcReviewDecision.organisationId, organisationId), lte(ehcReviewDecision.meetingOn, censusDate)),
    )
    .orderBy(ehcReviewDecision.planId, sql`${ehcReviewDecision.meetingOn} desc`);
}

/** The pupil rows the cases and plans name, at the authority's schools only: (school, pupil) pairs. */
export async function sen2Pupils(db: Executor, organisationId: string, pairs: readonly [string, string][]) {
  if (pairs.length === 0) return [];
  const schools = [...new Set(pairs.map(([s]) => s))];
  const pupils = [...new Set(pairs.map(([, p]) => p))];
  return db
    .select({
      schoolId: pupil.schoolId,
      id: pupil.id,
      upn: pupil.upn,
      forename: pupil.forename,
      surname: pupil.surname,
      dateOfBirth: pupil.dateOfBirth,
      sex: pupil.sex,
      primaryNeed: pupil.primaryNeed,
      secondaryNeed: pupil.secondaryNeed,
      erasedAt: pupil.erasedAt,
    })
    .from(pupil)
    .innerJoin(school, eq(school.id, pupil.schoolId))
    .where(
      and(
        eq(school.organisationId, organisationId),
        inArray(pupil.schoolId, schools),
        sql`${pupil.id} = any(string_to_array(${pupils.join(',')}::text, ',')::uuid[])`,
      ),
    );
}

/** The day each child joined the school their plan names (their row there, found by UPN). */
export async function sen2Admissions(
  db: Executor,
  organisationId: string,
  schoolIds: readonly string[],
  upns: readonly string[],
) {
  if (schoolIds.length === 0 || upns.length === 0) return [];
  return db
    .select({ schoolId: pupil.schoolId, upn: pupil.upn, admissionDate: pupil.admissionDate })
    .from(pupil)
    .innerJoin(school, eq(school.id, pupil.schoolId))
    .where(
      and(
        eq(school.organisationId, organisationId),
        inArray(pupil.schoolId, [...new Set(schoolIds)]),
        sql`${pupil.upn} = any(string_to_array(${[...new Set(upns)].join(',')}::text, ','))`,
      ),
    );
}
