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
  AdviceSource,
  AssessmentConsentHow,
  CaseDecisionKind,
  ExceptionGround,
  RequestedBy,
  SchoolRequestStatus,
  SentHow,
  TopUpOutcome,
} from '../../domain/ehc.ts';
import { organisationCase } from './cases.ts';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { pupilRef } from './pupils.ts';
import { organisation } from './schools.ts';

/*
 * The EHC needs assessment and high-needs top-up funding (docs/adr/0036). The school's side is the
 * school's: its request for an assessment (the evidence pack, kept exactly as sent) and its application
 * for top-up funding. The local authority's side is the organisation's (organisation_case, and here its
 * decisions, the advice it asks for, and the exceptions to its time limits), linked to the school's
 * request by id, never by a foreign key across owners.
 */

/** A school's request for an EHC needs assessment: the evidence pack, reviewed by the SENCo, then sent. */
export const ehcRequest = pgTable(
  'ehc_request',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    status: text('status').$type<SchoolRequestStatus>().notNull().default('draft'),
    /** The school's own request, or the parent's (recorded as theirs, in their words). */
    requestedBy: text('requested_by').$type<RequestedBy>().notNull().default('school'),
    /** The parent or carer who asked for it, or who consents to it (a parent_carer of the pupil). */
    parentId: uuid('parent_id'),
    /** A parent's request in their own words. */
    parentRequestNote: text('parent_request_note'),
    /** What started it: a review's decision (its pupil_action), or the pupil's page. */
    planReviewId: uuid('plan_review_id'),
    pupilActionId: uuid('pupil_action_id'),
    /** The SENCo's covering statement: why now, what the school asks the LA to consider. */
    coveringStatement: text('covering_statement'),
    /** Keys of the pack's items the SENCo left out (ehc-pack.ts item keys: "plan:<id>", "report:<id>"). */
    leftOut: jsonb('left_out').$type<string[]>().notNull().default([]),
    /** Agency reports marked recent and sufficient, so the LA need not seek the advice again (reg 6(4)). */
    adviceSufficient: jsonb('advice_sufficient').$type<string[]>().notNull().default([]),
    /** The person completing the request and how the LA reaches them. */
    contactName: text('contact_name'),
    contactRole: text('contact_role'),
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    /** Consent for the assessment: by whom, when, how. */
    consentParentId: uuid('consent_parent_id'),
    consentOn: date('consent_on', { mode: 'string' }),
    consentHow: text('consent_how').$type<AssessmentConsentHow>(),
    consentNote: text('consent_note'),
    /** When, by whom and how it was sent, and exactly what was sent. */
    sentAt: timestamp('sent_at', { withTimezone: true }),
    sentBy: uuid('sent_by').references(() => appUser.id),
    sentByName: text('sent_by_name'),
    sentHow: text('sent_how').$type<SentHow>(),
    sentPack: jsonb('sent_pack'),
    /** The PDF as sent (a stored_file of the school). */
    sentFileId: uuid('sent_file_id'),
    /** The local authority case it opened, when sent into the LA's caseload on this installation. */
    organisationId: uuid('organisation_id'),
    caseId: uuid('case_id'),
    withdrawnOn: date('withdrawn_on', { mode: 'string' }),
    withdrawnReason: text('withdrawn_reason'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('ehc_request_pupil_idx').on(t.schoolId, t.pupilId),
    index('ehc_request_id_idx').on(t.id),
    // One request being written per pupil at a time.
    uniqueIndex('ehc_request_one_draft_key').on(t.schoolId, t.pupilId).where(sql`${t.status} = 'draft'`),
    check('ehc_request_status_check', sql`${t.status} in ('draft', 'sent', 'withdrawn')`),
    check('ehc_request_requested_by_check', sql`${t.requestedBy} in ('school', 'parent', 'young_person')`),
    check('ehc_request_left_out_check', sql`jsonb_typeof(${t.leftOut}) = 'array'`),
    check('ehc_request_sufficient_check', sql`jsonb_typeof(${t.adviceSufficient}) = 'array'`),
    check(
      'ehc_request_sent_check',
      sql`${t.status} <> 'sent' or (${t.sentAt} is not null and ${t.sentHow} is not null and ${t.sentPack} is not null)`,
    ),
  ],
);

