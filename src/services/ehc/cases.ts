import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { type Level, reachesFor } from '../../domain/access.ts';
import { CASE_KINDS, type CaseKind } from '../../domain/cases.ts';
import { addDays, compareIsoDates, formatDate, type IsoDate, isRealDate } from '../../domain/dates.ts';
import {
  ADVICE_SOURCES,
  type AdviceSource,
  CASE_DECISIONS,
  type CaseDecisionKind,
  EHC_STAGES,
  type EhcStage,
  EXCEPTION_GROUNDS,
  type ExceptionGround,
  isKeyOf,
  TOP_UP_STAGES,
} from '../../domain/ehc.ts';
import {
  adviceReceivedProblems,
  decisionProblems,
  exceptionGroundProblems,
  latestIssue,
  latestWhether,
} from '../../domain/ehc-case.ts';
import {
  type CaseClock,
  type ClockInput,
  DEADLINE_STATUS_LABELS,
  type DeadlineStatus,
  daysBetween,
  earliestFinalDay,
  ehcClock,
  LONG_CLOSURE_DAYS,
  stageOf,
  twentyWeekOutcome,
} from '../../domain/ehc-clock.ts';
import type { EvidencePack } from '../../domain/ehc-pack.ts';
import { figuresShown, type ShownCount, shownCount } from '../../domain/suppression.ts';
import { caseActions } from '../../policies/cases.ts';
import {
  currentPupilOfCase,
  findOrganisationCase,
  type OrganisationCaseRow,
} from '../../repositories/cases.ts';
import {
  type CaseAdviceRow,
  type CaseDecisionRow,
  type CaseExceptionRow,
  type CaseSummaryRow,
  caseSummaries,
  casesForYear,
  casesOfSchool,
  caseworkersOf,
  claimReminder,
  closuresOfSchools,
  endException,
  findAdvice,
  findException,
  insertAdvice,
  insertDecision,
  insertException,
  organisationsWithOpenCases,
  partsOfCases,
  setStage,
  updateAdvice,
  updateCase,
} from '../../repositories/ehc-cases.ts';
import { readStoredFile } from '../../repositories/files.ts';
import { findOrganisation, findSchool, schoolsOfOrganisation } from '../../repositories/schools.ts';
import type { Actor } from '../kernel/actor.ts';
import { requireOfficer } from '../kernel/authorise.ts';
import type { Clock } from '../kernel/clock.ts';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../kernel/errors.ts';
import { queueMail } from '../kernel/outbox.ts';
import type { MailContext } from '../kernel/ports.ts';
import { type OrganisationActor, organisationUnitOfWork } from '../kernel/unit-of-work.ts';
import { packSchemaProblems } from './pack-schema.ts';

/*
 * The local authority's caseload (docs/adr/0036): the EHC needs assessments and top-up applications its
 * schools sent, each EHC case with its statutory clock (domain/ehc-clock.ts) worked out from the dates
 * its officers entered once. Every read of a case or of the caseload names children, so each is audited
 * on the organisation's chain; another organisation's case is not found.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = 5000;

export const CASELOAD_SHOWS = {
  open: 'Open cases',
  overdue: 'Overdue',
  due_week: 'Due this week',
  mine: 'My cases',
  closed: 'Closed cases',
} as const;
export type CaseloadShow = keyof typeof CASELOAD_SHOWS;

export interface CaseloadFilters {
  show?: string;
  kind?: string;
  schoolId?: string;
  /** The page of the list (CASELOAD_PAGE_SIZE cases a page), from 1. */
  page?: number;
}

/** Cases on one page of the caseload. */
export const CASELOAD_PAGE_SIZE = 50;

/** The officer's level of the `ehc` section over their caseload (the one reach officers have). */
function ehcLevel(actor: Actor): Level | null {
  if (reachesFor(actor.roles, 'ehc', 'write').length > 0) return 'write';
  if (reachesFor(actor.roles, 'ehc', 'read').length > 0) return 'read';
  return null;
}

/** An officer who reads their organisation's cases. */
function requireCaseReader(actor: Actor): OrganisationActor {
  const a = requireOfficer(actor, 'organisation.view');
  if (!ehcLevel(a)) throw new ForbiddenError('Your role does not include the caseload', 'ehc');
  return a;
}

function isIso(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function cleanText(value: string | null | undefined, field: string, label: string, errors: FieldError[]) {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') {
    errors.push({ field, message: `Enter ${label} as text` });
    return null;
  }
  const trimmed = value.trim();
  if (trimmed.length > MAX_TEXT)
    errors.push({
      field,
      message: `${label[0]?.toUpperCase()}${label.slice(1)} must be ${MAX_TEXT} characters or fewer`,
    });
  // Control characters other than new lines and tabs have no place in a case.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(trimmed))
    errors.push({
      field,
      message: `${label[0]?.toUpperCase()}${label.slice(1)} must not contain control characters`,
    });
  return trimmed === '' ? null : trimmed;
}

/** A date the officer entered: real, not in the future, not before `notBefore` (with its words). */
function checkDate(
  value: unknown,
  field: string,
  label: string,
  today: IsoDate,
  errors: FieldError[],
  options: { optional?: boolean; notBefore?: { date: IsoDate; what: string } } = {},
): IsoDate | null {
  if (value === null || value === undefined || value === '') {
    if (!options.optional) errors.push({ field, message: `Enter the ${label}` });
    return null;
  }
  if (!isIso(value)) {
    errors.push({ field, message: `The ${label} must be a real date` });
    return null;
  }
  if (compareIsoDates(value, today) > 0) {
    errors.push({ field, message: `The ${label} must be today or in the past` });
    return null;
  }
  if (options.notBefore && compareIsoDates(value, options.notBefore.date) < 0) {
    errors.push({
      field,
      message: `The ${label} must be on or after ${options.notBefore.what} (${formatDate(options.notBefore.date)})`,
    });
    return null;
  }
  return value;
}

function notFound(caseId: string): never {
  throw new NotFoundError('Case not found', { kind: 'organisation_case', id: caseId });
}

export type CaseParts = {
  decisions: CaseDecisionRow[];
  advice: CaseAdviceRow[];
  exceptions: CaseExceptionRow[];
};

