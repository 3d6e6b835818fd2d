import { sql } from 'drizzle-orm';
import {
  check,
  date,
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
import type { OrganisationRole, Section } from '../../domain/access.ts';
import { createdAt } from './common.ts';
import { appUser, organisationMembership } from './people.ts';
import { parentCarer, pupilRef } from './pupils.ts';

/*
 * What makes a person an officer, a parent or a professional (docs/adr/0030). Staff are members of a
 * school with roles (membership, membership_role); these are the other three kinds.
 */

/** The roles an organisation gives a member: caseworker, panel member, manager (one or more). */
export const organisationMembershipRole = pgTable(
  'organisation_membership_role',
  {
    organisationId: uuid('organisation_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role').$type<OrganisationRole>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.userId, t.role] }),
    foreignKey({
      columns: [t.organisationId, t.userId],
      foreignColumns: [organisationMembership.organisationId, organisationMembership.userId],
    }).onDelete('cascade'),
  ],
);

/**
 * An account linked to a school's record of a parent or carer: the person signs in as a parent and
 * reaches that pupil while the record gives them parental responsibility and no court order restricts
 * them, and the link has not been ended. One account may be linked at several schools.
 */
export const parentAccount = pgTable(
  'parent_account',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    parentCarerId: uuid('parent_carer_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    linkedBy: uuid('linked_by').references(() => appUser.id),
    createdAt: createdAt(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBy: uuid('ended_by').references(() => appUser.id),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.parentCarerId],
      foreignColumns: [parentCarer.schoolId, parentCarer.id],
    }),
    uniqueIndex('parent_account_live_key').on(t.schoolId, t.parentCarerId).where(sql`${t.endedAt} is null`),
    index('parent_account_user_idx').on(t.userId, t.schoolId, t.pupilId),
    index('parent_account_pupil_idx').on(t.schoolId, t.pupilId),
  ],
);

/** A person of an outside agency with an account: which service they work for. */
export const professionalAccount = pgTable('professional_account', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => appUser.id),
  /** The service they work for, as they are known to schools ("Northshire Educational Psychology Service"). */
  agencyName: text('agency_name').notNull(),
  /** What they do there ("Educational psychologist"). */
  jobTitle: text('job_title'),
  createdAt: createdAt(),
});

/**
 * What a school shares of one pupil with one professional: the sections named, from a day until a
 * day, until the school ends it. The professional reaches nothing else of the pupil, and nothing at all
 * after the last day.
 */
export const pupilShare = pgTable(
  'pupil_share',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    professionalUserId: uuid('professional_user_id')
      .notNull()
      .references(() => appUser.id),
    sections: jsonb('sections').$type<Section[]>().notNull(),
    /** Why the school shares it ("Referral to the educational psychology service"). */
    purpose: text('purpose').notNull(),
    sharedFrom: date('shared_from', { mode: 'string' }).notNull(),
    sharedUntil: date('shared_until', { mode: 'string' }).notNull(),
    sharedBy: uuid('shared_by').references(() => appUser.id),
    /** The referral the share serves, when it serves one: ending the referral ends the share. */
    referralId: uuid('referral_id'),
    createdAt: createdAt(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedBy: uuid('ended_by').references(() => appUser.id),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('pupil_share_professional_idx').on(t.professionalUserId, t.schoolId, t.pupilId),
    index('pupil_share_pupil_idx').on(t.schoolId, t.pupilId),
    check('pupil_share_dates', sql`${t.sharedUntil} >= ${t.sharedFrom}`),
    check('pupil_share_sections', sql`jsonb_typeof(${t.sections}) = 'array'`),
  ],
);
