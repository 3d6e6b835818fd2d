import { XMLBuilder } from 'fast-xml-parser';
import { isNeedCode, type NeedCode } from './census.ts';
import { addDays, compareIsoDates, type IsoDate, toIsoDate } from './dates.ts';
import type { RequestedBy } from './ehc.ts';
import { CEASE_REASON_SEN2_CODES, type CeaseReason, type ReviewDecision } from './ehc-plan.ts';
import { upnProblem } from './upn.ts';

/*
 * The local authority's person-level SEN2 return (DOMAIN.md "SEN2"; docs/sen2.md): for a census date
 * (the third Thursday of January), each child the authority dealt with — requests for an EHC needs
 * assessment received in the calendar year before, the assessments that followed, the plans named,
 * the plans active on the census date with their last annual review, the placement and the SEN need
 * types — module by module, as the DfE's XML. Rows that cannot be returned (a UPN missing with no
 * reason, a plan without a placement, no need type) are listed for correction and left out of the file.
 *
 * The structure follows the DfE's person-level SEN2 XML (checked against its 2024 schema and sample
 * file; docs/sen2.md says what to check each year). Everything the file holds is built here, from
 * plain data: the service gathers it, this module decides what is returned and how.
 */

/** The census date of a year's return: the third Thursday of January. */
export function sen2CensusDate(year: number): IsoDate {
  const first = new Date(Date.UTC(year, 0, 1)).getUTCDay(); // 0 Sunday … 4 Thursday
  const firstThursday = 1 + ((4 - first + 7) % 7);
  return toIsoDate(year, 1, firstThursday + 14);
}

/** The reporting period of a year's return: the calendar year before the census. */
export function sen2Period(year: number): { from: IsoDate; to: IsoDate; censusDate: IsoDate } {
  return { from: `${year - 1}-01-01`, to: `${year - 1}-12-31`, censusDate: sen2CensusDate(year) };
}

/**
 * SEN2 codes for the outcome of a request (whether to assess) and of an assessment (whether to issue a
 * plan): decided yes (Y) or no (N), not yet decided (A), withdrawn or ceased before the decision (W), or
 * historical (H) — the decision to issue a plan was made before this return's period.
 */
export const SEN2_REQUEST_OUTCOME = {
  assess: 'Y',
  not_assess: 'N',
  undecided: 'A',
  withdrawn: 'W',
  historical: 'H',
} as const;
export const SEN2_ASSESSMENT_OUTCOME = {
  issue_plan: 'Y',
  not_issue_plan: 'N',
  undecided: 'A',
  withdrawn: 'W',
  historical: 'H',
} as const;
/** The authority's decision after the last annual review: amend (A), cease (C) or maintain (M). */
export const SEN2_REVIEW_OUTCOME: Record<ReviewDecision, string> = { keep: 'M', amend: 'A', cease: 'C' };
/** Ethnicity when OpenSEND holds none: the census's "information not yet obtained". */
export const ETHNICITY_NOT_OBTAINED = 'NOBT';
/** Why a child has no UPN (SEN2 UPNunknown UN1–UN10; OpenSEND offers the first five). */
export const UPN_UNKNOWN_REASONS = {
  UN1: 'Child is aged under 6 years old and is not yet assigned a UPN',
  UN2: 'Child has never attended a state-funded school in England and has not been assigned a UPN',
  UN3: 'Child is educated at home and has never attended a state-funded school in England',
  UN4: 'Child is a refugee or asylum seeker and has never attended a state-funded school in England',
  UN5: 'Sources collating UPNs reflect a discrepancy',
} as const;
export type UpnUnknownReason = keyof typeof UPN_UNKNOWN_REASONS;

