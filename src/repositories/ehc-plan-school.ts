import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  ehcPlan,
  ehcPlanSummary,
  ehcPlanVersion,
  ehcProvisionLink,
  organisation,
  provisionGroup,
  pupil,
} from '../db/schema/index.ts';
import type { PlanSections, PlanStatus } from '../domain/ehc-plan.ts';

/*
 * The school's side of its pupils' EHC plans (docs/adr/0038): the final plans it reads (the authority's,
 * through the plan's school and pupil), its summaries of plans from other authorities, its targets taken
 * from a plan's outcomes, and the links from an item of provision in F to the group that delivers it.
 * Never a draft, never another school's pupil.
 */

export interface EhcPlanItem {
  organisationId: string;
  planId: string;
  status: PlanStatus;
  startedOn: string | null;
  reviewDueOn: string | null;
  lastReviewOn: string | null;
  ceasedOn: string | null;
  issuedOn: string | null;
  finalVersion: number | null;
  authorityName: string;
}

export interface EhcSummaryItem {
  id: string;
  localAuthorityName: string;
  issuedOn: string;
  lastReviewOn: string | null;
  endedOn: string | null;
}

/** The pupil record's fragment: the pupil's final and ceased EHC plans (never a draft), newest first. */
export const ehcPlansFragment = {
  section: 'ehc' as const,
  json: sql<EhcPlanItem[] | string>`select json_agg(json_build_object(
    'organisationId', ${ehcPlan.organisationId}, 'planId', ${ehcPlan.id}, 'status', ${ehcPlan.status},
    'startedOn', ${ehcPlan.startedOn}, 'reviewDueOn', ${ehcPlan.reviewDueOn}, 'lastReviewOn', ${ehcPlan.lastReviewOn},
    'ceasedOn', ${ehcPlan.ceasedOn}, 'finalVersion', ${ehcPlan.finalVersion},
    'issuedOn', (select ${ehcPlanVersion.issuedOn} from ${ehcPlanVersion} where ${ehcPlanVersion.organisationId} = ${ehcPlan.organisationId}
      and ${ehcPlanVersion.planId} = ${ehcPlan.id} and ${ehcPlanVersion.number} = ${ehcPlan.finalVersion}),
    'authorityName', (select ${organisation.name} from ${organisation} where ${organisation.id} = ${ehcPlan.organisationId}))
    order by ${ehcPlan.status} = 'final' desc, ${ehcPlan.startedOn} desc nulls last)
    from ${ehcPlan} where ${ehcPlan.schoolId} = ${pupil.schoolId} and ${ehcPlan.pupilId} = ${pupil.id}
    and ${ehcPlan.status} in ('final', 'ceased')`,
};

/** The pupil record's fragment: the school's summaries of plans from other authorities, current first. */
export const ehcSummariesFragment = {
  section: 'ehc' as const,
  json: sql<EhcSummaryItem[] | string>`select json_agg(json_build_object(
    'id', ${ehcPlanSummary.id}, 'localAuthorityName', ${ehcPlanSummary.localAuthorityName},
    'issuedOn', ${ehcPlanSummary.issuedOn}, 'lastReviewOn', ${ehcPlanSummary.lastReviewOn}, 'endedOn', ${ehcPlanSummary.endedOn})
    order by ${ehcPlanSummary.endedOn} desc nulls first, ${ehcPlanSummary.issuedOn} desc)
    from ${ehcPlanSummary} where ${ehcPlanSummary.schoolId} = ${pupil.schoolId} and ${ehcPlanSummary.pupilId} = ${pupil.id}`,
};

/**
 * The plans of these pupils of the school that the school reads (final or ceased), each with its final
 * version and the authority's name; a pupil's final plan before a ceased one, the newest first.
 */
export async function schoolPlansOfPupils(db: Executor, schoolId: string, pupilIds: readonly string[]) {
  if (pupilIds.length === 0) return [];
  return db
    .select({
      plan: ehcPlan,
      version: {
        number: ehcPlanVersion.number,
        sections: ehcPlanVersion.sections,
        issuedOn: ehcPlanVersion.issuedOn,
        issuedFileId: ehcPlanVersion.issuedFileId,
        reason: ehcPlanVersion.reason,
        stage: ehcPlanVersion.stage,
        sentOn: ehcPlanVersion.sentOn,
        commentsDueOn: ehcPlanVersion.commentsDueOn,
      },
      authorityName: organisation.name,
    })
    .from(ehcPlan)
    .innerJoin(
      ehcPlanVersion,
      and(
        eq(ehcPlanVersion.organisationId, ehcPlan.organisationId),
        eq(ehcPlanVersion.planId, ehcPlan.id),
        eq(ehcPlanVersion.number, ehcPlan.finalVersion),
      ),
    )
    .innerJoin(organisation, eq(organisation.id, ehcPlan.organisationId))
    .where(
      and(
        eq(ehcPlan.schoolId, schoolId),
        inArray(ehcPlan.pupilId, [...pupilIds]),
        inArray(ehcPlan.status, ['final', 'ceased']),
      ),
    )
    .orderBy(sql`${ehcPlan.status} = 'final' desc`, desc(ehcPlan.startedOn));
}
export type SchoolPlanRow = Awaited<ReturnType<typeof schoolPlansOfPupils>>[number] & {
  version: { sections: PlanSections };
};

