import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gte,
  inArray,
  isNull,
  lte,
  or,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  groupCheck,
  groupCheckPupil,
  groupMember,
  intervention,
  membershipRole,
  provisionGroup,
  provisionSession,
  pupil,
  school,
  schoolClass,
  schoolSettings,
  sessionAttendance,
  staffRate,
} from '../db/schema/index.ts';
import type { AccessScope, SchoolRole } from '../domain/access.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { DelivererKind } from '../domain/provision.ts';
import { sectionCondition } from './access.ts';
import { insertMany } from './bulk.ts';
import { listColumns, type PupilFilters, pupilFilterConditions } from './pupils.ts';
import { parseJson } from './sessions.ts';

/*
 * The provision map's tables: the catalogue, hourly rates, groups with their members, sessions and
 * attendance, half-termly checks. Every query is bounded by the school; lists carry what each row
 * needs in one query (members' dates as JSON, counts as subqueries), never a query per row.
 */

export type InterventionRow = typeof intervention.$inferSelect;
export type InterventionInsert = typeof intervention.$inferInsert;
export type GroupRow = typeof provisionGroup.$inferSelect;
export type MemberRow = typeof groupMember.$inferSelect;

/** A membership's dates, for working out a group's size on any day. */
export interface MemberDates {
  id: string;
  joinedOn: IsoDate;
  leftOn: IsoDate | null;
}

/**
 * A correlated subquery as a column of a one-table select. Drizzle writes the columns at the top level
 * of a one-table select's SQL without their table's name, which inside a subquery would name the
 * subquery's own table: nested one level down, every column keeps its table's name.
 */
function subquery<T>(query: SQL): SQL<T> {
  return sql<T>`${query}`;
}

// The catalogue

export async function hasStarterCatalogue(db: Executor, schoolId: string): Promise<boolean> {
  const rows = await db
    .select({ id: intervention.id })
    .from(intervention)
    .where(and(eq(intervention.schoolId, schoolId), eq(intervention.source, 'starter')))
    .limit(1);
  return rows.length > 0;
}

export async function insertInterventions(db: Executor, values: InterventionInsert[]): Promise<void> {
  if (values.length > 0) await db.insert(intervention).values(values);
}

/** The catalogue with how many groups of each run now and ever. */
export async function interventionsOfSchool(db: Executor, schoolId: string, today: IsoDate) {
  return db
    .select({
      ...getTableColumns(intervention),
      groupsNow: subquery<number>(
        sql`(select count(*)::int from ${provisionGroup} where ${provisionGroup.schoolId} = ${intervention.schoolId} and ${provisionGroup.interventionId} = ${intervention.id} and ${provisionGroup.startDate} <= ${today} and (${provisionGroup.endDate} is null or ${provisionGroup.endDate} >= ${today}))`,
      ),
      groupsEver: subquery<number>(
        sql`(select count(*)::int from ${provisionGroup} where ${provisionGroup.schoolId} = ${intervention.schoolId} and ${provisionGroup.interventionId} = ${intervention.id})`,
      ),
    })
    .from(intervention)
    .where(eq(intervention.schoolId, schoolId))
    .orderBy(asc(intervention.area), asc(intervention.name));
}

