import {
  foreignKey,
  index,
  pgTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt } from './common.ts';
import { membership } from './people.ts';

export const organisation = pgTable('organisation', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').$type<'local_authority' | 'trust'>().notNull(),
  createdAt: createdAt(),
});

export const school = pgTable(
  'school',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id').references(() => organisation.id),
    name: text('name').notNull(),
    urn: text('urn').notNull(),
    laCode: text('la_code').notNull(),
    establishmentNumber: text('establishment_number').notNull(),
    phase: text('phase').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('school_urn_key').on(t.urn), index('school_organisation_idx').on(t.organisationId)],
);

export const schoolClass = pgTable(
  'school_class',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => school.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    ncYear: smallint('nc_year'),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    uniqueIndex('school_class_name_key').on(t.schoolId, t.name),
  ],
);

export const classTeacher = pgTable(
  'class_teacher',
  {
    schoolId: uuid('school_id').notNull(),
    classId: uuid('class_id').notNull(),
    userId: uuid('user_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.classId, t.userId] }),
    foreignKey({ columns: [t.schoolId, t.classId], foreignColumns: [schoolClass.schoolId, schoolClass.id] }),
    foreignKey({
      columns: [t.schoolId, t.userId],
      foreignColumns: [membership.schoolId, membership.userId],
    }).onDelete('cascade'),
    index('class_teacher_user_idx').on(t.schoolId, t.userId),
  ],
);
