import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { capabilitiesOf, sectionAccess } from '../../domain/access.ts';
import { fieldChanges } from '../../domain/audit.ts';
import { academicYearStartOf, NC_YEAR_MAX, NC_YEAR_MIN, ncYearLabel } from '../../domain/calendar.ts';
import { formatDate, type IsoDate } from '../../domain/dates.ts';
import { CONTEXT_FLAGS, type ContextFlag, FLAG_LABELS } from '../../domain/flags.ts';
import { admissionDateProblem, dateOfBirthProblem } from '../../domain/pupil-dates.ts';
import type { YearGroupRange } from '../../domain/school.ts';
import { normaliseUpn, UPN_MESSAGES, upnProblem } from '../../domain/upn.ts';
import { pupilReferralActions } from '../../policies/agencies.ts';
import { pupilEhcActions, pupilEhcPlanActions } from '../../policies/ehc.ts';
import { pupilPlanActions } from '../../policies/plan.ts';
import { groupActions } from '../../policies/provision.ts';
import { pupilActions } from '../../policies/pupil.ts';
import { pupilTopUpActions } from '../../policies/top-up.ts';
import { pupilRecord } from '../../repositories/pupil-record.ts';
import {
  findPupilsByName,
  insertParents,
  insertPupils,
  listPupils,
  type PupilFilters,
  type PupilRow,
  updatePupil,
} from '../../repositories/pupils.ts';
import { schoolYearOf } from '../../repositories/school-year.ts';
import { classesOfSchool } from '../../repositories/schools.ts';
import { moveChanges, recordClassMoves } from '../classes/moves.ts';
import { caseStandingsForSchool } from '../ehc/cases.ts';
import { type Actor, type SchoolActor, scopeOf } from '../kernel/actor.ts';
import { audit, auditRow } from '../kernel/audit.ts';
import { mayUseSection, requireSection } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { changePupil, unitOfWork } from '../kernel/unit-of-work.ts';
import { DEFAULT_SETTINGS } from '../plans/settings.ts';
import { leaverSummary } from '../transfers/leavers.ts';
import { createAssignments } from './assignments.ts';
import { createParents, type ParentCarerInput } from './parents.ts';

export type { ParentCarerInput } from './parents.ts';

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

export const PAGE_SIZE = 50;

const DETAIL_LABELS: Partial<Record<keyof PupilRow, string>> = {
  upn: 'UPN',
  forename: 'First name',
  surname: 'Last name',
  preferredName: 'Preferred name',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  classId: 'Class',
  ncYearOverride: 'Year group',
  admissionDate: 'Date of admission',
  medicalNotes: 'Medical notes',
  attendancePercent: 'Attendance',
  ...Object.fromEntries(CONTEXT_FLAGS.map((f) => [f, FLAG_LABELS[f]])),
};