/** The child as the authority's records hold them (its copy of the school's pupil). */
export interface Sen2PersonInput {
  upn: string;
  /** A UPN that is missing or wrong may be returned with the reason there is none. */
  uln: string | null;
  upnUnknown: UpnUnknownReason | null;
  forename: string;
  surname: string;
  birthDate: IsoDate | null;
  sex: 'female' | 'male' | null;
  ethnicity: string | null;
  postcode: string | null;
  /** The pupil row's register needs, used when the plan names no need type. */
  registerNeeds: NeedCode[];
  /** Erased past its retention date: no details are left to return. */
  erased: boolean;
  /** Where the child's record is: the school and the pupil, for the links to correct a row. */
  schoolId: string;
  pupilId: string;
}

/** One request for an EHC needs assessment (one case) and what followed it. */
export interface Sen2CaseInput {
  caseId: string;
  receivedOn: IsoDate;
  requestedBy: RequestedBy | null;
  /** The latest decision whether to assess, and its date. */
  whether: { kind: 'assess' | 'not_assess'; decidedOn: IsoDate } | null;
  /** The latest decision whether to issue a plan, and its date. */
  issue: { kind: 'issue_plan' | 'not_issue_plan'; decidedOn: IsoDate } | null;
  withdrawnOn: IsoDate | null;
  finalIssuedOn: IsoDate | null;
  /** The clock's 20-week measure (ehc-clock twentyWeekOutcome), once the final plan is issued. */
  twentyWeeks: { within: boolean; exception: boolean } | null;
}

/** The plan that came from a case. */
export interface Sen2PlanInput {
  planId: string;
  caseId: string;
  status: 'draft' | 'final' | 'ceased';
  startedOn: IsoDate | null;
  ceasedOn: IsoDate | null;
  ceaseReason: CeaseReason | null;
  /** Section I of the final version, and the named school's URN when it is on this installation. */
  placement: {
    urn: string | null;
    name: string;
    setting: string | null;
    /** The day the child started there (their admission date at the named school), when known. */
    entryOn: IsoDate | null;
  } | null;
  /** The need types of section B of the final version, in the plan's order. */
  needTypes: string[];
  /** The last annual review meeting on or before the census date, and the authority's decision on it. */
  lastReview: { meetingOn: IsoDate; decision: ReviewDecision | null; decidedOn: IsoDate | null } | null;
  /** Whether the plan has a personal budget; null when not recorded as such (section J is free text). */
  personalBudget: boolean | null;
}

export interface Sen2ChildInput {
  person: Sen2PersonInput;
  cases: Sen2CaseInput[];
  plans: Sen2PlanInput[];
}

export interface Sen2Header {
  /** The authority's three-digit LA number. */
  laCode: string;
  year: number;
  softwareCode: string;
  release: string;
  serialNo: number;
  /** When the file was made (ISO date-time, no time zone, as the DfE's collections use). */
  madeAt: string;
}

/** Why a child cannot be returned until their record is corrected. */
export const SEN2_PROBLEMS = {
  no_upn: 'No valid UPN, and no ULN or reason for there being no UPN',
  no_birth_date: 'No date of birth',
  no_name: 'No name',
  no_placement: 'An active plan names no school or setting in section I',
  no_need_type: 'An active plan has no SEN need type in section B, and the register records none',
  no_start_date: 'A plan is final but has no start date',
  no_assess_decision: 'A plan was issued but the decision to assess is not recorded on the case',
  no_request: 'An active plan has no request for an EHC needs assessment on record',
  erased: 'The child’s record was erased: their details cannot be returned',
} as const;
export type Sen2ProblemKind = keyof typeof SEN2_PROBLEMS;

export interface Sen2Problem {
  kind: Sen2ProblemKind;
  message: string;
  /** The plan or case to open to correct it. */
  planId: string | null;
  caseId: string | null;
}

