import { INVITATION_DAYS, INVITATION_MAX_ATTEMPTS } from './family.ts';

/*
 * Getting in (docs/adr/0039): who may be invited, what an invitation's state is, and the words a parent
 * sees when a code does not work. Pure rules; services/family/invitations.ts applies them.
 */

/**
 * The one answer to every code that does not work: mistyped, never issued, used, expired, withdrawn,
 * tried too often, or typed too many times from one place. The same words whether or not the code
 * exists, so a stranger learns nothing from them.
 */
export const JOIN_CODE_REFUSED =
  'That code is not right, or it has expired. Check it, or ask the school for a new one.';

/** Wrong codes allowed from one client (an address, or a signed-in account) before a pause. */
export const JOIN_FAILURES = 10;
export const JOIN_THROTTLE_MINUTES = 15;

/** Only a parent or carer with parental responsibility and no court order recorded against them. */
export function mayBeInvited(carer: { parentalResponsibility: boolean; courtOrder: boolean }): boolean {
  return carer.parentalResponsibility && !carer.courtOrder;
}

export type InvitationState = 'waiting' | 'used' | 'ended' | 'expired' | 'stopped';

export const INVITATION_STATE_LABELS: Record<InvitationState, string> = {
  waiting: 'Not used yet',
  used: 'Used',
  ended: 'Withdrawn',
  expired: 'Expired',
  stopped: 'Stopped after too many wrong tries',
};

/** Where an invitation stands at `now`. */
export function invitationState(
  invitation: { usedAt: Date | null; endedAt: Date | null; expiresAt: Date; attempts: number },
  now: Date,
): InvitationState {
  if (invitation.usedAt) return 'used';
  if (invitation.endedAt) return 'ended';
  if (invitation.attempts >= INVITATION_MAX_ATTEMPTS) return 'stopped';
  if (invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'waiting';
}

/** When an invitation made at `now` stops working. */
export function invitationExpiry(now: Date): Date {
  return new Date(now.getTime() + INVITATION_DAYS * 24 * 3600 * 1000);
}

const comparable = (s: string | null | undefined) =>
  (s ?? '').normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * "An invitation to an email already linked to another family": what it means. An email address is one
 * person's account. If that account is already linked, at this school, to the school's record of a
 * parent of another pupil, the invitation would give this child to that person too. That is right when
 * it is the same parent of a brother or sister (the school holds one record of them per child); it is a
 * misdirected invitation when it is somebody else — a mistyped address, a neighbour's or a relative's
 * address given for a different family — and the invitation must not go: whoever holds that mailbox
 * would reach this child. The school's own records tell the two apart only by the person's name: the
 * same parent is recorded under the same name on the other child's record. The address on this record
 * cannot settle it (it may be the very mistake). So an address linked at this school to a parent of
 * another name is refused at invitation time, with a clear message: the school checks the address with
 * the parent, corrects a name spelt two ways, or prints a letter instead (a letter goes to the family
 * in hand, and its code links whichever account the parent chooses). Links at other schools do not
 * count: one account reaches a parent's children at every school.
 */
export function isAnotherFamily(carer: { name: string }, linkedCarers: readonly { name: string }[]): boolean {
  return linkedCarers.some((other) => comparable(other.name) !== comparable(carer.name));
}

/** What the printed invitation says: for a family without email (docs/adr/0039). */
export interface InvitationLetter {
  schoolName: string;
  carerName: string;
  /** The code as people read it: "ABCDE-FGHJK". */
  code: string;
  /** Where to type it: the installation's /join. */
  joinAddress: string;
  days: number;
  /** The last day it works, as people write it. */
  until: string;
}

/** The records whose reads are read receipts (a letter, a plan, a version of an EHC plan). */
export const RECEIPT_RECORDS = ['letter', 'plan', 'ehc_plan_version'] as const;
export type ReceiptRecord = (typeof RECEIPT_RECORDS)[number];

/**
 * Read receipts, one line per person and record (not one per page view): when they last read it, when
 * first, and how many times. `reads` come newest first; other pages a parent opened are left out.
 */
export function readReceipts<T extends { at: Date; who: string; record: string | null; id: string | null }>(
  reads: readonly T[],
): { who: string; record: ReceiptRecord; id: string; lastAt: Date; firstAt: Date; times: number }[] {
  const lines = new Map<
    string,
    { who: string; record: ReceiptRecord; id: string; lastAt: Date; firstAt: Date; times: number }
  >();
  for (const r of reads) {
    if (!r.id || !(RECEIPT_RECORDS as readonly string[]).includes(r.record ?? '')) continue;
    const key = `${r.who}\u0000${r.record}\u0000${r.id}`;
    const line = lines.get(key);
    if (line) {
      line.times++;
      if (r.at < line.firstAt) line.firstAt = r.at;
      if (r.at > line.lastAt) line.lastAt = r.at;
    } else
      lines.set(key, {
        who: r.who,
        record: r.record as ReceiptRecord,
        id: r.id,
        lastAt: r.at,
        firstAt: r.at,
        times: 1,
      });
  }
  return [...lines.values()].sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime());
}
