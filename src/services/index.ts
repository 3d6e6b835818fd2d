import type { Database } from '../db/client.ts';
import { DEFAULT_SUPPRESSION_THRESHOLD } from '../domain/suppression.ts';
import { createAdminService } from './admin.ts';
import { createAuditService } from './audit/index.ts';
import { createAccountService } from './auth/account.ts';
import { createSessions } from './auth/sessions.ts';
import { createSignIn } from './auth/sign-in.ts';
import { createClassService } from './classes/index.ts';
import { createConcernService } from './concerns/index.ts';
import { createDemoService } from './demo.ts';
import { createHealthService } from './health.ts';
import { createHomeService } from './home.ts';
import { type Clock, systemClock } from './kernel/clock.ts';
import { auditRefusals } from './kernel/refusals.ts';
import { createOrganisationService } from './organisation.ts';
import { createPupilService } from './pupils/index.ts';
import { createRegisterService } from './register/index.ts';
import { createSchoolService } from './school/index.ts';
import { createSetupService } from './setup.ts';
import { createStaffService } from './staff/index.ts';

export interface ServicesOptions {
  /** Counts below this are suppressed wherever a governor or an officer sees figures. */
  suppressionThreshold?: number;
}

export function createServices(
  database: Database,
  clock: Clock = systemClock,
  options: ServicesOptions = {},
) {
  const suppressionThreshold = options.suppressionThreshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  const audit = createAuditService(database);
  const guarded = <T extends Record<string, unknown>>(area: string, service: T) =>
    auditRefusals(area, service, audit.recordRefusal);
  return {
    clock,
    health: createHealthService(database),
    auth: { signIn: createSignIn(database), ...createSessions(database) },
    account: guarded('account', createAccountService(database)),
    setup: createSetupService(database),
    home: guarded('home', createHomeService(database)),
    staff: guarded('staff', createStaffService(database)),
    pupils: guarded('pupils', createPupilService(database, clock)),
    register: guarded('register', createRegisterService(database, clock, { suppressionThreshold })),
    concerns: guarded('concerns', createConcernService(database, clock)),
    classes: guarded('classes', createClassService(database, clock)),
    school: guarded('school', createSchoolService(database, clock)),
    audit: guarded('audit', audit),
    organisation: guarded('organisation', createOrganisationService(database, { suppressionThreshold })),
    admin: createAdminService(database),
    demo: createDemoService(database, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
