import { termStart } from './calendar.ts';
import type { NeedCode } from './census.ts';
import { addDays, type IsoDate } from './dates.ts';

/**
 * SEN stages. Census provision codes: N (no SEN), K (SEN support), E (EHC plan). Monitoring is the
 * school's own list before the register; it is returned to the census as N.
 */
export const SEN_STAGES = ['none', 'monitoring', 'sen_support', 'ehc_plan'] as const;
export type SenStage = (typeof SEN_STAGES)[number];

export const STAGE_LABELS: Record<SenStage, string> = {
  none: 'No SEN',
  monitoring: 'Monitoring',
  sen_support: 'SEN support',
  ehc_plan: 'EHC plan',
};

/** Each stage as it reads inside a sentence ("moves to SEN support", "not at monitoring"). */
export const STAGE_IN_TEXT: Record<SenStage, string> = {
  none: 'no SEN',
  monitoring: 'monitoring',
  sen_support: 'SEN support',
  ehc_plan: 'EHC plan',
};

export const CENSUS_PROVISION: Record<SenStage, 'N' | 'K' | 'E'> = {
  none: 'N',
  monitoring: 'N',
  sen_support: 'K',
  ehc_plan: 'E',
};

export function stageLabel(stage: SenStage): string {
  const code = CENSUS_PROVISION[stage];
  return onRegister(stage) ? `${STAGE_LABELS[stage]} (${code})` : STAGE_LABELS[stage];
}

/** On the SEN register proper (K or E): the stages where needs are recorded for the census. */
export function onRegister(stage: SenStage): stage is 'sen_support' | 'ehc_plan' {
  return stage === 'sen_support' || stage === 'ehc_plan';
}

export interface RegisterPosition {
  stage: SenStage;
  primaryNeed: NeedCode | null;
  secondaryNeed: NeedCode | null;
}

export type RegisterRuleField = 'stage' | 'primaryNeed' | 'secondaryNeed';
export interface RegisterRuleError {
  field: RegisterRuleField;
  message: string;
}

/**
 * The census rules for a pupil's register position: a primary need is required at SEN support and EHC
 * plan and is not recorded at other stages; NSA is valid only with SEN support; a secondary need
 * needs a primary need and differs from it; NSA cannot be a secondary need.
 */
export function registerRuleErrors(position: RegisterPosition): RegisterRuleError[] {
  const errors: RegisterRuleError[] = [];
  const { stage, primaryNeed, secondaryNeed } = position;
  if (!onRegister(stage)) {
    if (primaryNeed || secondaryNeed) {
      errors.push({
        field: 'primaryNeed',
        message: `Needs are recorded only for pupils at SEN support or with an EHC plan, not at ${STAGE_IN_TEXT[stage]}`,
      });
    }
    return errors;
  }
  if (!primaryNeed) {
    errors.push({
      field: 'primaryNeed',
      message: `Select the primary need for a pupil at ${STAGE_LABELS[stage]}`,
    });
  } else if (primaryNeed === 'NSA' && stage !== 'sen_support') {
    errors.push({
      field: 'primaryNeed',
      message: 'NSA (no specialist assessment) can only be used for pupils at SEN support',
    });
  }
  if (secondaryNeed) {
    if (!primaryNeed) {
      errors.push({ field: 'secondaryNeed', message: 'Select a primary need before a secondary need' });
    } else if (secondaryNeed === primaryNeed) {
      errors.push({
        field: 'secondaryNeed',
        message: 'The secondary need must be different from the primary need',
      });
    } else if (secondaryNeed === 'NSA') {
      errors.push({
        field: 'secondaryNeed',
        message: 'NSA (no specialist assessment) can only be a primary need',
      });
    }
  }
  return errors;
}

export type RegisterChangeKind =
  | 'added_to_monitoring'
  | 'added_to_sen_support'
  | 'ehc_plan_recorded'
  | 'moved_to_sen_support'
  | 'moved_to_monitoring'
  | 'left_register'
  | 'needs_changed';

/** What a change of register position means, or an error when nothing changes. */
export function classifyRegisterChange(
  from: RegisterPosition,
  to: RegisterPosition,
): { kind: RegisterChangeKind } | { error: string } {
  const sameNeeds = from.primaryNeed === to.primaryNeed && from.secondaryNeed === to.secondaryNeed;
  if (from.stage === to.stage) {
    if (sameNeeds) return { error: `The pupil is already at ${STAGE_IN_TEXT[to.stage]} with these needs` };
    return { kind: 'needs_changed' };
  }
  switch (to.stage) {
    case 'none':
      return { kind: 'left_register' };
    case 'monitoring':
      return { kind: from.stage === 'none' ? 'added_to_monitoring' : 'moved_to_monitoring' };
    case 'sen_support':
      return { kind: from.stage === 'ehc_plan' ? 'moved_to_sen_support' : 'added_to_sen_support' };
    case 'ehc_plan':
      return { kind: 'ehc_plan_recorded' };
  }
}

export const CHANGE_LABELS: Record<RegisterChangeKind, string> = {
  added_to_monitoring: 'Added to monitoring',
  added_to_sen_support: 'Placed at SEN support',
  ehc_plan_recorded: 'EHC plan recorded',
  moved_to_sen_support: 'Moved to SEN support',
  moved_to_monitoring: 'Moved to monitoring',
  left_register: 'Left the register',
  needs_changed: 'Needs changed',
};

/** Outcomes of the termly register review. */
export const REVIEW_OUTCOMES = ['stays', 'moves', 'leaves'] as const;
export type RegisterReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** The first day of the term before the one `today` falls in. */
export function previousTermStart(today: IsoDate): IsoDate {
  return termStart(addDays(termStart(today), -1));
}

/**
 * A pupil on the register or the monitoring list not reviewed for more than a term: their last review
 * (or, never reviewed, the day they came onto their stage) is before the start of the previous term.
 * A pupil who joined the school since then (with their SEN history from the school before, in a
 * Common Transfer File) is not overdue here yet: the term counts from the day they joined.
 */
export function notReviewedForOverATerm(
  lastReviewedOn: IsoDate | null,
  onStageSince: IsoDate | null,
  today: IsoDate,
  joinedOn: IsoDate | null = null,
): boolean {
  const reviewedOrPlaced = lastReviewedOn ?? onStageSince;
  const since =
    joinedOn && (reviewedOrPlaced === null || joinedOn > reviewedOrPlaced) ? joinedOn : reviewedOrPlaced;
  return since === null || since < previousTermStart(today);
}
