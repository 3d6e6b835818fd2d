import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { CaseKind } from '../../domain/cases.ts';
import type { CaseStage, RequestedBy } from '../../domain/ehc.ts';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { organisation } from './schools.ts';

/**
 * An organisation's case about a child (an EHC needs assessment, later an EHC plan): owned by the
 * organisation (a local authority), keyed by it, and linked to the school's pupil it is about by school
 * and pupil id and by UPN, never by a foreign key across owners (docs/adr/0029). When the child moves to
 * another school of the organisation (a new pupil row there, through a Common Transfer File), the case
 * stays, and finds the child by their UPN.
 */
export const organisationCase = pgTable(
  'organisation_case',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisation.id),
    id: uuid('id').notNull(),
    /** The school and pupil row the case was opened about. openedOn is the day the request was received. */
    schoolId: uuid('school_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    /** The child's unique pupil number: the same at every school they go to. */
    upn: text('upn').notNull(),
    kind: text('kind').$type<CaseKind>().notNull(),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    closedOn: date('closed_on', { mode: 'string' }),
    openedBy: uuid('opened_by').references(() => appUser.id),
    /** Where the case stands (ehc.ts EHC_STAGES or TOP_UP_STAGES, by kind). */
    stage: text('stage').$type<CaseStage>().notNull().default('received'),
    /** The school's request or application that opened it (ehc_request or top_up_application id). */
    requestId: uuid('request_id'),
    requestedBy: text('requested_by').$type<RequestedBy>(),
    /** The caseworker who holds the case (their reminders come to them). */
    caseworkerUserId: uuid('caseworker_user_id').references(() => appUser.id),
    /** The local authority's copy of what the school sent (the pack or the application), and its PDF. */
    received: jsonb('received'),
    receivedFileId: uuid('received_file_id'),
    /** Dates the clock needs from the plan's making (issue of the draft, of the final plan). */
    draftSentOn: date('draft_sent_on', { mode: 'string' }),
    finalIssuedOn: date('final_issued_on', { mode: 'string' }),
    closedReason: text('closed_reason'),
    /** The deadline the caseworker was last reminded of ("decide:2027-02-13"): one mail per deadline. */
    remindedFor: text('reminded_for'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    index('organisation_case_upn_idx').on(t.organisationId, t.upn),
    index('organisation_case_pupil_idx').on(t.organisationId, t.schoolId, t.pupilId),
    check('organisation_case_kind_check', sql`${t.kind} in ('ehc_needs_assessment', 'top_up_funding')`),
    // The caseload: open cases first, by the day received.
    index('organisation_case_caseload_idx').on(t.organisationId, t.closedOn, t.openedOn),
    check('organisation_case_dates_check', sql`${t.closedOn} is null or ${t.closedOn} >= ${t.openedOn}`),
  ],
);
