import type { Database } from '../../db/client.ts';
import type { Clock } from '../kernel/clock.ts';
import { createCatalogue } from './catalogue.ts';
import { createGroups } from './groups.ts';
import { createRates } from './rates.ts';
import { createProvisionViews } from './views.ts';
import { createGroupWork } from './work.ts';

export type { InterventionInput } from './catalogue.ts';
export type { DelivererChoice, GroupInput } from './groups.ts';
export type { Rates } from './rates.ts';
export { chosenTerm, termsAround } from './views.ts';
export type { CheckInput, MeasuresInput, SessionInput } from './work.ts';

/**
 * The provision map: the intervention catalogue and hourly rates, provision groups with their pupils,
 * sessions, measures and half-termly checks, and the views built on them (a pupil's provision and
 * cost, the termly map, the register, effectiveness, the governor's figures).
 */
export function createProvisionService(
  database: Database,
  clock: Clock,
  options: { suppressionThreshold: number },
) {
  return {
    ...createCatalogue(database, clock),
    ...createRates(database),
    ...createGroups(database, clock),
    ...createGroupWork(database, clock),
    ...createProvisionViews(database, clock, options),
  };
}

export type ProvisionService = ReturnType<typeof createProvisionService>;
