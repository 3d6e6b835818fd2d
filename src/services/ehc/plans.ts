import { createHash, randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import { type Level, reachesFor } from '../../domain/access.ts';
import { addDays, compareIsoDates, formatDate, type IsoDate, isRealDate } from '../../domain/dates.ts';
import { isKeyOf } from '../../domain/ehc.ts';
import { latestIssue, mayStartDraftPlan } from '../../domain/ehc-case.ts';
import {
  commentPeriodEnds,
  earliestFinalDay,
  ehcClock,
  FINAL_DAYS,
  twentyWeekOutcome,
} from '../../domain/ehc-clock.ts';
import {
  CEASE_REASONS,
  type CeaseReason,
  isOpenVersion,
  PLAN_SECTION_KEYS,
  PLAN_SECTION_SHORT,
  type PlanPlacement,
  type PlanSectionKey,
  type PlanSections,
  type PlanVersionReason,
} from '../../domain/ehc-plan.ts';
import { compareVersions } from '../../domain/ehc-plan-check.ts';
import { draftSections } from '../../domain/ehc-plan-draft.ts';
import { sectionProblems, withoutDanglingLinks } from '../../domain/ehc-plan-sections.ts';
import { twelveMonthsEnd } from '../../domain/ehc-review-clock.ts';
import { ownWordsLabel, viewsForTheRecord } from '../../domain/family-views.ts';
import { type EhcPlanActions, ehcPlanActions } from '../../policies/ehc-plans.ts';
import {
  currentPupilOfCase,
  findOrganisationCase,
  type OrganisationCaseRow,
} from '../../repositories/cases.ts';
import { closuresOfSchools, partsOfCases, updateCase } from '../../repositories/ehc-cases.ts';
import {
  lockPlan,
  openVersionOfPlan,
  schoolsForPlacement,
  updatePlan,
  updatePlanVersion,
} from '../../repositories/ehc-plan-versions.ts';
import {
  type EhcPlanRow,
  type EhcPlanVersionRow,
  findPlan,
  insertPlan,
  insertPlanVersion,
  planOfCase,
  planVersion,
  versionsOfPlan,
} from '../../repositories/ehc-plans.ts';
import { viewsOn } from '../../repositories/family-views.ts';
import { findOrganisation } from '../../repositories/schools.ts';
import { queueFamilyMail } from '../family/mail.ts';
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
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { type OrganisationActor, organisationUnitOfWork, type Work } from '../kernel/unit-of-work.ts';
import { clockInputOf } from './cases.ts';

/*
 * The local authority's EHC plans (docs/adr/0038): drafted from an assessment case, written section by
 * section, sent to the parents for their 15 days, issued as final, amended in new versions (each kept),
 * and ceased. Every change runs in the organisation's unit of work with its audit row on the
 * organisation's chain, naming the child under their school.
 *
 * The steps are exported as functions of a unit of work already begun and authorised (`startDraft`,
 * `startAmendment`, `sendVersion`, `issueVersion`, `ceasePlan`), so that another use case of the
 * authority (its decision on an annual review) can take one in its own change; `createEhcPlanService`
 * wraps each for an officer acting on the plan's own pages.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = 5000;

/** A unit of work of an officer of the authority that holds the plan. */
export type PlanWork = Work<OrganisationActor>;

/** Why a version after the first is made. */
export const AMENDMENT_REASONS = {
  annual_review: 'Amended after an annual review',
  phase_transfer: 'Amended for a move to the next phase of education',
  other_amendment: 'Amended at another time',
} as const satisfies Partial<Record<PlanVersionReason, string>>;
export type AmendmentReason = keyof typeof AMENDMENT_REASONS;

/** The officer's level of the `ehc` section over their caseload. */
export function ehcLevel(actor: Actor): Level | null {
  if (reachesFor(actor.roles, 'ehc', 'write').length > 0) return 'write';
  if (reachesFor(actor.roles, 'ehc', 'read').length > 0) return 'read';
  return null;
}

/** An officer who reads their organisation's plans. */
function requirePlanReader(actor: Actor): OrganisationActor {
  const a = requireOfficer(actor, 'organisation.view');
  if (!ehcLevel(a)) throw new ForbiddenError('Your role does not include EHC plans', 'ehc');
  return a;
}

/** An officer who writes their organisation's plans (a caseworker). */
function requirePlanWriter(actor: Actor): OrganisationActor {
  const a = requirePlanReader(actor);
  if (ehcLevel(a) !== 'write') throw new ForbiddenError('Your role does not write EHC plans', 'ehc');
  return a;
}

function isIso(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  return !!m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function checkDate(
  value: unknown,
  field: string,
  label: string,
  today: IsoDate,
  errors: FieldError[],
  notBefore?: { date: IsoDate; what: string },
): IsoDate | null {
  if (value === null || value === undefined || value === '') {
    errors.push({ field, message: `Enter the ${label}` });
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
  if (notBefore && compareIsoDates(value, notBefore.date) < 0) {
    errors.push({
      field,
      message: `The ${label} must be on or after ${notBefore.what} (${formatDate(notBefore.date)})`,
    });
    return null;
  }
  return value;
}

function cleanText(value: unknown, field: string, label: string, errors: FieldError[], max = MAX_TEXT) {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') {
    errors.push({ field, message: `Enter ${label} as text` });
    return null;
  }
  const trimmed = value.trim();
  const Label = `${label[0]?.toUpperCase()}${label.slice(1)}`;
  if (trimmed.length > max) errors.push({ field, message: `${Label} must be ${max} characters or fewer` });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(trimmed))
    errors.push({ field, message: `${Label} must not contain control characters` });
  return trimmed === '' ? null : trimmed;
}

function planNotFound(planId: string): never {
  throw new NotFoundError('EHC plan not found', { kind: 'ehc_plan', id: planId });
}

function caseNotFound(caseId: string): never {
  throw new NotFoundError('Case not found', { kind: 'organisation_case', id: caseId });
}

function stalePlan(plan: EhcPlanRow): never {
  throw new ConflictError(
    'Someone else changed this plan while you were working on it. Check the plan as it is now, then try again.',
    { version: plan.version },
  );
}

/** A value as JSON with its keys in order, whatever order the database gave them in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

/**
 * A fingerprint of one section as it stands: the section's form carries the one it was loaded with, so
 * a save after someone else changed another section (the version moved on, this section did not) goes
 * through, and only a change to this section itself is a conflict.
 */
export function sectionDigest(sections: PlanSections, key: PlanSectionKey): string {
  return createHash('sha256').update(canonicalJson(sections[key])).digest('base64url').slice(0, 32);
}

/** Someone else saved this very section since the form was loaded: their section is shown. */
function staleSection(version: EhcPlanVersionRow, key: PlanSectionKey): never {
  throw new ConflictError(
    `Someone else saved ${PLAN_SECTION_SHORT[key]} while you were working on it. Their version is shown below the form; your text is kept in the form.`,
    { version: version.version, section: key, sections: version.sections },
  );
}

function staleVersion(version: EhcPlanVersionRow): never {
  throw new ConflictError(
    'Someone else saved this section while you were working on it. Their version is shown; your text is kept below it.',
    { version: version.version, sections: version.sections },
  );
}

function refuse(message: string, field = 'form'): never {
  throw new ValidationError([{ field, message }]);
}

/** The plan (locked), its open version and what the actor may do with it, inside a unit of work. */
async function loadPlan(w: PlanWork, planId: string) {
  if (!UUID.test(planId)) planNotFound(planId);
  const plan = await lockPlan(w.tx, w.actor.organisationId, planId);
  if (!plan) planNotFound(planId);
  const open = await openVersionOfPlan(w.tx, w.actor.organisationId, planId);
  const actions = ehcPlanActions(w.actor, plan, open, { ehc: ehcLevel(w.actor) });
  return { plan, open, actions };
}

function need(w: PlanWork, actions: EhcPlanActions, action: keyof EhcPlanActions, plan: EhcPlanRow): void {
  if (actions[action]) return;
  if (!actions.read) throw new ForbiddenError('Your role does not include EHC plans', 'ehc');
  if (ehcLevel(w.actor) !== 'write') throw new ForbiddenError('Your role does not write EHC plans', 'ehc');
  if (plan.status === 'ceased') refuse('This plan has ceased: it can no longer be changed');
  const messages: Partial<Record<keyof EhcPlanActions, string>> = {
    edit: 'There is no version being written: start an amendment to change the final plan',
    send: 'There is no version being written to send',
    recordComments: 'Comments are recorded on a version sent to the parents',
    issue: 'Only a version sent to the parents can be issued as final',
    amend: 'An amendment is already under way: finish it before starting another',
    cease: 'Only a final plan can be ceased',
  };
  refuse(messages[action] ?? 'This cannot be done to the plan now');
}

/** The child a plan is about, as the school now holds them (their name and date of birth). */
async function childOfPlan(tx: Executor, plan: EhcPlanRow) {
  const current = await currentPupilOfCase(tx, plan);
  return current
    ? {
        name: [current.pupil.forename, current.pupil.surname].filter(Boolean).join(' '),
        dateOfBirth: current.pupil.dateOfBirth,
        upn: current.pupil.upn,
        moved: current.moved,
      }
    : null;
}

/** The audit row's naming of the child: the pupil, linked under their school. */
function child(plan: { pupilId: string }) {
  return { pupilId: plan.pupilId, shownPupilIds: [plan.pupilId] };
}

/**
 * Start the draft plan from an assessment case (the authority is assessing, or has decided to issue a
 * plan, or the case's dates say a draft was served or a plan issued before the plan was kept here): A, B
 * and K written from what the case gathered, I blank. One plan per case.
 */
export async function startDraft(
  w: PlanWork,
  caseId: string,
  today: IsoDate,
): Promise<{ planId: string; versionId: string }> {
  const a = w.actor;
  if (ehcLevel(a) !== 'write') throw new ForbiddenError('Your role does not write EHC plans', 'ehc');
  if (!UUID.test(caseId)) caseNotFound(caseId);
  const found = await findOrganisationCase(w.tx, a.organisationId, caseId, { lock: true });
  if (!found) caseNotFound(caseId);
  if (found.kind !== 'ehc_needs_assessment') refuse('A plan is written from an EHC needs assessment');
  if (found.closedOn) refuse('This case is closed: a plan cannot be started from it');
  if (await planOfCase(w.tx, a.organisationId, caseId))
    refuse('This case already has a plan: open it from the case');
  if (found.stage === 'not_issuing')
    refuse('The local authority decided not to issue a plan: record a decision to issue one first');
  if (!mayStartDraftPlan(found.stage)) refuse('Record the decision to assess before starting the draft plan');
  const parts = await partsOfCases(w.tx, a.organisationId, [caseId]);
  const sections = draftSections(
    found.received,
    found.openedOn,
    parts.advice.map((x) => ({
      id: x.id,
      source: x.source,
      askedOf: x.askedOf,
      receivedOn: x.receivedOn,
      alreadyHeld: x.alreadyHeld,
    })),
  );
  const planId = randomUUID();
  const versionId = randomUUID();
  await insertPlan(w.tx, {
    organisationId: a.organisationId,
    id: planId,
    caseId,
    schoolId: found.schoolId,
    pupilId: found.pupilId,
    upn: found.upn,
    status: 'draft',
    latestVersion: 1,
  });
  await insertPlanVersion(w.tx, {
    organisationId: a.organisationId,
    id: versionId,
    planId,
    caseId,
    number: 1,
    stage: 'writing',
    reason: 'new_plan',
    sections,
    createdBy: a.userId,
    createdByName: a.name,
  });
  w.audit('ehc_plan.started', {
    ...child(found),
    detail: { caseId, planId, schoolId: found.schoolId, today },
  });
  return { planId, versionId };
}

/**
 * Start an amendment of the final plan: a new version copied from the final one, being written (the
 * proposed amendments are then sent to the parents and issued as the other versions are). From an annual
 * review, the decision that asked for it is named.
 */
export async function startAmendment(
  w: PlanWork,
  planId: string,
  input: { reason: AmendmentReason; reviewDecisionId?: string | null; planVersion?: number },
): Promise<{ versionId: string; number: number }> {
  const a = w.actor;
  const { plan, actions } = await loadPlan(w, planId);
  need(w, actions, 'amend', plan);
  if (input.planVersion !== undefined && input.planVersion !== plan.version) stalePlan(plan);
  if (!isKeyOf(AMENDMENT_REASONS, input.reason)) refuse('Choose why the plan is amended', 'reason');
  if (input.reviewDecisionId != null && !UUID.test(input.reviewDecisionId))
    refuse('The annual review decision is not valid', 'reviewDecisionId');
  const final =
    plan.finalVersion !== null ? await planVersion(w.tx, a.organisationId, planId, plan.finalVersion) : null;
  if (!final) refuse('Only a final plan can be amended');
  const number = plan.latestVersion + 1;
  const versionId = randomUUID();
  await insertPlanVersion(w.tx, {
    organisationId: a.organisationId,
    id: versionId,
    planId,
    caseId: plan.caseId,
    number,
    stage: 'writing',
    reason: input.reason,
    reviewDecisionId: input.reviewDecisionId ?? null,
    sections: final.sections,
    createdBy: a.userId,
    createdByName: a.name,
  });
  if (!(await updatePlan(w.tx, plan, { latestVersion: number }))) stalePlan(plan);
  w.audit('ehc_plan.amendment_started', {
    ...child(plan),
    detail: { planId, number, reason: input.reason, reviewDecisionId: input.reviewDecisionId ?? null },
  });
  return { versionId, number };
}

/**
 * Send the version being written to the parents: the draft plan (section I blank; the case's draft is
 * then served) or the proposed amendments. Their 15 days to comment begin on the day it is sent.
 */
export async function sendVersion(
  w: PlanWork,
  planId: string,
  input: { sentOn: string | null; versionVersion?: number },
  today: IsoDate,
): Promise<{ number: number; sentOn: IsoDate; commentsDueOn: IsoDate }> {
  const a = w.actor;
  const { plan, open, actions } = await loadPlan(w, planId);
  need(w, actions, 'send', plan);
  if (!open) return refuse('There is no version being written to send');
  if (input.versionVersion !== undefined && input.versionVersion !== open.version) staleVersion(open);
  const found = await findOrganisationCase(w.tx, a.organisationId, plan.caseId, { lock: true });
  if (!found) return caseNotFound(plan.caseId);
  const errors: FieldError[] = [];
  const sentOn = checkDate(input.sentOn, 'sentOn', 'date it was sent', today, errors, {
    date: open.reason === 'new_plan' ? found.openedOn : (plan.startedOn ?? found.openedOn),
    what: open.reason === 'new_plan' ? 'the day the request was received' : 'the day the plan started',
  });
  if (open.reason === 'new_plan') {
    if (open.sections.i !== null)
      errors.push({
        field: 'form',
        message: 'A draft plan names no school: clear section I before sending the draft to the parents',
      });
    const parts = await partsOfCases(w.tx, a.organisationId, [plan.caseId]);
    if (latestIssue(parts.decisions)?.kind !== 'issue_plan')
      errors.push({
        field: 'form',
        message: 'Record the decision to issue a plan on the case before the draft is sent to the parents',
      });
  }
  if (errors.length > 0 || !sentOn) throw new ValidationError(errors);
  const commentsDueOn = commentPeriodEnds(sentOn);
  if (!(await updatePlanVersion(w.tx, open, { stage: 'sent', sentOn, commentsDueOn }))) staleVersion(open);
  if (open.reason === 'new_plan') {
    // A case whose final plan was issued before its plan was kept here stays at that stage.
    const stage = found.finalIssuedOn ? found.stage : 'draft_sent';
    if (!(await updateCase(w.tx, found, { draftSentOn: sentOn, stage }))) stalePlan(plan);
  }
  if (!(await updatePlan(w.tx, plan, {}))) stalePlan(plan);
  w.audit('ehc_plan.sent', {
    ...child(plan),
    detail: { planId, number: open.number, reason: open.reason, sentOn, commentsDueOn },
  });
  return { number: open.number, sentOn, commentsDueOn };
}

/**
 * Issue the version sent to the parents as the final plan: not before their 15 days end, with section I
 * naming the school. The first final plan starts the plan (its review due within twelve months) and
 * closes the case; an amendment replaces the final plan. Says whether the case's 20 weeks were met.
 */
export async function issueVersion(
  w: PlanWork,
  planId: string,
  input: { issuedOn: string | null; versionVersion?: number },
  today: IsoDate,
): Promise<{
  number: number;
  issuedOn: IsoDate;
  finalDueOn: IsoDate | null;
  withinTwentyWeeks: boolean | null;
}> {
  const a = w.actor;
  const { plan, open, actions } = await loadPlan(w, planId);
  need(w, actions, 'issue', plan);
  if (!open?.sentOn) return refuse('Only a version sent to the parents can be issued as final');
  if (input.versionVersion !== undefined && input.versionVersion !== open.version) staleVersion(open);
  const errors: FieldError[] = [];
  const firstDay = earliestFinalDay(open.sentOn);
  const issuedOn = checkDate(input.issuedOn, 'issuedOn', 'date the final plan was issued', today, errors);
  if (issuedOn && compareIsoDates(issuedOn, firstDay) < 0)
    errors.push({
      field: 'issuedOn',
      message: `The final plan cannot be issued before the parents’ 15 days end: on or after ${formatDate(firstDay)}`,
    });
  const placement = open.sections.i;
  if (!placement || placement.name.trim() === '')
    errors.push({
      field: 'form',
      message: 'Name the school or other institution in section I before issuing',
    });
  if (errors.length > 0 || !issuedOn) throw new ValidationError(errors);
  if (!(await updatePlanVersion(w.tx, open, { stage: 'issued', issuedOn, issuedBy: a.userId })))
    staleVersion(open);
  // The school named, when it is one of the authority's schools on this installation.
  const schools = placement?.schoolId ? await schoolsForPlacement(w.tx, a.organisationId) : [];
  const namedSchoolId = schools.some((s) => s.id === placement?.schoolId)
    ? (placement?.schoolId ?? null)
    : null;
  const first = open.reason === 'new_plan';
  const values: Parameters<typeof updatePlan>[2] = {
    status: 'final',
    finalVersion: open.number,
    namedSchoolId,
  };
  if (first) {
    values.startedOn = issuedOn;
    values.reviewDueOn = twelveMonthsEnd(issuedOn);
  }
  if (!(await updatePlan(w.tx, plan, values))) stalePlan(plan);
  let finalDueOn: IsoDate | null = null;
  let withinTwentyWeeks: boolean | null = null;
  if (first) {
    const found = await findOrganisationCase(w.tx, a.organisationId, plan.caseId, { lock: true });
    if (!found) return caseNotFound(plan.caseId);
    const closed: Partial<OrganisationCaseRow> = {
      finalIssuedOn: issuedOn,
      draftSentOn: found.draftSentOn ?? open.sentOn,
      stage: 'plan_issued',
      closedOn: compareIsoDates(issuedOn, found.openedOn) >= 0 ? issuedOn : found.openedOn,
      closedReason: 'Final plan issued',
    };
    if (!(await updateCase(w.tx, found, closed))) stalePlan(plan);
    const parts = await partsOfCases(w.tx, a.organisationId, [plan.caseId]);
    const closures = await closuresOfSchools(w.tx, [
      ...new Set(parts.advice.map((x) => x.schoolId).filter((s): s is string => !!s)),
    ]);
    const outcome = twentyWeekOutcome(
      ehcClock(clockInputOf({ ...found, ...closed } as OrganisationCaseRow, parts, closures), today),
    );
    finalDueOn = addDays(found.openedOn, FINAL_DAYS);
    withinTwentyWeeks = outcome ? outcome.within : null;
  }
  w.audit('ehc_plan.issued', {
    ...child(plan),
    detail: { planId, number: open.number, reason: open.reason, issuedOn, namedSchoolId, withinTwentyWeeks },
  });
  return { number: open.number, issuedOn, finalDueOn, withinTwentyWeeks };
}

/**
 * Cease the plan, with SEN2's reason and the authority's own reasons as told to the parents (required on
 * the plan's own form; a review decision keeps its reasons with the decision). A version still being
 * written or with the parents is ended with it: kept, as not issued.
 */
export async function ceasePlan(
  w: PlanWork,
  planId: string,
  input: { ceasedOn: string | null; reason: string; reasons?: string | null; planVersion?: number },
  today: IsoDate,
): Promise<{ ceasedOn: IsoDate; reason: CeaseReason; endedVersion: number | null }> {
  const { plan, open, actions } = await loadPlan(w, planId);
  need(w, actions, 'cease', plan);
  if (input.planVersion !== undefined && input.planVersion !== plan.version) stalePlan(plan);
  const errors: FieldError[] = [];
  const ceasedOn = checkDate(
    input.ceasedOn,
    'ceasedOn',
    'date the plan ceased',
    today,
    errors,
    plan.startedOn ? { date: plan.startedOn, what: 'the day the plan started' } : undefined,
  );
  if (!isKeyOf(CEASE_REASONS, input.reason))
    errors.push({ field: 'reason', message: 'Choose why the plan ceased' });
  const reasons =
    input.reasons === undefined ? null : cleanText(input.reasons, 'reasons', 'the reasons', errors);
  if (input.reasons !== undefined && reasons === null && !errors.some((e) => e.field === 'reasons'))
    errors.push({
      field: 'reasons',
      message: 'Give the reasons: the parents are told them with their right of appeal',
    });
  if (errors.length > 0 || !ceasedOn || !isKeyOf(CEASE_REASONS, input.reason))
    throw new ValidationError(errors);
  const reason = input.reason;
  if (
    !(await updatePlan(w.tx, plan, {
      status: 'ceased',
      ceasedOn,
      ceaseReason: reason,
      ...(reasons !== null ? { ceaseReasonsGiven: reasons } : {}),
    }))
  )
    stalePlan(plan);
  // The amendment being written (or with the parents) is never issued: kept as it was, ended.
  if (open && !(await updatePlanVersion(w.tx, open, { stage: 'not_issued' }))) staleVersion(open);
  const endedVersion = open?.number ?? null;
  w.audit('ehc_plan.ceased', { ...child(plan), detail: { planId, ceasedOn, reason, endedVersion } });
  return { ceasedOn, reason, endedVersion };
}

/**
 * Save one section of the version being written, if it is still at the version the officer saw. Links
 * to items no longer in the plan are dropped (a need removed from B is no longer named by an outcome).
 */
export async function saveSection<K extends PlanSectionKey>(
  w: PlanWork,
  planId: string,
  input: { section: K; value: PlanSections[K]; versionVersion: number; sectionDigest?: string | null },
): Promise<{ number: number }> {
  const { plan, open, actions } = await loadPlan(w, planId);
  if (!PLAN_SECTION_KEYS.includes(input.section)) refuse('Choose a section of the plan', 'section');
  // Section I stays open while the parents have the draft: the school is named after their preference
  // and the school's consultation, before the plan is issued. Every other section is fixed once sent.
  need(w, actions, input.section === 'i' && open?.stage === 'sent' ? 'recordComments' : 'edit', plan);
  if (!open) return refuse('There is no version being written');
  // The version moved on since the form was loaded: a conflict only if this section itself changed
  // (someone writing another section at the same time is not one).
  if (
    input.versionVersion !== open.version &&
    (!input.sectionDigest || input.sectionDigest !== sectionDigest(open.sections, input.section))
  )
    staleSection(open, input.section);
  const next = { ...open.sections, [input.section]: input.value } as PlanSections;
  if (input.section === 'i' && input.value !== null) {
    const placement = input.value as PlanPlacement;
    if (placement.schoolId) {
      // A school of the authority on this installation: its own name and URN, whatever was sent.
      const schools = await schoolsForPlacement(w.tx, w.actor.organisationId);
      const named = schools.find((s) => s.id === placement.schoolId);
      if (!named) refuse('Choose one of the authority’s schools, or type the name of the school', 'schoolId');
      next.i = { schoolId: named.id, name: named.name, urn: named.urn, kind: null };
    }
  }
  const problems = sectionProblems(next, input.section);
  if (problems.length > 0) throw new ValidationError(problems);
  const sections = withoutDanglingLinks(next);
  if (!(await updatePlanVersion(w.tx, open, { sections }))) staleSection(open, input.section);
  w.audit('ehc_plan.section_saved', {
    ...child(plan),
    detail: { planId, number: open.number, section: input.section },
  });
  return { number: open.number };
}

/** The parents' comments on the version sent to them, their preferred school, the school consulted. */
export async function recordComments(
  w: PlanWork,
  planId: string,
  input: {
    versionVersion: number;
    parentsComments: string | null;
    parentsCommentsOn: string | null;
    preferredSchool: string | null;
    consultedSchool: string | null;
    consultedOn: string | null;
    consultedAnswer: string | null;
  },
  today: IsoDate,
): Promise<void> {
  const { plan, open, actions } = await loadPlan(w, planId);
  need(w, actions, 'recordComments', plan);
  if (!open?.sentOn) return refuse('Comments are recorded on a version sent to the parents');
  if (input.versionVersion !== open.version) staleVersion(open);
  const errors: FieldError[] = [];
  const sent = { date: open.sentOn, what: 'the day it was sent' };
  const parentsComments = cleanText(
    input.parentsComments,
    'parentsComments',
    'the parents’ comments',
    errors,
  );
  const parentsCommentsOn =
    input.parentsCommentsOn || parentsComments
      ? checkDate(input.parentsCommentsOn, 'parentsCommentsOn', 'date of the comments', today, errors, sent)
      : null;
  const preferredSchool = cleanText(
    input.preferredSchool,
    'preferredSchool',
    'the preferred school',
    errors,
    300,
  );
  const consultedSchool = cleanText(
    input.consultedSchool,
    'consultedSchool',
    'the school consulted',
    errors,
    300,
  );
  const consultedAnswer = cleanText(input.consultedAnswer, 'consultedAnswer', 'the school’s answer', errors);
  const consultedOn =
    input.consultedOn || consultedSchool
      ? checkDate(input.consultedOn, 'consultedOn', 'date the school was consulted', today, errors, sent)
      : null;
  if (consultedAnswer && !consultedSchool)
    errors.push({ field: 'consultedSchool', message: 'Enter the school consulted' });
  if (errors.length > 0) throw new ValidationError(errors);
  if (
    !(await updatePlanVersion(w.tx, open, {
      parentsComments,
      parentsCommentsOn,
      preferredSchool,
      consultedSchool,
      consultedOn,
      consultedAnswer,
    }))
  )
    staleVersion(open);
  w.audit('ehc_plan.comments_recorded', { ...child(plan), detail: { planId, number: open.number } });
}

export function createEhcPlanService(database: Database, clock: Clock, mail: MailContext = NO_MAIL_CONTEXT) {
  const { db } = database;
  const run = async <T>(actor: Actor, work: (w: PlanWork) => Promise<T>) =>
    organisationUnitOfWork(db, requirePlanWriter(actor), work);

  /**
   * A version sent to the parents (a draft, with the last day to comment) or issued: each parent with an
   * account hears of it by email, from the authority, in the same change. How many were queued.
   */
  async function tellFamily(w: PlanWork, planId: string, commentsDueOn: IsoDate | null): Promise<number> {
    const plan = await findPlan(w.tx, w.actor.organisationId, planId);
    if (!plan) return 0;
    const authority = await findOrganisation(w.tx, w.actor.organisationId);
    const queued = await queueFamilyMail(w.tx, {
      schoolId: plan.schoolId,
      pupilId: plan.pupilId,
      kind: 'family.ehc_draft',
      values: {
        link: `${mail.publicUrl}/children/${plan.pupilId}/ehc/plans/${planId}`,
        ...(authority ? { from: authority.name } : {}),
        ...(commentsDueOn ? { date: formatDate(commentsDueOn) } : {}),
      },
    });
    return queued.length;
  }
  /** Run a change that may mail the family; the worker is woken once it has committed. */
  const runAndTell = async <T>(
    actor: Actor,
    work: (w: PlanWork) => Promise<{ result: T; mailed: number }>,
  ) => {
    const { result, mailed } = await run(actor, work);
    if (mailed > 0) mail.jobsQueued();
    return result;
  };

  /** A plan of the actor's organisation with its versions (read-only; no lock). */
  async function readPlan(tx: Executor, a: OrganisationActor, planId: string) {
    if (!UUID.test(planId)) planNotFound(planId);
    const plan = await findPlan(tx, a.organisationId, planId);
    if (!plan) planNotFound(planId);
    const versions = await versionsOfPlan(tx, a.organisationId, planId);
    const open = versions.find(isOpenVersion) ?? null;
    return { plan, versions, open, actions: ehcPlanActions(a, plan, open, { ehc: ehcLevel(a) }) };
  }

  return {
    startDraft: (actor: Actor, caseId: string) => run(actor, (w) => startDraft(w, caseId, clock.today())),
    startAmendment: (actor: Actor, planId: string, input: Parameters<typeof startAmendment>[2]) =>
      run(actor, (w) => startAmendment(w, planId, input)),
    sendVersion: (actor: Actor, planId: string, input: Parameters<typeof sendVersion>[2]) =>
      runAndTell(actor, async (w) => {
        const result = await sendVersion(w, planId, input, clock.today());
        return { result, mailed: await tellFamily(w, planId, result.commentsDueOn) };
      }),
    issueVersion: (actor: Actor, planId: string, input: Parameters<typeof issueVersion>[2]) =>
      runAndTell(actor, async (w) => {
        const result = await issueVersion(w, planId, input, clock.today());
        return { result, mailed: await tellFamily(w, planId, null) };
      }),
    ceasePlan: (actor: Actor, planId: string, input: Parameters<typeof ceasePlan>[2]) =>
      run(actor, (w) => ceasePlan(w, planId, input, clock.today())),
    saveSection: <K extends PlanSectionKey>(
      actor: Actor,
      planId: string,
      input: { section: K; value: PlanSections[K]; versionVersion: number; sectionDigest?: string | null },
    ) => run(actor, (w) => saveSection(w, planId, input)),
    recordComments: (actor: Actor, planId: string, input: Parameters<typeof recordComments>[2]) =>
      run(actor, (w) => recordComments(w, planId, input, clock.today())),

    /** One plan: its versions, the one shown (the open one, else the final), and what may be done. */
    async planView(
      actor: Actor,
      planId: string,
      options: { number?: number; audit?: boolean; need?: keyof EhcPlanActions } = {},
    ) {
      const a = requirePlanReader(actor);
      return organisationUnitOfWork(db, a, async (w) => {
        const { plan, versions, open, actions } = await readPlan(w.tx, a, planId);
        // A form's page: only for those who may send it.
        if (options.need && !actions[options.need]) need(w, actions, options.need, plan);
        const shown =
          (options.number !== undefined ? versions.find((v) => v.number === options.number) : undefined) ??
          open ??
          versions.find((v) => v.number === plan.finalVersion) ??
          versions[0];
        if (!shown) planNotFound(planId);
        const [found, current, schools, online] = await Promise.all([
          findOrganisationCase(w.tx, a.organisationId, plan.caseId),
          childOfPlan(w.tx, plan),
          schoolsForPlacement(w.tx, a.organisationId),
          // The parents' comments on this version given online (docs/adr/0039), each as their own words.
          viewsOn(w.tx, plan.schoolId, plan.pupilId, 'ehc_draft', shown.id),
        ]);
        if (options.audit !== false)
          w.audit('ehc_plan.viewed', { ...child(plan), detail: { planId, number: shown.number } });
        return {
          plan,
          versions,
          open,
          shown,
          case: found,
          child: current,
          schools,
          actions,
          finalDueOn: found ? addDays(found.openedOn, FINAL_DAYS) : null,
          today: clock.today(),
          parentsOnline: {
            views: online.map((v) => ({
              label: ownWordsLabel(v.givenByName, v.givenAt),
              body: v.body,
            })),
            /** The text for the parents' comments field, so nothing given online is typed again. */
            forTheRecord: online.length > 0 ? viewsForTheRecord(online) : null,
          },
        };
      });
    },

    /** What changed between two versions of a plan (by number). */
    async compare(actor: Actor, planId: string, from: number, to: number) {
      const a = requirePlanReader(actor);
      return organisationUnitOfWork(db, a, async (w) => {
        const { plan, versions } = await readPlan(w.tx, a, planId);
        const older = versions.find((v) => v.number === from);
        const newer = versions.find((v) => v.number === to);
        if (!older || !newer) throw new NotFoundError('Version not found', { kind: 'ehc_plan', id: planId });
        w.audit('ehc_plan.versions_compared', { ...child(plan), detail: { planId, from, to } });
        return { plan, from: older, to: newer, differences: compareVersions(older.sections, newer.sections) };
      });
    },

    /** One version of a plan for its PDF (the shown one by default), audited as downloaded. */
    async planDocument(actor: Actor, planId: string, number?: number) {
      const a = requirePlanReader(actor);
      return organisationUnitOfWork(db, a, async (w) => {
        const { plan, versions, open } = await readPlan(w.tx, a, planId);
        const shown =
          (number !== undefined ? versions.find((v) => v.number === number) : undefined) ??
          open ??
          versions.find((v) => v.number === plan.finalVersion);
        if (!shown) throw new NotFoundError('Version not found', { kind: 'ehc_plan', id: planId });
        const [current, organisation] = await Promise.all([
          childOfPlan(w.tx, plan),
          findOrganisation(w.tx, a.organisationId),
        ]);
        w.audit('ehc_plan.downloaded', { ...child(plan), detail: { planId, number: shown.number } });
        return {
          plan,
          version: shown,
          child: current,
          organisationName: organisation?.name ?? 'The local authority',
        };
      });
    },

    /** The plan a case led to (its id), or null: for the case page's link. */
    async planOfCase(actor: Actor, caseId: string) {
      const a = requirePlanReader(actor);
      if (!UUID.test(caseId)) return null;
      const plan = await planOfCase(db, a.organisationId, caseId);
      return plan ? { id: plan.id, status: plan.status } : null;
    },
  };
}

export type EhcPlanService = ReturnType<typeof createEhcPlanService>;
