import { createHash, randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { fieldChanges } from '../../domain/audit.ts';
import { academicYearLabel, ncYearLabel } from '../../domain/calendar.ts';
import { lowestYearGroup, yearGroupsLabel } from '../../domain/classes.ts';
import { todayInEngland } from '../../domain/dates.ts';
import {
  type DefaultMode,
  type Destination,
  defaultLeavingDate,
  planRollOver,
  preparedYear,
  type RollOverChoices,
  type RollOverState,
  rollOverGroups,
  rollOverStatus,
  rollOverYearProblem,
} from '../../domain/roll-over.ts';
import {
  isInRange,
  isPhase,
  PHASE_LABELS,
  type Phase,
  type YearGroupRange,
  yearGroupRangeProblem,
  yearGroupsOf,
} from '../../domain/school.ts';
import { setClassesOfPupils, setYearGroupsOfClasses } from '../../repositories/classes.ts';
import {
  classesInUse,
  lockSchool,
  markLeavers,
  pupilsOnRoll,
  type SchoolRow,
  setRolledOverTo,
  setYearGroupOverrides,
  shiftYearGroupOverrides,
  updateSchoolDetails,
} from '../../repositories/school-year.ts';
import { findSchool, insertClasses } from '../../repositories/schools.ts';
import { moveChanges, recordClassMoves } from '../classes/moves.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

export interface SchoolDetailsInput {
  name: string;
  urn: string;
  laCode: string;
  establishmentNumber: string;
  phase: Phase;
  lowestNcYear: number;
  highestNcYear: number;
}

export interface RollOverApplyInput {
  academicYear: number;
  /** The school's version the preview showed: a roll-over by someone else meanwhile moves it on. */
  version: number;
  /** The pupils and classes the preview was made from. */
  fingerprint: string;
  choices: RollOverChoices;
}

const DETAIL_LABELS = {
  name: 'School name',
  urn: 'URN',
  laCode: 'LA code',
  establishmentNumber: 'Establishment number',
  phase: 'Phase',
  lowestNcYear: 'Youngest year group',
  highestNcYear: 'Oldest year group',
} as const;

const rangeOf = (s: SchoolRow): YearGroupRange => ({ lowest: s.lowestNcYear, highest: s.highestNcYear });

/** The school's own details and its year: the year groups it teaches and the year-end roll-over. */
export function createSchoolService(database: Database, clock: Clock) {
  const { db } = database;

  async function schoolOf(a: SchoolActor, tx: Executor = db) {
    const found = await findSchool(tx, a.schoolId);
    if (!found) throw new NotFoundError('School not found');
    return found;
  }

  function statusOf(s: SchoolRow) {
    const today = clock.today();
    return rollOverStatus(today, preparedYear(s.rolledOverTo, todayInEngland(s.createdAt), today));
  }

  /** The school as the roll-over sees it: classes in use and pupils on roll (locked when applying). */
  async function stateOf(tx: Executor, s: SchoolRow, fromYear: number, toYear: number, lock: boolean) {
    const classes = await classesInUse(tx, s.id);
    const pupils = await pupilsOnRoll(tx, s.id, { lock });
    const state: RollOverState = {
      fromYear,
      toYear,
      range: rangeOf(s),
      classes: classes.map((c) => ({ id: c.id, name: c.name, ncYears: c.ncYears })),
      pupils,
    };
    return state;
  }

  /** What the preview was made from, so that a change meanwhile is noticed when applying. */
  function fingerprintOf(state: RollOverState): string {
    const content = JSON.stringify({
      from: state.fromYear,
      to: state.toYear,
      range: state.range,
      classes: [...state.classes].sort((a, b) => a.id.localeCompare(b.id)),
      pupils: [...state.pupils]
        .sort((a, b) => a.id.localeCompare(b.id))
        .map((p) => [p.id, p.classId, p.ncYearOverride, p.dateOfBirth]),
    });
    return createHash('sha256').update(content).digest('hex').slice(0, 32);
  }

  return {
    /** May this actor manage the school's details and year? For pages shown before anything is read. */
    checkCanManage(actor: Actor): void {
      requireCapability(actor, 'school.manage');
    },

    /** The school's details, its year groups, and where its year-end roll-over stands. */
    async details(actor: Actor) {
      const a = requireCapability(actor, 'school.manage');
      const s = await schoolOf(a);
      return { school: s, range: rangeOf(s), rollOver: statusOf(s) };
    },

    /** The school's year groups, youngest first (for forms and filters). */
    async yearGroups(actor: Actor) {
      const a = requireCapability(actor, 'school.manage');
      return yearGroupsOf(rangeOf(await schoolOf(a)));
    },

    async updateDetails(actor: Actor, version: number, input: SchoolDetailsInput): Promise<void> {
      const a = requireCapability(actor, 'school.manage');
      const range = { lowest: input.lowestNcYear, highest: input.highestNcYear };
      const rangeProblem = yearGroupRangeProblem(range);
      if (rangeProblem) throw new ValidationError([{ field: 'highestNcYear', message: rangeProblem }]);
      if (!isPhase(input.phase))
        throw new ValidationError([{ field: 'phase', message: 'Select the school’s phase' }]);
      await unitOfWork(db, a, async (w) => {
        const current = await lockSchool(w.tx, a.schoolId);
        if (!current) throw new NotFoundError('School not found');
        if (current.version !== version) {
          throw new ConflictError(
            'Someone else changed the school’s details while you were editing (or rolled the school over). Their version is shown below; your changes are kept in the form: check them and save again.',
          );
        }
        // A class cannot be left teaching a year group the school no longer has.
        const outside = (await classesInUse(w.tx, a.schoolId)).filter((c) =>
          c.ncYears.some((y) => !isInRange(y, range)),
        );
        if (outside.length > 0) {
          const c = outside[0]!;
          throw new ValidationError([
            {
              field: c.ncYears.some((y) => y < range.lowest) ? 'lowestNcYear' : 'highestNcYear',
              message: `${c.name} teaches ${yearGroupsLabel(c.ncYears)}: change its year groups, or archive it, before taking ${c.ncYears.length === 1 ? 'that year group' : 'those year groups'} out of the school’s range${outside.length > 1 ? ` (and ${outside.length - 1} more ${outside.length === 2 ? 'class' : 'classes'})` : ''}`,
            },
          ]);
        }
        const values = {
          name: input.name,
          urn: input.urn,
          laCode: input.laCode,
          establishmentNumber: input.establishmentNumber,
          phase: input.phase,
          lowestNcYear: input.lowestNcYear,
          highestNcYear: input.highestNcYear,
        };
        await updateSchoolDetails(w.tx, a.schoolId, version, values);
        const changes = fieldChanges(current, values, DETAIL_LABELS, (key, v) => {
          if (v === null || v === undefined) return '';
          if (key === 'lowestNcYear' || key === 'highestNcYear') return ncYearLabel(Number(v));
          if (key === 'phase') return isPhase(String(v)) ? PHASE_LABELS[String(v) as Phase] : String(v);
          return String(v);
        });
        w.audit('school.details_changed', { detail: { changes } });
      });
    },

    /** The roll-over's first page: which year it prepares and whether it can be done now. */
    async rollOverStart(actor: Actor) {
      const a = requireCapability(actor, 'school.manage');
      const s = await schoolOf(a);
      return { school: s, range: rangeOf(s), status: statusOf(s) };
    },

    /**
     * The preview: every group of pupils with its new year group and where it goes, the leavers, and
     * what will happen, for the suggested choices or the user's own. The pupils shown are audited on
     * the first view.
     */
    async rollOverPreview(
      actor: Actor,
      requestedYear: number | null,
      options: { choices?: RollOverChoices | null; mode?: DefaultMode; audit: boolean },
    ) {
      const a = requireCapability(actor, 'school.manage');
      const s = await schoolOf(a);
      const status = statusOf(s);
      const year = requestedYear ?? status.toYear;
      if (s.rolledOverTo !== null && year <= s.rolledOverTo) {
        return { kind: 'done' as const, school: s, year, status };
      }
      const problem = rollOverYearProblem(year, s.rolledOverTo, status);
      if (problem) return { kind: 'closed' as const, school: s, year, status, problem };
      const state = await stateOf(db, s, status.fromYear, status.toYear, false);
      const mode = options.mode ?? 'year_group';
      const { groups, leavers } = rollOverGroups(state, mode);
      const suggested: RollOverChoices = {
        destinations: Object.fromEntries(groups.map((g) => [g.key, g.suggested])) as Record<
          string,
          Destination
        >,
        leaving: new Set(leavers.map((l) => l.id)),
        leftOn: defaultLeavingDate(state.toYear),
        destinationForAll: null,
        destinationOf: {},
        updateYearGroups: mode === 'same_class',
      };
      const choices = options.choices ?? suggested;
      if (options.audit) {
        await audit(db, a, 'school.roll_over_previewed', {
          detail: { academicYear: year },
          shownPupilIds: state.pupils.map((p) => p.id),
        });
      }
      return {
        kind: 'preview' as const,
        school: s,
        year,
        status,
        version: s.version,
        fingerprint: fingerprintOf(state),
        range: state.range,
        classes: state.classes,
        groups,
        leavers,
        suggested,
        outcome: planRollOver(state, choices),
      };
    },

    /**
     * Apply the roll-over, all or nothing: overrides move up, the oldest year group leaves, new classes
     * are made, pupils move, and the school is marked as rolled over to the new year (never twice).
     * Nothing of any pupil's SEN record is touched.
     */
    async rollOverApply(actor: Actor, input: RollOverApplyInput) {
      const a = requireCapability(actor, 'school.manage');
      const label = academicYearLabel(input.academicYear);
      try {
        return await unitOfWork(db, a, async (w) => {
          const s = await lockSchool(w.tx, a.schoolId);
          if (!s) throw new NotFoundError('School not found');
          if (s.rolledOverTo !== null && input.academicYear <= s.rolledOverTo) {
            throw new ConflictError(
              `The school has already been rolled over to ${academicYearLabel(s.rolledOverTo)}, perhaps by someone else a moment ago: nothing has been done twice.`,
            );
          }
          if (s.version !== input.version) {
            throw new ConflictError(
              'Someone changed the school’s details while you were checking the roll-over. The preview below is up to date: check it and apply again. Nothing has been done.',
            );
          }
          const status = statusOf(s);
          const problem = rollOverYearProblem(input.academicYear, s.rolledOverTo, status);
          if (problem) throw new ValidationError([{ field: 'form', message: problem }]);
          const state = await stateOf(w.tx, s, status.fromYear, status.toYear, true);
          if (fingerprintOf(state) !== input.fingerprint) {
            throw new ConflictError(
              'Pupils or classes changed while you were checking the roll-over (someone added, moved or changed a pupil or a class). The preview below is up to date: check it and apply again. Nothing has been done.',
            );
          }
          const outcome = planRollOver(state, input.choices);
          if (!outcome.ok) throw new ValidationError(outcome.errors);
          const plan = outcome.plan;
          const classNames = new Map(state.classes.map((c) => [c.id, c.name]));

          // Pupils taught out of year group move up with everyone; those staying on keep their year group.
          await shiftYearGroupOverrides(w.tx, a.schoolId, plan.overridesMovedUp, plan.overrideShift);
          await setYearGroupOverrides(w.tx, a.schoolId, plan.stayingOn);

          // The oldest year group leaves: dated, with where they went, out of their class.
          await markLeavers(w.tx, a.schoolId, plan.leavers);
          const leaverClass = new Map(
            state.pupils.filter((p) => p.classId && classNames.has(p.classId)).map((p) => [p.id, p.classId]),
          );
          const leftClasses = plan.leavers
            .filter((l) => leaverClass.has(l.pupilId))
            .map((l) => ({ pupilId: l.pupilId, fromClassId: leaverClass.get(l.pupilId)!, toClassId: null }));
          if (leftClasses.length > 0) {
            await recordClassMoves(w.tx, a, leftClasses, plan.leavers[0]!.leftOn, 'roll_over');
          }

          // New classes, then every pupil into their class for the new year.
          const newIds = new Map(plan.newClasses.map((c) => [c.name, randomUUID()]));
          await insertClasses(
            w.tx,
            plan.newClasses.map((c) => ({
              schoolId: a.schoolId,
              id: newIds.get(c.name)!,
              name: c.name,
              ncYears: c.ncYears,
              ncYear: lowestYearGroup(c.ncYears),
            })),
          );
          const moves = plan.moves.map((m) => ({
            pupilId: m.pupilId,
            fromClassId: m.fromClassId,
            toClassId: m.to === null ? null : 'classId' in m.to ? m.to.classId : newIds.get(m.to.newClass)!,
          }));
          await setClassesOfPupils(
            w.tx,
            a.schoolId,
            moves.map((m) => ({ pupilId: m.pupilId, classId: m.toClassId })),
          );
          const movedOn = `${plan.toYear}-09-01`;
          await recordClassMoves(w.tx, a, moves, movedOn, 'roll_over');
          if (plan.updateYearGroups) {
            await setYearGroupsOfClasses(
              w.tx,
              a.schoolId,
              plan.yearGroupChanges.map((c) => ({
                classId: c.classId,
                ncYears: c.to,
                ncYear: lowestYearGroup(c.to),
              })),
            );
          }
          await setRolledOverTo(w.tx, a.schoolId, plan.toYear);

          const nameOf = (id: string | null) =>
            id ? (classNames.get(id) ?? [...newIds].find(([, v]) => v === id)?.[0] ?? null) : null;
          for (const c of plan.newClasses) {
            w.audit('class.created', {
              detail: {
                classId: newIds.get(c.name),
                name: c.name,
                ncYears: c.ncYears,
                teacherIds: [],
                source: 'roll_over',
              },
            });
          }
          for (const l of plan.leavers) {
            w.audit('pupil.left', {
              pupilId: l.pupilId,
              detail: { leftOn: l.leftOn, destination: l.destination, source: 'roll_over' },
            });
          }
          for (const m of moves) {
            w.audit('pupil.class_moved', {
              pupilId: m.pupilId,
              detail: {
                changes: moveChanges(nameOf(m.fromClassId), nameOf(m.toClassId)),
                movedOn,
                source: 'roll_over',
              },
            });
          }
          if (plan.updateYearGroups) {
            for (const c of plan.yearGroupChanges) {
              w.audit('class.changed', {
                detail: {
                  classId: c.classId,
                  changes: [
                    { label: 'Year groups', from: yearGroupsLabel(c.from), to: yearGroupsLabel(c.to) },
                  ],
                  source: 'roll_over',
                },
              });
            }
          }
          const counts = {
            movingUp: plan.summary.movingUp,
            changedClass: plan.summary.changingClass,
            toNoClass: plan.summary.toNoClass,
            left: plan.leavers.length,
            stayingOn: plan.stayingOn.length,
            overridesMovedUp: plan.overridesMovedUp.length,
            classesCreated: plan.newClasses.length,
            classYearGroupsChanged: plan.updateYearGroups ? plan.yearGroupChanges.length : 0,
          };
          w.audit('school.rolled_over', {
            detail: { academicYear: plan.toYear, from: plan.fromYear, counts },
          });
          return { academicYear: plan.toYear, counts };
        });
      } catch (error) {
        // A class made with one of the new names by someone else while this ran: nothing was saved.
        if (error instanceof ValidationError && error.errors.some((e) => e.field === 'name')) {
          const clash: FieldError = {
            field: 'form',
            message: `A class with one of the new names was made by someone else while the roll-over to ${label} was being applied, so nothing has been changed. Choose that class from the list, or give the new class another name, and apply again.`,
          };
          throw new ValidationError([clash]);
        }
        throw error;
      }
    },
  };
}

export type SchoolService = ReturnType<typeof createSchoolService>;
