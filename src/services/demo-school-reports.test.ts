import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFor } from '../../test/builders/people.ts';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import { appUser, membershipRole, school, schoolReport } from '../db/schema/index.ts';
import type { Role } from '../domain/access.ts';
import { createServices, type Services } from './index.ts';
import { fixedClock } from './kernel/clock.ts';

/*
 * The demo school's SEN reports, on a day in the spring term (any date will do): this year's SEN
 * information report drafted with two required items still to write, last year's governors' report
 * published in July with its figures frozen.
 */

let database: Database;
let services: Services;

async function headOf(schoolId: string) {
  const heads = await database.db
    .select({ userId: membershipRole.userId })
    .from(membershipRole)
    .where(and(eq(membershipRole.schoolId, schoolId), eq(membershipRole.role, 'head_teacher')));
  const [user] = await database.db.select().from(appUser).where(eq(appUser.id, heads[0]!.userId));
  return actorFor(user!.id, user!.name, user!.email, ['head_teacher' as Role], schoolId);
}

beforeAll(async () => {
  database = await freshDatabase();
  services = createServices(database, fixedClock('2027-03-10'), {
    auditCheckpoints: { directory: mkdtempSync(path.join(tmpdir(), 'opensend-checkpoints-')), keepDays: 14 },
  });
  await services.demo.load({ schools: 1, seed: 7 }, 'demo-test');
}, 180_000);
afterAll(() => database?.close());

describe('the demo school’s SEN reports', () => {
  it('has this year’s information report drafted with two items missing, and last year’s governors’ report published', async () => {
    const [{ id: schoolId }] = (await database.db.select({ id: school.id }).from(school)) as [{ id: string }];
    const head = await headOf(schoolId);
    const { reports } = await services.schoolReports.list(head);
    const info = reports.find((r) => r.kind === 'sen_information' && r.academicYear === 2026);
    expect(info).toMatchObject({ missing: 2, publishedAt: null });
    const governors = reports.find((r) => r.kind === 'governors_annual' && r.academicYear === 2025);
    expect(governors?.publishedAt?.toISOString().slice(0, 10)).toBe('2026-07-15');
    const draft = await services.schoolReports.report(head, info!.id!);
    expect(draft.checklist.missing.map((m) => m.key)).toEqual(['transitions', 'local_offer']);
    const published = await services.schoolReports.report(head, governors!.id!);
    expect(published.figures.yearLabel).toBe('2025/26');
    expect(published.figures.stagesOverYears.at(-1)?.onRoll).toBeGreaterThan(50);
    expect(published.checklist.complete).toBe(true);
    const rows = await database.db.select().from(schoolReport);
    expect(rows).toHaveLength(2);
  });
});
