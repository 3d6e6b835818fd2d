import { and, asc, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  classTeacher,
  concern,
  groupMember,
  intervention,
  membership,
  membershipRole,
  progressMeeting,
  progressMeetingPupil,
  provisionGroup,
  pupil,
  schoolClass,
} from '../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';
import { parseJson } from './sessions.ts';

/** Half-termly pupil progress meetings and the decisions and actions recorded at them: one school's. */

export type MeetingRow = typeof progressMeeting.$inferSelect;
export type MeetingPupilRow = typeof progressMeetingPupil.$inferSelect;

/** The meetings of a school in some half terms (with their class's name), for the list of meetings. */
export async function meetingsInHalfTerms(
  db: Executor,
  schoolId: string,
  halfTerms: readonly { academicYear: number; halfTerm: number }[],
) {
  if (halfTerms.length === 0) return [];
  return db
    .select({
      id: progressMeeting.id,
      classId: progressMeeting.classId,
      academicYear: progressMeeting.academicYear,
      halfTerm: progressMeeting.halfTerm,
      status: progressMeeting.status,
      heldOn: progressMeeting.heldOn,
      decisions: sql<number>`(select count(*)::int from ${progressMeetingPupil} d where d.school_id = ${progressMeeting.schoolId} and d.meeting_id = ${progressMeeting.id})`,
      openActions: sql<number>`(select count(*)::int from ${progressMeetingPupil} d where d.school_id = ${progressMeeting.schoolId} and d.meeting_id = ${progressMeeting.id} and d.action_owner_id is not null and d.action_done_at is null)`,
    })
    .from(progressMeeting)
    .where(
      and(
        eq(progressMeeting.schoolId, schoolId),
        or(
          ...halfTerms.map((h) =>
            and(eq(progressMeeting.academicYear, h.academicYear), eq(progressMeeting.halfTerm, h.halfTerm)),
          ),
        ),
      ),
    );
}

export async function findMeeting(
  db: Executor,
  schoolId: string,
  meetingId: string,
  options: { lock?: boolean } = {},
) {
  const q = db
    .select({
      meeting: progressMeeting,
      className: schoolClass.name,
      classArchivedAt: schoolClass.archivedAt,
    })
    .from(progressMeeting)
    .innerJoin(
      schoolClass,
      and(eq(schoolClass.schoolId, progressMeeting.schoolId), eq(schoolClass.id, progressMeeting.classId)),
    )
    .where(and(eq(progressMeeting.schoolId, schoolId), eq(progressMeeting.id, meetingId)))
    .limit(1);
  const rows = options.lock ? await q.for('update', { of: progressMeeting }) : await q;
  return rows[0] ?? null;
}

export async function insertMeeting(db: Executor, values: typeof progressMeeting.$inferInsert) {
  await db.insert(progressMeeting).values(values);
}

export async function updateMeeting(
  db: Executor,
  schoolId: string,
  meetingId: string,
  values: Pick<MeetingRow, 'heldOn' | 'attendees' | 'notes' | 'status'>,
) {
  await db
    .update(progressMeeting)
    .set({ ...values, version: sql`${progressMeeting.version} + 1` })
    .where(and(eq(progressMeeting.schoolId, schoolId), eq(progressMeeting.id, meetingId)));
}

/** The class's meeting held most recently before this half term (its actions are followed up now). */
export async function previousMeetingOf(
  db: Executor,
  schoolId: string,
  classId: string,
  before: { academicYear: number; halfTerm: number },
) {
  const rows = await db
    .select()
    .from(progressMeeting)
    .where(
      and(
        eq(progressMeeting.schoolId, schoolId),
        eq(progressMeeting.classId, classId),
        or(
          lt(progressMeeting.academicYear, before.academicYear),
          and(
            eq(progressMeeting.academicYear, before.academicYear),
            lt(progressMeeting.halfTerm, before.halfTerm),
          ),
        ),
      ),
    )
    .orderBy(desc(progressMeeting.academicYear), desc(progressMeeting.halfTerm))
    .limit(1);
  return rows[0] ?? null;
}

