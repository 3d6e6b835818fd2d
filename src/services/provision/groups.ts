import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { capabilitiesOf } from '../../domain/access.ts';
import { fieldChanges } from '../../domain/audit.ts';
import { academicYearLabel, academicYearStartOf } from '../../domain/calendar.ts';
import { formatDate, type IsoDate } from '../../domain/dates.ts';
import type { MeasureKind } from '../../domain/provision.ts';
import { DELIVERER_LABELS, type DelivererKind } from '../../domain/provision.ts';
import { academicYearPeriod, plannedSessions } from '../../domain/provision-costs.ts';
import { progressOf, summarise } from '../../domain/provision-impact.ts';
import {
  checkState,
  groupDatesProblems,
  groupProblems,
  hasEnded,
  joiningProblem,
  leavingProblem,
  memberOn,
  spellsOverlap,
} from '../../domain/provision-rules.ts';
import { costingOf, roundedCosts } from '../../domain/provision-summary.ts';
import { groupActions, provisionActions } from '../../policies/provision.ts';
import {
  checksOfGroup,
  findIntervention,
  findMember,
  groupActivity,
  groupsOfSchool,
  insertGroup,
  insertMembers,
  interventionsOfSchool,
  listedPupils,
  membersOfGroup,
  pupilsForProvision,
  recordedBounds,
  sessionsOfGroup,
  spellsOfPupilInGroup,
  updateGroup,
  updateMember,
} from '../../repositories/provision.ts';
import { listPupils } from '../../repositories/pupils.ts';
import { type Actor, scopeOf } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { changePupil, type PupilWork, unitOfWork, type Work } from '../kernel/unit-of-work.ts';
import { deliverersOf, groupFor } from './common.ts';

/** Who delivers a group: a member of staff who records its sessions, or someone else named. */
export type DelivererChoice = { userId: string } | { name: string };

export interface GroupInput {
  name: string;
  deliverer: DelivererChoice;
  delivererKind: DelivererKind;
  startDate: IsoDate;
  endDate: IsoDate | null;
  sessionsPerWeek: number;
  minutesPerSession: number;
  location: string | null;
  agency: string | null;
}

/** The group's columns from what the form gave, with its deliverer resolved. */
function groupValues(input: GroupInput, deliverer: { delivererId: string | null; delivererName: string }) {
  return {
    name: input.name,
    delivererId: deliverer.delivererId,
    delivererName: deliverer.delivererName,
    delivererKind: input.delivererKind,
    startDate: input.startDate,
    endDate: input.endDate,
    sessionsPerWeek: input.sessionsPerWeek,
    minutesPerSession: input.minutesPerSession,
    location: input.location,
    agency: input.agency,
  };
}

const LABELS: Record<string, string> = {
  name: 'Name',
  delivererName: 'Delivered by',
  delivererKind: 'Kind of deliverer',
  startDate: 'Start date',
  endDate: 'End date',
  sessionsPerWeek: 'Sessions a week',
  minutesPerSession: 'Minutes a session',
  location: 'Where',
  agency: 'Outside agency',
};

const STALE =
  'Someone else changed this group while you were editing it. Theirs is shown; your changes are below: check them and save again.';

const fullName = (p: { forename: string; surname: string }) => `${p.forename} ${p.surname}`;

/**
 * Inside a unit of work by a provision manager: start a group from the catalogue with its pupils (each
 * joins on the start date), audited. Bad input is refused with every problem at once.
 */
export async function startGroupIn(
  w: Work,
  input: GroupInput & { interventionId: string; pupilIds: string[] },
): Promise<string> {
  const a = w.actor;
  const errors: FieldError[] = [...groupProblems(input)];
  if (input.pupilIds.length === 0)
    errors.push({
      field: 'pupilIds',
      message: 'Select at least one pupil: a group starts with its pupils',
    });
  if (new Set(input.pupilIds).size !== input.pupilIds.length)
    errors.push({
      field: 'pupilIds',
      message: 'Each pupil can be in the group once: select each pupil once',
    });
  const id = randomUUID();
  const found = await findIntervention(w.tx, a.schoolId, input.interventionId);
  if (!found || found.archivedAt)
    errors.unshift({ field: 'interventionId', message: 'Select an intervention from the catalogue' });
  const deliverer = await resolveDeliverer(w.tx, a.schoolId, input.deliverer);
  if (deliverer.problem) errors.push(deliverer.problem);
  const pupils = await pupilsForProvision(w.tx, scopeOf(a), [...new Set(input.pupilIds)], 'write');
  if (pupils.length !== new Set(input.pupilIds).size || pupils.some((p) => !p.allowed))
    errors.push({ field: 'pupilIds', message: 'Select pupils from the list' });
  for (const p of pupils.filter((x) => x.leftOn))
    errors.push({
      field: 'pupilIds',
      message: `${fullName(p)} left the school on ${formatDate(p.leftOn)}: choose pupils on roll`,
    });
  if (errors.length > 0) throw new ValidationError(errors);
  await insertGroup(w.tx, {
    schoolId: a.schoolId,
    id,
    interventionId: input.interventionId,
    ...groupValues(input, deliverer),
  });
  await insertMembers(
    w.tx,
    pupils.map((p) => ({
      schoolId: a.schoolId,
      id: randomUUID(),
      groupId: id,
      pupilId: p.id,
      joinedOn: input.startDate,
      addedByName: a.name,
    })),
  );
  w.audit('group.created', {
    detail: { groupId: id, name: input.name, intervention: found?.name, pupils: pupils.length },
  });
  for (const p of pupils)
    w.audit('group.pupil_added', {
      pupilId: p.id,
      detail: { groupId: id, name: input.name, joinedOn: input.startDate },
    });
  return id;
}