/** A school's application for high-needs top-up funding (element 3) for one pupil. */
export const topUpApplication = pgTable(
  'top_up_application',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    status: text('status').$type<SchoolRequestStatus>().notNull().default('draft'),
    /** The support plan it rests on (the pupil's current plan when it was started). */
    planId: uuid('plan_id'),
    planReviewId: uuid('plan_review_id'),
    pupilActionId: uuid('pupil_action_id'),
    /** What the school asks for, and for which period. */
    amountPence: integer('amount_pence'),
    periodFrom: date('period_from', { mode: 'string' }),
    periodTo: date('period_to', { mode: 'string' }),
    /** Why the plan is efficient and likely to succeed: the school's case. */
    rationale: text('rationale'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    sentBy: uuid('sent_by').references(() => appUser.id),
    sentByName: text('sent_by_name'),
    sentHow: text('sent_how').$type<SentHow>(),
    /** Exactly what was sent: the plan, the costed provision and its impact, the amount and period. */
    sentApplication: jsonb('sent_application'),
    sentFileId: uuid('sent_file_id'),
    organisationId: uuid('organisation_id'),
    caseId: uuid('case_id'),
    /** The funding as the school recorded it when the LA is not on this installation (decided on paper). */
    withdrawnOn: date('withdrawn_on', { mode: 'string' }),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('top_up_application_pupil_idx').on(t.schoolId, t.pupilId),
    index('top_up_application_id_idx').on(t.id),
    uniqueIndex('top_up_application_one_draft_key')
      .on(t.schoolId, t.pupilId)
      .where(sql`${t.status} = 'draft'`),
    check('top_up_application_status_check', sql`${t.status} in ('draft', 'sent', 'withdrawn')`),
    check('top_up_application_amount_check', sql`${t.amountPence} is null or ${t.amountPence} > 0`),
    check(
      'top_up_application_period_check',
      sql`${t.periodFrom} is null or ${t.periodTo} is null or ${t.periodTo} >= ${t.periodFrom}`,
    ),
  ],
);

/**
 * A school's closures of four weeks or more (its summer holiday, in practice), from its own calendar:
 * advice asked of the school in the week before one, or during it, is an exception to the LA's time
 * limits (regs 5(4)(a), 10(4)(a), 13(3)(a)). Without a recorded closure the usual summer holiday applies.
 */
export const schoolClosure = pgTable(
  'school_closure',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    /** The first and last day the school is closed (inclusive). */
    firstDay: date('first_day', { mode: 'string' }).notNull(),
    lastDay: date('last_day', { mode: 'string' }).notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    index('school_closure_school_idx').on(t.schoolId, t.firstDay),
    check('school_closure_dates_check', sql`${t.lastDay} >= ${t.firstDay}`),
  ],
);

/** A decision of the local authority on a case (to assess or not, a panel's discussion, to issue a plan or not). */
export const caseDecision = pgTable(
  'case_decision',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    kind: text('kind').$type<CaseDecisionKind>().notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    /** The reasons, as told to the parents. */
    reasons: text('reasons'),
    /** A panel's notes (for the LA only). */
    panelNotes: text('panel_notes'),
    /** When the parents (and the school) were told, with their right of appeal. */
    parentsToldOn: date('parents_told_on', { mode: 'string' }),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    decidedByName: text('decided_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    foreignKey({
      columns: [t.organisationId, t.caseId],
      foreignColumns: [organisationCase.organisationId, organisationCase.id],
    }),
    index('case_decision_case_idx').on(t.organisationId, t.caseId),
    check(
      'case_decision_kind_check',
      sql`${t.kind} in ('assess', 'not_assess', 'panel', 'issue_plan', 'not_issue_plan')`,
    ),
  ],
);

