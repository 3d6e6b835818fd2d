import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { addDays, type IsoDate, todayInEngland } from '../src/domain/dates.ts';
import { emptySections } from '../src/domain/ehc-plan.ts';

/*
 * The authority's EHC plans for the bench's "reviews due", when the dataset has none yet: each pupil of
 * the authority's schools with an EHC plan on the register gets a case (closed at plan_issued) and a final
 * plan issued on a day spread over the last year (so their reviews fall due over the next twelve months),
 * and one plan in eight a school's report received — waiting for a decision (most) or being amended. All
 * in a few statements, the way the demo will make them.
 */
export async function reviewPlansForBench(database: Database, organisationEmailOfficer: string) {
  const { db } = database;
  const existing = (await db.execute(sql`select count(*)::int as n from ehc_plan`)) as unknown as {
    rows: { n: number }[];
  };
  if ((existing.rows[0]?.n ?? 0) > 0) return existing.rows[0]!.n;
  const today = todayInEngland();
  const sections = JSON.stringify(emptySections());
  const from: IsoDate = addDays(today, -364);
  await db.execute(sql`
    with officer as (
      select om.organisation_id, om.user_id from organisation_membership om
      join app_user u on u.id = om.user_id where u.email = ${organisationEmailOfficer} limit 1
    ), children as (
      select p.school_id, p.id as pupil_id, p.upn, p.forename, p.surname, o.organisation_id, o.user_id,
        row_number() over (order by p.school_id, p.id) as n
      from pupil p join school s on s.id = p.school_id join officer o on o.organisation_id = s.organisation_id
      where p.sen_stage = 'ehc_plan' and p.left_on is null
    ), cases as (
      insert into organisation_case (organisation_id, id, school_id, pupil_id, upn, kind, opened_on, closed_on,
        stage, requested_by, caseworker_user_id, received, final_issued_on, closed_reason)
      select organisation_id, gen_random_uuid(), school_id, pupil_id, upn, 'ehc_needs_assessment',
        (${from}::date + (n % 364)::int - 140), (${from}::date + (n % 364)::int), 'plan_issued', 'school',
        case when n % 3 = 0 then user_id end,
        jsonb_build_object('child', jsonb_build_object('forename', forename, 'surname', surname, 'upn', upn)),
        (${from}::date + (n % 364)::int), 'Final plan issued'
      from children returning organisation_id, id, school_id, pupil_id, upn, final_issued_on
    ), plans as (
      insert into ehc_plan (organisation_id, id, case_id, school_id, pupil_id, upn, status, final_version,
        latest_version, started_on, review_due_on, named_school_id)
      select organisation_id, gen_random_uuid(), id, school_id, pupil_id, upn, 'final', 1, 1, final_issued_on,
        (final_issued_on + interval '1 year' - interval '1 day')::date, school_id
      from cases returning organisation_id, id, case_id, started_on
    ), versions as (
      insert into ehc_plan_version (organisation_id, id, plan_id, case_id, number, stage, reason, sections,
        sent_on, comments_due_on, issued_on, created_by_name)
      select organisation_id, gen_random_uuid(), id, case_id, 1, 'issued', 'new_plan', ${sections}::jsonb,
        started_on - 28, started_on - 14, started_on, 'Bench' from plans
      returning plan_id
    )
    select count(*) from versions`);
  // One plan in eight has its report in: waiting for the decision, or (one in three of those) amending.
  await db.execute(sql`
    insert into ehc_review_decision (organisation_id, id, plan_id, case_id, school_id, annual_review_id,
      meeting_on, received_on, received)
    select p.organisation_id, gen_random_uuid(), p.id, p.case_id, p.school_id, gen_random_uuid(),
      (${today}::date - (abs(hashtext(p.id::text)) % 40))::date,
      (${today}::date - (abs(hashtext(p.id::text)) % 40) + 7)::date, '{}'::jsonb
    from ehc_plan p where abs(hashtext(p.id::text)) % 8 = 0`);
  await db.execute(sql`
    update ehc_review_decision d set decision = 'amend', decided_on = d.meeting_on + 14, reasons = 'Bench'
    where abs(hashtext(d.id::text)) % 3 = 0`);
  await db.execute(sql`analyze ehc_plan; analyze ehc_review_decision; analyze organisation_case`);
  const made = (await db.execute(sql`select count(*)::int as n from ehc_plan`)) as unknown as {
    rows: { n: number }[];
  };
  return made.rows[0]?.n ?? 0;
}