const pupilColumns = { id: pupil.id, forename: pupil.forename, surname: pupil.surname };

/** The final plans of every pupil on the school's roll (not ceased), for the provision beside the map. */
export async function finalPlansOfSchool(db: Executor, schoolId: string) {
  return db
    .select({
      plan: ehcPlan,
      sections: ehcPlanVersion.sections,
      issuedOn: ehcPlanVersion.issuedOn,
      authorityName: organisation.name,
      pupil: pupilColumns,
    })
    .from(ehcPlan)
    .innerJoin(
      ehcPlanVersion,
      and(
        eq(ehcPlanVersion.organisationId, ehcPlan.organisationId),
        eq(ehcPlanVersion.planId, ehcPlan.id),
        eq(ehcPlanVersion.number, ehcPlan.finalVersion),
      ),
    )
    .innerJoin(organisation, eq(organisation.id, ehcPlan.organisationId))
    .innerJoin(pupil, and(eq(pupil.schoolId, ehcPlan.schoolId), eq(pupil.id, ehcPlan.pupilId)))
    .where(
      and(
        eq(ehcPlan.schoolId, schoolId),
        eq(ehcPlan.status, 'final'),
        isNull(pupil.leftOn),
        isNull(pupil.erasedAt),
      ),
    );
}

/** The current summaries (not ended) of every pupil on the school's roll. */
export async function currentSummariesOfSchool(db: Executor, schoolId: string) {
  return db
    .select({ summary: ehcPlanSummary, pupil: pupilColumns })
    .from(ehcPlanSummary)
    .innerJoin(pupil, and(eq(pupil.schoolId, ehcPlanSummary.schoolId), eq(pupil.id, ehcPlanSummary.pupilId)))
    .where(
      and(
        eq(ehcPlanSummary.schoolId, schoolId),
        isNull(ehcPlanSummary.endedOn),
        isNull(pupil.leftOn),
        isNull(pupil.erasedAt),
      ),
    );
}

export type EhcPlanSummaryInsert = typeof ehcPlanSummary.$inferInsert;

export async function insertSummary(db: Executor, row: EhcPlanSummaryInsert) {
  await db.insert(ehcPlanSummary).values(row);
}

/** One summary of the school, or null (`lock` takes it for the rest of the transaction). */
export async function findSummary(
  db: Executor,
  schoolId: string,
  summaryId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select()
    .from(ehcPlanSummary)
    .where(and(eq(ehcPlanSummary.schoolId, schoolId), eq(ehcPlanSummary.id, summaryId)))
    .limit(1);
  const [row] = await (options.lock ? query.for('update') : query);
  return row ?? null;
}

/** Change a summary at the version the form was opened with; false when it has changed since. */
export async function updateSummary(
  db: Executor,
  schoolId: string,
  summaryId: string,
  version: number,
  changes: Partial<EhcPlanSummaryInsert>,
) {
  const rows = await db
    .update(ehcPlanSummary)
    .set({ ...changes, version: sql`${ehcPlanSummary.version} + 1` })
    .where(
      and(
        eq(ehcPlanSummary.schoolId, schoolId),
        eq(ehcPlanSummary.id, summaryId),
        eq(ehcPlanSummary.version, version),
      ),
    )
    .returning({ id: ehcPlanSummary.id });
  return rows.length > 0;
}

/** End the current summaries of a pupil (the authority's own record of the plan now exists). */
export async function endSummariesOfPupil(db: Executor, schoolId: string, pupilId: string, on: string) {
  return db
    .update(ehcPlanSummary)
    .set({ endedOn: on, version: sql`${ehcPlanSummary.version} + 1` })
    .where(
      and(
        eq(ehcPlanSummary.schoolId, schoolId),
        eq(ehcPlanSummary.pupilId, pupilId),
        isNull(ehcPlanSummary.endedOn),
      ),
    )
    .returning({ id: ehcPlanSummary.id });
}

// Links from an item of provision in F to the group that delivers it

export type EhcProvisionLinkRow = typeof ehcProvisionLink.$inferSelect;

/** The links of these pupils, with each group's name. */
export async function provisionLinksOfPupils(db: Executor, schoolId: string, pupilIds: readonly string[]) {
  if (pupilIds.length === 0) return [];
  return db
    .select({ link: ehcProvisionLink, groupName: provisionGroup.name })
    .from(ehcProvisionLink)
    .innerJoin(
      provisionGroup,
      and(
        eq(provisionGroup.schoolId, ehcProvisionLink.schoolId),
        eq(provisionGroup.id, ehcProvisionLink.groupId),
      ),
    )
    .where(and(eq(ehcProvisionLink.schoolId, schoolId), inArray(ehcProvisionLink.pupilId, [...pupilIds])));
}

export async function insertProvisionLink(db: Executor, row: typeof ehcProvisionLink.$inferInsert) {
  const rows = await db
    .insert(ehcProvisionLink)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: ehcProvisionLink.id });
  return rows.length > 0;
}

/** Remove one link of the school's pupil; the removed row, or null. */
export async function deleteProvisionLink(db: Executor, schoolId: string, linkId: string) {
  const [row] = await db
    .delete(ehcProvisionLink)
    .where(and(eq(ehcProvisionLink.schoolId, schoolId), eq(ehcProvisionLink.id, linkId)))
    .returning();
  return row ?? null;
}
