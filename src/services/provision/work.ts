import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { academicYearStartOf } from '../../domain/calendar.ts';
import { formatDate, type IsoDate } from '../../domain/dates.ts';
import type { CheckDecision, MeasureKind } from '../../domain/provision.ts';
import { measureHint, measureProblem } from '../../domain/provision-impact.ts';
import { memberOn, sessionDateProblem, sessionsADay } from '../../domain/provision-rules.ts';
import { notSchoolDayReason } from '../../domain/school-days.ts';
import {
  countSessionsOn,
  insertAttendance,
  insertCheck,
  insertSession,
  membersOfGroup,
  setMeasures,
} from '../../repositories/provision.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';
import { groupFor } from './common.ts';

export interface SessionInput {
  heldOn: IsoDate;
  /** Pupils marked present; every other pupil in the group that day is absent. */
  presentPupilIds: string[];
  note: string | null;
  /**
   * The person confirmed a session on a day that is not a school day (a weekend or the usual holidays:
   * a residential trip, say); without it such a date is asked about and nothing is saved.
   */
  notSchoolDayConfirmed?: boolean;
}

export interface MeasuresInput {
  /** The date the entry (exit) measures entered or changed in this save were taken. */
  entryOn: IsoDate | null;
  exitOn: IsoDate | null;
  rows: { memberId: string; version: number; entry: number | null; exit: number | null }[];
}

export interface CheckInput {
  checkedOn: IsoDate;
  decision: CheckDecision;
  notes: string | null;
  pupils: { pupilId: string; expectedProgress: boolean | null; note: string | null }[];
}

const fullName = (p: { forename: string; surname: string }) => `${p.forename} ${p.surname}`;

/** The pupils of a group on a day whom the actor reaches (and who had not left the school). */
async function pupilsOn(tx: Executor, a: SchoolActor, groupId: string, day: IsoDate, today: IsoDate) {
  const members = await membersOfGroup(tx, scopeOf(a), groupId, academicYearStartOf(today));
  return members.filter(
    (m) => m.visible && memberOn(m.member, day) && !(m.leftSchoolOn && m.leftSchoolOn < day),
  );
}

/**
 * The work of the person who delivers a group (or a manager): sessions with attendance, entry and
 * exit measures, the half-termly check.
 */
