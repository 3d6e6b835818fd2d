import { and, asc, eq, inArray, isNotNull, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  contactChange,
  familyView,
  letterReply,
  parentAccount,
  parentCarer,
  parentInvitation,
  pupil,
  pupilAssignment,
  pupilSearchTerm,
  school,
  schoolClass,
} from '../db/schema/index.ts';
import type { AccessScope, Section } from '../domain/access.ts';
import type { AreaOfNeed, NeedCode } from '../domain/census.ts';
import { needCodesInArea } from '../domain/census.ts';
import type { ContextFlag } from '../domain/flags.ts';
import type { SenStage } from '../domain/register.ts';
import { searchWords } from '../domain/search.ts';
import { matchedReaches, reachColumns, reachCondition, sectionCondition, sharedSections } from './access.ts';

export type PupilRow = typeof pupil.$inferSelect;
export type PupilInsert = typeof pupil.$inferInsert;

export interface PupilFilters {
  search?: string | undefined;
  classId?: string | undefined;
  stage?: SenStage | undefined;
  /** Only pupils at monitoring, SEN support or EHC plan. */
  listedOnly?: boolean | undefined;
  need?: NeedCode | undefined;
  area?: AreaOfNeed | undefined;
  ncYear?: number | undefined;
  /** Only pupils whose year group is outside the school's youngest to oldest. */
  outsideYearGroups?: boolean | undefined;
  flags?: ContextFlag[] | undefined;
  /** Pupils who have left instead of those on roll. */
  leavers?: boolean | undefined;
}

const FLAG_COLUMNS = {
  pupilPremium: pupil.pupilPremium,
  freeSchoolMeals: pupil.freeSchoolMeals,
  lookedAfter: pupil.lookedAfter,
  previouslyLookedAfter: pupil.previouslyLookedAfter,
  eal: pupil.eal,
  serviceChild: pupil.serviceChild,
  youngCarer: pupil.youngCarer,
  medicalCondition: pupil.medicalCondition,
} as const;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * The academic year a pupil's school counts year groups in: this one by the date, or the next once the
 * school has rolled over to it (see schoolAcademicYearStart in domain/calendar.ts). Given the school,
 * it is looked up once for the whole query rather than for each pupil.
 */
function schoolYearSql(academicYearStart: number, schoolId?: string): SQL<number> {
  const owner = schoolId === undefined ? pupil.schoolId : sql`${schoolId}::uuid`;
  return sql<number>`greatest(${academicYearStart}::int, coalesce((select s.rolled_over_to::int from ${school} s where s.id = ${owner}), ${academicYearStart}::int))`;
}

/** The pupil's NC year in SQL: their override, or derived from date of birth for the school's academic year. */
export function ncYearSql(academicYearStart: number, schoolId?: string): SQL<number> {
  return sql<number>`coalesce(${pupil.ncYearOverride}::int, ${schoolYearSql(academicYearStart, schoolId)} - extract(year from ${pupil.dateOfBirth})::int - (case when extract(month from ${pupil.dateOfBirth}) > 8 then 1 else 0 end) - 4)`;
}

export function pupilFilterConditions(
  scope: AccessScope,
  section: Section,
  filters: PupilFilters,
  academicYearStart: number,
): SQL[] {
  const conditions: SQL[] = [sectionCondition(scope, section)];
  const search = filters.search?.trim();
  if (search) {
    // A UPN as typed, or every word beginning one of the pupil's name parts (through the index). The
    // directory (name, class and year group) is searched by name only: a UPN is not part of it.
    const upn = search.replace(/\s+/g, '').toUpperCase();
    const words = searchWords(search);
    const byName = words.map(
      (w) =>
        sql`${pupil.id} in (select ${pupilSearchTerm.pupilId} from ${pupilSearchTerm} where ${pupilSearchTerm.schoolId} = ${scope.schoolId} and ${pupilSearchTerm.term} like ${`${escapeLike(w)}%`})`,
    );
    if (section === 'directory') conditions.push(byName.length > 0 ? (and(...byName) as SQL) : sql`false`);
    else
      conditions.push(
        (byName.length > 0 ? or(eq(pupil.upn, upn), and(...byName)) : eq(pupil.upn, upn)) as SQL,
      );
  }
  // Leavers drop out of every list unless asked for; an erased record (a tombstone) from every list.
  conditions.push(filters.leavers ? isNotNull(pupil.leftOn) : isNull(pupil.leftOn), isNull(pupil.erasedAt));
  if (filters.classId) conditions.push(eq(pupil.classId, filters.classId));
  if (filters.stage) conditions.push(eq(pupil.senStage, filters.stage));
  if (filters.listedOnly) conditions.push(ne(pupil.senStage, 'none'));
  if (filters.need)
    conditions.push(or(eq(pupil.primaryNeed, filters.need), eq(pupil.secondaryNeed, filters.need)) as SQL);
  if (filters.area) {
    const codes = needCodesInArea(filters.area);
    conditions.push(or(inArray(pupil.primaryNeed, codes), inArray(pupil.secondaryNeed, codes)) as SQL);
  }
  if (filters.ncYear !== undefined)
    conditions.push(sql`${ncYearSql(academicYearStart, scope.schoolId)} = ${filters.ncYear}`);
  if (filters.outsideYearGroups) {
    conditions.push(
      sql`exists (select 1 from ${school} r where r.id = ${pupil.schoolId} and ${ncYearSql(academicYearStart, scope.schoolId)} not between r.lowest_nc_year and r.highest_nc_year)`,
    );
  }
  for (const flag of filters.flags ?? []) conditions.push(eq(FLAG_COLUMNS[flag], true));
  return conditions;
}

