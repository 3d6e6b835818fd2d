import type { Database } from '../db/client.ts';
import { createAuthService } from './auth.ts';
import { type Clock, systemClock } from './clock.ts';
import { createConcernService } from './concerns.ts';
import { createDemoService } from './demo.ts';
import { createPupilService } from './pupils.ts';
import { createRecordsService } from './records.ts';
import { createRegisterService } from './register.ts';
import { createSetupService } from './setup.ts';
import { createStaffService } from './staff.ts';

export function createServices(database: Database, clock: Clock = systemClock) {
  const pupils = createPupilService(database, clock);
  return {
    database,
    clock,
    auth: createAuthService(database),
    setup: createSetupService(database),
    staff: createStaffService(database),
    pupils,
    register: createRegisterService(database, clock, pupils),
    concerns: createConcernService(database, clock, pupils),
    records: createRecordsService(database, pupils),
    demo: createDemoService(database, clock),
  };
}

export type Services = ReturnType<typeof createServices>;
