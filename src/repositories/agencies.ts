import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  agency,
  agencyProfessional,
  agencyReport,
  provisionGroup,
  pupil,
  recommendation,
  recommendationUse,
  referral,
  referralConsent,
  referralEvent,
  school,
} from '../db/schema/index.ts';
import type { RecommendationKind, RecommendationUse } from '../domain/agencies.ts';
import type { AreaOfNeed } from '../domain/census.ts';

/*
 * The rows of outside agencies' work (docs/adr/0033): the directory, referrals with their steps and
 * consent, reports and their recommendations, and where a recommendation was used. Queries that reach
 * pupils compile the reader's reach into SQL, like every other pupil repository.
 */

export type AgencyInsert = typeof agency.$inferInsert;
export type AgencyProfessionalInsert = typeof agencyProfessional.$inferInsert;
export type ReferralInsert = typeof referral.$inferInsert;
export type ReferralEventInsert = typeof referralEvent.$inferInsert;
export type ReferralConsentInsert = typeof referralConsent.$inferInsert;
export type AgencyReportInsert = typeof agencyReport.$inferInsert;
export type RecommendationInsert = typeof recommendation.$inferInsert;
export type RecommendationUseInsert = typeof recommendationUse.$inferInsert;

export async function insertAgencies(db: Executor, rows: AgencyInsert[]) {
  if (rows.length) await db.insert(agency).values(rows);
}

export async function insertAgencyProfessionals(db: Executor, rows: AgencyProfessionalInsert[]) {
  if (rows.length) await db.insert(agencyProfessional).values(rows);
}

export async function insertReferrals(db: Executor, rows: ReferralInsert[]) {
  if (rows.length) await db.insert(referral).values(rows);
}

export async function insertReferralEvents(db: Executor, rows: ReferralEventInsert[]) {
  if (rows.length) await db.insert(referralEvent).values(rows);
}

export async function insertReferralConsents(db: Executor, rows: ReferralConsentInsert[]) {
  if (rows.length) await db.insert(referralConsent).values(rows);
}

export async function insertAgencyReports(db: Executor, rows: AgencyReportInsert[]) {
  if (rows.length) await db.insert(agencyReport).values(rows);
}

export async function insertRecommendations(db: Executor, rows: RecommendationInsert[]) {
  if (rows.length) await db.insert(recommendation).values(rows);
}

export async function insertRecommendationUses(db: Executor, rows: RecommendationUseInsert[]) {
  if (rows.length) await db.insert(recommendationUse).values(rows);
}

/** The owners whose lists a school chooses from: its own, and its organisation's (a local authority). */
export async function directoryOwnersOf(db: Executor, schoolId: string): Promise<string[]> {
  const [row] = await db
    .select({ organisationId: school.organisationId })
    .from(school)
    .where(eq(school.id, schoolId));
  return row?.organisationId ? [schoolId, row.organisationId] : [schoolId];
}

/**
 * The services a school chooses from, its own list and its local authority's, in use (not archived),
 * by kind then name. Each row says whose list it is on.
 */
export async function directoryOf(db: Executor, schoolId: string) {
  const owners = await directoryOwnersOf(db, schoolId);
  return db
    .select()
    .from(agency)
    .where(and(or(...owners.map((o) => eq(agency.ownerId, o))), isNull(agency.archivedAt)))
    .orderBy(asc(agency.serviceKind), asc(sql`lower(${agency.name})`), asc(agency.id));
}

/** One service a school may refer to (its own list or its local authority's), archived or not; undefined otherwise. */
export async function agencyForSchool(db: Executor, schoolId: string, agencyId: string) {
  const owners = await directoryOwnersOf(db, schoolId);
  const [row] = await db
    .select()
    .from(agency)
    .where(and(eq(agency.id, agencyId), or(...owners.map((o) => eq(agency.ownerId, o)))));
  return row;
}

/**
 * The services of these owners' lists (a school's own and its local authority's, or one list), by kind
 * then name: in use only, or with the archived ones too.
 */
export async function agenciesOfOwners(db: Executor, owners: string[], options: { archived?: boolean } = {}) {
  if (owners.length === 0) return [];
  return db
    .select()
    .from(agency)
    .where(and(inArray(agency.ownerId, owners), options.archived ? undefined : isNull(agency.archivedAt)))
    .orderBy(asc(agency.serviceKind), asc(sql`lower(${agency.name})`), asc(agency.id));
}

