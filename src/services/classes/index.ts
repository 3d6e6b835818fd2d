import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { type FieldChange, fieldChanges } from '../../domain/audit.ts';
import { academicYearStartOf } from '../../domain/calendar.ts';
import {
  archiveProblem,
  classYearGroupsProblem,
  lowestYearGroup,
  normaliseYearGroups,
  yearGroupsLabel,
} from '../../domain/classes.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { type YearGroupRange, yearGroupsOf } from '../../domain/school.ts';
import {
  archiveClass,
  bumpMembershipVersions,
  classesWithTeachers,
  classInUseNamed,
  classTeacherCandidates,
  findClass,
  lockPupilsForMove,
  pupilsInClass,
  pupilsWithoutClass,
  replaceTeachersOfClass,
  setClassesOfPupils,
  teacherIdsOfClass,
  updateClass,
} from '../../repositories/classes.ts';
import { schoolYearOf } from '../../repositories/school-year.ts';
import { classesOfSchool, insertClasses } from '../../repositories/schools.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil, unitOfWork } from '../kernel/unit-of-work.ts';
import { moveChanges, recordClassMoves } from './moves.ts';

export interface ClassInput {
  name: string;
  ncYears: number[];
  teacherIds: string[];
}

export interface MoveInput {
  pupilIds: string[];
  /** A class in use, or null for no class. */
  toClassId: string | null;
  movedOn: IsoDate;
}

export interface PupilClassInput {
  /** The class the form showed the pupil in: someone else's move meanwhile is a conflict. */
  fromClassId: string | null;
  toClassId: string | null;
  movedOn: IsoDate;
}

const CLASS_LABELS = { name: 'Name', ncYears: 'Year groups', teachers: 'Teachers' } as const;

/**
 * Classes: the SENCo, head and office add them (a name, the year groups taught, the teachers), change
 * them, archive them once empty, and move pupils between them. A class teacher's reach follows the
 * pupil's class, so a move changes who sees the pupil's record at once.
 */
