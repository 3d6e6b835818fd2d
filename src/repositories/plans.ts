import { and, asc, desc, eq, ilike, inArray, isNull, max, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  bankEntry,
  planNote,
  planReview,
  planTarget,
  planTargetCheck,
  pupil,
  pupilAction,
  pupilProfile,
  school,
  schoolClass,
  schoolSettings,
  supportPlan,
} from '../db/schema/index.ts';
import type { AccessScope } from '../domain/access.ts';
import type { AreaOfNeed } from '../domain/census.ts';
import type { PlanStatus, ReviewDecision } from '../domain/plans.ts';
import { matchedReaches, reachColumns } from './access.ts';
import { insertMany } from './bulk.ts';

export type PlanRow = typeof supportPlan.$inferSelect;
export type PlanInsert = typeof supportPlan.$inferInsert;
export type TargetRow = typeof planTarget.$inferSelect;
export type TargetInsert = typeof planTarget.$inferInsert;
export type NoteRow = typeof planNote.$inferSelect;
export type BankEntryRow = typeof bankEntry.$inferSelect;

// Settings

export async function findSettings(db: Executor, schoolId: string) {
  const rows = await db.select().from(schoolSettings).where(eq(schoolSettings.schoolId, schoolId)).limit(1);
  return rows[0] ?? null;
}