/** One service of one owner's list (locked for a change), archived or not; undefined otherwise. */
export async function findAgency(
  db: Executor,
  ownerId: string,
  agencyId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select()
    .from(agency)
    .where(and(eq(agency.ownerId, ownerId), eq(agency.id, agencyId)));
  const [row] = await (options.lock ? query.for('update') : query);
  return row;
}

/** Change a service if it is still at the version the form showed; false when someone saved first. */
export async function updateAgency(
  db: Executor,
  ownerId: string,
  agencyId: string,
  expectedVersion: number,
  values: Partial<AgencyInsert>,
): Promise<boolean> {
  const rows = await db
    .update(agency)
    .set({ ...values, version: sql`${agency.version} + 1` })
    .where(and(eq(agency.ownerId, ownerId), eq(agency.id, agencyId), eq(agency.version, expectedVersion)))
    .returning({ id: agency.id });
  return rows.length === 1;
}

/** How many services one owner's list holds, archived ones included. */
export async function agencyCountOf(db: Executor, ownerId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(agency)
    .where(eq(agency.ownerId, ownerId));
  return Number(row?.n ?? 0);
}

/** A service's professionals, by name: in use first, then archived. */
export async function professionalsOf(db: Executor, ownerId: string, agencyId: string) {
  return db
    .select()
    .from(agencyProfessional)
    .where(and(eq(agencyProfessional.ownerId, ownerId), eq(agencyProfessional.agencyId, agencyId)))
    .orderBy(
      sql`${agencyProfessional.archivedAt} is not null`,
      asc(sql`lower(${agencyProfessional.name})`),
      asc(agencyProfessional.id),
    );
}

/** One professional of one service of one owner's list; undefined otherwise. */
export async function findProfessional(
  db: Executor,
  ownerId: string,
  agencyId: string,
  professionalId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select()
    .from(agencyProfessional)
    .where(
      and(
        eq(agencyProfessional.ownerId, ownerId),
        eq(agencyProfessional.agencyId, agencyId),
        eq(agencyProfessional.id, professionalId),
      ),
    );
  const [row] = await (options.lock ? query.for('update') : query);
  return row;
}

/** Change a professional if still at the version the form showed; false when someone saved first. */
export async function updateProfessional(
  db: Executor,
  ownerId: string,
  professionalId: string,
  expectedVersion: number,
  values: Partial<AgencyProfessionalInsert>,
): Promise<boolean> {
  const rows = await db
    .update(agencyProfessional)
    .set({ ...values, version: sql`${agencyProfessional.version} + 1` })
    .where(
      and(
        eq(agencyProfessional.ownerId, ownerId),
        eq(agencyProfessional.id, professionalId),
        eq(agencyProfessional.version, expectedVersion),
      ),
    )
    .returning({ id: agencyProfessional.id });
  return rows.length === 1;
}

/** A school's referrals counted by kind of service and status (no pupil named). */
export async function referralCountsOfSchool(db: Executor, schoolId: string) {
  const rows = await db
    .select({
      serviceKind: referral.serviceKind,
      status: referral.status,
      n: sql<number>`count(*)::int`,
    })
    .from(referral)
    .where(eq(referral.schoolId, schoolId))
    .groupBy(referral.serviceKind, referral.status);
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/**
 * The referrals of these schools counted by service and status: a service of the organisation's own
 * list by its id, any other (a school's own list) by its kind only.
 */
export async function referralCountsOfSchools(db: Executor, schoolIds: string[], organisationId: string) {
  if (schoolIds.length === 0) return [];
  const shared = sql<boolean>`${referral.agencyOwnerId} = ${organisationId}`;
  const rows = await db
    .select({
      agencyId: sql<string | null>`case when ${shared} then ${referral.agencyId} end`,
      serviceKind: referral.serviceKind,
      status: referral.status,
      n: sql<number>`count(*)::int`,
    })
    .from(referral)
    .where(inArray(referral.schoolId, schoolIds))
    .groupBy(sql`1`, referral.serviceKind, referral.status);
  return rows.map((r) => ({
    ...r,
    agencyId: r.agencyId === null ? null : String(r.agencyId),
    n: Number(r.n),
  }));
}

// Recommendations and where they were used

/** A recommendation of a school's report, with the report it is in; null when the school has none with this id. */
export async function findRecommendation(db: Executor, schoolId: string, recommendationId: string) {
  const rows = await db
    .select({
      recommendation,
      report: {
        id: agencyReport.id,
        title: agencyReport.title,
        agencyName: agencyReport.agencyName,
        authorName: agencyReport.authorName,
        authorRole: agencyReport.authorRole,
        writtenOn: agencyReport.writtenOn,
        referralId: agencyReport.referralId,
      },
    })
    .from(recommendation)
    .innerJoin(
      agencyReport,
      and(eq(agencyReport.schoolId, recommendation.schoolId), eq(agencyReport.id, recommendation.reportId)),
    )
    .where(and(eq(recommendation.schoolId, schoolId), eq(recommendation.id, recommendationId)))
    .limit(1);
  return rows[0] ?? null;
}

/** A pupil's recommendations with their reports: the newest report first, each report's in its order. */
export async function recommendationsOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({
      recommendation,
      report: {
        id: agencyReport.id,
        title: agencyReport.title,
        agencyName: agencyReport.agencyName,
        authorName: agencyReport.authorName,
        authorRole: agencyReport.authorRole,
        writtenOn: agencyReport.writtenOn,
        referralId: agencyReport.referralId,
      },
    })
    .from(recommendation)
    .innerJoin(
      agencyReport,
      and(eq(agencyReport.schoolId, recommendation.schoolId), eq(agencyReport.id, recommendation.reportId)),
    )
    .where(and(eq(recommendation.schoolId, schoolId), eq(recommendation.pupilId, pupilId)))
    .orderBy(desc(agencyReport.writtenOn), asc(agencyReport.id), asc(recommendation.position));
}