/** The decisions recorded at some meetings, with their pupil's name. */
export async function decisionsOfMeetings(db: Executor, schoolId: string, meetingIds: readonly string[]) {
  if (meetingIds.length === 0) return [];
  return db
    .select({ decision: progressMeetingPupil, forename: pupil.forename, surname: pupil.surname })
    .from(progressMeetingPupil)
    .innerJoin(
      pupil,
      and(eq(pupil.schoolId, progressMeetingPupil.schoolId), eq(pupil.id, progressMeetingPupil.pupilId)),
    )
    .where(
      and(eq(progressMeetingPupil.schoolId, schoolId), inArray(progressMeetingPupil.meetingId, meetingIds)),
    )
    .orderBy(asc(pupil.surname), asc(pupil.forename));
}

export async function insertDecisions(db: Executor, values: (typeof progressMeetingPupil.$inferInsert)[]) {
  if (values.length > 0) await db.insert(progressMeetingPupil).values(values);
}

export async function updateDecision(
  db: Executor,
  schoolId: string,
  id: string,
  values: Partial<
    Pick<
      MeetingPupilRow,
      | 'decision'
      | 'notes'
      | 'actionOwnerId'
      | 'actionOwnerName'
      | 'actionDueOn'
      | 'recordedBy'
      | 'recordedByName'
      | 'actionDoneAt'
      | 'actionDoneBy'
      | 'concernId'
    >
  >,
) {
  await db
    .update(progressMeetingPupil)
    .set({ ...values, version: sql`${progressMeetingPupil.version} + 1` })
    .where(and(eq(progressMeetingPupil.schoolId, schoolId), eq(progressMeetingPupil.id, id)));
}

export async function deleteDecisions(db: Executor, schoolId: string, ids: readonly string[]) {
  if (ids.length === 0) return;
  await db
    .delete(progressMeetingPupil)
    .where(and(eq(progressMeetingPupil.schoolId, schoolId), inArray(progressMeetingPupil.id, ids)));
}

export async function findDecision(
  db: Executor,
  schoolId: string,
  id: string,
  options: { lock?: boolean } = {},
) {
  const q = db
    .select({
      decision: progressMeetingPupil,
      meeting: progressMeeting,
      className: schoolClass.name,
      forename: pupil.forename,
      surname: pupil.surname,
    })
    .from(progressMeetingPupil)
    .innerJoin(
      progressMeeting,
      and(
        eq(progressMeeting.schoolId, progressMeetingPupil.schoolId),
        eq(progressMeeting.id, progressMeetingPupil.meetingId),
      ),
    )
    .innerJoin(
      schoolClass,
      and(eq(schoolClass.schoolId, progressMeeting.schoolId), eq(schoolClass.id, progressMeeting.classId)),
    )
    .innerJoin(
      pupil,
      and(eq(pupil.schoolId, progressMeetingPupil.schoolId), eq(pupil.id, progressMeetingPupil.pupilId)),
    )
    .where(and(eq(progressMeetingPupil.schoolId, schoolId), eq(progressMeetingPupil.id, id)))
    .limit(1);
  const rows = options.lock ? await q.for('update', { of: progressMeetingPupil }) : await q;
  return rows[0] ?? null;
}

/** The open actions a member of staff owns (not done), soonest due first, with pupil and class. */
export async function openActionsOwnedBy(db: Executor, schoolId: string, userId: string) {
  return db
    .select({
      id: progressMeetingPupil.id,
      meetingId: progressMeetingPupil.meetingId,
      pupilId: progressMeetingPupil.pupilId,
      decision: progressMeetingPupil.decision,
      notes: progressMeetingPupil.notes,
      actionDueOn: progressMeetingPupil.actionDueOn,
      actionDoneAt: progressMeetingPupil.actionDoneAt,
      concernId: progressMeetingPupil.concernId,
      version: progressMeetingPupil.version,
      forename: pupil.forename,
      surname: pupil.surname,
      className: schoolClass.name,
      academicYear: progressMeeting.academicYear,
      halfTerm: progressMeeting.halfTerm,
      heldOn: progressMeeting.heldOn,
    })
    .from(progressMeetingPupil)
    .innerJoin(
      progressMeeting,
      and(
        eq(progressMeeting.schoolId, progressMeetingPupil.schoolId),
        eq(progressMeeting.id, progressMeetingPupil.meetingId),
      ),
    )
    .innerJoin(
      schoolClass,
      and(eq(schoolClass.schoolId, progressMeeting.schoolId), eq(schoolClass.id, progressMeeting.classId)),
    )
    .innerJoin(
      pupil,
      and(eq(pupil.schoolId, progressMeetingPupil.schoolId), eq(pupil.id, progressMeetingPupil.pupilId)),
    )
    .where(
      and(
        eq(progressMeetingPupil.schoolId, schoolId),
        eq(progressMeetingPupil.actionOwnerId, userId),
        isNull(progressMeetingPupil.actionDoneAt),
        isNull(pupil.leftOn),
      ),
    )
    .orderBy(asc(progressMeetingPupil.actionDueOn), asc(pupil.surname));
}