/** Save the settings with optimistic locking; the first save creates the row. False when stale. */
export async function saveSettings(
  db: Executor,
  schoolId: string,
  expectedVersion: number,
  values: Omit<typeof schoolSettings.$inferInsert, 'schoolId' | 'version' | 'updatedAt'>,
): Promise<boolean> {
  if (expectedVersion === 0) {
    const rows = await db
      .insert(schoolSettings)
      .values({ schoolId, ...values })
      .onConflictDoNothing()
      .returning({ v: schoolSettings.version });
    return rows.length === 1;
  }
  const rows = await db
    .update(schoolSettings)
    .set({ ...values, version: sql`${schoolSettings.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(schoolSettings.schoolId, schoolId), eq(schoolSettings.version, expectedVersion)))
    .returning({ v: schoolSettings.version });
  return rows.length === 1;
}

// Plans

/** A plan of the actor's school, with the reaches that include its pupil; `lock` takes the plan row. */
export async function findPlan(
  db: Executor,
  scope: AccessScope,
  planId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({
      plan: supportPlan,
      forename: pupil.forename,
      surname: pupil.surname,
      preferredName: pupil.preferredName,
      dateOfBirth: pupil.dateOfBirth,
      senStage: pupil.senStage,
      primaryNeed: pupil.primaryNeed,
      secondaryNeed: pupil.secondaryNeed,
      classId: pupil.classId,
      className: schoolClass.name,
      ncYearOverride: pupil.ncYearOverride,
      leftOn: pupil.leftOn,
      // The year the school counts year groups in (it may have rolled over before September).
      rolledOverTo: sql<
        number | null
      >`(select ${school.rolledOverTo} from ${school} where ${school.id} = ${supportPlan.schoolId})`,
      ...reachColumns(scope),
    })
    .from(supportPlan)
    .innerJoin(pupil, and(eq(pupil.schoolId, supportPlan.schoolId), eq(pupil.id, supportPlan.pupilId)))
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(supportPlan.schoolId, scope.schoolId), eq(supportPlan.id, planId)))
    .limit(1);
  const rows = await (options.lock ? query.for('update', { of: supportPlan }) : query);
  const row = rows[0] as (Record<string, unknown> & { plan: PlanRow }) | undefined;
  if (!row) return null;
  return {
    plan: row.plan,
    pupil: {
      id: row.plan.pupilId,
      forename: row.forename as string,
      surname: row.surname as string,
      preferredName: row.preferredName as string | null,
      dateOfBirth: row.dateOfBirth as string,
      senStage: row.senStage as (typeof pupil.$inferSelect)['senStage'],
      primaryNeed: row.primaryNeed as (typeof pupil.$inferSelect)['primaryNeed'],
      secondaryNeed: row.secondaryNeed as (typeof pupil.$inferSelect)['secondaryNeed'],
      classId: row.classId as string | null,
      className: row.className as string | null,
      ncYearOverride: row.ncYearOverride as number | null,
      leftOn: row.leftOn as string | null,
      rolledOverTo: row.rolledOverTo === null ? null : Number(row.rolledOverTo),
    },
    reaches: matchedReaches(scope, row),
  };
}

export async function plansOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select()
    .from(supportPlan)
    .where(and(eq(supportPlan.schoolId, schoolId), eq(supportPlan.pupilId, pupilId)))
    .orderBy(asc(supportPlan.cycle));
}

export async function nextCycle(db: Executor, schoolId: string, pupilId: string): Promise<number> {
  const rows = await db
    .select({ n: max(supportPlan.cycle) })
    .from(supportPlan)
    .where(and(eq(supportPlan.schoolId, schoolId), eq(supportPlan.pupilId, pupilId)));
  return (rows[0]?.n ?? 0) + 1;
}

export async function insertPlans(db: Executor, values: PlanInsert[]): Promise<void> {
  for (let i = 0; i < values.length; i += 500) await db.insert(supportPlan).values(values.slice(i, i + 500));
}

/** Change a plan with optimistic locking; false when someone else changed it first. */
export async function updatePlan(
  db: Executor,
  schoolId: string,
  planId: string,
  expectedVersion: number,
  values: Partial<PlanInsert>,
): Promise<boolean> {
  const rows = await db
    .update(supportPlan)
    .set({ ...values, version: sql`${supportPlan.version} + 1` })
    .where(
      and(
        eq(supportPlan.schoolId, schoolId),
        eq(supportPlan.id, planId),
        eq(supportPlan.version, expectedVersion),
      ),
    )
    .returning({ id: supportPlan.id });
  return rows.length === 1;
}

export async function setPlanStatus(
  db: Executor,
  schoolId: string,
  planId: string,
  status: PlanStatus,
  extra: Partial<PlanInsert> = {},
) {
  await db
    .update(supportPlan)
    .set({
      status,
      ...extra,
      ...(status === 'closed' ? { closedAt: sql`now()` } : {}),
      version: sql`${supportPlan.version} + 1`,
    })
    .where(and(eq(supportPlan.schoolId, schoolId), eq(supportPlan.id, planId)));
}

// Targets

export async function targetsOfPlan(db: Executor, schoolId: string, planId: string) {
  return db
    .select()
    .from(planTarget)
    .where(and(eq(planTarget.schoolId, schoolId), eq(planTarget.planId, planId)))
    .orderBy(asc(planTarget.position));
}

export async function targetsOfPlans(db: Executor, schoolId: string, planIds: string[]) {
  if (planIds.length === 0) return [];
  return db
    .select()
    .from(planTarget)
    .where(and(eq(planTarget.schoolId, schoolId), inArray(planTarget.planId, planIds)))
    .orderBy(asc(planTarget.planId), asc(planTarget.position));
}

/** A plan's targets become exactly these (the plan form sends them all). */
export async function replaceTargets(
  db: Executor,
  schoolId: string,
  planId: string,
  targets: TargetInsert[],
) {
  await db.delete(planTarget).where(and(eq(planTarget.schoolId, schoolId), eq(planTarget.planId, planId)));
  if (targets.length > 0) await db.insert(planTarget).values(targets);
}

export async function insertTargets(db: Executor, targets: TargetInsert[]): Promise<void> {
  for (let i = 0; i < targets.length; i += 500) await db.insert(planTarget).values(targets.slice(i, i + 500));
}

export async function setTargetOutcomes(
  db: Executor,
  schoolId: string,
  outcomes: { targetId: string; outcome: TargetRow['outcome']; evidence: string | null }[],
) {
  if (outcomes.length === 0) return;
  // One statement for all of them: no query per target.
  const values = sql.join(
    outcomes.map((o) => sql`(${o.targetId}::uuid, ${o.outcome}::text, ${o.evidence}::text)`),
    sql`, `,
  );
  await db.execute(sql`update ${planTarget} set outcome = v.outcome, outcome_evidence = v.evidence
    from (values ${values}) as v(id, outcome, evidence)
    where ${planTarget.schoolId} = ${schoolId} and ${planTarget.id} = v.id`);
}

// Notes

export async function notesOfPlan(db: Executor, schoolId: string, planId: string) {
  return db
    .select()
    .from(planNote)
    .where(and(eq(planNote.schoolId, schoolId), eq(planNote.planId, planId)))
    .orderBy(asc(planNote.writtenOn), asc(planNote.createdAt));
}

export async function insertNotes(db: Executor, values: (typeof planNote.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < values.length; i += 500) await db.insert(planNote).values(values.slice(i, i + 500));
}

export async function findNote(db: Executor, schoolId: string, noteId: string) {
  const rows = await db
    .select()
    .from(planNote)
    .where(and(eq(planNote.schoolId, schoolId), eq(planNote.id, noteId)))
    .limit(1);
  return rows[0] ?? null;
}

export async function updateNote(
  db: Executor,
  schoolId: string,
  noteId: string,
  expectedVersion: number,
  body: string,
) {
  const rows = await db
    .update(planNote)
    .set({ body, version: sql`${planNote.version} + 1` })
    .where(
      and(eq(planNote.schoolId, schoolId), eq(planNote.id, noteId), eq(planNote.version, expectedVersion)),
    )
    .returning({ id: planNote.id });
  return rows.length === 1;
}

// Half-termly target checks

export type TargetCheckRow = typeof planTargetCheck.$inferSelect;

export async function checksOfPlan(db: Executor, schoolId: string, planId: string) {
  return db
    .select()
    .from(planTargetCheck)
    .where(and(eq(planTargetCheck.schoolId, schoolId), eq(planTargetCheck.planId, planId)))
    .orderBy(asc(planTargetCheck.dueOn));
}

/**
 * Record a plan's check for a half-term (version 0: the first record of it), or change it with
 * optimistic locking. False when someone else recorded or changed it first.
 */
export async function saveCheck(
  db: Executor,
  expectedVersion: number,
  values: typeof planTargetCheck.$inferInsert & { id: string },
): Promise<boolean> {
  if (expectedVersion === 0) {
    const rows = await db
      .insert(planTargetCheck)
      .values(values)
      .onConflictDoNothing()
      .returning({ id: planTargetCheck.id });
    return rows.length === 1;
  }
  const rows = await db
    .update(planTargetCheck)
    .set({
      checkedOn: values.checkedOn,
      items: values.items,
      recordedBy: values.recordedBy,
      recordedByName: values.recordedByName,
      version: sql`${planTargetCheck.version} + 1`,
    })
    .where(
      and(
        eq(planTargetCheck.schoolId, values.schoolId),
        eq(planTargetCheck.planId, values.planId),
        eq(planTargetCheck.dueOn, values.dueOn),
        eq(planTargetCheck.version, expectedVersion),
      ),
    )
    .returning({ id: planTargetCheck.id });
  return rows.length === 1;
}

// Reviews and actions

export async function insertReviews(db: Executor, values: (typeof planReview.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < values.length; i += 500) await db.insert(planReview).values(values.slice(i, i + 500));
}

export async function reviewOfPlan(db: Executor, schoolId: string, planId: string) {
  const rows = await db
    .select()
    .from(planReview)
    .where(and(eq(planReview.schoolId, schoolId), eq(planReview.planId, planId)))
    .orderBy(desc(planReview.createdAt))
    .limit(1);
  return rows[0] ?? null;
}

export async function insertActions(
  db: Executor,
  values: (typeof pupilAction.$inferInsert)[],
): Promise<void> {
  if (values.length > 0) await db.insert(pupilAction).values(values);
}

export async function openActionsOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select()
    .from(pupilAction)
    .where(
      and(
        eq(pupilAction.schoolId, schoolId),
        eq(pupilAction.pupilId, pupilId),
        eq(pupilAction.status, 'open'),
      ),
    )
    .orderBy(desc(pupilAction.createdAt));
}

// The one-page profile

export async function findProfile(db: Executor, schoolId: string, pupilId: string) {
  const rows = await db
    .select()
    .from(pupilProfile)
    .where(and(eq(pupilProfile.schoolId, schoolId), eq(pupilProfile.pupilId, pupilId)))
    .limit(1);
  return rows[0] ?? null;
}

/** Save the profile with optimistic locking (version 0: the first save). False when stale. */
export async function saveProfile(
  db: Executor,
  schoolId: string,
  pupilId: string,
  expectedVersion: number,
  values: {
    likeAndAdmire: string | null;
    importantToMe: string | null;
    howToSupportMe: string | null;
    updatedBy: string;
    updatedByName: string;
  },
): Promise<boolean> {
  if (expectedVersion === 0) {
    const rows = await db
      .insert(pupilProfile)
      .values({ schoolId, pupilId, ...values })
      .onConflictDoNothing()
      .returning({ v: pupilProfile.version });
    return rows.length === 1;
  }
  const rows = await db
    .update(pupilProfile)
    .set({ ...values, updatedAt: sql`now()`, version: sql`${pupilProfile.version} + 1` })
    .where(
      and(
        eq(pupilProfile.schoolId, schoolId),
        eq(pupilProfile.pupilId, pupilId),
        eq(pupilProfile.version, expectedVersion),
      ),
    )
    .returning({ v: pupilProfile.version });
  return rows.length === 1;
}

// The bank

export async function hasStarterBank(db: Executor, schoolId: string): Promise<boolean> {
  const rows = await db
    .select({ id: bankEntry.id })
    .from(bankEntry)
    .where(and(eq(bankEntry.schoolId, schoolId), eq(bankEntry.source, 'starter')))
    .limit(1);
  return rows.length === 1;
}

export async function insertBankEntries(
  db: Executor,
  values: (typeof bankEntry.$inferInsert)[],
): Promise<void> {
  for (let i = 0; i < values.length; i += 500) await db.insert(bankEntry).values(values.slice(i, i + 500));
}

export async function searchBank(
  db: Executor,
  schoolId: string,
  filters: { kind?: 'target' | 'strategy'; area?: AreaOfNeed; words?: string[] },
  limit = 50,
) {
  const conditions: SQL[] = [eq(bankEntry.schoolId, schoolId), isNull(bankEntry.archivedAt)];
  if (filters.kind) conditions.push(eq(bankEntry.kind, filters.kind));
  if (filters.area) conditions.push(eq(bankEntry.area, filters.area));
  for (const w of filters.words ?? []) {
    const pattern = `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(bankEntry.text, pattern), ilike(bankEntry.achievementCriteria, pattern)) as SQL);
  }
  return db
    .select()
    .from(bankEntry)
    .where(and(...conditions))
    .orderBy(desc(bankEntry.timesUsed), asc(bankEntry.area), asc(bankEntry.text))
    .limit(limit);
}

