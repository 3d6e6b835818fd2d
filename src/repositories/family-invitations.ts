import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import {
  appUser,
  auditEvent,
  parentAccount,
  parentCarer,
  parentInvitation,
  pupil,
  school,
} from '../db/schema/index.ts';

/*
 * Invitations to parents and carers and the links they make (docs/adr/0039). Only a code's hash is
 * stored: an invitation is found by it, or through the school, pupil and carer it belongs to.
 */

export type ParentInvitationRow = typeof parentInvitation.$inferSelect;

export async function insertInvitation(db: Executor, row: typeof parentInvitation.$inferInsert) {
  await db.insert(parentInvitation).values(row);
}

/** The invitation a code's hash names, with what the join pages show of it (school, child's first name). */
export async function invitationByCodeHash(db: Executor, codeHash: string, options: { lock?: boolean } = {}) {
  const query = db
    .select({
      invitation: parentInvitation,
      schoolName: school.name,
      forename: pupil.forename,
      preferredName: pupil.preferredName,
      pupilLeftOn: pupil.leftOn,
      pupilErasedAt: pupil.erasedAt,
      parentalResponsibility: parentCarer.parentalResponsibility,
      courtOrder: parentCarer.courtOrder,
    })
    .from(parentInvitation)
    .innerJoin(
      pupil,
      and(eq(pupil.schoolId, parentInvitation.schoolId), eq(pupil.id, parentInvitation.pupilId)),
    )
    .innerJoin(school, eq(school.id, parentInvitation.schoolId))
    .innerJoin(
      parentCarer,
      and(
        eq(parentCarer.schoolId, parentInvitation.schoolId),
        eq(parentCarer.id, parentInvitation.parentCarerId),
      ),
    )
    .where(eq(parentInvitation.codeHash, codeHash))
    .limit(1);
  const rows = await (options.lock ? query.for('update', { of: parentInvitation }) : query);
  return rows[0] ?? null;
}

