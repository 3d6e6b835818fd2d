import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { academicYearStartOf } from '../src/domain/calendar.ts';
import { todayInEngland } from '../src/domain/dates.ts';
import { meetingHalfTerm } from '../src/domain/progress-meetings.ts';
import { DEMO_PASSWORD } from '../src/services/demo.ts';
import { interleavedLatency, signedInServer } from './measure.ts';
import { countRoundTrips } from './round-trips.ts';

const SENCO = 'senco@brookfield.example';
const rowsOf = <T>(result: unknown) => ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];

/*
 * 9. The pupil progress meeting page at the local authority's scale: the first school's largest class,
 * each of its pupils with last summer's and this year's results in the school's three subjects (made
 * here, in a few statements, when the dataset has none), its meeting for this half term prepared. The
 * target: p95 ≤ 100 ms, and the statements it sends do not grow with the class.
 */
export async function progressMeetingStep(la: Database, schools: number) {
  const { db } = la;
  const today = todayInEngland();
  const year = academicYearStartOf(today);
  const [first] = rowsOf<{ school_id: string; class_id: string; name: string; pupils: number }>(
    await db.execute(sql`
      select c.school_id, c.id as class_id, c.name, count(p.id)::int as pupils
      from school_class c join membership m on m.school_id = c.school_id
      join app_user u on u.id = m.user_id and u.email = ${SENCO}
      join pupil p on p.school_id = c.school_id and p.class_id = c.id and p.left_on is null
      where c.archived_at is null group by c.school_id, c.id, c.name order by count(p.id) desc, c.name limit 1`),
  );
  if (!first) throw new Error('No class with pupils in the first school');
  const schoolId = first.school_id;
  await db.execute(sql`
    insert into assessment_subject (school_id, id, name, position, scale, bands, expected_band)
    select ${schoolId}::uuid, gen_random_uuid(), s.name, s.pos, 'bands',
      '[{"code":"BLW","label":"Working below"},{"code":"WTS","label":"Working towards"},{"code":"EXS","label":"Expected standard"},{"code":"GDS","label":"Greater depth"}]'::jsonb, 'EXS'
    from (values ('Reading', 1), ('Writing', 2), ('Maths', 3)) as s(name, pos)
    where not exists (select 1 from assessment_subject a where a.school_id = ${schoolId}::uuid)`);
  await db.execute(sql`
    insert into attainment_result (school_id, id, pupil_id, subject_id, academic_year, term, scale, value, recorded_by_name)
    select p.school_id, gen_random_uuid(), p.id, s.id, t.y, t.term, 'bands',
      (abs(hashtext(p.id::text || s.id::text || t.term)) % 4), 'Bench'
    from pupil p join assessment_subject s on s.school_id = p.school_id
    cross join (values (${year - 1}::smallint, 'summer'), (${year}::smallint, 'autumn')) as t(y, term)
    where p.school_id = ${schoolId}::uuid and p.left_on is null
    on conflict do nothing`);
  const h = meetingHalfTerm(today);
  await db.execute(sql`
    insert into progress_meeting (school_id, id, class_id, academic_year, half_term, created_by_name)
    values (${schoolId}::uuid, gen_random_uuid(), ${first.class_id}::uuid, ${h.academicYear}, ${h.halfTerm}, 'Bench')
    on conflict do nothing`);
  const [meeting] = rowsOf<{ id: string }>(
    await db.execute(sql`select id from progress_meeting where school_id = ${schoolId}::uuid
      and class_id = ${first.class_id}::uuid and academic_year = ${h.academicYear} and half_term = ${h.halfTerm}`),
  );
  const url = `/progress-meetings/${meeting!.id}`;
  console.log(
    `\n9. The pupil progress meeting page (SENCo; ${first.name}, ${first.pupils} pupils; ${schools} schools; target p95 ≤ 100 ms)`,
  );
  const server = await signedInServer(la, SENCO, DEMO_PASSWORD);
  try {
    const trips = countRoundTrips();
    await server.get(url);
    const before = trips.count;
    await server.get(url);
    const queries = trips.count - before;
    const [figures] = await interleavedLatency([server.get], [url]);
    console.table([
      {
        page: 'progress meeting',
        pupils: first.pupils,
        queries,
        p50: `${figures!.median.toFixed(1)} ms`,
        p95: `${figures!.p95.toFixed(1)} ms`,
        target: figures!.p95 <= 100 ? 'met (p95 ≤ 100 ms)' : 'MISSED (p95 > 100 ms)',
      },
    ]);
  } finally {
    await server.app.close();
  }
}
