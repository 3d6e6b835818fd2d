import { sql } from 'drizzle-orm';
import {
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
import type { AssessmentScale } from '../../domain/attainment.ts';
import type { TermName } from '../../domain/calendar.ts';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { pupilRef } from './pupils.ts';
import { schoolClass } from './schools.ts';

/*
 * Progress and reporting (issue 18): termly attainment on the school's scales, expected trajectories
 * with the reason where a pupil's differs from their peers', non-academic outcomes rated at reviews,
 * the half-termly pupil progress meetings and their actions, the complaints log, staff training and the
 * SENCO's qualification, and the drafts of the school's two SEN reports. Every row is the school's.
 *
 * Terms are named by the academic year they fall in (its starting calendar year: 2026 for 2026/27)
 * and 'autumn' | 'spring' | 'summer'; half terms by the year and 1..6.
 */

type Term = TermName;

/**
 * A subject the school assesses termly (reading, writing and maths by default) and its scale. Bands are
 * listed lowest first (code and label); a score scale has its range and the score expected of a pupil at
 * the standard (100 for a standardised score); small steps have a count per year.
 */
export const assessmentSubject = pgTable(
  'assessment_subject',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    position: smallint('position').notNull(),
    scale: text('scale').$type<AssessmentScale>().notNull(),
    bands: jsonb('bands').$type<{ code: string; label: string }[]>(),
    /** For bands: the band a pupil at the expected standard is in (its code). */
    expectedBand: text('expected_band'),
    scoreMin: smallint('score_min'),
    scoreMax: smallint('score_max'),
    scoreExpected: smallint('score_expected'),
    stepsPerYear: smallint('steps_per_year'),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    uniqueIndex('assessment_subject_name_key')
      .on(t.schoolId, sql`lower(${t.name})`)
      .where(sql`${t.archivedAt} is null`),
    check('assessment_subject_scale_check', sql`${t.scale} in ('bands', 'score', 'steps')`),
  ],
);

/**
 * One pupil's attainment in one subject at the end of one term. `value` is on the subject's scale:
 * for bands the band's position (0 = lowest), for a score the score, for small steps the step reached.
 * A pupil working below their year group may be assessed on small steps where their peers have bands
 * (`scale` says which). Entered on the class grid or imported from the MIS (`source`).
 */
export const attainmentResult = pgTable(
  'attainment_result',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    subjectId: uuid('subject_id').notNull(),
    academicYear: smallint('academic_year').notNull(),
    term: text('term').$type<Term>().notNull(),
    scale: text('scale').$type<AssessmentScale>().notNull(),
    value: integer('value').notNull(),
    /** The pupil's national curriculum year when assessed (their peers are that year group's pupils). */
    ncYear: smallint('nc_year'),
    source: text('source').$type<'grid' | 'import'>().notNull().default('grid'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedByName: text('recorded_by_name').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.subjectId],
      foreignColumns: [assessmentSubject.schoolId, assessmentSubject.id],
    }),
    uniqueIndex('attainment_result_term_key').on(t.schoolId, t.pupilId, t.subjectId, t.academicYear, t.term),
    index('attainment_result_term_idx').on(t.schoolId, t.academicYear, t.term, t.subjectId),
    check('attainment_result_term_check', sql`${t.term} in ('autumn', 'spring', 'summer')`),
    check('attainment_result_scale_check', sql`${t.scale} in ('bands', 'score', 'steps')`),
    check('attainment_result_source_check', sql`${t.source} in ('grid', 'import')`),
  ],
);

/**
 * What a pupil is expected to reach in a subject by the end of an academic year (on the subject's scale,
 * or on small steps), and why, when it differs from what their peers are expected to reach (seed 004).
 */
