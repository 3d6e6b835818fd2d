import { and, asc, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { ehcRequest, organisationCase, pupil, pupilAction, schoolClass } from '../db/schema/index.ts';
import type { AccessScope } from '../domain/access.ts';
import type { EhcStage, SchoolRequestStatus } from '../domain/ehc.ts';
import { matchedReaches, reachColumns, sectionCondition } from './access.ts';

/*
 * A school's requests for an EHC needs assessment (docs/adr/0036) as its pages read them: one request
 * with the reaches that include its pupil (the policy decides what the reader may do); the school's
 * list with the reader's reach compiled in; the review's open "request an EHC needs assessment"
 * actions; where a sent request stands at the local authority on this installation; the pupil page's
 * fragments.
 */

export type EhcRequestRow = typeof ehcRequest.$inferSelect;
export type EhcRequestInsert = typeof ehcRequest.$inferInsert;

export async function insertEhcRequest(db: Executor, row: EhcRequestInsert) {
  await db.insert(ehcRequest).values(row);
}

/**
 * One request of the school with its pupil and the reaches that include the pupil; `lock` takes the
 * request row for a change. Null when it is not a request of this school (or its pupil was erased).
 */
export async function findEhcRequest(
  db: Executor,
  scope: AccessScope,
  requestId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({
      request: ehcRequest,
      forename: pupil.forename,
      surname: pupil.surname,
      dateOfBirth: pupil.dateOfBirth,
      upn: pupil.upn,
      leftOn: pupil.leftOn,
      className: schoolClass.name,
      ...reachColumns(scope),
    })
    .from(ehcRequest)
    .innerJoin(pupil, and(eq(pupil.schoolId, ehcRequest.schoolId), eq(pupil.id, ehcRequest.pupilId)))
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(ehcRequest.schoolId, scope.schoolId), eq(ehcRequest.id, requestId), isNull(pupil.erasedAt)))
    .limit(1);
  const rows = await (options.lock ? query.for('update', { of: ehcRequest }) : query);
  const row = rows[0] as (Record<string, unknown> & { request: EhcRequestRow }) | undefined;
  if (!row) return null;
  return {
    request: row.request,
    pupil: {
      id: row.request.pupilId,
      forename: row.forename as string,
      surname: row.surname as string,
      dateOfBirth: row.dateOfBirth as string,
      upn: row.upn as string,
      leftOn: row.leftOn as string | null,
    },
    className: row.className as string | null,
    reaches: matchedReaches(scope, row),
  };
}

/** Update with optimistic locking: false when someone else changed the request first. */
export async function updateEhcRequest(
  db: Executor,
  schoolId: string,
  requestId: string,
  expectedVersion: number,
  values: Partial<Omit<EhcRequestInsert, 'schoolId' | 'id' | 'pupilId' | 'version'>>,
): Promise<boolean> {
  const rows = await db
    .update(ehcRequest)
    .set({ ...values, version: sql`${ehcRequest.version} + 1` })
    .where(
      and(
        eq(ehcRequest.schoolId, schoolId),
        eq(ehcRequest.id, requestId),
        eq(ehcRequest.version, expectedVersion),
      ),
    )
    .returning({ id: ehcRequest.id });
  return rows.length > 0;
}

/** The pupil's request being written, if there is one (one at a time). */
export async function draftOfPupil(db: Executor, schoolId: string, pupilId: string) {
  const rows = await db
    .select({ id: ehcRequest.id })
    .from(ehcRequest)
    .where(
      and(eq(ehcRequest.schoolId, schoolId), eq(ehcRequest.pupilId, pupilId), eq(ehcRequest.status, 'draft')),
    )
    .limit(1);
  return rows[0]?.id ?? null;
}

