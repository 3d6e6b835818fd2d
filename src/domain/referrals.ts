import type { Section } from './access.ts';
import { addDays, compareIsoDates, formatDate, type IsoDate } from './dates.ts';

/*
 * A referral to an outside agency (DOMAIN.md "Outside agencies"): its states and the steps between them,
 * the consent it rests on (per referral and purpose, with the lawful basis beside it), and its clock.
 * Pure rules with worked examples in referrals.test.ts; the service records what they allow.
 */

export const REFERRAL_STATUSES = [
  'drafted',
  'awaiting_consent',
  'sent',
  'waiting_list',
  'accepted',
  'seen',
  'report_received',
  'closed',
  'declined',
  'stopped',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  drafted: 'Drafted',
  awaiting_consent: 'Waiting for consent',
  sent: 'Sent',
  waiting_list: 'On the waiting list',
  accepted: 'Accepted',
  seen: 'Pupil seen',
  report_received: 'Report received',
  closed: 'Closed',
  declined: 'Declined by the agency',
  stopped: 'Stopped: consent withdrawn',
};

/** A referral that has ended: nothing more happens to it, and nothing of the pupil is shared through it. */
export const FINISHED_STATUSES: readonly ReferralStatus[] = ['closed', 'declined', 'stopped'];

export function isFinished(status: ReferralStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

export function isReferralStatus(value: unknown): value is ReferralStatus {
  return typeof value === 'string' && (REFERRAL_STATUSES as readonly string[]).includes(value);
}

/**
 * The steps a person records, from each state. "stopped" is not among them: only withdrawing consent
 * stops a referral. Closing is open from every state that is not finished (the school no longer needs
 * it, or the family moved away), with a reason.
 */
const NEXT: Record<ReferralStatus, readonly ReferralStatus[]> = {
  drafted: ['awaiting_consent', 'sent', 'closed'],
  awaiting_consent: ['sent', 'closed'],
  sent: ['waiting_list', 'accepted', 'seen', 'declined', 'closed'],
  waiting_list: ['accepted', 'seen', 'declined', 'closed'],
  accepted: ['seen', 'report_received', 'declined', 'closed'],
  seen: ['report_received', 'closed'],
  report_received: ['closed'],
  closed: [],
  declined: [],
  stopped: [],
};

export function nextSteps(status: ReferralStatus): readonly ReferralStatus[] {
  return NEXT[status];
}

/** Why a referral cannot go from one state to another, in plain English; null when it can. */
export function stepProblem(from: ReferralStatus, to: ReferralStatus): string | null {
  if (from === to) return `The referral is already ${REFERRAL_STATUS_LABELS[to].toLowerCase()}`;
  if (isFinished(from))
    return `The referral has ended (${REFERRAL_STATUS_LABELS[from].toLowerCase()}): start a new referral instead`;
  if (!NEXT[from].includes(to))
    return `A referral that is ${REFERRAL_STATUS_LABELS[from].toLowerCase()} cannot be marked ${REFERRAL_STATUS_LABELS[to].toLowerCase()}`;
  return null;
}

/** Steps that need a reason written down. */
export function stepNeedsReason(to: ReferralStatus): boolean {
  return to === 'declined' || to === 'closed';
}

/** What a school shares with an agency rests on consent, or on a basis in law the school records. */
export const LAWFUL_BASES = ['consent', 'public_task', 'legal_obligation'] as const;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

export const LAWFUL_BASIS_LABELS: Record<LawfulBasis, string> = {
  consent: 'Consent',
  public_task: 'The school’s public task',
  legal_obligation: 'A legal obligation',
};

export function isLawfulBasis(value: unknown): value is LawfulBasis {
  return typeof value === 'string' && (LAWFUL_BASES as readonly string[]).includes(value);
}

/** Who gave consent: a person with parental responsibility, or the young person themselves. */
export const CONSENT_GIVERS = ['parent', 'young_person'] as const;
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];

/** How consent was given. */
export const CONSENT_HOWS = ['signed_form', 'email', 'in_person', 'telephone', 'parent_portal'] as const;
export type ConsentHow = (typeof CONSENT_HOWS)[number];

export const CONSENT_HOW_LABELS: Record<ConsentHow, string> = {
  signed_form: 'A signed form',
  email: 'By email',
  in_person: 'In person',
  telephone: 'By telephone',
  parent_portal: 'Through the parent portal',
};

export function isConsentHow(value: unknown): value is ConsentHow {
  return typeof value === 'string' && (CONSENT_HOWS as readonly string[]).includes(value);
}

/** The age from which a pupil is a young person who gives consent themselves (over compulsory school age). */
export const YOUNG_PERSON_AGE = 16;

/** The person a consent names, as the school's record of parents and carers holds them. */
export interface ConsentParent {
  name: string;
  parentalResponsibility: boolean;
  courtOrder: boolean;
}

