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
