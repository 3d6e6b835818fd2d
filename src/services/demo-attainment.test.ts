import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import { attainmentResult, expectedTrajectory, school } from '../db/schema/index.ts';
import { schoolPupilsBelowTrajectory } from '../repositories/attainment.ts';
import { createServices, type Services } from './index.ts';
import { fixedClock } from './kernel/clock.ts';

/*
 * The demo's termly attainment, loaded in the spring term: six terms of results up to this one, pupils
 * on small steps with the reason their trajectory differs, and a few pupils not on the SEN register
 * below their trajectory this year (what the early-identification list is for).
 */

const TODAY = '2027-02-10';
let database: Database;
let services: Services;

beforeAll(async () => {
  database = await freshDatabase();
  services = createServices(database, fixedClock(TODAY), {
    auditCheckpoints: { directory: mkdtempSync(path.join(tmpdir(), 'opensend-checkpoints-')), keepDays: 14 },
  });
  await services.demo.load({ schools: 1, seed: 2026 }, 'demo-test');
}, 300_000);

afterAll(async () => {
  await database?.close();
});

describe('the demo’s attainment', () => {
  it('has six terms up to this one, small steps with their reasons, and pupils to notice early', async () => {
    const results = await database.db.select().from(attainmentResult);
    const terms = new Set(results.map((r) => `${r.academicYear}-${r.term}`));
    expect([...terms].sort()).toEqual([
      '2024-summer',
      '2025-autumn',
      '2025-spring',
      '2025-summer',
      '2026-autumn',
      '2026-spring',
    ]);
    const bands = results.filter((r) => r.scale === 'bands');
    const atExpected = bands.filter((r) => r.value >= 2).length / bands.length;
    expect(atExpected).toBeGreaterThan(0.6);
    expect(results.some((r) => r.scale === 'steps')).toBe(true);
    const trajectories = await database.db.select().from(expectedTrajectory);
    expect(trajectories.some((t) => t.scale === 'steps' && t.reason?.startsWith('Working below Year'))).toBe(
      true,
    );
    const [first] = await database.db.select().from(school);
    const below = await schoolPupilsBelowTrajectory(database.db, first!.id, 2026);
    expect(below.filter((p) => p.senStage === 'none').length).toBeGreaterThanOrEqual(1);
    expect(below.length).toBeLessThan(results.length / 18 / 3);
  });
});
