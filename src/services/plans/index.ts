import type { Database } from '../../db/client.ts';
import type { PlanStatus } from '../../domain/plans.ts';
import type { Clock } from '../kernel/clock.ts';
import { type MailContext, NO_MAIL_CONTEXT } from '../kernel/ports.ts';
import { createDrafting } from './drafting.ts';
import { createPlanNotes } from './notes.ts';
import { createPlanReview } from './review.ts';
import { createSettings } from './settings.ts';
import { createTargetChecks } from './target-checks.ts';
import { createPlanViews } from './views.ts';

export type { PlanInput, TargetInput } from './drafting.ts';
export type { ReviewInput } from './review.ts';
export type { TargetCheckInput } from './target-checks.ts';
export type { PlanForm } from './views.ts';

/**
 * Support plans: Plan (drafting and agreeing), Do (the working document's notes and half-termly
 * target checks), Review, and the next turn; the pages that read them; the school's plan settings.
 */
export function createPlanService(database: Database, clock: Clock, mail: MailContext = NO_MAIL_CONTEXT) {
  const settings = createSettings(database);
  return {
    settings,
    ...createTargetChecks(database, clock, settings),
    ...createDrafting(database, clock, settings, mail),
    ...createPlanViews(database, clock, settings),
    ...createPlanNotes(database, clock),
    ...createPlanReview(database, clock, settings, mail),
  };
}

export type PlanService = ReturnType<typeof createPlanService>;
export type { PlanStatus };
