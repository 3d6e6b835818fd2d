import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { examplePlanSections } from '../test/builders/ehc-plans.ts';

/*
 * The large dataset's EHC plans (for the SEN2 export and the authority's lists of reviews): every pupil
 * on roll recorded with an EHC plan gets the authority's record of it, as the demo's plans will be —
 * a closed assessment case (received one to six years ago, decided to assess five weeks later, the plan
 * issued at eighteen weeks), its final plan naming the pupil's school with the need types of their
 * register, and an annual review decision for each year the plan has run. Set-based, and only for
 * pupils who have none yet, so a reused dataset is not given two.
 */
export async function ensureBenchPlans(database: Database, today: string): Promise<number> {
  const template = JSON.stringify(
    examplePlanSections({ id: '00000000-0000-0000-0000-000000000000', name: '', urn: null }),
  );
  const result = (await database.db.execute(sql`
    with pupils as (
      select p.school_id, p.id as pupil_id, p.upn, p.primary_need, p.secondary_need, s.organisation_id,
        s.name as school_name, s.urn,
        (${today}::date - (365 + (abs(hashtext(p.id::text)) % (5 * 365)))) as received_on
      from pupil p join school s on s.id = p.school_id
      where p.sen_stage = 'ehc_plan' and p.left_on is null and s.organisation_id is not null
        and not exists (select 1 from ehc_plan e where e.school_id = p.school_id and e.pupil_id = p.id)
    ),
    cases as (
      insert into organisation_case (organisation_id, id, school_id, pupil_id, upn, kind, opened_on, closed_on,
        stage, requested_by, final_issued_on, closed_reason)
      select organisation_id, gen_random_uuid(), school_id, pupil_id, upn, 'ehc_needs_assessment', received_on,
        received_on + 126, 'plan_issued', 'school', received_on + 126, 'Final plan issued'
      from pupils
      returning organisation_id, id, school_id, pupil_id, upn, opened_on, final_issued_on
    ),
    decisions as (
      insert into case_decision (organisation_id, id, case_id, kind, decided_on, parents_told_on, decided_by_name)
      select organisation_id, gen_random_uuid(), id, k.kind, opened_on + k.days, opened_on + k.days, 'Morgan Ellis'
      from cases, (values ('assess', 35), ('issue_plan', 98)) as k(kind, days)
      returning 1
    ),
    plans as (
      insert into ehc_plan (organisation_id, id, case_id, school_id, pupil_id, upn, status, final_version,
        latest_version, started_on, last_review_on, review_due_on, named_school_id)
      select c.organisation_id, gen_random_uuid(), c.id, c.school_id, c.pupil_id, c.upn, 'final', 1, 1,
        c.final_issued_on,
        case when c.final_issued_on <= ${today}::date - 365
          then c.final_issued_on + (((${today}::date - c.final_issued_on) / 365) * 365 - 30) end,
        c.final_issued_on + 365 * (1 + (${today}::date - c.final_issued_on) / 365),
        c.school_id
      from cases c
      returning organisation_id, id, case_id, school_id, started_on
    ),
    versions as (
      insert into ehc_plan_version (organisation_id, id, plan_id, case_id, number, stage, reason, sections,
        sent_on, comments_due_on, issued_on, created_by_name)
      select pl.organisation_id, gen_random_uuid(), pl.id, pl.case_id, 1, 'issued', 'new_plan',
        jsonb_set(
          jsonb_set(${template}::jsonb, '{i}', jsonb_build_object('schoolId', pl.school_id, 'name', pu.school_name,
            'urn', pu.urn, 'kind', null)),
          '{b,needs}',
          jsonb_build_array(
            jsonb_build_object('id', 'need-1', 'needType', pu.primary_need, 'text', 'Needs in the primary area'),
            jsonb_build_object('id', 'need-2', 'needType', pu.secondary_need, 'text', 'Needs in the secondary area'))),
        pl.started_on - 28, pl.started_on - 14, pl.started_on, 'Morgan Ellis'
      from plans pl join cases c on c.id = pl.case_id join pupils pu on pu.pupil_id = c.pupil_id
      returning 1
    ),
    reviews as (
      insert into ehc_review_decision (organisation_id, id, plan_id, case_id, school_id, meeting_on, received_on,
        decision, decided_on, decided_by_name)
      select pl.organisation_id, gen_random_uuid(), pl.id, pl.case_id, pl.school_id,
        pl.started_on + 335 + 365 * (g - 1), pl.started_on + 345 + 365 * (g - 1), 'keep',
        pl.started_on + 355 + 365 * (g - 1), 'Morgan Ellis'
      from plans pl, generate_series(1, 5) g
      where pl.started_on + 355 + 365 * (g - 1) <= ${today}::date
      returning 1
    )
    select (select count(*) from plans)::int as plans, (select count(*) from versions)::int as versions,
      (select count(*) from decisions)::int as decisions, (select count(*) from reviews)::int as reviews`)) as unknown as {
    rows: { plans: number }[];
  };
  return result.rows[0]?.plans ?? 0;
}
