import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { pupil, school, schoolClass, schoolSettings } from '../db/schema/index.ts';
import type { AccessScope, Section } from '../domain/access.ts';
import { matchedReaches, reachColumns, type SqlScope, sectionCondition } from './access.ts';
import { recommendationsFragment } from './agencies.ts';
import { type AuditInput, auditValues, auditWhere } from './audit.ts';
import { classMovesFragment } from './classes.ts';
import { concernsFragment } from './concerns.ts';
import { ehcPlansFragment, ehcSummariesFragment } from './ehc-plan-school.ts';
import { ehcActionsFragment, ehcRequestsFragment } from './ehc-requests.ts';
import { importHistoryFragment } from './imports.ts';
import { lettersFragment } from './letters.ts';
import { plansFragment } from './plans.ts';
import { provisionFragment, provisionSettingsFragment } from './provision.ts';
import { assignedStaffFragment, parentsFragment } from './pupils.ts';
import { agencyActionsFragment, referralsFragment } from './referrals.ts';
import { registerHistoryFragment, registerReviewsFragment } from './register.ts';
import { parseJson } from './sessions.ts';
import { activeStaffWithRoleJson, type StaffChoice } from './staff.ts';
import { topUpFragment, topUpReviewActionsFragment } from './top-up.ts';
import { ctfExportsFragment } from './transfers.ts';

/**
 * A pupil's whole record in one round trip, assembled from fragments that each repository owns. Each
 * fragment is a JSON array built by PostgreSQL, and is built only where the actor may read its
 * section of this pupil (the same condition as every list): office staff's record has no SEN parts.
 * The same statement writes the view's audit row, and brings what the page's forms offer.
 */
export interface RecordFragment<T> {
  section: Section;
  /** A second section the reader must also read this pupil's record in. */
  also?: Section;
  json: SQL<T[] | string>;
}

const FRAGMENTS = {
  parents: parentsFragment,
  history: registerHistoryFragment,
  reviews: registerReviewsFragment,
  concerns: concernsFragment,
  assignedStaff: assignedStaffFragment,
  plans: plansFragment,
  letters: lettersFragment,
  provision: provisionFragment,
  provisionSettings: provisionSettingsFragment,
  imports: importHistoryFragment,
  ctfExports: ctfExportsFragment,
  classMoves: classMovesFragment,
  referrals: referralsFragment,
  agencyActions: agencyActionsFragment,
  recommendations: recommendationsFragment,
  topUps: topUpFragment,
  topUpReviewActions: topUpReviewActionsFragment,
  ehcRequests: ehcRequestsFragment,
  ehcReviewActions: ehcActionsFragment,
  ehcPlans: ehcPlansFragment,
  ehcSummaries: ehcSummariesFragment,
};

type Fragments = typeof FRAGMENTS;
const fragmentEntries = Object.entries(FRAGMENTS) as [string, RecordFragment<unknown>][];

/** The parts of the record, each from its fragment (the bench's floor must fetch each of them too). */
export const RECORD_PARTS = Object.keys(FRAGMENTS) as (keyof Fragments)[];
type FragmentItems = { [K in keyof Fragments]: Fragments[K] extends RecordFragment<infer T> ? T[] : never };

export interface PupilRecordOptions {
  /**
   * The audit row of this view, written by the same statement only where the actor may see the pupil's
   * identity: a refused view writes nothing. `viewed` in the result says it was written.
   */
  viewed?: AuditInput;
  /** Also the school's active teaching assistants where the actor may change the pupil's provision. */
  assignableStaff?: boolean;
}

const placeholder = (name: string) => sql.placeholder(name);

/**
 * The record query for everyone with the same roles asking for the same parts: its SQL depends on
 * nothing else, so it is built once (per database handle) and prepared, and each view binds its school,
 * person, pupil and audit row.
 */
