import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.ts';
import { academicYearStartOf, NC_YEAR_MAX, NC_YEAR_MIN } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { ContextFlag } from '../domain/flags.ts';
import { can } from '../domain/roles.ts';
import { normaliseUpn, UPN_MESSAGES, upnProblem } from '../domain/upn.ts';
import { pupilRecord } from '../repositories/pupil-record.ts';
import {
  deleteAssignment,
  deleteParent,
  findParent,
  findPupilByUpn,
  findPupilInScope,
  insertAssignments,
  insertParents,
  insertPupils,
  listPupils,
  type PupilFilters,
  parentsOfPupil,
  updateParent,
  updatePupil,
} from '../repositories/pupils.ts';
import { classesOfSchool } from '../repositories/schools.ts';
import { activeStaffWithRole, staffMember } from '../repositories/users.ts';
import { type Actor, pupilScopeOf } from './actor.ts';
import { audit } from './audit.ts';
import { requireSchoolPermission, type SchoolActor } from './authorise.ts';
import type { Clock } from './clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from './errors.ts';

export interface PupilInput {
  upn: string;
  forename: string;
  surname: string;
  preferredName: string | null;
  dateOfBirth: IsoDate;
  sex: 'female' | 'male';
  classId: string | null;
  ncYearOverride: number | null;
  admissionDate: IsoDate | null;
  flags: Record<ContextFlag, boolean>;
  medicalNotes: string | null;
  attendancePercent: number | null;
}

export interface ParentCarerInput {
  name: string;
  relationship: string;
  phone: string | null;
  email: string | null;
  parentalResponsibility: boolean;
}

export const PAGE_SIZE = 50;

