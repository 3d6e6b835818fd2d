import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { SECTION_LABELS } from '../../domain/access.ts';
import { SERVICE_KIND_LABELS } from '../../domain/agencies.ts';
import { formatDate } from '../../domain/dates.ts';
import { consentInForce, consentProblems, REFERRAL_STATUS_LABELS } from '../../domain/referrals.ts';
import {
  consentForFamily,
  referralForFamily,
  referralsForFamily,
  refusalsOf,
} from '../../repositories/family-consent.ts';
import type { ConsentRow, ReferralRow } from '../../repositories/referrals.ts';
import { insertConsent, insertEvent } from '../../repositories/referrals.ts';
import { withdrawConsentIn } from '../agencies/referrals.ts';
import type { Actor } from '../kernel/actor.ts';
import type { Clock } from '../kernel/clock.ts';
import { NotFoundError, ValidationError } from '../kernel/errors.ts';
import { auditFamilyRead, changeAsFamily, familyChild } from './access.ts';

/*
 * Consent online (docs/adr/0039, 0033): a referral waiting for the parents' consent is shown to the
 * parent in plain words (which service, why, what would be shared); they give consent (to the referral,
 * to sharing) or say no. Consent given online is a referral_consent row like a paper one, given by the
 * parent "through the parent portal". They see what they agreed to and may withdraw it: the referral
 * stops exactly as when the school records a withdrawal (agencies/referrals.ts withdrawConsentIn).
 */

export interface FamilyConsentInput {
  coversReferral: boolean;
  coversSharing: boolean;
}

export type ConsentAnswer =
  | { answer: 'give'; covers: FamilyConsentInput }
  | { answer: 'refuse'; reason: string | null };

/** How a refusal given online begins, on the referral's step (the referral's status stays as it was). */
export const REFUSED = 'Consent refused online';
const referralNotFound = (id: string) => new NotFoundError('Referral not found', { kind: 'referral', id });
const consentNotFound = (id: string) =>
  new NotFoundError('Consent not found', { kind: 'referral_consent', id });

/** The service as a parent reads it: its name, and what kind it is unless the name says so already. */
export function serviceInPlainWords(name: string, kind: string): string {
  return name.toLowerCase().includes(kind.toLowerCase()) ? name : `${name} (${kind.toLowerCase()})`;
}

function plainReferral(r: ReferralRow) {
  const kind = SERVICE_KIND_LABELS[r.serviceKind];
  return {
    id: r.id,
    service: r.agencyName,
    serviceShown: serviceInPlainWords(r.agencyName, kind),
    kind,
    why: r.question,
    shares: r.shareSections.map((s) => SECTION_LABELS[s]),
    documents: r.shareDocuments,
    status: REFERRAL_STATUS_LABELS[r.status],
    waiting: r.status === 'awaiting_consent',
  };
}

function plainConsent(c: ConsentRow, today: string) {
  return {
    id: c.id,
    referralId: c.referralId,
    givenBy: c.givenByName,
    givenOn: formatDate(c.givenOn),
    online: c.how === 'parent_portal',
    coversReferral: c.coversReferral,
    coversSharing: c.coversSharing,
    documents: c.coversDocuments,
    withdrawnOn: c.withdrawnOn ? formatDate(c.withdrawnOn) : null,
    inForce: consentInForce(c, today),
  };
}