function recordSelect(db: Executor, roles: AccessScope['roles'], options: PupilRecordOptions) {
  const scope: SqlScope = { schoolId: placeholder('schoolId'), userId: placeholder('userId'), roles };
  const gated = Object.fromEntries(
    fragmentEntries.map(([key, f]) => [
      key,
      sql`case when ${sectionCondition(scope, f.section)}${f.also ? sql` and ${sectionCondition(scope, f.also)}` : sql``} then coalesce((${f.json}), '[]'::json) else '[]'::json end`,
    ]),
  ) as Record<keyof Fragments, SQL<unknown>>;
  // An erased record (a tombstone) is no pupil's record: not found, and its view not audited.
  const thisPupil = and(
    eq(pupil.schoolId, placeholder('schoolId')),
    eq(pupil.id, placeholder('pupilId')),
    isNull(pupil.erasedAt),
  );
  const audited = options.viewed
    ? auditWhere(
        db,
        {
          schoolId: placeholder('auditSchoolId'),
          userId: placeholder('auditUserId'),
          role: placeholder('auditRole'),
          action: placeholder('auditAction'),
          pupilId: placeholder('auditPupilId'),
          requestId: placeholder('auditRequestId'),
          detail: placeholder('auditDetail'),
        },
        sql`exists (select 1 from ${pupil} where ${thisPupil} and ${sectionCondition(scope, 'identity')})`,
      )
    : null;
  // Last in the row, so the audit row (and the chain's per-school lock) comes after the reading.
  const extra = {
    ...(options.assignableStaff
      ? {
          assignableStaff: sql`case when ${sectionCondition(scope, 'provision', 'write')} then coalesce((${activeStaffWithRoleJson('teaching_assistant')}), '[]'::json) else '[]'::json end`,
        }
      : {}),
    ...(audited ? { viewed: sql<boolean>`exists (select 1 from ${audited})` } : {}),
  };
  return (audited ? db.with(audited) : db)
    .select({
      pupil,
      className: schoolClass.name,
      // The year the school counts year groups in (it may have rolled over before September).
      rolledOverTo: sql<
        number | null
      >`(select ${school.rolledOverTo} from ${school} where ${school.id} = ${pupil.schoolId})`,
      // What the school calls its plans (null until it saves its settings): the page's headings.
      planName: sql<
        string | null
      >`(select ${schoolSettings.planName} from ${schoolSettings} where ${schoolSettings.schoolId} = ${pupil.schoolId})`,
      ...reachColumns(scope),
      ...gated,
      ...extra,
    })
    .from(pupil)
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(thisPupil)
    .limit(1);
}

function buildRecordQuery(
  db: Executor,
  roles: AccessScope['roles'],
  options: PupilRecordOptions,
  name: string,
) {
  return recordSelect(db, roles, options).prepare(name);
}

/** The record statement for these roles and options as it is prepared, for tests to read and explain. */
export const recordSelectForTest = recordSelect;

const recordQueries = new WeakMap<Executor, Map<string, ReturnType<typeof buildRecordQuery>>>();
let preparedCount = 0;

function recordQuery(db: Executor, roles: AccessScope['roles'], options: PupilRecordOptions) {
  const key = `${[...roles].sort().join(',')}|${options.viewed ? 'viewed' : ''}|${options.assignableStaff ? 'staff' : ''}`;
  let queries = recordQueries.get(db);
  if (!queries) {
    queries = new Map();
    recordQueries.set(db, queries);
  }
  let query = queries.get(key);
  if (!query) {
    query = buildRecordQuery(db, roles, options, `pupil_record_${++preparedCount}`);
    queries.set(key, query);
  }
  return query;
}

export async function pupilRecord(
  db: Executor,
  scope: AccessScope,
  pupilId: string,
  options: PupilRecordOptions = {},
) {
  const audit = options.viewed ? auditValues(options.viewed) : null;
  const rows = await recordQuery(db, scope.roles, options).execute({
    schoolId: scope.schoolId,
    userId: scope.userId,
    pupilId,
    ...(audit
      ? {
          auditSchoolId: audit.schoolId,
          auditUserId: audit.userId,
          auditRole: audit.role,
          auditAction: audit.action,
          auditPupilId: audit.pupilId,
          auditRequestId: audit.requestId,
          auditDetail: audit.detail,
        }
      : {}),
  });
  const row = rows[0] as Record<string, unknown> | undefined;
  if (!row) return null;
  const items = Object.fromEntries(
    Object.keys(FRAGMENTS).map((key) => [key, parseJson(row[key] as unknown[] | string)]),
  ) as FragmentItems;
  return {
    pupil: row.pupil as typeof pupil.$inferSelect,
    className: row.className as string | null,
    rolledOverTo: row.rolledOverTo === null ? null : Number(row.rolledOverTo),
    planName: (row.planName as string | null) ?? null,
    reaches: matchedReaches(scope, row),
    ...items,
    viewed: row.viewed === true,
    assignableStaff: row.assignableStaff ? parseJson(row.assignableStaff as StaffChoice[] | string) : [],
  };
}