export function createPupilService(database: Database, clock: Clock) {
  const { db } = database;

  async function checkPupilInput(actor: SchoolActor, input: PupilInput, excludePupilId?: string) {
    const errors: FieldError[] = [];
    const upn = normaliseUpn(input.upn);
    const problem = upnProblem(upn);
    if (problem) errors.push({ field: 'upn', message: UPN_MESSAGES[problem] });
    else {
      const existing = await findPupilByUpn(db, actor.schoolId, upn);
      if (existing && existing.id !== excludePupilId) {
        errors.push({ field: 'upn', message: 'Another pupil in this school already has this UPN' });
      }
    }
    if (input.dateOfBirth > clock.today()) {
      errors.push({ field: 'dateOfBirth', message: 'Date of birth must be in the past' });
    }
    if (input.classId) {
      const classes = await classesOfSchool(db, actor.schoolId);
      if (!classes.some((c) => c.id === input.classId))
        errors.push({ field: 'classId', message: 'Select a class' });
    }
    if (
      input.ncYearOverride !== null &&
      (input.ncYearOverride < NC_YEAR_MIN || input.ncYearOverride > NC_YEAR_MAX)
    ) {
      errors.push({ field: 'ncYearOverride', message: 'Select a year group' });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    return upn;
  }

  function pupilValues(input: PupilInput, upn: string) {
    return {
      upn,
      forename: input.forename,
      surname: input.surname,
      preferredName: input.preferredName,
      dateOfBirth: input.dateOfBirth,
      sex: input.sex,
      classId: input.classId,
      ncYearOverride: input.ncYearOverride,
      admissionDate: input.admissionDate,
      ...input.flags,
      medicalNotes: input.medicalNotes,
      attendancePercent: input.attendancePercent,
    };
  }

  /** Find a pupil the actor may see, or leave an audit entry and answer "not found". */
  async function pupilInScopeOr404(actor: SchoolActor, pupilId: string) {
    const found = await findPupilInScope(db, pupilScopeOf(actor), pupilId);
    if (!found) {
      await audit(db, actor, 'pupil.access_denied', pupilId);
      throw new NotFoundError('Pupil not found');
    }
    return found;
  }

  return {
    pupilInScopeOr404,

    async list(actor: Actor, filters: PupilFilters, page: number) {
      const a = requireSchoolPermission(actor, 'pupil.view');
      const senFilters = can(a.role, 'sen.view')
        ? filters
        : { ...filters, stage: undefined, need: undefined, area: undefined, listedOnly: undefined };
      const academicYearStart = academicYearStartOf(clock.today());
      const { rows, total } = await listPupils(db, pupilScopeOf(a), senFilters, academicYearStart, {
        limit: PAGE_SIZE,
        offset: (Math.max(1, page) - 1) * PAGE_SIZE,
      });
      const classes = await classesOfSchool(db, a.schoolId);
      // Who saw which pupils' names: a subject access request can be answered from the audit trail.
      await audit(db, a, 'pupil.listed', null, {
        filters: { ...senFilters },
        page,
        pupilIds: rows.map((r) => r.id),
      });
      return {
        rows,
        total,
        page: Math.max(1, page),
        pageSize: PAGE_SIZE,
        classes,
        showSen: can(a.role, 'sen.view'),
      };
    },

    /** What the add and edit forms offer: the school's classes. Only for those who may edit pupils. */
    async editorOptions(actor: Actor) {
      const a = requireSchoolPermission(actor, 'pupil.edit');
      return classesOfSchool(db, a.schoolId);
    },

    /** The pupil record. Every view is audited. SEN details only for roles that may see them. */
    async view(actor: Actor, pupilId: string) {
      const a = requireSchoolPermission(actor, 'pupil.view');
      const showSen = can(a.role, 'sen.view');
      const record = await pupilRecord(db, pupilScopeOf(a), pupilId, showSen);
      if (!record) {
        await audit(db, a, 'pupil.access_denied', pupilId);
        throw new NotFoundError('Pupil not found');
      }
      await audit(db, a, 'pupil.viewed', pupilId);
      return { ...record, showSen, today: clock.today() };
    },

    /** For edit forms: no audit of a view here, the edit itself is audited. */
    async forEdit(actor: Actor, pupilId: string) {
      const a = requireSchoolPermission(actor, 'pupil.edit');
      const found = await pupilInScopeOr404(a, pupilId);
      await audit(db, a, 'pupil.opened_for_edit', pupilId);
      return found;
    },

    /** May this actor change this pupil? Throws as a service call would; audits a refusal. */
    async checkEditable(actor: Actor, pupilId: string): Promise<void> {
      const a = requireSchoolPermission(actor, 'pupil.edit');
      await pupilInScopeOr404(a, pupilId);
    },

    async create(actor: Actor, input: PupilInput, parent: ParentCarerInput | null): Promise<string> {
      const a = requireSchoolPermission(actor, 'pupil.edit');
      const upn = await checkPupilInput(a, input);
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await insertPupils(tx, [{ schoolId: a.schoolId, id, ...pupilValues(input, upn) }]);
        if (parent) {
          await insertParents(tx, [
            { schoolId: a.schoolId, id: randomUUID(), pupilId: id, ...parent, contactPriority: 1 },
          ]);
        }
        await audit(tx, a, 'pupil.created', id, { upn });
      });
      return id;
    },

    async update(actor: Actor, pupilId: string, version: number, input: PupilInput): Promise<void> {
      const a = requireSchoolPermission(actor, 'pupil.edit');
      await pupilInScopeOr404(a, pupilId);
      const upn = await checkPupilInput(a, input, pupilId);
      await db.transaction(async (tx) => {
        const updated = await updatePupil(tx, a.schoolId, pupilId, version, pupilValues(input, upn));
        if (!updated) {
          throw new ConflictError(
            'Someone else changed this pupil’s details while you were editing. Your changes are below: check them against the current record and save again.',
          );
        }
        await audit(tx, a, 'pupil.updated', pupilId);
      });
    },

    async addParent(actor: Actor, pupilId: string, parent: ParentCarerInput): Promise<void> {
      const a = requireSchoolPermission(actor, 'pupil.edit');
      await pupilInScopeOr404(a, pupilId);
      const existing = await parentsOfPupil(db, a.schoolId, pupilId);
      await db.transaction(async (tx) => {
        await insertParents(tx, [
          {
            schoolId: a.schoolId,
            id: randomUUID(),
            pupilId,
            ...parent,
            contactPriority: existing.length + 1,
          },
        ]);
        await audit(tx, a, 'pupil.parent_added', pupilId);
      });
    },

    /** A parent or carer of a pupil the actor may edit. */
    async parentForEdit(actor: Actor, pupilId: string, parentId: string) {
      const a = requireSchoolPermission(actor, 'pupil.edit');
      const found = await pupilInScopeOr404(a, pupilId);
      const parent = await findParent(db, a.schoolId, pupilId, parentId);
      if (!parent) throw new NotFoundError('Parent or carer not found');
      return { ...found, parent };
    },

    async updateParent(
      actor: Actor,
      pupilId: string,
      parentId: string,
      input: ParentCarerInput,
    ): Promise<void> {
      const a = requireSchoolPermission(actor, 'pupil.edit');
      await pupilInScopeOr404(a, pupilId);
      if (!(await findParent(db, a.schoolId, pupilId, parentId)))
        throw new NotFoundError('Parent or carer not found');
      await db.transaction(async (tx) => {
        await updateParent(tx, a.schoolId, parentId, input);
        await audit(tx, a, 'pupil.parent_changed', pupilId, { parentId });
      });
    },

    async removeParent(actor: Actor, pupilId: string, parentId: string): Promise<string> {
      const a = requireSchoolPermission(actor, 'pupil.edit');
      await pupilInScopeOr404(a, pupilId);
      const parent = await findParent(db, a.schoolId, pupilId, parentId);
      if (!parent) throw new NotFoundError('Parent or carer not found');
      await db.transaction(async (tx) => {
        await deleteParent(tx, a.schoolId, parentId);
        await audit(tx, a, 'pupil.parent_removed', pupilId, {
          parentId,
          name: parent.name,
          relationship: parent.relationship,
        });
      });
      return parent.name;
    },

    /** Teaching assistants who work with a pupil (and so can see them). */
    async assignableStaff(actor: Actor) {
      const a = requireSchoolPermission(actor, 'staff.manage');
      return activeStaffWithRole(db, a.schoolId, 'teaching_assistant');
    },

    async assignStaff(actor: Actor, pupilId: string, userId: string): Promise<void> {
      const a = requireSchoolPermission(actor, 'staff.manage');
      await pupilInScopeOr404(a, pupilId);
      const member = await staffMember(db, a.schoolId, userId);
      if (member?.role !== 'teaching_assistant') {
        throw new ValidationError([{ field: 'userId', message: 'Select a teaching assistant' }]);
      }
      await db.transaction(async (tx) => {
        await insertAssignments(tx, [{ schoolId: a.schoolId, pupilId, userId }]);
        await audit(tx, a, 'pupil.staff_assigned', pupilId, { userId });
      });
    },

    async unassignStaff(actor: Actor, pupilId: string, userId: string): Promise<void> {
      const a = requireSchoolPermission(actor, 'staff.manage');
      await pupilInScopeOr404(a, pupilId);
      await db.transaction(async (tx) => {
        await deleteAssignment(tx, a.schoolId, pupilId, userId);
        await audit(tx, a, 'pupil.staff_unassigned', pupilId, { userId });
      });
    },
  };
}

export type PupilService = ReturnType<typeof createPupilService>;
