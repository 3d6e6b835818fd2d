import type { Db } from '../../db/client.ts';
import { referralActions } from '../../policies/agencies.ts';
import { referralOfProfessional, referralOfSchool, shareWithLife } from '../../repositories/professionals.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireKind, requireSection } from '../kernel/authorise.ts';
import { NotFoundError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';

/*
 * How a referral is reached: by staff of its school through their reach of the pupil's agencies
 * section (a referral they cannot reach is "not found", recorded where its school sees it); by the
 * professional of the referral while its share is live (never by trusting the id in the address).
 */

export const referralNotFound = (id: string) =>
  new NotFoundError('Referral not found', { kind: 'referral', id });

/** A referral of the actor's school, the pupil it is about, and what the policy allows them. */
export async function staffReferral(
  db: Db,
  actor: Actor,
  referralId: string,
  level: 'read' | 'write' = 'read',
) {
  // A role that never reaches any pupil's outside agencies (at this level) is refused outright.
  const a = requireSection(actor, 'agencies', level);
  const referral = await referralOfSchool(db, a.schoolId, referralId);
  if (!referral) throw referralNotFound(referralId);
  let found: Awaited<ReturnType<typeof pupilFor>>;
  try {
    found = await pupilFor(db, a, referral.pupilId, { section: 'agencies' });
  } catch (error) {
    if (error instanceof NotFoundError) throw referralNotFound(referralId);
    throw error;
  }
  const actions = referralActions(a, referral, { access: found.access, left: found.pupil.leftOn !== null });
  if (!actions.read) throw referralNotFound(referralId);
  return {
    actor: a,
    referral,
    pupil: found.pupil,
    className: found.className,
    access: found.access,
    actions,
  };
}

/**
 * A referral whose professional is this person, with its live share; "not found" otherwise (another
 * professional's, or the share ended, or past its last day), recorded where the owning school sees it.
 */
export async function professionalReferral(db: Db, actor: Actor, referralId: string) {
  const professional = requireKind(
    actor,
    'professional',
    'This page is for professionals of outside agencies',
  );
  const found = await referralOfProfessional(db, referralId, professional.userId);
  const share = found?.referral.shareId
    ? await shareWithLife(db, found.referral.schoolId, found.referral.shareId)
    : null;
  if (!found || !share?.live || share.professionalUserId !== professional.userId)
    throw referralNotFound(referralId);
  return { professional, referral: found.referral, schoolName: found.schoolName, share };
}
