import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { concern, pupil, schoolClass } from '../db/schema/index.ts';
import type { AccessScope } from '../domain/access.ts';
import type { AreaOfNeed } from '../domain/census.ts';
import type { ConcernKind, ConcernOutcome, ConcernSource, ConcernStatus } from '../domain/concerns.ts';
import { matchedReaches, reachColumns, sectionCondition } from './access.ts';

export type ConcernInsert = typeof concern.$inferInsert;

export async function insertConcerns(db: Executor, values: ConcernInsert[]): Promise<void> {
  for (let i = 0; i < values.length; i += 500) await db.insert(concern).values(values.slice(i, i + 500));
}

const summaryColumns = {
  id: concern.id,
  pupilId: concern.pupilId,
  kind: concern.kind,
  concernDate: concern.concernDate,
  raisedByName: concern.raisedByName,
  source: concern.source,
  areasOfNeed: concern.areasOfNeed,
  status: concern.status,
  outcome: concern.outcome,
  reviewedOn: concern.reviewedOn,
  forename: pupil.forename,
  surname: pupil.surname,
  className: schoolClass.name,
};

/**
 * Concerns about pupils whose concerns the actor may read; or, with `raisedBy`, the ones they raised
 * themselves (a raiser always sees what happened to their concern, whoever the pupil is).
 */
export async function listConcerns(
  db: Executor,
  scope: AccessScope,
  options: { status?: 'open' | 'reviewed'; raisedBy?: string; pupilId?: string; limit?: number },
) {
  const conditions = [
    eq(concern.schoolId, scope.schoolId),
    eq(pupil.schoolId, scope.schoolId),
    options.raisedBy ? eq(concern.raisedBy, options.raisedBy) : sectionCondition(scope, 'concerns'),
  ];
  if (options.status) conditions.push(eq(concern.status, options.status));
  if (options.pupilId) conditions.push(eq(concern.pupilId, options.pupilId));
  return db
    .select(summaryColumns)
    .from(concern)
    .innerJoin(pupil, and(eq(pupil.schoolId, concern.schoolId), eq(pupil.id, concern.pupilId)))
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(...conditions))
    .orderBy(
      options.status === 'open' ? asc(concern.concernDate) : desc(concern.concernDate),
      asc(concern.id),
    )
    .limit(options.limit ?? 200);
}

/**
 * A concern of the actor's school with the reaches that include its pupil (the policy decides what
 * the actor may do with it); `lock` takes the row for a review.
 */
export async function findConcern(
  db: Executor,
  scope: AccessScope,
  concernId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({
      concern,
      forename: pupil.forename,
      surname: pupil.surname,
      dateOfBirth: pupil.dateOfBirth,
      leftOn: pupil.leftOn,
      senStage: pupil.senStage,
      className: schoolClass.name,
      ...reachColumns(scope),
    })
    .from(concern)
    .innerJoin(pupil, and(eq(pupil.schoolId, concern.schoolId), eq(pupil.id, concern.pupilId)))
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(concern.schoolId, scope.schoolId), eq(concern.id, concernId)))
    .limit(1);
  const rows = await (options.lock ? query.for('update', { of: concern }) : query);
  const row = rows[0] as (Record<string, unknown> & { concern: typeof concern.$inferSelect }) | undefined;
  if (!row) return null;
  return {
    concern: row.concern,
    forename: row.forename as string,
    surname: row.surname as string,
    dateOfBirth: row.dateOfBirth as string,
    className: row.className as string | null,
    /** What the policies ask of the pupil the concern is about. */
    pupil: { leftOn: row.leftOn as string | null, senStage: row.senStage as string },
    reaches: matchedReaches(scope, row),
  };
}

export async function reviewConcern(
  db: Executor,
  schoolId: string,
  concernId: string,
  expectedVersion: number,
  values: Pick<
    ConcernInsert,
    'outcome' | 'actionTaken' | 'agency' | 'reviewedBy' | 'reviewedByName' | 'reviewedOn'
  >,
): Promise<boolean> {
  const rows = await db
    .update(concern)
    .set({ ...values, status: 'reviewed', version: sql`${concern.version} + 1` })
    .where(
      and(
        eq(concern.schoolId, schoolId),
        eq(concern.id, concernId),
        eq(concern.version, expectedVersion),
        eq(concern.status, 'open'),
      ),
    )
    .returning({ id: concern.id });
  return rows.length === 1;
}

export async function countOpenConcerns(db: Executor, schoolId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(concern)
    .where(and(eq(concern.schoolId, schoolId), eq(concern.status, 'open')));
  return rows[0]?.n ?? 0;
}

/** The record fragment this repository owns (see pupil-record.ts): the pupil's concerns. */
export interface ConcernItem {
  id: string;
  kind: ConcernKind;
  concernDate: string;
  raisedByName: string;
  source: ConcernSource;
  areasOfNeed: AreaOfNeed[];
  status: ConcernStatus;
  outcome: ConcernOutcome | null;
  reviewedOn: string | null;
}
export const concernsFragment = {
  section: 'concerns' as const,
  json: sql<ConcernItem[] | string>`select json_agg(json_build_object(
    'id', ${concern.id}, 'kind', ${concern.kind}, 'concernDate', ${concern.concernDate}, 'raisedByName', ${concern.raisedByName},
    'source', ${concern.source}, 'areasOfNeed', ${concern.areasOfNeed}, 'status', ${concern.status}, 'outcome', ${concern.outcome},
    'reviewedOn', ${concern.reviewedOn})
    order by ${concern.concernDate} desc, ${concern.id})
    from ${concern} where ${concern.schoolId} = ${pupil.schoolId} and ${concern.pupilId} = ${pupil.id}`,
};
