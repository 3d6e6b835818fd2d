import { sql } from 'drizzle-orm';
import {
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
import { pupilRef } from './pupils.ts';
import { school } from './schools.ts';

/**
 * One upload of pupils from the school's MIS: the file, the mapping of its columns, what the preview
 * found, and (once applied) when and by whom. The validated rows wait here between preview and
 * apply, so applying does not need the file again and applies exactly what was previewed.
 */
export const pupilImport = pgTable(
  'pupil_import',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => school.id),
    id: uuid('id').notNull(),
    fileName: text('file_name').notNull(),
    kind: text('kind').$type<'mis_csv' | 'ctf'>().notNull(),
    preset: text('preset'),
    encoding: text('encoding'),
    mapping: jsonb('mapping').$type<Record<string, string>>(),
    status: text('status').$type<'previewed' | 'applied' | 'discarded'>().notNull().default('previewed'),
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    /** The preview's validated changes, applied as they are. */
    plan: jsonb('plan').$type<unknown>(),
    uploadedBy: uuid('uploaded_by').references(() => appUser.id),
    uploadedByName: text('uploaded_by_name').notNull(),
    createdAt: createdAt(),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    index('pupil_import_school_idx').on(t.schoolId, t.createdAt),
  ],
);

/**
 * What an applied MIS import did to one pupil: added them, or changed these fields (their labels as
 * the preview showed them). Written in the same transaction as the change, so the pupil's chronology
 * reads the pupil's own import history through its index, never the audit trail (whose rows for a
 * pupil grow with every view of the record). The audit trail keeps its own rows of the same events.
 */
export const pupilImportChange = pgTable(
  'pupil_import_change',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    /** The import that did it (unknown only for a change carried over from an audit row without one). */
    importId: uuid('import_id'),
    kind: text('kind').$type<'added' | 'updated'>().notNull(),
    /** The changed fields' labels ("Class", "Attendance"); none for a pupil the import added. */
    fields: jsonb('fields').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    appliedBy: uuid('applied_by').references(() => appUser.id),
    appliedByName: text('applied_by_name').notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    foreignKey({ columns: [t.schoolId, t.importId], foreignColumns: [pupilImport.schoolId, pupilImport.id] }),
    index('pupil_import_change_pupil_idx').on(t.schoolId, t.pupilId, t.appliedAt),
  ],
);

/** Common Transfer Files made for leavers: their number (nnn in the DfE file name) and pupils. */
export const ctfExport = pgTable(
  'ctf_export',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => school.id),
    id: uuid('id').notNull(),
    sequence: integer('sequence').notNull(),
    fileName: text('file_name').notNull(),
    destination: text('destination'),
    pupilIds: jsonb('pupil_ids').$type<string[]>().notNull(),
    madeBy: uuid('made_by').references(() => appUser.id),
    madeByName: text('made_by_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    index('ctf_export_school_idx').on(t.schoolId, t.sequence),
  ],
);
