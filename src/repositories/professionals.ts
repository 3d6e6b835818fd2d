import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  agencyProfessional,
  agencyReport,
  planTarget,
  professionalAccount,
  pupilShare,
  recommendation,
  referral,
  referralConsent,
  referralEvent,
  school,
  supportPlan,
} from '../db/schema/index.ts';
import type { ReferralStatus } from '../domain/referrals.ts';

/*
 * The professional of a referral, the share that opens the pupil's record to them, and the reports that
 * come back with their recommendations (docs/adr/0033). Whether a share is live is decided in SQL on
 * the database's day, the same condition the professional's reach compiles to.
 */

export type ReferralRow = typeof referral.$inferSelect;

/** A referral of the school, locked for a change when asked. */
export async function referralOfSchool(
  db: Executor,
  schoolId: string,
  referralId: string,
  options: { lock?: boolean } = {},
): Promise<ReferralRow | null> {
  const query = db
    .select()
    .from(referral)
    .where(and(eq(referral.schoolId, schoolId), eq(referral.id, referralId)))
    .limit(1);
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

/** A referral whose professional is this person, at whichever school, with its school's name. */
export async function referralOfProfessional(db: Executor, referralId: string, userId: string) {
  const rows = await db
    .select({ referral, schoolName: school.name })
    .from(referral)
    .innerJoin(school, eq(school.id, referral.schoolId))
    .where(and(eq(referral.id, referralId), eq(referral.professionalUserId, userId)))
    .limit(1);
  return rows[0] ?? null;
}

/** The consents recorded for a referral, oldest first. */
export async function consentsOfReferral(db: Executor, schoolId: string, referralId: string) {
  return db
    .select()
    .from(referralConsent)
    .where(and(eq(referralConsent.schoolId, schoolId), eq(referralConsent.referralId, referralId)))
    .orderBy(asc(referralConsent.givenOn), asc(referralConsent.createdAt));
}

/** The professionals of one service in the directory, in use, by name. */
export async function professionalsOfAgency(db: Executor, ownerId: string, agencyId: string) {
  return db
    .select()
    .from(agencyProfessional)
    .where(
      and(
        eq(agencyProfessional.ownerId, ownerId),
        eq(agencyProfessional.agencyId, agencyId),
        isNull(agencyProfessional.archivedAt),
      ),
    )
    .orderBy(asc(sql`lower(${agencyProfessional.name})`), asc(agencyProfessional.id));
}

/** Link the directory's entries for this email at this service to the person's account. */
export async function linkDirectoryProfessional(
  db: Executor,
  ownerId: string,
  agencyId: string,
  email: string,
  userId: string,
) {
  await db
    .update(agencyProfessional)
    .set({ userId })
    .where(
      and(
        eq(agencyProfessional.ownerId, ownerId),
        eq(agencyProfessional.agencyId, agencyId),
        sql`lower(${agencyProfessional.email}) = ${email.toLowerCase()}`,
        isNull(agencyProfessional.userId),
      ),
    );
}

export async function professionalAccountOf(db: Executor, userId: string) {
  const rows = await db.select().from(professionalAccount).where(eq(professionalAccount.userId, userId));
  return rows[0] ?? null;
}

/** A share with whether it is live today (not ended, between its first and last day). */
export async function shareWithLife(db: Executor, schoolId: string, shareId: string) {
  const rows = await db
    .select({
      share: pupilShare,
      live: sql<boolean>`(${pupilShare.endedAt} is null and ${pupilShare.sharedFrom} <= current_date and ${pupilShare.sharedUntil} >= current_date)`,
    })
    .from(pupilShare)
    .where(and(eq(pupilShare.schoolId, schoolId), eq(pupilShare.id, shareId)))
    .limit(1);
  const row = rows[0];
  return row ? { ...row.share, live: row.live === true || (row.live as unknown) === 't' } : null;
}

/** End a share now: the professional reaches nothing more through it. */
export async function endShare(db: Executor, schoolId: string, shareId: string, userId: string) {
  const rows = await db
    .update(pupilShare)
    .set({ endedAt: sql`now()`, endedBy: userId, version: sql`${pupilShare.version} + 1` })
    .where(and(eq(pupilShare.schoolId, schoolId), eq(pupilShare.id, shareId), isNull(pupilShare.endedAt)))
    .returning({ id: pupilShare.id });
  return rows.length > 0;
}

/** A referral's professional and share, or its new status, with its version bumped. */
export async function updateReferral(
  db: Executor,
  schoolId: string,
  referralId: string,
  values: Partial<Pick<ReferralRow, 'professionalUserId' | 'shareId' | 'status'>>,
) {
  await db
    .update(referral)
    .set({ ...values, version: sql`${referral.version} + 1` })
    .where(and(eq(referral.schoolId, schoolId), eq(referral.id, referralId)));
}

export async function insertReferralStep(
  db: Executor,
  row: {
    schoolId: string;
    id: string;
    referralId: string;
    pupilId: string;
    status: ReferralStatus;
    happenedOn: string;
    note: string | null;
    byName: string;
  },
) {
  await db.insert(referralEvent).values(row);
}

export type ReportRow = typeof agencyReport.$inferSelect;

/** A report of the school. */
export async function reportOfSchool(db: Executor, schoolId: string, reportId: string) {
  const rows = await db
    .select()
    .from(agencyReport)
    .where(and(eq(agencyReport.schoolId, schoolId), eq(agencyReport.id, reportId)))
    .limit(1);
  return rows[0] ?? null;
}

/** A report of a referral whose professional is this person, at whichever school. */
export async function reportOfProfessional(db: Executor, reportId: string, userId: string) {
  const rows = await db
    .select({ report: agencyReport, referral })
    .from(agencyReport)
    .innerJoin(
      referral,
      and(eq(referral.schoolId, agencyReport.schoolId), eq(referral.id, agencyReport.referralId)),
    )
    .where(and(eq(agencyReport.id, reportId), eq(referral.professionalUserId, userId)))
    .limit(1);
  return rows[0] ?? null;
}

/** A referral's reports, newest first. */
export async function reportsOfReferral(db: Executor, schoolId: string, referralId: string) {
  return db
    .select()
    .from(agencyReport)
    .where(and(eq(agencyReport.schoolId, schoolId), eq(agencyReport.referralId, referralId)))
    .orderBy(desc(agencyReport.writtenOn), desc(agencyReport.createdAt));
}

/** The recommendations of some reports, in their order. */
export async function recommendationsOfReports(db: Executor, schoolId: string, reportIds: readonly string[]) {
  if (reportIds.length === 0) return [];
  return db
    .select()
    .from(recommendation)
    .where(and(eq(recommendation.schoolId, schoolId), inArray(recommendation.reportId, [...reportIds])))
    .orderBy(asc(recommendation.reportId), asc(recommendation.position));
}

/**
 * The pupil's plan in place (active or in review; else the latest closed one), with its targets: what a
 * professional reads of the plans section. A draft is not shared.
 */
export async function currentPlanWithTargets(db: Executor, schoolId: string, pupilId: string) {
  const [plan] = await db
    .select({
      id: supportPlan.id,
      status: supportPlan.status,
      startDate: supportPlan.startDate,
      reviewDate: supportPlan.reviewDate,
      needAreas: supportPlan.needAreas,
      strengths: supportPlan.strengths,
      desiredOutcomes: supportPlan.desiredOutcomes,
    })
    .from(supportPlan)
    .where(
      and(
        eq(supportPlan.schoolId, schoolId),
        eq(supportPlan.pupilId, pupilId),
        inArray(supportPlan.status, ['active', 'in_review', 'closed']),
      ),
    )
    .orderBy(sql`case when ${supportPlan.status} = 'closed' then 1 else 0 end`, desc(supportPlan.cycle))
    .limit(1);
  if (!plan) return null;
  const targets = await db
    .select({
      area: planTarget.area,
      target: planTarget.target,
      achievementCriteria: planTarget.achievementCriteria,
      classStrategies: planTarget.classStrategies,
    })
    .from(planTarget)
    .where(and(eq(planTarget.schoolId, schoolId), eq(planTarget.planId, plan.id)))
    .orderBy(asc(planTarget.position));
  return { ...plan, targets };
}