export const expectedTrajectory = pgTable(
  'expected_trajectory',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    subjectId: uuid('subject_id').notNull(),
    academicYear: smallint('academic_year').notNull(),
    scale: text('scale').$type<AssessmentScale>().notNull(),
    /** Where the pupil is expected to be at the end of the year, on `scale`. */
    endValue: integer('end_value').notNull(),
    /** Why the pupil's trajectory differs from their peers' (required when it does). */
    reason: text('reason'),
    setBy: uuid('set_by').references(() => appUser.id),
    setByName: text('set_by_name').notNull(),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.subjectId],
      foreignColumns: [assessmentSubject.schoolId, assessmentSubject.id],
    }),
    uniqueIndex('expected_trajectory_key').on(t.schoolId, t.pupilId, t.subjectId, t.academicYear),
  ],
);

/** The non-academic areas a plan's outcomes may be rated in. */
export type OutcomeArea = 'independence' | 'communication' | 'regulation' | 'attendance' | 'wellbeing';

/**
 * A non-academic outcome named in a support plan or an EHC plan (its section E outcome), to be rated at
 * each review so it shows over time. Ended when the plan that named it no longer does.
 */
export const pupilOutcome = pgTable(
  'pupil_outcome',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    area: text('area').$type<OutcomeArea>().notNull(),
    description: text('description').notNull(),
    /** Where it is named: a support plan, or an EHC plan's outcome (stable id across versions). */
    planId: uuid('plan_id'),
    ehcPlanId: uuid('ehc_plan_id'),
    ehcOutcomeId: text('ehc_outcome_id'),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('pupil_outcome_pupil_idx').on(t.schoolId, t.pupilId),
    check(
      'pupil_outcome_area_check',
      sql`${t.area} in ('independence', 'communication', 'regulation', 'attendance', 'wellbeing')`,
    ),
  ],
);

/**
 * An outcome rated at a review (1 = not yet, 5 = fully: domain/outcomes.ts names the scale): at a support
 * plan's review or an EHC plan's annual review.
 */
export const outcomeRating = pgTable(
  'outcome_rating',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    outcomeId: uuid('outcome_id').notNull(),
    rating: smallint('rating').notNull(),
    ratedOn: date('rated_on', { mode: 'string' }).notNull(),
    planReviewId: uuid('plan_review_id'),
    annualReviewId: uuid('annual_review_id'),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedByName: text('recorded_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.outcomeId],
      foreignColumns: [pupilOutcome.schoolId, pupilOutcome.id],
    }),
    index('outcome_rating_outcome_idx').on(t.schoolId, t.outcomeId, t.ratedOn),
    check('outcome_rating_rating_check', sql`${t.rating} between 1 and 5`),
  ],
);

/**
 * A half-termly pupil progress meeting for one class (seed 001: the class teacher, SENCo, assessment lead
 * and head teacher discuss each child). Prepared by OpenSEND, then held and recorded.
 */
export const progressMeeting = pgTable(
  'progress_meeting',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    classId: uuid('class_id').notNull(),
    academicYear: smallint('academic_year').notNull(),
    /** 1..6: autumn first half … summer second half. */
    halfTerm: smallint('half_term').notNull(),
    heldOn: date('held_on', { mode: 'string' }),
    /** Who was there: members of staff by id, with their name and roles as they were. */
    attendees: jsonb('attendees')
      .$type<{ userId: string; name: string; roles: string[] }[]>()
      .notNull()
      .default([]),
    notes: text('notes'),
    status: text('status').$type<'planned' | 'held'>().notNull().default('planned'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.classId], foreignColumns: [schoolClass.schoolId, schoolClass.id] }),
    uniqueIndex('progress_meeting_class_key').on(t.schoolId, t.classId, t.academicYear, t.halfTerm),
    check('progress_meeting_half_term_check', sql`${t.halfTerm} between 1 and 6`),
    check('progress_meeting_status_check', sql`${t.status} in ('planned', 'held')`),
  ],
);

export type MeetingDecision =
  | 'concern'
  | 'provision_change'
  | 'referral'
  | 'trajectory_change'
  | 'no_action'
  | 'other';

