import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  ehcAnnualReview,
  ehcPlan,
  ehcPlanSummary,
  ehcRequest,
  organisationCase,
  pupil,
} from '../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';

/*
 * The school's EHC figures, counted (never listed): requests for an assessment it sent since a day, by
 * where the authority's case stands; the plans its pupils on roll hold, and how many of those a year old
 * or more had an annual review meeting in the last twelve months.
 */

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** The school's requests sent since a day, by the stage of the authority's case (null: not on OpenSEND). */
export async function requestOutcomeCounts(
  db: Executor,
  schoolId: string,
  sinceOn: IsoDate,
  /** The last day counted (a past year's report counts that year only); none: up to now. */
  untilOn: IsoDate | null = null,
) {
  const rows = await db.execute(sql`
    select c.stage as stage, count(*)::int as n
    from ${ehcRequest} r
    left join ${organisationCase} c on c.school_id = r.school_id and c.id = r.case_id
    where r.school_id = ${schoolId} and r.sent_at is not null and r.status in ('sent', 'withdrawn')
      and r.sent_at >= ${sinceOn}::date
      and (${untilOn}::date is null or r.sent_at < (${untilOn}::date + 1))
    group by c.stage`);
  return rowsOf<{ stage: string | null; n: number | string }>(rows).map((r) => ({
    stage: r.stage,
    n: Number(r.n),
  }));
}

/**
 * The EHC plans the school's pupils on roll hold (the authority's final plans, and the school's
 * summaries of plans from other authorities for pupils with none here), those a year old or more on
 * `yearAgo`, and of those the ones reviewed since it (a meeting the school held, or the last review the
 * authority recorded).
 */
export async function planReviewCounts(db: Executor, schoolId: string, yearAgo: IsoDate) {
  const reviewedSince = (pupilId: unknown) => sql`exists (
      select 1 from ${ehcAnnualReview} ar
      where ar.school_id = ${schoolId} and ar.pupil_id = ${pupilId}
        and ar.status in ('held', 'sent') and ar.meeting_on >= ${yearAgo}::date)`;
  const rows = await db.execute(sql`
    with held as (
      select p.pupil_id, p.started_on as since, p.last_review_on as last_review
      from ${ehcPlan} p
      join ${pupil} u on u.school_id = p.school_id and u.id = p.pupil_id
      where p.school_id = ${schoolId} and p.status = 'final' and u.left_on is null
      union all
      select s.pupil_id, s.issued_on, s.last_review_on
      from ${ehcPlanSummary} s
      join ${pupil} u on u.school_id = s.school_id and u.id = s.pupil_id
      where s.school_id = ${schoolId} and s.ended_on is null and u.left_on is null
        and not exists (select 1 from ${ehcPlan} p where p.school_id = s.school_id and p.pupil_id = s.pupil_id and p.status = 'final')
    )
    select count(*)::int as held,
      count(*) filter (where since <= ${yearAgo}::date)::int as due,
      count(*) filter (where since <= ${yearAgo}::date
        and (last_review >= ${yearAgo}::date or ${reviewedSince(sql`held.pupil_id`)}))::int as reviewed
    from held`);
  const r =
    rowsOf<{ held?: number | string; due?: number | string; reviewed?: number | string }>(rows)[0] ?? {};
  return { held: Number(r.held ?? 0), due: Number(r.due ?? 0), reviewed: Number(r.reviewed ?? 0) };
}