/** The columns of a pupil in a list: the pupil list, the register, their CSV and print views. */
export const listColumns = (academicYearStart: number, schoolId?: string) => ({
  id: pupil.id,
  upn: pupil.upn,
  forename: pupil.forename,
  surname: pupil.surname,
  preferredName: pupil.preferredName,
  dateOfBirth: pupil.dateOfBirth,
  ncYear: ncYearSql(academicYearStart, schoolId),
  className: schoolClass.name,
  senStage: pupil.senStage,
  primaryNeed: pupil.primaryNeed,
  secondaryNeed: pupil.secondaryNeed,
  leftOn: pupil.leftOn,
  ...FLAG_COLUMNS,
});

export async function listPupils(
  db: Executor,
  scope: AccessScope,
  section: Section,
  filters: PupilFilters,
  academicYearStart: number,
  page: { limit: number; offset: number },
) {
  const where = and(...pupilFilterConditions(scope, section, filters, academicYearStart));
  const [rows, totals] = await Promise.all([
    db
      .select(listColumns(academicYearStart, scope.schoolId))
      .from(pupil)
      .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
      .where(where)
      .orderBy(asc(pupil.surname), asc(pupil.forename), asc(pupil.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(pupil).where(where),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

/**
 * One pupil of the actor's school, with which of the actor's reaches include them; `lock` takes the
 * row for the rest of the transaction (for a change). Null when the id is not a pupil of this school.
 */
export async function findPupilWithReach(
  db: Executor,
  scope: AccessScope,
  pupilId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({ pupil, className: schoolClass.name, ...reachColumns(scope) })
    .from(pupil)
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    // An erased record (a tombstone) is no pupil's record: not found.
    .where(and(eq(pupil.schoolId, scope.schoolId), eq(pupil.id, pupilId), isNull(pupil.erasedAt)))
    .limit(1);
  const rows = await (options.lock ? query.for('update', { of: pupil }) : query);
  const row = rows[0] as
    | (Record<string, unknown> & { pupil: PupilRow; className: string | null })
    | undefined;
  if (!row) return null;
  return {
    pupil: row.pupil,
    className: row.className,
    reaches: matchedReaches(scope, row),
    /** The sections live shares of this pupil name (for a professional; empty for everyone else). */
    shared: sharedSections(row),
  };
}

/** Pupils whose name starts with what was typed, for finding a pupil (the directory section only). */
export async function findPupilsByName(
  db: Executor,
  scope: AccessScope,
  search: string,
  academicYearStart: number,
  limit = 20,
) {
  const conditions = pupilFilterConditions(scope, 'directory', { search }, academicYearStart);
  return db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      preferredName: pupil.preferredName,
      ncYear: ncYearSql(academicYearStart, scope.schoolId),
      className: schoolClass.name,
    })
    .from(pupil)
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(and(...conditions))
    .orderBy(asc(pupil.surname), asc(pupil.forename), asc(pupil.id))
    .limit(limit);
}

export async function findPupilByUpn(db: Executor, schoolId: string, upn: string) {
  const rows = await db
    .select({ id: pupil.id })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), eq(pupil.upn, upn)))
    .limit(1);
  return rows[0] ?? null;
}

