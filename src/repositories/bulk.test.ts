import { asc, eq, getTableColumns, getTableName, isNotNull } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TODAY, testServices } from '../../test/builders/index.ts';
import { freshDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import {
  ehcProvisionLink,
  groupCheck,
  groupCheckPupil,
  groupMember,
  letter,
  planNote,
  planReview,
  planTarget,
  planTargetCheck,
  provisionGroup,
  provisionSession,
  pupilAction,
  pupilProfile,
  recommendationUse,
  school,
  schoolSettings,
  sessionAttendance,
  supportPlan,
} from '../db/schema/index.ts';
import { generateDemoSchool } from '../demo/generate.ts';
import { insertMany } from './bulk.ts';

/*
 * insertMany writes exactly what the query builder's insert writes, for every column type the demo's
 * tables hold (uuid, text, dates, timestamps, jsonb, booleans, numbers, nulls and defaults): the demo
 * school is loaded through it, then the same rows are written again through db.insert() and compared.
 */

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  await testServices(database).demo.load({ schools: 1, seed: 5 }, 'bulk-test');
}, 120_000);
afterAll(async () => {
  await database?.close();
});

describe('insertMany', () => {
  it('writes the same rows as the query builder’s insert', async () => {
    const db = database.db;
    const demo = generateDemoSchool({ seed: 5, index: 0, today: TODAY, passwordHash: 'x' });
    const [{ id: schoolId }] = (await db.select({ id: school.id }).from(school)) as [{ id: string }];
    expect(schoolId).toBe(demo.school.id);
    // Children before parents when deleting, parents before children when writing.
    const tables: [PgTable, readonly Record<string, unknown>[]][] = [
      [schoolSettings, demo.plans.settings],
      [supportPlan, demo.plans.plans],
      [planTarget, demo.plans.targets],
      [planNote, demo.plans.notes],
      [planTargetCheck, demo.plans.checks],
      [planReview, demo.plans.reviews],
      [pupilAction, demo.plans.actions],
      [pupilProfile, demo.plans.profiles],
      [letter, demo.letters.letters],
      [provisionGroup, demo.provision.groups],
      [groupMember, demo.provision.members],
      [provisionSession, demo.provision.sessions],
      [sessionAttendance, demo.provision.attendance],
      [groupCheck, demo.provision.checks],
      [groupCheckPupil, demo.provision.checkPupils],
    ];
    // Ordered by every column: the comparison does not depend on the order rows come back in.
    const read = async (t: PgTable) => {
      const columns = getTableColumns(t);
      const rows = await db
        .select()
        .from(t)
        .orderBy(...Object.values(columns).map((c) => asc(c)));
      // A column left to its default (created_at) is the moment of writing: compare that it was set.
      return rows.map((r) =>
        Object.fromEntries(
          Object.entries(r as Record<string, unknown>).map(([k, v]) => [
            k,
            k === 'createdAt' && !('createdAt' in (tables.find(([x]) => x === t)![1][0] ?? {}))
              ? v instanceof Date
              : v,
          ]),
        ),
      );
    };
    const viaJson = new Map<PgTable, unknown[]>();
    for (const [t, rows] of tables) {
      expect(rows.length, getTableName(t)).toBeGreaterThan(0);
      viaJson.set(t, await read(t));
    }
    // The demo's outside agencies add advice to a plan after the plans are written (a strategy line with
    // its source): carried over, so that what is compared is how the rows were written.
    const advised = await db
      .select({ id: supportPlan.id, qualityFirst: supportPlan.qualityFirst })
      .from(supportPlan)
      .innerJoin(recommendationUse, eq(recommendationUse.planId, supportPlan.id))
      .where(isNotNull(recommendationUse.planField));
    expect(advised.length).toBeGreaterThan(0);
    const plans = tables.find(([t]) => t === supportPlan)!;
    plans[1] = plans[1].map((p) => {
      const a = advised.find((x) => x.id === p.id);
      return a ? { ...p, qualityFirst: a.qualityFirst } : p;
    });
    // The SENCo links the items of section F of the demo's EHC plans to their groups after the groups are
    // written (through the service, not in bulk): those links go first, so the groups can be written again.
    await db.delete(ehcProvisionLink).where(eq(ehcProvisionLink.schoolId, schoolId));
    for (const [t] of [...tables].reverse())
      await db.delete(t).where(eq(getTableColumns(t).schoolId!, schoolId));
    for (const [t, rows] of tables) {
      for (let i = 0; i < rows.length; i += 1000) await db.insert(t).values(rows.slice(i, i + 1000) as never);
    }
    for (const [t] of tables) expect(await read(t), getTableName(t)).toEqual(viaJson.get(t));
  }, 120_000);

  it('refuses rows that do not give the same columns, naming the table', async () => {
    await expect(
      insertMany(database.db, pupilProfile, [
        { schoolId: 'a', pupilId: 'b', likeAndAdmire: 'x' },
        { schoolId: 'a', pupilId: 'c' },
      ]),
    ).rejects.toThrow('insertMany(pupil_profile): every row must give the same columns');
  });
});
