import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { heldForm } from '../db/schema/index.ts';

export type HeldFormBody = Record<string, string | string[]>;

export async function insertHeldForm(
  db: Executor,
  values: {
    id: string;
    userId: string;
    schoolId: string | null;
    path: string;
    body: HeldFormBody;
    expiresAt: Date;
  },
): Promise<void> {
  await db.insert(heldForm).values(values);
}

/** The newest form held for this person that has not expired. */
export async function latestHeldForm(db: Executor, userId: string) {
  const rows = await db
    .select()
    .from(heldForm)
    .where(and(eq(heldForm.userId, userId), gt(heldForm.expiresAt, sql`now()`)))
    .orderBy(desc(heldForm.createdAt))
    .limit(1);
  return rows[0] ?? null;
}

export async function findHeldForm(db: Executor, userId: string, id: string) {
  const rows = await db
    .select()
    .from(heldForm)
    .where(and(eq(heldForm.userId, userId), eq(heldForm.id, id), gt(heldForm.expiresAt, sql`now()`)))
    .limit(1);
  return rows[0] ?? null;
}

/** Delete a form kept for this person; false when they have none with this id. */
export async function deleteHeldForm(db: Executor, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(heldForm)
    .where(and(eq(heldForm.userId, userId), eq(heldForm.id, id)))
    .returning({ id: heldForm.id });
  return rows.length > 0;
}

export async function deleteExpiredHeldForms(db: Executor): Promise<void> {
  await db.delete(heldForm).where(lt(heldForm.expiresAt, sql`now()`));
}