export function createFamilyConsentService(database: Database, clock: Clock) {
  const { db } = database;
  return {
    /** The child's referrals waiting for consent, and the consents this parent gave. */
    async list(actor: Actor, pupilId: string) {
      const child = await familyChild(db, actor, pupilId, { section: 'agencies' });
      const carerIds = child.carers.map((c) => c.id);
      const { referrals, consents } = await referralsForFamily(db, child.pupil.schoolId, pupilId, carerIds);
      await auditFamilyRead(db, child.parent, child, 'family.read', { record: 'consent', id: pupilId });
      const today = clock.today();
      const p = child.pupil;
      const asked = referrals.filter(
        (r) =>
          r.status === 'awaiting_consent' &&
          !consents.some((c) => c.referralId === r.id && consentInForce(c, today)),
      );
      // A referral this parent said no to online is answered: shown as such, not as waiting.
      const refusedOn = new Map<string, string>();
      for (const r of asked) {
        const [latest] = await refusalsOf(db, child.pupil.schoolId, r.id, carerIds);
        if (latest) refusedOn.set(r.id, formatDate(latest.happenedOn));
      }
      return {
        pupilId,
        childName: `${p.preferredName ?? p.forename} ${p.surname}`,
        schoolName: child.schoolName,
        waiting: asked.filter((r) => !refusedOn.has(r.id)).map(plainReferral),
        refused: asked
          .filter((r) => refusedOn.has(r.id))
          .map((r) => ({ ...plainReferral(r), refusedOn: refusedOn.get(r.id)! })),
        consents: consents.map((c) => {
          const r = referrals.find((x) => x.id === c.referralId);
          return {
            ...plainConsent(c, today),
            service: r?.agencyName ?? '',
            stopped: r?.status === 'stopped',
          };
        }),
      };
    },

    /** One referral in plain words, with this parent's consents and refusal. */
    async referral(
      actor: Actor,
      pupilId: string,
      referralId: string,
      options: { audit: boolean } = { audit: true },
    ) {
      const child = await familyChild(db, actor, pupilId, { section: 'agencies' });
      const found = await referralForFamily(
        db,
        child.pupil.schoolId,
        pupilId,
        referralId,
        child.carers.map((c) => c.id),
      );
      if (!found) throw referralNotFound(referralId);
      const refusals = await refusalsOf(
        db,
        child.pupil.schoolId,
        referralId,
        child.carers.map((c) => c.id),
      );
      if (options.audit)
        await auditFamilyRead(db, child.parent, child, 'family.read', { record: 'referral', id: referralId });
      const today = clock.today();
      const p = child.pupil;
      return {
        pupilId,
        childName: `${p.preferredName ?? p.forename} ${p.surname}`,
        referral: plainReferral(found.referral),
        consents: found.consents.map((c) => plainConsent(c, today)),
        inForce: found.consents.some((c) => consentInForce(c, today)),
        refusedOn: refusals[0] ? formatDate(refusals[0].happenedOn) : null,
      };
    },

    /**
     * Give consent (a referral_consent row, given by the parent online, as a paper one) or say no (a step
     * on the referral the school sees; its status stays for the school to decide). Audited either way.
     */
    async answer(
      actor: Actor,
      pupilId: string,
      referralId: string,
      input: ConsentAnswer,
    ): Promise<'given' | 'refused'> {
      return changeAsFamily(db, actor, pupilId, { section: 'agencies', level: 'contribute' }, async (w) => {
        const schoolId = w.child.pupil.schoolId;
        const carer = w.child.carers[0]!;
        const found = await referralForFamily(
          w.tx,
          schoolId,
          pupilId,
          referralId,
          w.child.carers.map((c) => c.id),
          { lock: true },
        );
        if (!found) throw referralNotFound(referralId);
        const r = found.referral;
        const today = clock.today();
        const given = found.consents.find((c) => consentInForce(c, today));
        if (given)
          throw new ValidationError([
            {
              field: 'answer',
              message: `You already gave consent on ${formatDate(given.givenOn)}. Nothing was changed.`,
            },
          ]);
        if (r.status !== 'awaiting_consent')
          throw new ValidationError([
            {
              field: 'answer',
              message: 'The school is no longer asking for consent to this referral. Nothing was changed.',
            },
          ]);
        if (input.answer === 'refuse') {
          await insertEvent(w.tx, {
            schoolId,
            id: randomUUID(),
            referralId,
            pupilId,
            status: r.status,
            happenedOn: today,
            note: `${REFUSED} by ${carer.name}${input.reason ? `: ${input.reason}` : ''}`,
            byName: carer.name,
            refusedByParentCarerId: carer.id,
          });
          w.audit('family.consent_refused', { pupilId, detail: { referralId, parentId: carer.id } });
          return 'refused';
        }
        const problems = consentProblems(
          {
            givenBy: 'parent',
            parent: { name: carer.name, parentalResponsibility: true, courtOrder: false },
            pupilDateOfBirth: w.child.pupil.dateOfBirth,
            givenOn: today,
            validUntil: null,
            coversReferral: input.covers.coversReferral,
            coversSharing: input.covers.coversSharing,
          },
          today,
        );
        if (problems.length > 0)
          throw new ValidationError(
            problems.map((p) =>
              p.field === 'covers'
                ? {
                    field: 'covers',
                    message: 'Choose what you agree to: the referral, sharing information, or both',
                  }
                : p,
            ),
          );
        const id = randomUUID();
        await insertConsent(w.tx, {
          schoolId,
          id,
          referralId,
          pupilId,
          givenBy: 'parent',
          parentCarerId: carer.id,
          givenByName: carer.name,
          how: 'parent_portal',
          givenOn: today,
          coversReferral: input.covers.coversReferral,
          coversSharing: input.covers.coversSharing,
          coversDocuments: input.covers.coversSharing ? r.shareDocuments : null,
          validUntil: null,
          recordedBy: w.actor.userId,
          recordedByName: carer.name,
        });
        w.audit('family.consent_given', {
          pupilId,
          detail: { referralId, consentId: id, parentId: carer.id },
        });
        w.audit('referral.consent_recorded', {
          pupilId,
          detail: { referralId, consentId: id, givenBy: 'parent', how: 'parent_portal', form: false },
        });
        return 'given';
      });
    },

    /** The withdraw page: the consent, and what withdrawing it does. */
    async withdrawal(actor: Actor, pupilId: string, consentId: string) {
      const child = await familyChild(db, actor, pupilId, { section: 'agencies' });
      const consent = await consentForFamily(
        db,
        child.pupil.schoolId,
        pupilId,
        consentId,
        child.carers.map((c) => c.id),
      );
      if (!consent) throw consentNotFound(consentId);
      const found = await referralForFamily(db, child.pupil.schoolId, pupilId, consent.referralId, [
        consent.parentCarerId!,
      ]);
      if (!found) throw consentNotFound(consentId);
      return {
        pupilId,
        consent: plainConsent(consent, clock.today()),
        referral: plainReferral(found.referral),
      };
    },

    /** Withdraw consent: the referral stops, as when the school records it. Twice: a message, nothing changes. */
    async withdraw(actor: Actor, pupilId: string, consentId: string, note: string | null) {
      return changeAsFamily(db, actor, pupilId, { section: 'agencies', level: 'contribute' }, async (w) => {
        const schoolId = w.child.pupil.schoolId;
        const consent = await consentForFamily(
          w.tx,
          schoolId,
          pupilId,
          consentId,
          w.child.carers.map((c) => c.id),
        );
        if (!consent) throw consentNotFound(consentId);
        const found = await referralForFamily(
          w.tx,
          schoolId,
          pupilId,
          consent.referralId,
          [consent.parentCarerId!],
          {
            lock: true,
          },
        );
        if (!found) throw consentNotFound(consentId);
        const carer = w.child.carers.find((c) => c.id === consent.parentCarerId) ?? w.child.carers[0]!;
        const result = await withdrawConsentIn(
          w,
          found.referral,
          consent,
          { withdrawnOn: clock.today(), note },
          { byName: `${carer.name} (online)`, allowed: true, today: clock.today() },
        );
        w.audit('family.consent_withdrawn', {
          pupilId,
          detail: { referralId: consent.referralId, consentId, parentId: carer.id },
        });
        return result;
      });
    },
  };
}

export type FamilyConsentService = ReturnType<typeof createFamilyConsentService>;
