import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { AreaOfNeed } from '../../domain/census.ts';
import type {
  ConcernKind,
  ConcernOutcome,
  ConcernSource,
  ConcernStatus,
  ConcernVia,
  InterventionTried,
} from '../../domain/concerns.ts';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { pupilRef } from './pupils.ts';

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
    /** Staff raise concerns themselves; the SENCo records those from parents, the pupil or professionals. */
    source: text('source').$type<ConcernSource>().notNull().default('staff'),
    /** How a concern from outside the staff came: in person, by telephone, email, letter, at a meeting. */
    receivedVia: text('received_via').$type<ConcernVia>(),
    recordedBy: uuid('recorded_by').references(() => appUser.id),
    recordedByName: text('recorded_by_name'),
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
    index('concern_id_idx').on(t.id),
    check('concern_status_check', sql`${t.status} in ('open', 'reviewed')`),
    check('concern_source_check', sql`${t.source} in ('staff', 'parent', 'pupil', 'professional')`),
  ],
);
