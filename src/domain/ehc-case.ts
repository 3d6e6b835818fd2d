import { addYears, compareIsoDates, formatDate, type IsoDate } from './dates.ts';
import { type CaseDecisionKind, type EhcStage, EXCEPTION_GROUNDS, type ExceptionGround } from './ehc.ts';

/*
 * The rules of what a local authority's officer records on an EHC case (docs/adr/0036), pure: the
 * decisions that may follow one another, the dates advice may carry, and the exceptions recorded by
 * hand. The clock (ehc-clock.ts) reads what these let through; the caseload service calls them.
 */

export interface FieldProblem {
  field: string;
  message: string;
}

export interface DecisionRecord {
  kind: CaseDecisionKind;
  decidedOn: IsoDate;
}

function latest<T extends DecisionRecord>(rows: readonly T[], kinds: readonly CaseDecisionKind[]): T | null {
  let found: T | null = null;
  for (const r of rows)
    if (kinds.includes(r.kind) && (!found || compareIsoDates(r.decidedOn, found.decidedOn) >= 0)) found = r;
  return found;
}

/** The decision whether to assess that counts: the latest (a reconsideration replaces the first). */
export function latestWhether<T extends DecisionRecord>(decisions: readonly T[]): T | null {
  return latest(decisions, ['assess', 'not_assess']);
}

/** The decision whether to issue a plan that counts: the latest. */
export function latestIssue<T extends DecisionRecord>(decisions: readonly T[]): T | null {
  return latest(decisions, ['issue_plan', 'not_issue_plan']);
}

/**
 * Why this decision cannot follow the case's decisions so far, or none. One decision whether to assess:
 * a second is refused, except a decision to assess after one not to (the authority reconsidered, after
 * mediation or an appeal), which gives its reasons and is dated on or after the first; it then counts.
 * A decision whether to issue a plan only after the decision to assess, on or after it, and once, with
 * the same exception (to issue after not to). A panel's discussion may be recorded at any time.
 */
export function decisionProblems(
  existing: readonly DecisionRecord[],
  next: { kind: CaseDecisionKind; decidedOn: IsoDate | null; reasons: string | null },
): FieldProblem[] {
  if (next.kind === 'panel') return [];
  const whether = latestWhether(existing);
  const issue = latestIssue(existing);
  const reconsideration = (previous: DecisionRecord, what: string): FieldProblem[] => {
    const problems: FieldProblem[] = [];
    if (!next.reasons?.trim())
      problems.push({
        field: 'reasons',
        message: `Give the reasons the authority decided again ${what}: for example after mediation or an appeal`,
      });
    if (next.decidedOn && compareIsoDates(next.decidedOn, previous.decidedOn) < 0)
      problems.push({
        field: 'decidedOn',
        message: `The date of the decision must be on or after the decision it replaces (${formatDate(previous.decidedOn)})`,
      });
    return problems;
  };

  if (next.kind === 'assess' || next.kind === 'not_assess') {
    if (issue)
      return [
        {
          field: 'kind',
          message: 'A decision about the plan has been made: the assessment was decided before it',
        },
      ];
    if (!whether) return [];
    if (whether.kind === 'assess')
      return [
        {
          field: 'kind',
          message: `The authority decided to assess on ${formatDate(whether.decidedOn)}: that decision stands, and a second one cannot be recorded`,
        },
      ];
    if (next.kind === 'not_assess')
      return [
        {
          field: 'kind',
          message: `The decision not to assess was recorded on ${formatDate(whether.decidedOn)}: record a decision to assess only if the authority reconsidered`,
        },
      ];
    return reconsideration(whether, 'to assess');
  }

  // To issue a plan, or not.
  if (whether?.kind !== 'assess')
    return [
      {
        field: 'kind',
        message: 'Record the decision to assess first: a plan is decided on after the assessment',
      },
    ];
  if (next.decidedOn && compareIsoDates(next.decidedOn, whether.decidedOn) < 0)
    return [
      {
        field: 'decidedOn',
        message: `The date of the decision must be on or after the decision to assess (${formatDate(whether.decidedOn)})`,
      },
    ];
  if (!issue) return [];
  if (issue.kind === 'issue_plan')
    return [
      {
        field: 'kind',
        message: `The authority decided to issue a plan on ${formatDate(issue.decidedOn)}: that decision stands, and a second one cannot be recorded`,
      },
    ];
  if (next.kind === 'not_issue_plan')
    return [
      {
        field: 'kind',
        message: `The decision not to issue a plan was recorded on ${formatDate(issue.decidedOn)}: record a decision to issue one only if the authority reconsidered`,
      },
    ];
  return reconsideration(issue, 'to issue a plan');
}

