import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { hasCapability, type SchoolRole } from '../../domain/access.ts';
import {
  COMPLAINT_KIND_LABELS,
  COMPLAINT_OUTCOME_LABELS,
  COMPLAINT_STAGE_LABELS,
  type ComplaintKind,
  type ComplaintOutcome,
  type ComplaintStage,
  type ComplaintStatus,
  escalationProblem,
  isResponseOverdue,
  nextStage,
  outcomeProblem,
  RESPONSE_RULE,
  responseDueOn,
  STAGE_HANDLER_ROLE,
} from '../../domain/complaints.ts';
import { formatDate, type IsoDate } from '../../domain/dates.ts';
import {
  type ComplaintFilters,
  type ComplaintRow,
  complaintsOfPupil,
  complaintsOfSchool,
  deleteComplaintStages,
  findComplaint,
  insertComplaint,
  insertComplaintStage,
  overdueResponses,
  pupilChoices,
  stagesOf,
  updateComplaint,
  updateComplaintStage,
} from '../../repositories/complaints.ts';
import { staffOfSchool } from '../../repositories/staff.ts';
import type { Actor, SchoolActor } from '../kernel/actor.ts';
import { audit } from '../kernel/audit.ts';
import { requireCapability } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../kernel/errors.ts';
import { pupilFor } from '../kernel/pupil-access.ts';
import { unitOfWork } from '../kernel/unit-of-work.ts';

export interface ComplaintDetails {
  kind: ComplaintKind;
  receivedOn: IsoDate;
  complainantName: string;
  complainantRelationship: string | null;
  pupilId: string | null;
  summary: string;
  aboutUserIds: string[];
}

export interface NewComplaintInput extends ComplaintDetails {
  /** Who handles the first stage of a formal complaint (a concern: who deals with it). */
  handledBy: string | null;
}

export interface ResponseInput {
  response: string;
  respondedOn: IsoDate;
}

export interface EscalationInput {
  startedOn: IsoDate;
  handledBy: string | null;
}

export interface CloseInput {
  outcome: ComplaintOutcome;
  outcomeSummary: string | null;
  closedOn: IsoDate;
}

const STALE =
  'Someone else changed this complaint while you were working on it. What it says now is shown below; your text is kept in the form: check it and save again.';

/** The roles that may handle a stage of a complaint. */
const HANDLER_ROLES: readonly SchoolRole[] = ['senco', 'head_teacher', 'sen_governor'];

/**
 * The complaints log (DfE guidance for school complaints; seed 001): the SENCo and the head teacher
 * record concerns and formal complaints, answer each stage within its deadline, escalate and close them.
 * A complaint about a member of staff is hidden from them everywhere, even when they lead the school:
 * the other leader handles it.
 */
