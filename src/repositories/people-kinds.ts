import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  organisationMembershipRole,
  parentAccount,
  parentCarer,
  professionalAccount,
  pupil,
  pupilShare,
  school,
} from '../db/schema/index.ts';
import type { OrganisationRole, Section } from '../domain/access.ts';
import type { PersonSqlScope } from './access.ts';
import { sectionCondition } from './access.ts';

/* The records that make a person an officer, a parent or a professional, and what they reach. */

export async function insertOrganisationRoles(
  db: Executor,
  organisationId: string,
  userId: string,
  roles: readonly OrganisationRole[],
): Promise<void> {
  if (roles.length === 0) return;
  await db.insert(organisationMembershipRole).values(roles.map((role) => ({ organisationId, userId, role })));
}

export async function insertParentAccounts(db: Executor, rows: (typeof parentAccount.$inferInsert)[]) {
  if (rows.length) await db.insert(parentAccount).values(rows);
}

export async function insertProfessionalAccounts(
  db: Executor,
  rows: (typeof professionalAccount.$inferInsert)[],
) {
  if (rows.length) await db.insert(professionalAccount).values(rows);
}

export async function insertPupilShares(db: Executor, rows: (typeof pupilShare.$inferInsert)[]) {
  if (rows.length) await db.insert(pupilShare).values(rows);
}

/**
 * The pupils a person reaches in the directory section, at any school, limited by the same condition
 * as every other list: a parent's own children, a professional's shared pupils.
 */
export async function pupilsReached(db: Executor, scope: PersonSqlScope) {
  return db
    .select({
      schoolId: pupil.schoolId,
      id: pupil.id,
      forename: pupil.forename,
      surname: pupil.surname,
      preferredName: pupil.preferredName,
      schoolName: school.name,
    })
    .from(pupil)
    .innerJoin(school, eq(school.id, pupil.schoolId))
    .where(and(sectionCondition(scope, 'directory'), isNull(pupil.leftOn)))
    .orderBy(school.name, pupil.surname, pupil.forename);
}

/** A parent's links: the pupil, the school's record of them as parent or carer. */
export async function parentLinksOf(db: Executor, userId: string) {
  return db
    .select({
      schoolId: parentAccount.schoolId,
      pupilId: parentAccount.pupilId,
      relationship: parentCarer.relationship,
    })
    .from(parentAccount)
    .innerJoin(
      parentCarer,
      and(eq(parentCarer.schoolId, parentAccount.schoolId), eq(parentCarer.id, parentAccount.parentCarerId)),
    )
    .where(
      and(
        eq(parentAccount.userId, userId),
        isNull(parentAccount.endedAt),
        eq(parentCarer.parentalResponsibility, true),
        eq(parentCarer.courtOrder, false),
      ),
    );
}

/** A professional's live shares: the pupil, what was shared, why, until when. */
export async function sharesOf(db: Executor, userId: string) {
  return db
    .select({
      schoolId: pupilShare.schoolId,
      id: pupilShare.id,
      pupilId: pupilShare.pupilId,
      sections: pupilShare.sections,
      purpose: pupilShare.purpose,
      sharedUntil: pupilShare.sharedUntil,
      referralId: pupilShare.referralId,
    })
    .from(pupilShare)
    .where(
      and(
        eq(pupilShare.professionalUserId, userId),
        isNull(pupilShare.endedAt),
        sql`${pupilShare.sharedFrom} <= current_date and ${pupilShare.sharedUntil} >= current_date`,
      ),
    )
    .orderBy(pupilShare.sharedUntil);
}

export type ShareRow = Awaited<ReturnType<typeof sharesOf>>[number] & { sections: Section[] };
