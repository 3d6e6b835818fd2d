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
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Section } from '../../domain/access.ts';
import type {
  DirectoryOwnerKind,
  PlanStrategyField,
  RecommendationKind,
  RecommendationUse,
  ReportSubmittedBy,
  ServiceKind,
} from '../../domain/agencies.ts';
import type { AreaOfNeed } from '../../domain/census.ts';
import type { ConsentGiver, ConsentHow, LawfulBasis, ReferralStatus } from '../../domain/referrals.ts';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { parentCarer, pupilRef } from './pupils.ts';

/*
 * Outside agencies (docs/adr/0033): the directory of services, kept by a school for itself or by a local
 * authority for its schools (owner_id and owner_kind, as stored files are kept); a school's referrals of
 * its pupils with the consent and lawful basis they rest on, each step dated; the reports that come back
 * and the recommendations in them; and where each recommendation was used.
 */

/** A service in a directory: the school's own list, or the local authority's list for its schools. */
export const agency = pgTable(
  'agency',
  {
    ownerId: uuid('owner_id').notNull(),
    ownerKind: text('owner_kind').$type<DirectoryOwnerKind>().notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    serviceKind: text('service_kind').$type<ServiceKind>().notNull(),
    contactName: text('contact_name'),
    email: text('email'),
    phone: text('phone'),
    website: text('website'),
    address: text('address'),
    /** How to refer: the form, the address, the panel it goes to. */
    howToRefer: text('how_to_refer'),
    /** What the service needs from the school with a referral. */
    needsFromSchool: text('needs_from_school'),
    /** How long families typically wait, in weeks. */
    typicalWaitWeeks: smallint('typical_wait_weeks'),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedByName: text('updated_by_name').notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.ownerId, t.id] }),
    index('agency_id_idx').on(t.id),
    check('agency_owner_kind_check', sql`${t.ownerKind} in ('school', 'organisation')`),
    check('agency_wait_check', sql`${t.typicalWaitWeeks} is null or ${t.typicalWaitWeeks} between 0 and 520`),
  ],
);