export function createComplaintService(database: Database, clock: Clock) {
  const { db } = database;

  async function complaintOr404(
    tx: Executor,
    a: SchoolActor,
    complaintId: string,
    options: { lock?: boolean } = {},
  ): Promise<ComplaintRow> {
    const found = await findComplaint(tx, a.schoolId, complaintId, a.userId, options);
    if (!found) throw new NotFoundError('Complaint not found', { kind: 'complaint', id: complaintId });
    return found;
  }

  /** Staff who may handle a stage: the SENCo, head teacher and SEN governor, not those it is about. */
  async function handlers(tx: Executor, a: SchoolActor, about: readonly string[]) {
    const staff = await staffOfSchool(tx, a.schoolId);
    return staff
      .filter((s) => !s.disabledAt && !about.includes(s.userId))
      .filter((s) => s.roles.some((r) => HANDLER_ROLES.includes(r)))
      .map((s) => ({ userId: s.userId, name: s.name, roles: s.roles }));
  }

  /** The handler of a stage: the one chosen (from the list), else the first holding the stage's role. */
  async function handlerFor(
    tx: Executor,
    a: SchoolActor,
    stage: ComplaintStage,
    about: readonly string[],
    chosen: string | null,
    field: string,
  ): Promise<{ userId: string | null; name: string | null }> {
    const list = await handlers(tx, a, about);
    if (chosen) {
      const found = list.find((h) => h.userId === chosen);
      if (!found)
        throw new ValidationError([
          {
            field,
            message: about.includes(chosen)
              ? 'The person chosen is one the complaint is about: choose someone else to handle this stage'
              : 'Choose who handles this stage from the list: the SENCo, head teacher or SEN governor working here now',
          },
        ]);
      return { userId: found.userId, name: found.name };
    }
    const role = STAGE_HANDLER_ROLE[stage];
    const other: SchoolRole = role === 'head_teacher' ? 'senco' : 'head_teacher';
    const found =
      list.find((h) => h.roles.includes(role)) ?? list.find((h) => h.roles.includes(other)) ?? null;
    return { userId: found?.userId ?? null, name: found?.name ?? null };
  }

  /** Members of staff the form offers to name: those working here now, not the actor. */
  function choosableStaff(staff: Awaited<ReturnType<typeof staffOfSchool>>, a: SchoolActor) {
    return staff.filter((s) => !s.disabledAt && s.userId !== a.userId);
  }

  async function checkDetails(
    tx: Executor,
    a: SchoolActor,
    d: ComplaintDetails,
    alreadyNamed: readonly string[] = [],
  ): Promise<string | null> {
    const errors: FieldError[] = [];
    if (d.receivedOn > clock.today())
      errors.push({ field: 'receivedOn', message: 'The date it was received must be today or earlier' });
    if (d.aboutUserIds.includes(a.userId))
      errors.push({
        field: 'aboutUserIds',
        message:
          'You cannot record a complaint about your own practice: ask the other leader of the school to record it',
      });
    const added = d.aboutUserIds.filter((id) => !alreadyNamed.includes(id));
    if (added.length > 0) {
      const staff = new Set(choosableStaff(await staffOfSchool(tx, a.schoolId), a).map((s) => s.userId));
      if (added.some((id) => !staff.has(id)))
        errors.push({ field: 'aboutUserIds', message: 'Choose members of staff from the list' });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    if (!d.pupilId) return null;
    const found = await pupilFor(tx, a, d.pupilId, { section: 'identity' }).catch(() => null);
    if (!found) throw new ValidationError([{ field: 'pupilId', message: 'Choose a pupil from the list' }]);
    return `${found.pupil.forename} ${found.pupil.surname}`;
  }

  function currentStage<S extends { stage: ComplaintStage }>(c: ComplaintRow, stages: S[]): S | null {
    return stages.find((s) => s.stage === c.stage) ?? null;
  }

  /** What this actor may do to the complaint now (the page shows only these). */
  function actionsOf(c: ComplaintRow, stage: { respondedOn: string | null } | null) {
    const open = c.status === 'open';
    return {
      edit: open,
      respond: open && c.kind === 'formal' && stage !== null && !stage.respondedOn,
      escalate:
        open &&
        escalationProblem({
          kind: c.kind,
          status: c.status,
          stage: c.stage,
          stageResponded: Boolean(stage?.respondedOn),
        }) === null,
      close: open,
    };
  }

  return {
    rule: RESPONSE_RULE,

    /** May this actor manage complaints? Before a form is shown. */
    checkCanManage(actor: Actor): void {
      requireCapability(actor, 'complaints.manage');
    },

    /** The log: open first, overdue responses marked; filtered by kind and status. */
    async list(actor: Actor, filters: ComplaintFilters = {}) {
      const a = requireCapability(actor, 'complaints.manage');
      const today = clock.today();
      const rows = await complaintsOfSchool(db, a.schoolId, a.userId, filters);
      const named = [...new Set(rows.flatMap((r) => (r.pupilId ? [r.pupilId] : [])))];
      await audit(db, a, 'complaint.listed', {
        // The complaints that named a pupil, so the trail can leave the event out for one a complaint is about.
        detail: {
          filters,
          shown: rows.length,
          complaintIds: rows.filter((r) => r.pupilId).map((r) => r.id),
        },
        ...(named.length > 0 ? { shownPupilIds: named } : {}),
      });
      return {
        today,
        rule: RESPONSE_RULE,
        complaints: rows.map((r) => ({
          ...r,
          overdue:
            r.status === 'open' && r.kind === 'formal' && r.responseDueOn !== null
              ? isResponseOverdue({ responseDueOn: r.responseDueOn, respondedOn: r.respondedOn }, today)
              : false,
        })),
      };
    },

    /** How many open complaints' responses are overdue (not counting those about the viewer). */
    async overdueCount(actor: Actor): Promise<number> {
      const a = requireCapability(actor, 'complaints.manage');
      return overdueResponses(db, a.schoolId, a.userId, clock.today());
    },

    /** What the record form offers: pupils on roll, members of staff, who may handle a stage. */
    async formOptions(actor: Actor, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'complaints.manage');
      const [pupils, staff, handlerList] = await Promise.all([
        pupilChoices(db, a.schoolId),
        staffOfSchool(db, a.schoolId),
        handlers(db, a, []),
      ]);
      if (options.audit && pupils.length > 0)
        await audit(db, a, 'complaint.form_opened', { shownPupilIds: pupils.map((p) => p.id) });
      return {
        today: clock.today(),
        rule: RESPONSE_RULE,
        pupils,
        staff: choosableStaff(staff, a).map((s) => ({ userId: s.userId, name: s.name, roles: s.roles })),
        handlers: handlerList.map((h) => ({ userId: h.userId, name: h.name })),
      };
    },

    async create(actor: Actor, input: NewComplaintInput): Promise<string> {
      const a = requireCapability(actor, 'complaints.manage');
      const id = randomUUID();
      const aboutUserIds = [...new Set(input.aboutUserIds.map((u) => u.toLowerCase()))];
      if (input.kind === 'concern' && input.handledBy)
        throw new ValidationError([
          {
            field: 'handledBy',
            message:
              'A concern has no stages: leave who handles the first stage empty, or record it as a formal complaint',
          },
        ]);
      return unitOfWork(db, a, async (w) => {
        const pupilName = await checkDetails(w.tx, a, { ...input, aboutUserIds });
        await insertComplaint(w.tx, {
          schoolId: a.schoolId,
          id,
          kind: input.kind,
          receivedOn: input.receivedOn,
          complainantName: input.complainantName,
          complainantRelationship: input.complainantRelationship,
          pupilId: input.pupilId,
          summary: input.summary,
          aboutUserIds,
          stage: 'senco',
          createdBy: a.userId,
          createdByName: a.name,
        });
        if (input.kind === 'formal') {
          const handler = await handlerFor(w.tx, a, 'senco', aboutUserIds, input.handledBy, 'handledBy');
          await insertComplaintStage(w.tx, {
            schoolId: a.schoolId,
            id: randomUUID(),
            complaintId: id,
            stage: 'senco',
            startedOn: input.receivedOn,
            responseDueOn: responseDueOn(input.receivedOn),
            handledBy: handler.userId,
            handledByName: handler.name,
          });
        }
        w.audit('complaint.recorded', {
          pupilId: input.pupilId,
          detail: { complaintId: id, kind: input.kind, receivedOn: input.receivedOn, pupilName },
        });
        return id;
      });
    },

    /** One complaint with its stages and what may be done to it now (audited against its pupil). */
    async get(actor: Actor, complaintId: string, options: { audit: boolean } = { audit: true }) {
      const a = requireCapability(actor, 'complaints.manage');
      const c = await complaintOr404(db, a, complaintId);
      const [stages, staff] = await Promise.all([
        stagesOf(db, a.schoolId, complaintId),
        staffOfSchool(db, a.schoolId),
      ]);
      const pupil = c.pupilId ? (await pupilFor(db, a, c.pupilId, { section: 'identity' })).pupil : null;
      if (options.audit)
        await audit(db, a, 'complaint.viewed', { pupilId: c.pupilId, detail: { complaintId } });
      const names = new Map(staff.map((s) => [s.userId, s.name]));
      const current = currentStage(c, stages);
      const today = clock.today();
      return {
        complaint: c,
        version: c.version,
        pupil: pupil ? { id: pupil.id, name: `${pupil.forename} ${pupil.surname}` } : null,
        aboutNames: c.aboutUserIds.map((id) => names.get(id) ?? 'A former member of staff'),
        stages: stages.map((s) => ({
          ...s,
          label: COMPLAINT_STAGE_LABELS[s.stage],
          overdue:
            c.status === 'open' && c.kind === 'formal' && s.stage === c.stage && isResponseOverdue(s, today),
        })),
        current,
        next: c.kind === 'formal' ? nextStage(c.stage) : null,
        actions: actionsOf(c, current),
        handlers: (await handlers(db, a, c.aboutUserIds)).map((h) => ({ userId: h.userId, name: h.name })),
        today,
        rule: RESPONSE_RULE,
      };
    },

    /** Change the details (a stale save is refused with the complaint as it is now). */
    async update(actor: Actor, complaintId: string, version: number, input: ComplaintDetails): Promise<void> {
      const a = requireCapability(actor, 'complaints.manage');
      await unitOfWork(db, a, async (w) => {
        const c = await complaintOr404(w.tx, a, complaintId, { lock: true });
        if (c.version !== version) throw new ConflictError(STALE, { ...c });
        // Never narrowed silently: those named whom the form could not show (turned off, removed) stay;
        // only those shown and unticked are taken off.
        const staff = await staffOfSchool(w.tx, a.schoolId);
        const choosable = new Set(choosableStaff(staff, a).map((s) => s.userId));
        const aboutUserIds = [
          ...new Set([
            ...c.aboutUserIds.filter((id) => !choosable.has(id)),
            ...input.aboutUserIds.map((id) => id.toLowerCase()),
          ]),
        ];
        const stages = await stagesOf(w.tx, a.schoolId, complaintId);
        const open = currentStage(c, stages);
        if (c.status === 'open' && open?.handledBy && aboutUserIds.includes(open.handledBy))
          throw new ValidationError([
            {
              field: 'aboutUserIds',
              message: `${open.handledByName ?? 'The person named'} handles this stage: choose another handler first`,
            },
          ]);
        if (c.status === 'closed')
          throw new ValidationError([
            { field: 'form', message: 'This complaint is closed: it can no longer be changed' },
          ]);
        if (input.kind !== c.kind && stages.some((s) => s.respondedOn))
          throw new ValidationError([
            {
              field: 'kind',
              message: 'A formal complaint that has had a response cannot become an informal concern',
            },
          ]);
        await checkDetails(w.tx, a, { ...input, aboutUserIds }, c.aboutUserIds);
        // The received date starts the first stage: one that started on the old date with no response
        // yet moves with it (and its deadline); otherwise it may not come after the stage started.
        const first = stages.find((s) => s.stage === 'senco') ?? null;
        const moveFirst =
          input.kind === 'formal' &&
          c.kind === 'formal' &&
          first !== null &&
          input.receivedOn !== c.receivedOn &&
          !first.respondedOn &&
          first.startedOn === c.receivedOn;
        if (
          input.kind === 'formal' &&
          c.kind === 'formal' &&
          first &&
          !moveFirst &&
          input.receivedOn > first.startedOn
        )
          throw new ValidationError([
            {
              field: 'receivedOn',
              message: `The date it was received must be on or before the first stage started (${formatDate(first.startedOn)})`,
            },
          ]);
        if (moveFirst && first)
          await updateComplaintStage(w.tx, a.schoolId, first.id, {
            startedOn: input.receivedOn,
            responseDueOn: responseDueOn(input.receivedOn),
          });
        // A formal complaint with no response that becomes a concern loses its unanswered stage (no
        // deadline, no overdue mark); a concern that becomes formal starts its first stage afresh.
        if (input.kind === 'concern' && c.kind === 'formal')
          await deleteComplaintStages(w.tx, a.schoolId, complaintId);
        await updateComplaint(w.tx, a.schoolId, complaintId, {
          ...(input.kind !== c.kind ? { stage: 'senco' as ComplaintStage } : {}),
          kind: input.kind,
          receivedOn: input.receivedOn,
          complainantName: input.complainantName,
          complainantRelationship: input.complainantRelationship,
          pupilId: input.pupilId,
          summary: input.summary,
          aboutUserIds,
        });
        if (input.kind === 'formal' && c.kind === 'concern') {
          await deleteComplaintStages(w.tx, a.schoolId, complaintId);
          const handler = await handlerFor(w.tx, a, 'senco', aboutUserIds, null, 'kind');
          await insertComplaintStage(w.tx, {
            schoolId: a.schoolId,
            id: randomUUID(),
            complaintId,
            stage: 'senco',
            startedOn: input.receivedOn,
            responseDueOn: responseDueOn(input.receivedOn),
            handledBy: handler.userId,
            handledByName: handler.name,
          });
        }
        const keys: (keyof ComplaintDetails)[] = [
          'kind',
          'receivedOn',
          'complainantName',
          'complainantRelationship',
          'pupilId',
          'summary',
          'aboutUserIds',
        ];
        const saved = { ...input, aboutUserIds };
        const changed = keys.filter((k) => JSON.stringify(saved[k]) !== JSON.stringify(c[k]));
        for (const pupilId of new Set([c.pupilId, input.pupilId])) {
          w.audit('complaint.changed', { pupilId, detail: { complaintId, changed } });
        }
      });
    },

    /** Record the response to the current stage of a formal complaint. */
    async respond(actor: Actor, complaintId: string, version: number, input: ResponseInput): Promise<void> {
      const a = requireCapability(actor, 'complaints.manage');
      await unitOfWork(db, a, async (w) => {
        const c = await complaintOr404(w.tx, a, complaintId, { lock: true });
        if (c.version !== version) throw new ConflictError(STALE, { ...c });
        const stage = currentStage(c, await stagesOf(w.tx, a.schoolId, complaintId));
        if (c.status === 'closed' || !stage)
          throw new ValidationError([
            { field: 'form', message: 'This complaint has no open stage to respond to' },
          ]);
        if (stage.respondedOn)
          throw new ValidationError([
            {
              field: 'form',
              message: `The response to this stage was recorded on ${formatDate(stage.respondedOn)}: it cannot be recorded again`,
            },
          ]);
        const errors: FieldError[] = [];
        if (input.respondedOn > clock.today())
          errors.push({
            field: 'respondedOn',
            message: 'The date the response was sent must be today or earlier',
          });
        if (input.respondedOn < stage.startedOn)
          errors.push({
            field: 'respondedOn',
            message: 'The date the response was sent must be on or after the stage started',
          });
        if (errors.length > 0) throw new ValidationError(errors);
        await updateComplaintStage(w.tx, a.schoolId, stage.id, {
          response: input.response,
          respondedOn: input.respondedOn,
        });
        await updateComplaint(w.tx, a.schoolId, complaintId, {});
        w.audit('complaint.responded', {
          pupilId: c.pupilId,
          detail: {
            complaintId,
            stage: c.stage,
            respondedOn: input.respondedOn,
            late: input.respondedOn > stage.responseDueOn,
          },
        });
      });
    },

    /** Take a formal complaint to its next stage (the complainant was not satisfied with the response). */
    async escalate(actor: Actor, complaintId: string, version: number, input: EscalationInput) {
      const a = requireCapability(actor, 'complaints.manage');
      return unitOfWork(db, a, async (w) => {
        const c = await complaintOr404(w.tx, a, complaintId, { lock: true });
        if (c.version !== version) throw new ConflictError(STALE, { ...c });
        const stages = await stagesOf(w.tx, a.schoolId, complaintId);
        const stage = currentStage(c, stages);
        const problem = escalationProblem({
          kind: c.kind,
          status: c.status,
          stage: c.stage,
          stageResponded: Boolean(stage?.respondedOn),
        });
        if (problem) throw new ValidationError([{ field: 'form', message: problem }]);
        const next = nextStage(c.stage)!;
        const errors: FieldError[] = [];
        if (input.startedOn > clock.today())
          errors.push({ field: 'startedOn', message: 'The date the stage started must be today or earlier' });
        if (stage?.respondedOn && input.startedOn < stage.respondedOn)
          errors.push({
            field: 'startedOn',
            message: 'The next stage starts on or after the last response was sent',
          });
        if (errors.length > 0) throw new ValidationError(errors);
        const handler = await handlerFor(w.tx, a, next, c.aboutUserIds, input.handledBy, 'handledBy');
        await insertComplaintStage(w.tx, {
          schoolId: a.schoolId,
          id: randomUUID(),
          complaintId,
          stage: next,
          startedOn: input.startedOn,
          responseDueOn: responseDueOn(input.startedOn),
          handledBy: handler.userId,
          handledByName: handler.name,
        });
        await updateComplaint(w.tx, a.schoolId, complaintId, { stage: next });
        w.audit('complaint.escalated', {
          pupilId: c.pupilId,
          detail: {
            complaintId,
            from: c.stage,
            to: next,
            startedOn: input.startedOn,
            handledBy: handler.name,
          },
        });
        return { stage: next, label: COMPLAINT_STAGE_LABELS[next], dueOn: responseDueOn(input.startedOn) };
      });
    },

    /** Close a complaint with its outcome. */
    async close(actor: Actor, complaintId: string, version: number, input: CloseInput): Promise<string> {
      const a = requireCapability(actor, 'complaints.manage');
      return unitOfWork(db, a, async (w) => {
        const c = await complaintOr404(w.tx, a, complaintId, { lock: true });
        if (c.version !== version) throw new ConflictError(STALE, { ...c });
        if (c.status === 'closed')
          throw new ValidationError([{ field: 'form', message: 'This complaint is already closed' }]);
        const errors: FieldError[] = [];
        const problem = outcomeProblem(c.kind, input.outcome);
        if (problem) errors.push({ field: 'outcome', message: problem });
        if (input.closedOn > clock.today())
          errors.push({ field: 'closedOn', message: 'The date it was closed must be today or earlier' });
        if (input.closedOn < c.receivedOn)
          errors.push({
            field: 'closedOn',
            message: 'The date it was closed must be on or after it was received',
          });
        if (errors.length > 0) throw new ValidationError(errors);
        await updateComplaint(w.tx, a.schoolId, complaintId, {
          status: 'closed' as ComplaintStatus,
          outcome: input.outcome,
          outcomeSummary: input.outcomeSummary,
          closedOn: input.closedOn,
        });
        w.audit('complaint.closed', {
          pupilId: c.pupilId,
          detail: { complaintId, outcome: input.outcome, closedOn: input.closedOn },
        });
        return COMPLAINT_OUTCOME_LABELS[input.outcome];
      });
    },

    /**
     * The complaints naming a pupil, for the section of their record: for those who manage complaints
     * (null for anyone else, who is not refused the record for it). Not those about the viewer.
     */
    async forPupilRecord(actor: Actor, pupilId: string) {
      if (actor.kind !== 'staff' || !actor.schoolId || !hasCapability(actor.roles, 'complaints.manage'))
        return null;
      const a = actor as SchoolActor;
      const rows = await complaintsOfPupil(db, a.schoolId, pupilId, a.userId);
      return rows.map((r) => ({
        ...r,
        label: `${COMPLAINT_KIND_LABELS[r.kind]}, ${r.status === 'closed' ? `closed${r.outcome ? `: ${COMPLAINT_OUTCOME_LABELS[r.outcome].toLowerCase()}` : ''}` : 'open'}`,
      }));
    },

    /** Complaints naming a pupil, for their record: only for those who manage complaints. */
    async ofPupil(actor: Actor, pupilId: string) {
      const a = requireCapability(actor, 'complaints.manage');
      await pupilFor(db, a, pupilId, { section: 'identity' });
      return complaintsOfPupil(db, a.schoolId, pupilId, a.userId);
    },
  };
}

export type ComplaintService = ReturnType<typeof createComplaintService>;