export function createClassService(database: Database, clock: Clock) {
  const { db } = database;

  async function rangeOf(tx: Executor, schoolId: string): Promise<YearGroupRange> {
    const year = await schoolYearOf(tx, schoolId);
    return { lowest: year?.lowest ?? -1, highest: year?.highest ?? 6 };
  }

  async function classOr404(
    tx: Executor,
    schoolId: string,
    classId: string,
    options: { lock?: boolean } = {},
  ) {
    const found = await findClass(tx, schoolId, classId, options);
    if (!found) throw new NotFoundError('Class not found', { kind: 'class', id: classId });
    return found;
  }

  /** The rules a class must meet that a form alone cannot check; the teachers by id. */
  async function checkClassInput(tx: Executor, a: SchoolActor, input: ClassInput, classId?: string) {
    const errors: FieldError[] = [];
    const taken = await classInUseNamed(tx, a.schoolId, input.name, classId);
    if (taken) {
      errors.push({
        field: 'name',
        message: `A class named ${taken.name} is already in use: choose another name`,
      });
    }
    const yearProblem = classYearGroupsProblem(input.ncYears, await rangeOf(tx, a.schoolId));
    if (yearProblem) errors.push({ field: 'ncYears', message: yearProblem });
    const candidates = await classTeacherCandidates(tx, a.schoolId);
    const known = new Map(candidates.map((c) => [c.userId, c.name]));
    if (input.teacherIds.some((id) => !known.has(id))) {
      errors.push({ field: 'teacherIds', message: 'Select teachers from the list' });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return known;
  }

  function moveTargetProblem(
    to: Awaited<ReturnType<typeof findClass>>,
    toClassId: string | null,
  ): FieldError | null {
    if (toClassId && (!to || to.archivedAt))
      return { field: 'toClassId', message: 'Select a class from the list' };
    return null;
  }

  function movedOnProblem(movedOn: IsoDate): FieldError | null {
    return movedOn > clock.today()
      ? { field: 'movedOn', message: 'The date of the move must be today or earlier' }
      : null;
  }

  return {
    /** May this actor manage classes? For the add form, before anything is shown. */
    checkCanManage(actor: Actor): void {
      requireCapability(actor, 'classes.manage');
    },

    /** Classes in use and archived ones apart, with teachers and how many pupils each has. */
    async list(actor: Actor) {
      const a = requireCapability(actor, 'classes.manage');
      const classes = await classesWithTeachers(db, a.schoolId);
      return {
        inUse: classes.filter((c) => !c.archivedAt),
        archived: classes.filter((c) => c.archivedAt),
      };
    },

    /** What the add and change forms offer: the school's year groups and its class teachers. */
    async formOptions(actor: Actor, currentTeacherIds: readonly string[] = []) {
      const a = requireCapability(actor, 'classes.manage');
      const [range, candidates] = await Promise.all([
        rangeOf(db, a.schoolId),
        classTeacherCandidates(db, a.schoolId),
      ]);
      return {
        yearGroups: yearGroupsOf(range),
        teachers: candidates
          .filter((c) => !c.disabledAt || currentTeacherIds.includes(c.userId))
          .map((c) => ({ userId: c.userId, name: c.name })),
      };
    },

    async create(actor: Actor, input: ClassInput): Promise<string> {
      const a = requireCapability(actor, 'classes.manage');
      const id = randomUUID();
      const ncYears = normaliseYearGroups(input.ncYears);
      const teacherIds = [...new Set(input.teacherIds)];
      await unitOfWork(db, a, async (w) => {
        await checkClassInput(w.tx, a, { ...input, ncYears, teacherIds });
        await insertClasses(w.tx, [
          { schoolId: a.schoolId, id, name: input.name, ncYears, ncYear: lowestYearGroup(ncYears) },
        ]);
        await replaceTeachersOfClass(w.tx, a.schoolId, id, teacherIds);
        await bumpMembershipVersions(w.tx, a.schoolId, teacherIds);
        w.audit('class.created', { detail: { classId: id, name: input.name, ncYears, teacherIds } });
      });
      return id;
    },

    /** One class: its details, teachers and pupils on roll (the names are audited as a list). */
    async get(actor: Actor, classId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'classes.manage');
      const found = await classOr404(db, a.schoolId, classId);
      const start = academicYearStartOf(clock.today());
      const [pupils, unplaced, classes] = await Promise.all([
        pupilsInClass(db, a.schoolId, classId, start),
        found.archivedAt ? Promise.resolve([]) : pupilsWithoutClass(db, a.schoolId, found.ncYears, start),
        classesOfSchool(db, a.schoolId),
      ]);
      const shown = [...pupils, ...unplaced].map((p) => p.id);
      if (options.audit && shown.length > 0) {
        await audit(db, a, 'class.pupils_listed', {
          detail: { classId, name: found.name },
          shownPupilIds: shown,
        });
      }
      return {
        schoolClass: found,
        pupils,
        /** Pupils with no class in the class's year groups, to put in it. */
        unplaced,
        otherClasses: classes.filter((c) => c.id !== classId),
        today: clock.today(),
      };
    },

    async update(actor: Actor, classId: string, version: number, input: ClassInput): Promise<void> {
      const a = requireCapability(actor, 'classes.manage');
      const ncYears = normaliseYearGroups(input.ncYears);
      const teacherIds = [...new Set(input.teacherIds)];
      await unitOfWork(db, a, async (w) => {
        const current = await classOr404(w.tx, a.schoolId, classId, { lock: true });
        if (current.archivedAt) {
          throw new ValidationError([
            { field: 'form', message: `${current.name} is archived: it can no longer be changed` },
          ]);
        }
        if (current.version !== version) {
          throw new ConflictError(
            'Someone else changed this class while you were editing. Their version is shown below; your changes are kept in the form: check them and save again.',
          );
        }
        const names = await checkClassInput(w.tx, a, { ...input, ncYears, teacherIds }, classId);
        await updateClass(w.tx, a.schoolId, classId, version, {
          name: input.name,
          ncYears,
          ncYear: lowestYearGroup(ncYears),
        });
        const before = await teacherIdsOfClass(w.tx, a.schoolId, classId);
        await replaceTeachersOfClass(w.tx, a.schoolId, classId, teacherIds);
        const changedTeachers = [
          ...before.filter((id) => !teacherIds.includes(id)),
          ...teacherIds.filter((id) => !before.includes(id)),
        ];
        await bumpMembershipVersions(w.tx, a.schoolId, changedTeachers);
        const teacherNames = (ids: readonly string[]) =>
          ids
            .map((id) => names.get(id) ?? current.teachers.find((t) => t.userId === id)?.name ?? '')
            .sort()
            .join(', ');
        const changes: FieldChange[] = fieldChanges(
          { name: current.name, ncYears: current.ncYears, teachers: before },
          { name: input.name, ncYears, teachers: teacherIds },
          CLASS_LABELS,
          (key, v) =>
            key === 'ncYears'
              ? yearGroupsLabel(v as number[])
              : key === 'teachers'
                ? teacherNames(v as string[])
                : String(v ?? ''),
        );
        w.audit('class.changed', { detail: { classId, changes } });
      });
    },

    /** The class for its change form, with the choices the form offers. */
    async forEdit(actor: Actor, classId: string) {
      const a = requireCapability(actor, 'classes.manage');
      const found = await classOr404(db, a.schoolId, classId);
      if (found.archivedAt) throw new NotFoundError('Class not found', { kind: 'class', id: classId });
      const [range, candidates] = await Promise.all([
        rangeOf(db, a.schoolId),
        classTeacherCandidates(db, a.schoolId),
      ]);
      const current = found.teachers.map((t) => t.userId);
      return {
        schoolClass: found,
        yearGroups: yearGroupsOf(range),
        teachers: candidates
          .filter((c) => !c.disabledAt || current.includes(c.userId))
          .map((c) => ({ userId: c.userId, name: c.name })),
      };
    },

    /** Put pupils who have no class in this class, on a date. */
    async addPupils(actor: Actor, classId: string, input: { pupilIds: string[]; movedOn: IsoDate }) {
      const a = requireCapability(actor, 'classes.manage');
      const pupilIds = [...new Set(input.pupilIds)];
      return unitOfWork(db, a, async (w) => {
        const to = await classOr404(w.tx, a.schoolId, classId);
        const errors = [
          pupilIds.length === 0
            ? { field: 'addPupilIds', message: 'Select the pupils to put in this class' }
            : null,
          to.archivedAt ? { field: 'form', message: `${to.name} is archived: choose a class in use` } : null,
          movedOnProblem(input.movedOn)
            ? { field: 'addedOn', message: 'The date must be today or earlier' }
            : null,
        ].filter((e): e is FieldError => e !== null);
        if (errors.length > 0) throw new ValidationError(errors);
        const locked = await lockPupilsForMove(w.tx, a.schoolId, pupilIds);
        if (locked.length !== pupilIds.length) {
          throw new ValidationError([{ field: 'addPupilIds', message: 'Select pupils from the list' }]);
        }
        const placed = locked.filter((p) => p.classId !== null || p.leftOn);
        if (placed.length > 0) {
          const names = placed.map((p) => `${p.forename} ${p.surname}`).join(', ');
          throw new ConflictError(
            `${names} ${placed.length === 1 ? 'has' : 'have'} been put in a class by someone else while you were choosing. Nothing has been changed: the list below is up to date.`,
          );
        }
        await setClassesOfPupils(
          w.tx,
          a.schoolId,
          pupilIds.map((pupilId) => ({ pupilId, classId })),
        );
        await recordClassMoves(
          w.tx,
          a,
          pupilIds.map((pupilId) => ({ pupilId, fromClassId: null, toClassId: classId })),
          input.movedOn,
          'class_change',
        );
        for (const pupilId of pupilIds) {
          w.audit('pupil.class_moved', {
            pupilId,
            detail: { changes: moveChanges(null, to.name), movedOn: input.movedOn, source: 'class_change' },
          });
        }
        return { added: pupilIds.length, name: to.name };
      });
    },

    /** The class and how many pupils it still has, for the archive page. */
    async forArchive(actor: Actor, classId: string) {
      const a = requireCapability(actor, 'classes.manage');
      const found = await classOr404(db, a.schoolId, classId);
      return {
        schoolClass: found,
        problem: found.archivedAt ? null : archiveProblem(found.name, found.pupils),
      };
    },

    /** Archive a class no longer used: refused while pupils are in it. Its teachers no longer teach it. */
    async archive(actor: Actor, classId: string): Promise<string> {
      const a = requireCapability(actor, 'classes.manage');
      return unitOfWork(db, a, async (w) => {
        const current = await classOr404(w.tx, a.schoolId, classId, { lock: true });
        if (current.archivedAt) {
          throw new ValidationError([{ field: 'form', message: `${current.name} is already archived` }]);
        }
        const problem = archiveProblem(current.name, current.pupils);
        if (problem) throw new ValidationError([{ field: 'form', message: problem }]);
        const teachers = current.teachers.map((t) => t.userId);
        await archiveClass(w.tx, a.schoolId, classId);
        await replaceTeachersOfClass(w.tx, a.schoolId, classId, []);
        await bumpMembershipVersions(w.tx, a.schoolId, teachers);
        w.audit('class.archived', { detail: { classId, name: current.name, teacherIds: teachers } });
        return current.name;
      });
    },

    /** Move chosen pupils of a class to another class (or none), on a date. */
    async movePupils(actor: Actor, classId: string, input: MoveInput) {
      const a = requireCapability(actor, 'classes.manage');
      const pupilIds = [...new Set(input.pupilIds)];
      return unitOfWork(db, a, async (w) => {
        const from = await classOr404(w.tx, a.schoolId, classId);
        const to = input.toClassId ? await findClass(w.tx, a.schoolId, input.toClassId) : null;
        const errors = [
          pupilIds.length === 0 ? { field: 'pupilIds', message: 'Select the pupils to move' } : null,
          moveTargetProblem(to, input.toClassId),
          input.toClassId === classId
            ? { field: 'toClassId', message: `They are already in ${from.name}: choose another class` }
            : null,
          movedOnProblem(input.movedOn),
        ].filter((e): e is FieldError => e !== null);
        if (errors.length > 0) throw new ValidationError(errors);
        const locked = await lockPupilsForMove(w.tx, a.schoolId, pupilIds);
        if (locked.length !== pupilIds.length) {
          throw new ValidationError([{ field: 'pupilIds', message: 'Select pupils from the list' }]);
        }
        const gone = locked.filter((p) => p.classId !== classId || p.leftOn);
        if (gone.length > 0) {
          const names = gone.map((p) => `${p.forename} ${p.surname}`).join(', ');
          throw new ConflictError(
            `${names} ${gone.length === 1 ? 'is' : 'are'} no longer in ${from.name}: someone else moved ${gone.length === 1 ? 'them' : 'them'} while you were choosing. Nothing has been moved: the list below is up to date.`,
          );
        }
        const toId = to?.id ?? null;
        await setClassesOfPupils(
          w.tx,
          a.schoolId,
          pupilIds.map((pupilId) => ({ pupilId, classId: toId })),
        );
        await recordClassMoves(
          w.tx,
          a,
          pupilIds.map((pupilId) => ({ pupilId, fromClassId: classId, toClassId: toId })),
          input.movedOn,
          'class_change',
        );
        for (const pupilId of pupilIds) {
          w.audit('pupil.class_moved', {
            pupilId,
            detail: {
              changes: moveChanges(from.name, to?.name ?? null),
              movedOn: input.movedOn,
              source: 'class_change',
            },
          });
        }
        return { moved: pupilIds.length, toName: to?.name ?? null, fromName: from.name };
      });
    },

    /** The change-class form of one pupil: where they are, and the classes in use. */
    async forPupil(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'classes.manage');
      const found = await pupilFor(db, a, pupilId, { section: 'directory' });
      const classes = await classesOfSchool(db, a.schoolId);
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', { pupilId, detail: { form: 'change class' } });
      return { pupil: found.pupil, className: found.className, classes, today: clock.today() };
    },

    /** Move one pupil to another class (or none), on a date. */
    async changeClass(
      actor: Actor,
      pupilId: string,
      input: PupilClassInput,
    ): Promise<{ name: string; toName: string | null }> {
      const a = requireCapability(actor, 'classes.manage');
      return changePupil(db, a, pupilId, { section: 'directory', level: 'read' }, async (w) => {
        const name = `${w.pupil.forename} ${w.pupil.surname}`;
        if (w.pupil.classId !== input.fromClassId) {
          throw new ConflictError(
            `Someone else moved ${name} to ${w.className ?? 'no class'} while you were choosing. Check the class below and save again.`,
          );
        }
        const to = input.toClassId ? await findClass(w.tx, a.schoolId, input.toClassId) : null;
        const errors = [
          moveTargetProblem(to, input.toClassId),
          input.toClassId === w.pupil.classId
            ? {
                field: 'toClassId',
                message: input.toClassId
                  ? `${name} is already in ${w.className}: choose another class`
                  : `${name} has no class: choose one`,
              }
            : null,
          movedOnProblem(input.movedOn),
        ].filter((e): e is FieldError => e !== null);
        if (errors.length > 0) throw new ValidationError(errors);
        const toId = to?.id ?? null;
        await setClassesOfPupils(w.tx, a.schoolId, [{ pupilId, classId: toId }]);
        await recordClassMoves(
          w.tx,
          a,
          [{ pupilId, fromClassId: w.pupil.classId, toClassId: toId }],
          input.movedOn,
          'class_change',
        );
        w.audit('pupil.class_moved', {
          pupilId,
          detail: {
            changes: moveChanges(w.className, to?.name ?? null),
            movedOn: input.movedOn,
            source: 'class_change',
          },
        });
        return { name, toName: to?.name ?? null };
      });
    },
  };
}

export type ClassService = ReturnType<typeof createClassService>;