/**
 * What was decided about one child at a progress meeting, and the action it gives someone (on their
 * list until done). A decision to raise a concern links the concern it became.
 */
export const progressMeetingPupil = pgTable(
  'progress_meeting_pupil',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    meetingId: uuid('meeting_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    decision: text('decision').$type<MeetingDecision>().notNull(),
    notes: text('notes'),
    actionOwnerId: uuid('action_owner_id').references(() => appUser.id),
    actionOwnerName: text('action_owner_name'),
    actionDueOn: date('action_due_on', { mode: 'string' }),
    actionDoneAt: timestamp('action_done_at', { withTimezone: true }),
    actionDoneBy: uuid('action_done_by').references(() => appUser.id),
    concernId: uuid('concern_id'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedByName: text('recorded_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.meetingId],
      foreignColumns: [progressMeeting.schoolId, progressMeeting.id],
    }),
    uniqueIndex('progress_meeting_pupil_key').on(t.schoolId, t.meetingId, t.pupilId),
    index('progress_meeting_pupil_pupil_idx').on(t.schoolId, t.pupilId),
    index('progress_meeting_action_owner_idx').on(t.schoolId, t.actionOwnerId),
    check(
      'progress_meeting_pupil_decision_check',
      sql`${t.decision} in ('concern', 'provision_change', 'referral', 'trajectory_change', 'no_action', 'other')`,
    ),
  ],
);

export type ComplaintKind = 'concern' | 'formal';
export type ComplaintStage = 'senco' | 'head_teacher' | 'governors_panel';
export type ComplaintStatus = 'open' | 'closed';
export type ComplaintOutcome = 'resolved' | 'upheld' | 'partly_upheld' | 'not_upheld' | 'withdrawn';

/**
 * The complaints log (DfE guidance for school complaints): a concern resolved informally is kept apart
 * from a formal complaint; a formal complaint moves through stages (SENCo, head teacher, governors'
 * panel: seed 001). Staff whose practice it is about do not see it (`aboutUserIds`).
 */
export const complaint = pgTable(
  'complaint',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    kind: text('kind').$type<ComplaintKind>().notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    complainantName: text('complainant_name').notNull(),
    complainantRelationship: text('complainant_relationship'),
    pupilId: uuid('pupil_id'),
    summary: text('summary').notNull(),
    /** Members of staff whose practice the complaint is about: they cannot see it. */
    aboutUserIds: uuid('about_user_ids').array().notNull().default(sql`'{}'::uuid[]`),
    stage: text('stage').$type<ComplaintStage>().notNull().default('senco'),
    status: text('status').$type<ComplaintStatus>().notNull().default('open'),
    outcome: text('outcome').$type<ComplaintOutcome>(),
    outcomeSummary: text('outcome_summary'),
    closedOn: date('closed_on', { mode: 'string' }),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    // A complaint may be about no one pupil: the pair is checked only when a pupil is named.
    pupilRef(t),
    index('complaint_received_idx').on(t.schoolId, t.receivedOn),
    check('complaint_kind_check', sql`${t.kind} in ('concern', 'formal')`),
    check('complaint_stage_check', sql`${t.stage} in ('senco', 'head_teacher', 'governors_panel')`),
    check('complaint_status_check', sql`${t.status} in ('open', 'closed')`),
  ],
);

/**
 * One stage of a complaint: who handles it, when it began, the response and its deadline (school days
 * counted by domain/complaints.ts), when the response was sent.
 */
export const complaintStage = pgTable(
  'complaint_stage',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    complaintId: uuid('complaint_id').notNull(),
    stage: text('stage').$type<ComplaintStage>().notNull(),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    responseDueOn: date('response_due_on', { mode: 'string' }).notNull(),
    handledBy: uuid('handled_by').references(() => appUser.id),
    handledByName: text('handled_by_name'),
    response: text('response'),
    respondedOn: date('responded_on', { mode: 'string' }),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    foreignKey({ columns: [t.schoolId, t.complaintId], foreignColumns: [complaint.schoolId, complaint.id] }),
    uniqueIndex('complaint_stage_key').on(t.schoolId, t.complaintId, t.stage),
    check('complaint_stage_stage_check', sql`${t.stage} in ('senco', 'head_teacher', 'governors_panel')`),
  ],
);

