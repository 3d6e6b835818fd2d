import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt } from './common.ts';

export const organisation = pgTable('organisation', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').$type<'local_authority' | 'trust'>().notNull(),
  createdAt: createdAt(),
});

export const school = pgTable(
  'school',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id').references(() => organisation.id),
    name: text('name').notNull(),
    urn: text('urn').notNull(),
    laCode: text('la_code').notNull(),
    establishmentNumber: text('establishment_number').notNull(),
    phase: text('phase').notNull(),
    /** The school's youngest and oldest year groups (NC years: -1 nursery, 0 reception, 1–13). */
    lowestNcYear: smallint('lowest_nc_year').notNull().default(-1),
    highestNcYear: smallint('highest_nc_year').notNull().default(6),
    /** The academic year (its starting year) the last year-end roll-over prepared: never twice. */
    rolledOverTo: smallint('rolled_over_to'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('school_urn_key').on(t.urn), index('school_organisation_idx').on(t.organisationId)],
);

export const schoolClass = pgTable(
  'school_class',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => school.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    /** The lowest year group taught in the class (kept for ordering); all of them are in ncYears. */
    ncYear: smallint('nc_year'),
    /** Every year group taught (mixed-age classes are common in small primaries). */
    ncYears: jsonb('nc_years').$type<number[]>().notNull().default([]),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    // A name is used once among the classes in use; an archived class's name can be used again.
    uniqueIndex('school_class_name_key').on(t.schoolId, t.name).where(sql`${t.archivedAt} is null`),
  ],
);

/**
 * What the school decides for itself: what it calls its support plans, how often they are reviewed,
 * how many targets a plan may hold, and the money thresholds of the provision map.
 */
export const schoolSettings = pgTable('school_settings', {
  schoolId: uuid('school_id')
    .primaryKey()
    .references(() => school.id),
  planName: text('plan_name').notNull().default('SEN Support Plan'),
  reviewInterval: text('review_interval').$type<'termly' | 'half_termly'>().notNull().default('termly'),
  halfTermlyTargetChecks: boolean('half_termly_target_checks').notNull().default(false),
  maxTargets: smallint('max_targets').notNull().default(4),
  /** The first £6,000 a year of additional support per pupil is the school's (in pence). */
  topUpThresholdPence: integer('top_up_threshold_pence').notNull().default(600_000),
  /** A pupil's cost is "nearing" the threshold from this percentage of it. */
  nearingPercent: smallint('nearing_percent').notNull().default(80),
  /** Years after the date of birth a leaver's school record is kept (domain/retention.ts). */
  retentionYears: smallint('retention_years').notNull().default(25),
  /** Years after the date of birth the last school keeps the SEN file. */
  senRetentionYears: smallint('sen_retention_years').notNull().default(31),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  version: integer('version').notNull().default(1),
});
