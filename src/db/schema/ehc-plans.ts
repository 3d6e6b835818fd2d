import { sql } from 'drizzle-orm';
import {
  boolean,
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
import type {
  AnnualReviewStatus,
  CeaseReason,
  PlanSections,
  PlanStatus,
  PlanVersionReason,
  PlanVersionStage,
  ProposedChange,
  ReviewDecision,
} from '../../domain/ehc-plan.ts';
import { organisationCase } from './cases.ts';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { pupilRef } from './pupils.ts';
import { organisation } from './schools.ts';

/*
 * EHC plans and their annual reviews (docs/adr/0038). The plan is the local authority's: it writes it,
 * issues it, amends it and ceases it, and every version is kept whole. The annual review is the
 * school's: it arranges the meeting, records it and sends the report; the authority's decision on the
 * report is the authority's. As with the request (docs/adr/0036), the two owners are linked by ids,
 * never by a foreign key across owners.
 */

/** An EHC plan: the local authority's record of one child's plan, from the case that assessed them. */
export const ehcPlan = pgTable(
  'ehc_plan',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    id: uuid('id').notNull(),
    /** The EHC needs assessment case the plan came from. */
    caseId: uuid('case_id').notNull(),
    /** The child, as the case names them (school and pupil row, and the UPN that follows a move). */
    schoolId: uuid('school_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    upn: text('upn').notNull(),
    status: text('status').$type<PlanStatus>().notNull().default('draft'),
    /** The number of the version now final (null until the first is issued) and of the newest version. */
    finalVersion: integer('final_version'),
    latestVersion: integer('latest_version').notNull().default(1),
    /** The day the first final plan was issued: the plan's start (SEN2). */
    startedOn: date('started_on', { mode: 'string' }),
    /** The last annual review meeting held, and the next one due (kept here so the caseload lists them fast). */
    lastReviewOn: date('last_review_on', { mode: 'string' }),
    reviewDueOn: date('review_due_on', { mode: 'string' }),
    /** The school named in section I of the final plan, when it is on this installation. */
    namedSchoolId: uuid('named_school_id'),
    ceasedOn: date('ceased_on', { mode: 'string' }),
    ceaseReason: text('cease_reason').$type<CeaseReason>(),
    /** The authority's reasons for ceasing the plan, in its words, as told to the parents. */
    ceaseReasonsGiven: text('cease_reasons_given'),
    /** The deadline the caseworker was last reminded of: one mail per deadline. */
    remindedFor: text('reminded_for'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    foreignKey({
      columns: [t.organisationId, t.caseId],
      foreignColumns: [organisationCase.organisationId, organisationCase.id],
    }),
    uniqueIndex('ehc_plan_case_key').on(t.organisationId, t.caseId),
    index('ehc_plan_upn_idx').on(t.organisationId, t.upn),
    index('ehc_plan_pupil_idx').on(t.organisationId, t.schoolId, t.pupilId),
    // The school's own pages read its pupils' plans by school, whichever authority maintains them.
    index('ehc_plan_school_idx').on(t.schoolId, t.pupilId),
    index('ehc_plan_named_school_idx').on(t.namedSchoolId),
    // Reviews due: the authority's final plans by the day their review falls due.
    index('ehc_plan_review_due_idx').on(t.organisationId, t.status, t.reviewDueOn),
    check('ehc_plan_status_check', sql`${t.status} in ('draft', 'final', 'ceased')`),
    check(
      'ehc_plan_ceased_check',
      sql`${t.status} <> 'ceased' or (${t.ceasedOn} is not null and ${t.ceaseReason} is not null)`,
    ),
  ],
);

/**
 * One version of a plan, kept whole: the first draft and its final, then each amendment. A version is
 * written, sent to the parents (their 15 days to comment and name a school), and issued as final.
 */
export const ehcPlanVersion = pgTable(
  'ehc_plan_version',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    id: uuid('id').notNull(),
    planId: uuid('plan_id').notNull(),
    /** The plan's case (a version is a part of the case's record, as its decisions are). */
    caseId: uuid('case_id').notNull(),
    number: integer('number').notNull(),
    stage: text('stage').$type<PlanVersionStage>().notNull().default('writing'),
    reason: text('reason').$type<PlanVersionReason>().notNull().default('new_plan'),
    /** The annual review whose decision it amends (the authority's ehc_review_decision id). */
    reviewDecisionId: uuid('review_decision_id'),
    sections: jsonb('sections').$type<PlanSections>().notNull(),
    /** Sent to the parents, and the last day of their time to comment (at least 15 days, reg 13(1)). */
    sentOn: date('sent_on', { mode: 'string' }),
    commentsDueOn: date('comments_due_on', { mode: 'string' }),
    /** The parents' comments and the school they asked to be named, as the caseworker records them. */
    parentsComments: text('parents_comments'),
    parentsCommentsOn: date('parents_comments_on', { mode: 'string' }),
    preferredSchool: text('preferred_school'),
    /** The school consulted about being named (reg 14), when, and its answer. */
    consultedSchool: text('consulted_school'),
    consultedOn: date('consulted_on', { mode: 'string' }),
    consultedAnswer: text('consulted_answer'),
    issuedOn: date('issued_on', { mode: 'string' }),
    issuedBy: uuid('issued_by').references(() => appUser.id),
    /** The final plan as issued (a stored_file of the organisation's), when one is kept. */
    issuedFileId: uuid('issued_file_id'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    foreignKey({
      columns: [t.organisationId, t.planId],
      foreignColumns: [ehcPlan.organisationId, ehcPlan.id],
    }),
    uniqueIndex('ehc_plan_version_number_key').on(t.organisationId, t.planId, t.number),
    // One version being written or with the parents at a time.
    uniqueIndex('ehc_plan_version_one_open_key')
      .on(t.organisationId, t.planId)
      .where(sql`${t.stage} in ('writing', 'sent')`),
    index('ehc_plan_version_case_idx').on(t.organisationId, t.caseId),
    // A version never issued because the plan ceased while it was open is kept, as not issued.
    check('ehc_plan_version_stage_check', sql`${t.stage} in ('writing', 'sent', 'issued', 'not_issued')`),
    check(
      'ehc_plan_version_reason_check',
      sql`${t.reason} in ('new_plan', 'annual_review', 'phase_transfer', 'other_amendment')`,
    ),
    check('ehc_plan_version_sections_check', sql`jsonb_typeof(${t.sections}) = 'object'`),
    check(
      'ehc_plan_version_sent_check',
      sql`${t.stage} in ('writing', 'not_issued') or (${t.sentOn} is not null and ${t.commentsDueOn} is not null)`,
    ),
    check('ehc_plan_version_issued_check', sql`${t.stage} <> 'issued' or ${t.issuedOn} is not null`),
  ],
);

/**
 * A school's summary of an EHC plan it holds on paper: a pupil arriving with a plan from another local
 * authority (by Common Transfer File or by hand), recorded from its PDF until the authority's own record
 * exists on this installation.
 */
export const ehcPlanSummary = pgTable(
  'ehc_plan_summary',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    localAuthorityName: text('local_authority_name').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    lastReviewOn: date('last_review_on', { mode: 'string' }),
    /** Outcomes (section E) and provision (section F) as the plan words them. */
    outcomes: jsonb('outcomes').$type<{ id: string; text: string }[]>().notNull().default([]),
    provision: jsonb('provision')
      .$type<{ id: string; what: string; who: string; frequency: string; duration: string }[]>()
      .notNull()
      .default([]),
    /** The plan's PDF (a stored_file of the school). */
    fileId: uuid('file_id'),
    /** Ended when the authority's own record exists, or the plan ceased. */
    endedOn: date('ended_on', { mode: 'string' }),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('ehc_plan_summary_pupil_idx').on(t.schoolId, t.pupilId),
    check('ehc_plan_summary_outcomes_check', sql`jsonb_typeof(${t.outcomes}) = 'array'`),
    check('ehc_plan_summary_provision_check', sql`jsonb_typeof(${t.provision}) = 'array'`),
  ],
);

/**
 * A school's annual review of a pupil's EHC plan: arranged (invitations and advice at least two weeks
 * before), held (each outcome and each item of provision reviewed, changes proposed), and its report
 * sent to the local authority within two weeks of the meeting, kept exactly as sent.
 */
export const ehcAnnualReview = pgTable(
  'ehc_annual_review',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    status: text('status').$type<AnnualReviewStatus>().notNull().default('arranging'),
    /** The plan reviewed: the authority's (organisation and plan id), or the school's summary of one. */
    organisationId: uuid('organisation_id'),
    planId: uuid('plan_id'),
    planVersion: integer('plan_version'),
    summaryId: uuid('summary_id'),
    /** The day the review falls due, and the meeting. */
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    meetingOn: date('meeting_on', { mode: 'string' }),
    meetingTime: text('meeting_time'),
    meetingPlace: text('meeting_place'),
    /** A review for a move to the next phase, naming the next school. */
    phaseTransfer: boolean('phase_transfer').notNull().default(false),
    nextSchool: text('next_school'),
    /** Who was invited, when and how; the advice asked for, received and circulated. */
    invitations: jsonb('invitations').notNull().default([]),
    advice: jsonb('advice').notNull().default([]),
    /** The child's and the parents' views, in their words. */
    pupilViews: text('pupil_views'),
    parentViews: text('parent_views'),
    /** Who came to the meeting. */
    attendees: jsonb('attendees').notNull().default([]),
    /** Each outcome's progress and evidence; each item of provision, delivered as specified or not. */
    outcomeReviews: jsonb('outcome_reviews').notNull().default([]),
    provisionReviews: jsonb('provision_reviews').notNull().default([]),
    proposedChanges: jsonb('proposed_changes').$type<ProposedChange[]>().notNull().default([]),
    recommendation: text('recommendation').$type<ReviewDecision>(),
    recommendationReasons: text('recommendation_reasons'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    sentBy: uuid('sent_by').references(() => appUser.id),
    sentByName: text('sent_by_name'),
    sentHow: text('sent_how'),
    /** The report exactly as sent (its JSON, docs/schemas/annual-review-report), and its PDF. */
    sentReport: jsonb('sent_report'),
    sentFileId: uuid('sent_file_id'),
    /** The authority's decision on it, once in its records on this installation. */
    decisionId: uuid('decision_id'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('ehc_annual_review_pupil_idx').on(t.schoolId, t.pupilId),
    index('ehc_annual_review_due_idx').on(t.schoolId, t.status, t.dueOn),
    index('ehc_annual_review_plan_idx').on(t.organisationId, t.planId),
    // One review being arranged or written per pupil at a time.
    uniqueIndex('ehc_annual_review_one_open_key')
      .on(t.schoolId, t.pupilId)
      .where(sql`${t.status} in ('arranging', 'held')`),
    check('ehc_annual_review_status_check', sql`${t.status} in ('arranging', 'held', 'sent', 'cancelled')`),
    check(
      'ehc_annual_review_recommendation_check',
      sql`${t.recommendation} is null or ${t.recommendation} in ('keep', 'amend', 'cease')`,
    ),
    check(
      'ehc_annual_review_plan_check',
      sql`(${t.organisationId} is not null and ${t.planId} is not null) or ${t.summaryId} is not null`,
    ),
    check(
      'ehc_annual_review_held_check',
      sql`${t.status} not in ('held', 'sent') or ${t.meetingOn} is not null`,
    ),
    check('ehc_annual_review_sent_check', sql`${t.status} <> 'sent' or ${t.sentReport} is not null`),
  ],
);

/**
 * The local authority's side of an annual review: its copy of the school's report, and its decision
 * (keep, amend or cease) within four weeks of the meeting; when it amends, the amended final plan follows
 * within eight more weeks.
 */
export const ehcReviewDecision = pgTable(
  'ehc_review_decision',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    id: uuid('id').notNull(),
    planId: uuid('plan_id').notNull(),
    caseId: uuid('case_id').notNull(),
    /** The school's review it answers (school and ehc_annual_review id). */
    schoolId: uuid('school_id').notNull(),
    annualReviewId: uuid('annual_review_id'),
    meetingOn: date('meeting_on', { mode: 'string' }).notNull(),
    receivedOn: date('received_on', { mode: 'string' }),
    /** The authority's copy of the report, and its PDF. */
    received: jsonb('received'),
    receivedFileId: uuid('received_file_id'),
    decision: text('decision').$type<ReviewDecision>(),
    decidedOn: date('decided_on', { mode: 'string' }),
    reasons: text('reasons'),
    /** When it amends: the proposed amendments sent with the decision (the plan's new version). */
    amendmentVersion: integer('amendment_version'),
    /** When it ceases: why (SEN2's reasons). */
    ceaseReason: text('cease_reason').$type<CeaseReason>(),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    decidedByName: text('decided_by_name'),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    foreignKey({
      columns: [t.organisationId, t.planId],
      foreignColumns: [ehcPlan.organisationId, ehcPlan.id],
    }),
    index('ehc_review_decision_plan_idx').on(t.organisationId, t.planId, t.meetingOn),
    uniqueIndex('ehc_review_decision_review_key')
      .on(t.organisationId, t.schoolId, t.annualReviewId)
      .where(sql`${t.annualReviewId} is not null`),
    check(
      'ehc_review_decision_decision_check',
      sql`${t.decision} is null or ${t.decision} in ('keep', 'amend', 'cease')`,
    ),
    check('ehc_review_decision_decided_check', sql`${t.decision} is null or ${t.decidedOn} is not null`),
    check(
      'ehc_review_decision_cease_check',
      sql`${t.decision} is distinct from 'cease' or ${t.ceaseReason} is not null`,
    ),
  ],
);
