/*
 * The family's door (docs/adr/0039): what parents and carers do in OpenSEND, and the pupil's own voice.
 * Pure rules and words; the services decide who may, the repositories where rows are.
 */

/** How a school invites a parent: by email through the outbox, or on a printed letter with a code. */
export const INVITATION_METHODS = ['email', 'letter'] as const;
export type InvitationMethod = (typeof INVITATION_METHODS)[number];

/** An invitation works for 14 days, and for one account. */
export const INVITATION_DAYS = 14;
/** Wrong codes before an invitation stops working (the school sends a new one). */
export const INVITATION_MAX_ATTEMPTS = 5;

/**
 * The letters of an invitation code: no 0/O, 1/I/L, 5/S or 2/Z, so a code read off paper or over the
 * phone cannot be mistyped as another.
 */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRTUVWXY346789';
export const CODE_LENGTH = 10;

/** How a code is shown and printed: "ABCDE-FGHJK". */
export function formatInvitationCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** A code as typed, made comparable: capitals, spaces and dashes gone. Null when it cannot be a code. */
export function normaliseInvitationCode(typed: string): string | null {
  const cleaned = typed.toUpperCase().replace(/[\s\-–—_.]/g, '');
  if (cleaned.length !== CODE_LENGTH) return null;
  for (const ch of cleaned) if (!CODE_ALPHABET.includes(ch)) return null;
  return cleaned;
}

/** What a parent's views are about: each is shown to staff on that record, dated, as their own words. */
export const FAMILY_VIEW_ABOUT = ['plan_review', 'ehc_request', 'ehc_draft', 'annual_review'] as const;
export type FamilyViewAbout = (typeof FAMILY_VIEW_ABOUT)[number];
export const FAMILY_VIEW_ABOUT_LABELS: Record<FamilyViewAbout, string> = {
  plan_review: 'Views before a review of the support plan',
  ehc_request: 'Views for the request for an EHC needs assessment',
  ehc_draft: 'Views on the draft EHC plan',
  annual_review: 'Views for the annual review of the EHC plan',
};

/** A parent's reply to a letter: the Appendix D slip, online. */
export const LETTER_REPLIES = ['acknowledged', 'want_to_talk'] as const;
export type LetterReply = (typeof LETTER_REPLIES)[number];
export const LETTER_REPLY_LABELS: Record<LetterReply, string> = {
  acknowledged: 'Read and agreed',
  want_to_talk: 'Wants to talk about it',
};

/** A change to their contact details a parent asks for: the school confirms it before it replaces the record. */
export const CONTACT_CHANGE_STATUSES = ['waiting', 'accepted', 'declined'] as const;
export type ContactChangeStatus = (typeof CONTACT_CHANGE_STATUSES)[number];

/** What the pupil writes, with an adult: their one-page profile, or their views before a review. */
export const PUPIL_VOICE_KINDS = ['one_page_profile', 'review_views'] as const;
export type PupilVoiceKind = (typeof PUPIL_VOICE_KINDS)[number];
export const PUPIL_VOICE_KIND_LABELS: Record<PupilVoiceKind, string> = {
  one_page_profile: 'All about me (one-page profile)',
  review_views: 'What I think (before my review)',
};

/**
 * The faces a child may choose instead of words: each has its words, which are what a screen reader
 * says and what is stored with the answer.
 */
export const FACES = ['happy', 'ok', 'unsure', 'sad'] as const;
export type Face = (typeof FACES)[number];
export const FACE_WORDS: Record<Face, string> = {
  happy: 'Happy',
  ok: 'OK',
  unsure: 'Not sure',
  sad: 'Sad or worried',
};

/**
 * Mail a parent may choose not to receive (each a kind in domain/mail.ts). An invitation and a sign-in
 * code are always sent: they are how the account works at all.
 */
export const FAMILY_MAIL_CHOICES = [
  'family.letter',
  'family.views_invited',
  'family.plan_shared',
  'family.ehc_draft',
  'family.consent_asked',
  'family.concern_answered',
] as const;
export type FamilyMailChoice = (typeof FAMILY_MAIL_CHOICES)[number];
export const FAMILY_MAIL_CHOICE_LABELS: Record<FamilyMailChoice, string> = {
  'family.letter': 'When the school sends you a letter',
  'family.views_invited': 'When your views are invited (before a review or on a plan)',
  'family.plan_shared': 'When a new support plan is agreed',
  'family.ehc_draft': 'When the local authority sends a draft or final EHC plan',
  'family.consent_asked': 'When the school asks for your consent to a referral',
  'family.concern_answered': 'When the school answers a concern you raised',
};