export async function findBankEntries(db: Executor, schoolId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(bankEntry)
    .where(and(eq(bankEntry.schoolId, schoolId), inArray(bankEntry.id, ids)));
}

export async function countBankUse(db: Executor, schoolId: string, ids: string[]) {
  if (ids.length === 0) return;
  await db
    .update(bankEntry)
    .set({ timesUsed: sql`${bankEntry.timesUsed} + 1` })
    .where(and(eq(bankEntry.schoolId, schoolId), inArray(bankEntry.id, ids)));
}

export async function hideBankEntry(db: Executor, schoolId: string, id: string): Promise<boolean> {
  const rows = await db
    .update(bankEntry)
    .set({ archivedAt: sql`now()` })
    .where(and(eq(bankEntry.schoolId, schoolId), eq(bankEntry.id, id), isNull(bankEntry.archivedAt)))
    .returning({ id: bankEntry.id });
  return rows.length === 1;
}

/**
 * The record fragment this repository owns (see pupil-record.ts): the pupil's plans, cycle by cycle,
 * with what the chronology tells of each (drafted, agreed, reviewed, closed: when and by whom).
 */
export interface PlanItem {
  id: string;
  cycle: number;
  status: PlanStatus;
  startDate: string | null;
  reviewDate: string | null;
  sharedWithParentsOn: string | null;
  targets: number;
  /** When the draft was started (a timestamp), and by whom. */
  createdAt: string;
  createdByName: string;
  agreedOn: string | null;
  agreedWith: string | null;
  agreedByName: string | null;
  /** When it closed (a timestamp), and by whom. */
  closedAt: string | null;
  closedByName: string | null;
  reviews: {
    heldOn: string;
    decision: ReviewDecision;
    extendedTo: string | null;
    reviewedByName: string;
  }[];
}
export const plansFragment = {
  section: 'plans' as const,
  json: sql<PlanItem[] | string>`select json_agg(json_build_object(
    'id', ${supportPlan.id}, 'cycle', ${supportPlan.cycle}, 'status', ${supportPlan.status},
    'startDate', ${supportPlan.startDate}, 'reviewDate', ${supportPlan.reviewDate},
    'sharedWithParentsOn', ${supportPlan.sharedWithParentsOn},
    'targets', (select count(*) from ${planTarget} where ${planTarget.schoolId} = ${supportPlan.schoolId} and ${planTarget.planId} = ${supportPlan.id}),
    'createdAt', ${supportPlan.createdAt}, 'createdByName', ${supportPlan.createdByName},
    'agreedOn', ${supportPlan.agreedOn}, 'agreedWith', ${supportPlan.agreedWith}, 'agreedByName', ${supportPlan.agreedByName},
    'closedAt', ${supportPlan.closedAt}, 'closedByName', ${supportPlan.closedByName},
    'reviews', coalesce((select json_agg(json_build_object('heldOn', ${planReview.heldOn}, 'decision', ${planReview.decision},
        'extendedTo', ${planReview.extendedTo}, 'reviewedByName', ${planReview.reviewedByName}) order by ${planReview.createdAt})
      from ${planReview} where ${planReview.schoolId} = ${supportPlan.schoolId} and ${planReview.planId} = ${supportPlan.id}), '[]'::json))
    order by ${supportPlan.cycle})
    from ${supportPlan} where ${supportPlan.schoolId} = ${pupil.schoolId} and ${supportPlan.pupilId} = ${pupil.id}`,
};