/** The clock's input from a case's own fields and parts. */
export function clockInputOf(
  found: Pick<OrganisationCaseRow, 'openedOn' | 'draftSentOn' | 'finalIssuedOn' | 'stage'>,
  parts: CaseParts,
  closures: ClockInput['closures'],
): ClockInput {
  return {
    receivedOn: found.openedOn,
    decisions: parts.decisions.map((d) => ({
      kind: d.kind,
      decidedOn: d.decidedOn,
      parentsToldOn: d.parentsToldOn,
    })),
    advice: parts.advice.map((a) => ({
      id: a.id,
      source: a.source,
      askedOf: a.askedOf,
      schoolId: a.schoolId,
      requestedOn: a.requestedOn,
      receivedOn: a.receivedOn,
      alreadyHeld: a.alreadyHeld,
    })),
    exceptions: parts.exceptions.map((e) => ({
      id: e.id,
      ground: e.ground,
      startsOn: e.startsOn,
      endsOn: e.endsOn,
    })),
    closures,
    draftSentOn: found.draftSentOn,
    finalIssuedOn: found.finalIssuedOn,
    withdrawn: found.stage === 'withdrawn',
  };
}

function stageLabel(kind: CaseKind, stage: string): string {
  if (kind === 'top_up_funding') return isKeyOf(TOP_UP_STAGES, stage) ? TOP_UP_STAGES[stage] : stage;
  return isKeyOf(EHC_STAGES, stage) ? EHC_STAGES[stage] : stage;
}

/** How urgent a case is, for the caseload's order: overdue first, then due this week, then the rest. */
function urgency(clock: CaseClock | null): number {
  if (!clock) return 3;
  if (clock.overdue > 0) return 0;
  if (clock.dueThisWeek > 0) return 1;
  return clock.next ? 2 : 3;
}

/**
 * Where a school's request stands at the local authority, for the school that sent it: the stage, each
 * deadline with its day and whether it was met, and how many are overdue; the decisions the parents and
 * the school were told of (what and when: never the reasons, which are the parents', nor a panel's
 * notes); and the advice asked of this school, with the day it is due. Only the school named on the
 * case reaches it (by its own id). The caller (the school's request service) has authorised its actor
 * for the request and audits the read.
 */
export async function caseStandingForSchool(db: Executor, schoolId: string, caseId: string, today: IsoDate) {
  return (await caseStandingsForSchool(db, schoolId, [caseId], today)).get(caseId) ?? null;
}

/**
 * Where each of these cases a school sent stands (as `caseStandingForSchool`), by case id: a few
 * statements however many cases (the cases; their decisions, advice and exceptions; the closures of
 * the schools asked), so a list can show every row's deadlines without a query per row.
 */
export async function caseStandingsForSchool(
  db: Executor,
  schoolId: string,
  caseIds: readonly string[],
  today: IsoDate,
) {
  const standings = new Map<string, SchoolCaseStanding>();
  const ids = [...new Set(caseIds)].filter((id) => UUID.test(id));
  if (!UUID.test(schoolId) || ids.length === 0) return standings;
  const found = await casesOfSchool(db, schoolId, ids);
  const ehcCases = found.filter((c) => c.kind === 'ehc_needs_assessment');
  const byOrganisation = new Map<string, string[]>();
  for (const c of ehcCases)
    byOrganisation.set(c.organisationId, [...(byOrganisation.get(c.organisationId) ?? []), c.id]);
  const partLists = await Promise.all(
    [...byOrganisation].map(([organisationId, ofOrganisation]) =>
      partsOfCases(db, organisationId, ofOrganisation),
    ),
  );
  const parts: CaseParts = {
    decisions: partLists.flatMap((p) => p.decisions),
    advice: partLists.flatMap((p) => p.advice),
    exceptions: partLists.flatMap((p) => p.exceptions),
  };
  const closures = await closuresOfSchools(db, [
    ...new Set(parts.advice.map((a) => a.schoolId).filter((s): s is string => !!s)),
  ]);
  for (const c of found) {
    if (c.kind !== 'ehc_needs_assessment') {
      standings.set(c.id, {
        kind: c.kind,
        stage: c.stage,
        stageLabel: stageLabel(c.kind, c.stage),
        receivedOn: c.openedOn,
        closedOn: c.closedOn,
        deadlines: [],
        overdue: 0,
        next: null,
        decisions: [],
        adviceAskedOfSchool: [],
      });
      continue;
    }
    const own: CaseParts = {
      decisions: parts.decisions.filter((d) => d.caseId === c.id),
      advice: parts.advice.filter((a) => a.caseId === c.id),
      exceptions: parts.exceptions.filter((e) => e.caseId === c.id),
    };
    const clock = ehcClock(clockInputOf(c, own, closures), today);
    const deadlineOf = (adviceId: string) => clock.deadlines.find((d) => d.adviceId === adviceId);
    standings.set(c.id, {
      kind: c.kind,
      stage: clock.stage,
      stageLabel: stageLabel(c.kind, clock.stage),
      receivedOn: c.openedOn,
      closedOn: c.closedOn,
      deadlines: clock.deadlines.map((d) => ({
        label: d.label,
        regulation: d.regulation,
        dueOn: d.dueOn,
        doneOn: d.doneOn,
        status: d.status,
        statusLabel: DEADLINE_STATUS_LABELS[d.status],
      })),
      overdue: clock.overdue,
      next: clock.next ? { label: clock.next.label, dueOn: clock.next.dueOn } : null,
      // What the parents (and with them the school) were told: a panel's own decisions stay the LA's.
      decisions: own.decisions
        .filter((d) => d.kind !== 'panel' && d.parentsToldOn)
        .map((d) => ({
          kind: d.kind,
          kindLabel: CASE_DECISIONS[d.kind] ?? d.kind,
          decidedOn: d.decidedOn,
          toldOn: d.parentsToldOn,
        })),
      adviceAskedOfSchool: own.advice
        .filter((a) => a.schoolId === schoolId)
        .map((a) => {
          const d = deadlineOf(a.id);
          return {
            sourceLabel: isKeyOf(ADVICE_SOURCES, a.source) ? ADVICE_SOURCES[a.source] : a.source,
            askedOf: a.askedOf,
            requestedOn: a.requestedOn,
            dueOn: d?.dueOn ?? null,
            receivedOn: a.receivedOn,
            status: d?.status ?? 'not_applicable',
            statusLabel: DEADLINE_STATUS_LABELS[d?.status ?? 'not_applicable'],
          };
        }),
    });
  }
  return standings;
}

