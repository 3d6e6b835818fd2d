import { date, integer, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisation } from './schools.ts';

/*
 * The termly list of annual reviews due (docs/adr/0038): at least two weeks before each term starts the
 * local authority tells each head teacher of a school with EHC plans how many reviews fall due that term.
 * One row per school and term once the list is sent, so it is sent once however often the job runs.
 * Counts only: no child is named here or in the mail.
 */
export const ehcReviewTermList = pgTable(
  'ehc_review_term_list',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    schoolId: uuid('school_id').notNull(),
    /** The first day of the term the list is for. */
    termStartsOn: date('term_starts_on', { mode: 'string' }).notNull(),
    /** How many reviews fell due that term, and how many were already overdue, when the list was sent. */
    dueCount: integer('due_count').notNull(),
    overdueCount: integer('overdue_count').notNull().default(0),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.schoolId, t.termStartsOn] })],
);
