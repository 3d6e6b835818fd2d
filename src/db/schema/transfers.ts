import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './common.ts';
import { appUser } from './people.ts';
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
