import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  agency,
  agencyProfessional,
  agencyReport,
  recommendation,
  recommendationUse,
  referral,
  referralConsent,
  referralEvent,
  school,
} from '../db/schema/index.ts';

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
