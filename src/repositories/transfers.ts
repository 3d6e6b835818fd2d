import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  ctfExport,
  parentCarer,
  pupil,
  type pupilImport,
  registerEntry,
  school,
} from '../db/schema/index.ts';
import type { AccessScope } from '../domain/access.ts';
import type { NeedCode } from '../domain/census.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { SenStage } from '../domain/register.ts';
import { sectionCondition } from './access.ts';

/** Pupils in and out of the school: Common Transfer Files, their imports and exports, and leavers. */

export type PupilImportRow = typeof pupilImport.$inferSelect;
export type CtfExportRow = typeof ctfExport.$inferSelect;

/** The school's row, locked to the end of the transaction: one file number at a time per school. */
export async function lockSchool(db: Executor, schoolId: string) {
  const rows = await db.select().from(school).where(eq(school.id, schoolId)).for('update');
  return rows[0] ?? null;
}

export async function nextCtfSequence(db: Executor, schoolId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`coalesce(max(${ctfExport.sequence}), 0)::int + 1` })
    .from(ctfExport)
    .where(eq(ctfExport.schoolId, schoolId));
  return rows[0]?.n ?? 1;
}

export async function insertCtfExport(db: Executor, values: typeof ctfExport.$inferInsert) {
  await db.insert(ctfExport).values(values);
}

export async function findCtfExport(db: Executor, schoolId: string, id: string) {
  const rows = await db
    .select()
    .from(ctfExport)
    .where(and(eq(ctfExport.schoolId, schoolId), eq(ctfExport.id, id)))
    .limit(1);
  return rows[0] ?? null;
}

export async function recentCtfExports(db: Executor, schoolId: string, limit = 20) {
  return db
    .select()
    .from(ctfExport)
    .where(eq(ctfExport.schoolId, schoolId))
    .orderBy(desc(ctfExport.sequence))
    .limit(limit);
}

/** Schools using this OpenSEND with these URNs (public numbers: their DfE numbers for a CTF). */
export async function schoolsByUrn(db: Executor, urns: string[]) {
  if (urns.length === 0) return [];
  return db
    .select({ urn: school.urn, laCode: school.laCode, establishmentNumber: school.establishmentNumber })
    .from(school)
    .where(inArray(school.urn, urns));
}

/** Pupils of the school with these UPNs (on roll or not), to match a file against. */
export async function pupilsByUpn(db: Executor, schoolId: string, upns: string[]) {
  if (upns.length === 0) return [];
  return db
    .select({
      id: pupil.id,
      upn: pupil.upn,
      forename: pupil.forename,
      surname: pupil.surname,
      dateOfBirth: pupil.dateOfBirth,
      leftOn: pupil.leftOn,
      senStage: pupil.senStage,
      version: pupil.version,
    })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), inArray(pupil.upn, upns)));
}

/** Pupils of the school by id, locked for the rest of the transaction. */
export async function lockPupils(db: Executor, schoolId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), inArray(pupil.id, ids)))
    .orderBy(asc(pupil.id))
    .for('update');
}

export interface RegisterHistoryRow {
  pupilId: string;
  effectiveDate: IsoDate;
  stage: SenStage;
  primaryNeed: NeedCode | null;
  secondaryNeed: NeedCode | null;
  source: string;
}

/** The register history of several pupils, oldest first. */
export async function registerHistoryOfPupils(
  db: Executor,
  schoolId: string,
  pupilIds: string[],
): Promise<RegisterHistoryRow[]> {
  if (pupilIds.length === 0) return [];
  return db
    .select({
      pupilId: registerEntry.pupilId,
      effectiveDate: registerEntry.effectiveDate,
      stage: registerEntry.stage,
      primaryNeed: registerEntry.primaryNeed,
      secondaryNeed: registerEntry.secondaryNeed,
      source: registerEntry.source,
    })
    .from(registerEntry)
    .where(and(eq(registerEntry.schoolId, schoolId), inArray(registerEntry.pupilId, pupilIds)))
    .orderBy(asc(registerEntry.pupilId), asc(registerEntry.effectiveDate), asc(registerEntry.recordedAt));
}

/** Several pupils' register positions at once (one statement). */
export async function setRegisterPositions(
  db: Executor,
  schoolId: string,
  rows: { pupilId: string; stage: SenStage; primaryNeed: NeedCode | null; secondaryNeed: NeedCode | null }[],
) {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map((r) => sql`(${r.pupilId}::uuid, ${r.stage}, ${r.primaryNeed}, ${r.secondaryNeed})`),
    sql`, `,
  );
  await db.execute(sql`update ${pupil} set sen_stage = v.stage, primary_need = v.primary_need,
    secondary_need = v.secondary_need, version = ${pupil.version} + 1, updated_at = now()
    from (values ${values}) as v(id, stage, primary_need, secondary_need)
    where ${pupil.schoolId} = ${schoolId} and ${pupil.id} = v.id`);
}

