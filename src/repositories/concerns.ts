import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { concern, pupil, schoolClass } from '../db/schema.ts';
import type { PupilScope } from '../services/actor.ts';
import { pupilScopeCondition } from './scope.ts';

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
  areasOfNeed: concern.areasOfNeed,
  status: concern.status,
  outcome: concern.outcome,
  reviewedOn: concern.reviewedOn,
  forename: pupil.forename,
  surname: pupil.surname,
  className: schoolClass.name,
};

/** Concerns about pupils in scope, optionally only open ones or only those raised by one person. */
export async function listConcerns(
  db: Executor,
  scope: PupilScope,
  options: { status?: 'open' | 'reviewed'; raisedBy?: string; pupilId?: string; limit?: number },
) {
  const conditions = [pupilScopeCondition(scope), eq(concern.schoolId, scope.schoolId)];
  if (options.status) conditions.push(eq(concern.status, options.status));
  if (options.raisedBy) conditions.push(eq(concern.raisedBy, options.raisedBy));
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

/** A concern whose pupil is in scope; or one the actor raised themselves (they always see what happened). */
export async function findConcern(db: Executor, scope: PupilScope, concernId: string, raisedBy?: string) {
  const access = raisedBy
    ? sql`(${pupilScopeCondition(scope)} or ${concern.raisedBy} = ${raisedBy})`
    : pupilScopeCondition(scope);
  const rows = await db
    .select({ concern, forename: pupil.forename, surname: pupil.surname, dateOfBirth: pupil.dateOfBirth })
    .from(concern)
    .innerJoin(pupil, and(eq(pupil.schoolId, concern.schoolId), eq(pupil.id, concern.pupilId)))
    .where(and(eq(concern.schoolId, scope.schoolId), eq(concern.id, concernId), access))
    .limit(1);
  return rows[0] ?? null;
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
