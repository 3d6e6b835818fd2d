import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { AreaOfNeed } from '../../domain/census.ts';
import type { CheckDecision, CostModel, DelivererKind, MeasureKind } from '../../domain/provision.ts';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { pupilRef } from './pupils.ts';

/**
 * The school's intervention catalogue: what each intervention is, who usually delivers it, how often,
 * how it is costed, and how its impact is measured.
 */
export const intervention = pgTable(
  'intervention',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    area: text('area').$type<AreaOfNeed>().notNull(),
    description: text('description'),
    evidenceBase: text('evidence_base'),
    usualDeliverer: text('usual_deliverer').$type<DelivererKind>().notNull(),
    usualGroupSize: smallint('usual_group_size').notNull(),
    sessionsPerWeek: smallint('sessions_per_week').notNull(),
    minutesPerSession: smallint('minutes_per_session').notNull(),
    costModel: text('cost_model').$type<CostModel>().notNull(),
    /** A fixed cost per pupil (a year), per term, or an agency's charge per session, in pence. */
    fixedCostPence: integer('fixed_cost_pence'),
    measureKind: text('measure_kind').$type<MeasureKind>().notNull(),
    measureName: text('measure_name'),
    source: text('source').$type<'starter' | 'school'>().notNull().default('school'),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    uniqueIndex('intervention_name_key').on(t.schoolId, t.name).where(sql`${t.archivedAt} is null`),
    index('intervention_id_idx').on(t.id),
  ],
);

/** Hourly rates the school uses to cost staff time, by who delivers (pence an hour). */
export const staffRate = pgTable(
  'staff_rate',
  {
    schoolId: uuid('school_id').notNull(),
    deliverer: text('deliverer').$type<DelivererKind>().notNull(),
    hourlyPence: integer('hourly_pence').notNull(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.deliverer] })],
);

/** One running instance of an intervention: who delivers it, when, where, how often. 1:1 is a group of one. */
export const provisionGroup = pgTable(
  'provision_group',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    interventionId: uuid('intervention_id').notNull(),
    name: text('name').notNull(),
    delivererId: uuid('deliverer_id').references(() => appUser.id),
    delivererName: text('deliverer_name').notNull(),
    delivererKind: text('deliverer_kind').$type<DelivererKind>().notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    sessionsPerWeek: smallint('sessions_per_week').notNull(),
    minutesPerSession: smallint('minutes_per_session').notNull(),
    location: text('location'),
    agency: text('agency'),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({
      columns: [t.schoolId, t.interventionId],
      foreignColumns: [intervention.schoolId, intervention.id],
    }),
    index('provision_group_deliverer_idx').on(t.schoolId, t.delivererId),
    index('provision_group_dates_idx').on(t.schoolId, t.startDate, t.endDate),
    index('provision_group_id_idx').on(t.id),
    check('provision_group_dates_check', sql`${t.endDate} is null or ${t.endDate} >= ${t.startDate}`),
  ],
);

/** A pupil in a group from a date to a date, with their entry and exit measures. */
export const groupMember = pgTable(
  'group_member',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    groupId: uuid('group_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    joinedOn: date('joined_on', { mode: 'string' }).notNull(),
    leftOn: date('left_on', { mode: 'string' }),
    entryMeasure: numeric('entry_measure', { precision: 8, scale: 2, mode: 'number' }),
    entryMeasuredOn: date('entry_measured_on', { mode: 'string' }),
    exitMeasure: numeric('exit_measure', { precision: 8, scale: 2, mode: 'number' }),
    exitMeasuredOn: date('exit_measured_on', { mode: 'string' }),
    /** Who added the pupil to the group, and who recorded their leaving (the pupil's chronology). */
    addedByName: text('added_by_name'),
    leftByName: text('left_by_name'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.groupId],
      foreignColumns: [provisionGroup.schoolId, provisionGroup.id],
    }),
    index('group_member_group_idx').on(t.schoolId, t.groupId),
    index('group_member_pupil_idx').on(t.schoolId, t.pupilId),
    // A pupil is in a group once at a time.
    uniqueIndex('group_member_current_key')
      .on(t.schoolId, t.groupId, t.pupilId)
      .where(sql`${t.leftOn} is null`),
    check('group_member_dates_check', sql`${t.leftOn} is null or ${t.leftOn} >= ${t.joinedOn}`),
    check(
      'group_member_exit_needs_entry_check',
      sql`${t.exitMeasure} is null or ${t.entryMeasure} is not null`,
    ),
  ],
);

/** A session delivered: its date, a short note, who recorded it. */
export const provisionSession = pgTable(
  'provision_session',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    groupId: uuid('group_id').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedByName: text('recorded_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({
      columns: [t.schoolId, t.groupId],
      foreignColumns: [provisionGroup.schoolId, provisionGroup.id],
    }),
    index('provision_session_group_idx').on(t.schoolId, t.groupId, t.heldOn),
  ],
);

/** Who came to a session. */
export const sessionAttendance = pgTable(
  'session_attendance',
  {
    schoolId: uuid('school_id').notNull(),
    sessionId: uuid('session_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    present: boolean('present').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.sessionId, t.pupilId] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.sessionId],
      foreignColumns: [provisionSession.schoolId, provisionSession.id],
    }),
    index('session_attendance_pupil_idx').on(t.schoolId, t.pupilId),
  ],
);

/** The half-termly check of a group (seed 002): is each pupil making expected progress; continue, alter or stop. */
export const groupCheck = pgTable(
  'group_check',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    groupId: uuid('group_id').notNull(),
    checkedOn: date('checked_on', { mode: 'string' }).notNull(),
    decision: text('decision').$type<CheckDecision>().notNull(),
    notes: text('notes'),
    checkedBy: uuid('checked_by').references(() => appUser.id),
    checkedByName: text('checked_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({
      columns: [t.schoolId, t.groupId],
      foreignColumns: [provisionGroup.schoolId, provisionGroup.id],
    }),
    index('group_check_group_idx').on(t.schoolId, t.groupId, t.checkedOn),
  ],
);

export const groupCheckPupil = pgTable(
  'group_check_pupil',
  {
    schoolId: uuid('school_id').notNull(),
    checkId: uuid('check_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    expectedProgress: boolean('expected_progress').notNull(),
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.checkId, t.pupilId] }),
    pupilRef(t),
    foreignKey({ columns: [t.schoolId, t.checkId], foreignColumns: [groupCheck.schoolId, groupCheck.id] }),
  ],
);
