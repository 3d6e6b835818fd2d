import { and, desc, eq, lt, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  parentCarer,
  pupil,
  pupilClassMove,
  pupilImport,
  pupilImportChange,
  schoolClass,
} from '../db/schema/index.ts';
import type { ContactValues, ExistingParent, ExistingPupil, PupilValues } from '../domain/imports/plan.ts';

/*
 * Pupils in from the MIS: the upload and its plan, what a plan is compared with (every pupil, parent
 * and class of the school, each in one query), and the batch statements that apply it. No query per
 * pupil: updates go through jsonb_to_recordset in batches, each checking the version the preview saw.
 */

export type PupilImportRow = typeof pupilImport.$inferSelect;

export async function insertImport(db: Executor, values: typeof pupilImport.$inferInsert): Promise<void> {
  await db.insert(pupilImport).values(values);
}

/** An upload of the school's (of one kind, when given), locked for the transaction when asked. */
export async function findImport(
  db: Executor,
  schoolId: string,
  importId: string,
  options: { kind?: PupilImportRow['kind']; lock?: boolean } = {},
) {
  const query = db
    .select()
    .from(pupilImport)
    .where(
      and(
        eq(pupilImport.schoolId, schoolId),
        eq(pupilImport.id, importId),
        options.kind ? eq(pupilImport.kind, options.kind) : undefined,
      ),
    )
    .limit(1);
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

/** A new plan for an import still being previewed (its columns mapped again): false when it moved on. */
export async function replaceImportPlan(
  db: Executor,
  schoolId: string,
  importId: string,
  expectedVersion: number,
  values: Pick<PupilImportRow, 'mapping' | 'counts' | 'plan'>,
): Promise<boolean> {
  const rows = await db
    .update(pupilImport)
    .set({ ...values, version: sql`${pupilImport.version} + 1` })
    .where(
      and(
        eq(pupilImport.schoolId, schoolId),
        eq(pupilImport.id, importId),
        eq(pupilImport.version, expectedVersion),
        eq(pupilImport.status, 'previewed'),
      ),
    )
    .returning({ id: pupilImport.id });
  return rows.length === 1;
}

/**
 * Claim a previewed import for applying or discarding: only one person, once. The row stays locked to
 * the end of the transaction, so a second attempt waits and then finds it no longer previewed.
 */
export async function finishImport(
  db: Executor,
  schoolId: string,
  importId: string,
  expectedVersion: number,
  status: 'applied' | 'discarded',
  values: Partial<Pick<PupilImportRow, 'counts' | 'plan' | 'mapping'>> = {},
): Promise<boolean> {
  const rows = await db
    .update(pupilImport)
    .set({
      ...values,
      status,
      appliedAt: status === 'applied' ? sql`now()` : null,
      version: sql`${pupilImport.version} + 1`,
    })
    .where(
      and(
        eq(pupilImport.schoolId, schoolId),
        eq(pupilImport.id, importId),
        eq(pupilImport.version, expectedVersion),
        eq(pupilImport.status, 'previewed'),
      ),
    )
    .returning({ id: pupilImport.id });
  return rows.length === 1;
}

/**
 * Remove every school's uploads never applied (left at the preview, or discarded) made before this
 * moment: the rows of the file they hold go with them. Returns what was removed, for the audit trail.
 */
export async function removeUnappliedImports(db: Executor, before: Date) {
  return db
    .delete(pupilImport)
    .where(and(ne(pupilImport.status, 'applied'), lt(pupilImport.createdAt, before)))
    .returning({
      schoolId: pupilImport.schoolId,
      id: pupilImport.id,
      fileName: pupilImport.fileName,
      kind: pupilImport.kind,
      status: pupilImport.status,
    });
}

/** The school's latest uploads (of one kind, when given), without their plans. */
export async function recentImports(
  db: Executor,
  schoolId: string,
  options: { kind?: PupilImportRow['kind']; limit?: number } = {},
) {
  return db
    .select({
      id: pupilImport.id,
      fileName: pupilImport.fileName,
      kind: pupilImport.kind,
      status: pupilImport.status,
      counts: pupilImport.counts,
      uploadedByName: pupilImport.uploadedByName,
      createdAt: pupilImport.createdAt,
      appliedAt: pupilImport.appliedAt,
    })
    .from(pupilImport)
    .where(
      and(eq(pupilImport.schoolId, schoolId), options.kind ? eq(pupilImport.kind, options.kind) : undefined),
    )
    .orderBy(desc(pupilImport.createdAt))
    .limit(options.limit ?? 10);
}

const FLAG_COLUMNS = {
  pupilPremium: pupil.pupilPremium,
  freeSchoolMeals: pupil.freeSchoolMeals,
  lookedAfter: pupil.lookedAfter,
  previouslyLookedAfter: pupil.previouslyLookedAfter,
  eal: pupil.eal,
  serviceChild: pupil.serviceChild,
  youngCarer: pupil.youngCarer,
  medicalCondition: pupil.medicalCondition,
};

/** Every pupil of the school, leavers too, with what an import compares: one query. */
export async function pupilsForImport(db: Executor, schoolId: string): Promise<ExistingPupil[]> {
  return db
    .select({
      id: pupil.id,
      version: pupil.version,
      leftOn: pupil.leftOn,
      upn: pupil.upn,
      misId: pupil.misId,
      forename: pupil.forename,
      surname: pupil.surname,
      preferredName: pupil.preferredName,
      dateOfBirth: pupil.dateOfBirth,
      sex: pupil.sex,
      classId: pupil.classId,
      ncYearOverride: pupil.ncYearOverride,
      admissionDate: pupil.admissionDate,
      attendancePercent: pupil.attendancePercent,
      ...FLAG_COLUMNS,
    })
    .from(pupil)
    .where(eq(pupil.schoolId, schoolId));
}

/** The parents and carers of every pupil on roll: one query. */
export async function parentsForImport(db: Executor, schoolId: string): Promise<ExistingParent[]> {
  return db
    .select({
      id: parentCarer.id,
      pupilId: parentCarer.pupilId,
      version: parentCarer.version,
      name: parentCarer.name,
      relationship: parentCarer.relationship,
      phone: parentCarer.phone,
      email: parentCarer.email,
      parentalResponsibility: parentCarer.parentalResponsibility,
    })
    .from(parentCarer)
    .innerJoin(pupil, and(eq(pupil.schoolId, parentCarer.schoolId), eq(pupil.id, parentCarer.pupilId)))
    .where(and(eq(parentCarer.schoolId, schoolId), sql`${pupil.leftOn} is null`));
}

export async function classesForImport(db: Executor, schoolId: string) {
  const rows = await db
    .select({ id: schoolClass.id, name: schoolClass.name, archivedAt: schoolClass.archivedAt })
    .from(schoolClass)
    .where(eq(schoolClass.schoolId, schoolId));
  return rows.map((c) => ({ id: c.id, name: c.name, archived: c.archivedAt !== null }));
}

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/**
 * Lock the pupils an import changes or marks as left, for the rest of the transaction, and say where
 * each stands now (one query): the apply compares their versions with the preview's.
 */
export async function lockPupilsForImport(db: Executor, schoolId: string, pupilIds: readonly string[]) {
  if (pupilIds.length === 0) return [];
  const result = await db.execute(sql`
    select id::text as id, version, left_on::text as "leftOn", admission_date::text as "admissionDate",
      date_of_birth::text as "dateOfBirth", forename, surname
    from ${pupil}
    where school_id = ${schoolId} and id = any(${`{${pupilIds.join(',')}}`}::uuid[])
    order by id
    for update`);
  return rowsOf<{
    id: string;
    version: number;
    leftOn: string | null;
    admissionDate: string | null;
    dateOfBirth: string;
    forename: string;
    surname: string;
  }>(result);
}

const BATCH = 2000;

const snake = (values: PupilValues) => ({
  upn: values.upn,
  mis_id: values.misId,
  forename: values.forename,
  surname: values.surname,
  preferred_name: values.preferredName,
  date_of_birth: values.dateOfBirth,
  sex: values.sex,
  class_id: values.classId,
  nc_year_override: values.ncYearOverride,
  admission_date: values.admissionDate,
  attendance_percent: values.attendancePercent,
  pupil_premium: values.pupilPremium,
  free_school_meals: values.freeSchoolMeals,
  looked_after: values.lookedAfter,
  previously_looked_after: values.previouslyLookedAfter,
  eal: values.eal,
  service_child: values.serviceChild,
  young_carer: values.youngCarer,
  medical_condition: values.medicalCondition,
});

/**
 * New values for many pupils, in batches of one statement each; a pupil whose version moved on since
 * the preview is not changed. Returns how many were changed.
 */
export async function updatePupilsFromImport(
  db: Executor,
  schoolId: string,
  updates: readonly { pupilId: string; version: number; values: PupilValues }[],
): Promise<number> {
  let changed = 0;
  for (let i = 0; i < updates.length; i += BATCH) {
    const batch = updates
      .slice(i, i + BATCH)
      .map((u) => ({ id: u.pupilId, version: u.version, ...snake(u.values) }));
    const result = await db.execute(sql`
      update ${pupil} as p set
        upn = v.upn, mis_id = v.mis_id, forename = v.forename, surname = v.surname,
        preferred_name = v.preferred_name, date_of_birth = v.date_of_birth, sex = v.sex,
        class_id = v.class_id, nc_year_override = v.nc_year_override, admission_date = v.admission_date,
        attendance_percent = v.attendance_percent, pupil_premium = v.pupil_premium,
        free_school_meals = v.free_school_meals, looked_after = v.looked_after,
        previously_looked_after = v.previously_looked_after, eal = v.eal, service_child = v.service_child,
        young_carer = v.young_carer, medical_condition = v.medical_condition,
        version = p.version + 1, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as v(
        id uuid, version int, upn text, mis_id text, forename text, surname text, preferred_name text,
        date_of_birth date, sex text, class_id uuid, nc_year_override smallint, admission_date date,
        attendance_percent numeric, pupil_premium boolean, free_school_meals boolean, looked_after boolean,
        previously_looked_after boolean, eal boolean, service_child boolean, young_carer boolean,
        medical_condition boolean)
      where p.school_id = ${schoolId} and p.id = v.id and p.version = v.version and p.left_on is null
      returning p.id`);
    changed += rowsOf(result).length;
  }
  return changed;
}

/** New pupils in batches (their search terms are kept by the database). */
export async function insertPupilsFromImport(
  db: Executor,
  schoolId: string,
  pupils: readonly { id: string; values: PupilValues }[],
): Promise<void> {
  for (let i = 0; i < pupils.length; i += BATCH) {
    const batch = pupils.slice(i, i + BATCH).map((p) => ({ id: p.id, ...snake(p.values) }));
    await db.execute(sql`
      insert into ${pupil} (school_id, id, upn, mis_id, forename, surname, preferred_name, date_of_birth, sex,
        class_id, nc_year_override, admission_date, attendance_percent, pupil_premium, free_school_meals,
        looked_after, previously_looked_after, eal, service_child, young_carer, medical_condition)
      select ${schoolId}, v.id, v.upn, v.mis_id, v.forename, v.surname, v.preferred_name, v.date_of_birth, v.sex,
        v.class_id, v.nc_year_override, v.admission_date, v.attendance_percent, v.pupil_premium,
        v.free_school_meals, v.looked_after, v.previously_looked_after, v.eal, v.service_child, v.young_carer,
        v.medical_condition
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as v(
        id uuid, upn text, mis_id text, forename text, surname text, preferred_name text, date_of_birth date,
        sex text, class_id uuid, nc_year_override smallint, admission_date date, attendance_percent numeric,
        pupil_premium boolean, free_school_meals boolean, looked_after boolean, previously_looked_after boolean,
        eal boolean, service_child boolean, young_carer boolean, medical_condition boolean)`);
  }
}

export interface ImportedParent extends ContactValues {
  id: string;
  pupilId: string;
  contactPriority: number;
}

export async function insertParentsFromImport(
  db: Executor,
  schoolId: string,
  parents: readonly ImportedParent[],
): Promise<void> {
  for (let i = 0; i < parents.length; i += BATCH) {
    const batch = parents.slice(i, i + BATCH).map((p) => ({
      id: p.id,
      pupil_id: p.pupilId,
      name: p.name,
      relationship: p.relationship,
      phone: p.phone,
      email: p.email,
      parental_responsibility: p.parentalResponsibility,
      contact_priority: p.contactPriority,
    }));
    await db.execute(sql`
      insert into ${parentCarer} (school_id, id, pupil_id, name, relationship, phone, email,
        parental_responsibility, contact_priority)
      select ${schoolId}, v.id, v.pupil_id, v.name, v.relationship, v.phone, v.email, v.parental_responsibility,
        v.contact_priority
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as v(id uuid, pupil_id uuid, name text,
        relationship text, phone text, email text, parental_responsibility boolean, contact_priority smallint)`);
  }
}

/** Parents and carers' new details, each only if its version is still the preview's: how many changed. */
export async function updateParentsFromImport(
  db: Executor,
  schoolId: string,
  updates: readonly { parentId: string; version: number; values: ContactValues }[],
): Promise<number> {
  let changed = 0;
  for (let i = 0; i < updates.length; i += BATCH) {
    const batch = updates.slice(i, i + BATCH).map((u) => ({
      id: u.parentId,
      version: u.version,
      relationship: u.values.relationship,
      phone: u.values.phone,
      email: u.values.email,
      parental_responsibility: u.values.parentalResponsibility,
    }));
    const result = await db.execute(sql`
      update ${parentCarer} as c set relationship = v.relationship, phone = v.phone, email = v.email,
        parental_responsibility = v.parental_responsibility, version = c.version + 1
      from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as v(id uuid, version int, relationship text,
        phone text, email text, parental_responsibility boolean)
      where c.school_id = ${schoolId} and c.id = v.id and c.version = v.version
      returning c.id`);
    changed += rowsOf(result).length;
  }
  return changed;
}

export async function insertClassMoves(db: Executor, moves: (typeof pupilClassMove.$inferInsert)[]) {
  for (let i = 0; i < moves.length; i += 1000)
    await db.insert(pupilClassMove).values(moves.slice(i, i + 1000));
}

/** Pupils who have left (their record is kept, read-only): how many were marked. */
export async function markPupilsLeft(
  db: Executor,
  schoolId: string,
  pupilIds: readonly string[],
  leftOn: string,
): Promise<number> {
  if (pupilIds.length === 0) return 0;
  const result = await db.execute(sql`
    update ${pupil} set left_on = ${leftOn}, version = version + 1, updated_at = now()
    where school_id = ${schoolId} and id = any(${`{${pupilIds.join(',')}}`}::uuid[]) and left_on is null
    returning id`);
  return rowsOf(result).length;
}

export type ImportChangeInsert = typeof pupilImportChange.$inferInsert;

/** What an import did to each pupil (see `pupilImportChange`), in the import's own transaction. */
export async function insertImportChanges(
  db: Executor,
  values: readonly ImportChangeInsert[],
): Promise<void> {
  for (let i = 0; i < values.length; i += 1000)
    await db.insert(pupilImportChange).values(values.slice(i, i + 1000));
}

/**
 * The pupil's record fragment (see pupil-record.ts): when their details came in from the MIS, who
 * applied it and which fields changed. It reads the pupil's own import history by its index, never the
 * audit trail: its cost does not grow with how often the record was seen.
 */
export interface ImportHistoryItem {
  action: 'pupil.updated_from_import' | 'pupil.created_from_import';
  date: string;
  byName: string;
  labels: string[];
}
export const importHistoryFragment = {
  section: 'identity' as const,
  json: sql<ImportHistoryItem[] | string>`select json_agg(json_build_object(
      'action', case ${pupilImportChange.kind} when 'added' then 'pupil.created_from_import' else 'pupil.updated_from_import' end,
      'date', to_char(${pupilImportChange.appliedAt} at time zone 'Europe/London', 'YYYY-MM-DD'),
      'byName', ${pupilImportChange.appliedByName},
      'labels', ${pupilImportChange.fields})
    order by ${pupilImportChange.appliedAt} desc, ${pupilImportChange.id})
    from ${pupilImportChange}
    where ${pupilImportChange.schoolId} = ${pupil.schoolId} and ${pupilImportChange.pupilId} = ${pupil.id}`,
};
