import { and, asc, desc, eq, inArray, or } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { referral, referralConsent, referralEvent } from '../db/schema/index.ts';

/* Referrals and consents as a parent reaches them: always through the child (school and pupil). */

/** The child's referrals that wait for consent, or that these parent records gave consent to. */
export async function referralsForFamily(
  db: Executor,
  schoolId: string,
  pupilId: string,
  carerIds: string[],
) {
  const consents = await db
    .select()
    .from(referralConsent)
    .where(
      and(
        eq(referralConsent.schoolId, schoolId),
        eq(referralConsent.pupilId, pupilId),
        inArray(referralConsent.parentCarerId, carerIds),
      ),
    )
    .orderBy(desc(referralConsent.givenOn));
  const ids = [...new Set(consents.map((c) => c.referralId))];
  const referrals = await db
    .select()
    .from(referral)
    .where(
      and(
        eq(referral.schoolId, schoolId),
        eq(referral.pupilId, pupilId),
        ids.length > 0
          ? or(eq(referral.status, 'awaiting_consent'), inArray(referral.id, ids))
          : eq(referral.status, 'awaiting_consent'),
      ),
    )
    .orderBy(asc(referral.createdAt));
  return { referrals, consents };
}

/** One of the child's referrals, if waiting for consent or consented to by these parent records. */
export async function referralForFamily(
  db: Executor,
  schoolId: string,
  pupilId: string,
  referralId: string,
  carerIds: string[],
  options: { lock?: boolean } = {},
) {
  const query = db
    .select()
    .from(referral)
    .where(and(eq(referral.schoolId, schoolId), eq(referral.pupilId, pupilId), eq(referral.id, referralId)));
  const [row] = await (options.lock ? query.for('update') : query);
  if (!row) return null;
  const consents = await db
    .select()
    .from(referralConsent)
    .where(
      and(
        eq(referralConsent.schoolId, schoolId),
        eq(referralConsent.referralId, referralId),
        inArray(referralConsent.parentCarerId, carerIds),
      ),
    )
    .orderBy(desc(referralConsent.givenOn));
  if (row.status !== 'awaiting_consent' && consents.length === 0) return null;
  return { referral: row, consents };
}

/** A consent the child's parent gave (online or on paper), by id. */
export async function consentForFamily(
  db: Executor,
  schoolId: string,
  pupilId: string,
  consentId: string,
  carerIds: string[],
) {
  const [row] = await db
    .select()
    .from(referralConsent)
    .where(
      and(
        eq(referralConsent.schoolId, schoolId),
        eq(referralConsent.pupilId, pupilId),
        eq(referralConsent.id, consentId),
        inArray(referralConsent.parentCarerId, carerIds),
      ),
    );
  return row ?? null;
}

/** The refusals parents gave online on a referral (a step that leaves its status as it was). */
/** Online refusals of consent to a referral by these parents or carers, latest first. */
export function refusalsOf(db: Executor, schoolId: string, referralId: string, carerIds: string[]) {
  return db
    .select()
    .from(referralEvent)
    .where(
      and(
        eq(referralEvent.schoolId, schoolId),
        eq(referralEvent.referralId, referralId),
        inArray(referralEvent.refusedByParentCarerId, carerIds),
      ),
    )
    .orderBy(desc(referralEvent.createdAt));
}
