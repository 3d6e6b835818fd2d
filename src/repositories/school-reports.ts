import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  complaint,
  pupil,
  registerEntry,
  schoolReport,
  sencoAppointment,
  staffTraining,
} from '../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { SchoolReportKind } from '../domain/school-reports.ts';

/** The school's two SEN reports, and the counts they draw from live data: always inside one school. */

export type SchoolReportRow = typeof schoolReport.$inferSelect;

export async function findSchoolReport(
  db: Executor,
  schoolId: string,
  reportId: string,
  options: { lock?: boolean } = {},
): Promise<SchoolReportRow | undefined> {
  const query = db
    .select()
    .from(schoolReport)
    .where(and(eq(schoolReport.schoolId, schoolId), eq(schoolReport.id, reportId)));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}

export async function findSchoolReportOf(
  db: Executor,
  schoolId: string,
  kind: SchoolReportKind,
  academicYear: number,
): Promise<SchoolReportRow | undefined> {
  const [row] = await db
    .select()
    .from(schoolReport)
    .where(
      and(
        eq(schoolReport.schoolId, schoolId),
        eq(schoolReport.kind, kind),
        eq(schoolReport.academicYear, academicYear),
      ),
    );
  return row;
}

export async function schoolReportsOf(db: Executor, schoolId: string) {
  return db
    .select({
      id: schoolReport.id,
      kind: schoolReport.kind,
      academicYear: schoolReport.academicYear,
      texts: schoolReport.texts,
      publishedAt: schoolReport.publishedAt,
      updatedAt: schoolReport.updatedAt,
      updatedByName: schoolReport.updatedByName,
    })
    .from(schoolReport)
    .where(eq(schoolReport.schoolId, schoolId))
    .orderBy(desc(schoolReport.academicYear), asc(schoolReport.kind));
}

/** A new draft; none when the school already has one of this kind for the year (its id is returned). */
export async function insertSchoolReport(
  db: Executor,
  values: typeof schoolReport.$inferInsert,
): Promise<string> {
  const [row] = await db
    .insert(schoolReport)
    .values(values)
    .onConflictDoNothing({ target: [schoolReport.schoolId, schoolReport.kind, schoolReport.academicYear] })
    .returning({ id: schoolReport.id });
  if (row) return row.id;
  const found = await findSchoolReportOf(db, values.schoolId, values.kind, values.academicYear);
  return found?.id ?? values.id;
}