export interface Sen2Request {
  caseId: string;
  receivedOn: IsoDate;
  /** Whether the young person made the request themselves (SEN2 RYA). */
  youngPerson: boolean;
  /** Always present: SEN2_REQUEST_OUTCOME. */
  outcome: string;
  outcomeOn: IsoDate | null;
  assessment: {
    /** Always present: SEN2_ASSESSMENT_OUTCOME. */
    outcome: string;
    outcomeOn: IsoDate | null;
    /** The day the final plan was issued, on or before the census date (for the summary). */
    issuedOn: IsoDate | null;
    /** Whether the final plan was issued within 20 weeks of the request (SEN2 Week20). */
    within20Weeks: boolean | null;
    /** Late, but under one of the regulations' exceptions (shown on the page; SEN2 has no item for it). */
    exception: boolean | null;
    namedPlan: {
      planId: string;
      startedOn: IsoDate;
      placement: Sen2Placement | null;
      personalBudget: boolean | null;
      ceasedOn: IsoDate | null;
      ceaseReason: string | null;
    } | null;
  } | null;
}

/** Where a plan places the child (section I): a school by URN, else a kind of setting. */
export interface Sen2Placement {
  urn: string | null;
  setting: string | null;
  rank: number;
  entryOn: IsoDate | null;
}

export interface Sen2ActivePlan {
  planId: string;
  /** The request the plan came from: SEN2 returns an active plan inside it. */
  caseId: string;
  lastReview: { meetingOn: IsoDate; outcome: string | null } | null;
  placement: Sen2Placement;
  /** The primary and secondary need types (SEN2 returns two at most). */
  needs: { type: NeedCode; rank: number }[];
}

export interface Sen2Person {
  key: string;
  surname: string;
  forename: string;
  birthDate: IsoDate | null;
  sex: 'M' | 'F' | 'U';
  ethnicity: string;
  postcode: string | null;
  upn: string | null;
  uln: string | null;
  upnUnknown: string | null;
  requests: Sen2Request[];
  activePlans: Sen2ActivePlan[];
  schoolId: string;
  pupilId: string;
}

export interface Sen2Return {
  year: number;
  censusDate: IsoDate;
  period: { from: IsoDate; to: IsoDate };
  /** Children returned. */
  persons: Sen2Person[];
  /** Children that cannot be returned until corrected, with why. */
  toCorrect: { person: Sen2Person; problems: Sen2Problem[] }[];
  summary: Sen2Summary;
}

export interface Sen2Summary {
  persons: number;
  toCorrect: number;
  requests: number;
  requestsAssess: number;
  requestsNotAssess: number;
  requestsWithdrawn: number;
  requestsUndecided: number;
  assessments: number;
  plansIssued: number;
  notIssued: number;
  issuedWithin20Weeks: number;
  issuedWithException: number;
  activePlans: number;
  activeReviewedWithin12Months: number;
  ceasedPlans: number;
  withoutEthnicity: number;
  withoutPostcode: number;
}

const within = (d: IsoDate | null | undefined, from: IsoDate, to: IsoDate): d is IsoDate =>
  !!d && compareIsoDates(d, from) >= 0 && compareIsoDates(d, to) <= 0;

/** Whether a plan is active on the census date: final, started by it, not ceased by it. */
export function planActiveOn(plan: Sen2PlanInput, censusDate: IsoDate): boolean {
  if (plan.status === 'draft' || !plan.startedOn) return false;
  if (compareIsoDates(plan.startedOn, censusDate) > 0) return false;
  return !plan.ceasedOn || compareIsoDates(plan.ceasedOn, censusDate) > 0;
}

/** Whether a case belongs in the return: received by the census date, and with activity in the period or still open. */
export function caseInReturn(c: Sen2CaseInput, from: IsoDate, censusDate: IsoDate): boolean {
  if (compareIsoDates(c.receivedOn, censusDate) > 0) return false;
  const dates = [c.receivedOn, c.whether?.decidedOn, c.issue?.decidedOn, c.withdrawnOn, c.finalIssuedOn];
  if (dates.some((d) => within(d, from, censusDate))) return true;
  const ended =
    c.withdrawnOn ||
    c.finalIssuedOn ||
    c.whether?.kind === 'not_assess' ||
    c.issue?.kind === 'not_issue_plan';
  return !ended;
}