export async function findIntervention(
  db: Executor,
  schoolId: string,
  interventionId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select()
    .from(intervention)
    .where(and(eq(intervention.schoolId, schoolId), eq(intervention.id, interventionId)))
    .limit(1);
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

/** Change an intervention with optimistic locking; false when someone else changed it first. */
export async function updateIntervention(
  db: Executor,
  schoolId: string,
  interventionId: string,
  expectedVersion: number,
  values: Partial<InterventionInsert>,
): Promise<boolean> {
  const rows = await db
    .update(intervention)
    .set({ ...values, version: sql`${intervention.version} + 1` })
    .where(
      and(
        eq(intervention.schoolId, schoolId),
        eq(intervention.id, interventionId),
        eq(intervention.version, expectedVersion),
      ),
    )
    .returning({ id: intervention.id });
  return rows.length === 1;
}

/** Whether any pupil has an entry or exit measure in a group of this intervention. */
export async function interventionHasMeasures(db: Executor, schoolId: string, interventionId: string) {
  const rows = await db
    .select({ id: groupMember.id })
    .from(groupMember)
    .innerJoin(
      provisionGroup,
      and(eq(provisionGroup.schoolId, groupMember.schoolId), eq(provisionGroup.id, groupMember.groupId)),
    )
    .where(
      and(
        eq(groupMember.schoolId, schoolId),
        eq(provisionGroup.interventionId, interventionId),
        sql`${groupMember.entryMeasure} is not null`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}

// Hourly rates

export async function ratesOfSchool(db: Executor, schoolId: string, options: { lock?: boolean } = {}) {
  const query = db.select().from(staffRate).where(eq(staffRate.schoolId, schoolId));
  return options.lock ? query.for('update') : query;
}

export async function saveRates(
  db: Executor,
  schoolId: string,
  rates: { deliverer: DelivererKind; hourlyPence: number }[],
): Promise<void> {
  if (rates.length === 0) return;
  await db
    .insert(staffRate)
    .values(rates.map((r) => ({ schoolId, ...r })))
    .onConflictDoUpdate({
      target: [staffRate.schoolId, staffRate.deliverer],
      set: { hourlyPence: sql`excluded.hourly_pence` },
    });
}

/** The school's threshold settings (null until it saves its settings). */
export async function thresholdSettings(db: Executor, schoolId: string) {
  const rows = await db
    .select({
      topUpThresholdPence: schoolSettings.topUpThresholdPence,
      nearingPercent: schoolSettings.nearingPercent,
    })
    .from(schoolSettings)
    .where(eq(schoolSettings.schoolId, schoolId))
    .limit(1);
  return rows[0] ?? null;
}

// Groups

/** A group's own columns with what costing and measuring it needs from its intervention and rate. */
const groupColumns = {
  ...getTableColumns(provisionGroup),
  interventionName: intervention.name,
  area: intervention.area,
  costModel: intervention.costModel,
  fixedCostPence: intervention.fixedCostPence,
  measureKind: intervention.measureKind,
  measureName: intervention.measureName,
  ratePence: staffRate.hourlyPence,
};

/**
 * A spell ends on its leaving date, or on the day the pupil left the school if that came first (a
 * leaver's groups are not charged after they went).
 */
const spellEnd = sql`least(gm.left_on, lp.left_on)`;

/** Every spell's dates in the group of the outer query. */
const membersDates = sql<MemberDates[] | string>`coalesce((select json_agg(json_build_object(
    'id', gm.id, 'joinedOn', gm.joined_on, 'leftOn', ${spellEnd}) order by gm.joined_on, gm.id)
    from group_member gm join pupil lp on lp.school_id = gm.school_id and lp.id = gm.pupil_id
    where gm.school_id = ${provisionGroup.schoolId} and gm.group_id = ${provisionGroup.id}), '[]'::json)`;

/**
 * The spells' dates of the school's groups (or of one group), each group's as one JSON list: the
 * school's spells are read once and grouped, not looked up again for each group.
 */
function memberDatesByGroup(db: Executor, schoolId: string, groupId?: string) {
  const gm = alias(groupMember, 'gm');
  const lp = alias(pupil, 'lp');
  return db
    .select({
      groupId: gm.groupId,
      dates: sql<MemberDates[] | string>`json_agg(json_build_object(
        'id', ${gm.id}, 'joinedOn', ${gm.joinedOn}, 'leftOn', least(${gm.leftOn}, ${lp.leftOn})) order by ${gm.joinedOn}, ${gm.id})`.as(
        'dates',
      ),
    })
    .from(gm)
    .innerJoin(lp, and(eq(lp.schoolId, gm.schoolId), eq(lp.id, gm.pupilId)))
    .where(and(eq(gm.schoolId, schoolId), groupId ? eq(gm.groupId, groupId) : undefined))
    .groupBy(gm.groupId)
    .as('member_dates');
}

/** Groups of the school with their intervention, rate and members' dates. */
async function selectGroups(
  db: Executor,
  schoolId: string,
  where: SQL | undefined,
  options: { groupId?: string; limit?: number } = {},
) {
  const dates = memberDatesByGroup(db, schoolId, options.groupId);
  const query = db
    .select({
      ...groupColumns,
      memberDates: sql<MemberDates[] | string>`coalesce(${dates.dates}, '[]'::json)`,
    })
    .from(provisionGroup)
    .innerJoin(
      intervention,
      and(
        eq(intervention.schoolId, provisionGroup.schoolId),
        eq(intervention.id, provisionGroup.interventionId),
      ),
    )
    .leftJoin(
      staffRate,
      and(
        eq(staffRate.schoolId, provisionGroup.schoolId),
        eq(staffRate.deliverer, provisionGroup.delivererKind),
      ),
    )
    .leftJoin(dates, eq(dates.groupId, provisionGroup.id))
    .where(and(eq(provisionGroup.schoolId, schoolId), where))
    .orderBy(desc(provisionGroup.startDate), asc(provisionGroup.name), asc(provisionGroup.id));
  const rows = await (options.limit ? query.limit(options.limit) : query);
  return rows.map((r) => ({ ...r, memberDates: parseJson(r.memberDates) }));
}

export type GroupWithCosting = Awaited<ReturnType<typeof selectGroups>>[number];

export async function insertGroup(db: Executor, values: typeof provisionGroup.$inferInsert): Promise<void> {
  await db.insert(provisionGroup).values(values);
}

/** One group of the school with its intervention and rate; `lock` takes the group row. */
export async function findGroup(
  db: Executor,
  schoolId: string,
  groupId: string,
  options: { lock?: boolean } = {},
): Promise<GroupWithCosting | null> {
  if (options.lock) {
    await db
      .select({ id: provisionGroup.id })
      .from(provisionGroup)
      .where(and(eq(provisionGroup.schoolId, schoolId), eq(provisionGroup.id, groupId)))
      .for('update');
  }
  const rows = await selectGroups(db, schoolId, eq(provisionGroup.id, groupId), { groupId, limit: 1 });
  return rows[0] ?? null;
}

export interface GroupFilters {
  /** Groups this person delivers. */
  delivererId?: string | undefined;
  interventionId?: string | undefined;
  /** Groups running at some time in this period. */
  during?: { from: IsoDate; to: IsoDate } | undefined;
}

/** Groups with their intervention, rate and members' dates, newest first. */
export async function groupsOfSchool(
  db: Executor,
  schoolId: string,
  filters: GroupFilters = {},
): Promise<GroupWithCosting[]> {
  const conditions: SQL[] = [];
  if (filters.delivererId) conditions.push(eq(provisionGroup.delivererId, filters.delivererId));
  if (filters.interventionId) conditions.push(eq(provisionGroup.interventionId, filters.interventionId));
  if (filters.during) {
    conditions.push(lte(provisionGroup.startDate, filters.during.to));
    conditions.push(
      or(isNull(provisionGroup.endDate), gte(provisionGroup.endDate, filters.during.from)) as SQL,
    );
  }
  return selectGroups(db, schoolId, and(...conditions));
}

/**
 * `column = any($1::uuid[])`: one parameter however many ids, so the statement's text (and on PGlite
 * its prepared statement) is the same for 3 groups or 300, where `in ($1, …, $n)` was a new statement
 * for each number of groups.
 */
function anyOf(column: SQLWrapper, ids: readonly string[]): SQL {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for (const id of ids) if (!UUID.test(id)) throw new Error(`not an id: ${id}`);
  return sql`${column} = any(${`{${ids.join(',')}}`}::uuid[])`;
}

/** The dates of each group's half-termly checks, oldest first, for these groups: one pass over the checks. */
export async function checkDatesOfGroups(db: Executor, schoolId: string, groupIds: readonly string[]) {
  if (groupIds.length === 0) return [];
  const rows = await db
    .select({
      groupId: groupCheck.groupId,
      checkDates: sql<string[] | string>`json_agg(${groupCheck.checkedOn} order by ${groupCheck.checkedOn})`,
    })
    .from(groupCheck)
    .where(and(eq(groupCheck.schoolId, schoolId), anyOf(groupCheck.groupId, groupIds)))
    .groupBy(groupCheck.groupId);
  return rows.map((r) => ({ groupId: r.groupId, checkDates: parseJson(r.checkDates) }));
}

/**
 * For each group: sessions held, the last session and the dates of its checks (and, given a date,
 * the sessions held since then: this week's).
 */
export async function groupActivity(
  db: Executor,
  schoolId: string,
  groupIds: string[],
  options: { since?: string } = {},
) {
  if (groupIds.length === 0) return [];
  const since = options.since;
  return db
    .select({
      groupId: provisionGroup.id,
      sessionsSince: since
        ? subquery<number>(
            sql`(select count(*)::int from ${provisionSession} where ${provisionSession.schoolId} = ${provisionGroup.schoolId} and ${provisionSession.groupId} = ${provisionGroup.id} and ${provisionSession.heldOn} >= ${since})`,
          )
        : sql<number>`0`,
      sessionsHeld: subquery<number>(
        sql`(select count(*)::int from ${provisionSession} where ${provisionSession.schoolId} = ${provisionGroup.schoolId} and ${provisionSession.groupId} = ${provisionGroup.id})`,
      ),
      lastSession: subquery<string | null>(
        sql`(select max(${provisionSession.heldOn})::text from ${provisionSession} where ${provisionSession.schoolId} = ${provisionGroup.schoolId} and ${provisionSession.groupId} = ${provisionGroup.id})`,
      ),
      checkDates: subquery<string[] | string>(
        sql`coalesce((select json_agg(${groupCheck.checkedOn} order by ${groupCheck.checkedOn}) from ${groupCheck} where ${groupCheck.schoolId} = ${provisionGroup.schoolId} and ${groupCheck.groupId} = ${provisionGroup.id}), '[]'::json)`,
      ),
    })
    .from(provisionGroup)
    .where(and(eq(provisionGroup.schoolId, schoolId), anyOf(provisionGroup.id, groupIds)))
    .then((rows) => rows.map((r) => ({ ...r, checkDates: parseJson(r.checkDates) })));
}

/** Change a group with optimistic locking; false when someone else changed it first. */
export async function updateGroup(
  db: Executor,
  schoolId: string,
  groupId: string,
  expectedVersion: number,
  values: Partial<typeof provisionGroup.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(provisionGroup)
    .set({ ...values, version: sql`${provisionGroup.version} + 1` })
    .where(
      and(
        eq(provisionGroup.schoolId, schoolId),
        eq(provisionGroup.id, groupId),
        eq(provisionGroup.version, expectedVersion),
      ),
    )
    .returning({ id: provisionGroup.id });
  return rows.length === 1;
}

/** What a group's dates must stay around: the first joining, the last leaving, the first and last session. */
export async function recordedBounds(db: Executor, schoolId: string, groupId: string) {
  const result = await db.execute(sql`select
    (select min(${groupMember.joinedOn})::text from ${groupMember} where ${groupMember.schoolId} = ${schoolId} and ${groupMember.groupId} = ${groupId}) as "firstJoined",
    (select max(${groupMember.leftOn})::text from ${groupMember} where ${groupMember.schoolId} = ${schoolId} and ${groupMember.groupId} = ${groupId}) as "lastLeft",
    (select min(${provisionSession.heldOn})::text from ${provisionSession} where ${provisionSession.schoolId} = ${schoolId} and ${provisionSession.groupId} = ${groupId}) as "firstSession",
    (select max(${provisionSession.heldOn})::text from ${provisionSession} where ${provisionSession.schoolId} = ${schoolId} and ${provisionSession.groupId} = ${groupId}) as "lastSession"`);
  const rows = (result as unknown as { rows: Record<string, string | null>[] }).rows;
  const r = rows[0] ?? {};
  return {
    firstJoined: r.firstJoined ?? null,
    lastLeft: r.lastLeft ?? null,
    firstSession: r.firstSession ?? null,
    lastSession: r.lastSession ?? null,
  };
}

// Members

export async function insertMembers(
  db: Executor,
  values: (typeof groupMember.$inferInsert)[],
): Promise<void> {
  if (values.length > 0) await db.insert(groupMember).values(values);
}

/**
 * A group's members, every spell, with the pupil's name and class; `visible` says whether the actor
 * may read this pupil's provision (a teaching assistant's reach ends with the group).
 */
export async function membersOfGroup(
  db: Executor,
  scope: AccessScope,
  groupId: string,
  academicYearStart: number,
) {
  const columns = listColumns(academicYearStart);
  return db
    .select({
      member: groupMember,
      forename: pupil.forename,
      surname: pupil.surname,
      preferredName: pupil.preferredName,
      className: schoolClass.name,
      ncYear: columns.ncYear,
      senStage: pupil.senStage,
      primaryNeed: pupil.primaryNeed,
      leftSchoolOn: pupil.leftOn,
      visible: sql<boolean>`(${sectionCondition(scope, 'provision')})`,
    })
    .from(groupMember)
    .innerJoin(pupil, and(eq(pupil.schoolId, groupMember.schoolId), eq(pupil.id, groupMember.pupilId)))
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(groupMember.schoolId, scope.schoolId), eq(groupMember.groupId, groupId)))
    .orderBy(asc(pupil.surname), asc(pupil.forename), asc(groupMember.joinedOn));
}

export async function findMember(
  db: Executor,
  schoolId: string,
  groupId: string,
  memberId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select()
    .from(groupMember)
    .where(
      and(eq(groupMember.schoolId, schoolId), eq(groupMember.groupId, groupId), eq(groupMember.id, memberId)),
    )
    .limit(1);
  const rows = await (options.lock ? query.for('update') : query);
  return rows[0] ?? null;
}

/** Change a member's spell or measures with optimistic locking; false when stale. */
export async function updateMember(
  db: Executor,
  schoolId: string,
  memberId: string,
  expectedVersion: number,
  values: Partial<typeof groupMember.$inferInsert>,
): Promise<boolean> {
  const rows = await db
    .update(groupMember)
    .set({ ...values, version: sql`${groupMember.version} + 1` })
    .where(
      and(
        eq(groupMember.schoolId, schoolId),
        eq(groupMember.id, memberId),
        eq(groupMember.version, expectedVersion),
      ),
    )
    .returning({ id: groupMember.id });
  return rows.length === 1;
}

// Sessions and attendance

export async function insertSession(
  db: Executor,
  values: typeof provisionSession.$inferInsert,
): Promise<void> {
  await db.insert(provisionSession).values(values);
}

export async function insertAttendance(
  db: Executor,
  values: (typeof sessionAttendance.$inferInsert)[],
): Promise<void> {
  if (values.length > 0) await db.insert(sessionAttendance).values(values);
}

export async function countSessionsOn(db: Executor, schoolId: string, groupId: string, heldOn: IsoDate) {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(provisionSession)
    .where(
      and(
        eq(provisionSession.schoolId, schoolId),
        eq(provisionSession.groupId, groupId),
        eq(provisionSession.heldOn, heldOn),
      ),
    );
  return rows[0]?.n ?? 0;
}

export interface SessionAbsence {
  pupilId: string;
  present: boolean;
}

/** A group's sessions, newest first, each with who was marked present or absent. */
export async function sessionsOfGroup(db: Executor, schoolId: string, groupId: string) {
  const rows = await db
    .select({
      id: provisionSession.id,
      heldOn: provisionSession.heldOn,
      note: provisionSession.note,
      recordedByName: provisionSession.recordedByName,
      attendance: subquery<SessionAbsence[] | string>(
        sql`coalesce((select json_agg(json_build_object(
          'pupilId', ${sessionAttendance.pupilId}, 'present', ${sessionAttendance.present}))
        from ${sessionAttendance} where ${sessionAttendance.schoolId} = ${provisionSession.schoolId} and ${sessionAttendance.sessionId} = ${provisionSession.id}), '[]'::json)`,
      ),
    })
    .from(provisionSession)
    .where(and(eq(provisionSession.schoolId, schoolId), eq(provisionSession.groupId, groupId)))
    .orderBy(desc(provisionSession.heldOn), desc(provisionSession.createdAt));
  return rows.map((r) => ({ ...r, attendance: parseJson(r.attendance) }));
}

// Measures

export async function setMeasures(
  db: Executor,
  schoolId: string,
  memberId: string,
  expectedVersion: number,
  values: Pick<
    typeof groupMember.$inferInsert,
    'entryMeasure' | 'entryMeasuredOn' | 'exitMeasure' | 'exitMeasuredOn'
  >,
): Promise<boolean> {
  return updateMember(db, schoolId, memberId, expectedVersion, values);
}

// Checks

export async function insertCheck(
  db: Executor,
  check: typeof groupCheck.$inferInsert,
  pupils: (typeof groupCheckPupil.$inferInsert)[],
): Promise<void> {
  await db.insert(groupCheck).values(check);
  if (pupils.length > 0) await db.insert(groupCheckPupil).values(pupils);
}

export interface CheckPupilItem {
  pupilId: string;
  expectedProgress: boolean;
  note: string | null;
}

export async function checksOfGroup(db: Executor, schoolId: string, groupId: string) {
  const rows = await db
    .select({
      id: groupCheck.id,
      checkedOn: groupCheck.checkedOn,
      decision: groupCheck.decision,
      notes: groupCheck.notes,
      checkedByName: groupCheck.checkedByName,
      pupils: subquery<CheckPupilItem[] | string>(
        sql`coalesce((select json_agg(json_build_object(
          'pupilId', ${groupCheckPupil.pupilId}, 'expectedProgress', ${groupCheckPupil.expectedProgress}, 'note', ${groupCheckPupil.note}))
        from ${groupCheckPupil} where ${groupCheckPupil.schoolId} = ${groupCheck.schoolId} and ${groupCheckPupil.checkId} = ${groupCheck.id}), '[]'::json)`,
      ),
    })
    .from(groupCheck)
    .where(and(eq(groupCheck.schoolId, schoolId), eq(groupCheck.groupId, groupId)))
    .orderBy(desc(groupCheck.checkedOn), desc(groupCheck.createdAt));
  return rows.map((r) => ({ ...r, pupils: parseJson(r.pupils) }));
}

// Deliverers

/** Active staff of the school, with their roles, for choosing who delivers a group. */
export async function staffForDelivering(db: Executor, schoolId: string) {
  const rows = await db
    .select({ userId: appUser.id, name: appUser.name, role: membershipRole.role })
    .from(membershipRole)
    .innerJoin(appUser, eq(appUser.id, membershipRole.userId))
    .where(and(eq(membershipRole.schoolId, schoolId), isNull(appUser.disabledAt)))
    .orderBy(asc(appUser.name), asc(appUser.id));
  const people = new Map<string, { userId: string; name: string; roles: SchoolRole[] }>();
  for (const r of rows) {
    const person = people.get(r.userId) ?? { userId: r.userId, name: r.name, roles: [] };
    person.roles.push(r.role);
    people.set(r.userId, person);
  }
  return [...people.values()];
}

// A pupil's provision, the map and the register

/**
 * Every spell of the given pupils in groups that ran at some time in the period, with the pupil's
 * details for the map; pupils are limited by the actor's reach and the map's filters.
 */
export async function membershipsForMap(
  db: Executor,
  scope: AccessScope,
  filters: PupilFilters,
  academicYearStart: number,
  period: { from: IsoDate; to: IsoDate },
) {
  const conditions = pupilFilterConditions(scope, 'provision', filters, academicYearStart);
  return db
    .select({
      ...listColumns(academicYearStart),
      memberId: groupMember.id,
      groupId: groupMember.groupId,
      joinedOn: groupMember.joinedOn,
      leftOn: groupMember.leftOn,
      entryMeasure: groupMember.entryMeasure,
      exitMeasure: groupMember.exitMeasure,
    })
    .from(groupMember)
    .innerJoin(pupil, and(eq(pupil.schoolId, groupMember.schoolId), eq(pupil.id, groupMember.pupilId)))
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(
      and(
        eq(groupMember.schoolId, scope.schoolId),
        lte(groupMember.joinedOn, period.to),
        or(isNull(groupMember.leftOn), gte(groupMember.leftOn, period.from)),
        ...conditions,
      ),
    )
    .orderBy(asc(pupil.surname), asc(pupil.forename), asc(pupil.id));
}

/**
 * What counting the provision lists needs of the groups running in a period, and nothing else (the
 * SENCo's dashboard shows counts): each group's dates, its cost's inputs and its spells' dates.
 */
export async function groupsForCosting(
  db: Executor,
  schoolId: string,
  during: { from: IsoDate; to: IsoDate },
) {
  const dates = memberDatesByGroup(db, schoolId);
  const rows = await db
    .select({
      id: provisionGroup.id,
      startDate: provisionGroup.startDate,
      endDate: provisionGroup.endDate,
      sessionsPerWeek: provisionGroup.sessionsPerWeek,
      minutesPerSession: provisionGroup.minutesPerSession,
      delivererKind: provisionGroup.delivererKind,
      costModel: intervention.costModel,
      fixedCostPence: intervention.fixedCostPence,
      ratePence: staffRate.hourlyPence,
      memberDates: sql<MemberDates[] | string>`coalesce(${dates.dates}, '[]'::json)`,
    })
    .from(provisionGroup)
    .innerJoin(
      intervention,
      and(
        eq(intervention.schoolId, provisionGroup.schoolId),
        eq(intervention.id, provisionGroup.interventionId),
      ),
    )
    .leftJoin(
      staffRate,
      and(
        eq(staffRate.schoolId, provisionGroup.schoolId),
        eq(staffRate.deliverer, provisionGroup.delivererKind),
      ),
    )
    .leftJoin(dates, eq(dates.groupId, provisionGroup.id))
    .where(
      and(
        eq(provisionGroup.schoolId, schoolId),
        lte(provisionGroup.startDate, during.to),
        or(isNull(provisionGroup.endDate), gte(provisionGroup.endDate, during.from)),
      ),
    );
  return rows.map((r) => ({ ...r, memberDates: parseJson(r.memberDates) }));
}

/** The spells of these groups: whose they are and whether their exit measure is in (for counting). */
export async function spellsForCounting(db: Executor, schoolId: string, groupIds: readonly string[]) {
  if (groupIds.length === 0) return [];
  return db
    .select({
      memberId: groupMember.id,
      groupId: groupMember.groupId,
      pupilId: groupMember.pupilId,
      exitMeasure: groupMember.exitMeasure,
    })
    .from(groupMember)
    .where(and(eq(groupMember.schoolId, schoolId), anyOf(groupMember.groupId, groupIds)));
}

/** Every spell in the school's groups with its measures and the pupil's name and needs (the register and effectiveness). */
export async function allMemberships(db: Executor, schoolId: string, groupIds?: string[]) {
  if (groupIds && groupIds.length === 0) return [];
  return db
    .select({
      memberId: groupMember.id,
      groupId: groupMember.groupId,
      pupilId: groupMember.pupilId,
      joinedOn: groupMember.joinedOn,
      leftOn: groupMember.leftOn,
      entryMeasure: groupMember.entryMeasure,
      entryMeasuredOn: groupMember.entryMeasuredOn,
      exitMeasure: groupMember.exitMeasure,
      exitMeasuredOn: groupMember.exitMeasuredOn,
      forename: pupil.forename,
      surname: pupil.surname,
      senStage: pupil.senStage,
      primaryNeed: pupil.primaryNeed,
    })
    .from(groupMember)
    .innerJoin(pupil, and(eq(pupil.schoolId, groupMember.schoolId), eq(pupil.id, groupMember.pupilId)))
    .where(
      and(eq(groupMember.schoolId, schoolId), groupIds ? anyOf(groupMember.groupId, groupIds) : undefined),
    )
    .orderBy(asc(pupil.surname), asc(pupil.forename), asc(groupMember.joinedOn));
}

/** One pupil's spells in groups, as in the record fragment (for the plan and letters). */
export interface PupilProvisionItem {
  memberId: string;
  groupId: string;
  groupName: string;
  interventionId: string;
  interventionName: string;
  area: string;
  costModel: string;
  fixedCostPence: number | null;
  measureKind: string;
  measureName: string | null;
  delivererId: string | null;
  delivererName: string;
  delivererKind: string;
  ratePence: number | null;
  startDate: IsoDate;
  endDate: IsoDate | null;
  sessionsPerWeek: number;
  minutesPerSession: number;
  location: string | null;
  agency: string | null;
  joinedOn: IsoDate;
  leftOn: IsoDate | null;
  /** Who added the pupil to the group, and who recorded their leaving it (null before these were kept). */
  addedByName: string | null;
  leftByName: string | null;
  /** The day the pupil left the school, if they have. */
  leftSchoolOn: IsoDate | null;
  entryMeasure: number | null;
  entryMeasuredOn: IsoDate | null;
  exitMeasure: number | null;
  exitMeasuredOn: IsoDate | null;
  memberDates: MemberDates[];
  /** Sessions held while the pupil was in the group, and those they were marked present at. */
  sessionsHeld: number;
  attended: number;
  /** Dates of the sessions they missed, newest first (at most ten). */
  missedOn: IsoDate[];
}

/**
 * The spell's attendance in one pass over the group's sessions while the pupil was in it (the group's
 * index on its dates), each looked up in the register of the session by its key: sessions held, those
 * the pupil came to, and the ten latest they missed. Its cost follows the sessions of the spell, not
 * every session the pupil ever attended.
 */
function spellAttendance(during?: { from: IsoDate; to: IsoDate }) {
  // Within a period (a closed plan's), only the sessions of the spell that fell in it.
  const from = during
    ? sql`greatest(${groupMember.joinedOn}, ${during.from}::date)`
    : sql`${groupMember.joinedOn}`;
  const to = during ? sql`least(${groupMember.leftOn}, ${during.to}::date)` : sql`${groupMember.leftOn}`;
  return sql`(select count(*)::int as held, (count(*) filter (where sa.present))::int as attended,
    coalesce(to_json((array_agg(s.held_on order by s.held_on desc) filter (where not sa.present))[1:10]), '[]'::json) as missed
  from provision_session s
  join session_attendance sa on sa.school_id = s.school_id and sa.session_id = s.id and sa.pupil_id = ${groupMember.pupilId}
  where s.school_id = ${groupMember.schoolId} and s.group_id = ${groupMember.groupId}
    and s.held_on >= ${from} and (${to} is null or s.held_on <= ${to}))`;
}

function provisionItemsOf(during?: { from: IsoDate; to: IsoDate }) {
  return sql<PupilProvisionItem[] | string>`select json_agg(json_build_object(
    'memberId', ${groupMember.id}, 'groupId', ${provisionGroup.id}, 'groupName', ${provisionGroup.name},
    'interventionId', ${intervention.id}, 'interventionName', ${intervention.name}, 'area', ${intervention.area},
    'costModel', ${intervention.costModel}, 'fixedCostPence', ${intervention.fixedCostPence},
    'measureKind', ${intervention.measureKind}, 'measureName', ${intervention.measureName},
    'delivererId', ${provisionGroup.delivererId}, 'delivererName', ${provisionGroup.delivererName}, 'delivererKind', ${provisionGroup.delivererKind},
    'ratePence', (select ${staffRate.hourlyPence} from ${staffRate} where ${staffRate.schoolId} = ${provisionGroup.schoolId} and ${staffRate.deliverer} = ${provisionGroup.delivererKind}),
    'startDate', ${provisionGroup.startDate}, 'endDate', ${provisionGroup.endDate},
    'sessionsPerWeek', ${provisionGroup.sessionsPerWeek}, 'minutesPerSession', ${provisionGroup.minutesPerSession},
    'location', ${provisionGroup.location}, 'agency', ${provisionGroup.agency},
    'joinedOn', ${groupMember.joinedOn}, 'leftOn', ${groupMember.leftOn},
    'addedByName', ${groupMember.addedByName}, 'leftByName', ${groupMember.leftByName}, 'leftSchoolOn', (select ps.left_on from pupil ps where ps.school_id = ${groupMember.schoolId} and ps.id = ${groupMember.pupilId}),
    'entryMeasure', ${groupMember.entryMeasure}, 'entryMeasuredOn', ${groupMember.entryMeasuredOn},
    'exitMeasure', ${groupMember.exitMeasure}, 'exitMeasuredOn', ${groupMember.exitMeasuredOn},
    'memberDates', ${membersDates},
    'sessionsHeld', attendance.held, 'attended', attendance.attended, 'missedOn', attendance.missed)
    order by ${provisionGroup.startDate} desc, ${groupMember.joinedOn} desc)
  from ${groupMember}
  join ${provisionGroup} on ${provisionGroup.schoolId} = ${groupMember.schoolId} and ${provisionGroup.id} = ${groupMember.groupId}
  join ${intervention} on ${intervention.schoolId} = ${provisionGroup.schoolId} and ${intervention.id} = ${provisionGroup.interventionId}
  cross join lateral ${spellAttendance(during)} attendance`;
}

const provisionItems = provisionItemsOf();

/** The pupil record's provision fragment: every spell of the pupil in a group. */
export const provisionFragment = {
  section: 'provision' as const,
  json: sql<
    PupilProvisionItem[] | string
  >`${provisionItems} where ${groupMember.schoolId} = ${pupil.schoolId} and ${groupMember.pupilId} = ${pupil.id}`,
};

export interface ThresholdItem {
  topUpThresholdPence: number | null;
  nearingPercent: number | null;
}

/** The school's threshold settings beside the fragment, so the record stays one round trip. */
export const provisionSettingsFragment = {
  section: 'provision' as const,
  json: sql<ThresholdItem[] | string>`select json_build_array(json_build_object(
    'topUpThresholdPence', (select ${schoolSettings.topUpThresholdPence} from ${schoolSettings} where ${schoolSettings.schoolId} = ${pupil.schoolId}),
    'nearingPercent', (select ${schoolSettings.nearingPercent} from ${schoolSettings} where ${schoolSettings.schoolId} = ${pupil.schoolId})))`,
};

/**
 * One pupil's spells in groups, outside the record (the plan, letters, the top-up evidence). Within a
 * period (a closed plan's days): only the spells that overlap it, their sessions and attendance in it.
 */
export async function provisionOfPupil(
  db: Executor,
  schoolId: string,
  pupilId: string,
  during?: { from: IsoDate; to: IsoDate },
) {
  const inPeriod = during
    ? sql` and ${groupMember.joinedOn} <= ${during.to}::date and (${groupMember.leftOn} is null or ${groupMember.leftOn} >= ${during.from}::date)
      and ${provisionGroup.startDate} <= ${during.to}::date and (${provisionGroup.endDate} is null or ${provisionGroup.endDate} >= ${during.from}::date)`
    : sql``;
  const result = await db.execute(
    sql`select coalesce((${during ? provisionItemsOf(during) : provisionItems} where ${groupMember.schoolId} = ${schoolId} and ${groupMember.pupilId} = ${pupilId}${inPeriod}), '[]'::json) as items`,
  );
  const row = (result as unknown as { rows: { items: PupilProvisionItem[] | string }[] }).rows[0];
  return row ? parseJson(row.items) : [];
}

// Pupils for groups

/** Pupils of the school by id, with whether the actor reaches their provision at `level`. */
export async function pupilsForProvision(
  db: Executor,
  scope: AccessScope,
  pupilIds: readonly string[],
  level: 'read' | 'contribute' | 'write',
) {
  if (pupilIds.length === 0) return [];
  return (
    db
      .select({
        id: pupil.id,
        forename: pupil.forename,
        surname: pupil.surname,
        leftOn: pupil.leftOn,
        allowed: sql<boolean>`(${sectionCondition(scope, 'provision', level)})`,
      })
      .from(pupil)
      // Joined so that the reach's subqueries name the pupil table (a one-table select would not).
      .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
      .where(and(eq(pupil.schoolId, scope.schoolId), inArray(pupil.id, [...pupilIds])))
  );
}

/** Pupils on roll at monitoring, SEN support or with an EHC plan, by class: whom groups are usually for. */
export async function listedPupils(db: Executor, schoolId: string, academicYearStart: number) {
  const columns = listColumns(academicYearStart);
  return db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      className: schoolClass.name,
      ncYear: columns.ncYear,
      senStage: pupil.senStage,
      primaryNeed: pupil.primaryNeed,
    })
    .from(pupil)
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(eq(pupil.schoolId, schoolId), isNull(pupil.leftOn), sql`${pupil.senStage} <> 'none'`))
    .orderBy(sql`${columns.ncYear}`, asc(schoolClass.name), asc(pupil.surname), asc(pupil.forename));
}