export interface ConsentFacts {
  givenBy: ConsentGiver;
  /** The parent or carer who gave it (when givenBy is 'parent'). */
  parent: ConsentParent | null;
  pupilDateOfBirth: IsoDate | null;
  givenOn: IsoDate;
  validUntil: IsoDate | null;
  coversReferral: boolean;
  coversSharing: boolean;
}

export interface Problem {
  field: string;
  message: string;
}

/** Whole years between a date of birth and a day. */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** What is wrong with a consent as recorded, field by field; empty when it can be kept. */
export function consentProblems(c: ConsentFacts, today: IsoDate): Problem[] {
  const problems: Problem[] = [];
  if (c.givenBy === 'parent') {
    if (!c.parent)
      problems.push({ field: 'parentId', message: 'Choose the parent or carer who gave consent' });
    else if (!c.parent.parentalResponsibility)
      problems.push({
        field: 'parentId',
        message: `${c.parent.name} does not have parental responsibility, so cannot give consent`,
      });
    else if (c.parent.courtOrder)
      problems.push({
        field: 'parentId',
        message: `A court order is recorded against ${c.parent.name}, so they cannot give consent`,
      });
  } else if (!c.pupilDateOfBirth || ageOn(c.pupilDateOfBirth, c.givenOn) < YOUNG_PERSON_AGE) {
    problems.push({
      field: 'givenBy',
      message: `Only a young person aged ${YOUNG_PERSON_AGE} or over gives consent themselves: record the consent of a parent or carer with parental responsibility`,
    });
  }
  if (compareIsoDates(c.givenOn, today) > 0)
    problems.push({ field: 'givenOn', message: 'The date consent was given cannot be in the future' });
  if (c.validUntil && compareIsoDates(c.validUntil, c.givenOn) < 0)
    problems.push({ field: 'validUntil', message: 'Consent cannot end before the day it was given' });
  if (!c.coversReferral && !c.coversSharing)
    problems.push({
      field: 'covers',
      message: 'Say what the consent covers: the referral, sharing, or both',
    });
  return problems;
}

/** What is wrong with a withdrawal of consent as recorded; null when it can be kept. */
export function withdrawalProblem(
  consent: { givenOn: IsoDate; withdrawnOn: IsoDate | null },
  withdrawnOn: IsoDate,
  today: IsoDate,
): Problem | null {
  if (consent.withdrawnOn)
    return {
      field: 'withdrawnOn',
      message: `Consent was already withdrawn on ${formatDate(consent.withdrawnOn)}`,
    };
  if (compareIsoDates(withdrawnOn, today) > 0)
    return { field: 'withdrawnOn', message: 'The date consent was withdrawn cannot be in the future' };
  if (compareIsoDates(withdrawnOn, consent.givenOn) < 0)
    return {
      field: 'withdrawnOn',
      message: `Consent cannot be withdrawn before it was given (${formatDate(consent.givenOn)})`,
    };
  return null;
}

export interface ConsentRecord {
  givenOn: IsoDate;
  validUntil: IsoDate | null;
  withdrawnOn: IsoDate | null;
  coversReferral: boolean;
  coversSharing: boolean;
}

/** Whether a consent is in force on a day: given by then, not past its end, not withdrawn. */
export function consentInForce(c: ConsentRecord, on: IsoDate): boolean {
  if (compareIsoDates(c.givenOn, on) > 0) return false;
  if (c.validUntil && compareIsoDates(c.validUntil, on) < 0) return false;
  if (c.withdrawnOn && compareIsoDates(c.withdrawnOn, on) <= 0) return false;
  return true;
}

export type ConsentState = 'none' | 'in_force' | 'expired' | 'withdrawn';

/** Where a referral's consent stands on a day: the latest consent decides. */
export function consentState(consents: readonly ConsentRecord[], on: IsoDate): ConsentState {
  if (consents.length === 0) return 'none';
  if (consents.some((c) => consentInForce(c, on))) return 'in_force';
  const latest = [...consents].sort((a, b) => compareIsoDates(b.givenOn, a.givenOn))[0]!;
  if (latest.withdrawnOn) return 'withdrawn';
  return 'expired';
}

export interface BasisFacts {
  lawfulBasis: LawfulBasis;
  /** What the school recorded of a basis other than consent (the duty it rests on). */
  basisNote: string | null;
  consents: readonly ConsentRecord[];
}

/**
 * Why a referral cannot be sent on a day, in plain English; null when it can. A referral resting on
 * consent needs a consent in force that covers the referral; one resting on a public task or a legal
 * obligation needs that basis written down. Consent withdrawn stops it either way.
 */
export function sendProblem(b: BasisFacts, on: IsoDate): string | null {
  const state = consentState(b.consents, on);
  if (state === 'withdrawn') return 'Consent was withdrawn: the referral cannot be sent';
  if (b.lawfulBasis === 'consent') {
    const covering = b.consents.some((c) => c.coversReferral && consentInForce(c, on));
    if (!covering)
      return state === 'expired'
        ? 'The consent recorded has ended: record consent again before you send the referral'
        : 'Record consent to the referral before you send it';
    return null;
  }
  if (!b.basisNote?.trim())
    return `Write down the basis in law (${LAWFUL_BASIS_LABELS[b.lawfulBasis].toLowerCase()}) before you send the referral`;
  return null;
}

