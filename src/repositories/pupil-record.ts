import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { pupil, school, schoolClass } from '../db/schema/index.ts';
import type { AccessScope, Section } from '../domain/access.ts';
import { matchedReaches, reachColumns, sectionCondition } from './access.ts';
import { classMovesFragment } from './classes.ts';
import { concernsFragment } from './concerns.ts';
import { importHistoryFragment } from './imports.ts';
import { plansFragment } from './plans.ts';
import { assignedStaffFragment, parentsFragment } from './pupils.ts';
import { registerHistoryFragment, registerReviewsFragment } from './register.ts';
import { parseJson } from './sessions.ts';
import { ctfExportsFragment } from './transfers.ts';

/**
 * A pupil's whole record in one round trip, assembled from fragments that each repository owns. Each
 * fragment is a JSON array built by PostgreSQL, and is built only where the actor may read its
 * section of this pupil (the same condition as every list): office staff's record has no SEN parts.
 */
export interface RecordFragment<T> {
  section: Section;
  json: SQL<T[] | string>;
}

const FRAGMENTS = {
  parents: parentsFragment,
  history: registerHistoryFragment,
  reviews: registerReviewsFragment,
  concerns: concernsFragment,
  assignedStaff: assignedStaffFragment,
  plans: plansFragment,
  imports: importHistoryFragment,
  ctfExports: ctfExportsFragment,
  classMoves: classMovesFragment,
};

type Fragments = typeof FRAGMENTS;
type FragmentItems = { [K in keyof Fragments]: Fragments[K] extends RecordFragment<infer T> ? T[] : never };

export async function pupilRecord(db: Executor, scope: AccessScope, pupilId: string) {
  const gated = Object.fromEntries(
    Object.entries(FRAGMENTS).map(([key, f]) => [
      key,
      sql`case when ${sectionCondition(scope, f.section)} then coalesce((${f.json}), '[]'::json) else '[]'::json end`,
    ]),
  ) as Record<keyof Fragments, SQL<unknown>>;
  const rows = await db
    .select({
      pupil,
      className: schoolClass.name,
      // The year the school counts year groups in (it may have rolled over before September).
      rolledOverTo: sql<
        number | null
      >`(select ${school.rolledOverTo} from ${school} where ${school.id} = ${pupil.schoolId})`,
      ...reachColumns(scope),
      ...gated,
    })
    .from(pupil)
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(pupil.schoolId, scope.schoolId), eq(pupil.id, pupilId)))
    .limit(1);
  const row = rows[0] as Record<string, unknown> | undefined;
  if (!row) return null;
  const items = Object.fromEntries(
    Object.keys(FRAGMENTS).map((key) => [key, parseJson(row[key] as unknown[] | string)]),
  ) as FragmentItems;
  return {
    pupil: row.pupil as typeof pupil.$inferSelect,
    className: row.className as string | null,
    rolledOverTo: row.rolledOverTo === null ? null : Number(row.rolledOverTo),
    reaches: matchedReaches(scope, row),
    ...items,
  };
}