/** The need types to return with their ranks: section B's, else the register's; each once, 1 first. */
export function rankedNeeds(planNeedTypes: readonly string[], registerNeeds: readonly NeedCode[]) {
  const fromPlan = planNeedTypes.filter((t): t is NeedCode => isNeedCode(t) && t !== 'NSA');
  const codes = [...new Set(fromPlan.length > 0 ? fromPlan : registerNeeds.filter((t) => t !== 'NSA'))];
  return codes.map((type, i) => ({ type, rank: i + 1 }));
}

function placementOf(plan: Sen2PlanInput): Sen2Placement | null {
  if (!plan.placement) return null;
  return {
    urn: plan.placement.urn,
    setting: plan.placement.urn ? null : plan.placement.setting,
    rank: 1,
    entryOn: plan.placement.entryOn,
  };
}

function requestOf(
  c: Sen2CaseInput,
  plan: Sen2PlanInput | undefined,
  period: { from: IsoDate; censusDate: IsoDate },
): Sen2Request {
  const { from, censusDate } = period;
  const onOrBefore = (d: IsoDate | null | undefined): d is IsoDate =>
    !!d && compareIsoDates(d, censusDate) <= 0;
  const whether = c.whether && onOrBefore(c.whether.decidedOn) ? c.whether : null;
  const withdrawn = onOrBefore(c.withdrawnOn) ? c.withdrawnOn : null;
  const issue = c.issue && onOrBefore(c.issue.decidedOn) ? c.issue : null;
  // The decision to issue a plan was made before this return's period: SEN2 calls it historical.
  const historical = issue?.kind === 'issue_plan' && compareIsoDates(issue.decidedOn, from) < 0;
  const outcome = historical
    ? SEN2_REQUEST_OUTCOME.historical
    : whether
      ? SEN2_REQUEST_OUTCOME[whether.kind]
      : withdrawn
        ? SEN2_REQUEST_OUTCOME.withdrawn
        : SEN2_REQUEST_OUTCOME.undecided;
  let assessment: Sen2Request['assessment'] = null;
  if (whether?.kind === 'assess') {
    const issued = onOrBefore(c.finalIssuedOn) ? c.finalIssuedOn : null;
    const started = plan?.startedOn && onOrBefore(plan.startedOn) ? plan.startedOn : null;
    const ceased = plan && onOrBefore(plan.ceasedOn) ? plan.ceasedOn : null;
    assessment = {
      outcome: historical
        ? SEN2_ASSESSMENT_OUTCOME.historical
        : issue
          ? SEN2_ASSESSMENT_OUTCOME[issue.kind]
          : withdrawn
            ? SEN2_ASSESSMENT_OUTCOME.withdrawn
            : SEN2_ASSESSMENT_OUTCOME.undecided,
      outcomeOn: issue?.decidedOn ?? withdrawn ?? null,
      issuedOn: issued,
      within20Weeks: issued && c.twentyWeeks ? c.twentyWeeks.within : null,
      exception: issued && c.twentyWeeks ? c.twentyWeeks.exception : null,
      namedPlan:
        plan && started
          ? {
              planId: plan.planId,
              startedOn: started,
              placement: placementOf(plan),
              personalBudget: plan.personalBudget,
              ceasedOn: ceased,
              ceaseReason: ceased && plan.ceaseReason ? CEASE_REASON_SEN2_CODES[plan.ceaseReason] : null,
            }
          : null,
    };
  }
  return {
    caseId: c.caseId,
    receivedOn: c.receivedOn,
    youngPerson: c.requestedBy === 'young_person',
    outcome,
    outcomeOn: whether?.decidedOn ?? withdrawn ?? null,
    assessment,
  };
}

/**
 * The return for a year from the authority's children: who is returned, what cannot be until
 * corrected, and the summary the page shows. Pure: the same children give the same return.
 */