export async function findInvitation(
  db: Executor,
  schoolId: string,
  pupilId: string,
  parentCarerId: string,
  invitationId: string,
) {
  const rows = await db
    .select()
    .from(parentInvitation)
    .where(
      and(
        eq(parentInvitation.schoolId, schoolId),
        eq(parentInvitation.id, invitationId),
        eq(parentInvitation.pupilId, pupilId),
        eq(parentInvitation.parentCarerId, parentCarerId),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** End every invitation of this carer that is neither used nor ended. Returns their ids. */
export async function endOpenInvitations(
  db: Executor,
  schoolId: string,
  parentCarerId: string,
  endedBy: string,
  at: Date,
): Promise<string[]> {
  const rows = await db
    .update(parentInvitation)
    .set({ endedAt: at, endedBy })
    .where(
      and(
        eq(parentInvitation.schoolId, schoolId),
        eq(parentInvitation.parentCarerId, parentCarerId),
        isNull(parentInvitation.usedAt),
        isNull(parentInvitation.endedAt),
      ),
    )
    .returning({ id: parentInvitation.id });
  return rows.map((r) => r.id);
}

export async function markInvitationUsed(
  db: Executor,
  schoolId: string,
  id: string,
  userId: string,
  at: Date,
) {
  await db
    .update(parentInvitation)
    .set({ usedAt: at, usedBy: userId })
    .where(and(eq(parentInvitation.schoolId, schoolId), eq(parentInvitation.id, id)));
}

/** A wrong password typed while joining with this invitation; returns the count now. */
export async function countInvitationAttempt(db: Executor, schoolId: string, id: string): Promise<number> {
  const rows = await db
    .update(parentInvitation)
    .set({ attempts: sql`${parentInvitation.attempts} + 1` })
    .where(and(eq(parentInvitation.schoolId, schoolId), eq(parentInvitation.id, id)))
    .returning({ attempts: parentInvitation.attempts });
  return rows[0]?.attempts ?? 0;
}

/**
 * Take one of an invitation's tries, if it has one left: counted and checked in one statement, so
 * requests at once cannot all pass a check made before any of them counted. False when none is left.
 */
export async function takeInvitationTry(db: Executor, schoolId: string, id: string, max: number) {
  const rows = await db
    .update(parentInvitation)
    .set({ attempts: sql`${parentInvitation.attempts} + 1` })
    .where(
      and(
        eq(parentInvitation.schoolId, schoolId),
        eq(parentInvitation.id, id),
        sql`${parentInvitation.attempts} < ${max}`,
      ),
    )
    .returning({ attempts: parentInvitation.attempts });
  return rows.length > 0;
}

/** The live link of a school's record of a parent or carer to an account, if any. */
export async function liveLinkOfCarer(db: Executor, schoolId: string, parentCarerId: string) {
  const rows = await db
    .select({ id: parentAccount.id, userId: parentAccount.userId })
    .from(parentAccount)
    .where(
      and(
        eq(parentAccount.schoolId, schoolId),
        eq(parentAccount.parentCarerId, parentCarerId),
        isNull(parentAccount.endedAt),
      ),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** End the live link of a carer (the school ends a parent's access). Returns the account it linked. */
export async function endLinksOfCarer(
  db: Executor,
  schoolId: string,
  parentCarerId: string,
  endedBy: string,
  at: Date,
): Promise<string[]> {
  const rows = await db
    .update(parentAccount)
    .set({ endedAt: at, endedBy })
    .where(
      and(
        eq(parentAccount.schoolId, schoolId),
        eq(parentAccount.parentCarerId, parentCarerId),
        isNull(parentAccount.endedAt),
      ),
    )
    .returning({ userId: parentAccount.userId });
  return rows.map((r) => r.userId);
}

/**
 * The school's records of parents and carers an account is linked to (live) at this school, other than
 * the pupil's own: the names and emails the school holds for them, to tell another family from a
 * brother's or sister's.
 */
export async function otherLinkedCarersOfEmail(
  db: Executor,
  schoolId: string,
  email: string,
  pupilId: string,
) {
  return db
    .select({ name: parentCarer.name, email: parentCarer.email, pupilId: parentCarer.pupilId })
    .from(parentAccount)
    .innerJoin(appUser, eq(appUser.id, parentAccount.userId))
    .innerJoin(
      parentCarer,
      and(eq(parentCarer.schoolId, parentAccount.schoolId), eq(parentCarer.id, parentAccount.parentCarerId)),
    )
    .where(
      and(
        eq(parentAccount.schoolId, schoolId),
        isNull(parentAccount.endedAt),
        eq(appUser.email, email.toLowerCase()),
        ne(parentAccount.pupilId, pupilId),
      ),
    );
}

/**
 * The school's records of parents an account is already linked to at this school, for children other
 * than this one (the invitation's account must not be another family's: checked again when it is used).
 */
export async function otherLinkedCarersOfUser(
  db: Executor,
  schoolId: string,
  userId: string,
  pupilId: string,
) {
  return db
    .select({ name: parentCarer.name, pupilId: parentCarer.pupilId })
    .from(parentAccount)
    .innerJoin(
      parentCarer,
      and(eq(parentCarer.schoolId, parentAccount.schoolId), eq(parentCarer.id, parentAccount.parentCarerId)),
    )
    .where(
      and(
        eq(parentAccount.schoolId, schoolId),
        eq(parentAccount.userId, userId),
        isNull(parentAccount.endedAt),
        ne(parentAccount.pupilId, pupilId),
      ),
    );
}

/** The carers of this pupil an account is linked to now (one account, one parent of a child). */
export async function liveCarersOfUserForPupil(
  db: Executor,
  schoolId: string,
  userId: string,
  pupilId: string,
) {
  const rows = await db
    .select({ parentCarerId: parentAccount.parentCarerId })
    .from(parentAccount)
    .where(
      and(
        eq(parentAccount.schoolId, schoolId),
        eq(parentAccount.userId, userId),
        eq(parentAccount.pupilId, pupilId),
        isNull(parentAccount.endedAt),
      ),
    );
  return rows.map((r) => r.parentCarerId);
}

/** Emailed invitations still waiting at this school to this address, for other children's parents. */
export async function waitingInvitationsOfEmail(
  db: Executor,
  schoolId: string,
  email: string,
  pupilId: string,
  now: Date,
) {
  return db
    .select({ name: parentCarer.name, pupilId: parentCarer.pupilId })
    .from(parentInvitation)
    .innerJoin(
      parentCarer,
      and(
        eq(parentCarer.schoolId, parentInvitation.schoolId),
        eq(parentCarer.id, parentInvitation.parentCarerId),
      ),
    )
    .where(
      and(
        eq(parentInvitation.schoolId, schoolId),
        eq(parentInvitation.email, email.toLowerCase()),
        isNull(parentInvitation.usedAt),
        isNull(parentInvitation.endedAt),
        gt(parentInvitation.expiresAt, now),
        ne(parentInvitation.pupilId, pupilId),
      ),
    );
}

/** Every invitation to the pupil's parents and carers, newest first, with who sent it. */
export async function invitationsOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({
      id: parentInvitation.id,
      parentCarerId: parentInvitation.parentCarerId,
      method: parentInvitation.method,
      email: parentInvitation.email,
      createdAt: parentInvitation.createdAt,
      expiresAt: parentInvitation.expiresAt,
      usedAt: parentInvitation.usedAt,
      endedAt: parentInvitation.endedAt,
      attempts: parentInvitation.attempts,
      createdByName: appUser.name,
    })
    .from(parentInvitation)
    .leftJoin(appUser, eq(appUser.id, parentInvitation.createdBy))
    .where(and(eq(parentInvitation.schoolId, schoolId), eq(parentInvitation.pupilId, pupilId)))
    .orderBy(desc(parentInvitation.createdAt))
    .limit(200);
}

/** Every link of the pupil's parents and carers to accounts (live and ended), newest first. */
export async function linksOfPupil(db: Executor, schoolId: string, pupilId: string) {
  return db
    .select({
      id: parentAccount.id,
      parentCarerId: parentAccount.parentCarerId,
      userId: parentAccount.userId,
      accountName: appUser.name,
      accountEmail: appUser.email,
      createdAt: parentAccount.createdAt,
      endedAt: parentAccount.endedAt,
    })
    .from(parentAccount)
    .innerJoin(appUser, eq(appUser.id, parentAccount.userId))
    .where(and(eq(parentAccount.schoolId, schoolId), eq(parentAccount.pupilId, pupilId)))
    .orderBy(desc(parentAccount.createdAt))
    .limit(200);
}

/**
 * The read receipts of a pupil's record: `family.read` rows on the school's trail (which parent read
 * which letter or plan, and when), newest first. Only parents' reads, so staff looking at this page
 * never make it longer.
 */
export async function readReceiptsOfPupil(db: Executor, schoolId: string, pupilId: string, limit = 200) {
  return db
    .select({
      at: auditEvent.occurredAt,
      userId: auditEvent.userId,
      name: appUser.name,
      detail: auditEvent.detail,
    })
    .from(auditEvent)
    .leftJoin(appUser, eq(appUser.id, auditEvent.userId))
    .where(
      and(
        eq(auditEvent.schoolId, schoolId),
        eq(auditEvent.pupilId, pupilId),
        eq(auditEvent.action, 'family.read'),
      ),
    )
    .orderBy(desc(auditEvent.occurredAt))
    .limit(limit);
}

/** Every account that has been linked to a child at the school (live or ended): the audit page's people. */
export async function parentAccountsOfSchool(db: Executor, schoolId: string) {
  return db
    .selectDistinct({ userId: appUser.id, name: appUser.name })
    .from(parentAccount)
    .innerJoin(appUser, eq(appUser.id, parentAccount.userId))
    .where(eq(parentAccount.schoolId, schoolId))
    .orderBy(appUser.name, appUser.id);
}
