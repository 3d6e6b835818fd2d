import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUpWorld, type World } from '../../test/builders/index.ts';
import type { Database } from '../db/client.ts';
import { ehcRequest } from '../db/schema/index.ts';
import { requestOutcomeCounts } from './ehc-figures.ts';

let database: Database;
let w: World;

beforeAll(async () => {
  ({ database, w } = await setUpWorld());
  const sent = (day: string) => ({
    schoolId: w.school.id,
    id: crypto.randomUUID(),
    pupilId: w.pupilK.id,
    status: 'sent' as const,
    sentAt: new Date(`${day}T11:00:00Z`),
    sentHow: 'download' as const,
    sentPack: {} as never,
    createdByName: 'Sam Senco',
  });
  await database.db
    .insert(ehcRequest)
    .values([sent('2025-10-01'), sent('2026-07-15'), sent('2026-08-31'), sent('2026-10-05')]);
});
afterAll(() => database.close());

describe('requests for an EHC needs assessment counted for a period', () => {
  it('counts a past academic year up to its last day, and this year up to now', async () => {
    const total = async (from: string, to: string | null) =>
      (await requestOutcomeCounts(database.db, w.school.id, from, to)).reduce((s, r) => s + r.n, 0);
    expect(await total('2025-09-01', '2026-08-31')).toBe(3);
    expect(await total('2026-09-01', null)).toBe(1);
    expect(await total('2025-09-01', null)).toBe(4);
  });
});
