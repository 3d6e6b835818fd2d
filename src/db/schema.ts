import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { AreaOfNeed, NeedCode } from '../domain/census.ts';
import type { ConcernKind, ConcernOutcome, ConcernStatus, InterventionTried } from '../domain/concerns.ts';
import type { RegisterChangeKind, RegisterReviewOutcome, SenStage } from '../domain/register.ts';
import type { SchoolRole } from '../domain/roles.ts';

/*
 * Every table that holds a school's data carries school_id in its primary key, and rows that point at
 * a pupil do so by (school_id, pupil_id), so the database itself keeps schools apart.
 */

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

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
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('school_urn_key').on(t.urn), index('school_organisation_idx').on(t.organisationId)],
);

export const appUser = pgTable(
  'app_user',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
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
    role: text('role').$type<SchoolRole>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.userId] }), index('membership_user_idx').on(t.userId)],
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

export const userSession = pgTable(
  'user_session',
  {
    /** SHA-256 of the session token: the token itself is only ever in the user's cookie. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    schoolId: uuid('school_id').references(() => school.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('user_session_user_idx').on(t.userId)],
);

export const schoolClass = pgTable(
  'school_class',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => school.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    ncYear: smallint('nc_year'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    uniqueIndex('school_class_name_key').on(t.schoolId, t.name),
  ],
);

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
    foreignKey({ columns: [t.schoolId, t.userId], foreignColumns: [membership.schoolId, membership.userId] }),
    index('class_teacher_user_idx').on(t.schoolId, t.userId),
  ],
);

export const pupil = pgTable(
  'pupil',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => school.id),
    id: uuid('id').notNull(),
    upn: text('upn').notNull(),
    forename: text('forename').notNull(),
    surname: text('surname').notNull(),
    preferredName: text('preferred_name'),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    sex: text('sex').$type<'female' | 'male'>().notNull(),
    classId: uuid('class_id'),
    ncYearOverride: smallint('nc_year_override'),
    admissionDate: date('admission_date', { mode: 'string' }),
    pupilPremium: boolean('pupil_premium').notNull().default(false),
    freeSchoolMeals: boolean('free_school_meals').notNull().default(false),
    lookedAfter: boolean('looked_after').notNull().default(false),
    previouslyLookedAfter: boolean('previously_looked_after').notNull().default(false),
    eal: boolean('eal').notNull().default(false),
    serviceChild: boolean('service_child').notNull().default(false),
    youngCarer: boolean('young_carer').notNull().default(false),
    medicalCondition: boolean('medical_condition').notNull().default(false),
    medicalNotes: text('medical_notes'),
    attendancePercent: numeric('attendance_percent', { precision: 4, scale: 1, mode: 'number' }),
    senStage: text('sen_stage').$type<SenStage>().notNull().default('none'),
    primaryNeed: text('primary_need').$type<NeedCode>(),
    secondaryNeed: text('secondary_need').$type<NeedCode>(),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    uniqueIndex('pupil_upn_key').on(t.schoolId, t.upn),
    index('pupil_name_idx').on(t.schoolId, t.surname, t.forename),
    index('pupil_class_idx').on(t.schoolId, t.classId),
    index('pupil_stage_idx').on(t.schoolId, t.senStage).where(sql`${t.senStage} <> 'none'`),
    foreignKey({ columns: [t.schoolId, t.classId], foreignColumns: [schoolClass.schoolId, schoolClass.id] }),
    check('pupil_stage_check', sql`${t.senStage} in ('none', 'monitoring', 'sen_support', 'ehc_plan')`),
    check(
      'pupil_need_stage_check',
      sql`${t.primaryNeed} is null or ${t.senStage} in ('sen_support', 'ehc_plan')`,
    ),
    check(
      'pupil_need_required_check',
      sql`${t.senStage} not in ('sen_support', 'ehc_plan') or ${t.primaryNeed} is not null`,
    ),
    check(
      'pupil_secondary_need_check',
      sql`${t.secondaryNeed} is null or (${t.primaryNeed} is not null and ${t.secondaryNeed} <> ${t.primaryNeed} and ${t.secondaryNeed} <> 'NSA')`,
    ),
    check('pupil_nsa_check', sql`${t.primaryNeed} is distinct from 'NSA' or ${t.senStage} = 'sen_support'`),
  ],
);

const pupilRef = (t: { schoolId: AnyPgColumn; pupilId: AnyPgColumn }) =>
  foreignKey({ columns: [t.schoolId, t.pupilId], foreignColumns: [pupil.schoolId, pupil.id] });

/** Pupils a teaching assistant works with (provision groups will add to this later). */
export const pupilAssignment = pgTable(
  'pupil_assignment',
  {
    schoolId: uuid('school_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    userId: uuid('user_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.pupilId, t.userId] }),
    foreignKey({ columns: [t.schoolId, t.pupilId], foreignColumns: [pupil.schoolId, pupil.id] }),
    foreignKey({ columns: [t.schoolId, t.userId], foreignColumns: [membership.schoolId, membership.userId] }),
    index('pupil_assignment_user_idx').on(t.schoolId, t.userId),
  ],
);

