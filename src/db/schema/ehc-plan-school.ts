import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { provisionGroup } from './provision.ts';
import { pupilRef } from './pupils.ts';

/*
 * The school's side of an EHC plan (docs/adr/0038): which of the school's provision groups delivers an
 * item of provision in section F of a pupil's plan, so the provision the plan requires stands beside
 * what the pupil receives and "required but not delivered" is found. The plan is the local authority's
 * (organisation and plan id, no foreign key across owners) or the school's summary of one from another
 * authority; the item is named by its id in the plan, stable across versions.
 */
export const ehcProvisionLink = pgTable(
  'ehc_provision_link',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    /** The authority's plan (its organisation and id), or the school's summary of a plan. */
    organisationId: uuid('organisation_id'),
    planId: uuid('plan_id'),
    summaryId: uuid('summary_id'),
    /** The item of provision in section F, by its id in the plan. */
    provisionId: text('provision_id').notNull(),
    groupId: uuid('group_id').notNull(),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdByName: text('created_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.groupId],
      foreignColumns: [provisionGroup.schoolId, provisionGroup.id],
    }),
    index('ehc_provision_link_pupil_idx').on(t.schoolId, t.pupilId),
    uniqueIndex('ehc_provision_link_key').on(
      t.schoolId,
      t.pupilId,
      sql`coalesce(${t.planId}, ${t.summaryId})`,
      t.provisionId,
      t.groupId,
    ),
    check(
      'ehc_provision_link_plan_check',
      sql`(${t.planId} is not null and ${t.organisationId} is not null and ${t.summaryId} is null) or (${t.planId} is null and ${t.summaryId} is not null)`,
    ),
  ],
);
