import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import {
  hasCapability,
  personalReachesFor,
  ROLE_LABELS,
  type Role,
  reachesFor,
} from '../../domain/access.ts';
import { TRAJECTORY_STATUS_LABELS, valueCode } from '../../domain/attainment.ts';
import type { IsoDate } from '../../domain/dates.ts';
import {
  actionOverdue,
  type DecisionInput,
  decisionProblems,
  halfTermLabel,
  halfTermsUpTo,
  MEETING_DECISION_LABELS,
  MEETING_ROLES,
  type MeetingDecision,
  mayPrepareFor,
  meetingHalfTerm,
  meetingOrder,
} from '../../domain/progress-meetings.ts';
import { progressOfPupils } from '../../repositories/attainment.ts';
import { classesWithTeachers, findClass, teacherIdsOfClass } from '../../repositories/classes.ts';
import {
  activeStaffWithRoles,
  countOpenActionsOwnedBy,
  decisionsOfMeetings,
  deleteDecisions,
  findDecision,
  findMeeting,
  insertDecisions,
  insertMeeting,
  isPupilOfSchool,
  type MeetingPupilRow,
  meetingPupilsOfClass,
  meetingsInHalfTerms,
  openActionsOwnedBy,
  previousMeetingOf,
  teachesClass,
  updateDecision,
  updateMeeting,
} from '../../repositories/progress-meetings.ts';
import type { ConcernInput } from '../concerns/index.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability, requireSchool } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

export interface MeetingRecordInput {
  version: number;
  heldOn: IsoDate;
  attendeeIds: string[];
  notes: string | null;
  /** Each child discussed, by pupil id; a pupil left out was not discussed (their decision is removed). */
  decisions: ({ pupilId: string } & DecisionInput)[];
}

export const STALE_MEETING =
  'Someone else saved this meeting while you were writing. What they saved is shown on the page; your own notes are kept in the form: check them against theirs and save again.';

/** Raising a concern goes through the concerns service (its rules, its audit row). */
export interface ConcernRaiser {
  raise(actor: Actor, pupilId: string, input: ConcernInput): Promise<string>;
}

/**
 * Half-termly pupil progress meetings (seed 001): one for each class each half term. The SENCo, the head
 * and the assessment lead run every class's (`progress.meetings`); a class teacher reaches the meetings
 * of the classes they teach, and records for their own pupils (their `progress` section, classes
 * taught). Everyone else is refused. The prepared list, the record, the actions on their owners' lists
 * and the concerns they became.
 */

/**
 * Who may be given an action about a class's pupil: a member of staff who reaches every pupil's progress
 * (the SENCo, the head, the assessment lead) or a teacher of the class. An action names the pupil and the
 * meeting's notes on its owner's list, so nobody else (the office, a governor, an assistant) is offered.
 */
function actionOwners<T extends { userId: string; roles: readonly string[] }>(
  staff: readonly T[],
  classTeacherIds: readonly string[],
): T[] {
  return staff.filter(
    (s) =>
      reachesFor(s.roles as Role[], 'progress', 'read').includes('school') ||
      (classTeacherIds.includes(s.userId) && s.roles.includes('class_teacher')),
  );
}

