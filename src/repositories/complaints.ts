import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { complaint, complaintStage, pupil, schoolClass } from '../db/schema/index.ts';
import type { ComplaintKind, ComplaintStatus } from '../domain/complaints.ts';

/**
 * The complaints log: always inside one school, and never showing a complaint to a member of staff it
 * is about (`hiddenFrom`): the condition is in every query, so a list, a count and a record agree.
 */

export type ComplaintRow = typeof complaint.$inferSelect;
export type ComplaintStageRow = typeof complaintStage.$inferSelect;

/** Not about this member of staff. */
const notAbout = (userId: string): SQL => sql`not (${userId}::uuid = any(${complaint.aboutUserIds}))`;

export interface ComplaintFilters {
  kind?: ComplaintKind | null;
  status?: ComplaintStatus | null;
}

/** The log: each complaint with its current stage's dates and the pupil it names (open first, newest first). */
export async function complaintsOfSchool(
  db: Executor,
  schoolId: string,
  viewerId: string,
  filters: ComplaintFilters = {},
) {
  const conditions: SQL[] = [eq(complaint.schoolId, schoolId), notAbout(viewerId)];
  if (filters.kind) conditions.push(eq(complaint.kind, filters.kind));
  if (filters.status) conditions.push(eq(complaint.status, filters.status));
  return db
    .select({
      id: complaint.id,
      kind: complaint.kind,
      receivedOn: complaint.receivedOn,
      complainantName: complaint.complainantName,
      summary: complaint.summary,
      pupilId: complaint.pupilId,
      pupilName: sql<string | null>`${pupil.forename} || ' ' || ${pupil.surname}`,
      stage: complaint.stage,
      status: complaint.status,
      outcome: complaint.outcome,
      closedOn: complaint.closedOn,
      responseDueOn: complaintStage.responseDueOn,
      respondedOn: complaintStage.respondedOn,
      handledByName: complaintStage.handledByName,
    })
    .from(complaint)
    .leftJoin(pupil, and(eq(pupil.schoolId, complaint.schoolId), eq(pupil.id, complaint.pupilId)))
    .leftJoin(
      complaintStage,
      and(
        eq(complaintStage.schoolId, complaint.schoolId),
        eq(complaintStage.complaintId, complaint.id),
        eq(complaintStage.stage, complaint.stage),
      ),
    )
    .where(and(...conditions))
    .orderBy(sql`${complaint.status} = 'closed'`, desc(complaint.receivedOn), asc(complaint.id))
    .limit(1000);
}

/** Open complaints whose current stage's response is overdue, not about the viewer. */
export async function overdueResponses(db: Executor, schoolId: string, viewerId: string, today: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(complaint)
    .innerJoin(
      complaintStage,
      and(
        eq(complaintStage.schoolId, complaint.schoolId),
        eq(complaintStage.complaintId, complaint.id),
        eq(complaintStage.stage, complaint.stage),
      ),
    )
    .where(
      and(
        eq(complaint.schoolId, schoolId),
        eq(complaint.status, 'open'),
        eq(complaint.kind, 'formal'),
        notAbout(viewerId),
        sql`${complaintStage.respondedOn} is null`,
        sql`${complaintStage.responseDueOn} < ${today}`,
      ),
    );
  return row?.n ?? 0;
}

/** One complaint, unless it is about the viewer (then it is not found). */
export async function findComplaint(
  db: Executor,
  schoolId: string,
  complaintId: string,
  viewerId: string,
  options: { lock?: boolean } = {},
): Promise<ComplaintRow | null> {
  const query = db
    .select()
    .from(complaint)
    .where(and(eq(complaint.schoolId, schoolId), eq(complaint.id, complaintId), notAbout(viewerId)))
    .limit(1);
  const rows = options.lock ? await query.for('update') : await query;
  return rows[0] ?? null;
}

export async function stagesOf(db: Executor, schoolId: string, complaintId: string) {
  return db
    .select()
    .from(complaintStage)
    .where(and(eq(complaintStage.schoolId, schoolId), eq(complaintStage.complaintId, complaintId)))
    .orderBy(asc(complaintStage.startedOn), asc(complaintStage.createdAt));
}

/** Complaints naming a pupil, not about the viewer (for the pupil's record). */
export async function complaintsOfPupil(db: Executor, schoolId: string, pupilId: string, viewerId: string) {
  return db
    .select({
      id: complaint.id,
      kind: complaint.kind,
      receivedOn: complaint.receivedOn,
      summary: complaint.summary,
      stage: complaint.stage,
      status: complaint.status,
      outcome: complaint.outcome,
    })
    .from(complaint)
    .where(and(eq(complaint.schoolId, schoolId), eq(complaint.pupilId, pupilId), notAbout(viewerId)))
    .orderBy(desc(complaint.receivedOn));
}

/** Does a complaint naming this pupil concern this member of staff (they are among those it is about)? */
export async function pupilHasComplaintAbout(
  db: Executor,
  schoolId: string,
  pupilId: string,
  userId: string,
): Promise<boolean> {
  const rows = await db
    .select({ id: complaint.id })
    .from(complaint)
    .where(
      and(
        eq(complaint.schoolId, schoolId),
        eq(complaint.pupilId, pupilId),
        sql`${userId}::uuid = any(${complaint.aboutUserIds})`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

export async function insertComplaint(db: Executor, values: typeof complaint.$inferInsert) {
  await db.insert(complaint).values(values);
}

export async function insertComplaintStage(db: Executor, values: typeof complaintStage.$inferInsert) {
  await db.insert(complaintStage).values(values);
}

/** Change a complaint at the version the form showed; its version goes up by one. */
export async function updateComplaint(
  db: Executor,
  schoolId: string,
  complaintId: string,
  values: Partial<typeof complaint.$inferInsert>,
) {
  await db
    .update(complaint)
    .set({ ...values, version: sql`${complaint.version} + 1` })
    .where(and(eq(complaint.schoolId, schoolId), eq(complaint.id, complaintId)));
}

/** Delete a complaint's stages (a formal complaint with no response that became a concern). */
export async function deleteComplaintStages(db: Executor, schoolId: string, complaintId: string) {
  await db
    .delete(complaintStage)
    .where(and(eq(complaintStage.schoolId, schoolId), eq(complaintStage.complaintId, complaintId)));
}

export async function updateComplaintStage(
  db: Executor,
  schoolId: string,
  stageId: string,
  values: Partial<typeof complaintStage.$inferInsert>,
) {
  await db
    .update(complaintStage)
    .set({ ...values, version: sql`${complaintStage.version} + 1` })
    .where(and(eq(complaintStage.schoolId, schoolId), eq(complaintStage.id, stageId)));
}

/** Pupils on roll to name in a complaint, by surname (the form's list). */
export async function pupilChoices(db: Executor, schoolId: string) {
  return db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      dateOfBirth: pupil.dateOfBirth,
      className: schoolClass.name,
    })
    .from(pupil)
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(pupil.schoolId, schoolId), sql`${pupil.leftOn} is null`))
    .orderBy(asc(pupil.surname), asc(pupil.forename))
    .limit(5000);
}
