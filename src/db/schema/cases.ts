import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { CaseKind } from '../../domain/cases.ts';
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
    /** The school and pupil row the case was opened about. */
    schoolId: uuid('school_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    /** The child's unique pupil number: the same at every school they go to. */
    upn: text('upn').notNull(),
    kind: text('kind').$type<CaseKind>().notNull(),
    openedOn: date('opened_on', { mode: 'string' }).notNull(),
    closedOn: date('closed_on', { mode: 'string' }),
    openedBy: uuid('opened_by').references(() => appUser.id),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.id] }),
    index('organisation_case_upn_idx').on(t.organisationId, t.upn),
    index('organisation_case_pupil_idx').on(t.organisationId, t.schoolId, t.pupilId),
    check('organisation_case_kind_check', sql`${t.kind} in ('ehc_needs_assessment')`),
    check('organisation_case_dates_check', sql`${t.closedOn} is null or ${t.closedOn} >= ${t.openedOn}`),
  ],
);