/** Record that a pupil left, if nobody changed them since `expectedVersion`. */
export async function markPupilLeft(
  db: Executor,
  schoolId: string,
  pupilId: string,
  expectedVersion: number,
  values: { leftOn: IsoDate; destination: string | null; destinationUrn: string | null },
): Promise<boolean> {
  const rows = await db
    .update(pupil)
    .set({ ...values, version: sql`${pupil.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(pupil.schoolId, schoolId), eq(pupil.id, pupilId), eq(pupil.version, expectedVersion)))
    .returning({ id: pupil.id });
  return rows.length === 1;
}

/** Was the pupil ever at SEN support or on an EHC plan (now or in their history)? */
export async function everOnSenRegister(db: Executor, schoolId: string, pupilId: string): Promise<boolean> {
  const rows = await db
    .select({
      // Column names written out with their table: inside a select, drizzle names a column without it
      // (and "pupil_id" = "id" would compare the register entry's own columns).
      ever: sql<boolean>`(pupil.sen_stage in ('sen_support', 'ehc_plan') or exists (select 1 from register_entry re
        where re.school_id = pupil.school_id and re.pupil_id = pupil.id and re.stage in ('sen_support', 'ehc_plan')))`,
    })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), eq(pupil.id, pupilId)));
  return Boolean(rows[0]?.ever);
}

/** Leavers whose SEN record the actor reaches, most recent first (the list to make a CTF from). */
export async function leaversList(db: Executor, scope: AccessScope, since: IsoDate, limit = 300) {
  return db
    .select({
      id: pupil.id,
      upn: pupil.upn,
      forename: pupil.forename,
      surname: pupil.surname,
      dateOfBirth: pupil.dateOfBirth,
      leftOn: pupil.leftOn,
      destination: pupil.destination,
      destinationUrn: pupil.destinationUrn,
      senStage: pupil.senStage,
      lastCtf: sql<string | null>`(select max(${ctfExport.createdAt})::text from ${ctfExport}
        where ${ctfExport.schoolId} = ${pupil.schoolId} and ${ctfExport.pupilIds} @> jsonb_build_array(${pupil.id}::text))`,
    })
    .from(pupil)
    .where(
      and(
        sectionCondition(scope, 'register'),
        isNotNull(pupil.leftOn),
        isNull(pupil.erasedAt),
        gte(pupil.leftOn, since),
      ),
    )
    .orderBy(desc(pupil.leftOn), asc(pupil.surname), asc(pupil.forename))
    .limit(limit);
}

/** Leavers by id or UPN whose SEN record the actor reaches. */
export async function leaversFor(db: Executor, scope: AccessScope, by: { ids?: string[]; upns?: string[] }) {
  const ids = by.ids ?? [];
  const upns = by.upns ?? [];
  if (ids.length === 0 && upns.length === 0) return [];
  return db
    .select()
    .from(pupil)
    .where(
      and(
        sectionCondition(scope, 'register'),
        isNotNull(pupil.leftOn),
        isNull(pupil.erasedAt),
        ids.length > 0 ? inArray(pupil.id, ids) : inArray(pupil.upn, upns),
      ),
    )
    .orderBy(asc(pupil.surname), asc(pupil.forename));
}

export async function parentsOfPupils(db: Executor, schoolId: string, pupilIds: string[]) {
  if (pupilIds.length === 0) return [];
  return db
    .select()
    .from(parentCarer)
    .where(and(eq(parentCarer.schoolId, schoolId), inArray(parentCarer.pupilId, pupilIds)))
    .orderBy(asc(parentCarer.pupilId), asc(parentCarer.contactPriority), asc(parentCarer.name));
}

/** The record fragment this repository owns (see pupil-record.ts): the CTFs made for the pupil. */
export interface CtfExportItem {
  createdAt: string;
  destination: string | null;
  fileName: string;
  madeByName: string;
}
export const ctfExportsFragment = {
  section: 'register' as const,
  json: sql<CtfExportItem[] | string>`select json_agg(json_build_object(
    'createdAt', ${ctfExport.createdAt}, 'destination', ${ctfExport.destination}, 'fileName', ${ctfExport.fileName},
    'madeByName', ${ctfExport.madeByName}) order by ${ctfExport.createdAt} desc)
    from ${ctfExport} where ${ctfExport.schoolId} = ${pupil.schoolId} and ${ctfExport.pupilIds} @> jsonb_build_array(${pupil.id}::text)`,
};
