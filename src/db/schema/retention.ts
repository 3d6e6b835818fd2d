import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { RetentionBasis } from '../../domain/retention.ts';
import { createdAt } from './common.ts';
import { pupilRef } from './pupils.ts';

export type RetentionReviewStatus = 'waiting' | 'kept';

/**
 * A leaver whose record is past its retention date, listed by the nightly review for the head or SENCo
 * to erase or keep (with a reason and a date to look again). One row per pupil, refreshed each night;
 * it goes with the rest of the record when the record is erased.
 */
export const retentionReview = pgTable(
  'retention_review',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    basis: text('basis').$type<RetentionBasis>().notNull(),
    keptUntil: date('kept_until', { mode: 'string' }).notNull(),
    listedOn: date('listed_on', { mode: 'string' }).notNull(),
    status: text('status').$type<RetentionReviewStatus>().notNull().default('waiting'),
    /** Kept: why (a legal hold, a claim), and the day it is listed again. */
    keepReason: text('keep_reason'),
    lookAgainOn: date('look_again_on', { mode: 'string' }),
    decidedBy: uuid('decided_by'),
    decidedByName: text('decided_by_name'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    uniqueIndex('retention_review_pupil_key').on(t.schoolId, t.pupilId),
    index('retention_review_status_idx').on(t.schoolId, t.status),
    check('retention_review_status_check', sql`${t.status} in ('waiting', 'kept')`),
    check('retention_review_basis_check', sql`${t.basis} in ('sen', 'pupil')`),
  ],
);
