import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { organisationMembershipRole } from '../db/schema/access.ts';
import {
  appUser,
  caseAdvice,
  caseDecision,
  caseException,
  organisationCase,
  organisationMembership,
  pupil,
  school,
  schoolClosure,
} from '../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';

/*
 * The local authority's caseload (docs/adr/0036): its cases with their decisions, advice and exceptions,
 * read by the organisation's key in a few statements for the whole caseload (the clock is worked out
 * from them in domain/ehc-clock.ts), and the school's closures the clock needs for ground (a).
 */

export type CaseDecisionRow = typeof caseDecision.$inferSelect;
export type CaseAdviceRow = typeof caseAdvice.$inferSelect;
export type CaseExceptionRow = typeof caseException.$inferSelect;
export type SchoolClosureRow = typeof schoolClosure.$inferSelect;

/** The columns of a case the caseload needs (never the received pack, which can be large). */
const CASE_SUMMARY = {
  id: organisationCase.id,
  organisationId: organisationCase.organisationId,
  schoolId: organisationCase.schoolId,
  pupilId: organisationCase.pupilId,
  upn: organisationCase.upn,
  kind: organisationCase.kind,
  stage: organisationCase.stage,
  openedOn: organisationCase.openedOn,
  closedOn: organisationCase.closedOn,
  requestId: organisationCase.requestId,
  requestedBy: organisationCase.requestedBy,
  caseworkerUserId: organisationCase.caseworkerUserId,
  draftSentOn: organisationCase.draftSentOn,
  finalIssuedOn: organisationCase.finalIssuedOn,
  closedReason: organisationCase.closedReason,
  remindedFor: organisationCase.remindedFor,
  version: organisationCase.version,
  schoolName: school.name,
  // The child's name: the local authority's own copy (what the school sent) first; for an open case
  // without one, the pupil row of the school (the caseload reach gives it for open cases only).
  forename: sql<
    string | null
  >`coalesce(${organisationCase.received}->'child'->>'forename', ${pupil.forename})`,
  surname: sql<string | null>`coalesce(${organisationCase.received}->'child'->>'surname', ${pupil.surname})`,
  caseworkerName: appUser.name,
};

function summaryQuery(db: Executor) {
  return db
    .select(CASE_SUMMARY)
    .from(organisationCase)
    .innerJoin(school, eq(school.id, organisationCase.schoolId))
    .leftJoin(
      pupil,
      and(
        eq(pupil.schoolId, organisationCase.schoolId),
        eq(pupil.id, organisationCase.pupilId),
        isNull(organisationCase.closedOn),
      ),
    )
    .leftJoin(appUser, eq(appUser.id, organisationCase.caseworkerUserId));
}

/** The organisation's cases (open, or closed too), with the school's name and the child's. */
export async function caseSummaries(
  db: Executor,
  organisationId: string,
  options: { open: boolean; caseIds?: string[] },
) {
  const rows = await summaryQuery(db).where(
    and(
      eq(organisationCase.organisationId, organisationId),
      options.open ? isNull(organisationCase.closedOn) : undefined,
      options.caseIds ? inArray(organisationCase.id, options.caseIds) : undefined,
    ),
  );
  return rows;
}

export type CaseSummaryRow = Awaited<ReturnType<typeof caseSummaries>>[number];

/** The decisions, advice and exceptions of the organisation's cases (all open cases, or those named). */
export async function partsOfCases(db: Executor, organisationId: string, caseIds: string[] | 'open') {
  const inCases = <T extends typeof caseDecision | typeof caseAdvice | typeof caseException>(t: T) =>
    caseIds === 'open'
      ? sql`${t.caseId} in (select ${organisationCase.id} from ${organisationCase} where ${organisationCase.organisationId} = ${organisationId} and ${organisationCase.closedOn} is null)`
      : caseIds.length === 0
        ? sql`false`
        : inArray(t.caseId, caseIds);
  const [decisions, advice, exceptions] = await Promise.all([
    db
      .select()
      .from(caseDecision)
      .where(and(eq(caseDecision.organisationId, organisationId), inCases(caseDecision)))
      .orderBy(asc(caseDecision.decidedOn), asc(caseDecision.createdAt)),
    db
      .select()
      .from(caseAdvice)
      .where(and(eq(caseAdvice.organisationId, organisationId), inCases(caseAdvice)))
      .orderBy(asc(caseAdvice.createdAt)),
    db
      .select()
      .from(caseException)
      .where(and(eq(caseException.organisationId, organisationId), inCases(caseException)))
      .orderBy(asc(caseException.startsOn), asc(caseException.createdAt)),
  ]);
  return { decisions, advice, exceptions };
}

