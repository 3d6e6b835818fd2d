import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type {
  ContactChangeStatus,
  FamilyViewAbout,
  InvitationMethod,
  LetterReply,
  PupilVoiceKind,
} from '../../domain/family.ts';
import { createdAt } from './common.ts';
import { letter } from './letters.ts';
import { appUser } from './people.ts';
import { parentCarer, pupilRef } from './pupils.ts';

/*
 * The family's door (docs/adr/0039): invitations that link a parent's account to a school's record of
 * them, what parents send the school (views, replies to letters, changes to their contact details), the
 * mail they choose, and the pupil's own voice. Every row but the mail choices is the school's.
 */

const carerRef = (t: { schoolId: AnyPgColumn; parentCarerId: AnyPgColumn }) =>
  foreignKey({
    columns: [t.schoolId, t.parentCarerId],
    foreignColumns: [parentCarer.schoolId, parentCarer.id],
  });

/**
 * An invitation to a parent or carer with parental responsibility: by email (the code in a link) or on
 * a printed letter (the code typed at /join). Only the code's hash is kept; it works once, for 14 days,
 * and stops after too many wrong tries. Using it links the account that used it (parent_account).
 */
export const parentInvitation = pgTable(
  'parent_invitation',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    parentCarerId: uuid('parent_carer_id').notNull(),
    method: text('method').$type<InvitationMethod>().notNull(),
    /** Where an emailed invitation went (the record's email then, or one the school typed). */
    email: text('email'),
    codeHash: text('code_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Wrong codes typed against this invitation's email or letter (at most INVITATION_MAX_ATTEMPTS). */
    attempts: integer('attempts').notNull().default(0),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedBy: uuid('used_by').references(() => appUser.id),
    /** Withdrawn by the school (a new invitation replaces an old one; ending access ends it too). */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBy: uuid('ended_by').references(() => appUser.id),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    carerRef(t),
    uniqueIndex('parent_invitation_code_key').on(t.codeHash),
    index('parent_invitation_carer_idx').on(t.schoolId, t.parentCarerId),
    index('parent_invitation_pupil_idx').on(t.schoolId, t.pupilId),
    check('parent_invitation_method_check', sql`${t.method} in ('email', 'letter')`),
    check('parent_invitation_email_check', sql`${t.method} = 'letter' or ${t.email} is not null`),
  ],
);

/**
 * A parent's views in their own words, about one record (a support plan's review, an EHC request, a
 * draft EHC plan, an annual review): shown to staff on that record, dated and marked as the parent's.
 * One per parent and record; the parent may change it until the record moves on (version).
 */
export const familyView = pgTable(
  'family_view',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    about: text('about').$type<FamilyViewAbout>().notNull(),
    /** The plan, EHC request, EHC plan version or annual review the views are about. */
    subjectId: uuid('subject_id').notNull(),
    body: text('body').notNull(),
    givenBy: uuid('given_by')
      .notNull()
      .references(() => appUser.id),
    parentCarerId: uuid('parent_carer_id'),
    /** Their name as the school's record had it then. */
    givenByName: text('given_by_name').notNull(),
    givenAt: timestamp('given_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.parentCarerId],
      foreignColumns: [parentCarer.schoolId, parentCarer.id],
    }).onDelete('set null'),
    uniqueIndex('family_view_one_key').on(t.schoolId, t.about, t.subjectId, t.givenBy),
    index('family_view_pupil_idx').on(t.schoolId, t.pupilId),
    check(
      'family_view_about_check',
      sql`${t.about} in ('plan_review', 'ehc_request', 'ehc_draft', 'annual_review')`,
    ),
  ],
);

/**
 * A parent's reply to a letter, online: read and agreed (the Appendix D slip), or they want to talk.
 * Each parent's own reply is kept (a second parent's too); the first also fills the letter's slip.
 */
export const letterReply = pgTable(
  'letter_reply',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    letterId: uuid('letter_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    parentCarerId: uuid('parent_carer_id'),
    repliedByName: text('replied_by_name').notNull(),
    reply: text('reply').$type<LetterReply>().notNull(),
    note: text('note'),
    repliedAt: timestamp('replied_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({ columns: [t.schoolId, t.letterId], foreignColumns: [letter.schoolId, letter.id] }),
    foreignKey({
      columns: [t.schoolId, t.parentCarerId],
      foreignColumns: [parentCarer.schoolId, parentCarer.id],
    }).onDelete('set null'),
    uniqueIndex('letter_reply_one_key').on(t.schoolId, t.letterId, t.userId),
    check('letter_reply_reply_check', sql`${t.reply} in ('acknowledged', 'want_to_talk')`),
  ],
);

/**
 * New contact details a parent asks for: the school confirms them before they replace its record of
 * the parent (or declines, with a reason the parent sees).
 */
export const contactChange = pgTable(
  'contact_change',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    parentCarerId: uuid('parent_carer_id').notNull(),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => appUser.id),
    phone: text('phone'),
    email: text('email'),
    /** Anything else they want the school to know (a new address, a better time to call). */
    note: text('note'),
    status: text('status').$type<ContactChangeStatus>().notNull().default('waiting'),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    declineReason: text('decline_reason'),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    carerRef(t),
    index('contact_change_school_idx').on(t.schoolId, t.status),
    check('contact_change_status_check', sql`${t.status} in ('waiting', 'accepted', 'declined')`),
  ],
);

/** Which optional mails a person chose not to receive (absent: they receive it). */
export const mailPreference = pgTable(
  'mail_preference',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    wanted: boolean('wanted').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/**
 * The pupil's own words, written with an adult: their one-page profile ("All about me") or their
 * views before a review. Answers to a fixed set of short questions (domain/pupil-voice.ts), each a face
 * (stored with its words) and/or their words; shown on the plan and the review as the pupil's.
 */
export const pupilVoice = pgTable(
  'pupil_voice',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    kind: text('kind').$type<PupilVoiceKind>().notNull(),
    /** The plan whose review the views are for (review_views only). */
    planId: uuid('plan_id'),
    answers: jsonb('answers').$type<Record<string, { face?: string; words?: string }>>().notNull(),
    /** Who helped them write it ("Mrs Patel, teaching assistant"), as they named them. */
    writtenWith: text('written_with'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedByName: text('recorded_by_name').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('pupil_voice_pupil_idx').on(t.schoolId, t.pupilId, t.kind),
    check('pupil_voice_kind_check', sql`${t.kind} in ('one_page_profile', 'review_views')`),
    check('pupil_voice_answers_check', sql`jsonb_typeof(${t.answers}) = 'object'`),
  ],
);