/** The school's words saved over the version read; 0 rows when someone else saved first. */
export async function updateSchoolReportTexts(
  db: Executor,
  schoolId: string,
  reportId: string,
  version: number,
  values: { texts: Record<string, string>; updatedBy: string; updatedByName: string },
): Promise<number> {
  const rows = await db
    .update(schoolReport)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${schoolReport.version} + 1` })
    .where(
      and(
        eq(schoolReport.schoolId, schoolId),
        eq(schoolReport.id, reportId),
        eq(schoolReport.version, version),
      ),
    )
    .returning({ id: schoolReport.id });
  return rows.length;
}

export async function publishSchoolReport(
  db: Executor,
  schoolId: string,
  reportId: string,
  version: number,
  values: { published: unknown; publishedBy: string; publishedAt?: Date },
): Promise<number> {
  const rows = await db
    .update(schoolReport)
    .set({
      published: values.published,
      publishedBy: values.publishedBy,
      publishedAt: values.publishedAt ?? sql`now()`,
      version: sql`${schoolReport.version} + 1`,
    })
    .where(
      and(
        eq(schoolReport.schoolId, schoolId),
        eq(schoolReport.id, reportId),
        eq(schoolReport.version, version),
        isNull(schoolReport.publishedAt),
      ),
    )
    .returning({ id: schoolReport.id });
  return rows.length;
}

/** Every pupil the school has had, with the dates they were on roll and their stage now (no names). */
export async function pupilsForHistory(db: Executor, schoolId: string) {
  return db
    .select({
      id: pupil.id,
      admissionDate: pupil.admissionDate,
      leftOn: pupil.leftOn,
      senStage: pupil.senStage,
      primaryNeed: pupil.primaryNeed,
    })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), isNull(pupil.erasedAt)));
}

/** Every change to the register of the school, oldest first (no names). */
export async function registerChangesOfSchool(db: Executor, schoolId: string) {
  return db
    .select({
      pupilId: registerEntry.pupilId,
      effectiveDate: registerEntry.effectiveDate,
      fromStage: registerEntry.fromStage,
      stage: registerEntry.stage,
      primaryNeed: registerEntry.primaryNeed,
    })
    .from(registerEntry)
    .where(eq(registerEntry.schoolId, schoolId))
    .orderBy(asc(registerEntry.effectiveDate), asc(registerEntry.recordedAt));
}

/** Complaints received in a period, counted by kind, the stage reached, status and outcome. */
export async function complaintCounts(db: Executor, schoolId: string, from: IsoDate, to: IsoDate) {
  return db
    .select({
      kind: complaint.kind,
      stage: complaint.stage,
      status: complaint.status,
      outcome: complaint.outcome,
      n: sql<number>`count(*)::int`,
    })
    .from(complaint)
    .where(
      and(eq(complaint.schoolId, schoolId), gte(complaint.receivedOn, from), lte(complaint.receivedOn, to)),
    )
    .groupBy(complaint.kind, complaint.stage, complaint.status, complaint.outcome);
}

/** Training done in a period, by area of need: sessions, people trained and hours. */
export async function trainingCounts(db: Executor, schoolId: string, from: IsoDate, to: IsoDate) {
  return db
    .select({
      needArea: staffTraining.needArea,
      sessions: sql<number>`count(*)::int`,
      people: sql<number>`count(distinct ${staffTraining.userId})::int`,
      hours: sql<number>`coalesce(sum(${staffTraining.hours}), 0)::float8`,
    })
    .from(staffTraining)
    .where(
      and(
        eq(staffTraining.schoolId, schoolId),
        gte(staffTraining.completedOn, from),
        lte(staffTraining.completedOn, to),
      ),
    )
    .groupBy(staffTraining.needArea);
}

/** The people trained in a period (each once), for the whole-school total. */
export async function peopleTrained(db: Executor, schoolId: string, from: IsoDate, to: IsoDate) {
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${staffTraining.userId})::int` })
    .from(staffTraining)
    .where(
      and(
        eq(staffTraining.schoolId, schoolId),
        gte(staffTraining.completedOn, from),
        lte(staffTraining.completedOn, to),
      ),
    );
  return row?.n ?? 0;
}

/** The SENCO in post (the latest appointment not ended), with their name and qualification. */
export async function currentSenco(db: Executor, schoolId: string) {
  const [row] = await db
    .select({
      name: appUser.name,
      email: appUser.email,
      appointedOn: sencoAppointment.appointedOn,
      qualification: sencoAppointment.qualification,
      achievedOn: sencoAppointment.achievedOn,
    })
    .from(sencoAppointment)
    .innerJoin(appUser, eq(appUser.id, sencoAppointment.userId))
    .where(and(eq(sencoAppointment.schoolId, schoolId), isNull(sencoAppointment.endedOn)))
    .orderBy(desc(sencoAppointment.appointedOn))
    .limit(1);
  return row ?? null;
}

/** Each school's latest published governors' annual SEN report (its frozen figures), for an organisation. */
export async function latestPublishedGovernorsReports(db: Executor, schoolIds: readonly string[]) {
  if (schoolIds.length === 0) return [];
  const rows = await db
    .selectDistinctOn([schoolReport.schoolId], {
      schoolId: schoolReport.schoolId,
      academicYear: schoolReport.academicYear,
      published: schoolReport.published,
    })
    .from(schoolReport)
    .where(
      and(
        inArray(schoolReport.schoolId, [...schoolIds]),
        eq(schoolReport.kind, 'governors_annual'),
        isNotNull(schoolReport.publishedAt),
      ),
    )
    .orderBy(schoolReport.schoolId, desc(schoolReport.academicYear));
  return rows;
}

/** The names of every pupil the school has held, to check that a report names none of them. */
export async function pupilNamesOfSchool(tx: Executor, schoolId: string) {
  return tx
    .select({ forename: pupil.forename, surname: pupil.surname, preferredName: pupil.preferredName })
    .from(pupil)
    .where(eq(pupil.schoolId, schoolId));
}