/** Why what the school chose cannot be shared with the agency's professional on a day; null when it can. */
export function shareProblem(b: BasisFacts, sharedUntil: IsoDate, on: IsoDate): string | null {
  if (compareIsoDates(sharedUntil, on) < 0) return 'The last day of sharing cannot be in the past';
  const state = consentState(b.consents, on);
  if (state === 'withdrawn') return 'Consent was withdrawn: nothing can be shared';
  if (b.lawfulBasis === 'consent') {
    const covering = b.consents.filter((c) => c.coversSharing && consentInForce(c, on));
    if (covering.length === 0) return 'Record consent to sharing before you share anything';
    const ends = covering.map((c) => c.validUntil).filter((d): d is IsoDate => d !== null);
    if (ends.length === covering.length) {
      const last = ends.sort().at(-1)!;
      if (compareIsoDates(sharedUntil, last) > 0)
        return `Consent to sharing ends on ${formatDate(last)}: share until then at the latest`;
    }
    return null;
  }
  if (!b.basisNote?.trim())
    return `Write down the basis in law (${LAWFUL_BASIS_LABELS[b.lawfulBasis].toLowerCase()}) before you share anything`;
  return null;
}

/** The sections a school may choose to share with a professional (never the audit trail or letters). */
export const SHAREABLE_SECTIONS: readonly Section[] = [
  'identity',
  'medical',
  'register',
  'concerns',
  'plans',
  'provision',
];

/** Weeks within which advice asked for an EHC needs assessment is due (SEND Regulations 2014, reg 8). */
export const EHC_ADVICE_WEEKS = 6;

/** The day a report is due: as the agency said, else six weeks after sending when advice is for an EHC assessment. */
export function reportDueOn(r: {
  sentOn: IsoDate | null;
  forEhcAssessment: boolean;
  reportDueOn: IsoDate | null;
}): IsoDate | null {
  if (r.reportDueOn) return r.reportDueOn;
  if (r.forEhcAssessment && r.sentOn) return addDays(r.sentOn, EHC_ADVICE_WEEKS * 7);
  return null;
}

export interface ClockFacts {
  status: ReferralStatus;
  sentOn: IsoDate | null;
  respondBy: IsoDate | null;
  reportDueOn: IsoDate | null;
  forEhcAssessment: boolean;
}

export type Lateness =
  | { kind: 'response'; due: IsoDate; daysLate: number }
  | { kind: 'report'; due: IsoDate; daysLate: number };

function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * What is late on a day: the agency's answer (sent, no answer by the day it said), or the report (not
 * received by the day it is due). Nothing is late on a referral not yet sent, or ended.
 */
export function lateness(r: ClockFacts, on: IsoDate): Lateness | null {
  if (isFinished(r.status) || r.status === 'drafted' || r.status === 'awaiting_consent') return null;
  if (r.status === 'report_received') return null;
  const due = reportDueOn(r);
  if (due && compareIsoDates(due, on) < 0) return { kind: 'report', due, daysLate: daysBetween(due, on) };
  if (r.status === 'sent' && r.respondBy && compareIsoDates(r.respondBy, on) < 0)
    return { kind: 'response', due: r.respondBy, daysLate: daysBetween(r.respondBy, on) };
  return null;
}

/** How long a share lasts unless the school chooses otherwise: about a term, time to see the pupil and write. */
export const SHARE_WEEKS = 12;

/**
 * The last day of sharing a school is offered first: about a term from today, or the day consent to
 * sharing ends when that is sooner (never past what `shareProblem` allows).
 */
export function defaultShareUntil(b: BasisFacts, on: IsoDate): IsoDate {
  const term = addDays(on, SHARE_WEEKS * 7);
  if (b.lawfulBasis !== 'consent') return term;
  const covering = b.consents.filter((c) => c.coversSharing && consentInForce(c, on));
  const ends = covering.map((c) => c.validUntil).filter((d): d is IsoDate => d !== null);
  if (covering.length === 0 || ends.length < covering.length) return term;
  const last = ends.sort().at(-1)!;
  return compareIsoDates(last, term) < 0 ? last : term;
}

/**
 * The steps a referral takes when a report arrives: straight to "report received" where that step is
 * open; through "pupil seen" from sent or the waiting list (a report means the pupil was seen); none
 * when a report was received before (a second report). Null when no report can move it: not yet sent,
 * or ended (the report is still kept with it).
 */
export function stepsToReportReceived(status: ReferralStatus): ReferralStatus[] | null {
  if (status === 'report_received') return [];
  if (stepProblem(status, 'report_received') === null) return ['report_received'];
  if (stepProblem(status, 'seen') === null && stepProblem('seen', 'report_received') === null)
    return ['seen', 'report_received'];
  return null;
}