export async function countOpenActionsOwnedBy(db: Executor, schoolId: string, userId: string) {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(progressMeetingPupil)
    .innerJoin(
      pupil,
      and(eq(pupil.schoolId, progressMeetingPupil.schoolId), eq(pupil.id, progressMeetingPupil.pupilId)),
    )
    .where(
      and(
        eq(progressMeetingPupil.schoolId, schoolId),
        eq(progressMeetingPupil.actionOwnerId, userId),
        isNull(progressMeetingPupil.actionDoneAt),
        isNull(pupil.leftOn),
      ),
    );
  return rows[0]?.n ?? 0;
}

/**
 * The pupils of a class on roll for the prepared list: their SEN stage and needs, attendance (as the
 * MIS gave it), how many concerns about them are open, and the provision groups they are in on `on`.
 * Two queries whatever the class's size.
 */
export async function meetingPupilsOfClass(db: Executor, schoolId: string, classId: string, on: IsoDate) {
  const pupils = await db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      preferredName: pupil.preferredName,
      senStage: pupil.senStage,
      primaryNeed: pupil.primaryNeed,
      attendancePercent: pupil.attendancePercent,
      openConcerns: sql<number>`(select count(*)::int from ${concern} c where c.school_id = ${pupil.schoolId} and c.pupil_id = ${pupil.id} and c.status = 'open')`,
    })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), eq(pupil.classId, classId), isNull(pupil.leftOn)))
    .orderBy(asc(pupil.surname), asc(pupil.forename), asc(pupil.id));
  const ids = pupils.map((p) => p.id);
  const groups =
    ids.length === 0
      ? []
      : await db
          .select({
            pupilId: groupMember.pupilId,
            groupId: provisionGroup.id,
            name: provisionGroup.name,
            interventionName: intervention.name,
          })
          .from(groupMember)
          .innerJoin(
            provisionGroup,
            and(
              eq(provisionGroup.schoolId, groupMember.schoolId),
              eq(provisionGroup.id, groupMember.groupId),
            ),
          )
          .innerJoin(
            intervention,
            and(
              eq(intervention.schoolId, provisionGroup.schoolId),
              eq(intervention.id, provisionGroup.interventionId),
            ),
          )
          .where(
            and(
              eq(groupMember.schoolId, schoolId),
              inArray(groupMember.pupilId, ids),
              sql`${groupMember.joinedOn} <= ${on}`,
              sql`(${groupMember.leftOn} is null or ${groupMember.leftOn} >= ${on})`,
              sql`(${provisionGroup.endDate} is null or ${provisionGroup.endDate} >= ${on})`,
            ),
          )
          .orderBy(asc(provisionGroup.name));
  return { pupils, groups };
}

/** The school's active staff with their roles: who may be at a meeting, and who may own an action. */
export async function activeStaffWithRoles(db: Executor, schoolId: string) {
  const rows = await db
    .select({
      userId: appUser.id,
      name: appUser.name,
      roles: sql<
        string[] | string
      >`coalesce((select json_agg(r.role order by r.role) from ${membershipRole} r where r.school_id = ${membership.schoolId} and r.user_id = ${membership.userId}), '[]'::json)`,
    })
    .from(membership)
    .innerJoin(appUser, eq(appUser.id, membership.userId))
    .where(and(eq(membership.schoolId, schoolId), isNull(appUser.disabledAt)))
    .orderBy(asc(appUser.name));
  return rows.map((r) => ({ ...r, roles: parseJson(r.roles) }));
}

/** Whether a member of staff teaches a class. */
export async function teachesClass(db: Executor, schoolId: string, userId: string, classId: string) {
  const rows = await db
    .select({ classId: classTeacher.classId })
    .from(classTeacher)
    .where(
      and(
        eq(classTeacher.schoolId, schoolId),
        eq(classTeacher.userId, userId),
        eq(classTeacher.classId, classId),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** Is this a pupil of the school (on roll or not)? */
export async function isPupilOfSchool(db: Executor, schoolId: string, pupilId: string): Promise<boolean> {
  const rows = await db
    .select({ id: pupil.id })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), eq(pupil.id, pupilId)));
  return rows.length > 0;
}