export function buildSen2Return(year: number, children: readonly Sen2ChildInput[]): Sen2Return {
  const { from, to, censusDate } = sen2Period(year);
  const persons: Sen2Person[] = [];
  const toCorrect: Sen2Return['toCorrect'] = [];
  const summary: Sen2Summary = {
    persons: 0,
    toCorrect: 0,
    requests: 0,
    requestsAssess: 0,
    requestsNotAssess: 0,
    requestsWithdrawn: 0,
    requestsUndecided: 0,
    assessments: 0,
    plansIssued: 0,
    notIssued: 0,
    issuedWithin20Weeks: 0,
    issuedWithException: 0,
    activePlans: 0,
    activeReviewedWithin12Months: 0,
    ceasedPlans: 0,
    withoutEthnicity: 0,
    withoutPostcode: 0,
  };
  const yearBefore = addDays(censusDate, -365);
  for (const child of children) {
    const cases = child.cases
      .filter((c) => caseInReturn(c, from, censusDate))
      .sort((a, b) => compareIsoDates(a.receivedOn, b.receivedOn));
    const planOfCase = new Map(child.plans.map((p) => [p.caseId, p]));
    const active = child.plans.filter((p) => planActiveOn(p, censusDate));
    const ceased = child.plans.filter((p) => p.status === 'ceased' && within(p.ceasedOn, from, censusDate));
    // A plan ceased in the period is returned with the request it came from, even an old one.
    const caseIds = new Set(cases.map((c) => c.caseId));
    for (const p of [...active, ...ceased]) {
      const c = child.cases.find((x) => x.caseId === p.caseId);
      if (c && !caseIds.has(c.caseId)) {
        cases.push(c);
        caseIds.add(c.caseId);
      }
    }
    if (cases.length === 0 && active.length === 0) continue;
    const p = child.person;
    const upnOk = upnProblem(p.upn) === null && !p.upn.match(/[A-Z]$/);
    const person: Sen2Person = {
      key: upnOk ? p.upn : `${p.schoolId}:${p.pupilId}`,
      surname: p.surname,
      forename: p.forename,
      birthDate: p.birthDate,
      sex: p.sex === 'female' ? 'F' : p.sex === 'male' ? 'M' : 'U',
      ethnicity: p.ethnicity || ETHNICITY_NOT_OBTAINED,
      postcode: p.postcode,
      upn: upnOk ? p.upn : null,
      uln: upnOk ? null : p.uln,
      upnUnknown: upnOk || p.uln ? null : p.upnUnknown,
      requests: cases.map((c) => requestOf(c, planOfCase.get(c.caseId), { from, censusDate })),
      activePlans: active.map((plan) => ({
        planId: plan.planId,
        caseId: plan.caseId,
        lastReview: plan.lastReview
          ? {
              meetingOn: plan.lastReview.meetingOn,
              outcome:
                plan.lastReview.decision &&
                plan.lastReview.decidedOn &&
                compareIsoDates(plan.lastReview.decidedOn, censusDate) <= 0
                  ? SEN2_REVIEW_OUTCOME[plan.lastReview.decision]
                  : null,
            }
          : null,
        placement: placementOf(plan) ?? { urn: null, setting: null, rank: 1, entryOn: null },
        needs: rankedNeeds(plan.needTypes, p.registerNeeds).slice(0, 2),
      })),
      schoolId: p.schoolId,
      pupilId: p.pupilId,
    };
    const problems: Sen2Problem[] = [];
    const problem = (kind: Sen2ProblemKind, planId: string | null = null, caseId: string | null = null) =>
      problems.push({ kind, message: SEN2_PROBLEMS[kind], planId, caseId });
    const anyCase = cases[0]?.caseId ?? null;
    if (p.erased) problem('erased', null, anyCase);
    else {
      if (!person.upn && !person.uln && !person.upnUnknown) problem('no_upn', null, anyCase);
      if (!p.birthDate) problem('no_birth_date', null, anyCase);
      if (!p.forename.trim() || !p.surname.trim()) problem('no_name', null, anyCase);
    }
    for (const plan of active) {
      const a = person.activePlans.find((x) => x.planId === plan.planId);
      if (!a?.placement.urn && !a?.placement.setting) problem('no_placement', plan.planId, plan.caseId);
      if (!a || a.needs.length === 0) problem('no_need_type', plan.planId, plan.caseId);
      if (!caseIds.has(plan.caseId)) problem('no_request', plan.planId, null);
    }
    for (const plan of child.plans)
      if (plan.status !== 'draft' && !plan.startedOn) problem('no_start_date', plan.planId, plan.caseId);
    for (const c of cases)
      if (c.finalIssuedOn && c.whether?.kind !== 'assess') problem('no_assess_decision', null, c.caseId);
    if (problems.length > 0) {
      toCorrect.push({ person, problems });
      continue;
    }
    persons.push(person);
    summary.persons += 1;
    if (!p.ethnicity) summary.withoutEthnicity += 1;
    if (!p.postcode) summary.withoutPostcode += 1;
    for (const r of person.requests) {
      if (!within(r.receivedOn, from, to)) continue;
      summary.requests += 1;
      if (r.outcome === SEN2_REQUEST_OUTCOME.assess) summary.requestsAssess += 1;
      else if (r.outcome === SEN2_REQUEST_OUTCOME.not_assess) summary.requestsNotAssess += 1;
      else if (r.outcome === SEN2_REQUEST_OUTCOME.withdrawn) summary.requestsWithdrawn += 1;
      else summary.requestsUndecided += 1;
    }
    for (const r of person.requests) {
      const a = r.assessment;
      if (!a) continue;
      if (within(a.issuedOn, from, to)) {
        summary.plansIssued += 1;
        if (a.within20Weeks) summary.issuedWithin20Weeks += 1;
        else if (a.exception) summary.issuedWithException += 1;
      }
      if (!within(a.outcomeOn, from, to) || a.outcome === SEN2_ASSESSMENT_OUTCOME.historical) continue;
      summary.assessments += 1;
      if (a.outcome === SEN2_ASSESSMENT_OUTCOME.not_issue_plan) summary.notIssued += 1;
    }
    summary.activePlans += person.activePlans.length;
    for (const a of person.activePlans) {
      const plan = active.find((x) => x.planId === a.planId);
      const reviewed = a.lastReview && compareIsoDates(a.lastReview.meetingOn, yearBefore) >= 0;
      const young = plan?.startedOn && compareIsoDates(plan.startedOn, yearBefore) >= 0;
      if (reviewed || young) summary.activeReviewedWithin12Months += 1;
    }
    summary.ceasedPlans += ceased.length;
  }
  summary.toCorrect = toCorrect.length;
  const byName = (a: Sen2Person, b: Sen2Person) =>
    a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename) || a.key.localeCompare(b.key);
  persons.sort(byName);
  toCorrect.sort((a, b) => byName(a.person, b.person));
  return { year, censusDate, period: { from, to }, persons, toCorrect, summary };
}