/** Advice the authority already holds is "recent" (reg 6(4)) when it came at most this many years before the request. */
export const HELD_ADVICE_YEARS = 2;

/**
 * Why the day advice came cannot be kept, or none: never before the child was born (when known), and
 * advice already held (not sought again, reg 6(4)) no more than two years before the request was
 * received — older advice is not recent.
 */
export function adviceReceivedProblems(input: {
  receivedOn: IsoDate | null;
  alreadyHeld: boolean;
  requestReceivedOn: IsoDate;
  pupilDateOfBirth: IsoDate | null;
}): FieldProblem[] {
  const { receivedOn } = input;
  if (!receivedOn) return [];
  if (input.pupilDateOfBirth && compareIsoDates(receivedOn, input.pupilDateOfBirth) < 0)
    return [
      {
        field: 'receivedOn',
        message: `The date the advice came cannot be before the child was born (${formatDate(input.pupilDateOfBirth)})`,
      },
    ];
  const oldest = addYears(input.requestReceivedOn, -HELD_ADVICE_YEARS);
  if (input.alreadyHeld && compareIsoDates(receivedOn, oldest) < 0)
    return [
      {
        field: 'receivedOn',
        message: `Advice given more than two years before the request was received is not recent: ask for it again (advice already held must have come on or after ${formatDate(oldest)})`,
      },
    ];
  return [];
}

/**
 * The grounds an officer records by hand. A school's closure (ground (a)) is not one: the clock finds it
 * from the closure dates the school recorded, when advice is asked of that school.
 */
export const RECORDABLE_EXCEPTION_GROUNDS = {
  early_years_closure: EXCEPTION_GROUNDS.early_years_closure,
  personal_circumstances: EXCEPTION_GROUNDS.personal_circumstances,
  absence: EXCEPTION_GROUNDS.absence,
} as const satisfies Partial<Record<ExceptionGround, string>>;

/** Why this ground cannot be recorded by hand, or none. */
export function exceptionGroundProblems(ground: string): FieldProblem[] {
  if (ground === 'school_closure')
    return [
      {
        field: 'ground',
        message:
          'A school’s closure is found from the school’s closure dates when advice is asked of it: record the school’s closure under its settings',
      },
    ];
  if (!Object.hasOwn(RECORDABLE_EXCEPTION_GROUNDS, ground))
    return [{ field: 'ground', message: 'Choose the ground of the exception' }];
  return [];
}

/**
 * The stages of an assessment case from which its draft plan may be started, when it has no plan yet:
 * once the authority is assessing, and at every later stage that means a plan is being written or
 * exists — writing the draft, the draft with the parents, the final plan issued. A case that reached
 * those stages before its plan was kept here (its dates entered by hand) can still have its plan
 * recorded. The case page's button and the plan service both ask this.
 */
export const DRAFT_PLAN_STAGES: readonly EhcStage[] = ['assessing', 'drafting', 'draft_sent', 'plan_issued'];

export function mayStartDraftPlan(stage: string): boolean {
  return (DRAFT_PLAN_STAGES as readonly string[]).includes(stage);
}