/**
 * Inside a unit of work on the pupil (their row locked) by a provision manager: the pupil joins a group
 * on a date (not twice at the same time; inside the group's dates), audited. Returns the group.
 */
export async function joinGroupIn(w: PupilWork, groupId: string, joinedOn: IsoDate, today: IsoDate) {
  const a = w.actor;
  const pupilId = w.pupil.id;
  const { group, actions } = await groupFor(w.tx, a, groupId, today, { lock: true });
  if (!actions.managePupils)
    throw new ValidationError([
      { field: 'form', message: 'This group has ended: pupils can no longer join it' },
    ]);
  const problem = joiningProblem(group, joinedOn);
  if (problem) throw new ValidationError([{ field: 'joinedOn', message: problem }]);
  const spells = await spellsOfPupilInGroup(w.tx, a.schoolId, groupId, pupilId);
  if (spells.some((s) => spellsOverlap(s, { joinedOn, leftOn: null })))
    throw new ValidationError([
      { field: 'pupilId', message: `${fullName(w.pupil)} is already in this group` },
    ]);
  await insertMembers(w.tx, [
    { schoolId: a.schoolId, id: randomUUID(), groupId, pupilId, joinedOn, addedByName: a.name },
  ]);
  w.audit('group.pupil_added', { pupilId, detail: { groupId, name: group.name, joinedOn } });
  return group;
}

/** The deliverer's id and name, or a problem with the choice. */
async function resolveDeliverer(tx: Executor, schoolId: string, choice: DelivererChoice) {
  if ('name' in choice) return { delivererId: null, delivererName: choice.name, problem: null };
  const staff = await deliverersOf(tx, schoolId);
  const found = staff.find((s) => s.userId === choice.userId);
  return found
    ? { delivererId: found.userId, delivererName: found.name, problem: null }
    : {
        delivererId: null,
        delivererName: '',
        problem: { field: 'delivererId', message: 'Select who delivers the group from the list' },
      };
}

