import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { academicYearLabel, academicYearStartOf, type TermName } from '../../domain/calendar.ts';
import { type AreaOfNeed, areaOfNeed, isNeedCode } from '../../domain/census.ts';
import { addDays, addYears, formatDate, type IsoDate, toIsoDate } from '../../domain/dates.ts';
import { onRegister } from '../../domain/register.ts';
import {
  countdownText,
  needAreaColumn,
  qualificationDeadline,
  qualificationFor,
  qualificationProblem,
  type SencoQualification,
  sencoQualificationStatus,
  type TrainingArea,
  trainingAgainstNeeds,
  trainingAreaOf,
} from '../../domain/training.ts';
import { registerCounts } from '../../repositories/pupils.ts';
import { staffMember, staffOfSchool } from '../../repositories/staff.ts';
import {
  deleteTraining,
  findPlanItem,
  findSencoAppointment,
  findTraining,
  insertPlanItem,
  insertSencoAppointment,
  insertTraining,
  membersAmong,
  planItemsOfYear,
  sencoAppointments,
  trainingBetween,
  trainingOfUser,
  updatePlanItem,
  updateSencoAppointment,
  updateTraining,
} from '../../repositories/training.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { requireCapability, requireSchool } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

export interface TrainingInput {
  course: string;
  completedOn: IsoDate;
  hours: number;
  area: TrainingArea;
  provider: string | null;
  notes: string | null;
}

export interface PlanItemInput {
  title: string;
  area: TrainingArea;
  audience: string | null;
  term: TermName | null;
  status: 'planned' | 'done' | 'dropped';
  notes: string | null;
}

/** The National Award for SEN Co-ordination began on 1 September 2009 (the SENCO regulations 2008/2009). */
const NATIONAL_AWARD_BEGAN: IsoDate = '2009-09-01';
/** Training and qualifications recorded here are from 2000 on: an earlier date is a mistyped year. */
const EARLIEST_TRAINING: IsoDate = '2000-01-01';

export interface SencoAppointmentInput {
  userId: string;
  appointedOn: IsoDate;
  qualification: SencoQualification | null;
  startedOn: IsoDate | null;
  achievedOn: IsoDate | null;
  provider: string | null;
  endedOn: IsoDate | null;
}

const STALE = (what: string) =>
  `Someone else changed this ${what} while you were editing it. What it says now is shown below; your changes are kept in the form: check them and save again.`;