const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: characters XML 1.0 cannot hold are the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

type Node = { [name: string]: string | number | Node | Node[] };

/** SEN2's yes or no: 1 or 0. */
const yesNo = (b: boolean): string => (b ? '1' : '0');

/**
 * An element's children in order. An item with no value is left out, unless SEN2 requires it
 * (`required`), when it is written empty as the DfE's own sample files do.
 */
function items(
  entries: [string, string | number | boolean | null | undefined | Node | Node[]][],
  required: readonly string[] = [],
): Node {
  const node: Node = {};
  for (const [name, value] of entries) {
    if (
      value === null ||
      value === undefined ||
      value === '' ||
      (Array.isArray(value) && value.length === 0)
    ) {
      if (required.includes(name)) node[name] = '';
      continue;
    }
    node[name] =
      typeof value === 'boolean'
        ? yesNo(value)
        : typeof value === 'string'
          ? value.replace(NOT_XML, '')
          : value;
  }
  return node;
}

/** A placement: the school's URN, else the kind of setting (required, so empty beside a URN). */
function placementItems(p: Sen2Placement, withDates: boolean): [string, string | number | null][] {
  return [
    ['URN', p.urn],
    ['SENSetting', p.setting],
    ['PlacementRank', p.rank],
    ...(withDates ? ([['EntryDate', p.entryOn]] as [string, string | null][]) : []),
    // OpenSEND records no SEN unit or resourced provision: no to both.
    ['SENunitIndicator', yesNo(false)],
    ['ResourcedProvisionIndicator', yesNo(false)],
  ];
}

