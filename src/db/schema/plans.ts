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
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { AreaOfNeed } from '../../domain/census.ts';
import type {
  PlanPupilSnapshot,
  PlanStatus,
  ProgressJudgement,
  ReviewDecision,
  TargetOutcome,
} from '../../domain/plans.ts';
import type { TargetCheckItem } from '../../domain/target-checks.ts';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { pupilRef } from './pupils.ts';

/**
 * The pupil's one-page profile in their own words (what people like and admire about me, what is
 * important to me, how best to support me): kept on the pupil and carried from plan to plan.
 */
export const pupilProfile = pgTable(
  'pupil_profile',
  {
    schoolId: uuid('school_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    likeAndAdmire: text('like_and_admire'),
    importantToMe: text('important_to_me'),
    howToSupportMe: text('how_to_support_me'),
    updatedBy: uuid('updated_by').references(() => appUser.id),
    updatedByName: text('updated_by_name'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.schoolId, t.pupilId] }), pupilRef(t)],
);

/**
 * A support plan (the school names it: IEP, Pupil Provision Plan, Learning Plan…): one turn of
 * Assess, Plan, Do, Review. Drafted, agreed and shared (active), reviewed (in review), closed.
 */
export const supportPlan = pgTable(
  'support_plan',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    /** 1 for the pupil's first plan, then 2, 3…: the cycles of the graduated approach. */
    cycle: smallint('cycle').notNull(),
    status: text('status').$type<PlanStatus>().notNull().default('draft'),
    needAreas: jsonb('need_areas').$type<AreaOfNeed[]>().notNull().default([]),
    strengths: text('strengths'),
    areasOfConcern: text('areas_of_concern'),
    desiredOutcomes: text('desired_outcomes'),
    /** Seed 004's five parts: a) quality-first teaching … e) how parents and the pupil contribute. */
    qualityFirst: text('quality_first'),
    interventions: text('interventions'),
    taSupport: text('ta_support'),
    resources: text('resources'),
    parentPupilContribution: text('parent_pupil_contribution'),
    parentsSupportAtHome: text('parents_support_at_home'),
    parentsViews: text('parents_views'),
    pupilViews: text('pupil_views'),
    startDate: date('start_date', { mode: 'string' }),
    reviewDate: date('review_date', { mode: 'string' }),
    ownerId: uuid('owner_id').references(() => appUser.id),
    ownerName: text('owner_name'),
    agreedOn: date('agreed_on', { mode: 'string' }),
    agreedWith: text('agreed_with'),
    /** Who recorded the agreement (the pupil's chronology shows it). */
    agreedByName: text('agreed_by_name'),
    sharedWithParentsOn: date('shared_with_parents_on', { mode: 'string' }),
    previousPlanId: uuid('previous_plan_id'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Who closed it: by its review, or a draft closed unused. */
    closedByName: text('closed_by_name'),
    /**
     * The pupil as the plan knew them (year group, class, stage and needs), kept when it closes, so a
     * closed plan says what was true while it was in place, not what is true now.
     */
    pupilAtClose: jsonb('pupil_at_close').$type<PlanPupilSnapshot>(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('support_plan_pupil_idx').on(t.schoolId, t.pupilId, t.cycle),
    index('support_plan_status_idx').on(t.schoolId, t.status, t.reviewDate),
    index('support_plan_id_idx').on(t.id),
    // One plan in force per pupil: agreed (active) or being reviewed.
    uniqueIndex('support_plan_one_active_key')
      .on(t.schoolId, t.pupilId)
      .where(sql`${t.status} in ('active', 'in_review')`),
    uniqueIndex('support_plan_cycle_key').on(t.schoolId, t.pupilId, t.cycle),
    check('support_plan_status_check', sql`${t.status} in ('draft', 'active', 'in_review', 'closed')`),
  ],
);

/** A short-term SMART target of a plan, with how it will be met and (at review) its outcome. */
export const planTarget = pgTable(
  'plan_target',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    planId: uuid('plan_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    position: smallint('position').notNull(),
    area: text('area').$type<AreaOfNeed>(),
    target: text('target').notNull(),
    achievementCriteria: text('achievement_criteria'),
    resourcesAndTechniques: text('resources_and_techniques'),
    classStrategies: text('class_strategies'),
    outcome: text('outcome').$type<TargetOutcome>(),
    outcomeEvidence: text('outcome_evidence'),
    /** A target carried into this plan from the one before, not yet met. */
    carriedFromId: uuid('carried_from_id'),
    bankEntryId: uuid('bank_entry_id'),
    /** A target taken from an outside agency's recommendation: which one. */
    recommendationId: uuid('recommendation_id'),
    /** Where it came from, as written when it was taken: "Recommended by the educational psychologist, report of 3 March 2026". */
    source: text('source'),
    /**
     * A target taken from an outcome in section E of the pupil's EHC plan: the authority's plan (by id) or
     * the school's summary of one, and the outcome's id in it (stable across the plan's versions).
     */
    ehcPlanId: uuid('ehc_plan_id'),
    ehcSummaryId: uuid('ehc_summary_id'),
    ehcOutcomeId: text('ehc_outcome_id'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({ columns: [t.schoolId, t.planId], foreignColumns: [supportPlan.schoolId, supportPlan.id] }),
    index('plan_target_plan_idx').on(t.schoolId, t.planId, t.position),
    index('plan_target_id_idx').on(t.id),
    check(
      'plan_target_outcome_check',
      sql`${t.outcome} is null or ${t.outcome} in ('achieved', 'partly_achieved', 'not_achieved')`,
    ),
  ],
);

/**
 * The working document: a dated note by any adult who works with the pupil, on a target or on the
 * plan as a whole. Never edited after the day it was written (a correction is a new note).
 */
export const planNote = pgTable(
  'plan_note',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    planId: uuid('plan_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    targetId: uuid('target_id'),
    writtenOn: date('written_on', { mode: 'string' }).notNull(),
    body: text('body').notNull(),
    authorId: uuid('author_id').references(() => appUser.id),
    authorName: text('author_name').notNull(),
    authorRoles: text('author_roles'),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({ columns: [t.schoolId, t.planId], foreignColumns: [supportPlan.schoolId, supportPlan.id] }),
    index('plan_note_plan_idx').on(t.schoolId, t.planId, t.writtenOn),
    index('plan_note_id_idx').on(t.id),
  ],
);

/**
 * A half-termly target check (when the school's settings ask for them): at the end of a half-term the
 * plan runs through, the class teacher or SENCo says how each target is going, with a short note. One
 * per plan and half-term (`due_on`, the half-term's last school day); the targets' words are kept in
 * it, so a check still reads true after a target is reworded or removed.
 */
export const planTargetCheck = pgTable(
  'plan_target_check',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    planId: uuid('plan_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    checkedOn: date('checked_on', { mode: 'string' }).notNull(),
    items: jsonb('items').$type<TargetCheckItem[]>().notNull(),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedByName: text('recorded_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({ columns: [t.schoolId, t.planId], foreignColumns: [supportPlan.schoolId, supportPlan.id] }),
    uniqueIndex('plan_target_check_plan_due_key').on(t.schoolId, t.planId, t.dueOn),
    index('plan_target_check_id_idx').on(t.id),
  ],
);

/** The review of a plan: who came, the views of pupil and parents, the judgement and the decision. */
export const planReview = pgTable(
  'plan_review',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    planId: uuid('plan_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    attendees: text('attendees').notNull(),
    pupilViews: text('pupil_views'),
    parentsViews: text('parents_views'),
    progress: text('progress').$type<ProgressJudgement>().notNull(),
    decision: text('decision').$type<ReviewDecision>().notNull(),
    decisionNotes: text('decision_notes'),
    /** For "stay on SEN support with the same plan extended": the new review date. */
    extendedTo: date('extended_to', { mode: 'string' }),
    nextPlanId: uuid('next_plan_id'),
    reviewedBy: uuid('reviewed_by').references(() => appUser.id),
    reviewedByName: text('reviewed_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({ columns: [t.schoolId, t.planId], foreignColumns: [supportPlan.schoolId, supportPlan.id] }),
    index('plan_review_plan_idx').on(t.schoolId, t.planId),
    index('plan_review_id_idx').on(t.id),
  ],
);

/**
 * Things a review decided that other parts of OpenSEND pick up: involve a specialist agency, consider
 * high-needs top-up funding, request an EHC needs assessment.
 */
export const pupilAction = pgTable(
  'pupil_action',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    kind: text('kind').$type<'involve_agency' | 'top_up_funding' | 'ehc_request'>().notNull(),
    planReviewId: uuid('plan_review_id'),
    notes: text('notes'),
    status: text('status').$type<'open' | 'done'>().notNull().default('open'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('pupil_action_pupil_idx').on(t.schoolId, t.pupilId),
    index('pupil_action_open_idx').on(t.schoolId, t.status),
  ],
);

/** The school's bank of reusable targets and strategies, by area of need. */
export const bankEntry = pgTable(
  'bank_entry',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    kind: text('kind').$type<'target' | 'strategy'>().notNull(),
    area: text('area').$type<AreaOfNeed>().notNull(),
    text: text('text').notNull(),
    achievementCriteria: text('achievement_criteria'),
    source: text('source').$type<'starter' | 'school'>().notNull().default('school'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name'),
    timesUsed: integer('times_used').notNull().default(0),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    index('bank_entry_area_idx').on(t.schoolId, t.kind, t.area),
  ],
);
