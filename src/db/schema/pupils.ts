import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { NeedCode } from '../../domain/census.ts';
import type { SenStage } from '../../domain/register.ts';
import { createdAt } from './common.ts';
import { membership } from './people.ts';
import { school, schoolClass } from './schools.ts';

export const pupil = pgTable(
  'pupil',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => school.id),
    id: uuid('id').notNull(),
    upn: text('upn').notNull(),
    forename: text('forename').notNull(),
    surname: text('surname').notNull(),
    preferredName: text('preferred_name'),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    sex: text('sex').$type<'female' | 'male'>().notNull(),
    classId: uuid('class_id'),
    ncYearOverride: smallint('nc_year_override'),
    admissionDate: date('admission_date', { mode: 'string' }),
    pupilPremium: boolean('pupil_premium').notNull().default(false),
    freeSchoolMeals: boolean('free_school_meals').notNull().default(false),
    lookedAfter: boolean('looked_after').notNull().default(false),
    previouslyLookedAfter: boolean('previously_looked_after').notNull().default(false),
    eal: boolean('eal').notNull().default(false),
    serviceChild: boolean('service_child').notNull().default(false),
    youngCarer: boolean('young_carer').notNull().default(false),
    medicalCondition: boolean('medical_condition').notNull().default(false),
    medicalNotes: text('medical_notes'),
    attendancePercent: numeric('attendance_percent', { precision: 4, scale: 1, mode: 'number' }),
    /** The MIS's own id for the pupil, when an import gave one (matched before name and birth date). */
    misId: text('mis_id'),
    /** Left the school: the date, and where they went (their record is then read-only). */
    leftOn: date('left_on', { mode: 'string' }),
    destination: text('destination'),
    destinationUrn: text('destination_urn'),
    senStage: text('sen_stage').$type<SenStage>().notNull().default('none'),
    primaryNeed: text('primary_need').$type<NeedCode>(),
    secondaryNeed: text('secondary_need').$type<NeedCode>(),
    /**
     * Erased past its retention date (domain/retention.ts): the row stays as a tombstone with no name,
     * date of birth, UPN or contact (placeholders where a column needs a value), so that the audit trail
     * still names a pupil that exists and "what happened to this record" is answered by its id.
     */
    erasedAt: timestamp('erased_at', { withTimezone: true }),
    erasedBy: uuid('erased_by'),
    erasedByName: text('erased_by_name'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    uniqueIndex('pupil_upn_key').on(t.schoolId, t.upn),
    index('pupil_name_idx').on(t.schoolId, t.surname, t.forename),
    index('pupil_class_idx').on(t.schoolId, t.classId),
    index('pupil_stage_idx').on(t.schoolId, t.senStage).where(sql`${t.senStage} <> 'none'`),
    index('pupil_on_roll_idx').on(t.schoolId, t.surname, t.forename).where(sql`${t.leftOn} is null`),
    // Which school owns an id someone asked for (a probe from another school is recorded there).
    index('pupil_id_idx').on(t.id),
    foreignKey({ columns: [t.schoolId, t.classId], foreignColumns: [schoolClass.schoolId, schoolClass.id] }),
    check('pupil_stage_check', sql`${t.senStage} in ('none', 'monitoring', 'sen_support', 'ehc_plan')`),
    check(
      'pupil_need_stage_check',
      sql`${t.primaryNeed} is null or ${t.senStage} in ('sen_support', 'ehc_plan')`,
    ),
    check(
      'pupil_need_required_check',
      sql`${t.senStage} not in ('sen_support', 'ehc_plan') or ${t.primaryNeed} is not null`,
    ),
    check(
      'pupil_secondary_need_check',
      sql`${t.secondaryNeed} is null or (${t.primaryNeed} is not null and ${t.secondaryNeed} <> ${t.primaryNeed} and ${t.secondaryNeed} <> 'NSA')`,
    ),
    check('pupil_nsa_check', sql`${t.primaryNeed} is distinct from 'NSA' or ${t.senStage} = 'sen_support'`),
  ],
);

/** A row that belongs to a pupil points at them by (school_id, pupil_id): it cannot cross schools. */
export const pupilRef = (t: { schoolId: AnyPgColumn; pupilId: AnyPgColumn }) =>
  foreignKey({ columns: [t.schoolId, t.pupilId], foreignColumns: [pupil.schoolId, pupil.id] });

/** Pupils the SENCo assigns to a member of staff (a teaching assistant's 1:1 pupils, say). */
export const pupilAssignment = pgTable(
  'pupil_assignment',
  {
    schoolId: uuid('school_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    userId: uuid('user_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.pupilId, t.userId] }),
    pupilRef(t),
    foreignKey({
      columns: [t.schoolId, t.userId],
      foreignColumns: [membership.schoolId, membership.userId],
    }).onDelete('cascade'),
    index('pupil_assignment_user_idx').on(t.schoolId, t.userId),
  ],
);

export const parentCarer = pgTable(
  'parent_carer',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    name: text('name').notNull(),
    relationship: text('relationship').notNull(),
    phone: text('phone'),
    email: text('email'),
    parentalResponsibility: boolean('parental_responsibility').notNull().default(true),
    /** A court order restricts this person: they get no access to the pupil's record through OpenSEND. */
    courtOrder: boolean('court_order').notNull().default(false),
    contactPriority: smallint('contact_priority').notNull().default(1),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('parent_carer_pupil_idx').on(t.schoolId, t.pupilId),
    index('parent_carer_id_idx').on(t.id),
  ],
);

/**
 * The parts of a pupil's names, normalised (no accents, no apostrophes or hyphens, lower case), one
 * row each: "Zoë O’Brien-Smith" gives zoe, obrien, smith, obriensmith. A search for what someone
 * typed is a prefix match on this index, never a scan of names.
 */
export const pupilSearchTerm = pgTable(
  'pupil_search_term',
  {
    schoolId: uuid('school_id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    term: text('term').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.pupilId, t.term] }),
    pupilRef(t),
    index('pupil_search_term_idx').using('btree', t.schoolId, t.term.op('text_pattern_ops')),
  ],
);

/** A pupil's moves between classes, dated: the pupil's chronology shows them. */
export const pupilClassMove = pgTable(
  'pupil_class_move',
  {
    schoolId: uuid('school_id').notNull(),
    id: uuid('id').notNull(),
    pupilId: uuid('pupil_id').notNull(),
    fromClassId: uuid('from_class_id'),
    toClassId: uuid('to_class_id'),
    movedOn: date('moved_on', { mode: 'string' }).notNull(),
    source: text('source').$type<'class_change' | 'roll_over' | 'mis_import' | 'ctf_import'>().notNull(),
    movedBy: uuid('moved_by'),
    movedByName: text('moved_by_name').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.schoolId, t.id] }),
    pupilRef(t),
    index('pupil_class_move_pupil_idx').on(t.schoolId, t.pupilId, t.movedOn),
  ],
);