export async function insertPupils(db: Executor, values: PupilInsert[]): Promise<void> {
  for (let i = 0; i < values.length; i += 500) await db.insert(pupil).values(values.slice(i, i + 500));
}

/** Update with optimistic locking: returns false when the version moved on. */
export async function updatePupil(
  db: Executor,
  schoolId: string,
  pupilId: string,
  expectedVersion: number,
  values: Partial<PupilInsert>,
): Promise<boolean> {
  const rows = await db
    .update(pupil)
    .set({ ...values, version: sql`${pupil.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(pupil.schoolId, schoolId), eq(pupil.id, pupilId), eq(pupil.version, expectedVersion)))
    .returning({ id: pupil.id });
  return rows.length === 1;
}

export async function setRegisterPosition(
  db: Executor,
  schoolId: string,
  pupilId: string,
  position: { senStage: SenStage; primaryNeed: NeedCode | null; secondaryNeed: NeedCode | null },
): Promise<void> {
  await db
    .update(pupil)
    .set({ ...position, version: sql`${pupil.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(pupil.schoolId, schoolId), eq(pupil.id, pupilId)));
}

export async function parentsOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select()
    .from(parentCarer)
    .where(and(eq(parentCarer.schoolId, schoolId), eq(parentCarer.pupilId, pupilId)))
    .orderBy(asc(parentCarer.contactPriority), asc(parentCarer.name));
}

