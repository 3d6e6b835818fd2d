import { and, asc, desc, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  membership,
  sencoAppointment,
  staffTraining,
  trainingPlanItem,
} from '../db/schema/index.ts';

/** Staff training, the school's training plan and its SENCOs' appointments: always inside one school. */

export type StaffTrainingRow = typeof staffTraining.$inferSelect;
export type TrainingPlanItemRow = typeof trainingPlanItem.$inferSelect;
export type SencoAppointmentRow = typeof sencoAppointment.$inferSelect;

const trainingColumns = {
  id: staffTraining.id,
  userId: staffTraining.userId,
  name: appUser.name,
  course: staffTraining.course,
  completedOn: staffTraining.completedOn,
  hours: staffTraining.hours,
  needArea: staffTraining.needArea,
  provider: staffTraining.provider,
  notes: staffTraining.notes,
  recordedByName: staffTraining.recordedByName,
  version: staffTraining.version,
};

/** Training completed between two dates (inclusive), with who did it, newest first. */
export async function trainingBetween(db: Executor, schoolId: string, from: string, to: string) {
  return db
    .select(trainingColumns)
    .from(staffTraining)
    .innerJoin(appUser, eq(appUser.id, staffTraining.userId))
    .where(
      and(
        eq(staffTraining.schoolId, schoolId),
        gte(staffTraining.completedOn, from),
        lte(staffTraining.completedOn, to),
      ),
    )
    .orderBy(desc(staffTraining.completedOn), asc(appUser.name));
}

/** One person's training, newest first. */
export async function trainingOfUser(db: Executor, schoolId: string, userId: string) {
  return db
    .select(trainingColumns)
    .from(staffTraining)
    .innerJoin(appUser, eq(appUser.id, staffTraining.userId))
    .where(and(eq(staffTraining.schoolId, schoolId), eq(staffTraining.userId, userId)))
    .orderBy(desc(staffTraining.completedOn), asc(staffTraining.course));
}

export async function findTraining(
  db: Executor,
  schoolId: string,
  id: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select(trainingColumns)
    .from(staffTraining)
    .innerJoin(appUser, eq(appUser.id, staffTraining.userId))
    .where(and(eq(staffTraining.schoolId, schoolId), eq(staffTraining.id, id)))
    .limit(1);
  const rows = options.lock ? await query.for('update', { of: staffTraining }) : await query;
  return rows[0] ?? null;
}

export async function insertTraining(db: Executor, rows: (typeof staffTraining.$inferInsert)[]) {
  if (rows.length > 0) await db.insert(staffTraining).values(rows);
}

export async function updateTraining(
  db: Executor,
  schoolId: string,
  id: string,
  values: Partial<typeof staffTraining.$inferInsert>,
) {
  await db
    .update(staffTraining)
    .set({ ...values, version: sql`${staffTraining.version} + 1` })
    .where(and(eq(staffTraining.schoolId, schoolId), eq(staffTraining.id, id)));
}

export async function deleteTraining(db: Executor, schoolId: string, id: string) {
  await db.delete(staffTraining).where(and(eq(staffTraining.schoolId, schoolId), eq(staffTraining.id, id)));
}

/** Which of these people are members of the school (any role). */
export async function membersAmong(db: Executor, schoolId: string, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  return db
    .select({ userId: appUser.id, name: appUser.name, disabledAt: appUser.disabledAt })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(and(eq(membership.schoolId, schoolId), inArray(membership.userId, [...userIds])));
}

export async function planItemsOfYear(db: Executor, schoolId: string, academicYear: number) {
  return db
    .select()
    .from(trainingPlanItem)
    .where(and(eq(trainingPlanItem.schoolId, schoolId), eq(trainingPlanItem.academicYear, academicYear)))
    .orderBy(
      sql`case ${trainingPlanItem.term} when 'autumn' then 1 when 'spring' then 2 when 'summer' then 3 else 4 end`,
      asc(trainingPlanItem.title),
    );
}

export async function findPlanItem(
  db: Executor,
  schoolId: string,
  id: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select()
    .from(trainingPlanItem)
    .where(and(eq(trainingPlanItem.schoolId, schoolId), eq(trainingPlanItem.id, id)))
    .limit(1);
  const rows = options.lock ? await query.for('update') : await query;
  return rows[0] ?? null;
}

export async function insertPlanItem(db: Executor, values: typeof trainingPlanItem.$inferInsert) {
  await db.insert(trainingPlanItem).values(values);
}

export async function updatePlanItem(
  db: Executor,
  schoolId: string,
  id: string,
  values: Partial<typeof trainingPlanItem.$inferInsert>,
) {
  await db
    .update(trainingPlanItem)
    .set({ ...values, version: sql`${trainingPlanItem.version} + 1` })
    .where(and(eq(trainingPlanItem.schoolId, schoolId), eq(trainingPlanItem.id, id)));
}

/** The school's SENCO appointments with the SENCO's name, the latest first. */
export async function sencoAppointments(db: Executor, schoolId: string) {
  return db
    .select({ appointment: sencoAppointment, name: appUser.name })
    .from(sencoAppointment)
    .innerJoin(appUser, eq(appUser.id, sencoAppointment.userId))
    .where(eq(sencoAppointment.schoolId, schoolId))
    .orderBy(desc(sencoAppointment.appointedOn));
}

export async function findSencoAppointment(
  db: Executor,
  schoolId: string,
  id: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({ appointment: sencoAppointment, name: appUser.name })
    .from(sencoAppointment)
    .innerJoin(appUser, eq(appUser.id, sencoAppointment.userId))
    .where(and(eq(sencoAppointment.schoolId, schoolId), eq(sencoAppointment.id, id)))
    .limit(1);
  const rows = options.lock ? await query.for('update', { of: sencoAppointment }) : await query;
  return rows[0] ?? null;
}

export async function insertSencoAppointment(db: Executor, values: typeof sencoAppointment.$inferInsert) {
  await db.insert(sencoAppointment).values(values);
}

export async function updateSencoAppointment(
  db: Executor,
  schoolId: string,
  id: string,
  values: Partial<typeof sencoAppointment.$inferInsert>,
) {
  await db
    .update(sencoAppointment)
    .set({ ...values, updatedAt: new Date(), version: sql`${sencoAppointment.version} + 1` })
    .where(and(eq(sencoAppointment.schoolId, schoolId), eq(sencoAppointment.id, id)));
}