export interface SchoolCaseStanding {
  kind: CaseKind;
  stage: string;
  stageLabel: string;
  receivedOn: IsoDate;
  closedOn: IsoDate | null;
  deadlines: {
    label: string;
    regulation: string;
    dueOn: IsoDate | null;
    doneOn: IsoDate | null;
    status: DeadlineStatus;
    statusLabel: string;
  }[];
  overdue: number;
  next: { label: string; dueOn: IsoDate | null } | null;
  decisions: { kind: CaseDecisionKind; kindLabel: string; decidedOn: IsoDate; toldOn: IsoDate | null }[];
  adviceAskedOfSchool: {
    sourceLabel: string;
    askedOf: string;
    requestedOn: IsoDate | null;
    dueOn: IsoDate | null;
    receivedOn: IsoDate | null;
    status: DeadlineStatus;
    statusLabel: string;
  }[];
}
export type CaseStanding = SchoolCaseStanding;

export function createCaseloadService(
  database: Database,
  clock: Clock,
  options: { suppressionThreshold: number; mail: MailContext },
) {
  const { db } = database;

  /** A case of the actor's organisation with its parts and clock (inside a unit of work). */
  async function loadCase(tx: Executor, a: OrganisationActor, caseId: string, lock = false) {
    if (!UUID.test(caseId)) notFound(caseId);
    const found = await findOrganisationCase(tx, a.organisationId, caseId, { lock });
    if (!found) notFound(caseId);
    const parts = await partsOfCases(tx, a.organisationId, [caseId]);
    const schoolIds = [...new Set(parts.advice.map((x) => x.schoolId).filter((s): s is string => !!s))];
    const closures = await closuresOfSchools(tx, schoolIds);
    const input = clockInputOf(found, parts, closures);
    const caseClock = found.kind === 'ehc_needs_assessment' ? ehcClock(input, clock.today()) : null;
    const actions = caseActions(a, found, { ehc: ehcLevel(a) });
    return { found, parts, input, clock: caseClock, actions };
  }

  function requireChange(actions: { change: boolean }, found: OrganisationCaseRow) {
    if (!actions.change)
      throw new ForbiddenError(
        found.closedOn
          ? 'This case is closed: it can no longer be changed'
          : 'Your role does not change cases',
        'ehc',
      );
  }

  /** The stage follows the decisions and dates: kept in step in the same unit of work. */
  async function restage(tx: Executor, a: OrganisationActor, caseId: string) {
    const found = await findOrganisationCase(tx, a.organisationId, caseId);
    if (found?.kind !== 'ehc_needs_assessment' || found.stage === 'withdrawn') return;
    const parts = await partsOfCases(tx, a.organisationId, [caseId]);
    const stage = stageOf(clockInputOf(found, parts, []));
    if (stage !== found.stage) await setStage(tx, a.organisationId, caseId, stage);
  }

  /** A stale version: the other officer's change is shown, the user's text kept (by the form). */
  function stale(found: OrganisationCaseRow): never {
    throw new ConflictError(
      'Someone else changed this case while you were working on it. Check the case as it is now, then save again.',
      { version: found.version },
    );
  }

  return {
    /**
     * The caseload: overdue and due-this-week cases first, then by next deadline; top-up applications
     * too (no statutory clock). A few statements whatever the number of cases: the cases, their parts,
     * the closures of the schools asked.
     */
    async caseload(actor: Actor, filters: CaseloadFilters = {}) {
      const a = requireCaseReader(actor);
      const show: CaseloadShow = isKeyOf(CASELOAD_SHOWS, filters.show) ? filters.show : 'open';
      const kind = isKeyOf(CASE_KINDS, filters.kind) ? filters.kind : null;
      const schoolId = filters.schoolId && UUID.test(filters.schoolId) ? filters.schoolId : null;
      const today = clock.today();
      return organisationUnitOfWork(db, a, async (w) => {
        const [all, schools] = await Promise.all([
          caseSummaries(w.tx, a.organisationId, { open: show !== 'closed' }),
          schoolsOfOrganisation(w.tx, a.organisationId),
        ]);
        const open = show !== 'closed';
        const cases = all.filter(
          (c) =>
            (open ? c.closedOn === null : c.closedOn !== null) &&
            (!kind || c.kind === kind) &&
            (!schoolId || c.schoolId === schoolId) &&
            (show !== 'mine' || c.caseworkerUserId === a.userId),
        );
        const parts = open
          ? await partsOfCases(w.tx, a.organisationId, 'open')
          : await partsOfCases(
              w.tx,
              a.organisationId,
              cases.map((c) => c.id),
            );
        const closures = await closuresOfSchools(w.tx, [
          ...new Set(parts.advice.map((x) => x.schoolId).filter((s): s is string => !!s)),
        ]);
        const byCase = new Map<string, CaseParts>();
        const partOf = (id: string) => {
          let p = byCase.get(id);
          if (!p) {
            p = { decisions: [], advice: [], exceptions: [] };
            byCase.set(id, p);
          }
          return p;
        };
        for (const d of parts.decisions) partOf(d.caseId).decisions.push(d);
        for (const x of parts.advice) partOf(x.caseId).advice.push(x);
        for (const e of parts.exceptions) partOf(e.caseId).exceptions.push(e);
        let rows = cases.map((c: CaseSummaryRow) => {
          const caseClock =
            c.kind === 'ehc_needs_assessment'
              ? ehcClock(clockInputOf(c, partOf(c.id), closures), today)
              : null;
          return {
            id: c.id,
            kind: c.kind,
            kindLabel: CASE_KINDS[c.kind],
            schoolId: c.schoolId,
            schoolName: c.schoolName,
            pupilId: c.pupilId,
            childName: [c.forename, c.surname].filter(Boolean).join(' ') || 'Name not given',
            receivedOn: c.openedOn,
            closedOn: c.closedOn,
            stage: caseClock?.stage ?? c.stage,
            stageLabel: stageLabel(c.kind, caseClock?.stage ?? c.stage),
            caseworkerName: c.caseworkerName,
            mine: c.caseworkerUserId === a.userId,
            next: caseClock?.next ? { label: caseClock.next.label, dueOn: caseClock.next.dueOn } : null,
            overdue: caseClock?.overdue ?? 0,
            dueThisWeek: caseClock?.dueThisWeek ?? 0,
            urgency: urgency(caseClock),
          };
        });
        const counts = {
          open: rows.length,
          overdue: rows.filter((r) => r.overdue > 0).length,
          dueThisWeek: rows.filter((r) => r.overdue === 0 && r.dueThisWeek > 0).length,
        };
        if (show === 'overdue') rows = rows.filter((r) => r.overdue > 0);
        if (show === 'due_week') rows = rows.filter((r) => r.overdue === 0 && r.dueThisWeek > 0);
        rows.sort(
          (x, y) =>
            x.urgency - y.urgency ||
            compareIsoDates(x.next?.dueOn ?? '9999-12-31', y.next?.dueOn ?? '9999-12-31') ||
            compareIsoDates(x.receivedOn, y.receivedOn) ||
            x.id.localeCompare(y.id),
        );
        // One page of the list at a time: the counts above are over every case.
        const pages = Math.max(1, Math.ceil(rows.length / CASELOAD_PAGE_SIZE));
        const page = Math.min(Math.max(1, Math.trunc(filters.page ?? 1) || 1), pages);
        const total = rows.length;
        rows = rows.slice((page - 1) * CASELOAD_PAGE_SIZE, page * CASELOAD_PAGE_SIZE);
        w.audit('caseload.viewed', {
          detail: { show, kind, schoolId, cases: rows.length, page },
          shownPupilIds: [...new Set(rows.map((r) => r.pupilId))],
        });
        return {
          rows,
          total,
          page,
          pages,
          counts,
          filters: { show, kind, schoolId },
          schools: schools.map((s) => ({ id: s.id, name: s.name })),
          today,
        };
      });
    },

    /** One case with its clock, decisions, advice, exceptions and what the school sent. */
    async caseView(
      actor: Actor,
      caseId: string,
      options: { audit?: boolean; need?: 'change' | 'decide' } = {},
    ) {
      const a = requireCaseReader(actor);
      return organisationUnitOfWork(db, a, async (w) => {
        const loaded = await loadCase(w.tx, a, caseId);
        const { found } = loaded;
        // A form's page: only for those who may send it (a panel member's decision is the panel's).
        if (options.need === 'change') requireChange(loaded.actions, found);
        if (options.need === 'decide' && !loaded.actions.change && !loaded.actions.recordPanel)
          requireChange(loaded.actions, found);
        const [current, school, caseworkers, schools] = await Promise.all([
          found.closedOn ? Promise.resolve(null) : currentPupilOfCase(w.tx, found),
          findSchool(w.tx, found.schoolId),
          caseworkersOf(w.tx, a.organisationId),
          schoolsOfOrganisation(w.tx, a.organisationId),
        ]);
        if (options.audit !== false)
          w.audit('case.viewed', { pupilId: found.pupilId, detail: { caseId, schoolId: found.schoolId } });
        const received = (found.received ?? null) as Record<string, unknown> | null;
        return {
          case: found,
          kindLabel: CASE_KINDS[found.kind],
          stageLabel: stageLabel(found.kind, loaded.clock?.stage ?? found.stage),
          schoolName: school?.name ?? 'A school',
          pupil: current
            ? {
                forename: current.pupil.forename,
                surname: current.pupil.surname,
                dateOfBirth: current.pupil.dateOfBirth,
                upn: current.pupil.upn,
                moved: current.moved,
              }
            : null,
          received,
          // The whole pack, when what was received is one (it follows the published schema).
          receivedPack:
            found.kind === 'ehc_needs_assessment' && received && packSchemaProblems(received).length === 0
              ? (received as unknown as EvidencePack)
              : null,
          // A PDF stored as received, or one made from the pack received as data.
          hasReceivedFile:
            found.receivedFileId !== null ||
            (found.kind === 'ehc_needs_assessment' &&
              !!received &&
              packSchemaProblems(received).length === 0),
          clock: loaded.clock,
          decisions: loaded.parts.decisions.map((d) => ({
            ...d,
            kindLabel: CASE_DECISIONS[d.kind],
            panelNotes: loaded.actions.readPanelNotes ? d.panelNotes : null,
          })),
          advice: loaded.parts.advice.map((x) => ({ ...x, sourceLabel: ADVICE_SOURCES[x.source] })),
          exceptions: loaded.parts.exceptions.map((e) => ({
            ...e,
            groundLabel: EXCEPTION_GROUNDS[e.ground],
          })),
          caseworkers: caseworkers.map((c) => ({ userId: c.userId, name: c.name })),
          schools: schools.map((s) => ({ id: s.id, name: s.name })),
          actions: loaded.actions,
          version: found.version,
          today: clock.today(),
        };
      });
    },

    /** A decision: to assess or not, a panel's discussion, to issue a plan or not (with the dates told). */
    async recordDecision(
      actor: Actor,
      caseId: string,
      input: {
        version: number;
        kind: string;
        decidedOn: string | null;
        parentsToldOn: string | null;
        reasons: string | null;
        panelNotes: string | null;
      },
    ): Promise<{ decisionId: string }> {
      const a = requireCaseReader(actor);
      const today = clock.today();
      return organisationUnitOfWork(db, a, async (w) => {
        const { found, parts, actions } = await loadCase(w.tx, a, caseId, true);
        const kind = input.kind;
        if (!isKeyOf(CASE_DECISIONS, kind))
          throw new ValidationError([{ field: 'kind', message: 'Choose the decision' }]);
        if (kind === 'panel' ? !actions.recordPanel : !actions.change)
          requireChange({ change: false }, found);
        if (found.kind !== 'ehc_needs_assessment')
          throw new ValidationError([
            { field: 'kind', message: 'A top-up application is decided on its own page' },
          ]);
        if (input.version !== found.version) stale(found);
        const errors: FieldError[] = [];
        const decidedOn = checkDate(input.decidedOn, 'decidedOn', 'date of the decision', today, errors, {
          notBefore: { date: found.openedOn, what: 'the day the request was received' },
        });
        const parentsToldOn =
          kind === 'panel'
            ? null
            : checkDate(input.parentsToldOn, 'parentsToldOn', 'date the parents were told', today, errors, {
                optional: true,
                ...(decidedOn ? { notBefore: { date: decidedOn, what: 'the date of the decision' } } : {}),
              });
        const reasons = cleanText(input.reasons, 'reasons', 'the reasons', errors);
        const panelNotes = cleanText(input.panelNotes, 'panelNotes', 'the panel’s notes', errors);
        if ((kind === 'not_assess' || kind === 'not_issue_plan') && !reasons)
          errors.push({
            field: 'reasons',
            message: 'Give the reasons: the parents are told them with their right of appeal',
          });
        if (kind === 'panel' && !panelNotes && !reasons)
          errors.push({ field: 'panelNotes', message: 'Write what the panel discussed or recommended' });
        for (const p of decisionProblems(parts.decisions, { kind, decidedOn, reasons }))
          if (!errors.some((e) => e.field === p.field)) errors.push(p);
        if (errors.length > 0) throw new ValidationError(errors);
        const id = randomUUID();
        await insertDecision(w.tx, {
          organisationId: a.organisationId,
          id,
          caseId,
          kind: kind as CaseDecisionKind,
          decidedOn: decidedOn as IsoDate,
          parentsToldOn,
          reasons,
          panelNotes,
          decidedBy: a.userId,
          decidedByName: a.name,
        });
        if (
          !(await updateCase(
            w.tx,
            { organisationId: a.organisationId, id: caseId, version: found.version },
            {},
          ))
        )
          stale(found);
        await restage(w.tx, a, caseId);
        w.audit('case.decision_recorded', {
          pupilId: found.pupilId,
          detail: { caseId, decisionId: id, kind, decidedOn, parentsToldOn },
        });
        return { decisionId: id };
      });
    },

    /** Advice asked of a body (reg 6), or already held and sufficient (reg 6(4)). */
    async askAdvice(
      actor: Actor,
      caseId: string,
      input: {
        version: number;
        source: string;
        askedOf: string | null;
        schoolId: string | null;
        requestedOn: string | null;
        alreadyHeld: boolean;
        receivedOn: string | null;
        note: string | null;
      },
    ): Promise<{ adviceId: string }> {
      const a = requireCaseReader(actor);
      const today = clock.today();
      return organisationUnitOfWork(db, a, async (w) => {
        const { found, actions } = await loadCase(w.tx, a, caseId, true);
        requireChange(actions, found);
        if (input.version !== found.version) stale(found);
        const errors: FieldError[] = [];
        if (!isKeyOf(ADVICE_SOURCES, input.source))
          errors.push({ field: 'source', message: 'Choose who the advice is asked of' });
        const askedOf = cleanText(input.askedOf, 'askedOf', 'who was asked', errors);
        let schoolId: string | null = null;
        let schoolName: string | null = null;
        if (input.source === 'school' && input.schoolId) {
          const schools = await schoolsOfOrganisation(w.tx, a.organisationId);
          const s = schools.find((x) => x.id === input.schoolId);
          if (!s)
            errors.push({ field: 'schoolId', message: 'Choose one of the authority’s schools, or none' });
          else {
            schoolId = s.id;
            schoolName = s.name;
          }
        }
        const name = askedOf ?? schoolName;
        if (!name)
          errors.push({ field: 'askedOf', message: 'Enter who was asked: the service or person, by name' });
        else if (name.length > 200)
          errors.push({ field: 'askedOf', message: 'Who was asked must be 200 characters or fewer' });
        const requestedOn = input.alreadyHeld
          ? null
          : checkDate(input.requestedOn, 'requestedOn', 'date the advice was asked for', today, errors, {
              notBefore: { date: found.openedOn, what: 'the day the request was received' },
            });
        const receivedOn = checkDate(input.receivedOn, 'receivedOn', 'date the advice came', today, errors, {
          optional: true,
          ...(requestedOn ? { notBefore: { date: requestedOn, what: 'the date it was asked for' } } : {}),
        });
        if (receivedOn)
          errors.push(
            ...adviceReceivedProblems({
              receivedOn,
              alreadyHeld: input.alreadyHeld,
              requestReceivedOn: found.openedOn,
              pupilDateOfBirth: (await currentPupilOfCase(w.tx, found))?.pupil.dateOfBirth ?? null,
            }),
          );
        const note = cleanText(input.note, 'note', 'the note', errors);
        if (errors.length > 0) throw new ValidationError(errors);
        const id = randomUUID();
        await insertAdvice(w.tx, {
          organisationId: a.organisationId,
          id,
          caseId,
          source: input.source as AdviceSource,
          askedOf: name as string,
          schoolId,
          requestedOn,
          receivedOn,
          alreadyHeld: input.alreadyHeld,
          note,
          createdBy: a.userId,
          createdByName: a.name,
        });
        if (
          !(await updateCase(
            w.tx,
            { organisationId: a.organisationId, id: caseId, version: found.version },
            {},
          ))
        )
          stale(found);
        w.audit('case.advice_requested', {
          pupilId: found.pupilId,
          detail: { caseId, adviceId: id, source: input.source, requestedOn, alreadyHeld: input.alreadyHeld },
        });
        return { adviceId: id };
      });
    },

    /** One piece of advice, for its page: a read of the case, audited (unless the form shows it again). */
    async adviceOf(actor: Actor, caseId: string, adviceId: string, options: { audit?: boolean } = {}) {
      const a = requireCaseReader(actor);
      if (!UUID.test(adviceId))
        throw new NotFoundError('Advice not found', { kind: 'case_advice', id: adviceId });
      return organisationUnitOfWork(db, a, async (w) => {
        const { found, actions } = await loadCase(w.tx, a, caseId);
        const advice = await findAdvice(w.tx, a.organisationId, caseId, adviceId);
        if (!advice) throw new NotFoundError('Advice not found', { kind: 'case_advice', id: adviceId });
        if (options.audit !== false)
          w.audit('case.advice_viewed', { pupilId: found.pupilId, detail: { caseId, adviceId } });
        return {
          caseId,
          kindLabel: CASE_KINDS[found.kind],
          advice: { ...advice, sourceLabel: ADVICE_SOURCES[advice.source] },
          actions,
          version: advice.version,
        };
      });
    },

    /** When the advice came (or a correction of when it was asked). */
    async updateAdvice(
      actor: Actor,
      caseId: string,
      adviceId: string,
      input: { version: number; requestedOn: string | null; receivedOn: string | null; note: string | null },
    ) {
      const a = requireCaseReader(actor);
      const today = clock.today();
      if (!UUID.test(adviceId))
        throw new NotFoundError('Advice not found', { kind: 'case_advice', id: adviceId });
      return organisationUnitOfWork(db, a, async (w) => {
        const { found, actions } = await loadCase(w.tx, a, caseId, true);
        requireChange(actions, found);
        const advice = await findAdvice(w.tx, a.organisationId, caseId, adviceId);
        if (!advice) throw new NotFoundError('Advice not found', { kind: 'case_advice', id: adviceId });
        if (input.version !== advice.version)
          throw new ConflictError(
            'Someone else changed this advice while you were working on it. Check it as it is now, then save again.',
            { requestedOn: advice.requestedOn, receivedOn: advice.receivedOn, note: advice.note },
          );
        const errors: FieldError[] = [];
        const requestedOn = advice.alreadyHeld
          ? null
          : checkDate(input.requestedOn, 'requestedOn', 'date the advice was asked for', today, errors, {
              notBefore: { date: found.openedOn, what: 'the day the request was received' },
            });
        const receivedOn = checkDate(input.receivedOn, 'receivedOn', 'date the advice came', today, errors, {
          optional: true,
          ...(requestedOn ? { notBefore: { date: requestedOn, what: 'the date it was asked for' } } : {}),
        });
        if (receivedOn)
          errors.push(
            ...adviceReceivedProblems({
              receivedOn,
              alreadyHeld: advice.alreadyHeld,
              requestReceivedOn: found.openedOn,
              pupilDateOfBirth: (await currentPupilOfCase(w.tx, found))?.pupil.dateOfBirth ?? null,
            }),
          );
        const note = cleanText(input.note, 'note', 'the note', errors);
        if (errors.length > 0) throw new ValidationError(errors);
        const saved = await updateAdvice(
          w.tx,
          { organisationId: a.organisationId, caseId, id: adviceId, version: input.version },
          { requestedOn, receivedOn: receivedOn ?? null, note },
        );
        if (!saved) throw new ConflictError('Someone else changed this advice while you were working on it.');
        w.audit('case.advice_changed', {
          pupilId: found.pupilId,
          detail: { caseId, adviceId, requestedOn, receivedOn },
        });
      });
    },

    /** An exception to the time limits, with its ground and dates (regs 5(4), 8(2), 10(4), 13(3)). */
    async recordException(
      actor: Actor,
      caseId: string,
      input: {
        version: number;
        ground: string;
        startsOn: string | null;
        endsOn: string | null;
        note: string | null;
      },
    ): Promise<{ exceptionId: string }> {
      const a = requireCaseReader(actor);
      const today = clock.today();
      return organisationUnitOfWork(db, a, async (w) => {
        const { found, actions } = await loadCase(w.tx, a, caseId, true);
        requireChange(actions, found);
        if (input.version !== found.version) stale(found);
        const errors: FieldError[] = [];
        errors.push(...exceptionGroundProblems(input.ground));
        // An exception may start before the request (an absence already begun); no later than today.
        const startsOn = checkDate(input.startsOn, 'startsOn', 'date the exception began', today, errors, {
          notBefore: { date: addDays(found.openedOn, -366), what: 'a year before the request' },
        });
        // The end may be known ahead (an absence until a set day), so it may be in the future.
        let ends: IsoDate | null = null;
        if (input.endsOn !== null && input.endsOn !== undefined && input.endsOn !== '') {
          if (!isIso(input.endsOn))
            errors.push({ field: 'endsOn', message: 'The date it ended must be a real date' });
          else if (startsOn && compareIsoDates(input.endsOn, startsOn) < 0)
            errors.push({
              field: 'endsOn',
              message: 'The date it ended must be on or after the date it began',
            });
          else ends = input.endsOn;
        }
        if (
          input.ground === 'absence' &&
          startsOn &&
          ends &&
          daysBetween(startsOn, ends) + 1 < LONG_CLOSURE_DAYS
        )
          errors.push({
            field: 'endsOn',
            message: 'An absence from the area is a ground only when it lasts 4 continuous weeks or more',
          });
        const note = cleanText(input.note, 'note', 'the note', errors);
        if (input.ground === 'personal_circumstances' && !note)
          errors.push({ field: 'note', message: 'Say briefly what the exceptional circumstances are' });
        if (errors.length > 0) throw new ValidationError(errors);
        const id = randomUUID();
        await insertException(w.tx, {
          organisationId: a.organisationId,
          id,
          caseId,
          ground: input.ground as ExceptionGround,
          startsOn: startsOn as IsoDate,
          endsOn: ends,
          note,
          recordedBy: a.userId,
          recordedByName: a.name,
        });
        if (
          !(await updateCase(
            w.tx,
            { organisationId: a.organisationId, id: caseId, version: found.version },
            {},
          ))
        )
          stale(found);
        w.audit('case.exception_recorded', {
          pupilId: found.pupilId,
          detail: { caseId, exceptionId: id, ground: input.ground, startsOn, endsOn: ends },
        });
        return { exceptionId: id };
      });
    },

    /** The day an open-ended exception ended. */
    async endException(actor: Actor, caseId: string, exceptionId: string, input: { endsOn: string | null }) {
      const a = requireCaseReader(actor);
      const today = clock.today();
      if (!UUID.test(exceptionId))
        throw new NotFoundError('Exception not found', { kind: 'case_exception', id: exceptionId });
      return organisationUnitOfWork(db, a, async (w) => {
        const { found, actions } = await loadCase(w.tx, a, caseId, true);
        requireChange(actions, found);
        const exception = await findException(w.tx, a.organisationId, caseId, exceptionId);
        if (!exception)
          throw new NotFoundError('Exception not found', { kind: 'case_exception', id: exceptionId });
        const errors: FieldError[] = [];
        if (exception.endsOn) errors.push({ field: 'endsOn', message: 'This exception has already ended' });
        const endsOn = checkDate(input.endsOn, 'endsOn', 'date the exception ended', today, errors, {
          notBefore: { date: exception.startsOn, what: 'the date it began' },
        });
        if (
          exception.ground === 'absence' &&
          endsOn &&
          daysBetween(exception.startsOn, endsOn) + 1 < LONG_CLOSURE_DAYS
        )
          errors.push({
            field: 'endsOn',
            message: 'An absence from the area is a ground only when it lasts 4 continuous weeks or more',
          });
        if (errors.length > 0) throw new ValidationError(errors);
        await endException(
          w.tx,
          { organisationId: a.organisationId, caseId, id: exceptionId },
          endsOn as IsoDate,
        );
        w.audit('case.exception_ended', { pupilId: found.pupilId, detail: { caseId, exceptionId, endsOn } });
      });
    },

    /** The draft's and final plan's dates, the caseworker; or the request withdrawn. */
    async updateDates(
      actor: Actor,
      caseId: string,
      input: {
        version: number;
        caseworkerUserId: string | null;
        draftSentOn: string | null;
        finalIssuedOn: string | null;
        withdrawn: boolean;
      },
    ) {
      const a = requireCaseReader(actor);
      const today = clock.today();
      return organisationUnitOfWork(db, a, async (w) => {
        const { found, parts, actions } = await loadCase(w.tx, a, caseId, true);
        requireChange(actions, found);
        if (input.version !== found.version) stale(found);
        const errors: FieldError[] = [];
        let caseworker: string | null = null;
        if (input.caseworkerUserId) {
          const workers = await caseworkersOf(w.tx, a.organisationId);
          if (!workers.some((c) => c.userId === input.caseworkerUserId))
            errors.push({ field: 'caseworkerUserId', message: 'Choose one of the authority’s caseworkers' });
          else caseworker = input.caseworkerUserId;
        }
        const issuing = latestIssue(parts.decisions)?.kind === 'issue_plan';
        const draftSentOn = checkDate(
          input.draftSentOn,
          'draftSentOn',
          'date the draft plan was served',
          today,
          errors,
          {
            optional: true,
            notBefore: { date: found.openedOn, what: 'the day the request was received' },
          },
        );
        if (draftSentOn && !issuing)
          errors.push({
            field: 'draftSentOn',
            message: 'Record the decision to issue a plan before the draft is served',
          });
        const finalIssuedOn = checkDate(
          input.finalIssuedOn,
          'finalIssuedOn',
          'date the final plan was issued',
          today,
          errors,
          {
            optional: true,
            notBefore: { date: found.openedOn, what: 'the day the request was received' },
          },
        );
        if (finalIssuedOn && !draftSentOn && !errors.some((e) => e.field === 'draftSentOn'))
          errors.push({ field: 'finalIssuedOn', message: 'Enter the date the draft plan was served first' });
        else if (
          finalIssuedOn &&
          draftSentOn &&
          compareIsoDates(finalIssuedOn, earliestFinalDay(draftSentOn)) < 0
        )
          errors.push({
            field: 'finalIssuedOn',
            message: `The final plan cannot be issued before the parents’ 15 days end: on or after ${formatDate(earliestFinalDay(draftSentOn))}`,
          });
        if (errors.length > 0) throw new ValidationError(errors);
        const values: Parameters<typeof updateCase>[2] = {
          caseworkerUserId: caseworker,
          draftSentOn,
          finalIssuedOn,
        };
        if (input.withdrawn) {
          values.stage = 'withdrawn';
          values.closedOn = today;
          values.closedReason = 'The request was withdrawn';
        }
        if (
          !(await updateCase(
            w.tx,
            { organisationId: a.organisationId, id: caseId, version: found.version },
            values,
          ))
        )
          stale(found);
        if (!input.withdrawn) await restage(w.tx, a, caseId);
        w.audit('case.dates_changed', {
          pupilId: found.pupilId,
          detail: {
            caseId,
            caseworkerUserId: caseworker,
            draftSentOn,
            finalIssuedOn,
            withdrawn: input.withdrawn,
          },
        });
      });
    },

    /** What the school sent, as received: the JSON, or its PDF (the authority's stored copy). */
    async receivedFile(
      actor: Actor,
      caseId: string,
      format: 'pdf' | 'json',
      render?: { pdf: (pack: EvidencePack) => Promise<Buffer> },
    ) {
      const a = requireCaseReader(actor);
      return organisationUnitOfWork(db, a, async (w) => {
        if (!UUID.test(caseId)) notFound(caseId);
        const found = await findOrganisationCase(w.tx, a.organisationId, caseId);
        if (!found) notFound(caseId);
        // The case's short id tells apart the files of cases received the same day.
        const stem = `${found.kind === 'top_up_funding' ? 'top-up-application' : 'ehc-request'}-${found.openedOn}-${caseId.slice(0, 8)}`;
        if (format === 'json') {
          if (found.received === null) throw new NotFoundError('Nothing was received with this case');
          w.audit('case.received_downloaded', { pupilId: found.pupilId, detail: { caseId, format } });
          return {
            name: `${stem}.json`,
            contentType: 'application/json; charset=utf-8',
            bytes: Buffer.from(JSON.stringify(found.received, null, 2)),
          };
        }
        const file = found.receivedFileId
          ? await readStoredFile(w.tx, a.organisationId, found.receivedFileId)
          : null;
        // A request sent as data alone (no PDF stored): its PDF made from the pack as received, when
        // the copy is a pack in the published format.
        const asPack =
          !file &&
          render &&
          found.kind === 'ehc_needs_assessment' &&
          found.received !== null &&
          packSchemaProblems(found.received).length === 0
            ? await render.pdf(found.received as EvidencePack)
            : null;
        if (!file && !asPack) throw new NotFoundError('No PDF was received with this case');
        if (asPack) {
          w.audit('case.received_downloaded', { pupilId: found.pupilId, detail: { caseId, format } });
          return { name: `${stem}.pdf`, contentType: 'application/pdf', bytes: asPack };
        }
        if (!file) throw new NotFoundError('No PDF was received with this case');
        w.audit('case.received_downloaded', { pupilId: found.pupilId, detail: { caseId, format } });
        return { name: `${stem}.pdf`, contentType: 'application/pdf', bytes: Buffer.from(file.bytes) };
      });
    },

    /**
     * The figures SEN2 asks for, for a calendar year: requests received and decided (to assess or not),
     * assessments (plans issued or not), and the plans issued within 20 weeks with and without the
     * exceptions. Counts only, and exact: this is the authority's own statutory return, read by its
     * officers who see the named cases anyway (small numbers are suppressed where figures go to
     * governors or to others). The year asked if it has cases or is this year; otherwise this year,
     * with the year asked as `unavailable` and the years there are.
     */
    async sen2Figures(actor: Actor, year: number) {
      const a = requireOfficer(actor, 'organisation.view');
      const thisYear = Number(clock.today().slice(0, 4));
      return organisationUnitOfWork(db, a, async (w) => {
        const all = await casesForYear(w.tx, a.organisationId, '2014-01-01', `${thisYear}-12-31`);
        const withCases = new Set([thisYear]);
        for (const c of all)
          for (const d of [c.openedOn, c.finalIssuedOn, c.closedOn])
            if (d && Number(d.slice(0, 4)) <= thisYear) withCases.add(Number(d.slice(0, 4)));
        const years = [...withCases].sort((x, z) => z - x);
        const asked = Number.isInteger(year) ? year : null;
        const y = asked !== null && withCases.has(asked) ? asked : thisYear;
        const from = `${y}-01-01`;
        const to = `${y}-12-31`;
        const cases = await casesForYear(w.tx, a.organisationId, from, to);
        const parts = await partsOfCases(
          w.tx,
          a.organisationId,
          cases.map((c) => c.id),
        );
        const closures = await closuresOfSchools(w.tx, [
          ...new Set(parts.advice.map((x) => x.schoolId).filter((s): s is string => !!s)),
        ]);
        const inYear = (d: string | null | undefined) => !!d && d >= from && d <= to;
        const cells = new Map<string, number>();
        const add = (key: string) => cells.set(key, (cells.get(key) ?? 0) + 1);
        for (const key of [
          'received',
          'decided',
          'assess',
          'notAssess',
          'issued',
          'notIssued',
          'within20',
          'exceptions',
          'issuedNoException',
          'within20NoException',
        ])
          cells.set(key, 0);
        for (const c of cases) {
          const mine: CaseParts = {
            decisions: parts.decisions.filter((d) => d.caseId === c.id),
            advice: parts.advice.filter((x) => x.caseId === c.id),
            exceptions: parts.exceptions.filter((e) => e.caseId === c.id),
          };
          if (inYear(c.openedOn)) add('received');
          // A case counts by its latest decision of each kind (a reconsideration replaces the first).
          const whether = latestWhether(mine.decisions);
          if (whether && inYear(whether.decidedOn)) {
            add('decided');
            add(whether.kind === 'assess' ? 'assess' : 'notAssess');
          }
          const issue = latestIssue(mine.decisions);
          if (issue?.kind === 'not_issue_plan' && inYear(issue.decidedOn)) add('notIssued');
          if (inYear(c.finalIssuedOn)) {
            const outcome = twentyWeekOutcome(ehcClock(clockInputOf(c, mine, closures), clock.today()));
            add('issued');
            if (outcome?.within) add('within20');
            if (outcome?.exception) add('exceptions');
            else {
              add('issuedNoException');
              if (outcome?.within) add('within20NoException');
            }
          }
        }
        const shown = figuresShown(
          cells,
          [
            ['decided', ['assess', 'notAssess']],
            ['issued', ['issuedNoException', 'exceptions']],
          ],
          // Exact counts (a threshold of 1 hides nothing).
          1,
        );
        const hidden = (key: string) => shown.hidden.has(key) || shown.withheld.has(key);
        const show = (key: string): ShownCount => shownCount(shown, cells, key);
        const percent = (n: string, d: string) => {
          const num = cells.get(n) ?? 0;
          const den = cells.get(d) ?? 0;
          if (den === 0 || hidden(n) || hidden(d)) return null;
          return Math.round((num / den) * 1000) / 10;
        };
        const organisation = await findOrganisation(w.tx, a.organisationId);
        w.audit('sen2.figures_viewed', { detail: { year: y } });
        return {
          organisationName: organisation?.name ?? null,
          year: y,
          years,
          unavailable: asked !== null && asked !== y ? asked : null,
          figures: Object.fromEntries([...cells.keys()].map((k) => [k, show(k)])) as Record<
            string,
            ShownCount
          >,
          within20Percent: percent('within20', 'issued'),
          within20NoExceptionPercent: percent('within20NoException', 'issuedNoException'),
        };
      });
    },

    /**
     * The nightly reminder: each caseworker told how many of their cases are overdue or due this week,
     * naming no child; once per deadline (the case's `reminded_for` claimed row by row, so two runs at
     * once mail once).
     */
    async remindCaseworkers(today: IsoDate = clock.today()): Promise<number> {
      let mailed = 0;
      for (const organisationId of await organisationsWithOpenCases(db)) {
        const cases = (await caseSummaries(db, organisationId, { open: true })).filter(
          (c) => c.kind === 'ehc_needs_assessment' && c.caseworkerUserId,
        );
        const parts = await partsOfCases(db, organisationId, 'open');
        const closures = await closuresOfSchools(db, [
          ...new Set(parts.advice.map((x) => x.schoolId).filter((s): s is string => !!s)),
        ]);
        const byWorker = new Map<string, { caseId: string; key: string }[]>();
        for (const c of cases) {
          const mine: CaseParts = {
            decisions: parts.decisions.filter((d) => d.caseId === c.id),
            advice: parts.advice.filter((x) => x.caseId === c.id),
            exceptions: parts.exceptions.filter((e) => e.caseId === c.id),
          };
          const caseClock = ehcClock(clockInputOf(c, mine, closures), today);
          const pressing = caseClock.deadlines
            .filter(
              (d) =>
                d.open &&
                d.dueOn &&
                (d.status === 'overdue' ||
                  (d.status === 'due' && compareIsoDates(d.dueOn, addDays(today, 6)) <= 0)),
            )
            .sort((x, y) => compareIsoDates(x.dueOn as IsoDate, y.dueOn as IsoDate))[0];
          if (!pressing) continue;
          const worker = c.caseworkerUserId as string;
          byWorker.set(worker, [
            ...(byWorker.get(worker) ?? []),
            { caseId: c.id, key: `${pressing.key}:${pressing.dueOn}` },
          ]);
        }
        if (byWorker.size === 0) continue;
        const organisation = await findOrganisation(db, organisationId);
        const workers = await caseworkersOf(db, organisationId);
        for (const [userId, due] of byWorker) {
          const worker = workers.find((x) => x.userId === userId);
          if (!worker) continue;
          await db.transaction(async (tx) => {
            let claimed = 0;
            for (const d of due) if (await claimReminder(tx, organisationId, d.caseId, d.key)) claimed++;
            // Mailed when a deadline is new to the reminder; the count is all the caseworker's pressing cases.
            if (claimed === 0) return;
            await queueMail(tx, { schoolId: null, organisationId }, worker.email, 'cases.due', {
              from: organisation?.name ?? 'the local authority',
              link: `${options.mail.publicUrl}/organisation/cases?show=mine`,
              count: due.length,
            });
            mailed++;
          });
        }
      }
      if (mailed > 0) options.mail.jobsQueued();
      return mailed;
    },
  };
}

export type CaseloadService = ReturnType<typeof createCaseloadService>;
export { EHC_STAGES, type EhcStage };