export function createPupilService(database: Database, clock: Clock) {
  const { db } = database;

  /** The rules a pupil's details must meet that a form alone cannot check. */
  async function checkPupilInput(actor: SchoolActor, input: PupilInput) {
    const errors: FieldError[] = [];
    const upn = normaliseUpn(input.upn);
    const problem = upnProblem(upn);
    if (problem) errors.push({ field: 'upn', message: UPN_MESSAGES[problem] });
    const dob = dateOfBirthProblem(input.dateOfBirth, clock.today());
    if (dob) errors.push({ field: 'dateOfBirth', message: dob });
    if (input.admissionDate) {
      const admission = admissionDateProblem(input.admissionDate, input.dateOfBirth, clock.today());
      if (admission) errors.push({ field: 'admissionDate', message: admission });
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

  async function yearGroupRange(schoolId: string): Promise<YearGroupRange> {
    const year = await schoolYearOf(db, schoolId);
    return { lowest: year?.lowest ?? -1, highest: year?.highest ?? 6 };
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

  return {
    /** The pupil list: pupils whose details the actor reaches; SEN columns where they may see them. */
    async list(actor: Actor, filters: PupilFilters, page: number) {
      const a = requireSection(actor, 'identity');
      const showSen = mayUseSection(a, 'register');
      const senFilters = showSen
        ? filters
        : { ...filters, stage: undefined, need: undefined, area: undefined, listedOnly: undefined };
      const academicYearStart = academicYearStartOf(clock.today());
      const { rows, total } = await listPupils(db, scopeOf(a), 'identity', senFilters, academicYearStart, {
        limit: PAGE_SIZE,
        offset: (Math.max(1, page) - 1) * PAGE_SIZE,
      });
      const [classes, range] = await Promise.all([
        classesOfSchool(db, a.schoolId),
        yearGroupRange(a.schoolId),
      ]);
      // Who saw which pupils' names: a subject access request finds this by pupil.
      await audit(db, a, 'pupil.listed', {
        detail: { filters: { ...senFilters }, page },
        shownPupilIds: rows.map((r) => r.id),
      });
      return {
        rows: showSen
          ? rows
          : rows.map((r) => ({ ...r, senStage: 'none' as const, primaryNeed: null, secondaryNeed: null })),
        total,
        page: Math.max(1, page),
        pageSize: PAGE_SIZE,
        classes,
        yearGroups: range,
        showSen,
        canAdd: mayUseSection(a, 'identity', 'write'),
        canTransfer: capabilitiesOf(a.roles).has('pupils.transfer') && mayUseSection(a, 'register'),
      };
    },

    /**
     * Find a pupil by name to raise a concern: anyone on the staff may, seeing only name, class and
     * year group (the directory), never the SEN record. An empty search finds nobody but is still
     * refused to whoever may not search (the SEN governor, an officer).
     */
    async find(actor: Actor, search: string) {
      const a = requireSection(actor, 'directory');
      const q = search.trim();
      if (q.length < 2) return [];
      const rows = await findPupilsByName(db, scopeOf(a), q, academicYearStartOf(clock.today()));
      await audit(db, a, 'pupil.found_for_concern', {
        detail: { search: q },
        shownPupilIds: rows.map((r) => r.id),
      });
      return rows;
    },

    /** The classes in use and the school's year groups, for the add and edit forms. */
    async editorOptions(actor: Actor) {
      const a = requireSection(actor, 'identity', 'write');
      const [classes, range] = await Promise.all([
        classesOfSchool(db, a.schoolId),
        yearGroupRange(a.schoolId),
      ]);
      return { classes, yearGroups: range };
    },

    /**
     * The pupil's record, with the actions this actor may take on it. Every view is audited, by the
     * statement that reads the record; a refused view is not (the refusal is, as every refusal).
     */
    async view(actor: Actor, pupilId: string) {
      const a = requireSection(actor, 'identity');
      const capabilities = capabilitiesOf(a.roles);
      const found = await pupilRecord(db, scopeOf(a), pupilId, {
        viewed: auditRow(a, 'pupil.viewed', { pupilId }),
        assignableStaff: capabilities.has('staff.manage'),
      });
      const access = found ? sectionAccess(a.roles, found.reaches) : null;
      if (!found || !access?.identity)
        throw new NotFoundError('Pupil not found', { kind: 'pupil', id: pupilId });
      if (!found.viewed) throw new Error(`The view of pupil ${pupilId} was not written to the audit trail`);
      const { viewed: _, assignableStaff, ...record } = found;
      const p = record.pupil;
      const actions = pupilActions(a, p, { access });
      const ehcPanelActions = pupilEhcActions(a, { pupil: p }, { access });
      const ehcPlanActions = pupilEhcPlanActions(a, { pupil: p, reaches: record.reaches }, { access });
      const caseIds = ehcPanelActions.read
        ? record.ehcRequests.flatMap((r) => (r.caseId ? [r.caseId] : []))
        : [];
      const [leaver, ehcStandings] = await Promise.all([
        leaverSummary(db, a.schoolId, p, actions.viewSen),
        // Where the pupil's sent requests stand at the local authority (no statement when none is sent).
        caseStandingsForSchool(db, a.schoolId, caseIds, clock.today()),
      ]);
      return {
        ...record,
        // Parts of the row itself the actor may not read are left out here, as the fragments are in SQL.
        pupil: {
          ...p,
          ...(actions.viewSen ? {} : { senStage: 'none' as const, primaryNeed: null, secondaryNeed: null }),
          ...(actions.viewMedical ? {} : { medicalNotes: null, medicalCondition: false }),
        },
        access,
        actions,
        planActions: pupilPlanActions(a, { pupil: p, plans: record.plans }, { access }),
        /** The "Outside agencies" section: who reads it, who starts a referral. */
        referralActions: pupilReferralActions(a, { pupil: p }, { access }),
        /** High-needs top-up funding: who sees the applications' standing, who starts one. */
        topUpActions: pupilTopUpActions(a, p, { access }),
        /** The "EHC needs assessment" panel: who sees the requests and where they stand, who starts one. */
        ehcPanelActions,
        /** Each sent request's standing at the local authority (deadlines, what is overdue), by case id. */
        ehcStandings,
        /** The "EHC plan" panel: who sees that a plan exists, who reads it, who records one from another authority. */
        ehcPlanActions,
        leaver,
        /** The teaching assistants the assign form offers: only where it is shown. */
        assignableStaff: actions.assignStaff ? assignableStaff : [],
        /** What the school calls its plans. */
        planName: record.planName ?? DEFAULT_SETTINGS.planName,
        /** The provision groups of this pupil whose page the actor may open (the chronology links them). */
        openableGroupIds: record.provision
          .filter((g) => groupActions(a, g, { today: clock.today() }).view)
          .map((g) => g.groupId),
        today: clock.today(),
      };
    },

    /** The pupil for the edit form: audited as a view of a form about them. */
    async forEdit(actor: Actor, pupilId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireSection(actor, 'identity', 'write');
      const found = await pupilFor(db, a, pupilId, { section: 'identity', level: 'write' });
      if (options.audit)
        await audit(db, a, 'pupil.opened_form', { pupilId, detail: { form: 'change details' } });
      return found;
    },

    async create(actor: Actor, input: PupilInput, parent: ParentCarerInput | null): Promise<string> {
      const a = requireSection(actor, 'identity', 'write');
      const upn = await checkPupilInput(a, input);
      const id = randomUUID();
      await unitOfWork(db, a, async (w) => {
        await insertPupils(w.tx, [{ schoolId: a.schoolId, id, ...pupilValues(input, upn) }]);
        if (parent) {
          await insertParents(w.tx, [
            { schoolId: a.schoolId, id: randomUUID(), pupilId: id, ...parent, contactPriority: 1 },
          ]);
        }
        w.audit('pupil.created', { pupilId: id, detail: { upn } });
      });
      return id;
    },

    async update(actor: Actor, pupilId: string, version: number, input: PupilInput): Promise<void> {
      const a = requireSection(actor, 'identity', 'write');
      const upn = await checkPupilInput(a, input);
      const classes = await classesOfSchool(db, a.schoolId);
      const className = (id: unknown) => classes.find((c) => c.id === id)?.name ?? '';
      await changePupil(db, a, pupilId, { section: 'identity', level: 'write' }, async (w) => {
        if (w.pupil.version !== version) {
          throw new ConflictError(
            'Someone else changed this pupil’s details while you were editing. Your changes are below: check them against the current record and save again.',
          );
        }
        const values = pupilValues(input, upn);
        await updatePupil(w.tx, a.schoolId, pupilId, version, values);
        const changes = fieldChanges(w.pupil, values, DETAIL_LABELS, (key, v) => {
          if (v === null || v === undefined) return '';
          if (key === 'classId') return className(v);
          if (key === 'ncYearOverride') return ncYearLabel(Number(v));
          if (key === 'dateOfBirth' || key === 'admissionDate') return formatDate(String(v));
          if (key === 'medicalNotes') return v ? '(notes)' : '';
          if (typeof v === 'boolean') return v ? 'Yes' : 'No';
          return String(v);
        });
        w.audit('pupil.updated', { pupilId, detail: { changes } });
        // A new class from the details form is a move like any other: dated, and in the chronology.
        if (w.pupil.classId !== values.classId) {
          const today = clock.today();
          await recordClassMoves(
            w.tx,
            a,
            [{ pupilId, fromClassId: w.pupil.classId, toClassId: values.classId }],
            today,
            'class_change',
          );
          w.audit('pupil.class_moved', {
            pupilId,
            detail: {
              changes: moveChanges(w.className, values.classId ? className(values.classId) : null),
              movedOn: today,
              source: 'class_change',
            },
          });
        }
      });
    },

    ...createParents(database),
    ...createAssignments(database),
  };
}

export type PupilService = ReturnType<typeof createPupilService>;
