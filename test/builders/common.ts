import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

/** Services on the fixed date; audit checkpoints go to a directory of their own unless given one. */
export function testServices(database: Database, options: ServicesOptions = {}): Services {
  return createServices(database, fixedClock(TODAY), {
    auditCheckpoints: {
      directory: mkdtempSync(path.join(tmpdir(), 'opensend-checkpoints-')),
      keepDays: 14,
    },
    ...options,
  });
}

let counter = 0;
export const next = () => ++counter;
export const uuid = () => randomUUID();
