import { randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { SECTION_LABELS } from '../../domain/access.ts';
import { formatDate, type IsoDate } from '../../domain/dates.ts';
import { isEmailAddress } from '../../domain/mail.ts';
import { defaultShareUntil, isFinished, SHAREABLE_SECTIONS, shareProblem } from '../../domain/referrals.ts';
import { findAccount, findAccountByEmail, insertAccounts } from '../../repositories/accounts.ts';
import { insertProfessionalAccounts, insertPupilShares } from '../../repositories/people-kinds.ts';
import {
  consentsOfReferral,
  endShare,
  linkDirectoryProfessional,
  professionalAccountOf,
  professionalsOfAgency,
  referralOfSchool,
  shareWithLife,
  updateReferral,
} from '../../repositories/professionals.ts';
import { findSchool } from '../../repositories/schools.ts';
import { insertSetUpToken, useSetUpTokens } from '../../repositories/sign-in.ts';
import { SET_UP_DAYS } from '../auth/set-up.ts';
import { hashToken } from '../auth/sign-in.ts';
import type { Actor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, ForbiddenError, ValidationError } from '../kernel/errors.ts';
import { queueMail } from '../kernel/outbox.ts';
import type { MailContext } from '../kernel/ports.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';
import { referralNotFound, staffReferral } from './access.ts';

export interface InviteInput {
  /** A professional of the service from the directory, or null to invite the person typed. */
  agencyProfessionalId: string | null;
  name: string | null;
  email: string | null;
  sharedUntil: IsoDate;
  /** The referral's version the form showed. */
  version: number;
}

/** A password no one can type: an account waiting for its person to choose one from the set-up link. */
const NO_PASSWORD_YET = '!set-up-pending';

const NOT_SENT =
  'Send the referral before you invite the service’s professional: nothing of the pupil is shared before it is sent';

/**
 * Inviting the service's professional to a referral (docs/adr/0033): the share of the sections the
 * referral names, until a day consent allows; their account (made, with a one-time link to choose a
 * password, or given a professional's place); a mail that names no child. And ending the share at once.
 */
export function createInvitations(database: Database, clock: Clock, mail: MailContext) {
  const { db } = database;

  async function managed(actor: Actor, referralId: string, action: 'manage' | 'endShare') {
    const found = await staffReferral(db, actor, referralId, 'write');
    if (!found.actions[action])
      throw new ForbiddenError(
        'Only the SENCo or head teacher invites a professional to a referral or ends the sharing',
        'agencies.manage',
      );
    return found;
  }

  /** What the school shares with the professional of a referral, who they are, until when. */
  async function shareSummary(schoolId: string, shareId: string | null) {
    const share = shareId ? await shareWithLife(db, schoolId, shareId) : null;
    if (!share) return null;
    const person = await findAccount(db, share.professionalUserId);
    return {
      professionalName: person?.name ?? 'The professional',
      professionalEmail: person?.email ?? '',
      sections: share.sections.map((s) => SECTION_LABELS[s]),
      sharedFrom: share.sharedFrom,
      sharedUntil: share.sharedUntil,
      ended: share.endedAt !== null,
      live: share.live,
    };
  }

  return {
    shareSummary: async (actor: Actor, referralId: string) => {
      const found = await staffReferral(db, actor, referralId);
      return {
        share: await shareSummary(found.actor.schoolId, found.referral.shareId),
        actions: found.actions,
      };
    },

    /** The invitation form: the service's professionals in the directory, what is shared, the day offered. */
    async inviteForm(actor: Actor, referralId: string, options: { audit: boolean } = { audit: true }) {
      const found = await managed(actor, referralId, 'manage');
      const { referral } = found;
      const today = clock.today();
      const [professionals, consents, share] = await Promise.all([
        professionalsOfAgency(db, referral.agencyOwnerId, referral.agencyId),
        consentsOfReferral(db, referral.schoolId, referral.id),
        shareSummary(referral.schoolId, referral.shareId),
      ]);
      const basis = { lawfulBasis: referral.lawfulBasis, basisNote: referral.basisNote, consents };
      const sharedUntil = defaultShareUntil(basis, today);
      if (options.audit)
        await audit(db, found.actor, 'pupil.opened_form', {
          pupilId: referral.pupilId,
          detail: { form: 'invite the agency’s professional', referralId },
        });
      return {
        referral,
        pupil: found.pupil,
        professionals: professionals.map((p) => ({
          id: p.id,
          name: p.name,
          jobTitle: p.jobTitle,
          email: p.email,
        })),
        sections: referral.shareSections
          .filter((s) => SHAREABLE_SECTIONS.includes(s))
          .map((s) => SECTION_LABELS[s]),
        sharedUntil,
        notSent: referral.status === 'drafted' || referral.status === 'awaiting_consent' ? NOT_SENT : null,
        problem: shareProblem(basis, sharedUntil, today),
        share: share?.live ? share : null,
      };
    },

    async invite(actor: Actor, referralId: string, input: InviteInput) {
      const { actor: a } = await managed(actor, referralId, 'manage');
      const today = clock.today();
      const token = randomBytes(32).toString('base64url');
      const result = await unitOfWork(db, a, async (w) => {
        const referral = await referralOfSchool(w.tx, a.schoolId, referralId, { lock: true });
        if (!referral) throw referralNotFound(referralId);
        if (referral.version !== input.version)
          throw new ConflictError(
            'Someone else has changed this referral since you opened the form: check it, then invite again',
          );
        if (referral.status === 'drafted' || referral.status === 'awaiting_consent')
          throw new ValidationError([{ field: 'form', message: NOT_SENT }]);
        if (isFinished(referral.status))
          throw new ValidationError([
            { field: 'form', message: 'The referral has ended: nothing more is shared through it' },
          ]);
        if (referral.shareId) {
          const current = await shareWithLife(w.tx, a.schoolId, referral.shareId);
          if (current && current.endedAt === null && current.sharedUntil >= today)
            throw new ValidationError([
              {
                field: 'form',
                message: `The record is already shared for this referral until ${formatDate(current.sharedUntil)}: end that sharing first`,
              },
            ]);
        }
        const errors: FieldError[] = [];
        const consents = await consentsOfReferral(w.tx, a.schoolId, referralId);
        const problem = shareProblem(
          { lawfulBasis: referral.lawfulBasis, basisNote: referral.basisNote, consents },
          input.sharedUntil,
          today,
        );
        if (problem) errors.push({ field: 'sharedUntil', message: problem });
        let name = input.name?.trim() ?? '';
        let email = input.email?.trim().toLowerCase() ?? '';
        let jobTitle: string | null = null;
        if (input.agencyProfessionalId) {
          const listed = (await professionalsOfAgency(w.tx, referral.agencyOwnerId, referral.agencyId)).find(
            (p) => p.id === input.agencyProfessionalId,
          );
          if (!listed)
            errors.push({
              field: 'agencyProfessionalId',
              message: `Choose a professional of ${referral.agencyName} from the list`,
            });
          else if (!listed.email || !isEmailAddress(listed.email))
            errors.push({
              field: 'agencyProfessionalId',
              message: `The directory has no email address for ${listed.name}: choose “Someone else” and type it`,
            });
          else {
            name = listed.name;
            email = listed.email.toLowerCase();
            jobTitle = listed.jobTitle;
          }
        } else {
          if (!name) errors.push({ field: 'name', message: 'Enter the professional’s name' });
          if (!email) errors.push({ field: 'email', message: 'Enter the professional’s email address' });
          else if (!isEmailAddress(email))
            errors.push({ field: 'email', message: 'Enter an email address like name@service.example' });
        }
        if (errors.length) throw new ValidationError(errors);

        let account = await findAccountByEmail(w.tx, email);
        const newAccount = !account;
        if (!account) {
          const id = randomUUID();
          await insertAccounts(w.tx, [{ id, email, name, passwordHash: NO_PASSWORD_YET }]);
          account = await findAccount(w.tx, id);
        } else if (account.disabledAt) {
          throw new ValidationError([
            {
              field: input.agencyProfessionalId ? 'agencyProfessionalId' : 'email',
              message:
                'The OpenSEND account of this email address has its sign-in turned off: invite someone else',
            },
          ]);
        }
        const userId = account!.id;
        // An account never set up (new, or invited before and its link unused: perhaps expired) gets a
        // fresh link; any earlier link is used up with it, so only the newest one works.
        const setUpLink = account!.passwordHash === NO_PASSWORD_YET;
        if (setUpLink) {
          await useSetUpTokens(w.tx, userId);
          await insertSetUpToken(w.tx, {
            tokenHash: hashToken(token),
            userId,
            expiresAt: new Date(Date.now() + SET_UP_DAYS * 24 * 3600 * 1000),
          });
        }
        if (!(await professionalAccountOf(w.tx, userId)))
          await insertProfessionalAccounts(w.tx, [{ userId, agencyName: referral.agencyName, jobTitle }]);
        await linkDirectoryProfessional(w.tx, referral.agencyOwnerId, referral.agencyId, email, userId);
        const sections = referral.shareSections.filter((s) => SHAREABLE_SECTIONS.includes(s));
        const shareId = randomUUID();
        await insertPupilShares(w.tx, [
          {
            schoolId: a.schoolId,
            id: shareId,
            pupilId: referral.pupilId,
            professionalUserId: userId,
            sections,
            purpose: `Referral to ${referral.agencyName}`,
            sharedFrom: today,
            sharedUntil: input.sharedUntil,
            sharedBy: a.userId,
            referralId,
          },
        ]);
        await updateReferral(w.tx, a.schoolId, referralId, { professionalUserId: userId, shareId });
        const school = await findSchool(w.tx, a.schoolId);
        const from = school?.name ?? 'A school';
        if (setUpLink)
          await queueMail(w.tx, { schoolId: a.schoolId }, email, 'account.set_up', {
            from,
            link: `${mail.publicUrl}/sign-in/set-password?token=${token}`,
          });
        else
          await queueMail(w.tx, { schoolId: a.schoolId }, email, 'referral.shared', {
            from,
            link: `${mail.publicUrl}/sign-in`,
          });
        w.audit('referral.professional_invited', {
          pupilId: referral.pupilId,
          detail: {
            referralId,
            shareId,
            professionalUserId: userId,
            sections,
            sharedUntil: input.sharedUntil,
            newAccount,
            setUpLink,
          },
        });
        return { name, email, newAccount, setUpLink, sharedUntil: input.sharedUntil };
      });
      mail.jobsQueued();
      return result;
    },

    /** End the sharing at once: from now the professional is refused the pupil and the referral. */
    async endShare(actor: Actor, referralId: string) {
      const { actor: a, referral } = await managed(actor, referralId, 'endShare');
      return unitOfWork(db, a, async (w) => {
        const ended = referral.shareId ? await endShare(w.tx, a.schoolId, referral.shareId, a.userId) : false;
        // Sent twice, or ended by someone else a moment ago: nothing more to do, and nothing to record.
        if (!ended) return { ended };
        w.audit('referral.share_ended', {
          pupilId: referral.pupilId,
          detail: { referralId, shareId: referral.shareId },
        });
        return { ended };
      });
    },
  };
}