// Many rows at once (the demo school's plans)

/**
 * A school's plans, with their targets, notes, half-termly target checks, reviews, actions, profiles,
 * bank and the school's plan settings, as rows of each table.
 */
export interface PlanHistoryRows {
  settings: (typeof schoolSettings.$inferInsert)[];
  bankEntries: (typeof bankEntry.$inferInsert)[];
  plans: PlanInsert[];
  targets: TargetInsert[];
  notes: (typeof planNote.$inferInsert)[];
  checks: (typeof planTargetCheck.$inferInsert)[];
  reviews: (typeof planReview.$inferInsert)[];
  actions: (typeof pupilAction.$inferInsert)[];
  profiles: (typeof pupilProfile.$inferInsert)[];
}

/** Insert a school's plan history: one statement a table (a few thousand rows each), parents first. */
export async function insertPlanHistory(db: Executor, rows: PlanHistoryRows): Promise<void> {
  await insertMany(db, schoolSettings, rows.settings);
  await insertMany(db, bankEntry, rows.bankEntries);
  await insertMany(db, supportPlan, rows.plans);
  await insertMany(db, planTarget, rows.targets);
  await insertMany(db, planNote, rows.notes);
  await insertMany(db, planTargetCheck, rows.checks);
  await insertMany(db, planReview, rows.reviews);
  await insertMany(db, pupilAction, rows.actions);
  await insertMany(db, pupilProfile, rows.profiles);
}
