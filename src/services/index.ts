import type { Database } from '../db/client.ts';
import { DEFAULT_SUPPRESSION_THRESHOLD } from '../domain/suppression.ts';
import { createAdminService } from './admin.ts';
import { createAuditService } from './audit/index.ts';
import { createAccountService } from './auth/account.ts';
import { createSessionCache, SESSION_CACHE_MS } from './auth/session-cache.ts';
import { createSessions } from './auth/sessions.ts';
import { createSignIn } from './auth/sign-in.ts';
import { createConcernService } from './concerns/index.ts';
import { createDemoService } from './demo.ts';
import { createHealthService } from './health.ts';
import { createHomeService } from './home.ts';
import { type Clock, systemClock } from './kernel/clock.ts';
import { auditRefusals } from './kernel/refusals.ts';
import { createOrganisationService } from './organisation.ts';
import { createPupilService } from './pupils/index.ts';
import { createRegisterService } from './register/index.ts';
import { createSetupService } from './setup.ts';
import { createStaffService } from './staff/index.ts';

export interface ServicesOptions {
  /** Counts below this are suppressed wherever a governor or an officer sees figures. */
  suppressionThreshold?: number;
  /** How long a session read from the database stands for it in this process (0: read it every time). */
  sessionCacheMs?: number;
}

export function createServices(
  database: Database,
  clock: Clock = systemClock,
  options: ServicesOptions = {},
) {
  const suppressionThreshold = options.suppressionThreshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  const audit = createAuditService(database);
  const sessions = createSessionCache(options.sessionCacheMs ?? SESSION_CACHE_MS);
  const guarded = <T extends Record<string, unknown>>(area: string, service: T) =>
    auditRefusals(area, service, audit.recordRefusal);
  return {
    clock,
    health: createHealthService(database),
    auth: { signIn: createSignIn(database), ...createSessions(database, sessions) },
    account: guarded('account', createAccountService(database, sessions)),
    setup: createSetupService(database),
    home: guarded('home', createHomeService(database)),
    staff: guarded('staff', createStaffService(database, sessions)),
    pupils: guarded('pupils', createPupilService(database, clock)),
    register: guarded('register', createRegisterService(database, clock, { suppressionThreshold })),
    concerns: guarded('concerns', createConcernService(database, clock)),
    audit: guarded('audit', audit),
    organisation: guarded('organisation', createOrganisationService(database, { suppressionThreshold })),
    admin: createAdminService(database, sessions),
    demo: createDemoService(database, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