function activePlanNode(a: Sen2ActivePlan): Node {
  return items([
    ['PlacementDetail', items(placementItems(a.placement, true), ['SENSetting'])],
    [
      'SENneed',
      a.needs.map((n) =>
        items([
          ['SENtype', n.type],
          ['SENtypeRank', n.rank],
        ]),
      ),
    ],
    ['ReviewMeeting', a.lastReview?.meetingOn],
    ['ReviewOutcome', a.lastReview?.outcome],
  ]);
}

function requestNode(r: Sen2Request, activePlans: readonly Sen2ActivePlan[]): Node {
  const a = r.assessment;
  const named = a?.namedPlan;
  const active = activePlans.find((x) => x.caseId === r.caseId);
  return items([
    ['ReceivedDate', r.receivedOn],
    ['RYA', r.youngPerson],
    ['RequestOutcomeDate', r.outcomeOn],
    ['RequestOutcome', r.outcome],
    [
      'Assessment',
      a &&
        items([
          ['AssessmentOutcome', a.outcome],
          ['AssessmentOutcomeDate', a.outcomeOn],
          ['Week20', a.within20Weeks],
          [
            'NamedPlan',
            named &&
              items([
                ['StartDate', named.startedOn],
                [
                  'PlanDetail',
                  named.placement && items(placementItems(named.placement, false), ['SENSetting']),
                ],
                ['PB', named.personalBudget],
                ['CeaseDate', named.ceasedOn],
                ['CeaseReason', named.ceaseReason],
              ]),
          ],
        ]),
    ],
    ['ActivePlans', active && activePlanNode(active)],
  ]);
}

function personNode(p: Sen2Person): Node {
  return items(
    [
      ['Surname', p.surname],
      ['Forename', p.forename],
      ['PersonBirthDate', p.birthDate],
      ['Sex', p.sex],
      ['Ethnicity', p.ethnicity],
      ['PostCode', p.postcode],
      ['UPN', p.upn],
      ['UniqueLearnerNumber', p.uln],
      ['UPNunknown', p.upnUnknown],
      ['Requests', p.requests.map((r) => requestNode(r, p.activePlans))],
    ],
    ['PostCode'],
  );
}

/** The return as the DfE's XML: the header, then each child returned (never one to correct). */
export function sen2Xml(header: Sen2Header, ret: Sen2Return): string {
  const builder = new XMLBuilder({
    format: true,
    indentBy: '  ',
    suppressEmptyNode: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    processEntities: true,
  });
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Message: {
      Header: {
        CollectionDetails: items([
          ['Collection', 'SEN2'],
          ['Year', header.year],
          ['ReferenceDate', ret.censusDate],
        ]),
        Source: items([
          ['SourceLevel', 'L'],
          ['LEA', header.laCode],
          ['SoftwareCode', header.softwareCode],
          ['Release', header.release],
          ['SerialNo', header.serialNo],
          ['DateTime', header.madeAt],
          // Whether the file carries mediation (DMO) and tribunal (DCO) items: OpenSEND records neither.
          ['DMO', 'N'],
          ['DCO', 'N'],
        ]),
      },
      Persons: ret.persons.length === 0 ? '' : { Person: ret.persons.map(personNode) },
    },
  };
  return builder.build(doc) as string;
}