/**
 * Training a member of staff has done: the course, when, how long, the area of need it served (the four
 * broad areas, or none for general SEN training) and who gave it (the SENCo's own INSET, an agency…).
 */
export const staffTraining = pgTable(
  'staff_training',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    course: text('course').notNull(),
    completedOn: date('completed_on', { mode: 'string' }).notNull(),
    hours: numeric('hours', { precision: 5, scale: 1, mode: 'number' }).notNull(),
    needArea: text('need_area'),
    provider: text('provider'),
    notes: text('notes'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedByName: text('recorded_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    index('staff_training_user_idx').on(t.schoolId, t.userId, t.completedOn),
    index('staff_training_completed_idx').on(t.schoolId, t.completedOn),
    check('staff_training_hours_check', sql`${t.hours} > 0 and ${t.hours} <= 500`),
  ],
);

/** The school's training plan for a year, item by item, against the needs of its pupils. */
export const trainingPlanItem = pgTable(
  'training_plan_item',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    academicYear: smallint('academic_year').notNull(),
    title: text('title').notNull(),
    needArea: text('need_area'),
    /** Who it is for, in the school's words ("all teaching assistants", "Year 3 team"). */
    audience: text('audience'),
    term: text('term').$type<Term>(),
    status: text('status').$type<'planned' | 'done' | 'dropped'>().notNull().default('planned'),
    notes: text('notes'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    index('training_plan_item_year_idx').on(t.schoolId, t.academicYear),
    check('training_plan_item_status_check', sql`${t.status} in ('planned', 'done', 'dropped')`),
  ],
);

export type SencoQualification = 'national_award' | 'npq_senco';

/**
 * A SENCO's appointment and mandatory qualification: the National Award for SEN Co-ordination, or the
 * NPQ for SENCOs that replaced it from September 2024, to be achieved within three years of taking up
 * the post (domain/training.ts counts the deadline). One row per SENCO the school has appointed.
 */
export const sencoAppointment = pgTable(
  'senco_appointment',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    appointedOn: date('appointed_on', { mode: 'string' }).notNull(),
    /** Already held when appointed (a SENCO before 1 September 2009, or qualified elsewhere). */
    qualification: text('qualification').$type<SencoQualification>(),
    startedOn: date('started_on', { mode: 'string' }),
    achievedOn: date('achieved_on', { mode: 'string' }),
    provider: text('provider'),
    endedOn: date('ended_on', { mode: 'string' }),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    uniqueIndex('senco_appointment_user_key').on(t.schoolId, t.userId, t.appointedOn),
    check(
      'senco_appointment_qualification_check',
      sql`${t.qualification} is null or ${t.qualification} in ('national_award', 'npq_senco')`,
    ),
  ],
);

export type SchoolReportKind = 'sen_information' | 'governors_annual';

/**
 * A draft of one of the school's SEN reports for an academic year: the school's own words for each item
 * (keyed by the item's key in domain/reports.ts); the figures are drawn from live data when it is shown.
 * Published: the text as it was, frozen with the figures (`published`), for the website.
 */
export const schoolReport = pgTable(
  'school_report',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    kind: text('kind').$type<SchoolReportKind>().notNull(),
    academicYear: smallint('academic_year').notNull(),
    texts: jsonb('texts').$type<Record<string, string>>().notNull().default({}),
    published: jsonb('published').$type<unknown>(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by').references(() => appUser.id),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    updatedByName: text('updated_by_name'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    uniqueIndex('school_report_key').on(t.schoolId, t.kind, t.academicYear),
    check('school_report_kind_check', sql`${t.kind} in ('sen_information', 'governors_annual')`),
  ],
);