/** The closures of these schools (for ground (a) of the clock). */
export async function closuresOfSchools(db: Executor, schoolIds: string[]) {
  if (schoolIds.length === 0) return [];
  return db
    .select({
      schoolId: schoolClosure.schoolId,
      firstDay: schoolClosure.firstDay,
      lastDay: schoolClosure.lastDay,
    })
    .from(schoolClosure)
    .where(inArray(schoolClosure.schoolId, schoolIds));
}

export async function closuresOfSchool(db: Executor, schoolId: string) {
  return db
    .select()
    .from(schoolClosure)
    .where(eq(schoolClosure.schoolId, schoolId))
    .orderBy(asc(schoolClosure.firstDay));
}

export async function insertClosure(db: Executor, row: typeof schoolClosure.$inferInsert) {
  await db.insert(schoolClosure).values(row);
}

export async function deleteClosure(db: Executor, schoolId: string, id: string) {
  const rows = await db
    .delete(schoolClosure)
    .where(and(eq(schoolClosure.schoolId, schoolId), eq(schoolClosure.id, id)))
    .returning({ id: schoolClosure.id, firstDay: schoolClosure.firstDay, lastDay: schoolClosure.lastDay });
  return rows[0] ?? null;
}

export async function insertDecision(db: Executor, row: typeof caseDecision.$inferInsert) {
  await db.insert(caseDecision).values(row);
}

export async function insertAdvice(db: Executor, row: typeof caseAdvice.$inferInsert) {
  await db.insert(caseAdvice).values(row);
}