/** Advice the local authority asks for in an assessment (reg 6), due within six weeks of asking (reg 8). */
export const caseAdvice = pgTable(
  'case_advice',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    source: text('source').$type<AdviceSource>().notNull(),
    /** Who was asked (the service or person, by name). */
    askedOf: text('asked_of').notNull(),
    /** The school asked, when advice is asked of a school (its closures are exceptions). */
    schoolId: uuid('school_id'),
    requestedOn: date('requested_on', { mode: 'string' }),
    receivedOn: date('received_on', { mode: 'string' }),
    /** Advice already given and recent and sufficient: not sought again (reg 6(4)). */
    alreadyHeld: boolean('already_held').notNull().default(false),
    /** The agency report in the school's pack it rests on, when already held. */
    agencyReportId: uuid('agency_report_id'),
    note: text('note'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    foreignKey({
      columns: [t.organisationId, t.caseId],
      foreignColumns: [organisationCase.organisationId, organisationCase.id],
    }),
    index('case_advice_case_idx').on(t.organisationId, t.caseId),
    check(
      'case_advice_dates_check',
      sql`${t.receivedOn} is null or ${t.requestedOn} is null or ${t.receivedOn} >= ${t.requestedOn}`,
    ),
    check('case_advice_asked_check', sql`${t.alreadyHeld} or ${t.requestedOn} is not null`),
  ],
);

/** An exception to the time limits recorded by the officer with its ground (regs 5(4), 10(4), 13(3)). */
export const caseException = pgTable(
  'case_exception',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    ground: text('ground').$type<ExceptionGround>().notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedByName: text('recorded_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    foreignKey({
      columns: [t.organisationId, t.caseId],
      foreignColumns: [organisationCase.organisationId, organisationCase.id],
    }),
    index('case_exception_case_idx').on(t.organisationId, t.caseId),
    check(
      'case_exception_ground_check',
      sql`${t.ground} in ('school_closure', 'early_years_closure', 'personal_circumstances', 'absence')`,
    ),
    check('case_exception_dates_check', sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
  ],
);

/** The local authority's decision on a top-up application: amount, period, band, conditions. */
export const topUpDecision = pgTable(
  'top_up_decision',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    id: uuid('id').notNull(),
    caseId: uuid('case_id').notNull(),
    outcome: text('outcome').$type<TopUpOutcome>().notNull(),
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    /** A year's amount agreed (none when refused). */
    amountPence: integer('amount_pence'),
    band: text('band'),
    conditions: text('conditions'),
    reasons: text('reasons'),
    fundedFrom: date('funded_from', { mode: 'string' }),
    fundedUntil: date('funded_until', { mode: 'string' }),
    /** The end the school was last reminded of ("2027-03-31"): one reminder per ending. */
    endRemindedFor: date('end_reminded_for', { mode: 'string' }),
    decidedBy: uuid('decided_by').references(() => appUser.id),
    decidedByName: text('decided_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    foreignKey({
      columns: [t.organisationId, t.caseId],
      foreignColumns: [organisationCase.organisationId, organisationCase.id],
    }),
    index('top_up_decision_case_idx').on(t.organisationId, t.caseId),
    // One decision per application, changed in place (its version counts the changes).
    uniqueIndex('top_up_decision_case_key').on(t.organisationId, t.caseId),
    check('top_up_decision_outcome_check', sql`${t.outcome} in ('agreed', 'agreed_in_part', 'refused')`),
    check(
      'top_up_decision_amount_check',
      sql`(${t.outcome} = 'refused') = (${t.amountPence} is null) and (${t.amountPence} is null or ${t.amountPence} > 0)`,
    ),
    check(
      'top_up_decision_period_check',
      sql`${t.fundedFrom} is null or ${t.fundedUntil} is null or ${t.fundedUntil} >= ${t.fundedFrom}`,
    ),
  ],
);
