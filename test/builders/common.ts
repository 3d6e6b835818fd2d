import { randomUUID } from 'node:crypto';
import type { Database } from '../../src/db/client.ts';
import { createServices, type Services, type ServicesOptions } from '../../src/services/index.ts';
import { fixedClock } from '../../src/services/kernel/clock.ts';
import { hashPassword } from '../../src/services/kernel/passwords.ts';

/** Tests run on a fixed date, so dates and year groups are stable. */
export const TODAY = '2026-11-20';
export const TEST_PASSWORD = 'correct horse battery staple';

let hashed: Promise<string> | null = null;
export function testPasswordHash(): Promise<string> {
  hashed ??= hashPassword(TEST_PASSWORD);
  return hashed;
}

export function testServices(database: Database, options: ServicesOptions = {}): Services {
  return createServices(database, fixedClock(TODAY), options);
}

let counter = 0;
export const next = () => ++counter;
export const uuid = () => randomUUID();