/** The first and last day of an academic year (1 September to 31 August). */
function yearBounds(start: number): { from: IsoDate; to: IsoDate } {
  return { from: toIsoDate(start, 9, 1), to: addDays(toIsoDate(start + 1, 9, 1), -1) };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Staff training (seed 004: "CPD offered should match identified areas for development"): what each
 * member of staff has done, the school's plan for the year against the register's need mix, and the
 * SENCO's mandatory qualification with its three-year deadline. The SENCo and head manage it; every
 * member of staff sees their own training.
 */
export function createTrainingService(database: Database, clock: Clock) {
  const { db } = database;

  async function trainingOr404(tx: Executor, a: SchoolActor, id: string, lock = false) {
    const found = await findTraining(tx, a.schoolId, id, { lock });
    if (!found) throw new NotFoundError('Training not found', { kind: 'staff_training', id });
    return found;
  }

  async function planItemOr404(tx: Executor, a: SchoolActor, id: string, lock = false) {
    const found = await findPlanItem(tx, a.schoolId, id, { lock });
    if (!found) throw new NotFoundError('Training plan item not found', { kind: 'training_plan_item', id });
    return found;
  }

  async function appointmentOr404(tx: Executor, a: SchoolActor, id: string, lock = false) {
    const found = await findSencoAppointment(tx, a.schoolId, id, { lock });
    if (!found) throw new NotFoundError('SENCO appointment not found', { kind: 'senco_appointment', id });
    return found;
  }

  function checkTraining(input: TrainingInput) {
    if (input.completedOn > clock.today())
      throw new ValidationError([
        { field: 'completedOn', message: 'The date it was completed must be today or earlier' },
      ]);
    if (input.completedOn < EARLIEST_TRAINING)
      throw new ValidationError([
        { field: 'completedOn', message: 'The date it was completed must be in 2000 or later' },
      ]);
  }

  async function activeStaff(a: SchoolActor) {
    return (await staffOfSchool(db, a.schoolId))
      .filter((s) => !s.disabledAt)
      .map((s) => ({ userId: s.userId, name: s.name, roles: s.roles }));
  }

  /** Each SENCO appointment with where its qualification stands and the countdown in words. */
  async function appointments(tx: Executor, a: SchoolActor) {
    const today = clock.today();
    return (await sencoAppointments(tx, a.schoolId)).map(({ appointment, name }) => {
      const facts = { ...appointment, name };
      return {
        ...appointment,
        name,
        required: qualificationFor(appointment.appointedOn),
        deadline: qualificationDeadline(appointment.appointedOn),
        status: sencoQualificationStatus(facts, today),
        countdown: countdownText(facts, today),
      };
    });
  }

  /**
   * An appointment's rules. The SENCo role is asked of a new appointment and a change of person only:
   * one who has since lost the role can still have their appointment ended. One person has one open
   * appointment at a time.
   */
  async function checkAppointment(
    tx: Executor,
    a: SchoolActor,
    input: SencoAppointmentInput,
    existing: { id: string; userId: string } | null = null,
  ) {
    const errors: FieldError[] = [];
    const member = await staffMember(tx, a.schoolId, input.userId);
    if ((!existing || existing.userId !== input.userId) && !member?.roles.includes('senco'))
      errors.push({ field: 'userId', message: 'Choose a member of staff with the SENCo role' });
    const today = clock.today();
    const open = (await sencoAppointments(tx, a.schoolId)).find(
      ({ appointment: o }) =>
        o.userId === input.userId &&
        o.id !== existing?.id &&
        o.endedOn === null &&
        (input.endedOn === null || input.endedOn >= o.appointedOn),
    );
    if (open)
      errors.push({
        field: 'userId',
        message: `${open.name} already has an open appointment from ${formatDate(open.appointment.appointedOn)}: end it first`,
      });
    if (input.appointedOn < NATIONAL_AWARD_BEGAN)
      errors.push({
        field: 'appointedOn',
        message:
          'The date they took up the post must be on or after 1 September 2009, when the National Award for SEN Co-ordination began',
      });
    if (input.startedOn && input.startedOn < EARLIEST_TRAINING)
      errors.push({
        field: 'startedOn',
        message: 'The date they started the qualification must be in 2000 or later',
      });
    if (input.achievedOn && input.achievedOn < EARLIEST_TRAINING)
      errors.push({
        field: 'achievedOn',
        message: 'The date they achieved the qualification must be in 2000 or later',
      });
    if (input.endedOn && input.endedOn > addYears(today, 1))
      errors.push({
        field: 'endedOn',
        message: 'The date they leave the post must be within a year from today',
      });
    if (input.appointedOn > today)
      errors.push({
        field: 'appointedOn',
        message: 'The date they took up the post must be today or earlier',
      });
    if (input.startedOn && input.startedOn > today)
      errors.push({
        field: 'startedOn',
        message: 'The date they started the qualification must be today or earlier',
      });
    if (input.achievedOn && input.achievedOn > today)
      errors.push({
        field: 'achievedOn',
        message: 'The date they achieved the qualification must be today or earlier',
      });
    if (input.achievedOn && input.startedOn && input.achievedOn < input.startedOn)
      errors.push({
        field: 'achievedOn',
        message: 'The date they achieved it must be on or after they started it',
      });
    const wrongQualification = qualificationProblem(input.appointedOn, input.qualification, input.achievedOn);
    if (wrongQualification) errors.push({ field: 'qualification', message: wrongQualification });
    if (input.achievedOn && !input.qualification)
      errors.push({ field: 'qualification', message: 'Say which qualification they achieved' });
    if (input.endedOn && input.endedOn < input.appointedOn)
      errors.push({
        field: 'endedOn',
        message: 'The date they left the post must be on or after they took it up',
      });
    if (errors.length > 0) throw new ValidationError(errors);
  }

  return {
    checkCanManage(actor: Actor): void {
      requireCapability(actor, 'training.manage');
    },

    /**
     * The school's training for an academic year (this one by default): totals by area of need and by
     * person, the records, the plan against the register's need mix, and the SENCOs' qualification.
     */
    async school(actor: Actor, academicYear?: number) {
      const a = requireCapability(actor, 'training.manage');
      const today = clock.today();
      const current = academicYearStartOf(today);
      // A year outside 2000 to next year is not one to show: this year instead.
      const year =
        academicYear !== undefined && academicYear >= 2000 && academicYear <= current + 1
          ? academicYear
          : current;
      const { from, to } = yearBounds(year);
      const [records, plan, counts, staff, sencos] = await Promise.all([
        trainingBetween(db, a.schoolId, from, to),
        planItemsOfYear(db, a.schoolId, year),
        registerCounts(db, a.schoolId),
        activeStaff(a),
        appointments(db, a),
      ]);
      const hoursByArea: Partial<Record<TrainingArea, number>> = {};
      const byPerson = new Map<string, { userId: string; name: string; hours: number; courses: number }>();
      for (const r of records) {
        const area = trainingAreaOf(r.needArea);
        hoursByArea[area] = (hoursByArea[area] ?? 0) + r.hours;
        const p = byPerson.get(r.userId) ?? { userId: r.userId, name: r.name, hours: 0, courses: 0 };
        p.hours += r.hours;
        p.courses += 1;
        byPerson.set(r.userId, p);
      }
      const plannedByArea: Partial<Record<TrainingArea, number>> = {};
      for (const item of plan) {
        if (item.status === 'dropped') continue;
        const area = trainingAreaOf(item.needArea);
        plannedByArea[area] = (plannedByArea[area] ?? 0) + 1;
      }
      const pupilsByArea: Partial<Record<AreaOfNeed, number>> = {};
      for (const c of counts) {
        if (!onRegister(c.senStage) || !c.primaryNeed || !isNeedCode(c.primaryNeed)) continue;
        const area = areaOfNeed(c.primaryNeed);
        if (area) pupilsByArea[area] = (pupilsByArea[area] ?? 0) + c.n;
      }
      const people = staff.map((s) => {
        const p = byPerson.get(s.userId);
        return { userId: s.userId, name: s.name, hours: round1(p?.hours ?? 0), courses: p?.courses ?? 0 };
      });
      return {
        today,
        academicYear: year,
        yearLabel: academicYearLabel(year),
        isCurrentYear: year === current,
        hasYearBefore: year > 2000,
        /** Next year's plan may be made now; no year after that. */
        hasYearAfter: year <= current,
        records,
        totalHours: round1(records.reduce((n, r) => n + r.hours, 0)),
        needs: trainingAgainstNeeds(pupilsByArea, hoursByArea, plannedByArea),
        people,
        plan,
        sencos,
      };
    },

    /** One member of staff's training (for the SENCo and head). */
    async person(actor: Actor, userId: string) {
      const a = requireCapability(actor, 'training.manage');
      const member = await staffMember(db, a.schoolId, userId);
      if (!member) throw new NotFoundError('Staff member not found', { kind: 'staff', id: userId });
      const records = await trainingOfUser(db, a.schoolId, userId);
      return { member, records, totalHours: round1(records.reduce((n, r) => n + r.hours, 0)) };
    },

    /** The signed-in member of staff's own training (their account page), read only. */
    async own(actor: Actor) {
      const a = requireSchool(actor);
      const records = await trainingOfUser(db, a.schoolId, a.userId);
      return { records, totalHours: round1(records.reduce((n, r) => n + r.hours, 0)) };
    },

    /** The members of staff to choose from (one, or several for an INSET). */
    async staffChoices(actor: Actor) {
      const a = requireCapability(actor, 'training.manage');
      return activeStaff(a);
    },

    /** Record one course for one or several members of staff (an INSET for the whole staff). */
    async record(
      actor: Actor,
      userIds: string[],
      input: TrainingInput,
    ): Promise<{ count: number; names: string[] }> {
      const a = requireCapability(actor, 'training.manage');
      const ids = [...new Set(userIds.map((id) => id.toLowerCase()))];
      if (ids.length === 0)
        throw new ValidationError([{ field: 'userIds', message: 'Choose who did the training' }]);
      checkTraining(input);
      return unitOfWork(db, a, async (w) => {
        const members = await membersAmong(w.tx, a.schoolId, ids);
        if (members.length !== ids.length)
          throw new ValidationError([{ field: 'userIds', message: 'Choose members of staff from the list' }]);
        // The form offers staff working here now: one turned off is refused, as the form would.
        const off = members.filter((m) => m.disabledAt);
        if (off.length > 0)
          throw new ValidationError([
            {
              field: 'userIds',
              message: `${off.map((m) => m.name).join(', ')} ${off.length === 1 ? 'is' : 'are'} turned off in OpenSEND: training is recorded for staff working here now`,
            },
          ]);
        const rows = members.map((m) => ({
          schoolId: a.schoolId,
          id: randomUUID(),
          userId: m.userId,
          course: input.course,
          completedOn: input.completedOn,
          hours: input.hours,
          needArea: needAreaColumn(input.area),
          provider: input.provider,
          notes: input.notes,
          recordedBy: a.userId,
          recordedByName: a.name,
        }));
        await insertTraining(w.tx, rows);
        w.audit('training.recorded', {
          detail: {
            course: input.course,
            completedOn: input.completedOn,
            hours: input.hours,
            area: input.area,
            trainingIds: rows.map((r) => r.id),
            staff: members.map((m) => m.name).sort(),
          },
        });
        return { count: rows.length, names: members.map((m) => m.name).sort() };
      });
    },

    async getTraining(actor: Actor, id: string) {
      const a = requireCapability(actor, 'training.manage');
      const found = await trainingOr404(db, a, id);
      return { training: found, version: found.version };
    },

    async updateTraining(actor: Actor, id: string, version: number, input: TrainingInput) {
      const a = requireCapability(actor, 'training.manage');
      checkTraining(input);
      return unitOfWork(db, a, async (w) => {
        const found = await trainingOr404(w.tx, a, id, true);
        if (found.version !== version) throw new ConflictError(STALE('record of training'), { ...found });
        await updateTraining(w.tx, a.schoolId, id, {
          course: input.course,
          completedOn: input.completedOn,
          hours: input.hours,
          needArea: needAreaColumn(input.area),
          provider: input.provider,
          notes: input.notes,
        });
        w.audit('training.changed', {
          detail: {
            trainingId: id,
            staff: found.name,
            before: { course: found.course, completedOn: found.completedOn, hours: found.hours },
            after: { course: input.course, completedOn: input.completedOn, hours: input.hours },
          },
        });
        return { userId: found.userId, name: found.name };
      });
    },

    async deleteTraining(actor: Actor, id: string, version: number) {
      const a = requireCapability(actor, 'training.manage');
      return unitOfWork(db, a, async (w) => {
        const found = await trainingOr404(w.tx, a, id, true);
        if (found.version !== version) throw new ConflictError(STALE('record of training'), { ...found });
        await deleteTraining(w.tx, a.schoolId, id);
        w.audit('training.deleted', {
          detail: { trainingId: id, staff: found.name, course: found.course, completedOn: found.completedOn },
        });
        return { userId: found.userId, name: found.name, course: found.course };
      });
    },

    async addPlanItem(actor: Actor, input: PlanItemInput, academicYear?: number): Promise<string> {
      const a = requireCapability(actor, 'training.manage');
      const id = randomUUID();
      const year = academicYear ?? academicYearStartOf(clock.today());
      await unitOfWork(db, a, async (w) => {
        await insertPlanItem(w.tx, {
          schoolId: a.schoolId,
          id,
          academicYear: year,
          title: input.title,
          needArea: needAreaColumn(input.area),
          audience: input.audience,
          term: input.term,
          status: input.status,
          notes: input.notes,
          createdBy: a.userId,
          createdByName: a.name,
        });
        w.audit('training_plan.item_added', {
          detail: { planItemId: id, title: input.title, academicYear: year },
        });
      });
      return id;
    },

    async getPlanItem(actor: Actor, id: string) {
      const a = requireCapability(actor, 'training.manage');
      const item = await planItemOr404(db, a, id);
      return { item, version: item.version };
    },

    async updatePlanItem(actor: Actor, id: string, version: number, input: PlanItemInput) {
      const a = requireCapability(actor, 'training.manage');
      await unitOfWork(db, a, async (w) => {
        const item = await planItemOr404(w.tx, a, id, true);
        if (item.version !== version)
          throw new ConflictError(STALE('item of the training plan'), { ...item });
        await updatePlanItem(w.tx, a.schoolId, id, {
          title: input.title,
          needArea: needAreaColumn(input.area),
          audience: input.audience,
          term: input.term,
          status: input.status,
          notes: input.notes,
        });
        w.audit('training_plan.item_changed', {
          detail: { planItemId: id, title: input.title, status: input.status, was: item.status },
        });
      });
    },

    /** The SENCOs' appointments with their qualification's countdown. */
    async sencoAppointments(actor: Actor) {
      const a = requireCapability(actor, 'training.manage');
      return appointments(db, a);
    },

    /** The countdowns still running (for the head's and SENCo's home page). */
    async sencoCountdowns(actor: Actor) {
      const a = requireCapability(actor, 'training.manage');
      return (await appointments(db, a)).flatMap((s) =>
        s.countdown && (s.status.state === 'due' || s.status.state === 'overdue')
          ? [{ id: s.id, text: s.countdown, overdue: s.status.state === 'overdue' }]
          : [],
      );
    },

    /** The members of staff with the SENCo role (for an appointment). */
    async sencoChoices(actor: Actor) {
      const a = requireCapability(actor, 'training.manage');
      return (await activeStaff(a))
        .filter((s) => s.roles.includes('senco'))
        .map((s) => ({ userId: s.userId, name: s.name }));
    },

    async recordSencoAppointment(actor: Actor, input: SencoAppointmentInput): Promise<string> {
      const a = requireCapability(actor, 'training.manage');
      const id = randomUUID();
      await unitOfWork(db, a, async (w) => {
        await checkAppointment(w.tx, a, input);
        await insertSencoAppointment(w.tx, {
          schoolId: a.schoolId,
          id,
          ...input,
          updatedBy: a.userId,
        });
        w.audit('senco_appointment.recorded', {
          detail: { appointmentId: id, userId: input.userId, appointedOn: input.appointedOn },
        });
      });
      return id;
    },

    async getSencoAppointment(actor: Actor, id: string) {
      const a = requireCapability(actor, 'training.manage');
      const found = await appointmentOr404(db, a, id);
      return { appointment: found.appointment, name: found.name, version: found.appointment.version };
    },

    async updateSencoAppointment(actor: Actor, id: string, version: number, input: SencoAppointmentInput) {
      const a = requireCapability(actor, 'training.manage');
      await unitOfWork(db, a, async (w) => {
        const found = await appointmentOr404(w.tx, a, id, true);
        if (found.appointment.version !== version)
          throw new ConflictError(STALE('SENCO appointment'), { ...found.appointment, name: found.name });
        await checkAppointment(w.tx, a, input, {
          id: found.appointment.id,
          userId: found.appointment.userId,
        });
        await updateSencoAppointment(w.tx, a.schoolId, id, { ...input, updatedBy: a.userId });
        w.audit('senco_appointment.changed', {
          detail: {
            appointmentId: id,
            before: {
              qualification: found.appointment.qualification,
              startedOn: found.appointment.startedOn,
              achievedOn: found.appointment.achievedOn,
              endedOn: found.appointment.endedOn,
            },
            after: {
              qualification: input.qualification,
              startedOn: input.startedOn,
              achievedOn: input.achievedOn,
              endedOn: input.endedOn,
            },
          },
        });
      });
    },
  };
}

export type TrainingService = ReturnType<typeof createTrainingService>;
