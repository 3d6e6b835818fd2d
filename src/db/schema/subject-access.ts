import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { FlaggedText, Requester, SubjectAccessStatus } from '../../domain/subject-access.ts';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { pupilRef } from './pupils.ts';

/**
 * A subject access request about a pupil: who asked and when, the day the answer is due (one calendar
 * month), the export produced for it (a stored file), and when it was released after the SENCo's check.
 */
export const subjectAccessRequest = pgTable(
  'subject_access_request',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    requester: text('requester').$type<Requester>().notNull(),
    requesterName: text('requester_name').notNull(),
    receivedOn: date('received_on', { mode: 'string' }).notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    notes: text('notes'),
    status: text('status').$type<SubjectAccessStatus>().notNull().default('open'),
    /** The export (a ZIP kept as a stored file of the school). */
    fileId: uuid('file_id'),
    /** What in the export names another pupil, found when it was produced: to redact before release. */
    flagged: jsonb('flagged').$type<FlaggedText[]>().notNull().default([]),
    producedAt: timestamp('produced_at', { withTimezone: true }),
    producedByName: text('produced_by_name'),
    releasedOn: date('released_on', { mode: 'string' }),
    releasedByName: text('released_by_name'),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('subject_access_request_due_idx').on(t.schoolId, t.status, t.dueOn),
    index('subject_access_request_pupil_idx').on(t.schoolId, t.pupilId),
    check('subject_access_request_status_check', sql`${t.status} in ('open', 'produced', 'released')`),
    check(
      'subject_access_request_requester_check',
      sql`${t.requester} in ('parent', 'pupil', 'representative')`,
    ),
  ],
);