/** Where a pupil's recommendations were used, oldest first, with the name of each provision group. */
export async function recommendationUsesOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({
      id: recommendationUse.id,
      recommendationId: recommendationUse.recommendationId,
      usedAs: recommendationUse.usedAs,
      planId: recommendationUse.planId,
      planTargetId: recommendationUse.planTargetId,
      planField: recommendationUse.planField,
      provisionGroupId: recommendationUse.provisionGroupId,
      groupName: provisionGroup.name,
      usedByName: recommendationUse.usedByName,
      createdAt: recommendationUse.createdAt,
    })
    .from(recommendationUse)
    .leftJoin(
      provisionGroup,
      and(
        eq(provisionGroup.schoolId, recommendationUse.schoolId),
        eq(provisionGroup.id, recommendationUse.provisionGroupId),
      ),
    )
    .where(and(eq(recommendationUse.schoolId, schoolId), eq(recommendationUse.pupilId, pupilId)))
    .orderBy(asc(recommendationUse.createdAt), asc(recommendationUse.id));
}

/** A recommendation as the pupil's page lists it: its words, its report, how it has been used. */
export interface PupilRecommendationItem {
  id: string;
  text: string;
  kind: RecommendationKind;
  area: AreaOfNeed | null;
  reportTitle: string;
  agencyName: string;
  authorRole: string | null;
  writtenOn: string;
  /** How it has been used so far (a target, a strategy, the provision), each once. */
  usedAs: RecommendationUse[];
}

/**
 * The pupil's recommendations for their page (docs/adr/0033): advice for the plan, read where the
 * reader reads the pupil's plans (a teaching assistant who works with them too; not the office).
 */
export const recommendationsFragment = {
  section: 'plans' as const,
  json: sql<PupilRecommendationItem[] | string>`select json_agg(json_build_object(
    'id', ${recommendation.id}, 'text', ${recommendation.text}, 'kind', ${recommendation.kind}, 'area', ${recommendation.area},
    'reportTitle', ${agencyReport.title}, 'agencyName', ${agencyReport.agencyName}, 'authorRole', ${agencyReport.authorRole},
    'writtenOn', ${agencyReport.writtenOn},
    'usedAs', coalesce((select json_agg(distinct ${recommendationUse.usedAs} order by ${recommendationUse.usedAs}) from ${recommendationUse}
      where ${recommendationUse.schoolId} = ${recommendation.schoolId} and ${recommendationUse.recommendationId} = ${recommendation.id}), '[]'::json))
    order by ${agencyReport.writtenOn} desc, ${agencyReport.id}, ${recommendation.position})
    from ${recommendation} join ${agencyReport} on ${agencyReport.schoolId} = ${recommendation.schoolId} and ${agencyReport.id} = ${recommendation.reportId}
    where ${recommendation.schoolId} = ${pupil.schoolId} and ${recommendation.pupilId} = ${pupil.id}`,
};