/** A review's open "request an EHC needs assessment" action for this pupil, or null. */
export async function findOpenEhcAction(db: Executor, schoolId: string, pupilId: string, actionId: string) {
  const rows = await db
    .select()
    .from(pupilAction)
    .where(
      and(
        eq(pupilAction.schoolId, schoolId),
        eq(pupilAction.pupilId, pupilId),
        eq(pupilAction.id, actionId),
        eq(pupilAction.kind, 'ehc_request'),
        eq(pupilAction.status, 'open'),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** The open "request an EHC needs assessment" action a review of this pupil decided, or null. */
export async function openEhcActionOfReview(
  db: Executor,
  schoolId: string,
  pupilId: string,
  planReviewId: string,
) {
  const rows = await db
    .select()
    .from(pupilAction)
    .where(
      and(
        eq(pupilAction.schoolId, schoolId),
        eq(pupilAction.pupilId, pupilId),
        eq(pupilAction.planReviewId, planReviewId),
        eq(pupilAction.kind, 'ehc_request'),
        eq(pupilAction.status, 'open'),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** The review's action is done: the request it asked for has gone to the local authority. */
export async function markEhcActionDone(db: Executor, schoolId: string, actionId: string) {
  await db
    .update(pupilAction)
    .set({ status: 'done' })
    .where(
      and(
        eq(pupilAction.schoolId, schoolId),
        eq(pupilAction.id, actionId),
        eq(pupilAction.kind, 'ehc_request'),
      ),
    );
}

/**
 * The school withdrew the request it sent: the local authority's case (still open) closes as withdrawn,
 * in the school's unit of work. False when the case had already closed.
 */
export async function withdrawCaseOfRequest(
  tx: Executor,
  ref: { organisationId: string; caseId: string; schoolId: string; requestId: string },
  on: string,
  reason: string,
): Promise<boolean> {
  const rows = await tx
    .update(organisationCase)
    .set({
      stage: 'withdrawn',
      closedOn: sql`greatest(${on}::date, ${organisationCase.openedOn})`,
      closedReason: reason,
      version: sql`${organisationCase.version} + 1`,
    })
    .where(
      and(
        eq(organisationCase.organisationId, ref.organisationId),
        eq(organisationCase.id, ref.caseId),
        eq(organisationCase.schoolId, ref.schoolId),
        eq(organisationCase.requestId, ref.requestId),
        isNull(organisationCase.closedOn),
      ),
    )
    .returning({ id: organisationCase.id });
  return rows.length > 0;
}

/** The stage of the case a request opened, in SQL over `ehc_request` (null before it is in a caseload). */
const caseStageSql = sql<EhcStage | null>`(select ${organisationCase.stage} from ${organisationCase}
  where ${organisationCase.organisationId} = ${ehcRequest.organisationId} and ${organisationCase.id} = ${ehcRequest.caseId}
    and ${organisationCase.schoolId} = ${ehcRequest.schoolId} and ${organisationCase.requestId} = ${ehcRequest.id})`;

export interface EhcRequestFilters {
  status?: SchoolRequestStatus;
}

/**
 * The school's requests for EHC needs assessments, limited to the pupils whose EHC work the reader may
 * see, being written first, then newest; with where each stands at the local authority.
 */
export async function listEhcRequests(
  db: Executor,
  scope: AccessScope,
  filters: EhcRequestFilters,
  page: { limit: number; offset: number },
) {
  const conditions: SQL[] = [
    eq(ehcRequest.schoolId, scope.schoolId),
    isNull(pupil.erasedAt),
    sectionCondition(scope, 'ehc'),
  ];
  if (filters.status) conditions.push(eq(ehcRequest.status, filters.status));
  const rows = await db
    .select({
      id: ehcRequest.id,
      pupilId: ehcRequest.pupilId,
      forename: pupil.forename,
      surname: pupil.surname,
      className: schoolClass.name,
      status: ehcRequest.status,
      requestedBy: ehcRequest.requestedBy,
      createdAt: ehcRequest.createdAt,
      sentAt: ehcRequest.sentAt,
      sentHow: ehcRequest.sentHow,
      withdrawnOn: ehcRequest.withdrawnOn,
      caseStage: caseStageSql,
      caseId: ehcRequest.caseId,
      total: sql<number>`(count(*) over ())::int`,
    })
    .from(ehcRequest)
    .innerJoin(pupil, and(eq(pupil.schoolId, ehcRequest.schoolId), eq(pupil.id, ehcRequest.pupilId)))
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(...conditions))
    .orderBy(sql`(${ehcRequest.status} = 'draft') desc`, desc(ehcRequest.createdAt), asc(ehcRequest.id))
    .limit(page.limit)
    .offset(page.offset);
  return { total: rows[0]?.total ?? 0, rows: rows.map(({ total: _, ...r }) => r) };
}

export interface EhcRequestItem {
  id: string;
  status: SchoolRequestStatus;
  requestedBy: string;
  createdAt: string;
  sentAt: string | null;
  sentHow: string | null;
  withdrawnOn: string | null;
  caseStage: EhcStage | null;
  caseOpenedOn: string | null;
  /** The local authority's case, once sent into a caseload on this installation. */
  caseId: string | null;
}

/** The pupil's requests for the pupil page's panel: where each stands, here and at the local authority. */
export const ehcRequestsFragment = {
  section: 'ehc' as const,
  json: sql<EhcRequestItem[] | string>`select json_agg(json_build_object(
    'id', ${ehcRequest.id}, 'status', ${ehcRequest.status}, 'requestedBy', ${ehcRequest.requestedBy},
    'createdAt', ${ehcRequest.createdAt}, 'sentAt', ${ehcRequest.sentAt}, 'sentHow', ${ehcRequest.sentHow},
    'withdrawnOn', ${ehcRequest.withdrawnOn}, 'caseStage', ${caseStageSql}, 'caseId', ${ehcRequest.caseId},
    'caseOpenedOn', (select ${organisationCase.openedOn} from ${organisationCase}
      where ${organisationCase.organisationId} = ${ehcRequest.organisationId} and ${organisationCase.id} = ${ehcRequest.caseId}
        and ${organisationCase.schoolId} = ${ehcRequest.schoolId} and ${organisationCase.requestId} = ${ehcRequest.id}))
    order by ${ehcRequest.createdAt} desc, ${ehcRequest.id})
    from ${ehcRequest} where ${ehcRequest.schoolId} = ${pupil.schoolId} and ${ehcRequest.pupilId} = ${pupil.id}`,
};

/** The pupil's open "request an EHC needs assessment" actions from reviews, for the pupil page's panel. */
export const ehcActionsFragment = {
  section: 'ehc' as const,
  json: sql<
    { id: string; notes: string | null; createdAt: string; createdByName: string }[] | string
  >`select json_agg(json_build_object(
    'id', ${pupilAction.id}, 'notes', ${pupilAction.notes}, 'createdAt', ${pupilAction.createdAt},
    'createdByName', ${pupilAction.createdByName}) order by ${pupilAction.createdAt} desc)
    from ${pupilAction} where ${pupilAction.schoolId} = ${pupil.schoolId} and ${pupilAction.pupilId} = ${pupil.id}
    and ${pupilAction.kind} = 'ehc_request' and ${pupilAction.status} = 'open'`,
};