/** Hold the school's row to the end of the transaction (serialises saving the rates). */
export async function lockSchool(db: Executor, schoolId: string): Promise<void> {
  await db.select({ id: school.id }).from(school).where(eq(school.id, schoolId)).for('update');
}

/** A pupil's spells in one group (to refuse a second at the same time). */
export async function spellsOfPupilInGroup(db: Executor, schoolId: string, groupId: string, pupilId: string) {
  return db
    .select()
    .from(groupMember)
    .where(
      and(
        eq(groupMember.schoolId, schoolId),
        eq(groupMember.groupId, groupId),
        eq(groupMember.pupilId, pupilId),
      ),
    );
}

/** A school's provision as rows of each table (the demo generates one). */
export interface ProvisionRows {
  interventions: (typeof intervention.$inferInsert)[];
  groups: (typeof provisionGroup.$inferInsert)[];
  members: (typeof groupMember.$inferInsert)[];
  sessions: (typeof provisionSession.$inferInsert)[];
  attendance: (typeof sessionAttendance.$inferInsert)[];
  checks: (typeof groupCheck.$inferInsert)[];
  checkPupils: (typeof groupCheckPupil.$inferInsert)[];
}

/** Many rows at once (the demo school's provision), one statement a table, parents before children. */
export async function insertDemoProvision(db: Executor, rows: ProvisionRows): Promise<void> {
  // The catalogue's entries differ in the columns they give: a few, inserted as they are.
  if (rows.interventions.length > 0) await db.insert(intervention).values(rows.interventions);
  await insertMany(db, provisionGroup, rows.groups);
  await insertMany(db, groupMember, rows.members);
  await insertMany(db, provisionSession, rows.sessions);
  await insertMany(db, sessionAttendance, rows.attendance, 20_000);
  await insertMany(db, groupCheck, rows.checks);
  await insertMany(db, groupCheckPupil, rows.checkPupils);
}

/** Every spell in a group of each of these pupils, in one statement (the provision beside EHC plans). */
export async function provisionOfPupils(db: Executor, schoolId: string, pupilIds: readonly string[]) {
  const found = new Map<string, PupilProvisionItem[]>();
  if (pupilIds.length === 0) return found;
  const ids = sql.join(
    pupilIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const result = await db.execute(
    sql`select ${pupil.id} as pupil_id, coalesce((${provisionItems} where ${groupMember.schoolId} = ${pupil.schoolId} and ${groupMember.pupilId} = ${pupil.id}), '[]'::json) as items
      from ${pupil} where ${pupil.schoolId} = ${schoolId} and ${pupil.id} in (${ids})`,
  );
  for (const row of (
    result as unknown as { rows: { pupil_id: string; items: PupilProvisionItem[] | string }[] }
  ).rows)
    found.set(row.pupil_id, parseJson(row.items));
  return found;
}