export function createProgressMeetingService(database: Database, clock: Clock, concerns: ConcernRaiser) {
  const { db } = database;

  /** Who may use the meetings, and whether they reach every class or only those they teach. */
  function meetingActor(actor: Actor): { a: SchoolActor; everyClass: boolean } {
    const a = requireSchool(actor);
    if (hasCapability(a.roles, 'progress.meetings')) return { a, everyClass: true };
    if (personalReachesFor(a.roles, 'progress', 'write').includes('classes_taught'))
      return { a, everyClass: false };
    throw new ForbiddenError('Your role does not include pupil progress meetings', 'progress.meetings');
  }

  async function classReached(tx: Executor, a: SchoolActor, everyClass: boolean, classId: string) {
    const found = await findClass(tx, a.schoolId, classId);
    if (!found || (!everyClass && !(await teachesClass(tx, a.schoolId, a.userId, classId))))
      throw new NotFoundError('Class not found', { kind: 'class', id: classId });
    return found;
  }

  async function meetingReached(
    tx: Executor,
    a: SchoolActor,
    everyClass: boolean,
    meetingId: string,
    options: { lock?: boolean } = {},
  ) {
    const found = await findMeeting(tx, a.schoolId, meetingId, options);
    if (!found || (!everyClass && !(await teachesClass(tx, a.schoolId, a.userId, found.meeting.classId))))
      throw new NotFoundError('Progress meeting not found', { kind: 'progress_meeting', id: meetingId });
    return found;
  }

  const decisionView = (d: MeetingPupilRow, today: IsoDate) => ({
    id: d.id,
    pupilId: d.pupilId,
    decision: d.decision,
    decisionLabel: MEETING_DECISION_LABELS[d.decision],
    notes: d.notes,
    actionOwnerId: d.actionOwnerId,
    actionOwnerName: d.actionOwnerName,
    actionDueOn: d.actionDueOn,
    actionDoneAt: d.actionDoneAt,
    overdue: actionOverdue(d, today),
    concernId: d.concernId,
    recordedByName: d.recordedByName,
    version: d.version,
  });

  return {
    /**
     * This half term's meetings by class (the classes the actor reaches), each prepared or not, and the
     * meetings of the half terms before it. Names no pupil.
     */
    async list(actor: Actor) {
      const { a, everyClass } = meetingActor(actor);
      const today = clock.today();
      const halfTerms = halfTermsUpTo(today, 6);
      const current = halfTerms[0]!;
      const [classes, meetings] = await Promise.all([
        classesWithTeachers(db, a.schoolId),
        meetingsInHalfTerms(db, a.schoolId, halfTerms),
      ]);
      const reached = classes.filter(
        (c) => !c.archivedAt && (everyClass || c.teachers.some((t) => t.userId === a.userId)),
      );
      const reachedIds = new Set(reached.map((c) => c.id));
      const byKey = new Map(meetings.map((m) => [`${m.classId}:${m.academicYear}:${m.halfTerm}`, m]));
      return {
        current,
        classes: reached.map((c) => ({
          id: c.id,
          name: c.name,
          pupils: c.pupils,
          teachers: c.teachers.map((t) => t.name),
          meeting: byKey.get(`${c.id}:${current.academicYear}:${current.halfTerm}`) ?? null,
        })),
        earlier: halfTerms.slice(1).map((h) => ({
          label: h.label,
          meetings: meetings
            .filter(
              (m) =>
                m.academicYear === h.academicYear && m.halfTerm === h.halfTerm && reachedIds.has(m.classId),
            )
            .map((m) => ({ ...m, className: classes.find((c) => c.id === m.classId)?.name ?? '' }))
            .sort((x, y) => x.className.localeCompare(y.className)),
        })),
      };
    },

    /**
     * Prepare a class's meeting for this half term (or return the one already prepared): one per class
     * and half term.
     */
    async prepare(actor: Actor, classId: string, halfTerm?: { academicYear: number; halfTerm: number }) {
      const { a, everyClass } = meetingActor(actor);
      const today = clock.today();
      const h = halfTerm ?? meetingHalfTerm(today);
      if (!mayPrepareFor(today, h))
        throw new ValidationError([
          { field: 'classId', message: 'A meeting can be prepared only for this half term or one before it' },
        ]);
      return unitOfWork(db, a, async (w) => {
        const found = await classReached(w.tx, a, everyClass, classId);
        if (found.archivedAt)
          throw new ValidationError([{ field: 'classId', message: `${found.name} is archived` }]);
        const existing = await meetingsInHalfTerms(w.tx, a.schoolId, [h]);
        const already = existing.find((m) => m.classId === classId);
        if (already) return { meetingId: already.id, created: false, className: found.name };
        const id = randomUUID();
        await insertMeeting(w.tx, {
          schoolId: a.schoolId,
          id,
          classId,
          academicYear: h.academicYear,
          halfTerm: h.halfTerm,
          createdBy: a.userId,
          createdByName: a.name,
        });
        w.audit('progress_meeting.prepared', {
          detail: { meetingId: id, classId, academicYear: h.academicYear, halfTerm: h.halfTerm },
        });
        return { meetingId: id, created: true, className: found.name };
      });
    },

    /**
     * The meeting page: the class's pupils on roll with their attainment this year against their
     * trajectories, SEN stage and need, provision, attendance, open concerns, the actions agreed last
     * time and this meeting's decisions; pupils below their trajectory first. A fixed number of queries
     * whatever the class's size. Seeing the list is audited with its pupils.
     */
    async meeting(actor: Actor, meetingId: string, options: { audit: boolean } = { audit: true }) {
      const { a, everyClass } = meetingActor(actor);
      const found = await meetingReached(db, a, everyClass, meetingId);
      const m = found.meeting;
      const today = clock.today();
      const before = await previousMeetingOf(db, a.schoolId, m.classId, m);
      const [{ pupils, groups }, decisions, staff] = await Promise.all([
        meetingPupilsOfClass(db, a.schoolId, m.classId, today),
        decisionsOfMeetings(db, a.schoolId, before ? [m.id, before.id] : [m.id]),
        activeStaffWithRoles(db, a.schoolId),
      ]);
      const ids = pupils.map((p) => p.id);
      const { subjects, progress } = await progressOfPupils(db, a.schoolId, ids, m.academicYear);
      const groupsOf = new Map<string, string[]>();
      for (const g of groups) groupsOf.set(g.pupilId, [...(groupsOf.get(g.pupilId) ?? []), g.name]);
      const now = new Map(
        decisions.filter((d) => d.decision.meetingId === m.id).map((d) => [d.decision.pupilId, d]),
      );
      const last = new Map(
        decisions.filter((d) => d.decision.meetingId !== m.id).map((d) => [d.decision.pupilId, d.decision]),
      );
      const rows = pupils.map((p) => {
        const bySubject = progress.get(p.id);
        const attainment = subjects.map((s) => {
          const sp = bySubject?.get(s.id);
          return {
            subjectId: s.id,
            subject: s.name,
            value: sp?.latest ? valueCode(s, sp.latest.scale, sp.latest.value) : null,
            term: sp?.latest?.term ?? null,
            status: sp?.status ?? 'no_result',
            statusLabel: TRAJECTORY_STATUS_LABELS[sp?.status ?? 'no_result'],
          };
        });
        const d = now.get(p.id);
        const l = last.get(p.id);
        return {
          ...p,
          attainment,
          belowIn: attainment.filter((x) => x.status === 'below').length,
          groups: groupsOf.get(p.id) ?? [],
          decision: d ? decisionView(d.decision, today) : null,
          lastDecision: l ? decisionView(l, today) : null,
        };
      });
      // A decision about a pupil no longer in the class is still shown, at the end.
      const gone = decisions
        .filter((d) => d.decision.meetingId === m.id && !ids.includes(d.decision.pupilId))
        .map((d) => ({
          pupilId: d.decision.pupilId,
          forename: d.forename,
          surname: d.surname,
          decision: decisionView(d.decision, today),
        }));
      if (options.audit && (ids.length > 0 || gone.length > 0)) {
        await audit(db, a, 'progress_meeting.viewed', {
          detail: { meetingId, classId: m.classId, className: found.className },
          shownPupilIds: [...ids, ...gone.map((g) => g.pupilId)],
        });
      }
      const roleOf = (roles: string[]) =>
        roles.filter((r): r is (typeof MEETING_ROLES)[number] =>
          (MEETING_ROLES as readonly string[]).includes(r),
        );
      return {
        meeting: {
          id: m.id,
          classId: m.classId,
          className: found.className,
          academicYear: m.academicYear,
          halfTerm: m.halfTerm,
          label: halfTermLabel(m.academicYear, m.halfTerm),
          status: m.status,
          heldOn: m.heldOn,
          attendees: m.attendees,
          notes: m.notes,
          createdByName: m.createdByName,
        },
        version: m.version,
        previous: before
          ? { label: halfTermLabel(before.academicYear, before.halfTerm), heldOn: before.heldOn }
          : null,
        subjects: subjects.map((s) => ({ id: s.id, name: s.name })),
        pupils: meetingOrder(rows),
        gone,
        /** Who may be recorded as there: the school's staff in the seed's four roles, with those roles. */
        attendeeChoices: staff
          .filter((s) => roleOf(s.roles).length > 0)
          .map((s) => ({
            userId: s.userId,
            name: s.name,
            roles: roleOf(s.roles).map((r) => ROLE_LABELS[r as Role]),
          })),
        /** Who may be given an action: those who reach the class's pupils' progress. */
        ownerChoices: actionOwners(staff, await teacherIdsOfClass(db, a.schoolId, m.classId)).map((s) => ({
          userId: s.userId,
          name: s.name,
        })),
        today,
        may: { record: true, raiseConcern: hasCapability(a.roles, 'concern.raise') },
      };
    },

    /**
     * Record the meeting: who was there, when, its notes, and a decision for each child discussed with
     * the action it gives someone. Versioned: a stale save is refused and shows the other person's.
     * Each pupil whose decision is added, changed or removed gets an audit row.
     */
    async record(
      actor: Actor,
      meetingId: string,
      input: MeetingRecordInput,
    ): Promise<{ className: string; changed: number }> {
      const { a, everyClass } = meetingActor(actor);
      const today = clock.today();
      const errors: FieldError[] = [];
      if (input.heldOn > today)
        errors.push({ field: 'heldOn', message: 'The date the meeting was held must be today or earlier' });
      return unitOfWork(db, a, async (w) => {
        const found = await meetingReached(w.tx, a, everyClass, meetingId, { lock: true });
        const m = found.meeting;
        if (m.version !== input.version) throw new ConflictError(STALE_MEETING);
        const [{ pupils }, existing, staff] = await Promise.all([
          meetingPupilsOfClass(w.tx, a.schoolId, m.classId, today),
          decisionsOfMeetings(w.tx, a.schoolId, [m.id]),
          activeStaffWithRoles(w.tx, a.schoolId),
        ]);
        const staffById = new Map(staff.map((s) => [s.userId, s]));
        const owners = new Set(
          actionOwners(staff, await teacherIdsOfClass(w.tx, a.schoolId, m.classId)).map((s) => s.userId),
        );
        const onRoll = new Set(pupils.map((p) => p.id));
        const before = new Map(existing.map((d) => [d.decision.pupilId, d.decision]));
        const attendees: { userId: string; name: string; roles: string[] }[] = [];
        for (const id of [...new Set(input.attendeeIds)]) {
          const s = staffById.get(id);
          const roles = s?.roles.filter((r) => (MEETING_ROLES as readonly string[]).includes(r)) ?? [];
          if (!s || roles.length === 0) {
            errors.push({ field: 'attendeeIds', message: 'Select the people who were there from the list' });
            break;
          }
          attendees.push({ userId: s.userId, name: s.name, roles: roles.map((r) => ROLE_LABELS[r as Role]) });
        }
        if (attendees.length === 0 && !errors.some((e) => e.field === 'attendeeIds'))
          errors.push({ field: 'attendeeIds', message: 'Select who was at the meeting' });
        const given = new Map<string, (typeof input.decisions)[number]>();
        for (const d of input.decisions) {
          if (!onRoll.has(d.pupilId) && !before.has(d.pupilId)) {
            throw new NotFoundError('Pupil not found', { kind: 'pupil', id: d.pupilId });
          }
          given.set(d.pupilId, d);
          for (const p of decisionProblems(d, input.heldOn))
            errors.push({ field: `${p.field}-${d.pupilId}`, message: p.message });
          if (d.actionOwnerId && !owners.has(d.actionOwnerId))
            errors.push({
              field: `owner-${d.pupilId}`,
              message: 'Choose who will do the action from the list',
            });
          const was = before.get(d.pupilId);
          if (was?.concernId && d.decision !== 'concern')
            errors.push({
              field: `decision-${d.pupilId}`,
              message: 'This decision became a concern: it stays “Concern raised”',
            });
        }
        const removed = [...before.values()].filter((d) => !given.has(d.pupilId));
        for (const d of removed) {
          if (d.concernId || d.actionDoneAt)
            errors.push({
              field: `decision-${d.pupilId}`,
              message: d.concernId
                ? 'This decision became a concern: it cannot be removed'
                : 'This action has been done: its decision cannot be removed',
            });
        }
        if (errors.length > 0) throw new ValidationError(errors);
        await updateMeeting(w.tx, a.schoolId, m.id, {
          heldOn: input.heldOn,
          attendees,
          notes: input.notes,
          status: 'held',
        });
        let changed = 0;
        const inserts = [];
        for (const d of given.values()) {
          const was = before.get(d.pupilId);
          const ownerName = d.actionOwnerId ? (staffById.get(d.actionOwnerId)?.name ?? null) : null;
          const values = {
            decision: d.decision,
            notes: d.notes,
            actionOwnerId: d.actionOwnerId,
            actionOwnerName: ownerName,
            actionDueOn: d.actionDueOn,
          };
          if (!was) {
            inserts.push({
              schoolId: a.schoolId,
              id: randomUUID(),
              meetingId: m.id,
              pupilId: d.pupilId,
              ...values,
              recordedBy: a.userId,
              recordedByName: a.name,
            });
          } else if (
            was.decision === d.decision &&
            was.notes === d.notes &&
            was.actionOwnerId === d.actionOwnerId &&
            was.actionDueOn === d.actionDueOn
          ) {
            continue;
          } else {
            await updateDecision(w.tx, a.schoolId, was.id, {
              ...values,
              recordedBy: a.userId,
              recordedByName: a.name,
            });
          }
          changed++;
          w.audit('progress_meeting.decision_recorded', {
            pupilId: d.pupilId,
            detail: {
              meetingId: m.id,
              decision: d.decision,
              actionOwnerId: d.actionOwnerId,
              actionDueOn: d.actionDueOn,
              ...(was ? { changedFrom: was.decision } : {}),
            },
          });
        }
        await insertDecisions(w.tx, inserts);
        await deleteDecisions(
          w.tx,
          a.schoolId,
          removed.map((d) => d.id),
        );
        for (const d of removed) {
          changed++;
          w.audit('progress_meeting.decision_removed', {
            pupilId: d.pupilId,
            detail: { meetingId: m.id, decision: d.decision },
          });
        }
        w.audit('progress_meeting.recorded', {
          detail: {
            meetingId: m.id,
            classId: m.classId,
            heldOn: input.heldOn,
            attendees: attendees.map((x) => x.name),
          },
        });
        return { className: found.className, changed };
      });
    },

    /** May this person use the progress meetings (for the home page's link)? */
    mayUse(actor: Actor): boolean {
      try {
        meetingActor(actor);
        return true;
      } catch {
        return false;
      }
    },

    /** How many open actions from progress meetings this person owns (for the home page). */
    async openActionCount(actor: Actor): Promise<number> {
      const a = requireSchool(actor);
      return countOpenActionsOwnedBy(db, a.schoolId, a.userId);
    },

    /** The actions from progress meetings this person owns and has not done: their list (audited). */
    async myActions(actor: Actor) {
      const a = requireSchool(actor);
      const today = clock.today();
      const rows = await openActionsOwnedBy(db, a.schoolId, a.userId);
      if (rows.length > 0)
        await audit(db, a, 'progress_meeting.actions_listed', { shownPupilIds: rows.map((r) => r.pupilId) });
      return {
        today,
        actions: rows.map((r) => ({
          ...r,
          decisionLabel: MEETING_DECISION_LABELS[r.decision],
          meetingLabel: halfTermLabel(r.academicYear, r.halfTerm),
          overdue: actionOverdue(r, today),
        })),
        mayOpenMeetings: this.mayUse(a),
      };
    },

    /**
     * Mark an action done: its owner, or whoever runs the meetings of its class. Anyone else, and an
     * action of another school, is "not found".
     */
    async markDone(actor: Actor, actionId: string, version: number): Promise<{ pupilName: string }> {
      const a = requireSchool(actor);
      return unitOfWork(db, a, async (w) => {
        const found = await findDecision(w.tx, a.schoolId, actionId, { lock: true });
        const notFound = () =>
          new NotFoundError('Action not found', { kind: 'progress_meeting_pupil', id: actionId });
        if (!found || !found.decision.actionOwnerId) throw notFound();
        const owner = found.decision.actionOwnerId === a.userId;
        if (!owner) {
          let runs = false;
          try {
            const { everyClass } = meetingActor(a);
            runs = everyClass || (await teachesClass(w.tx, a.schoolId, a.userId, found.meeting.classId));
          } catch {
            runs = false;
          }
          if (!runs) throw notFound();
        }
        const pupilName = `${found.forename} ${found.surname}`;
        if (found.decision.actionDoneAt) return { pupilName };
        if (found.decision.version !== version)
          throw new ConflictError(
            'Someone else changed this action meanwhile: look at it again before marking it done',
          );
        await updateDecision(w.tx, a.schoolId, actionId, {
          actionDoneAt: new Date(),
          actionDoneBy: a.userId,
        });
        w.audit('progress_meeting.action_done', {
          pupilId: found.decision.pupilId,
          detail: { meetingId: found.meeting.id, actionId, decision: found.decision.decision },
        });
        return { pupilName };
      });
    },

    /** A decision to raise a concern, for the form that raises it (prefilled from the meeting's notes). */
    async concernForm(
      actor: Actor,
      meetingId: string,
      pupilId: string,
      options: { audit: boolean } = { audit: true },
    ) {
      const { a, everyClass } = meetingActor(actor);
      requireCapability(a, 'concern.raise');
      // Another school's pupil beside one's own meeting is looked for as that school's pupil (the probe
      // is recorded for it), whether or not the meeting is one this person reaches.
      if (!(await isPupilOfSchool(db, a.schoolId, pupilId)))
        throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
      const found = await meetingReached(db, a, everyClass, meetingId);
      const rows = await decisionsOfMeetings(db, a.schoolId, [meetingId]);
      const row = rows.find((r) => r.decision.pupilId === pupilId);
      if (!row || row.decision.decision !== 'concern')
        throw new NotFoundError('Decision not found', { kind: 'pupil', id: pupilId });
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', {
          pupilId,
          detail: { form: 'raise a concern from a progress meeting', meetingId },
        });
      return {
        meeting: {
          id: meetingId,
          className: found.className,
          label: halfTermLabel(found.meeting.academicYear, found.meeting.halfTerm),
          heldOn: found.meeting.heldOn,
        },
        pupil: { id: pupilId, forename: row.forename, surname: row.surname },
        notes: row.decision.notes,
        concernId: row.decision.concernId,
      };
    },

    /**
     * Raise the concern a meeting decided on, through the concerns service, and link it to the decision
     * so that the meeting shows it became a concern. A decision already linked raises no second one.
     */
    async raiseConcern(
      actor: Actor,
      meetingId: string,
      pupilId: string,
      input: ConcernInput,
    ): Promise<string> {
      const form = await this.concernForm(actor, meetingId, pupilId, { audit: false });
      if (form.concernId)
        throw new ValidationError([{ field: 'form', message: 'This decision has already become a concern' }]);
      const concernId = await concerns.raise(actor, pupilId, input);
      const a = requireSchool(actor);
      await unitOfWork(db, a, async (w) => {
        const rows = await decisionsOfMeetings(w.tx, a.schoolId, [meetingId]);
        const row = rows.find((r) => r.decision.pupilId === pupilId);
        if (row && !row.decision.concernId) {
          await updateDecision(w.tx, a.schoolId, row.decision.id, { concernId });
          w.audit('progress_meeting.concern_linked', { pupilId, detail: { meetingId, concernId } });
        }
      });
      return concernId;
    },
  };
}

export type ProgressMeetingService = ReturnType<typeof createProgressMeetingService>;
export type { MeetingDecision };