export async function findAdvice(db: Executor, organisationId: string, caseId: string, adviceId: string) {
  const rows = await db
    .select()
    .from(caseAdvice)
    .where(
      and(
        eq(caseAdvice.organisationId, organisationId),
        eq(caseAdvice.caseId, caseId),
        eq(caseAdvice.id, adviceId),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** Record when advice came (or correct when it was asked), if still at the version the officer saw. */
export async function updateAdvice(
  db: Executor,
  key: { organisationId: string; caseId: string; id: string; version: number },
  values: { requestedOn: IsoDate | null; receivedOn: IsoDate | null; note: string | null },
): Promise<boolean> {
  const rows = await db
    .update(caseAdvice)
    .set({ ...values, version: sql`${caseAdvice.version} + 1` })
    .where(
      and(
        eq(caseAdvice.organisationId, key.organisationId),
        eq(caseAdvice.caseId, key.caseId),
        eq(caseAdvice.id, key.id),
        eq(caseAdvice.version, key.version),
      ),
    )
    .returning({ id: caseAdvice.id });
  return rows.length > 0;
}

export async function insertException(db: Executor, row: typeof caseException.$inferInsert) {
  await db.insert(caseException).values(row);
}

export async function findException(db: Executor, organisationId: string, caseId: string, id: string) {
  const rows = await db
    .select()
    .from(caseException)
    .where(
      and(
        eq(caseException.organisationId, organisationId),
        eq(caseException.caseId, caseId),
        eq(caseException.id, id),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

export async function endException(
  db: Executor,
  key: { organisationId: string; caseId: string; id: string },
  endsOn: IsoDate,
) {
  await db
    .update(caseException)
    .set({ endsOn })
    .where(
      and(
        eq(caseException.organisationId, key.organisationId),
        eq(caseException.caseId, key.caseId),
        eq(caseException.id, key.id),
      ),
    );
}

/** Change a case's own fields, if it is still at the version the officer saw; false when it is not. */
export async function updateCase(
  db: Executor,
  key: { organisationId: string; id: string; version: number },
  values: Partial<typeof organisationCase.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(organisationCase)
    .set({ ...values, version: sql`${organisationCase.version} + 1` })
    .where(
      and(
        eq(organisationCase.organisationId, key.organisationId),
        eq(organisationCase.id, key.id),
        eq(organisationCase.version, key.version),
      ),
    )
    .returning({ id: organisationCase.id });
  return rows.length > 0;
}

/** A case's stage kept in step with its decisions and dates (the clock works it out). */
export async function setStage(db: Executor, organisationId: string, caseId: string, stage: string) {
  await db
    .update(organisationCase)
    .set({ stage: stage as typeof organisationCase.$inferInsert.stage })
    .where(and(eq(organisationCase.organisationId, organisationId), eq(organisationCase.id, caseId)));
}

/** The organisation's caseworkers (officers with the caseworker role), for the "caseworker" choice. */
export async function caseworkersOf(db: Executor, organisationId: string) {
  return db
    .selectDistinct({ userId: appUser.id, name: appUser.name, email: appUser.email })
    .from(organisationMembership)
    .innerJoin(
      organisationMembershipRole,
      and(
        eq(organisationMembershipRole.organisationId, organisationMembership.organisationId),
        eq(organisationMembershipRole.userId, organisationMembership.userId),
      ),
    )
    .innerJoin(appUser, eq(appUser.id, organisationMembership.userId))
    .where(
      and(
        eq(organisationMembership.organisationId, organisationId),
        eq(organisationMembershipRole.role, 'caseworker'),
        isNull(appUser.disabledAt),
      ),
    )
    .orderBy(asc(appUser.name));
}

/** Claim the reminder of a case's deadline: true once per deadline key, whoever runs at the same time. */
export async function claimReminder(db: Executor, organisationId: string, caseId: string, key: string) {
  const rows = await db
    .update(organisationCase)
    .set({ remindedFor: key })
    .where(
      and(
        eq(organisationCase.organisationId, organisationId),
        eq(organisationCase.id, caseId),
        or(isNull(organisationCase.remindedFor), sql`${organisationCase.remindedFor} <> ${key}`),
      ),
    )
    .returning({ id: organisationCase.id });
  return rows.length > 0;
}

/** Every organisation with open assessment cases held by a caseworker (for the nightly reminders). */
export async function organisationsWithOpenCases(db: Executor) {
  const rows = await db
    .selectDistinct({ organisationId: organisationCase.organisationId })
    .from(organisationCase)
    .where(
      and(
        isNull(organisationCase.closedOn),
        isNotNull(organisationCase.caseworkerUserId),
        eq(organisationCase.kind, 'ehc_needs_assessment'),
      ),
    );
  return rows.map((r) => r.organisationId);
}

/** The cases of a calendar year for SEN2: received in it, or decided or issued in it. */
export async function casesForYear(db: Executor, organisationId: string, from: IsoDate, to: IsoDate) {
  return db
    .select({
      id: organisationCase.id,
      schoolId: organisationCase.schoolId,
      openedOn: organisationCase.openedOn,
      closedOn: organisationCase.closedOn,
      stage: organisationCase.stage,
      draftSentOn: organisationCase.draftSentOn,
      finalIssuedOn: organisationCase.finalIssuedOn,
    })
    .from(organisationCase)
    .where(
      and(
        eq(organisationCase.organisationId, organisationId),
        eq(organisationCase.kind, 'ehc_needs_assessment'),
        lte(organisationCase.openedOn, to),
        or(
          gte(organisationCase.openedOn, from),
          isNull(organisationCase.closedOn),
          gte(organisationCase.closedOn, from),
          gte(organisationCase.finalIssuedOn, from),
          sql`exists (select 1 from ${caseDecision} where ${caseDecision.organisationId} = ${organisationCase.organisationId} and ${caseDecision.caseId} = ${organisationCase.id} and ${caseDecision.decidedOn} >= ${from})`,
        ),
      ),
    );
}

/** A case as the school that sent it may see it: only by the school's own id and the case's. */
export async function caseOfSchool(db: Executor, schoolId: string, caseId: string) {
  return (await casesOfSchool(db, schoolId, [caseId]))[0] ?? null;
}

/** The cases a school sent, by their ids (only the school's own: one statement however many). */
export async function casesOfSchool(db: Executor, schoolId: string, caseIds: readonly string[]) {
  if (caseIds.length === 0) return [];
  return db
    .select({
      organisationId: organisationCase.organisationId,
      id: organisationCase.id,
      kind: organisationCase.kind,
      stage: organisationCase.stage,
      openedOn: organisationCase.openedOn,
      closedOn: organisationCase.closedOn,
      draftSentOn: organisationCase.draftSentOn,
      finalIssuedOn: organisationCase.finalIssuedOn,
    })
    .from(organisationCase)
    .where(and(eq(organisationCase.schoolId, schoolId), inArray(organisationCase.id, [...caseIds])));
}