export const parentCarer = pgTable(
  'parent_carer',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    name: text('name').notNull(),
    relationship: text('relationship').notNull(),
    phone: text('phone'),
    email: text('email'),
    parentalResponsibility: boolean('parental_responsibility').notNull().default(true),
    contactPriority: smallint('contact_priority').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('parent_carer_pupil_idx').on(t.schoolId, t.pupilId),
  ],
);

/** The dated history of a pupil's SEN stage and needs: kept for the life of the record. */
export const registerEntry = pgTable(
  'register_entry',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    effectiveDate: date('effective_date', { mode: 'string' }).notNull(),
    fromStage: text('from_stage').$type<SenStage>().notNull(),
    stage: text('stage').$type<SenStage>().notNull(),
    primaryNeed: text('primary_need').$type<NeedCode>(),
    secondaryNeed: text('secondary_need').$type<NeedCode>(),
    changeKind: text('change_kind').$type<RegisterChangeKind>().notNull(),
    reason: text('reason').notNull(),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    decidedByName: text('decided_by_name').notNull(),
    source: text('source').$type<'register' | 'concern' | 'register_review'>().notNull(),
    concernId: uuid('concern_id'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('register_entry_pupil_idx').on(t.schoolId, t.pupilId, t.effectiveDate),
  ],
);

/** The termly register review: one row per pupil reviewed. */
export const registerReview = pgTable(
  'register_review',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    reviewedOn: date('reviewed_on', { mode: 'string' }).notNull(),
    outcome: text('outcome').$type<RegisterReviewOutcome>().notNull(),
    fromStage: text('from_stage').$type<SenStage>().notNull(),
    toStage: text('to_stage').$type<SenStage>().notNull(),
    reason: text('reason').notNull(),
    reviewedBy: uuid('reviewed_by').references(() => appUser.id),
    reviewedByName: text('reviewed_by_name').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('register_review_pupil_idx').on(t.schoolId, t.pupilId, t.reviewedOn),
  ],
);

/** A concern (seed 000 Appendix A: request for SEND or pastoral support). */
export const concern = pgTable(
  'concern',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    kind: text('kind').$type<ConcernKind>().notNull(),
    concernDate: date('concern_date', { mode: 'string' }).notNull(),
    raisedBy: uuid('raised_by').references(() => appUser.id),
    raisedByName: text('raised_by_name').notNull(),
    raisedByRole: text('raised_by_role').notNull(),
    reasons: text('reasons').notNull(),
    classroomEvidence: text('classroom_evidence').notNull(),
    areasOfNeed: jsonb('areas_of_need').$type<AreaOfNeed[]>().notNull(),
    interventionsTried: jsonb('interventions_tried').$type<InterventionTried[]>().notNull(),
    status: text('status').$type<ConcernStatus>().notNull().default('open'),
    outcome: text('outcome').$type<ConcernOutcome>(),
    actionTaken: text('action_taken'),
    agency: text('agency'),
    reviewedBy: uuid('reviewed_by').references(() => appUser.id),
    reviewedByName: text('reviewed_by_name'),
    reviewedOn: date('reviewed_on', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('concern_pupil_idx').on(t.schoolId, t.pupilId),
    index('concern_status_idx').on(t.schoolId, t.status, t.concernDate),
    index('concern_raised_by_idx').on(t.schoolId, t.raisedBy),
    check('concern_status_check', sql`${t.status} in ('open', 'reviewed')`),
  ],
);

/** Who did or saw what, when. Append-only: a trigger refuses UPDATE and DELETE. */
export const auditEvent = pgTable(
  'audit_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    schoolId: uuid('school_id'),
    userId: uuid('user_id'),
    role: text('role'),
    action: text('action').notNull(),
    pupilId: uuid('pupil_id'),
    requestId: text('request_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_event_pupil_idx').on(t.schoolId, t.pupilId, t.occurredAt),
    index('audit_event_school_idx').on(t.schoolId, t.occurredAt),
  ],
);