export async function findParent(db: Executor, schoolId: string, pupilId: string, parentId: string) {
  const rows = await db
    .select()
    .from(parentCarer)
    .where(
      and(eq(parentCarer.schoolId, schoolId), eq(parentCarer.pupilId, pupilId), eq(parentCarer.id, parentId)),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** Update with optimistic locking: false when someone else changed the parent or carer first. */
export async function updateParent(
  db: Executor,
  schoolId: string,
  parentId: string,
  expectedVersion: number,
  values: Pick<
    typeof parentCarer.$inferInsert,
    'name' | 'relationship' | 'phone' | 'email' | 'parentalResponsibility' | 'courtOrder'
  >,
): Promise<boolean> {
  const rows = await db
    .update(parentCarer)
    .set({ ...values, version: sql`${parentCarer.version} + 1` })
    .where(
      and(
        eq(parentCarer.schoolId, schoolId),
        eq(parentCarer.id, parentId),
        eq(parentCarer.version, expectedVersion),
      ),
    )
    .returning({ id: parentCarer.id });
  return rows.length === 1;
}

/**
 * Remove a parent or carer from a pupil's record. An account linked to them as a parent loses the
 * pupil with the record (the link goes too): how many links went.
 */
export async function deleteParent(db: Executor, schoolId: string, parentId: string): Promise<number> {
  const links = await db
    .delete(parentAccount)
    .where(and(eq(parentAccount.schoolId, schoolId), eq(parentAccount.parentCarerId, parentId)))
    .returning({ id: parentAccount.id });
  // What the parent sent stays theirs (their name is kept on it), no longer tied to the record removed. Done
  // here, not by the key's "set null", which on a two-column key would empty the school's column too.
  await db
    .update(letterReply)
    .set({ parentCarerId: null })
    .where(and(eq(letterReply.schoolId, schoolId), eq(letterReply.parentCarerId, parentId)));
  await db
    .update(familyView)
    .set({ parentCarerId: null })
    .where(and(eq(familyView.schoolId, schoolId), eq(familyView.parentCarerId, parentId)));
  // Invitations to the record removed, and changes of its contact details not yet decided, go with it.
  await db
    .delete(parentInvitation)
    .where(and(eq(parentInvitation.schoolId, schoolId), eq(parentInvitation.parentCarerId, parentId)));
  await db
    .delete(contactChange)
    .where(and(eq(contactChange.schoolId, schoolId), eq(contactChange.parentCarerId, parentId)));
  await db.delete(parentCarer).where(and(eq(parentCarer.schoolId, schoolId), eq(parentCarer.id, parentId)));
  return links.length;
}

export async function insertParents(
  db: Executor,
  values: (typeof parentCarer.$inferInsert)[],
): Promise<void> {
  for (let i = 0; i < values.length; i += 500) await db.insert(parentCarer).values(values.slice(i, i + 500));
}

export async function insertAssignments(db: Executor, values: (typeof pupilAssignment.$inferInsert)[]) {
  if (values.length > 0) await db.insert(pupilAssignment).values(values).onConflictDoNothing();
}

export async function deleteAssignment(db: Executor, schoolId: string, pupilId: string, userId: string) {
  await db
    .delete(pupilAssignment)
    .where(
      and(
        eq(pupilAssignment.schoolId, schoolId),
        eq(pupilAssignment.pupilId, pupilId),
        eq(pupilAssignment.userId, userId),
      ),
    );
}

/** Counts by stage and primary need across the whole school (no names). */
export async function registerCounts(db: Executor, schoolId: string) {
  return db
    .select({ senStage: pupil.senStage, primaryNeed: pupil.primaryNeed, n: sql<number>`count(*)::int` })
    .from(pupil)
    .where(and(eq(pupil.schoolId, schoolId), isNull(pupil.leftOn)))
    .groupBy(pupil.senStage, pupil.primaryNeed);
}

/** Counts by stage for each school of an organisation. */
export async function registerCountsBySchool(db: Executor, schoolIds: string[]) {
  if (schoolIds.length === 0) return [];
  return db
    .select({ schoolId: pupil.schoolId, senStage: pupil.senStage, n: sql<number>`count(*)::int` })
    .from(pupil)
    .where(and(inArray(pupil.schoolId, schoolIds), isNull(pupil.leftOn)))
    .groupBy(pupil.schoolId, pupil.senStage);
}

/** The record fragments this repository owns (see pupil-record.ts): parents and carers, assigned staff. */
export interface ParentCarerItem {
  id: string;
  name: string;
  relationship: string;
  phone: string | null;
  email: string | null;
  parentalResponsibility: boolean;
  /** A court order recorded against them: no online access (docs/adr/0039). */
  courtOrder: boolean;
  contactPriority: number;
  version: number;
  /** When the last family mail to them could not be delivered (the school falls back to paper). */
  mailFailedAt: string | null;
}
export const parentsFragment = {
  section: 'identity' as const,
  json: sql<ParentCarerItem[] | string>`select json_agg(json_build_object(
    'id', ${parentCarer.id}, 'name', ${parentCarer.name}, 'relationship', ${parentCarer.relationship},
    'phone', ${parentCarer.phone}, 'email', ${parentCarer.email},
    'parentalResponsibility', ${parentCarer.parentalResponsibility}, 'courtOrder', ${parentCarer.courtOrder},
    'contactPriority', ${parentCarer.contactPriority},
    'version', ${parentCarer.version},
    'mailFailedAt', (select max(m.created_at) from outbound_mail m where m.school_id = ${parentCarer.schoolId}
      and m.parent_carer_id = ${parentCarer.id} and m.status = 'failed'))
    order by ${parentCarer.contactPriority}, ${parentCarer.name})
    from ${parentCarer} where ${parentCarer.schoolId} = ${pupil.schoolId} and ${parentCarer.pupilId} = ${pupil.id}`,
};

export interface AssignedStaffItem {
  userId: string;
  name: string;
}
export const assignedStaffFragment = {
  section: 'provision' as const,
  json: sql<
    AssignedStaffItem[] | string
  >`select json_agg(json_build_object('userId', ${appUser.id}, 'name', ${appUser.name}) order by ${appUser.name})
    from ${pupilAssignment} join ${appUser} on ${appUser.id} = ${pupilAssignment.userId}
    where ${pupilAssignment.schoolId} = ${pupil.schoolId} and ${pupilAssignment.pupilId} = ${pupil.id}`,
};

/**
 * The pupils a person works with outside their classes, through the reaches given (assigned to them,
 * or now in a group they deliver): on roll, with their class and SEN stage, and which reach found them.
 */
export async function pupilsWorkedWith(
  db: Executor,
  scope: AccessScope,
  reaches: readonly ('pupils_assigned' | 'groups_delivered')[],
  limit = 200,
) {
  if (reaches.length === 0) return [];
  return db
    .select({
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      className: schoolClass.name,
      senStage: pupil.senStage,
      assigned: sql<boolean>`(${reaches.includes('pupils_assigned') ? reachCondition(scope, 'pupils_assigned') : sql`false`})`,
    })
    .from(pupil)
    .leftJoin(schoolClass, and(eq(schoolClass.schoolId, pupil.schoolId), eq(schoolClass.id, pupil.classId)))
    .where(
      and(
        eq(pupil.schoolId, scope.schoolId),
        isNull(pupil.leftOn),
        or(...reaches.map((r) => reachCondition(scope, r))),
      ),
    )
    .orderBy(asc(pupil.surname), asc(pupil.forename), asc(pupil.id))
    .limit(limit);
}
