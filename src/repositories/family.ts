import { and, arrayOverlaps, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { letter, parentAccount, parentCarer, pupil, school } from '../db/schema/index.ts';

/*
 * What a parent reaches, read from the live links: a parent_account not ended, to a school's record of
 * them with parental responsibility and no court order (the same rule as the `own_children` reach in
 * repositories/access.ts). Nothing here trusts an id from the address: every lookup starts at the user.
 */

/**
 * One of the parent's children, with the school and the parent's own records at that school (usually
 * one; two when the school holds them twice); null when the link is not live. `lock` takes the pupil row
 * (a change checks the link again inside its transaction: responsibility removed a moment ago refuses).
 */
export async function childOfParent(
  db: Executor,
  userId: string,
  pupilId: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({
      pupil,
      schoolName: school.name,
      parentCarerId: parentCarer.id,
      carerName: parentCarer.name,
      relationship: parentCarer.relationship,
      phone: parentCarer.phone,
      email: parentCarer.email,
      carerVersion: parentCarer.version,
    })
    .from(parentAccount)
    .innerJoin(
      parentCarer,
      and(eq(parentCarer.schoolId, parentAccount.schoolId), eq(parentCarer.id, parentAccount.parentCarerId)),
    )
    .innerJoin(pupil, and(eq(pupil.schoolId, parentAccount.schoolId), eq(pupil.id, parentAccount.pupilId)))
    .innerJoin(school, eq(school.id, pupil.schoolId))
    .where(
      and(
        eq(parentAccount.userId, userId),
        eq(parentAccount.pupilId, pupilId),
        isNull(parentAccount.endedAt),
        eq(parentCarer.parentalResponsibility, true),
        eq(parentCarer.courtOrder, false),
        isNull(pupil.erasedAt),
        isNull(pupil.leftOn),
      ),
    );
  const rows = await (options.lock ? query.for('update', { of: pupil }) : query);
  const first = rows[0];
  if (!first) return null;
  return {
    pupil: first.pupil,
    schoolName: first.schoolName,
    carers: rows.map((r) => ({
      id: r.parentCarerId,
      name: r.carerName,
      relationship: r.relationship,
      phone: r.phone,
      email: r.email,
      version: r.carerVersion,
    })),
  };
}

export type ChildOfParent = NonNullable<Awaited<ReturnType<typeof childOfParent>>>;

/**
 * Letters addressed to this parent: the letter names their record among its recipients (chosen when it
 * was sent), or is addressed to no one by name ("Parent/Carer"). A letter sent only to the other parent
 * is not theirs to read or sign, whatever either name becomes.
 */
export function letterAddressedTo(carerIds: readonly string[]): SQL {
  if (carerIds.length === 0) return sql`${letter.recipients} = 'Parent/Carer'`;
  return or(
    sql`${letter.recipients} = 'Parent/Carer'`,
    arrayOverlaps(letter.recipientCarerIds, [...carerIds]),
  ) as SQL;
}

/** Whether this account was ever linked to a child (a parent whose access has ended can still sign in). */
export async function hadFamilyLink(db: Executor, userId: string): Promise<boolean> {
  const rows = await db
    .select({ id: parentAccount.id })
    .from(parentAccount)
    .where(eq(parentAccount.userId, userId))
    .limit(1);
  return rows.length > 0;
}
