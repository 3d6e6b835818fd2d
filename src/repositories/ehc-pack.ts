import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  agencyReport,
  planReview,
  pupil,
  referral,
  registerEntry,
  school,
  schoolSettings,
} from '../db/schema/index.ts';

/*
 * What the EHC request's evidence pack reads that no other repository reads in this form (the rest it
 * takes from the plans, provision, agencies, pupils and staff repositories): the pupil with the school's
 * roll-over year, the register's history oldest first, every review of the pupil's plans, the pupil's
 * referrals, and every agency report the school holds about the pupil. Each is one statement, bounded by
 * the school and the pupil.
 */

/** The pupil (not an erased record) and what the pack says of the school. */
export async function pupilForPack(db: Executor, schoolId: string, pupilId: string) {
  const rows = await db
    .select({
      pupil,
      school: {
        name: school.name,
        urn: school.urn,
        laCode: school.laCode,
        rolledOverTo: school.rolledOverTo,
      },
      planName: schoolSettings.planName,
    })
    .from(pupil)
    .innerJoin(school, eq(school.id, pupil.schoolId))
    .leftJoin(schoolSettings, eq(schoolSettings.schoolId, pupil.schoolId))
    .where(and(eq(pupil.schoolId, schoolId), eq(pupil.id, pupilId)))
    .limit(1);
  const row = rows[0];
  return row && row.pupil.erasedAt === null ? row : null;
}

/** The pupil's register entries, oldest first. */
export async function registerEntriesOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({
      effectiveDate: registerEntry.effectiveDate,
      stage: registerEntry.stage,
      primaryNeed: registerEntry.primaryNeed,
      secondaryNeed: registerEntry.secondaryNeed,
    })
    .from(registerEntry)
    .where(and(eq(registerEntry.schoolId, schoolId), eq(registerEntry.pupilId, pupilId)))
    .orderBy(asc(registerEntry.effectiveDate), asc(registerEntry.recordedAt));
}

/** Every review of these plans, oldest first. */
export async function reviewsOfPlans(db: Executor, schoolId: string, planIds: string[]) {
  if (planIds.length === 0) return [];
  return db
    .select()
    .from(planReview)
    .where(and(eq(planReview.schoolId, schoolId), inArray(planReview.planId, planIds)))
    .orderBy(asc(planReview.heldOn), asc(planReview.createdAt));
}

/** The pupil's referrals (those still being drafted too), oldest first. */
export async function referralsOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({
      id: referral.id,
      agencyName: referral.agencyName,
      serviceKind: referral.serviceKind,
      question: referral.question,
      sentOn: referral.sentOn,
      status: referral.status,
      createdAt: referral.createdAt,
    })
    .from(referral)
    .where(and(eq(referral.schoolId, schoolId), eq(referral.pupilId, pupilId)))
    .orderBy(asc(referral.createdAt), asc(referral.id));
}

/** Every agency report the school holds about the pupil, oldest first. */
export async function reportsOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({
      id: agencyReport.id,
      referralId: agencyReport.referralId,
      agencyName: agencyReport.agencyName,
      authorName: agencyReport.authorName,
      authorRole: agencyReport.authorRole,
      title: agencyReport.title,
      writtenOn: agencyReport.writtenOn,
      summary: agencyReport.summary,
    })
    .from(agencyReport)
    .where(and(eq(agencyReport.schoolId, schoolId), eq(agencyReport.pupilId, pupilId)))
    .orderBy(asc(agencyReport.writtenOn), asc(agencyReport.createdAt));
}
