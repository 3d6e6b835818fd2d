import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { ehcPlan, ehcPlanVersion, school } from '../db/schema/index.ts';
import { OPEN_VERSION_STAGES } from '../domain/ehc-plan.ts';

/*
 * Writing an EHC plan (docs/adr/0038): the plan row and its versions change only with the version the
 * officer saw, so a stale save is found; the one version being written or with the parents is found by
 * its stage.
 */

/** One of the organisation's plans, locked for the change that follows (or null). */
export async function lockPlan(db: Executor, organisationId: string, planId: string) {
  const [row] = await db
    .select()
    .from(ehcPlan)
    .where(and(eq(ehcPlan.organisationId, organisationId), eq(ehcPlan.id, planId)))
    .for('update');
  return row ?? null;
}

/** The version of a plan being written or with the parents (at most one), or null. */
export async function openVersionOfPlan(db: Executor, organisationId: string, planId: string) {
  const [row] = await db
    .select()
    .from(ehcPlanVersion)
    .where(
      and(
        eq(ehcPlanVersion.organisationId, organisationId),
        eq(ehcPlanVersion.planId, planId),
        inArray(ehcPlanVersion.stage, [...OPEN_VERSION_STAGES]),
      ),
    )
    .orderBy(desc(ehcPlanVersion.number))
    .limit(1);
  return row ?? null;
}

/** Change a plan if it is still at the version read; false when someone else changed it first. */
export async function updatePlan(
  db: Executor,
  key: { organisationId: string; id: string; version: number },
  values: Partial<typeof ehcPlan.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(ehcPlan)
    .set({ ...values, version: sql`${ehcPlan.version} + 1` })
    .where(
      and(
        eq(ehcPlan.organisationId, key.organisationId),
        eq(ehcPlan.id, key.id),
        eq(ehcPlan.version, key.version),
      ),
    )
    .returning({ id: ehcPlan.id });
  return rows.length === 1;
}

/** Change a version if it is still at the version read; false when someone else changed it first. */
export async function updatePlanVersion(
  db: Executor,
  key: { organisationId: string; id: string; version: number },
  values: Partial<typeof ehcPlanVersion.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(ehcPlanVersion)
    .set({ ...values, version: sql`${ehcPlanVersion.version} + 1` })
    .where(
      and(
        eq(ehcPlanVersion.organisationId, key.organisationId),
        eq(ehcPlanVersion.id, key.id),
        eq(ehcPlanVersion.version, key.version),
      ),
    )
    .returning({ id: ehcPlanVersion.id });
  return rows.length === 1;
}

/** The schools of the organisation (for section I), with their URN. */
export async function schoolsForPlacement(db: Executor, organisationId: string) {
  return db
    .select({ id: school.id, name: school.name, urn: school.urn })
    .from(school)
    .where(eq(school.organisationId, organisationId))
    .orderBy(school.name);
}
