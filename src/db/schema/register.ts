import { date, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { NeedCode } from '../../domain/census.ts';
import type { RegisterChangeKind, RegisterReviewOutcome, SenStage } from '../../domain/register.ts';
import { appUser } from './people.ts';
import { pupilRef } from './pupils.ts';

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
    source: text('source').$type<'register' | 'concern' | 'register_review' | 'ctf'>().notNull(),
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