/** Provision groups: starting one from the catalogue, changing and ending it, pupils joining and leaving. */
export function createGroups(database: Database, clock: Clock) {
  const { db } = database;

  return {
    /** Groups: every group for those who manage provision, the groups they deliver for anyone else. */
    async groups(
      actor: Actor,
      filter: { which: 'current' | 'ended' | 'all'; mine?: boolean } = { which: 'current' },
    ) {
      const a = requireSection(actor, 'provision');
      const today = clock.today();
      const capabilities = capabilitiesOf(a.roles);
      const manager = capabilities.has('provision.manage');
      const all = await groupsOfSchool(db, a.schoolId, {
        delivererId: manager && !filter.mine ? undefined : a.userId,
      });
      const groups = all.filter((g) =>
        filter.which === 'all' ? true : filter.which === 'ended' ? hasEnded(g, today) : !hasEnded(g, today),
      );
      const activity = new Map(
        (
          await groupActivity(
            db,
            a.schoolId,
            groups.map((g) => g.id),
          )
        ).map((x) => [x.groupId, x]),
      );
      return {
        groups: groups.map((g) => {
          const act = activity.get(g.id);
          const until = g.endDate && g.endDate < today ? g.endDate : today;
          return {
            ...g,
            membersNow: g.memberDates.filter((m) => memberOn(m, today)).length,
            started: g.startDate <= today,
            ended: hasEnded(g, today),
            plannedSessions:
              g.startDate <= until ? plannedSessions(g.sessionsPerWeek, g.startDate, until) : 0,
            sessionsHeld: act?.sessionsHeld ?? 0,
            lastSession: act?.lastSession ?? null,
            check: checkState(g, act?.checkDates ?? [], today),
            actions: groupActions(a, g, { today }),
          };
        }),
        actions: provisionActions(a),
        today,
      };
    },

    /** What the new-group form offers: the catalogue, who can deliver, the pupils on the register. */
    async groupFormOptions(actor: Actor) {
      const a = requireCapability(actor, 'provision.manage');
      const today = clock.today();
      const [interventions, deliverers, pupils] = await Promise.all([
        interventionsOfSchool(db, a.schoolId, today),
        deliverersOf(db, a.schoolId),
        listedPupils(db, a.schoolId, academicYearStartOf(today)),
      ]);
      return {
        interventions: interventions.filter((i) => !i.archivedAt),
        deliverers,
        pupils,
        today,
      };
    },

    /** Start a group from the catalogue with its pupils (each joins on the start date). */
    async startGroup(
      actor: Actor,
      input: GroupInput & { interventionId: string; pupilIds: string[] },
    ): Promise<string> {
      const a = requireCapability(actor, 'provision.manage');
      return unitOfWork(db, a, (w) => startGroupIn(w, input));
    },

    /**
     * A group's page: its pupils (those the actor reaches), sessions planned and held with each
     * pupil's attendance, measures and progress, checks, costs, and what the actor may do.
     */
    async group(actor: Actor, groupId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'provision');
      const today = clock.today();
      const { group, actions } = await groupFor(db, a, groupId, today);
      const [members, sessions, checks] = await Promise.all([
        membersOfGroup(db, scopeOf(a), groupId, academicYearStartOf(today)),
        sessionsOfGroup(db, a.schoolId, groupId),
        checksOfGroup(db, a.schoolId, groupId),
      ]);
      const visible = members.filter((m) => m.visible);
      const shownIds = new Set(visible.map((m) => m.member.pupilId));
      const costing = costingOf(group);
      const yearPeriod = academicYearPeriod(academicYearStartOf(today));
      const yearCosts = roundedCosts(costing, yearPeriod);
      const wholeCosts = roundedCosts(costing, { from: group.startDate, to: group.endDate ?? today });
      const attendance = new Map<string, { held: number; present: number }>();
      for (const s of sessions)
        for (const x of s.attendance) {
          const t = attendance.get(x.pupilId) ?? { held: 0, present: 0 };
          t.held++;
          if (x.present) t.present++;
          attendance.set(x.pupilId, t);
        }
      const until = group.endDate && group.endDate < today ? group.endDate : today;
      const kind = group.measureKind as MeasureKind;
      const rows = visible.map((m) => {
        const measures = {
          entry: m.member.entryMeasure,
          entryOn: m.member.entryMeasuredOn,
          exit: m.member.exitMeasure,
          exitOn: m.member.exitMeasuredOn,
        };
        return {
          ...m,
          current: memberOn(m.member, today) && !m.leftSchoolOn,
          measures,
          progress: progressOf(kind, measures),
          attendance: attendance.get(m.member.pupilId) ?? { held: 0, present: 0 },
          costThisYear: yearCosts.get(m.member.id) ?? 0,
          costWhole: wholeCosts.get(m.member.id) ?? 0,
        };
      });
      if (options.audit)
        await audit(db, a, 'group.viewed', {
          detail: { groupId, name: group.name },
          shownPupilIds: [...shownIds],
        });
      return {
        group,
        actions,
        members: rows,
        hiddenMembers: members.length - visible.length,
        sessions: sessions.map((s) => ({
          ...s,
          attendance: s.attendance.filter((x) => shownIds.has(x.pupilId)),
        })),
        checks: checks.map((c) => ({ ...c, pupils: c.pupils.filter((x) => shownIds.has(x.pupilId)) })),
        plannedSessions:
          group.startDate <= until ? plannedSessions(group.sessionsPerWeek, group.startDate, until) : 0,
        impact: summarise(
          kind,
          rows.map((r) => r.measures),
        ),
        check: checkState(
          group,
          checks.map((c) => c.checkedOn),
          today,
        ),
        ended: hasEnded(group, today),
        yearLabel: academicYearLabel(academicYearStartOf(today)),
        today,
      };
    },

    /** A group for its edit form, with who can deliver it. */
    async groupForEdit(actor: Actor, groupId: string) {
      const a = requireCapability(actor, 'provision.manage');
      const { group } = await groupFor(db, a, groupId, clock.today());
      return { group, deliverers: await deliverersOf(db, a.schoolId) };
    },

    /** Change a group's details and dates (an end date ends it), kept around what is recorded in it. */
    async changeGroup(actor: Actor, groupId: string, version: number, input: GroupInput) {
      const a = requireCapability(actor, 'provision.manage');
      const errors: FieldError[] = [...groupProblems(input)];
      await unitOfWork(db, a, async (w) => {
        const { group } = await groupFor(w.tx, a, groupId, clock.today(), { lock: true });
        if (group.version !== version) throw new ConflictError(STALE, { ...group });
        const deliverer = await resolveDeliverer(w.tx, a.schoolId, input.deliverer);
        if (deliverer.problem) errors.push(deliverer.problem);
        errors.push(...groupDatesProblems(input, await recordedBounds(w.tx, a.schoolId, groupId)));
        if (errors.length > 0) throw new ValidationError(errors);
        const values = groupValues(input, deliverer);
        if (!(await updateGroup(w.tx, a.schoolId, groupId, version, values)))
          throw new ConflictError(STALE, { ...group });
        w.audit('group.changed', {
          detail: {
            groupId,
            name: input.name,
            changes: fieldChanges({ ...group } as Record<string, unknown>, values, LABELS, (key, v) => {
              if (v === null || v === undefined) return '';
              if (key === 'startDate' || key === 'endDate') return formatDate(String(v));
              if (key === 'delivererKind') return DELIVERER_LABELS[v as DelivererKind] ?? String(v);
              return String(v);
            }),
          },
        });
      });
    },

    /** Pupils a manager may add to a group, found by name or UPN. */
    async findPupilsToAdd(actor: Actor, search: string) {
      const a = requireCapability(actor, 'provision.manage');
      const q = search.trim();
      if (q.length < 2) return [];
      const today = clock.today();
      const { rows } = await listPupils(
        db,
        scopeOf(a),
        'provision',
        { search: q },
        academicYearStartOf(today),
        {
          limit: 20,
          offset: 0,
        },
      );
      await audit(db, a, 'pupil.listed', {
        detail: { search: q, page: 'add to a group' },
        shownPupilIds: rows.map((r) => r.id),
      });
      return rows;
    },

    /** A pupil joins a group on a date (not twice at the same time; inside the group's dates). */
    async addPupil(actor: Actor, groupId: string, pupilId: string, joinedOn: IsoDate) {
      const a = requireCapability(actor, 'provision.manage');
      await changePupil(db, a, pupilId, { section: 'provision', level: 'write' }, (w) =>
        joinGroupIn(w, groupId, joinedOn, clock.today()),
      );
    },

    /** A pupil's spell in a group, for the leaving form. */
    async memberForLeaving(actor: Actor, groupId: string, memberId: string) {
      const a = requireCapability(actor, 'provision.manage');
      const { group } = await groupFor(db, a, groupId, clock.today());
      const member = await findMember(db, a.schoolId, groupId, memberId);
      const pupils = member ? await pupilsForProvision(db, scopeOf(a), [member.pupilId], 'write') : [];
      const pupil = pupils[0];
      if (!member || !pupil?.allowed)
        throw new NotFoundError('Pupil not found in this group', { kind: 'member', id: memberId });
      return { group, member, pupil };
    },

    /** A pupil leaves a group on a date (the last day they are in it). */
    async pupilLeaves(actor: Actor, groupId: string, memberId: string, version: number, leftOn: IsoDate) {
      const a = requireCapability(actor, 'provision.manage');
      const spell = await findMember(db, a.schoolId, groupId, memberId);
      if (!spell) throw new NotFoundError('Pupil not found in this group', { kind: 'member', id: memberId });
      await changePupil(db, a, spell.pupilId, { section: 'provision', level: 'write' }, async (w) => {
        const { group } = await groupFor(w.tx, a, groupId, clock.today(), { lock: true });
        const m = await findMember(w.tx, a.schoolId, groupId, memberId, { lock: true });
        if (!m) throw new NotFoundError('Pupil not found in this group', { kind: 'member', id: memberId });
        if (m.version !== version)
          throw new ConflictError(
            'Someone else changed this pupil’s place in the group while you were working: check the dates and save again.',
          );
        const problem = leavingProblem(group, m.joinedOn, leftOn);
        if (problem) throw new ValidationError([{ field: 'leftOn', message: problem }]);
        const runsOn = group.endDate === null || group.endDate > leftOn;
        const othersStay = group.memberDates.some(
          (d) => d.id !== memberId && (d.leftOn === null || d.leftOn > leftOn),
        );
        if (runsOn && !othersStay)
          throw new ValidationError([
            {
              field: 'leftOn',
              message: `${fullName(w.pupil)} is the only pupil in this group after that day: end the group instead, or add another pupil first`,
            },
          ]);
        await updateMember(w.tx, a.schoolId, memberId, version, { leftOn, leftByName: a.name });
        w.audit('group.pupil_left', { pupilId: m.pupilId, detail: { groupId, name: group.name, leftOn } });
      });
    },
  };
}