/** A professional of a service in the directory; linked to their account once they have one. */
export const agencyProfessional = pgTable(
  'agency_professional',
  {
    ownerId: uuid('owner_id').notNull(),
    agencyId: uuid('agency_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    jobTitle: text('job_title'),
    email: text('email'),
    userId: uuid('user_id').references(() => appUser.id),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    /** Two people may change a professional's details at once: a stale save is refused. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.ownerId, t.id] }),
    foreignKey({ columns: [t.ownerId, t.agencyId], foreignColumns: [agency.ownerId, agency.id] }),
    index('agency_professional_agency_idx').on(t.ownerId, t.agencyId),
  ],
);

/** A school's referral of one pupil to one service: what it asks, what it shares, and where it stands. */
export const referral = pgTable(
  'referral',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    /** The service referred to (in the school's list or the local authority's). */
    agencyOwnerId: uuid('agency_owner_id').notNull(),
    agencyId: uuid('agency_id').notNull(),
    /** The service's name and kind as they were when the referral was made. */
    agencyName: text('agency_name').notNull(),
    serviceKind: text('service_kind').$type<ServiceKind>().notNull(),
    /** What started it: a concern's outcome, a review's decision, or the pupil's page. */
    concernId: uuid('concern_id'),
    pupilActionId: uuid('pupil_action_id'),
    /** The question the school asks the service. */
    question: text('question').notNull(),
    /** What has been tried (drawn from the plans and provision, then edited). */
    tried: text('tried'),
    /** The sections of the pupil's record the school will share with the service's professional. */
    shareSections: jsonb('share_sections').$type<Section[]>().notNull().default([]),
    /** Documents the school will share, named ("the support plan of March", "the reading assessment"). */
    shareDocuments: text('share_documents'),
    lawfulBasis: text('lawful_basis').$type<LawfulBasis>().notNull().default('consent'),
    /** What a basis other than consent rests on, as the school records it. */
    basisNote: text('basis_note'),
    /** Advice asked for an EHC needs assessment: due within six weeks. */
    forEhcAssessment: boolean('for_ehc_assessment').notNull().default(false),
    status: text('status').$type<ReferralStatus>().notNull().default('drafted'),
    sentOn: date('sent_on', { mode: 'string' }),
    /** When the service said it would answer. */
    respondBy: date('respond_by', { mode: 'string' }),
    /** When the report is due, as the service said. */
    reportDueOn: date('report_due_on', { mode: 'string' }),
    /** Why the service declined, or why the school closed the referral. */
    endReason: text('end_reason'),
    endedOn: date('ended_on', { mode: 'string' }),
    /** The professional working on it, once invited, and the share that opens the record to them. */
    professionalUserId: uuid('professional_user_id').references(() => appUser.id),
    shareId: uuid('share_id'),
    /**
     * The lateness the SENCo was last reminded of by mail ("report:2026-11-20", what is late and since
     * when): the nightly reminder mails once per referral per lateness, not every night.
     */
    lateRemindedFor: text('late_reminded_for'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({ columns: [t.agencyOwnerId, t.agencyId], foreignColumns: [agency.ownerId, agency.id] }),
    index('referral_pupil_idx').on(t.schoolId, t.pupilId),
    index('referral_status_idx').on(t.schoolId, t.status),
    index('referral_id_idx').on(t.id),
    index('referral_professional_idx').on(t.professionalUserId),
    // The SENCo's list, newest first within the school.
    index('referral_school_created_idx').on(t.schoolId, t.createdAt),
    check(
      'referral_status_check',
      sql`${t.status} in ('drafted', 'awaiting_consent', 'sent', 'waiting_list', 'accepted', 'seen', 'report_received', 'closed', 'declined', 'stopped')`,
    ),
    check('referral_basis_check', sql`${t.lawfulBasis} in ('consent', 'public_task', 'legal_obligation')`),
    check('referral_sections_check', sql`jsonb_typeof(${t.shareSections}) = 'array'`),
  ],
);

/** Each step of a referral, dated, with who recorded it: the pupil's chronology shows them. */
export const referralEvent = pgTable(
  'referral_event',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    referralId: uuid('referral_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    status: text('status').$type<ReferralStatus>().notNull(),
    happenedOn: date('happened_on', { mode: 'string' }).notNull(),
    note: text('note'),
    byName: text('by_name').notNull(),
    /**
     * The parent or carer who said no to consent online (the family's door): such a step is their
     * refusal, whatever its note says. Null for every step the school records.
     */
    refusedByParentCarerId: uuid('refused_by_parent_carer_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({ columns: [t.schoolId, t.referralId], foreignColumns: [referral.schoolId, referral.id] }),
    index('referral_event_referral_idx').on(t.schoolId, t.referralId, t.happenedOn),
  ],
);

/** Consent to a referral and to sharing, per referral: who gave it, how, when, what it covers, until when. */
export const referralConsent = pgTable(
  'referral_consent',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    referralId: uuid('referral_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    givenBy: text('given_by').$type<ConsentGiver>().notNull(),
    parentCarerId: uuid('parent_carer_id'),
    /** The name of who gave it, as it was then. */
    givenByName: text('given_by_name').notNull(),
    how: text('how').$type<ConsentHow>().notNull(),
    givenOn: date('given_on', { mode: 'string' }).notNull(),
    coversReferral: boolean('covers_referral').notNull(),
    coversSharing: boolean('covers_sharing').notNull(),
    /** Named documents the consent covers sharing. */
    coversDocuments: text('covers_documents'),
    validUntil: date('valid_until', { mode: 'string' }),
    /** The signed form, kept as a stored file. */
    formFileId: uuid('form_file_id'),
    withdrawnOn: date('withdrawn_on', { mode: 'string' }),
    withdrawnNote: text('withdrawn_note'),
    withdrawnByName: text('withdrawn_by_name'),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedByName: text('recorded_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({ columns: [t.schoolId, t.referralId], foreignColumns: [referral.schoolId, referral.id] }),
    foreignKey({
      columns: [t.schoolId, t.parentCarerId],
      foreignColumns: [parentCarer.schoolId, parentCarer.id],
    }).onDelete('set null'),
    index('referral_consent_referral_idx').on(t.schoolId, t.referralId),
    check('referral_consent_given_by_check', sql`${t.givenBy} in ('parent', 'young_person')`),
    check('referral_consent_dates', sql`${t.validUntil} is null or ${t.validUntil} >= ${t.givenOn}`),
    check('referral_consent_withdrawn', sql`${t.withdrawnOn} is null or ${t.withdrawnOn} >= ${t.givenOn}`),
  ],
);

/** A report an agency sent back: uploaded by its professional, or by the school from paper or email. */
export const agencyReport = pgTable(
  'agency_report',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    referralId: uuid('referral_id'),
    pupilId: uuid('pupil_id').notNull(),
    agencyName: text('agency_name').notNull(),
    authorName: text('author_name').notNull(),
    /** What the author does ("Educational psychologist"): the source a recommendation cites. */
    authorRole: text('author_role'),
    title: text('title').notNull(),
    writtenOn: date('written_on', { mode: 'string' }).notNull(),
    summary: text('summary'),
    /** The report's file, kept as a stored file of the school. */
    fileId: uuid('file_id'),
    submittedBy: text('submitted_by').$type<ReportSubmittedBy>().notNull(),
    uploadedBy: uuid('uploaded_by').references(() => appUser.id),
    uploadedByName: text('uploaded_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({ columns: [t.schoolId, t.referralId], foreignColumns: [referral.schoolId, referral.id] }),
    index('agency_report_pupil_idx').on(t.schoolId, t.pupilId),
    index('agency_report_referral_idx').on(t.schoolId, t.referralId),
    index('agency_report_id_idx').on(t.id),
    check('agency_report_submitted_by_check', sql`${t.submittedBy} in ('professional', 'school')`),
  ],
);

/** One recommendation of a report, tagged with its area of need and kind. */
export const recommendation = pgTable(
  'recommendation',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    reportId: uuid('report_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    position: smallint('position').notNull(),
    area: text('area').$type<AreaOfNeed>(),
    kind: text('kind').$type<RecommendationKind>().notNull(),
    text: text('text').notNull(),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.reportId],
      foreignColumns: [agencyReport.schoolId, agencyReport.id],
    }),
    index('recommendation_report_idx').on(t.schoolId, t.reportId, t.position),
    index('recommendation_pupil_idx').on(t.schoolId, t.pupilId),
    index('recommendation_id_idx').on(t.id),
    check(
      'recommendation_kind_check',
      sql`${t.kind} in ('strategy', 'target', 'provision', 'further_assessment')`,
    ),
  ],
);

/** Where a recommendation was used: a target or strategy of a plan, or a provision group. */
export const recommendationUse = pgTable(
  'recommendation_use',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    recommendationId: uuid('recommendation_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    usedAs: text('used_as').$type<RecommendationUse>().notNull(),
    planId: uuid('plan_id'),
    planTargetId: uuid('plan_target_id'),
    /** For a strategy: the part of the plan it went into (quality-first teaching, interventions, TA support). */
    planField: text('plan_field').$type<PlanStrategyField>(),
    provisionGroupId: uuid('provision_group_id'),
    usedBy: uuid('used_by').references(() => appUser.id),
    usedByName: text('used_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.recommendationId],
      foreignColumns: [recommendation.schoolId, recommendation.id],
    }),
    index('recommendation_use_recommendation_idx').on(t.schoolId, t.recommendationId),
    index('recommendation_use_plan_idx').on(t.schoolId, t.planId),
    check('recommendation_use_as_check', sql`${t.usedAs} in ('target', 'strategy', 'provision')`),
    check(
      'recommendation_use_plan_field_check',
      sql`${t.planField} is null or ${t.planField} in ('qualityFirst', 'interventions', 'taSupport')`,
    ),
  ],
);
