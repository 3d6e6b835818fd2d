import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { contactChange, parentCarer, pupil } from '../db/schema/index.ts';

/* Changes of contact details a parent asked for, waiting for the school to confirm them (docs/adr/0039). */

export type ContactChangeRow = typeof contactChange.$inferSelect;

export async function insertContactChange(db: Executor, row: typeof contactChange.$inferInsert) {
  await db.insert(contactChange).values(row);
}

/** One parent's own requests for a child, newest first. */
export function changesOfCarer(db: Executor, schoolId: string, parentCarerId: string) {
  return db
    .select()
    .from(contactChange)
    .where(and(eq(contactChange.schoolId, schoolId), eq(contactChange.parentCarerId, parentCarerId)))
    .orderBy(desc(contactChange.createdAt))
    .limit(10);
}

/** The school's waiting changes, oldest first, with the pupil and the parent as the record has them now. */
export function waitingChanges(db: Executor, schoolId: string) {
  return db
    .select({
      change: contactChange,
      pupilForename: pupil.forename,
      pupilSurname: pupil.surname,
      carerName: parentCarer.name,
    })
    .from(contactChange)
    .innerJoin(pupil, and(eq(pupil.schoolId, contactChange.schoolId), eq(pupil.id, contactChange.pupilId)))
    .innerJoin(
      parentCarer,
      and(eq(parentCarer.schoolId, contactChange.schoolId), eq(parentCarer.id, contactChange.parentCarerId)),
    )
    .where(and(eq(contactChange.schoolId, schoolId), eq(contactChange.status, 'waiting')))
    .orderBy(asc(contactChange.createdAt))
    .limit(200);
}

export async function waitingCount(db: Executor, schoolId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(contactChange)
    .where(and(eq(contactChange.schoolId, schoolId), eq(contactChange.status, 'waiting')));
  return Number(row?.n ?? 0);
}

/** A change of this school by id, with the parent's record as it is now. */
export async function findContactChange(
  db: Executor,
  schoolId: string,
  id: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .select({ change: contactChange, carer: parentCarer })
    .from(contactChange)
    .innerJoin(
      parentCarer,
      and(eq(parentCarer.schoolId, contactChange.schoolId), eq(parentCarer.id, contactChange.parentCarerId)),
    )
    .where(and(eq(contactChange.schoolId, schoolId), eq(contactChange.id, id)));
  const [row] = await (options.lock ? query.for('update', { of: contactChange }) : query);
  return row ?? null;
}

/** Decide a waiting change (null when it was decided already). */
export async function decideContactChange(
  db: Executor,
  schoolId: string,
  id: string,
  values: { status: 'accepted' | 'declined'; decidedBy: string; declineReason: string | null },
) {
  const [row] = await db
    .update(contactChange)
    .set({ ...values, decidedAt: sql`now()`, version: sql`${contactChange.version} + 1` })
    .where(
      and(
        eq(contactChange.schoolId, schoolId),
        eq(contactChange.id, id),
        eq(contactChange.status, 'waiting'),
      ),
    )
    .returning({ id: contactChange.id });
  return row ?? null;
}

/** The parent's record takes the new phone or email, if nobody changed it since `version`. */
export async function applyToCarer(
  db: Executor,
  schoolId: string,
  parentCarerId: string,
  version: number,
  values: { phone?: string; email?: string },
) {
  const [row] = await db
    .update(parentCarer)
    .set({ ...values, version: sql`${parentCarer.version} + 1` })
    .where(
      and(
        eq(parentCarer.schoolId, schoolId),
        eq(parentCarer.id, parentCarerId),
        eq(parentCarer.version, version),
      ),
    )
    .returning({ version: parentCarer.version });
  return row ?? null;
}
