import { sql } from 'drizzle-orm';
import {
  boolean,
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
import type { SchoolRole } from '../../domain/access.ts';
import { createdAt } from './common.ts';
import { organisation, school, schoolClass } from './schools.ts';

/**
 * An account belongs to a person, not to a school: its email, name and password are theirs. A school
 * holds only its membership of that person and the roles it gives them.
 */
export const appUser = pgTable(
  'app_user',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** Set by a password reset: the person chooses their own before doing anything else. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('app_user_email_key').on(t.email)],
);

export const membership = pgTable(
  'membership',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => school.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    /** Bumped by every change to the member's roles or classes: two people editing cannot overwrite. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.userId] }), index('membership_user_idx').on(t.userId)],
);

/** The roles a school gives a member: one or more (the SENCo who also teaches Year 4). */
export const membershipRole = pgTable(
  'membership_role',
  {
    schoolId: uuid('school_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role').$type<SchoolRole>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.userId, t.role] }),
    foreignKey({
      columns: [t.schoolId, t.userId],
      foreignColumns: [membership.schoolId, membership.userId],
    }).onDelete('cascade'),
    index('membership_role_role_idx').on(t.schoolId, t.role),
  ],
);

/**
 * The classes a member of staff teaches (a class may have several teachers). Kept with the membership
 * it belongs to: schools.ts holds the school and its classes and imports nothing of people.
 */
export const classTeacher = pgTable(
  'class_teacher',
  {
    schoolId: uuid('school_id').notNull(),
    classId: uuid('class_id').notNull(),
    userId: uuid('user_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.classId, t.userId] }),
    foreignKey({ columns: [t.schoolId, t.classId], foreignColumns: [schoolClass.schoolId, schoolClass.id] }),
    foreignKey({
      columns: [t.schoolId, t.userId],
      foreignColumns: [membership.schoolId, membership.userId],
    }).onDelete('cascade'),
    index('class_teacher_user_idx').on(t.schoolId, t.userId),
  ],
);

export const organisationMembership = pgTable(
  'organisation_membership',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.userId] }),
    index('org_membership_user_idx').on(t.userId),
  ],
);

/**
 * A school asks someone who already has an account to join it. Nothing of the account is the school's
 * until the person accepts, signed in as themselves.
 */
export const staffInvitation = pgTable(
  'staff_invitation',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => school.id),
    id: uuid('id').notNull(),
    email: text('email').notNull(),
    roles: jsonb('roles').$type<SchoolRole[]>().notNull(),
    invitedBy: uuid('invited_by').references(() => appUser.id),
    invitedByName: text('invited_by_name').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answer: text('answer').$type<'accepted' | 'declined' | 'withdrawn'>(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    uniqueIndex('staff_invitation_pending_key').on(t.schoolId, t.email).where(sql`${t.answeredAt} is null`),
    index('staff_invitation_email_idx').on(t.email),
  ],
);

export const userSession = pgTable(
  'user_session',
  {
    /** SHA-256 of the session token: the token itself is only ever in the user's cookie. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    /**
     * Where the session acts: staff of one school, an officer of one organisation, a parent, a
     * professional; null when not yet chosen. A parent or professional session has no school: their
     * reach crosses schools.
     */
    actingAs: text('acting_as').$type<'staff' | 'officer' | 'parent' | 'professional'>(),
    schoolId: uuid('school_id').references(() => school.id),
    organisationId: uuid('organisation_id').references(() => organisation.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('user_session_user_idx').on(t.userId)],
);

/**
 * Failed sign-ins, counted per account and address together (both hashed), so that a stranger
 * elsewhere cannot lock a teacher out, and per address alone.
 */
export const signInThrottle = pgTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull().defaultNow(),
  blockedUntil: timestamp('blocked_until', { withTimezone: true }),
});

/**
 * A form that arrived after its sender's session had ended, held for a short while for that person
 * only, so that signing in again brings it back instead of losing what they typed.
 */
export const heldForm = pgTable(
  'held_form',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    /** The school the session was working in when it ended. */
    schoolId: uuid('school_id').references(() => school.id),
    path: text('path').notNull(),
    body: jsonb('body').$type<Record<string, string | string[]>>().notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('held_form_user_idx').on(t.userId, t.createdAt)],
);