export function createGroupWork(database: Database, clock: Clock) {
  const { db } = database;

  return {
    /** The session form: the group's pupils today, all ticked present. */
    async sessionForm(actor: Actor, groupId: string) {
      const a = requireSection(actor, 'provision');
      const today = clock.today();
      const { group, actions } = await groupFor(db, a, groupId, today);
      if (!actions.recordSession) throw new NotFoundError('Group not found', { kind: 'group', id: groupId });
      return { group, pupils: await pupilsOn(db, a, groupId, today, today), today };
    },

    async recordSession(
      actor: Actor,
      groupId: string,
      input: SessionInput,
    ): Promise<{ present: number; absent: number }> {
      const a = requireSection(actor, 'provision', 'contribute');
      const today = clock.today();
      return unitOfWork(db, a, async (w) => {
        const { group, actions } = await groupFor(w.tx, a, groupId, today, { lock: true });
        if (!actions.recordSession)
          throw new NotFoundError('Group not found', { kind: 'group', id: groupId });
        const dateProblem = sessionDateProblem(group, input.heldOn, today);
        if (dateProblem) throw new ValidationError([{ field: 'heldOn', message: dateProblem }]);
        const notSchoolDay = notSchoolDayReason(input.heldOn);
        if (notSchoolDay && !input.notSchoolDayConfirmed) {
          throw new ValidationError([
            {
              field: 'notSchoolDayConfirmed',
              message: `${formatDate(input.heldOn)} is ${notSchoolDay}, not a school day: check the date, or confirm the session was held then`,
            },
          ]);
        }
        if (
          (await countSessionsOn(w.tx, a.schoolId, groupId, input.heldOn)) >=
          sessionsADay(group.sessionsPerWeek)
        ) {
          throw new ValidationError([
            {
              field: 'heldOn',
              message: `A session on ${formatDate(input.heldOn)} is already recorded for this group: check the date`,
            },
          ]);
        }
        const pupils = await pupilsOn(w.tx, a, groupId, input.heldOn, today);
        const ids = new Set(pupils.map((p) => p.member.pupilId));
        if (input.presentPupilIds.some((id) => !ids.has(id))) {
          throw new ValidationError([
            {
              field: 'present',
              message: `Only pupils in the group on ${formatDate(input.heldOn)} can be marked present: check the date`,
            },
          ]);
        }
        if (pupils.length === 0)
          throw new ValidationError([
            {
              field: 'heldOn',
              message: `Nobody was in the group on ${formatDate(input.heldOn)}: check the date`,
            },
          ]);
        const sessionId = randomUUID();
        await insertSession(w.tx, {
          schoolId: a.schoolId,
          id: sessionId,
          groupId,
          heldOn: input.heldOn,
          note: input.note,
          recordedBy: a.userId,
          recordedByName: a.name,
        });
        const present = new Set(input.presentPupilIds);
        await insertAttendance(
          w.tx,
          [...ids].map((pupilId) => ({
            schoolId: a.schoolId,
            sessionId,
            pupilId,
            present: present.has(pupilId),
          })),
        );
        const counts = { present: present.size, absent: ids.size - present.size };
        w.audit('session.recorded', {
          detail: { groupId, name: group.name, heldOn: input.heldOn, ...counts },
          shownPupilIds: [...ids],
        });
        return counts;
      });
    },

    /** The measures form: every spell of the pupils the actor reaches, with their measures. */
    async measuresForm(actor: Actor, groupId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'provision');
      const today = clock.today();
      const { group, actions } = await groupFor(db, a, groupId, today);
      if (!actions.recordMeasures) throw new NotFoundError('Group not found', { kind: 'group', id: groupId });
      const members = (await membersOfGroup(db, scopeOf(a), groupId, academicYearStartOf(today))).filter(
        (m) => m.visible,
      );
      if (options.audit)
        await audit(db, a, 'group.viewed', {
          detail: { groupId, name: group.name, page: 'measures' },
          shownPupilIds: members.map((m) => m.member.pupilId),
        });
      return { group, members, today };
    },

    async saveMeasures(actor: Actor, groupId: string, input: MeasuresInput): Promise<number> {
      const a = requireSection(actor, 'provision', 'contribute');
      const today = clock.today();
      return unitOfWork(db, a, async (w) => {
        const { group, actions } = await groupFor(w.tx, a, groupId, today);
        if (!actions.recordMeasures)
          throw new NotFoundError('Group not found', { kind: 'group', id: groupId });
        const kind = group.measureKind as MeasureKind;
        const members = new Map(
          (await membersOfGroup(w.tx, scopeOf(a), groupId, academicYearStartOf(today)))
            .filter((m) => m.visible)
            .map((m) => [m.member.id, m]),
        );
        const errors: FieldError[] = [];
        if (input.entryOn && input.entryOn > today)
          errors.push({
            field: 'entryOn',
            message: 'The date of the entry measures must be today or in the past',
          });
        if (input.exitOn && input.exitOn > today)
          errors.push({
            field: 'exitOn',
            message: 'The date of the exit measures must be today or in the past',
          });
        const changes: {
          memberId: string;
          pupilId: string;
          version: number;
          values: {
            entryMeasure: number | null;
            entryMeasuredOn: IsoDate | null;
            exitMeasure: number | null;
            exitMeasuredOn: IsoDate | null;
          };
        }[] = [];
        for (const row of input.rows) {
          const m = members.get(row.memberId);
          if (!m)
            throw new NotFoundError('Pupil not found in this group', { kind: 'member', id: row.memberId });
          const spell = m.member;
          const entryChanged = row.entry !== spell.entryMeasure;
          const exitChanged = row.exit !== spell.exitMeasure;
          if (!entryChanged && !exitChanged) continue;
          const name = fullName(m);
          if (m.leftSchoolOn) {
            errors.push({
              field: `entry-${row.memberId}`,
              message: `${name} left the school on ${formatDate(m.leftSchoolOn)}: their record can no longer be changed`,
            });
            continue;
          }
          if (row.entry !== null && measureProblem(kind, row.entry))
            errors.push({
              field: `entry-${row.memberId}`,
              message: `Enter ${name}’s entry measure as ${measureHint(kind)}`,
            });
          if (row.exit !== null && measureProblem(kind, row.exit))
            errors.push({
              field: `exit-${row.memberId}`,
              message: `Enter ${name}’s exit measure as ${measureHint(kind)}`,
            });
          if (row.exit !== null && row.entry === null)
            errors.push({
              field: `exit-${row.memberId}`,
              message: `Enter ${name}’s entry measure before their exit measure`,
            });
          const entryOn = entryChanged ? (row.entry === null ? null : input.entryOn) : spell.entryMeasuredOn;
          const exitOn = exitChanged ? (row.exit === null ? null : input.exitOn) : spell.exitMeasuredOn;
          if (
            entryChanged &&
            row.entry !== null &&
            !input.entryOn &&
            !errors.some((e) => e.field === 'entryOn')
          )
            errors.push({ field: 'entryOn', message: 'Enter the date the entry measures were taken' });
          if (exitChanged && row.exit !== null && !input.exitOn && !errors.some((e) => e.field === 'exitOn'))
            errors.push({ field: 'exitOn', message: 'Enter the date the exit measures were taken' });
          if (entryOn && exitOn && exitOn < entryOn)
            errors.push({
              field: 'exitOn',
              message: `${name}’s entry measure was taken on ${formatDate(entryOn)}: the exit measure must be taken on or after it`,
            });
          changes.push({
            memberId: row.memberId,
            pupilId: spell.pupilId,
            version: row.version,
            values: {
              entryMeasure: row.entry,
              entryMeasuredOn: entryOn,
              exitMeasure: row.exit,
              exitMeasuredOn: exitOn,
            },
          });
        }
        if (errors.length > 0) throw new ValidationError(errors);
        for (const c of changes) {
          if (!(await setMeasures(w.tx, a.schoolId, c.memberId, c.version, c.values))) {
            throw new ConflictError(
              'Someone else recorded measures for this group while you were working. Theirs are shown; yours are below: check them and save again.',
            );
          }
          w.audit('measure.recorded', {
            pupilId: c.pupilId,
            detail: {
              groupId,
              name: group.name,
              entry: c.values.entryMeasure,
              entryOn: c.values.entryMeasuredOn,
              exit: c.values.exitMeasure,
              exitOn: c.values.exitMeasuredOn,
            },
          });
        }
        return changes.length;
      });
    },

    /** The half-termly check's form: the group's pupils today. */
    async checkForm(actor: Actor, groupId: string) {
      const a = requireSection(actor, 'provision');
      const today = clock.today();
      const { group, actions } = await groupFor(db, a, groupId, today);
      if (!actions.recordCheck) throw new NotFoundError('Group not found', { kind: 'group', id: groupId });
      const day = group.endDate && group.endDate < today ? group.endDate : today;
      return { group, pupils: await pupilsOn(db, a, groupId, day, today), today };
    },

    /** The half-termly check: each pupil making expected progress or not; continue, alter or stop. */
    async recordCheck(actor: Actor, groupId: string, input: CheckInput) {
      const a = requireSection(actor, 'provision', 'contribute');
      const today = clock.today();
      await unitOfWork(db, a, async (w) => {
        const { group, actions } = await groupFor(w.tx, a, groupId, today, { lock: true });
        if (!actions.recordCheck) throw new NotFoundError('Group not found', { kind: 'group', id: groupId });
        const errors: FieldError[] = [];
        if (input.checkedOn > today)
          errors.push({ field: 'checkedOn', message: 'The date of the check must be today or in the past' });
        if (input.checkedOn < group.startDate)
          errors.push({
            field: 'checkedOn',
            message: `The group started on ${formatDate(group.startDate)}: enter a date from then`,
          });
        const day = group.endDate && group.endDate < input.checkedOn ? group.endDate : input.checkedOn;
        const pupils = await pupilsOn(w.tx, a, groupId, day, today);
        const answers = new Map(input.pupils.map((p) => [p.pupilId, p]));
        if (input.pupils.some((p) => !pupils.some((x) => x.member.pupilId === p.pupilId)))
          errors.push({
            field: 'form',
            message: 'Answer for the pupils in the group on the day of the check',
          });
        for (const p of pupils) {
          const answer = answers.get(p.member.pupilId);
          if (answer?.expectedProgress === null || answer?.expectedProgress === undefined)
            errors.push({
              field: `progress-${p.member.pupilId}`,
              message: `Select whether ${fullName(p)} is making expected progress`,
            });
        }
        if (pupils.length === 0)
          errors.push({ field: 'checkedOn', message: 'Nobody was in the group on that day: check the date' });
        if (errors.length > 0) throw new ValidationError(errors);
        const id = randomUUID();
        await insertCheck(
          w.tx,
          {
            schoolId: a.schoolId,
            id,
            groupId,
            checkedOn: input.checkedOn,
            decision: input.decision,
            notes: input.notes,
            checkedBy: a.userId,
            checkedByName: a.name,
          },
          pupils.map((p) => {
            const answer = answers.get(p.member.pupilId)!;
            return {
              schoolId: a.schoolId,
              checkId: id,
              pupilId: p.member.pupilId,
              expectedProgress: answer.expectedProgress === true,
              note: answer.note,
            };
          }),
        );
        w.audit('group.checked', {
          detail: { groupId, name: group.name, checkedOn: input.checkedOn, decision: input.decision },
          shownPupilIds: pupils.map((p) => p.member.pupilId),
        });
      });
    },
  };
}
