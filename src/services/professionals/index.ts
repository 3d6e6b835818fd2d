import type { Database } from '../../db/client.ts';
import type { Clock } from '../kernel/clock.ts';
import type { MailContext } from '../kernel/ports.ts';
import { createInvitations } from './invite.ts';
import { createReports } from './reports.ts';
import { createSharedReferrals } from './shared.ts';

/**
 * The professional of a referral (docs/adr/0033), by use case: inviting them and ending the share,
 * what they see of a referral shared with them, and the reports that come back.
 */
export function createProfessionalService(database: Database, clock: Clock, mail: MailContext) {
  return {
    ...createInvitations(database, clock, mail),
    ...createSharedReferrals(database, clock),
    ...createReports(database, clock),
  };
}

export type ProfessionalService = ReturnType<typeof createProfessionalService>;
